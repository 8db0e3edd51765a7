import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { isRuleExempt, itemRuleOf, type DocumentKind, type Writer } from "@percorso/schema";
import type { LocatedItem, UpdateView } from "./updateView.ts";

/**
 * Which of an update's effects are anonymous acts (DESIGN.md §4.2, "anonymity towards the
 * staff"): structs under the person's anonymous Yjs client id, and deletions that only remove
 * what is the writer's own under their `anonId` — their vote, reaction or support, or their own
 * anonymous item. Such an update is logged without the person, so no history row, filter or
 * state-at-a-moment diff a staff member reads ties it to them. An update carrying both kinds
 * (a reconnect's sync step 2 after offline votes and signed edits) is split in two, each part
 * logged as what it is.
 */

/** What a Yjs client id is for a person: anonymous, named, or not decided yet (null). */
export type ClientKind = boolean | null;

export interface UpdatePart {
  update: Uint8Array;
  anonymous: boolean;
}

export interface Attribution {
  /** The update's parts in the order to apply them: one (the update itself), or two. */
  parts: UpdatePart[];
}

type Struct = Y.Item | Y.GC | Y.Skip;

/** The holder of the writer's own things: the element (or section key) a deletion removes. */
function isOwnAnonymousDeletion(located: LocatedItem, kind: DocumentKind, anonId: string): boolean {
  const { item, location } = located;
  const rule = itemRuleOf(kind, location.root);
  if (rule === undefined) return false;
  if (rule.kind === "writer-keyed-sections") {
    return location.path.length === 1 && location.key === anonId;
  }
  // The element the deletion is in (or is): anonymous when it is the writer's anonymous item.
  const element = location.path.length === 0 ? item : location.path[0]!.item;
  const content = element.content;
  const owner =
    content instanceof Y.ContentType && content.type instanceof Y.Map
      ? (content.type as Y.Map<unknown>).get(rule.ownerField)
      : undefined;
  if (owner === anonId) return true;
  // The writer's own key in a writer-keyed map of someone's item: their vote, their support.
  return location.path.length === 2 && location.key === anonId;
}

/**
 * Splits `update` into its named and anonymous parts, given what each client id it writes
 * under is (`kinds`, from the client-id check). Undecided ids (only content that arrives
 * already deleted) carry nothing anyone can read, and are logged with the anonymous part: a
 * client id is never shown named while undecided. A writer with no anonymous id (an admin, an
 * invite used directly) has nothing anonymous.
 */
export function attributeUpdate(
  view: UpdateView,
  update: Uint8Array,
  kind: DocumentKind,
  writer: Writer,
  kinds: ReadonlyMap<number, ClientKind>,
): Attribution | { problem: string } {
  const anonId = writer.anonId;
  if (anonId === null || isRuleExempt(writer)) return { parts: [{ update, anonymous: false }] };
  const anonymousClient = (client: number) => kinds.get(client) !== false;
  const anonymousDeletes = new Set<Y.Item>();
  let named = false;
  let anonymous = false;
  for (const client of view.clients) {
    if (anonymousClient(client)) anonymous = true;
    else named = true;
  }
  for (const located of view.deletes) {
    if (isOwnAnonymousDeletion(located, kind, anonId)) {
      anonymousDeletes.add(located.item);
      anonymous = true;
    } else {
      named = true;
    }
  }
  if (!named || !anonymous) return { parts: [{ update, anonymous: anonymous && !named }] };
  return split(view, update, anonymousClient, anonymousDeletes);
}

interface Half {
  structs: Map<number, Struct[]>;
  ds: Map<number, { clock: number; len: number }[]>;
}

function split(
  view: UpdateView,
  update: Uint8Array,
  anonymousClient: (client: number) => boolean,
  anonymousDeletes: ReadonlySet<Y.Item>,
): Attribution | { problem: string } {
  const doc = view.doc;
  const { structs, ds } = Y.decodeUpdate(update);
  const named: Half = { structs: new Map(), ds: new Map() };
  const anon: Half = { structs: new Map(), ds: new Map() };
  const halfOf = (client: number) => (anonymousClient(client) ? anon : named);
  for (const struct of structs as Struct[]) {
    const client = struct.id.client;
    // Structs the server has whole change nothing: left out.
    if (!view.clients.has(client)) continue;
    const half = halfOf(client);
    const list = half.structs.get(client);
    if (list === undefined) half.structs.set(client, [struct]);
    else list.push(struct);
  }
  const addRange = (half: Half, client: number, clock: number, len: number) => {
    if (len <= 0) return;
    const list = half.ds.get(client);
    if (list === undefined) half.ds.set(client, [{ clock, len }]);
    else list.push({ clock, len });
  };
  for (const [client, ranges] of ds.clients) {
    const known = Y.getState(doc.store, client);
    const list = doc.store.clients.get(client);
    for (const { clock, len } of ranges) {
      const end = clock + len;
      if (list !== undefined && clock < known) {
        for (let i = Y.findIndexSS(list, clock); i < list.length; i++) {
          const struct = list[i]!;
          if (struct.id.clock >= end) break;
          // Already deleted, or garbage: deleting it again changes nothing.
          if (!(struct instanceof Y.Item) || struct.deleted) continue;
          const from = Math.max(clock, struct.id.clock);
          const to = Math.min(end, struct.id.clock + struct.length);
          addRange(anonymousDeletes.has(struct) ? anon : named, client, from, to - from);
        }
      }
      // Content of this very update, deleted in it: with the half that carries it.
      if (end > known && view.clients.has(client)) {
        const from = Math.max(clock, known);
        addRange(halfOf(client), client, from, end - from);
      }
    }
  }
  // A half whose new items sit next to (or inside) the other's new items is applied after it.
  const dependsOn = (half: Half, other: Half) => {
    for (const list of half.structs.values()) {
      for (const struct of list) {
        if (!(struct instanceof Y.Item)) continue;
        const parent = struct.parent instanceof Y.ID ? struct.parent : null;
        for (const ref of [struct.origin, struct.rightOrigin, parent]) {
          if (ref === null || !other.structs.has(ref.client)) continue;
          if (ref.clock >= Y.getState(doc.store, ref.client)) return true;
        }
      }
    }
    return false;
  };
  const anonNeedsNamed = dependsOn(anon, named);
  if (anonNeedsNamed && dependsOn(named, anon)) {
    return {
      problem: "anonymous and named edits built on each other in one update: send them apart",
    };
  }
  const first = { update: encode(named), anonymous: false };
  const second = { update: encode(anon), anonymous: true };
  return { parts: anonNeedsNamed ? [first, second] : [second, first] };
}

/** A half as a Yjs v1 update: its structs by client, then its delete set. */
function encode(half: Half): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, half.structs.size);
  for (const [client, list] of half.structs) {
    encoding.writeVarUint(encoder.restEncoder, list.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, list[0]!.id.clock);
    for (const struct of list) struct.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, half.ds.size);
  for (const [client, ranges] of half.ds) {
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, ranges.length);
    for (const { clock, len } of ranges) {
      encoder.writeDsClock(clock);
      encoder.writeDsLen(len);
    }
  }
  return encoder.toUint8Array();
}
