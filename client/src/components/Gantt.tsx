import { useTranslation } from "react-i18next";
import type { TimelineActivity } from "@percorso/schema";
import { formatMonth } from "../i18n.ts";
import { layoutGantt } from "../lib/gantt.ts";

/**
 * The "cronogramma" as a Gantt chart by month. A real table, so screen readers read each
 * activity with its months; the bars are coloured cells spanning them.
 */
export function Gantt({
  period,
  activities,
}: {
  period: { start: string; end: string };
  activities: readonly TimelineActivity[];
}) {
  const { t, i18n } = useTranslation();
  const { months, bars } = layoutGantt(period, activities);
  return (
    <div className="gantt-scroll" tabIndex={0} aria-labelledby="gantt-caption">
      <table className="gantt">
        <caption id="gantt-caption">
          {t("overview.timelineCaption", {
            start: formatMonth(period.start, i18n.language),
            end: formatMonth(period.end, i18n.language),
          })}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("overview.activity")}</th>
            {months.map((month) => (
              <th scope="col" key={month} abbr={formatMonth(month, i18n.language)}>
                {formatMonth(month, i18n.language, "short")}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {bars.map(({ activity, column, span }) => (
            <tr key={activity.id}>
              <th scope="row">{activity.label}</th>
              {column > 0 && <td colSpan={column} />}
              <td colSpan={span} className="gantt-cell">
                <span className={`gantt-bar phase-${activity.phase ?? 0}`}>
                  <span className="visually-hidden">
                    {formatMonth(activity.start, i18n.language)} –{" "}
                    {formatMonth(activity.end, i18n.language)}
                  </span>
                </span>
              </td>
              {months.length - column - span > 0 && <td colSpan={months.length - column - span} />}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
