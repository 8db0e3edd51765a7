import { Router, type Request } from "express";
import { z } from "zod";
import {
  draftDocumentName,
  effectiveRole,
  listSections,
  listSuggestions,
  type Programme,
  type Role,
} from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import type { Authenticator, Principal } from "../collab/principal.ts";
import { authorOf } from "../collab/principal.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { findCitedAnswer } from "../draft/answers.ts";
import type { DraftDesk } from "../draft/desk.ts";
import type { Plenary } from "../draft/plenary.ts";
import type { People } from "../people.ts";
import type { CatalogueStore, DocumentStore } from "../storage/storage.ts";
import type { DraftVersions } from "../draft/versions.ts";
import { forbidden, invalidInput, notFound } from "../errors.ts";
import { requirePrincipal } from "./documents.ts";
import { parseInput } from "./validation.ts";
import { actorKindEntries, jobOwner, today } from "../jobs/inputs.ts";
import { jobKey, type JobPool } from "../jobs/pool.ts";
import { jobJson, sendJobOutput } from "./jobs.ts";

export interface DraftRouteDeps {
  catalogue: Catalogue;
  auth: Authenticator;
  registry: DocumentRegistry;
  desk: DraftDesk;
  versions: DraftVersions;
  plenary: Plenary;
  people: People;
  store: DocumentStore;
  records: CatalogueStore;
  jobs: JobPool;
}

const rollupSchema = z.object({
  seminarId: z.string().min(1),
  mode: z.enum(["replace", "append"]).default("replace"),
});
const mergeSchema = z.object({
  token: z.string().min(1),
  resolutions: z.array(z.enum(["ours", "theirs", "both"])).default([]),
});
const versionSchema = z.object({ label: z.string().trim().min(1).max(120) });
const compareSchema = z.object({ from: z.string().min(1), to: z.string().min(1).default("now") });
const restoreSchema = z.object({ chapter: z.string().min(1).optional() });
const decisionSchema = z.object({
  reason: z.string().trim().max(2000).default(""),
  /** false: the drafting team took the suggestion up by hand; record it, change nothing. */
  apply: z.boolean().default(true),
});

/** Who took part, read from the log on the first report (the module brings the DOCX library). */
const conferenceReport = () => import("../draft/conferenceReport.ts");

/** Roles of the drafting desk: they write the draft through the server. */
const DRAFTERS: ReadonlySet<Role> = new Set(["admin", "drafter"]);

/**
 * The drafting desk's REST (DESIGN.md §5, under `/api/programmes/:pid`): roll-up, sources and
 * their staleness, redline, three-way merge, versions, and the cited answers any reader of the
 * programme can follow back to the room.
 */
export function draftRoutes(deps: DraftRouteDeps): Router {
  const routes = Router();

  const context = async (req: Request<{ pid: string }>) => {
    const principal: Principal = await requirePrincipal(req, deps.auth);
    const programme: Programme | undefined = deps.catalogue.get(req.params.pid);
    if (programme === undefined) throw notFound(`No programme '${req.params.pid}'`);
    const role = effectiveRole(principal.claims, {
      kind: "draft",
      id: programme.id,
      programmeId: programme.id,
    });
    if (role === null) throw forbidden("This token is for another programme");
    return { principal, programme, role };
  };
  const drafting = async (req: Request<{ pid: string }>) => {
    const found = await context(req);
    if (!DRAFTERS.has(found.role)) throw forbidden("Only the drafting team can do this");
    return { ...found, author: authorOf(found.principal, found.role) };
  };

  routes.post("/programmes/:pid/draft/rollup", async (req, res) => {
    const { programme, author } = await drafting(req);
    const { seminarId, mode } = parseInput(rollupSchema, req.body, "roll-up request");
    const { chapter, source } = await deps.desk.rollUp(programme, seminarId, mode, author);
    res.json({ chapter, seminarId, rolledUpAt: source.rolledUpAt, by: source.by, mode });
  });

  routes.get("/programmes/:pid/draft/sources", async (req, res) => {
    const { programme } = await drafting(req);
    res.json(await deps.desk.status(programme));
  });

  routes.get("/programmes/:pid/draft/sources/:chapter/diff", async (req, res) => {
    const { programme } = await drafting(req);
    res.json(await deps.desk.diff(programme, req.params.chapter));
  });

  routes.get("/programmes/:pid/draft/sources/:chapter/merge", async (req, res) => {
    const { programme } = await drafting(req);
    res.json(await deps.desk.mergePreview(programme, req.params.chapter));
  });

  routes.post("/programmes/:pid/draft/sources/:chapter/merge", async (req, res) => {
    const { programme, author } = await drafting(req);
    const { token, resolutions } = parseInput(mergeSchema, req.body, "merge request");
    const { chapter, source } = await deps.desk.merge(
      programme,
      req.params.chapter,
      token,
      resolutions,
      author,
    );
    res.json({ chapter, rolledUpAt: source.rolledUpAt, by: source.by, mode: source.mode });
  });

  routes.post("/programmes/:pid/draft/sources/:chapter/ignore", async (req, res) => {
    const { programme, author } = await drafting(req);
    const { chapter, source } = await deps.desk.ignore(programme, req.params.chapter, author);
    res.json({ chapter, rolledUpAt: source.rolledUpAt, by: source.by, mode: source.mode });
  });

  routes.get("/programmes/:pid/draft/versions", async (req, res) => {
    const { programme } = await drafting(req);
    res.json(await deps.versions.list(programme));
  });

  routes.post("/programmes/:pid/draft/versions", async (req, res) => {
    const { programme, author } = await drafting(req);
    const { label } = parseInput(versionSchema, req.body, "version");
    res.status(201).json(await deps.versions.create(programme, label, author));
  });

  routes.get("/programmes/:pid/draft/versions/:id", async (req, res) => {
    const { programme, principal } = await drafting(req);
    const version = await deps.versions.get(programme, req.params.id);
    // The log replayed up to the version, in a worker (issue 16).
    const state = await deps.versions.encodedAt(programme, version.id);
    const { output } = await deps.jobs.run(
      jobOwner(principal.claims),
      { kind: "versionBody", state },
      jobKey(["version body", state]),
    );
    res.json({ ...version, body: jobJson(output) });
  });

  routes.get("/programmes/:pid/draft/compare", async (req, res) => {
    const { programme, principal } = await drafting(req);
    const { from, to } = parseInput(compareSchema, req.query, "comparison");
    if (from === to) throw invalidInput("Compare two different versions");
    // Both moments replayed and compared in a worker (issue 16).
    const [then, now] = [
      await deps.versions.encodedAt(programme, from),
      await deps.versions.encodedAt(programme, to),
    ];
    const { output } = await deps.jobs.run(
      jobOwner(principal.claims),
      { kind: "compare", from: then, to: now },
      jobKey(["compare", then, "to", now]),
    );
    res.json({ from, to, ...(jobJson(output) as object) });
  });

  routes.post("/programmes/:pid/draft/versions/:id/restore", async (req, res) => {
    const { programme, author } = await drafting(req);
    const { chapter } = parseInput(restoreSchema, req.body ?? {}, "restore request");
    const version = await deps.versions.restore(programme, req.params.id, author, chapter);
    res.json({ restored: version.id, chapter: chapter ?? null, at: Date.now() });
  });

  for (const status of ["accepted", "rejected"] as const) {
    const verb = status === "accepted" ? "accept" : "reject";
    routes.post(`/programmes/:pid/draft/suggestions/:id/${verb}`, async (req, res) => {
      const { programme, author } = await drafting(req);
      const { reason, apply } = parseInput(decisionSchema, req.body ?? {}, "decision");
      res.json(
        await deps.plenary
          .decide(programme, req.params.id, { status, reason, apply }, author)
          .then(({ signals: _signals, ...suggestion }) => suggestion),
      );
    });
  }

  /**
   * The public "Esito delle proposte": every suggestion, its support and objections, what
   * became of it and why — for anyone, with no token (no author ids, no one's signal).
   */
  routes.get("/programmes/:pid/draft/outcomes", async (req, res) => {
    const programme = deps.catalogue.get(req.params.pid);
    if (programme === undefined) throw notFound(`No programme '${req.params.pid}'`);
    const suggestions = await deps.registry.read(draftDocumentName(programme.id), (doc) =>
      listSuggestions(doc),
    );
    res.json(
      suggestions.map(
        ({ signals: _signals, authorId: _authorId, anchor: _a, head: _h, ...rest }) => rest,
      ),
    );
  });

  /**
   * The draft's chapters (key and title, in order) for the public "Esito": a visitor with no
   * token sees each suggestion under the title of its section, as the live page does.
   */
  routes.get("/programmes/:pid/draft/sections", async (req, res) => {
    const programme = deps.catalogue.get(req.params.pid);
    if (programme === undefined) throw notFound(`No programme '${req.params.pid}'`);
    res.json(await deps.registry.read(draftDocumentName(programme.id), (doc) => listSections(doc)));
  });

  /** What the room thinks of each section, by kind of actor: public totals, no one's reaction. */
  routes.get("/programmes/:pid/draft/agreement", async (req, res) => {
    const { programme } = await context(req);
    res.json(await deps.plenary.agreement(programme));
  });

  /** The conference's report (participants, sections by agreement, suggestions by outcome). */
  for (const format of ["md", "docx"] as const) {
    routes.get(`/programmes/:pid/conference.${format}`, async (req, res) => {
      const { programme, principal } = await context(req);
      // Who took part is read here (the log, the people); the draft is decoded, tallied and
      // rendered in a worker (issue 16).
      const participants = await (await conferenceReport()).conferenceParticipants(deps, programme);
      const draft = await deps.registry.encoded(draftDocumentName(programme.id));
      const actorKinds = await actorKindEntries(deps.records);
      const at = Date.now();
      const result = await deps.jobs.run(
        jobOwner(principal.claims),
        { kind: "conferenceReport", format, programme, draft, participants, actorKinds, at },
        jobKey([
          "conference",
          format,
          today(at),
          JSON.stringify(programme),
          JSON.stringify(participants),
          JSON.stringify(actorKinds),
          draft,
        ]),
      );
      res
        .type(
          format === "md"
            ? "text/markdown; charset=utf-8"
            : "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        .attachment(`conferenza.${format}`);
      sendJobOutput(res, result);
    });
  }

  routes.get("/programmes/:pid/answers/:answerId", async (req, res) => {
    const { programme } = await context(req);
    const seminarId = typeof req.query.seminarId === "string" ? req.query.seminarId : undefined;
    res.json(await findCitedAnswer(deps.registry, programme, req.params.answerId, seminarId));
  });

  return routes;
}
