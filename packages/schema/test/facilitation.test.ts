import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  ANSWER_REF_NODE,
  TOSCANA_2021,
  addAnswer,
  addCluster,
  addTimerSeconds,
  answerCounts,
  answersFor,
  answersPerMinute,
  assignToCluster,
  citedAnswerIds,
  clearTimer,
  clusterLabelsByAnswer,
  hideAnswer,
  initSeminarDocument,
  isPromotedInText,
  listClusters,
  mergeAnswer,
  participation,
  paragraphNode,
  pauseTimer,
  promoteCluster,
  readApprovals,
  readPins,
  readSession,
  readTimer,
  removeCluster,
  resumeTimer,
  setApproved,
  setPinned,
  setPremoderated,
  startTimer,
  textOf,
  toggleVote,
  updateCluster,
  type ActorKind,
} from "../src/index.ts";

const seminar = TOSCANA_2021.seminars[1]!;
const q1 = `${seminar.id}-q1`;
const q2 = `${seminar.id}-q2`;

function freshDoc(): Y.Doc {
  const doc = new Y.Doc();
  initSeminarDocument(doc, seminar, { at: 1000 });
  return doc;
}

function answer(
  doc: Y.Doc,
  id: string,
  options: {
    questionId?: string;
    text?: string;
    author?: string;
    authorId?: string;
    actorKind?: ActorKind;
    at?: number;
  } = {},
): string {
  return addAnswer(
    doc,
    {
      questionId: options.questionId ?? q1,
      text: options.text ?? `risposta ${id}`,
      author: options.author ?? "",
      authorId: options.authorId ?? `author-${id}`,
      ...(options.actorKind ? { actorKind: options.actorKind } : {}),
    },
    { id, at: options.at ?? 0 },
  );
}

/** Exchanges the two documents' missing updates, as a provider does on reconnection. */
function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

const elements = (fragment: Y.XmlFragment | Y.XmlElement): Y.XmlElement[] =>
  fragment.toArray().filter((node): node is Y.XmlElement => node instanceof Y.XmlElement);

describe("countdown timer", () => {
  it("reads no timer on a fresh seminar", () => {
    expect(readTimer(freshDoc(), 0)).toEqual({
      running: false,
      paused: false,
      remainingMs: 0,
      endsAt: null,
    });
  });

  it("starts, pauses, resumes and clears", () => {
    const doc = freshDoc();
    startTimer(doc, 120, { at: 10_000 });
    expect(readTimer(doc, 40_000)).toEqual({
      running: true,
      paused: false,
      remainingMs: 90_000,
      endsAt: 130_000,
    });
    // Past the end the countdown stays at zero.
    expect(readTimer(doc, 500_000).remainingMs).toBe(0);

    pauseTimer(doc, { at: 40_000 });
    const paused = { running: false, paused: true, remainingMs: 90_000, endsAt: null };
    expect(readTimer(doc, 40_000)).toEqual(paused);
    // A paused timer does not run down.
    expect(readTimer(doc, 400_000)).toEqual(paused);
    expect(readSession(doc).timerEndsAt).toBeNull();
    // Pausing twice changes nothing.
    pauseTimer(doc, { at: 100_000 });
    expect(readTimer(doc, 100_000)).toEqual(paused);

    resumeTimer(doc, { at: 200_000 });
    expect(readTimer(doc, 200_000)).toEqual({
      running: true,
      paused: false,
      remainingMs: 90_000,
      endsAt: 290_000,
    });
    expect(doc.getMap("session").has("timerRemaining")).toBe(false);
    // Resuming a running timer changes nothing.
    resumeTimer(doc, { at: 250_000 });
    expect(readTimer(doc, 250_000).endsAt).toBe(290_000);

    clearTimer(doc);
    expect(readTimer(doc, 250_000)).toEqual({
      running: false,
      paused: false,
      remainingMs: 0,
      endsAt: null,
    });
  });

  it("does nothing when pausing or resuming without a timer", () => {
    const doc = freshDoc();
    const before = Y.encodeStateAsUpdate(doc);
    pauseTimer(doc, { at: 1 });
    resumeTimer(doc, { at: 1 });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("adds a minute to a running timer, a paused one, an expired one or none", () => {
    const doc = freshDoc();
    startTimer(doc, 30, { at: 0 });
    addTimerSeconds(doc, 60, { at: 10_000 });
    expect(readTimer(doc, 10_000)).toMatchObject({
      running: true,
      remainingMs: 80_000,
      endsAt: 90_000,
    });

    pauseTimer(doc, { at: 50_000 });
    addTimerSeconds(doc, 60, { at: 60_000 });
    expect(readTimer(doc, 70_000)).toEqual({
      running: false,
      paused: true,
      remainingMs: 100_000,
      endsAt: null,
    });
    resumeTimer(doc, { at: 100_000 });
    expect(readTimer(doc, 100_000)).toMatchObject({ running: true, endsAt: 200_000 });

    // Once expired, a minute more counts from now.
    addTimerSeconds(doc, 60, { at: 300_000 });
    expect(readTimer(doc, 300_000)).toMatchObject({ remainingMs: 60_000, endsAt: 360_000 });

    clearTimer(doc);
    addTimerSeconds(doc, 60, { at: 1_000_000 });
    expect(readTimer(doc, 1_000_000)).toMatchObject({ running: true, endsAt: 1_060_000 });
  });

  it("passes the origin to the transaction", () => {
    const doc = freshDoc();
    const origins: unknown[] = [];
    doc.on("update", (_update: Uint8Array, origin: unknown) => origins.push(origin));
    startTimer(doc, 10, { at: 0, origin: "console" });
    pauseTimer(doc, { at: 1, origin: "console" });
    resumeTimer(doc, { at: 2, origin: "console" });
    addTimerSeconds(doc, 60, { at: 3, origin: "console" });
    expect(origins).toEqual(["console", "console", "console", "console"]);
  });
});

describe("pins and approvals", () => {
  it("toggles pins and approvals, and a peer sees them", () => {
    const doc = freshDoc();
    const peer = new Y.Doc();
    doc.on("update", (update: Uint8Array) => Y.applyUpdate(peer, update));
    sync(doc, peer);

    setPinned(doc, "a", true);
    setPinned(doc, "b", true);
    setApproved(doc, "b", true);
    expect(readPins(peer)).toEqual(new Set(["a", "b"]));
    expect(readApprovals(peer)).toEqual(new Set(["b"]));

    setPinned(doc, "a", false);
    setApproved(doc, "b", false);
    // Un-setting what is not set is harmless.
    setApproved(doc, "zz", false);
    expect(readPins(peer)).toEqual(new Set(["b"]));
    expect(readApprovals(peer)).toEqual(new Set());
  });

  it("ignores values other than true written by a foreign client", () => {
    const doc = freshDoc();
    doc.getMap("pins").set("a", "yes");
    doc.getMap("approvals").set("b", 1);
    doc.getMap("approvals").set("c", true);
    expect(readPins(doc)).toEqual(new Set());
    expect(readApprovals(doc)).toEqual(new Set(["c"]));
  });
});

describe("answersFor", () => {
  /** q1 pre-moderated, q2 not; on each: `mine` by u1, `other` by u2, both unapproved. */
  function room(): Y.Doc {
    const doc = freshDoc();
    setPremoderated(doc, q1, true);
    for (const questionId of [q1, q2]) {
      const suffix = questionId === q1 ? "1" : "2";
      answer(doc, `old${suffix}`, { questionId, authorId: "u3", at: 1 });
      answer(doc, `mine${suffix}`, { questionId, authorId: "u1", at: 2 });
      answer(doc, `other${suffix}`, { questionId, authorId: "u2", at: 3 });
      answer(doc, `hidden${suffix}`, { questionId, authorId: "u1", at: 4 });
      hideAnswer(doc, `hidden${suffix}`);
    }
    setApproved(doc, "old1", true);
    return doc;
  }

  const ids = (doc: Y.Doc, questionId: string, ...args: Parameters<typeof answersFor>[2][]) =>
    args.map((audience) => answersFor(doc, questionId, audience).map((a) => a.id));

  it("applies pre-moderation per audience", () => {
    const doc = room();
    expect(
      ids(
        doc,
        q1,
        { kind: "facilitator" },
        { kind: "participant", userId: "u1" },
        { kind: "participant", userId: "u2" },
        { kind: "projector" },
      ),
    ).toEqual([["other1", "mine1", "old1"], ["mine1", "old1"], ["other1", "old1"], ["old1"]]);
    const facilitator = answersFor(doc, q1, { kind: "facilitator" });
    expect(facilitator.map((a) => [a.id, a.approved, a.pinned])).toEqual([
      ["other1", false, false],
      ["mine1", false, false],
      ["old1", true, false],
    ]);

    setApproved(doc, "mine1", true);
    expect(ids(doc, q1, { kind: "projector" }, { kind: "participant", userId: "u2" })).toEqual([
      ["mine1", "old1"],
      ["other1", "mine1", "old1"],
    ]);

    // Lifting pre-moderation shows everything not hidden.
    setPremoderated(doc, q1, false);
    expect(ids(doc, q1, { kind: "projector" })).toEqual([["other1", "mine1", "old1"]]);
  });

  it("shows every visible answer of a normal question to every audience", () => {
    const doc = room();
    const all = ["other2", "mine2", "old2"];
    expect(
      ids(
        doc,
        q2,
        { kind: "facilitator" },
        { kind: "participant", userId: "u1" },
        { kind: "projector" },
      ),
    ).toEqual([all, all, all]);
    expect(answersFor(doc, q2, { kind: "projector" }).every((a) => a.approved)).toBe(true);
    // Unknown questions are not pre-moderated, and have no answers.
    expect(answersFor(doc, "nope", { kind: "projector" })).toEqual([]);
  });

  it("puts pinned answers first, keeping the order within each group", () => {
    const doc = room();
    setPinned(doc, "old2", true);
    setPinned(doc, "mine2", true);
    const shown = answersFor(doc, q2, { kind: "projector" });
    expect(shown.map((a) => [a.id, a.pinned])).toEqual([
      ["mine2", true],
      ["old2", true],
      ["other2", false],
    ]);
    toggleVote(doc, "old2", "v1");
    toggleVote(doc, "other2", "v1");
    toggleVote(doc, "other2", "v2");
    expect(answersFor(doc, q2, { kind: "projector" }, "votes").map((a) => a.id)).toEqual([
      "old2",
      "mine2",
      "other2",
    ]);
  });

  it("folds merged answers into their target with the union of voters", () => {
    const doc = room();
    toggleVote(doc, "old2", "v1");
    toggleVote(doc, "mine2", "v1");
    toggleVote(doc, "mine2", "v2");
    mergeAnswer(doc, "mine2", "old2");
    const shown = answersFor(doc, q2, { kind: "participant", userId: "u1" });
    expect(shown.map((a) => a.id)).toEqual(["other2", "old2"]);
    const target = shown[1]!;
    expect(target.merged.map((a) => a.id)).toEqual(["mine2"]);
    expect(target.votes).toBe(2);
    expect([...target.voters].sort()).toEqual(["v1", "v2"]);
  });
});

describe("clusters", () => {
  it("adds, reads, updates and removes clusters", () => {
    const doc = freshDoc();
    expect(listClusters(doc)).toEqual([]);
    expect(addCluster(doc, "  Filiere corte  ", "theme", { id: "c1", at: 50 })).toBe("c1");
    addCluster(doc, "Tavoli permanenti", "process", { id: "c2", at: 60 });
    expect(() => addCluster(doc, "   ", "theme")).toThrow(/label/);
    expect(listClusters(doc)).toEqual([
      {
        id: "c1",
        label: "Filiere corte",
        axis: "theme",
        answerIds: [],
        createdAt: 50,
        promotedAt: null,
        promotedLabel: null,
      },
      {
        id: "c2",
        label: "Tavoli permanenti",
        axis: "process",
        answerIds: [],
        createdAt: 60,
        promotedAt: null,
        promotedLabel: null,
      },
    ]);

    expect(updateCluster(doc, "c1", { label: " Filiere locali ", axis: "process" })).toBe(true);
    // An empty label is ignored, the rest of the patch applied.
    expect(updateCluster(doc, "c2", { label: "  ", axis: "theme" })).toBe(true);
    expect(updateCluster(doc, "nope", { label: "x" })).toBe(false);
    expect(listClusters(doc).map((c) => [c.id, c.label, c.axis])).toEqual([
      ["c1", "Filiere locali", "process"],
      ["c2", "Tavoli permanenti", "theme"],
    ]);

    expect(removeCluster(doc, "c1")).toBe(true);
    expect(removeCluster(doc, "c1")).toBe(false);
    expect(listClusters(doc).map((c) => c.id)).toEqual(["c2"]);
  });

  it("skips items without the cluster shape", () => {
    const doc = freshDoc();
    const stray = new Y.Map<unknown>();
    stray.set("id", "stray");
    stray.set("label", "x");
    stray.set("axis", "astrology");
    doc.getArray("clusters").push([stray]);
    const loose = new Y.Map<unknown>();
    loose.set("id", "loose");
    loose.set("label", "y");
    loose.set("axis", "theme");
    doc.getArray("clusters").push([loose]);
    expect(listClusters(doc)).toEqual([
      {
        id: "loose",
        label: "y",
        axis: "theme",
        answerIds: [],
        createdAt: 0,
        promotedAt: null,
        promotedLabel: null,
      },
    ]);
  });

  it("moves an answer between clusters and out of every cluster", () => {
    const doc = freshDoc();
    addCluster(doc, "Uno", "theme", { id: "c1" });
    addCluster(doc, "Due", "process", { id: "c2" });
    assignToCluster(doc, "a", "c1");
    assignToCluster(doc, "b", "c1");
    const members = () => listClusters(doc).map((c) => [c.id, c.answerIds]);
    expect(members()).toEqual([
      ["c1", ["a", "b"]],
      ["c2", []],
    ]);
    expect(clusterLabelsByAnswer(doc)).toEqual(
      new Map([
        ["a", ["Uno"]],
        ["b", ["Uno"]],
      ]),
    );

    assignToCluster(doc, "a", "c2");
    expect(members()).toEqual([
      ["c1", ["b"]],
      ["c2", ["a"]],
    ]);
    // Assigning again to the same cluster keeps a single entry.
    assignToCluster(doc, "a", "c2");
    expect(members()).toEqual([
      ["c1", ["b"]],
      ["c2", ["a"]],
    ]);
    expect(clusterLabelsByAnswer(doc).get("a")).toEqual(["Due"]);

    assignToCluster(doc, "a", null);
    expect(members()).toEqual([
      ["c1", ["b"]],
      ["c2", []],
    ]);
    expect(clusterLabelsByAnswer(doc).has("a")).toBe(false);
  });

  it("converges when two facilitators assign the same answer concurrently, to one cluster", () => {
    const a = freshDoc();
    answer(a, "x");
    addCluster(a, "Uno", "theme", { id: "c1" });
    addCluster(a, "Due", "theme", { id: "c2" });
    addCluster(a, "Tre", "process", { id: "c3" });
    assignToCluster(a, "x", "c3");
    const b = new Y.Doc();
    sync(a, b);

    // Offline, each moves the answer out of c3 into a different cluster.
    assignToCluster(a, "x", "c1");
    assignToCluster(b, "x", "c2");
    sync(a, b);
    const members = (doc: Y.Doc) => listClusters(doc).map((c) => [c.id, c.answerIds]);
    expect(members(a)).toEqual(members(b));
    // One key per answer: the last writer wins, the answer is in exactly one cluster.
    const holding = listClusters(a).filter((c) => c.answerIds.includes("x"));
    expect(holding).toHaveLength(1);
    expect(["c1", "c2"]).toContain(holding[0]!.id);
    expect(clusterLabelsByAnswer(b).get("x")).toHaveLength(1);

    // Both assigning to the same cluster: the answer is listed once.
    assignToCluster(a, "x", "c1");
    assignToCluster(b, "x", "c1");
    sync(a, b);
    expect(members(a)).toEqual(members(b));
    expect(members(a)).toEqual([
      ["c1", ["x"]],
      ["c2", []],
      ["c3", []],
    ]);

    // Deleting a cluster leaves its answers in none.
    removeCluster(b, "c1");
    sync(a, b);
    expect(clusterLabelsByAnswer(a).has("x")).toBe(false);
  });
});

describe("promoteCluster", () => {
  function harvested(): Y.Doc {
    const doc = freshDoc();
    answer(doc, "a1", { text: "Filiere  corte\ndel riciclo", author: "Ada" });
    answer(doc, "a2", { text: "Mercati locali" });
    answer(doc, "a3", { text: "x".repeat(100) });
    addCluster(doc, "Filiere", "theme", { id: "theme" });
    addCluster(doc, "Tavoli permanenti", "process", { id: "process" });
    for (const id of ["a1", "a2", "a3"]) assignToCluster(doc, id, "theme");
    assignToCluster(doc, "a2", "process");
    assignToCluster(doc, "a2", "theme");
    return doc;
  }

  /** Headings with their text, paragraphs with their number of children. */
  const names = (fragment: Y.XmlFragment) =>
    elements(fragment).map(
      (node) => `${node.nodeName}:${node.nodeName === "heading" ? textOf(node) : node.length}`,
    );

  it("writes a theme right before the second part, in the place of its empty paragraph, label in bold then citations", () => {
    const doc = harvested();
    const fragment = doc.getXmlFragment("recommendations");
    expect(promoteCluster(doc, "theme", { at: 777 })).toBe(true);
    // The part's empty paragraph is taken: no blank line is left above the promoted one.
    expect(names(fragment)).toEqual([
      "heading:Nuovi temi su cui lavorare",
      "paragraph:6",
      "heading:Nuovi processi e metodologie di governance",
      "paragraph:0",
    ]);
    const paragraph = elements(fragment)[1]!;
    const [label, ...rest] = paragraph.toArray();
    expect(label).toBeInstanceOf(Y.XmlText);
    expect((label as Y.XmlText).toDelta()).toEqual([
      { insert: "Filiere", attributes: { bold: {} } },
      { insert: ": " },
    ]);
    const refs = rest.filter(
      (node): node is Y.XmlElement =>
        node instanceof Y.XmlElement && node.nodeName === ANSWER_REF_NODE,
    );
    expect(refs.map((ref) => ref.getAttributes())).toEqual([
      { answerId: "a1", label: "Filiere corte del riciclo (Ada)" },
      { answerId: "a2", label: "Mercati locali" },
      { answerId: "a3", label: `${"x".repeat(79)}…` },
    ]);
    // Citations are separated by a space.
    expect(rest.map((node) => (node instanceof Y.XmlText ? node.toString() : "ref"))).toEqual([
      "ref",
      " ",
      "ref",
      " ",
      "ref",
    ]);
    expect(citedAnswerIds(fragment)).toEqual(["a1", "a2", "a3"]);
    expect(listClusters(doc).find((c) => c.id === "theme")!.promotedAt).toBe(777);
    expect(listClusters(doc).find((c) => c.id === "process")!.promotedAt).toBeNull();
  });

  it("writes a process at the end of the text", () => {
    const doc = harvested();
    assignToCluster(doc, "a2", "process");
    const fragment = doc.getXmlFragment("recommendations");
    expect(promoteCluster(doc, "process", { at: 5 })).toBe(true);
    const nodes = elements(fragment);
    expect(nodes.map((node) => node.nodeName)).toEqual([
      "heading",
      "paragraph",
      "heading",
      "paragraph",
    ]);
    expect((nodes[3]!.get(0) as Y.XmlText).toDelta()).toEqual([
      { insert: "Tavoli permanenti", attributes: { bold: {} } },
      { insert: ": " },
    ]);
    expect(citedAnswerIds(nodes[3]!)).toEqual(["a2"]);

    // Written after some text of the part, it goes below that text.
    const text = nodes[3]!;
    fragment.insert(4, [paragraphNode("Un paragrafo scritto a mano")]);
    addCluster(doc, "Bilanci partecipati", "process", { id: "p2" });
    expect(promoteCluster(doc, "p2")).toBe(true);
    expect(names(fragment).slice(3)).toEqual(["paragraph:2", "paragraph:1", "paragraph:1"]);
    expect(elements(fragment)[3]).toBe(text);
  });

  it("writes at the end when the heading of the part is gone", () => {
    const doc = harvested();
    const fragment = doc.getXmlFragment("recommendations");
    fragment.delete(0, 1);
    expect(promoteCluster(doc, "theme", { at: 1 })).toBe(true);
    const nodes = elements(fragment);
    expect(nodes.map((node) => node.nodeName)).toEqual(["paragraph", "heading", "paragraph"]);
    expect(citedAnswerIds(nodes[2]!)).toEqual(["a1", "a2", "a3"]);
  });

  it("writes only the bold label for an empty cluster, and leaves hidden answers out", () => {
    const doc = harvested();
    addCluster(doc, "Vuoto", "theme", { id: "empty" });
    expect(promoteCluster(doc, "empty")).toBe(true);
    const fragment = doc.getXmlFragment("recommendations");
    const paragraph = elements(fragment)[1]!;
    expect(paragraph.length).toBe(1);
    expect((paragraph.get(0) as Y.XmlText).toDelta()).toEqual([
      { insert: "Vuoto", attributes: { bold: {} } },
    ]);

    hideAnswer(doc, "a3");
    expect(promoteCluster(doc, "theme")).toBe(true);
    expect(citedAnswerIds(fragment)).toEqual(["a1", "a2"]);
  });

  it("updates a cluster promoted before where its paragraph is, instead of writing it twice", () => {
    const doc = harvested();
    const fragment = doc.getXmlFragment("recommendations");
    expect(isPromotedInText(doc, "theme")).toBe(false);
    promoteCluster(doc, "theme", { at: 1 });
    expect(isPromotedInText(doc, "theme")).toBe(true);
    // More text after it; then the cluster changes: renamed, one answer out.
    fragment.insert(2, [paragraphNode("Dopo")]);
    updateCluster(doc, "theme", { label: "Filiere corte" });
    assignToCluster(doc, "a3", null);
    expect(promoteCluster(doc, "theme", { at: 2 })).toBe(true);
    expect(names(fragment)).toEqual([
      "heading:Nuovi temi su cui lavorare",
      "paragraph:4",
      "paragraph:1",
      "heading:Nuovi processi e metodologie di governance",
      "paragraph:0",
    ]);
    expect(
      ((elements(fragment)[1]!.get(0) as Y.XmlText).toDelta() as { insert: string }[])[0],
    ).toEqual({
      insert: "Filiere corte",
      attributes: { bold: {} },
    });
    expect(citedAnswerIds(fragment)).toEqual(["a1", "a2"]);
    expect(listClusters(doc)[0]).toMatchObject({ promotedAt: 2, promotedLabel: "Filiere corte" });

    // Its paragraph deleted from the text, promoting writes it again.
    fragment.delete(1, 1);
    expect(isPromotedInText(doc, "theme")).toBe(false);
    promoteCluster(doc, "theme", { at: 3 });
    expect(citedAnswerIds(fragment)).toEqual(["a1", "a2"]);
  });

  it("refuses an unknown cluster", () => {
    const doc = harvested();
    const before = Y.encodeStateAsUpdate(doc);
    expect(promoteCluster(doc, "nope")).toBe(false);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
  });

  it("reaches a peer in a single update with the given origin", () => {
    const doc = harvested();
    const peer = new Y.Doc();
    sync(doc, peer);
    const origins: unknown[] = [];
    doc.on("update", (update: Uint8Array, origin: unknown) => {
      origins.push(origin);
      Y.applyUpdate(peer, update);
    });
    promoteCluster(doc, "theme", { at: 3, origin: "harvest" });
    expect(origins).toEqual(["harvest"]);
    expect(citedAnswerIds(peer.getXmlFragment("recommendations"))).toEqual(["a1", "a2", "a3"]);
    expect(listClusters(peer)[0]!.promotedAt).toBe(3);
  });
});

describe("figures", () => {
  it("counts answers, people and kinds of actor, hidden answers included", () => {
    const doc = freshDoc();
    expect(participation(doc)).toEqual({
      answers: 0,
      people: 0,
      byActorKind: {},
      hidden: 0,
      merged: 0,
      pending: 0,
    });
    answer(doc, "a", { authorId: "u1", actorKind: "ngo" });
    answer(doc, "b", { authorId: "u1", actorKind: "ngo", questionId: q2 });
    answer(doc, "c", { authorId: "u2", actorKind: "university" });
    answer(doc, "d", { authorId: "u3" });
    hideAnswer(doc, "d");
    expect(participation(doc)).toEqual({
      answers: 4,
      people: 3,
      byActorKind: { ngo: 2, university: 1, unknown: 1 },
      hidden: 1,
      merged: 0,
      pending: 0,
    });
  });

  it("counts the answers shown on their own apart from hidden, merged and pending ones, as the console and the report say them", () => {
    const doc = freshDoc();
    for (const id of ["a", "b", "c", "d", "e"]) answer(doc, id);
    answer(doc, "p", { questionId: q2 });
    answer(doc, "ok", { questionId: q2 });
    setPremoderated(doc, q2, true);
    setApproved(doc, "ok", true);
    hideAnswer(doc, "a");
    mergeAnswer(doc, "b", "c");
    mergeAnswer(doc, "d", "c");
    expect(answerCounts(doc, q1)).toEqual({
      written: 5,
      visible: 2,
      pending: 0,
      hidden: 1,
      merged: 2,
    });
    expect(answerCounts(doc, q2)).toEqual({
      written: 2,
      visible: 1,
      pending: 1,
      hidden: 0,
      merged: 0,
    });
    expect(answerCounts(doc)).toEqual({ written: 7, visible: 3, pending: 1, hidden: 1, merged: 2 });
    // What a participant's room lists as answers of their own is the visible count.
    expect(answersFor(doc, q1, { kind: "projector" })).toHaveLength(2);
  });

  it("buckets answers per minute, oldest first", () => {
    const doc = freshDoc();
    const at = 10 * 60_000;
    answer(doc, "now", { at }); // age 0 → last bucket
    answer(doc, "30s", { at: at - 30_000 }); // age 0
    answer(doc, "1m", { at: at - 60_000 }); // age 1
    answer(doc, "2m59", { at: at - 179_000 }); // age 2
    answer(doc, "4m", { at: at - 240_000 }); // age 4 → first bucket of five
    answer(doc, "5m", { at: at - 300_000 }); // too old
    answer(doc, "future", { at: at + 1 }); // not yet
    expect(answersPerMinute(doc, 5, at)).toEqual([1, 0, 1, 1, 2]);
    expect(answersPerMinute(doc, 3, at)).toEqual([1, 1, 2]);
    expect(answersPerMinute(doc, 10, at)).toHaveLength(10);
    expect(answersPerMinute(doc, 10, at).reduce((sum, n) => sum + n, 0)).toBe(6);
  });
});
