import { describe, expect, it, beforeEach } from "vitest";
import * as Y from "yjs";
import { listAllAnswers } from "@percorso/schema";
import type { HistoryEntry } from "../src/storage/storage.ts";
import {
  ADMIN_TOKEN,
  answerAs,
  api,
  newPerson,
  useTestServer,
  voteAs,
  waitFor,
  waitForMetric,
  openQuestions,
} from "./harness.ts";

const SEMINAR_ID = "s6-business-inclusivo";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const QUESTION = `${SEMINAR_ID}-q1`;

type Entry = HistoryEntry;

/** The attributed log (DESIGN.md §4.1): who changed what and when, never destroyed, restorable. */
describe("history and restore", () => {
  const server = useTestServer({ COMPACT_AFTER_UPDATES: "5", IDLE_UNLOAD_MS: "50" });
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(async () => {
    await openQuestions(server, SEMINAR_ID);
    await openQuestions(server, "s2-economia-circolare");
  });
  const history = async (token = ADMIN_TOKEN, query = ""): Promise<Entry[]> => {
    const response = await api(server, "GET", `/api/documents/${SEMINAR}/history${query}`, {
      token,
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Entry[];
  };

  /** Ada writes answers, one update each, and votes anonymously; returns when all are in. */
  async function writeSome(count: number) {
    const ada = await server.join(
      SEMINAR,
      { role: "participant", seminarId: SEMINAR_ID },
      { name: "Ada Rossi" },
    );
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(answerAs(ada, `Risposta ${i}`, { questionId: QUESTION }));
      await waitFor(() => listAllAnswers(witness.doc).length === i + 1, `answer ${i}`);
    }
    // Ada's last write is a vote, on Bea's answer (nobody votes on their own).
    const bea = await server.join(
      SEMINAR,
      { role: "participant", seminarId: SEMINAR_ID },
      { name: "Bea" },
    );
    const beas = answerAs(bea, "La risposta di Bea", { questionId: QUESTION });
    await waitFor(() => listAllAnswers(ada.doc).length === count + 1, "bea's answer at ada's");
    voteAs(ada, beas);
    await waitFor(
      () => listAllAnswers(witness.doc).find((a) => a.id === beas)?.voters.length === 1,
      "the vote",
    );
    return { ada, ids };
  }

  it("records who sent every update, through compaction and idle unload", async () => {
    const { ada } = await writeSome(8);
    server.destroyClients();
    await waitForMetric(server, "percorso_loaded_documents", 0); // compacted and unloaded
    const entries = await history();
    const ada8 = entries.filter((e) => e.userId === ada.person!.userId && !e.anonymous);
    expect(ada8).toHaveLength(8);
    expect(ada8.every((e) => e.name === "Ada Rossi" && e.role === "participant")).toBe(true);
    expect(entries[0]).toMatchObject({ userId: "system", role: "system" }); // the seed
    // The vote is an anonymous act: no person on it, not even for an admin (DESIGN.md §4.2).
    const vote = entries.at(-1)!;
    expect(vote).toMatchObject({ userId: null, name: "", anonymous: true, role: "" });
    expect(entries.every((e) => e.bytes > 0 && e.at > 0)).toBe(true);
    expect(entries.map((e) => e.seq)).toEqual([...entries.map((e) => e.seq)].sort((a, b) => a - b));

    // Filters: by person (their named rows only), by time.
    expect(await history(ADMIN_TOKEN, `?userId=${ada.person!.userId}`)).toHaveLength(8);
    const from = ada8[3]!.at;
    const later = await history(ADMIN_TOKEN, `?from=${from}`);
    expect(later.every((e) => e.at >= from)).toBe(true);
  });

  it("hides who sent anonymous items from a facilitator, shows the rest", async () => {
    const { ada } = await writeSome(2);
    const facilitator = await newPerson(server, { role: "facilitator", seminarId: SEMINAR_ID });
    const entries = await history(facilitator.token);
    expect(entries.filter((e) => e.userId === ada.person!.userId)).toHaveLength(2);
    expect(entries.at(-1)).toMatchObject({ anonymous: true, userId: null, name: "" });

    // A person who joined anonymously is not named by their other edits either.
    const anna = await server.join(
      SEMINAR,
      { role: "participant", seminarId: SEMINAR_ID },
      { name: "Anna", anonymous: true },
    );
    anna.doc.getXmlFragment("recommendations").push([new Y.XmlElement("paragraph")]);
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    await waitFor(
      () => witness.doc.getXmlFragment("recommendations").length > 4,
      "anna's paragraph",
    );
    const withAnna = await history(facilitator.token);
    expect(withAnna.at(-1)).toMatchObject({ userId: null, name: "" });
    expect((await history()).at(-1)).toMatchObject({ userId: anna.person!.userId, name: "Anna" });

    const participant = await newPerson(server, { role: "participant", seminarId: SEMINAR_ID });
    const refused = await api(server, "GET", `/api/documents/${SEMINAR}/history`, {
      token: participant.token,
    });
    expect(refused.status).toBe(403);
    const other = await newPerson(server, {
      role: "facilitator",
      seminarId: "s2-economia-circolare",
    });
    expect(
      (await api(server, "GET", `/api/documents/${SEMINAR}/history`, { token: other.token }))
        .status,
    ).toBe(403);
    const unknown = await api(server, "GET", "/api/documents/seminar:nope/history", {
      token: ADMIN_TOKEN,
    });
    expect(unknown.status).toBe(404);
    const bad = await api(server, "GET", `/api/documents/${SEMINAR}/history?from=ieri`, {
      token: ADMIN_TOKEN,
    });
    expect(bad.status).toBe(400);
  });

  it("restores the document to a past moment as a new attributed update, keeping both", async () => {
    const { ids } = await writeSome(3);
    const before = await history();
    // After answer 0: Ada's first write (the system's seed and the admin's opening come before).
    const moment = before.find((e) => e.bytes > 0 && e.name === "Ada Rossi")!.at;
    const preview = await api(server, "GET", `/api/documents/${SEMINAR}/state?at=${moment}`, {
      token: ADMIN_TOKEN,
    });
    const state = (await preview.json()) as { roots: { answers: { text: string }[] } };
    expect(state.roots.answers.map((a) => a.text)).toEqual(["Risposta 0"]);

    const watcher = await server.connect(SEMINAR, ADMIN_TOKEN);
    await waitFor(() => listAllAnswers(watcher.doc).length === 4, "ada's three, bea's one");
    const participant = await newPerson(server, { role: "participant", seminarId: SEMINAR_ID });
    const forbidden = await api(server, "POST", `/api/documents/${SEMINAR}/restore`, {
      token: participant.token,
      body: { at: moment },
    });
    expect(forbidden.status).toBe(403);

    const restored = await api(server, "POST", `/api/documents/${SEMINAR}/restore`, {
      token: ADMIN_TOKEN,
      body: { at: moment },
    });
    expect(restored.status).toBe(200);
    await waitFor(() => listAllAnswers(watcher.doc).length === 1, "the restore at the watcher");
    expect(listAllAnswers(watcher.doc).map((a) => a.id)).toEqual([ids[0]]);

    const after = await history();
    expect(after.length).toBe(before.length + 1);
    expect(after.at(-1)).toMatchObject({ userId: "admin", role: "admin" });
    // History keeps both: the state just before the restore still has all three.
    const past = await api(
      server,
      "GET",
      `/api/documents/${SEMINAR}/state?at=${before.at(-1)!.at}`,
      {
        token: ADMIN_TOKEN,
      },
    );
    expect(((await past.json()) as typeof state).roots.answers).toHaveLength(4);

    server.destroyClients();
    await server.restart();
    const reloaded = await server.connect(SEMINAR, ADMIN_TOKEN);
    expect(listAllAnswers(reloaded.doc).map((a) => a.text)).toEqual(["Risposta 0"]);
  });

  it("names the person behind each Yjs client id, and no one behind anonymous ones", async () => {
    const { ada } = await writeSome(1);
    const reader = await newPerson(server, { role: "participant", seminarId: SEMINAR_ID });
    const response = await api(server, "GET", `/api/documents/${SEMINAR}/authors`, {
      token: reader.token,
    });
    const authors = (await response.json()) as {
      clientId: number;
      name: string;
      anonymous: boolean;
      key: string;
    }[];
    const named = authors.find((a) => a.clientId === ada.doc.clientID)!;
    const anonymous = authors.find((a) => a.clientId === ada.anonClientId)!;
    expect(named).toMatchObject({ name: "Ada Rossi", anonymous: false });
    expect(anonymous).toMatchObject({ name: "", anonymous: true });
    expect(anonymous.key).not.toBe(named.key);
    expect(JSON.stringify(authors)).not.toContain(ada.person!.userId);
    expect(JSON.stringify(authors)).not.toContain(ada.person!.anonId);
  });
});
