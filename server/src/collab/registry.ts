import * as Y from "yjs";
import type { DocumentScope, SeminarStatus } from "@percorso/schema";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { ClientBinding, DocumentStore } from "../storage/storage.ts";
import { localBus, type Bus, type DocumentMessage } from "../cluster/bus.ts";
import type { ReservedClientIds } from "./clientIds.ts";
import { CollabDocument } from "./document.ts";

export interface RegistryDeps {
  store: DocumentStore;
  /** Other processes sharing the store (none by default). */
  bus?: Bus;
  log: Logger;
  metrics: Metrics;
  compactAfterUpdates: number;
  idleUnloadMs: number;
  onSeminarStatus?: (seminarId: string, status: SeminarStatus) => void;
  /** The client ids handed to people at join, bound to them in every document. */
  reservedClientIds?: ReservedClientIds;
}

/**
 * The documents held in memory. A document loads on its first connection (concurrent joins
 * share one load) and is flushed and unloaded after `idleUnloadMs` with no connections.
 */
export class DocumentRegistry {
  private readonly deps: RegistryDeps;
  private readonly loading = new Map<string, Promise<CollabDocument>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();
  /** The documents whose load has finished, by name. */
  private readonly loaded = new Map<string, CollabDocument>();
  private readonly unsubscribers = new Map<string, () => Promise<void>>();

  private unsubscribe(name: string): void {
    const end = this.unsubscribers.get(name);
    this.unsubscribers.delete(name);
    void end?.();
  }

  private readonly bus: Bus;

  constructor(deps: RegistryDeps) {
    this.deps = deps;
    this.bus = deps.bus ?? localBus();
    // Pub/sub keeps nothing through an outage: take what was missed from storage.
    this.bus.onReconnect(() => {
      for (const name of this.loading.keys()) void this.resync(name);
    });
  }

  /**
   * Subscribes to what other processes say of a document, then loads it: messages that arrive
   * while it loads are kept and applied after (updates are idempotent), so there is no gap
   * between what storage had and what the bus brings.
   */
  private async load(name: string, scope: DocumentScope): Promise<CollabDocument> {
    const early: DocumentMessage[] = [];
    let doc: CollabDocument | null = null;
    const unsubscribe = await this.bus
      .subscribe(name, (message) => {
        if (doc === null) early.push(message);
        else doc.receiveRemote(message);
      })
      .catch((error: unknown) => {
        this.deps.log.warn({ err: error, doc: name }, "not subscribed: the bus is away");
        return async () => {};
      });
    this.unsubscribers.set(name, unsubscribe);
    try {
      doc = await CollabDocument.load(name, scope, {
        ...this.deps,
        bus: this.bus,
        // Storage failed it: the next join loads it afresh from what storage has.
        onFailed: (failed) => {
          if (this.loaded.get(name) === failed) this.forget(name);
          this.deps.log.warn({ doc: failed.name }, "document dropped after a storage failure");
        },
      });
    } catch (error) {
      this.unsubscribe(name);
      throw error;
    }
    for (const message of early.splice(0)) doc.receiveRemote(message);
    this.loaded.set(name, doc);
    return doc;
  }

  /** Applies what storage has of a loaded document that it may lack (after a bus outage). */
  private async resync(name: string): Promise<void> {
    try {
      const doc = await this.loading.get(name);
      if (doc === undefined || doc.failed) return;
      const stored = await this.deps.store.load(name);
      doc.receiveRemote({
        kind: "updates",
        updates: [
          ...(stored.snapshot
            ? [{ update: stored.snapshot, seq: 0, binds: [], userId: null }]
            : []),
          ...stored.updates.map((update) => ({ update, seq: 0, binds: [], userId: null })),
        ],
      });
      doc.clientIds.bind(stored.bindings);
    } catch (error) {
      this.deps.log.warn({ err: error, doc: name }, "resync from storage failed");
    }
  }

  get size(): number {
    return this.loading.size;
  }

  open(name: string, scope: DocumentScope): Promise<CollabDocument> {
    this.cancelIdle(name);
    let doc = this.loading.get(name);
    if (doc === undefined) {
      doc = this.load(name, scope);
      this.loading.set(name, doc);
      this.deps.metrics.loadedDocuments.set(this.loading.size);
      doc.catch(() => this.forget(name));
    }
    return doc;
  }

  private forget(name: string): void {
    this.loading.delete(name);
    this.loaded.delete(name);
    this.unsubscribe(name);
    this.cancelIdle(name);
    this.deps.metrics.loadedDocuments.set(this.loading.size);
  }

  /** Runs `run` on the live document (loaded for it if need be, released after). */
  async withDocument<T>(
    name: string,
    scope: DocumentScope,
    run: (doc: CollabDocument) => T | Promise<T>,
  ): Promise<T> {
    const doc = await this.open(name, scope);
    try {
      return await run(doc);
    } finally {
      this.release(doc);
    }
  }

  /** The Yjs client ids bound to people in a document, loaded or not. */
  async bindings(name: string): Promise<ClientBinding[]> {
    const loaded = this.loading.get(name);
    if (loaded !== undefined) {
      const doc = await loaded.catch(() => null);
      if (doc !== null && !doc.failed) return doc.clientIds.all();
    }
    return (await this.deps.store.load(name)).bindings;
  }

  /**
   * Runs `read` on a document's current state without keeping it loaded: the live document
   * when it is loaded, else a copy from storage that is dropped right after (exports).
   */
  async read<T>(name: string, read: (doc: Y.Doc) => T): Promise<T> {
    const loaded = this.loading.get(name);
    if (loaded !== undefined) {
      const doc = await loaded.catch(() => null);
      if (doc !== null && !doc.failed) return read(doc.ydoc);
    }
    const stored = await this.deps.store.load(name);
    const copy = new Y.Doc();
    try {
      copy.transact(() => {
        if (stored.snapshot) Y.applyUpdate(copy, stored.snapshot);
        for (const update of stored.updates) Y.applyUpdate(copy, update);
      });
      return read(copy);
    } finally {
      copy.destroy();
    }
  }

  /**
   * A document's current state as updates to apply, decoding nothing here (for a worker
   * thread): the live document's shared encoded state, or what storage holds.
   */
  async encoded(name: string): Promise<Uint8Array[]> {
    const loaded = this.loading.get(name);
    if (loaded !== undefined) {
      const doc = await loaded.catch(() => null);
      if (doc !== null && !doc.failed) return [doc.stateForNewClient()];
    }
    const stored = await this.deps.store.load(name);
    return stored.snapshot ? [stored.snapshot, ...stored.updates] : [...stored.updates];
  }

  /** Called when a connection leaves: unload later if nobody is left. */
  release(doc: CollabDocument): void {
    if (doc.peerCount > 0 || this.idleTimers.has(doc.name) || doc.failed) return;
    const timer = setTimeout(() => {
      this.idleTimers.delete(doc.name);
      if (doc.peerCount === 0 && !doc.failed) void this.unload(doc.name);
    }, this.deps.idleUnloadMs);
    timer.unref();
    this.idleTimers.set(doc.name, timer);
  }

  private cancelIdle(name: string): void {
    clearTimeout(this.idleTimers.get(name));
    this.idleTimers.delete(name);
  }

  private async unload(name: string): Promise<void> {
    const loading = this.loading.get(name);
    if (loading === undefined) return;
    this.loading.delete(name);
    this.loaded.delete(name);
    this.unsubscribe(name);
    this.deps.metrics.loadedDocuments.set(this.loading.size);
    try {
      const doc = await loading;
      await doc.unload();
      this.deps.log.info({ doc: name }, "document unloaded");
    } catch (error) {
      this.deps.log.error({ err: error, doc: name }, "document unload failed");
    }
  }

  /** Flushes and unloads every document (shutdown). */
  async unloadAll(): Promise<void> {
    for (const name of this.idleTimers.keys()) this.cancelIdle(name);
    await Promise.all([...this.loading.keys()].map((name) => this.unload(name)));
  }
}
