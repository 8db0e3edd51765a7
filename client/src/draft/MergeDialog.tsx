import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import * as Dialog from "@radix-ui/react-dialog";
import { ApiError, api, type DraftSource, type MergePreview, type Resolution } from "../lib/api.ts";
import { actionFailure } from "./errors.ts";

/**
 * The three-way merge of a changed seminar into its chapter (issue 9): the source's change since
 * the roll-up applied onto the chapter as the drafting team left it. What applies cleanly is
 * listed as going in; each conflict shows the draft's version beside the seminar's, to choose
 * from (or keep both). The server refuses the merge if either side changed since this preview:
 * the preview is then fetched again and the drafter told so.
 */
export function MergeDialog({
  token,
  programmeId,
  source,
  onClose,
  onMerged,
  saveSafety,
}: {
  token: string;
  programmeId: string;
  source: DraftSource;
  onClose: () => void;
  onMerged: (message: string, undo: { versionId: string; label: string } | null) => void;
  saveSafety: (label: string) => Promise<{ versionId: string; label: string }>;
}) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<MergePreview | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [choices, setChoices] = useState<(Resolution | null)[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [changed, setChanged] = useState(false);
  const [saveFirst, setSaveFirst] = useState(true);
  const [missing, setMissing] = useState(false);
  const ids = { safety: useId(), intro: useId() };
  const firstConflict = useRef<HTMLFieldSetElement>(null);

  useEffect(() => {
    let live = true;
    setLoadError(null);
    api.mergePreview(token, programmeId, source.chapter).then(
      (next) => {
        if (!live) return;
        setPreview(next);
        setChoices(Array.from({ length: next.conflicts }, () => null));
      },
      (failure: unknown) => live && setLoadError(actionFailure(t, failure).message),
    );
    return () => {
      live = false;
    };
  }, [token, programmeId, source.chapter, attempt, t]);

  const apply = async () => {
    if (!preview) return;
    if (choices.some((choice) => choice === null)) {
      setMissing(true);
      firstConflict.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const undo = saveFirst
        ? await saveSafety(t("merge.safetyLabel", { number: source.seminarNumber }))
        : null;
      await api.merge(token, programmeId, source.chapter, {
        token: preview.token,
        resolutions: choices as Resolution[],
      });
      onMerged(t("merge.done", { chapter: source.chapterTitle }), undo);
    } catch (failure) {
      setBusy(false);
      if (failure instanceof ApiError && failure.status === 409) {
        // Either side changed since the preview: show the new one, ask again.
        setChanged(true);
        setPreview(null);
        setAttempt((n) => n + 1);
      } else {
        setError(actionFailure(t, failure).message);
      }
    }
  };

  let conflictIndex = -1;
  return (
    <Dialog.Root open onOpenChange={(open) => !open && !busy && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog dialog-wide merge-dialog" aria-describedby={ids.intro}>
          <Dialog.Title>
            {t("merge.title", { number: source.seminarNumber, chapter: source.chapterTitle })}
          </Dialog.Title>
          <p id={ids.intro} className="muted">
            {t("merge.intro")}
          </p>
          {changed && (
            <p className="alert alert-warning" role="alert">
              {t("merge.changed")}
            </p>
          )}
          {loadError ? (
            <div className="alert" role="alert">
              <p>{loadError}</p>
              <button type="button" className="btn" onClick={() => setAttempt((n) => n + 1)}>
                {t("app.retry")}
              </button>
            </div>
          ) : preview === null ? (
            <p role="status">{t("merge.loading")}</p>
          ) : (
            <>
              <p className="merge-summary" role="status">
                {preview.conflicts === 0
                  ? t("merge.clean")
                  : t("merge.conflicts", { count: preview.conflicts })}
              </p>
              <div className="merge-regions">
                {preview.regions.map((region, index) => {
                  if (region.kind === "ok") {
                    if (region.blocks.every((block) => block.trim() === "")) return null;
                    return (
                      <section key={index} className="merge-ok" aria-label={t("merge.okLabel")}>
                        <h3 className="small-heading">{t("merge.ok")}</h3>
                        {region.blocks.map((block, i) => (
                          <p key={i}>{block}</p>
                        ))}
                      </section>
                    );
                  }
                  conflictIndex += 1;
                  const n = conflictIndex;
                  const unresolved = missing && choices[n] === null;
                  return (
                    <fieldset
                      key={index}
                      ref={n === 0 ? firstConflict : undefined}
                      tabIndex={-1}
                      className={`merge-conflict${unresolved ? " unresolved" : ""}`}
                      aria-invalid={unresolved || undefined}
                    >
                      <legend>{t("merge.conflict", { n: n + 1, count: preview.conflicts })}</legend>
                      <div className="merge-sides">
                        <div className="merge-side side-ours">
                          <h4>{t("merge.ours")}</h4>
                          {region.ours.length === 0 ? (
                            <p className="empty">{t("merge.removedHere")}</p>
                          ) : (
                            region.ours.map((block, i) => <p key={i}>{block}</p>)
                          )}
                        </div>
                        <div className="merge-side side-theirs">
                          <h4>{t("merge.theirs")}</h4>
                          {region.theirs.length === 0 ? (
                            <p className="empty">{t("merge.removedHere")}</p>
                          ) : (
                            region.theirs.map((block, i) => <p key={i}>{block}</p>)
                          )}
                        </div>
                      </div>
                      {region.base.length > 0 && (
                        <details className="merge-base">
                          <summary>{t("merge.base")}</summary>
                          {region.base.map((block, i) => (
                            <p key={i}>{block}</p>
                          ))}
                        </details>
                      )}
                      <div className="segmented merge-choice">
                        {(["ours", "theirs", "both"] as const).map((choice) => (
                          <label
                            key={choice}
                            className={`chip${choices[n] === choice ? " active" : ""}`}
                          >
                            <input
                              type="radio"
                              name={`conflict-${n}`}
                              value={choice}
                              checked={choices[n] === choice}
                              onChange={() =>
                                setChoices((all) => all.map((c, i) => (i === n ? choice : c)))
                              }
                            />
                            {t(`merge.choose.${choice}`)}
                          </label>
                        ))}
                      </div>
                      {unresolved && (
                        <p className="field-error" role="alert">
                          {t("merge.chooseOne")}
                        </p>
                      )}
                    </fieldset>
                  );
                })}
              </div>
              <div className="field checkbox">
                <input
                  type="checkbox"
                  id={ids.safety}
                  checked={saveFirst}
                  onChange={(e) => setSaveFirst(e.target.checked)}
                />
                <label htmlFor={ids.safety}>{t("rollup.safety")}</label>
              </div>
            </>
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="form-row end">
            <Dialog.Close className="btn" disabled={busy}>
              {t("materials.cancel")}
            </Dialog.Close>
            <button
              type="button"
              className="btn btn-primary"
              disabled={busy || preview === null}
              onClick={() => void apply()}
            >
              {busy ? t("merge.applying") : t("merge.apply")}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
