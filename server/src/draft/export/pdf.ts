import { flatText, italianDateWithArticle, type RichBlock } from "@percorso/schema";
import { COLOR, PdfWriter, type PdfBlockOptions } from "../../render/pdf.ts";
import { EXPORT_LABEL, type DraftExport, type ExportNote } from "../exportModel.ts";
import { BY_KIND_HEADER, BY_KIND_TITLE, reactionsByKindRows, suggestionRows } from "./shared.ts";

/**
 * The orientation draft as a PDF: a cover, the contents with page numbers, each chapter on a
 * new page with its notes at its end (citations are numbered through the document, as in the
 * DOCX), then the appendices with their tables.
 */

const TEXT: PdfBlockOptions = {
  mark: (run) => (run.note === undefined ? undefined : `${run.note}`),
  // The chapter is level 1: the text's level-3 headings are sections (2), and so on.
  headingLevel: (level) => level - 1,
};

function cover(pdf: PdfWriter, model: DraftExport): void {
  const { doc } = pdf;
  const { cover: c } = model;
  doc.rect(0, 0, 14, doc.page.height).fillColor(COLOR.blue).fill();
  doc.y = 210;
  pdf.line(EXPORT_LABEL.documentKind.toUpperCase(), {
    style: "semibold",
    size: 11,
    color: COLOR.blue,
    after: 10,
  });
  pdf.line(c.title, { style: "bold", size: 28, color: COLOR.dark, after: 14 });
  for (const line of c.lines) pdf.line(line, { size: 14, color: COLOR.grey, after: 4 });
  pdf.space(28);
  pdf.line(`${c.place} · ${c.period}`, { size: 12, after: 4 });
  pdf.line(c.conference, { size: 12 });
  doc.y = doc.page.height - 150;
  pdf.line(c.version, { style: "italic", size: 10.5, color: COLOR.grey, after: 3 });
  pdf.line(`Esportato da Percorso ${italianDateWithArticle(model.generatedAt)}`, {
    size: 9,
    color: COLOR.grey,
  });
}

function notes(pdf: PdfWriter, list: readonly ExportNote[]): void {
  if (list.length === 0) return;
  pdf.space(8);
  pdf.keep(40);
  const { doc } = pdf;
  doc
    .moveTo(pdf.left, doc.y)
    .lineTo(pdf.left + 120, doc.y)
    .lineWidth(0.6)
    .strokeColor(COLOR.grey)
    .stroke();
  pdf.space(6);
  for (const note of list) {
    pdf.keep(24);
    const y = doc.y;
    pdf.textAt([{ text: `${note.n}`, style: "semibold" }], pdf.left, y, 20, {
      size: 8.5,
      color: COLOR.blue,
    });
    doc.y = pdf.textAt([{ text: flatText(note.text) }], pdf.left + 20, y, pdf.width - 20, {
      size: 8.5,
    });
    pdf.space(3);
  }
}

function chapter(pdf: PdfWriter, blocks: readonly RichBlock[]): void {
  if (blocks.length === 0) {
    pdf.line(EXPORT_LABEL.emptyChapter, { style: "italic", color: COLOR.grey });
  } else pdf.blocks(blocks, TEXT);
}

function appendices(pdf: PdfWriter, model: DraftExport): void {
  pdf.heading(EXPORT_LABEL.annex, 1);
  if (model.annex.length === 0) {
    pdf.line(EXPORT_LABEL.annexEmpty, { style: "italic", color: COLOR.grey });
  }
  for (const { seminar, questions } of model.annex) {
    pdf.heading(`Seminario ${seminar.number}: ${seminar.title}`, 2);
    for (const question of questions) {
      pdf.heading(flatText(question.text), 3, { contents: false });
      pdf.table(
        ["Risposta", "Voti", "Tipo di attore", "Autore", "Note"],
        question.answers.map((answer) => [
          [
            { text: flatText(answer.text) },
            ...(answer.moderation
              ? [{ text: ` (${answer.moderation})`, style: "italic" as const }]
              : []),
          ],
          `${answer.votes}`,
          answer.actorKind ?? "—",
          answer.author,
          answer.notes.join(", "),
        ]),
        [0.5, 0.08, 0.17, 0.17, 0.08],
      );
    }
  }

  const { participation } = model;
  pdf.heading(EXPORT_LABEL.participation, 1);
  pdf.table(
    ["Seminario", "Data", "Risposte", "Persone"],
    [
      ...participation.seminars.map((s) => [
        `${s.number}. ${s.title}`,
        s.date,
        `${s.answers}`,
        `${s.people}`,
      ]),
      [[{ text: "Totale", style: "bold" as const }], "", `${participation.total.answers}`, ""],
    ],
    [0.56, 0.2, 0.12, 0.12],
  );
  if (participation.kinds.length > 0) {
    pdf.heading(EXPORT_LABEL.participationByKind, 2);
    pdf.table(
      ["Tipo di attore", ...participation.seminars.map((s) => `S${s.number}`), "Totale"],
      participation.kinds.map((kind) => [
        kind.label,
        ...participation.seminars.map((s) => `${s.byActorKind[kind.key] ?? 0}`),
        `${participation.total.byActorKind[kind.key] ?? 0}`,
      ]),
      [3.2, ...participation.seminars.map(() => 0.8), 1.2],
    );
  }

  pdf.heading(EXPORT_LABEL.suggestions, 1);
  if (model.suggestions.length === 0) {
    pdf.line(`${EXPORT_LABEL.noSuggestions}.`, { style: "italic", color: COLOR.grey });
  }
  model.suggestions.forEach((suggestion, index) => {
    pdf.heading(`${index + 1}. ${suggestion.section} — ${suggestion.statusLabel}`, 3, {
      contents: false,
    });
    pdf.table(
      null,
      suggestionRows(suggestion).map(([label, value]) => [
        [{ text: label, style: "semibold" as const }],
        flatText(value),
      ]),
      [0.25, 0.75],
    );
  });

  pdf.heading(EXPORT_LABEL.reactions, 1);
  pdf.table(
    ["Sezione", EXPORT_LABEL.agree, EXPORT_LABEL.disagree, EXPORT_LABEL.abstain],
    model.reactions.map((r) => [r.title, `${r.agree}`, `${r.disagree}`, `${r.abstain}`]),
    [0.58, 0.14, 0.14, 0.14],
  );
  const byKind = reactionsByKindRows(model);
  if (byKind.length > 0) {
    pdf.heading(BY_KIND_TITLE, 3, { contents: false });
    pdf.table([...BY_KIND_HEADER], byKind, [0.34, 0.24, 0.14, 0.14, 0.14]);
  }
}

export async function draftPdf(model: DraftExport): Promise<Buffer> {
  const pdf = new PdfWriter({
    title: model.cover.title,
    subject: `${EXPORT_LABEL.documentKind} — ${model.cover.version}`,
    footer: `${EXPORT_LABEL.documentKind} · ${model.cover.title}`,
  });
  cover(pdf, model);
  // Level 1: the chapters and the four appendices. Level 2, as in the DOCX's contents: the
  // text's own top headings, the annex's seminars, participation by kind of actor.
  const sections = [model.preface, ...model.chapters]
    .flatMap((part) => part.blocks)
    .filter((block) => block.type === "heading" && TEXT.headingLevel(block.level) <= 2);
  pdf.reserveContents(model.chapters.length + 4 + sections.length + model.annex.length + 1);
  if (model.preface.blocks.length > 0) {
    pdf.newPage();
    chapter(pdf, model.preface.blocks);
    notes(pdf, model.preface.notes);
  }
  for (const entry of model.chapters) {
    pdf.heading(entry.title, 1);
    if (entry.provenance !== null) {
      pdf.line(entry.provenance, { style: "italic", size: 9.5, color: COLOR.grey, after: 10 });
    }
    chapter(pdf, entry.blocks);
    notes(pdf, entry.notes);
  }
  appendices(pdf, model);
  return pdf.finish(EXPORT_LABEL.contents);
}
