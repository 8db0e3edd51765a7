import * as Y from "yjs";
import {
  answersFor,
  clusterLabelsByAnswer,
  listClusters,
  participation,
  type Cluster,
  type Participation,
} from "./facilitation.ts";
import { listQuestions, readSession, type SessionState } from "./seminar.ts";
import type { QuestionState } from "./types.ts";
import { ANSWER_REF_NODE } from "./xml.ts";

/**
 * A seminar's report — questions, visible answers with votes and cluster tags, the
 * recommendation text — as plain data, rendered to Markdown here and to DOCX by the server.
 */
export interface ReportRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  link?: string;
  /** The id of the cited answer, for an `answerRef` node. */
  citation?: string;
}

export type ReportBlock =
  | { type: "heading"; level: number; runs: ReportRun[] }
  | { type: "paragraph"; runs: ReportRun[] }
  | { type: "list"; ordered: boolean; items: ReportBlock[][] };

export interface ReportAnswer {
  id: string;
  text: string;
  author: string;
  actorKind: string | null;
  votes: number;
  merged: number;
  pinned: boolean;
  tags: string[];
}

export interface SeminarReport {
  programme: { id: string; title: string };
  seminar: { id: string; number: number; title: string; date: string };
  session: SessionState;
  questions: { id: string; text: string; state: QuestionState; answers: ReportAnswer[] }[];
  clusters: Cluster[];
  recommendations: ReportBlock[];
  participation: Participation;
  generatedAt: number;
}

export function buildSeminarReport(
  doc: Y.Doc,
  meta: {
    programme: { id: string; title: string };
    seminar: { id: string; number: number; title: string; date: string };
  },
  at = Date.now(),
): SeminarReport {
  const tags = clusterLabelsByAnswer(doc);
  return {
    ...meta,
    session: readSession(doc),
    questions: listQuestions(doc)
      .filter((q) => q.state !== "draft")
      .map((question) => ({
        id: question.id,
        text: question.text,
        state: question.state,
        // What the projector shows: approved, not hidden, merged folded; most voted first.
        answers: answersFor(doc, question.id, { kind: "projector" }, "votes").map((a) => ({
          id: a.id,
          text: a.text,
          author: a.author,
          actorKind: a.actorKind ?? null,
          votes: a.votes,
          merged: a.merged.length,
          pinned: a.pinned,
          tags: tags.get(a.id) ?? [],
        })),
      })),
    clusters: listClusters(doc),
    recommendations: blocksOf(doc.getXmlFragment("recommendations")),
    participation: participation(doc),
    generatedAt: at,
  };
}

/** The ProseMirror-shaped XML of a Tiptap text as report blocks. */
export function blocksOf(parent: Y.XmlFragment | Y.XmlElement): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (const node of parent.toArray()) {
    if (!(node instanceof Y.XmlElement)) continue;
    switch (node.nodeName) {
      case "heading":
        blocks.push({
          type: "heading",
          level: Number(node.getAttribute("level")) || 2,
          runs: runsOf(node),
        });
        break;
      case "bulletList":
      case "orderedList":
        blocks.push({
          type: "list",
          ordered: node.nodeName === "orderedList",
          items: node
            .toArray()
            .filter((item): item is Y.XmlElement => item instanceof Y.XmlElement)
            .map((item) => blocksOf(item)),
        });
        break;
      case "blockquote":
        blocks.push(...blocksOf(node));
        break;
      default:
        blocks.push({ type: "paragraph", runs: runsOf(node) });
    }
  }
  return blocks;
}

function runsOf(element: Y.XmlElement): ReportRun[] {
  const runs: ReportRun[] = [];
  for (const child of element.toArray()) {
    if (child instanceof Y.XmlText) {
      for (const delta of child.toDelta() as {
        insert: unknown;
        attributes?: Record<string, unknown>;
      }[]) {
        if (typeof delta.insert !== "string") continue;
        const attrs = delta.attributes ?? {};
        const link = attrs.link as { href?: unknown } | undefined;
        runs.push({
          text: delta.insert,
          ...(attrs.bold ? { bold: true } : {}),
          ...(attrs.italic ? { italic: true } : {}),
          ...(typeof link?.href === "string" ? { link: link.href } : {}),
        });
      }
    } else if (child instanceof Y.XmlElement && child.nodeName === ANSWER_REF_NODE) {
      const id = child.getAttribute("answerId");
      const label = child.getAttribute("label");
      runs.push({
        text: `«${typeof label === "string" ? label : ""}»`,
        ...(typeof id === "string" ? { citation: id } : {}),
      });
    } else if (child instanceof Y.XmlElement && child.nodeName === "hardBreak") {
      runs.push({ text: "\n" });
    }
  }
  return runs;
}

// ---------------------------------------------------------------------------------------
// Words every rendering of the report uses (Markdown here, DOCX in the server)

export const QUESTION_STATE_LABEL: Record<QuestionState, string> = {
  draft: "bozza",
  open: "aperta",
  closed: "chiusa",
};
export const CLUSTER_AXIS_LABEL = {
  theme: "nuovo tema",
  process: "processo / metodologia di governance",
} as const;
export const ACTOR_KIND_LABEL: Record<string, string> = {
  ngo: "ONG e società civile",
  "local-authority": "enti locali",
  university: "università e ricerca",
  business: "imprese",
  diaspora: "associazioni della diaspora",
  "public-body": "enti pubblici",
  other: "altro",
  unknown: "non indicato",
};

export const plural = (n: number, one: string, many: string): string =>
  `${n} ${n === 1 ? one : many}`;

/** What the report says of an answer after its text: votes, author, kind, merges, pin, tags. */
export function answerMeta(answer: ReportAnswer): string[] {
  return [
    plural(answer.votes, "voto", "voti"),
    answer.author || "anonimo",
    ...(answer.actorKind ? [ACTOR_KIND_LABEL[answer.actorKind] ?? answer.actorKind] : []),
    ...(answer.merged > 0 ? [`riunisce ${answer.merged + 1} risposte`] : []),
    ...(answer.pinned ? ["in evidenza"] : []),
    ...answer.tags.map((tag) => `#${tag}`),
  ];
}

// ---------------------------------------------------------------------------------------
// Markdown

function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/([\\`*_[\]#<>|])/g, "\\$1")
      // A line opening with "- ", "+ " or "1. " would turn the text into a list.
      .replace(/^(\s*)([-+])(?=\s|$)/gm, "$1\\$2")
      .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, "$1\\$2")
  );
}

/** Wraps text in an emphasis marker, leaving its outer spaces out (`** x**` is no emphasis). */
function emphasis(text: string, marker: string): string {
  const [, before = "", core = "", after = ""] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? [];
  return core ? `${before}${marker}${core}${marker}${after}` : text;
}

function runsToMarkdown(runs: readonly ReportRun[]): string {
  return runs
    .map((run) => {
      let text = escapeMarkdown(run.text).replace(/\n/g, "  \n");
      if (run.citation) return `${text}[^${run.citation}]`;
      if (run.bold) text = emphasis(text, "**");
      if (run.italic) text = emphasis(text, "_");
      if (run.link) text = `[${text}](${run.link})`;
      return text;
    })
    .join("");
}

function blocksToMarkdown(blocks: readonly ReportBlock[], indent = ""): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === "heading") {
      lines.push(`${"#".repeat(Math.min(6, block.level + 1))} ${runsToMarkdown(block.runs)}`, "");
    } else if (block.type === "paragraph") {
      const text = runsToMarkdown(block.runs);
      if (text.trim()) lines.push(`${indent}${text}`, "");
    } else {
      block.items.forEach((item, index) => {
        const marker = block.ordered ? `${index + 1}.` : "-";
        const [first = "", ...rest] = blocksToMarkdown(item, `${indent}   `).filter(
          (l) => l !== "",
        );
        lines.push(`${indent}${marker} ${first.trimStart()}`, ...rest);
      });
      lines.push("");
    }
  }
  return lines;
}

/** The report as Markdown (Italian headings), citations as footnotes pointing to answers. */
export function reportMarkdown(report: SeminarReport): string {
  const lines: string[] = [
    `# Seminario ${report.seminar.number}: ${escapeMarkdown(report.seminar.title)}`,
    "",
    `${escapeMarkdown(report.programme.title)} · ${report.seminar.date} · ` +
      `${report.participation.answers} risposte da ${report.participation.people} persone`,
    "",
    "## Raccomandazioni",
    "",
    ...blocksToMarkdown(report.recommendations),
    "## Domande chiave e risposte",
    "",
  ];
  for (const [index, question] of report.questions.entries()) {
    lines.push(
      `### ${index + 1}. ${escapeMarkdown(question.text)} (${QUESTION_STATE_LABEL[question.state]})`,
      "",
    );
    if (question.answers.length === 0) lines.push("_Nessuna risposta._", "");
    for (const answer of question.answers) {
      const meta = answerMeta(answer).map(escapeMarkdown);
      lines.push(`- ${escapeMarkdown(answer.text.replace(/\s+/g, " "))} — ${meta.join(" · ")}`);
    }
    lines.push("");
  }
  if (report.clusters.length > 0) {
    lines.push("## Raccolta: gruppi di risposte", "");
    for (const cluster of report.clusters) {
      lines.push(
        `- **${escapeMarkdown(cluster.label)}** (${CLUSTER_AXIS_LABEL[cluster.axis]}): ${plural(cluster.answerIds.length, "risposta", "risposte")}`,
      );
    }
    lines.push("");
  }
  const cited = new Map(report.questions.flatMap((q) => q.answers.map((a) => [a.id, a] as const)));
  const footnotes = [...new Set(report.recommendations.flatMap(citationsOf))];
  for (const id of footnotes) {
    const answer = cited.get(id);
    lines.push(
      `[^${id}]: ${answer ? escapeMarkdown(answer.text.replace(/\s+/g, " ")) : "risposta non più visibile"}`,
    );
  }
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

function citationsOf(block: ReportBlock): string[] {
  if (block.type === "list") return block.items.flatMap((item) => item.flatMap(citationsOf));
  return block.runs.flatMap((run) => (run.citation ? [run.citation] : []));
}
