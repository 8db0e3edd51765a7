import { describe, expect, it } from "vitest";
import {
  GLOBAL_PROGRAMME,
  INVITE_ACTIONS,
  INVITE_REACH,
  ROLES,
  ROLE_RANK,
  creatableInviteRoles,
  effectiveRole,
  isAdminOf,
  isValidInviteScope,
  mayListInvites,
  mayManageInvite,
  type Grant,
  type InviteScope,
  type Role,
} from "../src/index.ts";

const A = "prog-a";
const B = "prog-b";
const globalAdmin: Grant = { role: "admin", programmeId: GLOBAL_PROGRAMME };
const adminA: Grant = { role: "admin", programmeId: A };
const facilitatorS1: Grant = { role: "facilitator", programmeId: A, seminarId: "s1" };
const drafterA: Grant = { role: "drafter", programmeId: A };
const participant: Grant = { role: "participant", programmeId: A, seminarId: "s1" };
const observer: Grant = { role: "observer", programmeId: A };

/** Every invite of both programmes: each role, programme-wide and in two seminars, and global. */
const invites: InviteScope[] = [
  ...[A, B].flatMap((programmeId) =>
    ROLES.flatMap((role) =>
      [null, "s1", "s2"].map((seminarId) => ({
        role,
        programmeId,
        seminarId: seminarId === null ? null : `${programmeId === A ? "" : "b-"}${seminarId}`,
      })),
    ),
  ),
  { role: "admin", programmeId: GLOBAL_PROGRAMME, seminarId: null },
];

const reached = (grant: Grant, action: (typeof INVITE_ACTIONS)[number]) =>
  invites.filter((invite) => mayManageInvite(grant, invite, action));

describe("staff roles as data", () => {
  it("orders the roles admin > facilitator/drafter > participant > observer", () => {
    expect(ROLE_RANK.admin).toBeGreaterThan(ROLE_RANK.facilitator);
    expect(ROLE_RANK.facilitator).toBe(ROLE_RANK.drafter);
    expect(ROLE_RANK.drafter).toBeGreaterThan(ROLE_RANK.participant);
    expect(ROLE_RANK.participant).toBeGreaterThan(ROLE_RANK.observer);
  });

  it("no reach of the table goes above its own role, and only admins reach their peers", () => {
    for (const [kind, reaches] of Object.entries(INVITE_REACH)) {
      const own: Role = kind === "globalAdmin" ? "admin" : (kind as Role);
      for (const reach of reaches) {
        for (const role of reach.roles) {
          if (own === "admin") expect(ROLE_RANK[role]).toBeLessThanOrEqual(ROLE_RANK[own]);
          else expect(ROLE_RANK[role], `${kind} → ${role}`).toBeLessThan(ROLE_RANK[own]);
        }
      }
    }
  });

  it("a global admin reaches every invite, a programme admin only its programme's", () => {
    for (const action of INVITE_ACTIONS) {
      expect(reached(globalAdmin, action)).toEqual(invites);
      expect(reached(adminA, action)).toEqual(invites.filter((i) => i.programmeId === A));
    }
  });

  it("a facilitator reaches its seminar's participant and observer invites only", () => {
    for (const action of INVITE_ACTIONS) {
      expect(reached(facilitatorS1, action)).toEqual([
        { role: "participant", programmeId: A, seminarId: "s1" },
        { role: "observer", programmeId: A, seminarId: "s1" },
      ]);
    }
    // A facilitator of the whole programme runs every seminar of it, not the conference.
    const everySeminar: Grant = { role: "facilitator", programmeId: A };
    expect(reached(everySeminar, "see").map((i) => `${i.role}@${i.seminarId}`)).toEqual([
      "participant@s1",
      "participant@s2",
      "observer@s1",
      "observer@s2",
    ]);
  });

  it("a drafter reaches the conference's participant and observer invites only", () => {
    for (const action of INVITE_ACTIONS) {
      expect(reached(drafterA, action)).toEqual([
        { role: "participant", programmeId: A, seminarId: null },
        { role: "observer", programmeId: A, seminarId: null },
      ]);
    }
    for (const role of ["admin", "facilitator", "drafter"] as const) {
      for (const action of INVITE_ACTIONS) {
        expect(mayManageInvite(drafterA, { role, programmeId: A, seminarId: null }, action)).toBe(
          false,
        );
      }
    }
  });

  it("participants and observers reach nothing", () => {
    for (const action of INVITE_ACTIONS) {
      expect(reached(participant, action)).toEqual([]);
      expect(reached(observer, action)).toEqual([]);
    }
  });

  it("offers each grant only the roles it may create, where it may", () => {
    expect(creatableInviteRoles(globalAdmin, { programmeId: A, seminarId: "s1" })).toEqual([
      "facilitator",
      "participant",
      "observer",
    ]);
    expect(creatableInviteRoles(adminA, { programmeId: A, seminarId: null })).toEqual([
      "admin",
      "facilitator",
      "drafter",
      "participant",
      "observer",
    ]);
    expect(creatableInviteRoles(adminA, { programmeId: B, seminarId: null })).toEqual([]);
    expect(creatableInviteRoles(facilitatorS1, { programmeId: A, seminarId: "s1" })).toEqual([
      "participant",
      "observer",
    ]);
    expect(creatableInviteRoles(facilitatorS1, { programmeId: A, seminarId: "s2" })).toEqual([]);
    expect(creatableInviteRoles(drafterA, { programmeId: A, seminarId: null })).toEqual([
      "participant",
      "observer",
    ]);
    expect(creatableInviteRoles(drafterA, { programmeId: A, seminarId: "s1" })).toEqual([]);
    expect(creatableInviteRoles(participant, { programmeId: A, seminarId: "s1" })).toEqual([]);
  });

  it("global invites are admin invites only; admins and drafters are not of one seminar", () => {
    expect(
      isValidInviteScope({ role: "admin", programmeId: GLOBAL_PROGRAMME, seminarId: null }),
    ).toBe(true);
    expect(
      isValidInviteScope({ role: "drafter", programmeId: GLOBAL_PROGRAMME, seminarId: null }),
    ).toBe(false);
    expect(isValidInviteScope({ role: "admin", programmeId: A, seminarId: "s1" })).toBe(false);
    expect(isValidInviteScope({ role: "drafter", programmeId: A, seminarId: "s1" })).toBe(false);
    expect(isValidInviteScope({ role: "participant", programmeId: A, seminarId: "s1" })).toBe(true);
  });

  it("lists are asked only where the grant sees something of that scope", () => {
    expect(mayListInvites(facilitatorS1, { programmeId: A, seminarId: "s1" })).toBe(true);
    expect(mayListInvites(facilitatorS1, { programmeId: A, seminarId: "s2" })).toBe(false);
    expect(mayListInvites(facilitatorS1, { programmeId: A, seminarId: null })).toBe(false);
    expect(mayListInvites(drafterA, { programmeId: A, seminarId: null })).toBe(true);
    expect(mayListInvites(drafterA, { programmeId: A, seminarId: "s1" })).toBe(false);
    expect(mayListInvites(adminA, { programmeId: B, seminarId: null })).toBe(false);
    expect(mayListInvites(participant, { programmeId: A, seminarId: "s1" })).toBe(false);
  });
});

describe("admin grants per programme, or explicitly global", () => {
  const draftOf = (programmeId: string) =>
    ({ kind: "draft", id: programmeId, programmeId }) as const;

  it("an admin of one programme is nobody in another; a global admin is admin everywhere", () => {
    expect(isAdminOf(adminA, A)).toBe(true);
    expect(isAdminOf(adminA, B)).toBe(false);
    expect(isAdminOf(globalAdmin, B)).toBe(true);
    expect(isAdminOf(drafterA, A)).toBe(false);
    expect(effectiveRole(adminA, draftOf(A))).toBe("admin");
    expect(effectiveRole(adminA, draftOf(B))).toBeNull();
    expect(effectiveRole(globalAdmin, draftOf(B))).toBe("admin");
  });
});
