import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  addComment,
  addMaterial,
  addSuggestion,
  editAnswer,
  editMaterial,
  hideAnswer,
  listAllAnswers,
  listMaterials,
  readModeration,
  removeAnswer,
  removeMaterial,
  sectionKey,
  setReaction,
  toggleVote,
  transactAs,
} from "@percorso/schema";
import {
  ADMIN_TOKEN,
  answerAs,
  expectClosed,
  useTestServer,
  voteAs,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const SEMINAR_ID = "s4-agenda-2030";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const DRAFT = "draft:toscana-2021";
const QUESTION = `${SEMINAR_ID}-q1`;

/**
 * The item rules of DESIGN.md §4.1, each both ways over real sockets: the allowed write goes
 * through and is stored, its forbidden twin is refused with 4403 and never stored.
 */
describe("item rules (DESIGN.md §4.1)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));
  let witness: TestClient;

  beforeEach(async () => {
    witness = await server.connect(SEMINAR, ADMIN_TOKEN);
  });

  const person = (name: string, role = "participant", anonymous = false) =>
    server.join(SEMINAR, { role, seminarId: SEMINAR_ID }, { name, anonymous });

  const answerAt = (doc: Y.Doc, id: string) =>
    doc
      .getArray<Y.Map<unknown>>("answers")
      .toArray()
      .find((a) => a.get("id") === id);

  async function expectRefused(client: TestClient, reason: RegExp): Promise<void> {
    await expectClosed(client, { code: 4403, reason: "forbidden" });
    expect(client.denied[0]).toMatch(reason);
  }

  /** What a fresh server reads back from storage. */
  async function stored(documentName = SEMINAR): Promise<Y.Doc> {
    server.destroyClients();
    await server.restart();
    return (await server.connect(documentName, ADMIN_TOKEN)).doc;
  }

  /** Alice's answer, synced to the witness. */
  async function alicesAnswer(): Promise<{ alice: TestClient; id: string }> {
    const alice = await person("Alice Bianchi");
    const id = answerAs(alice, "Reti di comuni", { questionId: QUESTION });
    await waitFor(() => answerAt(witness.doc, id) !== undefined, "alice's answer");
    return { alice, id };
  }

  describe("answers", () => {
    it("takes a signed answer under the author's own id and name, refuses another name", async () => {
      const { id } = await alicesAnswer();
      const mallory = await person("Mallory");
      mallory.doc
        .getArray("answers")
        .push([forgedAnswer({ authorId: mallory.person!.userId, author: "Sindaco di Firenze" })]);
      await expectRefused(mallory, /author must be the writer's own name/);
      const doc = await stored();
      expect(listAllAnswers(doc).map((a) => [a.id, a.author])).toEqual([[id, "Alice Bianchi"]]);
    });

    it("refuses an answer under someone else's user id or anonymous id", async () => {
      const { alice } = await alicesAnswer();
      for (const forged of [
        { authorId: alice.person!.userId, author: "Alice Bianchi" },
        { authorId: alice.person!.anonId, author: "" },
      ]) {
        const mallory = await person("Mallory");
        const write = () => mallory.doc.getArray("answers").push([forgedAnswer(forged)]);
        // The anonymous forgery goes under the anonymous client id, as an honest one would.
        if (forged.author === "")
          transactAs(mallory.doc, { clientId: mallory.anonClientId }, write);
        else write();
        await expectRefused(mallory, /authorId must be the writer's own id/);
      }
      expect(listAllAnswers(await stored()).map((a) => a.text)).toEqual(["Reti di comuni"]);
    });

    it("takes an anonymous answer under the anonymous client id, refuses it under the named one", async () => {
      const bea = await person("Bea");
      const id = answerAs(bea, "Anonima", { questionId: QUESTION, anonymous: true });
      await waitFor(() => answerAt(witness.doc, id) !== undefined, "the anonymous answer");
      expect(answerAt(witness.doc, id)!.get("authorId")).toBe(bea.person!.anonId);
      expect(answerAt(witness.doc, id)!.get("author")).toBe("");

      const carl = await person("Carl");
      // The same answer, but under the client id that carries Carl's named presence.
      carl.doc.getArray("answers").push([anonymousAnswer(carl)]);
      await expectRefused(carl, /anonymous items cannot come from/);
      expect(listAllAnswers(await stored()).map((a) => a.text)).toEqual(["Anonima"]);
    });

    it("lets the author change the text and delete the answer; nobody else", async () => {
      const { alice, id } = await alicesAnswer();
      const mallory = await person("Mallory");
      await waitFor(() => answerAt(mallory.doc, id) !== undefined, "the answer at mallory");
      editAnswer(mallory.doc, id, "Riscritta da Mallory");
      await expectRefused(mallory, /someone else's item/);

      const eve = await person("Eve");
      await waitFor(() => answerAt(eve.doc, id) !== undefined, "the answer at eve");
      removeAnswer(eve.doc, id);
      await expectRefused(eve, /only its author can delete/);

      editAnswer(alice.doc, id, "Reti di comuni e di ONG");
      await waitFor(
        () => answerAt(witness.doc, id)?.get("text") === "Reti di comuni e di ONG",
        "alice's edit",
      );
      const second = answerAs(alice, "Da ritirare", { questionId: QUESTION });
      await waitFor(() => answerAt(witness.doc, second) !== undefined, "the second answer");
      removeAnswer(alice.doc, second);
      await waitFor(() => answerAt(witness.doc, second) === undefined, "the withdrawal");
      expect(alice.closes).toEqual([]);
      expect(listAllAnswers(await stored()).map((a) => a.text)).toEqual([
        "Reti di comuni e di ONG",
      ]);
    });

    it("never lets the author change who wrote it, its question or its time", async () => {
      const { alice, id } = await alicesAnswer();
      answerAt(alice.doc, id)!.set("questionId", `${SEMINAR_ID}-q2`);
      await expectRefused(alice, /questionId cannot be changed/);
      const again = await server.connect(SEMINAR, alice.person!.token);
      again.person = alice.person;
      await waitFor(() => answerAt(again.doc, id) !== undefined, "the answer after rejoining");
      answerAt(again.doc, id)!.set("createdAt", 1);
      await expectRefused(again, /createdAt cannot be changed/);
    });

    it("counts one vote per person: own anonymous key only, set or withdrawn", async () => {
      const { alice, id } = await alicesAnswer();
      const bea = await person("Bea");
      const dan = await person("Dan");
      await waitFor(() => answerAt(bea.doc, id) !== undefined, "the answer at bea");
      await waitFor(() => answerAt(dan.doc, id) !== undefined, "the answer at dan");
      voteAs(dan, id);
      voteAs(bea, id);
      const votesAt = (doc: Y.Doc) =>
        [...((answerAt(doc, id)?.get("votes") as Y.Map<boolean> | undefined)?.keys() ?? [])].sort();
      const both = [dan.person!.anonId, bea.person!.anonId].sort();
      await waitFor(() => votesAt(witness.doc).length === 2, "two votes");
      expect(votesAt(witness.doc)).toEqual(both);

      // Stuffing: votes under invented keys.
      const mallory = await person("Mallory");
      await waitFor(() => votesAt(mallory.doc).length === 2, "the votes at mallory");
      toggleVote(mallory.doc, id, "voter-1", { clientId: mallory.anonClientId });
      await expectRefused(mallory, /only the writer's own key/);

      // Withdrawing someone else's vote.
      const eve = await person("Eve");
      await waitFor(() => votesAt(eve.doc).length === 2, "the votes at eve");
      toggleVote(eve.doc, id, dan.person!.anonId, { clientId: eve.anonClientId });
      await expectRefused(eve, /only the writer's own key can be removed/);

      // A vote under the named client id would tie the anonymous key to the named presence.
      const carl = await person("Carl");
      await waitFor(() => votesAt(carl.doc).length === 2, "the votes at carl");
      toggleVote(carl.doc, id, carl.person!.anonId);
      await expectRefused(carl, /anonymous items cannot come from/);

      // No vote on one's own answer: its author's key is refused there.
      voteAs(alice, id);
      await expectRefused(alice, /the author of an item cannot write in its votes/);

      voteAs(bea, id); // withdrawn: her own key
      await waitFor(() => votesAt(witness.doc).length === 1, "bea's withdrawal");
      expect(votesAt(await stored())).toEqual([dan.person!.anonId]);
      expect(alice.closes).toHaveLength(1);
    });

    it("refuses a vote on one's own anonymous answer, also in the update that writes it", async () => {
      const bea = await person("Bea");
      const id = answerAs(bea, "Anonima", { questionId: QUESTION, anonymous: true });
      await waitFor(() => answerAt(witness.doc, id) !== undefined, "the anonymous answer");
      voteAs(bea, id);
      await expectRefused(bea, /the author of an item cannot write in its votes/);

      // An answer that arrives with its author's vote already in it.
      const carl = await person("Carl");
      carl.doc.transact(() => {
        const answerId = answerAs(carl, "Con il mio voto", { questionId: QUESTION });
        voteAs(carl, answerId);
      });
      await expectRefused(carl, /the author of an item cannot write in its votes/);
      expect(listAllAnswers(await stored()).map((a) => a.text)).toEqual(["Anonima"]);
    });

    it("lets a facilitator moderate but not rewrite, and keeps an invite used directly off identities", async () => {
      const { id } = await alicesAnswer();
      const facilitator = await person("Franca", "facilitator");
      await waitFor(() => answerAt(facilitator.doc, id) !== undefined, "the answer");
      hideAnswer(facilitator.doc, id);
      await waitFor(() => readModeration(witness.doc).get(id) === "hidden", "the hidden answer");
      editAnswer(facilitator.doc, id, "Corretta dalla facilitatrice");
      await expectRefused(facilitator, /someone else's item/);

      const direct = await server.joinWithInvite(SEMINAR, {
        role: "participant",
        seminarId: SEMINAR_ID,
      });
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("Testo condiviso")]);
      direct.doc.getXmlFragment("recommendations").push([paragraph]);
      await waitFor(
        () => witness.doc.getXmlFragment("recommendations").toString().includes("Testo condiviso"),
        "shared text from an invite used directly",
      );
      const map = new Y.Map<unknown>();
      map.set("id", "x");
      map.set("authorId", "x");
      direct.doc.getArray("answers").push([map]);
      await expectRefused(direct, /invite link used directly/);
    });
  });

  describe("materials", () => {
    it("are signed by whoever adds them, changed by them or a facilitator", async () => {
      const alice = await person("Alice Bianchi");
      const id = addMaterial(alice.doc, {
        kind: "case-study",
        title: "Rifiuti a Dakar",
        addedBy: "Alice Bianchi",
        addedById: alice.person!.userId,
      });
      await waitFor(() => listMaterials(witness.doc).length === 1, "the material");
      editMaterial(alice.doc, id, { title: "Rifiuti a Dakar (2020)" });

      const mallory = await person("Mallory");
      addMaterial(mallory.doc, {
        kind: "theory",
        title: "Falso",
        addedBy: "Mallory",
        addedById: alice.person!.userId,
      });
      await expectRefused(mallory, /addedById/);
      const eve = await person("Eve");
      await waitFor(() => listMaterials(eve.doc).length === 1, "the material at eve");
      removeMaterial(eve.doc, id);
      await expectRefused(eve, /only its author can delete/);

      const facilitator = await person("Franca", "facilitator");
      await waitFor(
        () => listMaterials(facilitator.doc)[0]?.title === "Rifiuti a Dakar (2020)",
        "the edit at the facilitator",
      );
      editMaterial(facilitator.doc, id, { summary: "Un caso di economia circolare" });
      await waitFor(
        () => listMaterials(witness.doc)[0]?.summary === "Un caso di economia circolare",
        "the facilitator's edit",
      );
      expect(listMaterials(await stored())).toMatchObject([
        { title: "Rifiuti a Dakar (2020)", addedById: alice.person!.userId },
      ]);
    });
  });

  describe("lengths and links (issue 12)", () => {
    it("refuses an answer longer than 2000 characters, and a material that links anywhere but the web", async () => {
      const long = "parola ".repeat(300); // 2100 characters
      const ada = await person("Ada");
      answerAs(ada, long, { questionId: QUESTION });
      await expectRefused(ada, /text is longer than 2000 characters/);

      const bea = await person("Bea");
      const id = answerAs(bea, "Breve", { questionId: QUESTION });
      await waitFor(() => answerAt(witness.doc, id) !== undefined, "the short answer");
      editAnswer(bea.doc, id, long);
      await expectRefused(bea, /text is longer than 2000 characters/);

      const carl = await person("Carl");
      addMaterial(carl.doc, {
        kind: "theory",
        title: "Link pericoloso",
        url: "javascript:alert(1)",
        addedBy: "Carl",
        addedById: carl.person!.userId,
      });
      await expectRefused(carl, /url must be an http: or https: link/);
      const dora = await person("Dora");
      addMaterial(dora.doc, {
        kind: "theory",
        title: "Link buono",
        url: "https://example.org/studio",
        addedBy: "Dora",
        addedById: dora.person!.userId,
      });
      await waitFor(() => listMaterials(witness.doc).length === 1, "the good material");
      const doc = await stored();
      expect(listAllAnswers(doc).map((a) => a.text)).toEqual(["Breve"]);
      expect(listMaterials(doc).map((m) => m.url)).toEqual(["https://example.org/studio"]);
    });

    it("refuses a material's title or summary, a comment or a suggestion over its length", async () => {
      const eva = await person("Eva");
      addMaterial(eva.doc, {
        kind: "theory",
        title: "t".repeat(201),
        url: "",
        addedBy: "Eva",
        addedById: eva.person!.userId,
      });
      await expectRefused(eva, /title is longer than 200 characters/);
      const fabio = await person("Fabio");
      addMaterial(fabio.doc, {
        kind: "theory",
        title: "Breve",
        summary: "s".repeat(2001),
        url: "",
        addedBy: "Fabio",
        addedById: fabio.person!.userId,
      });
      await expectRefused(fabio, /summary is longer than 2000 characters/);

      const section = sectionKey("Economia circolare");
      const reader = (name: string) => server.join(DRAFT, { role: "participant" }, { name });
      const gina = await reader("Gina");
      addComment(gina.doc, {
        section,
        text: "c".repeat(4001),
        author: "Gina",
        authorId: gina.person!.userId,
      });
      await expectRefused(gina, /text is longer than 4000 characters/);
      const ugo = await reader("Ugo");
      addSuggestion(ugo.doc, {
        section,
        originalText: "riuso",
        proposedText: "p".repeat(4001),
        author: "Ugo",
        authorId: ugo.person!.userId,
      });
      await expectRefused(ugo, /proposedText is longer than 4000 characters/);

      expect(listMaterials(await stored())).toEqual([]);
      const draft = await stored(DRAFT);
      expect(draft.getArray("comments").length).toBe(0);
      expect(draft.getArray("suggestions").length).toBe(0);
    });
  });

  describe("the draft's comments, reactions and suggestions", () => {
    const reader = (name: string, role = "participant") => server.join(DRAFT, { role }, { name });
    const section = sectionKey("Economia circolare");

    it("keeps comments their author's, reactions one per person under their own key", async () => {
      const draftWitness = await server.connect(DRAFT, ADMIN_TOKEN);
      const alice = await reader("Alice Bianchi");
      const commentId = addComment(alice.doc, {
        section,
        text: "Manca il riuso",
        author: "Alice Bianchi",
        authorId: alice.person!.userId,
      });
      setReaction(alice.doc, section, alice.person!.anonId, "agree", {
        clientId: alice.anonClientId,
      });
      const reactions = (doc: Y.Doc) =>
        (doc.getMap<Y.Map<string>>("reactions").get(section)?.toJSON() ?? {}) as Record<
          string,
          string
        >;
      await waitFor(
        () => reactions(draftWitness.doc)[alice.person!.anonId] === "agree",
        "alice's reaction",
      );

      const mallory = await reader("Mallory");
      await waitFor(() => mallory.doc.getArray("comments").length === 1, "the comment at mallory");
      const comment = mallory.doc.getArray<Y.Map<unknown>>("comments").get(0);
      comment.set("text", "Cambiato");
      await expectRefused(mallory, /someone else's item/);

      const eve = await reader("Eve");
      await waitFor(() => reactions(eve.doc)[alice.person!.anonId] === "agree", "at eve");
      setReaction(eve.doc, section, alice.person!.anonId, "disagree", {
        clientId: eve.anonClientId,
      });
      await expectRefused(eve, /only the writer's own key/);

      const olga = await reader("Olga");
      await waitFor(() => reactions(olga.doc)[alice.person!.anonId] === "agree", "at olga");
      olga.doc.getMap("reactions").set(section, new Y.Map());
      await expectRefused(olga, /section cannot be replaced/);

      expect(alice.closes).toEqual([]);
      const doc = await stored(DRAFT);
      expect(reactions(doc)).toEqual({ [alice.person!.anonId]: "agree" });
      expect(doc.getArray<Y.Map<unknown>>("comments").get(0).get("id")).toBe(commentId);
      expect(doc.getArray<Y.Map<unknown>>("comments").get(0).get("text")).toBe("Manca il riuso");
    });

    it("lets the drafting team decide a suggestion, its author withdraw it, no one else", async () => {
      const draftWitness = await server.connect(DRAFT, ADMIN_TOKEN);
      const alice = await reader("Alice Bianchi");
      const suggestion = new Y.Map<unknown>();
      suggestion.set("id", "sg1");
      suggestion.set("section", section);
      suggestion.set("proposedText", "Più riuso");
      suggestion.set("author", "Alice Bianchi");
      suggestion.set("authorId", alice.person!.userId);
      suggestion.set("createdAt", Date.now());
      suggestion.set("status", "open");
      suggestion.set("support", new Y.Map());
      alice.doc.getArray("suggestions").push([suggestion]);
      const at = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>("suggestions").get(0);
      await waitFor(() => draftWitness.doc.getArray("suggestions").length === 1, "suggestion");

      at(alice.doc).set("status", "accepted");
      await expectRefused(alice, /status cannot be changed/);

      const bea = await reader("Bea");
      await waitFor(() => bea.doc.getArray("suggestions").length === 1, "at bea");
      bea.doc.transact(() =>
        (at(bea.doc).get("support") as Y.Map<string>).set(bea.person!.anonId, "support"),
      );
      // Under her named client id: refused. Under her anonymous one: taken.
      await expectRefused(bea, /anonymous items cannot come from/);
      const bea2 = await reader("Bea 2");
      await waitFor(() => bea2.doc.getArray("suggestions").length === 1, "at bea 2");
      transactAs(bea2.doc, { clientId: bea2.anonClientId }, () =>
        (at(bea2.doc).get("support") as Y.Map<string>).set(bea2.person!.anonId, "support"),
      );

      const drafter = await reader("Diana", "drafter");
      await waitFor(
        () => ((at(drafter.doc)?.get("support") as Y.Map<string>)?.size ?? 0) === 1,
        "support at the drafter",
      );
      drafter.doc.transact(() => {
        at(drafter.doc).set("status", "accepted");
        at(drafter.doc).set("reason", "Condivisa in plenaria");
      });
      await waitFor(() => at(draftWitness.doc).get("status") === "accepted", "the decision");
      at(drafter.doc).set("proposedText", "Altro");
      await expectRefused(drafter, /someone else's item/);

      const doc = await stored(DRAFT);
      expect(at(doc).toJSON()).toMatchObject({
        proposedText: "Più riuso",
        status: "accepted",
        reason: "Condivisa in plenaria",
        support: { [bea2.person!.anonId]: "support" },
      });
    });
    it("refuses a suggestion's support or objection from its own author (issue 22)", async () => {
      const draftWitness = await server.connect(DRAFT, ADMIN_TOKEN);
      const alice = await reader("Alice Bianchi");
      const id = addSuggestion(alice.doc, {
        section,
        originalText: "",
        proposedText: "Più riuso",
        author: "Alice Bianchi",
        authorId: alice.person!.userId,
      });
      const at = (doc: Y.Doc) =>
        doc
          .getArray<Y.Map<unknown>>("suggestions")
          .toArray()
          .find((s) => s.get("id") === id);
      const support = (doc: Y.Doc) =>
        (at(doc)?.get("support") as Y.Map<string> | undefined)?.toJSON();
      await waitFor(() => at(draftWitness.doc) !== undefined, "the suggestion");
      // Someone else's support is taken.
      const bea = await reader("Bea");
      await waitFor(() => at(bea.doc) !== undefined, "at bea");
      transactAs(bea.doc, { clientId: bea.anonClientId }, () =>
        (at(bea.doc)!.get("support") as Y.Map<string>).set(bea.person!.anonId, "object"),
      );
      await waitFor(() => support(draftWitness.doc)?.[bea.person!.anonId] === "object", "bea's");
      // The author's own, either way, is refused.
      for (const value of ["support", "object"]) {
        // Alice again, on a new connection (the refusal closes the last one).
        const author =
          value === "support" ? alice : await server.connect(DRAFT, alice.person!.token);
        await waitFor(() => at(author.doc) !== undefined, "the suggestion at its author");
        transactAs(author.doc, { clientId: author.anonClientId }, () =>
          (at(author.doc)!.get("support") as Y.Map<string>).set(alice.person!.anonId, value),
        );
        await expectRefused(author, /the author of an item cannot write in its support/);
      }
      expect(support(await stored(DRAFT))).toEqual({ [bea.person!.anonId]: "object" });
    });
  });

  describe("Yjs client ids bound to people", () => {
    it("refuses structs under a client id bound to someone else, and under the seed's", async () => {
      const { alice } = await alicesAnswer();
      const mallory = await person("Mallory");
      await waitFor(() => listAllAnswers(mallory.doc).length === 1, "the answer at mallory");
      // Mallory writes text under Alice's client id, continuing her clock.
      transactAs(mallory.doc, { clientId: alice.doc.clientID }, () =>
        mallory.doc.getXmlFragment("recommendations").push([new Y.XmlElement("paragraph")]),
      );
      await expectRefused(mallory, /belongs to someone else/);

      // The client id the server seeded the seminar with is the system's.
      const seedClient = [...witness.doc.store.clients.keys()].find(
        (client) => client !== alice.doc.clientID && client !== alice.anonClientId,
      )!;
      const eve = await person("Eve");
      transactAs(eve.doc, { clientId: seedClient }, () =>
        eve.doc.getXmlFragment("recommendations").push([new Y.XmlElement("paragraph")]),
      );
      await expectRefused(eve, /belongs to someone else/);
    });

    it("shows an anonymous person's presence without a name", async () => {
      const anna = await person("Anna", "participant", true);
      anna.provider.awareness.setLocalStateField("user", { name: "Anna", actorKind: "ngo" });
      const id = anna.doc.clientID;
      await waitFor(() => witness.provider.awareness.getStates().has(id), "anna's presence");
      expect(witness.provider.awareness.getStates().get(id)).toEqual({
        user: { name: "", actorKind: "ngo" },
      });
    });
  });
});

/** An answer whose identity fields say whatever a forger wants. */
function forgedAnswer(identity: { authorId: string; author: string }): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set("id", `forged-${Math.random()}`);
  item.set("questionId", QUESTION);
  item.set("text", "Falsa");
  item.set("author", identity.author);
  item.set("authorId", identity.authorId);
  item.set("createdAt", Date.now());
  item.set("votes", new Y.Map());
  return item;
}

/** An anonymous answer as a prelim map, for writing under a chosen client id. */
function anonymousAnswer(client: TestClient): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  item.set("id", `anon-${client.doc.clientID}`);
  item.set("questionId", QUESTION);
  item.set("text", "Sotto l'id sbagliato");
  item.set("author", "");
  item.set("authorId", client.person!.anonId);
  item.set("createdAt", Date.now());
  item.set("votes", new Y.Map());
  return item;
}
