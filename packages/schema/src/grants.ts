import { GLOBAL_PROGRAMME, ROLES, isGlobalAdmin, type Grant, type Role } from "./roles.ts";

/**
 * Staff roles as data (DESIGN.md §4.2): the order of the roles, and which invites each grant
 * may see, create and revoke. The server checks every invite route with `mayManageInvite`;
 * the web app offers only what the same table allows.
 */

/** admin > facilitator/drafter > participant > observer. */
export const ROLE_RANK: Readonly<Record<Role, number>> = {
  admin: 3,
  facilitator: 2,
  drafter: 2,
  participant: 1,
  observer: 0,
};

export const INVITE_ACTIONS = ["see", "create", "revoke"] as const;
export type InviteAction = (typeof INVITE_ACTIONS)[number];

/**
 * An invite as the rules see it: its role and what it reaches. `programmeId` is
 * `GLOBAL_PROGRAMME` for a global admin invite; `seminarId` null for a programme-wide one.
 */
export interface InviteScope {
  role: Role;
  programmeId: string;
  seminarId: string | null;
}

/**
 * Which invites a reach covers, relative to the grant that holds it:
 * - `everywhere`: every invite, the global ones included;
 * - `programme`: every invite of the grant's programme, programme-wide or of any seminar;
 * - `ownSeminars`: the invites of a seminar the grant runs (its own seminar; every seminar of
 *   its programme for a grant without one, as `effectiveRole` has it);
 * - `programmeWide`: the programme-wide invites of the grant's programme (the conference's).
 */
export type InviteWhere = "everywhere" | "programme" | "ownSeminars" | "programmeWide";

export interface InviteReach {
  roles: readonly Role[];
  where: InviteWhere;
  actions: readonly InviteAction[];
}

/** A global admin is its own kind: the only one that reaches beyond one programme. */
export type GrantKind = "globalAdmin" | Role;

export function grantKind(grant: Grant): GrantKind {
  return isGlobalAdmin(grant) ? "globalAdmin" : grant.role;
}

const INVITED_BY_STAFF: readonly Role[] = ["participant", "observer"];

/**
 * The table: per kind of grant, the invites it reaches. Nobody reaches a role above their
 * own; a facilitator or a drafter reaches only participants and observers (never another
 * facilitator's, drafter's or an admin's invite).
 */
export const INVITE_REACH: Readonly<Record<GrantKind, readonly InviteReach[]>> = {
  globalAdmin: [{ roles: ROLES, where: "everywhere", actions: INVITE_ACTIONS }],
  admin: [{ roles: ROLES, where: "programme", actions: INVITE_ACTIONS }],
  facilitator: [{ roles: INVITED_BY_STAFF, where: "ownSeminars", actions: INVITE_ACTIONS }],
  drafter: [{ roles: INVITED_BY_STAFF, where: "programmeWide", actions: INVITE_ACTIONS }],
  participant: [],
  observer: [],
};

/**
 * Where an invite of each role may point: a global invite only for an admin; admins and
 * drafters are of a programme, never of one seminar (their grant would not be narrower).
 */
export const INVITE_SCOPES: Readonly<
  Record<Role, readonly ("global" | "programme" | "seminar")[]>
> = {
  admin: ["global", "programme"],
  drafter: ["programme"],
  facilitator: ["programme", "seminar"],
  participant: ["programme", "seminar"],
  observer: ["programme", "seminar"],
};

function scopeKind(invite: InviteScope): "global" | "programme" | "seminar" {
  if (invite.programmeId === GLOBAL_PROGRAMME) return "global";
  return invite.seminarId === null ? "programme" : "seminar";
}

/** Whether an invite of this role may point where it does (else the request is invalid). */
export function isValidInviteScope(invite: InviteScope): boolean {
  const kind = scopeKind(invite);
  if (kind === "global" && invite.seminarId !== null) return false;
  return INVITE_SCOPES[invite.role].includes(kind);
}

function within(where: InviteWhere, grant: Grant, invite: InviteScope): boolean {
  switch (where) {
    case "everywhere":
      return true;
    case "programme":
      return invite.programmeId === grant.programmeId;
    case "ownSeminars":
      return (
        invite.programmeId === grant.programmeId &&
        invite.seminarId !== null &&
        (grant.seminarId === undefined || grant.seminarId === invite.seminarId)
      );
    case "programmeWide":
      return invite.programmeId === grant.programmeId && invite.seminarId === null;
  }
}

/** Whether `grant` may see, create or revoke `invite` — the one check of every invite route. */
export function mayManageInvite(grant: Grant, invite: InviteScope, action: InviteAction): boolean {
  return INVITE_REACH[grantKind(grant)].some(
    (reach) =>
      reach.actions.includes(action) &&
      reach.roles.includes(invite.role) &&
      within(reach.where, grant, invite),
  );
}

/** The roles `grant` may invite to a programme (`seminarId` null) or one of its seminars. */
export function creatableInviteRoles(
  grant: Grant,
  where: { programmeId: string; seminarId: string | null },
): Role[] {
  return ROLES.filter((role) => {
    const invite = { role, ...where };
    return isValidInviteScope(invite) && mayManageInvite(grant, invite, "create");
  });
}

/** Whether `grant` may see some invites of this programme (or seminar): the list is theirs to ask. */
export function mayListInvites(
  grant: Grant,
  where: { programmeId: string; seminarId: string | null },
): boolean {
  return ROLES.some((role) => mayManageInvite(grant, { role, ...where }, "see"));
}
