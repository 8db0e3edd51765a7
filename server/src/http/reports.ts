import { Router, type Request } from "express";
import {
  buildSeminarReport,
  effectiveRole,
  reportMarkdown,
  seminarDocumentName,
  type SeminarReport,
} from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { forbidden, notFound } from "../errors.ts";
import type { Invites } from "../invites.ts";
import { requireClaims } from "./auth.ts";
import { EXPORT_PAGE_POLICY } from "../render/html.ts";

export interface ReportRouteDeps {
  catalogue: Catalogue;
  invites: Invites;
  registry: DocumentRegistry;
}

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/** Roles that may export a seminar's report: whoever runs it, and the drafting team. */
const EXPORTERS = new Set(["admin", "facilitator", "drafter"]);

/** A seminar's report for download, as Markdown, Word, HTML or PDF. */
export function reportRoutes(deps: ReportRouteDeps): Router {
  const routes = Router();

  async function seminarReport(req: Request<{ pid: string; sid: string }>): Promise<SeminarReport> {
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
      throw forbidden("Only an admin, the seminar's facilitators or the drafters can export it");
    }
    return deps.registry.read(seminarDocumentName(seminar.id), (doc) =>
      buildSeminarReport(doc, {
        programme: { id: programme.id, title: programme.title },
        seminar: {
          id: seminar.id,
          number: seminar.number,
          title: seminar.title,
          date: seminar.date,
        },
      }),
    );
  }

  const attachment = (report: SeminarReport, extension: string) =>
    `attachment; filename="seminario-${report.seminar.number}.${extension}"`;

  routes.get("/programmes/:pid/seminars/:sid/report.md", async (req, res) => {
    const report = await seminarReport(req);
    res
      .type("text/markdown; charset=utf-8")
      .set("content-disposition", attachment(report, "md"))
      .send(reportMarkdown(report));
  });

  routes.get("/programmes/:pid/seminars/:sid/report.docx", async (req, res) => {
    const report = await seminarReport(req);
    res
      .type(DOCX_TYPE)
      .set("content-disposition", attachment(report, "docx"))
      .send(await (await import("../report/docx.ts")).reportDocx(report));
  });

  routes.get("/programmes/:pid/seminars/:sid/report.html", async (req, res) => {
    const report = await seminarReport(req);
    res
      .type("text/html; charset=utf-8")
      .set("content-disposition", attachment(report, "html"))
      .set("content-security-policy", EXPORT_PAGE_POLICY)
      .send((await import("../report/html.ts")).reportHtml(report));
  });

  routes.get("/programmes/:pid/seminars/:sid/report.pdf", async (req, res) => {
    const report = await seminarReport(req);
    res
      .type("application/pdf")
      .set("content-disposition", attachment(report, "pdf"))
      .send(await (await import("../report/pdf.ts")).reportPdf(report));
  });

  return routes;
}
