import type * as Y from "yjs";

/** What every mutation accepts: a transaction origin, and fixed ids/clocks for tests. */
export interface MutationOptions {
  /** Passed to `doc.transact`, so providers and undo managers can tell local edits. */
  origin?: unknown;
  /** The id of the item created; a random UUID by default. */
  id?: string;
  /** Epoch ms used for `createdAt`; `Date.now()` by default. */
  at?: number;
  /**
   * The Yjs client id to write under, when not the document's own: a person's anonymous items
   * (votes, anonymous answers, reactions) go under a second client id that never carries their
   * named presence (DESIGN.md §4.1), so no struct links the two.
   */
  clientId?: number;
}

/** `doc.transact`, writing under `options.clientId` when one is given. */
export function transactAs(doc: Y.Doc, options: MutationOptions, run: () => void): void {
  const own = doc.clientID;
  if (options.clientId === undefined || options.clientId === own) {
    doc.transact(run, options.origin);
    return;
  }
  // Yjs stamps every struct with `doc.clientID` as it creates it: swapped for this transaction
  // only, and put back before anything else can write.
  doc.clientID = options.clientId;
  try {
    doc.transact(run, options.origin);
  } finally {
    doc.clientID = own;
  }
}

export function newId(): string {
  return globalThis.crypto.randomUUID();
}

export function now(options: MutationOptions): number {
  return options.at ?? Date.now();
}

export function readString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/**
 * The items of a Y.Array of Y.Maps, each id once: the first in list order (the one `findById`
 * finds). Ids are unique in their root since issue 16; a document written before may repeat
 * one, and then every reader — lists, lookups, the report, exports — sees the same single item.
 */
export function* uniqueById(list: Y.Array<Y.Map<unknown>>): Generator<Y.Map<unknown>> {
  const seen = new Set<unknown>();
  for (const item of list) {
    const id = item.get("id");
    if (typeof id === "string") {
      if (seen.has(id)) continue;
      seen.add(id);
    }
    yield item;
  }
}

/** The index of the Y.Map with this `id` in a Y.Array of Y.Maps, or -1. */
export function indexById(list: Y.Array<Y.Map<unknown>>, id: string): number {
  let index = 0;
  for (const item of list) {
    if (item.get("id") === id) return index;
    index += 1;
  }
  return -1;
}

/** The Y.Map with this `id` in a Y.Array of Y.Maps. */
export function findById(list: Y.Array<Y.Map<unknown>>, id: string): Y.Map<unknown> | undefined {
  for (const item of list) {
    if (item.get("id") === id) return item;
  }
  return undefined;
}

/** Deletes the Y.Map with this `id` from a Y.Array of Y.Maps; false when there is none. */
export function removeById(
  list: Y.Array<Y.Map<unknown>>,
  id: string,
  options: MutationOptions,
  alsoInTransaction?: () => void,
): boolean {
  const index = indexById(list, id);
  if (index < 0 || list.doc === null) return false;
  transactAs(list.doc, options, () => {
    list.delete(index, 1);
    alsoInTransaction?.();
  });
  return true;
}

/** Sets one field of the Y.Map with this `id`; false when there is none. */
export function setFieldById(
  list: Y.Array<Y.Map<unknown>>,
  id: string,
  key: string,
  value: unknown,
  options: MutationOptions,
): boolean {
  const item = findById(list, id);
  if (!item || list.doc === null) return false;
  transactAs(list.doc, options, () => item.set(key, value));
  return true;
}
