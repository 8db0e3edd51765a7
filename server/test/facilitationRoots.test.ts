import { beforeEach, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import {
  addCluster,
  assignToCluster,
  listAllAnswers,
  listClusters,
  readApprovals,
  readPins,
  setApproved,
  setPinned,
  setStatus,
} from "@percorso/schema";
import {
  ADMIN_TOKEN,
  answerAs,
  expectClosed,
  useTestServer,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const SEMINAR_ID = "s4-agenda-2030";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const QUESTION = `${SEMINAR_ID}-q1`;

/** What the three facilitator-only roots hold, as the schema reads them. */
const facilitationState = (doc: Y.Doc) => ({
  pins: [...readPins(doc)],
  approvals: [...readApprovals(doc)],
  clusters: listClusters(doc).map((c) => c.label),
  clusterOf: [...doc.getMap("clusterOf").keys()],
});

/** One write to each facilitator-only root (DESIGN.md §5, permissions.ts `WRITERS.seminar`). */
const WRITES: {
  root: "pins" | "approvals" | "clusters" | "clusterOf";
  write: (doc: Y.Doc, id: string) => void;
}[] = [
  { root: "pins", write: (doc, answerId) => setPinned(doc, answerId, true) },
  { root: "approvals", write: (doc, answerId) => setApproved(doc, answerId, true) },
  { root: "clusters", write: (doc) => addCluster(doc, "Partenariati", "process") },
  { root: "clusterOf", write: (doc, answerId) => assignToCluster(doc, answerId, "c-any") },
];

describe("facilitation roots: pins, approvals, clusters are the facilitator's (DESIGN.md §4)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));
  let witness: TestClient;
  let answerId: string;

  const join = (role: string): Promise<TestClient> =>
    server.join(SEMINAR, { role, seminarId: SEMINAR_ID });

  beforeEach(async () => {
    witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    // An answer to pin, approve and cluster, written by a participant.
    const author = await join("participant");
    answerId = answerAs(author, "Indicatori condivisi tra progetti", { questionId: QUESTION });
    await waitFor(() => listAllAnswers(witness.doc).length === 1, "the answer at the witness");
  });

  /** The seminar as a fresh server reads it back from storage. */
  async function reloaded(): Promise<Y.Doc> {
    server.destroyClients();
    await server.restart();
    return (await server.connect(SEMINAR, ADMIN_TOKEN)).doc;
  }

  async function expectRefused(client: TestClient, root: string): Promise<void> {
    await expectClosed(client, { code: 4403, reason: "forbidden" });
    expect(client.denied[0]).toContain(root);
  }

  for (const { root, write } of WRITES) {
    it(`refuses a participant writing ${root} with 4403 and stores nothing of it`, async () => {
      const before = facilitationState(witness.doc);
      const participant = await join("participant");
      write(participant.doc, answerId);
      await expectRefused(participant, root);
      expect(facilitationState(witness.doc)).toEqual(before);
      expect(facilitationState(await reloaded())).toEqual(before);
    });
  }

  it("refuses an observer writing pins, approvals or clusters", async () => {
    for (const { root, write } of WRITES) {
      const observer = await join("observer");
      write(observer.doc, answerId);
      await expectRefused(observer, root);
    }
    expect(facilitationState(witness.doc)).toEqual({
      pins: [],
      approvals: [],
      clusters: [],
      clusterOf: [],
    });
  });

  it("accepts a facilitator's pin, approval and cluster, and persists them", async () => {
    const facilitator = await join("facilitator");
    for (const { write } of WRITES) write(facilitator.doc, answerId);
    const expected = {
      pins: [answerId],
      approvals: [answerId],
      clusters: ["Partenariati"],
      clusterOf: [answerId],
    };
    await waitFor(
      () => JSON.stringify(facilitationState(witness.doc)) === JSON.stringify(expected),
      "the facilitator's writes at the witness",
    );
    expect(facilitator.closes).toEqual([]);
    expect(facilitationState(await reloaded())).toEqual(expected);
  });

  it("refuses a participant's answer with 4403 once the facilitator closes the seminar", async () => {
    const facilitator = await join("facilitator");
    const participant = await join("participant");
    setStatus(facilitator.doc, "closed");
    await waitFor(
      () => participant.doc.getMap("session").get("status") === "closed",
      "the closed status at the participant",
    );
    answerAs(participant, "Troppo tardi", { questionId: QUESTION, anonymous: true });
    await expectRefused(participant, "answers");
    expect(listAllAnswers(witness.doc).map((a) => a.text)).toEqual([
      "Indicatori condivisi tra progetti",
    ]);
    const stored = await reloaded();
    expect(listAllAnswers(stored).map((a) => a.text)).toEqual([
      "Indicatori condivisi tra progetti",
    ]);
    expect(stored.getMap("session").get("status")).toBe("closed");
  });
});
