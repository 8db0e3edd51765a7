import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { openPostgresStorage } from "../src/storage/postgres.ts";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import { tempDataDir } from "./harness.ts";
import { startPostgres, type PostgresServer } from "@percorso/services";
import { entry, storageContract } from "./storageContract.ts";

describe("storage contract: SQLite", () => {
  const dirs: ReturnType<typeof tempDataDir>[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });
  storageContract({
    async open() {
      const dir = tempDataDir();
      dirs.push(dir);
      const file = join(dir.dir, "percorso.sqlite");
      return { store: openSqliteStorage(file), reopen: async () => openSqliteStorage(file) };
    },
  });
});

describe("storage contract: PostgreSQL", () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => server?.destroy());
  storageContract({
    async open() {
      const url = await server.createDatabase();
      return {
        store: await openPostgresStorage(url),
        reopen: () => openPostgresStorage(url),
      };
    },
  });
});

/** SQLite's own: the migration of a data directory from before the attributed log. */
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
