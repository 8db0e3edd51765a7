import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, beforeEach } from "vitest";
import * as Y from "yjs";
import {
  ANSWER_REF_NODE,
  FOOTNOTE_NODE,
  TOSCANA_2021,
  addAnswer,
  sectionKey,
  setReaction,
} from "@percorso/schema";
import {
  ADMIN_TOKEN,
  answerAs,
  api,
  invite,
  newPerson,
  useTestServer,
  voteAs,
  waitFor,
  writeStraightToLog,
  type TestClient,
  openQuestions,
} from "./harness.ts";
import { readPdf, renderPdfPage } from "./pdf.ts";
import { unzip } from "./zip.ts";

const PROGRAMME = "toscana-2021";
const S2 = "s2-economia-circolare";
const S3 = "s3-crisi-umanitarie";
const CH1 = sectionKey("Introduzione e metodo");
const CH2 = sectionKey("Economia circolare");
const CH3 = sectionKey("Crisi umanitarie");
const BASE = `/api/programmes/${PROGRAMME}`;
const RESULTS = join(import.meta.dirname, "..", "test-results");

const SIGNED = "Filiere corte in Toscana, dal campo al mercato";
const ANONYMOUS = "Corridoi sicuri per chi fugge";
const Q2 = TOSCANA_2021.seminars[1]!.starterQuestions[0]!;
const Q3 = TOSCANA_2021.seminars[2]!.starterQuestions[0]!;

/** An inline part of a paragraph: text (with marks) or a citation of an answer. */
type Part = string | { text: string; bold?: true; link?: string } | { cite: string; label: string };

/**
 * Builds Tiptap nodes for `fragment` through `doc`, filling their text once they are in the
 * document (a Y.XmlText not yet in a document takes every insert at its start).
 */
function writeNodes(
  doc: Y.Doc,
  fragment: Y.XmlFragment,
  at: number | "replace",
  nodes: NodeSpec[],
): void {
  const fills: (() => void)[] = [];
  const build = (spec: NodeSpec): Y.XmlElement => {
    if (spec.kind === "paragraph" || spec.kind === "heading" || spec.kind === "cell") {
      const element = new Y.XmlElement(
        spec.kind === "cell" ? (spec.header ? "tableHeader" : "tableCell") : spec.kind,
      );
      if (spec.kind === "heading") element.setAttribute("level", spec.level as unknown as string);
      const paragraph = spec.kind === "cell" ? new Y.XmlElement("paragraph") : element;
      if (spec.kind === "cell") element.insert(0, [paragraph]);
      const children = spec.parts.map((part) => {
        if (typeof part !== "string" && "cite" in part) {
          const ref = new Y.XmlElement(ANSWER_REF_NODE);
          ref.setAttribute("answerId", part.cite);
          ref.setAttribute("label", part.label);
          return ref;
        }
        const text = new Y.XmlText();
        fills.push(() => {
          if (typeof part === "string") text.insert(0, part);
          else {
            text.insert(0, part.text, {
              ...(part.bold ? { bold: true } : {}),
              ...(part.link ? { link: { href: part.link } } : {}),
            });
          }
        });
        return text;
      });
      paragraph.insert(0, children);
      return element;
    }
    const element = new Y.XmlElement(spec.kind);
    element.insert(
      0,
      spec.children.map((child) => {
        if (spec.kind === "table") {
          const row = new Y.XmlElement("tableRow");
          row.insert(0, (child as NodeSpec[]).map(build));
          return row;
        }
        const item = new Y.XmlElement("listItem");
        item.insert(0, [build({ kind: "paragraph", parts: child as Part[] })]);
        return item;
      }),
    );
    return element;
  };
  doc.transact(() => {
    if (at === "replace") fragment.delete(0, fragment.length);
    fragment.insert(at === "replace" ? 0 : at, nodes.map(build));
    for (const fill of fills) fill();
  });
}

type NodeSpec =
  | { kind: "paragraph"; parts: Part[] }
  | { kind: "heading"; level: number; parts: Part[] }
  | { kind: "cell"; header?: boolean; parts: Part[] }
  | { kind: "bulletList"; children: Part[][] }
  | { kind: "table"; children: NodeSpec[][] };

const text = (parts: Part[]): NodeSpec => ({ kind: "paragraph", parts });

/** The index just after a chapter's heading in the draft's body. */

function afterHeading(doc: Y.Doc, key: string): number {
  const index = doc
    .getXmlFragment("body")
    .toArray()
    .findIndex(
      (node) =>
        node instanceof Y.XmlElement &&
        node.nodeName === "heading" &&
        sectionKey(
          node
            .toArray()
            .map((c) => (c instanceof Y.XmlText ? c.toString() : ""))
            .join(""),
        ) === key,
    );
  if (index < 0) throw new Error(`no chapter ${key}`);
  return index + 1;
}

describe("draft exports (issue 9)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(async () => {
    await openQuestions(server, S2);
    await openQuestions(server, S3);
  });

  /**
   * Two seminars written through stock y-websocket clients and rolled up by a drafter: seminar 2
   * with a heading, bold text, a link, a list, a table and a citation of a signed answer (one
   * vote); seminar 3 citing an anonymous answer twice. A drafter's stock client then writes a
   * `javascript:` link and markup-looking text into the introduction; two participants react.
   */
  async function setUp(options: { suggestions?: boolean } = {}) {
    const drafter = await newPerson(server, { role: "drafter" }, { name: "Diana Redattrice" });
    const s2 = await server.join(
      `seminar:${S2}`,
      { role: "participant", seminarId: S2 },
      {
        name: "Lucia Ferri",
        actorKind: "ngo",
      },
    );
    const s3 = await server.join(`seminar:${S3}`, { role: "participant", seminarId: S3 });
    const facilitator2 = await server.connect(`seminar:${S2}`, ADMIN_TOKEN);
    const facilitator3 = await server.connect(`seminar:${S3}`, ADMIN_TOKEN);
    const signed = addAnswer(s2.doc, {
      questionId: `${S2}-q1`,
      text: SIGNED,
      author: "Lucia Ferri",
      authorId: s2.person!.userId,
      actorKind: "ngo",
    });
    // Another participant of seminar 2 votes (nobody votes on their own answer).
    const voter = await server.join(`seminar:${S2}`, { role: "participant", seminarId: S2 });
    await waitFor(() => voter.doc.getArray("answers").length === 1, "the answer at the voter's");
    voteAs(voter, signed);
    const anonymous = answerAs(s3, ANONYMOUS, { questionId: `${S3}-q1`, anonymous: true });

    const s2Text = facilitator2.doc.getXmlFragment("recommendations");
    await waitFor(() => facilitator2.doc.getArray("answers").length === 1, "the signed answer");
    writeNodes(facilitator2.doc, s2Text, "replace", [
      { kind: "heading", level: 2, parts: ["Nuovi temi"] },
      text([
        "Sostenere ",
        { text: "filiere corte", bold: true },
        " come in ",
        { text: "Prato", link: "https://example.org/prato" },
        " ",
        { cite: signed, label: "Filiere corte in Toscana (Lucia Ferri)" },
      ]),
      { kind: "bulletList", children: [["Primo punto"], ["Secondo punto"]] },
      {
        kind: "table",
        children: [
          [
            { kind: "cell", header: true, parts: ["Azione"] },
            { kind: "cell", header: true, parts: ["Chi"] },
          ],
          [
            { kind: "cell", parts: ["Mappare le filiere"] },
            { kind: "cell", parts: ["Regione"] },
          ],
        ],
      },
    ]);
    const s3Text = facilitator3.doc.getXmlFragment("recommendations");
    await waitFor(() => facilitator3.doc.getArray("answers").length === 1, "the anonymous answer");
    writeNodes(facilitator3.doc, s3Text, "replace", [
      text([
        "Corridoi umanitari ",
        { cite: anonymous, label: "Corridoi sicuri" },
        " e accoglienza diffusa ",
        { cite: anonymous, label: "Corridoi sicuri" },
      ]),
    ]);
    // Witnesses: what they see, the server has stored (it fans out only what is durable).
    const w2 = await server.connect(`seminar:${S2}`, ADMIN_TOKEN);
    const w3 = await server.connect(`seminar:${S3}`, ADMIN_TOKEN);
    await waitFor(
      () =>
        w2.doc.getXmlFragment("recommendations").toString().includes("Mappare le filiere") &&
        (w2.doc.getArray<Y.Map<Y.Map<boolean>>>("answers").get(0)?.get("votes")?.size ?? 0) === 1,
      "seminar 2 on the server",
    );
    await waitFor(
      () => w3.doc.getXmlFragment("recommendations").toString().includes("accoglienza diffusa"),
      "seminar 3 on the server",
    );
    for (const seminarId of [S2, S3]) {
      const rolled = await api(server, "POST", `${BASE}/draft/rollup`, {
        token: drafter.token,
        body: { seminarId, mode: "replace" },
      });
      expect(rolled.status).toBe(200);
    }

    // Done with the seminars: fewer open providers (each holds a process listener).
    for (const client of [s2, s3, facilitator2, facilitator3, w2, w3]) {
      server.clients.splice(server.clients.indexOf(client), 1);
      client.destroy();
    }

    // A `javascript:` link and markup-looking text, as a data directory from before the server
    // checked links may hold them (the server now refuses such a link from any client): written
    // into the log directly, with the draft unloaded.
    await server.restart();
    await writeStraightToLog(server.dataDir, `draft:${PROGRAMME}`, (doc) =>
      writeNodes(doc, doc.getXmlFragment("body"), afterHeading(doc, CH1), [
        text([
          "Vedi ",
          { text: "il sito", link: "javascript:alert(document.cookie)" },
          " e <script>alert(1)</script> **non grassetto**",
        ]),
      ]),
    );
    const draft = await server.connect(`draft:${PROGRAMME}`, drafter.token);
    await waitFor(
      () => draft.doc.getXmlFragment("body").toString().includes("accoglienza diffusa"),
      "the roll-ups in the draft",
    );

    const readers: TestClient[] = [];
    const reactions = [
      ["agree", "ngo"],
      ["agree", "university"],
      ["disagree", "ngo"],
    ] as const;
    for (const [reaction, actorKind] of reactions) {
      const reader = await server.join(
        `draft:${PROGRAMME}`,
        { role: "participant" },
        { name: "Lettore", actorKind },
      );
      setReaction(reader.doc, CH2, reader.person!.anonId, reaction, {
        clientId: reader.anonClientId,
      });
      readers.push(reader);
    }
    if (options.suggestions) {
      const admin = await server.connect(`draft:${PROGRAMME}`, ADMIN_TOKEN);
      const suggestion = (fields: Record<string, unknown>, support: Record<string, string>) => {
        const item = new Y.Map<unknown>();
        for (const [key, value] of Object.entries(fields)) item.set(key, value);
        const votes = new Y.Map<string>();
        item.set("support", votes);
        admin.doc.getArray("suggestions").push([item]);
        for (const [key, value] of Object.entries(support)) votes.set(key, value);
      };
      admin.doc.transact(() => {
        suggestion(
          {
            id: "p1",
            section: CH3,
            originalText: "accoglienza diffusa",
            proposedText: "accoglienza diffusa nei comuni",
            author: "Marco Bini",
            authorId: "u-marco",
            createdAt: 2,
            status: "accepted",
            reason: "Precisa chi accoglie",
            decidedBy: "Diana Redattrice",
            decidedAt: Date.UTC(2021, 10, 25, 10),
          },
          { a1: "support", a2: "support", a3: "object" },
        );
        suggestion(
          {
            id: "p2",
            section: CH2,
            originalText: "filiere corte",
            proposedText: "filiere cortissime",
            author: "",
            authorId: "anon-x",
            createdAt: 1,
            status: "rejected",
            reason: "Fuori tema",
            decidedBy: "Diana Redattrice",
            decidedAt: Date.UTC(2021, 10, 25, 11),
          },
          {},
        );
      });
    }
    const witness = await server.connect(`draft:${PROGRAMME}`, ADMIN_TOKEN);
    await waitFor(
      () =>
        witness.doc.getXmlFragment("body").toString().includes("il sito") &&
        (witness.doc.getMap<Y.Map<string>>("reactions").get(CH2)?.size ?? 0) === 3 &&
        witness.doc.getArray("suggestions").length === (options.suggestions ? 2 : 0),
      "the draft's edits on the server",
    );
    expect(readers.flatMap((reader) => reader.denied)).toEqual([]);
    expect(draft.denied).toEqual([]);
    return { drafter, draft, signed, anonymous };
  }

  const download = async (path: string, token: string) => {
    const response = await api(server, "GET", path, { token });
    expect(response.status, `${path}: ${response.status}`).toBe(200);
    return response;
  };

  it("exports Markdown: cover, contents, chapters with formatting, numbered footnotes, annex, participation, the plenary's log and reactions", async () => {
    const { drafter } = await setUp({ suggestions: true });
    const response = await download(`${BASE}/draft.md`, drafter.token);
    expect(response.headers.get("content-type")).toMatch(/^text\/markdown; charset=utf-8/);
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="documento-di-indirizzo.md"',
    );
    const markdown = await response.text();
    expect(markdown).toMatch(new RegExp(`^# ${TOSCANA_2021.title}\n`));
    expect(markdown).toContain("Documento di indirizzo · marzo – novembre 2021 · Firenze");
    expect(markdown).toContain(
      "Conferenza regionale della cooperazione internazionale, 25 novembre 2021",
    );
    expect(markdown).toMatch(/_Testo (?:al |all')\d{1,2}º? \w+ \d{4}_/);
    expect(markdown).toContain(
      "## Indice\n\n1. Introduzione e metodo\n2. Strumenti e governance\n",
    );
    expect(markdown).toContain("10. Allegato A — Le risposte citate");
    expect(markdown).toContain("## Economia circolare\n\n_Dal seminario 2 «");
    expect(markdown).toContain("### Nuovi temi");
    expect(markdown).toContain(
      "Sostenere **filiere corte** come in [Prato](https://example.org/prato) «Filiere corte in Toscana (Lucia Ferri)»[^1]",
    );
    expect(markdown).toContain("- Primo punto\n- Secondo punto");
    expect(markdown).toContain("| Azione | Chi |\n| --- | --- |\n| Mappare le filiere | Regione |");
    expect(markdown).toContain(
      `[^1]: «${SIGNED}» — Lucia Ferri · Seminario 2: ${TOSCANA_2021.seminars[1]!.title} · Domanda: ${Q2}`,
    );
    expect(markdown).toContain(
      "Corridoi umanitari «Corridoi sicuri»[^2] e accoglienza diffusa «Corridoi sicuri»[^3]",
    );
    expect(markdown).toContain(`[^2]: «${ANONYMOUS}» — anonimo · Seminario 3: `);
    expect(markdown).toContain(`[^3]: «${ANONYMOUS}» — anonimo`);
    // The introduction a stock client wrote: no live link, no markup.
    expect(markdown).toContain(
      "Vedi il sito e \\<script\\>alert(1)\\</script\\> \\*\\*non grassetto\\*\\*",
    );
    expect(markdown).not.toMatch(/javascript/i);
    expect(markdown).toContain("_Capitolo ancora da redigere._");

    expect(markdown).toContain("### Seminario 2: ");
    expect(markdown).toContain(`#### ${Q2}`);
    expect(markdown).toContain(`| ${SIGNED} | 1 | ONG e società civile | Lucia Ferri | 1 |`);
    expect(markdown).toContain(`#### ${Q3}`);
    expect(markdown).toContain(`| ${ANONYMOUS} | 0 | — | anonimo | 2, 3 |`);
    expect(markdown).toContain(
      `| 2. ${TOSCANA_2021.seminars[1]!.title} | 20 maggio 2021 | 1 | 1 |`,
    );
    expect(markdown).toContain("| Tipo di attore | S1 | S2 | S3 | S4 | S5 | S6 | S7 | Totale |");
    expect(markdown).toContain("| ONG e società civile | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |");
    expect(markdown).toContain("| non indicato | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 1 |");

    // The plenary's log, by section in the document's order: taken up or not, with reasons.
    const log = markdown.slice(markdown.indexOf("## Allegato C"));
    expect(log.indexOf("### 1. Economia circolare — non accolta")).toBeGreaterThan(0);
    expect(log).toContain("- **Proposta da:** anonimo · 0 a favore, 0 contrari");
    expect(log).toContain("- **Esito:** non accolta da Diana Redattrice il 25 novembre 2021");
    expect(log).toContain("- **Motivazione:** Fuori tema");
    expect(log).toContain("### 2. Crisi umanitarie — accolta");
    expect(log).toContain("- **Testo proposto:** accoglienza diffusa nei comuni");
    expect(log).toContain("- **Proposta da:** Marco Bini · 2 a favore, 1 contrario");
    expect(log).toContain("- **Motivazione:** Precisa chi accoglie");
    expect(markdown).toContain("| Economia circolare | 2 | 1 | 0 |");
    // …and the same by kind of actor (only totals: nobody's reaction is named).
    const byKind = markdown.slice(markdown.indexOf("### Per tipo di attore"));
    expect(byKind).toContain("| Economia circolare | ONG e società civile | 1 | 1 | 0 |");
    expect(byKind).toContain("| Economia circolare | università e ricerca | 1 | 0 | 0 |");
    expect(byKind).not.toContain("Lettore");
    expect(markdown).toContain("| Crisi umanitarie | 0 | 0 | 0 |");
  });

  it("exports a standalone HTML page: escaped text, notes linked both ways, annex and participation tables, no live javascript: link", async () => {
    const { drafter } = await setUp();
    const response = await download(`${BASE}/draft.html`, drafter.token);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="documento-di-indirizzo.html"',
    );
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await response.text();
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "documento-di-indirizzo.html"), html);
    expect(html).toMatch(/^<!doctype html>\n<html lang="it">/);
    expect(html).toContain(`<title>${TOSCANA_2021.title}</title>`);
    expect(html).toContain("@page { size: A4;");
    expect(html).toContain('font-family:"Titillium Web"');
    // Nothing outside the page: the only address is the link the text carries.
    const addresses = [...html.matchAll(/(?:href|src)="([^"#][^"]*)"/g)].map((m) => m[1]);
    expect(addresses).toEqual(["https://example.org/prato"]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/javascript/i);
    expect(html).toContain(
      "Vedi il sito e &lt;script&gt;alert(1)&lt;/script&gt; **non grassetto**",
    );
    expect(html).toContain(
      'Sostenere <strong>filiere corte</strong> come in <a href="https://example.org/prato" rel="noopener noreferrer">Prato</a>',
    );
    expect(html).toContain('<a href="#cap-economia-circolare">Economia circolare</a>');
    expect(html).toContain('<section class="capitolo" id="cap-economia-circolare">');
    expect(html).toContain("<h3>Nuovi temi</h3>");
    expect(html).toContain("<ul><li><p>Primo punto</p></li><li><p>Secondo punto</p></li></ul>");
    expect(html).toContain("<tr><th><p>Azione</p></th><th><p>Chi</p></th></tr>");
    expect(html).toContain(
      '<sup class="nota"><a href="#nota-1" id="rif-1" aria-label="nota 1">1</a></sup>',
    );
    expect(html).toContain(`<li id="nota-1" value="1">«${SIGNED}» — Lucia Ferri · Seminario 2: `);
    expect(html).toContain(`<li id="nota-3" value="3">«${ANONYMOUS}» — anonimo`);
    expect(html).toContain(
      `<td>${SIGNED}</td><td>1</td><td>ONG e società civile</td><td>Lucia Ferri</td><td><a href="#nota-1">1</a></td>`,
    );
    expect(html).toContain(
      `<td>anonimo</td><td><a href="#nota-2">2</a>, <a href="#nota-3">3</a></td>`,
    );
    expect(html).toContain("<td>20 maggio 2021</td>");
    expect(html).toContain('<p class="nessuna">Nessuna proposta.</p>');
    expect(html).toContain("<td>Economia circolare</td><td>2</td><td>1</td><td>0</td>");
    expect(html).toContain(
      "<td>Economia circolare</td><td>ONG e società civile</td><td>1</td><td>1</td><td>0</td>",
    );
  });

  it("exports a DOCX with Word heading styles, a table of contents, footnotes quoting the answers, the annex and participation as tables", async () => {
    const { drafter } = await setUp();
    const response = await download(`${BASE}/draft.docx`, drafter.token);
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="documento-di-indirizzo.docx"',
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    // Kept to open in a word processor (test-results/ is git-ignored).
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "documento-di-indirizzo.docx"), bytes);
    const entries = unzip(bytes);
    const document = entries.get("word/document.xml")!.toString("utf8").replaceAll("&apos;", "'");
    const paragraphs = document.match(/<w:p[ >][\s\S]*?<\/w:p>/g) ?? [];
    const styled = (style: string) =>
      paragraphs
        .filter((p) => p.includes(`<w:pStyle w:val="${style}"/>`))
        .map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(""));
    expect(styled("Title")).toEqual([TOSCANA_2021.title]);
    const chapters = styled("Heading1");
    for (const chapter of TOSCANA_2021.draftChapters) expect(chapters).toContain(chapter);
    expect(chapters).toContain("Allegato A — Le risposte citate");
    expect(chapters).toContain("Allegato B — Partecipazione ai seminari");
    expect(chapters).toContain("Allegato C — Proposte della plenaria");
    expect(styled("Heading2")).toContain("Nuovi temi");
    expect(styled("Heading2")).toContain(`Seminario 2: ${TOSCANA_2021.seminars[1]!.title}`);
    expect(styled("Heading3")).toContain(Q2);
    // Word's own TOC field, written with its entries and their pages (no update needed).
    expect(document).toMatch(/<w:instrText[^>]*>TOC \\h \\o &quot;1-2&quot;<\/w:instrText>/);
    expect(document).toMatch(
      />Economia circolare<\/w:t><\/w:r><w:r><w:tab\/><\/w:r><w:r><w:fldChar w:fldCharType="begin"\/><w:instrText xml:space="preserve">PAGEREF _Toc\d+ \\h<\/w:instrText><w:fldChar w:fldCharType="separate"\/><w:t xml:space="preserve">\d+</,
    );

    expect(document.match(/<w:footnoteReference /g)).toHaveLength(3);
    const footnotes = entries.get("word/footnotes.xml")!.toString("utf8").replaceAll("&apos;", "'");
    expect(footnotes).toContain(
      `«${SIGNED}» — Lucia Ferri · Seminario 2: ${TOSCANA_2021.seminars[1]!.title} · Domanda: ${Q2}`,
    );
    expect(footnotes.split(`«${ANONYMOUS}» — anonimo · Seminario 3`)).toHaveLength(3);

    // The annex: a table per question, with votes, kind of actor, author and notes.
    const after = document.slice(document.indexOf("</w:sdt>"));
    const annex = after.slice(after.indexOf("Allegato A"), after.indexOf("Allegato B"));
    expect(annex).toContain("<w:tbl>");
    for (const cell of [
      SIGNED,
      "ONG e società civile",
      "Lucia Ferri",
      ANONYMOUS,
      "anonimo",
      "2, 3",
    ]) {
      expect(annex).toContain(`>${cell}</w:t>`);
    }
    const participation = after.slice(after.indexOf("Allegato B"));
    expect(participation).toContain(">20 maggio 2021</w:t>");
    expect(participation).toContain(">Risposte per tipo di attore</w:t>");
    const reactionsByKind = after.slice(after.indexOf(">Per tipo di attore</w:t>"));
    expect(reactionsByKind).toContain(">università e ricerca</w:t>");
    expect(document).toContain(">Nessuna proposta.</w:t>");
    // The stock client's javascript: link is plain text, its markup-looking text escaped.
    expect(document).toContain(
      '>Vedi </w:t></w:r><w:r><w:t xml:space="preserve">il sito</w:t></w:r><w:r><w:t xml:space="preserve"> e &lt;script&gt;alert(1)&lt;/script&gt; **non grassetto**</w:t>',
    );
    const rels = entries.get("word/_rels/document.xml.rels")!.toString("utf8");
    expect(rels).toContain('Target="https://example.org/prato"');
    expect([...entries.values()].some((file) => /javascript/i.test(file.toString("utf8")))).toBe(
      false,
    );
  });

  it("exports a PDF with Titillium Web embedded, a cover, contents with page numbers, notes after each chapter and the annex (read and drawn with PDF.js)", async () => {
    const { drafter } = await setUp({ suggestions: true });
    const response = await download(`${BASE}/draft.pdf`, drafter.token);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="documento-di-indirizzo.pdf"',
    );
    const pdf = Buffer.from(await response.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    expect(pdf.toString("latin1")).not.toMatch(/javascript/i);
    mkdirSync(RESULTS, { recursive: true });
    const file = join(RESULTS, "documento-di-indirizzo.pdf");
    writeFileSync(file, pdf);

    const { pages, fonts } = await readPdf(pdf);
    // Embedded as a CID-keyed TrueType subset (Identity-H), so every Italian letter shows.
    expect(fonts).toContainEqual({
      name: expect.stringMatching(/^[A-Z]{6}\+TitilliumWeb-Regular$/),
      type: "CIDFontType2",
      embedded: true,
    });
    expect(fonts.map((font) => font.name).join(" ")).toMatch(/TitilliumWeb-Bold/);
    expect(fonts.filter((font) => !font.embedded)).toEqual([]);
    // Every page has its text: no page holds only the running footer.
    const footer = `Documento di indirizzo · ${TOSCANA_2021.title}`;
    const bodies = pages.filter((page) => page.trim() !== "");
    for (const [index, page] of bodies.entries()) {
      expect(
        page
          .replace(footer, "")
          .replace(/\s\d+\s*$/, "")
          .trim(),
        `page ${index + 1}`,
      ).not.toBe("");
      if (index > 0)
        expect(page, `footer of page ${index + 1}`).toMatch(
          new RegExp(`${footer}\\s+${index + 1}\\s*$`),
        );
    }
    const [cover = "", contents = ""] = pages.map((page) => page.replace(/[ \t]*\n[ \t]*/g, "\n"));
    const coverText = cover.replace(/\s+/g, " ");
    expect(coverText).toContain(`DOCUMENTO DI INDIRIZZO ${TOSCANA_2021.title}`);
    expect(coverText).toContain("Firenze · marzo – novembre 2021");
    expect(coverText).toContain(
      "Conferenza regionale della cooperazione internazionale, 25 novembre 2021",
    );
    expect(coverText).toMatch(/Testo (?:al |all')\d{1,2}º? \w+ \d{4}/);
    expect(contents).toContain("Indice");
    const listed = new Map(
      [...contents.matchAll(/^\s*(.+?)\s{2,}(\d+)\s*$/gm)].map((m) => [m[1]!.trim(), Number(m[2])]),
    );
    const chapterPage = listed.get("Economia circolare");
    expect(chapterPage).toBeGreaterThan(2);
    expect(pages[chapterPage! - 1]).toMatch(/^\s*Economia circolare/);
    // As in the DOCX's contents: the chapters' own sections are listed under them.
    expect(listed.get("Nuovi temi")).toBe(chapterPage);
    expect(pages[listed.get("Allegato A — Le risposte citate")! - 1]).toMatch(
      /^\s*Allegato A — Le risposte citate/,
    );

    const text = pages.join("\n").replace(/\s+/g, " ");
    expect(text).toContain(
      "Sostenere filiere corte come in Prato «Filiere corte in Toscana (Lucia Ferri)»1",
    );
    expect(text).toContain("Nuovi temi");
    expect(text).toContain("Mappare le filiere");
    expect(text).toMatch(
      /1 «Filiere corte in Toscana, dal campo al mercato» — Lucia Ferri · Seminario 2/,
    );
    expect(text).toMatch(/3 «Corridoi sicuri per chi fugge» — anonimo · Seminario 3/);
    expect(text).toContain("Vedi il sito e <script>alert(1)</script> **non grassetto**");
    expect(text).toContain("ONG e società civile");
    expect(text).toContain("20 maggio 2021");
    expect(text).toContain("Economia circolare — non accolta");
    expect(text).toMatch(/Per tipo di attore .*Economia circolare università e ricerca 1 0 0/);
    expect(text).toContain("Fuori tema");

    // The first two pages as images, to look at (test-results/ is git-ignored).
    for (const number of [1, 2]) {
      const png = await renderPdfPage(pdf, number, 60);
      expect(png.subarray(1, 4).toString(), `page ${number} drawn`).toBe("PNG");
      writeFileSync(join(RESULTS, `documento-di-indirizzo-0${number}.png`), png);
    }
  });

  it("makes a drafter's footnote a real footnote in every format, numbered after the citations before it", async () => {
    const { drafter, draft } = await setUp();
    const NOTE = "Dati 2021 dell'ufficio <regionale> & *stime*";
    // After the chapters' three citations: the note is the fourth.
    const body = draft.doc.getXmlFragment("body");
    const paragraph = body.get(afterHeading(draft.doc, CH3)) as Y.XmlElement;
    const footnote = new Y.XmlElement(FOOTNOTE_NODE);
    footnote.setAttribute("text", NOTE);
    paragraph.insert(paragraph.length, [footnote]);
    const witness = await server.connect(`draft:${PROGRAMME}`, ADMIN_TOKEN);
    await waitFor(
      () => witness.doc.getXmlFragment("body").toString().includes("<footnote"),
      "the footnote on the server",
    );
    expect(draft.denied).toEqual([]);

    const markdown = await (await download(`${BASE}/draft.md`, drafter.token)).text();
    expect(markdown).toMatch(/\[\^4\]\n/);
    expect(markdown).toContain("[^4]: Dati 2021 dell'ufficio \\<regionale\\> & \\*stime\\*");

    const html = await (await download(`${BASE}/draft.html`, drafter.token)).text();
    expect(html).toContain('<a href="#nota-4" id="rif-4" aria-label="nota 4">4</a>');
    expect(html).toContain(
      '<li id="nota-4" value="4">Dati 2021 dell&#39;ufficio &lt;regionale&gt; &amp; *stime* <a href="#rif-4"',
    );

    const docx = unzip(
      Buffer.from(await (await download(`${BASE}/draft.docx`, drafter.token)).arrayBuffer()),
    );
    expect(
      docx
        .get("word/document.xml")!
        .toString("utf8")
        .match(/<w:footnoteReference /g),
    ).toHaveLength(4);
    expect(docx.get("word/footnotes.xml")!.toString("utf8")).toContain(
      "Dati 2021 dell&apos;ufficio &lt;regionale&gt; &amp; *stime*",
    );

    const pdf = Buffer.from(
      await (await download(`${BASE}/draft.pdf`, drafter.token)).arrayBuffer(),
    );
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "documento-di-indirizzo-nota.pdf"), pdf);
    const text = (await readPdf(pdf)).pages.join("\n").replace(/\s+/g, " ");
    expect(text).toContain("4 Dati 2021 dell'ufficio <regionale> & *stime*");

    // Over the limit, or with an attribute the editor does not have: refused, nothing stored.
    const long = new Y.XmlElement(FOOTNOTE_NODE);
    long.setAttribute("text", "x".repeat(2001));
    paragraph.insert(paragraph.length, [long]);
    await waitFor(() => draft.closes.length > 0, "the long note refused");
    expect(draft.closes[0]).toEqual({ code: 4403, reason: "forbidden" });
    expect(draft.denied[0]).toContain("footnote.text is too long");
  });

  it("exports a version as its text was, named after the version; 404 for an unknown version", async () => {
    const { drafter, draft } = await setUp();
    const created = await api(server, "POST", `${BASE}/draft/versions`, {
      token: drafter.token,
      body: { label: "Bozza per la conferenza" },
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const body = draft.doc.getXmlFragment("body");
    const paragraph = body.get(afterHeading(draft.doc, CH3)) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).insert(0, "Nuova stesura: ");
    const witness = await server.connect(`draft:${PROGRAMME}`, ADMIN_TOKEN);
    await waitFor(
      () => witness.doc.getXmlFragment("body").toString().includes("Nuova stesura"),
      "the edit on the server",
    );

    const reader = await newPerson(server, { role: "observer" });
    const then = await download(`${BASE}/draft.md?version=${id}`, reader.token);
    expect(then.headers.get("content-disposition")).toBe(
      'attachment; filename="documento-di-indirizzo-bozza-per-la-conferenza.md"',
    );
    const old = await then.text();
    expect(old).toContain("Corridoi umanitari «Corridoi sicuri»[^2]");
    expect(old).not.toContain("Nuova stesura");
    expect(old).toMatch(
      /_Versione «Bozza per la conferenza» (?:del |dell')\d{1,2}º? \w+ \d{4}, salvata da Diana Redattrice_/,
    );
    const now = await (await download(`${BASE}/draft.md`, reader.token)).text();
    expect(now).toContain("Nuova stesura: Corridoi umanitari");

    const pdf = await download(`${BASE}/draft.pdf?version=${id}`, reader.token);
    expect(pdf.headers.get("content-disposition")).toBe(
      'attachment; filename="documento-di-indirizzo-bozza-per-la-conferenza.pdf"',
    );
    mkdirSync(RESULTS, { recursive: true });
    const bytes = Buffer.from(await pdf.arrayBuffer());
    writeFileSync(join(RESULTS, "documento-di-indirizzo-versione.pdf"), bytes);
    const text = (await readPdf(bytes)).pages.join("\n");
    expect(text).toContain("Corridoi umanitari");
    expect(text).not.toContain("Nuova stesura");

    const missing = await api(server, "GET", `${BASE}/draft.docx?version=nessuna`, {
      token: reader.token,
    });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("lets any token of the programme export in every format; 401 without a token, 403 for another programme, 404 for an unknown one", async () => {
    const formats = {
      md: "text/markdown; charset=utf-8",
      html: "text/html; charset=utf-8",
      docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      pdf: "application/pdf",
    };
    const readers = [
      ADMIN_TOKEN,
      await invite(server, { role: "observer" }),
      await invite(server, { role: "participant", seminarId: S2 }),
      await invite(server, { role: "facilitator", seminarId: S3 }),
    ];
    for (const [extension, type] of Object.entries(formats)) {
      for (const token of readers) {
        const response = await download(`${BASE}/draft.${extension}`, token);
        expect(response.headers.get("content-type")).toBe(type);
        const bytes = Buffer.from(await response.arrayBuffer());
        // An untouched draft: the skeleton, and the empty log says so.
        if (extension === "md" || extension === "html") {
          expect(bytes.toString("utf8")).toContain("Nessuna proposta");
        }
      }
      const anonymous = await api(server, "GET", `${BASE}/draft.${extension}`);
      expect(anonymous.status).toBe(401);
    }

    const other = await api(server, "POST", "/api/programmes", {
      token: ADMIN_TOKEN,
      body: {
        id: "altro-2027",
        title: "Altro percorso",
        period: { start: "2027-02", end: "2027-10" },
        place: "Livorno",
        mode: "In presenza",
        phases: [],
        timeline: [],
        seminars: [{ number: 1, title: "Porti", date: "2027-04-15", facilitators: [] }],
        conference: { title: "Conferenza", date: "2027-11-20" },
      },
    });
    expect(other.status).toBe(201);
    const outsider = await invite(server, { role: "observer", programmeId: "altro-2027" });
    const refused = await api(server, "GET", `${BASE}/draft.pdf`, { token: outsider });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
    const elsewhere = await download("/api/programmes/altro-2027/draft.md", outsider);
    expect(await elsewhere.text()).toMatch(/^# Altro percorso\n/);
    const unknown = await api(server, "GET", "/api/programmes/nessuno/draft.html", {
      token: ADMIN_TOKEN,
    });
    expect(unknown.status).toBe(404);
  });
});
