import { randomUUID } from "node:crypto";
import { ACTOR_KINDS, type ActorKind, type Role, type Writer } from "@percorso/schema";
import type { Author, CatalogueStore } from "./storage/storage.ts";
import { ADMIN_TOKEN_ID, type TokenClaims, type Tokens } from "./tokens.ts";

const PERSON = "person";

/**
 * A person (DESIGN.md §4.1): made when an invite is exchanged at `POST /api/join`, stored, and
 * named by the `sub` of their personal token. The server, not the client, decides whose an
 * item is from this record.
 */
export interface Person {
  id: string;
  anonId: string;
  name: string;
  actorKind: ActorKind;
  /** Joined as "answer anonymously": presence shows them as "anonimo". */
  anonymous: boolean;
  role: Role;
  programmeId: string;
  seminarId: string | null;
  inviteId: string;
  createdMs: number;
}

/** The name the log records for automation and for the server's own writes. */
export const ADMIN_NAME = "admin";
export const SYSTEM_USER = "system";

/** The author of the server's own writes (the seed of a programme's documents). */
export const SYSTEM_AUTHOR: Author = { userId: SYSTEM_USER, role: "system", name: "Percorso" };

/** The people of every programme, written through to storage, held in memory. */
export class People {
  private readonly store: CatalogueStore;
  private readonly tokens: Tokens;
  private readonly people = new Map<string, Person>();
  private readonly anonIds = new Map<string, Person>();

  private constructor(store: CatalogueStore, tokens: Tokens) {
    this.store = store;
    this.tokens = tokens;
  }

  static async open(store: CatalogueStore, tokens: Tokens): Promise<People> {
    const people = new People(store, tokens);
    for (const record of await store.listRecords(PERSON)) {
      people.remember(record as Person);
    }
    return people;
  }

  private remember(person: Person): void {
    this.people.set(person.id, person);
    this.anonIds.set(person.anonId, person);
  }

  /** The person behind an anonymous id (the server's secret: never sent to anyone). */
  byAnonId(anonId: string): Person | undefined {
    return this.anonIds.get(anonId);
  }

  /**
   * Who is of which kind of actor, by anonymous id, read fresh: for totals by kind (reactions
   * per section), which are all that leave the server.
   */
  async actorKinds(): Promise<(anonId: string) => ActorKind | undefined> {
    await this.refresh();
    return (anonId) => {
      const kind = this.byAnonId(anonId)?.actorKind;
      return kind !== undefined && (ACTOR_KINDS as readonly string[]).includes(kind)
        ? (kind as ActorKind)
        : undefined;
    };
  }

  /** Reads every person again (others may have joined on another process). */
  async refresh(): Promise<void> {
    for (const record of await this.store.listRecords(PERSON)) this.remember(record as Person);
  }

  get(id: string): Person | undefined {
    return this.people.get(id);
  }

  /** How many people joined through each invite (the invites list shows it, not who). */
  joinedPerInvite(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const person of this.people.values()) {
      counts.set(person.inviteId, (counts.get(person.inviteId) ?? 0) + 1);
    }
    return counts;
  }

  /** A person, from memory or (made by another process) from storage. */
  async find(id: string): Promise<Person | undefined> {
    const known = this.people.get(id);
    if (known !== undefined) return known;
    const record = (await this.store.getRecord(PERSON, id)) as Person | undefined;
    if (record !== undefined) this.remember(record);
    return record;
  }

  /** Makes a person from an invite and hands back their personal token. */
  async join(
    invite: TokenClaims,
    details: { name: string; actorKind: ActorKind; anonymous: boolean },
  ): Promise<{ person: Person; token: string; claims: TokenClaims }> {
    const id = `u-${randomUUID()}`;
    const person: Person = {
      id,
      anonId: this.tokens.anonIdOf(id),
      name: details.name,
      actorKind: details.actorKind,
      anonymous: details.anonymous,
      role: invite.role,
      programmeId: invite.programmeId,
      seminarId: invite.seminarId ?? null,
      inviteId: invite.inviteId,
      createdMs: Date.now(),
    };
    await this.store.putRecord(PERSON, id, person);
    this.remember(person);
    const { token, claims } = await this.tokens.issuePersonal(invite, id);
    return { person, token, claims };
  }

  /**
   * The writer behind verified claims: the person of a personal token; the trusted admin for
   * `ADMIN_TOKEN`; a writer with no identity for an invite used directly (it may read and write
   * shared text, never an item that carries an identity).
   */
  writerOf(claims: TokenClaims): Writer {
    const person = claims.sub === undefined ? undefined : this.people.get(claims.sub);
    if (person !== undefined) {
      return {
        role: claims.role,
        userId: person.id,
        anonId: person.anonId,
        name: person.name,
        actorKind: person.actorKind,
      };
    }
    if (claims.jti === ADMIN_TOKEN_ID) {
      return { role: "admin", userId: null, anonId: null, name: ADMIN_NAME };
    }
    return { role: claims.role, userId: null, anonId: null, name: "" };
  }
}
