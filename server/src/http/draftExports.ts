import { Router, type Request } from "express";
import { z } from "zod";
import { effectiveRole, sectionKey } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import type { Authenticator } from "../collab/principal.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { buildDraftExport, type DraftExport } from "../draft/exportModel.ts";
import type { DraftVersions } from "../draft/versions.ts";
import type { People } from "../people.ts";
import { forbidden, notFound } from "../errors.ts";
import { EXPORT_PAGE_POLICY } from "../render/html.ts";
import { requirePrincipal } from "./documents.ts";
import { parseInput } from "./validation.ts";

export interface DraftExportRouteDeps {
  catalogue: Catalogue;
  auth: Authenticator;
  registry: DocumentRegistry;
  versions: DraftVersions;
  people: People;
}

export const EXPORT_TYPES = {
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
} as const;

/**
 * The renderers, each loaded on its first export: DOCX and PDF bring large libraries (and the
 * fonts) that a server restarting under a reconnect storm should not wait for.
 */
const RENDERERS: Record<
  keyof typeof EXPORT_TYPES,
  () => Promise<(model: DraftExport) => string | Promise<Buffer>>
> = {
  md: async () => (await import("../draft/export/markdown.ts")).draftMarkdown,
  html: async () => (await import("../draft/export/html.ts")).draftHtml,
  docx: async () => (await import("../draft/export/docx.ts")).draftDocx,
  pdf: async () => (await import("../draft/export/pdf.ts")).draftPdf,
};

const exportQuery = z.object({ version: z.string().min(1).max(64).optional() });

/**
 * The orientation draft's exports (DESIGN.md §5): `GET /api/programmes/:pid/draft.md|.html|
 * .docx|.pdf[?version=<id>]`, for any token of the programme — the draft is what the whole
 * programme reads and discusses. A version export shows the text as that version was.
 */
export function draftExportRoutes(deps: DraftExportRouteDeps): Router {
  const routes = Router();

  for (const extension of Object.keys(EXPORT_TYPES) as (keyof typeof EXPORT_TYPES)[]) {
    routes.get(
      `/programmes/:pid/draft.${extension}`,
      async (req: Request<{ pid: string }>, res) => {
        const principal = await requirePrincipal(req, deps.auth);
        const programme = deps.catalogue.get(req.params.pid);
        if (programme === undefined) throw notFound(`No programme '${req.params.pid}'`);
        const role = effectiveRole(principal.claims, {
          kind: "draft",
          id: programme.id,
          programmeId: programme.id,
        });
        if (role === null) throw forbidden("This token is for another programme");
        const { version } = parseInput(exportQuery, req.query, "export request");
        const versionInfo =
          version === undefined ? null : await deps.versions.get(programme, version);
        const model = await buildDraftExport(deps, programme, versionInfo);
        const render = await RENDERERS[extension]();
        const slug =
          versionInfo === null ? "" : sectionKey(versionInfo.label) || sectionKey(versionInfo.id);
        const filename = `documento-di-indirizzo${slug ? `-${slug}` : ""}.${extension}`;
        res
          .type(EXPORT_TYPES[extension])
          .set("content-disposition", `attachment; filename="${filename}"`)
          // The page is a file to keep, not an app: it may not run or fetch anything.
          .set("content-security-policy", EXPORT_PAGE_POLICY)
          .send(await render(model));
      },
    );
  }

  return routes;
}
