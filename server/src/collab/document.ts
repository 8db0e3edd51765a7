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
  send(message: Uint8Array): void;
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

  /** Resolves once every update applied so far is durable. */
  flushed(): Promise<void> {
    return this.persisted;
  }

  private onUpdate(update: Uint8Array, origin: unknown): void {
    const message = encodeSyncUpdate(update);
    const started = performance.now();
    this.persisted = this.persisted
      .then(() => this.deps.store.appendUpdate(this.name, update))
      .then(
        (seq) => {
          this.deps.metrics.persistSeconds.observe((performance.now() - started) / 1000);
          this.lastSeq = seq;
          for (const peer of this.peers) if (peer !== origin) peer.send(message);
          this.reportStatus();
          if (++this.sinceCompaction >= this.deps.compactAfterUpdates) this.scheduleCompaction();
        },
        (error: unknown) => {
          // Not durable, so not broadcast: peers would hold what a crash could lose.
          this.deps.log.error({ err: error, doc: this.name }, "update append failed");
        },
      );
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
    const message = encoding.toUint8Array(encoder);
    for (const peer of this.peers) peer.send(message);
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
  return typeof origin === "object" && origin !== null && "send" in origin;
}

function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}
