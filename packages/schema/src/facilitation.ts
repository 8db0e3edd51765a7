import * as Y from "yjs";
import {
  listAllAnswers,
  listQuestions,
  listVisibleAnswers,
  readModeration,
  seminarRoots,
  type AnswerOrder,
  type VisibleAnswer,
} from "./seminar.ts";
import { ANSWER_REF_NODE, citationLabel, textOf } from "./xml.ts";
import {
  findById,
  newId,
  now,
  readString,
  removeById,
  uniqueById,
  type MutationOptions,
} from "./yhelpers.ts";

/**
 * What the facilitator runs during a live seminar (DESIGN.md §4): the countdown, pinned and
 * pre-moderated answers, the harvest of answers into clusters and their promotion into the
 * recommendation text, and the figures the console shows.
 */

// ---------------------------------------------------------------------------------------
// Countdown timer (session root): running = `timerEndsAt`, paused = `timerRemaining`

export interface TimerState {
  running: boolean;
  paused: boolean;
  /** Milliseconds left at `at`, never negative; 0 when no timer is set. */
  remainingMs: number;
  endsAt: number | null;
}

export function readTimer(doc: Y.Doc, at = Date.now()): TimerState {
  const session = seminarRoots(doc).session;
  const endsAt = session.get("timerEndsAt");
  const remaining = session.get("timerRemaining");
  if (typeof endsAt === "number") {
    return { running: true, paused: false, remainingMs: Math.max(0, endsAt - at), endsAt };
  }
  if (typeof remaining === "number") {
    return { running: false, paused: true, remainingMs: Math.max(0, remaining), endsAt: null };
  }
  return { running: false, paused: false, remainingMs: 0, endsAt: null };
}

export function pauseTimer(doc: Y.Doc, options: MutationOptions = {}): void {
  const timer = readTimer(doc, now(options));
  if (!timer.running) return;
  const session = seminarRoots(doc).session;
  doc.transact(() => {
    session.set("timerRemaining", timer.remainingMs);
    session.set("timerEndsAt", null);
  }, options.origin);
}

export function resumeTimer(doc: Y.Doc, options: MutationOptions = {}): void {
  const timer = readTimer(doc, now(options));
  if (!timer.paused) return;
  const session = seminarRoots(doc).session;
  doc.transact(() => {
    session.set("timerEndsAt", now(options) + timer.remainingMs);
    session.delete("timerRemaining");
  }, options.origin);
}

/** Adds time to the running or paused timer (a minute: `60`); starts one when none is set. */
export function addTimerSeconds(doc: Y.Doc, seconds: number, options: MutationOptions = {}): void {
  const at = now(options);
  const timer = readTimer(doc, at);
  const extra = Math.round(seconds * 1000);
  const session = seminarRoots(doc).session;
  doc.transact(() => {
    if (timer.paused) session.set("timerRemaining", timer.remainingMs + extra);
    else session.set("timerEndsAt", at + timer.remainingMs + extra);
  }, options.origin);
}

// ---------------------------------------------------------------------------------------
// Pins and pre-moderation approvals (answer id → true)

function flagSet(map: Y.Map<unknown>): Set<string> {
  const result = new Set<string>();
  for (const [key, value] of map) if (value === true) result.add(key);
  return result;
}

export const readPins = (doc: Y.Doc): Set<string> => flagSet(seminarRoots(doc).pins);
export const readApprovals = (doc: Y.Doc): Set<string> => flagSet(seminarRoots(doc).approvals);

function setFlag(map: Y.Map<unknown>, answerId: string, on: boolean, options: MutationOptions) {
  map.doc?.transact(() => (on ? map.set(answerId, true) : map.delete(answerId)), options.origin);
}

export function setPinned(
  doc: Y.Doc,
  answerId: string,
  pinned: boolean,
  options: MutationOptions = {},
) {
  setFlag(seminarRoots(doc).pins, answerId, pinned, options);
}

export function setApproved(
  doc: Y.Doc,
  answerId: string,
  approved: boolean,
  options: MutationOptions = {},
) {
  setFlag(seminarRoots(doc).approvals, answerId, approved, options);
}

export interface AnswerView extends VisibleAnswer {
  pinned: boolean;
  /** False while a pre-moderated answer waits for the facilitator. */
  approved: boolean;
}

export type Audience =
  /** The facilitator sees every answer, approved or not. */
  | { kind: "facilitator" }
  /** A participant sees approved answers and their own. */
  | { kind: "participant"; userId: string }
  /** The projector shows approved answers only. */
  | { kind: "projector" };

/**
 * The answers of a question as an audience sees them: moderation applied (hidden out, merged
 * folded), pre-moderation applied when the question asks for it, pinned answers first.
 */
export function answersFor(
  doc: Y.Doc,
  questionId: string,
  audience: Audience,
  order: AnswerOrder = "newest",
): AnswerView[] {
  const question = listQuestions(doc).find((q) => q.id === questionId);
  const premoderated = question?.premoderated === true;
  const pins = readPins(doc);
  const approvals = readApprovals(doc);
  const views = listVisibleAnswers(doc, questionId, order).map((answer) => ({
    ...answer,
    pinned: pins.has(answer.id),
    approved: !premoderated || approvals.has(answer.id),
  }));
  const shown = views.filter(
    (a) =>
      a.approved ||
      audience.kind === "facilitator" ||
      (audience.kind === "participant" && a.authorId === audience.userId),
  );
  return shown.sort((a, b) => Number(b.pinned) - Number(a.pinned));
}

// ---------------------------------------------------------------------------------------
// Harvest: clusters of answers, each a new theme or a governance process/method

export const CLUSTER_AXES = ["theme", "process"] as const;
export type ClusterAxis = (typeof CLUSTER_AXES)[number];

export interface Cluster {
  id: string;
  label: string;
  axis: ClusterAxis;
  answerIds: string[];
  createdAt: number;
  /** When the cluster was promoted into the recommendation text, if it was. */
  promotedAt: number | null;
  /** The bold label its paragraph opens with in the text (found again to update it). */
  promotedLabel: string | null;
}

export function listClusters(doc: Y.Doc): Cluster[] {
  const roots = seminarRoots(doc);
  // Membership: one `clusterOf` key per answer (last writer wins), listed in answer order.
  const order = new Map(listAllAnswers(doc).map((answer, index) => [answer.id, index]));
  const members = new Map<string, string[]>();
  for (const [answerId, clusterId] of roots.clusterOf) {
    if (typeof clusterId !== "string") continue;
    members.set(clusterId, [...(members.get(clusterId) ?? []), answerId]);
  }
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  const result: Cluster[] = [];
  for (const item of uniqueById(roots.clusters)) {
    const id = readString(item.get("id"));
    const label = readString(item.get("label"));
    const axis = item.get("axis");
    const createdAt = item.get("createdAt");
    const promotedAt = item.get("promotedAt");
    const promotedLabel = item.get("promotedLabel");
    if (!id || label === undefined || !(CLUSTER_AXES as readonly unknown[]).includes(axis))
      continue;
    result.push({
      id,
      label,
      axis: axis as ClusterAxis,
      answerIds: (members.get(id) ?? []).sort((x, y) => rank(x) - rank(y) || x.localeCompare(y)),
      createdAt: typeof createdAt === "number" ? createdAt : 0,
      promotedAt: typeof promotedAt === "number" ? promotedAt : null,
      promotedLabel: typeof promotedLabel === "string" ? promotedLabel : null,
    });
  }
  return result;
}

export function addCluster(
  doc: Y.Doc,
  label: string,
  axis: ClusterAxis,
  options: MutationOptions = {},
): string {
  const clean = label.trim();
  if (clean === "") throw new Error("A cluster needs a label.");
  const id = options.id ?? newId();
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("label", clean);
  item.set("axis", axis);
  item.set("createdAt", now(options));
  doc.transact(() => seminarRoots(doc).clusters.push([item]), options.origin);
  return id;
}

export function updateCluster(
  doc: Y.Doc,
  clusterId: string,
  patch: { label?: string; axis?: ClusterAxis },
  options: MutationOptions = {},
): boolean {
  const item = findById(seminarRoots(doc).clusters, clusterId);
  if (!item) return false;
  doc.transact(() => {
    if (patch.label !== undefined && patch.label.trim() !== "")
      item.set("label", patch.label.trim());
    if (patch.axis !== undefined) item.set("axis", patch.axis);
  }, options.origin);
  return true;
}

/** Deletes a cluster; its answers stay, in no cluster. */
export function removeCluster(
  doc: Y.Doc,
  clusterId: string,
  options: MutationOptions = {},
): boolean {
  const roots = seminarRoots(doc);
  return removeById(roots.clusters, clusterId, options, () => {
    for (const [answerId, of] of [...roots.clusterOf]) {
      if (of === clusterId) roots.clusterOf.delete(answerId);
    }
  });
}

/**
 * Puts an answer into a cluster (out of any other), or into none with `null`. One key per
 * answer: two facilitators assigning it concurrently end with it in one cluster, not two.
 */
export function assignToCluster(
  doc: Y.Doc,
  answerId: string,
  clusterId: string | null,
  options: MutationOptions = {},
): void {
  const clusterOf = seminarRoots(doc).clusterOf;
  doc.transact(() => {
    if (clusterId === null) clusterOf.delete(answerId);
    else clusterOf.set(answerId, clusterId);
  }, options.origin);
}

/** Cluster labels per answer id, for the report's tags. */
export function clusterLabelsByAnswer(doc: Y.Doc): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const cluster of listClusters(doc)) {
    for (const id of cluster.answerIds) result.set(id, [...(result.get(id) ?? []), cluster.label]);
  }
  return result;
}

/** The two level-2 headings the recommendation text is organised by, one per axis. */
const AXIS_HEADING: Record<ClusterAxis, RegExp> = {
  theme: /\b(temi|themes)\b/i,
  process: /\b(processi|processes|governance)\b/i,
};

/**
 * Writes a cluster into the recommendation text: a paragraph with the label in bold followed
 * by a citation of each of its answers (hidden ones left out), at the end of the part for its
 * axis (new themes, or new governance processes and methods), or at the end of the text when
 * that heading is gone. The empty paragraph a part starts with is taken, not left above.
 * A cluster promoted before is updated where its paragraph is, never written twice; if its
 * paragraph is gone from the text (deleted, or its label rewritten), it is written anew.
 */
export function promoteCluster(
  doc: Y.Doc,
  clusterId: string,
  options: MutationOptions = {},
): boolean {
  const roots = seminarRoots(doc);
  const item = findById(roots.clusters, clusterId);
  const cluster = listClusters(doc).find((c) => c.id === clusterId);
  if (!item || !cluster) return false;
  const byId = new Map(listAllAnswers(doc).map((a) => [a.id, a]));
  const moderation = readModeration(doc);
  const paragraph = new Y.XmlElement("paragraph");
  const label = new Y.XmlText();
  paragraph.insert(0, [label]);
  const cited = cluster.answerIds.flatMap((id) => {
    const answer = byId.get(id);
    // A hidden answer's text must not reach the shared recommendation text through its label.
    return answer && moderation.get(id) !== "hidden" ? [answer] : [];
  });
  const fragment = roots.recommendations;
  doc.transact(() => {
    const previous = promotedParagraphIndex(fragment, cluster);
    if (previous >= 0) {
      fragment.delete(previous, 1);
      fragment.insert(previous, [paragraph]);
    } else {
      const index = insertionIndex(fragment, cluster.axis);
      const before = index > 0 ? fragment.get(index - 1) : null;
      if (isEmptyParagraph(before)) {
        fragment.delete(index - 1, 1);
        fragment.insert(index - 1, [paragraph]);
      } else fragment.insert(index, [paragraph]);
    }
    label.insert(0, cluster.label, { bold: {} });
    // Without an explicit `bold: null` Yjs would carry the bold on to the colon.
    if (cited.length > 0) label.insert(cluster.label.length, ": ", { bold: null });
    paragraph.insert(
      1,
      cited.flatMap((answer, index) => {
        const ref = new Y.XmlElement(ANSWER_REF_NODE);
        ref.setAttribute("answerId", answer.id);
        ref.setAttribute("label", citationLabel(answer.text, answer.author || null));
        return index < cited.length - 1 ? [ref, new Y.XmlText(" ")] : [ref];
      }),
    );
    item.set("promotedAt", now(options));
    item.set("promotedLabel", cluster.label);
  }, options.origin);
  return true;
}

/** Whether the paragraph a cluster was promoted into is still in the text (to update it). */
export function isPromotedInText(doc: Y.Doc, clusterId: string): boolean {
  const cluster = listClusters(doc).find((c) => c.id === clusterId);
  return (
    cluster !== undefined && promotedParagraphIndex(seminarRoots(doc).recommendations, cluster) >= 0
  );
}

/** The top-level paragraph that opens with the cluster's promoted label in bold, or -1. */
function promotedParagraphIndex(fragment: Y.XmlFragment, cluster: Cluster): number {
  if (cluster.promotedLabel === null) return -1;
  return fragment.toArray().findIndex((node) => {
    if (!(node instanceof Y.XmlElement) || node.nodeName !== "paragraph") return false;
    const first = node.get(0);
    if (!(first instanceof Y.XmlText)) return false;
    const [opening] = first.toDelta() as { insert: unknown; attributes?: { bold?: unknown } }[];
    return opening?.insert === cluster.promotedLabel && Boolean(opening.attributes?.bold);
  });
}

function isEmptyParagraph(node: unknown): boolean {
  return (
    node instanceof Y.XmlElement &&
    node.nodeName === "paragraph" &&
    node.toArray().every((child) => child instanceof Y.XmlText && child.length === 0)
  );
}

function insertionIndex(fragment: Y.XmlFragment, axis: ClusterAxis): number {
  const nodes = fragment.toArray();
  const isPart = (node: unknown) =>
    node instanceof Y.XmlElement &&
    node.nodeName === "heading" &&
    Number(node.getAttribute("level")) <= 2;
  const start = nodes.findIndex(
    (node) => isPart(node) && AXIS_HEADING[axis].test(textOf(node as Y.XmlElement)),
  );
  if (start < 0) return nodes.length;
  const next = nodes.findIndex((node, index) => index > start && isPart(node));
  return next < 0 ? nodes.length : next;
}

// ---------------------------------------------------------------------------------------
// Figures for the console

export interface Participation {
  /** Every answer written, moderated or not. */
  answers: number;
  /** Distinct people who answered. */
  people: number;
  /** Answers per kind of actor (`unknown` when the client did not say). */
  byActorKind: Record<string, number>;
  /** Answers the facilitator hid. */
  hidden: number;
  /** Answers folded into another one (shown as part of it, not as answers of their own). */
  merged: number;
  /** Answers still waiting for approval. */
  pending: number;
}

export function participation(doc: Y.Doc): Participation {
  const answers = listAllAnswers(doc);
  const byActorKind: Record<string, number> = {};
  for (const answer of answers) {
    const kind = answer.actorKind ?? "unknown";
    byActorKind[kind] = (byActorKind[kind] ?? 0) + 1;
  }
  const counts = answerCounts(doc);
  return {
    answers: answers.length,
    people: new Set(answers.map((a) => a.authorId)).size,
    byActorKind,
    hidden: counts.hidden,
    merged: counts.merged,
    pending: counts.pending,
  };
}

export interface AnswerCounts {
  /** Every answer written. */
  written: number;
  /** Shown as answers of their own: not hidden, not merged into another, approved if asked. */
  visible: number;
  /** Waiting for the facilitator's approval (a pre-moderated question). */
  pending: number;
  hidden: number;
  /** Folded into another answer: shown as part of it, not on their own. */
  merged: number;
}

/**
 * How many answers (of a question, or of the seminar) were written, and how many of them are
 * shown as answers of their own: the console and the report say the same numbers.
 */
export function answerCounts(doc: Y.Doc, questionId?: string): AnswerCounts {
  const moderation = readModeration(doc);
  const approvals = readApprovals(doc);
  const premoderated = new Set(
    listQuestions(doc)
      .filter((q) => q.premoderated)
      .map((q) => q.id),
  );
  const counts: AnswerCounts = { written: 0, visible: 0, pending: 0, hidden: 0, merged: 0 };
  for (const answer of listAllAnswers(doc, questionId)) {
    counts.written += 1;
    const entry = moderation.get(answer.id);
    if (entry === "hidden") counts.hidden += 1;
    else if (entry !== undefined) counts.merged += 1;
    else if (premoderated.has(answer.questionId) && !approvals.has(answer.id)) counts.pending += 1;
    else counts.visible += 1;
  }
  return counts;
}

/** Answers received per minute over the last `minutes` minutes, oldest first. */
export function answersPerMinute(doc: Y.Doc, minutes = 10, at = Date.now()): number[] {
  const buckets = new Array<number>(minutes).fill(0);
  for (const answer of listAllAnswers(doc)) {
    const age = Math.floor((at - answer.createdAt) / 60_000);
    if (age >= 0 && age < minutes) buckets[minutes - 1 - age]! += 1;
  }
  return buckets;
}

/**
 * Words of spoken proposals that say nothing of their theme — modals ("dovrebbe", "serve"),
 * fillers, time ("entro") — left out where answers are summed up by their words (the
 * projector's word cloud), beside the ordinary stop words.
 */
export const PROPOSAL_FILLERS: readonly string[] = [
  ...["dovrebbe", "dovrebbero", "dovremmo", "dovere", "deve", "devono", "dobbiamo"],
  ...["bisogna", "bisognerebbe", "occorre", "occorrono", "occorrerebbe"],
  ...["serve", "servono", "servirebbe", "servirebbero", "servire"],
  ...["potrebbe", "potrebbero", "potremmo", "possiamo", "può", "possono", "potere"],
  ...["vorrei", "vorremmo", "volere", "sarebbe", "sarebbero", "avere", "essere"],
  ...["fare", "fatto", "farlo", "farli", "rendere", "creare", "mettere", "dare"],
  ...["entro", "prima", "dopo", "sempre", "ancora", "ormai", "oggi", "anno", "anni"],
  ...["più", "meno", "molto", "molti", "molte", "tanto", "troppo", "poco", "tutti", "tutte"],
  ...["ogni", "anche", "cosa", "cose", "modo", "esempio", "tipo", "parte", "invece", "quindi"],
  ...["proposta", "proporre", "propongo", "idea", "nuovo", "nuovi", "nuova", "nuove"],
  ...["maggiore", "maggiori", "migliore", "migliori", "importante", "necessario", "necessaria"],
];
