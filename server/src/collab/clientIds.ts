import * as Y from "yjs";
import type { ClientBinding } from "../storage/storage.ts";
import type { ClientKind } from "./anonymity.ts";
import type { RuleVerdict } from "./itemRules.ts";
import type { UpdateView } from "./updateView.ts";

/**
 * Client ids the server handed a person at `POST /api/join` / `GET /api/me` (named or
 * anonymous), bound to them in every document before they write: what the server's own
 * directory says of one, or undefined.
 */
export type ReservedClientIds = (clientId: number) => Omit<ClientBinding, "clientId"> | undefined;

/**
 * Yjs client ids bound to people (DESIGN.md §4.1), one registry per document. The first update
 * that uses a client id binds it to its author (stored with that update); an update carrying
 * structs of a client id bound to someone else is refused, so every struct — every character
 * of a shared text — is attributable to a person. A client id carries either a person's
 * anonymous items or their named ones (signed items, named presence), never both.
 */
export class ClientIds {
  private readonly bound = new Map<number, ClientBinding>();
  /** Client ids announced with a presence: named, though not bound until they write. */
  private readonly announced = new Map<number, string>();

  private readonly reserved: ReservedClientIds;

  constructor(bindings: readonly ClientBinding[], reserved: ReservedClientIds = () => undefined) {
    for (const binding of bindings) this.bound.set(binding.clientId, binding);
    this.reserved = reserved;
  }

  get(clientId: number): ClientBinding | undefined {
    return this.bound.get(clientId);
  }

  all(): ClientBinding[] {
    return [...this.bound.values()];
  }

  /**
   * Checks the client ids an update writes under for `authorId`; returns the bindings it
   * brings (to store with it and `bind` once accepted) and what each client id is once it is
   * applied (anonymous, named, undecided), or why it is refused.
   */
  check(
    doc: Y.Doc,
    view: UpdateView,
    authorId: string,
    verdict: Pick<RuleVerdict, "anonymousClients" | "signedClients">,
  ): { problem: string } | { binds: ClientBinding[]; kinds: Map<number, ClientKind> } {
    const binds: ClientBinding[] = [];
    const kinds = new Map<number, ClientKind>();
    for (const clientId of view.clients) {
      const anonymous = verdict.anonymousClients.has(clientId);
      const signed = verdict.signedClients.has(clientId);
      if (anonymous && signed) {
        return { problem: "one client id cannot carry both anonymous and signed items" };
      }
      const announcedBy = this.announced.get(clientId);
      // What this update says the client id is: anonymous, named, or (content that arrives
      // already deleted, e.g. a vote cast and withdrawn offline) nothing yet.
      const kind: boolean | null = anonymous
        ? true
        : signed || view.liveClients.has(clientId) || announcedBy !== undefined
          ? false
          : null;
      const binding = this.bound.get(clientId);
      if (binding !== undefined) {
        if (binding.userId !== authorId) {
          return { problem: `client id ${clientId} belongs to someone else` };
        }
        if (binding.anonymous === true && signed) {
          return { problem: "signed items cannot come from an anonymous client id" };
        }
        if (binding.anonymous === false && anonymous) {
          return { problem: "anonymous items cannot come from a named client id" };
        }
        if (binding.anonymous === null && anonymous && announcedBy !== undefined) {
          return { problem: "anonymous items cannot come from a client id with a named presence" };
        }
        if (binding.anonymous === null && kind !== null) {
          binds.push({ clientId, userId: authorId, anonymous: kind });
        }
        kinds.set(clientId, binding.anonymous ?? kind);
        continue;
      }
      if (Y.getState(doc.store, clientId) > 0) {
        return { problem: `client id ${clientId} was used before and is no one's to continue` };
      }
      // The first to announce a presence for a client id claims it (a weak claim would let
      // anyone who sees the presence list lock a person out by writing under their id first).
      // So a stock client relaying the presence of another person's tab (y-websocket's
      // BroadcastChannel) claims it for its own connection: the web app turns that channel off.
      if (announcedBy !== undefined && announcedBy !== authorId) {
        return { problem: `client id ${clientId} belongs to someone else` };
      }
      if (announcedBy !== undefined && anonymous) {
        return { problem: "anonymous items cannot come from a client id with a named presence" };
      }
      // A client id the server handed out is its person's, and already named or anonymous.
      const reserved = this.reserved(clientId);
      if (reserved !== undefined) {
        if (reserved.userId !== authorId) {
          return { problem: `client id ${clientId} belongs to someone else` };
        }
        if (reserved.anonymous === true && (signed || announcedBy !== undefined)) {
          return { problem: "signed items cannot come from an anonymous client id" };
        }
        if (reserved.anonymous === false && anonymous) {
          return { problem: "anonymous items cannot come from a named client id" };
        }
      }
      const decided = reserved?.anonymous ?? kind;
      binds.push({ clientId, userId: authorId, anonymous: decided });
      kinds.set(clientId, decided);
    }
    return { binds, kinds };
  }

  bind(binds: readonly ClientBinding[]): void {
    for (const binding of binds) this.bound.set(binding.clientId, binding);
  }

  /**
   * Whether `authorId` may announce a presence for `clientId`: not a client id of someone
   * else's, nor one that carries anonymous items. Remembered, so that id stays named.
   */
  mayAnnounce(clientId: number, authorId: string): boolean {
    const binding = this.bound.get(clientId) ?? this.reserved(clientId);
    if (binding !== undefined && (binding.userId !== authorId || binding.anonymous === true)) {
      return false;
    }
    const announcedBy = this.announced.get(clientId);
    if (announcedBy !== undefined && announcedBy !== authorId) return false;
    this.announced.set(clientId, authorId);
    return true;
  }
}
