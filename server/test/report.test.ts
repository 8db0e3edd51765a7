import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, beforeEach } from "vitest";
import * as Y from "yjs";
import {
  ANSWER_REF_NODE,
  TOSCANA_2021,
  buildSeminarReport,
  addAnswer,
  addCluster,
  assignToCluster,
  hideAnswer,
  initSeminarDocument,
  mergeAnswer,
  setQuestionState,
  setStatus,
  toggleVote,
} from "@percorso/schema";
import { reportDocx } from "../src/report/docx.ts";
import {
  ADMIN_TOKEN,
  PROGRAMME,
  answerAs,
  api,
  inviteRecord,
  newPerson,
  readMetric,
  useTestServer,
  voteAs,
  waitFor,
  writeStraightToLog,
  type TestClient,
  openQuestions,
} from "./harness.ts";
import { readPdf } from "./pdf.ts";
import { unzip } from "./zip.ts";

const SEMINAR_ID = "s2-economia-circolare";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const QUESTION = `${SEMINAR_ID}-q1`;
const REPORT = `/api/programmes/${PROGRAMME}/seminars/${SEMINAR_ID}/report`;

const ANSWER = "Una rete regionale per il riuso dei materiali";
const ANONYMOUS_ANSWER = "Formazione congiunta con le imprese";
const RECOMMENDATION = "Istituire un tavolo permanente sull'economia circolare";

describe("seminar report export", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(async () => {
    await openQuestions(server, SEMINAR_ID);
    await openQuestions(server, "s3-crisi-umanitarie");
  });
  const client = (token: string): Promise<TestClient> => server.connect(SEMINAR, token);

  /**
   * Through real y-websocket clients: two answers (one anonymous, with a vote), a cluster, and
   * recommendation text with bold, a link, a bullet list and a citation of the first answer.
   */
  async function writeSeminar(): Promise<{ answerId: string }> {
    const facilitator = await client(
      (await inviteRecord(server, { role: "facilitator", seminarId: SEMINAR_ID })).token,
    );
    const person = await newPerson(
      server,
      { role: "participant", seminarId: SEMINAR_ID },
      { name: "Lucia Ferri", actorKind: "ngo" },
    );
    const participant = await client(person.token);
    participant.person = person;
    const answerId = addAnswer(participant.doc, {
      questionId: QUESTION,
      text: ANSWER,
      author: "Lucia Ferri",
      authorId: person.userId,
      actorKind: "ngo",
    });
    answerAs(participant, ANONYMOUS_ANSWER, { questionId: QUESTION, anonymous: true });
    await waitFor(
      () => facilitator.doc.getArray("answers").length === 2,
      "answers at the facilitator",
    );
    // Another participant votes (nobody votes on their own answer).
    const voter = await server.join(SEMINAR, { role: "participant", seminarId: SEMINAR_ID });
    await waitFor(() => voter.doc.getArray("answers").length === 2, "the answers at the voter's");
    voteAs(voter, answerId);
    const cluster = addCluster(facilitator.doc, "Reti territoriali", "theme");
    assignToCluster(facilitator.doc, answerId, cluster);

    const fragment = participant.doc.getXmlFragment("recommendations");
    const paragraph = fragment.get(1) as Y.XmlElement;
    const text = new Y.XmlText();
    const ref = new Y.XmlElement(ANSWER_REF_NODE);
    const list = new Y.XmlElement("bulletList");
    const item = new Y.XmlElement("listItem");
    const itemParagraph = new Y.XmlElement("paragraph");
    const itemText = new Y.XmlText();
    participant.doc.transact(() => {
      paragraph.insert(0, [text, ref]);
      text.insert(0, `${RECOMMENDATION} `);
      text.insert(text.length, "in grassetto", { bold: true });
      text.insert(text.length, " e un ", { bold: null });
      text.insert(text.length, "collegamento", { link: { href: "https://example.org/rete" } });
      ref.setAttribute("answerId", answerId);
      ref.setAttribute("label", "Una rete regionale (Lucia Ferri)");
      fragment.insert(2, [list]);
      list.insert(0, [item]);
      item.insert(0, [itemParagraph]);
      itemParagraph.insert(0, [itemText]);
      itemText.insert(0, "Primo punto dell'elenco");
    });
    await waitFor(
      () => facilitator.doc.getXmlFragment("recommendations").toString().includes("Primo punto"),
      "the recommendation text at the facilitator",
    );
    await waitFor(
      () =>
        participant.doc.getArray("clusters").length === 1 &&
        (facilitator.doc.getArray<Y.Map<Y.Map<boolean>>>("answers").get(0).get("votes")?.size ??
          0) === 1,
      "the cluster and the vote everywhere",
    );
    expect(participant.closes).toEqual([]);
    expect(facilitator.closes).toEqual([]);
    return { answerId };
  }

  it("exports Markdown with the answers and the recommendation text written through y-websocket", async () => {
    const { answerId } = await writeSeminar();
    const response = await api(server, "GET", `${REPORT}.md`, { token: ADMIN_TOKEN });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/markdown/);
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="seminario-2.md"',
    );
    const markdown = await response.text();
    expect(markdown).toMatch(/^# Seminario 2: Economia circolare/);
    expect(markdown).toContain(RECOMMENDATION);
    expect(markdown).toContain("**in grassetto**");
    expect(markdown).toContain("[collegamento](https://example.org/rete)");
    expect(markdown).toContain("- Primo punto dell'elenco");
    expect(markdown).toContain(
      `${ANSWER} — 1 voto · Lucia Ferri · ONG e società civile · \\#Reti territoriali`,
    );
    expect(markdown).toContain(`${ANONYMOUS_ANSWER} — 0 voti · anonimo`);
    expect(markdown).toContain(`«Una rete regionale (Lucia Ferri)»[^1]`);
    expect(markdown).toContain(`[^1]: ${ANSWER} — Lucia Ferri`);
    expect(markdown).not.toContain(`[^${answerId}]`);
  });

  it("keeps a javascript: link and markup-looking text written straight into the log harmless in every format", async () => {
    // The socket refuses such a link (4403); one already in storage (an old log, a restore)
    // must still come out as plain text.
    await writeStraightToLog(server.dataDir, SEMINAR, (doc) => {
      const paragraph = new Y.XmlElement("paragraph");
      const text = new Y.XmlText();
      paragraph.insert(0, [text]);
      doc.getXmlFragment("recommendations").push([paragraph]);
      text.insert(0, "Apri <script>alert(1)</script> **qui**", {
        link: { href: "javascript:alert(1)" },
      });
    });
    await server.restart();
    const get = async (format: string) => {
      const response = await api(server, "GET", `${REPORT}.${format}`, { token: ADMIN_TOKEN });
      expect(response.status, format).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };
    const markdown = (await get("md")).toString("utf8");
    expect(markdown).toContain("Apri \\<script\\>alert(1)\\</script\\> \\*\\*qui\\*\\*");
    const html = (await get("html")).toString("utf8");
    expect(html).toContain("Apri &lt;script&gt;alert(1)&lt;/script&gt; **qui**");
    expect(html).not.toContain("<script>alert");
    const docx = unzip(await get("docx"));
    expect(docx.get("word/document.xml")!.toString("utf8")).toContain(
      "Apri &lt;script&gt;alert(1)&lt;/script&gt; **qui**",
    );
    const pdf = await get("pdf");
    for (const [format, bytes] of [
      ["md", Buffer.from(markdown)],
      ["html", Buffer.from(html)],
      ...[...docx.entries()].map(([name, file]) => [`docx ${name}`, file] as const),
      ["pdf", pdf],
    ] as const) {
      expect(/javascript/i.test(bytes.toString("latin1")), format).toBe(false);
    }
  });

  it("exports from storage when the document is not loaded, and leaves it unloaded", async () => {
    await writeSeminar();
    server.destroyClients();
    await server.restart();
    expect(await readMetric(server, "percorso_loaded_documents")).toBe(0);

    const drafter = await inviteRecord(server, { role: "drafter" });
    const response = await api(server, "GET", `${REPORT}.md`, { token: drafter.token });
    expect(response.status).toBe(200);
    const markdown = await response.text();
    expect(markdown).toContain(ANSWER);
    expect(markdown).toContain(RECOMMENDATION);
    expect(await readMetric(server, "percorso_loaded_documents")).toBe(0);
  });

  it("exports a valid DOCX with the answers, the recommendations and the citation as a footnote", async () => {
    await writeSeminar();
    const facilitator = await inviteRecord(server, { role: "facilitator", seminarId: SEMINAR_ID });
    const response = await api(server, "GET", `${REPORT}.docx`, { token: facilitator.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="seminario-2.docx"',
    );
    const file = Buffer.from(await response.arrayBuffer());
    expect(file.subarray(0, 2).toString()).toBe("PK");
    expect(file.byteLength).toBeGreaterThan(4_000);
    const entries = unzip(file);
    const document = entries.get("word/document.xml")?.toString("utf8").replaceAll("&apos;", "'");
    expect(document).toBeDefined();
    expect(document).toContain("Seminario 2: Economia circolare");
    expect(document).toContain("Raccomandazioni");
    expect(document).toContain(RECOMMENDATION);
    expect(document).toContain("Primo punto dell");
    expect(document).toContain(ANSWER);
    expect(document).toContain("anonimo");
    expect(document).toContain("Reti territoriali");
    expect(document).toContain("<w:hyperlink");
    expect(entries.get("word/_rels/document.xml.rels")?.toString("utf8")).toContain(
      "https://example.org/rete",
    );
    expect(document).toContain("w:footnoteReference");
    expect(entries.get("word/footnotes.xml")?.toString("utf8")).toContain(ANSWER);
  });

  it("exports a standalone HTML page with the recommendations, the answers and the citation as a note", async () => {
    const { answerId } = await writeSeminar();
    const drafter = await inviteRecord(server, { role: "drafter" });
    const response = await api(server, "GET", `${REPORT}.html`, { token: drafter.token });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="seminario-2.html"',
    );
    const html = await response.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<h1>Seminario 2: Economia circolare");
    expect(html).toContain(
      `${RECOMMENDATION.replace("'", "&#39;")} <strong>in grassetto</strong> e un `,
    );
    expect(html).toContain(
      '<a href="https://example.org/rete" rel="noopener noreferrer">collegamento</a>',
    );
    expect(html).toContain("<li><p>Primo punto dell&#39;elenco</p></li>");
    expect(html).toContain('<sup class="nota"><a href="#nota-1">1</a></sup>');
    expect(html).toContain(`<li id="nota-1" value="1">${ANSWER} — Lucia Ferri</li>`);
    expect(html).toContain(`${ANONYMOUS_ANSWER} <span class="meta">— 0 voti · anonimo</span>`);
    expect(html).not.toContain(answerId);
    expect([...html.matchAll(/(?:href|src)="([^"#][^"]*)"/g)].map((m) => m[1])).toEqual([
      "https://example.org/rete",
    ]);
  });

  it("exports a PDF (Titillium Web embedded) whose text has the recommendations and the answers", async () => {
    await writeSeminar();
    const response = await api(server, "GET", `${REPORT}.pdf`, { token: ADMIN_TOKEN });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/pdf");
    expect(response.headers.get("content-disposition")).toBe(
      'attachment; filename="seminario-2.pdf"',
    );
    const results = join(import.meta.dirname, "..", "test-results");
    mkdirSync(results, { recursive: true });
    const file = join(results, "seminario-2.pdf");
    const pdf = Buffer.from(await response.arrayBuffer());
    writeFileSync(file, pdf);
    const { pages, fonts } = await readPdf(pdf);
    expect(fonts.map((font) => font.name).join(" ")).toContain("TitilliumWeb");
    expect(fonts.filter((font) => !font.embedded)).toEqual([]);
    const text = pages.join("\n").replace(/\s+/g, " ");
    expect(text).toContain("Seminario 2: Economia circolare");
    expect(text).toContain("Raccomandazioni");
    expect(text).toContain(`${RECOMMENDATION} in grassetto e un collegamento`);
    expect(text).toContain("Primo punto dell'elenco");
    expect(text).toContain(`1 ${ANSWER} — Lucia Ferri`);
    expect(text).toContain(`${ANONYMOUS_ANSWER} — 0 voti · anonimo`);
    expect(text).toContain("Reti territoriali");
  });

  it("lets admins, the seminar's facilitators and drafters export; 403 for the others", async () => {
    const allowed = [
      ADMIN_TOKEN,
      (await inviteRecord(server, { role: "facilitator", seminarId: SEMINAR_ID })).token,
      (await inviteRecord(server, { role: "drafter" })).token,
    ];
    for (const token of allowed) {
      expect((await api(server, "GET", `${REPORT}.md`, { token })).status).toBe(200);
    }
    const refused = [
      (await inviteRecord(server, { role: "participant", seminarId: SEMINAR_ID })).token,
      (await inviteRecord(server, { role: "participant" })).token,
      (await inviteRecord(server, { role: "observer" })).token,
      (await inviteRecord(server, { role: "facilitator", seminarId: "s3-crisi-umanitarie" })).token,
    ];
    for (const token of refused) {
      for (const format of ["md", "docx", "html", "pdf"]) {
        const response = await api(server, "GET", `${REPORT}.${format}`, { token });
        expect(response.status).toBe(403);
        expect(await response.json()).toMatchObject({ error: { code: "forbidden" } });
      }
    }
    expect((await api(server, "GET", `${REPORT}.md`)).status).toBe(401);
  });

  it("404 for an unknown programme or seminar", async () => {
    const paths = [
      `/api/programmes/nessuno/seminars/${SEMINAR_ID}/report.md`,
      `/api/programmes/${PROGRAMME}/seminars/s9-nulla/report.docx`,
    ];
    for (const path of paths) {
      const response = await api(server, "GET", path, { token: ADMIN_TOKEN });
      expect(response.status, path).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    }
  });

  /** A seminar on a local document: four answers (one hidden, one merged), a text citing. */
  function localSeminar(cite: string[]): Y.Doc {
    const info = TOSCANA_2021.seminars[1]!;
    const doc = new Y.Doc();
    initSeminarDocument(doc, info, { at: 0 });
    const q = `${info.id}-q1`;
    setQuestionState(doc, q, "open", { at: 0 }); // as its facilitator opens it
    const add = (id: string, text: string, author: string) =>
      addAnswer(doc, { questionId: q, text, author, authorId: `u-${id}` }, { id, at: 1 });
    add("a1", "Filiere corte del riuso con le cooperative sociali", "Ada");
    add("a2", "Appalti verdi nei comuni toscani", "");
    add("a3", "Filiere corte e cooperative", "Bea");
    add("a4", "Testo da nascondere", "Troll");
    toggleVote(doc, "a1", "v1");
    mergeAnswer(doc, "a3", "a1");
    hideAnswer(doc, "a4");
    const paragraph = doc.getXmlFragment("recommendations").get(1) as Y.XmlElement;
    doc.transact(() => {
      paragraph.insert(0, [new Y.XmlText("Le proposte: ")]);
      paragraph.insert(
        1,
        cite.map((id) => {
          const ref = new Y.XmlElement(ANSWER_REF_NODE);
          ref.setAttribute("answerId", id);
          ref.setAttribute("label", `citazione di ${id}`);
          return ref;
        }),
      );
    });
    return doc;
  }
  const localMeta = {
    programme: { id: PROGRAMME, title: "Programma" },
    seminar: { id: "s2", number: 2, title: "Economia circolare", date: "2021-06-17" },
  };

  it("gives every citation its own footnote in the DOCX, an answer cited twice included (no empty note)", async () => {
    const doc = localSeminar(["a1", "a2", "a1"]);
    const entries = unzip(await reportDocx(buildSeminarReport(doc, localMeta, 0)));
    const document = entries.get("word/document.xml")!.toString("utf8");
    const references = [...document.matchAll(/<w:footnoteReference w:id="(\d+)"\/>/g)].map(
      (m) => m[1],
    );
    expect(references).toEqual(["1", "2", "3"]);
    const footnotes = entries.get("word/footnotes.xml")!.toString("utf8");
    const notes = [...footnotes.matchAll(/<w:footnote w:id="(\d+)">([\s\S]*?)<\/w:footnote>/g)].map(
      ([, id, body]) => [
        id,
        [...body!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(""),
      ],
    );
    expect(notes).toEqual([
      ["1", "Filiere corte del riuso con le cooperative sociali — Ada"],
      ["2", "Appalti verdi nei comuni toscani — anonimo"],
      ["3", "Filiere corte del riuso con le cooperative sociali — Ada"],
    ]);
  });

  it("writes the DOCX as a clerk files it: Italian dates, spaced paragraphs, merged answers' words, the counts of the console", async () => {
    const doc = localSeminar(["a1"]);
    setStatus(doc, "closed");
    const report = buildSeminarReport(doc, localMeta, Date.UTC(2021, 5, 17, 12));
    const entries = unzip(await reportDocx(report));
    const document = entries.get("word/document.xml")!.toString("utf8").replaceAll("&apos;", "'");
    const text = [...document.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("");
    expect(text).toContain("17 giugno 2021");
    expect(text).toContain("Esportato da Percorso il 17 giugno 2021");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // The merged answer is counted with the one it joined, as the console says, and quoted.
    expect(text).toContain("riunisce 1 risposta simile");
    expect(text).toContain("unita: Filiere corte e cooperative — Bea");
    expect(text).toContain("4 risposte da 4 persone (2 mostrate; 1 unita a un'altra, 1 nascosta)");
    expect(text).not.toContain("Testo da nascondere");
    expect(text).not.toContain("(aperta)");
    const styles = entries.get("word/styles.xml")!.toString("utf8");
    // Proportional line spacing, said explicitly (LibreOffice read it as fixed when left out).
    expect(styles).toMatch(
      /<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"\/>/,
    );
  });

  it("renders each ordered list numbered from 1, nested lists one level deeper", async () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("recommendations");
    const list = (kind: string, ...items: (string | Y.XmlElement)[]) => {
      const element = new Y.XmlElement(kind);
      element.insert(
        0,
        items.map((content) => {
          const item = new Y.XmlElement("listItem");
          if (typeof content === "string") {
            const paragraph = new Y.XmlElement("paragraph");
            paragraph.insert(0, [new Y.XmlText(content)]);
            item.insert(0, [paragraph]);
          } else item.insert(0, [content]);
          return item;
        }),
      );
      return element;
    };
    fragment.insert(0, [
      list("orderedList", "Uno", "Due", list("bulletList", "Annidato")),
      new Y.XmlElement("paragraph"),
      list("orderedList", "Ancora uno"),
    ]);
    const report = buildSeminarReport(doc, {
      programme: { id: "p", title: "Programma" },
      seminar: { id: "s", number: 1, title: "Seminario", date: "2027-01-01" },
    });
    const entries = unzip(await reportDocx(report));
    const document = entries.get("word/document.xml")!.toString("utf8");
    const numbered = (text: string) => {
      const paragraph = document.split("<w:p>").find((p) => p.includes(`>${text}<`));
      const [, level, id] =
        /w:ilvl w:val="(\d)"\/><w:numId w:val="(\d+)"/.exec(paragraph ?? "") ?? [];
      return { level, id };
    };
    expect(numbered("Uno").id).toMatch(/^\d+$/);
    expect(numbered("Uno").id).toBe(numbered("Due").id);
    expect(numbered("Ancora uno").id).not.toBe(numbered("Uno").id);
    expect(numbered("Annidato").level).toBe("1");
    expect(entries.get("word/numbering.xml")!.toString("utf8")).toContain("decimal");
  });
});
