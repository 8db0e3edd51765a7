/**
 * Servers under test, each started as its own child process on a free 127.0.0.1 port, so its CPU
 * time and peak RSS can be read from /proc and nothing is shared with the load generator. A
 * target can be restarted on the same port (and data directory), as after a deploy.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { ProtocolMode } from "./protocol.ts";

export const TARGET_NAMES = ["percorso", "y-websocket", "hocuspocus", "relay"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const HOST = "127.0.0.1";

/** A person who answers and votes: where they connect and who the server takes them for. */
export type VoterIdentity = { url: string; userId: string; anonId: string; name: string };

/**
 * Where clients of one document connect: writers of shared text (probes), read-only clients,
 * whoever writes the seed answers, and `count` voters, each a person of their own (Percorso
 * refuses answers and votes that are not the writer's: DESIGN.md §4.1).
 */
export type DocEndpoints = {
  name: string;
  writerUrl: string;
  readerUrl: string;
  seedUrl: string;
  voters(count: number, prefix: string): Promise<VoterIdentity[]>;
};

/** Voters for servers that know no people: invented identities on the writer's URL. */
const inventedVoters =
  (url: string) =>
  async (count: number, prefix: string): Promise<VoterIdentity[]> =>
    Array.from({ length: count }, (_, i) => {
      const id = `${prefix}.${i}`;
      return { url, userId: id, anonId: id, name: id };
    });

/**
 * `seminar`: a seminar document, written by participants (`recommendations`, `answers`).
 * `draft`: the programme's final draft, written by drafters (`body`), read by observers.
 */
export type DocumentKind = "seminar" | "draft";

export type ProcessUsage = {
  /** utime + stime, seconds; summed over every process the target ran (restarts). */
  cpuSeconds: number;
  /** VmHWM: the largest over every process the target ran. */
  peakRssBytes: number | null;
  /** VmRSS of the current process. */
  rssBytes: number | null;
};

export type TargetOptions = {
  /** Percorso only: run with `--cpu-prof`, writing profiles into this directory. */
  cpuProfDir?: string;
};

export type RunningTarget = {
  name: TargetName;
  /** How clients must speak to it; see `ProtocolMode`. */
  mode: ProtocolMode;
  /** Whether documents survive a restart. */
  persistent: boolean;
  pid(): number;
  /** Endpoints for `count` distinct documents of a kind. */
  documents(kind: DocumentKind, count: number): Promise<DocEndpoints[]>;
  usage(): Promise<ProcessUsage>;
  /** Bytes in the data directory; null for a target without persistence. */
  dataBytes(): Promise<number | null>;
  /** Graceful stop (SIGTERM), then the same server again on the same port and data. */
  restart(): Promise<void>;
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

/** utime + stime of a process, in seconds, VmHWM (peak RSS) and VmRSS from /proc. */
export async function processUsage(pid: number): Promise<ProcessUsage> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after "(comm)": state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const kb = (name: string) => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB`, "m").exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  };
  return { cpuSeconds: ticks / CLK_TCK, peakRssBytes: kb("VmHWM"), rssBytes: kb("VmRSS") };
}

/** Busy CPU seconds of the whole machine (all cores, every process) since boot, from /proc/stat. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile("/proc/stat", "utf8")).split("\n")[0] ?? "";
  const [, ...values] = line.trim().split(/\s+/);
  const ticks = values.map(Number);
  const total = ticks.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  return (total - idle) / CLK_TCK;
}

/** Total size of the files under `dir`. */
export async function directoryBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return total;
}

type Spawned = { child: ChildProcess; output: () => string };

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
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, output: () => output };
}

function stopChild(child: ChildProcess, timeoutMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      done();
    });
    child.kill("SIGTERM");
  });
}

type Launch = {
  name: TargetName;
  mode: ProtocolMode;
  port: number;
  args: string[];
  env: Record<string, string>;
  /** Data directory (removed on stop); undefined for a target without persistence. */
  dataDir?: string;
  documents: (kind: DocumentKind, count: number) => Promise<DocEndpoints[]>;
};

/** Runs a launch description: start, restart on the same port, usage over every process. */
async function launch(spec: Launch): Promise<RunningTarget> {
  const cleanup = async () => {
    if (spec.dataDir !== undefined) await rm(spec.dataDir, { recursive: true, force: true });
  };
  let current = await spawnServer(spec.args, spec.env, spec.port).catch(async (error: unknown) => {
    await cleanup();
    throw error;
  });
  // CPU and peak RSS of processes already stopped (a restart), read just before they exit.
  let pastCpu = 0;
  let pastPeak = 0;
  const pid = () => {
    const value = current.child.pid;
    if (value === undefined) throw new Error(`${spec.name}: no pid`);
    return value;
  };
  const stopCurrent = async () => {
    try {
      // Exiting takes CPU too (flushing documents): sample as late as possible.
      const exited = new Promise<void>((done) => current.child.once("exit", () => done()));
      const sampler = (async () => {
        let last: ProcessUsage | null = null;
        for (;;) {
          try {
            last = await processUsage(pid());
          } catch {
            return last;
          }
          const done = await Promise.race([
            exited.then(() => true),
            new Promise<false>((r) => setTimeout(() => r(false), 20)),
          ]);
          if (done) return last;
        }
      })();
      await stopChild(current.child);
      const last = await sampler;
      if (last !== null) {
        pastCpu += last.cpuSeconds;
        pastPeak = Math.max(pastPeak, last.peakRssBytes ?? 0);
      }
    } catch {
      await stopChild(current.child);
    }
  };
  return {
    name: spec.name,
    mode: spec.mode,
    persistent: spec.dataDir !== undefined,
    pid,
    documents: spec.documents,
    usage: async () => {
      const now = await processUsage(pid());
      return {
        cpuSeconds: pastCpu + now.cpuSeconds,
        peakRssBytes: Math.max(pastPeak, now.peakRssBytes ?? 0) || null,
        rssBytes: now.rssBytes,
      };
    },
    dataBytes: async () => (spec.dataDir === undefined ? null : await directoryBytes(spec.dataDir)),
    restart: async () => {
      await stopCurrent();
      current = await spawnServer(spec.args, spec.env, spec.port);
    },
    stop: async () => {
      await stopChild(current.child);
      await cleanup();
    },
  };
}

/** Plain y-websocket style URLs: one path per document, no auth. */
function pathDocuments(port: number) {
  return async (kind: DocumentKind, count: number): Promise<DocEndpoints[]> =>
    Array.from({ length: count }, (_, i) => {
      const name = `${kind}-${i}`;
      const url = `ws://${HOST}:${port}/${name}`;
      return { name, writerUrl: url, readerUrl: url, seedUrl: url, voters: inventedVoters(url) };
    });
}

const PROGRAMME = "toscana-2021";

async function startPercorso(options: TargetOptions): Promise<RunningTarget> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "percorso-bench-"));
  const adminToken = randomBytes(24).toString("hex");
  const base = `http://${HOST}:${port}`;
  const api = async (path: string, init?: RequestInit): Promise<unknown> => {
    const response = await fetch(base + path, init);
    if (!response.ok) {
      throw new Error(`percorso ${path}: ${response.status} ${await response.text()}`);
    }
    return response.json();
  };
  const invite = async (role: string, seminarId?: string): Promise<string> => {
    const body = (await api("/api/invites", {
      method: "POST",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ role, programmeId: PROGRAMME, seminarId }),
    })) as { token: string };
    return body.token;
  };
  const collabUrl = (document: string) =>
    `ws://${HOST}:${port}/collab/${encodeURIComponent(document)}?token=`;
  /** `count` people made from one participant invite, as the join page makes them. */
  const people =
    (document: string, inviteToken: string) =>
    async (count: number, prefix: string): Promise<VoterIdentity[]> => {
      const made: VoterIdentity[] = [];
      for (let i = 0; i < count; i++) {
        const name = `${prefix}.${i}`;
        const person = (await api("/api/join", {
          method: "POST",
          headers: { authorization: `Bearer ${inviteToken}`, "content-type": "application/json" },
          body: JSON.stringify({ name, actorKind: "ngo" }),
        })) as { token: string; userId: string; anonId: string };
        made.push({
          url: collabUrl(document) + encodeURIComponent(person.token),
          userId: person.userId,
          anonId: person.anonId,
          name,
        });
      }
      return made;
    };
  const documents = async (kind: DocumentKind, count: number): Promise<DocEndpoints[]> => {
    const programme = (await api(`/api/programmes/${PROGRAMME}`)) as {
      draftDocument: string;
      seminars: Array<{ id: string; document: string }>;
    };
    if (kind === "draft") {
      if (count !== 1) throw new Error(`percorso: a programme has one draft, ${count} asked`);
      const [writer, reader] = await Promise.all([invite("drafter"), invite("observer")]);
      const url = collabUrl(programme.draftDocument);
      return [
        {
          name: programme.draftDocument,
          writerUrl: url + encodeURIComponent(writer),
          readerUrl: url + encodeURIComponent(reader),
          seedUrl: url + encodeURIComponent(adminToken),
          voters: people(programme.draftDocument, writer),
        },
      ];
    }
    if (programme.seminars.length < count) {
      const available = programme.seminars.length;
      throw new Error(`percorso: ${count} documents asked, ${PROGRAMME} has ${available}`);
    }
    return Promise.all(
      programme.seminars.slice(0, count).map(async (seminar) => {
        const [writer, reader] = await Promise.all([
          invite("participant", seminar.id),
          invite("observer", seminar.id),
        ]);
        const url = collabUrl(seminar.document);
        return {
          name: seminar.document,
          // Typists write the shared text with the invite itself; answers and votes are
          // people's, so voters join first, and the seed answers are the admin's.
          writerUrl: url + encodeURIComponent(writer),
          readerUrl: url + encodeURIComponent(reader),
          seedUrl: url + encodeURIComponent(adminToken),
          voters: people(seminar.document, writer),
        };
      }),
    );
  };
  const profile =
    options.cpuProfDir === undefined
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`, "--cpu-prof-interval=500"];
  return launch({
    name: "percorso",
    mode: "yjs",
    port,
    args: [...profile, "server/src/main.ts"],
    env: {
      PORT: String(port),
      HOST,
      DATA_DIR: dataDir,
      SECRET: randomBytes(24).toString("hex"),
      ADMIN_TOKEN: adminToken,
      LOG_LEVEL: "warn",
      // The generator opens thousands of sockets from one address with one token each: the
      // per-connection flood limit stays, but a bulk history load must not trip it.
      RATE_LIMIT_BURST: "1000000",
      RATE_LIMIT_PER_SECOND: "1000000",
    },
    dataDir,
    documents,
  });
}

async function startYWebsocket(): Promise<RunningTarget> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("@y/websocket-server/package.json"));
  const port = await freePort();
  return launch({
    name: "y-websocket",
    mode: "yjs",
    port,
    args: [join(packageDir, "src/server.js")],
    env: { HOST, PORT: String(port) },
    documents: pathDocuments(port),
  });
}

async function startRelay(): Promise<RunningTarget> {
  const port = await freePort();
  return launch({
    name: "relay",
    mode: "relay",
    port,
    args: [join(import.meta.dirname, "relayServer.ts")],
    env: { HOST, PORT: String(port) },
    documents: pathDocuments(port),
  });
}

/** Hocuspocus: the document name is the URL path (the client sends it in every message). */
async function startHocuspocus(): Promise<RunningTarget> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "hocuspocus-bench-"));
  return launch({
    name: "hocuspocus",
    mode: "hocuspocus",
    port,
    args: [join(import.meta.dirname, "hocuspocusServer.ts")],
    env: { HOST, PORT: String(port), DATA_DIR: dataDir },
    dataDir,
    documents: pathDocuments(port),
  });
}

export function startTarget(name: TargetName, options: TargetOptions = {}): Promise<RunningTarget> {
  switch (name) {
    case "percorso":
      return startPercorso(options);
    case "y-websocket":
      return startYWebsocket();
    case "hocuspocus":
      return startHocuspocus();
    case "relay":
      return startRelay();
  }
}
