/**
 * `store`: Percorso's storage modules alone, no server, no socket: `openSqliteStorage` (target
 * `percorso`) or `openPostgresStorage` (target `percorso-pg`, on the bench's PostgreSQL) append
 * `appends` single updates, then `appends` group commits of `groupSize` updates (what the server
 * does with the updates accepted in one event-loop turn), each awaited before the next, and
 * every append is timed. The updates are real keystrokes (one-character Yjs updates into a
 * Tiptap-shaped fragment) with the attribution the server stores with each.
 *
 * PostgreSQL runs twice, each on a fresh database: as configured (`synchronous_commit=on`, so a
 * commit waits for its WAL flush, as SQLite's would not: it runs WAL with `synchronous=NORMAL`)
 * and with `synchronous_commit=off`, which, like SQLite here, does not wait for the disk.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Y from "yjs";
import { openPostgresStorage } from "../../../server/src/storage/postgres.ts";
import { openSqliteStorage } from "../../../server/src/storage/sqlite.ts";
import type { LogEntry, Storage } from "../../../server/src/storage/storage.ts";
import type { BackingServices } from "./backing.ts";
import { nowMs } from "./ledger.ts";
import { LatencyRecorder, type Summary } from "./stats.ts";

export type StoreParams = {
  /** Appends of each kind: single updates, and group commits of `groupSize`. */
  appends: number;
  groupSize: number;
};

export type StoreFigures = {
  /** `sqlite`, `postgres`, `postgres async` (synchronous_commit=off). */
  store: string;
  /** Per append of one update (one transaction), ms. */
  single: Summary;
  /** Per append of `groupSize` updates in one transaction, ms. */
  group: Summary;
  groupSize: number;
  /** Single appends one after the other: appends per second. */
  singlePerSecond: number;
  /** Group commits one after the other: updates per second. */
  groupUpdatesPerSecond: number;
  /**
   * Growth of what is stored (the SQLite file once closed, or `pg_database_size`) ÷ updates
   * appended: the attributed log's rows and indexes.
   */
  bytesPerUpdate: number | null;
};

const WARM_UP = 20;
const DOCUMENT = "draft:bench-store";
const AUTHOR = { userId: "bench-drafter", role: "drafter", name: "Drafter Bench" } as const;

/** `count` single-keystroke updates, in order, as a drafter typing sends them. */
export function keystrokeUpdates(count: number): { updates: Uint8Array[]; clientId: number } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on("update", (update: Uint8Array) => updates.push(update));
  const body = doc.getXmlFragment("body");
  let text: Y.XmlText | null = null;
  for (let n = 0; updates.length < count; n++) {
    if (text === null || n % 100 === 0) {
      const paragraph = new Y.XmlElement("paragraph");
      text = new Y.XmlText();
      paragraph.insert(0, [text]);
      body.push([paragraph]);
      continue;
    }
    text.insert(text.length, "abcdefghijklmnopqrstuvwxyz ".charAt(n % 27));
  }
  return { updates: updates.slice(0, count), clientId: doc.clientID };
}

type Backend = {
  store: string;
  open(): Promise<Storage>;
  /** Stored bytes; called with the store closed. */
  bytes(): Promise<number>;
  dispose(): Promise<void>;
};

async function sqliteBackend(): Promise<Backend> {
  const dir = await mkdtemp(join(tmpdir(), "percorso-store-"));
  const file = join(dir, "percorso.sqlite");
  return {
    store: "sqlite",
    open: async () => openSqliteStorage(file),
    // Closed, SQLite has checkpointed its WAL into the file and removed it.
    bytes: async () => (await stat(file)).size,
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function postgresBackend(services: BackingServices, asyncCommit: boolean): Promise<Backend> {
  const server = await services.postgres();
  const url = await server.createDatabase();
  const options = asyncCommit ? `?options=${encodeURIComponent("-c synchronous_commit=off")}` : "";
  return {
    store: asyncCommit ? "postgres async" : "postgres",
    open: () => openPostgresStorage(url + options),
    bytes: () => server.databaseBytes(url),
    dispose: async () => {},
  };
}

async function measure(backend: Backend, p: StoreParams): Promise<StoreFigures> {
  const total = WARM_UP + p.appends + p.appends * p.groupSize;
  const { updates, clientId } = keystrokeUpdates(total);
  const entries: LogEntry[] = updates.map((update, i) => ({
    ...AUTHOR,
    update,
    at: Date.now(),
    anonymous: false,
    // The first update binds the drafter's client id, as the server records it.
    binds: i === 0 ? [{ clientId, userId: AUTHOR.userId, anonymous: false }] : [],
  }));
  // The schema alone (migrations run on the first open), measured closed.
  await (await backend.open()).close();
  const before = await backend.bytes();
  const store = await backend.open();
  let next = 0;
  const take = (count: number) => {
    const chunk = entries.slice(next, next + count);
    next += count;
    return chunk;
  };
  try {
    for (let i = 0; i < WARM_UP; i++) await store.appendUpdates(DOCUMENT, take(1));
    const timed = async (count: number, size: number) => {
      const recorder = new LatencyRecorder();
      const started = nowMs();
      for (let i = 0; i < count; i++) {
        const chunk = take(size);
        const at = nowMs();
        await store.appendUpdates(DOCUMENT, chunk);
        recorder.record(nowMs() - at);
      }
      return { summary: recorder.summary(), seconds: (nowMs() - started) / 1000 };
    };
    const single = await timed(p.appends, 1);
    const group = await timed(p.appends, p.groupSize);
    await store.close();
    const after = await backend.bytes();
    return {
      store: backend.store,
      single: single.summary,
      group: group.summary,
      groupSize: p.groupSize,
      singlePerSecond: p.appends / single.seconds,
      groupUpdatesPerSecond: (p.appends * p.groupSize) / group.seconds,
      bytesPerUpdate: (after - before) / total,
    };
  } catch (error) {
    await store.close().catch(() => {});
    throw error;
  } finally {
    await backend.dispose();
  }
}

/** SQLite (`percorso`) or PostgreSQL as configured and with asynchronous commits (`percorso-pg`). */
export async function measureStore(
  which: "sqlite" | "postgres",
  p: StoreParams,
  services: BackingServices,
): Promise<StoreFigures[]> {
  if (which === "sqlite") return [await measure(await sqliteBackend(), p)];
  const figures: StoreFigures[] = [];
  for (const asyncCommit of [false, true]) {
    figures.push(await measure(await postgresBackend(services, asyncCommit), p));
  }
  return figures;
}
