/** stopwords-iso ships a JSON file only: one list of stop words per ISO 639-1 language. */
declare module "stopwords-iso/stopwords-iso.json" {
  export const it: readonly string[];
  export const en: readonly string[];
}
