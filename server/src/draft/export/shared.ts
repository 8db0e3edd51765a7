import { EXPORT_LABEL, type ExportSuggestion } from "../exportModel.ts";

/** What every rendering of the draft says the same way. */

/** The appendices after the chapters, in order (the contents list them). */
export const appendixTitles = [
  EXPORT_LABEL.annex,
  EXPORT_LABEL.participation,
  EXPORT_LABEL.suggestions,
  EXPORT_LABEL.reactions,
] as const;

/** A suggestion's details as label/value pairs, in the order a reader wants them. */
export function suggestionRows(suggestion: ExportSuggestion): [string, string][] {
  return [
    ["Testo originale", suggestion.originalText || "—"],
    ["Testo proposto", suggestion.proposedText || "—"],
    [
      "Proposta da",
      `${suggestion.author} · ${suggestion.support} a favore, ${suggestion.objections} contrari`,
    ],
    ["Esito", suggestion.decision || suggestion.statusLabel],
    ...(suggestion.reason ? ([["Motivazione", suggestion.reason]] as [string, string][]) : []),
  ];
}
