import { diffWords } from "diff";
import {
  addVersion,
  blockKey,
  blockText,
  chapterBlocks,
  chapterRange,
  draftDocumentName,
  listVersions,
  type Block,
  type DraftVersion,
  type Programme,
} from "@percorso/schema";
import type * as Y from "yjs";
import { documentAt, restoreTo } from "../collab/history.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { invalidInput, notFound } from "../errors.ts";
import { applyBlocks } from "./merge.ts";
import type { Author, DocumentStore } from "../storage/storage.ts";

export interface VersionDeps {
  registry: DocumentRegistry;
  store: DocumentStore;
}

/** The draft's body as blocks of plain text (for views, redlines and exports). */
export function bodyTexts(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment("body")
    .toArray()
    .map((node) => blockText(node as Block));
}

/** A word-level redline between two texts (pure: it runs in a worker thread too). */
export function redline(then: string, now: string) {
  return {
    changes: diffWords(then, now).map(({ value, added, removed }) => ({
      value,
      ...(added ? { added: true } : {}),
      ...(removed ? { removed: true } : {}),
    })),
  };
}

/** A part of a redline: kept, added or removed words, or `skipped` unchanged paragraphs. */
export interface RedlineChange {
  value: string;
  added?: boolean;
  removed?: boolean;
  /** How many unchanged paragraphs are left out here (value is then empty). */
  skipped?: number;
}

const PARAGRAPH_BREAK = "\n\n";

/**
 * The redline of two texts whose paragraphs are joined by blank lines, with only the changes
 * and `context` paragraphs around each shown (issue 22): a long stretch of unchanged
 * paragraphs becomes one `skipped` part, so comparing two versions shows what changed, not
 * the whole document again.
 */
export function redlineWithContext(
  then: string,
  now: string,
  context = 1,
): { changes: RedlineChange[] } {
  const changes: RedlineChange[] = redline(then, now).changes;
  const changed = (change: RedlineChange | undefined) =>
    change !== undefined && (change.added === true || change.removed === true);
  const folded: RedlineChange[] = [];
  changes.forEach((change, i) => {
    if (changed(change)) {
      folded.push(change);
      return;
    }
    // parts[0] ends the paragraph of the change before, parts.at(-1) begins the next one's.
    const parts = change.value.split(PARAGRAPH_BREAK);
    const before = changed(changes[i - 1]);
    const after = changed(changes[i + 1]);
    const last = parts.length - 1;
    const headEnd = before ? Math.min(last, context) : -1; // parts [0, headEnd] shown
    const tailStart = after ? Math.max(0, last - context) : last + 1; // parts [tailStart, last]
    const skipped = tailStart - headEnd - 1;
    if (skipped <= 0) {
      folded.push(change);
      return;
    }
    const head = parts.slice(0, headEnd + 1).join(PARAGRAPH_BREAK);
    const tail = parts.slice(tailStart).join(PARAGRAPH_BREAK);
    if (headEnd >= 0) folded.push({ value: head + PARAGRAPH_BREAK });
    folded.push({ value: "", skipped });
    if (tailStart <= last) folded.push({ value: PARAGRAPH_BREAK + tail });
  });
  return { changes: folded };
}

/**
 * Named versions of the draft (issue 9), standing on the attributed history: a version is a
 * moment; its text is rebuilt from the log, compared with another moment, restored as a new
 * attributed change of the body.
 */
export class DraftVersions {
  private readonly deps: VersionDeps;

  constructor(deps: VersionDeps) {
    this.deps = deps;
  }

  private scope(programme: Programme) {
    return { kind: "draft" as const, id: programme.id, programmeId: programme.id };
  }

  list(programme: Programme): Promise<DraftVersion[]> {
    return this.deps.registry.read(draftDocumentName(programme.id), listVersions);
  }

  async get(programme: Programme, id: string): Promise<DraftVersion> {
    const version = (await this.list(programme)).find((candidate) => candidate.id === id);
    if (version === undefined) throw notFound(`No version '${id}' of the draft`);
    return version;
  }

  /** Names the draft as it is now. */
  async create(programme: Programme, label: string, author: Author): Promise<DraftVersion> {
    const name = draftDocumentName(programme.id);
    return this.deps.registry.withDocument(name, this.scope(programme), async (live) => {
      await live.flushed();
      const at = Date.now();
      const [last] = await this.deps.store.history(name, { limit: 1 });
      const version = { label, at, by: author.name, seq: last?.seq ?? 0 };
      let id = "";
      live.change(author, (doc) => {
        id = addVersion(doc, version);
      });
      await live.flushed();
      return { id, ...version };
    });
  }

  /** Runs `read` on the draft as it was at a version (or now, for `"now"`). */
  async at<T>(programme: Programme, ref: string, read: (doc: Y.Doc) => T): Promise<T> {
    const name = draftDocumentName(programme.id);
    if (ref === "now") return this.deps.registry.read(name, read);
    const version = await this.get(programme, ref);
    const { doc } = await documentAt(this.deps.store, name, version.at);
    try {
      return read(doc);
    } finally {
      doc.destroy();
    }
  }

  /**
   * The draft at a version (or now) as updates to apply, decoded by nobody here: the live
   * document's shared encoded state, or the log up to the version's moment (a worker replays it).
   */
  async encodedAt(programme: Programme, ref: string): Promise<Uint8Array[]> {
    const name = draftDocumentName(programme.id);
    if (ref === "now") return this.deps.registry.encoded(name);
    const version = await this.get(programme, ref);
    const { base, updates } = await this.deps.store.stateAt(name, version.at);
    return base === null ? updates : [base, ...updates];
  }

  /** A word-level redline of the body between two versions (either may be `"now"`). */
  async compare(programme: Programme, from: string, to: string) {
    if (from === to) throw invalidInput("Compare two different versions");
    const then = (await this.at(programme, from, bodyTexts)).join("\n\n");
    const now = (await this.at(programme, to, bodyTexts)).join("\n\n");
    return { from, to, ...redlineWithContext(then, now) };
  }

  /**
   * Makes the body — or only one chapter of it — what it was at a version, as one new change
   * by `author` (a chapter's restore leaves everyone's edits elsewhere as they are).
   */
  async restore(
    programme: Programme,
    id: string,
    author: Author,
    chapter?: string,
  ): Promise<DraftVersion> {
    const version = await this.get(programme, id);
    const name = draftDocumentName(programme.id);
    const { doc: past } = await documentAt(this.deps.store, name, version.at);
    try {
      await this.deps.registry.withDocument(name, this.scope(programme), async (live) => {
        let failure: unknown = null;
        live.change(author, (doc) => {
          if (chapter === undefined) return restoreTo(doc, past, "draft", ["body"]);
          const body = doc.getXmlFragment("body");
          const range = chapterRange(body, chapter);
          const then = chapterBlocks(past.getXmlFragment("body"), chapter);
          if (range === null || then === null) {
            failure = notFound(`No chapter '${chapter}' in the draft or in that version`);
            return;
          }
          const nodes = new Map(then.map((block) => [blockKey(block), block] as const));
          const current = (chapterBlocks(body, chapter) ?? []).map(blockKey);
          applyBlocks(body, range.start, current, then.map(blockKey), nodes);
        });
        if (failure !== null) throw failure;
        await live.flushed();
      });
    } finally {
      past.destroy();
    }
    return version;
  }
}
