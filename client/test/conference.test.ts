import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { wordDiff } from "../src/conference/wordDiff.ts";
import { encodePassage, pickPassage, resolvePassage } from "../src/conference/passages.ts";
import { outlineOf, sectionOfRun, sectionRuns } from "../src/conference/sections.ts";

/** A draft body: a title, and chapters each with one paragraph of text. */
function draft(chapters: [string, string][]): {
  doc: Y.Doc;
  body: Y.XmlFragment;
  texts: Y.XmlText[];
} {
  const doc = new Y.Doc();
  const body = doc.getXmlFragment("body");
  const texts: Y.XmlText[] = [];
  doc.transact(() => {
    const title = new Y.XmlElement("heading");
    title.setAttribute("level", 1 as unknown as string);
    title.insert(0, [new Y.XmlText("Documento")]);
    body.push([title]);
    for (const [heading, content] of chapters) {
      const h = new Y.XmlElement("heading");
      h.setAttribute("level", 2 as unknown as string);
      h.insert(0, [new Y.XmlText(heading)]);
      const paragraph = new Y.XmlElement("paragraph");
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      body.push([h, paragraph]);
      text.insert(0, content);
      texts.push(text);
    }
  });
  return { doc, body, texts };
}

describe("word redlines of suggestions", () => {
  test("an added word shows as added between the words kept", () => {
    expect(wordDiff("con i partner", "con tutti i partner")).toEqual([
      { value: "con " },
      { value: "tutti ", added: true },
      { value: "i partner" },
    ]);
  });

  test("changes with only a space between them read as one replacement", () => {
    expect(wordDiff("del territorio", "della Toscana e oltre")).toEqual([
      { value: "del territorio", removed: true },
      { value: "della Toscana e oltre", added: true },
    ]);
  });

  test("no change, no redline marks", () => {
    expect(wordDiff("uguale a prima", "uguale a prima")).toEqual([{ value: "uguale a prima" }]);
  });
});

describe("passages anchored with Yjs relative positions", () => {
  test("a passage keeps its words while text is written just before and just after it", () => {
    const { doc, body, texts } = draft([["Agenda 2030", "La Regione sostiene gli obiettivi."]]);
    const text = texts[0]!;
    const from = text.toString().indexOf("gli obiettivi");
    const { anchor, head } = encodePassage({ text, from, to: from + "gli obiettivi".length });
    text.insert(from + "gli obiettivi".length, " comuni");
    text.insert(from, "tutti ");
    text.insert(0, "Dal 2021 ");
    const now = resolvePassage(doc, body, anchor, head);
    expect(now.status === "ok" && now.current).toBe("gli obiettivi");
  });

  test("the server reads the same positions (base64 of Yjs's encoding)", () => {
    const { doc, texts } = draft([["Agenda 2030", "La Regione sostiene gli obiettivi."]]);
    const text = texts[0]!;
    const { anchor, head } = encodePassage({ text, from: 3, to: 10 });
    const decode = (encoded: string) =>
      Y.createAbsolutePositionFromRelativePosition(
        Y.decodeRelativePosition(Buffer.from(encoded, "base64")),
        doc,
      );
    expect([decode(anchor)?.index, decode(head)?.index]).toEqual([3, 10]);
  });

  test("a passage whose words or paragraph are deleted no longer resolves", () => {
    const { doc, body, texts } = draft([
      ["Agenda 2030", "La Regione sostiene gli obiettivi."],
      ["Co-sviluppo", "Le diaspore sono ponti."],
    ]);
    const first = encodePassage({ text: texts[0]!, from: 3, to: 10 });
    const second = encodePassage({ text: texts[1]!, from: 3, to: 11 });
    texts[0]!.delete(2, 10);
    body.delete(4, 1); // the second chapter's paragraph
    expect(resolvePassage(doc, body, first.anchor, first.head).status).toBe("deleted");
    expect(resolvePassage(doc, body, second.anchor, second.head).status).toBe("deleted");
  });

  test("a copy that has not received the passage's characters says it is pending", () => {
    const { texts } = draft([["Agenda 2030", "La Regione sostiene gli obiettivi."]]);
    const { anchor, head } = encodePassage({ text: texts[0]!, from: 3, to: 10 });
    const empty = new Y.Doc();
    expect(resolvePassage(empty, empty.getXmlFragment("body"), anchor, head).status).toBe(
      "pending",
    );
  });

  test("typed words name a passage when they occur once in the section", () => {
    const { body, texts } = draft([
      ["Agenda 2030", "I partner e i partner locali."],
      ["Co-sviluppo", "Le diaspore sono ponti."],
    ]);
    const outline = outlineOf(body);
    const runs = sectionRuns(outline.sections[0]!);
    expect(pickPassage("", null, runs).status).toBe("none");
    expect(pickPassage("partner locali", null, runs)).toMatchObject({ status: "ok", from: 14 });
    expect(pickPassage("partner", null, runs).status).toBe("ambiguous");
    expect(pickPassage("diaspore", null, runs).status).toBe("missing");
    // A selection tells which of several.
    const chosen = { text: texts[0]!, from: 2, to: 9 };
    expect(pickPassage("partner", chosen, runs)).toMatchObject({ status: "ok", from: 2 });
    expect(sectionOfRun(outline, texts[1]!)).toBe("co-sviluppo");
    expect(outline.title).toBe("Documento");
  });
});
