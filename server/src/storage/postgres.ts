import pg from "pg";
import { logSizes, type HistoryEntry, type Storage, type StoredDocument } from "./storage.ts";

/**
 * Schema migrations, in order, each run once in its own transaction; the `migrations` table
 * records them. Several processes booting at once take turns through an advisory lock.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE documents (
     doc text PRIMARY KEY,
     last_seq bigint NOT NULL DEFAULT 0
   );
   CREATE TABLE updates (
     doc text NOT NULL,
     seq bigint NOT NULL,
     data bytea NOT NULL,
     user_id text,
     role text,
     name text,
     at bigint,
     anon boolean NOT NULL DEFAULT false,
     PRIMARY KEY (doc, seq)
   );
   CREATE TABLE snapshots (doc text PRIMARY KEY, data bytea NOT NULL, upto bigint NOT NULL);
   CREATE TABLE baselines (doc text PRIMARY KEY, data bytea NOT NULL, upto bigint NOT NULL);
   CREATE TABLE client_ids (
     doc text NOT NULL,
     client bigint NOT NULL,
     user_id text NOT NULL,
     anon boolean,
     PRIMARY KEY (doc, client)
   );
   CREATE TABLE records (kind text NOT NULL, id text NOT NULL, json jsonb NOT NULL, PRIMARY KEY (kind, id));`,
];

/** Any constant: the advisory lock that serialises migrations between processes. */
const MIGRATION_LOCK = 4_207_021;

async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ version: number }>("SELECT version FROM migrations");
    const applied = new Set(rows.map((row) => row.version));
    for (let index = 0; index < MIGRATIONS.length; index++) {
      const version = index + 1;
      if (applied.has(version)) continue;
      await client.query("BEGIN");
      try {
        await client.query(MIGRATIONS[index]!);
        await client.query("INSERT INTO migrations (version) VALUES ($1)", [version]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
}

const bytes = (buffer: Buffer): Uint8Array =>
  new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);

/**
 * PostgreSQL storage (`pg`, pure JS), selected by `DATABASE_URL`: the same contract as SQLite,
 * for several processes. Sequence numbers are per document and contiguous — an append takes the
 * document's counter row — so a process can tell which updates its snapshot holds; a snapshot
 * only ever replaces an older one.
 */
export async function openPostgresStorage(
  connectionString: string,
  options: { onError?: (error: Error) => void } = {},
): Promise<Storage> {
  const pool = new pg.Pool({ connectionString, max: 10, connectionTimeoutMillis: 5000 });
  // An idle client losing its connection (the server restarted) must not crash the process.
  pool.on("error", (error) => options.onError?.(error));
  await migrate(pool);

  const inTransaction = async <T>(run: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await run(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  };

  return {
    contiguousSeqs: true,
    async load(documentName): Promise<StoredDocument> {
      const snap = await pool.query<{ data: Buffer; upto: string }>(
        "SELECT data, upto FROM snapshots WHERE doc = $1",
        [documentName],
      );
      const upto = Number(snap.rows[0]?.upto ?? 0);
      const [tail, bindings, sizes] = await Promise.all([
        pool.query<{ seq: string; data: Buffer }>(
          "SELECT seq, data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq",
          [documentName, upto],
        ),
        pool.query<{ client: string; user_id: string; anon: boolean | null }>(
          "SELECT client, user_id, anon FROM client_ids WHERE doc = $1",
          [documentName],
        ),
        pool.query<{ user_id: string | null; bytes: string }>(
          "SELECT user_id, sum(octet_length(data)) AS bytes FROM updates WHERE doc = $1 GROUP BY user_id",
          [documentName],
        ),
      ]);
      return {
        snapshot: snap.rows[0] ? bytes(snap.rows[0].data) : null,
        updates: tail.rows.map((row) => bytes(row.data)),
        lastSeq: tail.rows.length > 0 ? Number(tail.rows.at(-1)!.seq) : upto,
        bindings: bindings.rows.map((row) => ({
          clientId: Number(row.client),
          userId: row.user_id,
          anonymous: row.anon,
        })),
        sizes: logSizes(sizes.rows),
      };
    },
    async appendUpdates(documentName, entries) {
      if (entries.length === 0) throw new Error("nothing to append");
      return inTransaction(async (client) => {
        const counter = await client.query<{ last_seq: string }>(
          "INSERT INTO documents (doc, last_seq) VALUES ($1, $2) " +
            "ON CONFLICT (doc) DO UPDATE SET last_seq = documents.last_seq + $2 RETURNING last_seq",
          [documentName, entries.length],
        );
        const last = Number(counter.rows[0]!.last_seq);
        const first = last - entries.length + 1;
        const values: unknown[] = [];
        const rows = entries.map((entry, i) => {
          const at = values.length;
          values.push(
            documentName,
            first + i,
            Buffer.from(entry.update),
            entry.userId,
            entry.role,
            entry.name,
            entry.at,
            entry.anonymous,
          );
          return `($${at + 1}, $${at + 2}, $${at + 3}, $${at + 4}, $${at + 5}, $${at + 6}, $${at + 7}, $${at + 8})`;
        });
        await client.query(
          `INSERT INTO updates (doc, seq, data, user_id, role, name, at, anon) VALUES ${rows.join(", ")}`,
          values,
        );
        for (const entry of entries) {
          for (const binding of entry.binds) {
            await client.query(
              // anon null: not decided yet; decided once, by the binding's own person.
              "INSERT INTO client_ids (doc, client, user_id, anon) VALUES ($1, $2, $3, $4) " +
                "ON CONFLICT (doc, client) DO UPDATE SET anon = excluded.anon " +
                "WHERE client_ids.anon IS NULL AND client_ids.user_id = excluded.user_id",
              [documentName, binding.clientId, binding.userId, binding.anonymous],
            );
          }
        }
        return last;
      });
    },
    async compact(documentName, snapshot, uptoSeq) {
      await pool.query(
        "INSERT INTO snapshots (doc, data, upto) VALUES ($1, $2, $3) " +
          "ON CONFLICT (doc) DO UPDATE SET data = excluded.data, upto = excluded.upto " +
          "WHERE excluded.upto > snapshots.upto",
        [documentName, Buffer.from(snapshot), uptoSeq],
      );
    },
    async pendingUpdates(documentName) {
      const { rows } = await pool.query<{ n: string }>(
        "SELECT count(*) AS n FROM updates WHERE doc = $1 AND seq > " +
          "coalesce((SELECT upto FROM snapshots WHERE doc = $1), 0)",
        [documentName],
      );
      return Number(rows[0]!.n);
    },
    async history(documentName, filter = {}): Promise<HistoryEntry[]> {
      const { rows } = await pool.query<{
        seq: string;
        at: string | null;
        user_id: string | null;
        name: string | null;
        role: string | null;
        anon: boolean;
        bytes: number;
      }>(
        "SELECT * FROM (SELECT seq, at, user_id, name, role, anon, octet_length(data) AS bytes " +
          "FROM updates WHERE doc = $1 AND coalesce(at, 0) >= $2 AND coalesce(at, 0) <= $3 " +
          "AND ($4::text IS NULL OR (user_id = $4 AND NOT anon)) ORDER BY seq DESC LIMIT $5) AS newest ORDER BY seq",
        [
          documentName,
          filter.from ?? 0,
          filter.to ?? Number.MAX_SAFE_INTEGER,
          filter.userId ?? null,
          filter.limit ?? 1000,
        ],
      );
      return rows.map((row) => ({
        seq: Number(row.seq),
        at: Number(row.at ?? 0),
        userId: row.user_id,
        name: row.name ?? "",
        role: row.role ?? "",
        anonymous: row.anon,
        bytes: Number(row.bytes),
      }));
    },
    async stateAt(documentName, at) {
      const base = await pool.query<{ data: Buffer; upto: string }>(
        "SELECT data, upto FROM baselines WHERE doc = $1",
        [documentName],
      );
      const { rows } = await pool.query<{ seq: string; data: Buffer }>(
        "SELECT seq, data FROM updates WHERE doc = $1 AND seq > $2 AND coalesce(at, 0) <= $3 ORDER BY seq",
        [documentName, Number(base.rows[0]?.upto ?? 0), at],
      );
      return {
        base: base.rows[0] ? bytes(base.rows[0].data) : null,
        updates: rows.map((row) => bytes(row.data)),
        lastSeq: rows.length > 0 ? Number(rows.at(-1)!.seq) : 0,
      };
    },
    async listRecords(kind) {
      const { rows } = await pool.query<{ json: unknown }>(
        "SELECT json FROM records WHERE kind = $1 ORDER BY id",
        [kind],
      );
      return rows.map((row) => row.json);
    },
    async getRecord(kind, id) {
      const { rows } = await pool.query<{ json: unknown }>(
        "SELECT json FROM records WHERE kind = $1 AND id = $2",
        [kind, id],
      );
      return rows[0]?.json;
    },
    async putRecord(kind, id, value) {
      await pool.query(
        "INSERT INTO records (kind, id, json) VALUES ($1, $2, $3) " +
          "ON CONFLICT (kind, id) DO UPDATE SET json = excluded.json",
        [kind, id, JSON.stringify(value)],
      );
    },
    async exclusive(key, run) {
      const client = await pool.connect();
      try {
        await client.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
        try {
          return await run();
        } finally {
          await client.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
        }
      } finally {
        client.release();
      }
    },
    async check() {
      await pool.query("SELECT 1");
    },
    async close() {
      await pool.end();
    },
  };
}
