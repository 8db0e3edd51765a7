import { describe, expect, it } from "vitest";
import { redlineWithContext } from "../src/draft/versions.ts";

/**
 * Comparing two versions shows the changes with a paragraph around each, the unchanged rest
 * folded into "N paragraphs unchanged" (issue 22, item 10f).
 */
const text = (paragraphs: string[]) => paragraphs.join("\n\n");
const doc = Array.from({ length: 12 }, (_, i) => `Paragrafo ${i + 1} del documento.`);

describe("redlineWithContext", () => {
  it("shows a change in the middle with one paragraph around it, the rest skipped", () => {
    const now = [...doc];
    now[5] = "Paragrafo 6 del documento, riscritto.";
    const { changes } = redlineWithContext(text(doc), text(now));
    const shown = changes.map((c) => c.value).join("");
    expect(changes[0]).toEqual({ value: "", skipped: 4 });
    expect(changes.at(-1)).toEqual({ value: "", skipped: 5 });
    expect(shown).toContain("Paragrafo 5 del documento.");
    expect(shown).toContain("Paragrafo 7 del documento.");
    expect(shown).not.toContain("Paragrafo 4 ");
    expect(shown).not.toContain("Paragrafo 8 ");
    expect(changes.filter((c) => c.added).map((c) => c.value)).toEqual([
      expect.stringContaining("riscritto"),
    ]);
  });

  it("keeps the stretch between two near changes whole, and folds a long one", () => {
    const near = [...doc];
    near[1] = "Paragrafo 2 cambiato.";
    near[3] = "Paragrafo 4 cambiato.";
    const { changes } = redlineWithContext(text(doc), text(near));
    // Paragraph 3, between the two, is shown, never folded.
    expect(changes.filter((c) => c.skipped !== undefined)).toEqual([{ value: "", skipped: 7 }]);
    expect(changes.map((c) => c.value).join("")).toContain("Paragrafo 3 del documento.");

    const far = [...doc];
    far[0] = "Paragrafo 1 cambiato.";
    far[11] = "Paragrafo 12 cambiato.";
    const folded = redlineWithContext(text(doc), text(far)).changes;
    // Paragraphs 3 to 10 folded; 2 and 11 shown as context.
    expect(folded.filter((c) => c.skipped !== undefined)).toEqual([{ value: "", skipped: 8 }]);
  });

  it("says the whole text is unchanged when nothing changed", () => {
    expect(redlineWithContext(text(doc), text(doc)).changes).toEqual([{ value: "", skipped: 12 }]);
  });

  it("shows an added paragraph with its neighbours", () => {
    const now = [...doc.slice(0, 6), "Un paragrafo nuovo.", ...doc.slice(6)];
    const { changes } = redlineWithContext(text(doc), text(now));
    const shown = changes.map((c) => c.value).join("");
    expect(shown).toContain("Paragrafo 6 del documento.");
    expect(shown).toContain("Paragrafo 7 del documento.");
    expect(changes.some((c) => c.added && c.value.includes("nuovo"))).toBe(true);
    // Twelve paragraphs then, thirteen now: all but the new one's neighbourhood folded (the
    // word diff may take a neighbour's words into the change, so one more may be shown).
    expect(changes.reduce((n, c) => n + (c.skipped ?? 0), 0)).toBeGreaterThanOrEqual(9);
  });
});
