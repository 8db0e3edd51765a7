import { describe, expect, it, beforeEach } from "vitest";
import * as Y from "yjs";
import {
  addAnswer,
  addComment,
  addQuestion,
  addSuggestion,
  answersFor,
  listAllAnswers,
  listComments,
  listQuestions,
  listSuggestions,
  moveQuestion,
  sectionKey,
  setApproved,
  setPremoderated,
  setQuestionState,
  toggleVote,
} from "@percorso/schema";
import {
  ADMIN_TOKEN,
  api,
  answerAs,
  expectClosed,
  newPerson,
  useTestServer,
  voteAs,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const PROGRAMME = "toscana-2021";
const DRAFT = `draft:${PROGRAMME}`;
const DESK = `/api/programmes/${PROGRAMME}/draft`;
const SECTION = sectionKey("Agenda 2030");
const SEMINAR_ID = "s4-agenda-2030";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const Q1 = `${SEMINAR_ID}-q1`;
const Q2 = `${SEMINAR_ID}-q2`;
const REPORT = `/api/programmes/${PROGRAMME}/seminars/${SEMINAR_ID}/report.html`;

/** The first text node after a chapter's heading (its first paragraph's text). */
function chapterText(doc: Y.Doc, title: string): Y.XmlText {
  const nodes = doc.getXmlFragment("body").toArray();
  const heading = nodes.findIndex(
    (node) => node instanceof Y.XmlElement && node.toString().includes(`>${title}<`),
  );
  return (nodes[heading + 1] as Y.XmlElement).get(0) as Y.XmlText;
}

const encode = (position: Y.RelativePosition) =>
  Buffer.from(Y.encodeRelativePosition(position)).toString("base64");

async function expectRefused(client: TestClient, reason: RegExp): Promise<void> {
  await expectClosed(client, { code: 4403, reason: "forbidden" });
  expect(client.denied[0]).toMatch(reason);
}

/**
 * Issue 16, attacks 3–6: an item is whole on arrival. A new item is checked as if each field
 * were written by its writer, its id is unique in its root, its `createdAt` near the server's
 * clock, its `actorKind` the person's own, and answers and votes go only to open questions —
 * all through stock y-websocket clients and the REST routes.
 */
describe("items are whole on arrival (issue 16)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));

  describe("the draft's suggestions and comments", () => {
    /** The chapter's text, Diana the drafter, and a participant's connection factory. */
    async function setUp() {
      const admin = await server.connect(DRAFT, ADMIN_TOKEN);
      const paragraph = admin.doc.getXmlFragment("body").toArray();
      const heading = paragraph.findIndex((node) => node.toString().includes(">Agenda 2030<"));
      admin.doc.transact(() => {
        const text = new Y.XmlText();
        (paragraph[heading + 1] as Y.XmlElement).insert(0, [text]);
        text.insert(0, "La Regione sostiene gli obiettivi con i partner.");
      });
      const diana = await newPerson(server, { role: "drafter" }, { name: "Diana Redattrice" });
      const join = async (name: string) => {
        const client = await server.join(DRAFT, { role: "participant" }, { name });
        await waitFor(() => chapterText(client.doc, "Agenda 2030")?.length > 0, `text at ${name}`);
        return client;
      };
      return { admin, diana, join };
    }

    /** A suggestion on "gli obiettivi", as the web app writes it, with `id` when given. */
    function suggest(client: TestClient, proposed: string, id?: string): string {
      const text = chapterText(client.doc, "Agenda 2030");
      const original = "gli obiettivi";
      const start = text.toString().indexOf(original);
      return addSuggestion(
        client.doc,
        {
          section: SECTION,
          anchor: encode(Y.createRelativePositionFromTypeIndex(text, start)),
          head: encode(Y.createRelativePositionFromTypeIndex(text, start + original.length)),
          originalText: original,
          proposedText: proposed,
          author: client.person!.name,
          authorId: client.person!.userId,
        },
        id === undefined ? {} : { id },
      );
    }

    /** A suggestion item as a hostile client builds it: every field its own choice. */
    function forgedSuggestion(client: TestClient, fields: Record<string, unknown>): Y.Map<unknown> {
      const item = new Y.Map<unknown>();
      const all: Record<string, unknown> = {
        id: `forged-${Math.random()}`,
        section: SECTION,
        originalText: "gli obiettivi",
        proposedText: "gli obiettivi della Mallory S.p.A.",
        author: client.person!.name,
        authorId: client.person!.userId,
        createdAt: Date.now(),
        status: "open",
        ...fields,
      };
      for (const [key, value] of Object.entries(all)) item.set(key, value);
      item.set("support", new Y.Map());
      return item;
    }

    it("refuses a suggestion under Bob's id, so the drafter's accept writes Bob's words", async () => {
      const { admin, diana, join } = await setUp();
      const bob = await join("Bob Verdi");
      const bobsId = suggest(bob, "gli obiettivi dell'Agenda 2030");
      await waitFor(() => listSuggestions(admin.doc).length === 1, "Bob's suggestion");

      // Mallory copies Bob's id and anchor, and puts hers first in the list.
      const mallory = await join("Mallory");
      await waitFor(() => listSuggestions(mallory.doc).length === 1, "Bob's at Mallory");
      const bobs = mallory.doc.getArray<Y.Map<unknown>>("suggestions").get(0);
      mallory.doc.getArray("suggestions").insert(0, [
        forgedSuggestion(mallory, {
          id: bobsId,
          anchor: bobs.get("anchor"),
          head: bobs.get("head"),
        }),
      ]);
      await expectRefused(mallory, new RegExp(`^suggestions: id ${bobsId} already exists$`));

      // Twice in one update: the second is as much a clash as one already stored.
      const twice = await join("Mallory 2");
      twice.doc.transact(() => {
        twice.doc.getArray("suggestions").push([forgedSuggestion(twice, { id: "same" })]);
        twice.doc.getArray("suggestions").push([forgedSuggestion(twice, { id: "same" })]);
      });
      await expectRefused(twice, /^suggestions: id same already exists$/);

      const accepted = await api(server, "POST", `${DESK}/suggestions/${bobsId}/accept`, {
        token: diana.token,
        body: { reason: "Più preciso" },
      });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toMatchObject({
        id: bobsId,
        author: "Bob Verdi",
        proposedText: "gli obiettivi dell'Agenda 2030",
        status: "accepted",
      });
      await waitFor(
        () =>
          chapterText(admin.doc, "Agenda 2030").toString() ===
          "La Regione sostiene gli obiettivi dell'Agenda 2030 con i partner.",
        "Bob's words in the body",
      );
      expect(listSuggestions(admin.doc)).toHaveLength(1);
    });

    it("refuses a suggestion decided at insertion and a comment resolved at insertion", async () => {
      const { admin, diana, join } = await setUp();
      const bob = await join("Bob Verdi");
      const bobsId = suggest(bob, "gli obiettivi dell'Agenda 2030");
      await waitFor(() => listSuggestions(admin.doc).length === 1, "Bob's suggestion");

      const forgeries: [Record<string, unknown>, RegExp][] = [
        [
          {
            status: "accepted",
            decidedBy: "Diana Redattrice",
            decidedAt: Date.now(),
            reason: "Condivisa dal gruppo di redazione",
          },
          /^suggestions: status is decided later/,
        ],
        [{ status: "rejected", reason: "Fuori tema" }, /^suggestions: status is decided later/],
        [{ decidedBy: "Diana Redattrice" }, /^suggestions: decidedBy is decided later/],
        [{ decidedAt: Date.now() }, /^suggestions: decidedAt is decided later/],
        [{ reason: "Accolta" }, /^suggestions: reason is decided later/],
      ];
      for (const [fields, reason] of forgeries) {
        const mallory = await join("Mallory");
        mallory.doc.getArray("suggestions").push([forgedSuggestion(mallory, fields)]);
        await expectRefused(mallory, reason);
      }
      // A drafter's socket cannot insert a decision either: decisions go through the REST route.
      const dianaSocket = await server.connect(DRAFT, diana.token);
      const preDecided = new Y.Map<unknown>();
      for (const [key, value] of Object.entries({
        id: "pre-decided",
        section: SECTION,
        originalText: "",
        proposedText: "Testo",
        author: "Diana Redattrice",
        authorId: diana.userId,
        createdAt: Date.now(),
        status: "accepted",
      })) {
        preDecided.set(key, value);
      }
      dianaSocket.doc.getArray("suggestions").push([preDecided]);
      await expectRefused(dianaSocket, /^suggestions: status is decided later/);

      const carla = await join("Carla");
      addComment(carla.doc, {
        section: SECTION,
        text: "Manca il riuso",
        author: "Carla",
        authorId: carla.person!.userId,
      });
      await waitFor(() => listComments(admin.doc).length === 1, "Carla's comment");
      const mallory = await join("Mallory");
      mallory.doc.transact(() => {
        const comment = new Y.Map<unknown>();
        comment.set("id", "resolved-at-birth");
        comment.set("section", SECTION);
        comment.set("text", "Già risolto");
        comment.set("author", "Mallory");
        comment.set("authorId", mallory.person!.userId);
        comment.set("createdAt", Date.now());
        comment.set("resolved", true);
        mallory.doc.getArray("comments").push([comment]);
      });
      await expectRefused(mallory, /^comments: resolved is decided later/);
      const copycat = await join("Mallory 3");
      await waitFor(() => listComments(copycat.doc).length === 1, "Carla's comment at Mallory");
      addComment(
        copycat.doc,
        {
          section: SECTION,
          text: "Sostituito",
          author: "Mallory 3",
          authorId: copycat.person!.userId,
        },
        { id: listComments(copycat.doc)[0]!.id },
      );
      await expectRefused(copycat, /^comments: id .* already exists$/);

      // Esito shows nothing forged, and the drafting team's real decision goes through.
      const outcomes = await fetch(`${server.url}${DESK}/outcomes`);
      expect((await outcomes.json()) as unknown[]).toEqual([
        expect.objectContaining({ id: bobsId, status: "open", decidedBy: "", reason: "" }),
      ]);
      const rejected = await api(server, "POST", `${DESK}/suggestions/${bobsId}/reject`, {
        token: diana.token,
        body: { reason: "Già nel testo" },
      });
      expect(rejected.status).toBe(200);
      const after = (await (await fetch(`${server.url}${DESK}/outcomes`)).json()) as unknown[];
      expect(after).toEqual([
        expect.objectContaining({
          id: bobsId,
          status: "rejected",
          decidedBy: "Diana Redattrice",
          reason: "Già nel testo",
        }),
      ]);
      expect(listComments(admin.doc).map((c) => [c.text, c.resolved])).toEqual([
        ["Manca il riuso", false],
      ]);
    });
  });

  describe("the seminar's answers", () => {
    const participant = (name: string, actorKind = "ngo") =>
      server.join(SEMINAR, { role: "participant", seminarId: SEMINAR_ID }, { name, actorKind });

    it("refuses an answer under an approved answer's id: the projector and the citation keep it", async () => {
      const facilitator = await server.join(SEMINAR, {
        role: "facilitator",
        seminarId: SEMINAR_ID,
      });
      setPremoderated(facilitator.doc, Q1, true);
      const bob = await participant("Bob Verdi");
      const bobsId = answerAs(bob, "Reti di comuni", { questionId: Q1 });
      await waitFor(() => listAllAnswers(facilitator.doc).length === 1, "Bob's answer");
      setApproved(facilitator.doc, bobsId, true);
      await waitFor(() => answersFor(bob.doc, Q1, { kind: "projector" }).length === 1, "approved");

      const mallory = await participant("Mallory");
      await waitFor(() => listAllAnswers(mallory.doc).length === 1, "Bob's answer at Mallory");
      const forged = new Y.Map<unknown>();
      mallory.doc.transact(() => {
        for (const [key, value] of Object.entries({
          id: bobsId,
          questionId: Q1,
          text: "Votate Mallory",
          author: "Mallory",
          authorId: mallory.person!.userId,
          createdAt: Date.now(),
        })) {
          forged.set(key, value);
        }
        forged.set("votes", new Y.Map());
        mallory.doc.getArray("answers").insert(0, [forged]);
      });
      await expectRefused(mallory, new RegExp(`^answers: id ${bobsId} already exists$`));
      // Through the schema's own function too (the id is the caller's choice).
      const again = await participant("Mallory 2");
      answerAs(again, "Votate Mallory", { questionId: Q2, id: bobsId });
      await expectRefused(again, /already exists/);

      const projector = await server.connect(SEMINAR, ADMIN_TOKEN);
      expect(answersFor(projector.doc, Q1, { kind: "projector" }).map((a) => a.text)).toEqual([
        "Reti di comuni",
      ]);
      expect(listAllAnswers(projector.doc)).toHaveLength(1);
      const cited = await api(server, "GET", `/api/programmes/${PROGRAMME}/answers/${bobsId}`, {
        token: ADMIN_TOKEN,
      });
      expect(await cited.json()).toMatchObject({
        answer: { id: bobsId, text: "Reti di comuni", author: "Bob Verdi" },
      });
    });

    it("lets the facilitator move a question: a copy under its id in place of the original", async () => {
      const facilitator = await server.join(SEMINAR, {
        role: "facilitator",
        seminarId: SEMINAR_ID,
      });
      expect(moveQuestion(facilitator.doc, Q1, 2)).toBe(true);
      const admin = await server.connect(SEMINAR, ADMIN_TOKEN);
      await waitFor(() => listQuestions(admin.doc)[2]?.id === Q1, "the move");
      expect(listQuestions(admin.doc).filter((q) => q.id === Q1)).toHaveLength(1);
      expect(facilitator.closes).toEqual([]);
    });

    it("refuses a question id that is taken, even from the facilitator", async () => {
      const facilitator = await server.join(SEMINAR, {
        role: "facilitator",
        seminarId: SEMINAR_ID,
      });
      addQuestion(facilitator.doc, "Di nuovo", "open", { id: Q1 });
      await expectRefused(facilitator, new RegExp(`^questions: id ${Q1} already exists$`));
    });

    it("takes answers and votes only while the question is open, from everyone but the admin", async () => {
      const facilitator = await server.join(SEMINAR, {
        role: "facilitator",
        seminarId: SEMINAR_ID,
      });
      const draftQuestion = addQuestion(facilitator.doc, "Ancora in bozza", "draft");
      const bob = await participant("Bob Verdi");
      const bobsId = answerAs(bob, "Reti di comuni", { questionId: Q1 });
      const carla = await participant("Carla");
      await waitFor(() => listAllAnswers(carla.doc).length === 1, "Bob's answer at Carla");
      voteAs(carla, bobsId);
      await waitFor(
        () => listAllAnswers(facilitator.doc)[0]?.voters.length === 1,
        "Carla's vote at the facilitator",
      );
      setQuestionState(facilitator.doc, Q1, "closed");
      await waitFor(
        () => bob.doc.getArray<Y.Map<unknown>>("questions").get(0).get("state") === "closed",
        "closed",
      );

      const cases: [string, (client: TestClient) => void][] = [
        ["a closed question", (c) => answerAs(c, "In ritardo", { questionId: Q1 })],
        ["a draft question", (c) => answerAs(c, "In anticipo", { questionId: draftQuestion })],
        ["no question", (c) => answerAs(c, "Nel vuoto", { questionId: "nessuna" })],
      ];
      for (const [label, write] of cases) {
        const mallory = await participant(`Mallory (${label})`);
        await waitFor(() => listAllAnswers(mallory.doc).length === 1, "the answers at Mallory");
        write(mallory);
        await expectRefused(
          mallory,
          label === "no question"
            ? /^answers: no such question$/
            : /^answers: the question is not open$/,
        );
      }
      const dora = await participant("Dora");
      await waitFor(() => listAllAnswers(dora.doc).length === 1, "the answers at Dora");
      voteAs(dora, bobsId);
      await expectRefused(dora, /^answers: the question is not open$/);
      // Withdrawing a vote after the close would change the count as much as casting one.
      const carlaAgain = await server.connect(SEMINAR, carla.person!.token);
      carlaAgain.person = carla.person;
      carlaAgain.anonClientId = carla.anonClientId;
      await waitFor(() => listAllAnswers(carlaAgain.doc)[0]?.voters.length === 1, "the vote");
      toggleVote(carlaAgain.doc, bobsId, carla.person!.anonId, { clientId: carla.anonClientId });
      await expectRefused(carlaAgain, /^answers: the question is not open$/);
      // The facilitator moderates; they do not answer a closed question either.
      answerAs(facilitator, "Dal facilitatore", { questionId: Q1 });
      await expectRefused(facilitator, /^answers: the question is not open$/);

      const admin = await server.connect(SEMINAR, ADMIN_TOKEN);
      expect(listAllAnswers(admin.doc).map((a) => [a.text, a.voters.length])).toEqual([
        ["Reti di comuni", 1],
      ]);
      // The admin (trusted automation, restores) is exempt.
      addAnswer(admin.doc, { questionId: Q1, text: "Importata", author: "", authorId: "import" });
      await waitFor(() => listAllAnswers(bob.doc).length === 2, "the admin's answer");
      expect(carla.closes).toEqual([]);
      expect(bob.closes).toEqual([]);
    });

    it("refuses a back-dated or future createdAt and another kind of actor; the report keeps its figures", async () => {
      const lucia = await participant("Lucia Ferri", "ngo");
      addAnswer(lucia.doc, {
        questionId: Q1,
        text: "Reti di comuni",
        author: "Lucia Ferri",
        authorId: lucia.person!.userId,
        actorKind: "ngo",
      });
      // Written offline an hour ago and sent on reconnection: taken.
      addAnswer(
        lucia.doc,
        {
          questionId: Q1,
          text: "Scritta in treno",
          author: "Lucia Ferri",
          authorId: lucia.person!.userId,
          actorKind: "ngo",
        },
        { at: Date.now() - 60 * 60 * 1000 },
      );
      const admin = await server.connect(SEMINAR, ADMIN_TOKEN);
      await waitFor(() => listAllAnswers(admin.doc).length === 2, "Lucia's answers");
      const report = async () => (await api(server, "GET", REPORT, { token: ADMIN_TOKEN })).text();
      const before = await report();
      expect(before).toMatch(/ONG e società civile 2/);

      const forgeries: [string, MutationAt, RegExp][] = [
        ["back-dated", { at: Date.UTC(2021, 3, 1) }, /^answers: createdAt is too far/],
        ["a day and more ago", { at: Date.now() - 25 * 60 * 60 * 1000 }, /createdAt is too far/],
        ["in the future", { at: Date.now() + 60 * 60 * 1000 }, /createdAt is too far/],
        [
          "as a university",
          { actorKind: "university" },
          /^answers: actorKind must be the writer's own$/,
        ],
        ["of no kind", { actorKind: "ente-inventato" }, /actorKind must be the writer's own/],
      ];
      for (const [label, forgery, reason] of forgeries) {
        const mallory = await participant(`Mallory (${label})`, "ngo");
        addAnswer(
          mallory.doc,
          {
            questionId: Q1,
            text: `Mallory ${label}`,
            author: mallory.person!.name,
            authorId: mallory.person!.userId,
            ...(forgery.actorKind === undefined ? {} : { actorKind: forgery.actorKind as "ngo" }),
          },
          forgery.at === undefined ? {} : { at: forgery.at },
        );
        await expectRefused(mallory, reason);
      }
      // An anonymous answer under the person's own kind is the web app's: taken.
      const nina = await participant("Nina", "university");
      addAnswer(
        nina.doc,
        {
          questionId: Q1,
          text: "Anonima",
          author: "",
          authorId: nina.person!.anonId,
          actorKind: "university",
        },
        { clientId: nina.anonClientId },
      );
      await waitFor(() => listAllAnswers(admin.doc).length === 3, "Nina's answer");
      expect(nina.closes).toEqual([]);
      const after = await report();
      expect(after).toMatch(/ONG e società civile 2, università e ricerca 1/);
      expect(after).not.toMatch(/Mallory/);
      expect(lucia.closes).toEqual([]);
    });
  });
});

interface MutationAt {
  at?: number;
  actorKind?: string;
}
