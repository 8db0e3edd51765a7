import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import type { ClientBinding } from "../storage/storage.ts";

/**
 * The seam between processes (DESIGN.md §6): what one process tells the others that have the
 * same document loaded — committed updates (already durable), presence — and programme-wide
 * events. `localBus` is the single-process default; `redisBus.ts` is the scaled one.
 */
export interface CommittedUpdate {
  update: Uint8Array;
  /** The update's sequence number in the document's log. */
  seq: number;
  binds: readonly ClientBinding[];
  /** Who sent it (for the document's quotas); null when not known (a resync from storage). */
  userId: string | null;
}

export type DocumentMessage =
  { kind: "updates"; updates: CommittedUpdate[] } | { kind: "awareness"; update: Uint8Array };

export type BusEvent =
  | { kind: "invite-revoked"; inviteId: string }
  | { kind: "seminar-status"; seminarId: string; status: string }
  | { kind: "programmes-changed" }
  /** Client ids handed to a person at join (`ClientIdDirectory`): bound on every process. */
  | { kind: "client-ids-reserved"; bindings: ClientBinding[] };

export interface Bus {
  /**
   * Resolves once messages of `documentName` from other processes reach `handler`, with the
   * function that ends this subscription (a later one for the same document is left alone).
   */
  subscribe(
    documentName: string,
    handler: (message: DocumentMessage) => void,
  ): Promise<() => Promise<void>>;
  publish(documentName: string, message: DocumentMessage): void;
  publishEvent(event: BusEvent): void;
  onEvent(listener: (event: BusEvent) => void): () => void;
  /** Called after the bus came back from an outage: messages may have been missed meanwhile. */
  onReconnect(listener: () => void): () => void;
  /** Whether the bus is reachable now (readiness). */
  readonly healthy: boolean;
  close(): Promise<void>;
}

/** One process, nothing to tell anyone. */
export function localBus(): Bus {
  return {
    subscribe: async () => async () => {},
    publish: () => {},
    publishEvent: () => {},
    onEvent: () => () => {},
    onReconnect: () => () => {},
    healthy: true,
    close: async () => {},
  };
}

const UPDATES = 0;
const AWARENESS = 1;

/** A document message as bytes, stamped with the sending process (which ignores its own). */
export function encodeDocumentMessage(origin: string, message: DocumentMessage): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, origin);
  if (message.kind === "awareness") {
    encoding.writeVarUint(encoder, AWARENESS);
    encoding.writeVarUint8Array(encoder, message.update);
    return encoding.toUint8Array(encoder);
  }
  encoding.writeVarUint(encoder, UPDATES);
  encoding.writeVarUint(encoder, message.updates.length);
  for (const { update, seq, binds, userId } of message.updates) {
    encoding.writeVarUint8Array(encoder, update);
    encoding.writeVarUint(encoder, seq);
    encoding.writeVarString(encoder, userId ?? "");
    encoding.writeVarUint(encoder, binds.length);
    for (const binding of binds) {
      encoding.writeVarUint(encoder, binding.clientId);
      encoding.writeVarString(encoder, binding.userId);
      encoding.writeVarUint(encoder, binding.anonymous === null ? 2 : binding.anonymous ? 1 : 0);
    }
  }
  return encoding.toUint8Array(encoder);
}

export function decodeDocumentMessage(bytes: Uint8Array): {
  origin: string;
  message: DocumentMessage;
} {
  const decoder = decoding.createDecoder(bytes);
  const origin = decoding.readVarString(decoder);
  const kind = decoding.readVarUint(decoder);
  if (kind === AWARENESS) {
    return { origin, message: { kind: "awareness", update: decoding.readVarUint8Array(decoder) } };
  }
  const updates: CommittedUpdate[] = [];
  const count = decoding.readVarUint(decoder);
  for (let i = 0; i < count; i++) {
    const update = decoding.readVarUint8Array(decoder);
    const seq = decoding.readVarUint(decoder);
    const userId = decoding.readVarString(decoder);
    const binds: ClientBinding[] = [];
    const bindCount = decoding.readVarUint(decoder);
    for (let j = 0; j < bindCount; j++) {
      const clientId = decoding.readVarUint(decoder);
      const userId = decoding.readVarString(decoder);
      const anon = decoding.readVarUint(decoder);
      binds.push({ clientId, userId, anonymous: anon === 2 ? null : anon === 1 });
    }
    updates.push({ update, seq, binds, userId: userId === "" ? null : userId });
  }
  return { origin, message: { kind: "updates", updates } };
}
