import type { DocumentKind } from "./documents.ts";

/**
 * The root types of each kind of document (DESIGN.md §5). A root type that is not listed
 * here is refused for every role, so this table is also the server's whitelist.
 */
export type RootTypeKind = "map" | "array" | "xml";

export const SEMINAR_ROOTS = {
  session: "map",
  materials: "array",
  questions: "array",
  answers: "array",
  moderation: "map",
  recommendations: "xml",
  /** answer id → true: pinned by the facilitator (shown first, on the projector too). */
  pins: "map",
  /** answer id → true: approved, for questions under pre-moderation. */
  approvals: "map",
  /** Harvest: answers grouped under short labels, each a new theme or a governance process. */
  clusters: "array",
  /** answer id → cluster id: one key per answer, so concurrent assignments resolve to one. */
  clusterOf: "map",
} as const satisfies Record<string, RootTypeKind>;

export const DRAFT_ROOTS = {
  body: "xml",
  sources: "map",
  comments: "array",
  reactions: "map",
  /** Proposed replacements of a passage, with support and the drafting team's decision. */
  suggestions: "array",
  /** Named versions of the draft, each pointing into the attributed history. */
  versions: "array",
  /** The plenary: the section being presented (`spotlight`), the page of it on the screen (`page`). */
  plenary: "map",
} as const satisfies Record<string, RootTypeKind>;

export const PROGRAMME_ROOTS = {
  live: "map",
  announcements: "array",
  timeline: "array",
} as const satisfies Record<string, RootTypeKind>;

export type SeminarRoot = keyof typeof SEMINAR_ROOTS;
export type DraftRoot = keyof typeof DRAFT_ROOTS;
export type ProgrammeRoot = keyof typeof PROGRAMME_ROOTS;
export type RootName = SeminarRoot | DraftRoot | ProgrammeRoot;

export const ROOTS_BY_KIND: Record<DocumentKind, Readonly<Record<string, RootTypeKind>>> = {
  seminar: SEMINAR_ROOTS,
  draft: DRAFT_ROOTS,
  programme: PROGRAMME_ROOTS,
};

export function isSchemaRoot(kind: DocumentKind, name: string): boolean {
  return Object.hasOwn(ROOTS_BY_KIND[kind], name);
}
