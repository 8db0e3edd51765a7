import { DatabaseSync, type StatementSync } from "node:sqlite";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { Storage, StoredDocument } from "./storage.ts";

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
    CREATE TABLE IF NOT EXISTS updates (
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
    );
  `);
  const statements = {
    append: db.prepare("INSERT INTO updates (doc, data) VALUES (?, ?)"),
    snapshot: db.prepare("SELECT data, upto FROM snapshots WHERE doc = ?"),
    tail: db.prepare("SELECT seq, data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq"),
    putSnapshot: db.prepare(
      "INSERT INTO snapshots (doc, data, upto) VALUES (?, ?, ?) " +
        "ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto = excluded.upto",
    ),
    dropUpto: db.prepare("DELETE FROM updates WHERE doc = ? AND seq <= ?"),
    countTail: db.prepare("SELECT count(*) AS n FROM updates WHERE doc = ?"),
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

  return {
    async load(documentName): Promise<StoredDocument> {
      const snap = statements.snapshot.get(documentName) as
        { data: Uint8Array; upto: number } | undefined;
      const upto = snap?.upto ?? 0;
      const rows = statements.tail.all(documentName, upto) as { seq: number; data: Uint8Array }[];
      return {
        snapshot: snap?.data ?? null,
        updates: rows.map((row) => row.data),
        lastSeq: rows.at(-1)?.seq ?? upto,
      };
    },
    async appendUpdate(documentName, update) {
      return Number(statements.append.run(documentName, update).lastInsertRowid);
    },
    async appendUpdates(documentName, updates) {
      if (updates.length === 1) return this.appendUpdate(documentName, updates[0]!);
      let last = 0;
      inTransaction(() => {
        for (const update of updates) {
          last = Number(statements.append.run(documentName, update).lastInsertRowid);
        }
      });
      return last;
    },
    async compact(documentName, snapshot, uptoSeq) {
      inTransaction(() => {
        statements.putSnapshot.run(documentName, snapshot, uptoSeq);
        statements.dropUpto.run(documentName, uptoSeq);
      });
    },
    async pendingUpdates(documentName) {
      return Number((statements.countTail.get(documentName) as { n: number }).n);
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
    async close() {
      db.close();
    },
  };
}
