/** The main thread's handle on the crowd worker (crowdWorker.ts). */
import { Worker } from "node:worker_threads";
import type { ClientsState } from "./drive.ts";
import type { ProtocolMode } from "./protocol.ts";

export type CrowdSpec =
  | { kind: "silent"; url: string }
  /** `audience`: how many probes watch the document (should receive each of its edits). */
  | {
      kind: "voter";
      url: string;
      id: string;
      audience: number;
      /** Who the server takes the voter for: answers signed so, votes under `anonId`. */
      userId: string;
      anonId: string;
      name: string;
    };

export type WorkerData = { mode: ProtocolMode; seed: Uint8Array | null };

export type CrowdRequest =
  | { op: "add"; specs: CrowdSpec[] }
  | { op: "connect"; from?: number; to?: number; spacingMs?: number }
  | { op: "reconnectAll" }
  | { op: "waitClosed"; timeoutMs: number }
  | { op: "startVoting"; meanMs: number }
  | { op: "stopVoting" }
  | { op: "state"; from?: number; to?: number; withSends?: boolean }
  | { op: "resetDelay" }
  | { op: "close" };

export type CrowdState = ClientsState & {
  editsSent: number;
  /** The voters' ledger entries (see `EditLedger.export`), when asked for. */
  sends: number[];
  /** The worker's event-loop delay p99 since the last reset, ms. */
  loopDelayP99Ms: number;
};

export type Connected = { errors: string[]; lastConnectAt: number };

export class Crowd {
  private readonly worker: Worker;
  private next = 0;
  private readonly pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  private failure: Error | null = null;
  size = 0;

  constructor(mode: ProtocolMode, seed: Uint8Array | null = null) {
    const data: WorkerData = { mode, seed };
    this.worker = new Worker(new URL("./crowdWorker.ts", import.meta.url), { workerData: data });
    this.worker.on("message", (message: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if (message.error !== undefined) waiter.reject(new Error(`crowd: ${message.error}`));
      else waiter.resolve(message.result);
    });
    const fail = (error: Error) => {
      this.failure = error;
      for (const waiter of this.pending.values()) waiter.reject(error);
      this.pending.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`crowd worker exited with ${code}`)));
  }

  private call<T>(request: CrowdRequest): Promise<T> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, request });
    });
  }

  async add(specs: CrowdSpec[]): Promise<{ from: number; to: number }> {
    const range = await this.call<{ from: number; to: number }>({ op: "add", specs });
    this.size = range.to;
    return range;
  }

  /** Connects clients `[from, to)` in batches, or one every `spacingMs`; waits for sync. */
  connect(from?: number, to?: number, spacingMs?: number): Promise<Connected> {
    return this.call({ op: "connect", from, to, spacingMs });
  }

  reconnectAll(): Promise<Connected> {
    return this.call({ op: "reconnectAll" });
  }

  waitClosed(timeoutMs: number): Promise<void> {
    return this.call({ op: "waitClosed", timeoutMs });
  }

  startVoting(meanMs: number): Promise<void> {
    return this.call({ op: "startVoting", meanMs });
  }

  stopVoting(): Promise<void> {
    return this.call({ op: "stopVoting" });
  }

  state(options: { from?: number; to?: number; withSends?: boolean } = {}): Promise<CrowdState> {
    return this.call({ op: "state", ...options });
  }

  resetDelay(): Promise<void> {
    return this.call({ op: "resetDelay" });
  }

  async close(): Promise<void> {
    if (this.failure === null) await this.call({ op: "close" }).catch(() => {});
    this.worker.removeAllListeners("exit");
    await this.worker.terminate();
  }
}
