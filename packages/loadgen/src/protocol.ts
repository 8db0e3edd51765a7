/**
 * A minimal y-websocket protocol client over `ws`, without the y-websocket provider: framing is
 * lib0 varuint message type + y-protocols/sync payload. Two kinds of simulated client:
 *
 * - `Probe` holds a real Y.Doc, applies incoming sync messages and performs edits that embed a
 *   timestamp; other probes record edit-to-peer latency when the edit arrives. All probes run in
 *   this process, so `performance.timeOrigin + performance.now()` is one clock for all of them.
 * - `SilentClient` asks for the whole document (sync step 1 with an empty state vector), then only
 *   counts bytes and messages; it peeks at message headers only until it is synced.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { LatencyRecorder } from "./stats.ts";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
/** Hocuspocus: a sync message that does not ask for another sync step 1 in return. */
export const MESSAGE_SYNC_REPLY = 4;

/**
 * `yjs`: the server speaks y-websocket sync (answers sync step 1 with step 2).
 * `relay`: the server only forwards messages between peers; a client is synced once connected,
 * sends no sync step 1 (every peer would answer it) and probes only send updates.
 * `hocuspocus`: y-websocket sync, but every message starts with the document name (taken from the
 * URL path), and the client authenticates first (an empty token).
 */
export type ProtocolMode = "yjs" | "relay" | "hocuspocus";

/** Wall-clock milliseconds, comparable between all clients of this process. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** A new encoder with the Hocuspocus document-name prefix when there is one. */
function messageEncoder(documentName: string | null): encoding.Encoder {
  const encoder = encoding.createEncoder();
  if (documentName !== null) encoding.writeVarString(encoder, documentName);
  return encoder;
}

function encodeSyncStep1(documentName: string | null, doc: Y.Doc | null): Uint8Array {
  const encoder = messageEncoder(documentName);
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  if (doc === null) {
    // An empty state vector: "send me everything".
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()));
  } else {
    syncProtocol.writeSyncStep1(encoder, doc);
  }
  return encoding.toUint8Array(encoder);
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data;
}

/** Shared by both kinds of client: connection, counters, sync state. */
export abstract class BenchClient {
  readonly url: string;
  readonly mode: ProtocolMode;
  /** Hocuspocus only: the document name every message is addressed to. */
  readonly documentName: string | null;
  messagesReceived = 0;
  bytesReceived = 0;
  /** Milliseconds from `connect()` to synced; null until synced. */
  syncMs: number | null = null;
  /** Set when the socket closed without `close()` being called (e.g. the server refused a write). */
  unexpectedClose: { code: number; reason: string } | null = null;
  protected socket: WebSocket | null = null;
  private startedAt = 0;
  private closing = false;
  /** Why the client can no longer sync (socket error or close before sync). */
  private failure: Error | null = null;
  private syncedWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];

  constructor(url: string, mode: ProtocolMode) {
    this.url = url;
    this.mode = mode;
    this.documentName =
      mode === "hocuspocus" ? decodeURIComponent(new URL(url).pathname.slice(1)) : null;
  }

  get synced(): boolean {
    return this.syncMs !== null;
  }

  /** Opens the socket; resolves once open (not once synced: see `whenSynced`). */
  connect(): Promise<void> {
    this.startedAt = performance.now();
    const socket = new WebSocket(this.url, { perMessageDeflate: false });
    socket.binaryType = "nodebuffer";
    this.socket = socket;
    socket.on("message", (data: WebSocket.RawData) => {
      const bytes = toBytes(data);
      this.messagesReceived++;
      this.bytesReceived += bytes.byteLength;
      this.onMessage(bytes);
    });
    return new Promise((resolve, reject) => {
      socket.once("open", () => {
        if (this.mode === "relay") {
          this.markSynced();
        } else {
          // Hocuspocus queues messages until the token is checked: no need to await the answer.
          if (this.mode === "hocuspocus") this.send(this.authMessage());
          this.send(this.syncStep1());
        }
        resolve();
      });
      socket.once("error", (error) => {
        this.failWaiters(error);
        reject(error);
      });
      socket.once("close", (code, reason) => {
        if (!this.closing) {
          this.unexpectedClose = { code, reason: reason.toString() };
          this.failWaiters(new Error(`closed ${code} ${reason.toString()} before sync`));
        }
      });
    });
  }

  /** Resolves once synced; rejects if the socket fails first or after `timeoutMs`. */
  whenSynced(timeoutMs: number): Promise<void> {
    if (this.synced) return Promise.resolve();
    if (this.failure !== null) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`not synced after ${timeoutMs} ms: ${this.url}`)),
        timeoutMs,
      );
      this.syncedWaiters.push({
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
    });
  }

  close(): Promise<void> {
    this.closing = true;
    const socket = this.socket;
    if (socket === null || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        socket.terminate();
        resolve();
      }, 2000);
      socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close();
    });
  }

  protected send(message: Uint8Array): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(message);
  }

  protected markSynced(): void {
    if (this.synced) return;
    this.syncMs = performance.now() - this.startedAt;
    for (const waiter of this.syncedWaiters.splice(0)) waiter.resolve();
  }

  private authMessage(): Uint8Array {
    const encoder = messageEncoder(this.documentName);
    encoding.writeVarUint(encoder, MESSAGE_AUTH);
    encoding.writeVarUint(encoder, 0); // AuthMessageType.Token
    encoding.writeVarString(encoder, "");
    return encoding.toUint8Array(encoder);
  }

  /** Reads the Hocuspocus prefix, then the message type; `null` for a type not measured. */
  protected readHeader(decoder: decoding.Decoder): "sync" | null {
    if (this.documentName !== null) decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    const sync =
      type === MESSAGE_SYNC || (this.mode === "hocuspocus" && type === MESSAGE_SYNC_REPLY);
    return sync ? "sync" : null;
  }

  protected newMessage(): encoding.Encoder {
    return messageEncoder(this.documentName);
  }

  private failWaiters(error: Error): void {
    if (this.synced) return;
    this.failure ??= error;
    for (const waiter of this.syncedWaiters.splice(0)) waiter.reject(error);
  }

  protected abstract syncStep1(): Uint8Array;
  protected abstract onMessage(message: Uint8Array): void;
}

/** Reads only the header of every message until the first sync step 2, then nothing. */
export class SilentClient extends BenchClient {
  protected syncStep1(): Uint8Array {
    return encodeSyncStep1(this.documentName, null);
  }

  protected onMessage(message: Uint8Array): void {
    if (this.synced) return;
    const decoder = decoding.createDecoder(message);
    if (this.readHeader(decoder) !== "sync") return;
    if (decoding.readVarUint(decoder) === syncProtocol.messageYjsSyncStep2) this.markSynced();
  }
}

/** One timestamped answer: what probes push into the `answers` array. */
export type ProbeEntry = { t: number; by: string };

export class Probe extends BenchClient {
  readonly id: string;
  readonly doc = new Y.Doc();
  readonly latency = new LatencyRecorder();
  editsSent = 0;
  private readonly answers: Y.Array<unknown>;

  constructor(url: string, mode: ProtocolMode, id: string) {
    super(url, mode);
    this.id = id;
    this.answers = this.doc.getArray("answers");
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this) return; // came from the server
      const encoder = this.newMessage();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      this.send(encoding.toUint8Array(encoder));
    });
    this.answers.observe((event) => {
      // Entries arriving with the initial sync are history, not edits of this run.
      if (!this.synced) return;
      const arrivedAt = nowMs();
      for (const delta of event.changes.delta) {
        if (!Array.isArray(delta.insert)) continue;
        for (const value of delta.insert) {
          if (!(value instanceof Y.Map)) continue;
          const t: unknown = value.get("t");
          if (typeof t === "number" && value.get("by") !== this.id) {
            this.latency.record(arrivedAt - t);
          }
        }
      }
    });
  }

  /** Pushes `{ t: now, by: id }` into `answers`; the doc's update handler sends it. */
  edit(): void {
    const entry = new Y.Map<unknown>();
    entry.set("t", nowMs());
    entry.set("by", this.id);
    this.answers.push([entry]);
    this.editsSent++;
  }

  protected syncStep1(): Uint8Array {
    return encodeSyncStep1(this.documentName, this.doc);
  }

  protected onMessage(message: Uint8Array): void {
    const decoder = decoding.createDecoder(message);
    if (this.readHeader(decoder) !== "sync") return; // awareness, auth etc.: not measured
    const reply = this.newMessage();
    encoding.writeVarUint(reply, MESSAGE_SYNC);
    const header = encoding.length(reply);
    const step = syncProtocol.readSyncMessage(decoder, reply, this.doc, this);
    if (encoding.length(reply) > header) this.send(encoding.toUint8Array(reply));
    if (step === syncProtocol.messageYjsSyncStep2) this.markSynced();
  }
}
