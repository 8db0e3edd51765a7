import * as Y from "yjs";

/**
 * Nodes of a Tiptap document as y-prosemirror stores them in a Y.XmlFragment: an element per
 * node, named as the ProseMirror node type, attributes as its attrs.
 */
export function headingNode(level: number, text: string): Y.XmlElement {
  const element = new Y.XmlElement<{ level: number }>("heading");
  element.setAttribute("level", level);
  element.insert(0, [new Y.XmlText(text)]);
  // y-prosemirror keeps attributes as they are; Tiptap's heading expects a numeric level.
  return element as unknown as Y.XmlElement;
}

export function paragraphNode(text = ""): Y.XmlElement {
  const element = new Y.XmlElement("paragraph");
  if (text) element.insert(0, [new Y.XmlText(text)]);
  return element;
}

/** The plain text of an element, its children's text joined. */
export function textOf(node: Y.XmlElement | Y.XmlText): string {
  if (node instanceof Y.XmlText) {
    // `toString()` would render formatting as markup (`<bold>…</bold>`): read the delta.
    return (node.toDelta() as { insert: unknown }[])
      .map((part) => (typeof part.insert === "string" ? part.insert : ""))
      .join("");
  }
  return node
    .toArray()
    .map((child) =>
      child instanceof Y.XmlElement || child instanceof Y.XmlText ? textOf(child) : "",
    )
    .join("");
}

/**
 * The inline node a recommendation text uses to cite a live answer: an element named
 * `answerRef` with the answer's id and a short label, so the link from the text to the
 * answer survives into the final draft.
 */
export const ANSWER_REF_NODE = "answerRef";

/**
 * A footnote of the orientation draft (issue 9): an inline element named `footnote` whose
 * `text` attribute is the note. Exports make it a real footnote, numbered with the citations.
 */
export const FOOTNOTE_NODE = "footnote";

/** Longest a footnote may be, in characters. */
export const MAX_FOOTNOTE_LENGTH = 2000;

const CITATION_LENGTH = 80;

/**
 * The label a citation shows inside the text: the answer on one line, cut to at most 80
 * characters at a word boundary with an ellipsis (inside a word only when a single word is
 * that long), followed by its author when signed. The editor's "cite" action and the
 * harvest's promotion both write it.
 */
export function citationLabel(text: string, author: string | null): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return author ? `${shortened(flat)} (${author})` : shortened(flat);
}

function shortened(flat: string): string {
  if (flat.length <= CITATION_LENGTH) return flat;
  const cut = flat.slice(0, CITATION_LENGTH - 1);
  // The space before the word the limit falls in, if the cut keeps at least half the length.
  const space = flat[CITATION_LENGTH - 1] === " " ? cut.length : cut.lastIndexOf(" ");
  const words = space >= CITATION_LENGTH / 2 ? cut.slice(0, space) : cut;
  // No dangling punctuation before the ellipsis ("comuni, …").
  return `${words.replace(/[\s,;:.!?'’(«"-]+$/u, "")}…`;
}

/** The answer ids cited anywhere in a rich-text fragment. */
export function citedAnswerIds(fragment: Y.XmlFragment | Y.XmlElement): string[] {
  const ids: string[] = [];
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === ANSWER_REF_NODE) {
      const id = child.getAttribute("answerId");
      if (typeof id === "string") ids.push(id);
    } else {
      ids.push(...citedAnswerIds(child));
    }
  }
  return ids;
}
