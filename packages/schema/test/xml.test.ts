import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  ANSWER_REF_NODE,
  citationLabel,
  citedAnswerIds,
  headingNode,
  paragraphNode,
  textOf,
} from "../src/index.ts";

/** A paragraph citing answers, as y-prosemirror stores an `answerRef` inline node. */
function citingParagraph(text: string, ...answerIds: string[]): Y.XmlElement {
  const paragraph = paragraphNode(text);
  const refs = answerIds.map((id) => {
    const ref = new Y.XmlElement(ANSWER_REF_NODE);
    ref.setAttribute("answerId", id);
    ref.setAttribute("label", `risposta ${id}`);
    return ref;
  });
  // `push` reads the length, which Yjs warns about before the element is in a document.
  paragraph.insert(text ? 1 : 0, refs);
  return paragraph;
}

describe("rich-text helpers", () => {
  it("finds every cited answer, nested at any depth, in document order", () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("recommendations");
    const list = new Y.XmlElement("bulletList");
    const item = new Y.XmlElement("listItem");
    item.insert(0, [citingParagraph("in un elenco", "a3")]);
    list.insert(0, [item]);
    fragment.push([headingNode(2, "Temi"), citingParagraph("primo", "a1", "a2"), list]);
    expect(citedAnswerIds(fragment)).toEqual(["a1", "a2", "a3"]);
  });

  it("finds nothing in a text without citations, and ignores a reference without an id", () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("recommendations");
    const broken = new Y.XmlElement(ANSWER_REF_NODE);
    fragment.push([paragraphNode("solo testo"), broken]);
    expect(citedAnswerIds(fragment)).toEqual([]);
  });

  it("reads the plain text of headings and paragraphs", () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("recommendations");
    fragment.push([headingNode(2, "Nuovi temi"), paragraphNode("testo")]);
    expect(fragment.toArray().map((node) => textOf(node as Y.XmlElement))).toEqual([
      "Nuovi temi",
      "testo",
    ]);
  });
});

describe("citation label", () => {
  it("keeps a short answer whole and adds its author", () => {
    expect(citationLabel("  Più   fondi\nai comuni ", "Anna")).toBe("Più fondi ai comuni (Anna)");
    expect(citationLabel("Più fondi ai comuni", null)).toBe("Più fondi ai comuni");
  });

  it("cuts a long answer to 80 characters with an ellipsis", () => {
    const label = citationLabel("parola ".repeat(40), null);
    expect(label.length).toBeLessThanOrEqual(80);
    expect(label.endsWith("…")).toBe(true);
  });

  it("cuts at a word boundary, without dangling punctuation", () => {
    const text =
      "Creare un fondo regionale per l'economia circolare, gestito con i comuni e le cooperative sociali del territorio";
    const label = citationLabel(text, "Ada");
    expect(label).toBe(
      "Creare un fondo regionale per l'economia circolare, gestito con i comuni e le… (Ada)",
    );
    const words = label.replace(/… \(Ada\)$/, "").split(" ");
    for (const word of words) expect(text.split(/[ ,]+/)).toContain(word.replace(/,$/, ""));
    expect(citationLabel(`${"a".repeat(50)}, ${"b".repeat(40)}`, null)).toBe(`${"a".repeat(50)}…`);
    // One word longer than the limit is cut inside it.
    expect(citationLabel("x".repeat(100), null)).toBe(`${"x".repeat(79)}…`);
  });
});
