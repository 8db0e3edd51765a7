/**
 * The storage seam (DESIGN.md §6): the collaboration core and the catalogue talk to this
 * interface only, so SQLite (the embedded default) and PostgreSQL share one contract.
 *
 * The update log is attributed and never destroyed (DESIGN.md §4.1): every entry says who sent
 * it and when the server accepted it; snapshots only make loading fast.
 */
export interface StoredDocument {
  /** The last snapshot, or null before the first one. */
  snapshot: Uint8Array | null;
  /** Updates appended after the snapshot, in order. */
  updates: Uint8Array[];
  /** Sequence number of the last update returned. */
  lastSeq: number;
  /** The Yjs client ids bound to people in this document. */
  bindings: ClientBinding[];
  /** Bytes of the whole attributed log, and by author (for the document's quotas). */
  sizes: LogSizes;
}

export interface LogSizes {
  total: number;
  byAuthor: Map<string, number>;
}

/** Who wrote an update, as the log records it. */
export interface Author {
  /**
   * The person's user id, `admin` for `ADMIN_TOKEN`, `system` for the server's own writes; for
   * an anonymous act, the person's `anonId` (the key of their anonymous share), never shown.
   */
  userId: string;
  role: string;
  /** The display name at the time. */
  name: string;
}

/** One accepted update with its attribution. */
export interface LogEntry extends Author {
  update: Uint8Array;
  /** Epoch ms when the server accepted it. */
  at: number;
  /** The update carries a person's anonymous items (votes, anonymous answers, reactions). */
  anonymous: boolean;
  /** Yjs client ids this update is the first to use, bound to its author from now on. */
  binds: readonly ClientBinding[];
}

/** A Yjs client id bound to a person: every struct under it is theirs. */
export interface ClientBinding {
  clientId: number;
  userId: string;
  /**
   * True: the client id carries the person's anonymous items and never their named presence;
   * false: named; null: not decided yet (so far only content deleted before it arrived). An
   * undecided binding is decided, once, by the first update that shows which it is.
   */
  anonymous: boolean | null;
}

/** One entry of a document's history, as `GET /api/documents/:name/history` lists it. */
export interface HistoryEntry {
  seq: number;
  /** Epoch ms; 0 for updates stored before the log was attributed. */
  at: number;
  /** Null for updates stored before the log was attributed. */
  userId: string | null;
  name: string;
  role: string;
  anonymous: boolean;
  bytes: number;
}

export interface HistoryFilter {
  /** Epoch ms, inclusive. */
  from?: number;
  to?: number;
  /** Named rows of this author only: an anonymous row is never found by a person's id. */
  userId?: string;
  /** At most this many entries, the newest ones (still listed oldest first). */
  limit?: number;
}

/** What rebuilds a document as it was at a moment: a base state and the updates after it. */
export interface StateAt {
  /** The state before the attributed log began (data kept from before), or null. */
  base: Uint8Array | null;
  updates: Uint8Array[];
  /** The sequence number of the last update included (0 when none). */
  lastSeq: number;
}

export interface DocumentStore {
  /**
   * Sequence numbers are per document and contiguous (1, 2, 3 … for each document), so a
   * process can tell which updates its state holds; otherwise they only increase.
   */
  readonly contiguousSeqs: boolean;
  load(documentName: string): Promise<StoredDocument>;
  /**
   * Appends updates with their attribution in one transaction (group commit), in order, with
   * the client-id bindings they bring; resolves with the sequence number of the last one once
   * all are durable. The server broadcasts them only after that.
   */
  appendUpdates(documentName: string, entries: readonly LogEntry[]): Promise<number>;
  /** Stores `snapshot` as the state up to `uptoSeq`. The log is kept. */
  compact(documentName: string, snapshot: Uint8Array, uptoSeq: number): Promise<void>;
  /** How many updates are in the log after the snapshot. */
  pendingUpdates(documentName: string): Promise<number>;
  history(documentName: string, filter?: HistoryFilter): Promise<HistoryEntry[]>;
  /** Everything needed to rebuild the document as it was at epoch ms `at`. */
  stateAt(documentName: string, at: number): Promise<StateAt>;
}

export interface CatalogueStore {
  listRecords(kind: string): Promise<unknown[]>;
  getRecord(kind: string, id: string): Promise<unknown | undefined>;
  putRecord(kind: string, id: string, value: unknown): Promise<void>;
}

export interface Storage extends DocumentStore, CatalogueStore {
  /** Runs `run` while no other process sharing this store runs one for the same `key`. */
  exclusive<T>(key: string, run: () => Promise<T>): Promise<T>;
  /** Rejects when the store cannot be reached (readiness). */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** Bytes by author, from `user_id, bytes` rows (rows from before attribution have no author). */
export function logSizes(
  rows: readonly { user_id: string | null; bytes: number | string }[],
): LogSizes {
  const byAuthor = new Map<string, number>();
  let total = 0;
  for (const row of rows) {
    const bytes = Number(row.bytes);
    total += bytes;
    if (row.user_id !== null) byAuthor.set(row.user_id, bytes);
  }
  return { total, byAuthor };
}
