import express, { Router } from "express";
import type { Catalogue } from "../catalogue.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { notFound } from "../errors.ts";
import type { Invites } from "../invites.ts";
import type { People } from "../people.ts";
import type { Authenticator } from "../collab/principal.ts";
import type { JobPool } from "../jobs/pool.ts";
import type { CatalogueStore, DocumentStore } from "../storage/storage.ts";
import type { Tokens } from "../tokens.ts";
import { documentRoutes } from "./documents.ts";
import { draftRoutes } from "./draft.ts";
import { facilitationRoutes } from "./facilitation.ts";
import { draftExportRoutes } from "./draftExports.ts";
import type { DraftDesk } from "../draft/desk.ts";
import type { DraftVersions } from "../draft/versions.ts";
import type { Plenary } from "../draft/plenary.ts";
import { inviteRoutes } from "./invites.ts";
import type { ClientIdDirectory } from "../clientIdDirectory.ts";
import { peopleRoutes } from "./people.ts";
import { programmeRoutes } from "./programmes.ts";
import { reportRoutes } from "./reports.ts";

export interface ApiDeps {
  catalogue: Catalogue;
  invites: Invites;
  people: People;
  auth: Authenticator;
  tokens: Tokens;
  registry: DocumentRegistry;
  store: DocumentStore;
  desk: DraftDesk;
  versions: DraftVersions;
  plenary: Plenary;
  /** The Yjs client ids handed to people at join and on every `GET /api/me`. */
  clientIds: ClientIdDirectory;
  /** The worker threads: exports, reports and history replays (issue 16). */
  jobs: JobPool;
  /** Stored records (people's facts a job needs, read fresh). */
  records: CatalogueStore;
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

  api.use(peopleRoutes(deps));
  api.use(programmeRoutes(deps));
  api.use(inviteRoutes(deps));
  api.use(reportRoutes(deps));
  api.use(documentRoutes(deps));
  api.use(draftRoutes(deps));
  api.use(facilitationRoutes(deps));
  api.use(draftExportRoutes(deps));

  api.use((req, _res) => {
    throw notFound(`No route ${req.method} /api${req.path}`);
  });
  return api;
}
