import type * as Y from "yjs";

/** What every mutation accepts: a transaction origin, and fixed ids/clocks for tests. */
export interface MutationOptions {
  /** Passed to `doc.transact`, so providers and undo managers can tell local edits. */
  origin?: unknown;
  /** The id of the item created; a random UUID by default. */
  id?: string;
  /** Epoch ms used for `createdAt`; `Date.now()` by default. */
  at?: number;
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
  list.doc.transact(() => {
    list.delete(index, 1);
    alsoInTransaction?.();
  }, options.origin);
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
  list.doc.transact(() => item.set(key, value), options.origin);
  return true;
}
