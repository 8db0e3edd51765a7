import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  ADMIN_TOKEN,
  expectClosed,
  answerAs,
  itemTexts,
  useTestServer,
  voteAs,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const SEMINAR_ID = "s3-crisi-umanitarie";
const SEMINAR = `seminar:${SEMINAR_ID}`;

const questionTexts = (doc: Y.Doc) => itemTexts(doc, "questions");

describe("server-side write permissions (DESIGN.md §4)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(async () => {
    await openQuestions(server, SEMINAR_ID);
    await openQuestions(server, "s2-economia-circolare");
  });
  let witness: TestClient;

  beforeEach(async () => {
    witness = await server.connect(SEMINAR, ADMIN_TOKEN);
  });

  /** A client of this seminar with a seminar-scoped grant of `role`. */
  const participant = (role = "participant"): Promise<TestClient> =>
    server.join(SEMINAR, { role, seminarId: SEMINAR_ID });

  /** The refused write never reaches storage: a fresh server from the same files lacks it. */
  async function reloadedQuestions(): Promise<unknown[]> {
    await server.restart();
    return questionTexts((await server.connect(SEMINAR, ADMIN_TOKEN)).doc);
  }

  async function expectRefused(client: TestClient): Promise<void> {
    await expectClosed(client, { code: 4403, reason: "forbidden" });
    expect(client.denied[0]).toMatch(/may not write|does not have/);
  }

  it("refuses a participant appending to questions, and stores nothing of it", async () => {
    const before = questionTexts(witness.doc);
    const mallory = await participant();
    const question = new Y.Map<unknown>();
    question.set("text", "Domanda abusiva");
    mallory.doc.getArray("questions").push([question]);
    await expectRefused(mallory);
    expect(mallory.denied[0]).toContain("questions");
    expect(questionTexts(witness.doc)).toEqual(before);
    expect(await reloadedQuestions()).toEqual(before);
  });

  it("refuses an insert placed next to an existing question (no parent in the update)", async () => {
    const before = questionTexts(witness.doc);
    const mallory = await participant();
    const inserted = new Y.Map<unknown>();
    inserted.set("text", "Inserita in mezzo");
    mallory.doc.getArray("questions").insert(1, [inserted]);
    await expectRefused(mallory);
    expect(await reloadedQuestions()).toEqual(before);
  });

  it("refuses editing a field of an existing question (nested map item)", async () => {
    const before = questionTexts(witness.doc);
    const mallory = await participant();
    mallory.doc.getArray<Y.Map<unknown>>("questions").get(0).set("text", "Riscritta");
    await expectRefused(mallory);
    expect(await reloadedQuestions()).toEqual(before);
  });

  it("refuses deleting an existing question", async () => {
    const before = questionTexts(witness.doc);
    const mallory = await participant();
    mallory.doc.getArray("questions").delete(0, 1);
    await expectRefused(mallory);
    expect(await reloadedQuestions()).toEqual(before);
  });

  it("refuses an observer's answer", async () => {
    const observer = await participant("observer");
    const answer = new Y.Map<unknown>();
    answer.set("text", "non posso");
    observer.doc.getArray("answers").push([answer]);
    await expectRefused(observer);
    expect(witness.doc.getArray("answers").length).toBe(0);
  });

  it("refuses a root type the schema does not know, even for an admin", async () => {
    const admin = await server.connect(SEMINAR, ADMIN_TOKEN);
    admin.doc.getMap("extra").set("x", 1);
    await expectRefused(admin);
    expect(admin.denied[0]).toContain("extra");
  });

  it("accepts a participant's answer and recommendation text, and votes in nested maps", async () => {
    const alice = await participant();
    const answerId = answerAs(alice, "Coordinamento tra ONG");
    alice.doc.getXmlFragment("recommendations").push([new Y.XmlElement("paragraph")]);
    await waitFor(() => witness.doc.getArray("answers").length === 1, "answer");
    const bea = await participant();
    voteAs(bea, answerId);
    const anonId = bea.person!.anonId;
    await waitFor(
      () =>
        witness.doc.getArray<Y.Map<Y.Map<boolean>>>("answers").get(0).get("votes")?.get(anonId) ===
        true,
      "vote",
    );
    expect(alice.closes).toEqual([]);
    expect(bea.closes).toEqual([]);
  });

  it("refuses participants' writes once the facilitator closes the seminar", async () => {
    const facilitator = await participant("facilitator");
    const alice = await participant();
    facilitator.doc.getMap("session").set("status", "closed");
    await waitFor(() => alice.doc.getMap("session").get("status") === "closed", "status");
    alice.doc.getArray("answers").push([new Y.Map()]);
    await expectRefused(alice);
    expect(witness.doc.getArray("answers").length).toBe(0);
  });

  it("lets a participant rejoin with a full state that includes the facilitator's deletions", async () => {
    const facilitator = await participant("facilitator");
    const alice = await participant();
    facilitator.doc.getArray("questions").delete(0, 1);
    await waitFor(
      () => questionTexts(alice.doc).length === questionTexts(facilitator.doc).length,
      "deletion at the participant",
    );
    // Alice reconnects: her sync step 2 carries the whole delete set, deletions by others included.
    alice.provider.disconnect();
    answerAs(alice, "Scritta offline");
    alice.provider.connect();
    await waitFor(() => witness.doc.getArray("answers").length === 1, "answer after rejoin");
    expect(alice.closes.filter((c) => c.code === 4403)).toEqual([]);
  });

  it("refuses a facilitator of another seminar writing this seminar's questions", async () => {
    const other = await server.join(SEMINAR, {
      role: "facilitator",
      seminarId: "s2-economia-circolare",
    });
    other.doc.getArray("questions").push([new Y.Map()]);
    await expectRefused(other);
  });
});
