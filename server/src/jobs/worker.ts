import * as Y from "yjs";
import {
  ACTOR_KINDS,
  blocksOf,
  buildSeminarReport,
  reportMarkdown,
  type ActorKind,
  type DocumentKind,
  type DraftVersion,
  type Programme,
  type SeminarInfo,
} from "@percorso/schema";
import {
  assembleConferenceReport,
  type ConferenceParticipants,
} from "../draft/conferenceReport.ts";
import { assembleExport, readDraftPart, readSeminar } from "../draft/exportModel.ts";
import { bodyTexts, redlineWithContext } from "../draft/versions.ts";
import { describeDocument } from "../collab/history.ts";

/**
 * The worker threads' entry (issue 16, "heavy work off the event loop"): everything that
 * decodes a whole document or renders a file runs here, from inputs the main thread gathered
 * without decoding — a document is the list of encoded updates that make it (the live
 * document's shared encoded state, or a snapshot and the log after it). Nothing here touches
 * storage, sockets or the registry.
 */

/** A document as updates to apply, in order. */
export type EncodedDocument = Uint8Array[];

export type ExportFormat = "md" | "html" | "docx" | "pdf";

/** What the seminar report names (the catalogue's facts). */
export interface SeminarReportContext {
  programme: { id: string; title: string };
  seminar: { id: string; number: number; title: string; date: string };
}

export type Job =
  | {
      kind: "draftExport";
      format: ExportFormat;
      programme: Programme;
      version: DraftVersion | null;
      draft: EncodedDocument;
      seminars: { info: SeminarInfo; state: EncodedDocument }[];
      /** Anonymous id → kind of actor, for the reactions' totals by kind. */
      actorKinds: [anonId: string, kind: string][];
      at: number;
    }
  | {
      kind: "seminarReport";
      format: ExportFormat;
      seminar: EncodedDocument;
      context: SeminarReportContext;
    }
  | {
      kind: "conferenceReport";
      format: "md" | "docx";
      programme: Programme;
      draft: EncodedDocument;
      participants: ConferenceParticipants;
      actorKinds: [anonId: string, kind: string][];
      at: number;
    }
  | { kind: "describe"; documentKind: DocumentKind; state: EncodedDocument }
  | { kind: "versionBody"; state: EncodedDocument }
  | { kind: "compare"; from: EncodedDocument; to: EncodedDocument };

/** A file (Markdown or HTML as text, DOCX or PDF as bytes), or JSON for the history routes. */
export type JobOutput = string | Uint8Array | { json: unknown };

function decode(updates: EncodedDocument): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return doc;
}

/** Runs `read` on a decoded copy, dropped right after. */
function withDoc<T>(updates: EncodedDocument, read: (doc: Y.Doc) => T): T {
  const doc = decode(updates);
  try {
    return read(doc);
  } finally {
    doc.destroy();
  }
}

function kindLookup(entries: [string, string][]): (anonId: string) => ActorKind | undefined {
  const kinds = new Map(entries);
  return (anonId) => {
    const kind = kinds.get(anonId);
    return kind !== undefined && (ACTOR_KINDS as readonly string[]).includes(kind)
      ? (kind as ActorKind)
      : undefined;
  };
}

async function draftExport(job: Extract<Job, { kind: "draftExport" }>): Promise<JobOutput> {
  const draft = withDoc(job.draft, (doc) => readDraftPart(doc, kindLookup(job.actorKinds)));
  const seminars = job.seminars.map(({ info, state }) =>
    withDoc(state, (doc) => readSeminar(doc, info)),
  );
  const model = assembleExport(job.programme, draft, seminars, {
    version: job.version,
    at: job.at,
  });
  // Each renderer loads on its first use in this thread: DOCX and PDF bring large libraries.
  switch (job.format) {
    case "md":
      return (await import("../draft/export/markdown.ts")).draftMarkdown(model);
    case "html":
      return (await import("../draft/export/html.ts")).draftHtml(model);
    case "docx":
      return (await import("../draft/export/docx.ts")).draftDocx(model);
    case "pdf":
      return (await import("../draft/export/pdf.ts")).draftPdf(model);
  }
}

async function seminarReport(job: Extract<Job, { kind: "seminarReport" }>): Promise<JobOutput> {
  const report = withDoc(job.seminar, (doc) => buildSeminarReport(doc, job.context));
  switch (job.format) {
    case "md":
      return reportMarkdown(report);
    case "html":
      return (await import("../report/html.ts")).reportHtml(report);
    case "docx":
      return (await import("../report/docx.ts")).reportDocx(report);
    case "pdf":
      return (await import("../report/pdf.ts")).reportPdf(report);
  }
}

async function conferenceReport(
  job: Extract<Job, { kind: "conferenceReport" }>,
): Promise<JobOutput> {
  const report = withDoc(job.draft, (doc) =>
    assembleConferenceReport(
      doc,
      job.programme,
      job.participants,
      kindLookup(job.actorKinds),
      job.at,
    ),
  );
  const { conferenceMarkdown, conferenceDocx } = await import("../draft/conferenceReport.ts");
  return job.format === "md" ? conferenceMarkdown(report) : conferenceDocx(report);
}

/** The worker's one entry: piscina calls it with each job. */
export default async function runJob(job: Job): Promise<JobOutput> {
  switch (job.kind) {
    case "draftExport":
      return draftExport(job);
    case "seminarReport":
      return seminarReport(job);
    case "conferenceReport":
      return conferenceReport(job);
    case "describe":
      return { json: withDoc(job.state, (doc) => describeDocument(doc, job.documentKind)) };
    case "versionBody":
      return {
        json: withDoc(job.state, (doc) => ({
          markup: doc.getXmlFragment("body").toString(),
          // The same blocks as structured data (escaping is the reader's: the markup is Yjs's).
          blocks: blocksOf(doc.getXmlFragment("body")),
          text: bodyTexts(doc),
        })),
      };
    case "compare":
      return {
        // Only the changes and a paragraph around each (issue 22), not the whole text again.
        json: redlineWithContext(
          withDoc(job.from, bodyTexts).join("\n\n"),
          withDoc(job.to, bodyTexts).join("\n\n"),
        ),
      };
  }
}
