import { useState } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { blockText, chapterBlocks } from "@percorso/schema";
import { api, type DraftSource } from "../lib/api.ts";
import { useAsync } from "../lib/useAsync.ts";
import { formatDateTime } from "../i18n.ts";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { MergeDialog } from "./MergeDialog.tsx";
import { RedlineDialog } from "./Redline.tsx";
import { actionFailure } from "./errors.ts";
import type { Sources } from "./useSources.ts";

type Action = "replace" | "append" | "ignore";

/** The result of the last action, with the version that undoes it when one was saved. */
interface Outcome {
  message: string;
  undo: { versionId: string; label: string } | null;
}

/**
 * The roll-up panel (issue 9): the seminars with the state of their chapter — not rolled up
 * yet, rolled up at T by X, changed at the source since — and what to do about it: roll up
 * (replacing, asked first when the chapter has text), append, and for a changed source: see the
 * redline, merge three ways, replace, or ignore the change.
 */
export function RollupPanel({
  token,
  programmeId,
  doc,
  sources,
}: {
  token: string;
  programmeId: string;
  /** The draft: whether a chapter already has text decides whether a replace asks first. */
  doc: Y.Doc;
  sources: Sources;
}) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState<{ chapter: string; action: Action } | null>(null);
  const [error, setError] = useState<{ chapter: string; message: string } | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [confirming, setConfirming] = useState<DraftSource | null>(null);
  const [redline, setRedline] = useState<DraftSource | null>(null);
  const [merging, setMerging] = useState<DraftSource | null>(null);
  const when = (ms: number) => formatDateTime(ms, i18n.language);
  const byName = (name: string | null) => (name ? name : t("presence.anonymous"));

  const hasText = (chapter: string) =>
    (chapterBlocks(doc.getXmlFragment("body"), chapter) ?? []).some(
      (block) => blockText(block).trim() !== "",
    );

  /** Saves the draft as it is, so what comes next can be undone by restoring it. */
  const safetyVersion = async (label: string) => {
    const version = await api.saveVersion(token, programmeId, label);
    return { versionId: version.id, label };
  };

  const run = async (source: DraftSource, action: Action, saveFirst = false) => {
    setBusy({ chapter: source.chapter, action });
    setError(null);
    setOutcome(null);
    try {
      const undo = saveFirst
        ? await safetyVersion(t("rollup.safetyLabel", { number: source.seminarNumber }))
        : null;
      if (action === "ignore") await api.ignoreSource(token, programmeId, source.chapter);
      else await api.rollUp(token, programmeId, source.seminarId, action);
      const done = {
        replace: "rollup.doneReplace",
        append: "rollup.doneAppend",
        ignore: "rollup.doneIgnore",
      }[action];
      setOutcome({
        message: t(done, { number: source.seminarNumber, chapter: source.chapterTitle }),
        undo,
      });
    } catch (failure) {
      setError({ chapter: source.chapter, message: actionFailure(t, failure).message });
      throw failure;
    } finally {
      setBusy(null);
      sources.refresh();
    }
  };

  const undo = async (version: { versionId: string; label: string }) => {
    setOutcome(null);
    setError(null);
    try {
      await api.restoreVersion(token, programmeId, version.versionId);
      setOutcome({ message: t("rollup.undone", { label: version.label }), undo: null });
    } catch (failure) {
      setError({ chapter: "", message: actionFailure(t, failure).message });
    } finally {
      sources.refresh();
    }
  };

  const replace = (source: DraftSource) => {
    if (hasText(source.chapter)) setConfirming(source);
    else void run(source, "replace").catch(() => undefined);
  };

  const list = sources.list;
  const staleCount = list?.filter((source) => source.stale).length ?? 0;

  return (
    <section className="rollup" aria-labelledby="rollup-title">
      <h2 id="rollup-title" className="panel-heading">
        {t("rollup.heading")}
      </h2>
      <p className="muted">{t("rollup.intro")}</p>
      <div role="status" className="rollup-status">
        {outcome && (
          <div className="alert alert-success">
            <p>{outcome.message}</p>
            {outcome.undo && (
              <button
                type="button"
                className="btn btn-small"
                onClick={() => void undo(outcome.undo!)}
              >
                {t("rollup.undo")}
              </button>
            )}
          </div>
        )}
        {list && staleCount > 0 && (
          <p className="hint">{t("rollup.staleCount", { count: staleCount })}</p>
        )}
      </div>
      {error && error.chapter === "" && (
        <p className="alert alert-danger" role="alert">
          {error.message}
        </p>
      )}
      {list === null ? (
        sources.error ? (
          <div className="alert" role="alert">
            <p>{actionFailure(t, sources.error).message}</p>
            <button type="button" className="btn btn-small" onClick={sources.refresh}>
              {t("app.retry")}
            </button>
          </div>
        ) : (
          <p role="status">{t("rollup.loading")}</p>
        )
      ) : (
        <ol className="rollup-list">
          {list.map((source) => {
            const state =
              source.rolledUpAt === null ? "none" : source.stale ? "stale" : "rolled-up";
            const mine = busy?.chapter === source.chapter;
            const label = (key: string) =>
              t(key, { number: source.seminarNumber, title: source.seminarTitle });
            const button = (
              action: Action,
              text: string,
              aria: string,
              onClick: () => void,
              kind = "",
            ) => (
              <button
                type="button"
                className={`btn btn-small${kind}`}
                disabled={busy !== null}
                aria-label={aria}
                onClick={onClick}
              >
                {mine && busy?.action === action ? t("rollup.working") : text}
              </button>
            );
            return (
              <li
                key={source.chapter}
                className={`rollup-item state-${state}`}
                data-chapter={source.chapter}
                data-state={state}
                aria-labelledby={`rollup-${source.chapter}`}
              >
                <h3 id={`rollup-${source.chapter}`} className="rollup-title">
                  <span className="rollup-number" aria-hidden="true">
                    {source.seminarNumber}
                  </span>
                  <span>
                    <span className="visually-hidden">
                      {t("room.seminar", { number: source.seminarNumber })}:{" "}
                    </span>
                    {source.seminarTitle}
                  </span>
                </h3>
                <p className="rollup-chapter muted">
                  {t("rollup.chapter", { chapter: source.chapterTitle })}
                </p>
                <p className="rollup-state">
                  {source.rolledUpAt === null ? (
                    <span className="badge">{t("rollup.notYet")}</span>
                  ) : source.stale ? (
                    <>
                      <span className="badge badge-stale">
                        <span aria-hidden="true">⚠ </span>
                        {t("rollup.stale", { date: when(source.rolledUpAt) })}
                      </span>{" "}
                      {source.sourceChangedAt !== undefined && (
                        <span className="muted">
                          {t("rollup.changedAt", { date: when(source.sourceChangedAt) })}
                        </span>
                      )}
                    </>
                  ) : (
                    <span className="badge status-live">
                      {t(source.mode === "merge" ? "rollup.merged" : "rollup.rolledUp", {
                        date: when(source.rolledUpAt),
                        name: byName(source.by),
                      })}
                    </span>
                  )}
                </p>
                <div className="rollup-actions">
                  {source.stale ? (
                    <>
                      <button
                        type="button"
                        className="btn btn-small btn-primary"
                        disabled={busy !== null}
                        aria-label={label("rollup.viewLabel")}
                        onClick={() => setRedline(source)}
                      >
                        {t("rollup.view")}
                      </button>
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={busy !== null}
                        aria-label={label("rollup.mergeLabel")}
                        onClick={() => setMerging(source)}
                      >
                        {t("rollup.merge")}
                      </button>
                      {button(
                        "replace",
                        t("rollup.replaceStale"),
                        label("rollup.replaceStaleLabel"),
                        () => replace(source),
                      )}
                      {button(
                        "ignore",
                        t("rollup.ignore"),
                        label("rollup.ignoreLabel"),
                        () => void run(source, "ignore").catch(() => undefined),
                      )}
                    </>
                  ) : (
                    <>
                      {button(
                        "replace",
                        source.rolledUpAt === null ? t("rollup.rollUp") : t("rollup.rollUpAgain"),
                        label(
                          source.rolledUpAt === null
                            ? "rollup.rollUpLabel"
                            : "rollup.rollUpAgainLabel",
                        ),
                        () => replace(source),
                        source.rolledUpAt === null ? " btn-primary" : "",
                      )}
                      {button(
                        "append",
                        t("rollup.append"),
                        label("rollup.appendLabel"),
                        () => void run(source, "append").catch(() => undefined),
                      )}
                    </>
                  )}
                </div>
                {error?.chapter === source.chapter && (
                  <p className="field-error" role="alert">
                    {error.message}
                  </p>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {confirming && (
        <ConfirmDialog
          title={t("rollup.confirmTitle", { chapter: confirming.chapterTitle })}
          confirmLabel={t("rollup.confirmReplace")}
          busyLabel={t("rollup.working")}
          safety={t("rollup.safety")}
          onClose={() => setConfirming(null)}
          onConfirm={async (saveFirst) => {
            try {
              await run(confirming, "replace", saveFirst);
            } catch (failure) {
              throw actionFailure(t, failure);
            }
            setConfirming(null);
          }}
        >
          <p>
            {t("rollup.confirmBody", {
              chapter: confirming.chapterTitle,
              number: confirming.seminarNumber,
            })}
          </p>
          <p>{t("rollup.confirmUndo")}</p>
        </ConfirmDialog>
      )}
      {redline && (
        <SourceRedline
          token={token}
          programmeId={programmeId}
          source={redline}
          onClose={() => setRedline(null)}
        />
      )}
      {merging && (
        <MergeDialog
          token={token}
          programmeId={programmeId}
          source={merging}
          onClose={() => setMerging(null)}
          onMerged={(message, undoVersion) => {
            setMerging(null);
            setOutcome({ message, undo: undoVersion });
            sources.refresh();
          }}
          saveSafety={safetyVersion}
        />
      )}
    </section>
  );
}

/** What changed in the seminar since its roll-up: source-then against source-now. */
function SourceRedline({
  token,
  programmeId,
  source,
  onClose,
}: {
  token: string;
  programmeId: string;
  source: DraftSource;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { state: diff } = useAsync(
    () => api.sourceDiff(token, programmeId, source.chapter),
    [token, programmeId, source.chapter],
  );
  const state =
    diff.status === "ok"
      ? { status: "ok" as const, changes: diff.value.changes }
      : { status: diff.status };
  return (
    <RedlineDialog
      title={t("rollup.redlineTitle", { number: source.seminarNumber, title: source.seminarTitle })}
      description={t("rollup.redlineIntro", {
        date: formatDateTime(source.rolledUpAt ?? 0, i18n.language),
        name: source.by ? source.by : t("presence.anonymous"),
      })}
      state={state}
      onClose={onClose}
    />
  );
}
