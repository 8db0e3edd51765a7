import { randomBytes } from "node:crypto";
import type { Grant, Role } from "@percorso/schema";
import type { CatalogueStore } from "./storage/storage.ts";
import type { TokenClaims, Tokens } from "./tokens.ts";

const INVITE = "invite";
/** A short link's code → its invite id: looked up by code, on any process. */
const SHORT_LINK = "invite-link";

/** Who made an invite, as the list shows it: a user id, `admin`, or `invite:<id>`, and a name. */
export interface InviteCreator {
  id: string;
  name: string;
}

/**
 * An issued invite, kept so facilitators can list their links, copy one again and revoke it.
 * `id` is the token's `jti`. Times are epoch milliseconds here; the API shows seconds.
 */
export interface InviteRecord {
  id: string;
  role: Role;
  programmeId: string;
  seminarId: string | null;
  token: string;
  createdMs: number;
  /** Epoch seconds, as in the token; null for an invite that does not expire. */
  expiresAt: number | null;
  revokedMs: number | null;
  /**
   * The short link's secret (`/i/<code>`): 128 random bits of its own, never the id, which
   * appears in logs and history as `invite:<id>`. Absent on invites made before it existed,
   * whose short links no longer open.
   */
  code?: string;
  /** Absent on invites made before it was recorded. */
  createdBy?: InviteCreator;
  /** Order of issue: invites made within one millisecond still list newest first. */
  seq: number;
}

export type Authentication =
  { ok: true; claims: TokenClaims } | { ok: false; reason: "invalid" | "revoked" };

/**
 * The invite registry: every invite issued through the API is written through to storage, and
 * a revoked one is refused from then on, by REST and websockets alike. Tokens it never issued
 * (`ADMIN_TOKEN`, the admin link printed at boot, tokens from before the registry) verify as
 * before and cannot be revoked.
 */
export class Invites {
  private readonly store: CatalogueStore;
  private readonly tokens: Tokens;
  private readonly invites = new Map<string, InviteRecord>();
  private readonly revokedListeners = new Set<(id: string, remote: boolean) => void>();
  private lastSeq = 0;

  private constructor(store: CatalogueStore, tokens: Tokens) {
    this.store = store;
    this.tokens = tokens;
  }

  static async open(store: CatalogueStore, tokens: Tokens): Promise<Invites> {
    const invites = new Invites(store, tokens);
    for (const record of await store.listRecords(INVITE)) {
      const invite = record as InviteRecord;
      invites.invites.set(invite.id, invite);
      invites.lastSeq = Math.max(invites.lastSeq, invite.seq);
    }
    return invites;
  }

  /** Signs a token for `grant` and records it before handing it out. */
  async issue(
    grant: Grant,
    createdBy: InviteCreator,
    expiresInSeconds?: number,
  ): Promise<InviteRecord> {
    const { token, claims } = await this.tokens.issue(grant, expiresInSeconds);
    const code = randomBytes(16).toString("base64url");
    const invite: InviteRecord = {
      id: claims.jti,
      role: grant.role,
      programmeId: grant.programmeId,
      seminarId: grant.seminarId ?? null,
      token,
      createdMs: Date.now(),
      expiresAt: claims.exp ?? null,
      revokedMs: null,
      code,
      createdBy,
      seq: ++this.lastSeq,
    };
    // The code's record first: an invite is never handed out with a short link that fails.
    await this.store.putRecord(SHORT_LINK, code, { inviteId: invite.id });
    await this.store.putRecord(INVITE, invite.id, invite);
    this.invites.set(invite.id, invite);
    return invite;
  }

  get(id: string): InviteRecord | undefined {
    return this.invites.get(id);
  }

  /** A programme's invites (of one seminar, when given), newest first. */
  list(programmeId: string, seminarId?: string): InviteRecord[] {
    return [...this.invites.values()]
      .filter(
        (invite) =>
          invite.programmeId === programmeId &&
          (seminarId === undefined || invite.seminarId === seminarId),
      )
      .sort((a, b) => b.seq - a.seq);
  }

  /**
   * Revokes an invite: durable first, then every listener (the websocket transport closes
   * the sockets opened with it). Revoking twice keeps the first time.
   */
  async revoke(id: string): Promise<InviteRecord | undefined> {
    const invite = this.invites.get(id);
    if (invite === undefined || invite.revokedMs !== null) return invite;
    const revoked = { ...invite, revokedMs: Date.now() };
    await this.store.putRecord(INVITE, id, revoked);
    this.invites.set(id, revoked);
    for (const listener of this.revokedListeners) listener(id, false);
    return revoked;
  }

  /** Another process revoked an invite: read it again, and tell the listeners. */
  async revokedElsewhere(id: string): Promise<void> {
    const invite = await this.find(id);
    if (invite === undefined || invite.revokedMs === null) return;
    for (const listener of this.revokedListeners) listener(id, true);
  }

  /** An invite, from memory or (issued by another process) from storage. */
  async find(id: string): Promise<InviteRecord | undefined> {
    const record = (await this.store.getRecord(INVITE, id)) as InviteRecord | undefined;
    if (record === undefined) return this.invites.get(id);
    this.invites.set(id, record);
    this.lastSeq = Math.max(this.lastSeq, record.seq);
    return record;
  }

  /** The invite a short link's code opens; undefined for an unknown code (or an invite id). */
  async findByCode(code: string): Promise<InviteRecord | undefined> {
    const link = (await this.store.getRecord(SHORT_LINK, code)) as { inviteId: string } | undefined;
    if (link === undefined) return undefined;
    const invite = await this.find(link.inviteId);
    return invite?.code === code ? invite : undefined;
  }

  /** Reads every invite again (another process may have issued or revoked some). */
  async refresh(): Promise<void> {
    for (const record of await this.store.listRecords(INVITE)) {
      const invite = record as InviteRecord;
      this.invites.set(invite.id, invite);
      this.lastSeq = Math.max(this.lastSeq, invite.seq);
    }
  }

  isRevoked(id: string): boolean {
    return (this.invites.get(id)?.revokedMs ?? null) !== null;
  }

  /**
   * Calls `listener` with the id of every invite revoked from now on, here or (`remote`) by
   * another process.
   */
  onRevoked(listener: (id: string, remote: boolean) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /**
   * Verifies a bearer token: signature and expiry, then revocation of the invite it stands on
   * (a personal token falls with the invite it was made from).
   */
  async authenticate(token: string | undefined | null): Promise<Authentication> {
    const claims = await this.tokens.verify(token);
    if (claims === null) return { ok: false, reason: "invalid" };
    if (this.isRevoked(claims.inviteId)) return { ok: false, reason: "revoked" };
    return { ok: true, claims };
  }
}
