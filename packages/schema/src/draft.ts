import * as Y from "yjs";
import type { Programme } from "./programme.ts";
import { REACTIONS, type Reaction } from "./types.ts";
import { headingNode, paragraphNode, textOf } from "./xml.ts";
import {
  removeById,
  newId,
  now,
  readString,
  transactAs,
  type MutationOptions,
  uniqueById,
} from "./yhelpers.ts";

/**
 * Typed accessors and mutations of a `draft:<programmeId>` document (DESIGN.md §5): the
 * orientation document's `body`, the provenance of each chapter's roll-up (`sources`), and
 * the plenary's `comments` and `reactions`, both keyed by section.
 */

export interface DraftComment {
  id: string;
  section: string;
  text: string;
  author: string;
  authorId: string;
  createdAt: number;
  /** Encoded Yjs relative positions (base64) of the commented passage, when on a passage. */
  anchor: string | null;
  head: string | null;
  /** The comment this one answers. */
  parentId: string | null;
  resolved: boolean;
  /** The words commented, as they were (kept when the passage is later deleted). */
  quote: string | null;
}

export const draftRoots = (doc: Y.Doc) => ({
  body: doc.getXmlFragment("body"),
  sources: doc.getMap<unknown>("sources"),
  comments: doc.getArray<Y.Map<unknown>>("comments"),
  reactions: doc.getMap<Y.Map<Reaction>>("reactions"),
  suggestions: doc.getArray<Y.Map<unknown>>("suggestions"),
  versions: doc.getArray<Y.Map<unknown>>("versions"),
  plenary: doc.getMap<unknown>("plenary"),
});

/** A section key for a chapter title: a lowercase ASCII slug. */
export function sectionKey(title: string): string {
  return title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

/**
 * Writes the draft's skeleton: a title, then a heading and an empty paragraph per chapter.
 * Idempotent: a draft with a body is left alone.
 */
export function initDraftDocument(
  doc: Y.Doc,
  programme: Programme,
  options: MutationOptions = {},
): void {
  const { body, reactions } = draftRoots(doc);
  if (body.length > 0) return;
  doc.transact(() => {
    body.push([headingNode(1, programme.title)]);
    for (const chapter of programme.draftChapters) {
      body.push([headingNode(2, chapter), paragraphNode()]);
      // Created here, once: two peers creating a section's map concurrently would each
      // write their own, and the reactions in the losing one would be lost.
      reactions.set(sectionKey(chapter), new Y.Map<Reaction>());
    }
  }, options.origin);
}

/** The chapter headings of the body (level 2), in order, with their section keys. */
export function listSections(doc: Y.Doc): { key: string; title: string }[] {
  const result: { key: string; title: string }[] = [];
  for (const node of draftRoots(doc).body.toArray()) {
    if (node instanceof Y.XmlElement && node.nodeName === "heading") {
      const level = node.getAttribute("level") as unknown;
      if (Number(level) !== 2) continue;
      const title = textOf(node).trim();
      if (title) result.push({ key: sectionKey(title), title });
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Comments (everyone but observers)

export interface NewComment {
  section: string;
  text: string;
  author: string;
  authorId: string;
  anchor?: string | null;
  head?: string | null;
  parentId?: string | null;
  quote?: string | null;
}

export function addComment(doc: Y.Doc, comment: NewComment, options: MutationOptions = {}): string {
  const text = comment.text.trim();
  if (text === "") throw new Error("A comment needs some text.");
  const id = options.id ?? newId();
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("section", comment.section);
  item.set("text", text);
  item.set("author", comment.author.trim());
  item.set("authorId", comment.authorId);
  item.set("createdAt", now(options));
  if (comment.anchor) item.set("anchor", comment.anchor);
  if (comment.head) item.set("head", comment.head);
  if (comment.parentId) item.set("parentId", comment.parentId);
  if (comment.quote) item.set("quote", comment.quote.slice(0, 1000));
  item.set("resolved", false);
  transactAs(doc, options, () => draftRoots(doc).comments.push([item]));
  return id;
}

export function removeComment(
  doc: Y.Doc,
  commentId: string,
  options: MutationOptions = {},
): boolean {
  return removeById(draftRoots(doc).comments, commentId, options);
}

export function listComments(doc: Y.Doc, section?: string): DraftComment[] {
  const result: DraftComment[] = [];
  for (const item of uniqueById(draftRoots(doc).comments)) {
    const id = readString(item.get("id"));
    const itemSection = readString(item.get("section"));
    const text = readString(item.get("text"));
    const createdAt = item.get("createdAt");
    if (!id || !itemSection || text === undefined || typeof createdAt !== "number") continue;
    if (section !== undefined && itemSection !== section) continue;
    result.push({
      id,
      section: itemSection,
      text,
      author: readString(item.get("author")) ?? "",
      authorId: readString(item.get("authorId")) ?? "",
      createdAt,
      anchor: readString(item.get("anchor")) ?? null,
      head: readString(item.get("head")) ?? null,
      parentId: readString(item.get("parentId")) ?? null,
      resolved: item.get("resolved") === true,
      quote: readString(item.get("quote")) ?? null,
    });
  }
  return result;
}

/** Marks a comment (and its thread) resolved or open again: its author, or a drafter. */
export function setCommentResolved(
  doc: Y.Doc,
  commentId: string,
  resolved: boolean,
  options: MutationOptions = {},
): boolean {
  const item = draftRoots(doc)
    .comments.toArray()
    .find((comment) => comment.get("id") === commentId);
  if (!item) return false;
  transactAs(doc, options, () => item.set("resolved", resolved));
  return true;
}

// ---------------------------------------------------------------------------------------
// Reactions (everyone but observers)

/**
 * Sets the reaction of `userId` (the person's anonymous id) to a section; `null` withdraws it. Chapters seeded by
 * `initDraftDocument` have their map already; a new section's map is created here, and
 * reactions given concurrently by two peers to a brand-new section may keep only one side.
 */
export function setReaction(
  doc: Y.Doc,
  section: string,
  userId: string,
  reaction: Reaction | null,
  options: MutationOptions = {},
): void {
  const reactions = draftRoots(doc).reactions;
  transactAs(doc, options, () => {
    let bySection = reactions.get(section);
    if (!(bySection instanceof Y.Map)) {
      if (reaction === null) return;
      bySection = new Y.Map<Reaction>();
      reactions.set(section, bySection);
    }
    if (reaction === null) bySection.delete(userId);
    else bySection.set(userId, reaction);
  });
}

export type ReactionTally = Record<Reaction, number>;

export function tallyReactions(doc: Y.Doc, section: string): ReactionTally {
  const tally: ReactionTally = { agree: 0, disagree: 0, abstain: 0 };
  const bySection = draftRoots(doc).reactions.get(section);
  if (!(bySection instanceof Y.Map)) return tally;
  for (const value of bySection.values()) {
    if ((REACTIONS as readonly unknown[]).includes(value)) tally[value] += 1;
  }
  return tally;
}

export function reactionOf(doc: Y.Doc, section: string, userId: string): Reaction | null {
  const bySection = draftRoots(doc).reactions.get(section);
  if (!(bySection instanceof Y.Map)) return null;
  const value = bySection.get(userId);
  return (REACTIONS as readonly unknown[]).includes(value) ? (value as Reaction) : null;
}

// ---------------------------------------------------------------------------------------
// Versions (drafter, through the server)

/** A named version of the draft: the moment it stands for, in the attributed history. */
export interface DraftVersion {
  id: string;
  label: string;
  /** Epoch ms: the draft as it was then is the version. */
  at: number;
  by: string;
  /** The history sequence number of the last update the version includes. */
  seq: number;
}

/**
 * A cited answer with everything a reader of the draft needs to follow the citation back to
 * the room (`GET /api/programmes/:pid/answers/:answerId`): the question, the seminar, the
 * votes, the author or "anonimo".
 */
export interface CitedAnswer {
  answer: {
    id: string;
    text: string;
    /** The display name; empty when the answer is anonymous. */
    author: string;
    anonymous: boolean;
    actorKind: string | null;
    createdAt: number;
    votes: number;
    /** Set when the facilitator hid the answer or merged it into another. */
    moderation: "hidden" | "merged" | null;
  };
  question: { id: string; text: string } | null;
  seminar: { id: string; number: number; title: string; date: string };
  /** Where the answer is in the web app. */
  link: string;
}

export function addVersion(
  doc: Y.Doc,
  version: Omit<DraftVersion, "id">,
  options: MutationOptions = {},
): string {
  const id = options.id ?? newId();
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("label", version.label.trim());
  item.set("at", version.at);
  item.set("by", version.by);
  item.set("seq", version.seq);
  transactAs(doc, options, () => draftRoots(doc).versions.push([item]));
  return id;
}

export function listVersions(doc: Y.Doc): DraftVersion[] {
  const result: DraftVersion[] = [];
  for (const item of uniqueById(draftRoots(doc).versions)) {
    const id = readString(item.get("id"));
    const label = readString(item.get("label"));
    const at = item.get("at");
    const seq = item.get("seq");
    if (!id || label === undefined || typeof at !== "number") continue;
    result.push({
      id,
      label,
      at,
      by: readString(item.get("by")) ?? "",
      seq: typeof seq === "number" ? seq : 0,
    });
  }
  return result;
}
