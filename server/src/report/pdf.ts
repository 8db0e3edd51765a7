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
  type SeminarReport,
} from "@percorso/schema";
import { COLOR, PdfWriter, type PdfBlockOptions } from "../render/pdf.ts";

/**
 * A seminar's report as a PDF, with the same content as its DOCX, Markdown and HTML twins;
 * the citations' notes follow the recommendations.
 */
export async function reportPdf(report: SeminarReport): Promise<Buffer> {
  const title = `Seminario ${report.seminar.number}: ${report.seminar.title}`;
  const pdf = new PdfWriter({
    title,
    subject: report.programme.title,
    footer: `${report.programme.title} · ${title}`,
  });
  const notes = reportNotes(report);
  const options: PdfBlockOptions = {
    mark: (run) => (run.note === undefined ? undefined : `${run.note}`),
    // Under the report's own sections (level 2): the editor's parts are level 3.
    headingLevel: (level) => Math.max(3, level + 1),
  };

  pdf.line(title, { style: "bold", size: 22, color: COLOR.dark, after: 6 });
  pdf.text(
    [
      { text: report.programme.title, style: "italic" },
      { text: ` · ${italianDate(report.seminar.date)}` },
    ],
    { color: COLOR.grey, after: 8 },
  );
  for (const [label, value] of participationLines(report)) {
    pdf.text([{ text: `${label}: `, style: "semibold" }, { text: value }], { after: 2 });
  }

  pdf.heading("Raccomandazioni", 2, { contents: false });
  pdf.blocks(report.recommendations, options);
  if (notes.length > 0) {
    pdf.space(6);
    for (const note of notes) {
      pdf.text([{ text: `${note.n}  `, style: "semibold" }, { text: note.text }], {
        size: 8.5,
        after: 2,
      });
    }
  }

  pdf.heading("Domande chiave e risposte", 2, { contents: false });
  report.questions.forEach((question, index) => {
    pdf.heading(
      `${index + 1}. ${flatText(question.text)} (${QUESTION_STATE_LABEL[question.state]})`,
      3,
      { contents: false },
    );
    if (question.answers.length === 0) {
      pdf.line("Nessuna risposta.", { style: "italic", color: COLOR.grey });
    }
    for (const answer of question.answers) {
      pdf.bullet(
        [
          { text: flatText(answer.text) },
          { text: ` — ${answerMeta(answer).join(" · ")}`, style: "italic" },
        ],
        { indent: 4, after: 3 },
      );
      for (const merged of answer.mergedAnswers) {
        pdf.bullet([{ text: "unita: ", style: "italic" }, { text: mergedLine(merged) }], {
          indent: 16,
          after: 2,
        });
      }
    }
  });
  if (report.clusters.length > 0) {
    pdf.heading("Raccolta: gruppi di risposte", 2, { contents: false });
    for (const cluster of report.clusters) {
      pdf.bullet(
        [
          { text: cluster.label, style: "semibold" },
          {
            text: ` (${CLUSTER_AXIS_LABEL[cluster.axis]}): ${plural(cluster.answerIds.length, "risposta", "risposte")}`,
          },
        ],
        { indent: 4, after: 3 },
      );
    }
  }
  pdf.space(12);
  pdf.line(`Esportato da Percorso ${italianDateWithArticle(report.generatedAt)}`, {
    size: 8.5,
    color: COLOR.grey,
  });
  return pdf.finish("Indice");
}
