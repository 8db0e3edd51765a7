import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  mayAnswer,
  TOSCANA_2021,
  addAnswer,
  addMaterial,
  addQuestion,
  clearTimer,
  editAnswer,
  editQuestion,
  hideAnswer,
  initSeminarDocument,
  listAllAnswers,
  listMaterials,
  listQuestions,
  listVisibleAnswers,
  mergeAnswer,
  moveQuestion,
  pauseTimer,
  readTimer,
  readModeration,
  readSession,
  removeMaterial,
  removeQuestion,
  restoreAnswer,
  setPhase,
  setPremoderated,
  setQuestionState,
  setScreen,
  setStatus,
  spotlightQuestion,
  startTimer,
  textOf,
  toggleVote,
} from "../src/index.ts";

const seminar = TOSCANA_2021.seminars[1]!;

function freshDoc(): Y.Doc {
  const doc = new Y.Doc();
  initSeminarDocument(doc, seminar, { at: 1000 });
  return doc;
}

/** A second replica that receives every update of `doc`, as a peer would. */
function replicaOf(doc: Y.Doc): Y.Doc {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(doc));
  doc.on("update", (update: Uint8Array) => Y.applyUpdate(replica, update));
  return replica;
}

describe("initSeminarDocument", () => {
  it("writes a scheduled session, starter questions as drafts and the two recommendation parts", () => {
    const doc = freshDoc();
    expect(readSession(doc)).toEqual({
      status: "scheduled",
      phase: 1,
      spotlight: null,
      timerEndsAt: null,
      screenMode: "cards",
      joinUrl: null,
      startedAt: null,
    });
    const questions = listQuestions(doc);
    expect(questions.map((q) => q.text)).toEqual(seminar.starterQuestions);
    // Drafts until the facilitator opens them: no answers before the seminar's day.
    expect(questions.every((q) => q.state === "draft")).toBe(true);
    expect(questions.some(mayAnswer)).toBe(false);
    expect(questions[0]).toEqual({
      id: `${seminar.id}-q1`,
      text: seminar.starterQuestions[0],
      state: "draft",
      createdAt: 1000,
      premoderated: false,
      openedAt: null,
      closedAt: null,
    });
    const headings = doc
      .getXmlFragment("recommendations")
      .toArray()
      .filter((node): node is Y.XmlElement => node instanceof Y.XmlElement)
      .filter((node) => node.nodeName === "heading");
    expect(headings.map((node) => textOf(node))).toEqual([
      "Nuovi temi su cui lavorare",
      "Nuovi processi e metodologie di governance",
    ]);
    expect(headings[0]!.getAttribute("level")).toBe(2);
  });

  it("is idempotent", () => {
    const doc = freshDoc();
    const before = Y.encodeStateAsUpdate(doc);
    initSeminarDocument(doc, seminar);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("passes the origin to the transaction", () => {
    const doc = new Y.Doc();
    const origins: unknown[] = [];
    doc.on("update", (_update: Uint8Array, origin: unknown) => origins.push(origin));
    initSeminarDocument(doc, seminar, { origin: "seed" });
    expect(origins).toEqual(["seed"]);
  });
});

describe("session", () => {
  it("sets status, phase, spotlight and timer, and a peer sees them", () => {
    const doc = freshDoc();
    const peer = replicaOf(doc);
    setStatus(doc, "live", { at: 5_000 });
    setPhase(doc, 3);
    spotlightQuestion(doc, `${seminar.id}-q2`);
    setScreen(doc, { mode: "cloud", joinUrl: "https://percorso.example/join/s2" });
    const endsAt = startTimer(doc, 90, { at: 10_000 });
    expect(endsAt).toBe(100_000);
    expect(readSession(peer)).toEqual({
      status: "live",
      phase: 3,
      spotlight: `${seminar.id}-q2`,
      timerEndsAt: 100_000,
      screenMode: "cloud",
      joinUrl: "https://percorso.example/join/s2",
      startedAt: 5_000,
    });
    clearTimer(doc);
    spotlightQuestion(doc, null);
    expect(readSession(peer)).toMatchObject({ spotlight: null, timerEndsAt: null });
    setScreen(doc, { joinUrl: null });
    expect(readSession(peer)).toMatchObject({ screenMode: "cloud", joinUrl: null });
    setScreen(doc, { mode: "cards" });
    expect(readSession(peer)).toMatchObject({ screenMode: "cards", joinUrl: null });
  });

  it("starts the session clock on the first time the seminar goes live only", () => {
    const doc = freshDoc();
    setStatus(doc, "scheduled", { at: 1_000 });
    expect(readSession(doc).startedAt).toBeNull();
    setStatus(doc, "live", { at: 2_000 });
    expect(readSession(doc)).toMatchObject({ status: "live", startedAt: 2_000 });
    setStatus(doc, "closed", { at: 3_000 });
    setStatus(doc, "live", { at: 4_000 });
    expect(readSession(doc)).toMatchObject({ status: "live", startedAt: 2_000 });
  });

  it("clears a paused timer too", () => {
    const doc = freshDoc();
    startTimer(doc, 60, { at: 0 });
    pauseTimer(doc, { at: 30_000 });
    expect(readTimer(doc, 40_000)).toMatchObject({ paused: true, remainingMs: 30_000 });
    clearTimer(doc);
    expect(readTimer(doc, 40_000)).toEqual({
      running: false,
      paused: false,
      remainingMs: 0,
      endsAt: null,
    });
    expect(readSession(doc).timerEndsAt).toBeNull();
  });

  it("reads garbage written by a foreign client as defaults", () => {
    const doc = new Y.Doc();
    const session = doc.getMap("session");
    session.set("status", "exploded");
    session.set("phase", 9);
    session.set("spotlight", 42);
    session.set("screenMode", "hologram");
    session.set("joinUrl", 7);
    session.set("startedAt", "yesterday");
    expect(readSession(doc)).toEqual({
      status: "scheduled",
      phase: 1,
      spotlight: null,
      timerEndsAt: null,
      screenMode: "cards",
      joinUrl: null,
      startedAt: null,
    });
  });
});

describe("questions", () => {
  it("adds, edits, opens, closes, moves and removes a question", () => {
    const doc = freshDoc();
    const id = addQuestion(doc, "  Una nuova domanda?  ", "draft", { id: "nq", at: 5 });
    expect(listQuestions(doc).at(-1)).toEqual({
      id: "nq",
      text: "Una nuova domanda?",
      state: "draft",
      createdAt: 5,
      premoderated: false,
      openedAt: null,
      closedAt: null,
    });
    expect(editQuestion(doc, id, "Domanda riformulata?")).toBe(true);
    expect(setQuestionState(doc, id, "open", { at: 100 })).toBe(true);
    expect(listQuestions(doc).find((q) => q.id === id)).toMatchObject({
      text: "Domanda riformulata?",
      state: "open",
      openedAt: 100,
      closedAt: null,
    });
    setQuestionState(doc, id, "closed", { at: 200 });
    expect(listQuestions(doc).find((q) => q.id === id)).toMatchObject({
      state: "closed",
      openedAt: 100,
      closedAt: 200,
    });
    expect(setPremoderated(doc, id, true)).toBe(true);

    expect(moveQuestion(doc, id, 0)).toBe(true);
    expect(listQuestions(doc)[0]).toEqual({
      id,
      text: "Domanda riformulata?",
      state: "closed",
      createdAt: 5,
      premoderated: true,
      openedAt: 100,
      closedAt: 200,
    });

    // Reopening records a new opening and forgets the previous closing.
    setQuestionState(doc, id, "open", { at: 300 });
    expect(listQuestions(doc)[0]).toMatchObject({ state: "open", openedAt: 300, closedAt: null });
    setQuestionState(doc, id, "draft", { at: 400 });
    expect(listQuestions(doc)[0]).toMatchObject({ state: "draft", openedAt: 300, closedAt: null });
    expect(setPremoderated(doc, id, false)).toBe(true);
    expect(listQuestions(doc)[0]!.premoderated).toBe(false);

    spotlightQuestion(doc, id);
    expect(removeQuestion(doc, id)).toBe(true);
    expect(listQuestions(doc).some((q) => q.id === id)).toBe(false);
    expect(readSession(doc).spotlight).toBeNull();
  });

  it("reports unknown questions instead of throwing", () => {
    const doc = freshDoc();
    expect(editQuestion(doc, "nope", "x")).toBe(false);
    expect(setQuestionState(doc, "nope", "open")).toBe(false);
    expect(moveQuestion(doc, "nope", 0)).toBe(false);
    expect(setPremoderated(doc, "nope", true)).toBe(false);
    expect(removeQuestion(doc, "nope")).toBe(false);
  });

  it("skips items without the question shape", () => {
    const doc = freshDoc();
    const stray = new Y.Map<unknown>();
    stray.set("id", "stray");
    doc.getArray("questions").push([stray]);
    expect(listQuestions(doc).some((q) => q.id === "stray")).toBe(false);
  });
});

describe("materials", () => {
  it("adds, filters and removes materials", () => {
    const doc = freshDoc();
    const peer = replicaOf(doc);
    addMaterial(
      doc,
      {
        kind: "case-study",
        title: " Rifiuti a Dakar ",
        url: "https://example.org",
        addedBy: "Ada",
        addedById: "u-ada",
      },
      { id: "m1", at: 7 },
    );
    addMaterial(
      doc,
      { kind: "theory", title: "Economia circolare", addedBy: "Bea", addedById: "u-bea" },
      { id: "m2" },
    );
    expect(listMaterials(peer)).toHaveLength(2);
    expect(listMaterials(peer, "case-study")).toEqual([
      {
        id: "m1",
        kind: "case-study",
        title: "Rifiuti a Dakar",
        url: "https://example.org",
        summary: "",
        addedBy: "Ada",
        addedById: "u-ada",
        createdAt: 7,
      },
    ]);
    expect(removeMaterial(doc, "m1")).toBe(true);
    expect(removeMaterial(doc, "m1")).toBe(false);
    expect(listMaterials(peer).map((m) => m.id)).toEqual(["m2"]);
  });
});

describe("answers and votes", () => {
  const q = `${seminar.id}-q1`;

  it("adds an answer a peer sees, anonymous or signed", () => {
    const doc = freshDoc();
    const peer = replicaOf(doc);
    addAnswer(
      doc,
      { questionId: q, text: " Filiere corte ", author: "Ada", authorId: "u1", actorKind: "ngo" },
      { id: "a1", at: 10 },
    );
    addAnswer(doc, { questionId: q, text: "Anonima", author: "", authorId: "u2" }, { id: "a2" });
    expect(listAllAnswers(peer, q)).toEqual([
      {
        id: "a1",
        questionId: q,
        text: "Filiere corte",
        author: "Ada",
        authorId: "u1",
        actorKind: "ngo",
        createdAt: 10,
        voters: [],
      },
      expect.objectContaining({ id: "a2", author: "" }),
    ]);
    expect(() =>
      addAnswer(doc, { questionId: q, text: "   ", author: "", authorId: "u" }),
    ).toThrow();
  });

  it("edits an answer's text", () => {
    const doc = freshDoc();
    addAnswer(doc, { questionId: q, text: "Prima", author: "", authorId: "u" }, { id: "a" });
    expect(editAnswer(doc, "a", "Dopo")).toBe(true);
    expect(editAnswer(doc, "a", "  ")).toBe(false);
    expect(listAllAnswers(doc)[0]!.text).toBe("Dopo");
  });

  it("toggles one vote per voter, and concurrent votes from two peers both count", () => {
    const a = freshDoc();
    addAnswer(a, { questionId: q, text: "Sì", author: "", authorId: "u" }, { id: "x" });
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));

    expect(toggleVote(a, "x", "v1")).toBe(true);
    expect(toggleVote(b, "x", "v2")).toBe(true);
    expect(toggleVote(b, "x", "v3")).toBe(true);
    expect(toggleVote(b, "x", "v3")).toBe(false);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    for (const doc of [a, b]) {
      expect(listVisibleAnswers(doc, q)[0]!.votes).toBe(2);
      expect(listAllAnswers(doc)[0]!.voters.sort()).toEqual(["v1", "v2"]);
    }
    expect(() => toggleVote(a, "missing", "v1")).toThrow();
  });

  it("sorts newest first or by votes", () => {
    const doc = freshDoc();
    addAnswer(doc, { questionId: q, text: "old", author: "", authorId: "u" }, { id: "old", at: 1 });
    addAnswer(doc, { questionId: q, text: "new", author: "", authorId: "u" }, { id: "new", at: 2 });
    addAnswer(doc, { questionId: "other", text: "x", author: "", authorId: "u" }, { id: "o" });
    toggleVote(doc, "old", "v1");
    expect(listVisibleAnswers(doc, q, "newest").map((a) => a.id)).toEqual(["new", "old"]);
    expect(listVisibleAnswers(doc, q, "votes").map((a) => a.id)).toEqual(["old", "new"]);
  });
});

describe("moderation", () => {
  const q = `${seminar.id}-q1`;

  function withAnswers(): Y.Doc {
    const doc = freshDoc();
    for (const [id, at] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ] as const) {
      addAnswer(doc, { questionId: q, text: id, author: "", authorId: id }, { id, at });
    }
    return doc;
  }

  it("hides and restores an answer", () => {
    const doc = withAnswers();
    hideAnswer(doc, "b");
    expect(readModeration(doc).get("b")).toBe("hidden");
    expect(listVisibleAnswers(doc, q).map((a) => a.id)).toEqual(["c", "a"]);
    expect(listAllAnswers(doc, q)).toHaveLength(3);
    restoreAnswer(doc, "b");
    expect(listVisibleAnswers(doc, q).map((a) => a.id)).toEqual(["c", "b", "a"]);
  });

  it("merges an answer into another: folded in, votes united, chains followed", () => {
    const doc = withAnswers();
    toggleVote(doc, "a", "v1");
    toggleVote(doc, "b", "v1");
    toggleVote(doc, "b", "v2");
    mergeAnswer(doc, "b", "a");
    mergeAnswer(doc, "c", "b");
    const [only, ...rest] = listVisibleAnswers(doc, q);
    expect(rest).toEqual([]);
    expect(only!.id).toBe("a");
    expect(only!.merged.map((m) => m.id).sort()).toEqual(["b", "c"]);
    expect(only!.votes).toBe(2);
    restoreAnswer(doc, "b");
    expect(listVisibleAnswers(doc, q).map((a) => a.id)).toEqual(["b", "a"]);
  });

  it("refuses merges into itself, across questions, of unknown answers and cycles", () => {
    const doc = withAnswers();
    addAnswer(doc, { questionId: "other", text: "x", author: "", authorId: "x" }, { id: "x" });
    expect(() => mergeAnswer(doc, "a", "a")).toThrow(/itself/);
    expect(() => mergeAnswer(doc, "a", "x")).toThrow(/same question/);
    expect(() => mergeAnswer(doc, "a", "zz")).toThrow(/exist/);
    mergeAnswer(doc, "a", "b");
    expect(() => mergeAnswer(doc, "b", "a")).toThrow(/cycle/);
  });
});
