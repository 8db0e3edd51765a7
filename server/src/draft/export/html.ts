import { flatText, type RichBlock } from "@percorso/schema";
import {
  blocksHtml,
  dataTableHtml,
  escapeHtml,
  htmlPage,
  type HtmlTextOptions,
} from "../../render/html.ts";
import { EXPORT_LABEL, type DraftExport, type ExportNote } from "../exportModel.ts";
import {
  BY_KIND_HEADER,
  BY_KIND_TITLE,
  appendixTitles,
  reactionsByKindRows,
  suggestionRows,
} from "./shared.ts";

/**
 * The orientation draft as one standalone HTML page: cover, linked contents, chapters with
 * their notes, the appendices. Prints as a filed document (each chapter on a new page).
 */

const CSS = `
.copertina { min-height: 60vh; display: flex; flex-direction: column; justify-content: center; border-left: 6px solid var(--blu); padding-left: 1.5rem; margin-bottom: 3rem; }
.copertina .genere { text-transform: uppercase; letter-spacing: .12em; color: var(--blu); font-weight: 600; font-size: .9em; margin: 0; }
.copertina h1 { font-size: 2.4em; margin: .3em 0 .4em; }
.copertina p { margin: .2em 0; }
.copertina .versione { margin-top: 2em; color: var(--grigio); }
nav.indice ol { padding-left: 1.5em; }
nav.indice li { margin: .2em 0; }
.nessuna { font-style: italic; color: var(--grigio); }
dl.proposta { display: grid; grid-template-columns: 10em 1fr; gap: .2em 1em; margin: .5em 0 1.5em; }
dl.proposta dt { font-weight: 600; color: var(--scuro); }
dl.proposta dd { margin: 0; }
`;

const anchor = (key: string) => `cap-${key}`;
const APPENDIX_IDS = ["allegato-a", "allegato-b", "allegato-c", "allegato-d"] as const;

const TEXT: HtmlTextOptions = {
  cite: (run) =>
    run.note === undefined
      ? undefined
      : `<sup class="nota"><a href="#nota-${run.note}" id="rif-${run.note}" aria-label="nota ${run.note}">${run.note}</a></sup>`,
  // The chapter is the page's level 2; the text's own headings keep their levels below it.
  headingLevel: (level) => Math.max(3, level),
};

const text = (value: string) => escapeHtml(flatText(value));

function notesHtml(notes: readonly ExportNote[]): string {
  if (notes.length === 0) return "";
  const items = notes.map(
    (note) =>
      `<li id="nota-${note.n}" value="${note.n}">${text(note.text)} <a href="#rif-${note.n}" aria-label="torna al testo">↩</a></li>`,
  );
  return `<aside class="note" aria-label="${EXPORT_LABEL.notes}"><ol>${items.join("")}</ol></aside>`;
}

const chapterBody = (blocks: readonly RichBlock[]) =>
  blocks.length === 0
    ? `<p class="nessuna">${EXPORT_LABEL.emptyChapter}</p>`
    : blocksHtml(blocks, TEXT);

export function draftHtml(model: DraftExport): string {
  const { cover } = model;
  const parts: string[] = [
    '<header class="copertina">',
    `<p class="genere">${EXPORT_LABEL.documentKind}</p>`,
    `<h1>${text(cover.title)}</h1>`,
    ...cover.lines.map((line) => `<p>${text(line)}</p>`),
    `<p>${text(cover.place)} · ${text(cover.period)}</p>`,
    `<p>${text(cover.conference)}</p>`,
    `<p class="versione">${text(cover.version)}</p>`,
    "</header>",
    `<nav class="indice" aria-labelledby="indice"><h2 id="indice">${EXPORT_LABEL.contents}</h2><ol>`,
    ...model.chapters.map(
      (chapter) => `<li><a href="#${anchor(chapter.key)}">${text(chapter.title)}</a></li>`,
    ),
    ...appendixTitles.map(
      (title, i) => `<li><a href="#${APPENDIX_IDS[i]}">${escapeHtml(title)}</a></li>`,
    ),
    "</ol></nav>",
    "<main>",
  ];
  if (model.preface.blocks.length > 0) {
    parts.push(
      `<section>${blocksHtml(model.preface.blocks, TEXT)}${notesHtml(model.preface.notes)}</section>`,
    );
  }
  for (const chapter of model.chapters) {
    parts.push(
      `<section class="capitolo" id="${anchor(chapter.key)}">`,
      `<h2>${text(chapter.title)}</h2>`,
      ...(chapter.provenance === null ? [] : [`<p class="meta">${text(chapter.provenance)}</p>`]),
      chapterBody(chapter.blocks),
      notesHtml(chapter.notes),
      "</section>",
    );
  }

  parts.push(`<section class="allegato" id="${APPENDIX_IDS[0]}"><h2>${EXPORT_LABEL.annex}</h2>`);
  if (model.annex.length === 0) parts.push(`<p class="nessuna">${EXPORT_LABEL.annexEmpty}</p>`);
  for (const { seminar, questions } of model.annex) {
    parts.push(`<h3>Seminario ${seminar.number}: ${text(seminar.title)}</h3>`);
    for (const question of questions) {
      parts.push(
        `<h4>${text(question.text)}</h4>`,
        dataTableHtml(
          ["Risposta", "Voti", "Tipo di attore", "Autore", "Note"],
          question.answers.map((answer) => [
            text(answer.text) +
              (answer.moderation ? ` <span class="meta">(${text(answer.moderation)})</span>` : ""),
            `${answer.votes}`,
            text(answer.actorKind ?? "—"),
            text(answer.author),
            answer.notes.map((n) => `<a href="#nota-${n}">${n}</a>`).join(", "),
          ]),
        ),
      );
    }
  }
  parts.push("</section>");

  const { participation } = model;
  parts.push(
    `<section class="allegato" id="${APPENDIX_IDS[1]}"><h2>${EXPORT_LABEL.participation}</h2>`,
    dataTableHtml(
      ["Seminario", "Data", "Risposte", "Persone"],
      [
        ...participation.seminars.map((s) => [
          `${s.number}. ${text(s.title)}`,
          text(s.date),
          `${s.answers}`,
          `${s.people}`,
        ]),
        ["<strong>Totale</strong>", "", `<strong>${participation.total.answers}</strong>`, ""],
      ],
    ),
  );
  if (participation.kinds.length > 0) {
    parts.push(
      `<h3>${EXPORT_LABEL.participationByKind}</h3>`,
      dataTableHtml(
        ["Tipo di attore", ...participation.seminars.map((s) => `S${s.number}`), "Totale"],
        participation.kinds.map((kind) => [
          text(kind.label),
          ...participation.seminars.map((s) => `${s.byActorKind[kind.key] ?? 0}`),
          `${participation.total.byActorKind[kind.key] ?? 0}`,
        ]),
      ),
    );
  }
  parts.push("</section>");

  parts.push(
    `<section class="allegato" id="${APPENDIX_IDS[2]}"><h2>${EXPORT_LABEL.suggestions}</h2>`,
  );
  if (model.suggestions.length === 0) {
    parts.push(`<p class="nessuna">${EXPORT_LABEL.noSuggestions}.</p>`);
  }
  model.suggestions.forEach((suggestion, index) => {
    parts.push(
      `<h3>${index + 1}. ${text(suggestion.section)} — ${text(suggestion.statusLabel)}</h3>`,
      `<dl class="proposta">${suggestionRows(suggestion)
        .map(([label, value]) => `<dt>${escapeHtml(label)}</dt><dd>${text(value)}</dd>`)
        .join("")}</dl>`,
    );
  });
  parts.push("</section>");

  parts.push(
    `<section class="allegato" id="${APPENDIX_IDS[3]}"><h2>${EXPORT_LABEL.reactions}</h2>`,
    dataTableHtml(
      ["Sezione", EXPORT_LABEL.agree, EXPORT_LABEL.disagree, EXPORT_LABEL.abstain],
      model.reactions.map((r) => [text(r.title), `${r.agree}`, `${r.disagree}`, `${r.abstain}`]),
    ),
  );
  const byKind = reactionsByKindRows(model);
  if (byKind.length > 0) {
    parts.push(
      `<h3>${BY_KIND_TITLE}</h3>`,
      dataTableHtml(
        [...BY_KIND_HEADER],
        byKind.map(([section, kind, ...counts]) => [text(section), text(kind), ...counts]),
      ),
    );
  }
  parts.push("</section>", "</main>");
  return htmlPage({ title: cover.title, css: CSS, body: parts.join("\n") });
}
