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
import { blocksHtml, escapeHtml, htmlPage, type HtmlTextOptions } from "../render/html.ts";

/**
 * A seminar's report as one standalone HTML page, with the same content as its DOCX and
 * Markdown twins: participation, the recommendations with citations as notes, the key
 * questions with their answers, the clusters of the harvest.
 */

const CSS = `
.risposte li { margin: .3em 0; }
.risposte .meta { font-style: italic; }
.nessuna { font-style: italic; color: var(--grigio); }
`;

const text = (value: string) => escapeHtml(flatText(value));

export function reportHtml(report: SeminarReport): string {
  const notes = reportNotes(report);
  const options: HtmlTextOptions = {
    cite: (run) => {
      const n = run.note;
      return n === undefined ? undefined : `<sup class="nota"><a href="#nota-${n}">${n}</a></sup>`;
    },
    // Under the report's own sections (level 2): the editor's parts are level 3.
    headingLevel: (level) => Math.max(3, level + 1),
  };
  const title = `Seminario ${report.seminar.number}: ${report.seminar.title}`;
  const parts = [
    "<header>",
    `<h1>${text(title)}</h1>`,
    `<p class="meta"><em>${text(report.programme.title)}</em> · ${text(italianDate(report.seminar.date))}</p>`,
    ...participationLines(report).map(
      ([label, value]) => `<p><strong>${escapeHtml(label)}:</strong> ${text(value)}</p>`,
    ),
    "</header>",
    "<main>",
    "<h2>Raccomandazioni</h2>",
    blocksHtml(report.recommendations, options),
  ];
  if (notes.length > 0) {
    parts.push(
      `<aside class="note" aria-label="Note"><ol>${notes
        .map((note) => `<li id="nota-${note.n}" value="${note.n}">${text(note.text)}</li>`)
        .join("")}</ol></aside>`,
    );
  }
  parts.push("<h2>Domande chiave e risposte</h2>");
  report.questions.forEach((question, index) => {
    parts.push(
      `<h3>${index + 1}. ${text(question.text)} (${QUESTION_STATE_LABEL[question.state]})</h3>`,
    );
    if (question.answers.length === 0) parts.push('<p class="nessuna">Nessuna risposta.</p>');
    else {
      parts.push(
        `<ul class="risposte">${question.answers
          .map(
            (answer) =>
              `<li>${text(answer.text)} <span class="meta">— ${text(answerMeta(answer).join(" · "))}</span>${
                answer.mergedAnswers.length > 0
                  ? `<ul>${answer.mergedAnswers
                      .map((merged) => `<li><em>unita:</em> ${text(mergedLine(merged))}</li>`)
                      .join("")}</ul>`
                  : ""
              }</li>`,
          )
          .join("")}</ul>`,
      );
    }
  });
  if (report.clusters.length > 0) {
    parts.push(
      "<h2>Raccolta: gruppi di risposte</h2>",
      `<ul>${report.clusters
        .map(
          (cluster) =>
            `<li><strong>${text(cluster.label)}</strong> (${CLUSTER_AXIS_LABEL[cluster.axis]}): ${plural(cluster.answerIds.length, "risposta", "risposte")}</li>`,
        )
        .join("")}</ul>`,
    );
  }
  parts.push(
    `<p class="meta">Esportato da Percorso ${italianDateWithArticle(report.generatedAt)}</p>`,
    "</main>",
  );
  return htmlPage({ title, css: CSS, body: parts.join("\n") });
}
