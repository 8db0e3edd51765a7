import { DatabaseSync, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { logSizes, type HistoryEntry, type Storage, type StoredDocument } from "./storage.ts";

/**
 * Schema migrations, in order; `PRAGMA user_version` records how many have run. A data
 * directory written by an older Percorso is brought up to date at boot.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the log, snapshots and records as the first releases wrote them.
  `CREATE TABLE IF NOT EXISTS updates (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     doc TEXT NOT NULL,
     data BLOB NOT NULL
   );
   CREATE INDEX IF NOT EXISTS updates_doc_seq ON updates (doc, seq);
   CREATE TABLE IF NOT EXISTS snapshots (
     doc TEXT PRIMARY KEY,
     data BLOB NOT NULL,
     upto INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS records (
     kind TEXT NOT NULL,
     id TEXT NOT NULL,
     json TEXT NOT NULL,
     PRIMARY KEY (kind, id)
   );`,
  // 2: the attributed log (DESIGN.md §4.1). Older releases deleted the log on compaction: what
  // their snapshot holds is kept as the document's baseline, the state before history began.
  `ALTER TABLE updates ADD COLUMN user_id TEXT;
   ALTER TABLE updates ADD COLUMN role TEXT;
   ALTER TABLE updates ADD COLUMN name TEXT;
   ALTER TABLE updates ADD COLUMN at INTEGER;
   ALTER TABLE updates ADD COLUMN anon INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE baselines (
     doc TEXT PRIMARY KEY,
     data BLOB NOT NULL,
     upto INTEGER NOT NULL
   );
   INSERT INTO baselines (doc, data, upto) SELECT doc, data, upto FROM snapshots;
   CREATE TABLE client_ids (
     doc TEXT NOT NULL,
     client INTEGER NOT NULL,
     user_id TEXT NOT NULL,
     anon INTEGER NOT NULL,
     PRIMARY KEY (doc, client)
   );`,
];

function migrate(db: DatabaseSync): void {
  const { user_version: version } = db.prepare("PRAGMA user_version").get() as {
    user_version: number;
  };
  for (let next = version; next < MIGRATIONS.length; next++) {
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(MIGRATIONS[next]!);
      db.exec(`PRAGMA user_version = ${next + 1}`);
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  }
}

interface HistoryRow {
  seq: number;
  at: number | null;
  user_id: string | null;
  name: string | null;
  role: string | null;
  anon: number;
  bytes: number;
}

/**
 * SQLite storage on Node's built-in `node:sqlite` (native addons built for the machine's Node
 * would not load on Node 24). WAL with synchronous=NORMAL: a committed append survives a
 * killed process. Statements run synchronously, so an append is durable before the promise
 * it returns is even created: the in-memory document never gets ahead of the log.
 */
export function openSqliteStorage(file: string): Storage {
  mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(file);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    PRAGMA busy_timeout = 5000;
  `);
  migrate(db);
  const statements = {
    append: db.prepare(
      "INSERT INTO updates (doc, data, user_id, role, name, at, anon) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    // anon: 0 named, 1 anonymous, 2 not decided yet (decided once, by its own person).
    bind: db.prepare(
      "INSERT INTO client_ids (doc, client, user_id, anon) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (doc, client) DO UPDATE SET anon = excluded.anon " +
        "WHERE client_ids.anon = 2 AND client_ids.user_id = excluded.user_id",
    ),
    bindings: db.prepare("SELECT client, user_id, anon FROM client_ids WHERE doc = ?"),
    sizes: db.prepare(
      "SELECT user_id, sum(length(data)) AS bytes FROM updates WHERE doc = ? GROUP BY user_id",
    ),
    snapshot: db.prepare("SELECT data, upto FROM snapshots WHERE doc = ?"),
    baseline: db.prepare("SELECT data, upto FROM baselines WHERE doc = ?"),
    tail: db.prepare("SELECT seq, data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq"),
    until: db.prepare(
      "SELECT seq, data FROM updates WHERE doc = ? AND seq > ? AND coalesce(at, 0) <= ? ORDER BY seq",
    ),
    putSnapshot: db.prepare(
      "INSERT INTO snapshots (doc, data, upto) VALUES (?, ?, ?) " +
        "ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto = excluded.upto " +
        "WHERE excluded.upto > snapshots.upto",
    ),
    countTail: db.prepare(
      "SELECT count(*) AS n FROM updates WHERE doc = ? AND seq > " +
        "coalesce((SELECT upto FROM snapshots WHERE doc = ?), 0)",
    ),
    history: db.prepare(
      "SELECT * FROM (SELECT seq, at, user_id, name, role, anon, length(data) AS bytes " +
        "FROM updates WHERE doc = ? AND coalesce(at, 0) >= ? AND coalesce(at, 0) <= ? " +
        "AND (? IS NULL OR (user_id = ? AND anon = 0)) ORDER BY seq DESC LIMIT ?) ORDER BY seq",
    ),
    listRecords: db.prepare("SELECT json FROM records WHERE kind = ? ORDER BY id"),
    getRecord: db.prepare("SELECT json FROM records WHERE kind = ? AND id = ?"),
    putRecord: db.prepare(
      "INSERT INTO records (kind, id, json) VALUES (?, ?, ?) " +
        "ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json",
    ),
  } satisfies Record<string, StatementSync>;

  const inTransaction = (run: () => void): void => {
    db.exec("BEGIN IMMEDIATE");
    try {
      run();
      db.exec("COMMIT");
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
  };

  type Snap = { data: Uint8Array; upto: number } | undefined;

  return {
    // One sequence for every document (AUTOINCREMENT), and one process writing it.
    contiguousSeqs: false,
    async load(documentName): Promise<StoredDocument> {
      const snap = statements.snapshot.get(documentName) as Snap;
      const upto = snap?.upto ?? 0;
      const rows = statements.tail.all(documentName, upto) as { seq: number; data: Uint8Array }[];
      const bindings = statements.bindings.all(documentName) as {
        client: number;
        user_id: string;
        anon: number;
      }[];
      return {
        snapshot: snap?.data ?? null,
        updates: rows.map((row) => row.data),
        lastSeq: rows.at(-1)?.seq ?? upto,
        bindings: bindings.map((row) => ({
          clientId: Number(row.client),
          userId: row.user_id,
          anonymous: row.anon === 2 ? null : row.anon === 1,
        })),
        sizes: logSizes(
          statements.sizes.all(documentName) as { user_id: string | null; bytes: number }[],
        ),
      };
    },
    async appendUpdates(documentName, entries) {
      let last = 0;
      inTransaction(() => {
        for (const entry of entries) {
          for (const binding of entry.binds) {
            statements.bind.run(
              documentName,
              binding.clientId,
              binding.userId,
              binding.anonymous === null ? 2 : binding.anonymous ? 1 : 0,
            );
          }
          const { lastInsertRowid } = statements.append.run(
            documentName,
            entry.update,
            entry.userId,
            entry.role,
            entry.name,
            entry.at,
            entry.anonymous ? 1 : 0,
          );
          last = Number(lastInsertRowid);
        }
      });
      return last;
    },
    async compact(documentName, snapshot, uptoSeq) {
      statements.putSnapshot.run(documentName, snapshot, uptoSeq);
    },
    async pendingUpdates(documentName) {
      return Number((statements.countTail.get(documentName, documentName) as { n: number }).n);
    },
    async history(documentName, filter = {}): Promise<HistoryEntry[]> {
      const rows = statements.history.all(
        documentName,
        filter.from ?? 0,
        filter.to ?? Number.MAX_SAFE_INTEGER,
        filter.userId ?? null,
        filter.userId ?? null,
        filter.limit ?? 1000,
      ) as unknown as HistoryRow[];
      return rows.map((row) => ({
        seq: Number(row.seq),
        at: row.at ?? 0,
        userId: row.user_id,
        name: row.name ?? "",
        role: row.role ?? "",
        anonymous: row.anon === 1,
        bytes: Number(row.bytes),
      }));
    },
    async stateAt(documentName, at) {
      const base = statements.baseline.get(documentName) as Snap;
      const rows = statements.until.all(documentName, base?.upto ?? 0, at) as {
        seq: number;
        data: Uint8Array;
      }[];
      return {
        base: base?.data ?? null,
        updates: rows.map((row) => row.data),
        lastSeq: rows.at(-1)?.seq ?? 0,
      };
    },
    async listRecords(kind) {
      const rows = statements.listRecords.all(kind) as { json: string }[];
      return rows.map((row) => JSON.parse(row.json) as unknown);
    },
    async getRecord(kind, id) {
      const row = statements.getRecord.get(kind, id) as { json: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.json) as unknown);
    },
    async putRecord(kind, id, value) {
      statements.putRecord.run(kind, id, JSON.stringify(value));
    },
    // One process owns the file (the database is not shared): nothing to wait for.
    exclusive: (_key, run) => run(),
    async check() {
      db.prepare("SELECT 1").get();
    },
    async close() {
      db.close();
    },
  };
}
