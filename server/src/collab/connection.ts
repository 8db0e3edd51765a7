import * as Y from "yjs";
import * as awarenessProtocol from "y-protocols/awareness";
import * as authProtocol from "y-protocols/auth";
import * as syncProtocol from "y-protocols/sync";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { CLOSE, isSchemaRoot, writableRoots, type CloseKind, type Role } from "@percorso/schema";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { CollabDocument, DocumentPeer } from "./document.ts";
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
} from "./messages.ts";
import { TokenBucket } from "./rateLimit.ts";
import type { CollabSocket } from "./socket.ts";
import { resolveUpdateRoots } from "./updateRoots.ts";

export interface ConnectionLimits {
  maxMessageBytes: number;
  rateLimitBurst: number;
  rateLimitPerSecond: number;
}

/**
 * One client on one document: reads y-protocols messages, checks every update against the
 * role's writable root types before it reaches the document, and closes with a catalogue
 * code (and a log line) on anything it refuses.
 */
export class Connection implements DocumentPeer {
  private readonly socket: CollabSocket;
  private readonly doc: CollabDocument;
  private readonly role: Role;
  private readonly log: Logger;
  private readonly metrics: Metrics;
  private readonly limits: ConnectionLimits;
  private readonly bucket: TokenBucket;
  private open = true;

  constructor(
    socket: CollabSocket,
    doc: CollabDocument,
    role: Role,
    limits: ConnectionLimits,
    log: Logger,
    metrics: Metrics,
  ) {
    this.socket = socket;
    this.doc = doc;
    this.role = role;
    this.limits = limits;
    this.log = log;
    this.metrics = metrics;
    this.bucket = new TokenBucket(limits.rateLimitBurst, limits.rateLimitPerSecond);
  }

  /** Joins the document: sync step 1 from the server, then everyone's presence. */
  start(): void {
    this.doc.peers.add(this);
    this.sendSyncStep1();
    this.sendAwareness();
  }

  send(message: Uint8Array): void {
    if (!this.open) return;
    this.metrics.bytesOut.inc(message.byteLength);
    this.socket.send(message);
  }

  forward(message: Uint8Array): void {
    if (this.open) this.socket.send(message);
  }

  receive(message: Uint8Array): void {
    if (!this.open) return;
    this.metrics.bytesIn.inc(message.byteLength);
    if (message.byteLength > this.limits.maxMessageBytes) {
      return this.refuse("messageTooLarge", `${message.byteLength} bytes`);
    }
    if (!this.bucket.take()) return this.refuse("tooManyMessages", "rate limit");
    try {
      this.dispatch(message);
    } catch (error) {
      this.refuse("malformed", error instanceof Error ? error.message : String(error));
    }
  }

  private dispatch(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    const type = decoding.readVarUint(decoder);
    switch (type) {
      case MESSAGE_SYNC:
        return this.receiveSync(decoder);
      case MESSAGE_AWARENESS:
        return this.receiveAwareness(decoding.readVarUint8Array(decoder));
      case MESSAGE_QUERY_AWARENESS:
        return this.sendAwareness();
      case MESSAGE_AUTH:
        return; // clients have nothing to authenticate in-band: the token is in the URL
      default:
        throw new Error(`unknown message type ${type}`);
    }
  }

  private receiveSync(decoder: decoding.Decoder): void {
    const step = decoding.readVarUint(decoder);
    if (step === syncProtocol.messageYjsSyncStep1) {
      const stateVector = decoding.readVarUint8Array(decoder);
      this.doc.whenDurable(() => this.sendSyncStep2(stateVector));
      return;
    }
    if (step !== syncProtocol.messageYjsSyncStep2 && step !== syncProtocol.messageYjsUpdate) {
      throw new Error(`unknown sync step ${step}`);
    }
    this.receiveUpdate(decoding.readVarUint8Array(decoder));
  }

  /** The server's state vector: the client answers with everything the server lacks. */
  private sendSyncStep1(): void {
    const sync = encoding.createEncoder();
    encoding.writeVarUint(sync, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(sync, this.doc.ydoc);
    this.send(encoding.toUint8Array(sync));
  }

  /** What the client lacks, computed from durable state only. */
  private sendSyncStep2(stateVector: Uint8Array): void {
    if (!this.open) return;
    const reply = encoding.createEncoder();
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    if (stateVector.length === 1 && stateVector[0] === 0) {
      // An empty state vector: the client has nothing, send the shared full state.
      encoding.writeVarUint(reply, syncProtocol.messageYjsSyncStep2);
      encoding.writeVarUint8Array(reply, this.doc.stateForNewClient());
    } else {
      syncProtocol.writeSyncStep2(reply, this.doc.ydoc, stateVector);
    }
    this.send(encoding.toUint8Array(reply));
  }

  private receiveUpdate(update: Uint8Array): void {
    const { ydoc, scope } = this.doc;
    const { roots, unresolved } = resolveUpdateRoots(ydoc, update);
    const writable = writableRoots(scope.kind, this.role, this.doc.permissionState());
    const refused = [...roots].filter(
      (root) => !isSchemaRoot(scope.kind, root) || !writable.has(root),
    );
    if (refused.length > 0) return this.deny(`may not write ${refused.join(", ")}`);
    if (unresolved) {
      // Typing while a reconnect's handshake is under way sends an update that builds on edits
      // the server has not had yet. Applying it would leave it pending in Yjs, unchecked; a
      // refusal would cost an honest client its offline edits. Instead: drop it, and ask for
      // everything missing (sync step 1). The client's step 2 carries it, whole and checkable.
      this.log.debug({ doc: this.doc.name }, "update ahead of the server: asking for a resync");
      return this.sendSyncStep1();
    }
    if (roots.size > 0) this.metrics.updatesIn.inc();
    Y.applyUpdate(ydoc, update, this);
  }

  /**
   * Awareness is presence, allowed to every role. Stock y-websocket clients echo the states
   * of others they receive, so entries for client ids announced by another connection are
   * dropped (not an error): a client may only speak for its own ids.
   */
  private receiveAwareness(update: Uint8Array): void {
    const owners = this.doc.awarenessOwners;
    const entries = decodeAwarenessEntries(update);
    const own = entries.filter((entry) => {
      const owner = owners.get(entry.clientId);
      return owner === undefined || owner === this;
    });
    if (own.length === 0) return;
    const filtered = own.length === entries.length ? update : encodeAwarenessEntries(own);
    awarenessProtocol.applyAwarenessUpdate(this.doc.awareness, filtered, this);
  }

  private sendAwareness(): void {
    const states = this.doc.awareness.getStates();
    if (states.size === 0) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(
      encoder,
      awarenessProtocol.encodeAwarenessUpdate(this.doc.awareness, [...states.keys()]),
    );
    this.send(encoding.toUint8Array(encoder));
  }

  /** A forbidden write: tell a stock client why (y-protocols auth), then close with 4403. */
  private deny(detail: string): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AUTH);
    authProtocol.writePermissionDenied(encoder, detail);
    this.send(encoding.toUint8Array(encoder));
    this.refuse("forbidden", detail);
  }

  refuse(kind: CloseKind, detail: string): void {
    if (!this.open) return;
    const { code, reason } = CLOSE[kind];
    this.log.warn(
      { doc: this.doc.name, role: this.role, code, reason, detail },
      "connection refused",
    );
    this.metrics.refusals.inc({ reason });
    this.socket.close(code, reason);
    this.closed();
  }

  /** The socket is gone (or we closed it): leave the document. */
  closed(): void {
    if (!this.open) return;
    this.open = false;
    this.doc.removePeer(this);
  }
}

interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
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
