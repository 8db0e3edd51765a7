import { Router } from "express";
import { z } from "zod";
import {
  GLOBAL_PROGRAMME,
  ROLES,
  isValidInviteScope,
  mayListInvites,
  mayManageInvite,
  type Grant,
  type InviteScope,
} from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import type { Authenticator } from "../collab/principal.ts";
import { forbidden, invalidInput, notFound } from "../errors.ts";
import type { InviteRecord, Invites } from "../invites.ts";
import type { People } from "../people.ts";
import { requirePrincipal } from "./documents.ts";
import { parseInput } from "./validation.ts";

export interface InviteRouteDeps {
  catalogue: Catalogue;
  invites: Invites;
  auth: Authenticator;
  people: People;
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

const scopeOf = (invite: InviteRecord): InviteScope => ({
  role: invite.role,
  programmeId: invite.programmeId,
  seminarId: invite.seminarId,
});

/**
 * Invites: create (with a join link), list, revoke — each through `mayManageInvite`, the
 * staff roles' table (DESIGN.md §4.2). A listing says what an invite is, never its token: only
 * its creator gets the links, once, in the answer to the create.
 */
export function inviteRoutes(deps: InviteRouteDeps): Router {
  const routes = Router();

  const joinUrl = (token: string) => {
    const url = new URL("/join", deps.publicUrl());
    url.searchParams.set("token", token);
    return url.toString();
  };
  const view = (invite: InviteRecord, joined: number) => ({
    id: invite.id,
    role: invite.role,
    programmeId: invite.programmeId,
    seminarId: invite.seminarId,
    createdBy: invite.createdBy ?? null,
    createdAt: seconds(invite.createdMs),
    expiresAt: invite.expiresAt,
    revokedAt: invite.revokedMs === null ? null : seconds(invite.revokedMs),
    joined,
  });

  /** 404 for an unknown programme, or a seminar that is not in it ("*" is every programme). */
  const requireScope = (programmeId: string, seminarId: string | undefined) => {
    if (programmeId === GLOBAL_PROGRAMME && seminarId === undefined) return;
    const programme = deps.catalogue.get(programmeId);
    if (programme === undefined) throw notFound(`No programme '${programmeId}'`);
    if (seminarId !== undefined && !programme.seminars.some((s) => s.id === seminarId)) {
      throw notFound(`No seminar '${seminarId}' in programme '${programmeId}'`);
    }
  };

  routes.post("/invites", async (req, res) => {
    const principal = await requirePrincipal(req, deps.auth);
    const request = parseInput(createSchema, req.body, "invite request");
    requireScope(request.programmeId, request.seminarId);
    const scope: InviteScope = {
      role: request.role,
      programmeId: request.programmeId,
      seminarId: request.seminarId ?? null,
    };
    if (!mayManageInvite(principal.claims, scope, "create")) {
      throw forbidden(
        "Only an admin of the programme, a facilitator for their own seminar's participants and observers, or a drafter for the conference's can create this invite",
      );
    }
    if (!isValidInviteScope(scope)) {
      throw invalidInput(
        scope.programmeId === GLOBAL_PROGRAMME
          ? "Only an admin invite can span every programme"
          : `An invite of role '${scope.role}' is for the whole programme, not one seminar`,
      );
    }
    const grant: Grant = {
      role: request.role,
      programmeId: request.programmeId,
      ...(request.seminarId === undefined ? {} : { seminarId: request.seminarId }),
    };
    const createdBy = { id: principal.authorId, name: principal.writer.name };
    const invite = await deps.invites.issue(grant, createdBy, request.expiresInSeconds);
    res.status(201).json({
      ...view(invite, 0),
      token: invite.token,
      url: joinUrl(invite.token),
      shortUrl: new URL(`${SHORT_LINK_PATH}/${invite.code}`, deps.publicUrl()).toString(),
    });
  });

  routes.get("/invites", async (req, res) => {
    const { claims } = await requirePrincipal(req, deps.auth);
    const query = parseInput(listSchema, req.query, "invite query");
    requireScope(query.programmeId, query.seminarId);
    const where = { programmeId: query.programmeId, seminarId: query.seminarId ?? null };
    if (!mayListInvites(claims, where)) {
      throw forbidden("These invites are not yours to list");
    }
    // Another process may have issued some, or made people of them.
    await Promise.all([deps.invites.refresh(), deps.people.refresh()]);
    const joined = deps.people.joinedPerInvite();
    const shown = deps.invites
      .list(query.programmeId, query.seminarId)
      .filter((invite) => mayManageInvite(claims, scopeOf(invite), "see"));
    res.json(shown.map((invite) => view(invite, joined.get(invite.id) ?? 0)));
  });

  routes.delete("/invites/:id", async (req, res) => {
    const { claims } = await requirePrincipal(req, deps.auth);
    const invite = await deps.invites.find(req.params.id);
    // 403 rather than 404 for an invite out of reach: its id is in logs and history anyway.
    if (invite === undefined) throw notFound(`No invite '${req.params.id}'`);
    if (!mayManageInvite(claims, scopeOf(invite), "revoke")) {
      throw forbidden("This invite is not yours to revoke");
    }
    await deps.invites.revoke(invite.id);
    res.status(204).end();
  });

  return routes;
}

/** Short join links (`/i/<code>`) for QR codes a room can scan from the back row. */
export const SHORT_LINK_PATH = "/i";

/**
 * `GET /i/:code` → 302 to the invite's full join link; an unknown code (an invite id among
 * them), a revoked or an expired invite goes to the join page's "invalid link" notice instead.
 */
export function shortLinkRoutes(invites: Invites): Router {
  const routes = Router();
  routes.get(`${SHORT_LINK_PATH}/:code`, async (req, res) => {
    const invite = await invites.findByCode(req.params.code);
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
