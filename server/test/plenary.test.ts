import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addComment,
  addSuggestion,
  listSuggestions,
  sectionKey,
  setCommentResolved,
  setReaction,
  setSupport,
} from "@percorso/schema";
import { ADMIN_TOKEN, api, newPerson, useTestServer, waitFor, type TestClient } from "./harness.ts";
import { unzip } from "./zip.ts";

const RESULTS = join(import.meta.dirname, "..", "test-results");
const PROGRAMME = "toscana-2021";
const DRAFT = `draft:${PROGRAMME}`;
const DESK = `/api/programmes/${PROGRAMME}/draft`;
const SECTION = sectionKey("Agenda 2030");

/** The first text node after a chapter's heading (its first paragraph's text). */
function chapterText(doc: Y.Doc, title: string): Y.XmlText {
  const nodes = doc.getXmlFragment("body").toArray();
  const heading = nodes.findIndex(
    (node) => node instanceof Y.XmlElement && node.toString().includes(`>${title}<`),
  );
  const paragraph = nodes[heading + 1] as Y.XmlElement;
  return paragraph.get(0) as Y.XmlText;
}

const encode = (position: Y.RelativePosition) =>
  Buffer.from(Y.encodeRelativePosition(position)).toString("base64");

describe("the plenary on the server (issue 10)", () => {
  const server = useTestServer();

  async function setUp() {
    const admin = await server.connect(DRAFT, ADMIN_TOKEN);
    // The chapter's text, as the drafting team wrote it.
    const paragraph = admin.doc.getXmlFragment("body").toArray();
    const heading = paragraph.findIndex((node) => node.toString().includes(">Agenda 2030<"));
    const first = paragraph[heading + 1] as Y.XmlElement;
    admin.doc.transact(() => {
      const text = new Y.XmlText();
      first.insert(0, [text]);
      text.insert(0, "La Regione sostiene gli obiettivi con i partner.");
    });
    const drafter = await newPerson(server, { role: "drafter" }, { name: "Diana Redattrice" });
    const ada = await server.join(
      DRAFT,
      { role: "participant" },
      { name: "Ada", actorKind: "ngo" },
    );
    await waitFor(() => chapterText(ada.doc, "Agenda 2030")?.length > 0, "the text at Ada");
    return { admin, drafter, ada };
  }

  function suggest(client: TestClient, original: string, proposed: string): string {
    const text = chapterText(client.doc, "Agenda 2030");
    const start = text.toString().indexOf(original);
    return addSuggestion(client.doc, {
      section: SECTION,
      anchor: encode(Y.createRelativePositionFromTypeIndex(text, start)),
      head: encode(Y.createRelativePositionFromTypeIndex(text, start + original.length)),
      originalText: original,
      proposedText: proposed,
      author: client.person!.name,
      authorId: client.person!.userId,
    });
  }

  it("accepts a supported suggestion: the body changes for everyone, attributed to the drafter", async () => {
    const { admin, drafter, ada } = await setUp();
    const id = suggest(ada, "gli obiettivi", "gli obiettivi dell'Agenda 2030");
    const bea = await server.join(DRAFT, { role: "participant" }, { name: "Bea" });
    await waitFor(() => listSuggestions(bea.doc).length === 1, "the suggestion at Bea");
    setSupport(bea.doc, id, bea.person!.anonId, "support", { clientId: bea.anonClientId });
    await waitFor(() => listSuggestions(admin.doc)[0]?.support === 1, "the support");

    const refused = await api(server, "POST", `${DESK}/suggestions/${id}/accept`, {
      token: ada.person!.token,
      body: {},
    });
    expect(refused.status).toBe(403);
    const accepted = await api(server, "POST", `${DESK}/suggestions/${id}/accept`, {
      token: drafter.token,
      body: { reason: "Più preciso" },
    });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({
      status: "accepted",
      reason: "Più preciso",
      decidedBy: "Diana Redattrice",
    });
    await waitFor(
      () =>
        chapterText(bea.doc, "Agenda 2030").toString() ===
        "La Regione sostiene gli obiettivi dell'Agenda 2030 con i partner.",
      "the accepted text at Bea",
    );
    const again = await api(server, "POST", `${DESK}/suggestions/${id}/accept`, {
      token: drafter.token,
      body: {},
    });
    expect(again.status).toBe(409);
    const history = await api(server, "GET", `/api/documents/${DRAFT}/history`, {
      token: ADMIN_TOKEN,
    });
    expect(((await history.json()) as { name: string }[]).at(-1)!.name).toBe("Diana Redattrice");
  });

  it("rejects only with a reason, and refuses to apply a suggestion whose passage changed", async () => {
    const { admin, drafter, ada } = await setUp();
    const first = suggest(ada, "con i partner", "con tutti i partner");
    const second = suggest(ada, "sostiene", "promuove");
    await waitFor(() => listSuggestions(admin.doc).length === 2, "the suggestions");
    const noReason = await api(server, "POST", `${DESK}/suggestions/${first}/reject`, {
      token: drafter.token,
      body: {},
    });
    expect(noReason.status).toBe(400);
    const rejected = await api(server, "POST", `${DESK}/suggestions/${first}/reject`, {
      token: drafter.token,
      body: { reason: "Fuori tema" },
    });
    expect(await rejected.json()).toMatchObject({ status: "rejected", reason: "Fuori tema" });

    // The drafting team rewrites the passage meanwhile: the suggestion no longer applies.
    const text = chapterText(admin.doc, "Agenda 2030");
    admin.doc.transact(() => text.insert(text.toString().indexOf("sostiene") + 3, "X"));
    await waitFor(() => chapterText(ada.doc, "Agenda 2030").toString().includes("sosX"), "edit");
    const stale = await api(server, "POST", `${DESK}/suggestions/${second}/accept`, {
      token: drafter.token,
      body: {},
    });
    expect(stale.status).toBe(409);
    expect(chapterText(admin.doc, "Agenda 2030").toString()).toContain("sosXtiene");
  });

  it("lets drafters invite the conference, records a suggestion taken up by hand, and shows the outcomes to anyone", async () => {
    const { drafter, ada, admin } = await setUp();
    const conference = await api(server, "POST", "/api/invites", {
      token: drafter.token,
      body: { role: "participant", programmeId: PROGRAMME },
    });
    expect(conference.status).toBe(201);
    const seminarInvite = await api(server, "POST", "/api/invites", {
      token: drafter.token,
      body: { role: "participant", programmeId: PROGRAMME, seminarId: "s1-governance" },
    });
    expect(seminarInvite.status).toBe(403);
    const listed = await api(server, "GET", `/api/invites?programmeId=${PROGRAMME}`, {
      token: drafter.token,
    });
    expect(
      ((await listed.json()) as { seminarId: string | null }[]).every((i) => i.seminarId === null),
    ).toBe(true);

    const id = suggest(ada, "con i partner", "con tutti i partner");
    await waitFor(() => listSuggestions(admin.doc).length === 1, "the suggestion");
    const byHand = await api(server, "POST", `${DESK}/suggestions/${id}/accept`, {
      token: drafter.token,
      body: { reason: "Ripreso a mano", apply: false },
    });
    expect(await byHand.json()).toMatchObject({ status: "accepted", reason: "Ripreso a mano" });
    expect(chapterText(admin.doc, "Agenda 2030").toString()).toContain("con i partner");

    const outcomes = await fetch(`${server.url}${DESK}/outcomes`);
    expect(outcomes.status).toBe(200);
    const listedOutcomes = (await outcomes.json()) as Record<string, unknown>[];
    expect(listedOutcomes).toMatchObject([
      { id, status: "accepted", reason: "Ripreso a mano", proposedText: "con tutti i partner" },
    ]);
    expect(JSON.stringify(listedOutcomes)).not.toContain(ada.person!.userId);
  });

  it("totals reactions by kind of actor and says where there is common ground", async () => {
    const { ada } = await setUp();
    const others = await Promise.all(
      [
        ["Bea", "ngo"],
        ["Carlo", "local-authority"],
        ["Dora", "university"],
      ].map(([name, actorKind]) =>
        server.join(DRAFT, { role: "participant" }, { name: name!, actorKind: actorKind! }),
      ),
    );
    for (const client of [ada, ...others]) {
      setReaction(client.doc, SECTION, client.person!.anonId, "agree", {
        clientId: client.anonClientId,
      });
    }
    const witness = await server.connect(DRAFT, ADMIN_TOKEN);
    await waitFor(
      () => (witness.doc.getMap<Y.Map<string>>("reactions").get(SECTION)?.size ?? 0) === 4,
      "the four reactions on the server",
    );
    const reader = await newPerson(server, { role: "observer" });
    const response = await api(server, "GET", `${DESK}/agreement`, { token: reader.token });
    const agreement = (await response.json()) as { section: string }[];
    expect(agreement.find((s) => s.section === SECTION)).toMatchObject({
      title: "Agenda 2030",
      totals: { agree: 4, disagree: 0, abstain: 0 },
      byKind: {
        ngo: { agree: 2 },
        "local-authority": { agree: 1 },
        university: { agree: 1 },
      },
      verdict: "common-ground",
    });
    expect(JSON.stringify(agreement)).not.toContain(ada.person!.anonId);

    // The conference's report: participants by kind, sections by agreement, proposals by outcome.
    const markdown = await (
      await api(server, "GET", `/api/programmes/${PROGRAMME}/conference.md`, {
        token: reader.token,
      })
    ).text();
    expect(markdown).toContain("4 persone hanno reagito");
    expect(markdown).toContain("ONG e società civile: 2");
    expect(markdown).toMatch(/### Agenda 2030 — \*\*terreno comune\*\*/);
    expect(markdown).toContain("### Accolte (0)");
    const docx = await api(server, "GET", `/api/programmes/${PROGRAMME}/conference.docx`, {
      token: reader.token,
    });
    const bytes = Buffer.from(await docx.arrayBuffer());
    // Kept to open in a word processor (test-results/ is git-ignored).
    mkdirSync(RESULTS, { recursive: true });
    writeFileSync(join(RESULTS, "conferenza.docx"), bytes);
    const files = unzip(bytes);
    const document = files.get("word/document.xml")!.toString("utf8");
    expect(document).toContain("terreno comune");
    expect(document).toContain("Le proposte, per esito");
  });

  it("tells the comments in the conference report, section by section: text, author or anonimo, replies, resolved (issue 22)", async () => {
    const { ada } = await setUp();
    const bea = await server.join(DRAFT, { role: "participant" }, { name: "Bea" });
    const thread = addComment(ada.doc, {
      section: SECTION,
      text: "Mancano i partner privati",
      author: "Ada",
      authorId: ada.person!.userId,
      quote: "con i partner",
    });
    // Bea answers anonymously: the report says "anonimo", nothing that leads to her.
    addComment(
      bea.doc,
      {
        section: SECTION,
        text: "Sono d'accordo",
        author: "",
        authorId: bea.person!.anonId,
        parentId: thread,
      },
      { clientId: bea.anonClientId },
    );
    setCommentResolved(ada.doc, thread, true);
    const witness = await server.connect(DRAFT, ADMIN_TOKEN);
    await waitFor(
      () =>
        witness.doc.getArray("comments").length === 2 &&
        witness.doc
          .getArray<Y.Map<unknown>>("comments")
          .toArray()
          .some((c) => c.get("resolved") === true),
      "the thread on the server",
    );
    const reader = await newPerson(server, { role: "observer" });
    const markdown = await (
      await api(server, "GET", `/api/programmes/${PROGRAMME}/conference.md`, {
        token: reader.token,
      })
    ).text();
    const comments = markdown.slice(markdown.indexOf("## I commenti, per sezione"));
    expect(comments).toMatch(
      /### Agenda 2030\n\n- Su «con i partner»: Mancano i partner privati — Ada, \d{1,2}º? \w+ \d{4}, \d\d:\d\d _\(risolto\)_\n {2}- Sono d'accordo — anonimo, /,
    );
    expect(markdown).not.toContain(bea.person!.anonId);
    expect(markdown).not.toContain(ada.person!.userId);
    const docx = await api(server, "GET", `/api/programmes/${PROGRAMME}/conference.docx`, {
      token: reader.token,
    });
    const document = unzip(Buffer.from(await docx.arrayBuffer()))
      .get("word/document.xml")!
      .toString("utf8");
    for (const words of [
      "I commenti, per sezione",
      "Mancano i partner privati",
      "Sono d'accordo",
      "anonimo",
      "(risolto)",
    ]) {
      expect(document).toContain(words.replace("'", "&apos;"));
    }
  });
});
