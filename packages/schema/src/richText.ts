import * as Y from "yjs";
import { ANSWER_REF_NODE, FOOTNOTE_NODE } from "./xml.ts";

/**
 * A Tiptap text (the seminar's recommendations, the draft's body) read as plain data, the
 * shape every export renders: blocks of runs of formatted text. Links that are not http:,
 * https: or mailto: are dropped here (their text stays), so no rendering can make one live.
 */
export interface RichRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  /** An http:, https: or mailto: address (see `safeHref`). */
  link?: string;
  /** The id of the cited answer, for an `answerRef` node. */
  citation?: string;
  /** The seminar of the cited answer, when the citation names it (the draft's do). */
  seminarId?: string;
  /** A footnote's own text, for a `footnote` node (the run's `text` is empty: only its mark). */
  footnote?: string;
  /** The footnote number an export gives this citation or footnote (one per occurrence). */
  note?: number;
}

export interface RichTableCell {
  header: boolean;
  blocks: RichBlock[];
}

export type RichBlock =
  | { type: "heading"; level: number; runs: RichRun[] }
  | { type: "paragraph"; runs: RichRun[] }
  | { type: "list"; ordered: boolean; items: RichBlock[][] }
  | { type: "table"; rows: RichTableCell[][] };

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

/**
 * The address of a link if it is one an export may keep live (http:, https:, mailto:),
 * normalised by the URL parser (which also percent-encodes quotes and angle brackets);
 * undefined for anything else — `javascript:`, `data:`, relative or malformed addresses.
 */
export function safeHref(href: unknown): string | undefined {
  if (typeof href !== "string") return undefined;
  try {
    const url = new URL(href.trim());
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const elements = (node: Y.XmlElement | Y.XmlFragment): Y.XmlElement[] =>
  node.toArray().filter((child): child is Y.XmlElement => child instanceof Y.XmlElement);

/** The ProseMirror-shaped XML of a Tiptap text as blocks (empty paragraphs kept). */
export function blocksOf(parent: Y.XmlFragment | Y.XmlElement): RichBlock[] {
  const blocks: RichBlock[] = [];
  for (const node of elements(parent)) {
    switch (node.nodeName) {
      case "heading":
        blocks.push({
          type: "heading",
          level: Number(node.getAttribute("level")) || 2,
          runs: runsOf(node),
        });
        break;
      case "bulletList":
      case "orderedList":
        blocks.push({
          type: "list",
          ordered: node.nodeName === "orderedList",
          items: elements(node).map((item) => blocksOf(item)),
        });
        break;
      case "table":
        blocks.push({
          type: "table",
          rows: elements(node).map((row) =>
            elements(row).map((cell) => ({
              header: cell.nodeName === "tableHeader",
              blocks: blocksOf(cell),
            })),
          ),
        });
        break;
      case "blockquote":
        blocks.push(...blocksOf(node));
        break;
      case "horizontalRule":
        break;
      default:
        blocks.push({ type: "paragraph", runs: runsOf(node) });
    }
  }
  return blocks;
}

function runsOf(element: Y.XmlElement): RichRun[] {
  const runs: RichRun[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const delta of child.toDelta() as {
        insert: unknown;
        attributes?: Record<string, unknown>;
      }[]) {
        if (typeof delta.insert !== "string") continue;
        const attrs = delta.attributes ?? {};
        const link = safeHref((attrs.link as { href?: unknown } | undefined)?.href);
        runs.push({
          text: delta.insert,
          ...(attrs.bold ? { bold: true } : {}),
          ...(attrs.italic ? { italic: true } : {}),
          ...(attrs.underline ? { underline: true } : {}),
          ...(attrs.strike ? { strike: true } : {}),
          ...(link === undefined ? {} : { link }),
        });
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === ANSWER_REF_NODE) {
      const id = child.getAttribute("answerId");
      const seminarId = child.getAttribute("seminarId");
      const label = child.getAttribute("label");
      runs.push({
        text: `«${typeof label === "string" ? label : ""}»`,
        ...(typeof id === "string" ? { citation: id } : {}),
        ...(typeof id === "string" && typeof seminarId === "string" ? { seminarId } : {}),
      });
    } else if (child instanceof Y.XmlElement && child.nodeName === FOOTNOTE_NODE) {
      const note = child.getAttribute("text");
      if (typeof note === "string" && note.trim() !== "") runs.push({ text: "", footnote: note });
    } else if (child instanceof Y.XmlElement && child.nodeName === "hardBreak") {
      runs.push({ text: "\n" });
    }
  }
  return runs;
}

/** Every run of some blocks, in reading order (list items and table cells included). */
export function runsIn(blocks: readonly RichBlock[]): RichRun[] {
  return blocks.flatMap((block): RichRun[] => {
    if (block.type === "list") return block.items.flatMap((item) => runsIn(item));
    if (block.type === "table") return block.rows.flat().flatMap((cell) => runsIn(cell.blocks));
    return block.runs;
  });
}

/** The plain text of runs (line breaks kept). */
export const runsText = (runs: readonly RichRun[]): string => runs.map((r) => r.text).join("");

/** Whether a block shows nothing: a paragraph without text, a list or table without any. */
export function isEmptyBlock(block: RichBlock): boolean {
  if (block.type === "paragraph") return runsText(block.runs).trim() === "";
  if (block.type === "heading") return false;
  return runsText(runsIn([block])).trim() === "";
}
