import { describe, expect, test } from "vitest";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import i18next from "i18next";
import { I18nextProvider } from "react-i18next";
import * as Y from "yjs";
import { getSchema } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { FOOTNOTE_NODE, MAX_FOOTNOTE_LENGTH, paragraphNode } from "@percorso/schema";
import { Footnote, findFootnote, footnotesOf, noteText } from "../src/editor/Footnote.ts";
import { numberFootnotes } from "../src/conference/footnotes.ts";
import { Blocks, DraftTextProvider, RunRegistry } from "../src/conference/DraftText.tsx";
import { it as italian } from "../src/locales/it.ts";
import { parseMarkup } from "../src/draft/markup.ts";

const schema = getSchema([StarterKit.configure({ undoRedo: false }), Footnote]);

const note = (text: string) => schema.nodes[FOOTNOTE_NODE]!.create({ text });
const paragraph = (...content: (string | ReturnType<typeof note>)[]) =>
  schema.nodes.paragraph!.create(
    null,
    content.map((part) => (typeof part === "string" ? schema.text(part) : part)),
  );

describe("footnotes in the draft's editor", () => {
  test("the schema declares the one attribute the server accepts", () => {
    expect(Object.keys(schema.nodes[FOOTNOTE_NODE]!.spec.attrs ?? {})).toEqual(["text"]);
    expect(schema.nodes[FOOTNOTE_NODE]!.isInline).toBe(true);
    expect(schema.nodes[FOOTNOTE_NODE]!.isAtom).toBe(true);
  });

  test("a note is one paragraph, trimmed, never longer than the server takes", () => {
    expect(noteText("  Fonte:\n ISTAT,\t2025  ")).toBe("Fonte: ISTAT, 2025");
    expect(noteText("   ")).toBe("");
    expect(noteText("x".repeat(MAX_FOOTNOTE_LENGTH + 50))).toHaveLength(MAX_FOOTNOTE_LENGTH);
  });

  test("numbers the notes in reading order, across paragraphs and headings", () => {
    const doc = schema.nodes.doc!.create(null, [
      schema.nodes.heading!.create({ level: 2 }, [schema.text("Capitolo"), note("Titolo")]),
      paragraph("Uno", note("Prima"), " due", note("Seconda")),
      paragraph("Tre", note(""), note("Terza")),
    ]);
    expect(footnotesOf(doc).map(({ text, number }) => [number, text])).toEqual([
      [1, "Titolo"],
      [2, "Prima"],
      [3, "Seconda"],
      [0, ""], // no words: not counted, as the exports leave it out
      [4, "Terza"],
    ]);
    for (const found of footnotesOf(doc)) {
      expect(doc.nodeAt(found.pos)?.attrs.text).toBe(found.text);
    }
  });

  test("finds the note a dialog opened on again after the text moved", () => {
    const before = schema.nodes.doc!.create(null, [paragraph("Uno", note("Prima"), note("Altra"))]);
    const [first] = footnotesOf(before);
    expect(findFootnote(before, first!.pos, "Prima")).toBe(first!.pos);
    // Someone wrote before it and another note now comes first: it is further on.
    const after = schema.nodes.doc!.create(null, [
      paragraph("Ecco uno", note("Altra"), " e", note("Prima")),
    ]);
    const moved = footnotesOf(after).find((n) => n.text === "Prima")!;
    expect(findFootnote(after, first!.pos, "Prima")).toBe(moved.pos);
    // Removed, or its words changed meanwhile: nothing to edit.
    expect(findFootnote(after, first!.pos, "Sparita")).toBeNull();
    expect(findFootnote(after, 10_000, "Nessuna")).toBeNull();
  });
});

describe("footnotes in the conference's text", () => {
  test("numbers a chapter's notes from 1 in reading order, heading first", () => {
    const doc = new Y.Doc();
    const body = doc.getXmlFragment("body");
    const make = (text: string) => {
      const element = new Y.XmlElement(FOOTNOTE_NODE);
      element.setAttribute("text", text);
      return element;
    };
    const heading = new Y.XmlElement("heading");
    const first = paragraphNode("Uno");
    const list = new Y.XmlElement("bulletList");
    const item = new Y.XmlElement("listItem");
    const inner = paragraphNode("Due");
    const notes = [make("Nel titolo"), make("Prima"), make("   "), make("Nell'elenco")];
    body.insert(0, [heading, first, list]);
    heading.insert(0, [new Y.XmlText("Capitolo"), notes[0]!]);
    first.insert(1, [notes[1]!, notes[2]!]);
    list.insert(0, [item]);
    item.insert(0, [inner]);
    inner.insert(1, [notes[3]!]);
    const numbers = numberFootnotes([heading, first, list]);
    expect(notes.map((n) => numbers.get(n) ?? null)).toEqual([1, 2, null, 3]);
    // Drawn without the heading (the projector), the blocks count from 1.
    expect(numberFootnotes([first, list]).get(notes[3]!)).toBe(2);
  });

  test("draws a note as a numbered button named with its words, outside the text runs", async () => {
    const doc = new Y.Doc();
    const body = doc.getXmlFragment("body");
    const first = paragraphNode("Dati");
    const second = paragraphNode("Altri");
    body.insert(0, [first, second]);
    const make = (text: string) => {
      const element = new Y.XmlElement(FOOTNOTE_NODE);
      element.setAttribute("text", text);
      return element;
    };
    first.insert(1, [make("Fonte: ISTAT, 2025"), new Y.XmlText(" dopo")]);
    second.insert(1, [make("Seconda nota")]);
    const i18n = i18next.createInstance();
    await i18n.init({
      resources: { it: { translation: italian } },
      lng: "it",
      interpolation: { escapeValue: false },
    });
    const html = renderToStaticMarkup(
      createElement(
        I18nextProvider,
        { i18n },
        createElement(
          DraftTextProvider,
          {
            value: {
              registry: new RunRegistry(),
              highlights: new Map(),
              onCitation: () => {},
              onPassage: () => {},
            },
          },
          createElement(Blocks, { blocks: [first, second] }),
        ),
      ),
    );
    expect(html).toContain('aria-label="Nota 1: Fonte: ISTAT, 2025"');
    expect(html).toContain('aria-label="Nota 2: Seconda nota"');
    expect(html).toMatch(/<sup class="footnote-mark"><button [^>]*>1<\/button><\/sup>/);
    // Its words are there for whoever opens it, hidden until then.
    expect(html).toMatch(/<span [^>]*role="note" hidden="">.*Fonte: ISTAT, 2025<\/span>/);
    // The runs around it stay runs of their own: a selection still maps to their characters.
    expect(html).toMatch(/<span data-run="r1"><span>Dati<\/span><\/span><sup/);
    expect(html).toMatch(/<\/span><span data-run="r2"><span> dopo<\/span><\/span>/);
  });
});

describe("footnotes in a draft version's markup", () => {
  test("reads a note Yjs wrote, quotes and angle brackets in its words included", () => {
    const doc = new Y.Doc();
    const body = doc.getXmlFragment("body");
    const p = paragraphNode("Dati");
    const element = new Y.XmlElement(FOOTNOTE_NODE);
    element.setAttribute("text", 'Rapporto "Comuni > 5.000" <2025>');
    body.insert(0, [p]);
    p.insert(1, [element, new Y.XmlText(" fine")]);
    const [paragraphTree] = parseMarkup(body.toString());
    expect(paragraphTree).toEqual({
      kind: "element",
      name: "paragraph",
      attrs: {},
      children: [
        { kind: "text", text: "Dati" },
        {
          kind: "element",
          name: "footnote",
          attrs: { text: 'Rapporto "Comuni > 5.000" <2025>' },
          children: [],
        },
        { kind: "text", text: " fine" },
      ],
    });
  });
});
