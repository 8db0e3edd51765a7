import express, { Router } from "express";
import { z } from "zod";
import { ROLES, effectiveRole } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import { forbidden, invalidInput, notFound } from "../errors.ts";
import type { Tokens } from "../tokens.ts";
import { requireClaims } from "./auth.ts";

export interface ApiDeps {
  catalogue: Catalogue;
  tokens: Tokens;
  /** Base URL the join links point at. */
  publicUrl: () => string;
}

const inviteSchema = z.object({
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

/** REST under /api (DESIGN.md §5): discovery and invites. */
export function createApi(deps: ApiDeps): Router {
  const api = Router();
  api.use(express.json({ limit: "256kb" }));

  api.get("/programmes", (_req, res) => {
    res.json(
      deps.catalogue
        .list()
        .map(({ id, title, period, place, mode }) => ({ id, title, period, place, mode })),
    );
  });

  api.get("/programmes/:id", (req, res) => {
    const programme = deps.catalogue.get(req.params.id);
    if (programme === undefined) throw notFound(`No programme '${req.params.id}'`);
    res.json(deps.catalogue.describe(programme));
  });

  /** Who a token is: the join page checks a link before asking for a name. */
  api.get("/me", async (req, res) => {
    const claims = await requireClaims(req, deps.tokens);
    res.json({
      role: claims.role,
      programmeId: claims.programmeId,
      seminarId: claims.seminarId ?? null,
      expiresAt: claims.exp ?? null,
    });
  });

  api.post("/invites", async (req, res) => {
    const claims = await requireClaims(req, deps.tokens);
    const parsed = inviteSchema.safeParse(req.body);
    if (!parsed.success)
      throw invalidInput("Invalid invite request", z.flattenError(parsed.error).fieldErrors);
    const invite = parsed.data;
    const programme = deps.catalogue.get(invite.programmeId);
    if (programme === undefined) throw notFound(`No programme '${invite.programmeId}'`);
    if (
      invite.seminarId !== undefined &&
      !programme.seminars.some((s) => s.id === invite.seminarId)
    ) {
      throw notFound(`No seminar '${invite.seminarId}' in programme '${invite.programmeId}'`);
    }
    if (claims.role !== "admin") {
      // A facilitator invites to their own seminar, and never above their own role.
      const ownRole =
        invite.seminarId === undefined
          ? null
          : effectiveRole(claims, {
              kind: "seminar",
              id: invite.seminarId,
              programmeId: programme.id,
            });
      if (ownRole !== "facilitator" || invite.role === "admin" || invite.role === "drafter") {
        throw forbidden(
          "Only an admin, or a facilitator for their own seminar, can create this invite",
        );
      }
    }
    const { token, claims: issued } = await deps.tokens.issue(
      {
        role: invite.role,
        programmeId: invite.programmeId,
        ...(invite.seminarId === undefined ? {} : { seminarId: invite.seminarId }),
      },
      invite.expiresInSeconds,
    );
    const url = new URL("/join", deps.publicUrl());
    url.searchParams.set("token", token);
    res
      .status(201)
      .json({ token, url: url.toString(), role: issued.role, expiresAt: issued.exp ?? null });
  });

  api.use((req, _res) => {
    throw notFound(`No route ${req.method} /api${req.path}`);
  });
  return api;
}
