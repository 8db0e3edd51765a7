/**
 * A count with its noun, singular or plural as Italian asks ("1 contrario", "0 contrari",
 * "3 astenuti"): the one plural helper of the reports and exports, so no line says
 * "1 contrari". Italian's plural rule, from the platform (the web app's i18next uses the
 * same rules through `_one`/`_other` keys).
 */
export function plural(count: number, one: string, other: string): string {
  return `${count} ${new Intl.PluralRules("it-IT").select(count) === "one" ? one : other}`;
}

const ONE_LEVEL_DOWN: Record<string, string> = { "«": "“", "»": "”", "“": "‘", "”": "’" };

/**
 * Quotation marks inside a quoted text taken one level down (« » → “ ”, “ ” → ‘ ’), as
 * Italian nests them: a version named «Prima del ripristino di «Bozza 1»» reads
 * «Prima del ripristino di “Bozza 1”».
 */
export function innerQuotes(text: string): string {
  return text.replace(/[«»“”]/g, (mark) => ONE_LEVEL_DOWN[mark] ?? mark);
}

/** A name in «…», quotes inside it one level down. */
export function quoted(text: string): string {
  return `«${innerQuotes(text)}»`;
}
