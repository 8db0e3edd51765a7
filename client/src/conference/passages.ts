import * as Y from "yjs";
import { textOf } from "@percorso/schema";

/**
 * Passages of the draft as comments and suggestions hold them (DESIGN.md §5): a stretch of one
 * text run (one Y.XmlText, a paragraph's text between citations) between two Yjs relative
 * positions, encoded and in base64 as the server decodes them. Relative positions follow their
 * characters, so a comment stays on its words while the drafting team edits around them.
 */

export interface Passage {
  text: Y.XmlText;
  from: number;
  to: number;
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A relative position as a comment or suggestion holds it. */
export function decodePosition(encoded: string): Y.RelativePosition | null {
  try {
    return Y.decodeRelativePosition(fromBase64(encoded));
  } catch {
    return null;
  }
}

/**
 * The anchor and head of a passage: the anchor sticks to its first character and the head to
 * its last, so text typed just before or just after the passage stays outside it.
 */
export function encodePassage(passage: Passage): { anchor: string; head: string } {
  const anchor = Y.createRelativePositionFromTypeIndex(passage.text, passage.from, 0);
  const head = Y.createRelativePositionFromTypeIndex(passage.text, passage.to, -1);
  return {
    anchor: toBase64(Y.encodeRelativePosition(anchor)),
    head: toBase64(Y.encodeRelativePosition(head)),
  };
}

export type ResolvedPassage =
  | ({ status: "ok"; current: string } & Passage)
  /** Its words were deleted, or it no longer lies within one run of the text. */
  | { status: "deleted" }
  /** The document does not hold the positions' characters yet (still syncing). */
  | { status: "pending" };

/** Whether a text run is still part of `body` (neither it nor an ancestor deleted). */
function isInBody(text: Y.XmlText, body: Y.XmlFragment): boolean {
  let item: Y.Item | null = text._item;
  while (item !== null) {
    if (item.deleted) return false;
    const parent = item.parent;
    if (parent === body) return true;
    item = parent instanceof Y.AbstractType ? parent._item : null;
  }
  return false;
}

/** Where a passage is now, and its words as they are now. */
export function resolvePassage(
  doc: Y.Doc,
  body: Y.XmlFragment,
  anchor: string,
  head: string,
): ResolvedPassage {
  const first = decodePosition(anchor);
  const last = decodePosition(head);
  if (first === null || last === null) return { status: "deleted" };
  // A position naming a character this copy has not received yet (still syncing).
  const unknown = (position: Y.RelativePosition) =>
    position.item !== null && Y.getState(doc.store, position.item.client) <= position.item.clock;
  if (unknown(first) || unknown(last)) {
    return { status: "pending" };
  }
  let start: Y.AbsolutePosition | null;
  let end: Y.AbsolutePosition | null;
  try {
    start = Y.createAbsolutePositionFromRelativePosition(first, doc);
    end = Y.createAbsolutePositionFromRelativePosition(last, doc);
  } catch {
    return { status: "pending" };
  }
  // Received, yet gone: its characters were collected with the paragraph they were in.
  if (start === null || end === null) return { status: "deleted" };
  if (start.type !== end.type || !(start.type instanceof Y.XmlText)) return { status: "deleted" };
  if (!isInBody(start.type, body)) return { status: "deleted" };
  const from = Math.min(start.index, end.index);
  const to = Math.max(start.index, end.index);
  if (from >= to) return { status: "deleted" };
  const text = start.type;
  return { status: "ok", text, from, to, current: plainText(text).slice(from, to) };
}

/** A run's text without its formatting (what its offsets count). */
export function plainText(text: Y.XmlText): string {
  return textOf(text);
}

/** Where `words` occur in `runs`: each occurrence within one run. */
export function findWords(runs: readonly Y.XmlText[], words: string): Passage[] {
  const needle = words.trim();
  if (needle === "") return [];
  const found: Passage[] = [];
  for (const text of runs) {
    const haystack = plainText(text);
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) {
      found.push({ text, from: at, to: at + needle.length });
    }
  }
  return found;
}

/** The passage a form's "passage" field names, read against the section's text. */
export type PickedPassage =
  | { status: "none" }
  | ({ status: "ok" } & Passage)
  /** The words are not in the section (as one stretch of one paragraph). */
  | { status: "missing" }
  /** The words occur more than once: only a selection in the text tells which. */
  | { status: "ambiguous" };

/**
 * Reads a form's passage field: the selected passage when the field still holds its words, else
 * the one place in the section's runs where the words are (typed, or pasted, by someone who
 * cannot select with a pointer).
 */
export function pickPassage(
  words: string,
  selected: Passage | null,
  runs: readonly Y.XmlText[],
): PickedPassage {
  const wanted = words.trim();
  if (wanted === "") return { status: "none" };
  if (
    selected &&
    runs.includes(selected.text) &&
    plainText(selected.text).slice(selected.from, selected.to) === wanted
  ) {
    return { status: "ok", ...selected };
  }
  const found = findWords(runs, wanted);
  if (found.length === 0) return { status: "missing" };
  if (found.length > 1) return { status: "ambiguous" };
  return { status: "ok", ...found[0]! };
}
