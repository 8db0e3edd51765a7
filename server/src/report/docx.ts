import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  TextRun,
  type ParagraphChild,
} from "docx";
import {
  ACTOR_KIND_LABEL,
  CLUSTER_AXIS_LABEL,
  QUESTION_STATE_LABEL,
  answerMeta,
  plural,
  type ReportAnswer,
  type ReportBlock,
  type ReportRun,
  type SeminarReport,
} from "@percorso/schema";

/**
 * A seminar's report as a Word document (the Markdown twin is `reportMarkdown` in the schema
 * package): title, programme line, participation, the recommendations with their formatting
 * and citations as footnotes quoting the cited answer, the key questions with their answers,
 * and the clusters of the harvest.
 */

const ORDERED = "ordered-list";

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

/** The heading for a level of the report's outline (1 = the report's own sections). */
const heading = (level: number) => HEADINGS[Math.max(0, Math.min(level, HEADINGS.length) - 1)];

/** Footnote numbers for cited answers, in order of first citation. */
class Footnotes {
  readonly notes: Record<number, { children: Paragraph[] }> = {};
  private readonly ids = new Map<string, number>();
  private readonly answers: Map<string, ReportAnswer>;

  constructor(answers: Map<string, ReportAnswer>) {
    this.answers = answers;
  }

  numberFor(answerId: string): number {
    let n = this.ids.get(answerId);
    if (n === undefined) {
      n = this.ids.size + 1;
      this.ids.set(answerId, n);
      const answer = this.answers.get(answerId);
      const text = answer
        ? `${flat(answer.text)} — ${answer.author || "anonimo"}`
        : "Risposta non più visibile.";
      this.notes[n] = { children: [new Paragraph({ children: [new TextRun(text)] })] };
    }
    return n;
  }
}

const flat = (text: string) => text.replace(/\s+/g, " ").trim();

/** Text runs for one run's text, a line break for each `\n` (hard breaks in the editor). */
function textRuns(run: ReportRun, style?: string): TextRun[] {
  return run.text.split("\n").map(
    (line, index) =>
      new TextRun({
        text: line,
        ...(index > 0 ? { break: 1 } : {}),
        ...(run.bold ? { bold: true } : {}),
        ...(run.italic ? { italics: true } : {}),
        ...(style === undefined ? {} : { style }),
      }),
  );
}

function inlines(runs: readonly ReportRun[], footnotes: Footnotes): ParagraphChild[] {
  return runs.flatMap((run): ParagraphChild[] => {
    if (run.citation !== undefined) {
      return [...textRuns(run), new FootnoteReferenceRun(footnotes.numberFor(run.citation))];
    }
    if (run.link !== undefined) {
      return [new ExternalHyperlink({ link: run.link, children: textRuns(run, "Hyperlink") })];
    }
    return textRuns(run);
  });
}

interface ListState {
  /** Each ordered list gets its own numbering instance, so it starts from 1. */
  nextInstance: number;
}

function blockParagraphs(
  blocks: readonly ReportBlock[],
  footnotes: Footnotes,
  lists: ListState,
  depth = -1,
  marker?: { ordered: boolean; instance: number },
): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  for (const block of blocks) {
    if (block.type === "list") {
      const instance = lists.nextInstance++;
      for (const item of block.items) {
        paragraphs.push(
          ...blockParagraphs(item, footnotes, lists, depth + 1, {
            ordered: block.ordered,
            instance,
          }),
        );
      }
      continue;
    }
    const children = inlines(block.runs, footnotes);
    if (block.type === "heading") {
      // Under the report's own "Raccomandazioni" (level 1): the editor's parts are level 2.
      paragraphs.push(new Paragraph({ heading: heading(Math.max(2, block.level)), children }));
      continue;
    }
    const level = Math.max(0, Math.min(depth, 8));
    if (marker === undefined) paragraphs.push(new Paragraph({ children }));
    else if (marker.ordered) {
      paragraphs.push(
        new Paragraph({
          children,
          numbering: { reference: ORDERED, level, instance: marker.instance },
        }),
      );
    } else paragraphs.push(new Paragraph({ children, bullet: { level } }));
  }
  return paragraphs;
}

function answerParagraph(answer: ReportAnswer): Paragraph {
  const meta = answerMeta(answer);
  return new Paragraph({
    bullet: { level: 0 },
    children: [
      new TextRun(flat(answer.text)),
      new TextRun({ text: ` — ${meta.join(" · ")}`, italics: true, color: "555555" }),
    ],
  });
}

function participationLines(report: SeminarReport): Paragraph[] {
  const { answers, people, byActorKind } = report.participation;
  const lines = [
    new Paragraph({
      children: [
        new TextRun({ text: "Partecipazione: ", bold: true }),
        new TextRun(
          `${plural(answers, "risposta", "risposte")} da ${plural(people, "persona", "persone")}`,
        ),
      ],
    }),
  ];
  const kinds = Object.entries(byActorKind).sort((a, b) => b[1] - a[1]);
  if (kinds.length > 0) {
    lines.push(
      new Paragraph({
        children: [
          new TextRun({ text: "Per tipo di attore: ", bold: true }),
          new TextRun(
            kinds.map(([kind, n]) => `${ACTOR_KIND_LABEL[kind] ?? kind} ${n}`).join(", "),
          ),
        ],
      }),
    );
  }
  return lines;
}

/** Renders the report as a .docx file. */
export async function reportDocx(report: SeminarReport): Promise<Buffer> {
  const answers = new Map(
    report.questions.flatMap((q) => q.answers.map((a) => [a.id, a] as const)),
  );
  const footnotes = new Footnotes(answers);
  const lists: ListState = { nextInstance: 1 };
  const title = `Seminario ${report.seminar.number}: ${report.seminar.title}`;

  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }),
    new Paragraph({
      children: [
        new TextRun({ text: report.programme.title, italics: true }),
        new TextRun(` · ${report.seminar.date}`),
      ],
    }),
    ...participationLines(report),
    new Paragraph({ heading: heading(1), children: [new TextRun("Raccomandazioni")] }),
    ...blockParagraphs(report.recommendations, footnotes, lists),
    new Paragraph({ heading: heading(1), children: [new TextRun("Domande chiave e risposte")] }),
  ];
  report.questions.forEach((question, index) => {
    children.push(
      new Paragraph({
        heading: heading(2),
        children: [
          new TextRun(`${index + 1}. ${question.text} (${QUESTION_STATE_LABEL[question.state]})`),
        ],
      }),
    );
    if (question.answers.length === 0) {
      children.push(
        new Paragraph({ children: [new TextRun({ text: "Nessuna risposta.", italics: true })] }),
      );
    }
    children.push(...question.answers.map(answerParagraph));
  });
  if (report.clusters.length > 0) {
    children.push(
      new Paragraph({
        heading: heading(1),
        children: [new TextRun("Raccolta: gruppi di risposte")],
      }),
    );
    for (const cluster of report.clusters) {
      children.push(
        new Paragraph({
          bullet: { level: 0 },
          children: [
            new TextRun({ text: cluster.label, bold: true }),
            new TextRun(
              ` (${CLUSTER_AXIS_LABEL[cluster.axis]}): ${plural(cluster.answerIds.length, "risposta", "risposte")}`,
            ),
          ],
        }),
      );
    }
  }
  children.push(
    new Paragraph({
      spacing: { before: 400 },
      children: [
        new TextRun({
          text: `Esportato da Percorso il ${new Date(report.generatedAt).toISOString().slice(0, 10)}`,
          size: 16,
          color: "777777",
        }),
      ],
    }),
  );

  const document = new Document({
    title,
    creator: "Percorso",
    description: `${report.programme.title} — ${title}`,
    footnotes: footnotes.notes,
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: Array.from({ length: 9 }, (_, level) => ({
            level,
            format: LevelFormat.DECIMAL,
            text: `%${level + 1}.`,
            alignment: AlignmentType.START,
            style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
          })),
        },
      ],
    },
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
