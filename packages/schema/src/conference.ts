import * as Y from "yjs";
import { draftRoots } from "./draft.ts";
import { REACTIONS, type Reaction } from "./types.ts";
import type { ActorKind } from "./seminar.ts";
import {
  newId,
  now,
  readString,
  transactAs,
  uniqueById,
  type MutationOptions,
} from "./yhelpers.ts";

/**
 * The plenary conference on the orientation draft (DESIGN.md §5, issue 10): the section being
 * presented, comments anchored on passages with threaded replies, suggested replacements with
 * support and objections and the drafting team's decision, and what the room thinks of each
 * section, across the kinds of actor.
 */

// ---------------------------------------------------------------------------------------
// The section being presented (drafters)

export function spotlightSection(
  doc: Y.Doc,
  section: string | null,
  options: MutationOptions = {},
): void {
  transactAs(doc, options, () => {
    const plenary = doc.getMap<unknown>("plenary");
    plenary.set("spotlight", section);
    // A newly presented section starts on its first page.
    plenary.set("page", 0);
  });
}

export function readSpotlightSection(doc: Y.Doc): string | null {
  return readString(doc.getMap<unknown>("plenary").get("spotlight")) ?? null;
}

/**
 * The page of the presented section the plenary screen shows (0 first), when the section is
 * too long for one screen at a legible size: the drafters move through it, the screen and the
 * phones follow. How many pages there are is the screen's to measure, so the screen shows
 * the last one for any larger index.
 */
export function setPlenaryPage(doc: Y.Doc, page: number, options: MutationOptions = {}): void {
  const value = Number.isFinite(page) ? Math.max(0, Math.floor(page)) : 0;
  transactAs(doc, options, () => doc.getMap<unknown>("plenary").set("page", value));
}

export function readPlenaryPage(doc: Y.Doc): number {
  const value = doc.getMap<unknown>("plenary").get("page");
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : 0;
}

// ---------------------------------------------------------------------------------------
// Suggestions (everyone but observers; decisions: drafters, through the server)

export const SUGGESTION_STATUSES = ["open", "accepted", "rejected", "withdrawn"] as const;
export type SuggestionStatus = (typeof SUGGESTION_STATUSES)[number];
export const SUPPORT_VALUES = ["support", "object"] as const;
export type SupportValue = (typeof SUPPORT_VALUES)[number];

export interface Suggestion {
  id: string;
  section: string;
  /** Encoded Yjs relative positions of the passage (base64), when anchored on one. */
  anchor: string | null;
  head: string | null;
  originalText: string;
  proposedText: string;
  author: string;
  authorId: string;
  createdAt: number;
  status: SuggestionStatus;
  reason: string;
  decidedBy: string;
  decidedAt: number | null;
  support: number;
  objections: number;
  /** The anonymous ids behind each signal (for the writer's own state; never shown). */
  signals: Map<string, SupportValue>;
}

export interface NewSuggestion {
  section: string;
  anchor?: string | null;
  head?: string | null;
  originalText: string;
  proposedText: string;
  /** Display name, or empty with the anonymous id as `authorId`. */
  author: string;
  authorId: string;
}

export function addSuggestion(
  doc: Y.Doc,
  suggestion: NewSuggestion,
  options: MutationOptions = {},
): string {
  const proposed = suggestion.proposedText.trim();
  if (proposed === "" && suggestion.originalText.trim() === "") {
    throw new Error("A suggestion proposes some text.");
  }
  const id = options.id ?? newId();
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("section", suggestion.section);
  if (suggestion.anchor) item.set("anchor", suggestion.anchor);
  if (suggestion.head) item.set("head", suggestion.head);
  item.set("originalText", suggestion.originalText);
  item.set("proposedText", proposed);
  item.set("author", suggestion.author.trim());
  item.set("authorId", suggestion.authorId);
  item.set("createdAt", now(options));
  item.set("status", "open");
  item.set("support", new Y.Map<SupportValue>());
  transactAs(doc, options, () => draftRoots(doc).suggestions.push([item]));
  return id;
}

function findSuggestion(doc: Y.Doc, id: string): Y.Map<unknown> | undefined {
  return draftRoots(doc)
    .suggestions.toArray()
    .find((item) => item.get("id") === id);
}

/** Supports or objects to a suggestion, or (`null`) withdraws the signal: one per person. */
export function setSupport(
  doc: Y.Doc,
  suggestionId: string,
  anonId: string,
  value: SupportValue | null,
  options: MutationOptions = {},
): void {
  const support = findSuggestion(doc, suggestionId)?.get("support");
  if (!(support instanceof Y.Map)) throw new Error(`No suggestion ${suggestionId}.`);
  transactAs(doc, options, () => {
    if (value === null) support.delete(anonId);
    else support.set(anonId, value);
  });
}

/** The author withdraws their suggestion (the server takes that only from them). */
export function withdrawSuggestion(
  doc: Y.Doc,
  suggestionId: string,
  options: MutationOptions = {},
): void {
  const item = findSuggestion(doc, suggestionId);
  if (!item) throw new Error(`No suggestion ${suggestionId}.`);
  transactAs(doc, options, () => item.set("status", "withdrawn"));
}

/** The drafting team's decision, as the server records it. */
export function decideSuggestion(
  doc: Y.Doc,
  suggestionId: string,
  decision: { status: "accepted" | "rejected"; reason: string; by: string; at: number },
  options: MutationOptions = {},
): void {
  const item = findSuggestion(doc, suggestionId);
  if (!item) throw new Error(`No suggestion ${suggestionId}.`);
  transactAs(doc, options, () => {
    item.set("status", decision.status);
    item.set("reason", decision.reason.trim());
    item.set("decidedBy", decision.by);
    item.set("decidedAt", decision.at);
  });
}

export function listSuggestions(doc: Y.Doc, section?: string): Suggestion[] {
  const result: Suggestion[] = [];
  for (const item of uniqueById(draftRoots(doc).suggestions)) {
    const id = readString(item.get("id"));
    const itemSection = readString(item.get("section"));
    const createdAt = item.get("createdAt");
    const status = item.get("status");
    if (!id || !itemSection || typeof createdAt !== "number") continue;
    if (section !== undefined && itemSection !== section) continue;
    const signals = new Map<string, SupportValue>();
    const support = item.get("support");
    if (support instanceof Y.Map) {
      for (const [key, value] of support) {
        if ((SUPPORT_VALUES as readonly unknown[]).includes(value)) {
          signals.set(key, value as SupportValue);
        }
      }
    }
    const decidedAt = item.get("decidedAt");
    result.push({
      id,
      section: itemSection,
      anchor: readString(item.get("anchor")) ?? null,
      head: readString(item.get("head")) ?? null,
      originalText: readString(item.get("originalText")) ?? "",
      proposedText: readString(item.get("proposedText")) ?? "",
      author: readString(item.get("author")) ?? "",
      authorId: readString(item.get("authorId")) ?? "",
      createdAt,
      status: (SUGGESTION_STATUSES as readonly unknown[]).includes(status)
        ? (status as SuggestionStatus)
        : "open",
      reason: readString(item.get("reason")) ?? "",
      decidedBy: readString(item.get("decidedBy")) ?? "",
      decidedAt: typeof decidedAt === "number" ? decidedAt : null,
      support: [...signals.values()].filter((v) => v === "support").length,
      objections: [...signals.values()].filter((v) => v === "object").length,
      signals,
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// What the room thinks of a section, across the kinds of actor

export type Tally = Record<Reaction, number>;

export interface SectionAgreement {
  section: string;
  totals: Tally;
  byKind: Partial<Record<ActorKind, Tally>>;
  /**
   * `common-ground`: every kind of actor that reacted (at least two kinds) mostly agrees;
   * `divisive`: some kinds mostly agree while others mostly disagree; null otherwise.
   */
  verdict: "common-ground" | "divisive" | null;
}

const emptyTally = (): Tally => ({ agree: 0, disagree: 0, abstain: 0 });

/**
 * The reactions of every section, totalled and by kind of actor (`kindOf` tells the kind
 * behind an anonymous id: the server knows it, the document does not).
 */
export function sectionAgreement(
  doc: Y.Doc,
  kindOf: (anonId: string) => ActorKind | undefined,
): SectionAgreement[] {
  const result: SectionAgreement[] = [];
  for (const [section, bySection] of draftRoots(doc).reactions) {
    if (!(bySection instanceof Y.Map)) continue;
    const totals = emptyTally();
    const byKind: Partial<Record<ActorKind, Tally>> = {};
    for (const [anonId, value] of bySection) {
      if (!(REACTIONS as readonly unknown[]).includes(value)) continue;
      const reaction = value as Reaction;
      totals[reaction] += 1;
      const kind = kindOf(anonId);
      if (kind === undefined) continue;
      (byKind[kind] ??= emptyTally())[reaction] += 1;
    }
    const leanings = Object.values(byKind).map((tally) =>
      tally.agree > tally.disagree ? "agree" : tally.disagree > tally.agree ? "disagree" : "even",
    );
    const verdict =
      leanings.length >= 2 && leanings.every((leaning) => leaning === "agree")
        ? "common-ground"
        : leanings.includes("agree") && leanings.includes("disagree")
          ? "divisive"
          : null;
    result.push({ section, totals, byKind, verdict });
  }
  return result;
}
