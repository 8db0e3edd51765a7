/** snowball-stemmers ships plain JavaScript: the part of its API the server uses. */
declare module "snowball-stemmers" {
  export function newStemmer(language: string): { stem(word: string): string };
  export function algorithms(): string[];
}

/** stopwords-iso ships a JSON file only: one list of stop words per ISO 639-1 language. */
declare module "stopwords-iso/stopwords-iso.json" {
  export const it: readonly string[];
  export const en: readonly string[];
}
