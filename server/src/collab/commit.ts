import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { DocumentStore, LogEntry } from "../storage/storage.ts";
import type { Outgoing } from "./fanout.ts";

/** An accepted update waiting for its batch to be appended to storage. */
export interface PendingUpdate extends Outgoing {
  entry: LogEntry;
}

export interface GroupCommitDeps {
  store: DocumentStore;
  log: Logger;
  metrics: Metrics;
  /** A batch is durable: fan it out. */
  committed(batch: readonly PendingUpdate[], lastSeq: number): void;
  /** A batch could not be stored: memory is ahead of disk. */
  failed(error: unknown, batch: readonly PendingUpdate[]): void;
}

/**
 * Group commit: the updates accepted within one turn of the event loop are appended to
 * storage in one transaction, and only then handed on, in order — still durable before any
 * peer sees them, at one commit per turn instead of one per keystroke.
 */
export class GroupCommit {
  private readonly name: string;
  private readonly deps: GroupCommitDeps;
  private persisted: Promise<void> = Promise.resolve();
  /** The batch collecting this turn's updates, and the one being appended. */
  private open: Batch | null = null;
  private inFlight: Batch | null = null;
  private stopped = false;

  constructor(name: string, deps: GroupCommitDeps) {
    this.name = name;
    this.deps = deps;
  }

  /** Nothing accepted is waiting to be stored. */
  get idle(): boolean {
    return this.open === null && this.inFlight === null;
  }

  push(update: PendingUpdate): void {
    if (this.stopped) return;
    if (this.open !== null) {
      this.open.updates.push(update);
      return;
    }
    this.open = { updates: [update], waiters: [] };
    this.persisted = this.persisted
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.commitOpen());
  }

  /**
   * Runs `reply` once every update accepted so far is durable: at once when nothing is
   * waiting for the group commit, else right after that commit (and its fan-out). A sync
   * reply computed in between would hand a client updates a crash could still lose.
   */
  whenDurable(reply: () => void): void {
    if (this.stopped) return;
    const latest = this.open ?? this.inFlight;
    if (latest === null) reply();
    else latest.waiters.push(reply);
  }

  /** Resolves once every update accepted so far is durable (or the commit has stopped). */
  async flushed(): Promise<void> {
    while (!this.stopped && !this.idle) await this.persisted;
  }

  /** After a failure: nothing more is stored, and no reply waiting for it is sent. */
  stop(): void {
    this.stopped = true;
    this.open = null;
    this.inFlight = null;
  }

  private async commitOpen(): Promise<void> {
    const batch = this.open;
    if (this.stopped || batch === null) return;
    this.open = null;
    this.inFlight = batch;
    const started = performance.now();
    let lastSeq: number;
    try {
      lastSeq = await this.deps.store.appendUpdates(
        this.name,
        batch.updates.map((item) => item.entry),
      );
    } catch (error) {
      // Not durable, so not broadcast: peers would hold what a crash could lose.
      this.deps.log.error(
        { err: error, doc: this.name, updates: batch.updates.length },
        "update append failed",
      );
      this.stop();
      this.deps.failed(error, batch.updates);
      return;
    }
    if (this.stopped) return;
    this.inFlight = null;
    this.deps.metrics.persistSeconds.observe((performance.now() - started) / 1000);
    // Nothing after the append may stop the commit chain: a fault here is logged, and the
    // next batch is committed all the same.
    try {
      this.deps.committed(batch.updates, lastSeq);
    } catch (error) {
      this.deps.log.error({ err: error, doc: this.name }, "fan-out after a commit failed");
    }
    for (const reply of batch.waiters) {
      try {
        reply();
      } catch (error) {
        this.deps.log.error({ err: error, doc: this.name }, "a deferred reply failed");
      }
    }
  }
}

interface Batch {
  updates: PendingUpdate[];
  /** Replies that wait for this batch to be durable. */
  waiters: (() => void)[];
}
