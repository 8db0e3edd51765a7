import { plural } from "@percorso/schema";
import { EXPORT_LABEL, type DraftExport, type ExportSuggestion } from "../exportModel.ts";

/** What every rendering of the draft says the same way. */

/** The appendices after the chapters, in order (the contents list them). */
export const appendixTitles = [
  EXPORT_LABEL.annex,
  EXPORT_LABEL.participation,
  EXPORT_LABEL.suggestions,
  EXPORT_LABEL.reactions,
] as const;

/** The heading and header of the reactions' totals by kind of actor, under Annex D. */
export const BY_KIND_TITLE = "Per tipo di attore";
export const BY_KIND_HEADER = [
  "Sezione",
  "Tipo di attore",
  EXPORT_LABEL.agree,
  EXPORT_LABEL.disagree,
  EXPORT_LABEL.abstain,
] as const;

/** One row per section and kind of actor that reacted; none when no kind is known. */
export function reactionsByKindRows(
  model: DraftExport,
): [string, string, string, string, string][] {
  return model.reactions.flatMap((section) =>
    section.byKind.map(
      (kind) =>
        [section.title, kind.label, `${kind.agree}`, `${kind.disagree}`, `${kind.abstain}`] as [
          string,
          string,
          string,
          string,
          string,
        ],
    ),
  );
}

/** A suggestion's details as label/value pairs, in the order a reader wants them. */
export function suggestionRows(suggestion: ExportSuggestion): [string, string][] {
  return [
    ["Testo originale", suggestion.originalText || "—"],
    ["Testo proposto", suggestion.proposedText || "—"],
    [
      "Proposta da",
      `${suggestion.author} · ${suggestion.support} a favore, ${plural(suggestion.objections, "contrario", "contrari")}`,
    ],
    ["Esito", suggestion.decision || suggestion.statusLabel],
    ...(suggestion.reason ? ([["Motivazione", suggestion.reason]] as [string, string][]) : []),
  ];
}
