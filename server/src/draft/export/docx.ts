import {
  AlignmentType,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  TableOfContents,
  TextRun,
  type FileChild,
} from "docx";
import { estimatePageNumbers } from "docx/layout";
import { flatText, type RichBlock } from "@percorso/schema";
import {
  ORDERED_NUMBERING,
  blockChildren,
  dataTable,
  footnoteOf,
  heading,
  type DocxTextOptions,
  type ListCounter,
} from "../../render/docx.ts";
import { EXPORT_LABEL, type DraftExport } from "../exportModel.ts";
import { BY_KIND_HEADER, BY_KIND_TITLE, reactionsByKindRows, suggestionRows } from "./shared.ts";

/**
 * The orientation draft as a Word document: a cover, a table of contents field (filled in
 * with its page numbers, so Word need not update it), one Heading 1 per chapter and the
 * appendices, the text's own headings as Heading 2–3, citations as footnotes, the annex,
 * participation and reactions as tables.
 */

const GREY = "5C6F82";

const TEXT: DocxTextOptions = {
  cite: (run) => run.note,
  // The chapter is Heading 1: the text's level-3 headings are Heading 2, and so on.
  headingLevel: (level) => Math.max(2, level - 1),
};

const plain = (text: string, options: { italics?: boolean; color?: string; size?: number } = {}) =>
  new Paragraph({ children: [new TextRun({ text: flatText(text), ...options })] });

const chapterHeading = (title: string) =>
  new Paragraph({
    heading: HeadingLevel.HEADING_1,
    pageBreakBefore: true,
    children: [new TextRun(flatText(title))],
  });

function body(blocks: readonly RichBlock[], lists: ListCounter): FileChild[] {
  return blocks.length === 0
    ? [plain(EXPORT_LABEL.emptyChapter, { italics: true, color: GREY })]
    : blockChildren(blocks, TEXT, lists);
}

function cover(model: DraftExport): Paragraph[] {
  const { cover: c } = model;
  return [
    new Paragraph({
      spacing: { before: 2400, after: 200 },
      children: [
        new TextRun({ text: EXPORT_LABEL.documentKind.toUpperCase(), color: "0066CC", bold: true }),
      ],
    }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(flatText(c.title))] }),
    ...c.lines.map((line) => plain(line, { size: 28 })),
    new Paragraph({
      spacing: { before: 400 },
      children: [new TextRun(`${c.place} · ${c.period}`)],
    }),
    plain(c.conference),
    new Paragraph({
      spacing: { before: 800 },
      children: [new TextRun({ text: c.version, italics: true, color: GREY })],
    }),
  ];
}

function appendices(model: DraftExport): FileChild[] {
  const children: FileChild[] = [chapterHeading(EXPORT_LABEL.annex)];
  if (model.annex.length === 0) {
    children.push(plain(EXPORT_LABEL.annexEmpty, { italics: true, color: GREY }));
  }
  for (const { seminar, questions } of model.annex) {
    children.push(
      new Paragraph({
        heading: heading(2),
        children: [new TextRun(`Seminario ${seminar.number}: ${seminar.title}`)],
      }),
    );
    for (const question of questions) {
      children.push(
        new Paragraph({ heading: heading(3), children: [new TextRun(flatText(question.text))] }),
        dataTable(
          ["Risposta", "Voti", "Tipo di attore", "Autore", "Note"],
          question.answers.map((answer) => [
            flatText(answer.text) + (answer.moderation ? ` (${answer.moderation})` : ""),
            `${answer.votes}`,
            answer.actorKind ?? "—",
            answer.author,
            answer.notes.join(", "),
          ]),
          [48, 9, 16, 16, 11],
        ),
      );
    }
  }

  const { participation } = model;
  children.push(
    chapterHeading(EXPORT_LABEL.participation),
    dataTable(
      ["Seminario", "Data", "Risposte", "Persone"],
      [
        ...participation.seminars.map((s) => [
          `${s.number}. ${s.title}`,
          s.date,
          `${s.answers}`,
          `${s.people}`,
        ]),
        [[new TextRun({ text: "Totale", bold: true })], "", `${participation.total.answers}`, ""],
      ],
      [56, 20, 12, 12],
    ),
  );
  if (participation.kinds.length > 0) {
    children.push(
      new Paragraph({
        heading: heading(2),
        children: [new TextRun(EXPORT_LABEL.participationByKind)],
      }),
      dataTable(
        ["Tipo di attore", ...participation.seminars.map((s) => `S${s.number}`), "Totale"],
        participation.kinds.map((kind) => [
          kind.label,
          ...participation.seminars.map((s) => `${s.byActorKind[kind.key] ?? 0}`),
          `${participation.total.byActorKind[kind.key] ?? 0}`,
        ]),
      ),
    );
  }

  children.push(chapterHeading(EXPORT_LABEL.suggestions));
  if (model.suggestions.length === 0) {
    children.push(plain(`${EXPORT_LABEL.noSuggestions}.`, { italics: true, color: GREY }));
  }
  model.suggestions.forEach((suggestion, index) => {
    children.push(
      new Paragraph({
        heading: heading(2),
        children: [new TextRun(`${index + 1}. ${suggestion.section} — ${suggestion.statusLabel}`)],
      }),
      ...suggestionRows(suggestion).map(
        ([label, value]) =>
          new Paragraph({
            children: [
              new TextRun({ text: `${label}: `, bold: true }),
              new TextRun(flatText(value)),
            ],
          }),
      ),
    );
  });

  children.push(
    chapterHeading(EXPORT_LABEL.reactions),
    dataTable(
      ["Sezione", EXPORT_LABEL.agree, EXPORT_LABEL.disagree, EXPORT_LABEL.abstain],
      model.reactions.map((r) => [r.title, `${r.agree}`, `${r.disagree}`, `${r.abstain}`]),
      [58, 14, 14, 14],
    ),
  );
  const byKind = reactionsByKindRows(model);
  if (byKind.length > 0) {
    children.push(
      new Paragraph({ heading: heading(3), children: [new TextRun(BY_KIND_TITLE)] }),
      dataTable(BY_KIND_HEADER, byKind, [34, 24, 14, 14, 14]),
    );
  }
  return children;
}

export async function draftDocx(model: DraftExport): Promise<Buffer> {
  const lists: ListCounter = { nextInstance: 1 };
  const children: FileChild[] = [
    ...cover(model),
    new Paragraph({
      pageBreakBefore: true,
      spacing: { after: 240 },
      children: [new TextRun({ text: EXPORT_LABEL.contents, bold: true, size: 32 })],
    }),
    new TableOfContents(EXPORT_LABEL.contents, { hyperlink: true, headingStyleRange: "1-2" }),
  ];
  if (model.preface.blocks.length > 0) {
    children.push(
      new Paragraph({ pageBreakBefore: true, children: [] }),
      ...body(model.preface.blocks, lists),
    );
  }
  for (const chapter of model.chapters) {
    children.push(chapterHeading(chapter.title));
    if (chapter.provenance !== null) {
      children.push(plain(chapter.provenance, { italics: true, color: GREY, size: 20 }));
    }
    children.push(...body(chapter.blocks, lists));
  }
  children.push(...appendices(model));

  const footnotes = Object.fromEntries(model.notes.map((note) => [note.n, footnoteOf(note.text)]));
  const document = new Document({
    title: model.cover.title,
    creator: "Percorso",
    description: `${EXPORT_LABEL.documentKind} — ${model.cover.version}`,
    footnotes,
    // No `styles` here: with them, docx's page estimator leaves the contents' numbers blank.
    numbering: ORDERED_NUMBERING,
    pageNumbers: estimatePageNumbers,
    sections: [
      {
        properties: { titlePage: true },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: [PageNumber.CURRENT], size: 18, color: GREY })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
