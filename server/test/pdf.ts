import { createCanvas } from "@napi-rs/canvas";
import {
  getDocument,
  type PDFDocumentProxy,
  type PDFPageProxy,
} from "pdfjs-dist/legacy/build/pdf.mjs";
import type { TextItem } from "pdfjs-dist/types/src/display/api.js";

/**
 * The exported PDFs read back in the tests with PDF.js (Mozilla's reader, `pdfjs-dist` from
 * npm, drawing on `@napi-rs/canvas`), so the tests need no Debian poppler-utils: each page's
 * text laid out in lines as a reader sees them, the fonts and whether each is embedded, and a
 * page drawn as a PNG to look at.
 */

export interface PdfFont {
  /** The font's PostScript name with its subset prefix, e.g. `CZZZZZ+TitilliumWeb-Regular`. */
  name: string;
  /** The PDF font type, e.g. `CIDFontType2` (a CID-keyed TrueType font, what pdfkit embeds). */
  type: string;
  embedded: boolean;
}

export interface PdfContents {
  /** Each page's text: one line per line of print, top to bottom; a wide gap is two spaces. */
  pages: string[];
  fonts: PdfFont[];
}

/** Runs `read` on the opened PDF, then lets PDF.js's worker go. */
async function withPdf<T>(
  bytes: Uint8Array,
  read: (document: PDFDocumentProxy) => Promise<T>,
): Promise<T> {
  // A copy: PDF.js takes the buffer over (transfers it to its worker).
  const task = getDocument({
    data: new Uint8Array(bytes),
    fontExtraProperties: true,
    verbosity: 0,
  });
  try {
    return await read(await task.promise);
  } finally {
    await task.destroy();
  }
}

/** The page's text items arranged in lines: items on one baseline, left to right. */
function layout(items: TextItem[]): string {
  const placed = items
    // PDF.js fills the gap before a far item (a page number in the contents) with a wide
    // space item: the gaps are measured from the positions instead.
    .filter((item) => item.str.trim() !== "")
    .map((item) => ({
      text: item.str,
      x: item.transform[4] as number,
      y: item.transform[5] as number,
      size: Math.hypot(item.transform[2] as number, item.transform[3] as number),
      width: item.width,
    }))
    .sort((a, b) => b.y - a.y || a.x - b.x);
  const lines: (typeof placed)[] = [];
  for (const item of placed) {
    // A note's raised number sits up to half a line above its baseline: same line.
    const line = lines.find((candidate) =>
      candidate.some((other) => Math.abs(other.y - item.y) < Math.max(other.size, item.size) / 2),
    );
    if (line) line.push(item);
    else lines.push([item]);
  }
  return lines
    .map((line) => {
      line.sort((a, b) => a.x - b.x);
      let text = "";
      let end = -Infinity;
      for (const item of line) {
        const gap = item.x - end;
        // Columns (a contents entry and its page number, a table's cells) are two spaces
        // apart, as `pdftotext -layout` kept them; words a space apart, one.
        if (text !== "" && gap > item.size * 1.5) text += "  ";
        else if (
          text !== "" &&
          gap > item.size * 0.15 &&
          !/\s$/.test(text) &&
          !/^\s/.test(item.text)
        )
          text += " ";
        text += item.text;
        end = item.x + item.width;
      }
      return text;
    })
    .join("\n");
}

/** The PDF's text, page by page, and its fonts. */
export async function readPdf(bytes: Uint8Array): Promise<PdfContents> {
  return withPdf(bytes, async (document) => {
    const pages: string[] = [];
    const fonts = new Map<string, PdfFont>();
    for (let number = 1; number <= document.numPages; number++) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      pages.push(layout(content.items.filter((item): item is TextItem => "str" in item)));
      // The fonts are loaded while the page's drawing operations are read.
      await page.getOperatorList();
      for (const [, object] of page.commonObjs) {
        const font = object as { name?: string; type?: string; missingFile?: boolean } | null;
        if (font?.name && font.type)
          fonts.set(font.name, { name: font.name, type: font.type, embedded: !font.missingFile });
      }
    }
    return { pages, fonts: [...fonts.values()] };
  });
}

/** One page (counted from 1) drawn at `dpi` dots per inch, as PNG bytes. */
export async function renderPdfPage(bytes: Uint8Array, number: number, dpi: number) {
  return withPdf(bytes, async (document) => {
    const page = await document.getPage(number);
    const viewport = page.getViewport({ scale: dpi / 72 });
    const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
    const context = canvas.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    // @napi-rs/canvas's context is the one PDF.js itself draws on in Node; its type is not
    // the DOM's CanvasRenderingContext2D that PDF.js's declarations name.
    await page.render({
      canvas: null,
      canvasContext: context as unknown as Parameters<PDFPageProxy["render"]>[0]["canvasContext"],
      viewport,
    }).promise;
    return canvas.toBuffer("image/png");
  });
}
