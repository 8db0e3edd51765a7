import { useId, useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { SUGGESTION_STATUSES, type SuggestionStatus } from "@percorso/schema";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { DraftGate, type DraftView } from "../conference/DraftGate.tsx";
import { SuggestionCard } from "../conference/Suggestions.tsx";
import { RedlineLegend } from "../draft/Redline.tsx";
import { usePlenary } from "../conference/usePlenary.ts";
import "../conference/conference.css";

type Filter = SuggestionStatus | "all";

/**
 * `/programmi/:programmeId/esito`: "Esito delle proposte" — every suggestion made on the draft,
 * by section: what it proposed against what the text said, its support and objections, and what
 * became of it and why (accepted, rejected, withdrawn, still open), live.
 */
export function Outcomes() {
  const { t } = useTranslation();
  return (
    <DraftGate pageName={t("plenary.readerName")}>{(view) => <OutcomesBody {...view} />}</DraftGate>
  );
}

function OutcomesBody({ session, programme }: DraftView) {
  const { t } = useTranslation();
  const state = usePlenary(session.doc);
  const [filter, setFilter] = useState<Filter>("all");
  const filterId = useId();
  const all = state.suggestions;
  const count = (status: SuggestionStatus) => all.filter((s) => s.status === status).length;
  const titles = new Map(state.outline.sections.map((s) => [s.key, s.title]));
  // Sections in the draft's order; suggestions on a section no longer in the draft come last.
  const order = [
    ...state.outline.sections.filter((s) => !s.duplicate).map((s) => s.key),
    ...new Set(all.map((s) => s.section).filter((key) => !titles.has(key))),
  ];
  const shown = all.filter((s) => filter === "all" || s.status === filter);
  const ORDER: SuggestionStatus[] = ["accepted", "rejected", "open", "withdrawn"];

  return (
    <div className="outcomes">
      <header className="conf-head">
        <div>
          <p className="eyebrow">{programme.conference.title}</p>
          <h1>{t("plenary.outcomes.heading")}</h1>
          <p className="muted conf-links">
            {programme.title} ·{" "}
            <Link to={`/programmi/${encodeURIComponent(programme.id)}/conferenza`}>
              {t("plenary.outcomes.toConference")}
            </Link>
          </p>
        </div>
        <ConnectionBadge session={session} />
      </header>
      <p className="lead">{t("plenary.outcomes.intro")}</p>
      <dl className="stat-tiles outcome-tiles">
        <div>
          <dt>{t("plenary.outcomes.total")}</dt>
          <dd>{all.length}</dd>
        </div>
        {ORDER.map((status) => (
          <div key={status} className={`tile-${status}`}>
            <dt>{t(`plenary.outcomes.count.${status}`)}</dt>
            <dd data-count={status}>{count(status)}</dd>
          </div>
        ))}
      </dl>
      <fieldset className="segmented outcome-filter" aria-describedby={filterId}>
        <legend>{t("plenary.outcomes.filter")}</legend>
        {(["all", ...SUGGESTION_STATUSES] as const).map((value) => (
          <label key={value} className={`chip${filter === value ? " active" : ""}`}>
            <input
              type="radio"
              name="outcome-filter"
              checked={filter === value}
              onChange={() => setFilter(value)}
            />
            {value === "all" ? t("plenary.outcomes.all") : t(`plenary.outcomes.count.${value}`)}
          </label>
        ))}
      </fieldset>
      <p id={filterId} className="hint" role="status">
        {t("plenary.outcomes.showing", { count: shown.length })}
      </p>
      {all.length === 0 ? (
        <p className="empty">{t("plenary.outcomes.none")}</p>
      ) : (
        <>
          <RedlineLegend className="conf-legend" />
          {order.map((key) => {
            const items = shown
              .filter((s) => s.section === key)
              .sort(
                (a, b) =>
                  ORDER.indexOf(a.status) - ORDER.indexOf(b.status) ||
                  b.support - a.support ||
                  a.createdAt - b.createdAt,
              );
            if (items.length === 0) return null;
            return (
              <section key={key} className="outcome-section" aria-labelledby={`esito-${key}`}>
                <h2 id={`esito-${key}`}>
                  {titles.get(key) ?? t("plenary.outcomes.removedSection")}
                </h2>
                <ol className="conf-items">
                  {items.map((suggestion) => (
                    <li key={suggestion.id}>
                      <SuggestionCard
                        suggestion={suggestion}
                        passage={state.passages.get(suggestion.id)}
                      />
                    </li>
                  ))}
                </ol>
              </section>
            );
          })}
        </>
      )}
    </div>
  );
}
