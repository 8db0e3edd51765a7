import { Router, type Request } from "express";
import { z } from "zod";
import { effectiveRole, sectionKey, seminarDocumentName } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import type { Authenticator } from "../collab/principal.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import type { DraftVersions } from "../draft/versions.ts";
import { forbidden, notFound } from "../errors.ts";
import { actorKindEntries, jobOwner, today } from "../jobs/inputs.ts";
import { jobKey, type JobPool } from "../jobs/pool.ts";
import { EXPORT_PAGE_POLICY } from "../render/html.ts";
import type { CatalogueStore } from "../storage/storage.ts";
import { requirePrincipal } from "./documents.ts";
import { sendJobOutput } from "./jobs.ts";
import { parseInput } from "./validation.ts";

export interface DraftExportRouteDeps {
  catalogue: Catalogue;
  auth: Authenticator;
  registry: DocumentRegistry;
  versions: DraftVersions;
  records: CatalogueStore;
  jobs: JobPool;
}

export const EXPORT_TYPES = {
  md: "text/markdown; charset=utf-8",
  html: "text/html; charset=utf-8",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
} as const;

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
        // Gathered here without decoding; decoded and rendered in a worker thread (issue 16).
        const draft = await deps.versions.encodedAt(programme, versionInfo?.id ?? "now");
        const seminars = [];
        for (const info of [...programme.seminars].sort((a, b) => a.number - b.number)) {
          seminars.push({ info, state: await deps.registry.encoded(seminarDocumentName(info.id)) });
        }
        const actorKinds = await actorKindEntries(deps.records);
        const at = Date.now();
        const key = jobKey([
          "draft",
          extension,
          versionInfo === null ? `now ${today(at)}` : JSON.stringify(versionInfo),
          JSON.stringify(programme),
          draft,
          ...seminars.flatMap(({ info, state }) => [info.id, state]),
          JSON.stringify(actorKinds),
        ]);
        const result = await deps.jobs.run(
          jobOwner(principal.claims),
          {
            kind: "draftExport",
            format: extension,
            programme,
            version: versionInfo,
            draft,
            seminars,
            actorKinds,
            at,
          },
          key,
        );
        const slug =
          versionInfo === null ? "" : sectionKey(versionInfo.label) || sectionKey(versionInfo.id);
        const filename = `documento-di-indirizzo${slug ? `-${slug}` : ""}.${extension}`;
        res
          .type(EXPORT_TYPES[extension])
          .set("content-disposition", `attachment; filename="${filename}"`)
          // The page is a file to keep, not an app: it may not run or fetch anything.
          .set("content-security-policy", EXPORT_PAGE_POLICY);
        sendJobOutput(res, result);
      },
    );
  }

  return routes;
}
