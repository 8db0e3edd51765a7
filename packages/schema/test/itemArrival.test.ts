import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addAnswer,
  addSuggestion,
  arrivalProblem,
  decideSuggestion,
  itemRuleOf,
  listAllAnswers,
  listSuggestions,
  mayAnswer,
  CREATED_AT_TOLERANCE,
  type OwnedItemsRule,
  type Writer,
} from "../src/index.ts";

const rule = (kind: "seminar" | "draft", root: string) => itemRuleOf(kind, root) as OwnedItemsRule;
const ada: Writer = {
  role: "participant",
  userId: "u-ada",
  anonId: "a-ada",
  name: "Ada",
  actorKind: "ngo",
};
const NOW = 1_800_000_000_000;

describe("items whole on arrival, as the schema declares them (issue 16)", () => {
  it("asks a new suggestion to arrive open and undecided, a comment unresolved", () => {
    const suggestion = rule("draft", "suggestions");
    const fields = (extra: Record<string, unknown>) =>
      new Map<string, unknown>(Object.entries({ createdAt: NOW, status: "open", ...extra }));
    expect(arrivalProblem(suggestion, fields({}), ada, NOW)).toBeNull();
    expect(arrivalProblem(suggestion, fields({ reason: "", decidedBy: "" }), ada, NOW)).toBeNull();
    expect(arrivalProblem(suggestion, fields({ status: "accepted" }), ada, NOW)).toMatch(/status/);
    expect(arrivalProblem(suggestion, fields({ decidedBy: "Diana" }), ada, NOW)).toMatch(
      /decidedBy/,
    );
    const drafter = { ...ada, role: "drafter" as const };
    expect(arrivalProblem(suggestion, fields({ status: "accepted" }), drafter, NOW)).toMatch(
      /status/,
    );
    const comment = rule("draft", "comments");
    expect(arrivalProblem(comment, fields({ resolved: true }), ada, NOW)).toMatch(/resolved/);
    expect(arrivalProblem(comment, fields({ resolved: false }), ada, NOW)).toBeNull();
  });

  it("takes createdAt within a day behind and five minutes ahead of the clock, actorKind the writer's", () => {
    const answer = rule("seminar", "answers");
    const at = (createdAt: unknown, extra: Record<string, unknown> = {}) =>
      arrivalProblem(answer, new Map(Object.entries({ createdAt, ...extra })), ada, NOW);
    expect(at(NOW - CREATED_AT_TOLERANCE.pastMs)).toBeNull();
    expect(at(NOW + CREATED_AT_TOLERANCE.futureMs)).toBeNull();
    expect(at(NOW - CREATED_AT_TOLERANCE.pastMs - 1)).toMatch(/too far/);
    expect(at(NOW + CREATED_AT_TOLERANCE.futureMs + 1)).toMatch(/too far/);
    expect(at(Date.UTC(2021, 6, 15))).toMatch(/too far/);
    expect(at("ieri")).toMatch(/is a time/);
    expect(at(NOW, { actorKind: "ngo" })).toBeNull();
    expect(at(NOW, { actorKind: "university" })).toMatch(/actorKind/);
    expect(
      arrivalProblem(answer, new Map([["createdAt", 0]]), { ...ada, role: "admin" }, NOW),
    ).toBeNull();
  });

  it("answers only open questions", () => {
    expect(mayAnswer({ state: "open" })).toBe(true);
    expect(mayAnswer({ state: "closed" })).toBe(false);
    expect(mayAnswer({ state: "draft" })).toBe(false);
    expect(mayAnswer(undefined)).toBe(false);
  });

  it("reads a repeated id of an old document as its first item, in lists and decisions alike", () => {
    const doc = new Y.Doc();
    const honest = { section: "s", originalText: "a", author: "Bob", authorId: "u-bob" };
    addSuggestion(doc, { ...honest, proposedText: "Di Bob" }, { id: "same" });
    addSuggestion(
      doc,
      { ...honest, proposedText: "Di Mallory", author: "M", authorId: "u-m" },
      { id: "same" },
    );
    expect(listSuggestions(doc).map((s) => s.proposedText)).toEqual(["Di Bob"]);
    decideSuggestion(doc, "same", { status: "accepted", reason: "", by: "Diana", at: 1 });
    expect(listSuggestions(doc)[0]).toMatchObject({ proposedText: "Di Bob", status: "accepted" });

    const answer = { questionId: "q", author: "", authorId: "x" };
    addAnswer(doc, { ...answer, text: "Prima" }, { id: "a1" });
    addAnswer(doc, { ...answer, text: "Copia" }, { id: "a1" });
    expect(listAllAnswers(doc).map((a) => a.text)).toEqual(["Prima"]);
  });
});
