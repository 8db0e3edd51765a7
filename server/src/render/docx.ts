import {
  AlignmentType,
  BorderStyle,
  ExternalHyperlink,
  FootnoteReferenceRun,
  HeadingLevel,
  LevelFormat,
  LineRuleType,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type INumberingOptions,
  type IStylesOptions,
  type ParagraphChild,
} from "docx";
import { safeHref, type RichBlock, type RichRun } from "@percorso/schema";

/**
 * Rich text as Word paragraphs, for every DOCX export (the seminar report, the orientation
 * draft): real heading styles, bulleted and numbered lists, tables, links (http, https,
 * mailto only), citations as footnote references.
 */

export const ORDERED_LIST = "ordered-list";

/** The numbering every document with ordered lists declares (`numbering` of `Document`). */
export const ORDERED_NUMBERING: INumberingOptions = {
  config: [
    {
      reference: ORDERED_LIST,
      levels: Array.from({ length: 9 }, (_, level) => ({
        level,
        format: LevelFormat.DECIMAL,
        text: `%${level + 1}.`,
        alignment: AlignmentType.START,
        style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
      })),
    },
  ],
};

/**
 * Space between paragraphs (Word's own default has none in a document made from scratch, so
 * paragraphs ran into each other), a little more above headings than below, and footnotes
 * kept compact. Line spacing says it is proportional (`auto`): left out, LibreOffice read 276
 * as a fixed 13.8 pt and a title on two lines was drawn over itself.
 */
export const DOCUMENT_STYLES: IStylesOptions = {
  default: {
    document: {
      run: { font: "Titillium Web", size: 22 },
      paragraph: { spacing: { after: 120, line: 276, lineRule: LineRuleType.AUTO } },
    },
    heading1: { paragraph: { spacing: { before: 360, after: 160 } } },
    heading2: { paragraph: { spacing: { before: 280, after: 120 } } },
    heading3: { paragraph: { spacing: { before: 200, after: 100 } } },
    footnoteText: {
      paragraph: { spacing: { after: 40, line: 240, lineRule: LineRuleType.AUTO } },
      run: { size: 18 },
    },
  },
};

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

/** Word's heading style for an outline level (1 = Heading1). */
export const heading = (level: number) =>
  HEADINGS[Math.max(0, Math.min(level, HEADINGS.length) - 1)];

/** Text runs for one run's text, a line break for each `\n` (hard breaks in the editor). */
export function textRuns(run: RichRun, style?: string): TextRun[] {
  return run.text.split("\n").map(
    (line, index) =>
      new TextRun({
        text: line,
        ...(index > 0 ? { break: 1 } : {}),
        ...(run.bold ? { bold: true } : {}),
        ...(run.italic ? { italics: true } : {}),
        ...(run.underline ? { underline: {} } : {}),
        ...(run.strike ? { strike: true } : {}),
        ...(style === undefined ? {} : { style }),
      }),
  );
}

export interface DocxTextOptions {
  /** The footnote a citation refers to, or none (its text alone). */
  cite: (run: RichRun) => number | undefined;
  /** Word's outline level for a heading of the text (its own `level`, 1–6). */
  headingLevel: (level: number) => number;
}

export function inlines(runs: readonly RichRun[], options: DocxTextOptions): ParagraphChild[] {
  return runs.flatMap((run): ParagraphChild[] => {
    if (run.citation !== undefined || run.footnote !== undefined) {
      const note = options.cite(run);
      return note === undefined
        ? textRuns(run)
        : [...textRuns(run), new FootnoteReferenceRun(note)];
    }
    const href = safeHref(run.link);
    if (href !== undefined) {
      return [new ExternalHyperlink({ link: href, children: textRuns(run, "Hyperlink") })];
    }
    return textRuns(run);
  });
}

interface ListMarker {
  ordered: boolean;
  instance: number;
}

/** Numbering instances handed out to the ordered lists, so each starts from 1. */
export interface ListCounter {
  nextInstance: number;
}

/** Blocks as Word paragraphs and tables. */
export function blockChildren(
  blocks: readonly RichBlock[],
  options: DocxTextOptions,
  lists: ListCounter,
  depth = -1,
  marker?: ListMarker,
): (Paragraph | Table)[] {
  const children: (Paragraph | Table)[] = [];
  for (const block of blocks) {
    if (block.type === "list") {
      const instance = lists.nextInstance++;
      for (const item of block.items) {
        children.push(
          ...blockChildren(item, options, lists, depth + 1, { ordered: block.ordered, instance }),
        );
      }
      continue;
    }
    if (block.type === "table") {
      children.push(richTable(block.rows, options, lists));
      continue;
    }
    const runs = inlines(block.runs, options);
    if (block.type === "heading") {
      children.push(
        new Paragraph({ heading: heading(options.headingLevel(block.level)), children: runs }),
      );
      continue;
    }
    const level = Math.max(0, Math.min(depth, 8));
    if (marker === undefined) children.push(new Paragraph({ children: runs }));
    else if (marker.ordered) {
      children.push(
        new Paragraph({
          children: runs,
          numbering: { reference: ORDERED_LIST, level, instance: marker.instance },
        }),
      );
    } else children.push(new Paragraph({ children: runs, bullet: { level } }));
  }
  return children;
}

const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: "A0A0A0" } as const;
const BORDERS = {
  top: CELL_BORDER,
  bottom: CELL_BORDER,
  left: CELL_BORDER,
  right: CELL_BORDER,
  insideHorizontal: CELL_BORDER,
  insideVertical: CELL_BORDER,
};
const HEADER_SHADING = { type: ShadingType.CLEAR, color: "auto", fill: "E8EEF4" } as const;
const CELL_MARGINS = { top: 60, bottom: 60, left: 100, right: 100 };

function richTable(
  rows: readonly { header: boolean; blocks: RichBlock[] }[][],
  options: DocxTextOptions,
  lists: ListCounter,
): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: BORDERS,
    rows: rows.map(
      (row, index) =>
        new TableRow({
          ...(index === 0 && row.every((cell) => cell.header) ? { tableHeader: true } : {}),
          children: row.map((cell) => {
            const content = blockChildren(cell.blocks, options, lists);
            return new TableCell({
              margins: CELL_MARGINS,
              ...(cell.header ? { shading: HEADER_SHADING } : {}),
              children: content.length > 0 ? content : [new Paragraph({})],
            });
          }),
        }),
    ),
  });
}

/** A cell's content: plain text, or runs already made. */
export type DataCell = string | ParagraphChild[];

/**
 * A table of data (the annex, participation, reactions): a shaded header row repeated on
 * every page, then one row per entry; `widths` are the columns' shares of the page, in %.
 */
export function dataTable(
  header: readonly string[],
  rows: readonly (readonly DataCell[])[],
  widths?: readonly number[],
): Table {
  const cell = (content: DataCell, index: number, bold = false) =>
    new TableCell({
      margins: CELL_MARGINS,
      ...(bold ? { shading: HEADER_SHADING } : {}),
      ...(widths?.[index] === undefined
        ? {}
        : { width: { size: widths[index], type: WidthType.PERCENTAGE } }),
      children: [
        new Paragraph({
          children:
            typeof content === "string"
              ? content
                  .split("\n")
                  .map(
                    (line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}), bold }),
                  )
              : content,
        }),
      ],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: BORDERS,
    rows: [
      new TableRow({ tableHeader: true, children: header.map((text, i) => cell(text, i, true)) }),
      ...rows.map((row) => new TableRow({ children: row.map((content, i) => cell(content, i)) })),
    ],
  });
}

/** A footnote of plain text (`footnotes` of `Document`). */
export const footnoteOf = (text: string) => ({
  children: [new Paragraph({ children: [new TextRun(text)] })],
});
