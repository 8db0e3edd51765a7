import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import type { CloseKind } from "@percorso/schema";
import type { Metrics } from "../metrics.ts";
import { MESSAGE_SYNC } from "./messages.ts";

/** What a document needs of a connection: a way to send it bytes, and to close it. */
export interface DocumentPeer {
  /** Sends without per-message accounting: the fan-out counts bytes once per broadcast. */
  forward(message: Uint8Array): void;
  /** Closes the connection with a catalogue code (and a log line). */
  refuse(kind: CloseKind, detail: string): void;
}

/** An update on its way to the peers: the bytes, and the peer it came from (not sent back). */
export interface Outgoing {
  update: Uint8Array;
  from: DocumentPeer | null;
}

/**
 * The connections of one document and the fan-out of committed updates to them. One update
 * goes as it came; several are merged into one message per recipient (each author gets the
 * others' updates only), so a busy document costs one socket write per peer per turn rather
 * than one per keystroke. Bytes are counted once per broadcast.
 */
export class Peers {
  private readonly peers = new Set<DocumentPeer>();
  private readonly metrics: Metrics;

  constructor(metrics: Metrics) {
    this.metrics = metrics;
  }

  get size(): number {
    return this.peers.size;
  }

  add(peer: DocumentPeer): void {
    this.peers.add(peer);
  }

  delete(peer: DocumentPeer): void {
    this.peers.delete(peer);
  }

  /** Closes every connection with `kind` (they leave through their own `closed`). */
  refuseAll(kind: CloseKind, detail: string): void {
    for (const peer of [...this.peers]) peer.refuse(kind, detail);
  }

  fanOut(batch: readonly Outgoing[]): void {
    if (batch.length === 1) {
      return this.broadcast(encodeSyncUpdate(batch[0]!.update), batch[0]!.from);
    }
    const merged = (items: readonly Outgoing[]) =>
      encodeSyncUpdate(Y.mergeUpdates(items.map((item) => item.update)));
    const forAuthor = new Map<DocumentPeer, Uint8Array | null>();
    for (const { from } of batch) {
      if (from === null || forAuthor.has(from)) continue;
      const others = batch.filter((item) => item.from !== from);
      forAuthor.set(from, others.length > 0 ? merged(others) : null);
    }
    const everyone = merged(batch);
    let bytes = 0;
    for (const peer of this.peers) {
      const message = forAuthor.has(peer) ? forAuthor.get(peer) : everyone;
      if (!message) continue;
      peer.forward(message);
      bytes += message.byteLength;
    }
    this.metrics.bytesOut.inc(bytes);
  }

  /** Sends `message` to every peer but `except`, counting the bytes once. */
  broadcast(message: Uint8Array, except: DocumentPeer | null): void {
    let sent = 0;
    for (const peer of this.peers) {
      if (peer === except) continue;
      peer.forward(message);
      sent += 1;
    }
    this.metrics.bytesOut.inc(message.byteLength * sent);
  }
}

function encodeSyncUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}
