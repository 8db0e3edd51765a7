import { beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import { addAnswer, listAllAnswers, setReaction, toggleVote } from "@percorso/schema";
import { join } from "node:path";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import type { HistoryEntry } from "../src/storage/storage.ts";
import {
  ADMIN_TOKEN,
  answerAs,
  api,
  connectClient,
  documentUrl,
  newPerson,
  rawSocket,
  useTestServer,
  voteAs,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const SEMINAR_ID = "s6-business-inclusivo";
const SEMINAR = `seminar:${SEMINAR_ID}`;
const QUESTION = `${SEMINAR_ID}-q1`;
const DRAFT = "draft:toscana-2021";

interface ClientIds {
  named: number;
  anonymous: number;
}

interface Author {
  clientId: number;
  name: string;
  anonymous: boolean;
}

/** How many times `needle` occurs in `text`. */
const occurrences = (text: string, needle: string) => text.split(needle).length - 1;

/**
 * Anonymity towards the staff (DESIGN.md §4.2, issue 16 attacks 7–9): an anonymous act — an
 * anonymous item, a vote, a reaction, support, and their withdrawal — is never attributed to a
 * person in anything staff can read: history rows and their filters, /authors, the state at a
 * moment. And a client learns the Yjs client ids it should use from the API (§4.1).
 */
describe("anonymity towards the staff", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));
  const participant = { role: "participant", seminarId: SEMINAR_ID };

  const history = async (name: string, token: string, query = ""): Promise<HistoryEntry[]> => {
    const response = await api(server, "GET", `/api/documents/${name}/history${query}`, { token });
    expect(response.status).toBe(200);
    return (await response.json()) as HistoryEntry[];
  };
  const stateAt = async (name: string, token: string, at: number): Promise<string> => {
    const response = await api(server, "GET", `/api/documents/${name}/state?at=${at}`, { token });
    expect(response.status).toBe(200);
    return JSON.stringify(((await response.json()) as { roots: unknown }).roots);
  };
  const authors = async (name: string, token: string): Promise<Author[]> =>
    (await (
      await api(server, "GET", `/api/documents/${name}/authors`, { token })
    ).json()) as Author[];

  /** Ada (who signs), Bea (whose answer Ada votes on), a witness and a facilitator. */
  async function cast() {
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    const ada = await server.join(SEMINAR, participant, { name: "Ada Rossi" });
    const bea = await server.join(SEMINAR, participant, { name: "Bea" });
    const beas = answerAs(bea, "La risposta di Bea", { questionId: QUESTION });
    await waitFor(() => listAllAnswers(ada.doc).length === 1, "bea's answer at ada's");
    const facilitator = await newPerson(server, { role: "facilitator", seminarId: SEMINAR_ID });
    const votes = (doc: Y.Doc) => listAllAnswers(doc).find((a) => a.id === beas)?.voters.length;
    return { witness, ada, bea, beas, facilitator, votes };
  }

  /**
   * A filter by `person`'s id finds none of their anonymous rows, and the state around each row
   * it finds holds no new occurrence of their anonId.
   */
  async function expectNamedRowsOnly(
    name: string,
    token: string,
    person: { userId: string; anonId: string },
  ) {
    const rows = await history(name, token, `?userId=${person.userId}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => !row.anonymous && row.userId === person.userId)).toBe(true);
    for (const row of rows) {
      const before = await stateAt(name, token, row.at - 1);
      const after = await stateAt(name, token, row.at);
      expect(occurrences(after, person.anonId), `row ${row.seq}`).toBe(
        occurrences(before, person.anonId),
      );
    }
  }

  it("attack 7: a filter by a person's id and the state around their rows reveal no anonId", async () => {
    const { witness, ada, beas, facilitator, votes } = await cast();
    // A signed answer and a vote in the same turn: two updates, logged in the same millisecond
    // but for the log's separation of named and anonymous acts.
    const signed = answerAs(ada, "Firmata da Ada", { questionId: QUESTION });
    voteAs(ada, beas);
    answerAs(ada, "Anonima", { questionId: QUESTION, anonymous: true });
    await waitFor(
      () => votes(witness.doc) === 1 && listAllAnswers(witness.doc).length === 3,
      "all",
    );
    // The user id is in any signed item: the facilitator reads it there.
    const userId = listAllAnswers(witness.doc).find((a) => a.id === signed)!.authorId;
    expect(userId).toBe(ada.person!.userId);

    for (const token of [facilitator.token, ADMIN_TOKEN]) {
      await expectNamedRowsOnly(SEMINAR, token, ada.person!);
      const all = await history(SEMINAR, token);
      const anonymous = all.filter((row) => row.anonymous);
      expect(anonymous.length).toBe(2);
      expect(anonymous.every((row) => row.userId === null && row.name === "")).toBe(true);
      expect(JSON.stringify(all)).not.toContain(ada.person!.anonId);
    }
  });

  it("attack 7: an update carrying both named and anonymous acts is logged as two rows", async () => {
    const { witness, ada, beas, facilitator, votes } = await cast();
    voteAs(ada, beas);
    await waitFor(() => votes(witness.doc) === 1, "the vote");
    // Offline: a signed answer, the vote withdrawn, an anonymous answer; sent in one update on
    // reconnect, as y-websocket's sync step 2 sends them.
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(ada.doc));
    addAnswer(offline, {
      questionId: QUESTION,
      text: "Firmata offline",
      author: "Ada Rossi",
      authorId: ada.person!.userId,
    });
    toggleVote(offline, beas, ada.person!.anonId, { clientId: ada.anonClientId });
    addAnswer(
      offline,
      { questionId: QUESTION, text: "Anonima offline", author: "", authorId: ada.person!.anonId },
      { clientId: ada.anonClientId },
    );
    const before = (await history(SEMINAR, ADMIN_TOKEN)).length;
    Y.applyUpdate(ada.doc, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(ada.doc)));
    await waitFor(
      () => votes(witness.doc) === 0 && listAllAnswers(witness.doc).length === 3,
      "the offline edits at the witness",
    );
    expect(ada.closes).toEqual([]);
    const rows = (await history(SEMINAR, ADMIN_TOKEN)).slice(before);
    expect(rows.map((row) => [row.anonymous, row.userId])).toEqual(
      expect.arrayContaining([
        [false, ada.person!.userId],
        [true, null],
      ]),
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]!.at).not.toBe(rows[1]!.at);
    await expectNamedRowsOnly(SEMINAR, facilitator.token, ada.person!);
  });

  it("attack 8: withdrawing a vote, a reaction or support is logged without name or user id", async () => {
    const { witness, ada, beas, facilitator, votes } = await cast();
    voteAs(ada, beas);
    await waitFor(() => votes(witness.doc) === 1, "the vote");
    voteAs(ada, beas);
    await waitFor(() => votes(witness.doc) === 0, "the withdrawal");
    for (const token of [facilitator.token, ADMIN_TOKEN]) {
      const rows = await history(SEMINAR, token);
      const [cast, withdrawn] = rows.slice(-2);
      for (const row of [cast!, withdrawn!]) {
        expect(row).toMatchObject({ anonymous: true, userId: null, name: "", role: "" });
      }
      expect(await history(SEMINAR, token, `?userId=${ada.person!.userId}`)).toEqual([]);
    }

    // A reaction on the draft, and its withdrawal.
    const draftWitness = await server.connect(DRAFT, ADMIN_TOKEN);
    const reader = await server.join(DRAFT, { role: "participant" }, { name: "Carla" });
    const section = "economia-circolare";
    setReaction(reader.doc, section, reader.person!.anonId, "agree", {
      clientId: reader.anonClientId,
    });
    const reactions = () => draftWitness.doc.getMap<Y.Map<string>>("reactions").get(section);
    await waitFor(() => reactions()?.get(reader.person!.anonId) === "agree", "the reaction");
    setReaction(reader.doc, section, reader.person!.anonId, null, {
      clientId: reader.anonClientId,
    });
    await waitFor(() => reactions()?.get(reader.person!.anonId) === undefined, "withdrawn");
    expect(reader.closes).toEqual([]);
    const drafter = await newPerson(server, { role: "drafter" });
    for (const token of [drafter.token, ADMIN_TOKEN]) {
      const rows = (await history(DRAFT, token)).slice(-2);
      expect(rows.every((row) => row.anonymous && row.userId === null && row.name === "")).toBe(
        true,
      );
      expect(await history(DRAFT, token, `?userId=${reader.person!.userId}`)).toEqual([]);
    }
  });

  it("attack 9: a client id whose first content arrives deleted is never shown named", async () => {
    const { witness, ada, beas, votes } = await cast();
    // A vote cast and withdrawn offline under a client id the server has never seen.
    const fresh = 0x1234_5678;
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(ada.doc));
    toggleVote(offline, beas, ada.person!.anonId, { clientId: fresh });
    toggleVote(offline, beas, ada.person!.anonId, { clientId: fresh });
    Y.applyUpdate(ada.doc, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(ada.doc)));
    await waitFor(() => Y.getState(witness.doc.store, fresh) > 0, "the offline update");
    const reader = await newPerson(server, participant);
    const shown = (await authors(SEMINAR, reader.token)).find((a) => a.clientId === fresh);
    expect(shown).toMatchObject({ name: "", anonymous: true });
    expect((await history(SEMINAR, ADMIN_TOKEN)).at(-1)).toMatchObject({ userId: null, name: "" });

    // Later votes under it stay anonymous.
    toggleVote(ada.doc, beas, ada.person!.anonId, { clientId: fresh });
    await waitFor(() => votes(witness.doc) === 1, "the vote");
    expect((await authors(SEMINAR, reader.token)).find((a) => a.clientId === fresh)).toMatchObject({
      name: "",
      anonymous: true,
    });
    expect((await history(SEMINAR, ADMIN_TOKEN)).at(-1)).toMatchObject({
      userId: null,
      anonymous: true,
    });
    expect(ada.closes).toEqual([]);
  });

  it("shows a row stored before this change, anonymous but with a user id, without it", async () => {
    const ada = await newPerson(server, participant, { name: "Ada Rossi" });
    await server.stop();
    // As the log stored anonymous acts before: the person's id and name on the row.
    const store = openSqliteStorage(join(server.dataDir, "percorso.sqlite"));
    await store.appendUpdates(SEMINAR, [
      {
        update: Y.encodeStateAsUpdate(new Y.Doc()),
        userId: ada.userId,
        role: "participant",
        name: "Ada Rossi",
        at: Date.now(),
        anonymous: true,
        binds: [],
      },
    ]);
    await store.close();
    await server.restart();
    const facilitator = await newPerson(server, { role: "facilitator", seminarId: SEMINAR_ID });
    for (const token of [facilitator.token, ADMIN_TOKEN]) {
      expect((await history(SEMINAR, token)).at(-1)).toMatchObject({
        userId: null,
        name: "",
        anonymous: true,
      });
      expect(await history(SEMINAR, token, `?userId=${ada.userId}`)).toEqual([]);
    }
  });

  describe("a client knows its ids", () => {
    const joinWithIds = async (name: string) => {
      const token = (
        (await (
          await api(server, "POST", "/api/invites", {
            token: ADMIN_TOKEN,
            body: { role: "participant", programmeId: "toscana-2021", seminarId: SEMINAR_ID },
          })
        ).json()) as { token: string }
      ).token;
      const response = await api(server, "POST", "/api/join", { token, body: { name } });
      expect(response.status).toBe(201);
      return (await response.json()) as {
        token: string;
        userId: string;
        anonId: string;
        clientIds: ClientIds;
      };
    };
    const me = async (token: string) =>
      ((await (await api(server, "GET", "/api/me", { token })).json()) as { clientIds: ClientIds })
        .clientIds;

    it("join and me return a fresh pair each time, bound at once to the person", async () => {
      const ada = await joinWithIds("Ada Rossi");
      const again = await me(ada.token);
      const third = await me(ada.token);
      const all = [ada.clientIds, again, third].flatMap((ids) => [ids.named, ids.anonymous]);
      expect(new Set(all).size).toBe(6);
      expect(all.every((id) => Number.isInteger(id) && id > 0 && id < 2 ** 31)).toBe(true);
      expect(await me(ADMIN_TOKEN)).toBeNull();

      // Bea writes under Ada's ids before Ada ever wrote: refused, named or anonymous.
      const bea = await joinWithIds("Bea");
      for (const stolen of [again.named, again.anonymous]) {
        const doc = new Y.Doc();
        doc.clientID = stolen;
        const client = connectClient(server, SEMINAR, bea.token, doc);
        server.clients.push(client);
        await waitFor(() => client.provider.synced, "bea synced");
        addAnswer(doc, {
          questionId: QUESTION,
          text: "Con l'id di Ada",
          author: "Bea",
          authorId: bea.userId,
        });
        await waitFor(() => client.closes.length > 0, "the refusal");
        expect(client.closes[0]!.code).toBe(4403);
        expect(client.denied.join()).toMatch(/belongs to someone else/);
      }

      // The binding survives a restart.
      await server.restart();
      const doc = new Y.Doc();
      doc.clientID = third.named;
      const late = connectClient(server, SEMINAR, bea.token, doc);
      server.clients.push(late);
      await waitFor(() => late.provider.synced, "bea synced after the restart");
      addAnswer(doc, { questionId: QUESTION, text: "Ancora", author: "Bea", authorId: bea.userId });
      await waitFor(() => late.closes.length > 0, "the refusal after the restart");
      expect(late.closes[0]!.code).toBe(4403);
    });

    it("an admin who joined as a person votes under their anonymous id as namelessly", async () => {
      const { witness, beas, votes } = await cast();
      const admin = await newPerson(server, { role: "admin" }, { name: "Amelia Admin" });
      const ids = await me(admin.token);
      const doc = new Y.Doc();
      doc.clientID = ids!.named;
      const client = connectClient(server, SEMINAR, admin.token, doc);
      server.clients.push(client);
      await waitFor(() => client.provider.synced && listAllAnswers(doc).length === 1, "synced");
      toggleVote(doc, beas, admin.anonId, { clientId: ids!.anonymous });
      await waitFor(() => votes(witness.doc) === 1, "the admin's vote");
      expect((await history(SEMINAR, ADMIN_TOKEN)).at(-1)).toMatchObject({
        userId: null,
        name: "",
        anonymous: true,
      });
      const shown = await authors(SEMINAR, ADMIN_TOKEN);
      expect(shown.find((a) => a.clientId === ids!.anonymous)).toMatchObject({ name: "" });
    });

    it("a foreign-style client with two docs, one per returned id, is accepted", async () => {
      const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
      const bea = await server.join(SEMINAR, participant, { name: "Bea" });
      const beas = answerAs(bea, "La risposta di Bea", { questionId: QUESTION });
      const ada = await joinWithIds("Ada Rossi");
      // Like a Yrs client: a Doc made with an explicit client id, one per kind of act.
      const open = async (clientId: number): Promise<TestClient> => {
        const doc = new Y.Doc();
        doc.clientID = clientId;
        const client = connectClient(server, SEMINAR, ada.token, doc);
        server.clients.push(client);
        await waitFor(() => client.provider.synced, "synced");
        return client;
      };
      const named = await open(ada.clientIds.named);
      const anonymous = await open(ada.clientIds.anonymous);
      await waitFor(() => listAllAnswers(anonymous.doc).length === 1, "bea's answer");
      addAnswer(named.doc, {
        questionId: QUESTION,
        text: "Firmata",
        author: "Ada Rossi",
        authorId: ada.userId,
      });
      // Cast and withdrawn offline, before the server saw it: the id is anonymous all the same.
      anonymous.provider.disconnect();
      toggleVote(anonymous.doc, beas, ada.anonId);
      toggleVote(anonymous.doc, beas, ada.anonId);
      anonymous.provider.connect();
      await waitFor(() => anonymous.provider.synced, "the anonymous doc back");
      toggleVote(anonymous.doc, beas, ada.anonId);
      addAnswer(anonymous.doc, {
        questionId: QUESTION,
        text: "Anonima",
        author: "",
        authorId: ada.anonId,
      });
      await waitFor(
        () =>
          listAllAnswers(witness.doc).length === 3 &&
          listAllAnswers(witness.doc).find((a) => a.id === beas)?.voters.length === 1,
        "ada's writes",
      );
      expect([...named.closes, ...anonymous.closes]).toEqual([]);
      expect([...named.denied, ...anonymous.denied]).toEqual([]);
      const shown = await authors(SEMINAR, bea.person!.token);
      expect(shown.find((a) => a.clientId === ada.clientIds.named)).toMatchObject({
        name: "Ada Rossi",
        anonymous: false,
      });
      expect(shown.find((a) => a.clientId === ada.clientIds.anonymous)).toMatchObject({
        name: "",
        anonymous: true,
      });
      const rows = await history(SEMINAR, ADMIN_TOKEN, `?userId=${ada.userId}`);
      expect(rows).toHaveLength(1);
    });
  });

  it("refuses content the server cannot decode with 4415, not 1007", async () => {
    // One item whose content ref (11: Yrs's `move`) Yjs 13 has no reader for.
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, 1); // one client
    encoding.writeVarUint(update, 1); // one struct
    encoding.writeVarUint(update, 424242); // its client id
    encoding.writeVarUint(update, 0); // clock
    encoding.writeUint8(update, 11 | 0b0010_0000); // content ref 11, with a parentSub
    encoding.writeVarUint(update, 1); // the parent is a root, by name
    encoding.writeVarString(update, "session");
    encoding.writeVarString(update, "moved");
    encoding.writeVarUint(update, 0);
    encoding.writeVarUint(update, 0); // an empty delete set
    const message = encoding.createEncoder();
    encoding.writeVarUint(message, 0); // sync
    syncProtocol.writeUpdate(message, encoding.toUint8Array(update));
    const { socket, closed } = await rawSocket(documentUrl(server, SEMINAR, ADMIN_TOKEN));
    socket.send(encoding.toUint8Array(message));
    expect(await closed).toEqual({ code: 4415, reason: "unsupported-content" });
  });
});

describe("client ids handed to one person", () => {
  const server = useTestServer({ MAX_CLIENT_ID_PAIRS_PER_PERSON: "2" });
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, SEMINAR_ID));

  it("stop at the cap: reloading in a loop fills no storage, the client makes its own", async () => {
    const ada = await newPerson(server, { role: "participant", seminarId: SEMINAR_ID });
    const me = async () =>
      (
        (await (await api(server, "GET", "/api/me", { token: ada.token })).json()) as {
          clientIds: ClientIds | null;
        }
      ).clientIds;
    // The join's pair and one more, then none.
    expect(await me()).not.toBeNull();
    expect(await me()).toBeNull();
    const client = await server.connect(SEMINAR, ada.token);
    client.person = ada;
    answerAs(client, "Con un id tutto mio", { questionId: QUESTION });
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    await waitFor(() => listAllAnswers(witness.doc).length === 1, "the answer");
    expect(client.closes).toEqual([]);
  });
});
