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
import { blocksToMarkdown, escapeMarkdown, flatText, joinMarkdown } from "./markdown.ts";
import { blocksOf, runsIn, type RichBlock, type RichRun } from "./richText.ts";

/**
 * A seminar's report — questions, visible answers with votes and cluster tags, the
 * recommendation text — as plain data, rendered to Markdown here and to DOCX, HTML and PDF by
 * the server.
 */
export type ReportRun = RichRun;
export type ReportBlock = RichBlock;

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

/** The report's participation in words: answers and people, then answers by kind of actor. */
export function participationLines(report: SeminarReport): [label: string, text: string][] {
  const { answers, people, byActorKind } = report.participation;
  const lines: [string, string][] = [
    [
      "Partecipazione",
      `${plural(answers, "risposta", "risposte")} da ${plural(people, "persona", "persone")}`,
    ],
  ];
  const kinds = Object.entries(byActorKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) {
    lines.push([
      "Per tipo di attore",
      kinds.map(([kind, n]) => `${ACTOR_KIND_LABEL[kind] ?? kind} ${n}`).join(", "),
    ]);
  }
  return lines;
}

/**
 * The footnotes of the recommendations: one per cited answer, numbered in order of first
 * citation, quoting the answer and its author (or "anonimo").
 */
export function reportNotes(report: SeminarReport): {
  numbers: Map<string, number>;
  notes: { n: number; text: string }[];
} {
  const answers = new Map(
    report.questions.flatMap((q) => q.answers.map((a) => [a.id, a] as const)),
  );
  const numbers = new Map<string, number>();
  const notes: { n: number; text: string }[] = [];
  for (const run of runsIn(report.recommendations)) {
    if (!run.citation || numbers.has(run.citation)) continue;
    const n = numbers.size + 1;
    numbers.set(run.citation, n);
    const answer = answers.get(run.citation);
    notes.push({
      n,
      text: answer
        ? `${flatText(answer.text)} — ${answer.author || "anonimo"}`
        : "Risposta non più visibile.",
    });
  }
  return { numbers, notes };
}

// ---------------------------------------------------------------------------------------
// Markdown

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
    ...blocksToMarkdown(report.recommendations, {
      headingOffset: 1,
      cite: (run) => run.citation || undefined,
    }),
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
  const footnotes = new Set(runsIn(report.recommendations).flatMap((run) => run.citation || []));
  for (const id of footnotes) {
    const answer = cited.get(id);
    lines.push(
      `[^${id}]: ${answer ? escapeMarkdown(answer.text.replace(/\s+/g, " ")) : "risposta non più visibile"}`,
    );
  }
  return joinMarkdown(lines);
}
