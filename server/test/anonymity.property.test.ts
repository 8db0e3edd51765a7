import fc from "fast-check";
import { describe, expect, it, beforeEach } from "vitest";
import * as Y from "yjs";
import { editAnswer, listAllAnswers, removeAnswer } from "@percorso/schema";
import type { HistoryEntry } from "../src/storage/storage.ts";
import {
  ADMIN_TOKEN,
  answerAs,
  api,
  useTestServer,
  voteAs,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const SEMINAR_ID = "s6-business-inclusivo";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const QUESTION = `${SEMINAR_ID}-q1`;

/** One honest act of a person, as the web app makes it. */
type Act =
  | { kind: "sign" | "anonymous"; text: string }
  | { kind: "vote" | "edit" | "remove"; pick: number }
  | { kind: "offline"; acts: Act[] };

const simple: fc.Arbitrary<Act> = fc.oneof(
  fc.record({
    kind: fc.constantFrom("sign" as const, "anonymous" as const),
    text: fc.string({ minLength: 1, maxLength: 12 }).map((t) => `r ${t}`),
  }),
  fc.record({
    kind: fc.constantFrom("vote" as const, "vote" as const, "edit" as const, "remove" as const),
    pick: fc.nat(50),
  }),
);
const act: fc.Arbitrary<{ who: number; act: Act }> = fc.record({
  who: fc.nat(2),
  act: fc.oneof(
    { weight: 4, arbitrary: simple },
    {
      weight: 1,
      arbitrary: fc
        .array(simple, { minLength: 2, maxLength: 5 })
        .map((acts) => ({ kind: "offline" as const, acts })),
    },
  ),
});

const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/**
 * Anonymity towards the staff as a seeded property (DESIGN.md §4.2, issue 16): three people
 * sign and write anonymous answers, vote and withdraw, edit and remove their own — some acts in
 * offline bursts that reach the server as one mixed update on reconnect. Then, read with the
 * admin's token: a filter by a person's id finds only their named rows, the state around each of
 * those rows holds no new or removed occurrence of their anonId, every anonymous row carries no
 * person, and the state around it changes no one's user id or name. No honest client is closed.
 */
describe("anonymity towards the staff as a property", () => {
  const server = useTestServer({ RATE_LIMIT_BURST: "100000", RATE_LIMIT_PER_SECOND: "100000" });
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));
  const state = async (at: number) => {
    const response = await api(server, "GET", `/api/documents/${SEMINAR}/state?at=${at}`, {
      token: ADMIN_TOKEN,
    });
    return JSON.stringify(((await response.json()) as { roots: unknown }).roots);
  };
  const history = async (query = ""): Promise<HistoryEntry[]> =>
    (await (
      await api(server, "GET", `/api/documents/${SEMINAR}/history${query}`, {
        token: ADMIN_TOKEN,
      })
    ).json()) as HistoryEntry[];

  // Seeds that split offline bursts into two, three and four parts; SEED=n tries another.
  const seeds = process.env.SEED === undefined ? [4, 5, 6] : [Number(process.env.SEED)];
  it.each(seeds)(
    "never ties an anonymous act, or its withdrawal, to its person (seed %i)",
    async (seed) => {
      const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
      const names = ["Alice Rossi", "Bruno Bianchi", "Chiara Verdi"];
      const people: TestClient[] = [];
      for (const name of names) {
        people.push(
          await server.join(SEMINAR, { role: "participant", seminarId: SEMINAR_ID }, { name }),
        );
      }
      const [acts] = fc.sample(fc.array(act, { minLength: 25, maxLength: 40 }), {
        seed,
        numRuns: 1,
      });

      const perform = (client: TestClient, one: Act) => {
        const person = client.person!;
        const answers = listAllAnswers(client.doc, QUESTION);
        const own = answers.filter(
          (a) => a.authorId === person.userId || a.authorId === person.anonId,
        );
        const others = answers.filter((a) => !own.includes(a));
        const mine = (pick: number) => own[pick % own.length];
        const options = (authorId: string) =>
          authorId === person.anonId ? { clientId: client.anonClientId } : {};
        switch (one.kind) {
          case "sign":
          case "anonymous":
            answerAs(client, one.text, {
              questionId: QUESTION,
              anonymous: one.kind === "anonymous",
            });
            return;
          case "vote": {
            const target = others[one.pick % Math.max(1, others.length)];
            if (target !== undefined) voteAs(client, target.id);
            return;
          }
          case "edit": {
            const target = mine(one.pick);
            if (target !== undefined) {
              editAnswer(client.doc, target.id, `${target.text}!`, options(target.authorId));
            }
            return;
          }
          case "remove": {
            const target = mine(one.pick);
            if (target !== undefined) removeAnswer(client.doc, target.id, options(target.authorId));
            return;
          }
          case "offline":
            client.provider.disconnect();
            for (const inner of one.acts) perform(client, inner);
            client.provider.connect();
            return;
        }
      };
      const converged = () =>
        people.every(
          (client) =>
            client.provider.synced &&
            Buffer.from(Y.encodeStateVector(client.doc)).equals(
              Buffer.from(Y.encodeStateVector(witness.doc)),
            ),
        );
      for (const { who, act: one } of acts!) {
        perform(people[who]!, one);
        await waitFor(converged, `seed ${seed}: everyone converged`);
      }
      for (const client of people) expect(client.closes, `seed ${seed}`).toEqual([]);

      const all = await history();
      for (const client of people) {
        const { userId, anonId } = client.person!;
        const named = await history(`?userId=${userId}`);
        expect(named.every((row) => !row.anonymous && row.userId === userId)).toBe(true);
        for (const row of named) {
          const before = await state(row.at - 1);
          const after = await state(row.at);
          expect(occurrences(after, anonId), `seed ${seed}, row ${row.seq}`).toBe(
            occurrences(before, anonId),
          );
        }
      }
      for (const row of all.filter((entry) => entry.anonymous)) {
        expect(row).toMatchObject({ userId: null, name: "" });
        const before = await state(row.at - 1);
        const after = await state(row.at);
        for (const client of people) {
          for (const needle of [client.person!.userId, client.person!.name]) {
            expect(occurrences(after, needle), `seed ${seed}, row ${row.seq}`).toBe(
              occurrences(before, needle),
            );
          }
        }
      }
    },
  );
});
