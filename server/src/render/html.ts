import { safeHref, type RichBlock, type RichRun } from "@percorso/schema";
import { UNICODE_RANGE, fontFile, type FontStyle, type FontSubset } from "./fonts.ts";

/**
 * Rich text as HTML, for every HTML export (the seminar report, the orientation draft): a
 * complete standalone page — its own print stylesheet, Titillium Web embedded, no external
 * resource, a Content-Security-Policy that runs no script — and every text escaped. A link is
 * live only when its address is http:, https: or mailto:.
 */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);

/** Text with its line breaks as `<br>`. */
export const textHtml = (text: string): string => escapeHtml(text).replace(/\n/g, "<br>");

export interface HtmlTextOptions {
  /** The markup after a citation's text (a footnote mark), or none. */
  cite: (run: RichRun) => string | undefined;
  /** The HTML heading level for a heading of the text (its own `level`, 1–6). */
  headingLevel: (level: number) => number;
}

export function runsHtml(runs: readonly RichRun[], options: HtmlTextOptions): string {
  return runs
    .map((run) => {
      let html = textHtml(run.text);
      if (run.citation !== undefined)
        return `<q class="citazione">${html.replace(/^«|»$/g, "")}</q>${options.cite(run) ?? ""}`;
      if (run.footnote !== undefined) return options.cite(run) ?? "";
      if (run.bold) html = `<strong>${html}</strong>`;
      if (run.italic) html = `<em>${html}</em>`;
      if (run.underline) html = `<u>${html}</u>`;
      if (run.strike) html = `<s>${html}</s>`;
      const href = safeHref(run.link);
      if (href !== undefined)
        html = `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${html}</a>`;
      return html;
    })
    .join("");
}

export function blocksHtml(blocks: readonly RichBlock[], options: HtmlTextOptions): string {
  return blocks
    .map((block) => {
      switch (block.type) {
        case "heading": {
          const level = Math.max(1, Math.min(6, options.headingLevel(block.level)));
          return `<h${level}>${runsHtml(block.runs, options)}</h${level}>`;
        }
        case "paragraph":
          return `<p>${runsHtml(block.runs, options)}</p>`;
        case "list": {
          const tag = block.ordered ? "ol" : "ul";
          const items = block.items.map((item) => `<li>${blocksHtml(item, options)}</li>`);
          return `<${tag}>${items.join("")}</${tag}>`;
        }
        case "table": {
          const rows = block.rows.map((row) => {
            const cells = row.map((cell) => {
              const tag = cell.header ? "th" : "td";
              return `<${tag}>${blocksHtml(cell.blocks, options)}</${tag}>`;
            });
            return `<tr>${cells.join("")}</tr>`;
          });
          return `<table class="testo">${rows.join("")}</table>`;
        }
      }
    })
    .join("\n");
}

/** A table of data: a header row, then one row of already-escaped cells per entry. */
export function dataTableHtml(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const head = header.map((text) => `<th scope="col">${escapeHtml(text)}</th>`).join("");
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join("")}</tr>`);
  return `<table class="dati"><thead><tr>${head}</tr></thead><tbody>${body.join("")}</tbody></table>`;
}

const FACES: [FontStyle, number, string][] = [
  ["regular", 400, "normal"],
  ["italic", 400, "italic"],
  ["semibold", 600, "normal"],
  ["bold", 700, "normal"],
];

/** Titillium Web's faces as data URIs, each script subset for its own characters. */
function fontFaces(): string {
  const subsets: FontSubset[] = ["latin", "latin-ext"];
  return FACES.flatMap(([style, weight, fontStyle]) =>
    subsets.map(
      (subset) =>
        `@font-face{font-family:"Titillium Web";font-style:${fontStyle};font-weight:${weight};` +
        `font-display:swap;unicode-range:${UNICODE_RANGE[subset]};` +
        `src:url(data:font/woff2;base64,${fontFile(style, subset, "woff2").toString("base64")}) format("woff2");}`,
    ),
  ).join("\n");
}

/** The print stylesheet every export page starts from (A4, Designers Italia's colours). */
export const BASE_CSS = `
:root { --blu: #0066cc; --scuro: #17324d; --grigio: #5c6f82; --riga: #c5c7c9; }
@page { size: A4; margin: 22mm 20mm 24mm; }
* { box-sizing: border-box; }
html { font-family: "Titillium Web", "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a; }
body { margin: 0 auto; max-width: 46rem; padding: 2rem 1.25rem 4rem; font-size: 11.5pt; line-height: 1.5; }
h1, h2, h3, h4, h5, h6 { color: var(--scuro); line-height: 1.2; break-after: avoid; }
h1 { font-size: 2em; font-weight: 700; }
h2 { font-size: 1.5em; font-weight: 600; margin-top: 2em; border-bottom: 2px solid var(--blu); padding-bottom: .2em; }
h3 { font-size: 1.2em; font-weight: 600; }
h4 { font-size: 1.05em; font-weight: 600; }
a { color: var(--blu); }
p, li { orphans: 3; widows: 3; }
q.citazione { font-style: italic; quotes: "«" "»"; }
sup.nota a { text-decoration: none; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; font-size: .92em; break-inside: auto; }
tr { break-inside: avoid; }
th, td { border: 1px solid var(--riga); padding: .35em .5em; text-align: left; vertical-align: top; }
th { background: #e8eef4; font-weight: 600; }
th > :first-child, td > :first-child { margin-top: 0; }
th > :last-child, td > :last-child { margin-bottom: 0; }
td.numero, th.numero { text-align: right; font-variant-numeric: tabular-nums; }
.meta { color: var(--grigio); font-size: .92em; }
.note { border-top: 1px solid var(--riga); margin-top: 1.5em; padding-top: .5em; font-size: .88em; color: #333; }
.note ol { padding-left: 1.5em; margin: 0; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  a { color: inherit; }
  .copertina { break-after: page; }
  .capitolo, .allegato { break-before: page; }
}
`;

/** What an export page may load and run: nothing but its own styles and fonts. */
export const EXPORT_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:";

/** A complete HTML document: `body` is markup already escaped. */
export function htmlPage(page: { title: string; css: string; body: string }): string {
  return [
    "<!doctype html>",
    '<html lang="it">',
    "<head>",
    '<meta charset="utf-8">',
    // Nothing is fetched and nothing runs: styles and fonts are inline.
    `<meta http-equiv="Content-Security-Policy" content="${EXPORT_PAGE_POLICY}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="Percorso">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>\n${fontFaces()}\n${BASE_CSS}\n${page.css}\n</style>`,
    "</head>",
    "<body>",
    page.body,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
