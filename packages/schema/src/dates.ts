/**
 * Dates as an Italian document writes them ("25 novembre 2021", "marzo – novembre 2021"),
 * for the exports. Moments (epoch ms) are told in Florence's time zone, wherever the server
 * runs; calendar dates (`YYYY-MM-DD`, `YYYY-MM`) are taken as they are written.
 */

export const ITALIAN_MONTHS = [
  "gennaio",
  "febbraio",
  "marzo",
  "aprile",
  "maggio",
  "giugno",
  "luglio",
  "agosto",
  "settembre",
  "ottobre",
  "novembre",
  "dicembre",
] as const;

const ROME = "Europe/Rome";

/** The calendar parts of a date: epoch ms in Florence's time zone, or `YYYY-MM[-DD]`. */
function parts(date: number | string): { year: number; month: number; day?: number } | null {
  if (typeof date === "number") {
    if (!Number.isFinite(date)) return null;
    const fields = new Intl.DateTimeFormat("en-CA", {
      timeZone: ROME,
      year: "numeric",
      month: "numeric",
      day: "numeric",
    }).formatToParts(new Date(date));
    const get = (type: string) => Number(fields.find((part) => part.type === type)?.value);
    return { year: get("year"), month: get("month"), day: get("day") };
  }
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(date.trim());
  if (match === null) return null;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return {
    year: Number(match[1]),
    month,
    ...(match[3] === undefined ? {} : { day: Number(match[3]) }),
  };
}

/** "25 novembre 2021" ("1º" for the first of the month, as Italian writes it); unparseable text is returned as is. */
export function italianDate(date: number | string): string {
  const found = parts(date);
  if (found === null) return String(date);
  const month = ITALIAN_MONTHS[found.month - 1];
  if (found.day === undefined) return `${month} ${found.year}`;
  return `${found.day === 1 ? "1º" : found.day} ${month} ${found.year}`;
}

/** "25 novembre 2021, 14:05" for a moment (epoch ms), in Florence's time zone. */
export function italianDateTime(at: number): string {
  const time = new Intl.DateTimeFormat("it-IT", {
    timeZone: ROME,
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(at));
  return `${italianDate(at)}, ${time}`;
}

/** A span of months: "marzo – novembre 2021", or "dicembre 2021 – marzo 2022" across years. */
export function italianPeriod(period: { start: string; end: string }): string {
  const start = parts(period.start);
  const end = parts(period.end);
  if (start === null || end === null) return `${period.start} – ${period.end}`;
  const name = (p: { month: number }) => ITALIAN_MONTHS[p.month - 1];
  if (start.year === end.year && start.month === end.month) return `${name(start)} ${start.year}`;
  return start.year === end.year
    ? `${name(start)} – ${name(end)} ${end.year}`
    : `${name(start)} ${start.year} – ${name(end)} ${end.year}`;
}

/** The article (or article and preposition) before a date: "il", "del", "al"; "nel" is not used. */
export type DateArticle = "il" | "del" | "al";

const ELIDED: Record<DateArticle, string> = { il: "l'", del: "dell'", al: "all'" };

/**
 * A written date with its article, as Italian elides it before the days that start with a
 * vowel sound — otto and undici: "l'8 dicembre", "dell'11 marzo", "all'8/12/2026" — and keeps it
 * elsewhere: "il 1º maggio", "del 25 novembre". Works on any text that starts with the day
 * (Intl's "8 dicembre 2026, 10:02", "8/12/2026"), so the web app and the exports say it alike.
 */
export function withDateArticle(text: string, article: DateArticle = "il"): string {
  const day = /^(\d{1,2})(?!\d)/.exec(text.trim())?.[1];
  const elided = day === "8" || day === "11";
  return elided ? `${ELIDED[article]}${text.trim()}` : `${article} ${text.trim()}`;
}

/** `italianDate` with its article: "l'8 dicembre 2026", "del 1º maggio 2021". */
export function italianDateWithArticle(date: number | string, article: DateArticle = "il"): string {
  return withDateArticle(italianDate(date), article);
}
