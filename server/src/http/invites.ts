import { Router } from "express";
import { z } from "zod";
import { ROLES, effectiveRole, type Grant } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import { forbidden, notFound } from "../errors.ts";
import type { InviteRecord, Invites } from "../invites.ts";
import type { TokenClaims } from "../tokens.ts";
import { requireClaims } from "./auth.ts";
import { parseInput } from "./validation.ts";

export interface InviteRouteDeps {
  catalogue: Catalogue;
  invites: Invites;
  /** Base URL the join links point at. */
  publicUrl: () => string;
}

const createSchema = z.object({
  role: z.enum(ROLES),
  programmeId: z.string().min(1),
  seminarId: z.string().min(1).optional(),
  expiresInSeconds: z
    .number()
    .int()
    .positive()
    .max(60 * 60 * 24 * 366)
    .optional(),
});

const listSchema = z.object({
  programmeId: z.string().min(1),
  seminarId: z.string().min(1).optional(),
});

const seconds = (ms: number) => Math.floor(ms / 1000);

/**
 * Whether the caller runs the plenary of this programme: an admin, or one of its drafters
 * (they invite the conference: programme-wide participants and observers).
 */
function runsPlenary(claims: TokenClaims, programmeId: string, seminarId: string | null): boolean {
  if (claims.role === "admin") return true;
  if (seminarId !== null) return false;
  return effectiveRole(claims, { kind: "draft", id: programmeId, programmeId }) === "drafter";
}

/** Whether the caller runs this seminar: an admin, or a facilitator of it. */
function facilitates(claims: TokenClaims, programmeId: string, seminarId: string | null): boolean {
  if (claims.role === "admin") return true;
  if (seminarId === null) return false;
  return effectiveRole(claims, { kind: "seminar", id: seminarId, programmeId }) === "facilitator";
}

/** Invites: create (with a join link), list a programme's or a seminar's, revoke. */
export function inviteRoutes(deps: InviteRouteDeps): Router {
  const routes = Router();

  const joinUrl = (token: string) => {
    const url = new URL("/join", deps.publicUrl());
    url.searchParams.set("token", token);
    return url.toString();
  };
  const view = (invite: InviteRecord) => ({
    id: invite.id,
    role: invite.role,
    programmeId: invite.programmeId,
    seminarId: invite.seminarId,
    url: joinUrl(invite.token),
    shortUrl: new URL(`${SHORT_LINK_PATH}/${invite.id}`, deps.publicUrl()).toString(),
    createdAt: seconds(invite.createdMs),
    expiresAt: invite.expiresAt,
    revokedAt: invite.revokedMs === null ? null : seconds(invite.revokedMs),
  });

  /** 404 for an unknown programme, or a seminar that is not in it. */
  const requireScope = (programmeId: string, seminarId: string | undefined) => {
    const programme = deps.catalogue.get(programmeId);
    if (programme === undefined) throw notFound(`No programme '${programmeId}'`);
    if (seminarId !== undefined && !programme.seminars.some((s) => s.id === seminarId)) {
      throw notFound(`No seminar '${seminarId}' in programme '${programmeId}'`);
    }
  };

  routes.post("/invites", async (req, res) => {
    const claims = await requireClaims(req, deps.invites);
    const request = parseInput(createSchema, req.body, "invite request");
    requireScope(request.programmeId, request.seminarId);
    // A facilitator invites to their own seminar, and never above their own role.
    const below = request.role !== "admin" && request.role !== "drafter";
    const conference =
      (request.role === "participant" || request.role === "observer") &&
      runsPlenary(claims, request.programmeId, request.seminarId ?? null);
    const allowed =
      claims.role === "admin" ||
      (facilitates(claims, request.programmeId, request.seminarId ?? null) && below) ||
      conference;
    if (!allowed) {
      throw forbidden(
        "Only an admin, a facilitator for their own seminar, or (for the conference) a drafter can create this invite",
      );
    }
    const grant: Grant = {
      role: request.role,
      programmeId: request.programmeId,
      ...(request.seminarId === undefined ? {} : { seminarId: request.seminarId }),
    };
    const invite = await deps.invites.issue(grant, request.expiresInSeconds);
    res.status(201).json({ token: invite.token, ...view(invite) });
  });

  routes.get("/invites", async (req, res) => {
    const claims = await requireClaims(req, deps.invites);
    const query = parseInput(listSchema, req.query, "invite query");
    requireScope(query.programmeId, query.seminarId);
    if (
      claims.role !== "admin" &&
      (query.seminarId === undefined
        ? !runsPlenary(claims, query.programmeId, null)
        : !facilitates(claims, query.programmeId, query.seminarId))
    ) {
      throw forbidden("Only an admin, or a facilitator for their own seminar, can list invites");
    }
    await deps.invites.refresh(); // another process may have issued some
    const listed = deps.invites.list(query.programmeId, query.seminarId);
    // A drafter sees the conference's programme-wide links, not the seminars' own.
    const shown =
      claims.role === "admin" || query.seminarId !== undefined
        ? listed
        : listed.filter((invite) => invite.seminarId === null);
    res.json(shown.map(view));
  });

  routes.delete("/invites/:id", async (req, res) => {
    const claims = await requireClaims(req, deps.invites);
    const invite = await deps.invites.find(req.params.id);
    if (invite === undefined) throw notFound(`No invite '${req.params.id}'`);
    if (
      !facilitates(claims, invite.programmeId, invite.seminarId) &&
      !runsPlenary(claims, invite.programmeId, invite.seminarId)
    ) {
      throw forbidden("Only an admin, or a facilitator of its seminar, can revoke this invite");
    }
    await deps.invites.revoke(invite.id);
    res.status(204).end();
  });

  return routes;
}

/** Short join links (`/i/<invite id>`) for QR codes a room can scan from the back row. */
export const SHORT_LINK_PATH = "/i";

/**
 * `GET /i/:id` → 302 to the invite's full join link; an unknown, revoked or expired invite
 * goes to the join page's "invalid link" notice instead.
 */
export function shortLinkRoutes(invites: Invites): Router {
  const routes = Router();
  routes.get(`${SHORT_LINK_PATH}/:id`, async (req, res) => {
    const invite = await invites.find(req.params.id);
    const usable =
      invite !== undefined &&
      invite.revokedMs === null &&
      (invite.expiresAt === null || invite.expiresAt * 1000 > Date.now());
    res.set("cache-control", "no-store");
    if (!usable) return res.redirect(302, "/join?invalid=1");
    const target = new URLSearchParams({ token: invite.token });
    res.redirect(302, `/join?${target.toString()}`);
  });
  return routes;
}
