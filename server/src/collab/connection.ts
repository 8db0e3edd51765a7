import * as Y from "yjs";
import * as authProtocol from "y-protocols/auth";
import * as syncProtocol from "y-protocols/sync";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { CLOSE, type CloseKind, type Role } from "@percorso/schema";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { checkUpdate } from "./checks.ts";
import type { CollabDocument, DocumentPeer } from "./document.ts";
import {
  MESSAGE_AUTH,
  MESSAGE_AWARENESS,
  MESSAGE_QUERY_AWARENESS,
  MESSAGE_SYNC,
} from "./messages.ts";
import { anonymousAuthorOf, authorOf, type Principal } from "./principal.ts";
import { TokenBucket } from "./rateLimit.ts";
import type { CollabSocket } from "./socket.ts";

export interface ConnectionLimits {
  maxMessageBytes: number;
  rateLimitBurst: number;
  rateLimitPerSecond: number;
  maxPresenceBytes: number;
  presenceRateBurst: number;
  presenceRatePerSecond: number;
  maxDocumentBytes: number;
  maxBytesPerPerson: number;
  /** Sync step 1 per connection: a bucket of this many, one more every interval (4429). */
  syncStep1Burst: number;
  syncStep1IntervalMs: number;
}

export interface ConnectionDeps {
  limits: ConnectionLimits;
  log: Logger;
  metrics: Metrics;
}

/**
 * One person on one document: reads y-protocols messages, runs every update through the
 * checks (`checks.ts`) before it reaches the document, and closes with a catalogue code (and a
 * log line) on anything it refuses.
 */
export class Connection implements DocumentPeer {
  readonly principal: Principal;
  readonly role: Role;
  private readonly socket: CollabSocket;
  private readonly doc: CollabDocument;
  private readonly deps: ConnectionDeps;
  private readonly bucket: TokenBucket;
  private readonly presenceBucket: TokenBucket;
  private readonly syncBucket: TokenBucket;
  private open = true;

  constructor(
    socket: CollabSocket,
    doc: CollabDocument,
    principal: Principal,
    role: Role,
    deps: ConnectionDeps,
  ) {
    this.socket = socket;
    this.doc = doc;
    this.principal = principal;
    this.role = role;
    this.deps = deps;
    this.bucket = new TokenBucket(deps.limits.rateLimitBurst, deps.limits.rateLimitPerSecond);
    this.presenceBucket = new TokenBucket(
      deps.limits.presenceRateBurst,
      deps.limits.presenceRatePerSecond,
    );
    // A stock provider sends one step 1 per connection (and one per `resyncInterval`, which
    // the web app leaves off); each asks the server for up to the whole document (issue 16).
    this.syncBucket = new TokenBucket(
      deps.limits.syncStep1Burst,
      1000 / Math.max(1, deps.limits.syncStep1IntervalMs),
    );
  }

  /** Joins the document: sync step 1 from the server, then everyone's presence. */
  start(): void {
    this.doc.addPeer(this);
    this.sendSyncStep1();
    this.sendAwareness();
  }

  private send(message: Uint8Array): void {
    if (!this.open) return;
    this.deps.metrics.bytesOut.inc(message.byteLength);
    this.socket.send(message);
  }

  forward(message: Uint8Array): void {
    if (this.open) this.socket.send(message);
  }

  receive(message: Uint8Array): void {
    if (!this.open) return;
    this.deps.metrics.bytesIn.inc(message.byteLength);
    if (message.byteLength > this.deps.limits.maxMessageBytes) {
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
      if (!this.syncBucket.take()) {
        this.deps.metrics.syncStep1Limited.inc();
        return this.refuse("tooManyMessages", "sync step 1 rate limit");
      }
      const stateVector = decoding.readVarUint8Array(decoder);
      // Read now, inside `receive`'s guard: a malformed one is the sender's 1007, not a throw
      // later inside the group commit that answers it.
      Y.decodeStateVector(stateVector);
      this.doc.whenDurable(() => {
        try {
          this.sendSyncStep2(stateVector);
        } catch (error) {
          this.refuse("malformed", error instanceof Error ? error.message : String(error));
        }
      });
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
    // Shared by every client asking with the same vector until the document changes.
    encoding.writeVarUint(reply, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(reply, this.doc.stateFor(stateVector));
    this.send(encoding.toUint8Array(reply));
  }

  private receiveUpdate(update: Uint8Array): void {
    const check = checkUpdate(this.doc, this.principal, this.role, update, this.deps.limits);
    if (check.verdict === "refuse") {
      if (check.check !== "roots") this.deps.metrics.ruleRefusals.inc({ check: check.check });
      return this.deny(check.detail, check.close);
    }
    if (check.verdict === "resync") {
      // Typing while a reconnect's handshake is under way sends an update that builds on edits
      // the server has not had yet. Applying it would leave it pending in Yjs, unchecked; a
      // refusal would cost an honest client its offline edits. Instead: drop it, and ask for
      // everything missing (sync step 1). The client's step 2 carries it, whole and checkable.
      this.deps.log.debug(
        { doc: this.doc.name },
        "update ahead of the server: asking for a resync",
      );
      return this.sendSyncStep1();
    }
    if (check.touchesSchema) this.deps.metrics.updatesIn.inc();
    // Named and anonymous acts are applied (and logged) apart, in the order they build on.
    check.parts.forEach((part, i) => {
      this.doc.apply(part.update, {
        peer: this,
        author: part.anonymous
          ? anonymousAuthorOf(this.principal, this.role)
          : authorOf(this.principal, this.role),
        anonymous: part.anonymous,
        binds: i === 0 ? check.binds : [],
      });
    });
  }

  /**
   * Presence: size-limited, filtered to what this connection may say, and rate-limited on what
   * it says of itself — stock clients echo everyone else's presence back, and an echo is not
   * a flood.
   */
  private receiveAwareness(update: Uint8Array): void {
    const result = this.doc.presence.receive(
      update,
      this,
      { authorId: this.principal.authorId, anonymous: this.principal.anonymous },
      this.deps.limits.maxPresenceBytes,
    );
    if ("tooLarge" in result) return this.refuse("presenceTooLarge", result.tooLarge);
    if (result.applied > 0 && !this.presenceBucket.take()) {
      this.refuse("tooManyMessages", "presence rate limit");
    }
  }

  private sendAwareness(): void {
    const message = this.doc.presence.encodeAll();
    if (message !== null) this.send(message);
  }

  /**
   * A refused write: tell a stock client why (y-protocols auth), then close — with 4403, or the
   * catalogue code of the limit it broke.
   */
  private deny(detail: string, close: CloseKind = "forbidden"): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AUTH);
    authProtocol.writePermissionDenied(encoder, detail);
    this.send(encoding.toUint8Array(encoder));
    this.refuse(close, detail);
  }

  refuse(kind: CloseKind, detail: string): void {
    if (!this.open) return;
    const { code, reason } = CLOSE[kind];
    this.deps.log.warn(
      { doc: this.doc.name, role: this.role, user: this.principal.authorId, code, reason, detail },
      "connection refused",
    );
    this.deps.metrics.refusals.inc({ reason });
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
