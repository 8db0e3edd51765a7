import PDFDocument from "pdfkit";
import { safeHref, type RichBlock, type RichRun } from "@percorso/schema";
import { fontFile, subsetOf, type FontStyle, type FontSubset } from "./fonts.ts";

/**
 * A PDF laid out with pdfkit, for every PDF export (the seminar report, the orientation
 * draft): A4, Titillium Web embedded (no system font or package needed), headings kept with
 * what follows, lists, tables that break across pages with their header repeated, a
 * contents page filled in with page numbers once the pages are known, bookmarks, page
 * numbers. Links are live only for http:, https: and mailto: addresses.
 */

export const COLOR = { text: "#1a1a1a", dark: "#17324d", blue: "#0066cc", grey: "#5c6f82" };
const RULE = "#c5c7c9";
const HEADER_FILL = "#e8eef4";

export interface PdfRun {
  text: string;
  style?: FontStyle;
  link?: string;
  underline?: boolean;
  strike?: boolean;
  /** A superscript mark after the text (a footnote number). */
  mark?: string;
}

export interface PdfTextOptions {
  size?: number;
  color?: string;
  style?: FontStyle;
  /** From the left margin. */
  indent?: number;
  /** Space after the paragraph. */
  after?: number;
  align?: "left" | "center" | "right" | "justify";
}

/** How a renderer wants its rich text: marks after citations, heading sizes for its levels. */
export interface PdfBlockOptions {
  mark: (run: RichRun) => string | undefined;
  /** The outline level of a heading of the text: 2 is a section, 3 a subsection … */
  headingLevel: (level: number) => number;
}

export type PdfCell = string | PdfRun[];

interface Piece {
  text: string;
  font: string;
  size: number;
  color: string;
  link: string | null;
  underline: boolean;
  strike: boolean;
}

const STYLES: FontStyle[] = ["regular", "italic", "bold", "boldItalic", "semibold"];
const SUBSETS: FontSubset[] = ["latin", "latin-ext"];
const HEADING_SIZE: Record<number, number> = { 1: 20, 2: 15, 3: 12.5, 4: 11.5 };
const LINE_GAP = 2.5;

export function styleOf(run: RichRun): FontStyle {
  if (run.bold && run.italic) return "boldItalic";
  if (run.bold) return "bold";
  return run.italic ? "italic" : "regular";
}

/** A rich run as PDF runs: its text, its link if safe, and a mark after a citation. */
export function pdfRuns(runs: readonly RichRun[], mark: PdfBlockOptions["mark"]): PdfRun[] {
  return runs.map((run) => {
    const link = safeHref(run.link);
    const note = run.citation === undefined && run.footnote === undefined ? undefined : mark(run);
    return {
      text: run.text,
      style: run.citation === undefined ? styleOf(run) : "italic",
      ...(link === undefined ? {} : { link, underline: true }),
      ...(run.underline ? { underline: true } : {}),
      ...(run.strike ? { strike: true } : {}),
      ...(note === undefined ? {} : { mark: note }),
    };
  });
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<Buffer>;
  private readonly entries: { title: string; level: number; page: number }[] = [];
  private contents: { first: number; pages: number; perPage: number } | null = null;
  private readonly footer: string;

  constructor(info: { title: string; subject: string; footer: string }) {
    this.doc = new PDFDocument({
      size: "A4",
      margins: { top: 64, bottom: 72, left: 70, right: 70 },
      bufferPages: true,
      lang: "it-IT",
      displayTitle: true,
      info: { Title: info.title, Subject: info.subject, Creator: "Percorso", Producer: "Percorso" },
    });
    this.footer = info.footer;
    for (const style of STYLES) {
      for (const subset of SUBSETS) {
        this.doc.registerFont(`${style}/${subset}`, fontFile(style, subset, "woff"));
      }
    }
    this.doc.on("data", (chunk: Buffer) => this.chunks.push(chunk));
    this.ended = new Promise((resolve, reject) => {
      this.doc.on("end", () => resolve(Buffer.concat(this.chunks)));
      this.doc.on("error", reject);
    });
    this.setFont("regular", 11);
  }

  get left(): number {
    return this.doc.page.margins.left;
  }
  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }
  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }
  /** The page being written, counting from 1. */
  get pageNumber(): number {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count;
  }

  private setFont(style: FontStyle, size: number, subset: FontSubset = "latin"): void {
    this.doc.font(`${style}/${subset}`).fontSize(size);
  }

  newPage(): void {
    this.doc.addPage();
  }

  /** Starts a new page unless `height` more points fit on this one. */
  keep(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
  }

  space(points: number): void {
    this.doc.y += points;
  }

  /** Runs split where the font changes: style, then Fontsource's script subset. */
  private pieces(runs: readonly PdfRun[], size: number, color: string, base: FontStyle): Piece[] {
    const pieces: Piece[] = [];
    const push = (text: string, style: FontStyle, pieceSize: number, run: PdfRun, tint: string) => {
      let start = 0;
      let current: FontSubset | null = null;
      const chars = [...text];
      chars.forEach((char, index) => {
        const subset = subsetOf(char.codePointAt(0) ?? 0);
        if (current !== null && subset !== current) {
          pieces.push(piece(chars.slice(start, index).join(""), current));
          start = index;
        }
        current = subset;
      });
      if (current !== null) pieces.push(piece(chars.slice(start).join(""), current));
      function piece(part: string, subset: FontSubset): Piece {
        return {
          text: part,
          font: `${style}/${subset}`,
          size: pieceSize,
          color: tint,
          link: run.link ?? null,
          underline: run.underline === true,
          strike: run.strike === true,
        };
      }
    };
    for (const run of runs) {
      if (run.text) push(run.text, run.style ?? base, size, run, run.link ? COLOR.blue : color);
      if (run.mark) push(run.mark, "semibold", size * 0.62, { text: run.mark }, COLOR.blue);
    }
    return pieces;
  }

  /** A paragraph of runs at (x, y) `width` wide; returns the y below it. */
  textAt(runs: readonly PdfRun[], x: number, y: number, width: number, o: PdfTextOptions = {}) {
    const size = o.size ?? 11;
    const pieces = this.pieces(runs, size, o.color ?? COLOR.text, o.style ?? "regular");
    if (pieces.length === 0) return y;
    pieces.forEach((p, index) => {
      this.doc.font(p.font).fontSize(p.size).fillColor(p.color);
      const options: PDFKit.Mixins.TextOptions = {
        width,
        lineGap: LINE_GAP,
        continued: index < pieces.length - 1,
        // pdfkit carries a fragment's options over to the next one: say each of them.
        link: p.link,
        underline: p.underline,
        strike: p.strike,
        align: o.align ?? "left",
      };
      if (index === 0) this.doc.text(p.text, x, y, options);
      else this.doc.text(p.text, options);
    });
    this.doc.fillColor(COLOR.text);
    this.setFont("regular", 11);
    return this.doc.y;
  }

  /** A paragraph in the flow of the page. */
  text(runs: readonly PdfRun[], o: PdfTextOptions = {}): void {
    const indent = o.indent ?? 0;
    this.textAt(runs, this.left + indent, this.doc.y, this.width - indent, o);
    this.doc.x = this.left;
    this.doc.y += o.after ?? 6;
  }

  /** Plain text in one style. */
  line(text: string, o: PdfTextOptions = {}): void {
    this.text([{ text, style: o.style ?? "regular" }], o);
  }

  /**
   * A heading: level 1 opens a page and is listed in the contents and the bookmarks, like
   * level 2 (`contents: false` leaves it out of both).
   */
  heading(text: string, level: number, o: { newPage?: boolean; contents?: boolean } = {}): void {
    const size = HEADING_SIZE[level] ?? 11;
    if (o.newPage ?? level === 1) this.newPage();
    else {
      this.space(level <= 2 ? 10 : 6);
      // Kept with at least three lines of what follows.
      this.keep(size * 1.4 + 3 * 15);
    }
    if (o.contents ?? level <= 2) {
      this.entries.push({ title: text, level, page: this.pageNumber });
      if (level === 1) this.doc.outline.addItem(text);
    }
    this.text([{ text, style: level <= 1 ? "bold" : "semibold" }], {
      size,
      color: COLOR.dark,
      after: level === 1 ? 4 : 3,
    });
    if (level === 1) {
      const y = this.doc.y;
      this.doc
        .moveTo(this.left, y)
        .lineTo(this.left + this.width, y)
        .lineWidth(1.5)
        .strokeColor(COLOR.blue)
        .stroke();
      this.doc.y = y + 12;
    }
  }

  /** A list item's marker at `indent`; its text goes 18 points further in. */
  private marker(text: string, indent: number, size = 11): void {
    this.keep(30);
    const y = this.doc.y;
    this.setFont(text === "•" ? "bold" : "regular", size);
    this.doc.fillColor(COLOR.text).text(text, this.left + indent, y, { lineBreak: false });
    this.doc.y = y;
  }

  /** A bulleted paragraph, its lines hanging after the bullet. */
  bullet(runs: readonly PdfRun[], o: PdfTextOptions = {}): void {
    const indent = o.indent ?? 0;
    this.marker("•", indent, o.size);
    this.text(runs, { ...o, indent: indent + 14 });
  }

  /** Rich-text blocks: headings, paragraphs, lists (nested ones indented), tables. */
  blocks(blocks: readonly RichBlock[], o: PdfBlockOptions, indent = 0): void {
    for (const block of blocks) {
      if (block.type === "heading") {
        this.heading(
          block.runs.map((run) => run.text).join(""),
          Math.max(2, o.headingLevel(block.level)),
        );
      } else if (block.type === "paragraph") {
        this.text(pdfRuns(block.runs, o.mark), { indent, align: "left" });
      } else if (block.type === "list") {
        block.items.forEach((item, index) => {
          this.marker(block.ordered ? `${index + 1}.` : "•", indent);
          this.blocks(item, o, indent + 18);
        });
      } else {
        this.table(
          null,
          block.rows.map((row) =>
            row.map((cell) =>
              pdfRuns(
                cell.blocks.flatMap((b, i) => [
                  ...(i > 0 ? [{ text: "\n" }] : []),
                  ...(b.type === "paragraph" || b.type === "heading" ? b.runs : []),
                ]),
                o.mark,
              ),
            ),
          ),
          undefined,
          { indent, headerRow: block.rows[0]?.every((cell) => cell.header) === true },
        );
      }
    }
  }

  /**
   * A table: `header` (repeated on each page it continues on) or, with `headerRow`, the
   * first row is the header; `widths` are the columns' shares of the width (equal if left out).
   */
  table(
    header: readonly string[] | null,
    rows: readonly (readonly PdfCell[])[],
    widths?: readonly number[],
    o: { indent?: number; size?: number; headerRow?: boolean } = {},
  ): void {
    const size = o.size ?? 9.5;
    const pad = 4;
    const all: { cells: readonly PdfCell[]; head: boolean }[] = [
      ...(header === null ? [] : [{ cells: header, head: true }]),
      ...rows.map((cells, index) => ({
        cells,
        head: header === null && o.headerRow === true && index === 0,
      })),
    ];
    const columns = Math.max(1, ...all.map((row) => row.cells.length));
    const total = this.width - (o.indent ?? 0);
    const shares = widths ?? Array.from({ length: columns }, () => 1 / columns);
    const sum = shares.reduce((a, b) => a + b, 0);
    const columnWidths = shares.map((share) => (share / sum) * total);
    const runsOf = (cell: PdfCell | undefined, head: boolean): PdfRun[] =>
      typeof cell === "string" || cell === undefined
        ? [{ text: cell ?? "", style: head ? "semibold" : "regular" }]
        : cell.map((run) =>
            head && (run.style ?? "regular") === "regular" ? { ...run, style: "semibold" } : run,
          );
    const heightOf = (row: { cells: readonly PdfCell[]; head: boolean }) =>
      Math.max(
        ...columnWidths.map((w, i) => {
          const text = runsOf(row.cells[i], row.head)
            .map((run) => run.text + (run.mark ?? ""))
            .join("");
          this.setFont(row.head ? "semibold" : "regular", size);
          return this.doc.heightOfString(text || " ", { width: w - 2 * pad, lineGap: LINE_GAP });
        }),
      ) +
      2 * pad;
    const draw = (row: { cells: readonly PdfCell[]; head: boolean }, height: number) => {
      let x = this.left + (o.indent ?? 0);
      const y = this.doc.y;
      // The row was measured to fit: pdfkit must not break the page inside one of its cells.
      const margin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      columnWidths.forEach((w, i) => {
        if (row.head) this.doc.rect(x, y, w, height).fillColor(HEADER_FILL).fill();
        this.doc.rect(x, y, w, height).lineWidth(0.5).strokeColor(RULE).stroke();
        this.textAt(runsOf(row.cells[i], row.head), x + pad, y + pad, w - 2 * pad, { size });
        x += w;
      });
      this.doc.page.margins.bottom = margin;
      this.doc.x = this.left;
      this.doc.y = y + height;
    };
    const head = all.find((row) => row.head);
    this.space(4);
    for (const row of all) {
      const height = heightOf(row);
      if (this.doc.y + height > this.bottom) {
        this.newPage();
        if (head !== undefined && head !== row) draw(head, heightOf(head));
      }
      draw(row, height);
    }
    this.space(10);
  }

  /** Keeps pages for the contents here, to be filled in by `finish` (`entries` of them at most). */
  reserveContents(entries: number): void {
    this.newPage();
    const perPage = Math.floor((this.bottom - this.doc.y - 60) / 20);
    const pages = Math.max(1, Math.ceil(entries / perPage));
    this.contents = { first: this.pageNumber, pages, perPage };
    for (let i = 1; i < pages; i++) this.newPage();
  }

  private writeContents(title: string): void {
    if (this.contents === null) return;
    const { first, perPage } = this.contents;
    this.entries.forEach((entry, index) => {
      const page = first + Math.floor(index / perPage);
      this.doc.switchToPage(page - 1);
      let y = this.doc.page.margins.top;
      if (index % perPage === 0) {
        this.setFont("bold", 20);
        this.doc.fillColor(COLOR.dark).text(title, this.left, y, { lineBreak: false });
      }
      y += 50 + (index % perPage) * 20;
      const indent = entry.level <= 1 ? 0 : 16;
      const number = String(entry.page);
      this.setFont(entry.level <= 1 ? "semibold" : "regular", entry.level <= 1 ? 11.5 : 10.5);
      const numberWidth = this.doc.widthOfString(number);
      const room = this.width - indent - numberWidth - 24;
      let label = entry.title;
      while (label.length > 1 && this.doc.widthOfString(label) > room)
        label = `${label.slice(0, -2)}…`;
      const labelWidth = this.doc.widthOfString(label);
      this.doc.fillColor(COLOR.text).text(label, this.left + indent, y, { lineBreak: false });
      this.doc.text(number, this.left + this.width - numberWidth, y, { lineBreak: false });
      // Dotted leader between the title and its page.
      this.doc
        .moveTo(this.left + indent + labelWidth + 6, y + 11)
        .lineTo(this.left + this.width - numberWidth - 6, y + 11)
        .dash(1, { space: 3 })
        .lineWidth(0.6)
        .strokeColor(COLOR.grey)
        .stroke()
        .undash();
    });
  }

  /** Page numbers and the running footer on every page but the first (the cover). */
  private writeFooters(): void {
    const range = this.doc.bufferedPageRange();
    for (let index = 1; index < range.count; index++) {
      this.doc.switchToPage(range.start + index);
      // Written in the bottom margin: without it, pdfkit would take the text for an overflow.
      const margin = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - 44;
      this.setFont("regular", 8.5);
      this.doc.fillColor(COLOR.grey);
      const number = String(range.start + index + 1);
      const numberWidth = this.doc.widthOfString(number);
      this.doc.text(this.fit(this.footer, this.width - numberWidth - 24), this.left, y, {
        lineBreak: false,
      });
      this.doc.text(number, this.left + this.width - numberWidth, y, { lineBreak: false });
      this.doc.page.margins.bottom = margin;
    }
  }

  /** `text` cut with an ellipsis to fit `width` in the current font. */
  private fit(text: string, width: number): string {
    let fitted = text;
    while (fitted.length > 1 && this.doc.widthOfString(fitted) > width) {
      fitted = `${fitted.slice(0, -2).trimEnd()}…`;
    }
    return fitted;
  }

  /** Fills in the contents and the footers, and returns the file. */
  async finish(contentsTitle: string): Promise<Buffer> {
    this.writeContents(contentsTitle);
    this.writeFooters();
    this.doc.end();
    return this.ended;
  }
}
