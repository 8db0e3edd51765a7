import * as Y from "yjs";

/**
 * An incoming update decoded once and located against the server's document, before it is
 * applied (DESIGN.md §4, §4.1): for every struct it inserts and every item it deletes, which
 * root, which item of that root, and which key — what the root check, the item rules and the
 * client-id binding all read.
 *
 * In Yjs's encoding an item inserted next to an existing item carries its `origin` /
 * `rightOrigin` and no parent (nor, for a map entry, its key); a nested item names its parent
 * by the id of the item holding that type. So locations are found by walking neighbours and
 * parents through the update itself and the server's document.
 *
 * `unresolved` is set when the update depends on structs the server does not have: Yjs would
 * keep such an update pending and integrate it later, after the check, so it must not be applied.
 * Parts the server already has, and content that was garbage-collected, change nothing and
 * are not listed.
 */

/** An item holding a shared type, on the way from a root down to an item. */
export interface Container {
  item: Y.Item;
  /** The key the container is stored under in its parent map, or null in a list. */
  key: string | null;
  /** The container arrives with this same update. */
  isNew: boolean;
}

/** Where an item lives: root, the containers from the root down, its own key. */
export interface Location {
  root: string;
  path: readonly Container[];
  /** The map key the item is the value of, or null for a list element or text. */
  key: string | null;
}

export interface LocatedItem {
  item: Y.Item;
  location: Location;
}

type UpdateStruct = Y.Item | Y.GC | Y.Skip;

/** What an item resolves to: its location, `null` for garbage-collected content, or missing. */
type Resolution = Location | null | typeof MISSING;
const MISSING = Symbol("missing");

export class UpdateView {
  /** Root types the update touches. */
  readonly roots = new Set<string>();
  readonly unresolved: boolean;
  /** New items, with where they go (content already deleted in the update is left out). */
  readonly inserts: LocatedItem[] = [];
  /** Items of the server's document that the update deletes (not deleted yet). */
  readonly deletes: LocatedItem[] = [];
  /** Yjs client ids under which the update writes new structs. */
  readonly clients = new Set<number>();
  /** Client ids under which the update inserts live content (not already deleted). */
  readonly liveClients = new Set<number>();
  /** The server's document the update was located against. */
  readonly doc: Y.Doc;
  private readonly own: Map<number, UpdateStruct[]>;
  private readonly resolved = new Map<Y.Item, Resolution>();
  private readonly typePaths = new Map<Y.AbstractType<unknown>, Location | null>();
  private missing = false;

  constructor(doc: Y.Doc, update: Uint8Array) {
    this.doc = doc;
    const { structs, ds } = Y.decodeUpdate(update);
    this.own = groupByClient(structs as UpdateStruct[]);
    // A struct beyond the server's clock for its client, with nothing in the update filling
    // the gap, depends on structs the server lacks: Yjs would keep it pending and integrate it
    // later, unchecked against the document as it is by then.
    for (const [client, list] of this.own) {
      let expected = Y.getState(doc.store, client);
      for (const struct of list) {
        if (struct instanceof Y.Skip || struct.id.clock > expected) {
          this.missing = true;
          break;
        }
        expected = Math.max(expected, struct.id.clock + struct.length);
      }
    }

    for (const struct of structs as UpdateStruct[]) {
      if (struct instanceof Y.Skip) continue;
      const known = Y.getState(doc.store, struct.id.client);
      if (struct.id.clock + struct.length <= known) continue; // already applied: no effect
      this.clients.add(struct.id.client);
      if (!(struct instanceof Y.Item)) continue;
      const resolution = this.locateNew(struct);
      if (resolution === MISSING) this.missing = true;
      else if (resolution !== null) {
        this.roots.add(resolution.root);
        if (!(struct.content instanceof Y.ContentDeleted)) {
          this.inserts.push({ item: struct, location: resolution });
          this.liveClients.add(struct.id.client);
        }
      }
    }

    forEachDeletedItem(doc, ds, (item) => {
      const location = this.locateInDoc(item);
      if (location === null) return;
      this.roots.add(location.root);
      this.deletes.push({ item, location });
    });
    for (const [client, ranges] of ds.clients) {
      const known = Y.getState(doc.store, client);
      for (const { clock, len } of ranges) {
        const end = clock + len;
        // Deleting what the server does not have yet is only valid for items of this very update
        // (already listed above as inserts); anything else would delete future content.
        for (let c = Math.max(clock, known); c < end;) {
          const struct = findOwn(this.own, Y.createID(client, c));
          if (struct === undefined || struct instanceof Y.Skip) {
            this.missing = true;
            break;
          }
          c = struct.id.clock + struct.length;
        }
      }
    }
    this.unresolved = this.missing;
  }

  /** Whether the server's document already has the struct with `id`. */
  private inDoc(id: Y.ID): boolean {
    return id.clock < Y.getState(this.doc.store, id.client);
  }

  private docStruct(id: Y.ID): Y.Item | Y.GC | undefined {
    const list = this.doc.store.clients.get(id.client);
    if (list === undefined) return undefined;
    return list[Y.findIndexSS(list, id.clock)] as Y.Item | Y.GC | undefined;
  }

  /** The location of an item already integrated in the server's document. */
  private locateInDoc(item: Y.Item): Location | null {
    const parent = this.locateType(item.parent);
    return parent === null ? null : { ...parent, key: item.parentSub };
  }

  /**
   * The location a child of `type` has (with `key` to be filled in): the root and the
   * containers from it down to `type`'s own item.
   */
  private locateType(type: unknown): Location | null {
    if (!(type instanceof Y.AbstractType)) return null;
    const cached = this.typePaths.get(type);
    if (cached !== undefined) return cached;
    const path: Container[] = [];
    let current: Y.AbstractType<unknown> = type;
    let result: Location | null = null;
    for (;;) {
      const holder: Y.Item | null = current._item;
      if (holder === null) {
        const root = rootName(this.doc, current);
        result = root === null ? null : { root, path: path.reverse(), key: null };
        break;
      }
      path.push({ item: holder, key: holder.parentSub, isNew: false });
      if (!(holder.parent instanceof Y.AbstractType)) break;
      current = holder.parent;
    }
    this.typePaths.set(type, result);
    return result;
  }

  /** The location of the doc type held by the doc struct with `id`, as a container's child. */
  private locateDocContainer(id: Y.ID): Resolution {
    const holder = this.docStruct(id);
    if (!(holder instanceof Y.Item)) return null;
    if (!(holder.content instanceof Y.ContentType)) return MISSING; // not a type: malformed
    return this.locateType(holder.content.type);
  }

  /**
   * Where a new item goes. Iterative, so a long chain of items each placed next to the
   * previous one (offline typing) cannot blow the stack.
   */
  private locateNew(start: Y.Item): Resolution {
    /** Items waiting for the resolution of the next link: `parent` links extend the path. */
    const chain: { item: Y.Item; via: "sibling" | "parent" }[] = [];
    const seen = new Set<Y.Item>();
    let item: Y.Item = start;
    let resolution: Resolution;
    for (;;) {
      const known = this.resolved.get(item);
      if (known !== undefined) {
        resolution = known;
        break;
      }
      if (seen.has(item)) {
        resolution = MISSING; // a cycle only a forged update can contain
        break;
      }
      seen.add(item);
      const parent = item.parent as unknown;
      if (typeof parent === "string") {
        resolution = { root: parent, path: [], key: item.parentSub };
        this.resolved.set(item, resolution);
        break;
      }
      if (parent instanceof Y.ID) {
        if (this.inDoc(parent)) {
          const container = this.locateDocContainer(parent);
          resolution =
            container === null || container === MISSING
              ? container
              : { ...container, key: item.parentSub };
          this.resolved.set(item, resolution);
          break;
        }
        const holder = findOwn(this.own, parent);
        if (!(holder instanceof Y.Item)) {
          resolution = holder instanceof Y.GC ? null : MISSING;
          break;
        }
        chain.push({ item, via: "parent" });
        item = holder;
        continue;
      }
      const neighbour: Y.ID | null = item.origin ?? item.rightOrigin ?? null;
      if (neighbour === null) {
        resolution = MISSING;
        break;
      }
      if (this.inDoc(neighbour)) {
        const struct = this.docStruct(neighbour);
        resolution = struct instanceof Y.Item ? this.locateInDoc(struct) : null;
        break;
      }
      const next = findOwn(this.own, neighbour);
      if (!(next instanceof Y.Item)) {
        resolution = next instanceof Y.GC ? null : MISSING;
        break;
      }
      chain.push({ item, via: "sibling" });
      item = next;
    }
    if (!this.resolved.has(item)) this.resolved.set(item, resolution);
    // Unwind: a sibling shares its neighbour's location; a child extends its holder's.
    let below: Y.Item = item;
    while (chain.length > 0) {
      const { item: link, via } = chain.pop()!;
      if (resolution !== null && resolution !== MISSING && via === "parent") {
        const holder = below;
        if (!(holder.content instanceof Y.ContentType)) {
          resolution = MISSING;
        } else {
          resolution = {
            root: resolution.root,
            path: [...resolution.path, { item: holder, key: resolution.key, isNew: true }],
            key: link.parentSub,
          };
        }
      }
      this.resolved.set(link, resolution);
      below = link;
    }
    return resolution;
  }
}

/** The roots an update touches, and whether it depends on structs the server lacks. */
/**
 * The document's items a delete set removes now, each with the clocks of the overlap
 * [`from`, `to`). Items already deleted, and garbage, change nothing and are skipped; ranges
 * beyond the document's clock are the update's own content, which the caller reads itself.
 */
export function forEachDeletedItem(
  doc: Y.Doc,
  ds: ReturnType<typeof Y.decodeUpdate>["ds"],
  visit: (item: Y.Item, from: number, to: number) => void,
): void {
  for (const [client, ranges] of ds.clients) {
    const known = Y.getState(doc.store, client);
    const list = doc.store.clients.get(client);
    if (list === undefined) continue;
    for (const { clock, len } of ranges) {
      if (clock >= known) continue;
      const end = clock + len;
      for (let i = Y.findIndexSS(list, clock); i < list.length; i++) {
        const struct = list[i]!;
        if (struct.id.clock >= end) break;
        if (!(struct instanceof Y.Item) || struct.deleted) continue;
        visit(
          struct,
          Math.max(clock, struct.id.clock),
          Math.min(end, struct.id.clock + struct.length),
        );
      }
    }
  }
}

export function resolveUpdateRoots(
  doc: Y.Doc,
  update: Uint8Array,
): { roots: Set<string>; unresolved: boolean } {
  const view = new UpdateView(doc, update);
  return { roots: view.roots, unresolved: view.unresolved };
}

function rootName(doc: Y.Doc, type: Y.AbstractType<unknown>): string | null {
  for (const [name, shared] of doc.share) {
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
