import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import * as Y from "yjs";
import { CollabDocument } from "../src/collab/document.ts";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/metrics.ts";
import { SYSTEM_AUTHOR } from "../src/people.ts";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import type { DocumentStore } from "../src/storage/storage.ts";
import { tempDataDir, waitFor } from "./harness.ts";

/**
 * Group commit and durability, on the real SQLite store: a sync reply or a fan-out never shows
 * a peer an update before the transaction holding it has committed. The store is the real one
 * behind a latch that holds the append, so the window can be observed.
 */
describe("replies wait for the group commit", () => {
  const dirs: ReturnType<typeof tempDataDir>[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });

  it("defers a sync reply and the fan-out until the pending updates are durable", async () => {
    const dir = tempDataDir();
    dirs.push(dir);
    const real = openSqliteStorage(join(dir.dir, "percorso.sqlite"));
    let release: () => void = () => {};
    const latch = new Promise<void>((resolve) => (release = resolve));
    const held: DocumentStore = {
      ...real,
      appendUpdates: async (name, updates) => {
        await latch;
        return real.appendUpdates(name, updates);
      },
    };
    const doc = await CollabDocument.load(
      "seminar:s1-governance",
      { kind: "seminar", id: "s1-governance", programmeId: "toscana-2021" },
      {
        store: held,
        log: createLogger({ logLevel: "silent" }),
        metrics: createMetrics(),
        compactAfterUpdates: 1000,
      },
    );
    const received: Uint8Array[] = [];
    doc.addPeer({ forward: (m) => received.push(m), refuse: () => {} });

    doc.change(SYSTEM_AUTHOR, (ydoc) =>
      ydoc.getArray("answers").push(["scritta prima del commit"]),
    );
    const replies: string[] = [];
    doc.whenDurable(() => replies.push("sync reply"));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    expect(replies).toEqual([]);
    expect(received).toEqual([]);
    expect((await real.load("seminar:s1-governance")).updates).toHaveLength(0);

    release();
    await waitFor(() => replies.length === 1, "the deferred reply");
    expect(received).toHaveLength(1);
    const stored = await real.load("seminar:s1-governance");
    const copy = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(copy, update);
    expect(copy.getArray("answers").toArray()).toEqual(["scritta prima del commit"]);

    const immediate: string[] = [];
    doc.whenDurable(() => immediate.push("now"));
    expect(immediate).toEqual(["now"]); // nothing pending: no wait
    await doc.flushed();
    await real.close();
  });
});
