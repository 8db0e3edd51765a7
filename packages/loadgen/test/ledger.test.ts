import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { EditLedger, LatencyWatcher, lowerBound, nowMs } from "../src/ledger.ts";
import { LatencyRecorder } from "../src/stats.ts";

const sv = (entries: Array<[number, number]>) => new Map<number, number>(entries);

function samples(watcher: LatencyWatcher, ledger: EditLedger): number[] {
  const recorder = new LatencyRecorder();
  watcher.match(ledger, recorder);
  const out: number[] = [];
  for (let p = 1; p <= recorder.count; p++) {
    out.push(recorder.summary().max ?? 0);
  }
  return out;
}

describe("EditLedger and LatencyWatcher", () => {
  it("times each edit from its send to its arrival", () => {
    const ledger = new EditLedger();
    ledger.record(7, 0, 100, 1);
    ledger.record(7, 1, 110, 1);
    const watcher = new LatencyWatcher();
    watcher.observe(sv([]), sv([[7, 1]]), 104);
    watcher.observe(sv([[7, 1]]), sv([[7, 2]]), 125);
    const recorder = new LatencyRecorder();
    expect(watcher.match(ledger, recorder)).toEqual({ samples: 2, negative: 0 });
    expect(recorder.summary()).toMatchObject({ count: 2, p50: 4, max: 15 });
  });

  it("times every edit of a batch that arrives in one transaction against its own send", () => {
    const ledger = new EditLedger();
    // An answer is one edit spanning several clocks; then two keystrokes.
    ledger.record(1, 0, 10, 1);
    ledger.record(1, 9, 20, 1);
    ledger.record(1, 10, 30, 1);
    const watcher = new LatencyWatcher();
    watcher.observe(sv([]), sv([[1, 11]]), 50);
    const recorder = new LatencyRecorder();
    watcher.match(ledger, recorder);
    expect(recorder.summary()).toMatchObject({ count: 3, p50: 30, max: 40 });
  });

  it("ignores history and set-up: clocks that were never written down", () => {
    const ledger = new EditLedger();
    ledger.record(3, 50, 1000, 1); // the first timed edit, after 50 structs of set-up
    const watcher = new LatencyWatcher();
    watcher.observe(sv([]), sv([[3, 40]]), 900); // initial sync
    watcher.observe(sv([[3, 40]]), sv([[3, 50]]), 950); // set-up
    watcher.observe(sv([[3, 50]]), sv([[3, 51]]), 1002);
    const recorder = new LatencyRecorder();
    expect(watcher.match(ledger, recorder).samples).toBe(1);
    expect(recorder.summary().max).toBe(2);
  });

  it("keeps clients apart and tolerates interleaved arrivals", () => {
    const ledger = new EditLedger();
    ledger.record(1, 0, 0, 1);
    ledger.record(2, 0, 5, 1);
    ledger.record(1, 1, 10, 1);
    const watcher = new LatencyWatcher();
    watcher.observe(sv([]), sv([[2, 1]]), 6);
    watcher.observe(
      sv([[2, 1]]),
      sv([
        [1, 2],
        [2, 1],
      ]),
      12,
    );
    const recorder = new LatencyRecorder();
    watcher.match(ledger, recorder);
    expect(recorder.count).toBe(3);
    expect(recorder.summary()).toMatchObject({ p50: 2, max: 12 });
  });

  it("counts a negative sample (arrival before send) instead of recording it", () => {
    const ledger = new EditLedger();
    ledger.record(1, 0, 100, 1);
    const watcher = new LatencyWatcher();
    watcher.observe(sv([]), sv([[1, 1]]), 99);
    const recorder = new LatencyRecorder();
    expect(watcher.match(ledger, recorder)).toEqual({ samples: 0, negative: 1 });
    expect(recorder.count).toBe(0);
  });

  it("refuses clocks that go backwards for one client", () => {
    const ledger = new EditLedger();
    ledger.record(1, 5, 0, 1);
    expect(() => ledger.record(1, 5, 1, 1)).toThrow(RangeError);
    expect(() => ledger.record(1, 4, 1, 1)).toThrow(RangeError);
  });

  it("sums the deliveries expected, and moves entries between ledgers", () => {
    const a = new EditLedger();
    a.record(1, 0, 10, 3);
    a.record(1, 4, 20, 3);
    const b = new EditLedger();
    b.record(2, 0, 15, 2);
    b.ingest(a.export());
    expect(b.expectedDeliveries).toBe(8);
    expect(b.edits).toBe(3);
    const watcher = new LatencyWatcher();
    watcher.observe(sv([]), sv([[1, 5]]), 30);
    expect(samples(watcher, b)).toHaveLength(2);
  });

  it("lowerBound finds the first index not below a value", () => {
    expect(lowerBound([], 3)).toBe(0);
    expect(lowerBound([1, 3, 5], 0)).toBe(0);
    expect(lowerBound([1, 3, 5], 3)).toBe(1);
    expect(lowerBound([1, 3, 5], 4)).toBe(2);
    expect(lowerBound([1, 3, 5], 6)).toBe(3);
  });

  it("reads Yjs transactions: a remote keystroke is matched by its struct id", () => {
    const ledger = new EditLedger();
    const sender = new Y.Doc();
    const receiver = new Y.Doc();
    const watcher = new LatencyWatcher();
    receiver.on("afterTransaction", (tr: Y.Transaction) => {
      if (tr.origin === "remote") watcher.observe(tr.beforeState, tr.afterState, nowMs());
    });
    sender.on("update", (update: Uint8Array) => Y.applyUpdate(receiver, update, "remote"));
    sender.getText("t").insert(0, "set-up, not timed");
    for (let i = 0; i < 5; i++) {
      ledger.record(sender.clientID, Y.getState(sender.store, sender.clientID), nowMs(), 1);
      sender.getText("t").insert(0, "k");
    }
    const recorder = new LatencyRecorder();
    expect(watcher.match(ledger, recorder)).toEqual({ samples: 5, negative: 0 });
    expect(recorder.summary().max).toBeGreaterThanOrEqual(0);
  });
});

describe("nowMs", () => {
  it("is monotonic", () => {
    let last = nowMs();
    for (let i = 0; i < 10_000; i++) {
      const now = nowMs();
      expect(now).toBeGreaterThanOrEqual(last);
      last = now;
    }
  });

  it("is one clock for every thread of the process", async () => {
    // performance.now() has a per-thread origin; the ledger's clock must not.
    const source =
      "const { parentPort } = require('node:worker_threads');" +
      "const [s, ns] = process.hrtime(); parentPort.postMessage(s * 1000 + ns / 1e6);";
    const before = nowMs();
    const worker = new Worker(source, { eval: true });
    const inWorker = await new Promise<number>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    const after = nowMs();
    await worker.terminate();
    expect(inWorker).toBeGreaterThanOrEqual(before);
    expect(inWorker).toBeLessThanOrEqual(after);
  });
});
