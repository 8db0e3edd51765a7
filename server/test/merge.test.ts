import { describe, expect, it } from "vitest";
import { mergeBlocks, resolveMerge, type MergeRegion } from "../src/draft/merge.js";

/**
 * The three-way merge of a chapter on paragraph lists (issue 22, item 6): what one side only
 * added, removed or changed goes in cleanly; only a paragraph both sides changed differently
 * (or new paragraphs both sides put at the same place) is a conflict.
 */
const p = (text: string) => `<paragraph>${text}</paragraph>`;
const X = p("La scuola è aperta a tutti e l'istruzione inferiore è obbligatoria");
const Y = p("I capaci e meritevoli hanno diritto di raggiungere i gradi più alti degli studi");
const Z = p("La Repubblica tutela la salute come fondamentale diritto dell'individuo");

const conflicts = (regions: MergeRegion[]) =>
  regions.filter((region) => region.kind === "conflict");

describe("mergeBlocks", () => {
  it("takes a paragraph added on the seminar's side only", () => {
    const N = p("Nuovo paragrafo del seminario sulle biblioteche di quartiere");
    const regions = mergeBlocks([X, Y], [X, Y], [X, N, Y]);
    expect(conflicts(regions)).toEqual([]);
    expect(resolveMerge(regions, [])).toEqual([X, N, Y]);
  });

  it("takes a paragraph added on the draft's side only, next to the seminar's edit", () => {
    const D = p("Paragrafo aggiunto dalla redazione sul diritto allo studio");
    const X2 = p("La scuola è aperta a tutte e a tutti e l'istruzione inferiore è obbligatoria");
    const regions = mergeBlocks([X, Y], [X, D, Y], [X2, Y]);
    expect(conflicts(regions)).toEqual([]);
    expect(resolveMerge(regions, [])).toEqual([X2, D, Y]);
  });

  it("takes a deletion made on one side only", () => {
    const X2 = p("La scuola è aperta a tutti, e l'istruzione inferiore è gratuita e obbligatoria");
    const ours = mergeBlocks([X, Y, Z], [X, Z], [X2, Y, Z]);
    expect(conflicts(ours)).toEqual([]);
    expect(resolveMerge(ours, [])).toEqual([X2, Z]);
    const theirs = mergeBlocks([X, Y, Z], [X2, Y, Z], [X, Y]);
    expect(conflicts(theirs)).toEqual([]);
    expect(resolveMerge(theirs, [])).toEqual([X2, Y]);
  });

  it("is a conflict where both sides changed the same paragraph, and of that paragraph only", () => {
    const Xd = p("La scuola è aperta a tutti; l'istruzione inferiore è obbligatoria e gratuita");
    const Xs = p("La scuola è aperta a tutti e a tutte e l'istruzione inferiore è obbligatoria");
    const Ys = p("I capaci e meritevoli, anche se privi di mezzi, hanno diritto agli studi");
    const regions = mergeBlocks([X, Y], [Xd, Y], [Xs, Ys]);
    expect(conflicts(regions)).toEqual([{ kind: "conflict", ours: [Xd], base: [X], theirs: [Xs] }]);
    expect(resolveMerge(regions, ["ours"])).toEqual([Xd, Ys]);
    expect(resolveMerge(regions, ["theirs"])).toEqual([Xs, Ys]);
    expect(resolveMerge(regions, ["both"])).toEqual([Xd, Xs, Ys]);
  });

  it("is a conflict where one side edited a paragraph the other removed", () => {
    const Xd = p("La scuola è aperta a tutti; l'istruzione inferiore è obbligatoria e gratuita");
    const regions = mergeBlocks([X, Y], [Xd, Y], [Y]);
    expect(conflicts(regions)).toEqual([{ kind: "conflict", ours: [Xd], base: [X], theirs: [] }]);
    expect(resolveMerge(regions, ["theirs"])).toEqual([Y]);
  });

  it("is a conflict where both sides added different paragraphs at the same place; the same addition goes in once", () => {
    const D = p("Paragrafo della redazione sulle mense scolastiche");
    const N = p("Paragrafo del seminario sui trasporti per gli studenti");
    const regions = mergeBlocks([X, Y], [X, D, Y], [X, N, Y]);
    expect(conflicts(regions)).toEqual([{ kind: "conflict", ours: [D], base: [], theirs: [N] }]);
    // "Entrambe": the draft's first, then the seminar's, each once.
    expect(resolveMerge(regions, ["both"])).toEqual([X, D, N, Y]);
    const sameAddition = mergeBlocks([X, Y], [X, N, Y], [X, N, Y]);
    expect(resolveMerge(sameAddition, [])).toEqual([X, N, Y]);
  });

  it("the issue's case: the draft edits X, the seminar edits X and adds N after it", () => {
    const Xd = p("La scuola è aperta a tutti; l'istruzione inferiore è obbligatoria e gratuita");
    const Xs = p("La scuola è aperta a tutti e a tutte e l'istruzione inferiore è obbligatoria");
    const N = p("Ogni comune garantisce uno spazio di studio aperto la sera");
    const regions = mergeBlocks([X, Y], [Xd, Y], [Xs, N, Y]);
    expect(regions).toEqual([
      { kind: "conflict", ours: [Xd], base: [X], theirs: [Xs] },
      { kind: "ok", keys: [N, Y] },
    ]);
    // Choosing the draft's side keeps the seminar's new paragraph.
    expect(resolveMerge(regions, ["ours"])).toEqual([Xd, N, Y]);
    expect(resolveMerge(regions, ["theirs"])).toEqual([Xs, N, Y]);
    // "Entrambe": X' then X'', once each, and no X left over.
    const both = resolveMerge(regions, ["both"]);
    expect(both).toEqual([Xd, Xs, N, Y]);
    expect(both).not.toContain(X);
  });

  it("pairs an edit with the paragraph most like it when the seminar adds one before it", () => {
    const N = p("Ogni comune garantisce uno spazio di studio aperto la sera");
    const Xs = p("La scuola è aperta a tutti e a tutte e l'istruzione inferiore è obbligatoria");
    const Xd = p("La scuola è aperta a tutti; l'istruzione inferiore è obbligatoria e gratuita");
    const regions = mergeBlocks([X, Y], [Xd, Y], [N, Xs, Y]);
    expect(conflicts(regions)).toEqual([{ kind: "conflict", ours: [Xd], base: [X], theirs: [Xs] }]);
    expect(resolveMerge(regions, ["ours"])).toEqual([N, Xd, Y]);
  });
});
