import type { ChildProcess } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { addAnswer, listAllAnswers } from "@percorso/schema";
import {
  startPostgres,
  startRedis,
  type PostgresServer,
  type RedisServer,
} from "@percorso/services";
import {
  ADMIN_TOKEN,
  answerAs,
  api,
  connectClient,
  expectClosed,
  inviteRecord,
  joinAs,
  spawnServerProcess,
  tempDataDir,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const SEMINAR = "seminar:s2-economia-circolare";
const QUESTION = "s2-economia-circolare-q1";
const SECRET = "scale-out-test-secret-0123456789";

interface Process {
  child: ChildProcess;
  url: string;
  kill(): void;
}

/** A real server process on the shared PostgreSQL and Redis (so it can be SIGKILLed). */
async function spawnProcess(databaseUrl: string, redisUrl: string): Promise<Process> {
  const data = tempDataDir();
  const { child, url } = await spawnServerProcess(data.dir, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    SECRET,
    IDLE_UNLOAD_MS: "200",
  });
  return {
    child,
    url,
    kill() {
      if (child.exitCode === null) child.kill("SIGKILL");
      data.remove();
    },
  };
}

/** A stock client that joined as a person; `person` set so `answerAs` can sign for it. */
async function personClient(server: { url: string }, token: string): Promise<TestClient> {
  const person = await joinAs(server, token, { name: "Ada" });
  const client = connectClient(server, SEMINAR, person.token);
  client.person = person;
  await waitFor(() => client.provider.synced, "the person's client to sync");
  return client;
}

const texts = (doc: Y.Doc) =>
  listAllAnswers(doc)
    .map((a) => a.text)
    .sort();

describe("scale-out: several processes on PostgreSQL and Redis (DESIGN.md §6)", () => {
  let postgres: PostgresServer;
  let redis: RedisServer;
  const cleanups: (() => void | Promise<void>)[] = [];

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  afterAll(async () => {
    postgres?.destroy();
    await redis?.destroy();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function cluster(count: number): Promise<{ processes: Process[]; database: string }> {
    const database = await postgres.createDatabase();
    const processes: Process[] = [];
    // The first seeds the programme; the others start on its seed.
    for (let i = 0; i < count; i++) processes.push(await spawnProcess(database, redis.url));
    for (const process of processes) cleanups.push(() => process.kill());
    // The starter questions are drafts: the facilitator opens them on one process.
    await openQuestions(processes[0]!, "s2-economia-circolare");
    return { processes, database };
  }

  function track(client: TestClient): TestClient {
    cleanups.push(() => client.destroy());
    return client;
  }

  it("converges answers, text and presence between two processes, and a late third loads it whole", async () => {
    const { processes, database } = await cluster(2);
    const [a, b] = processes as [Process, Process];
    const link = await inviteRecord(a, { role: "participant" });
    const ada = track(await personClient(a, link.token));
    const bea = track(await personClient(b, link.token));

    answerAs(ada, "Da A", { questionId: QUESTION });
    answerAs(bea, "Da B", { questionId: QUESTION });
    await waitFor(() => texts(ada.doc).length === 2 && texts(bea.doc).length === 2, "answers");
    expect(texts(ada.doc)).toEqual(["Da A", "Da B"]);

    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("scritto su A")]);
    ada.doc.getXmlFragment("recommendations").push([paragraph]);
    await waitFor(
      () => bea.doc.getXmlFragment("recommendations").toString().includes("scritto su A"),
      "text from A at B",
    );

    ada.provider.awareness.setLocalStateField("user", { name: "Ada" });
    await waitFor(
      () => bea.provider.awareness.getStates().get(ada.doc.clientID) !== undefined,
      "Ada's presence at B",
    );

    const c = await spawnProcess(database, redis.url);
    cleanups.push(() => c.kill());
    const late = track(connectClient(c, SEMINAR, ADMIN_TOKEN));
    await waitFor(() => late.provider.synced, "the late process's client");
    expect(texts(late.doc)).toEqual(["Da A", "Da B"]);
    expect(late.doc.getXmlFragment("recommendations").toString()).toContain("scritto su A");
  });

  it("loses nothing a peer saw when a process is killed mid-stream; its clients go on elsewhere", async () => {
    const { processes } = await cluster(2);
    const [a, b] = processes as [Process, Process];
    const writer = track(connectClient(a, SEMINAR, ADMIN_TOKEN));
    const peer = track(connectClient(b, SEMINAR, ADMIN_TOKEN));
    await waitFor(() => writer.provider.synced && peer.provider.synced, "both synced");
    const seen = new Set<string>();
    peer.doc.getArray<Y.Map<unknown>>("answers").observe(() => {
      for (const answer of listAllAnswers(peer.doc)) seen.add(answer.id);
    });
    let written = 0;
    const stream = setInterval(() => {
      const answer = new Y.Map<unknown>();
      answer.set("id", `a${written}`);
      answer.set("questionId", QUESTION);
      answer.set("text", `risposta ${written++}`);
      answer.set("createdAt", Date.now());
      writer.doc.getArray("answers").push([answer]);
    }, 3);
    cleanups.push(() => clearInterval(stream));
    await waitFor(() => seen.size >= 40, "answers crossing to B");
    a.child.kill("SIGKILL");
    clearInterval(stream);
    const sawBeforeKill = new Set(seen);

    // The writer's next connection goes to B (what a load balancer does).
    writer.provider.destroy();
    const again = track(connectClient(b, SEMINAR, ADMIN_TOKEN, writer.doc));
    await waitFor(() => again.provider.synced, "the writer on B");
    const reader = track(connectClient(b, SEMINAR, ADMIN_TOKEN));
    await waitFor(() => reader.provider.synced, "a fresh reader on B");
    const stored = new Set(listAllAnswers(reader.doc).map((answer) => answer.id));
    const lost = [...sawBeforeKill].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
  });

  it("binds the client ids one process hands out on every process; anonymous acts stay nameless", async () => {
    const { processes } = await cluster(2);
    const [a, b] = processes as [Process, Process];
    const link = await inviteRecord(a, { role: "participant" });
    const ada = (await joinAs(a, link.token, { name: "Ada" })) as Awaited<
      ReturnType<typeof joinAs>
    > & { clientIds: { named: number; anonymous: number } };
    const bea = await joinAs(b, link.token, { name: "Bea" });
    const open = async (url: string, token: string, clientId: number) => {
      const doc = new Y.Doc();
      doc.clientID = clientId;
      const client = track(connectClient({ url }, SEMINAR, token, doc));
      await waitFor(() => client.provider.synced, "synced");
      return client;
    };
    // Bea, on the other process, under Ada's named id before Ada wrote: someone else's.
    const thief = await open(b.url, bea.token, ada.clientIds.named);
    addAnswer(thief.doc, {
      questionId: QUESTION,
      text: "Di Bea",
      author: "Bea",
      authorId: bea.userId,
    });
    await expectClosed(thief, { code: 4403, reason: "forbidden" });
    expect(thief.denied.join()).toMatch(/belongs to someone else/);
    // Ada's anonymous answer on that process, under her anonymous id: accepted, logged nameless.
    const own = await open(b.url, ada.token, ada.clientIds.anonymous);
    addAnswer(own.doc, { questionId: QUESTION, text: "Anonima", author: "", authorId: ada.anonId });
    const witness = track(
      await personClient(a, (await inviteRecord(a, { role: "observer" })).token),
    );
    await waitFor(() => texts(witness.doc).includes("Anonima"), "the answer on the first process");
    expect(own.closes).toEqual([]);
    const rows = (await (
      await api(a, "GET", `/api/documents/${SEMINAR}/history?limit=1`, { token: ADMIN_TOKEN })
    ).json()) as { userId: string | null; anonymous: boolean }[];
    expect(rows).toEqual([expect.objectContaining({ userId: null, name: "", anonymous: true })]);
  });

  it("cuts a socket on one process when its invite is revoked on the other", async () => {
    const { processes } = await cluster(2);
    const [a, b] = processes as [Process, Process];
    const link = await inviteRecord(a, { role: "participant" });
    const ada = track(await personClient(b, link.token));
    const revoked = await api(a, "DELETE", `/api/invites/${link.id}`, { token: ADMIN_TOKEN });
    expect(revoked.status).toBe(204);
    await expectClosed(ada, { code: 4401, reason: "unauthorized" });
    expect((await api(b, "GET", "/api/me", { token: ada.person!.token })).status).toBe(401);
  });

  it("resumes the fan-out after Redis restarts, and resyncs what was missed meanwhile", async () => {
    const { processes } = await cluster(2);
    const [a, b] = processes as [Process, Process];
    const writer = track(connectClient(a, SEMINAR, ADMIN_TOKEN));
    const reader = track(connectClient(b, SEMINAR, ADMIN_TOKEN));
    await waitFor(() => writer.provider.synced && reader.provider.synced, "both synced");
    const write = (text: string) => {
      const answer = new Y.Map<unknown>();
      answer.set("id", text);
      answer.set("questionId", QUESTION);
      answer.set("text", text);
      answer.set("createdAt", Date.now());
      writer.doc.getArray("answers").push([answer]);
    };
    write("prima");
    await waitFor(() => texts(reader.doc).includes("prima"), "before the outage");

    await redis.stop();
    const ready = async (process: Process) =>
      ((await (await fetch(`${process.url}/readyz`)).json()) as { checks: { redis: string } })
        .checks.redis;
    for (let i = 0; i < 200 && (await ready(a)) !== "down"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await ready(a)).toBe("down");
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
    write("durante"); // stored on A; B cannot hear of it yet
    await waitFor(() => writer.provider.synced, "A took it");

    redis.start();
    await waitFor(
      () => texts(reader.doc).includes("durante"),
      "the missed answer, resynced",
      20_000,
    );
    write("dopo");
    await waitFor(() => texts(reader.doc).includes("dopo"), "fan-out resumed");
    // Ready again once both of B's Redis connections are back (each on its own retry timer).
    let status = 0;
    for (let i = 0; i < 400 && status !== 200; i++) {
      status = (await fetch(`${b.url}/readyz`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(status).toBe(200);
  });

  it("restores a moment of the history on PostgreSQL, for the other process's clients too", async () => {
    const { processes } = await cluster(2);
    const [a, b] = processes as [Process, Process];
    const link = await inviteRecord(a, { role: "participant" });
    const ada = track(await personClient(a, link.token));
    const bea = track(connectClient(b, SEMINAR, ADMIN_TOKEN));
    await waitFor(() => bea.provider.synced, "B's client");
    answerAs(ada, "Prima", { questionId: QUESTION });
    // B hears of an update only once it is stored: from then on, that moment has it.
    await waitFor(() => texts(bea.doc).join() === "Prima", "the first answer at B");
    await new Promise((resolve) => setTimeout(resolve, 20));
    const moment = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 20));
    answerAs(ada, "Seconda", { questionId: QUESTION });
    await waitFor(() => texts(bea.doc).length === 2, "both answers at B");

    const restored = await api(b, "POST", `/api/documents/${SEMINAR}/restore`, {
      token: ADMIN_TOKEN,
      body: { at: moment },
    });
    expect(restored.status).toBe(200);
    await waitFor(() => texts(ada.doc).join() === "Prima", "the restore at A's client");
    expect(texts(bea.doc)).toEqual(["Prima"]);
    // Both moments stay in the history: the one just before the restore still has both.
    const history = (await (
      await api(a, "GET", `/api/documents/${SEMINAR}/history`, { token: ADMIN_TOKEN })
    ).json()) as { at: number; userId: string }[];
    expect(history.at(-1)).toMatchObject({ userId: "admin" });
    const before = await api(a, "GET", `/api/documents/${SEMINAR}/state?at=${history.at(-2)!.at}`, {
      token: ADMIN_TOKEN,
    });
    const state = (await before.json()) as { roots: { answers: { text: string }[] } };
    expect(state.roots.answers.map((answer) => answer.text).sort()).toEqual(["Prima", "Seconda"]);
  });

  it("tells every process when a facilitator closes a seminar: the programme says so there too", async () => {
    const { processes } = await cluster(2);
    const [a, b] = processes as [Process, Process];
    const facilitator = track(connectClient(a, SEMINAR, ADMIN_TOKEN));
    await waitFor(() => facilitator.provider.synced, "the facilitator on A");
    const statusAt = async (server: Process) => {
      const response = await api(server, "GET", "/api/programmes/toscana-2021", {
        token: ADMIN_TOKEN,
      });
      const programme = (await response.json()) as { seminars: { id: string; status: string }[] };
      return programme.seminars.find((seminar) => `seminar:${seminar.id}` === SEMINAR)?.status;
    };
    expect(await statusAt(b)).toBe("scheduled");
    facilitator.doc.getMap("session").set("status", "closed");
    // B never loaded the seminar: it hears of the change over Redis.
    const deadline = Date.now() + 10_000;
    while ((await statusAt(b)) !== "closed" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await statusAt(b)).toBe("closed");
    expect(await statusAt(a)).toBe("closed");
  });

  it("refuses writes cleanly while PostgreSQL is down, and takes them again when it is back", async () => {
    const { processes } = await cluster(1);
    const [a] = processes as [Process];
    const writer = track(connectClient(a, SEMINAR, ADMIN_TOKEN));
    await waitFor(() => writer.provider.synced, "synced");
    postgres.stop();
    cleanups.push(() => postgres.start());
    const answer = new Y.Map<unknown>();
    answer.set("id", "offline");
    answer.set("questionId", QUESTION);
    answer.set("text", "scritta senza database");
    answer.set("createdAt", Date.now());
    writer.doc.getArray("answers").push([answer]);
    await expectClosed(writer, { code: 1011, reason: "storage-failure" });
    expect((await fetch(`${a.url}/readyz`)).status).toBe(503);
    expect((await fetch(`${a.url}/healthz`)).status).toBe(200); // alive, not ready
    // Joining a document that is not loaded needs storage: the same 1011, said the same way.
    const joiner = track(connectClient(a, "seminar:s3-crisi-umanitarie", ADMIN_TOKEN));
    await expectClosed(joiner, { code: 1011, reason: "storage-failure" });
    joiner.provider.disconnect();

    postgres.start();
    // The stock client keeps reconnecting; once storage is back its edit goes in.
    const reader = track(connectClient(a, SEMINAR, ADMIN_TOKEN));
    await waitFor(() => reader.provider.synced, "a reader once PostgreSQL is back", 20_000);
    await waitFor(() => texts(reader.doc).includes("scritta senza database"), "the edit", 20_000);
    expect((await fetch(`${a.url}/readyz`)).status).toBe(200);
  });
});
