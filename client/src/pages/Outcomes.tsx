import { useEffect, useId, useMemo, useState, type ReactNode } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { SUGGESTION_STATUSES, type Suggestion, type SuggestionStatus } from "@percorso/schema";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { DraftGate, type DraftView } from "../conference/DraftGate.tsx";
import type { ResolvedPassage } from "../conference/passages.ts";
import { SuggestionCard } from "../conference/Suggestions.tsx";
import { RedlineLegend } from "../draft/Redline.tsx";
import { usePlenary } from "../conference/usePlenary.ts";
import { api, ApiError, type ProgrammeDescription } from "../lib/api.ts";
import { loadDraftIdentity } from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { LoadError, Notice } from "./NotFound.tsx";
import "../conference/conference.css";

type Filter = SuggestionStatus | "all";

/** How often the public page asks again: outcomes change at the pace of a plenary's decisions. */
const PUBLIC_REFRESH_MS = 15_000;

/**
 * `/programmi/:programmeId/esito`: "Esito delle proposte" — every suggestion made on the draft,
 * by section: what it proposed against what the text said, its support and objections, and what
 * became of it and why (accepted, rejected, withdrawn, still open). Public (issue 22): a visitor
 * with no invite reads it from the public REST routes, refreshed; someone of the programme on
 * this device (or with a link in the URL) reads it live from the draft.
 */
export function Outcomes() {
  const { t } = useTranslation();
  const { programmeId = "" } = useParams();
  const [params] = useSearchParams();
  const live = params.has("token") || loadDraftIdentity(programmeId) !== null;
  if (!live) return <PublicOutcomes programmeId={programmeId} />;
  return (
    <DraftGate pageName={t("plenary.readerName")}>{(view) => <LiveOutcomes {...view} />}</DraftGate>
  );
}

function LiveOutcomes({ session, programme }: DraftView) {
  const { t } = useTranslation();
  const state = usePlenary(session.doc);
  const sections = useMemo(
    () =>
      state.outline.sections.filter((s) => !s.duplicate).map(({ key, title }) => ({ key, title })),
    [state.outline],
  );
  return (
    <OutcomesBody
      programme={programme}
      suggestions={state.suggestions}
      sections={sections}
      passages={state.passages}
      links={
        <Link to={`/programmi/${encodeURIComponent(programme.id)}/conferenza`}>
          {t("plenary.outcomes.toConference")}
        </Link>
      }
      badge={<ConnectionBadge session={session} />}
    />
  );
}

/** The outcomes for anyone: the public routes, asked again every little while. */
function PublicOutcomes({ programmeId }: { programmeId: string }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), PUBLIC_REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const { state: programme, reload } = useAsync(() => api.programme(programmeId), [programmeId]);
  const { state: outcomes } = useAsync(async () => {
    const [rows, sections] = await Promise.all([
      api.outcomes(programmeId),
      api.draftSections(programmeId),
    ]);
    // The public rows carry no author id, anchor or signals: the card needs none of them.
    const suggestions: Suggestion[] = rows.map((row) => ({
      ...row,
      authorId: "",
      anchor: null,
      head: null,
      signals: new Map(),
    }));
    return { suggestions, sections };
  }, [programmeId, tick]);
  const [last, setLast] = useState<{
    suggestions: Suggestion[];
    sections: { key: string; title: string }[];
  } | null>(null);
  useEffect(() => {
    if (outcomes.status === "ok") setLast(outcomes.value);
  }, [outcomes]);

  if (programme.status === "error") {
    return programme.error instanceof ApiError && programme.error.status === 404 ? (
      <Notice title={t("plenary.notFound")} body={t("notFound.body")} />
    ) : (
      <LoadError retry={reload} />
    );
  }
  if (programme.status === "loading" || last === null) {
    if (outcomes.status === "error" && last === null) return <LoadError retry={reload} />;
    return <p role="status">{t("app.loading")}</p>;
  }
  return (
    <OutcomesBody
      programme={programme.value}
      suggestions={last.suggestions}
      sections={last.sections}
      passages={new Map()}
      links={
        <Link to={`/?programma=${encodeURIComponent(programme.value.id)}`}>
          {t("plenary.outcomes.toProgramme")}
        </Link>
      }
    />
  );
}

function OutcomesBody({
  programme,
  suggestions: all,
  sections,
  passages,
  links,
  badge,
}: {
  programme: ProgrammeDescription;
  suggestions: Suggestion[];
  /** The draft's chapters in order (a chapter's later duplicates left out). */
  sections: { key: string; title: string }[];
  passages: ReadonlyMap<string, ResolvedPassage>;
  links: ReactNode;
  badge?: ReactNode;
}) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<Filter>("all");
  const filterId = useId();
  const count = (status: SuggestionStatus) => all.filter((s) => s.status === status).length;
  const titles = new Map<string, string>();
  for (const section of sections)
    if (!titles.has(section.key)) titles.set(section.key, section.title);
  // Sections in the draft's order; suggestions on a section no longer in the draft come last.
  const order = [
    ...titles.keys(),
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
            {programme.title} · {links}
          </p>
        </div>
        {badge}
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
                        passage={passages.get(suggestion.id)}
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
