import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Titillium Web, the Italian public administration's typeface, from `@fontsource/titillium-web`
 * (plain files in node_modules: nothing to install on the system). The PDF export embeds the
 * WOFF files (pdfkit's fontkit reads WOFF), the HTML export the WOFF2 ones as data URIs.
 * Fontsource splits each face by script: `latin` (ASCII, Latin-1, punctuation, €) and
 * `latin-ext` (the rest of the Latin letters), so a renderer falls back from one to the other.
 */

export type FontStyle = "regular" | "italic" | "bold" | "boldItalic" | "semibold";
export type FontSubset = "latin" | "latin-ext";

const FACES: Record<FontStyle, string> = {
  regular: "400-normal",
  italic: "400-italic",
  bold: "700-normal",
  boldItalic: "700-italic",
  semibold: "600-normal",
};

export function fontFile(style: FontStyle, subset: FontSubset, format: "woff" | "woff2"): Buffer {
  const url = import.meta.resolve(
    `@fontsource/titillium-web/files/titillium-web-${subset}-${FACES[style]}.${format}`,
  );
  return readFileSync(fileURLToPath(url));
}

/** Fontsource's `unicode.json`: each subset's CSS `unicode-range`. */
export const UNICODE_RANGE = JSON.parse(
  readFileSync(
    fileURLToPath(import.meta.resolve("@fontsource/titillium-web/unicode.json")),
    "utf8",
  ),
) as Readonly<Record<FontSubset, string>>;

const LATIN_EXT: [number, number][] = UNICODE_RANGE["latin-ext"].split(",").map((range) => {
  const [from = "0", to = from] = range.trim().replace(/^U\+/i, "").split("-");
  return [parseInt(from, 16), parseInt(to, 16)];
});

/** The file a character is drawn from: `latin-ext` for what only it has, else `latin`. */
export function subsetOf(codePoint: number): FontSubset {
  return LATIN_EXT.some(([from, to]) => codePoint >= from && codePoint <= to)
    ? "latin-ext"
    : "latin";
}
