/**
 * Reference: a stock Hocuspocus server persisting to SQLite, run as a child process with HOST,
 * PORT and DATA_DIR in the environment. No auth hook. With REDIS_URL, it also runs Hocuspocus's
 * own Redis extension (`@hocuspocus/extension-redis`), so several processes serve one document.
 *
 * Hocuspocus's own SQLite extension needs `better-sqlite3`, a native addon built here against
 * Node 20 that does not load on Node 24, and `@hocuspocus/extension-database` is not installed.
 * So this is that Database extension's contract written out: `fetch` the stored state when a
 * document loads, `store` the whole encoded state when Hocuspocus decides to (its debounced
 * `onStoreDocument`: 2 s after the last change, at most every 10 s, and on shutdown), over the
 * built-in `node:sqlite` with the same table shape (`name`, `data`).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Server, type Extension } from "@hocuspocus/server";
import * as Y from "yjs";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? "0");
const dataDir = process.env.DATA_DIR;

function sqliteDatabase(file: string): Extension {
  const db = new DatabaseSync(file);
  db.exec(`
    PRAGMA journal_mode = WAL;
    PRAGMA synchronous = NORMAL;
    CREATE TABLE IF NOT EXISTS documents (name TEXT PRIMARY KEY, data BLOB NOT NULL);
  `);
  const select = db.prepare("SELECT data FROM documents WHERE name = ?");
  const upsert = db.prepare(
    "INSERT INTO documents (name, data) VALUES (?, ?) " +
      "ON CONFLICT (name) DO UPDATE SET data = excluded.data",
  );
  const fetch = (name: string): Uint8Array | null => {
    const row = select.get(name) as { data: Uint8Array } | undefined;
    return row?.data ?? null;
  };
  const store = (name: string, state: Uint8Array): void => {
    upsert.run(name, state);
  };
  return {
    extensionName: "SqliteDatabase",
    async onLoadDocument({ document, documentName }) {
      const state = fetch(documentName);
      if (state !== null) Y.applyUpdate(document, state);
    },
    async onStoreDocument({ document, documentName }) {
      store(documentName, Y.encodeStateAsUpdate(document));
    },
    async onDestroy() {
      db.close();
    },
  };
}

const extensions: Extension[] = [];
const redisUrl = process.env.REDIS_URL;
if (redisUrl !== undefined) {
  // Not a dependency until it is installed (see README: Benchmark); the launcher checks first.
  const name = "@hocuspocus/extension-redis";
  const { Redis } = (await import(name)) as {
    Redis: new (configuration: { host: string; port: number }) => Extension;
  };
  const url = new URL(redisUrl);
  extensions.push(new Redis({ host: url.hostname, port: Number(url.port || "6379") }));
}
if (dataDir !== undefined) {
  mkdirSync(dataDir, { recursive: true });
  extensions.push(sqliteDatabase(join(dataDir, "hocuspocus.sqlite")));
}

const server = new Server({ address: host, port, quiet: true, stopOnSignals: true, extensions });
await server.listen();
console.log(JSON.stringify({ msg: "listening", url: `ws://${host}:${port}` }));
