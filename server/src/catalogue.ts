import * as Y from "yjs";
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
  type SeminarStatus,
} from "@percorso/schema";
import type { Storage } from "./storage/storage.ts";
import type { Logger } from "./logger.ts";

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

  private constructor(storage: Storage) {
    this.storage = storage;
  }

  static async open(storage: Storage, log: Logger): Promise<Catalogue> {
    const catalogue = new Catalogue(storage);
    for (const record of await storage.listRecords(PROGRAMME)) {
      const programme = record as Programme;
      catalogue.programmes.set(programme.id, programme);
    }
    for (const record of await storage.listRecords(SEMINAR_STATUS)) {
      const { id, status } = record as { id: string; status: SeminarStatus };
      catalogue.statuses.set(id, status);
    }
    if (catalogue.programmes.size === 0) {
      await catalogue.create(TOSCANA_2021);
      log.info({ programme: TOSCANA_2021.id }, "seeded the programme of the brief");
    }
    return catalogue;
  }

  list(): Programme[] {
    return [...this.programmes.values()];
  }

  get(id: string): Programme | undefined {
    return this.programmes.get(id);
  }

  /** Stores a programme and writes the initial state of its documents. */
  async create(programme: Programme): Promise<void> {
    for (const seminar of programme.seminars) {
      const doc = new Y.Doc();
      initSeminarDocument(doc, seminar);
      await this.storage.appendUpdate(seminarDocumentName(seminar.id), Y.encodeStateAsUpdate(doc));
    }
    const draft = new Y.Doc();
    initDraftDocument(draft, programme);
    await this.storage.appendUpdate(draftDocumentName(programme.id), Y.encodeStateAsUpdate(draft));
    await this.storage.putRecord(PROGRAMME, programme.id, programme);
    this.programmes.set(programme.id, programme);
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
        document: seminarDocumentName(seminar.id),
        status: this.statuses.get(seminar.id) ?? "scheduled",
      })),
    };
  }
}
