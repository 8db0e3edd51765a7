import { describe, expect, it } from "vitest";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { CLOSE, draftDocumentName } from "@percorso/schema";
import {
  ADMIN_TOKEN,
  api,
  documentUrl,
  invite,
  readMetric,
  rawSocket,
  useTestServer,
  waitFor,
  type TestServer,
} from "./harness.ts";

/**
 * Issue 16, attacks 10 and 11: heavy work kept off the event loop. Exports, reports and history
 * replays run in worker threads behind a bounded queue with a cache; a sync step 1 is answered
 * from a cached reply, and a connection that repeats it beyond a small rate is closed (4429).
 */

const SEMINAR = "seminar:s2-economia-circolare";
const PROGRAMME = "toscana-2021";
const DRAFT = draftDocumentName(PROGRAMME);
const EXPORT = `/api/programmes/${PROGRAMME}/draft`;

/** Writes `count` paragraphs of a few sentences each into the draft's body, as the admin. */
async function longDraft(server: TestServer, count: number) {
  const client = await server.connect(DRAFT, ADMIN_TOKEN);
  const body = client.doc.getXmlFragment("body");
  client.doc.transact(() => {
    const paragraphs = Array.from({ length: count }, (_, i) => {
      const paragraph = new Y.XmlElement("paragraph");
      const text = new Y.XmlText();
      // One insert before the text is in the document: it takes it whole.
      text.insert(
        0,
        `Paragrafo ${i + 1}. Le filiere corte, la formazione e la cooperazione territoriale ` +
          "sono la condizione di un'economia circolare che tenga insieme imprese e comunità.",
      );
      paragraph.insert(0, [text]);
      return paragraph;
    });
    body.insert(body.length, paragraphs);
  });
  await waitFor(() => client.provider.synced && !client.provider.ws?.bufferedAmount, "the draft");
  // The server has it once a fresh reader sees it.
  const reader = await server.connect(DRAFT, ADMIN_TOKEN);
  await waitFor(
    () => reader.doc.getXmlFragment("body").length >= count,
    "the long draft on the server",
  );
  return client;
}

/** A counter's value for one set of labels, from `GET /metrics`. */
async function labelled(server: { url: string }, name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split("\n").find((row) => row.startsWith(`${name}{${labels}} `));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

/** Polls a gauge until it reads `value` (each read is itself a request the server answers). */
async function metricReaches(server: { url: string }, name: string, value: number) {
  const deadline = Date.now() + 20_000;
  while ((await readMetric(server, name).catch(() => -1)) !== value) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${name} = ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** One round trip through the server's event loop: ask for presence, get it back. */
async function roundTrip(socket: import("ws").WebSocket): Promise<void> {
  await new Promise<void>((resolve) => {
    const onMessage = (data: Buffer) => {
      if (data[0] !== 1) return; // awareness
      socket.off("message", onMessage);
      resolve();
    };
    socket.on("message", onMessage);
    socket.send(new Uint8Array([3])); // query awareness
  });
}

/** A y-protocols sync step 1 carrying `stateVector`. */
function syncStep1(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

describe("sync step 1 (attack 11)", () => {
  const server = useTestServer();

  it("closes with 4429 a connection that repeats sync step 1 with a state vector beyond its rate", async () => {
    const { socket, closed } = await rawSocket(documentUrl(server, SEMINAR, ADMIN_TOKEN));
    let replies = 0;
    socket.on("message", (data: Buffer) => {
      // Sync (0), step 2 (1): the server's answer to a step 1.
      if (data[0] === 0 && data[1] === 1) replies += 1;
    });
    // A non-empty state vector (one client, clock 1): the attack's six-byte message, 20 times.
    const vector = new Uint8Array([1, 7, 1]);
    for (let i = 0; i < 20; i++) socket.send(syncStep1(vector));
    expect(await closed).toEqual(CLOSE.tooManyMessages);
    // The burst (5) was answered, the rest was not.
    expect(replies).toBe(5);
    expect(await readMetric(server, "percorso_sync_step1_limited_total")).toBe(1);
  });

  it("never closes stock providers that connect and reconnect", async () => {
    const client = await server.connect(SEMINAR, ADMIN_TOKEN);
    for (let round = 0; round < 8; round++) {
      client.provider.disconnect();
      await waitFor(() => !client.provider.wsconnected, "the provider to disconnect");
      client.provider.connect();
      await waitFor(() => client.provider.synced, "the provider to resync");
    }
    expect(client.closes.filter((close) => close.code === CLOSE.tooManyMessages.code)).toEqual([]);
    expect(await readMetric(server, "percorso_sync_step1_limited_total")).toBe(0);
  });
});

describe("exports off the event loop (attack 10)", () => {
  // Three exports by one token at once (the attack's observer link) are within its share here.
  const server = useTestServer({ JOB_QUEUE_PER_TOKEN: "3" });

  it("answers another document's round trip while three DOCX exports of a 300-paragraph draft are made", async () => {
    await longDraft(server, 300);
    const observer = await invite(server, { role: "observer" });
    // Someone in a seminar, with presence to ask for.
    const seminar = await server.connect(SEMINAR, ADMIN_TOKEN);
    seminar.provider.awareness.setLocalStateField("user", { name: "Sala" });
    const { socket } = await rawSocket(documentUrl(server, SEMINAR, ADMIN_TOKEN));
    await roundTrip(socket); // joined

    let exported = 0;
    const exports = Array.from({ length: 3 }, () =>
      api(server, "GET", `${EXPORT}.docx`, { token: observer }).then(async (response) => {
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        exported += 1;
      }),
    );
    // All three are in the workers' queue (or running) …
    await metricReaches(server, "percorso_job_queue", 3);
    // … and the seminar's round trip is answered before any of them is done.
    await roundTrip(socket);
    expect(exported).toBe(0);
    await Promise.all(exports);
    expect(exported).toBe(3);
    socket.close();
  });
});

describe("the workers' bounded queue and cache (attack 10)", () => {
  const server = useTestServer();

  it("answers 429 with Retry-After to a token asking more than its share, and serves the others", async () => {
    await longDraft(server, 300);
    const observer = await invite(server, { role: "observer" });
    const other = await invite(server, { role: "observer" });
    const ask = (token: string, format: string) =>
      api(server, "GET", `${EXPORT}.${format}`, { token }).then(async (response) => ({
        status: response.status,
        retryAfter: response.headers.get("retry-after"),
        body:
          response.status === 429 ? ((await response.json()) as { error: { code: string } }) : null,
      }));
    // Three at once from one token (its share is two), and one from another token.
    const answers = await Promise.all([
      ask(observer, "docx"),
      ask(observer, "pdf"),
      ask(observer, "docx"),
      ask(other, "docx"),
    ]);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused).toHaveLength(1);
    expect(Number(refused[0]!.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(refused[0]!.body?.error.code).toBe("too_many_requests");
    expect(answers[3]!.status).toBe(200);
    expect(
      await labelled(server, "percorso_jobs_total", 'kind="draftExport",outcome="refused"'),
    ).toBe(1);
  });

  it("serves a repeated export from the cache until the document changes", async () => {
    const writer = await longDraft(server, 20);
    const observer = await invite(server, { role: "observer" });
    const first = await api(server, "GET", `${EXPORT}.md`, { token: observer });
    const again = await api(server, "GET", `${EXPORT}.md`, { token: observer });
    expect(first.headers.get("x-percorso-job")).toBe("worker");
    expect(again.headers.get("x-percorso-job")).toBe("cache");
    expect(await again.text()).toBe(await first.text());
    expect(
      await labelled(server, "percorso_jobs_total", 'kind="draftExport",outcome="cached"'),
    ).toBe(1);
    // A change to the draft is a new state: made again.
    const body = writer.doc.getXmlFragment("body");
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText();
    text.insert(0, "Un paragrafo aggiunto dopo.");
    paragraph.insert(0, [text]);
    body.insert(body.length, [paragraph]);
    const reader = await server.connect(DRAFT, ADMIN_TOKEN);
    await waitFor(
      () => reader.doc.getXmlFragment("body").toString().includes("aggiunto dopo"),
      "the edit on the server",
    );
    const changed = await api(server, "GET", `${EXPORT}.md`, { token: observer });
    expect(changed.headers.get("x-percorso-job")).toBe("worker");
    expect(await changed.text()).toContain("Un paragrafo aggiunto dopo.");
  });
});

describe("the server's job queue (attack 10)", () => {
  const server = useTestServer({ JOB_QUEUE_MAX: "1" });

  it("answers 429 with Retry-After when the server's queue is full, whoever asks", async () => {
    await longDraft(server, 300);
    const tokens = [
      await invite(server, { role: "observer" }),
      await invite(server, { role: "observer" }),
    ];
    const statuses = await Promise.all(
      tokens.map((token) =>
        api(server, "GET", `${EXPORT}.docx`, { token }).then((response) => ({
          status: response.status,
          retryAfter: response.headers.get("retry-after"),
        })),
      ),
    );
    expect(statuses.map((answer) => answer.status).sort()).toEqual([200, 429]);
    expect(statuses.find((answer) => answer.status === 429)?.retryAfter).toMatch(/^[1-9]\d*$/);
  });
});
