import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  TOSCANA_2021,
  addComment,
  addSuggestion,
  decideSuggestion,
  initDraftDocument,
  listComments,
  listSuggestions,
  readSpotlightSection,
  sectionAgreement,
  setCommentResolved,
  setReaction,
  setSupport,
  spotlightSection,
  withdrawSuggestion,
  type ActorKind,
} from "../src/index.ts";

function draft(): Y.Doc {
  const doc = new Y.Doc();
  initDraftDocument(doc, TOSCANA_2021);
  return doc;
}

describe("the plenary conference", () => {
  it("spotlights the section being presented", () => {
    const doc = draft();
    expect(readSpotlightSection(doc)).toBeNull();
    spotlightSection(doc, "agenda-2030");
    expect(readSpotlightSection(doc)).toBe("agenda-2030");
  });

  it("threads replies and resolves comments on passages", () => {
    const doc = draft();
    const first = addComment(doc, {
      section: "co-sviluppo",
      text: "Manca la diaspora",
      author: "Ada",
      authorId: "u1",
      anchor: "AAA",
      head: "BBB",
    });
    addComment(doc, {
      section: "co-sviluppo",
      text: "D'accordo",
      author: "",
      authorId: "a-x",
      parentId: first,
    });
    setCommentResolved(doc, first, true);
    const [top, reply] = listComments(doc, "co-sviluppo");
    expect(top).toMatchObject({ anchor: "AAA", head: "BBB", resolved: true, parentId: null });
    expect(reply).toMatchObject({ parentId: first, author: "", resolved: false });
  });

  it("counts one signal per person on a suggestion, and records the decision", () => {
    const doc = draft();
    const id = addSuggestion(doc, {
      section: "agenda-2030",
      originalText: "obiettivi",
      proposedText: "obiettivi di sviluppo sostenibile",
      author: "Ada",
      authorId: "u1",
    });
    setSupport(doc, id, "a1", "support");
    setSupport(doc, id, "a2", "support");
    setSupport(doc, id, "a2", "object"); // changed her mind: one signal per person
    setSupport(doc, id, "a3", "object");
    setSupport(doc, id, "a3", null);
    expect(listSuggestions(doc)[0]).toMatchObject({ support: 1, objections: 1, status: "open" });
    decideSuggestion(doc, id, { status: "accepted", reason: "Più preciso", by: "Diana", at: 9 });
    expect(listSuggestions(doc)[0]).toMatchObject({
      status: "accepted",
      reason: "Più preciso",
      decidedBy: "Diana",
      decidedAt: 9,
    });
    const other = addSuggestion(doc, {
      section: "agenda-2030",
      originalText: "x",
      proposedText: "y",
      author: "",
      authorId: "a9",
    });
    withdrawSuggestion(doc, other);
    expect(listSuggestions(doc, "agenda-2030").map((s) => s.status)).toEqual([
      "accepted",
      "withdrawn",
    ]);
  });

  it("tells common ground from a divisive section across the kinds of actor", () => {
    const doc = draft();
    const kinds: Record<string, ActorKind> = {
      n1: "ngo",
      n2: "ngo",
      l1: "local-authority",
      u1: "university",
    };
    for (const [anonId, reaction] of [
      ["n1", "agree"],
      ["n2", "agree"],
      ["l1", "agree"],
      ["u1", "agree"],
    ] as const) {
      setReaction(doc, "agenda-2030", anonId, reaction);
    }
    for (const [anonId, reaction] of [
      ["n1", "agree"],
      ["n2", "agree"],
      ["l1", "disagree"],
      ["u1", "abstain"],
    ] as const) {
      setReaction(doc, "co-sviluppo", anonId, reaction);
    }
    const bySection = new Map(
      sectionAgreement(doc, (anonId) => kinds[anonId]).map((s) => [s.section, s]),
    );
    expect(bySection.get("agenda-2030")).toMatchObject({
      totals: { agree: 4, disagree: 0, abstain: 0 },
      verdict: "common-ground",
    });
    expect(bySection.get("co-sviluppo")).toMatchObject({
      totals: { agree: 2, disagree: 1, abstain: 1 },
      byKind: { ngo: { agree: 2 }, "local-authority": { disagree: 1 } },
      verdict: "divisive",
    });
    expect(bySection.get("co-sviluppo")!.byKind.university).toEqual({
      agree: 0,
      disagree: 0,
      abstain: 1,
    });
  });
});
