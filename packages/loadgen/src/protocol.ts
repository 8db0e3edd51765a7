/**
 * A minimal y-websocket protocol client over `ws`, without the y-websocket provider: framing is
 * lib0 varuint message type + y-protocols/sync payload. Three kinds of simulated client:
 *
 * - `Probe` holds a real Y.Doc, applies incoming sync messages and measures edit-to-peer latency
 *   of every remote edit it integrates (see `ledger.ts`). A probe may also type: keystrokes into
 *   its own paragraph of a Tiptap-shaped `Y.XmlFragment` (`recommendations`, `body`).
 * - `SilentClient` asks for the whole document (sync step 1 with an empty state vector), then only
 *   counts bytes and messages; it peeks at message headers only until it is synced.
 * - `Voter` is a silent client that also writes: every so often it adds an answer or votes on one.
 *   It decodes nothing it receives; it writes from a small local Y.Doc holding only the seed
 *   answers and its own edits, which is enough for Yjs to encode valid updates.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { EditLedger, LatencyWatcher, nowMs } from "./ledger.ts";

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;
/** Hocuspocus: a sync message that does not ask for another sync step 1 in return. */
export const MESSAGE_SYNC_REPLY = 4;

/**
 * `yjs`: the server speaks y-websocket sync (answers sync step 1 with step 2).
 * `relay`: the server only forwards messages between peers; a client is synced once connected,
 * sends no sync step 1 (every peer would answer it) and clients only send updates.
 * `hocuspocus`: y-websocket sync, but every message starts with the document name (taken from the
 * URL path), and the client authenticates first (an empty token).
 */
export type ProtocolMode = "yjs" | "relay" | "hocuspocus";

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

function encodeUpdate(documentName: string | null, update: Uint8Array): Uint8Array {
  const encoder = messageEncoder(documentName);
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data;
}

/** Shared by every kind of client: connection, counters, sync state. */
export abstract class BenchClient {
  readonly url: string;
  readonly mode: ProtocolMode;
  /** Hocuspocus only: the document name every message is addressed to. */
  readonly documentName: string | null;
  messagesReceived = 0;
  bytesReceived = 0;
  /** Milliseconds from the latest `connect()` to synced; null until synced. */
  syncMs: number | null = null;
  /** `nowMs()` (process-wide clock) when the latest connection became synced. */
  syncedAt: number | null = null;
  /** Set when the socket closed without `close()` being called (e.g. a refused write, restart). */
  unexpectedClose: { code: number; reason: string } | null = null;
  protected socket: WebSocket | null = null;
  private startedAt = 0;
  private closing = false;
  /** Why the client can no longer sync (socket error or close before sync). */
  private failure: Error | null = null;
  private syncedWaiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private closeWaiters: Array<() => void> = [];
  private keepAlive: NodeJS.Timeout | null = null;

  constructor(url: string, mode: ProtocolMode) {
    this.url = url;
    this.mode = mode;
    this.documentName =
      mode === "hocuspocus" ? decodeURIComponent(new URL(url).pathname.slice(1)) : null;
  }

  get synced(): boolean {
    return this.syncMs !== null;
  }

  get isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /**
   * Opens the socket; resolves once open (not once synced: see `whenSynced`). Calling it again
   * after the socket closed reconnects: sync state starts over, counters carry on.
   */
  connect(): Promise<void> {
    this.startedAt = nowMs();
    this.syncMs = null;
    this.syncedAt = null;
    this.failure = null;
    this.unexpectedClose = null;
    this.closing = false;
    const socket = new WebSocket(this.url, { perMessageDeflate: false });
    socket.binaryType = "nodebuffer";
    this.socket = socket;
    socket.on("message", (data: WebSocket.RawData) => {
      const bytes = toBytes(data);
      this.messagesReceived++;
      this.bytesReceived += bytes.byteLength;
      this.onMessage(bytes);
    });
    socket.once("close", (code, reason) => {
      if (this.keepAlive !== null) clearInterval(this.keepAlive);
      this.keepAlive = null;
      if (!this.closing) {
        this.unexpectedClose = { code, reason: reason.toString() };
        this.failWaiters(new Error(`closed ${code} ${reason.toString()} before sync`));
      }
      for (const done of this.closeWaiters.splice(0)) done();
    });
    return new Promise((resolve, reject) => {
      socket.once("open", () => {
        if (this.mode === "relay") {
          this.markSynced();
        } else {
          // Hocuspocus queues messages until the token is checked: no need to await the answer.
          if (this.mode === "hocuspocus") {
            this.send(this.authMessage());
            this.startKeepAlive();
          }
          this.send(this.syncStep1());
        }
        resolve();
      });
      socket.once("error", (error) => {
        this.failWaiters(error);
        reject(error);
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

  /** Resolves once the current socket is closed, whoever closed it. */
  whenClosed(): Promise<void> {
    const socket = this.socket;
    if (socket === null || socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.closeWaiters.push(resolve));
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

  protected sendUpdate(update: Uint8Array): void {
    this.send(encodeUpdate(this.documentName, update));
  }

  protected markSynced(): void {
    if (this.synced) return;
    this.syncedAt = nowMs();
    this.syncMs = this.syncedAt - this.startedAt;
    for (const waiter of this.syncedWaiters.splice(0)) waiter.resolve();
  }

  /**
   * Hocuspocus closes (4408) a connection that sent nothing for 60 s; its own provider never
   * stays silent that long (it renews awareness every 15 s). A silent client asks for awareness
   * every 20 s instead: one tiny message, answered at most to this client.
   */
  private startKeepAlive(): void {
    if (this.keepAlive !== null) clearInterval(this.keepAlive);
    this.keepAlive = setInterval(() => {
      const encoder = messageEncoder(this.documentName);
      encoding.writeVarUint(encoder, MESSAGE_QUERY_AWARENESS);
      this.send(encoding.toUint8Array(encoder));
    }, 20_000);
    this.keepAlive.unref();
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

/** What a seminar's answers look like (DESIGN.md §5), with `votes` as a nested Y.Map. */
export function answerItem(
  id: string,
  author: { authorId: string; name: string },
  text: string,
): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("questionId", "bench-q1");
  item.set("text", text);
  item.set("author", author.name);
  item.set("authorId", author.authorId);
  item.set("createdAt", Date.now());
  item.set("votes", new Y.Map<boolean>());
  return item;
}

/**
 * A self-contained update adding an open question and `count` answers to it: applied by one
 * probe (which sends it to the server) and by every voter locally, so voters can vote on answers
 * the server has. Percorso takes answers and votes only on an open question of the document
 * (issue 16), so the seed brings its own.
 */
export function seedAnswers(count: number): Uint8Array {
  const doc = new Y.Doc();
  const answers = doc.getArray<Y.Map<unknown>>("answers");
  doc.transact(() => {
    const question = new Y.Map<unknown>();
    question.set("id", "bench-q1");
    question.set("text", "Domanda del banco di prova");
    question.set("state", "open");
    question.set("createdAt", Date.now());
    doc.getArray<Y.Map<unknown>>("questions").push([question]);
    for (let i = 0; i < count; i++) {
      answers.push([
        answerItem(
          `seed-${i}`,
          { authorId: "facilitator", name: "facilitator" },
          `Risposta di partenza ${i + 1}`,
        ),
      ]);
    }
  });
  return Y.encodeStateAsUpdate(doc);
}

const SENTENCE =
  "La cooperazione decentrata toscana promuove partenariati territoriali, inclusione e " +
  "sviluppo sostenibile con le comunità locali e le diaspore. ";

export type ProbeOptions = {
  id: string;
  ledger: EditLedger;
  /** Root `Y.XmlFragment` a typing probe writes into. */
  fragment?: string;
};

export class Probe extends BenchClient {
  readonly id: string;
  readonly doc = new Y.Doc();
  readonly watcher: LatencyWatcher;
  /** How many other probes watch this document (so should receive each of its edits). */
  audience = 0;
  editsSent = 0;
  private readonly ledger: EditLedger;
  private readonly fragmentName: string;
  private text: Y.XmlText | null = null;
  private typed = 0;
  /** Off during set-up and history: remote transactions are not latency samples then. */
  watching = false;

  constructor(url: string, mode: ProtocolMode, options: ProbeOptions) {
    super(url, mode);
    this.id = options.id;
    this.ledger = options.ledger;
    this.fragmentName = options.fragment ?? "recommendations";
    this.watcher = new LatencyWatcher();
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === this) return; // came from the server
      this.sendUpdate(update);
    });
    this.doc.on("afterTransaction", (transaction: Y.Transaction) => {
      if (transaction.origin !== this || !this.watching) return;
      this.watcher.observe(transaction.beforeState, transaction.afterState, nowMs());
    });
  }

  /** Starts this probe's own paragraph at the end of the fragment (set-up: not measured). */
  prepare(): void {
    this.newParagraph();
  }

  /** Applies an update as a local edit (so it is sent), e.g. the seed answers. */
  applyLocal(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update);
  }

  /**
   * One keystroke: mostly a character appended to this probe's paragraph, sometimes a
   * backspace, and a new paragraph every ~100 characters. Inserts are timed (their first
   * struct's id goes to the ledger); a backspace adds no struct, so it is sent but not timed.
   */
  type(): void {
    if (!this.isOpen) return;
    if (this.text === null) this.newParagraph();
    const text = this.text as Y.XmlText;
    const n = this.typed++;
    const clock = Y.getState(this.doc.store, this.doc.clientID);
    const sentAt = nowMs();
    if (n % 13 === 12 && text.length > 0) {
      text.delete(text.length - 1, 1);
    } else if (n % 101 === 100) {
      this.newParagraph();
      this.ledger.record(this.doc.clientID, clock, sentAt, this.audience);
    } else {
      text.insert(text.length, SENTENCE.charAt(n % SENTENCE.length));
      this.ledger.record(this.doc.clientID, clock, sentAt, this.audience);
    }
    this.editsSent++;
  }

  private newParagraph(): void {
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    this.doc.getXmlFragment(this.fragmentName).push([paragraph]);
    this.text = text;
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

  /**
   * Resolves once the server has handled everything this probe sent before: a sync step 1
   * travels behind the updates on the same socket and its step 2 answer comes back after them.
   */
  async roundTrip(timeoutMs: number): Promise<void> {
    if (this.mode === "relay") return;
    const socket = this.socket;
    if (socket === null) throw new Error("not connected");
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.off("message", onMessage);
        reject(new Error(`no sync answer after ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = (data: WebSocket.RawData) => {
        const decoder = decoding.createDecoder(toBytes(data));
        if (this.readHeader(decoder) !== "sync") return;
        if (decoding.readVarUint(decoder) !== syncProtocol.messageYjsSyncStep2) return;
        clearTimeout(timer);
        socket.off("message", onMessage);
        resolve();
      };
      socket.on("message", onMessage);
      this.send(this.syncStep1());
    });
  }
}

export type VoterOptions = {
  id: string;
  ledger: EditLedger;
  /** `seedAnswers()` output: the answers this voter can vote on. */
  seed: Uint8Array;
  /** Who the server takes this voter for (DESIGN.md §4.1). */
  identity: { userId: string; anonId: string; name: string };
};

const LOCAL = Symbol("seed");

/** A participant who answers and votes from time to time, and otherwise only listens. */
export class Voter extends SilentClient {
  readonly id: string;
  /** How many probes watch this document (so should receive each of its edits). */
  audience = 0;
  editsSent = 0;
  private readonly ledger: EditLedger;
  private readonly local = new Y.Doc();
  private readonly seeded: Array<Y.Map<unknown>>;
  private readonly identity: VoterOptions["identity"];
  /** Votes go under a second client id, never the one of the signed answers (DESIGN.md §4.1). */
  private readonly anonClientId = Math.floor(Math.random() * 0x1_0000_0000);
  private actions = 0;

  constructor(url: string, mode: ProtocolMode, options: VoterOptions) {
    super(url, mode);
    this.id = options.id;
    this.ledger = options.ledger;
    this.identity = options.identity;
    Y.applyUpdate(this.local, options.seed, LOCAL);
    this.seeded = this.local.getArray<Y.Map<unknown>>("answers").toArray();
    this.local.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== LOCAL) this.sendUpdate(update);
    });
  }

  /** Every third action answers, the others vote on one of the seed answers. */
  act(): void {
    if (!this.isOpen || !this.synced) return;
    const n = this.actions++;
    const target = this.seeded[n % Math.max(1, this.seeded.length)];
    const answering = n % 3 === 0 || target === undefined;
    const named = this.local.clientID;
    const clientId = answering ? named : this.anonClientId;
    const clock = Y.getState(this.local.store, clientId);
    const sentAt = nowMs();
    if (answering) {
      const answers = this.local.getArray<Y.Map<unknown>>("answers");
      const { userId, name } = this.identity;
      answers.push([
        answerItem(`${this.id}-${n}`, { authorId: userId, name }, `Proposta ${n} di ${name}`),
      ]);
    } else {
      this.local.clientID = clientId;
      try {
        (target.get("votes") as Y.Map<boolean>).set(this.identity.anonId, true);
      } finally {
        this.local.clientID = named;
      }
    }
    this.ledger.record(clientId, clock, sentAt, this.audience);
    this.editsSent++;
  }
}
