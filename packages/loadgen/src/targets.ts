/**
 * Servers under test, each started as its own child process on a free 127.0.0.1 port, so its CPU
 * time and peak RSS can be read from /proc and nothing is shared with the load generator.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ProtocolMode } from "./protocol.ts";

export const TARGET_NAMES = ["percorso", "y-websocket", "hocuspocus", "relay"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const HOST = "127.0.0.1";

/** Where clients of one document connect: writers (probes) and read-only clients. */
export type DocEndpoints = { name: string; writerUrl: string; readerUrl: string };

export type ProcessUsage = { cpuSeconds: number; peakRssBytes: number | null };

export type RunningTarget = {
  name: TargetName;
  /** How clients must speak to it; see `ProtocolMode`. */
  mode: ProtocolMode;
  pid: number;
  /** Endpoints for `count` distinct documents. */
  documents(count: number): Promise<DocEndpoints[]>;
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: HOST, port });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

const CLK_TCK = 100; // `getconf CLK_TCK` on Linux x86_64/arm64

/** utime + stime of a process, in seconds, and VmHWM (peak RSS) from /proc. */
export async function processUsage(pid: number): Promise<ProcessUsage> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after "(comm)": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return {
    cpuSeconds: ticks / CLK_TCK,
    peakRssBytes: hwm?.[1] === undefined ? null : Number(hwm[1]) * 1024,
  };
}

type Spawned = { child: ChildProcess; port: number; output: () => string };

/** Starts `node args` with env, waits until the port accepts connections. */
async function spawnServer(
  args: string[],
  env: Record<string, string>,
  port: number,
  timeoutMs = 20_000,
): Promise<Spawned> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    // No inherited persistence: y-websocket-server would otherwise write to YPERSISTENCE.
    env: { ...process.env, YPERSISTENCE: undefined, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let exited: number | null = null;
  child.once("exit", (code) => {
    exited = code ?? -1;
  });
  const deadline = Date.now() + timeoutMs;
  while (!(await canConnect(port))) {
    if (exited !== null) {
      throw new Error(`server ${args.join(" ")} exited with ${exited}:\n${output}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server ${args.join(" ")} not accepting after ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, output: () => output };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}

function running(
  name: TargetName,
  mode: ProtocolMode,
  spawned: Spawned,
  documents: (count: number) => Promise<DocEndpoints[]>,
  cleanup: () => Promise<void> = async () => {},
): RunningTarget {
  const pid = spawned.child.pid;
  if (pid === undefined) throw new Error(`${name}: no pid`);
  return {
    name,
    mode,
    pid,
    documents,
    usage: () => processUsage(pid),
    stop: async () => {
      await stopChild(spawned.child);
      await cleanup();
    },
  };
}

/** Plain y-websocket style URLs: one path per document, no auth. */
function pathDocuments(port: number) {
  return async (count: number): Promise<DocEndpoints[]> =>
    Array.from({ length: count }, (_, i) => {
      const name = `bench-${i}`;
      const url = `ws://${HOST}:${port}/${name}`;
      return { name, writerUrl: url, readerUrl: url };
    });
}

const PROGRAMME = "toscana-2021";

async function startPercorso(): Promise<RunningTarget> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "percorso-bench-"));
  const adminToken = randomBytes(24).toString("hex");
  const spawned = await spawnServer(
    ["server/src/main.ts"],
    {
      PORT: String(port),
      HOST,
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: "warn",
      RATE_LIMIT_BURST: "1000000",
      RATE_LIMIT_PER_SECOND: "1000000",
    },
    port,
  ).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  const base = `http://${HOST}:${port}`;
  const api = async (path: string, init?: RequestInit): Promise<unknown> => {
    const response = await fetch(base + path, init);
    if (!response.ok) {
      throw new Error(`percorso ${path}: ${response.status} ${await response.text()}`);
    }
    return response.json();
  };
  const invite = async (role: string, seminarId: string): Promise<string> => {
    const body = (await api("/api/invites", {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ role, programmeId: PROGRAMME, seminarId }),
    })) as { token: string };
    return body.token;
  };
  const documents = async (count: number): Promise<DocEndpoints[]> => {
    const programme = (await api(`/api/programmes/${PROGRAMME}`)) as {
      seminars: Array<{ id: string; document: string }>;
    };
    if (programme.seminars.length < count) {
      const available = programme.seminars.length;
      throw new Error(`percorso: ${count} documents asked, ${PROGRAMME} has ${available}`);
    }
    return Promise.all(
      programme.seminars.slice(0, count).map(async (seminar) => {
        const url = `ws://${HOST}:${port}/collab/${encodeURIComponent(seminar.document)}?token=`;
        const [writer, reader] = await Promise.all([
          invite("participant", seminar.id),
          invite("observer", seminar.id),
        ]);
        return {
          name: seminar.document,
          writerUrl: url + encodeURIComponent(writer),
          readerUrl: url + encodeURIComponent(reader),
        };
      }),
    );
  };
  return running("percorso", "yjs", spawned, documents, () =>
    rm(dataDir, { recursive: true, force: true }),
  );
}

async function startYWebsocket(): Promise<RunningTarget> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("@y/websocket-server/package.json"));
  const port = await freePort();
  const env: Record<string, string> = { HOST, PORT: String(port) };
  const spawned = await spawnServer([join(packageDir, "src/server.js")], env, port);
  return running("y-websocket", "yjs", spawned, pathDocuments(port));
}

async function startRelay(): Promise<RunningTarget> {
  const port = await freePort();
  const script = join(import.meta.dirname, "relayServer.ts");
  const spawned = await spawnServer([script], { HOST, PORT: String(port) }, port);
  return running("relay", "relay", spawned, pathDocuments(port));
}

/** Hocuspocus: the document name is the URL path (the client sends it in every message). */
async function startHocuspocus(): Promise<RunningTarget> {
  const port = await freePort();
  const script = join(import.meta.dirname, "hocuspocusServer.ts");
  const spawned = await spawnServer([script], { HOST, PORT: String(port) }, port);
  return running("hocuspocus", "hocuspocus", spawned, pathDocuments(port));
}

export function startTarget(name: TargetName): Promise<RunningTarget> {
  switch (name) {
    case "percorso":
      return startPercorso();
    case "y-websocket":
      return startYWebsocket();
    case "hocuspocus":
      return startHocuspocus();
    case "relay":
      return startRelay();
  }
}
