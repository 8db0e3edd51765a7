/**
 * The storage seam (DESIGN.md §6): the collaboration core and the catalogue talk to this
 * interface only, so SQLite (the embedded default) and PostgreSQL share one contract.
 */
export interface StoredDocument {
  /** The last compacted state, or null before the first compaction. */
  snapshot: Uint8Array | null;
  /** Updates appended after the snapshot, in order. */
  updates: Uint8Array[];
  /** Sequence number of the last update returned; pass it to `compact`. */
  lastSeq: number;
}

export interface DocumentStore {
  load(documentName: string): Promise<StoredDocument>;
  /**
   * Appends one update to the document's log. Implementations resolve only once the update is
   * durable; the server broadcasts it after that.
   */
  appendUpdate(documentName: string, update: Uint8Array): Promise<number>;
  /**
   * Appends several updates in one transaction (group commit), in order; resolves with the
   * sequence number of the last one once all are durable.
   */
  appendUpdates(documentName: string, updates: readonly Uint8Array[]): Promise<number>;
  /** Replaces the log up to `uptoSeq` with `snapshot`, atomically. */
  compact(documentName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>;
  /** How many updates are in the log after the snapshot. */
  pendingUpdates(documentName: string): Promise<number>;
}

export interface CatalogueStore {
  listRecords(kind: string): Promise<unknown[]>;
  getRecord(kind: string, id: string): Promise<unknown | undefined>;
  putRecord(kind: string, id: string, value: unknown): Promise<void>;
}

export interface Storage extends DocumentStore, CatalogueStore {
  close(): Promise<void>;
}
