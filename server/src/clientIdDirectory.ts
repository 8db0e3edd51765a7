import { randomInt } from "node:crypto";
import type { ClientBinding, CatalogueStore } from "./storage/storage.ts";

const RESERVED = "client-id";

/** A pair of Yjs client ids for one page load of one person (DESIGN.md §4.1). */
export interface ClientIdPair {
  /** For the document itself: text, signed items, the named presence. */
  named: number;
  /** For the person's anonymous acts only: votes, reactions, support, anonymous items. */
  anonymous: number;
}

export interface ClientIdDirectoryOptions {
  /** Pairs one person may be handed (`MAX_CLIENT_ID_PAIRS_PER_PERSON`). */
  maxPairsPerPerson: number;
  /** Tells the other processes of new bindings (the bus). */
  announce: (bindings: ClientBinding[]) => void;
}

/**
 * The Yjs client ids the server hands people (`POST /api/join`, `GET /api/me`): a fresh pair on
 * every call, so two tabs of one person never share one, each bound to the person at once — in
 * every document, before it writes — as named or anonymous. A client in any language (Yrs,
 * pycrdt) so learns its ids from the API instead of from refusals, and no client id of the web
 * app is ever undecided.
 *
 * Stored as records (the catalogue store: SQLite, or PostgreSQL shared by every process), held
 * in memory for the synchronous update checks, and told to the other processes over the bus.
 * The link between a person and their anonymous client id is the server's alone: no route
 * returns it to anyone but that person.
 */
export class ClientIdDirectory {
  private readonly store: CatalogueStore;
  private readonly byId = new Map<number, Omit<ClientBinding, "clientId">>();
  /** Client ids handed to each person, for the cap. */
  private readonly countByPerson = new Map<string, number>();
  private readonly options: ClientIdDirectoryOptions;

  private constructor(store: CatalogueStore, options: ClientIdDirectoryOptions) {
    this.store = store;
    this.options = options;
  }

  static async open(
    store: CatalogueStore,
    options: ClientIdDirectoryOptions,
  ): Promise<ClientIdDirectory> {
    const directory = new ClientIdDirectory(store, options);
    for (const record of await store.listRecords(RESERVED)) {
      directory.remember([record as ClientBinding]);
    }
    return directory;
  }

  /** What the directory says of a client id: its person, and whether it is anonymous. */
  readonly reserved = (clientId: number): Omit<ClientBinding, "clientId"> | undefined =>
    this.byId.get(clientId);

  /** Bindings made by another process. */
  remember(bindings: readonly ClientBinding[]): void {
    for (const { clientId, userId, anonymous } of bindings) {
      if (!this.byId.has(clientId)) {
        this.countByPerson.set(userId, (this.countByPerson.get(userId) ?? 0) + 1);
      }
      this.byId.set(clientId, { userId, anonymous });
    }
  }

  /**
   * A fresh pair of client ids for `userId`, stored before it is returned; null once the person
   * has had `maxPairsPerPerson` (their client then makes its own, bound by its first write).
   */
  async allocate(userId: string): Promise<ClientIdPair | null> {
    if ((this.countByPerson.get(userId) ?? 0) >= 2 * this.options.maxPairsPerPerson) return null;
    const named = await this.fresh();
    const anonymous = await this.fresh(named);
    const bindings: ClientBinding[] = [
      { clientId: named, userId, anonymous: false },
      { clientId: anonymous, userId, anonymous: true },
    ];
    for (const binding of bindings) {
      await this.store.putRecord(RESERVED, String(binding.clientId), binding);
    }
    this.remember(bindings);
    this.options.announce(bindings);
    return { named, anonymous };
  }

  /**
   * A client id no one holds: not handed out before (here, or by another process to the shared
   * store). Below 2^31, a positive small integer in every language's Yjs port; drawn at
   * random, so one a stock client made up for itself is as unlikely to collide as two of theirs.
   */
  private async fresh(besides?: number): Promise<number> {
    for (;;) {
      const id = randomInt(1, 0x7fff_ffff);
      if (id === besides || this.byId.has(id)) continue;
      if ((await this.store.getRecord(RESERVED, String(id))) !== undefined) continue;
      return id;
    }
  }
}
