const LABEL_LENGTH = 80;

/**
 * The label a citation of an answer shows inside the recommendation text: the answer on one
 * line, cut at a word-ish boundary with an ellipsis, followed by its author when signed.
 */
export function citationLabel(text: string, author: string | null): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const short = flat.length > LABEL_LENGTH ? `${flat.slice(0, LABEL_LENGTH - 1).trimEnd()}…` : flat;
  return author ? `${short} (${author})` : short;
}
