/** Helpers shared by the main thread and the crowd worker: connecting, waiting, pacing. */
import type { BenchClient } from "./protocol.ts";

export const SYNC_TIMEOUT_MS = 60_000;
const CONNECT_BATCH = 50;

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Connects in batches (not a storm), then waits for every client to sync. */
export async function connectAll(clients: BenchClient[], errors: string[]): Promise<void> {
  for (let i = 0; i < clients.length; i += CONNECT_BATCH) {
    await Promise.all(
      clients.slice(i, i + CONNECT_BATCH).map((client) =>
        client.connect().catch((error: unknown) => {
          errors.push(`connect: ${String(error)}`);
        }),
      ),
    );
  }
  await waitSynced(clients, errors);
}

/** Connects every client at once (nobody waits for anybody), then waits for every sync. */
export async function connectAtOnce(clients: BenchClient[], errors: string[]): Promise<void> {
  await Promise.all(
    clients.map((client) =>
      client.connect().catch((error: unknown) => {
        errors.push(`connect: ${String(error)}`);
      }),
    ),
  );
  await waitSynced(clients, errors);
}

/**
 * Connects one client every `spacingMs` (a storm spread over a window), then waits for every
 * sync. Returns when the last connection was started (`nowMs()` clock is the caller's).
 */
export async function connectSpread(
  clients: BenchClient[],
  spacingMs: number,
  errors: string[],
  now: () => number,
): Promise<number> {
  const start = performance.now();
  let last = now();
  const opened: Array<Promise<void>> = [];
  for (let i = 0; i < clients.length; i++) {
    const wait = start + i * spacingMs - performance.now();
    if (wait > 1) await sleep(wait);
    last = now();
    opened.push(
      (clients[i] as BenchClient).connect().catch((error: unknown) => {
        errors.push(`connect: ${String(error)}`);
      }),
    );
  }
  await Promise.all(opened);
  await waitSynced(clients, errors);
  return last;
}

export async function waitSynced(clients: BenchClient[], errors: string[]): Promise<void> {
  const results = await Promise.allSettled(clients.map((c) => c.whenSynced(SYNC_TIMEOUT_MS)));
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length > 0) {
    const first = failed[0] as PromiseRejectedResult;
    errors.push(`${failed.length} clients not synced; first: ${String(first.reason)}`);
  }
}

/** Resolves once every client's socket is closed, or after `timeoutMs`. */
export async function waitClosed(clients: BenchClient[], timeoutMs: number): Promise<void> {
  await Promise.race([Promise.all(clients.map((c) => c.whenClosed())), sleep(timeoutMs)]);
}

/**
 * Calls `action` about every `meanMs` (uniform jitter of ±`jitter`·mean), starting after a
 * random fraction of a period so that clients do not fire together. Returns a stop function.
 */
export function every(meanMs: number, jitter: number, action: () => void): () => void {
  let timer: NodeJS.Timeout;
  let stopped = false;
  const next = () => meanMs * (1 + jitter * (2 * Math.random() - 1));
  const tick = () => {
    if (stopped) return;
    action();
    timer = setTimeout(tick, next());
  };
  timer = setTimeout(tick, Math.random() * meanMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

export type Traffic = { messages: number; bytes: number };

export function received(clients: BenchClient[]): Traffic {
  let messages = 0;
  let bytes = 0;
  for (const client of clients) {
    messages += client.messagesReceived;
    bytes += client.bytesReceived;
  }
  return { messages, bytes };
}

/** What a set of clients looks like at a moment; also what the crowd worker reports. */
export type ClientsState = Traffic & {
  clients: number;
  synced: number;
  /** Current connection's connect-to-synced times, ms. */
  syncMs: number[];
  /** Latest `syncedAt` (process-wide clock), NaN when one is not synced. */
  lastSyncedAt: number;
  unexpectedCloses: number;
  firstClose: string | null;
};

export function clientsState(clients: BenchClient[]): ClientsState {
  const closes = clients.filter((c) => c.unexpectedClose !== null);
  const first = closes[0]?.unexpectedClose;
  let lastSyncedAt = clients.length === 0 ? 0 : -Infinity;
  const syncMs: number[] = [];
  for (const client of clients) {
    lastSyncedAt = Math.max(lastSyncedAt, client.syncedAt ?? Number.NaN);
    if (client.syncMs !== null) syncMs.push(client.syncMs);
  }
  return {
    ...received(clients),
    clients: clients.length,
    synced: syncMs.length,
    syncMs,
    lastSyncedAt,
    unexpectedCloses: closes.length,
    firstClose: first == null ? null : `${first.code} ${first.reason}`,
  };
}
