import type * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { ClientIds } from "./clientIds.ts";
import type { DocumentPeer, Peers } from "./fanout.ts";
import { MESSAGE_AWARENESS } from "./messages.ts";

/** Who is announcing a presence: the log's id for the person, and whether they are anonymous. */
export interface Announcer {
  authorId: string;
  anonymous: boolean;
}

/** How many client ids one connection may speak for. */
const MAX_PRESENCES_PER_CONNECTION = 4;

/** The origin of presence states that arrived from another process. */
const REMOTE = Symbol("remote presence");

/**
 * A document's presence (y-protocols awareness). A connection may speak only for its own
 * client ids: stock y-websocket clients echo the states of others they receive, so entries
 * for client ids announced by another connection are dropped (not an error), as are entries
 * for client ids bound to someone else or carrying anonymous items. An anonymous person's
 * presence reaches others without a name (DESIGN.md §4.1).
 */
export class Presence {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly owners = new Map<number, DocumentPeer>();
  /** The same, by peer: the client ids each connection speaks for (`owners` inverted). */
  private readonly ownedBy = new Map<DocumentPeer, Set<number>>();
  /** Client ids whose presence another process announced: no local connection speaks for them. */
  private readonly remote = new Set<number>();
  private readonly peers: Peers;
  private readonly clientIds: ClientIds;
  private readonly publish: (update: Uint8Array) => void;

  constructor(
    ydoc: Y.Doc,
    peers: Peers,
    clientIds: ClientIds,
    publish: (update: Uint8Array) => void = () => {},
  ) {
    this.peers = peers;
    this.clientIds = clientIds;
    this.publish = publish;
    this.awareness = new awarenessProtocol.Awareness(ydoc);
    this.awareness.setLocalState(null);
    this.awareness.on("update", (change: AwarenessChange, origin: unknown) =>
      this.onChange(change, origin),
    );
  }

  /**
   * Applies a peer's awareness update, keeping only what it may say (throws if malformed).
   * Returns the size of the largest state when it is over `maxStateBytes` (nothing applied).
   */
  receive(
    update: Uint8Array,
    peer: DocumentPeer,
    announcer: Announcer,
    maxStateBytes: number,
  ): { tooLarge: string } | { applied: number } {
    const entries = decodeAwarenessEntries(update);
    for (const entry of entries) {
      const bytes = Buffer.byteLength(entry.state, "utf8");
      if (bytes > maxStateBytes) return { tooLarge: `a presence state of ${bytes} bytes` };
    }
    const own = entries.filter((entry) => {
      const owner = this.owners.get(entry.clientId);
      if (owner !== undefined && owner !== peer) return false;
      if (this.remote.has(entry.clientId)) return false;
      // Echoes: a stock client re-sends every change it hears, removals of people who left
      // and states it heard before their removal. Neither says anything of this connection.
      if (owner === undefined && entry.state === "null") return false;
      if (this.isStale(entry)) return false;
      return this.clientIds.mayAnnounce(entry.clientId, announcer.authorId);
    });
    if (own.length === 0) return { applied: 0 };
    // A tab announces one presence (two at most, briefly, across a reload): many ids from one
    // connection would be one person's presence split to slip past the size limit.
    const owned = new Set(this.ownedBy.get(peer));
    for (const entry of own) owned.add(entry.clientId);
    if (owned.size > MAX_PRESENCES_PER_CONNECTION) {
      return { tooLarge: `${owned.size} presences from one connection` };
    }
    const kept = announcer.anonymous ? own.map(withoutName) : own;
    const filtered =
      kept.length === entries.length && !announcer.anonymous
        ? update
        : encodeAwarenessEntries(kept);
    awarenessProtocol.applyAwarenessUpdate(this.awareness, filtered, peer);
    return { applied: own.length };
  }

  private own(id: number, peer: DocumentPeer): void {
    const previous = this.owners.get(id);
    if (previous === peer) return;
    if (previous !== undefined) this.disown(id);
    this.owners.set(id, peer);
    const ids = this.ownedBy.get(peer) ?? new Set<number>();
    ids.add(id);
    this.ownedBy.set(peer, ids);
  }

  private disown(id: number): void {
    const peer = this.owners.get(id);
    if (peer === undefined) return;
    this.owners.delete(id);
    const ids = this.ownedBy.get(peer);
    ids?.delete(id);
    if (ids?.size === 0) this.ownedBy.delete(peer);
  }

  /** Older than what the document already has for the client id (y-protocols would drop it). */
  private isStale(entry: AwarenessEntry): boolean {
    const known = this.awareness.meta.get(entry.clientId);
    return known !== undefined && entry.clock < known.clock;
  }

  /** Presence states another process announced (already filtered there). */
  receiveRemote(update: Uint8Array): void {
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, REMOTE);
  }

  /** Everyone's presence as one message, or null when nobody is present. */
  encodeAll(): Uint8Array | null {
    const states = this.awareness.getStates();
    if (states.size === 0) return null;
    return encodeMessage(
      awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]),
    );
  }

  /** Removes the presence states a leaving peer announced, for everyone else. */
  removePeer(peer: DocumentPeer): void {
    const owned = [...(this.ownedBy.get(peer) ?? [])];
    if (owned.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, owned, null);
  }

  destroy(): void {
    this.awareness.destroy();
  }

  private onChange({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    const changed = [...added, ...updated, ...removed];
    if (origin === REMOTE) {
      for (const id of [...added, ...updated]) this.remote.add(id);
    } else if (origin !== null && typeof origin === "object" && "forward" in origin) {
      for (const id of [...added, ...updated]) this.own(id, origin as DocumentPeer);
    }
    for (const id of removed) {
      this.disown(id);
      this.remote.delete(id);
    }
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
    this.peers.broadcast(encodeMessage(update), null);
    if (origin !== REMOTE) this.publish(update);
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

function encodeMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** An anonymous person's presence entry with its user name blanked. */
function withoutName(entry: AwarenessEntry): AwarenessEntry {
  const state = JSON.parse(entry.state) as unknown;
  if (state === null || typeof state !== "object") return entry;
  const user = (state as { user?: unknown }).user;
  if (user === null || typeof user !== "object") return entry;
  return { ...entry, state: JSON.stringify({ ...state, user: { ...user, name: "" } }) };
}

/** The entries of a y-protocols awareness update (throws on a malformed one). */
function decodeAwarenessEntries(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    JSON.parse(state);
    entries.push({ clientId, clock, state });
  }
  return entries;
}

function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientId, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}
