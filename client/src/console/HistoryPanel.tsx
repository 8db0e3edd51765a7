import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { isRole, type Role } from "@percorso/schema";
import { ApiError, api, type HistoryEntry } from "../lib/api.ts";
import { useAsync } from "../lib/useAsync.ts";
import {
  groupHistory,
  mergeEntries,
  peopleOf,
  type HistoryRun,
  type PersonKey,
} from "../lib/history.ts";
import { RestoreDialog } from "./RestoreDialog.tsx";

/** Entries asked for per page: the newest ones, then older ones on request. */
const PAGE = 500;

/**
 * Cronologia: who changed the seminar's document and when (DESIGN.md §4.1), the attributed log
 * grouped into runs, filterable by person; an admin may restore the document to the end of a
 * run, after a preview and a confirmation. Facilitators see anonymous items as "anonimo".
 */
export function HistoryPanel({
  token,
  documentName,
  role,
  current,
  intro,
}: {
  token: string;
  documentName: string;
  role: Role;
  /**
   * What the live seminar holds now, to compare with a restore's preview; without it (the
   * draft, whose versions restore it) no restore is offered here.
   */
  current?: { questions: number; answers: number };
  /** What the history is of, said above it (the seminar's by default). */
  intro?: string;
}) {
  const { t, i18n } = useTranslation();
  const [older, setOlder] = useState<HistoryEntry[]>([]);
  const [olderState, setOlderState] = useState<"idle" | "loading" | "error" | "done">("idle");
  const { state, reload } = useAsync(
    () => api.history(token, documentName, { limit: PAGE }),
    [token, documentName],
  );
  const [filter, setFilter] = useState<PersonKey | "">("");
  const [restoring, setRestoring] = useState<HistoryRun | null>(null);
  const [restored, setRestored] = useState<number | null>(null);
  const filterId = useId();
  const locale = i18n.language === "en" ? "en-GB" : "it-IT";

  const entries = useMemo(
    () => (state.status === "ok" ? mergeEntries(state.value, older) : []),
    [state, older],
  );
  const people = useMemo(() => peopleOf(entries), [entries]);
  const runs = useMemo(() => {
    const all = groupHistory(entries);
    return (filter === "" ? all : all.filter((run) => run.person === filter)).reverse();
  }, [entries, filter]);
  const newestSeq = entries.at(-1)?.seq ?? null;

  const nameOf = (who: { userId: string | null; name: string; anonymous: boolean }) =>
    who.userId === "system"
      ? t("history.system")
      : who.name
        ? who.name
        : who.anonymous
          ? t("presence.anonymous")
          : t("history.unknownPerson");

  const time = (at: number, withDate: boolean) =>
    new Date(at).toLocaleString(locale, {
      ...(withDate ? { day: "numeric", month: "short" } : {}),
      hour: "2-digit",
      minute: "2-digit",
    });
  const span = (run: HistoryRun) => {
    if (run.to === 0) return t("history.beforeHistory");
    const otherDay = new Date(run.from).toDateString() !== new Date().toDateString();
    const start = time(run.from, otherDay);
    const end = time(run.to, false);
    return start.endsWith(end) ? start : `${start}–${end}`;
  };

  const loadOlder = async () => {
    const oldest = entries[0];
    if (!oldest) return;
    setOlderState("loading");
    try {
      const page = await api.history(token, documentName, { to: oldest.at, limit: PAGE });
      const merged = mergeEntries(older, page);
      setOlder(merged);
      const known = new Set(entries.map((entry) => entry.seq));
      const fresh = page.filter((entry) => !known.has(entry.seq)).length;
      setOlderState(page.length < PAGE || fresh === 0 ? "done" : "idle");
    } catch {
      setOlderState("error");
    }
  };

  const refresh = () => {
    setRestored(null);
    reload();
  };

  return (
    <section className="card console-panel history" aria-labelledby="history-title">
      <div className="section-head">
        <h2 id="history-title">{t("history.heading")}</h2>
        <button type="button" className="btn btn-small" onClick={refresh}>
          {t("history.refresh")}
        </button>
      </div>
      <p className="muted">
        {intro ?? (role === "admin" ? t("history.introAdmin") : t("history.intro"))}
      </p>
      {restored !== null && (
        <p className="alert alert-success" role="status">
          {t("history.restored", { time: time(restored, true) })}
        </p>
      )}
      {state.status === "loading" ? (
        <p role="status">{t("history.loading")}</p>
      ) : state.status === "error" ? (
        <div className="alert" role="alert">
          <p>
            {state.error instanceof ApiError && state.error.status === 403
              ? t("history.forbidden")
              : t("history.error")}
          </p>
          <button type="button" className="btn" onClick={reload}>
            {t("app.retry")}
          </button>
        </div>
      ) : entries.length === 0 ? (
        <p className="empty">{t("history.empty")}</p>
      ) : (
        <>
          <div className="field inline">
            <label htmlFor={filterId}>{t("history.filter")}</label>
            <select id={filterId} value={filter} onChange={(e) => setFilter(e.target.value)}>
              <option value="">{t("history.everyone")}</option>
              {people.map((person) => (
                <option key={person.person} value={person.person}>
                  {nameOf(person)}
                </option>
              ))}
            </select>
          </div>
          {runs.length === 0 ? (
            <p className="empty">{t("history.emptyFiltered")}</p>
          ) : (
            <ol className="history-runs">
              {runs.map((run) => (
                <li key={run.id} className="history-run" data-person={run.person}>
                  <p className="history-line">
                    <strong>{nameOf(run)}</strong>
                    {isRole(run.role) && <span className="muted"> ({t(`roles.${run.role}`)})</span>}
                    {" · "}
                    {t("history.changes", { count: run.count })}
                    {" · "}
                    <span className="history-time">{span(run)}</span>
                  </p>
                  {current && role === "admin" && run.lastSeq !== newestSeq && run.to !== 0 && (
                    <button
                      type="button"
                      className="btn btn-small"
                      aria-label={t("history.restoreLabel", {
                        name: nameOf(run),
                        time: span(run),
                      })}
                      onClick={() => setRestoring(run)}
                    >
                      {t("history.restore")}
                    </button>
                  )}
                </li>
              ))}
            </ol>
          )}
          {state.value.length >= PAGE && olderState !== "done" && (
            <p>
              <button
                type="button"
                className="btn btn-small"
                disabled={olderState === "loading"}
                onClick={() => void loadOlder()}
              >
                {olderState === "loading" ? t("history.loading") : t("history.older")}
              </button>
              {olderState === "error" && (
                <span className="field-error" role="alert">
                  {" "}
                  {t("history.error")}
                </span>
              )}
            </p>
          )}
        </>
      )}
      {restoring && current && (
        <RestoreDialog
          token={token}
          documentName={documentName}
          at={restoring.to}
          label={`${nameOf(restoring)} · ${span(restoring)}`}
          current={current}
          onClose={() => setRestoring(null)}
          onRestored={(at) => {
            setRestoring(null);
            setRestored(at);
            reload();
          }}
        />
      )}
    </section>
  );
}
