import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  TOSCANA_2021,
  addComment,
  initDraftDocument,
  listComments,
  listSections,
  reactionOf,
  removeComment,
  sectionKey,
  setReaction,
  tallyReactions,
} from "../src/index.ts";

function freshDraft(): Y.Doc {
  const doc = new Y.Doc();
  initDraftDocument(doc, TOSCANA_2021);
  return doc;
}

describe("draft document", () => {
  it("starts with a heading per chapter, idempotently", () => {
    const doc = freshDraft();
    const sections = listSections(doc);
    expect(sections.map((s) => s.title)).toEqual(TOSCANA_2021.draftChapters);
    expect(sections[0]!.key).toBe("introduzione-e-metodo");
    const before = Y.encodeStateAsUpdate(doc);
    initDraftDocument(doc, TOSCANA_2021);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("makes ASCII section keys", () => {
    expect(sectionKey("Perché l'Agenda 2030?")).toBe("perche-l-agenda-2030");
  });

  it("adds, lists by section and removes comments", () => {
    const doc = freshDraft();
    addComment(
      doc,
      { section: "agenda-2030", text: " Citare l'SDG 17 ", author: "Ada", authorId: "u1" },
      { id: "c1", at: 3 },
    );
    addComment(doc, { section: "co-sviluppo", text: "Bene", author: "", authorId: "u2" });
    expect(listComments(doc, "agenda-2030")).toEqual([
      {
        id: "c1",
        section: "agenda-2030",
        text: "Citare l'SDG 17",
        author: "Ada",
        authorId: "u1",
        createdAt: 3,
        anchor: null,
        head: null,
        parentId: null,
        resolved: false,
        quote: null,
      },
    ]);
    expect(listComments(doc)).toHaveLength(2);
    expect(() => addComment(doc, { section: "x", text: " ", author: "", authorId: "u" })).toThrow();
    expect(removeComment(doc, "c1")).toBe(true);
    expect(removeComment(doc, "c1")).toBe(false);
  });

  it("keeps one reaction per person per section, merged across peers", () => {
    const a = freshDraft();
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    setReaction(a, "agenda-2030", "u1", "agree");
    setReaction(b, "agenda-2030", "u2", "disagree");
    setReaction(a, "agenda-2030", "u1", "abstain");
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(tallyReactions(a, "agenda-2030")).toEqual({ agree: 0, disagree: 1, abstain: 1 });
    expect(reactionOf(a, "agenda-2030", "u1")).toBe("abstain");
    setReaction(a, "agenda-2030", "u1", null);
    expect(reactionOf(a, "agenda-2030", "u1")).toBeNull();
    expect(a.getMap("reactions").get("agenda-2030")).toBeInstanceOf(Y.Map);
    expect(tallyReactions(a, "nowhere")).toEqual({ agree: 0, disagree: 0, abstain: 0 });
    setReaction(a, "nowhere", "u1", null);
    expect(a.getMap("reactions").has("nowhere")).toBe(false);
  });
});
