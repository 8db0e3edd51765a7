import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as encoding from "lib0/encoding";
import type { DocumentScope, PermissionState, SeminarStatus } from "@percorso/schema";
import type { DocumentStore } from "../storage/storage.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { MESSAGE_AWARENESS, MESSAGE_SYNC } from "./messages.ts";
import * as syncProtocol from "y-protocols/sync";

/** What a document needs to know of a connection to fan out to it. */
export interface DocumentPeer {
  /** Sends without per-message accounting: the fan-out counts bytes once per broadcast. */
  forward(message: Uint8Array): void;
}

/** An accepted update waiting for its batch to be appended to storage. */
interface PendingUpdate {
  update: Uint8Array;
  origin: unknown;
}

export interface DocumentDeps {
  store: DocumentStore;
  log: Logger;
  metrics: Metrics;
  compactAfterUpdates: number;
  /** Told when a seminar document's `session.status` is loaded or changes. */
  onSeminarStatus?: (seminarId: string, status: SeminarStatus) => void;
}

/**
 * One loaded document: the Y.Doc, its awareness, its connections. Every update, whoever made
 * it, is appended to storage and only then fanned out to the other connections, in order.
 */
export class CollabDocument {
  readonly name: string;
  readonly scope: DocumentScope;
  readonly ydoc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly peers = new Set<DocumentPeer>();
  /** Awareness client ids announced by each peer, removed when it leaves. */
  readonly awarenessOwners = new Map<number, DocumentPeer>();
  private readonly deps: DocumentDeps;
  private persisted: Promise<void> = Promise.resolve();
  private pending: PendingUpdate[] = [];
  /** Replies that must not show a peer anything before it is durable (see `whenDurable`). */
  private waiting: (() => void)[] = [];
  /** The whole state as one update, for clients that have nothing yet; null once stale. */
  private fullState: Uint8Array | null = null;
  private lastSeq: number;
  private sinceCompaction: number;
  private compacting: Promise<void> | null = null;
  private reportedStatus: SeminarStatus | undefined;

  private constructor(
    name: string,
    scope: DocumentScope,
    deps: DocumentDeps,
    lastSeq: number,
    tail: number,
  ) {
    this.name = name;
    this.scope = scope;
    this.deps = deps;
    this.ydoc = new Y.Doc({ gc: true });
    this.awareness = new awarenessProtocol.Awareness(this.ydoc);
    this.awareness.setLocalState(null);
    this.lastSeq = lastSeq;
    this.sinceCompaction = tail;
  }

  static async load(
    name: string,
    scope: DocumentScope,
    deps: DocumentDeps,
  ): Promise<CollabDocument> {
    const stored = await deps.store.load(name);
    const doc = new CollabDocument(name, scope, deps, stored.lastSeq, stored.updates.length);
    doc.ydoc.transact(() => {
      if (stored.snapshot) Y.applyUpdate(doc.ydoc, stored.snapshot);
      for (const update of stored.updates) Y.applyUpdate(doc.ydoc, update);
    });
    // Right after a compaction the stored snapshot is the whole state: serve it as it is.
    if (stored.snapshot && stored.updates.length === 0) doc.fullState = stored.snapshot;
    doc.reportStatus();
    doc.ydoc.on("update", (update: Uint8Array, origin: unknown) => doc.onUpdate(update, origin));
    doc.awareness.on("update", (change: AwarenessChange, origin: unknown) =>
      doc.onAwareness(change, origin),
    );
    return doc;
  }

  permissionState(): PermissionState {
    if (this.scope.kind !== "seminar") return {};
    const status = this.ydoc.getMap("session").get("status");
    return typeof status === "string" ? { seminarStatus: status as SeminarStatus } : {};
  }

  private reportStatus(): void {
    const status = this.permissionState().seminarStatus;
    if (status === undefined || status === this.reportedStatus) return;
    this.reportedStatus = status;
    this.deps.onSeminarStatus?.(this.scope.id, status);
  }

  /**
   * Runs `reply` once every update applied so far is durable: at once when nothing is
   * waiting for the group commit, else right after that commit (and its fan-out). A sync
   * reply computed in between would hand a client updates a crash could still lose.
   */
  whenDurable(reply: () => void): void {
    if (this.pending.length === 0) reply();
    else this.waiting.push(reply);
  }

  /**
   * The document as one update for a client that has nothing yet (a join storm, a cold load):
   * encoded once and shared until the next change, instead of once per joining client.
   */
  stateForNewClient(): Uint8Array {
    this.fullState ??= Y.encodeStateAsUpdate(this.ydoc);
    return this.fullState;
  }

  /** Resolves once every update applied so far is durable. */
  flushed(): Promise<void> {
    return this.persisted;
  }

  /**
   * Group commit: the updates accepted within one turn of the event loop are appended to
   * storage in one transaction, and only then fanned out, in order — still durable before
   * any peer sees them, at one commit per turn instead of one per keystroke.
   */
  private onUpdate(update: Uint8Array, origin: unknown): void {
    this.fullState = null;
    // Encoded for the wire only at fan-out: a batch of several is merged first.
    this.pending.push({ update, origin });
    if (this.pending.length > 1) return;
    this.persisted = this.persisted
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => this.commitPending());
  }

  private async commitPending(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    const started = performance.now();
    try {
      this.lastSeq = await this.deps.store.appendUpdates(
        this.name,
        batch.map((item) => item.update),
      );
    } catch (error) {
      // Not durable, so not broadcast: peers would hold what a crash could lose.
      this.deps.log.error(
        { err: error, doc: this.name, updates: batch.length },
        "update append failed",
      );
      for (const reply of this.waiting.splice(0)) reply();
      return;
    }
    this.deps.metrics.persistSeconds.observe((performance.now() - started) / 1000);
    this.fanOut(batch);
    for (const reply of this.waiting.splice(0)) reply();
    this.reportStatus();
    this.sinceCompaction += batch.length;
    if (this.sinceCompaction >= this.deps.compactAfterUpdates) this.scheduleCompaction();
  }

  /**
   * Fans a committed batch out. One update goes as it came; several are merged into one
   * message per recipient (each author gets the others' updates only), so a busy document
   * costs one socket write per peer per turn rather than one per keystroke.
   */
  private fanOut(batch: readonly PendingUpdate[]): void {
    if (batch.length === 1) {
      return this.broadcast(encodeSyncUpdate(batch[0]!.update), batch[0]!.origin);
    }
    const merged = (items: readonly PendingUpdate[]) =>
      encodeSyncUpdate(Y.mergeUpdates(items.map((item) => item.update)));
    const forAuthor = new Map<unknown, Uint8Array | null>();
    for (const { origin } of batch) {
      if (!isPeer(origin) || forAuthor.has(origin)) continue;
      const others = batch.filter((item) => item.origin !== origin);
      forAuthor.set(origin, others.length > 0 ? merged(others) : null);
    }
    const everyone = merged(batch);
    let bytes = 0;
    for (const peer of this.peers) {
      const message = forAuthor.has(peer) ? forAuthor.get(peer) : everyone;
      if (!message) continue;
      peer.forward(message);
      bytes += message.byteLength;
    }
    this.deps.metrics.bytesOut.inc(bytes);
  }

  /** Sends `message` to every peer but `except`, counting the bytes once. */
  private broadcast(message: Uint8Array, except: unknown): void {
    let sent = 0;
    for (const peer of this.peers) {
      if (peer === except) continue;
      peer.forward(message);
      sent += 1;
    }
    this.deps.metrics.bytesOut.inc(message.byteLength * sent);
  }

  private onAwareness({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    const changed = [...added, ...updated, ...removed];
    if (isPeer(origin)) {
      for (const id of [...added, ...updated]) this.awarenessOwners.set(id, origin);
    }
    for (const id of removed) this.awarenessOwners.delete(id);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed),
    );
    this.broadcast(encoding.toUint8Array(encoder), null);
  }

  /** Removes a leaving peer and the awareness states it announced, for everyone else. */
  removePeer(peer: DocumentPeer): void {
    this.peers.delete(peer);
    const owned = [...this.awarenessOwners].filter(([, owner]) => owner === peer).map(([id]) => id);
    if (owned.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, owned, null);
  }

  private scheduleCompaction(): void {
    if (this.compacting) return;
    this.compacting = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.compact())
      .catch((error: unknown) =>
        this.deps.log.error({ err: error, doc: this.name }, "compaction failed"),
      )
      .finally(() => {
        this.compacting = null;
      });
  }

  /** Folds the log into one snapshot (in the background, after the appends so far). */
  async compact(): Promise<void> {
    await this.persisted;
    if (this.sinceCompaction === 0) return;
    const upto = this.lastSeq;
    const snapshot = Y.encodeStateAsUpdate(this.ydoc);
    this.sinceCompaction = 0;
    await this.deps.store.compact(this.name, snapshot, upto);
    this.deps.log.debug({ doc: this.name, upto, bytes: snapshot.byteLength }, "compacted");
  }

  async unload(): Promise<void> {
    await this.compacting;
    await this.compact();
    this.awareness.destroy();
    this.ydoc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

function isPeer(origin: unknown): origin is DocumentPeer {
  return typeof origin === "object" && origin !== null && "forward" in origin;
}

function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}
