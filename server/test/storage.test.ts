import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import type { LogEntry } from "../src/storage/storage.ts";
import { tempDataDir } from "./harness.ts";

/** The SQLite storage on a real file: the attributed log, group commits, snapshots, migrations. */
describe("SQLite document store", () => {
  const dirs: ReturnType<typeof tempDataDir>[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });
  const open = () => {
    const dir = tempDataDir();
    dirs.push(dir);
    return { dir, file: join(dir.dir, "percorso.sqlite") };
  };
  const entry = (at: number, userId: string, ...values: number[]): LogEntry => ({
    update: Uint8Array.from(values),
    userId,
    role: "participant",
    name: `Nome ${userId}`,
    at,
    anonymous: false,
    binds: [],
  });

  it("appends a group of updates in order, with increasing sequence numbers", async () => {
    const { file } = open();
    const store = openSqliteStorage(file);
    const first = await store.appendUpdates("seminar:a", [entry(1, "u1", 1)]);
    const last = await store.appendUpdates("seminar:a", [
      entry(2, "u1", 2),
      entry(3, "u2", 3),
      entry(4, "u1", 4),
    ]);
    await store.appendUpdates("seminar:b", [entry(5, "u1", 9)]);
    expect(last).toBeGreaterThan(first);
    const loaded = await store.load("seminar:a");
    expect(loaded.updates.map((u) => [...u])).toEqual([[1], [2], [3], [4]]);
    expect(loaded.lastSeq).toBe(last);
    await store.close();

    const reopened = openSqliteStorage(file);
    expect((await reopened.load("seminar:a")).updates).toHaveLength(4);
    await reopened.compact("seminar:a", Uint8Array.from([7, 7]), last);
    const compacted = await reopened.load("seminar:a");
    expect([...compacted.snapshot!]).toEqual([7, 7]);
    expect(compacted.updates).toEqual([]);
    expect(await reopened.pendingUpdates("seminar:a")).toBe(0);
    expect((await reopened.load("seminar:b")).updates.map((u) => [...u])).toEqual([[9]]);
    const after = await reopened.appendUpdates("seminar:a", [entry(6, "u2", 5), entry(7, "u2", 6)]);
    expect(after).toBeGreaterThan(last);
    expect((await reopened.load("seminar:a")).updates.map((u) => [...u])).toEqual([[5], [6]]);
    await reopened.close();
  });

  it("keeps the attributed log through compaction: history and the state at a moment", async () => {
    const { file } = open();
    const store = openSqliteStorage(file);
    await store.appendUpdates("seminar:a", [entry(10, "u1", 1), entry(20, "u2", 2, 2)]);
    const upto = await store.appendUpdates("seminar:a", [entry(30, "u1", 3)]);
    await store.compact("seminar:a", Uint8Array.from([9]), upto);
    await store.appendUpdates("seminar:a", [entry(40, "u2", 4)]);

    const history = await store.history("seminar:a");
    expect(history.map((h) => [h.at, h.userId, h.name, h.bytes])).toEqual([
      [10, "u1", "Nome u1", 1],
      [20, "u2", "Nome u2", 2],
      [30, "u1", "Nome u1", 1],
      [40, "u2", "Nome u2", 1],
    ]);
    expect((await store.history("seminar:a", { userId: "u2" })).map((h) => h.at)).toEqual([20, 40]);
    expect((await store.history("seminar:a", { from: 20, to: 30 })).map((h) => h.at)).toEqual([
      20, 30,
    ]);
    expect((await store.history("seminar:a", { limit: 2 })).map((h) => h.at)).toEqual([30, 40]);

    const past = await store.stateAt("seminar:a", 25);
    expect(past.base).toBeNull();
    expect(past.updates.map((u) => [...u])).toEqual([[1], [2, 2]]);
    expect((await store.stateAt("seminar:a", 100)).updates).toHaveLength(4);
    await store.close();
  });

  it("stores client-id bindings with the update that brings them, first binding kept", async () => {
    const { file } = open();
    const store = openSqliteStorage(file);
    await store.appendUpdates("seminar:a", [
      { ...entry(1, "u1", 1), binds: [{ clientId: 7, userId: "u1", anonymous: false }] },
      { ...entry(2, "u1", 2), binds: [{ clientId: 8, userId: "u1", anonymous: true }] },
    ]);
    await store.appendUpdates("seminar:a", [
      { ...entry(3, "u2", 3), binds: [{ clientId: 7, userId: "u2", anonymous: false }] },
    ]);
    await store.close();
    const reopened = openSqliteStorage(file);
    const { bindings } = await reopened.load("seminar:a");
    expect(bindings.sort((a, b) => a.clientId - b.clientId)).toEqual([
      { clientId: 7, userId: "u1", anonymous: false },
      { clientId: 8, userId: "u1", anonymous: true },
    ]);
    expect((await reopened.load("seminar:b")).bindings).toEqual([]);
    await reopened.close();
  });

  it("migrates a database written before the log was attributed, keeping its compacted state", async () => {
    const { file } = open();
    // What the first releases wrote: a snapshot that replaced the log, and a tail after it.
    const old = new DatabaseSync(file);
    old.exec(`
      CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL);
      CREATE INDEX updates_doc_seq ON updates (doc, seq);
      CREATE TABLE snapshots (doc TEXT PRIMARY KEY, data BLOB NOT NULL, upto INTEGER NOT NULL);
      CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id));
      INSERT INTO updates (doc, data) VALUES ('seminar:a', x'01'), ('seminar:a', x'02');
      DELETE FROM updates WHERE seq <= 1;
      INSERT INTO snapshots (doc, data, upto) VALUES ('seminar:a', x'0909', 1);
      INSERT INTO records (kind, id, json) VALUES ('programme', 'p', '{"id":"p"}');
    `);
    old.close();

    const store = openSqliteStorage(file);
    const loaded = await store.load("seminar:a");
    expect([...loaded.snapshot!]).toEqual([9, 9]);
    expect(loaded.updates.map((u) => [...u])).toEqual([[2]]);
    expect(await store.getRecord("programme", "p")).toEqual({ id: "p" });
    // The old tail is history without names; the compacted state is its baseline.
    expect(await store.history("seminar:a")).toEqual([
      { seq: 2, at: 0, userId: null, name: "", role: "", anonymous: false, bytes: 1 },
    ]);
    const past = await store.stateAt("seminar:a", 0);
    expect([...past.base!]).toEqual([9, 9]);
    expect(past.updates.map((u) => [...u])).toEqual([[2]]);
    await store.appendUpdates("seminar:a", [entry(5, "u1", 3)]);
    await store.close();
    // Opening again runs no migration twice.
    const again = openSqliteStorage(file);
    expect((await again.load("seminar:a")).updates).toHaveLength(2);
    await again.close();
  });
});
