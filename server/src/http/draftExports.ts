import { Router } from "express";
import type { Catalogue } from "../catalogue.ts";
import type { Authenticator } from "../collab/principal.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import type { DraftVersions } from "../draft/versions.ts";

export interface DraftExportRouteDeps {
  catalogue: Catalogue;
  auth: Authenticator;
  registry: DocumentRegistry;
  versions: DraftVersions;
}

/** The orientation draft's exports (DESIGN.md §5): `GET /api/programmes/:pid/draft.<ext>`. */
export function draftExportRoutes(_deps: DraftExportRouteDeps): Router {
  return Router();
}
