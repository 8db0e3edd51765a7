import express, { Router } from "express";
import type { Catalogue } from "../catalogue.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { notFound } from "../errors.ts";
import type { Invites } from "../invites.ts";
import { requireClaims } from "./auth.ts";
import { inviteRoutes } from "./invites.ts";
import { programmeRoutes } from "./programmes.ts";
import { reportRoutes } from "./reports.ts";

export interface ApiDeps {
  catalogue: Catalogue;
  invites: Invites;
  registry: DocumentRegistry;
  /** Base URL the join links point at. */
  publicUrl: () => string;
}

/** REST under /api (DESIGN.md §5): discovery, who a token is, invites, administration, exports. */
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
    const claims = await requireClaims(req, deps.invites);
    res.json({
      role: claims.role,
      programmeId: claims.programmeId,
      seminarId: claims.seminarId ?? null,
      expiresAt: claims.exp ?? null,
    });
  });

  api.use(programmeRoutes(deps));
  api.use(inviteRoutes(deps));
  api.use(reportRoutes(deps));

  api.use((req, _res) => {
    throw notFound(`No route ${req.method} /api${req.path}`);
  });
  return api;
}
