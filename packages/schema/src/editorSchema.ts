import { ANSWER_REF_NODE, FOOTNOTE_NODE, MAX_FOOTNOTE_LENGTH } from "./xml.ts";

/**
 * What a rich-text root (`recommendations`, the draft's `body`) may hold: the node and mark
 * names of the web app's Tiptap editor and their attributes, as y-prosemirror stores them
 * (DESIGN.md §4; issue 12). The server refuses anything else before it is applied, so a
 * well-behaved editor never has to "repair" what a stock client wrote; exports read the same
 * link rule.
 */

/** Node name → the attributes it may carry. */
export const EDITOR_NODES: Readonly<Record<string, readonly string[]>> = {
  paragraph: [],
  heading: ["level"],
  blockquote: [],
  bulletList: [],
  orderedList: ["start", "type"],
  listItem: [],
  hardBreak: [],
  horizontalRule: [],
  table: [],
  tableRow: [],
  tableHeader: ["colspan", "rowspan", "colwidth"],
  tableCell: ["colspan", "rowspan", "colwidth"],
  [ANSWER_REF_NODE]: ["answerId", "seminarId", "label"],
  [FOOTNOTE_NODE]: ["text"],
};

/** Mark name → the attributes it may carry. */
export const EDITOR_MARKS: Readonly<Record<string, readonly string[]>> = {
  bold: [],
  italic: [],
  strike: [],
  underline: [],
  link: ["href", "target", "rel", "class"],
};

/** Link targets a document may hold: the web, and mail. */
export const SAFE_LINK_PROTOCOLS = ["http:", "https:", "mailto:"] as const;

/** Whether `href` is a link an export may keep live (and the server may store). */
export function isSafeHref(href: unknown): href is string {
  if (typeof href !== "string" || href.length > 2048) return false;
  try {
    return (SAFE_LINK_PROTOCOLS as readonly string[]).includes(new URL(href).protocol);
  } catch {
    return false;
  }
}

/** y-prosemirror stores marks that may overlap under `<name>--<hash>`. */
function markName(key: string): string {
  return key.replace(/--[A-Za-z0-9+/=]{1,16}$/, "");
}

const isScalar = (value: unknown) =>
  value === null || ["string", "number", "boolean"].includes(typeof value);

export function nodeProblem(name: string): string | null {
  return Object.hasOwn(EDITOR_NODES, name) ? null : `no node named ${JSON.stringify(name)}`;
}

export function attributeProblem(node: string, attribute: string, value: unknown): string | null {
  const allowed = EDITOR_NODES[node];
  if (allowed === undefined) return nodeProblem(node);
  if (!allowed.includes(attribute)) return `${node} has no attribute ${JSON.stringify(attribute)}`;
  const ok =
    attribute === "colwidth"
      ? value === null || (Array.isArray(value) && value.every((n) => typeof n === "number"))
      : isScalar(value);
  if (!ok) return `${node}.${attribute} is not a plain value`;
  const longest = node === FOOTNOTE_NODE ? MAX_FOOTNOTE_LENGTH : 2048;
  if (typeof value === "string" && value.length > longest)
    return `${node}.${attribute} is too long`;
  return null;
}

/** A formatting attribute of a text run: a mark (or its end, `null`). */
export function markProblem(key: string, value: unknown): string | null {
  const name = markName(key);
  const allowed = EDITOR_MARKS[name];
  if (allowed === undefined) return `no mark named ${JSON.stringify(name)}`;
  if (value === null || value === true) return null;
  if (typeof value !== "object" || Array.isArray(value)) return `${name} has malformed attributes`;
  for (const [attribute, attributeValue] of Object.entries(value as Record<string, unknown>)) {
    if (!allowed.includes(attribute))
      return `${name} has no attribute ${JSON.stringify(attribute)}`;
    if (!isScalar(attributeValue)) return `${name}.${attribute} is not a plain value`;
  }
  if (name === "link" && !isSafeHref((value as Record<string, unknown>).href)) {
    return "a link may only go to http:, https: or mailto:";
  }
  return null;
}
