import type { DocumentKind } from "./documents.ts";

export const ROLES = ["admin", "facilitator", "drafter", "participant", "observer"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/**
 * The programme id of a grant that spans every programme. Only an admin grant may carry it:
 * `ADMIN_TOKEN`, the admin link printed at the first start, and admin invites a global admin
 * makes for it. Any other admin grant is an admin of its own programme only.
 */
export const GLOBAL_PROGRAMME = "*";

/** What a signed invite token grants: a role within a programme, optionally one seminar. */
export interface Grant {
  role: Role;
  programmeId: string;
  /** A facilitator's or participant's own seminar; absent for programme-wide grants. */
  seminarId?: string;
}

/** The document a connection asks for, with the programme it belongs to. */
export interface DocumentScope {
  kind: DocumentKind;
  id: string;
  programmeId: string;
}

/** An admin of every programme, the one grant that may create programmes. */
export function isGlobalAdmin(grant: Grant): boolean {
  return grant.role === "admin" && grant.programmeId === GLOBAL_PROGRAMME;
}

/** An admin of `programmeId`: a global admin, or an admin grant made for that programme. */
export function isAdminOf(grant: Grant, programmeId: string): boolean {
  return grant.role === "admin" && (isGlobalAdmin(grant) || grant.programmeId === programmeId);
}

/**
 * The role a grant has on one document, or `null` when the document is outside the grant.
 * A seminar-scoped facilitator is a participant elsewhere in the programme; a seminar-scoped
 * participant reads the other seminars; programme documents are read by everyone in it. An
 * admin is admin of its programme's documents, or of every document when global, and of
 * nothing else.
 */
export function effectiveRole(grant: Grant, doc: DocumentScope): Role | null {
  if (grant.role === "admin") return isAdminOf(grant, doc.programmeId) ? "admin" : null;
  if (grant.programmeId !== doc.programmeId) return null;
  if (doc.kind === "programme") return "observer";
  const ownSeminar =
    grant.seminarId === undefined || (doc.kind === "seminar" && grant.seminarId === doc.id);
  switch (grant.role) {
    case "facilitator":
      if (doc.kind === "draft") return "participant";
      return ownSeminar ? "facilitator" : "participant";
    case "participant":
      if (doc.kind === "draft") return "participant";
      return ownSeminar ? "participant" : "observer";
    case "drafter":
    case "observer":
      return grant.role;
  }
}
