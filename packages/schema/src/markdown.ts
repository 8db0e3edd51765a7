import { runsIn, safeHref, type RichBlock, type RichRun } from "./richText.ts";

/**
 * Rich text as Markdown, for every Markdown export (the seminar report, the orientation
 * draft): everything a participant wrote is escaped, so no text becomes markup.
 */

export function escapeMarkdown(text: string): string {
  return (
    text
      .replace(/([\\`*_[\]#<>|~])/g, "\\$1")
      // A line opening with "- ", "+ " or "1. " would turn the text into a list.
      .replace(/^(\s*)([-+])(?=\s|$)/gm, "$1\\$2")
      .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, "$1\\$2")
  );
}

/** One line of text: runs of white space (line breaks included) as one space. */
export const flatText = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Wraps text in an emphasis marker, leaving its outer spaces out (`** x**` is no emphasis). */
function emphasis(text: string, marker: string): string {
  const [, before = "", core = "", after = ""] = /^(\s*)([\s\S]*?)(\s*)$/.exec(text) ?? [];
  return core ? `${before}${marker}${core}${marker}${after}` : text;
}

export interface MarkdownOptions {
  /** The footnote label after a citation's text (`1`, an answer id …), or none. */
  cite?: (run: RichRun) => string | undefined;
  /** Added to a heading's level: the number of `#` is the level plus this. */
  headingOffset?: number;
}

export function runsToMarkdown(runs: readonly RichRun[], options: MarkdownOptions = {}): string {
  return runs
    .map((run) => {
      let text = escapeMarkdown(run.text).replace(/\n/g, "  \n");
      if (run.citation !== undefined || run.footnote !== undefined) {
        const label = options.cite?.(run);
        return label === undefined ? text : `${text}[^${label}]`;
      }
      if (run.bold) text = emphasis(text, "**");
      if (run.italic) text = emphasis(text, "_");
      if (run.strike) text = emphasis(text, "~~");
      const href = safeHref(run.link);
      // Parentheses are the only characters of a normalised URL that can end the address.
      if (href !== undefined) text = `[${text}](${href.replace(/[()]/g, "\\$&")})`;
      return text;
    })
    .join("");
}

/** A table cell's blocks on one line (a pipe table has no room for more). */
function cellMarkdown(blocks: readonly RichBlock[], options: MarkdownOptions): string {
  const parts = blocks.map((block) =>
    block.type === "paragraph" || block.type === "heading"
      ? runsToMarkdown(block.runs, options)
      : runsToMarkdown(runsIn([block]), options),
  );
  return parts.join(" · ").replace(/\s*\n\s*/g, " ");
}

/** A pipe table; the first row is its header (Markdown tables need one). */
export function tableMarkdown(rows: readonly string[][]): string[] {
  const width = Math.max(1, ...rows.map((row) => row.length));
  const line = (row: readonly string[]) =>
    `| ${Array.from({ length: width }, (_, i) => row[i] ?? "").join(" | ")} |`;
  const [head = [], ...body] = rows;
  return [line(head), `|${" --- |".repeat(width)}`, ...body.map(line)];
}

export function blocksToMarkdown(
  blocks: readonly RichBlock[],
  options: MarkdownOptions = {},
  indent = "",
): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    if (block.type === "heading") {
      const level = Math.max(1, Math.min(6, block.level + (options.headingOffset ?? 0)));
      lines.push(`${"#".repeat(level)} ${runsToMarkdown(block.runs, options)}`, "");
    } else if (block.type === "paragraph") {
      const text = runsToMarkdown(block.runs, options);
      if (text.trim()) lines.push(`${indent}${text}`, "");
    } else if (block.type === "table") {
      const rows = block.rows.map((row) => row.map((cell) => cellMarkdown(cell.blocks, options)));
      if (rows.length > 0) lines.push(...tableMarkdown(rows).map((l) => `${indent}${l}`), "");
    } else {
      block.items.forEach((item, index) => {
        const marker = block.ordered ? `${index + 1}.` : "-";
        const [first = "", ...rest] = blocksToMarkdown(item, options, `${indent}   `).filter(
          (l) => l !== "",
        );
        lines.push(`${indent}${marker} ${first.trimStart()}`, ...rest);
      });
      lines.push("");
    }
  }
  return lines;
}

/** Joins Markdown lines: at most one blank line in a row, one newline at the end. */
export const joinMarkdown = (lines: readonly string[]): string =>
  `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
