import fc from "fast-check";
import { afterAll, describe, expect, it, beforeEach } from "vitest";
import * as Y from "yjs";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import {
  ACTOR_KINDS,
  addAnswer,
  addComment,
  addMaterial,
  editAnswer,
  editMaterial,
  listQuestions,
  MATERIAL_KINDS,
  removeAnswer,
  removeMaterial,
  sectionKey,
  toggleVote,
  transactAs,
  type MaterialKind,
} from "@percorso/schema";
import {
  ADMIN_TOKEN,
  answerAs,
  documentUrl,
  expectClosed,
  rawSocket,
  useTestServer,
  voteAs,
  waitFor,
  type JoinedPerson,
  type TestClient,
  type TestServer,
  openQuestions,
} from "./harness.ts";

/**
 * The item rules of DESIGN.md §4.1 as a seeded property, over real sockets against the real
 * server: five people in one seminar (three honest participants, Mallory — a participant who
 * also behaves — and a facilitator) make random sequences of mutations. Honest ones go through
 * the schema's functions exactly as the web app calls them, some of them in offline bursts that
 * reach the server in the reconnect's sync step 2; hostile ones, each on a fresh connection (a
 * refused write closes the socket), forge identities, keys and client ids. Every hostile write
 * must be refused with 4403 and a y-protocols "permission denied" reason, no honest client is
 * ever closed, and after a restart no stored item breaks a rule and every honest mutation is
 * there. Hand-made cases follow, two of them (`it.fails`) server bugs found on the way.
 */

const SEMINAR_ID = "s3-crisi-umanitarie";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const FORBIDDEN = { code: 4403, reason: "forbidden" };

/** Actors of the property: 0–2 honest participants, 3 Mallory's own connection, 4 the facilitator. */
const NAMES = ["Alice", "Bruno", "Chiara", "Mallory", "Fabio"] as const;
const MALLORY = 3;
const FACILITATOR = 4;
/** Whose items Mallory and the facilitator attack: everyone but Mallory. */
const VICTIMS = [0, 1, 2, FACILITATOR] as const;

// ---------------------------------------------------------------------------------------
// What the documents should hold, and what they do hold

interface ModelAnswer {
  owner: number;
  anonymous: boolean;
  questionId: string;
  text: string;
  author: string;
  authorId: string;
  votes: Set<string>;
}

interface ModelMaterial {
  owner: number;
  kind: string;
  title: string;
  addedBy: string;
  addedById: string;
}

class Model {
  readonly answers = new Map<string, ModelAnswer>();
  readonly materials = new Map<string, ModelMaterial>();
  /** Actors whose anonymous client id carries accepted structs (bound to them as anonymous). */
  readonly anonBound = new Set<number>();
}

/** The comparable shape of a seminar's answers and materials: by id, votes as sorted keys. */
interface View {
  answers: Record<string, Record<string, unknown>>;
  materials: Record<string, Record<string, unknown>>;
}

const byId = <T>(entries: [string, T][]): Record<string, T> =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function viewOfModel(model: Model): View {
  return {
    answers: byId(
      [...model.answers].map(([id, a]) => [
        id,
        {
          questionId: a.questionId,
          text: a.text,
          author: a.author,
          authorId: a.authorId,
          votes: [...a.votes].sort(),
        },
      ]),
    ),
    materials: byId(
      [...model.materials].map(([id, m]) => [
        id,
        { kind: m.kind, title: m.title, addedBy: m.addedBy, addedById: m.addedById },
      ]),
    ),
  };
}

function viewOfDoc(doc: Y.Doc): View {
  const answers = doc.getArray<Y.Map<unknown>>("answers").toArray();
  const materials = doc.getArray<Y.Map<unknown>>("materials").toArray();
  return {
    answers: byId(
      answers.map((item) => {
        const votes = item.get("votes");
        return [
          String(item.get("id")),
          {
            questionId: item.get("questionId"),
            text: item.get("text"),
            author: item.get("author"),
            authorId: item.get("authorId"),
            votes: votes instanceof Y.Map ? [...votes.keys()].sort() : "not a map",
          },
        ];
      }),
    ),
    materials: byId(
      materials.map((item) => [
        String(item.get("id")),
        {
          kind: item.get("kind"),
          title: item.get("title"),
          addedBy: item.get("addedBy"),
          addedById: item.get("addedById"),
        },
      ]),
    ),
  };
}

/**
 * Waits until every client shows the model; on a timeout, shows the difference. An honest
 * client the server closed (a refused honest write) fails it at once, with the reason.
 */
async function converge(clients: TestClient[], model: Model, what: string): Promise<void> {
  const expected = viewOfModel(model);
  const json = JSON.stringify(expected);
  const refused = () => clients.some((client) => client.closes.length > 0);
  try {
    await waitFor(
      () => refused() || clients.every((client) => JSON.stringify(viewOfDoc(client.doc)) === json),
      what,
      5_000,
    );
  } catch (error) {
    for (const client of clients) expect(viewOfDoc(client.doc), what).toEqual(expected);
    throw error;
  }
  for (const client of clients) {
    expect({ closes: client.closes, denied: client.denied }, `${what}: an honest client`).toEqual({
      closes: [],
      denied: [],
    });
  }
}

/** Property (1): every stored answer, vote and material is owned as the rules say. */
function expectNoBrokenRule(doc: Y.Doc, people: readonly JoinedPerson[]): void {
  const byUserId = new Map(people.map((person) => [person.userId, person]));
  const byAnonId = new Map(people.map((person) => [person.anonId, person]));
  for (const item of doc.getArray<unknown>("answers").toArray()) {
    expect(item).toBeInstanceOf(Y.Map);
    const answer = item as Y.Map<unknown>;
    const authorId = answer.get("authorId") as string;
    const signedBy = byUserId.get(authorId);
    const anonymousBy = byAnonId.get(authorId);
    expect(signedBy ?? anonymousBy, `the author of ${String(answer.get("id"))}`).toBeDefined();
    expect(answer.get("author")).toBe(signedBy === undefined ? "" : signedBy.name);
    const votes = answer.get("votes");
    expect(votes).toBeInstanceOf(Y.Map);
    for (const [key, value] of votes as Y.Map<unknown>) {
      expect(byAnonId.has(key), `vote key ${key}`).toBe(true);
      expect(value).toBe(true);
    }
  }
  for (const item of doc.getArray<Y.Map<unknown>>("materials").toArray()) {
    const adder = byUserId.get(item.get("addedById") as string);
    expect(adder, `the adder of material ${String(item.get("id"))}`).toBeDefined();
    expect(item.get("addedBy")).toBe(adder!.name);
  }
}

// ---------------------------------------------------------------------------------------
// Helpers on a client's document

const answersOf = (doc: Y.Doc) => doc.getArray<Y.Map<unknown>>("answers");

function answerItem(doc: Y.Doc, answerId: string): Y.Map<unknown> {
  const item = answersOf(doc)
    .toArray()
    .find((answer) => answer.get("id") === answerId);
  if (item === undefined) throw new Error(`no answer ${answerId} in the client's document`);
  return item;
}

function materialItem(doc: Y.Doc, materialId: string): Y.Map<unknown> {
  const item = doc
    .getArray<Y.Map<unknown>>("materials")
    .toArray()
    .find((material) => material.get("id") === materialId);
  if (item === undefined) throw new Error(`no material ${materialId} in the client's document`);
  return item;
}

/** Sets `key` of an answer's votes map directly, under `clientId` when given. */
function setVote(
  client: TestClient,
  answerId: string,
  key: string,
  value: unknown,
  clientId?: number,
): void {
  const votes = answerItem(client.doc, answerId).get("votes") as Y.Map<unknown>;
  transactAs(client.doc, clientId === undefined ? {} : { clientId }, () => votes.set(key, value));
}

/** A client destroyed now, and no longer on the test server's list. */
function dispose(server: TestServer, client: TestClient): void {
  client.destroy();
  const index = server.clients.indexOf(client);
  if (index >= 0) server.clients.splice(index, 1);
}

/** Reasons the server gave, by attack, for the report (`ITEM_RULES_SUMMARY=1`). */
const reasons = new Map<string, Set<string>>();

/**
 * Opens a fresh connection, makes one forbidden write on it, and checks the server refused it:
 * close 4403 "forbidden" and a y-protocols auth "permission denied" reason matching `expected`.
 */
async function expectRefusal(
  server: TestServer,
  attack: string,
  open: () => Promise<TestClient>,
  write: (client: TestClient) => void,
  expected: RegExp,
): Promise<void> {
  const client = await open();
  try {
    write(client);
    await expectClosed(client, FORBIDDEN);
    expect(client.denied.length, `${attack}: a permission-denied reason`).toBeGreaterThan(0);
    expect(client.denied[0], attack).toMatch(expected);
    const seen = reasons.get(attack) ?? new Set<string>();
    seen.add(client.denied[0]!.replace(/\d{4,}/g, "<n>"));
    reasons.set(attack, seen);
  } finally {
    dispose(server, client);
  }
}

afterAll(() => {
  if (process.env.ITEM_RULES_SUMMARY === undefined) return;
  for (const [attack, seen] of [...reasons].sort()) {
    console.log(`${attack}: ${[...seen].join(" | ")}`);
  }
});

// ---------------------------------------------------------------------------------------
// The random walk

const ATTACKS = [
  "vote-invented-key",
  "vote-others-anonId",
  "vote-value-not-true",
  "delete-others-vote",
  "edit-others-text",
  "delete-others-answer",
  "insert-others-userId",
  "insert-others-anonId",
  "insert-wrong-name",
  "insert-anonymous-with-name",
  "change-authorId",
  "change-questionId",
  "change-createdAt",
  "change-votes-map",
  "change-id",
  "change-author",
  "anon-vote-named-client",
  "anon-answer-named-client",
  "signed-answer-anon-client",
  "write-under-others-client",
  "invite-answer",
  "invite-vote",
  "facilitator-edit-text",
  "facilitator-delete-answer",
  "facilitator-vote-others-key",
  "material-others-id",
  "material-wrong-name",
  "material-edit-others",
  "material-delete-others",
  "material-change-owner",
  // Issue 16: whole on arrival.
  "insert-reused-id",
  "insert-twin-ids",
  "insert-back-dated",
  "insert-others-actorKind",
  "insert-no-such-question",
  "material-reused-id",
] as const;
type Attack = (typeof ATTACKS)[number];

type HonestOp =
  | { kind: "answer"; actor: number; anonymous: boolean; question: number; text: string }
  | { kind: "vote"; actor: number; pick: number }
  | { kind: "edit"; actor: number; pick: number; text: string }
  | { kind: "remove"; actor: number; pick: number }
  | { kind: "material"; actor: number; materialKind: MaterialKind; title: string }
  | { kind: "editMaterial"; actor: number; pick: number; title: string }
  | { kind: "removeMaterial"; actor: number; pick: number };

type Op =
  | HonestOp
  /** A few honest mutations made while disconnected, sent by the reconnect's sync step 2. */
  | { kind: "offline"; actor: number; steps: HonestOp[] }
  | { kind: "attack"; attack: Attack; pick: number; other: number; text: string };

const WORDS = ["Coordinamento", "Fiducia", "Risorse", "Formazione", "Reti", "Ascolto"];
const textArb = fc
  .tuple(fc.constantFrom(...WORDS), fc.string({ unit: "grapheme", maxLength: 12 }))
  .map(([word, rest]) => `${word} ${rest}`);
const actorArb = fc.integer({ min: 0, max: NAMES.length - 1 });
const pickArb = fc.nat({ max: 1_000 });

const honestArb: fc.Arbitrary<HonestOp> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("answer" as const),
      actor: actorArb,
      anonymous: fc.boolean(),
      question: pickArb,
      text: textArb,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant("vote" as const), actor: actorArb, pick: pickArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("edit" as const),
      actor: actorArb,
      pick: pickArb,
      text: textArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant("remove" as const), actor: actorArb, pick: pickArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("material" as const),
      actor: actorArb,
      materialKind: fc.constantFrom(...MATERIAL_KINDS),
      title: textArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("editMaterial" as const),
      actor: actorArb,
      pick: pickArb,
      title: textArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("removeMaterial" as const),
      actor: actorArb,
      pick: pickArb,
    }),
  },
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 12, arbitrary: honestArb },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("offline" as const),
      actor: actorArb,
      steps: fc.array(honestArb, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("attack" as const),
      attack: fc.constantFrom(...ATTACKS),
      pick: pickArb,
      other: pickArb,
      text: textArb,
    }),
  },
);

const at = <T>(list: readonly T[], pick: number): T => list[pick % list.length]!;

describe("item rules as a property over real sockets (DESIGN.md §4.1)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));

  it("refuses every forged write, keeps every honest one, and stores nothing that breaks a rule", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 8, maxLength: 24 }), async (ops) => {
        // Each run starts from an empty seminar (the admin is exempt from the item rules), with
        // no client left over from a failed run being shrunk.
        server.destroyClients();
        const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
        witness.doc.transact(() => {
          answersOf(witness.doc).delete(0, answersOf(witness.doc).length);
          const materials = witness.doc.getArray("materials");
          materials.delete(0, materials.length);
        });
        const questionIds = listQuestions(witness.doc).map((question) => question.id);
        const actors: TestClient[] = [];
        for (const [index, name] of NAMES.entries()) {
          const role = index === FACILITATOR ? "facilitator" : "participant";
          // Chiara joined as "answer anonymously": her presence carries no name.
          const details = { name, anonymous: index === 2 };
          actors.push(await server.join(SEMINAR, { role, seminarId: SEMINAR_ID }, details));
        }
        const people = actors.map((client) => client.person!);
        const honest = [witness, ...actors];
        const model = new Model();
        await converge(honest, model, "an empty seminar");

        for (const [step, op] of ops.entries()) {
          if (op.kind === "attack") await attack(op, step);
          else if (op.kind === "offline") await offline(op);
          else honestStep(op);
          await converge(honest, model, `step ${step}: ${op.kind}`);
        }

        // Property: after a restart the server serves exactly the honest mutations, and nothing
        // it stored breaks a rule. The witness has seen the model, so all of it was committed.
        server.destroyClients();
        await server.restart();
        const reader = await server.connect(SEMINAR, ADMIN_TOKEN);
        expectNoBrokenRule(reader.doc, people);
        expect(viewOfDoc(reader.doc)).toEqual(viewOfModel(model));
        server.destroyClients();

        function ownAnswers(actor: number): [string, ModelAnswer][] {
          return [...model.answers].filter(([, answer]) => answer.owner === actor);
        }

        function addAnswerStep(actor: number, anonymous: boolean, question: number, text: string) {
          const client = actors[actor]!;
          const person = people[actor]!;
          const questionId = at(questionIds, question);
          const id = answerAs(client, text, { questionId, anonymous });
          model.answers.set(id, {
            owner: actor,
            anonymous,
            questionId,
            text: text.trim(),
            author: anonymous ? "" : person.name,
            authorId: anonymous ? person.anonId : person.userId,
            votes: new Set(),
          });
          if (anonymous) model.anonBound.add(actor);
        }

        function addMaterialStep(actor: number, kind: MaterialKind, title: string) {
          const person = people[actor]!;
          const id = addMaterial(actors[actor]!.doc, {
            kind,
            title,
            addedBy: person.name,
            addedById: person.userId,
          });
          model.materials.set(id, {
            owner: actor,
            kind,
            title: title.trim(),
            addedBy: person.name,
            addedById: person.userId,
          });
        }

        /** Materials an actor may change: their own, or any for the facilitator. */
        function changeableMaterials(actor: number): [string, ModelMaterial][] {
          return [...model.materials].filter(
            ([, material]) => actor === FACILITATOR || material.owner === actor,
          );
        }

        /**
         * The actor disconnects, makes the steps locally, and reconnects: the sync step 2 carries
         * them all at once, under both of the person's client ids.
         */
        async function offline(op: Extract<Op, { kind: "offline" }>): Promise<void> {
          const client = actors[op.actor]!;
          client.provider.disconnect();
          for (const step of op.steps) honestStep({ ...step, actor: op.actor });
          client.provider.connect();
          await waitFor(() => client.provider.synced, "the reconnect's sync");
        }

        function honestStep(op: HonestOp): void {
          const client = actors[op.actor]!;
          const person = people[op.actor]!;
          switch (op.kind) {
            case "answer":
              return addAnswerStep(op.actor, op.anonymous, op.question, op.text);
            case "vote": {
              // Not on one's own answers: the server refuses those (DESIGN.md §4.1).
              const answers = [...model.answers].filter(([, answer]) => answer.owner !== op.actor);
              if (answers.length === 0) return addAnswerStep(op.actor, false, op.pick, "Prima");
              const [id, answer] = at(answers, op.pick);
              const voted = voteAs(client, id);
              expect(voted).toBe(!answer.votes.has(person.anonId));
              if (voted) answer.votes.add(person.anonId);
              else answer.votes.delete(person.anonId);
              model.anonBound.add(op.actor);
              return;
            }
            case "edit": {
              const own = ownAnswers(op.actor);
              if (own.length === 0) return addAnswerStep(op.actor, op.pick % 2 === 0, 0, op.text);
              const [id, answer] = at(own, op.pick);
              const options = answer.anonymous ? { clientId: client.anonClientId } : {};
              expect(editAnswer(client.doc, id, op.text, options)).toBe(true);
              answer.text = op.text.trim();
              return;
            }
            case "remove": {
              const own = ownAnswers(op.actor);
              if (own.length === 0) return addAnswerStep(op.actor, op.pick % 2 === 1, 1, "Ritiro");
              const [id, answer] = at(own, op.pick);
              const options = answer.anonymous ? { clientId: client.anonClientId } : {};
              expect(removeAnswer(client.doc, id, options)).toBe(true);
              model.answers.delete(id);
              return;
            }
            case "material":
              return addMaterialStep(op.actor, op.materialKind, op.title);
            case "editMaterial": {
              const materials = changeableMaterials(op.actor);
              if (materials.length === 0) return addMaterialStep(op.actor, "theory", op.title);
              const [id, material] = at(materials, op.pick);
              expect(editMaterial(client.doc, id, { title: op.title })).toBe(true);
              material.title = op.title.trim();
              return;
            }
            case "removeMaterial": {
              const materials = changeableMaterials(op.actor);
              if (materials.length === 0) return addMaterialStep(op.actor, "experience", "Caso");
              const [id] = at(materials, op.pick);
              expect(removeMaterial(client.doc, id)).toBe(true);
              model.materials.delete(id);
              return;
            }
          }
        }

        async function attack(op: Extract<Op, { kind: "attack" }>, step: number): Promise<void> {
          const mallory = people[MALLORY]!;
          const victimIndex = at(VICTIMS, op.other);
          const victim = people[victimIndex]!;
          const answers = [...model.answers];
          const othersAnswers = answers.filter(([, answer]) => answer.owner !== MALLORY);
          const questionId = at(questionIds, op.pick);
          const asMallory = () => server.connect(SEMINAR, mallory.token);
          const asFacilitator = () => server.connect(SEMINAR, people[FACILITATOR]!.token);
          const asInvite = () =>
            server.joinWithInvite(SEMINAR, { role: "participant", seminarId: SEMINAR_ID });
          const refused = (
            name: string,
            write: (client: TestClient) => void,
            expected: RegExp,
            open = asMallory,
          ) => expectRefusal(server, name, open, write, expected);
          /** The attack every seminar allows: an answer signed with someone else's user id. */
          const fallback = () =>
            refused(
              "insert-others-userId",
              (h) =>
                addAnswer(h.doc, {
                  questionId,
                  text: op.text,
                  author: victim.name,
                  authorId: victim.userId,
                }),
              /^answers: authorId must be the writer's own id$/,
            );

          switch (op.attack) {
            case "vote-invented-key": {
              if (answers.length === 0) return fallback();
              const [id] = at(answers, op.pick);
              return refused(
                op.attack,
                (h) => setVote(h, id, `anon-forged-${step}`, true, h.anonClientId),
                /^answers: only the writer's own key can be set in votes$/,
              );
            }
            case "vote-others-anonId": {
              if (answers.length === 0) return fallback();
              const [id] = at(answers, op.pick);
              return refused(
                op.attack,
                (h) => setVote(h, id, victim.anonId, true, h.anonClientId),
                /^answers: only the writer's own key can be set in votes$/,
              );
            }
            case "vote-value-not-true": {
              if (answers.length === 0) return fallback();
              const [id] = at(answers, op.pick);
              const value = at([false, 1, "yes", null], op.other);
              return refused(
                op.attack,
                (h) => setVote(h, id, mallory.anonId, value, h.anonClientId),
                /^answers: not a value of votes$/,
              );
            }
            case "delete-others-vote": {
              const voted = answers.flatMap(([id, answer]) =>
                [...answer.votes].filter((key) => key !== mallory.anonId).map((key) => [id, key]),
              );
              if (voted.length === 0) return fallback();
              const [id, key] = at(voted, op.pick);
              return refused(
                op.attack,
                (h) =>
                  transactAs(h.doc, { clientId: h.anonClientId }, () =>
                    (answerItem(h.doc, id!).get("votes") as Y.Map<unknown>).delete(key!),
                  ),
                /^answers: only the writer's own key can be removed$/,
              );
            }
            case "edit-others-text": {
              if (othersAnswers.length === 0) return fallback();
              const [id] = at(othersAnswers, op.pick);
              return refused(
                op.attack,
                (h) => editAnswer(h.doc, id, op.text),
                /^answers: text of someone else's item cannot be changed$/,
              );
            }
            case "delete-others-answer": {
              if (othersAnswers.length === 0) return fallback();
              const [id] = at(othersAnswers, op.pick);
              return refused(
                op.attack,
                (h) => removeAnswer(h.doc, id),
                /^answers: only its author can delete an item$/,
              );
            }
            case "insert-others-userId":
              return fallback();
            case "insert-others-anonId":
              return refused(
                op.attack,
                (h) =>
                  addAnswer(
                    h.doc,
                    { questionId, text: op.text, author: "", authorId: victim.anonId },
                    { clientId: h.anonClientId },
                  ),
                /^answers: authorId must be the writer's own id$/,
              );
            case "insert-wrong-name":
              return refused(
                op.attack,
                (h) =>
                  addAnswer(h.doc, {
                    questionId,
                    text: op.text,
                    author: victim.name,
                    authorId: mallory.userId,
                  }),
                /^answers: author must be the writer's own name$/,
              );
            case "insert-anonymous-with-name":
              return refused(
                op.attack,
                (h) =>
                  addAnswer(
                    h.doc,
                    { questionId, text: op.text, author: mallory.name, authorId: mallory.anonId },
                    { clientId: h.anonClientId },
                  ),
                /^answers: an anonymous item has an empty author$/,
              );
            case "change-authorId":
            case "change-questionId":
            case "change-createdAt":
            case "change-votes-map":
            case "change-id":
            case "change-author": {
              // Mallory's own answer where she has one: the owner may change `text` only.
              const own = answers.filter(([, answer]) => answer.owner === MALLORY);
              const targets = own.length > 0 ? own : answers;
              if (targets.length === 0) return fallback();
              const [id, answer] = at(targets, op.pick);
              const field = op.attack === "change-votes-map" ? "votes" : op.attack.slice(7);
              const value = (): unknown => {
                switch (field) {
                  case "authorId":
                    return at([victim.userId, mallory.anonId, mallory.userId], op.other);
                  case "questionId":
                    return at(questionIds, op.other + 1);
                  case "createdAt":
                    return 0;
                  case "votes": {
                    const votes = new Y.Map<boolean>();
                    votes.set(mallory.anonId, true);
                    return votes;
                  }
                  case "id":
                    return `forged-${step}`;
                  default:
                    return answer.anonymous ? victim.name : "";
                }
              };
              return refused(
                op.attack,
                (h) => {
                  const options = answer.anonymous ? { clientId: h.anonClientId } : {};
                  const item = answerItem(h.doc, id);
                  transactAs(h.doc, options, () => item.set(field, value()));
                },
                new RegExp(`^answers: ${field} (of someone else's item )?cannot be changed$`),
              );
            }
            case "anon-vote-named-client": {
              // A vote under the connection's own client id, which carries its named presence.
              const fresh = othersAnswers.filter(([, answer]) => !answer.votes.has(mallory.anonId));
              if (fresh.length === 0) return fallback();
              const [id] = at(fresh, op.pick);
              return refused(
                op.attack,
                (h) => toggleVote(h.doc, id, mallory.anonId),
                /^anonymous items cannot come from a client id with a named presence$/,
              );
            }
            case "anon-answer-named-client":
              return refused(
                op.attack,
                (h) =>
                  addAnswer(h.doc, {
                    questionId,
                    text: op.text,
                    author: "",
                    authorId: mallory.anonId,
                  }),
                /^anonymous items cannot come from a client id with a named presence$/,
              );
            case "signed-answer-anon-client": {
              const signed = { questionId, text: op.text, author: mallory.name };
              if (model.anonBound.has(MALLORY)) {
                // Her anonymous client id, bound to her as anonymous by her honest writes.
                const anonClientId = actors[MALLORY]!.anonClientId;
                return refused(
                  op.attack,
                  (h) =>
                    addAnswer(
                      h.doc,
                      { ...signed, authorId: mallory.userId },
                      {
                        clientId: anonClientId,
                      },
                    ),
                  /^signed items cannot come from an anonymous client id$/,
                );
              }
              // Not bound yet: an anonymous and a signed answer under one client id, at once.
              return refused(
                op.attack,
                (h) =>
                  h.doc.transact(() => {
                    const options = { clientId: h.anonClientId };
                    addAnswer(h.doc, { ...signed, author: "", authorId: mallory.anonId }, options);
                    addAnswer(h.doc, { ...signed, authorId: mallory.userId }, options);
                  }),
                /^one client id cannot carry both anonymous and signed items$/,
              );
            }
            case "write-under-others-client": {
              const victimClient = actors[victimIndex]!;
              if (
                op.pick % 2 === 0 &&
                model.anonBound.has(victimIndex) &&
                othersAnswers.length > 0
              ) {
                // Her own vote, under the victim's anonymous client id (bound to the victim).
                const [id] = at(othersAnswers, op.pick);
                return refused(
                  op.attack,
                  (h) => setVote(h, id, mallory.anonId, true, victimClient.anonClientId),
                  /^client id \d+ belongs to someone else$/,
                );
              }
              // Her own signed answer under the victim's named client id (announced, maybe bound).
              return refused(
                op.attack,
                (h) =>
                  addAnswer(
                    h.doc,
                    { questionId, text: op.text, author: mallory.name, authorId: mallory.userId },
                    { clientId: victimClient.doc.clientID },
                  ),
                /^(client id \d+ belongs to someone else|anonymous items cannot come from a client id with a named presence)$/,
              );
            }
            case "invite-answer":
              return refused(
                op.attack,
                (h) =>
                  addAnswer(h.doc, {
                    questionId,
                    text: op.text,
                    author: victim.name,
                    authorId: victim.userId,
                  }),
                /^an invite link used directly cannot write answers$/,
                asInvite,
              );
            case "invite-vote": {
              if (answers.length === 0) return fallback();
              const [id] = at(answers, op.pick);
              return refused(
                op.attack,
                (h) => setVote(h, id, victim.anonId, true, h.anonClientId),
                /^an invite link used directly cannot write answers$/,
                asInvite,
              );
            }
            case "facilitator-edit-text":
            case "facilitator-delete-answer":
            case "facilitator-vote-others-key": {
              const notTheirs = answers.filter(([, answer]) => answer.owner !== FACILITATOR);
              if (notTheirs.length === 0) return fallback();
              const [id] = at(notTheirs, op.pick);
              if (op.attack === "facilitator-edit-text") {
                return refused(
                  op.attack,
                  (h) => editAnswer(h.doc, id, op.text),
                  /^answers: text of someone else's item cannot be changed$/,
                  asFacilitator,
                );
              }
              if (op.attack === "facilitator-delete-answer") {
                return refused(
                  op.attack,
                  (h) => removeAnswer(h.doc, id),
                  /^answers: only its author can delete an item$/,
                  asFacilitator,
                );
              }
              const key = people[at([0, 1, 2, MALLORY], op.other)]!.anonId;
              return refused(
                op.attack,
                (h) => setVote(h, id, key, true, h.anonClientId),
                /^answers: only the writer's own key can be set in votes$/,
                asFacilitator,
              );
            }
            case "material-others-id":
              return refused(
                op.attack,
                (h) =>
                  addMaterial(h.doc, {
                    kind: "case-study",
                    title: op.text,
                    addedBy: victim.name,
                    addedById: victim.userId,
                  }),
                /^materials: addedById must be the writer's own id$/,
              );
            case "material-wrong-name":
              return refused(
                op.attack,
                (h) =>
                  addMaterial(h.doc, {
                    kind: "case-study",
                    title: op.text,
                    addedBy: victim.name,
                    addedById: mallory.userId,
                  }),
                /^materials: addedBy must be the writer's own name$/,
              );
            case "material-edit-others":
            case "material-delete-others": {
              const others = [...model.materials].filter(([, m]) => m.owner !== MALLORY);
              if (others.length === 0) return fallback();
              const [id] = at(others, op.pick);
              return op.attack === "material-edit-others"
                ? refused(
                    op.attack,
                    (h) => editMaterial(h.doc, id, { title: op.text }),
                    /^materials: title of someone else's item cannot be changed$/,
                  )
                : refused(
                    op.attack,
                    (h) => removeMaterial(h.doc, id),
                    /^materials: only its author can delete an item$/,
                  );
            }
            case "material-change-owner": {
              const own = [...model.materials].filter(([, m]) => m.owner === MALLORY);
              const targets = own.length > 0 ? own : [...model.materials];
              if (targets.length === 0) return fallback();
              const [id] = at(targets, op.pick);
              return refused(
                op.attack,
                (h) => materialItem(h.doc, id).set("addedById", victim.userId),
                /^materials: addedById (of someone else's item )?cannot be changed$/,
              );
            }
            case "insert-reused-id": {
              // Anyone's answer id, her own included, anywhere in the list.
              if (answers.length === 0) return fallback();
              const [id] = at(answers, op.pick);
              const signed = { questionId, text: op.text, author: mallory.name };
              return refused(
                op.attack,
                (h) => addAnswer(h.doc, { ...signed, authorId: mallory.userId }, { id }),
                new RegExp(`^answers: id ${id} already exists$`),
              );
            }
            case "insert-twin-ids": {
              const signed = { questionId, text: op.text, author: mallory.name };
              const id = `twin-${step}`;
              return refused(
                op.attack,
                (h) =>
                  h.doc.transact(() => {
                    addAnswer(h.doc, { ...signed, authorId: mallory.userId }, { id });
                    addAnswer(h.doc, { ...signed, authorId: mallory.userId }, { id });
                  }),
                new RegExp(`^answers: id ${id} already exists$`),
              );
            }
            case "insert-back-dated": {
              // Before the seminar, a day and a minute ago, or an hour ahead.
              const when = at(
                [Date.UTC(2021, 6, 15) + op.other, Date.now() - 86_460_000, Date.now() + 3_600_000],
                op.other,
              );
              const signed = { questionId, text: op.text, author: mallory.name };
              return refused(
                op.attack,
                (h) => addAnswer(h.doc, { ...signed, authorId: mallory.userId }, { at: when }),
                /^answers: createdAt is too far from the server's clock$/,
              );
            }
            case "insert-others-actorKind": {
              // Mallory joined as "other".
              const kind = at(
                ACTOR_KINDS.filter((k) => k !== "other"),
                op.other,
              );
              return refused(
                op.attack,
                (h) =>
                  addAnswer(h.doc, {
                    questionId,
                    text: op.text,
                    author: mallory.name,
                    authorId: mallory.userId,
                    actorKind: kind,
                  }),
                /^answers: actorKind must be the writer's own$/,
              );
            }
            case "insert-no-such-question":
              return refused(
                op.attack,
                (h) =>
                  addAnswer(h.doc, {
                    questionId: `gone-${step}`,
                    text: op.text,
                    author: mallory.name,
                    authorId: mallory.userId,
                  }),
                /^answers: no such question$/,
              );
            case "material-reused-id": {
              if (model.materials.size === 0) return fallback();
              const [id] = at([...model.materials], op.pick);
              return refused(
                op.attack,
                (h) =>
                  addMaterial(
                    h.doc,
                    {
                      kind: "theory",
                      title: op.text,
                      addedBy: mallory.name,
                      addedById: mallory.userId,
                    },
                    { id },
                  ),
                new RegExp(`^materials: id ${id} already exists$`),
              );
            }
          }
        }
      }),
      // Shrinking a failure re-runs whole sessions: bounded, so a failure is reported in time.
      {
        seed: 20_240_611,
        numRuns: 25,
        interruptAfterTimeLimit: 60_000,
        markInterruptAsFailure: true,
      },
    );
  }, 120_000);
});

// ---------------------------------------------------------------------------------------
// The draft's items on arrival (issue 16): reused ids and pre-decided inserts

const DRAFT = "draft:toscana-2021";
const SECTION = sectionKey("Agenda 2030");

const DRAFT_ATTACKS = [
  "reuse-suggestion-id",
  "reuse-comment-id",
  "twin-suggestion-ids",
  "pre-decided-suggestion",
  "pre-resolved-comment",
] as const;

type DraftOp =
  | { kind: "suggest"; text: string }
  | { kind: "comment"; text: string }
  | {
      kind: "attack";
      attack: (typeof DRAFT_ATTACKS)[number];
      pick: number;
      other: number;
      text: string;
    };

const draftOpArb: fc.Arbitrary<DraftOp> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("suggest" as const), text: textArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("comment" as const), text: textArb }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("attack" as const),
      attack: fc.constantFrom(...DRAFT_ATTACKS),
      pick: pickArb,
      other: pickArb,
      text: textArb,
    }),
  },
);

/** A draft item as a hostile client builds it: every field its own choice. */
function draftItem(fields: Record<string, unknown>, nested?: string): Y.Map<unknown> {
  const item = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(fields)) item.set(key, value);
  if (nested !== undefined) item.set(nested, new Y.Map());
  return item;
}

/** Suggestions and comments by id, with what a decision would change in them. */
function draftView(doc: Y.Doc): Record<string, unknown> {
  const of = (root: string, fields: string[]) =>
    byId(
      doc
        .getArray<Y.Map<unknown>>(root)
        .toArray()
        .map((item) => [String(item.get("id")), fields.map((field) => item.get(field) ?? null)]),
    );
  return {
    suggestions: of("suggestions", ["proposedText", "authorId", "status", "decidedBy", "reason"]),
    comments: of("comments", ["text", "authorId", "resolved", "reason"]),
  };
}

describe("draft items as a property: ids and decisions on arrival (issue 16)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));

  it("refuses every reused id and every pre-decided insert, and stores only the honest items", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(draftOpArb, { minLength: 6, maxLength: 16 }), async (ops) => {
        server.destroyClients();
        const witness = await server.connect(DRAFT, ADMIN_TOKEN);
        witness.doc.transact(() => {
          for (const root of ["suggestions", "comments"]) {
            const list = witness.doc.getArray(root);
            list.delete(0, list.length);
          }
        });
        const alice = await server.join(DRAFT, { role: "participant" }, { name: "Alice" });
        const mallory = (await server.join(DRAFT, { role: "participant" }, { name: "Mallory" }))
          .person!;
        const expected = {
          suggestions: new Map<string, unknown[]>(),
          comments: new Map<string, unknown[]>(),
        };
        const expectedView = () => ({
          suggestions: byId([...expected.suggestions]),
          comments: byId([...expected.comments]),
        });
        const asMallory = () => server.connect(DRAFT, mallory.token);
        const own = { author: mallory.name, authorId: mallory.userId, createdAt: Date.now() };

        for (const [step, op] of ops.entries()) {
          const person = alice.person!;
          if (op.kind === "suggest") {
            const item = draftItem(
              {
                id: `s-${step}`,
                section: SECTION,
                originalText: "",
                proposedText: op.text,
                author: person.name,
                authorId: person.userId,
                createdAt: Date.now(),
                status: "open",
              },
              "support",
            );
            alice.doc.getArray("suggestions").push([item]);
            expected.suggestions.set(`s-${step}`, [op.text, person.userId, "open", null, null]);
          } else if (op.kind === "comment") {
            const id = addComment(
              alice.doc,
              { section: SECTION, text: op.text, author: person.name, authorId: person.userId },
              { id: `c-${step}` },
            );
            expected.comments.set(id, [op.text.trim(), person.userId, false, null]);
          } else {
            const suggestionIds = [...expected.suggestions.keys()];
            const commentIds = [...expected.comments.keys()];
            const suggestion = (fields: Record<string, unknown>) =>
              draftItem(
                {
                  id: `m-${step}`,
                  section: SECTION,
                  originalText: "",
                  proposedText: op.text,
                  ...own,
                  ...fields,
                },
                "support",
              );
            const preDecided = (): [Y.Map<unknown>, RegExp] => {
              const field = at(["status", "decidedBy", "decidedAt", "reason"], op.other);
              const value = {
                status: at(["accepted", "rejected", "withdrawn"], op.pick),
                decidedBy: "Diana Redattrice",
                decidedAt: Date.now(),
                reason: op.text,
              }[field];
              return [
                suggestion({ status: "open", [field]: value }),
                new RegExp(`^suggestions: ${field} is decided later, not set on a new item$`),
              ];
            };
            let write: (client: TestClient) => void;
            let reason: RegExp;
            let attackName: string = op.attack;
            if (op.attack === "reuse-suggestion-id" && suggestionIds.length > 0) {
              const id = at(suggestionIds, op.pick);
              write = (h) =>
                h.doc
                  .getArray("suggestions")
                  .insert(op.other % 2 === 0 ? 0 : h.doc.getArray("suggestions").length, [
                    suggestion({ id, status: "open" }),
                  ]);
              reason = new RegExp(`^suggestions: id ${id} already exists$`);
            } else if (op.attack === "reuse-comment-id" && commentIds.length > 0) {
              const id = at(commentIds, op.pick);
              write = (h) => addComment(h.doc, { section: SECTION, text: op.text, ...own }, { id });
              reason = new RegExp(`^comments: id ${id} already exists$`);
            } else if (op.attack === "twin-suggestion-ids") {
              write = (h) =>
                h.doc.transact(() =>
                  h.doc
                    .getArray("suggestions")
                    .push([suggestion({ status: "open" }), suggestion({ status: "open" })]),
                );
              reason = new RegExp(`^suggestions: id m-${step} already exists$`);
            } else if (op.attack === "pre-resolved-comment") {
              const field = at(["resolved", "reason"], op.other);
              const value = field === "resolved" ? at([true, "yes", 1], op.pick) : op.text;
              write = (h) =>
                h.doc.getArray("comments").push([
                  draftItem({
                    id: `m-${step}`,
                    section: SECTION,
                    text: op.text,
                    ...own,
                    [field]: value,
                  }),
                ]);
              reason = new RegExp(`^comments: ${field} is decided later, not set on a new item$`);
            } else {
              // "pre-decided-suggestion", and a reuse with nothing to reuse yet.
              attackName = "pre-decided-suggestion";
              const [item, expectedReason] = preDecided();
              write = (h) => h.doc.getArray("suggestions").push([item]);
              reason = expectedReason;
            }
            await expectRefusal(server, attackName, asMallory, write, reason);
          }
          const json = JSON.stringify(expectedView());
          await waitFor(
            () => JSON.stringify(draftView(witness.doc)) === json,
            `draft step ${step}`,
          );
          expect(alice.closes, `step ${step}: the honest client`).toEqual([]);
        }

        server.destroyClients();
        await server.restart();
        const reader = await server.connect(DRAFT, ADMIN_TOKEN);
        expect(draftView(reader.doc)).toEqual(expectedView());
        server.destroyClients();
      }),
      {
        seed: 20_261_208,
        numRuns: 12,
        interruptAfterTimeLimit: 60_000,
        markInterruptAsFailure: true,
      },
    );
  }, 120_000);
});

// ---------------------------------------------------------------------------------------
// Cases the random walk may miss

describe("item rules: hand-made cases (DESIGN.md §4.1)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));

  const participant = (name: string) =>
    server.join(SEMINAR, { role: "participant", seminarId: SEMINAR_ID }, { name });

  async function expectForbidden(client: TestClient, reason: RegExp): Promise<void> {
    await expectClosed(client, FORBIDDEN);
    expect(client.denied[0]).toMatch(reason);
  }

  async function restartedDoc(): Promise<Y.Doc> {
    server.destroyClients();
    await server.restart();
    return (await server.connect(SEMINAR, ADMIN_TOKEN)).doc;
  }

  /** An answer map as `addAnswer` builds it, for inserting at a chosen index. */
  function answerMap(fields: {
    id: string;
    text: string;
    author: string;
    authorId: string;
  }): Y.Map<unknown> {
    const item = new Y.Map<unknown>();
    item.set("id", fields.id);
    item.set("questionId", `${SEMINAR_ID}-q1`);
    item.set("text", fields.text);
    item.set("author", fields.author);
    item.set("authorId", fields.authorId);
    item.set("createdAt", Date.now());
    item.set("votes", new Y.Map<boolean>());
    return item;
  }

  it("refuses an answer inserted next to existing ones (no parent in the encoding) with a forged authorId", async () => {
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    const alice = await participant("Alice");
    const mallory = (await participant("Mallory")).person!;
    answerAs(alice, "Prima", { id: "a-first" });
    answerAs(alice, "Seconda", { id: "a-second" });
    await waitFor(() => answersOf(witness.doc).length === 2, "Alice's answers");

    for (const index of [0, 1, 2]) {
      const hostile = await server.connect(SEMINAR, mallory.token);
      const updates: Uint8Array[] = [];
      hostile.doc.on("update", (update: Uint8Array) => updates.push(update));
      answersOf(hostile.doc).insert(index, [
        answerMap({
          id: `forged-${index}`,
          text: "Falsa",
          author: alice.person!.name,
          authorId: alice.person!.userId,
        }),
      ]);
      // The point of the case: the new answer names neighbours, not its parent.
      const { structs } = Y.decodeUpdate(updates[0]!);
      const element = structs.find(
        (struct): struct is Y.Item =>
          struct instanceof Y.Item && struct.content instanceof Y.ContentType,
      )!;
      expect(element.parent).toBeNull();
      expect(element.origin ?? element.rightOrigin).not.toBeNull();
      await expectForbidden(hostile, /^answers: authorId must be the writer's own id$/);
      dispose(server, hostile);
    }

    // The same insert with Mallory's own identity is an honest answer, placed where she put it.
    const honest = await server.connect(SEMINAR, mallory.token);
    answersOf(honest.doc).insert(1, [
      answerMap({ id: "m-own", text: "Mia", author: mallory.name, authorId: mallory.userId }),
    ]);
    await waitFor(() => answersOf(witness.doc).length === 3, "Mallory's own inserted answer");
    expect(honest.closes).toEqual([]);

    const stored = answersOf(await restartedDoc())
      .toArray()
      .map((answer) => answer.get("id"));
    expect(stored).toEqual(["a-first", "m-own", "a-second"]);
  });

  it("refuses a hand-built update that sets two keys in an existing answer's votes", async () => {
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    const alice = await participant("Alice");
    const bruno = await participant("Bruno");
    const carla = await participant("Carla");
    const answerId = answerAs(alice, "Da votare");
    await waitFor(() => answersOf(carla.doc).length === 1, "Alice's answer at Carla's");
    voteAs(carla, answerId);
    await waitFor(
      () => (answerItem(witness.doc, answerId).get("votes") as Y.Map<unknown>).size === 1,
      "Carla's vote",
    );

    const hostile = await server.connect(SEMINAR, bruno.person!.token);
    const scratch = new Y.Doc();
    scratch.clientID = hostile.anonClientId;
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(hostile.doc));
    const votes = answerItem(scratch, answerId).get("votes") as Y.Map<unknown>;
    scratch.transact(() => {
      votes.set(bruno.person!.anonId, true); // his own key: allowed alone
      votes.set("anon-ballot-stuffing", true); // a second key: not his
    });
    const forged = Y.encodeStateAsUpdate(scratch, Y.encodeStateVector(hostile.doc));
    expect(Y.decodeUpdate(forged).structs).toHaveLength(2); // the two vote entries
    Y.applyUpdate(hostile.doc, forged); // the provider sends it like any other change
    await expectForbidden(hostile, /^answers: only the writer's own key can be set in votes$/);

    // Dropped whole: not even Bruno's own key is stored.
    const stored = answerItem(await restartedDoc(), answerId).get("votes") as Y.Map<unknown>;
    expect([...stored.keys()]).toEqual([carla.person!.anonId]);
  });

  it("lets a participant edit and delete their own answers, signed and anonymous, and keeps it", async () => {
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    const alice = await participant("Alice");
    const bruno = await participant("Bruno");
    const anonymous = { clientId: alice.anonClientId };
    const signed = answerAs(alice, "Firmata");
    const hidden = answerAs(alice, "Anonima", { anonymous: true });
    const signedGone = answerAs(alice, "Firmata da ritirare");
    const hiddenGone = answerAs(alice, "Anonima da ritirare", { anonymous: true });
    await waitFor(() => answersOf(bruno.doc).length === 4, "Alice's answers at Bruno's");
    for (const id of [signed, hidden, hiddenGone]) voteAs(bruno, id);
    await waitFor(
      () => (answerItem(alice.doc, hiddenGone).get("votes") as Y.Map<unknown>).size === 1,
      "Bruno's votes at Alice's",
    );

    expect(editAnswer(alice.doc, signed, "Firmata, corretta")).toBe(true);
    expect(editAnswer(alice.doc, hidden, "Anonima, corretta", anonymous)).toBe(true);
    expect(removeAnswer(alice.doc, signedGone)).toBe(true);
    // Deleting her answer deletes the votes others put in it: the answer's deletion is judged.
    expect(removeAnswer(alice.doc, hiddenGone, anonymous)).toBe(true);
    const texts = () =>
      answersOf(witness.doc)
        .toArray()
        .map((answer) => answer.get("text"));
    await waitFor(
      () =>
        JSON.stringify(texts()) === JSON.stringify(["Firmata, corretta", "Anonima, corretta"]) &&
        (answerItem(witness.doc, signed).get("votes") as Y.Map<unknown>).size === 1,
      "Alice's edits and deletions",
    );
    expect(alice.closes).toEqual([]);
    expect(bruno.closes).toEqual([]);

    const doc = await restartedDoc();
    const stored = answersOf(doc)
      .toArray()
      .map((answer) => ({
        id: answer.get("id"),
        text: answer.get("text"),
        author: answer.get("author"),
        authorId: answer.get("authorId"),
        votes: [...(answer.get("votes") as Y.Map<unknown>).keys()],
      }));
    expect(stored).toEqual([
      {
        id: signed,
        text: "Firmata, corretta",
        author: "Alice",
        authorId: alice.person!.userId,
        votes: [bruno.person!.anonId],
      },
      {
        id: hidden,
        text: "Anonima, corretta",
        author: "",
        authorId: alice.person!.anonId,
        votes: [bruno.person!.anonId],
      },
    ]);
  });

  // Found by the property test: a vote cast and withdrawn while offline reaches the server in
  // the reconnect's sync step 2 as one struct whose content is already deleted. That says
  // nothing of what the client id is: it must stay undecided (not named), or every later vote
  // of the person would be refused.
  it("keeps the anonymous client id anonymous when its first structs arrive already deleted", async () => {
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    const alice = await participant("Alice");
    const bruno = await participant("Bruno");
    const answerId = answerAs(bruno, "Da votare");
    await waitFor(() => answersOf(alice.doc).length === 1, "Bruno's answer at Alice's");
    alice.provider.disconnect();
    voteAs(alice, answerId); // a vote…
    voteAs(alice, answerId); // …and its withdrawal, while offline
    alice.provider.connect();
    await waitFor(
      () => Y.getState(witness.doc.store, alice.anonClientId) > 0,
      "the withdrawn vote's struct at the server",
    );
    expect(alice.closes).toEqual([]);

    voteAs(alice, answerId); // online now: an honest vote, as the web app casts it
    const votes = () => answerItem(witness.doc, answerId).get("votes") as Y.Map<unknown>;
    await waitFor(() => votes().size === 1 || alice.closes.length > 0, "Alice's vote", 5_000);
    expect(alice.denied).toEqual([]);
    expect(alice.closes).toEqual([]);
    expect([...votes().keys()]).toEqual([alice.person!.anonId]);
  });

  // Found while writing the property test: an update whose structs leave a clock gap would be
  // kept pending by Yjs and integrated later, unchecked against the document as it is by then.
  // Here a participant's answer sent while the seminar was open would land after it closed, once
  // a GC struct (which touches no root) fills the gap. The server asks for a resync instead.
  it("does not apply an update with a clock gap (a GC struct filling it later cannot land an answer in a closed seminar)", async () => {
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    const facilitator = await server.join(
      SEMINAR,
      { role: "facilitator", seminarId: SEMINAR_ID },
      { name: "Fabio" },
    );
    const mallory = (await participant("Mallory")).person!;
    const gapClient = 4_000_000_001;

    // Mallory's scratch document writes one struct (clock 0, never sent) and then her own,
    // honestly signed answer (clocks 1…): only the second update is sent.
    const scratch = new Y.Doc();
    scratch.clientID = gapClient;
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(witness.doc));
    const updates: Uint8Array[] = [];
    scratch.on("update", (update: Uint8Array) => updates.push(update));
    scratch.getMap("moderation").set("gap", 1);
    addAnswer(scratch, {
      questionId: `${SEMINAR_ID}-q1`,
      text: "Arriva dopo la chiusura",
      author: mallory.name,
      authorId: mallory.userId,
    });

    const raw = await rawSocket(documentUrl(server, SEMINAR, mallory.token));
    let closed = false;
    void raw.closed.then(() => (closed = true));
    const replies: Uint8Array[] = [];
    raw.socket.on("message", (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== 0 || decoding.readVarUint(decoder) !== 1) return;
      replies.push(decoding.readVarUint8Array(decoder)); // a sync step 2
    });
    const sync = (step: number, payload: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, 0);
      encoding.writeVarUint(encoder, step);
      encoding.writeVarUint8Array(encoder, payload);
      raw.socket.send(encoding.toUint8Array(encoder));
    };
    /** The server's whole state as it answers a sync step 1, after what was sent before. */
    const serverState = async (): Promise<Y.Doc> => {
      const before = replies.length;
      sync(0, new Uint8Array([0]));
      await waitFor(() => replies.length > before || closed, "the server's sync step 2");
      const doc = new Y.Doc();
      if (replies.length > before) Y.applyUpdate(doc, replies.at(-1)!);
      return doc;
    };

    sync(2, updates[1]!); // clocks 1… of a client id at clock 0
    expect(answersOf(await serverState()).length).toBe(0); // pending, not integrated

    facilitator.doc.getMap("session").set("status", "closed");
    await waitFor(() => witness.doc.getMap("session").get("status") === "closed", "the closing");

    // A GC struct at clock 0 of the same client id: no root, so no role or state check.
    const gc = encoding.createEncoder();
    for (const n of [1, 1, gapClient, 0]) encoding.writeVarUint(gc, n); // 1 client, 1 struct, at 0
    encoding.writeUint8(gc, 0); // GC
    encoding.writeVarUint(gc, 1); // of length 1
    encoding.writeVarUint(gc, 0); // an empty delete set
    sync(2, encoding.toUint8Array(gc));

    expect(answersOf(await serverState()).length).toBe(0);
    raw.socket.close();
  });
});
