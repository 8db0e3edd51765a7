import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import { itemRuleOf, type DocumentKind, type Writer } from "@percorso/schema";
import { forEachDeletedItem, type LocatedItem, type UpdateView } from "./updateView.ts";

/**
 * Which of an update's effects are anonymous acts (DESIGN.md §4.2, "anonymity towards the
 * staff"): structs under the person's anonymous Yjs client id, and deletions that only remove
 * what is the writer's own under their `anonId` — their vote, reaction or support, or their own
 * anonymous item. Such an update is logged without the person, so no history row, filter or
 * state-at-a-moment diff a staff member reads ties it to them. An update carrying both kinds
 * (a reconnect's sync step 2 after offline votes and signed edits) is split into parts of one
 * kind each, each logged as what it is.
 */

/** What a Yjs client id is for a person: anonymous, named, or not decided yet (null). */
export type ClientKind = boolean | null;

export interface UpdatePart {
  update: Uint8Array;
  anonymous: boolean;
}

export interface Attribution {
  /** The update's parts in the order to apply them: one (the update itself), or more. */
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
 * client id is never shown named while undecided. A writer with no anonymous id (`ADMIN_TOKEN`,
 * an invite used directly) has nothing anonymous; an admin who joined as a person has, like
 * anyone (the item rules exempt them, their anonymity is theirs all the same).
 */
export function attributeUpdate(
  view: UpdateView,
  update: Uint8Array,
  kind: DocumentKind,
  writer: Writer,
  kinds: ReadonlyMap<number, ClientKind>,
): Attribution | { problem: string } {
  const anonId = writer.anonId;
  if (anonId === null) return { parts: [{ update, anonymous: false }] };
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
  anonymous: boolean;
  structs: Map<number, Struct[]>;
  ds: Map<number, { clock: number; len: number }[]>;
}

/**
 * Splits a mixed update into parts of one kind each, in an order in which each part's new items
 * find everything they sit next to or inside in the document or an earlier part: alternately,
 * every struct of one kind whose neighbours are there already, then of the other (offline, a
 * signed answer between two anonymous ones in one list takes three parts). Deletions of the
 * server's items go with the first part of their kind; of this update's own items, with the
 * part that carries them.
 */
function split(
  view: UpdateView,
  update: Uint8Array,
  anonymousClient: (client: number) => boolean,
  anonymousDeletes: ReadonlySet<Y.Item>,
): Attribution | { problem: string } {
  const doc = view.doc;
  const { structs, ds } = Y.decodeUpdate(update);
  const queues = new Map<number, Struct[]>();
  for (const struct of structs as Struct[]) {
    const client = struct.id.client;
    // Structs the server has whole change nothing: left out.
    if (!view.clients.has(client)) continue;
    const queue = queues.get(client);
    if (queue === undefined) queues.set(client, [struct]);
    else queue.push(struct);
  }
  /** How far each client's structs are in the document or an earlier part. */
  const reached = new Map<number, number>();
  const reachedOf = (client: number) => reached.get(client) ?? Y.getState(doc.store, client);
  const ready = (struct: Struct) => {
    if (!(struct instanceof Y.Item)) return true;
    const parent = struct.parent instanceof Y.ID ? struct.parent : null;
    return [struct.origin, struct.rightOrigin, parent].every(
      (ref) => ref === null || ref.clock < reachedOf(ref.client),
    );
  };
  /** Which part carries each new struct: [first clock, end clock, part] by client. */
  const carriers = new Map<number, { from: number; to: number; part: Half }[]>();
  const parts: Half[] = [];
  const take = (anonymous: boolean): Half => {
    const part: Half = { anonymous, structs: new Map(), ds: new Map() };
    for (let progress = true; progress;) {
      progress = false;
      for (const [client, queue] of queues) {
        if (anonymousClient(client) !== anonymous) continue;
        while (queue.length > 0 && ready(queue[0]!)) {
          const struct = queue.shift()!;
          const taken = part.structs.get(client);
          if (taken === undefined) part.structs.set(client, [struct]);
          else taken.push(struct);
          const to = struct.id.clock + struct.length;
          reached.set(client, to);
          const spans = carriers.get(client) ?? [];
          spans.push({ from: struct.id.clock, to, part });
          carriers.set(client, spans);
          progress = true;
        }
      }
    }
    return part;
  };
  let anonymousTurn = true;
  for (let stalled = 0; [...queues.values()].some((queue) => queue.length > 0);) {
    const part = take(anonymousTurn);
    anonymousTurn = !anonymousTurn;
    if (part.structs.size > 0) {
      parts.push(part);
      stalled = 0;
    } else if (++stalled >= 2) {
      return { problem: "this update's items sit next to content it does not carry" };
    }
  }
  const firstOf = (anonymous: boolean): Half => {
    const found = parts.find((part) => part.anonymous === anonymous);
    if (found !== undefined) return found;
    const part: Half = { anonymous, structs: new Map(), ds: new Map() };
    parts.push(part);
    return part;
  };
  const addRange = (half: Half, client: number, clock: number, len: number) => {
    if (len <= 0) return;
    const list = half.ds.get(client);
    if (list === undefined) half.ds.set(client, [{ clock, len }]);
    else list.push({ clock, len });
  };
  // Already deleted, or garbage: deleting it again changes nothing (forEachDeletedItem skips it).
  forEachDeletedItem(doc, ds, (item, from, to) => {
    addRange(firstOf(anonymousDeletes.has(item)), item.id.client, from, to - from);
  });
  // Content of this very update, deleted in it: with the part that carries it.
  for (const [client, ranges] of ds.clients) {
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      for (const span of carriers.get(client) ?? []) {
        const from = Math.max(clock, known, span.from);
        const to = Math.min(clock + len, span.to);
        addRange(span.part, client, from, to - from);
      }
    }
  }
  return { parts: parts.map((part) => ({ update: encode(part), anonymous: part.anonymous })) };
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
