import * as Y from "yjs";
import type { SeminarInfo } from "./programme.ts";
import {
  MATERIAL_KINDS,
  QUESTION_STATES,
  SEMINAR_STATUSES,
  type MaterialKind,
  type Phase,
  type QuestionState,
  type SeminarStatus,
} from "./types.ts";
import { headingNode, paragraphNode } from "./xml.ts";
import {
  findById,
  indexById,
  newId,
  now,
  readString,
  removeById,
  setFieldById,
  transactAs,
  type MutationOptions,
  uniqueById,
} from "./yhelpers.ts";

/**
 * Typed accessors and every mutation of a `seminar:<id>` document (DESIGN.md §5). Readers
 * return plain objects and skip items that do not have the shape, so a foreign client's
 * stray write cannot break the room.
 */

export interface SessionState {
  status: SeminarStatus;
  phase: Phase;
  spotlight: string | null;
  timerEndsAt: number | null;
  /** How the projector shows the spotlight question's answers. */
  screenMode: ScreenMode;
  /** The participants' join link the projector shows as a QR code, set by the facilitator. */
  joinUrl: string | null;
  /** When the seminar first went live (epoch ms), for the session clock. */
  startedAt: number | null;
}

export const SCREEN_MODES = ["cards", "cloud"] as const;
export type ScreenMode = (typeof SCREEN_MODES)[number];

export interface Question {
  id: string;
  text: string;
  state: QuestionState;
  createdAt: number;
  /** Answers reach the projector only once approved. */
  premoderated: boolean;
  /** When the question was last opened and closed (epoch ms). */
  openedAt: number | null;
  closedAt: number | null;
}

export interface Material {
  id: string;
  kind: MaterialKind;
  title: string;
  url: string;
  summary: string;
  addedBy: string;
  /** The user id of whoever added it (DESIGN.md §4.1); empty for materials from before. */
  addedById: string;
  createdAt: number;
}

/** The kinds of actor a participant represents (reported even when answers are anonymous). */
export const ACTOR_KINDS = [
  "ngo",
  "local-authority",
  "university",
  "business",
  "diaspora",
  "public-body",
  "other",
] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

export interface Answer {
  id: string;
  questionId: string;
  text: string;
  /** Display name; empty when the author answered anonymously. */
  author: string;
  authorId: string;
  actorKind?: ActorKind;
  createdAt: number;
  /** Ids of the voters. */
  voters: string[];
}

export type ModerationEntry = "hidden" | { mergedInto: string };

/** An answer as the room shows it: with its moderation applied. */
export interface VisibleAnswer extends Answer {
  votes: number;
  /** Answers merged into this one. */
  merged: Answer[];
}

const RECOMMENDATION_PARTS = [
  "Nuovi temi su cui lavorare",
  "Nuovi processi e metodologie di governance",
] as const;

// ---------------------------------------------------------------------------------------
// Roots

export const seminarRoots = (doc: Y.Doc) => ({
  session: doc.getMap<unknown>("session"),
  materials: doc.getArray<Y.Map<unknown>>("materials"),
  questions: doc.getArray<Y.Map<unknown>>("questions"),
  answers: doc.getArray<Y.Map<unknown>>("answers"),
  moderation: doc.getMap<unknown>("moderation"),
  recommendations: doc.getXmlFragment("recommendations"),
  pins: doc.getMap<unknown>("pins"),
  approvals: doc.getMap<unknown>("approvals"),
  clusters: doc.getArray<Y.Map<unknown>>("clusters"),
  clusterOf: doc.getMap<unknown>("clusterOf"),
});

/**
 * Writes the initial state of a seminar: a scheduled session in phase 1, the starter key
 * questions (drafts: a question takes answers once the facilitator opens it, one at a time or
 * all at once, as the day goes), and the two headings of the recommendations the brief asks for.
 * Idempotent: a document that already has a session is left alone.
 */
export function initSeminarDocument(
  doc: Y.Doc,
  seminar: SeminarInfo,
  options: MutationOptions = {},
): void {
  const roots = seminarRoots(doc);
  if (roots.session.has("status")) return;
  doc.transact(() => {
    roots.session.set("status", "scheduled");
    roots.session.set("phase", 1);
    roots.session.set("spotlight", null);
    roots.session.set("timerEndsAt", null);
    seminar.starterQuestions.forEach((text, index) => {
      roots.questions.push([
        questionItem(`${seminar.id}-q${index + 1}`, text, "draft", now(options)),
      ]);
    });
    if (roots.recommendations.length === 0) {
      for (const title of RECOMMENDATION_PARTS) {
        roots.recommendations.push([headingNode(2, title), paragraphNode()]);
      }
    }
  }, options.origin);
}

// ---------------------------------------------------------------------------------------
// Session (facilitator)

export function readSession(doc: Y.Doc): SessionState {
  const session = seminarRoots(doc).session;
  const status = session.get("status");
  const phase = session.get("phase");
  const spotlight = session.get("spotlight");
  const timerEndsAt = session.get("timerEndsAt");
  const screenMode = session.get("screenMode");
  const joinUrl = session.get("joinUrl");
  const startedAt = session.get("startedAt");
  return {
    status: (SEMINAR_STATUSES as readonly unknown[]).includes(status)
      ? (status as SeminarStatus)
      : "scheduled",
    phase: phase === 1 || phase === 2 || phase === 3 || phase === 4 ? phase : 1,
    spotlight: typeof spotlight === "string" ? spotlight : null,
    timerEndsAt: typeof timerEndsAt === "number" ? timerEndsAt : null,
    screenMode: (SCREEN_MODES as readonly unknown[]).includes(screenMode)
      ? (screenMode as ScreenMode)
      : "cards",
    joinUrl: typeof joinUrl === "string" ? joinUrl : null,
    startedAt: typeof startedAt === "number" ? startedAt : null,
  };
}

/** Moves the seminar through scheduled → live → closed; going live starts the session clock. */
export function setStatus(doc: Y.Doc, status: SeminarStatus, options: MutationOptions = {}): void {
  const session = seminarRoots(doc).session;
  doc.transact(() => {
    session.set("status", status);
    if (status === "live" && typeof session.get("startedAt") !== "number") {
      session.set("startedAt", now(options));
    }
  }, options.origin);
}

/** What the projector shows: answers as cards or as a word cloud, and the join link's QR code. */
export function setScreen(
  doc: Y.Doc,
  screen: { mode?: ScreenMode; joinUrl?: string | null },
  options: MutationOptions = {},
): void {
  const session = seminarRoots(doc).session;
  doc.transact(() => {
    if (screen.mode !== undefined) session.set("screenMode", screen.mode);
    if (screen.joinUrl !== undefined) session.set("joinUrl", screen.joinUrl);
  }, options.origin);
}

export function setPhase(doc: Y.Doc, phase: Phase, options: MutationOptions = {}): void {
  doc.transact(() => seminarRoots(doc).session.set("phase", phase), options.origin);
}

/** Puts one question on the projector, or none with `null`. */
export function spotlightQuestion(
  doc: Y.Doc,
  questionId: string | null,
  options: MutationOptions = {},
): void {
  doc.transact(() => seminarRoots(doc).session.set("spotlight", questionId), options.origin);
}

/** Starts a countdown of `seconds` from now (or `options.at`). */
export function startTimer(doc: Y.Doc, seconds: number, options: MutationOptions = {}): number {
  const endsAt = now(options) + Math.max(0, Math.round(seconds * 1000));
  doc.transact(() => seminarRoots(doc).session.set("timerEndsAt", endsAt), options.origin);
  return endsAt;
}

export function clearTimer(doc: Y.Doc, options: MutationOptions = {}): void {
  const session = seminarRoots(doc).session;
  doc.transact(() => {
    session.set("timerEndsAt", null);
    session.delete("timerRemaining");
  }, options.origin);
}

// ---------------------------------------------------------------------------------------
// Key questions (facilitator)

function questionItem(
  id: string,
  text: string,
  state: QuestionState,
  createdAt: number,
): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("text", text);
  item.set("state", state);
  item.set("createdAt", createdAt);
  return item;
}

export function listQuestions(doc: Y.Doc): Question[] {
  const result: Question[] = [];
  for (const item of uniqueById(seminarRoots(doc).questions)) {
    const id = readString(item.get("id"));
    const text = readString(item.get("text"));
    const state = item.get("state");
    const createdAt = item.get("createdAt");
    if (
      id &&
      text !== undefined &&
      (QUESTION_STATES as readonly unknown[]).includes(state) &&
      typeof createdAt === "number"
    ) {
      const openedAt = item.get("openedAt");
      const closedAt = item.get("closedAt");
      result.push({
        id,
        text,
        state: state as QuestionState,
        createdAt,
        premoderated: item.get("premoderated") === true,
        openedAt: typeof openedAt === "number" ? openedAt : null,
        closedAt: typeof closedAt === "number" ? closedAt : null,
      });
    }
  }
  return result;
}

export function addQuestion(
  doc: Y.Doc,
  text: string,
  state: QuestionState = "draft",
  options: MutationOptions = {},
): string {
  const id = options.id ?? newId();
  doc.transact(
    () => seminarRoots(doc).questions.push([questionItem(id, text.trim(), state, now(options))]),
    options.origin,
  );
  return id;
}

export function editQuestion(
  doc: Y.Doc,
  questionId: string,
  text: string,
  options: MutationOptions = {},
): boolean {
  return setFieldById(seminarRoots(doc).questions, questionId, "text", text.trim(), options);
}

/**
 * Opens, closes or puts back into draft a question. Opening records `openedAt` and closing
 * `closedAt`, so the console can time each question.
 */
export function setQuestionState(
  doc: Y.Doc,
  questionId: string,
  state: QuestionState,
  options: MutationOptions = {},
): boolean {
  const item = findById(seminarRoots(doc).questions, questionId);
  if (!item) return false;
  doc.transact(() => {
    item.set("state", state);
    if (state === "open") {
      item.set("openedAt", now(options));
      item.delete("closedAt");
    }
    if (state === "closed") item.set("closedAt", now(options));
  }, options.origin);
  return true;
}

/** Pre-moderation: answers to this question reach the projector only once approved. */
export function setPremoderated(
  doc: Y.Doc,
  questionId: string,
  premoderated: boolean,
  options: MutationOptions = {},
): boolean {
  return setFieldById(
    seminarRoots(doc).questions,
    questionId,
    "premoderated",
    premoderated,
    options,
  );
}

/** Moves a question to a new position in the list. */
export function moveQuestion(
  doc: Y.Doc,
  questionId: string,
  toIndex: number,
  options: MutationOptions = {},
): boolean {
  const list = seminarRoots(doc).questions;
  const from = indexById(list, questionId);
  if (from < 0) return false;
  const original = list.get(from);
  const target = Math.max(0, Math.min(toIndex, list.length - 1));
  doc.transact(() => {
    // A Y.Map cannot move: a copy with every field takes its new place.
    const copy = new Y.Map<unknown>();
    for (const [key, value] of original) copy.set(key, value);
    list.delete(from, 1);
    list.insert(target, [copy]);
  }, options.origin);
  return true;
}

export function removeQuestion(
  doc: Y.Doc,
  questionId: string,
  options: MutationOptions = {},
): boolean {
  const roots = seminarRoots(doc);
  return removeById(roots.questions, questionId, options, () => {
    if (roots.session.get("spotlight") === questionId) roots.session.set("spotlight", null);
  });
}

// ---------------------------------------------------------------------------------------
// Materials (facilitator, participant)

export interface NewMaterial {
  kind: MaterialKind;
  title: string;
  url?: string;
  summary?: string;
  addedBy: string;
  /** The adder's user id (the server refuses any other). */
  addedById: string;
}

export function addMaterial(
  doc: Y.Doc,
  material: NewMaterial,
  options: MutationOptions = {},
): string {
  const id = options.id ?? newId();
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("kind", material.kind);
  item.set("title", material.title.trim());
  item.set("url", (material.url ?? "").trim());
  item.set("summary", (material.summary ?? "").trim());
  item.set("addedBy", material.addedBy);
  item.set("addedById", material.addedById);
  item.set("createdAt", now(options));
  transactAs(doc, options, () => seminarRoots(doc).materials.push([item]));
  return id;
}

/** Changes a material's kind, title, link or summary (facilitator, before the seminar). */
export function editMaterial(
  doc: Y.Doc,
  materialId: string,
  patch: Partial<Omit<NewMaterial, "addedBy" | "addedById">>,
  options: MutationOptions = {},
): boolean {
  const item = findById(seminarRoots(doc).materials, materialId);
  if (!item) return false;
  transactAs(doc, options, () => {
    if (patch.kind !== undefined) item.set("kind", patch.kind);
    if (patch.title !== undefined && patch.title.trim() !== "")
      item.set("title", patch.title.trim());
    if (patch.url !== undefined) item.set("url", patch.url.trim());
    if (patch.summary !== undefined) item.set("summary", patch.summary.trim());
  });
  return true;
}

export function removeMaterial(
  doc: Y.Doc,
  materialId: string,
  options: MutationOptions = {},
): boolean {
  return removeById(seminarRoots(doc).materials, materialId, options);
}

export function listMaterials(doc: Y.Doc, kind?: MaterialKind): Material[] {
  const result: Material[] = [];
  for (const item of uniqueById(seminarRoots(doc).materials)) {
    const id = readString(item.get("id"));
    const itemKind = item.get("kind");
    const title = readString(item.get("title"));
    const createdAt = item.get("createdAt");
    if (
      !id ||
      title === undefined ||
      !(MATERIAL_KINDS as readonly unknown[]).includes(itemKind) ||
      typeof createdAt !== "number"
    ) {
      continue;
    }
    if (kind && itemKind !== kind) continue;
    result.push({
      id,
      kind: itemKind as MaterialKind,
      title,
      url: readString(item.get("url")) ?? "",
      summary: readString(item.get("summary")) ?? "",
      addedBy: readString(item.get("addedBy")) ?? "",
      addedById: readString(item.get("addedById")) ?? "",
      createdAt,
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// Answers (participant, facilitator)

export interface NewAnswer {
  questionId: string;
  text: string;
  /** Display name, or empty for an anonymous answer. */
  author: string;
  /** The author's user id, or their anonymous id (with an empty `author`): DESIGN.md §4.1. */
  authorId: string;
  actorKind?: ActorKind;
}

export function addAnswer(doc: Y.Doc, answer: NewAnswer, options: MutationOptions = {}): string {
  const text = answer.text.trim();
  if (text === "") throw new Error("An answer needs some text.");
  const id = options.id ?? newId();
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("questionId", answer.questionId);
  item.set("text", text);
  item.set("author", answer.author.trim());
  item.set("authorId", answer.authorId);
  if (answer.actorKind) item.set("actorKind", answer.actorKind);
  item.set("createdAt", now(options));
  item.set("votes", new Y.Map<boolean>());
  transactAs(doc, options, () => seminarRoots(doc).answers.push([item]));
  return id;
}

/** The author withdraws their answer (the server refuses anyone else's). */
export function removeAnswer(doc: Y.Doc, answerId: string, options: MutationOptions = {}): boolean {
  return removeById(seminarRoots(doc).answers, answerId, options);
}

/** The author's correction of their answer's text. */
export function editAnswer(
  doc: Y.Doc,
  answerId: string,
  text: string,
  options: MutationOptions = {},
): boolean {
  if (text.trim() === "") return false;
  return setFieldById(seminarRoots(doc).answers, answerId, "text", text.trim(), options);
}

/**
 * Adds or withdraws `voterId`'s vote on an answer; returns whether the vote now stands. The
 * voter id is the person's anonymous id, and the server takes only that key from them.
 */
export function toggleVote(
  doc: Y.Doc,
  answerId: string,
  voterId: string,
  options: MutationOptions = {},
): boolean {
  const item = findById(seminarRoots(doc).answers, answerId);
  if (!item) throw new Error(`No answer ${answerId}.`);
  let votes = item.get("votes");
  let voted = false;
  transactAs(doc, options, () => {
    if (!(votes instanceof Y.Map)) {
      votes = new Y.Map<boolean>();
      item.set("votes", votes);
    }
    const map = votes as Y.Map<boolean>;
    if (map.has(voterId)) {
      map.delete(voterId);
    } else {
      map.set(voterId, true);
      voted = true;
    }
  });
  return voted;
}

function readAnswer(item: Y.Map<unknown>): Answer | null {
  const id = readString(item.get("id"));
  const questionId = readString(item.get("questionId"));
  const text = readString(item.get("text"));
  const createdAt = item.get("createdAt");
  if (!id || !questionId || text === undefined || typeof createdAt !== "number") return null;
  const votes = item.get("votes");
  const actorKind = item.get("actorKind");
  return {
    id,
    questionId,
    text,
    author: readString(item.get("author")) ?? "",
    authorId: readString(item.get("authorId")) ?? "",
    ...((ACTOR_KINDS as readonly unknown[]).includes(actorKind)
      ? { actorKind: actorKind as ActorKind }
      : {}),
    createdAt,
    voters: votes instanceof Y.Map ? [...votes.keys()] : [],
  };
}

/** Every answer as written, moderation ignored (for the facilitator's console). */
export function listAllAnswers(doc: Y.Doc, questionId?: string): Answer[] {
  const result: Answer[] = [];
  for (const item of uniqueById(seminarRoots(doc).answers)) {
    const answer = readAnswer(item);
    if (answer && (questionId === undefined || answer.questionId === questionId)) {
      result.push(answer);
    }
  }
  return result;
}

export type AnswerOrder = "newest" | "votes";

/**
 * The answers the room shows for a question: hidden ones left out, merged ones folded into
 * their target (whose votes count the union of voters), sorted newest first or most voted.
 */
export function listVisibleAnswers(
  doc: Y.Doc,
  questionId: string,
  order: AnswerOrder = "newest",
): VisibleAnswer[] {
  const moderation = readModeration(doc);
  const all = listAllAnswers(doc, questionId);
  const byId = new Map(all.map((answer) => [answer.id, answer]));
  const visible = new Map<string, VisibleAnswer>();
  for (const answer of all) {
    if (moderation.has(answer.id)) continue;
    visible.set(answer.id, { ...answer, votes: answer.voters.length, merged: [] });
  }
  for (const answer of all) {
    const entry = moderation.get(answer.id);
    if (entry === undefined || entry === "hidden") continue;
    const target = visible.get(resolveMergeTarget(entry.mergedInto, moderation, byId));
    if (!target) continue;
    target.merged.push(answer);
    target.voters = [...new Set([...target.voters, ...answer.voters])];
    target.votes = target.voters.length;
  }
  const list = [...visible.values()];
  list.sort((a, b) =>
    order === "votes"
      ? b.votes - a.votes || b.createdAt - a.createdAt
      : b.createdAt - a.createdAt || a.id.localeCompare(b.id),
  );
  return list;
}

function resolveMergeTarget(
  id: string,
  moderation: Map<string, ModerationEntry>,
  byId: Map<string, Answer>,
): string {
  const seen = new Set<string>();
  let current = id;
  while (!seen.has(current)) {
    seen.add(current);
    const entry = moderation.get(current);
    if (entry === undefined || entry === "hidden" || !byId.has(entry.mergedInto)) return current;
    current = entry.mergedInto;
  }
  return current;
}

// ---------------------------------------------------------------------------------------
// Moderation (facilitator)

export function readModeration(doc: Y.Doc): Map<string, ModerationEntry> {
  const result = new Map<string, ModerationEntry>();
  for (const [answerId, value] of seminarRoots(doc).moderation) {
    if (value === "hidden") {
      result.set(answerId, "hidden");
    } else if (value instanceof Y.Map || (typeof value === "object" && value !== null)) {
      const mergedInto =
        value instanceof Y.Map
          ? value.get("mergedInto")
          : (value as Record<string, unknown>).mergedInto;
      if (typeof mergedInto === "string") result.set(answerId, { mergedInto });
    }
  }
  return result;
}

export function hideAnswer(doc: Y.Doc, answerId: string, options: MutationOptions = {}): void {
  doc.transact(() => seminarRoots(doc).moderation.set(answerId, "hidden"), options.origin);
}

/** Shows a hidden answer again, or splits a merged one back out. */
export function restoreAnswer(doc: Y.Doc, answerId: string, options: MutationOptions = {}): void {
  doc.transact(() => seminarRoots(doc).moderation.delete(answerId), options.origin);
}

/** Folds an answer into another one of the same question (duplicates, near-duplicates). */
export function mergeAnswer(
  doc: Y.Doc,
  answerId: string,
  intoAnswerId: string,
  options: MutationOptions = {},
): void {
  if (answerId === intoAnswerId) throw new Error("An answer cannot be merged into itself.");
  const answers = seminarRoots(doc).answers;
  const source = findById(answers, answerId);
  const target = findById(answers, intoAnswerId);
  if (!source || !target) throw new Error("Both answers must exist to merge them.");
  if (source.get("questionId") !== target.get("questionId")) {
    throw new Error("Only answers to the same question can be merged.");
  }
  const moderation = readModeration(doc);
  for (let id: string | undefined = intoAnswerId, hops = 0; id && hops <= moderation.size; hops++) {
    if (id === answerId) throw new Error("This merge would make a cycle.");
    const entry = moderation.get(id);
    id = entry && entry !== "hidden" ? entry.mergedInto : undefined;
  }
  doc.transact(
    () => seminarRoots(doc).moderation.set(answerId, { mergedInto: intoAnswerId }),
    options.origin,
  );
}
