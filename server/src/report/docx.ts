import { Document, HeadingLevel, Packer, Paragraph, TextRun, type Table } from "docx";
import {
  CLUSTER_AXIS_LABEL,
  QUESTION_STATE_LABEL,
  answerMeta,
  flatText,
  italianDate,
  italianDateWithArticle,
  mergedLine,
  participationLines,
  plural,
  reportNotes,
  type ReportAnswer,
  type SeminarReport,
} from "@percorso/schema";
import {
  DOCUMENT_STYLES,
  ORDERED_NUMBERING,
  blockChildren,
  footnoteOf,
  heading,
  type DocxTextOptions,
} from "../render/docx.ts";

/**
 * A seminar's report as a Word document (the Markdown twin is `reportMarkdown` in the schema
 * package): title, programme line, participation, the recommendations with their formatting
 * and citations as footnotes quoting the cited answer, the key questions with their answers,
 * and the clusters of the harvest.
 */

/** An answer as a bullet, and the answers merged into it one level below. */
function answerParagraphs(answer: ReportAnswer): Paragraph[] {
  const meta = answerMeta(answer);
  return [
    new Paragraph({
      bullet: { level: 0 },
      children: [
        new TextRun(flatText(answer.text)),
        new TextRun({ text: ` — ${meta.join(" · ")}`, italics: true, color: "555555" }),
      ],
    }),
    ...answer.mergedAnswers.map(
      (merged) =>
        new Paragraph({
          bullet: { level: 1 },
          children: [
            new TextRun({ text: "unita: ", italics: true, color: "555555" }),
            new TextRun(mergedLine(merged)),
          ],
        }),
    ),
  ];
}

/** Renders the report as a .docx file. */
export async function reportDocx(report: SeminarReport): Promise<Buffer> {
  const notes = reportNotes(report);
  const text: DocxTextOptions = {
    // One footnote per citation: Word and LibreOffice expect each reference to have its own.
    cite: (run) => run.note,
    // Under the report's own "Raccomandazioni" (level 1): the editor's parts are level 2.
    headingLevel: (level) => Math.max(2, level),
  };
  const title = `Seminario ${report.seminar.number}: ${report.seminar.title}`;

  const children: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(title)] }),
    new Paragraph({
      children: [
        new TextRun({ text: report.programme.title, italics: true }),
        new TextRun(` · ${italianDate(report.seminar.date)}`),
      ],
    }),
    ...participationLines(report).map(
      ([label, value]) =>
        new Paragraph({
          children: [new TextRun({ text: `${label}: `, bold: true }), new TextRun(value)],
        }),
    ),
    new Paragraph({ heading: heading(1), children: [new TextRun("Raccomandazioni")] }),
    ...blockChildren(report.recommendations, text, { nextInstance: 1 }),
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
    children.push(...question.answers.flatMap(answerParagraphs));
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
          text: `Esportato da Percorso ${italianDateWithArticle(report.generatedAt)}`,
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
    footnotes: Object.fromEntries(notes.map((note) => [note.n, footnoteOf(note.text)])),
    numbering: ORDERED_NUMBERING,
    styles: DOCUMENT_STYLES,
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
