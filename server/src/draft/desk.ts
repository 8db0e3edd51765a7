import { diffWords, type Change } from "diff";
import type * as Y from "yjs";
import {
  blockKey,
  blockText,
  chapterBlocks,
  chapterOfSeminar,
  chapterRange,
  draftDocumentName,
  readRollupSources,
  sectionKey,
  seminarBlocks,
  seminarDocumentName,
  setRollupSource,
  writeChapter,
  type Block,
  type Programme,
  type RollupMode,
  type RollupSource,
} from "@percorso/schema";
import type { DocumentRegistry } from "../collab/registry.ts";
import { conflict, notFound } from "../errors.ts";
import type { Author, DocumentStore } from "../storage/storage.ts";
import {
  applyBlocks,
  mergeBlocks,
  mergeToken,
  resolveMerge,
  type MergeRegion,
  type Resolution,
} from "./merge.ts";

/** A chapter fed by a seminar, and the state of its roll-up, as the roll-up panel shows it. */
export interface SourceStatus {
  chapter: string;
  chapterTitle: string;
  seminarId: string;
  seminarNumber: number;
  seminarTitle: string;
  rolledUpAt: number | null;
  by: string | null;
  mode: RollupMode | null;
  /** The seminar's text changed since the roll-up. */
  stale: boolean;
  /** When the seminar document last changed after the roll-up (epoch ms), when stale. */
  sourceChangedAt?: number;
}

export interface DeskDeps {
  registry: DocumentRegistry;
  store: DocumentStore;
}

/** A seminar's current text as chapter blocks (scratch nodes, disposed by the caller). */
type Current = ReturnType<typeof seminarBlocks>;

/**
 * The drafting team's desk on the server (DESIGN.md §5): roll a seminar's recommendations into
 * its chapter, tell which chapters changed at the source, show how, and take the change in by
 * replacing, by a three-way merge, or by ignoring it. Every write is one change to the draft
 * under the drafter's name, in the attributed log.
 */
export class DraftDesk {
  private readonly deps: DeskDeps;

  constructor(deps: DeskDeps) {
    this.deps = deps;
  }

  private chapterOf(programme: Programme, seminarId: string): { key: string; title: string } {
    if (!programme.seminars.some((seminar) => seminar.id === seminarId)) {
      throw notFound(`No seminar '${seminarId}' in programme '${programme.id}'`);
    }
    const title = chapterOfSeminar(programme, seminarId);
    if (title === undefined) throw conflict(`The draft has no chapter for seminar '${seminarId}'`);
    return { key: sectionKey(title), title };
  }

  private seminarOfChapter(programme: Programme, chapter: string): string {
    const seminar = programme.seminars.find((candidate) => {
      const title = chapterOfSeminar(programme, candidate.id);
      return title !== undefined && sectionKey(title) === chapter;
    });
    if (seminar === undefined) throw notFound(`No chapter '${chapter}' fed by a seminar`);
    return seminar.id;
  }

  private current(seminarId: string): Promise<Current> {
    return this.deps.registry.read(seminarDocumentName(seminarId), (doc) =>
      seminarBlocks(doc.getXmlFragment("recommendations"), seminarId),
    );
  }

  private sources(programme: Programme): Promise<Map<string, RollupSource>> {
    return this.deps.registry.read(draftDocumentName(programme.id), readRollupSources);
  }

  /** Runs `change` on the live draft as `author`, and waits for it to be durable. */
  private async write(
    programme: Programme,
    author: Author,
    change: (doc: Y.Doc) => void,
  ): Promise<void> {
    const name = draftDocumentName(programme.id);
    const scope = { kind: "draft" as const, id: programme.id, programmeId: programme.id };
    await this.deps.registry.withDocument(name, scope, async (live) => {
      let failure: unknown = null;
      live.change(author, (doc) => {
        try {
          change(doc);
        } catch (error) {
          failure = error;
        }
      });
      if (failure !== null) throw failure;
      await live.flushed();
    });
  }

  private record(
    current: Current,
    seminarId: string,
    author: Author,
    mode: RollupMode,
  ): RollupSource {
    return {
      seminarId,
      rolledUpAt: Date.now(),
      by: author.name,
      mode,
      blocks: current.keys,
      texts: current.texts,
    };
  }

  /** Rolls a seminar's current recommendations into its chapter (replacing or appending). */
  async rollUp(
    programme: Programme,
    seminarId: string,
    mode: "replace" | "append",
    author: Author,
  ): Promise<{ chapter: string; source: RollupSource }> {
    const { key } = this.chapterOf(programme, seminarId);
    const current = await this.current(seminarId);
    try {
      const source = this.record(current, seminarId, author, mode);
      await this.write(programme, author, (doc) => {
        if (!writeChapter(doc.getXmlFragment("body"), key, current.blocks, mode)) {
          throw conflict(`The draft has no heading for chapter '${key}'`);
        }
        setRollupSource(doc, key, source);
      });
      return { chapter: key, source };
    } finally {
      current.dispose();
    }
  }

  /** Every chapter fed by a seminar: rolled up or not, and whether its source changed since. */
  async status(programme: Programme): Promise<SourceStatus[]> {
    const sources = await this.sources(programme);
    const ordered = [...programme.seminars].sort((a, b) => a.number - b.number);
    const result: SourceStatus[] = [];
    for (const seminar of ordered) {
      const title = chapterOfSeminar(programme, seminar.id);
      if (title === undefined) continue;
      const chapter = sectionKey(title);
      const source = sources.get(chapter);
      const base = {
        chapter,
        chapterTitle: title,
        seminarId: seminar.id,
        seminarNumber: seminar.number,
        seminarTitle: seminar.title,
      };
      if (source === undefined || source.seminarId !== seminar.id) {
        result.push({ ...base, rolledUpAt: null, by: null, mode: null, stale: false });
        continue;
      }
      const current = await this.current(seminar.id);
      const stale = JSON.stringify(current.keys) !== JSON.stringify(source.blocks);
      current.dispose();
      const entry: SourceStatus = {
        ...base,
        rolledUpAt: source.rolledUpAt,
        by: source.by,
        mode: source.mode,
        stale,
      };
      if (stale) {
        const [last] = await this.deps.store.history(seminarDocumentName(seminar.id), {
          from: source.rolledUpAt + 1,
          limit: 1,
        });
        if (last !== undefined) entry.sourceChangedAt = last.at;
      }
      result.push(entry);
    }
    return result;
  }

  private async rolledUp(programme: Programme, chapter: string) {
    const seminarId = this.seminarOfChapter(programme, chapter);
    const source = (await this.sources(programme)).get(chapter);
    if (source === undefined || source.seminarId !== seminarId) {
      throw conflict(`Chapter '${chapter}' has not been rolled up yet`);
    }
    return { seminarId, source };
  }

  /** The source then (at roll-up) and now, and a word-level redline between them. */
  async diff(programme: Programme, chapter: string) {
    const { seminarId, source } = await this.rolledUp(programme, chapter);
    const current = await this.current(seminarId);
    const now = current.texts.join("\n\n");
    current.dispose();
    const then = source.texts.join("\n\n");
    const changes: Change[] = diffWords(then, now);
    return {
      chapter,
      seminarId,
      rolledUpAt: source.rolledUpAt,
      by: source.by,
      stale: then !== now,
      then,
      now,
      changes: changes.map(({ value, added, removed }) => ({
        value,
        ...(added ? { added: true } : {}),
        ...(removed ? { removed: true } : {}),
      })),
    };
  }

  private async mergeInputs(programme: Programme, chapter: string) {
    const { seminarId, source } = await this.rolledUp(programme, chapter);
    const current = await this.current(seminarId);
    const ours = await this.deps.registry.read(draftDocumentName(programme.id), (doc) =>
      (chapterBlocks(doc.getXmlFragment("body"), chapter) ?? []).map((block) => ({
        key: blockKey(block),
        text: blockText(block),
      })),
    );
    const oursKeys = ours.map((block) => block.key);
    const regions = mergeBlocks(source.blocks, oursKeys, current.keys);
    const token = mergeToken(source.blocks, oursKeys, current.keys);
    // Readable text for every key the preview may show.
    const texts = new Map<string, string>();
    source.blocks.forEach((key, i) => texts.set(key, source.texts[i] ?? ""));
    ours.forEach(({ key, text }) => texts.set(key, text));
    current.keys.forEach((key, i) => texts.set(key, current.texts[i] ?? ""));
    return { seminarId, source, current, oursKeys, regions, token, texts };
  }

  /** What a three-way merge would do: the clean parts and the conflicts, as text. */
  async mergePreview(programme: Programme, chapter: string) {
    const { current, regions, token, texts } = await this.mergeInputs(programme, chapter);
    current.dispose();
    const text = (keys: string[]) => keys.map((key) => texts.get(key) ?? "");
    return {
      chapter,
      token,
      conflicts: regions.filter((region) => region.kind === "conflict").length,
      regions: regions.map((region: MergeRegion) =>
        region.kind === "ok"
          ? { kind: "ok" as const, blocks: text(region.keys) }
          : {
              kind: "conflict" as const,
              ours: text(region.ours),
              base: text(region.base),
              theirs: text(region.theirs),
            },
      ),
    };
  }

  /**
   * Takes the source's change into the chapter by a three-way merge: what changed on one side
   * only goes in, each conflict as resolved. Refused (409) when the chapter or the source
   * changed since the preview `token` was made.
   */
  async merge(
    programme: Programme,
    chapter: string,
    token: string,
    resolutions: readonly Resolution[],
    author: Author,
  ): Promise<{ chapter: string; source: RollupSource }> {
    const inputs = await this.mergeInputs(programme, chapter);
    const { current, regions, seminarId, oursKeys } = inputs;
    try {
      if (inputs.token !== token) {
        throw conflict(
          "The chapter or its seminar changed since the preview: review the merge again",
        );
      }
      let merged: string[];
      try {
        merged = resolveMerge(regions, resolutions);
      } catch (error) {
        throw conflict(error instanceof Error ? error.message : String(error));
      }
      const source = this.record(current, seminarId, author, "merge");
      await this.write(programme, author, (doc) => {
        const body = doc.getXmlFragment("body");
        const range = chapterRange(body, chapter);
        if (range === null) throw conflict(`The draft has no heading for chapter '${chapter}'`);
        const nodes = new Map<string, Block>();
        current.blocks.forEach((block, i) => nodes.set(current.keys[i]!, block));
        (chapterBlocks(body, chapter) ?? []).forEach((block) => nodes.set(blockKey(block), block));
        applyBlocks(body, range.start, oursKeys, merged, nodes);
        setRollupSource(doc, chapter, source);
      });
      return { chapter, source };
    } finally {
      current.dispose();
    }
  }

  /** Keeps the chapter as it is and takes the source as it is now as the new base. */
  async ignore(programme: Programme, chapter: string, author: Author) {
    const { seminarId } = await this.rolledUp(programme, chapter);
    const current = await this.current(seminarId);
    try {
      const source = this.record(current, seminarId, author, "ignore");
      await this.write(programme, author, (doc) => setRollupSource(doc, chapter, source));
      return { chapter, source };
    } finally {
      current.dispose();
    }
  }
}
