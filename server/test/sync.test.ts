import { describe, expect, it, beforeEach } from "vitest";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import {
  answerAs,
  documentUrl,
  invite,
  newPerson,
  type JoinedPerson,
  type TestClient,
  rawSocket,
  itemTexts,
  syncedClient,
  useTestServer,
  waitFor,
  waitForMetric,
  openQuestions,
} from "./harness.ts";

const SEMINAR = "seminar:s2-economia-circolare";

/** An answer written by the client's person (signed, as the item rules ask). */
function answer(client: TestClient, id: string, text: string): void {
  answerAs(client, text, { id });
}

/** The client, known to be `person`'s. */
function as(person: JoinedPerson, client: TestClient): TestClient {
  client.person = person;
  return client;
}

const answerTexts = (doc: Y.Doc) => itemTexts(doc, "answers");

/** A y-protocols sync message: step 1 = 0, step 2 = 1, update = 2. */
function syncMessage(step: number, update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, step);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe("collaboration between stock y-websocket clients", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, "s2-economia-circolare"));

  it("serves the seeded seminar with its starter questions", async () => {
    const person = await newPerson(server, { role: "participant" });
    const token = person.token;
    const client = as(person, await server.connect(SEMINAR, token));
    expect(client.doc.getArray("questions").length).toBeGreaterThanOrEqual(2);
    expect(client.doc.getMap("session").get("status")).toBe("scheduled");
  });

  it("syncs answers and recommendation text between two participants", async () => {
    const person = await newPerson(server, { role: "participant" });
    const token = person.token;
    const alice = as(person, await server.connect(SEMINAR, token));
    const bruno = as(person, await server.connect(SEMINAR, token));

    answer(alice, "a1", "Serve una rete regionale di economia circolare");
    await waitFor(() => answerTexts(bruno.doc).length === 1, "answer at the peer");
    expect(answerTexts(bruno.doc)).toEqual(["Serve una rete regionale di economia circolare"]);

    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("Nuovi temi: ")]);
    alice.doc.getXmlFragment("recommendations").push([paragraph]);
    await waitFor(
      () => bruno.doc.getXmlFragment("recommendations").toString().includes("Nuovi temi"),
      "recommendation text at the peer",
    );
    // Concurrent edits converge.
    const brunoParagraph = bruno.doc.getXmlFragment("recommendations").get(0) as Y.XmlElement;
    (brunoParagraph.get(0) as Y.XmlText).insert(12, "filiere corte");
    answer(alice, "a2", "Formazione congiunta");
    await waitFor(
      () =>
        alice.doc.getXmlFragment("recommendations").toString() ===
          bruno.doc.getXmlFragment("recommendations").toString() &&
        answerTexts(bruno.doc).length === 2,
      "convergence",
    );
    expect(alice.doc.getXmlFragment("recommendations").toString()).toContain("filiere corte");
  });

  it("gives each newcomer the current state, also after edits since the last one joined", async () => {
    const person = await newPerson(server, { role: "participant" });
    const token = person.token;
    const alice = as(person, await server.connect(SEMINAR, token));
    answer(alice, "n1", "prima");
    const first = await server.join(SEMINAR, { role: "observer" });
    await waitFor(() => answerTexts(first.doc).length === 1, "first newcomer synced");
    const second = await server.join(SEMINAR, { role: "observer" }); // served the shared state
    expect(answerTexts(second.doc)).toEqual(["prima"]);
    answer(alice, "n2", "seconda"); // the shared full state is now stale
    await waitFor(() => answerTexts(first.doc).length === 2, "update at the first newcomer");
    const third = await server.join(SEMINAR, { role: "observer" });
    expect(answerTexts(third.doc)).toEqual(["prima", "seconda"]);
  });

  it("asks for a resync, and does not close, when an update builds on edits it has not had", async () => {
    const person = await newPerson(server, { role: "participant" });
    const token = person.token;
    const alice = as(person, await server.connect(SEMINAR, token));
    // A client that typed while its reconnect was under way: e2 builds on e1, which is unsent.
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(alice.doc));
    const before = Y.encodeStateVector(local);
    const paragraph = new Y.XmlElement("paragraph");
    local.getXmlFragment("recommendations").push([paragraph]);
    const afterE1 = Y.encodeStateVector(local);
    paragraph.insert(0, [new Y.XmlText("scritto durante la riconnessione")]);
    const e2 = Y.encodeStateAsUpdate(local, afterE1);

    const { socket, closed } = await rawSocket(documentUrl(server, SEMINAR, token));
    const stepOnes: number[] = [];
    socket.on("message", (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) === 0 && decoding.readVarUint(decoder) === 0) {
        stepOnes.push(Date.now());
      }
    });
    await waitFor(() => stepOnes.length === 1, "the server's sync step 1");
    socket.send(syncMessage(2, e2)); // an update message ahead of the server
    await waitFor(() => stepOnes.length === 2, "a second sync step 1: the server asks again");
    expect(alice.doc.getXmlFragment("recommendations").toString()).not.toContain("riconnessione");

    // The client's step 2 carries everything the server lacks, e1 and e2 together.
    socket.send(syncMessage(1, Y.encodeStateAsUpdate(local, before)));
    await waitFor(
      () => alice.doc.getXmlFragment("recommendations").toString().includes("riconnessione"),
      "the whole edit at the peer",
    );
    const outcome = await Promise.race([
      closed,
      new Promise((r) => setTimeout(() => r("open"), 200)),
    ]);
    expect(outcome).toBe("open");
    socket.close();
  });

  it("keeps every accepted update across a clean restart", async () => {
    const person = await newPerson(server, { role: "participant" });
    const token = person.token;
    const alice = as(person, await syncedClient(server, SEMINAR, token));
    for (let i = 0; i < 50; i++) answer(alice, `a${i}`, `risposta ${i}`);
    const observer = await server.join(SEMINAR, { role: "observer" });
    await waitFor(() => answerTexts(observer.doc).length === 50, "answers at the observer");
    alice.destroy();

    await server.restart();
    const again = await server.join(SEMINAR, { role: "observer" });
    expect(answerTexts(again.doc)).toEqual(answerTexts(observer.doc));
  });

  it("compacts the log into a snapshot on unload and loads snapshot plus tail", async () => {
    await server.restart({ COMPACT_AFTER_UPDATES: "10", IDLE_UNLOAD_MS: "50" });
    const person = await newPerson(server, { role: "participant" });
    const token = person.token;
    const alice = as(person, await syncedClient(server, SEMINAR, token));
    const watcher = await syncedClient(server, SEMINAR, await invite(server, { role: "observer" }));
    for (let i = 0; i < 35; i++) answer(alice, `a${i}`, `r${i}`);
    await waitFor(() => answerTexts(watcher.doc).length === 35, "answers at the watcher");
    alice.destroy();
    watcher.destroy();
    await waitForMetric(server, "percorso_loaded_documents", 0);

    // Reloaded from the snapshot; a few more updates stay in the log's tail.
    const bruno = as(person, await syncedClient(server, SEMINAR, token));
    expect(answerTexts(bruno.doc)).toHaveLength(35);
    const reader = await server.join(SEMINAR, { role: "observer" });
    for (let i = 35; i < 40; i++) answer(bruno, `a${i}`, `r${i}`);
    await waitFor(() => answerTexts(reader.doc).length === 40, "tail at the reader");
    const expected = answerTexts(bruno.doc);
    bruno.destroy();

    await server.restart();
    const again = await server.join(SEMINAR, { role: "observer" });
    expect(answerTexts(again.doc)).toEqual(expected);
    expect(expected).toHaveLength(40);
  });

  it("removes a leaving client's presence for everyone else", async () => {
    const person = await newPerson(server, { role: "participant" });
    const token = person.token;
    const alice = as(person, await syncedClient(server, SEMINAR, token));
    const watcher = await server.join(SEMINAR, { role: "observer" });
    alice.provider.awareness.setLocalStateField("user", { name: "Alice" });
    const aliceId = alice.doc.clientID;
    await waitFor(() => watcher.provider.awareness.getStates().has(aliceId), "presence");
    alice.destroy();
    await waitFor(() => !watcher.provider.awareness.getStates().has(aliceId), "presence removed");
    // The watcher's client echoes the states it receives: that is not a reason to close it.
    expect(watcher.closes).toEqual([]);
  });

  it("keeps a client open that repeats the removals of the same person's windows gone", async () => {
    // A projector link opened again and again: the window that stays hears each of the others
    // leave. A client that repeats those removals late (all in one message, as a stock client
    // does when its 30 s timer drops states it still held) speaks for nobody: the removals
    // never count against the four presences a connection may hold.
    const person = await newPerson(server, { role: "observer" });
    const stays = as(person, await server.connect(SEMINAR, person.token));
    stays.provider.awareness.setLocalStateField("user", { name: "Proiettore" });
    const watcher = await server.join(SEMINAR, { role: "observer" });
    const windows: TestClient[] = [];
    for (let i = 0; i < 5; i++) {
      const window = as(person, await server.connect(SEMINAR, person.token));
      window.provider.awareness.setLocalStateField("user", { name: `Proiettore ${i}` });
      windows.push(window);
    }
    const ids = windows.map((w) => w.doc.clientID);
    await waitFor(
      () => ids.every((id) => stays.provider.awareness.getStates().has(id)),
      "the other windows seen",
    );
    const heard = new Map(ids.map((id) => [id, stays.provider.awareness.meta.get(id)?.clock ?? 0]));
    for (const window of windows) window.destroy();
    await waitFor(
      () => ids.every((id) => !stays.provider.awareness.getStates().has(id)),
      "the other windows gone",
    );
    const removals = encoding.createEncoder();
    encoding.writeVarUint(removals, ids.length);
    for (const id of ids) {
      encoding.writeVarUint(removals, id);
      encoding.writeVarUint(removals, heard.get(id) ?? 0);
      encoding.writeVarString(removals, "null");
    }
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 1); // y-protocols awareness message
    encoding.writeVarUint8Array(message, encoding.toUint8Array(removals));
    stays.provider.ws!.send(encoding.toUint8Array(message));
    // One more change of its own goes through after the repeat.
    stays.provider.awareness.setLocalStateField("user", { name: "Proiettore (sala)" });
    await waitFor(
      () =>
        (
          JSON.stringify(watcher.provider.awareness.getStates().get(stays.doc.clientID)) ?? ""
        ).includes("sala"),
      "the staying window's rename",
    );
    expect(stays.closes).toEqual([]);
    expect([...watcher.provider.awareness.getStates().keys()].sort()).toEqual(
      [stays.doc.clientID, watcher.doc.clientID].sort(),
    );
  });

  it("lets no client speak for another client's presence", async () => {
    const person = await newPerson(server, { role: "participant" });
    const token = person.token;
    const alice = as(person, await server.connect(SEMINAR, token));
    const mallory = as(person, await server.connect(SEMINAR, token));
    const watcher = await server.join(SEMINAR, { role: "observer" });
    alice.provider.awareness.setLocalStateField("user", { name: "Alice" });
    const aliceId = alice.doc.clientID;
    await waitFor(() => watcher.provider.awareness.getStates().has(aliceId), "alice's presence");

    // Mallory forges a newer state for Alice's client id, then announces her own.
    const forged = encoding.createEncoder();
    encoding.writeVarUint(forged, 1); // y-protocols awareness message
    const entries = encoding.createEncoder();
    encoding.writeVarUint(entries, 1);
    encoding.writeVarUint(entries, aliceId);
    encoding.writeVarUint(entries, 1000);
    encoding.writeVarString(entries, JSON.stringify({ user: { name: "Mallory" } }));
    encoding.writeVarUint8Array(forged, encoding.toUint8Array(entries));
    mallory.provider.ws!.send(encoding.toUint8Array(forged));
    mallory.provider.awareness.setLocalStateField("user", { name: "Mallory" });
    await waitFor(
      () => watcher.provider.awareness.getStates().has(mallory.doc.clientID),
      "mallory's own presence",
    );
    expect(watcher.provider.awareness.getStates().get(aliceId)).toEqual({
      user: { name: "Alice" },
    });
    expect(mallory.closes).toEqual([]);
  });

  it("keeps a read-only observer's presence visible", async () => {
    const observer = await server.join(SEMINAR, { role: "observer" });
    const participant = await server.join(SEMINAR, { role: "participant" });
    observer.provider.awareness.setLocalStateField("user", { name: "Proiettore" });
    await waitFor(
      () => participant.provider.awareness.getStates().has(observer.doc.clientID),
      "observer presence",
    );
    expect(observer.closes).toEqual([]);
  });
});
