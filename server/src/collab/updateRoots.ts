import * as Y from "yjs";

/**
 * Which root types an incoming update would touch, resolved before the update is applied
 * (DESIGN.md §4). In Yjs's encoding an item inserted next to an existing item carries its
 * `origin`/`rightOrigin` and no parent, and a nested item names its parent by the id of the
 * item holding that type, so roots are found by walking neighbours and parents through the
 * update itself and the server's document.
 *
 * `unresolved` is set when the update depends on structs the server does not have: Yjs would
 * keep such an update pending and integrate it later, after the check, so it must not be applied.
 * Parts the server already has, and content that was garbage-collected, change nothing and
 * are not counted.
 */
export interface UpdateRoots {
  roots: Set<string>;
  unresolved: boolean;
}

type UpdateStruct = Y.Item | Y.GC | Y.Skip;

/** What an id resolves to: a root name, `null` for garbage-collected content, or missing. */
type Resolution = string | null | typeof MISSING;
const MISSING = Symbol("missing");

export function resolveUpdateRoots(doc: Y.Doc, update: Uint8Array): UpdateRoots {
  const { structs, ds } = Y.decodeUpdate(update);
  const result: UpdateRoots = { roots: new Set(), unresolved: false };
  const own = groupByClient(structs as UpdateStruct[]);
  const resolved = new Map<Y.Item, Resolution>();

  const record = (resolution: Resolution): void => {
    if (resolution === MISSING) result.unresolved = true;
    else if (resolution !== null) result.roots.add(resolution);
  };

  const rootOfDocStruct = (id: Y.ID): Resolution | undefined => {
    if (id.clock >= Y.getState(doc.store, id.client)) return undefined;
    const list = doc.store.clients.get(id.client);
    if (list === undefined) return undefined;
    const struct = list[Y.findIndexSS(list, id.clock)];
    if (!(struct instanceof Y.Item)) return null;
    return rootOfType(struct.parent);
  };

  // Iterative, so a long chain of items each placed next to the previous cannot blow the stack.
  const rootOfUpdateItem = (start: Y.Item): Resolution => {
    const chain: Y.Item[] = [];
    let item: Y.Item | null = start;
    let resolution: Resolution = MISSING;
    while (item !== null) {
      const known = resolved.get(item);
      if (known !== undefined) {
        resolution = known;
        break;
      }
      chain.push(item);
      const parent = item.parent as unknown;
      if (typeof parent === "string") {
        resolution = parent;
        break;
      }
      const next: Y.ID | null =
        parent instanceof Y.ID ? parent : (item.origin ?? item.rightOrigin ?? null);
      if (next === null) break;
      const inDoc = rootOfDocStruct(next);
      if (inDoc !== undefined) {
        resolution = inDoc;
        break;
      }
      const struct = findOwn(own, next);
      if (struct instanceof Y.Item) {
        item = struct;
      } else {
        resolution = struct instanceof Y.GC ? null : MISSING;
        break;
      }
      if (chain.includes(item)) break; // a cycle only a forged update can contain
    }
    for (const link of chain) resolved.set(link, resolution);
    return resolution;
  };

  for (const struct of structs as UpdateStruct[]) {
    if (!(struct instanceof Y.Item)) continue;
    const known = Y.getState(doc.store, struct.id.client);
    if (struct.id.clock + struct.length <= known) continue; // already applied: no effect
    record(rootOfUpdateItem(struct));
  }

  for (const [client, ranges] of ds.clients) {
    const known = Y.getState(doc.store, client);
    const list = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      const end = clock + len;
      if (list !== undefined && clock < known) {
        for (let i = Y.findIndexSS(list, clock); i < list.length; i++) {
          const struct = list[i]!;
          if (struct.id.clock >= end) break;
          if (struct instanceof Y.Item && !struct.deleted) record(rootOfType(struct.parent));
        }
      }
      // Deleting what the server does not have yet is only valid for items of this very update
      // (already checked above as inserts); anything else would delete future content.
      for (let c = Math.max(clock, known); c < end;) {
        const struct = findOwn(own, Y.createID(client, c));
        if (struct === undefined || struct instanceof Y.Skip) {
          result.unresolved = true;
          break;
        }
        c = struct.id.clock + struct.length;
      }
    }
  }
  return result;
}

function rootOfType(parent: unknown): Resolution {
  if (!(parent instanceof Y.AbstractType)) return null;
  let type: Y.AbstractType<unknown> = parent;
  while (type._item !== null) {
    const up = type._item.parent as unknown;
    if (!(up instanceof Y.AbstractType)) return null;
    type = up;
  }
  for (const [name, shared] of type.doc?.share ?? []) {
    if (shared === type) return name;
  }
  return null;
}

function groupByClient(structs: UpdateStruct[]): Map<number, UpdateStruct[]> {
  const byClient = new Map<number, UpdateStruct[]>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client);
    if (list === undefined) byClient.set(struct.id.client, [struct]);
    else list.push(struct);
  }
  return byClient;
}

/** The update's own struct covering `id` (structs of one client come in clock order). */
function findOwn(own: Map<number, UpdateStruct[]>, id: Y.ID): UpdateStruct | undefined {
  const list = own.get(id.client);
  if (list === undefined) return undefined;
  let low = 0;
  let high = list.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const struct = list[mid]!;
    if (id.clock < struct.id.clock) high = mid - 1;
    else if (id.clock >= struct.id.clock + struct.length) low = mid + 1;
    else return struct;
  }
  return undefined;
}
