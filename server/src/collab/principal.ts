import type { Writer } from "@percorso/schema";
import type { Invites } from "../invites.ts";
import { ADMIN_NAME, type People } from "../people.ts";
import type { Author } from "../storage/storage.ts";
import { ADMIN_TOKEN_ID, type TokenClaims } from "../tokens.ts";

/**
 * Who a connection (or a REST call) is, decided by the server from the token alone: the
 * grant, the person behind a personal token, and how the log attributes what they write.
 */
export interface Principal {
  claims: TokenClaims;
  /** The person as the item rules see them; `role` is the grant's (each document may lower it). */
  writer: Writer;
  /** What the log and the client-id bindings record: a user id, `admin`, or `invite:<id>`. */
  authorId: string;
  /** Joined anonymously: their presence is shown as "anonimo". */
  anonymous: boolean;
}

export type Authentication =
  { ok: true; principal: Principal } | { ok: false; reason: "invalid" | "revoked" };

/** Turns bearer tokens into principals: signature, expiry, revocation, then the person. */
export class Authenticator {
  private readonly invites: Invites;
  private readonly people: People;

  constructor(invites: Invites, people: People) {
    this.invites = invites;
    this.people = people;
  }

  async authenticate(token: string | null | undefined): Promise<Authentication> {
    const auth = await this.invites.authenticate(token);
    if (!auth.ok) return auth;
    // A person joined on another process is known here once read from storage.
    if (auth.claims.sub !== undefined) await this.people.find(auth.claims.sub);
    return { ok: true, principal: this.principalOf(auth.claims) };
  }

  principalOf(claims: TokenClaims): Principal {
    const writer = this.people.writerOf(claims);
    const person = writer.userId === null ? undefined : this.people.get(writer.userId);
    const authorId =
      writer.userId ?? (claims.jti === ADMIN_TOKEN_ID ? ADMIN_NAME : `invite:${claims.inviteId}`);
    return { claims, writer, authorId, anonymous: person?.anonymous ?? false };
  }

  /** Whether the invite behind a principal has been revoked since it authenticated. */
  isRevoked(principal: Principal): boolean {
    return this.invites.isRevoked(principal.claims.inviteId);
  }

  onRevoked(listener: (inviteId: string) => void): () => void {
    return this.invites.onRevoked((id) => listener(id));
  }
}

/**
 * How the log records a principal's anonymous act (DESIGN.md §4.2): under their `anonId` (the
 * key of their share of the document, and already what their votes are keyed by), with no name
 * and no user id — nothing a reader of the history can tie to the person.
 */
export function anonymousAuthorOf(principal: Principal, role: string): Author {
  return { userId: principal.writer.anonId ?? principal.authorId, role, name: "" };
}

/** How the log attributes a principal's update on a document where it has `role`. */
export function authorOf(principal: Principal, role: string): Author {
  return { userId: principal.authorId, role, name: principal.writer.name };
}
