import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  ANSWER_REF_NODE,
  TOSCANA_2021,
  blockText,
  chapterBlocks,
  chapterOfSeminar,
  chapterRange,
  initDraftDocument,
  initSeminarDocument,
  readRollupSources,
  sectionKey,
  seminarBlocks,
  setRollupSource,
  writeChapter,
} from "../src/index.ts";

const SEMINAR = TOSCANA_2021.seminars[2]!; // Crisi umanitarie
const CHAPTER = sectionKey(chapterOfSeminar(TOSCANA_2021, SEMINAR.id)!);

function seminarWithText(): Y.Doc {
  const doc = new Y.Doc();
  initSeminarDocument(doc, SEMINAR);
  const fragment = doc.getXmlFragment("recommendations");
  const paragraph = fragment.get(1) as Y.XmlElement;
  const text = new Y.XmlText();
  const ref = new Y.XmlElement(ANSWER_REF_NODE);
  paragraph.insert(0, [text, ref]);
  text.insert(0, "Corridoi umanitari ");
  text.insert(text.length, "regionali", { bold: true });
  ref.setAttribute("answerId", "a1");
  ref.setAttribute("label", "Servono corridoi (Ada)");
  return doc;
}

describe("roll-up of a seminar into its chapter", () => {
  it("maps each seminar to its chapter: the introduction first, one per seminar", () => {
    expect(TOSCANA_2021.seminars.map((s) => chapterOfSeminar(TOSCANA_2021, s.id))).toEqual(
      TOSCANA_2021.draftChapters.slice(1, 8),
    );
    expect(chapterOfSeminar(TOSCANA_2021, "nope")).toBeUndefined();
  });

  it("makes chapter blocks: headings one level down, citations with their seminar, no empty paragraphs", () => {
    const seminar = seminarWithText();
    const { blocks, keys, dispose } = seminarBlocks(
      seminar.getXmlFragment("recommendations"),
      SEMINAR.id,
    );
    expect(blocks.map((b) => (b instanceof Y.XmlElement ? b.nodeName : "text"))).toEqual([
      "heading",
      "paragraph",
      "heading",
    ]);
    expect((blocks[0] as Y.XmlElement).getAttribute("level")).toBe(3);
    expect(keys[1]).toContain(`seminarId="${SEMINAR.id}"`);
    expect(keys[1]).toContain("<bold>regionali</bold>");
    expect(blockText(blocks[1]!)).toBe("Corridoi umanitari regionali«Servono corridoi (Ada)»");
    dispose();
  });

  it("replaces or appends a chapter's blocks between its heading and the next", () => {
    const draft = new Y.Doc();
    initDraftDocument(draft, TOSCANA_2021);
    const body = draft.getXmlFragment("body");
    const seminar = seminarWithText();
    const { blocks, keys, dispose } = seminarBlocks(
      seminar.getXmlFragment("recommendations"),
      SEMINAR.id,
    );
    const before = chapterRange(body, CHAPTER)!;
    expect(before.end - before.start).toBe(1); // the empty paragraph of the skeleton
    expect(writeChapter(body, CHAPTER, blocks, "replace")).toBe(true);
    expect(chapterBlocks(body, CHAPTER)!.map((b) => b.toString())).toEqual(keys);
    expect(writeChapter(body, CHAPTER, blocks.slice(1, 2), "append")).toBe(true);
    expect(chapterBlocks(body, CHAPTER)).toHaveLength(4);
    // The next chapter is untouched, the headings all still there.
    const next = sectionKey(TOSCANA_2021.draftChapters[4]!);
    expect(chapterBlocks(body, next)!.map((b) => b.toString())).toEqual([
      "<paragraph></paragraph>",
    ]);
    expect(writeChapter(body, "non-esiste", blocks, "replace")).toBe(false);
    dispose();
  });

  it("keeps each chapter's provenance, skipping entries without the shape", () => {
    const draft = new Y.Doc();
    setRollupSource(draft, CHAPTER, {
      seminarId: SEMINAR.id,
      rolledUpAt: 5,
      by: "Redazione",
      mode: "replace",
      blocks: ["<paragraph>x</paragraph>"],
      texts: ["x"],
    });
    draft.getMap("sources").set("broken", "nonsense");
    expect([...readRollupSources(draft)]).toEqual([
      [
        CHAPTER,
        {
          seminarId: SEMINAR.id,
          rolledUpAt: 5,
          by: "Redazione",
          mode: "replace",
          blocks: ["<paragraph>x</paragraph>"],
          texts: ["x"],
        },
      ],
    ]);
  });
});
