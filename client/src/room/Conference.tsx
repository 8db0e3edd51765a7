import { useTranslation } from "react-i18next";
import type { ProgrammeDescription } from "../lib/api.ts";
import { formatDate } from "../i18n.ts";

/** Phase 4: where the recommendations go next. */
export function Conference({ programme }: { programme: ProgrammeDescription }) {
  const { t, i18n } = useTranslation();
  const phase = programme.phases.find((p) => p.number === 4);
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
    </section>
  );
}
