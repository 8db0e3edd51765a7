import { Router, type Request } from "express";
import { effectiveRole, seminarDocumentName } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { forbidden, notFound } from "../errors.ts";
import type { Invites } from "../invites.ts";
import { jobOwner, today } from "../jobs/inputs.ts";
import { jobKey, type JobPool } from "../jobs/pool.ts";
import type { ExportFormat } from "../jobs/worker.ts";
import { requireClaims } from "./auth.ts";
import { EXPORT_PAGE_POLICY } from "../render/html.ts";
import { EXPORT_TYPES } from "./draftExports.ts";
import { sendJobOutput } from "./jobs.ts";

export interface ReportRouteDeps {
  catalogue: Catalogue;
  invites: Invites;
  registry: DocumentRegistry;
  jobs: JobPool;
}

/** Roles that may export a seminar's report: whoever runs it, and the drafting team. */
const EXPORTERS = new Set(["admin", "facilitator", "drafter"]);

/** A seminar's report for download, as Markdown, Word, HTML or PDF. */
export function reportRoutes(deps: ReportRouteDeps): Router {
  const routes = Router();

  /** The report, built and rendered in a worker from the seminar's encoded state (issue 16). */
  for (const format of Object.keys(EXPORT_TYPES) as ExportFormat[]) {
    routes.get(
      `/programmes/:pid/seminars/:sid/report.${format}`,
      async (req: Request<{ pid: string; sid: string }>, res) => {
        const claims = await requireClaims(req, deps.invites);
        const found = deps.catalogue.findSeminar(req.params.pid, req.params.sid);
        if (found === undefined) {
          throw notFound(`No seminar '${req.params.sid}' in programme '${req.params.pid}'`);
        }
        const { programme, seminar } = found;
        const role = effectiveRole(claims, {
          kind: "seminar",
          id: seminar.id,
          programmeId: programme.id,
        });
        if (role === null || !EXPORTERS.has(role)) {
          throw forbidden(
            "Only an admin, the seminar's facilitators or the drafters can export it",
          );
        }
        const state = await deps.registry.encoded(seminarDocumentName(seminar.id));
        const context = {
          programme: { id: programme.id, title: programme.title },
          seminar: {
            id: seminar.id,
            number: seminar.number,
            title: seminar.title,
            date: seminar.date,
          },
        };
        const result = await deps.jobs.run(
          jobOwner(claims),
          { kind: "seminarReport", format, seminar: state, context },
          jobKey(["seminar report", format, today(), JSON.stringify(context), state]),
        );
        res
          .type(EXPORT_TYPES[format])
          .set(
            "content-disposition",
            `attachment; filename="seminario-${seminar.number}.${format}"`,
          );
        if (format === "html") res.set("content-security-policy", EXPORT_PAGE_POLICY);
        sendJobOutput(res, result);
      },
    );
  }

  return routes;
}
