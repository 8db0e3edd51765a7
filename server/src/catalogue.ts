import * as Y from "yjs";
import { SYSTEM_AUTHOR } from "./people.ts";
import {
  TOSCANA_2021,
  draftDocumentName,
  initDraftDocument,
  initSeminarDocument,
  programmeDocumentName,
  seminarDocumentName,
  type DocumentName,
  type DocumentScope,
  type Programme,
  type SeminarInfo,
  type SeminarStatus,
} from "@percorso/schema";
import type { Storage } from "./storage/storage.ts";
import type { Logger } from "./logger.ts";
import { conflict } from "./errors.ts";

const PROGRAMME = "programme";
const SEMINAR_STATUS = "seminar-status";

/**
 * The programmes and their seminars (REST metadata), and which documents exist. Held in
 * memory after boot; every change is written through to storage.
 */
export class Catalogue {
  private readonly storage: Storage;
  private readonly programmes = new Map<string, Programme>();
  /** Each seminar's `session.status`, as its document last said (for the overview). */
  private readonly statuses = new Map<string, SeminarStatus>();
  /** Programme and seminar ids of programmes being created right now. */
  private readonly reserved = new Set<string>();
  private readonly changeListeners = new Set<() => void>();

  /** Calls `listener` after a programme is added or edited here. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.changeListeners) listener();
  }

  private constructor(storage: Storage) {
    this.storage = storage;
  }

  static async open(storage: Storage, log: Logger): Promise<Catalogue> {
    const catalogue = new Catalogue(storage);
    // Processes booting together on one database: one seeds, the others read its seed.
    await storage.exclusive("seed", async () => {
      await catalogue.reload();
      if (catalogue.programmes.size === 0) {
        await catalogue.create(TOSCANA_2021);
        log.info({ programme: TOSCANA_2021.id }, "seeded the programme of the brief");
      }
    });
    return catalogue;
  }

  /** Reads programmes and seminar statuses from storage again (another process changed them). */
  async reload(): Promise<void> {
    for (const record of await this.storage.listRecords(PROGRAMME)) {
      const programme = record as Programme;
      this.programmes.set(programme.id, programme);
    }
    for (const record of await this.storage.listRecords(SEMINAR_STATUS)) {
      const { id, status } = record as { id: string; status: SeminarStatus };
      this.statuses.set(id, status);
    }
  }

  list(): Programme[] {
    return [...this.programmes.values()];
  }

  get(id: string): Programme | undefined {
    return this.programmes.get(id);
  }

  /** Whether any programme (or one being created) has a seminar with this id. */
  hasSeminar(seminarId: string): boolean {
    if (this.reserved.has(`seminar:${seminarId}`)) return true;
    return this.list().some((p) => p.seminars.some((seminar) => seminar.id === seminarId));
  }

  /** A seminar of a programme, with its programme; undefined when either is unknown. */
  findSeminar(
    programmeId: string,
    seminarId: string,
  ): { programme: Programme; seminar: SeminarInfo } | undefined {
    const programme = this.programmes.get(programmeId);
    const seminar = programme?.seminars.find((s) => s.id === seminarId);
    return programme && seminar ? { programme, seminar } : undefined;
  }

  /**
   * Adds a new programme (admin): 409 when its id or one of its seminar ids is taken. Ids are
   * reserved while the documents are written, so two concurrent requests cannot both win.
   */
  async add(programme: Programme): Promise<void> {
    const keys = [
      `programme:${programme.id}`,
      ...programme.seminars.map((seminar) => `seminar:${seminar.id}`),
    ];
    if (this.programmes.has(programme.id) || this.reserved.has(keys[0]!)) {
      throw conflict(`A programme '${programme.id}' already exists`, {
        id: ["This id is taken"],
      });
    }
    const taken: Record<string, string[]> = {};
    programme.seminars.forEach((seminar, index) => {
      if (this.hasSeminar(seminar.id)) taken[`seminars.${index}.id`] = ["This id is taken"];
    });
    if (Object.keys(taken).length > 0) throw conflict("A seminar id is already in use", taken);
    for (const key of keys) this.reserved.add(key);
    try {
      await this.create(programme);
    } finally {
      for (const key of keys) this.reserved.delete(key);
    }
  }

  /** Replaces a programme's metadata (its documents are left as they are). */
  async update(programme: Programme): Promise<void> {
    if (!this.programmes.has(programme.id)) throw new Error(`No programme ${programme.id}`);
    await this.storage.putRecord(PROGRAMME, programme.id, programme);
    this.programmes.set(programme.id, programme);
    this.changed();
  }

  /**
   * Stores a programme and writes the initial state of its documents. Each document is
   * initialised over what storage already holds (the init functions are idempotent), so a
   * create interrupted by a crash and tried again does not write the starter content twice.
   */
  private async create(programme: Programme): Promise<void> {
    for (const seminar of programme.seminars) {
      await this.initialise(seminarDocumentName(seminar.id), (doc) =>
        initSeminarDocument(doc, seminar),
      );
    }
    await this.initialise(draftDocumentName(programme.id), (doc) =>
      initDraftDocument(doc, programme),
    );
    await this.storage.putRecord(PROGRAMME, programme.id, programme);
    this.programmes.set(programme.id, programme);
    this.changed();
  }

  private async initialise(name: string, init: (doc: Y.Doc) => void): Promise<void> {
    const stored = await this.storage.load(name);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    const before = Y.encodeStateVector(doc);
    init(doc);
    const update = Y.encodeStateAsUpdate(doc, before);
    // An empty update is two zero bytes: nothing was written.
    if (update.some((byte) => byte !== 0)) {
      // The server's own write, in the attributed log, its client id bound to the system.
      await this.storage.appendUpdates(name, [
        {
          update,
          ...SYSTEM_AUTHOR,
          at: Date.now(),
          anonymous: false,
          binds: [{ clientId: doc.clientID, userId: SYSTEM_AUTHOR.userId, anonymous: false }],
        },
      ]);
    }
    doc.destroy();
  }

  /** A seminar's status as another process recorded it (already stored there). */
  rememberSeminarStatus(seminarId: string, status: SeminarStatus): void {
    this.statuses.set(seminarId, status);
  }

  /** Records a seminar's status when its document changes it. */
  async setSeminarStatus(seminarId: string, status: SeminarStatus): Promise<void> {
    if (this.statuses.get(seminarId) === status) return;
    this.statuses.set(seminarId, status);
    await this.storage.putRecord(SEMINAR_STATUS, seminarId, { id: seminarId, status });
  }

  /** The programme a document belongs to, or null when no such document exists. */
  scopeOf(name: DocumentName): DocumentScope | null {
    if (name.kind === "seminar") {
      for (const programme of this.programmes.values()) {
        if (programme.seminars.some((seminar) => seminar.id === name.id)) {
          return { kind: "seminar", id: name.id, programmeId: programme.id };
        }
      }
      return null;
    }
    return this.programmes.has(name.id) ? { ...name, programmeId: name.id } : null;
  }

  /** The programme as the REST API shows it, with its document names. */
  describe(programme: Programme) {
    return {
      ...programme,
      document: programmeDocumentName(programme.id),
      draftDocument: draftDocumentName(programme.id),
      seminars: programme.seminars.map((seminar) => ({
        ...seminar,
        facilitators: seminar.facilitators ?? [],
        document: seminarDocumentName(seminar.id),
        status: this.statuses.get(seminar.id) ?? "scheduled",
      })),
    };
  }
}
