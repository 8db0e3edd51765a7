/**
 * Edit-to-peer latency accounting.
 *
 * Every probe and voter runs in the load generator's process (main thread or worker threads),
 * so one clock serves them all: the process-wide monotonic clock (`process.hrtime`, the same in
 * every thread, unlike `performance.now()` whose origin is per thread). No wall-clock skew, no
 * NTP step can make a sample negative or wrong.
 *
 * When a client edits, it writes down the send time against the edit's Yjs id: the
 * (clientID, clock) of its first struct, which travels inside the update itself. A probe that
 * integrates a remote transaction notes from the transaction's state vectors which clocks of
 * which clients just arrived, and when. Sends and arrivals are matched after the run, so an
 * edit written down in another thread is matched as well as one written down here.
 *
 * Edits made outside the measurement window (set-up, history) are never written down, so they
 * produce no sample when they arrive, however late.
 */
import { LatencyRecorder } from "./stats.ts";

/** Milliseconds on the process-wide monotonic clock, comparable between threads. */
export function nowMs(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1000 + nanos / 1e6;
}

type ClientEdits = { clocks: number[]; times: number[]; observers: number[] };

export class EditLedger {
  private readonly clients = new Map<number, ClientEdits>();
  /** Sum over recorded edits of the number of probes that should observe each one. */
  expectedDeliveries = 0;
  edits = 0;

  /**
   * Writes down that `client`'s edit whose first struct has `clock` was sent at `sentAt`, and
   * that `observers` probes (not counting the sender) should receive it. Clocks of one client
   * only grow (Yjs assigns them), so entries stay sorted.
   */
  record(client: number, clock: number, sentAt: number, observers: number): void {
    let edits = this.clients.get(client);
    if (edits === undefined) {
      edits = { clocks: [], times: [], observers: [] };
      this.clients.set(client, edits);
    }
    const last = edits.clocks[edits.clocks.length - 1];
    if (last !== undefined && clock <= last) {
      throw new RangeError(`clock ${clock} of client ${client} is not after ${last}`);
    }
    edits.clocks.push(clock);
    edits.times.push(sentAt);
    edits.observers.push(observers);
    this.expectedDeliveries += observers;
    this.edits++;
  }

  /** Every entry, flat (client, clock, sentAt, observers)…, to move to another thread. */
  export(): number[] {
    const flat: number[] = [];
    for (const [client, { clocks, times, observers }] of this.clients) {
      clocks.forEach((clock, i) => flat.push(client, clock, times[i] ?? 0, observers[i] ?? 0));
    }
    return flat;
  }

  /** Adds entries exported by another ledger (clients of its own). */
  ingest(flat: readonly number[]): void {
    for (let i = 0; i + 3 < flat.length; i += 4) {
      this.record(
        flat[i] as number,
        flat[i + 1] as number,
        flat[i + 2] as number,
        flat[i + 3] as number,
      );
    }
  }

  /**
   * Visits the send time of every recorded edit of `client` whose clock is in `[from, to)`.
   * `hint` is where the previous scan of this client by the same observer stopped; clocks
   * arrive in order (Yjs integrates a client's structs in clock order), so scans are amortised
   * O(1). Returns the index to pass as the next hint.
   */
  scan(
    client: number,
    from: number,
    to: number,
    hint: number | undefined,
    visit: (sentAt: number) => void,
  ): number {
    const edits = this.clients.get(client);
    if (edits === undefined) return 0;
    const { clocks, times } = edits;
    const usable = hint !== undefined && hint <= clocks.length && (clocks[hint - 1] ?? -1) < from;
    let i = usable ? hint : lowerBound(clocks, from);
    while (i < clocks.length && (clocks[i] as number) < from) i++;
    for (; i < clocks.length && (clocks[i] as number) < to; i++) visit(times[i] as number);
    return i;
  }
}

/** First index whose value is >= `value` in an ascending array. */
export function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * One observing probe's arrivals: which clocks of which clients it integrated, and when. Matched
 * against the ledger once the run is over (`match`).
 */
export class LatencyWatcher {
  /** Flat (client, from, to, arrivedAt)… */
  private readonly arrivals: number[] = [];

  /**
   * A remote transaction was integrated at `arrivedAt`: every client whose clock advanced from
   * `before` to `after` delivered its edits with clocks in that range.
   */
  observe(
    before: ReadonlyMap<number, number>,
    after: ReadonlyMap<number, number>,
    arrivedAt: number,
  ): void {
    for (const [client, to] of after) {
      const from = before.get(client) ?? 0;
      if (to > from) this.arrivals.push(client, from, to, arrivedAt);
    }
  }

  get arrivalCount(): number {
    return this.arrivals.length / 4;
  }

  /**
   * Adds one sample per recorded edit that arrived here to `into`. A negative sample (an arrival
   * before the send: impossible on one monotonic clock) is counted, not recorded.
   */
  match(ledger: EditLedger, into: LatencyRecorder): { samples: number; negative: number } {
    const cursors = new Map<number, number>();
    let samples = 0;
    let negative = 0;
    for (let i = 0; i + 3 < this.arrivals.length; i += 4) {
      const client = this.arrivals[i] as number;
      const arrivedAt = this.arrivals[i + 3] as number;
      const next = ledger.scan(
        client,
        this.arrivals[i + 1] as number,
        this.arrivals[i + 2] as number,
        cursors.get(client),
        (sentAt) => {
          const sample = arrivedAt - sentAt;
          if (sample < 0) {
            negative++;
          } else {
            into.record(sample);
            samples++;
          }
        },
      );
      cursors.set(client, next);
    }
    return { samples, negative };
  }
}
