import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  ANSWER_REF_NODE,
  TOSCANA_2021,
  addAnswer,
  addCluster,
  addQuestion,
  assignToCluster,
  blocksOf,
  buildSeminarReport,
  hideAnswer,
  initSeminarDocument,
  mergeAnswer,
  paragraphNode,
  promoteCluster,
  reportMarkdown,
  reportNotes,
  setApproved,
  setPinned,
  setPremoderated,
  setQuestionState,
  setStatus,
  toggleVote,
  type ActorKind,
  FOOTNOTE_NODE,
} from "../src/index.ts";

const seminar = TOSCANA_2021.seminars[1]!;
const q1 = `${seminar.id}-q1`;
const q2 = `${seminar.id}-q2`;
const q3 = `${seminar.id}-q3`;
const meta = {
  programme: { id: TOSCANA_2021.id, title: TOSCANA_2021.title },
  seminar: { id: seminar.id, number: seminar.number, title: seminar.title, date: seminar.date },
};

function answer(
  doc: Y.Doc,
  id: string,
  questionId: string,
  text: string,
  author: string,
  authorId: string,
  at: number,
  actorKind?: ActorKind,
): void {
  addAnswer(
    doc,
    { questionId, text, author, authorId, ...(actorKind ? { actorKind } : {}) },
    { id, at },
  );
}

function answerRef(answerId: string, label: string): Y.XmlElement {
  const ref = new Y.XmlElement(ANSWER_REF_NODE);
  ref.setAttribute("answerId", answerId);
  ref.setAttribute("label", label);
  return ref;
}

/**
 * Seminar 2 after a session: answers with votes on q1, one hidden, one merged, one in a
 * pre-moderated q2 waiting for approval, a draft question, a cluster, and a recommendation
 * text with formatting, a list and a citation.
 */
function seminarAfterSession(): Y.Doc {
  const doc = new Y.Doc();
  initSeminarDocument(doc, seminar, { at: 1_000 });
  setStatus(doc, "live", { at: 2_000 });
  // The starter questions are drafts: the facilitator opens them as the session starts.
  setQuestionState(doc, q1, "open", { at: 2_000 });
  setQuestionState(doc, q2, "open", { at: 2_000 });
  setQuestionState(doc, q3, "closed", { at: 3_000 });
  addQuestion(doc, "Domanda mai aperta?", "draft", { id: "draft-q", at: 4_000 });
  setPremoderated(doc, q2, true);

  answer(doc, "a1", q1, "Filiere *corte* e #riuso", "Ada", "u1", 10, "ngo");
  answer(doc, "a2", q1, "Mercati   locali\ndel riciclo", "", "u2", 20, "business");
  answer(doc, "a3", q1, "Filiere corte", "Bea", "u3", 30, "university");
  answer(doc, "a4", q1, "Testo offensivo", "Troll", "u4", 40);
  answer(doc, "b1", q2, "In attesa di approvazione", "Ada", "u1", 50, "ngo");
  answer(doc, "b2", q2, "Approvata", "Bea", "u3", 60, "university");
  setApproved(doc, "b2", true);

  toggleVote(doc, "a1", "v1");
  toggleVote(doc, "a3", "v1");
  toggleVote(doc, "a3", "v2");
  toggleVote(doc, "a2", "v3");
  mergeAnswer(doc, "a3", "a1");
  hideAnswer(doc, "a4");
  setPinned(doc, "a2", true);

  addCluster(doc, "Filiere corte", "theme", { id: "c1", at: 70 });
  assignToCluster(doc, "a1", "c1");
  assignToCluster(doc, "a2", "c1");

  const fragment = doc.getXmlFragment("recommendations");
  doc.transact(() => {
    // The empty paragraph under the first heading gets formatted text and a citation.
    const paragraph = fragment.get(1) as Y.XmlElement;
    const text = new Y.XmlText();
    paragraph.insert(0, [text, answerRef("a1", "Filiere corte e riuso (Ada)")]);
    text.insert(0, "Puntare su ");
    text.insert(11, "filiere", { bold: {} });
    text.insert(18, " ", { bold: null });
    text.insert(19, "corte", { italic: {} });
    text.insert(24, " come in ", { italic: null });
    text.insert(33, "Prato", { link: { href: "https://example.org/prato" } });
    text.insert(38, " ", { link: null });

    const list = new Y.XmlElement("bulletList");
    const items = ["Primo punto", "Secondo punto"].map((label) => {
      const item = new Y.XmlElement("listItem");
      item.insert(0, [paragraphNode(label)]);
      return item;
    });
    list.insert(0, items);
    fragment.insert(2, [list]);
  });
  return doc;
}

const answerIds = (report: ReturnType<typeof buildSeminarReport>) =>
  report.questions.map((q) => [q.id, q.answers.map((a) => a.id)]);

describe("buildSeminarReport", () => {
  it("reports what the projector shows, with votes, merges, pins and cluster tags", () => {
    const doc = seminarAfterSession();
    const report = buildSeminarReport(doc, meta, 99_000);
    expect(report.programme).toEqual(meta.programme);
    expect(report.seminar).toEqual(meta.seminar);
    expect(report.generatedAt).toBe(99_000);
    expect(report.session).toMatchObject({ status: "live", startedAt: 2_000 });

    // The draft question is left out; the hidden a4, the merged a3 and the unapproved b1 too.
    expect(answerIds(report)).toEqual([
      [q1, ["a2", "a1"]],
      [q2, ["b2"]],
      [q3, []],
    ]);
    expect(report.questions.map((q) => q.state)).toEqual(["open", "open", "closed"]);
    // The counts the console shows: a4 hidden and a3 merged are not visible answers of q1.
    expect(report.questions.map((q) => q.counts)).toEqual([
      { written: 4, visible: 2, pending: 0, hidden: 1, merged: 1 },
      { written: 2, visible: 1, pending: 1, hidden: 0, merged: 0 },
      { written: 0, visible: 0, pending: 0, hidden: 0, merged: 0 },
    ]);
    const [pinned, merged] = report.questions[0]!.answers;
    // Pinned first, then most voted.
    expect(pinned).toEqual({
      id: "a2",
      text: "Mercati   locali\ndel riciclo",
      author: "",
      actorKind: "business",
      votes: 1,
      merged: 0,
      mergedAnswers: [],
      pinned: true,
      tags: ["Filiere corte"],
    });
    // a3 is folded into a1: its voters (v1 again, v2) join a1's.
    expect(merged).toEqual({
      id: "a1",
      text: "Filiere *corte* e #riuso",
      author: "Ada",
      actorKind: "ngo",
      votes: 2,
      merged: 1,
      // a3's own words are in the report, under the answer it was merged into.
      mergedAnswers: [{ text: "Filiere corte", author: "Bea" }],
      pinned: false,
      tags: ["Filiere corte"],
    });
    expect(report.questions[1]!.answers[0]).toMatchObject({ actorKind: "university", tags: [] });
    expect(JSON.stringify(report)).not.toContain("offensivo");

    expect(report.clusters).toEqual([
      {
        id: "c1",
        label: "Filiere corte",
        axis: "theme",
        answerIds: ["a1", "a2"],
        createdAt: 70,
        promotedAt: null,
        promotedLabel: null,
      },
    ]);
    // Participation counts every answer written, moderated or not.
    expect(report.participation).toEqual({
      answers: 6,
      people: 4,
      byActorKind: { ngo: 2, business: 1, university: 2, unknown: 1 },
      hidden: 1,
      merged: 1,
      pending: 1,
    });
  });

  it("closes every question of a concluded seminar", () => {
    const doc = seminarAfterSession();
    setStatus(doc, "closed");
    const report = buildSeminarReport(doc, meta, 0);
    expect(report.questions.map((q) => q.state)).toEqual(["closed", "closed", "closed"]);
    expect(reportMarkdown(report)).not.toContain("(aperta)");
  });

  it("turns the recommendation text into blocks and runs", () => {
    const report = buildSeminarReport(seminarAfterSession(), meta, 0);
    expect(report.recommendations).toEqual([
      { type: "heading", level: 2, runs: [{ text: "Nuovi temi su cui lavorare" }] },
      {
        type: "paragraph",
        runs: [
          { text: "Puntare su " },
          { text: "filiere", bold: true },
          { text: " " },
          { text: "corte", italic: true },
          { text: " come in " },
          { text: "Prato", link: "https://example.org/prato" },
          { text: " " },
          { text: "«Filiere corte e riuso (Ada)»", citation: "a1" },
        ],
      },
      {
        type: "list",
        ordered: false,
        items: [
          [{ type: "paragraph", runs: [{ text: "Primo punto" }] }],
          [{ type: "paragraph", runs: [{ text: "Secondo punto" }] }],
        ],
      },
      {
        type: "heading",
        level: 2,
        runs: [{ text: "Nuovi processi e metodologie di governance" }],
      },
      { type: "paragraph", runs: [] },
    ]);
  });
});

describe("blocksOf", () => {
  it("reads ordered and nested lists, blockquotes, hard breaks and headings without level", () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment("body");
    const quote = new Y.XmlElement("blockquote");
    quote.insert(0, [paragraphNode("citato")]);
    const broken = new Y.XmlElement("paragraph");
    broken.insert(0, [
      new Y.XmlText("prima"),
      new Y.XmlElement("hardBreak"),
      new Y.XmlText("dopo"),
      answerRef("x", "etichetta"),
      new Y.XmlElement(ANSWER_REF_NODE),
    ]);
    const heading = new Y.XmlElement("heading");
    heading.insert(0, [new Y.XmlText("Senza livello")]);
    const inner = new Y.XmlElement("bulletList");
    const innerItem = new Y.XmlElement("listItem");
    innerItem.insert(0, [paragraphNode("annidato")]);
    inner.insert(0, [innerItem]);
    const ordered = new Y.XmlElement("orderedList");
    const item = new Y.XmlElement("listItem");
    item.insert(0, [paragraphNode("uno"), inner]);
    ordered.insert(0, [item]);
    fragment.insert(0, [heading, quote, broken, ordered]);

    expect(blocksOf(fragment)).toEqual([
      { type: "heading", level: 2, runs: [{ text: "Senza livello" }] },
      { type: "paragraph", runs: [{ text: "citato" }] },
      {
        type: "paragraph",
        runs: [
          { text: "prima" },
          { text: "\n" },
          { text: "dopo" },
          { text: "«etichetta»", citation: "x" },
          { text: "«»" },
        ],
      },
      {
        type: "list",
        ordered: true,
        items: [
          [
            { type: "paragraph", runs: [{ text: "uno" }] },
            {
              type: "list",
              ordered: false,
              items: [[{ type: "paragraph", runs: [{ text: "annidato" }] }]],
            },
          ],
        ],
      },
    ]);
  });
});

describe("reportMarkdown", () => {
  it("renders the whole report", () => {
    const markdown = reportMarkdown(buildSeminarReport(seminarAfterSession(), meta, 0));
    expect(markdown).toBe(
      [
        "# Seminario 2: Economia circolare e cooperazione allo sviluppo",
        "",
        "Un nuovo orientamento per la cooperazione della Regione Toscana · 20 maggio 2021 · " +
          "6 risposte da 4 persone (3 mostrate; 1 unita a un'altra, 1 nascosta, " +
          "1 in attesa di approvazione)",
        "",
        "## Raccomandazioni",
        "",
        "### Nuovi temi su cui lavorare",
        "",
        "Puntare su **filiere** _corte_ come in [Prato](https://example.org/prato) " +
          "«Filiere corte e riuso (Ada)»[^1]",
        "",
        "- Primo punto",
        "- Secondo punto",
        "",
        "### Nuovi processi e metodologie di governance",
        "",
        "## Domande chiave e risposte",
        "",
        `### 1. ${seminar.starterQuestions[0]} (aperta)`,
        "",
        "- Mercati locali del riciclo — 1 voto · anonimo · imprese · in evidenza · \\#Filiere corte",
        "- Filiere \\*corte\\* e \\#riuso — 2 voti · Ada · ONG e società civile · riunisce 1 risposta simile · \\#Filiere corte",
        "   - _unita:_ Filiere corte — Bea",
        "",
        `### 2. ${seminar.starterQuestions[1]} (aperta)`,
        "",
        "- Approvata — 0 voti · Bea · università e ricerca",
        "",
        `### 3. ${seminar.starterQuestions[2]} (chiusa)`,
        "",
        "_Nessuna risposta._",
        "",
        "## Raccolta: gruppi di risposte",
        "",
        "- **Filiere corte** (nuovo tema): 2 risposte",
        "",
        "[^1]: Filiere \\*corte\\* e \\#riuso — Ada",
        "",
        "_Esportato da Percorso il 1º gennaio 1970_",
        "",
      ].join("\n"),
    );
    expect(markdown).not.toContain("offensivo");
    expect(markdown).not.toContain("Domanda mai aperta");
    expect(markdown).not.toContain("In attesa di approvazione");
  });

  it("gives each citation its own short footnote, an answer cited twice included", () => {
    const doc = seminarAfterSession();
    const paragraph = doc.getXmlFragment("recommendations").get(1) as Y.XmlElement;
    paragraph.push([answerRef("a4", "Testo offensivo (Troll)"), answerRef("a1", "Di nuovo (Ada)")]);
    const report = buildSeminarReport(doc, meta, 0);
    const markdown = reportMarkdown(report);
    expect(markdown).toContain(
      "«Filiere corte e riuso (Ada)»[^1]«Testo offensivo (Troll)»[^2]«Di nuovo (Ada)»[^3]",
    );
    expect(markdown).toContain("\n[^1]: Filiere \\*corte\\* e \\#riuso — Ada\n");
    expect(markdown).toContain("\n[^2]: Risposta non più visibile.\n");
    expect(markdown).toContain("\n[^3]: Filiere \\*corte\\* e \\#riuso — Ada\n");
    expect(markdown).not.toContain("[^a");
    expect(reportNotes(report).map((note) => note.n)).toEqual([1, 2, 3]);
  });

  it("numbers a footnote element with the citations, its own words as the note", () => {
    const doc = seminarAfterSession();
    const paragraph = doc.getXmlFragment("recommendations").get(1) as Y.XmlElement;
    const note = new Y.XmlElement(FOOTNOTE_NODE);
    note.setAttribute("text", "Fonte: *Regione*");
    const empty = new Y.XmlElement(FOOTNOTE_NODE);
    empty.setAttribute("text", "  ");
    paragraph.push([note, empty, answerRef("a1", "Di nuovo (Ada)")]);
    const report = buildSeminarReport(doc, meta, 0);
    const markdown = reportMarkdown(report);
    // An empty note is no note.
    expect(markdown).toContain("«Filiere corte e riuso (Ada)»[^1][^2]«Di nuovo (Ada)»[^3]");
    expect(markdown).toContain("\n[^2]: Fonte: \\*Regione\\*\n");
    expect(reportNotes(report).map((n) => n.n)).toEqual([1, 2, 3]);
  });

  it("renders a promoted cluster as a bold label followed by footnoted citations", () => {
    const doc = seminarAfterSession();
    promoteCluster(doc, "c1", { at: 80 });
    const report = buildSeminarReport(doc, meta, 0);
    expect(report.clusters[0]!.promotedAt).toBe(80);
    const markdown = reportMarkdown(report);
    expect(markdown).toContain(
      "\n- Secondo punto\n\n**Filiere corte**: «Filiere \\*corte\\* e \\#riuso (Ada)»[^2] " +
        "«Mercati locali del riciclo»[^3]\n\n### Nuovi processi",
    );
    expect(markdown).toContain(
      "\n[^2]: Filiere \\*corte\\* e \\#riuso — Ada\n[^3]: Mercati locali del riciclo — anonimo\n",
    );
  });

  it("escapes what would otherwise be Markdown in answers and text", () => {
    const doc = new Y.Doc();
    initSeminarDocument(doc, seminar, { at: 0 });
    setQuestionState(doc, q1, "open", { at: 0 });
    const texts = [
      "1. più fondi",
      "- un trattino",
      "# non un titolo",
      "[link](http://x) <b>html</b> a|b `code` \\ _sotto_",
    ];
    texts.forEach((text, index) =>
      answer(doc, `e${index}`, q1, text, "Ada *la prima*", "u", 10 - index),
    );
    const paragraph = doc.getXmlFragment("recommendations").get(1) as Y.XmlElement;
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, "2021. un anno\n- a capo");
    const markdown = reportMarkdown(buildSeminarReport(doc, meta, 0));
    expect(markdown).toContain("\n2021\\. un anno  \n\\- a capo\n");
    const lines = markdown.split("\n").filter((line) => line.includes("Ada \\*la prima\\*"));
    expect(lines).toEqual([
      "- 1\\. più fondi — 0 voti · Ada \\*la prima\\*",
      "- \\- un trattino — 0 voti · Ada \\*la prima\\*",
      "- \\# non un titolo — 0 voti · Ada \\*la prima\\*",
      "- \\[link\\](http://x) \\<b\\>html\\</b\\> a\\|b \\`code\\` \\\\ \\_sotto\\_ — 0 voti · " +
        "Ada \\*la prima\\*",
    ]);
  });

  it("keeps spaces outside emphasis markers and skips emphasis on blank runs", () => {
    const doc = new Y.Doc();
    initSeminarDocument(doc, seminar, { at: 0 });
    const paragraph = doc.getXmlFragment("recommendations").get(1) as Y.XmlElement;
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    text.insert(0, "a");
    text.insert(1, " grassetto ", { bold: {} });
    text.insert(12, "e", { bold: null });
    text.insert(13, " corsivo ", { italic: {} });
    text.insert(22, "fine", { italic: null });
    text.insert(26, "  ", { bold: {}, italic: {} });
    text.insert(28, "tutto", { bold: {}, italic: {} });
    const markdown = reportMarkdown(buildSeminarReport(doc, meta, 0));
    expect(markdown).toContain("\na **grassetto** e _corsivo_ fine  _**tutto**_\n");
  });
});
