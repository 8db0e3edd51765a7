import type { DocumentKind } from "./documents.ts";
import type { Role } from "./roles.ts";
import { ROOTS_BY_KIND } from "./roots.ts";
import type { SeminarStatus } from "./types.ts";

/**
 * Who may write each root type (DESIGN.md §4–5). `admin` writes every schema root and
 * `observer` none; both are implied, not listed.
 */
export const WRITERS: Record<DocumentKind, Readonly<Record<string, readonly Role[]>>> = {
  seminar: {
    session: ["facilitator"],
    materials: ["facilitator", "participant"],
    questions: ["facilitator"],
    answers: ["participant", "facilitator"],
    moderation: ["facilitator"],
    recommendations: ["participant", "facilitator", "drafter"],
    pins: ["facilitator"],
    approvals: ["facilitator"],
    clusters: ["facilitator"],
    clusterOf: ["facilitator"],
  },
  draft: {
    body: ["drafter"],
    sources: ["drafter"],
    comments: ["participant", "facilitator", "drafter"],
    reactions: ["participant", "facilitator", "drafter"],
    suggestions: ["participant", "facilitator", "drafter"],
    versions: ["drafter"],
    plenary: ["drafter"],
  },
  programme: {
    live: [],
    announcements: [],
    timeline: [],
  },
};

/** Document state that permissions depend on. */
export interface PermissionState {
  /** The seminar's `session.status`; a closed seminar refuses participants' writes. */
  seminarStatus?: SeminarStatus;
}

/** The root types `role` may write in a document of `kind`, given the document's state. */
export function writableRoots(
  kind: DocumentKind,
  role: Role,
  state: PermissionState = {},
): ReadonlySet<string> {
  const roots = Object.keys(ROOTS_BY_KIND[kind]);
  if (role === "admin") return new Set(roots);
  if (role === "observer") return new Set();
  if (kind === "seminar" && role === "participant" && state.seminarStatus === "closed") {
    return new Set();
  }
  return new Set(roots.filter((root) => WRITERS[kind][root]?.includes(role)));
}

export function canWrite(
  kind: DocumentKind,
  role: Role,
  root: string,
  state: PermissionState = {},
): boolean {
  return writableRoots(kind, role, state).has(root);
}
