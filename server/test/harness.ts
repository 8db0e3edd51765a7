import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, expect } from "vitest";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import WebSocket from "ws";
import { readAuthMessage } from "y-protocols/auth";
import {
  EDITOR_MARKS,
  EDITOR_NODES,
  addAnswer,
  isSafeHref,
  listQuestions,
  mayAnswer,
  seminarDocumentName,
  setQuestionState,
  toggleVote,
} from "@percorso/schema";
import { startServer, type PercorsoServer } from "../src/app.ts";
import { loadConfig } from "../src/config.ts";
import { openSqliteStorage } from "../src/storage/sqlite.ts";

export const ADMIN_TOKEN = "test-admin-token-0123456789";
const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
export const PROGRAMME = "toscana-2021";

export function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "percorso-test-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A real server on a free port with its own SQLite file. */
export async function startTestServer(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<PercorsoServer> {
  const config = loadConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    LOG_LEVEL: "silent",
    // Tests make many people and invites in a few seconds with one token; the limit has a test.
    REST_RATE_PER_MINUTE: "100000",
    ...env,
  });
  return startServer(config);
}

export function wsUrl(server: { url: string }): string {
  return server.url.replace(/^http/, "ws") + "/collab";
}

/** The websocket URL of one document, with `token` as its query parameter when given. */
export function documentUrl(server: { url: string }, documentName: string, token?: string): string {
  const query = token === undefined ? "" : `?token=${encodeURIComponent(token)}`;
  return `${wsUrl(server)}/${documentName}${query}`;
}

/** Polls a condition; fails with `what` after `timeoutMs`. No fixed sleeps in tests. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  denied: string[];
  /** The person behind the client's personal token, when it joined as one. */
  person?: JoinedPerson;
  /** A second Yjs client id for the person's anonymous items (DESIGN.md §4.1). */
  anonClientId: number;
  destroy(): void;
}

/** What `POST /api/join` answers (the fields tests read). */
export interface JoinedPerson {
  token: string;
  userId: string;
  anonId: string;
  name: string;
  role: string;
  inviteId: string;
}

/** Exchanges an invite for a person with a personal token (`POST /api/join`). */
export async function joinAs(
  server: { url: string },
  inviteToken: string,
  details: { name?: string; actorKind?: string; anonymous?: boolean } = {},
): Promise<JoinedPerson> {
  const response = await api(server, "POST", "/api/join", {
    token: inviteToken,
    body: { name: "Partecipante", ...details },
  });
  if (response.status !== 201)
    throw new Error(`join failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as JoinedPerson;
}

/** Invites `grant` as the admin and makes a person of it. */
export async function newPerson(
  server: { url: string },
  grant: InviteRequest,
  details: { name?: string; actorKind?: string; anonymous?: boolean } = {},
): Promise<JoinedPerson> {
  return joinAs(server, await invite(server, grant), details);
}

/** A stock y-websocket provider in Node (ws as the WebSocket polyfill). */
export function connectClient(
  server: { url: string },
  documentName: string,
  token: string | undefined,
  doc = new Y.Doc(),
): TestClient {
  const closes: { code: number; reason: string }[] = [];
  const denied: string[] = [];
  const provider = new WebsocketProvider(wsUrl(server), documentName, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token === undefined ? {} : { token },
    disableBc: true,
    maxBackoffTime: 200,
  });
  provider.on("connection-close", (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  // Stock y-websocket only console.warns the y-protocols "permission denied" message: record it.
  provider.messageHandlers[2] = (_encoder, decoder) =>
    readAuthMessage(decoder, doc, (_doc, reason) => denied.push(reason));
  return {
    doc,
    provider,
    closes,
    denied,
    anonClientId: Math.floor(Math.random() * 0x1_0000_0000),
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export async function syncedClient(
  server: { url: string },
  documentName: string,
  token: string | undefined,
): Promise<TestClient> {
  const client = connectClient(server, documentName, token);
  await waitFor(() => client.provider.synced, `${documentName} to sync`);
  return client;
}

/**
 * Opens a seminar's key questions as its facilitator would, from the console: the starter
 * questions are drafts until then. `questionIds` defaults to every question not open yet.
 * Resolves once a fresh client sees them open (the server has taken the change).
 */
export async function openQuestions(
  server: { url: string },
  seminarId: string,
  questionIds?: readonly string[],
): Promise<void> {
  const name = seminarDocumentName(seminarId);
  const facilitator = await syncedClient(server, name, ADMIN_TOKEN);
  try {
    const ids =
      questionIds ??
      listQuestions(facilitator.doc)
        .filter((q) => q.state !== "open")
        .map((q) => q.id);
    for (const id of ids) setQuestionState(facilitator.doc, id, "open");
    const deadline = Date.now() + 10_000;
    for (;;) {
      const reader = await syncedClient(server, name, ADMIN_TOKEN);
      const open = new Set(
        listQuestions(reader.doc)
          .filter((q) => q.state === "open")
          .map((q) => q.id),
      );
      reader.destroy();
      if (ids.every((id) => open.has(id))) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${seminarId}'s questions`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    facilitator.destroy();
  }
}

/** What `POST /api/invites` takes; `programmeId` defaults to the seeded programme. */
export interface InviteRequest {
  role: string;
  programmeId?: string;
  seminarId?: string;
  expiresInSeconds?: number;
}

export async function invite(
  server: { url: string },
  body: InviteRequest,
  bearer = ADMIN_TOKEN,
): Promise<string> {
  const response = await fetch(`${server.url}/api/invites`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ programmeId: PROGRAMME, ...body }),
  });
  if (response.status !== 201)
    throw new Error(`invite failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** A raw websocket that records how the server closed it. */
export function rawSocket(url: string): Promise<{
  socket: WebSocket;
  closed: Promise<{ code: number; reason: string }>;
}> {
  const socket = new WebSocket(url);
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on("error", () => {});
  return new Promise((resolve, reject) => {
    socket.once("open", () => resolve({ socket, closed }));
    socket.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** The value of a Prometheus gauge or counter (no labels) from `GET /metrics`. */
export async function readMetric(server: { url: string }, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split("\n").find((row) => row.startsWith(`${name} `));
  if (line === undefined) throw new Error(`no metric ${name}`);
  return Number(line.slice(name.length + 1));
}

export async function waitForMetric(
  server: { url: string },
  name: string,
  value: number,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await readMetric(server, name)) !== value) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${name} = ${value}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The `text` field of every item of a Y.Array of Y.Maps (answers, questions). */
export const itemTexts = (doc: Y.Doc, root: "answers" | "questions"): unknown[] =>
  doc
    .getArray<Y.Map<unknown>>(root)
    .toArray()
    .map((item) => item.get("text"));

/** A JSON request to the REST API; `body` is sent as JSON when given. */
export function api(
  server: { url: string },
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

/** Issues an invite as `bearer` and returns the whole response body (id, token, url, …). */
export async function inviteRecord(
  server: { url: string },
  body: InviteRequest,
  bearer = ADMIN_TOKEN,
): Promise<CreatedInvite> {
  const response = await api(server, "POST", "/api/invites", {
    body: { programmeId: PROGRAMME, ...body },
    token: bearer,
  });
  if (response.status !== 201)
    throw new Error(`invite failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as CreatedInvite;
}

/** What `POST /api/invites` answers (the fields tests read). */
export interface CreatedInvite {
  id: string;
  token: string;
  url: string;
  shortUrl: string;
  role: string;
}

/** Waits for the server to close `client`'s socket, and checks the code and reason it closed with. */
export async function expectClosed(
  client: TestClient,
  close: { code: number; reason: string },
): Promise<void> {
  await waitFor(() => client.closes.length > 0, `the server to close with ${close.code}`);
  expect(client.closes[0]).toEqual(close);
}

/**
 * The server of a describe block's tests, as `useTestServer` gives it: pass it wherever a
 * `{ url }` goes (`api`, `invite`, `syncedClient`, …); `url` follows restarts.
 */
export interface TestServer {
  /** The base URL of the server now running. */
  readonly url: string;
  /** This test's data directory, kept across restarts. */
  readonly dataDir: string;
  /** Clients destroyed after the test; `connect` and `join` add theirs. */
  readonly clients: TestClient[];
  /** A synced client of `documentName`, destroyed after the test. */
  connect(documentName: string, token: string | undefined): Promise<TestClient>;
  /**
   * Invites `grant` as the admin, makes a person of it (`POST /api/join`, named `details.name`
   * or "Partecipante"), then `connect`s with the personal token; the client's `person` says who.
   */
  join(
    documentName: string,
    grant: InviteRequest,
    details?: { name?: string; actorKind?: string; anonymous?: boolean },
  ): Promise<TestClient>;
  /** Invites `grant` and `connect`s with the invite token itself (no person behind it). */
  joinWithInvite(documentName: string, grant: InviteRequest): Promise<TestClient>;
  /** Destroys every client registered so far. */
  destroyClients(): void;
  /** Stops the server (harmless when stopped already). */
  stop(): Promise<void>;
  /**
   * Stops the server if it runs and starts another on the same data, with `env` in place of the
   * environment given to `useTestServer` (the same one when left out). Clients stay as they are.
   */
  restart(env?: Record<string, string>): Promise<void>;
}

/**
 * Registers `beforeEach`/`afterEach` hooks that give every test of the enclosing describe block a
 * fresh data directory and a server on it started with `env`; afterwards the registered clients
 * are destroyed, the server stopped and the data directory removed.
 */
export function useTestServer(env: Record<string, string> = {}): TestServer {
  let data: ReturnType<typeof tempDataDir> | undefined;
  let server: PercorsoServer | undefined;
  const clients: TestClient[] = [];
  const running = (): { data: ReturnType<typeof tempDataDir>; server: PercorsoServer } => {
    if (data === undefined || server === undefined)
      throw new Error("no test server outside a test");
    return { data, server };
  };

  const context: TestServer = {
    get url() {
      return running().server.url;
    },
    get dataDir() {
      return running().data.dir;
    },
    clients,
    async connect(documentName, token) {
      const client = await syncedClient(context, documentName, token);
      clients.push(client);
      return client;
    },
    async join(documentName, grant, details) {
      const person = await newPerson(context, grant, details);
      const client = await context.connect(documentName, person.token);
      client.person = person;
      return client;
    },
    async joinWithInvite(documentName, grant) {
      return context.connect(documentName, await invite(context, grant));
    },
    destroyClients() {
      for (const client of clients.splice(0)) client.destroy();
    },
    stop: () => running().server.stop(),
    async restart(restartEnv = env) {
      const current = running();
      await current.server.stop();
      server = await startTestServer(current.data.dir, restartEnv);
    },
  };

  beforeEach(async () => {
    data = tempDataDir();
    server = await startTestServer(data.dir, env);
  });
  afterEach(async () => {
    context.destroyClients();
    await server?.stop();
    data?.remove();
    server = undefined;
    data = undefined;
  });
  return context;
}

/**
 * Writes an answer as the client's person: signed with their id and name, or anonymously under
 * their anonymous id and second client id (DESIGN.md §4.1). Returns the answer id. Without a
 * `questionId` it answers the document's first open question (the server takes answers to open
 * questions only).
 */
export function answerAs(
  client: TestClient,
  text: string,
  options: { questionId?: string; anonymous?: boolean; id?: string } = {},
): string {
  const person = client.person;
  if (person === undefined) throw new Error("answerAs needs a client that joined as a person");
  const anonymous = options.anonymous === true;
  return addAnswer(
    client.doc,
    {
      questionId:
        options.questionId ?? listQuestions(client.doc).find(mayAnswer)?.id ?? "no-open-question",
      text,
      author: anonymous ? "" : person.name,
      authorId: anonymous ? person.anonId : person.userId,
    },
    {
      ...(options.id ? { id: options.id } : {}),
      ...(anonymous ? { clientId: client.anonClientId } : {}),
    },
  );
}

/** Toggles the client's person's vote on an answer, keyed and written as the rules ask. */
export function voteAs(client: TestClient, answerId: string): boolean {
  const person = client.person;
  if (person === undefined) throw new Error("voteAs needs a client that joined as a person");
  return toggleVote(client.doc, answerId, person.anonId, { clientId: client.anonClientId });
}

/**
 * The real server as a child process (so it can be SIGKILLed), on Node 24 like `npm start`,
 * on `dataDir` with `env` added; resolves with its URL once it listens. The flood limit is
 * lifted: test writers stream far faster than a person types.
 */
export async function spawnServerProcess(
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ADMIN_TOKEN,
      LOG_LEVEL: "info",
      RATE_LIMIT_BURST: "100000",
      RATE_LIMIT_PER_SECOND: "100000",
      ...env,
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line.includes('"msg":"listening"')) resolve((JSON.parse(line) as { url: string }).url);
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited early with ${code}`)));
  });
  return { child, url };
}

/** Appends a change to a document's log in storage, as the server would have stored it. */
export async function writeStraightToLog(
  dataDir: string,
  name: string,
  change: (doc: Y.Doc) => void,
): Promise<void> {
  const store = openSqliteStorage(join(dataDir, "percorso.sqlite"));
  const stored = await store.load(name);
  const doc = new Y.Doc();
  if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
  for (const update of stored.updates) Y.applyUpdate(doc, update);
  const before = Y.encodeStateVector(doc);
  change(doc);
  await store.appendUpdates(name, [
    {
      update: Y.encodeStateAsUpdate(doc, before),
      userId: "system",
      role: "system",
      name: "Percorso",
      at: Date.now(),
      anonymous: false,
      binds: [{ clientId: doc.clientID, userId: "system", anonymous: false }],
    },
  ]);
  doc.destroy();
  await store.close();
}

/** Every node, attribute and mark of a fragment is the editor's, every link safe. */
export function expectOnlyEditorSchema(node: Y.XmlFragment | Y.XmlElement): void {
  for (const child of node.toArray()) {
    if (child instanceof Y.XmlElement) {
      expect(Object.keys(EDITOR_NODES)).toContain(child.nodeName);
      for (const attribute of Object.keys(child.getAttributes())) {
        expect(EDITOR_NODES[child.nodeName]).toContain(attribute);
      }
      expectOnlyEditorSchema(child);
    } else if (child instanceof Y.XmlText) {
      for (const part of child.toDelta() as { attributes?: Record<string, unknown> }[]) {
        for (const [mark, value] of Object.entries(part.attributes ?? {})) {
          const name = mark.replace(/--[A-Za-z0-9+/=]{1,16}$/, "");
          expect(Object.keys(EDITOR_MARKS)).toContain(name);
          if (name === "link") expect(isSafeHref((value as { href?: unknown }).href)).toBe(true);
        }
      }
    } else {
      throw new Error(`a rich-text child that is neither a node nor text: ${String(child)}`);
    }
  }
}
