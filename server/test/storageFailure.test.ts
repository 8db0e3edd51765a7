import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { listAllAnswers } from "@percorso/schema";
import { startServer, type PercorsoServer } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import type { Storage } from "../src/storage/storage.ts";
import {
  ADMIN_TOKEN,
  answerAs,
  connectClient,
  newPerson,
  readMetric,
  syncedClient,
  tempDataDir,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const SEMINAR = "seminar:s7-cooperazione-sanitaria";

/**
 * A storage failure never leaves memory ahead of disk (DESIGN.md §4.1). The store is the real
 * SQLite one, wrapped so that one append throws: a disk that fills up or goes away is the one
 * part that cannot be made to fail for real here.
 */
describe("when storage fails", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("closes the document's sockets with 1011, reloads it, counts it, and shows no one the unstored update", async () => {
    const data = tempDataDir();
    const real = openSqliteStorage(join(data.dir, "percorso.sqlite"));
    let failNext = false;
    let failures = 0;
    const storage: Storage = {
      ...real,
      appendUpdates: async (name, entries) => {
        if (failNext) {
          failNext = false;
          failures += 1;
          throw new Error("disk full");
        }
        return real.appendUpdates(name, entries);
      },
    };
    const config = loadConfig({
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: data.dir,
      ADMIN_TOKEN,
      LOG_LEVEL: "silent",
    });
    const server: PercorsoServer = await startServer(config, { storage });
    cleanups.push(() => data.remove());
    cleanups.push(() => server.stop());
    // The starter questions are drafts: the facilitator opens them before anyone answers.
    await openQuestions(server, "s7-cooperazione-sanitaria");

    const person = await newPerson(server, { role: "participant" }, { name: "Ada" });
    const ada = connectClient(server, SEMINAR, person.token);
    ada.person = person;
    const bob = await syncedClient(server, SEMINAR, ADMIN_TOKEN);
    const clients: TestClient[] = [ada, bob];
    cleanups.push(() => clients.forEach((client) => client.destroy()));
    await waitFor(() => ada.provider.synced, "ada synced");

    // Everything Bob ever sees, and when the server closed him.
    const seenBeforeClose: number[] = [];
    bob.provider.on("connection-close", () => seenBeforeClose.push(listAllAnswers(bob.doc).length));

    failNext = true;
    answerAs(ada, "Persa dal disco?", { questionId: "s7-cooperazione-sanitaria-q1" });
    await waitFor(() => bob.closes.length > 0 && ada.closes.length > 0, "both sockets closed");
    expect(failures).toBe(1);
    expect(bob.closes[0]).toEqual({ code: 1011, reason: "storage-failure" });
    expect(ada.closes[0]).toEqual({ code: 1011, reason: "storage-failure" });
    expect(seenBeforeClose[0]).toBe(0); // the unstored answer never reached Bob
    expect(await readMetric(server, "percorso_storage_failures_total")).toBe(1);

    // Both reconnect on their own; the document is loaded afresh from storage, and Ada's
    // client resends what the server lacks, which is now stored and fanned out.
    await waitFor(() => listAllAnswers(bob.doc).length === 1, "the answer after the resync");
    const fresh = await syncedClient(server, SEMINAR, ADMIN_TOKEN);
    clients.push(fresh);
    expect(listAllAnswers(fresh.doc).map((a) => a.text)).toEqual(["Persa dal disco?"]);
    const stored = await real.history(SEMINAR, { userId: person.userId });
    expect(stored).toHaveLength(1);
  });
});
