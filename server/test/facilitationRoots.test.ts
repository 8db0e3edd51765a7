import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import {
  addAnswer,
  addCluster,
  listAllAnswers,
  listClusters,
  readApprovals,
  readPins,
  setApproved,
  setPinned,
  setStatus,
} from "@percorso/schema";
import type { PercorsoServer } from "../src/app.ts";
import {
  ADMIN_TOKEN,
  invite,
  startTestServer,
  syncedClient,
  tempDataDir,
  waitFor,
  type TestClient,
} from "./harness.ts";

const SEMINAR_ID = "s4-agenda-2030";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const QUESTION = `${SEMINAR_ID}-q1`;

/** What the three facilitator-only roots hold, as the schema reads them. */
const facilitationState = (doc: Y.Doc) => ({
  pins: [...readPins(doc)],
  approvals: [...readApprovals(doc)],
  clusters: listClusters(doc).map((c) => c.label),
});

/** One write to each facilitator-only root (DESIGN.md §5, permissions.ts `WRITERS.seminar`). */
const WRITES: {
  root: "pins" | "approvals" | "clusters";
  write: (doc: Y.Doc, id: string) => void;
}[] = [
  { root: "pins", write: (doc, answerId) => setPinned(doc, answerId, true) },
  { root: "approvals", write: (doc, answerId) => setApproved(doc, answerId, true) },
  { root: "clusters", write: (doc) => addCluster(doc, "Partenariati", "process") },
];

describe("facilitation roots: pins, approvals, clusters are the facilitator's (DESIGN.md §4)", () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PercorsoServer;
  let witness: TestClient;
  let answerId: string;
  const clients: TestClient[] = [];

  beforeEach(async () => {
    data = tempDataDir();
    server = await startTestServer(data.dir);
    witness = await syncedClient(server, SEMINAR, ADMIN_TOKEN);
    clients.push(witness);
    // An answer to pin, approve and cluster, written by a participant.
    const author = await join("participant");
    answerId = addAnswer(author.doc, {
      questionId: QUESTION,
      text: "Indicatori condivisi tra progetti",
      author: "Paola",
      authorId: "paola",
    });
    await waitFor(() => listAllAnswers(witness.doc).length === 1, "the answer at the witness");
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await server.stop();
    data.remove();
  });

  async function join(role: string): Promise<TestClient> {
    const client = await syncedClient(
      server,
      SEMINAR,
      await invite(server, { role, seminarId: SEMINAR_ID }),
    );
    clients.push(client);
    return client;
  }

  /** The seminar as a fresh server reads it back from storage. */
  async function reloaded(): Promise<Y.Doc> {
    for (const client of clients.splice(0)) client.destroy();
    await server.stop();
    server = await startTestServer(data.dir);
    const reader = await syncedClient(server, SEMINAR, ADMIN_TOKEN);
    clients.push(reader);
    return reader.doc;
  }

  async function expectRefused(client: TestClient, root: string): Promise<void> {
    await waitFor(() => client.closes.length > 0, "the refusal");
    expect(client.closes[0]).toEqual({ code: 4403, reason: "forbidden" });
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
    expect(facilitationState(witness.doc)).toEqual({ pins: [], approvals: [], clusters: [] });
  });

  it("accepts a facilitator's pin, approval and cluster, and persists them", async () => {
    const facilitator = await join("facilitator");
    for (const { write } of WRITES) write(facilitator.doc, answerId);
    const expected = { pins: [answerId], approvals: [answerId], clusters: ["Partenariati"] };
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
    addAnswer(participant.doc, {
      questionId: QUESTION,
      text: "Troppo tardi",
      author: "",
      authorId: "late",
    });
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
