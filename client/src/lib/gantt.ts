import { monthsBetween, type TimelineActivity } from "@percorso/schema";

/** The timeline laid out as a grid: one column per month, one bar per activity. */
export interface GanttBar {
  activity: TimelineActivity;
  /** Zero-based column of the first month, and how many months the bar spans. */
  column: number;
  span: number;
}

export interface GanttLayout {
  months: string[];
  bars: GanttBar[];
}

export function layoutGantt(
  period: { start: string; end: string },
  activities: readonly TimelineActivity[],
): GanttLayout {
  const months = monthsBetween(period.start, period.end);
  const bars: GanttBar[] = [];
  for (const activity of activities) {
    const start = Math.max(0, months.indexOf(activity.start));
    const endIndex = months.indexOf(activity.end);
    const end = endIndex < 0 ? months.length - 1 : endIndex;
    if (activity.start > period.end || activity.end < period.start) continue;
    bars.push({ activity, column: start, span: Math.max(1, end - start + 1) });
  }
  return { months, bars };
}
