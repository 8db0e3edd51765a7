import * as Y from "yjs";
import {
  answerCounts,
  answersFor,
  clusterLabelsByAnswer,
  listClusters,
  participation,
  type AnswerCounts,
  type Cluster,
  type Participation,
} from "./facilitation.ts";
import { listQuestions, readSession, type SessionState } from "./seminar.ts";
import type { QuestionState } from "./types.ts";
import { italianDate, italianDateWithArticle } from "./dates.ts";
import { plural } from "./words.ts";
import { blocksToMarkdown, escapeMarkdown, flatText, joinMarkdown } from "./markdown.ts";
import { blocksOf, runsIn, type RichBlock, type RichRun } from "./richText.ts";

// The words helpers are the package's through this module (as `plural` always was).
export { innerQuotes, plural, quoted } from "./words.ts";

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
  /** How many answers are merged into this one… */
  merged: number;
  /** …and what they said: their words are part of the report too. */
  mergedAnswers: { text: string; author: string }[];
  pinned: boolean;
  tags: string[];
}

export interface ReportQuestion {
  id: string;
  text: string;
  /** Closed once the seminar is: nothing is open in a concluded seminar. */
  state: QuestionState;
  answers: ReportAnswer[];
  counts: AnswerCounts;
}

export interface SeminarReport {
  programme: { id: string; title: string };
  seminar: { id: string; number: number; title: string; date: string };
  session: SessionState;
  questions: ReportQuestion[];
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
  const session = readSession(doc);
  return {
    ...meta,
    session,
    questions: listQuestions(doc)
      .filter((q) => q.state !== "draft")
      .map((question) => ({
        id: question.id,
        text: question.text,
        state: session.status === "closed" ? "closed" : question.state,
        counts: answerCounts(doc, question.id),
        // What the projector shows: approved, not hidden, merged folded; most voted first.
        answers: answersFor(doc, question.id, { kind: "projector" }, "votes").map((a) => ({
          id: a.id,
          text: a.text,
          author: a.author,
          actorKind: a.actorKind ?? null,
          votes: a.votes,
          merged: a.merged.length,
          mergedAnswers: a.merged.map((m) => ({ text: m.text, author: m.author })),
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

/** What the report says of an answer after its text: votes, author, kind, merges, pin, tags. */
export function answerMeta(answer: ReportAnswer): string[] {
  return [
    plural(answer.votes, "voto", "voti"),
    answer.author || "anonimo",
    ...(answer.actorKind ? [ACTOR_KIND_LABEL[answer.actorKind] ?? answer.actorKind] : []),
    // As the console says it: the answers merged into this one, not counting itself.
    ...(answer.merged > 0
      ? [
          answer.merged === 1
            ? "riunisce 1 risposta simile"
            : `riunisce ${answer.merged} risposte simili`,
        ]
      : []),
    ...(answer.pinned ? ["in evidenza"] : []),
    ...answer.tags.map((tag) => `#${tag}`),
  ];
}

/** The seminar's answers in a line: written, by how many people, and how many are shown. */
export function answersSummary(report: SeminarReport): string {
  const { answers, people, hidden, merged, pending } = report.participation;
  const shown = answers - hidden - merged - pending;
  const apart = [
    ...(merged > 0 ? [merged === 1 ? "1 unita a un'altra" : `${merged} unite ad altre`] : []),
    ...(hidden > 0 ? [hidden === 1 ? "1 nascosta" : `${hidden} nascoste`] : []),
    ...(pending > 0 ? [`${pending} in attesa di approvazione`] : []),
  ];
  return (
    `${plural(answers, "risposta", "risposte")} da ${plural(people, "persona", "persone")}` +
    (apart.length > 0 ? ` (${shown} mostrate; ${apart.join(", ")})` : "")
  );
}

/** The report's participation in words: answers and people, then answers by kind of actor. */
export function participationLines(report: SeminarReport): [label: string, text: string][] {
  const lines: [string, string][] = [["Partecipazione", answersSummary(report)]];
  const kinds = Object.entries(report.participation.byActorKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) {
    lines.push([
      "Per tipo di attore",
      kinds.map(([kind, n]) => `${ACTOR_KIND_LABEL[kind] ?? kind} ${n}`).join(", "),
    ]);
  }
  return lines;
}

/** A merged answer as the report lists it under the one it was merged into. */
export const mergedLine = (merged: { text: string; author: string }): string =>
  `${flatText(merged.text)} — ${merged.author || "anonimo"}`;

/**
 * The footnotes of the recommendations: one per citation, in reading order (an answer cited
 * twice has two notes, as a Word processor expects), quoting the answer and its author (or
 * "anonimo"). Each citation run gets its number as `note`.
 */
export function reportNotes(report: SeminarReport): { n: number; text: string }[] {
  const answers = new Map(
    report.questions.flatMap((q) => q.answers.map((a) => [a.id, a] as const)),
  );
  const notes: { n: number; text: string }[] = [];
  for (const run of runsIn(report.recommendations)) {
    if (run.footnote !== undefined) {
      // The room's editor offers none, but the text may hold one (a roll-up's source is shared).
      run.note = notes.length + 1;
      notes.push({ n: run.note, text: run.footnote });
      continue;
    }
    if (!run.citation) continue;
    const n = notes.length + 1;
    run.note = n;
    const answer = answers.get(run.citation);
    notes.push({
      n,
      text: answer
        ? `${flatText(answer.text)} — ${answer.author || "anonimo"}`
        : "Risposta non più visibile.",
    });
  }
  return notes;
}

// ---------------------------------------------------------------------------------------
// Markdown

/** The report as Markdown (Italian headings), citations as numbered footnotes. */
export function reportMarkdown(report: SeminarReport): string {
  const notes = reportNotes(report);
  const lines: string[] = [
    `# Seminario ${report.seminar.number}: ${escapeMarkdown(report.seminar.title)}`,
    "",
    `${escapeMarkdown(report.programme.title)} · ${italianDate(report.seminar.date)} · ` +
      escapeMarkdown(answersSummary(report)),
    "",
    "## Raccomandazioni",
    "",
    ...blocksToMarkdown(report.recommendations, {
      headingOffset: 1,
      cite: (run) => (run.note === undefined ? undefined : String(run.note)),
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
      lines.push(`- ${escapeMarkdown(flatText(answer.text))} — ${meta.join(" · ")}`);
      for (const merged of answer.mergedAnswers) {
        lines.push(`   - _unita:_ ${escapeMarkdown(mergedLine(merged))}`);
      }
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
  for (const note of notes) lines.push(`[^${note.n}]: ${escapeMarkdown(note.text)}`);
  lines.push("", `_Esportato da Percorso ${italianDateWithArticle(report.generatedAt)}_`);
  return joinMarkdown(lines);
}
