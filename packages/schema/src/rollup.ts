import * as Y from "yjs";
import { sectionKey } from "./draft.ts";
import type { Programme } from "./programme.ts";
import { ANSWER_REF_NODE, textOf } from "./xml.ts";

/**
 * The roll-up of a seminar's recommendations into its chapter of the orientation draft
 * (DESIGN.md §3, §5): which chapter a seminar feeds, where a chapter's blocks are in the body,
 * the seminar's text made into chapter blocks (its headings one level down, its citations
 * carrying the seminar), and the provenance kept in `sources` to tell later whether and how
 * the source changed.
 */

export type RollupMode = "replace" | "append" | "merge" | "ignore";

/** `sources` entry of a chapter: where its text came from, and the source as it was then. */
export interface RollupSource {
  seminarId: string;
  rolledUpAt: number;
  /** Display name of the drafter who rolled it up. */
  by: string;
  mode: RollupMode;
  /** The source's blocks at roll-up, each as canonical markup (`blockKey`). */
  blocks: string[];
  /** The same blocks as plain text (`blockText`), for redlines. */
  texts: string[];
}

/** The chapter title a seminar rolls up into: introduction first, then one per seminar. */
export function chapterOfSeminar(programme: Programme, seminarId: string): string | undefined {
  const ordered = [...programme.seminars].sort((a, b) => a.number - b.number);
  const index = ordered.findIndex((seminar) => seminar.id === seminarId);
  if (index < 0) return undefined;
  // The default chapters are the introduction, one per seminar, the conclusions.
  if (programme.draftChapters.length < ordered.length + 1) return undefined;
  return programme.draftChapters[index + 1];
}

/** A top-level node of a rich-text fragment. */
export type Block = Y.XmlElement | Y.XmlText;

function isChapterHeading(node: unknown): node is Y.XmlElement {
  return (
    node instanceof Y.XmlElement &&
    node.nodeName === "heading" &&
    Number(node.getAttribute("level") as unknown) <= 2
  );
}

/**
 * Where a chapter is in the body: its level-2 heading's index, and the blocks after it up to
 * the next chapter heading (`start` inclusive, `end` exclusive); null when no heading has that
 * section key.
 */
export function chapterRange(
  body: Y.XmlFragment,
  key: string,
): { heading: number; start: number; end: number } | null {
  const nodes = body.toArray();
  const heading = nodes.findIndex(
    (node) =>
      isChapterHeading(node) &&
      Number(node.getAttribute("level") as unknown) === 2 &&
      sectionKey(textOf(node)) === key,
  );
  if (heading < 0) return null;
  let end = heading + 1;
  while (end < nodes.length && !isChapterHeading(nodes[end])) end++;
  return { heading, start: heading + 1, end };
}

/** The blocks of a chapter as they are in the body. */
export function chapterBlocks(body: Y.XmlFragment, key: string): Block[] | null {
  const range = chapterRange(body, key);
  if (range === null) return null;
  return body.toArray().slice(range.start, range.end) as Block[];
}

/** Canonical markup of a block: equal strings, equal content (text, formatting, attributes). */
export function blockKey(block: Block): string {
  return block.toString();
}

/**
 * A copy of a seminar node as a chapter node: headings one level down (the chapter heading is
 * level 2), citations carrying the seminar as well as the answer.
 */
function asChapterNode(
  node: Y.XmlElement | Y.XmlText,
  seminarId: string,
): Y.XmlElement | Y.XmlText {
  if (node instanceof Y.XmlText) return node.clone();
  const copy = new Y.XmlElement(node.nodeName);
  for (const [name, value] of Object.entries(node.getAttributes())) {
    copy.setAttribute(name, value as string);
  }
  if (node.nodeName === "heading") {
    const level = Math.min(6, Number(node.getAttribute("level") as unknown) + 1);
    copy.setAttribute("level", level as unknown as string);
  }
  if (node.nodeName === ANSWER_REF_NODE) copy.setAttribute("seminarId", seminarId);
  const children = node
    .toArray()
    .filter(
      (child): child is Y.XmlElement | Y.XmlText =>
        child instanceof Y.XmlElement || child instanceof Y.XmlText,
    )
    .map((child) => asChapterNode(child, seminarId));
  if (children.length > 0) copy.insert(0, children);
  return copy;
}

/**
 * A seminar's recommendations as chapter blocks, built in a scratch document (so they can be
 * rendered and compared, and cloned into the draft): empty paragraphs are left out.
 */
export function seminarBlocks(
  recommendations: Y.XmlFragment,
  seminarId: string,
): { blocks: Block[]; keys: string[]; texts: string[]; dispose: () => void } {
  const scratch = new Y.Doc();
  const fragment = scratch.getXmlFragment("blocks");
  const nodes = recommendations
    .toArray()
    .filter((node): node is Block => node instanceof Y.XmlElement || node instanceof Y.XmlText)
    .filter(
      (node) =>
        !(node instanceof Y.XmlElement && node.nodeName === "paragraph" && node.length === 0),
    )
    .map((node) => asChapterNode(node, seminarId));
  if (nodes.length > 0) fragment.insert(0, nodes);
  const blocks = fragment.toArray() as Block[];
  return {
    blocks,
    keys: blocks.map(blockKey),
    texts: blocks.map(blockText),
    dispose: () => scratch.destroy(),
  };
}

/** The plain text of a block, citations as their label (for redlines and previews). */
export function blockText(block: Block): string {
  if (block instanceof Y.XmlText) return textOf(block);
  if (block.nodeName === ANSWER_REF_NODE) {
    const label = block.getAttribute("label");
    return typeof label === "string" ? `«${label}»` : "";
  }
  const parts = block
    .toArray()
    .filter((child): child is Block => child instanceof Y.XmlElement || child instanceof Y.XmlText)
    .map(blockText);
  // Lists and table rows one per line, cells apart: redlines of tables read as tables.
  const lines = ["bulletList", "orderedList", "table"].includes(block.nodeName);
  const joined = parts.join(lines ? "\n" : block.nodeName === "tableRow" ? " | " : "");
  return block.nodeName === "listItem" ? `• ${joined}` : joined;
}

/**
 * Replaces a chapter's blocks with copies of `blocks` ("replace"), or adds them after its
 * current ones ("append"). Runs inside the caller's transaction; returns false when the body
 * has no heading for the chapter.
 */
export function writeChapter(
  body: Y.XmlFragment,
  key: string,
  blocks: readonly Block[],
  mode: "replace" | "append",
): boolean {
  const range = chapterRange(body, key);
  if (range === null) return false;
  if (mode === "replace" && range.end > range.start)
    body.delete(range.start, range.end - range.start);
  const at = mode === "replace" ? range.start : range.end;
  if (blocks.length > 0)
    body.insert(
      at,
      blocks.map((block) => block.clone()),
    );
  return true;
}

export function setRollupSource(doc: Y.Doc, key: string, source: RollupSource): void {
  doc
    .getMap<unknown>("sources")
    .set(key, { ...source, blocks: [...source.blocks], texts: [...source.texts] });
}

/** Every chapter's roll-up provenance; entries without the shape are skipped. */
export function readRollupSources(doc: Y.Doc): Map<string, RollupSource> {
  const result = new Map<string, RollupSource>();
  for (const [key, value] of doc.getMap<unknown>("sources")) {
    if (typeof value !== "object" || value === null) continue;
    const { seminarId, rolledUpAt, by, mode, blocks, texts } = value as Record<string, unknown>;
    if (
      typeof seminarId !== "string" ||
      typeof rolledUpAt !== "number" ||
      !Array.isArray(blocks) ||
      !blocks.every((block) => typeof block === "string")
    ) {
      continue;
    }
    result.set(key, {
      seminarId,
      rolledUpAt,
      by: typeof by === "string" ? by : "",
      mode: mode === "append" || mode === "merge" || mode === "ignore" ? mode : "replace",
      blocks: blocks as string[],
      texts:
        Array.isArray(texts) && texts.every((text) => typeof text === "string")
          ? (texts as string[])
          : (blocks as string[]).map((block) => block.replace(/<[^>]*>/g, "")),
    });
  }
  return result;
}
