import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import WebSocket from "ws";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import {
  ADMIN_TOKEN,
  documentUrl,
  expectClosed,
  invite,
  rawSocket,
  syncedClient,
  useTestServer,
  waitFor,
  type TestClient,
} from "./harness.ts";

const SEMINAR = "seminar:s2-economia-circolare";

describe("close codes of the wire contract", () => {
  const server = useTestServer({
    MAX_MESSAGE_BYTES: "65536",
    RATE_LIMIT_BURST: "50",
    RATE_LIMIT_PER_SECOND: "10",
  });

  it("4401 without a token", async () => {
    const { closed } = await rawSocket(documentUrl(server, SEMINAR));
    expect(await closed).toEqual({ code: 4401, reason: "unauthorized" });
  });

  it("4401 with a forged token", async () => {
    const token = await invite(server, { role: "participant" });
    const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    const { closed } = await rawSocket(documentUrl(server, SEMINAR, forged));
    expect((await closed).code).toBe(4401);
  });

  it("4401 once an invite has expired", async () => {
    // Three seconds: long enough for the first sync even on a busy machine.
    const issued = Date.now();
    const token = await invite(server, { role: "participant", expiresInSeconds: 3 });
    const first = await syncedClient(server, SEMINAR, token);
    first.destroy();
    const expiry = issued + 4_100; // expiry is in whole seconds: allow for the rounding
    await waitFor(() => Date.now() > expiry, "the invite to expire");
    const { closed } = await rawSocket(documentUrl(server, SEMINAR, token));
    expect((await closed).code).toBe(4401);
  });

  it("4404 for an unknown seminar and for a name outside the contract", async () => {
    for (const name of ["seminar:non-esiste", "qualcosa", "seminar:../etc"]) {
      const { closed } = await rawSocket(documentUrl(server, name, ADMIN_TOKEN));
      expect((await closed).code, name).toBe(4404);
    }
  });

  it("4413 for a frame over the limit, and the server keeps serving others", async () => {
    const bystander = await server.connect(SEMINAR, ADMIN_TOKEN);
    const { socket, closed } = await rawSocket(documentUrl(server, SEMINAR, ADMIN_TOKEN));
    socket.send(new Uint8Array(70_000));
    expect(await closed).toEqual({ code: 4413, reason: "message-too-large" });
    await expectStillServing(bystander);
  });

  it("4429 for a message flood", async () => {
    const { socket, closed } = await rawSocket(documentUrl(server, SEMINAR, ADMIN_TOKEN));
    const queryAwareness = new Uint8Array([3]);
    for (let i = 0; i < 200; i++) socket.send(queryAwareness);
    expect(await closed).toEqual({ code: 4429, reason: "too-many-messages" });
  });

  it("1007 for garbage, without affecting other connections", async () => {
    const bystander = await server.connect(SEMINAR, ADMIN_TOKEN);
    const garbage = [
      new Uint8Array([0, 2, 200, 1, 2, 3]), // sync update with a truncated payload
      new Uint8Array([0, 9]), // unknown sync step
      new Uint8Array([42]), // unknown message type
      new Uint8Array([1, 5, 1, 2]), // truncated awareness
    ];
    for (const message of garbage) {
      const { socket, closed } = await rawSocket(documentUrl(server, SEMINAR, ADMIN_TOKEN));
      socket.send(message);
      expect((await closed).code, `message ${message.join(",")}`).toBe(1007);
    }
    // A random update body that parses as a varint frame but not as a Yjs update.
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, new Uint8Array([255, 255, 255, 255, 1, 7, 7, 7]));
    const { socket, closed } = await rawSocket(documentUrl(server, SEMINAR, ADMIN_TOKEN));
    socket.send(encoding.toUint8Array(encoder));
    expect((await closed).code).toBe(1007);
    await expectStillServing(bystander);
  });

  it("1012 on shutdown, so clients reconnect", async () => {
    const client = await server.connect(SEMINAR, ADMIN_TOKEN);
    await server.stop();
    await expectClosed(client, { code: 1012, reason: "server-restarting" });
    await server.restart();
  });

  it("drops a socket that stops answering heartbeats, and its presence with it", async () => {
    await server.restart({ HEARTBEAT_MS: "100" });
    const watcher = await server.connect(SEMINAR, ADMIN_TOKEN);
    // A client whose network died: it never answers pings (ws answers them by default).
    const silent = new WebSocket(documentUrl(server, SEMINAR, ADMIN_TOKEN), { autoPong: false });
    const closed = new Promise<number>((resolve) => silent.on("close", (code) => resolve(code)));
    await new Promise((resolve) => silent.once("open", resolve));
    const presence = encoding.createEncoder();
    encoding.writeVarUint(presence, 1);
    const entries = encoding.createEncoder();
    encoding.writeVarUint(entries, 1);
    encoding.writeVarUint(entries, 4242);
    encoding.writeVarUint(entries, 1);
    encoding.writeVarString(entries, JSON.stringify({ user: { name: "Fantasma" } }));
    encoding.writeVarUint8Array(presence, encoding.toUint8Array(entries));
    silent.send(encoding.toUint8Array(presence));
    await waitFor(() => watcher.provider.awareness.getStates().has(4242), "the silent presence");
    expect(await closed).toBe(1006); // terminated: no close frame
    await waitFor(() => !watcher.provider.awareness.getStates().has(4242), "presence removed");
    expect(watcher.closes).toEqual([]);
  });

  async function expectStillServing(bystander: TestClient): Promise<void> {
    const peer = await server.connect(SEMINAR, ADMIN_TOKEN);
    peer.doc.getArray("answers").push([new Y.Map()]);
    await waitFor(
      () => bystander.doc.getArray("answers").length === 1,
      "the bystander to get updates",
    );
    expect(bystander.closes).toEqual([]);
  }
});
