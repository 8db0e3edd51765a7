import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  ADMIN_TOKEN,
  connectClient,
  spawnServerProcess,
  syncedClient,
  tempDataDir,
  waitFor,
  type TestClient,
} from "./harness.ts";

const SEMINAR = "seminar:s2-economia-circolare";

describe("durability", () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  });

  it("a server killed with SIGKILL mid-stream loses no update a peer has seen", async () => {
    const data = tempDataDir();
    cleanups.push(data.remove);
    const first = await spawnServerProcess(data.dir);
    cleanups.push(() => first.child.kill("SIGKILL"));

    const writer = await syncedClient({ url: first.url }, SEMINAR, ADMIN_TOKEN);
    const peer = await syncedClient({ url: first.url }, SEMINAR, ADMIN_TOKEN);
    const clients: TestClient[] = [writer, peer];
    cleanups.push(() => clients.forEach((c) => c.destroy()));
    const seen = new Set<string>();
    peer.doc.getArray<Y.Map<unknown>>("answers").observe((event) => {
      for (const item of event.changes.added) {
        for (const answer of item.content.getContent() as Y.Map<unknown>[])
          seen.add(answer.get("id") as string);
      }
    });

    // Stream answers, one update each, until well after the kill.
    let written = 0;
    const stream = setInterval(() => {
      for (let i = 0; i < 5; i++) {
        const answer = new Y.Map<unknown>();
        answer.set("id", `a${written++}`);
        answer.set("text", `risposta ${written}`);
        writer.doc.getArray("answers").push([answer]);
      }
    }, 2);
    cleanups.push(() => clearInterval(stream));
    await waitFor(() => seen.size >= 300, "the peer to see 300 answers");
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    clearInterval(stream);
    const seenAtKill = new Set(seen);
    writer.destroy();
    peer.destroy();

    const second = await spawnServerProcess(data.dir);
    cleanups.push(() => second.child.kill("SIGKILL"));
    const reader = connectClient({ url: second.url }, SEMINAR, ADMIN_TOKEN);
    clients.push(reader);
    await waitFor(() => reader.provider.synced, "the restarted server to sync");
    const stored = new Set(
      reader.doc
        .getArray<Y.Map<unknown>>("answers")
        .toArray()
        .map((a) => a.get("id") as string),
    );
    const lost = [...seenAtKill].filter((id) => !stored.has(id));
    console.log(
      `kill -9 durability: writer sent ${written}, peer saw ${seenAtKill.size}, stored after restart ${stored.size}, lost ${lost.length}`,
    );
    expect(lost).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(seenAtKill.size);
  });
});
