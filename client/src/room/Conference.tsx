import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ProgrammeDescription } from "../lib/api.ts";
import { formatDate } from "../i18n.ts";

/** Phase 4: where the recommendations go next, and the way into the conference on the draft. */
export function Conference({ programme }: { programme: ProgrammeDescription }) {
  const { t, i18n } = useTranslation();
  const phase = programme.phases.find((p) => p.number === 4);
  const base = `/programmi/${encodeURIComponent(programme.id)}`;
  return (
    <section aria-labelledby="conference-title">
      <h2 id="conference-title">{t("conference.heading")}</h2>
      {phase && <p>{phase.description}</p>}
      <p>{t("conference.body")}</p>
      <p className="card">
        {t("conference.when", {
          title: programme.conference.title,
          date: formatDate(programme.conference.date, i18n.language),
        })}
      </p>
      <p>{t("plenary.room.intro")}</p>
      <p className="form-row">
        <Link className="btn btn-primary" to={`${base}/conferenza`}>
          {t("plenary.room.open")}
        </Link>
        <Link className="btn" to={`${base}/esito`}>
          {t("plenary.room.outcomes")}
        </Link>
      </p>
    </section>
  );
}
