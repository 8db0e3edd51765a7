import * as Y from "yjs";
import { sectionKey, textOf } from "@percorso/schema";

/**
 * The draft's body read as the conference reads it: the title (its level-1 heading), what comes
 * before the first chapter, and one section per chapter (a level-2 heading and the blocks up to
 * the next one) under the same section keys as `listSections`, which the comments, suggestions
 * and reactions are filed under.
 */
export interface DraftSection {
  key: string;
  title: string;
  heading: Y.XmlElement;
  /** The blocks after the heading, up to the next chapter. */
  blocks: Y.XmlElement[];
  /** Two chapters with one title share a key: the later ones are marked, not filed under it. */
  duplicate: boolean;
}

export interface DraftOutline {
  title: string | null;
  preamble: Y.XmlElement[];
  sections: DraftSection[];
}

function isChapterHeading(node: Y.XmlElement): boolean {
  return (
    node.nodeName === "heading" &&
    Number(node.getAttribute("level") as unknown) === 2 &&
    textOf(node).trim() !== ""
  );
}

export function outlineOf(body: Y.XmlFragment): DraftOutline {
  let title: string | null = null;
  const preamble: Y.XmlElement[] = [];
  const sections: DraftSection[] = [];
  const seen = new Set<string>();
  for (const node of body.toArray()) {
    if (!(node instanceof Y.XmlElement)) continue;
    if (isChapterHeading(node)) {
      const heading = textOf(node).trim();
      const key = sectionKey(heading);
      sections.push({ key, title: heading, heading: node, blocks: [], duplicate: seen.has(key) });
      seen.add(key);
      continue;
    }
    const current = sections.at(-1);
    if (current) current.blocks.push(node);
    else if (
      title === null &&
      node.nodeName === "heading" &&
      Number(node.getAttribute("level") as unknown) === 1
    ) {
      title = textOf(node).trim() || null;
    } else preamble.push(node);
  }
  return { title, preamble, sections };
}

/** Every text run (Y.XmlText) under `nodes`, in reading order. */
export function textRuns(nodes: readonly (Y.XmlElement | Y.XmlText)[]): Y.XmlText[] {
  const runs: Y.XmlText[] = [];
  const visit = (node: Y.XmlElement | Y.XmlText) => {
    if (node instanceof Y.XmlText) runs.push(node);
    else
      for (const child of node.toArray()) {
        if (child instanceof Y.XmlElement || child instanceof Y.XmlText) visit(child);
      }
  };
  nodes.forEach(visit);
  return runs;
}

/** The text runs of a section, its heading's first. */
export function sectionRuns(section: DraftSection): Y.XmlText[] {
  return textRuns([section.heading, ...section.blocks]);
}

/** The section a text run is in (by key), or null before the first chapter. */
export function sectionOfRun(outline: DraftOutline, run: Y.XmlText): string | null {
  for (const section of outline.sections) {
    if (section.duplicate) continue;
    if (sectionRuns(section).includes(run)) return section.key;
  }
  return null;
}
