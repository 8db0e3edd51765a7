/**
 * Servers under test, each started as its own child process on a free 127.0.0.1 port, so its CPU
 * time and peak RSS can be read from /proc and nothing is shared with the load generator. A
 * target can be restarted on the same port (and data directory), as after a deploy. The
 * scale-out targets run on PostgreSQL and/or Redis (`backing.ts`), two of them as two processes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { BackingServices, type ServiceName } from "./backing.ts";
import type { ProtocolMode } from "./protocol.ts";

export const TARGET_NAMES = [
  "percorso",
  "y-websocket",
  "hocuspocus",
  "relay",
  "percorso-pg",
  "percorso-redis",
  "hocuspocus-redis",
] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/**
 * What each target runs: which server, how many processes, on what. `percorso-pg`: one Percorso
 * process on PostgreSQL; `percorso-redis`: two on the same PostgreSQL with Redis between them;
 * `hocuspocus-redis`: two Hocuspocus processes with its Redis extension.
 */
export const TARGETS: Record<
  TargetName,
  {
    server: "percorso" | "y-websocket" | "hocuspocus" | "relay";
    processes: number;
    uses: ServiceName[];
  }
> = {
  percorso: { server: "percorso", processes: 1, uses: [] },
  "y-websocket": { server: "y-websocket", processes: 1, uses: [] },
  hocuspocus: { server: "hocuspocus", processes: 1, uses: [] },
  relay: { server: "relay", processes: 1, uses: [] },
  "percorso-pg": { server: "percorso", processes: 1, uses: ["postgres"] },
  "percorso-redis": { server: "percorso", processes: 2, uses: ["postgres", "redis"] },
  "hocuspocus-redis": { server: "hocuspocus", processes: 2, uses: ["redis"] },
};

/** The package Hocuspocus scales out with; not a dependency of ours until it is installed. */
export const HOCUSPOCUS_REDIS = "@hocuspocus/extension-redis";
export const HOCUSPOCUS_REDIS_INSTALL = `npm i -D ${HOCUSPOCUS_REDIS}@4.7.0 -w @percorso/loadgen`;

/** Whether `@hocuspocus/extension-redis` resolves from the Hocuspocus server script. */
export function hocuspocusRedisInstalled(): boolean {
  try {
    import.meta.resolve(HOCUSPOCUS_REDIS);
    return true;
  } catch {
    return false;
  }
}

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
  /** The same roles on each server process (index 0: `writerUrl`, `readerUrl`). */
  writerUrls: string[];
  readerUrls: string[];
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
  /** Where PostgreSQL and Redis come from; without it a run starts (and stops) its own. */
  services?: BackingServices;
};

export type RunningTarget = {
  name: TargetName;
  /** How clients must speak to it; see `ProtocolMode`. */
  mode: ProtocolMode;
  /** Whether documents survive a restart. */
  persistent: boolean;
  /** How many server processes it runs (each has its own URLs in `DocEndpoints`). */
  processes: number;
  pids(): number[];
  /** Endpoints for `count` distinct documents of a kind. */
  documents(kind: DocumentKind, count: number): Promise<DocEndpoints[]>;
  /** Summed over the target's processes (peak RSS: the sum of each process's peak). */
  usage(): Promise<ProcessUsage>;
  /** CPU seconds used so far by the backing services it uses (PostgreSQL, Redis); 0 if none. */
  serviceCpuSeconds(): Promise<number>;
  /**
   * Bytes stored: the data directories, or the PostgreSQL database; null for a target without
   * persistence.
   */
  dataBytes(): Promise<number | null>;
  /** Graceful stop (SIGTERM), then the same servers again on the same ports and data. */
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

type ProcessSpec = { port: number; args: string[]; env: Record<string, string> };

type Launch = {
  name: TargetName;
  mode: ProtocolMode;
  /** Started one after the other (Percorso: the first seeds the programme, the next find it). */
  processes: ProcessSpec[];
  /** Data directories, removed on stop. */
  dataDirs: string[];
  /** Whether documents survive a restart (data directories or a database). */
  persistent: boolean;
  documents: (kind: DocumentKind, count: number) => Promise<DocEndpoints[]>;
  /** Bytes stored; default: the data directories' size (null when there are none). */
  storedBytes?: () => Promise<number>;
  serviceCpuSeconds?: () => Promise<number>;
};

/** One server process: started, restarted on the same port, its usage over every run. */
class ServerProcess {
  private current: Spawned | null = null;
  // CPU and peak RSS of processes already stopped (a restart), read just before they exit.
  private pastCpu = 0;
  private pastPeak = 0;

  private readonly name: TargetName;
  private readonly spec: ProcessSpec;

  constructor(name: TargetName, spec: ProcessSpec) {
    this.name = name;
    this.spec = spec;
  }

  async start(): Promise<void> {
    this.current = await spawnServer(this.spec.args, this.spec.env, this.spec.port);
  }

  pid(): number {
    const value = this.current?.child.pid;
    if (value === undefined) throw new Error(`${this.name}: no pid`);
    return value;
  }

  async usage(): Promise<ProcessUsage> {
    const now = await processUsage(this.pid());
    return {
      cpuSeconds: this.pastCpu + now.cpuSeconds,
      peakRssBytes: Math.max(this.pastPeak, now.peakRssBytes ?? 0) || null,
      rssBytes: now.rssBytes,
    };
  }

  /** SIGTERM, sampling usage as late as possible (exiting takes CPU too: flushing documents). */
  async stopGracefully(): Promise<void> {
    const current = this.current;
    if (current === null) return;
    try {
      const exited = new Promise<void>((done) => current.child.once("exit", () => done()));
      const sampler = (async () => {
        let last: ProcessUsage | null = null;
        for (;;) {
          try {
            last = await processUsage(this.pid());
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
        this.pastCpu += last.cpuSeconds;
        this.pastPeak = Math.max(this.pastPeak, last.peakRssBytes ?? 0);
      }
    } catch {
      await stopChild(current.child);
    }
  }

  async stop(): Promise<void> {
    if (this.current !== null) await stopChild(this.current.child);
  }
}

/** Runs a launch description: start, restart on the same ports, usage over every process. */
async function launch(spec: Launch): Promise<RunningTarget> {
  const cleanup = async () => {
    await Promise.all(spec.dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  };
  const processes = spec.processes.map((process) => new ServerProcess(spec.name, process));
  const startAll = async () => {
    for (const process of processes) await process.start();
  };
  await startAll().catch(async (error: unknown) => {
    await Promise.all(processes.map((process) => process.stop()));
    await cleanup();
    throw error;
  });
  return {
    name: spec.name,
    mode: spec.mode,
    persistent: spec.persistent,
    processes: processes.length,
    pids: () => processes.map((process) => process.pid()),
    documents: spec.documents,
    usage: async () => {
      const each = await Promise.all(processes.map((process) => process.usage()));
      const sum = (values: Array<number | null>) =>
        values.some((v) => v !== null) ? values.reduce<number>((a, v) => a + (v ?? 0), 0) : null;
      return {
        cpuSeconds: each.reduce((a, u) => a + u.cpuSeconds, 0),
        peakRssBytes: sum(each.map((u) => u.peakRssBytes)),
        rssBytes: sum(each.map((u) => u.rssBytes)),
      };
    },
    serviceCpuSeconds: spec.serviceCpuSeconds ?? (async () => 0),
    dataBytes: async () => {
      if (spec.storedBytes !== undefined) return spec.storedBytes();
      if (spec.dataDirs.length === 0) return null;
      const sizes = await Promise.all(spec.dataDirs.map((dir) => directoryBytes(dir)));
      return sizes.reduce((a, b) => a + b, 0);
    },
    restart: async () => {
      await Promise.all(processes.map((process) => process.stopGracefully()));
      await startAll();
    },
    stop: async () => {
      await Promise.all(processes.map((process) => process.stop()));
      await cleanup();
    },
  };
}

/** `count` distinct free ports. */
async function freePorts(count: number): Promise<number[]> {
  for (;;) {
    const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
    if (new Set(ports).size === count) return ports;
  }
}

/** Plain y-websocket style URLs: one path per document (on each process's port), no auth. */
function pathDocuments(ports: number[]) {
  return async (kind: DocumentKind, count: number): Promise<DocEndpoints[]> =>
    Array.from({ length: count }, (_, i) => {
      const name = `${kind}-${i}`;
      const urls = ports.map((port) => `ws://${HOST}:${port}/${name}`);
      const url = urls[0] ?? "";
      return {
        name,
        writerUrl: url,
        readerUrl: url,
        writerUrls: urls,
        readerUrls: urls,
        seedUrl: url,
        voters: inventedVoters(url),
      };
    });
}

const PROGRAMME = "toscana-2021";

type PercorsoSetup = {
  name: TargetName;
  processes: number;
  /** On PostgreSQL (a fresh database of the backing server) instead of SQLite in DATA_DIR. */
  postgres: boolean;
  /** Redis between the processes. */
  redis: boolean;
};

async function startPercorso(
  setup: PercorsoSetup,
  options: TargetOptions,
  services: BackingServices,
): Promise<RunningTarget> {
  const ports = await freePorts(setup.processes);
  const [port] = ports as [number];
  const dataDirs = await Promise.all(ports.map(() => mkdtemp(join(tmpdir(), "percorso-bench-"))));
  const postgres = setup.postgres ? await services.postgres() : null;
  const databaseUrl = postgres === null ? null : await postgres.createDatabase();
  const redisUrl = setup.redis ? (await services.redis()).url : null;
  const adminToken = randomBytes(24).toString("hex");
  // Every process of a deployment shares the signing secret (tokens work on any of them).
  const secret = randomBytes(24).toString("hex");
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
  const collabUrl = (document: string, on = port) =>
    `ws://${HOST}:${on}/collab/${encodeURIComponent(document)}?token=`;
  const everywhere = (document: string, token: string) =>
    ports.map((on) => collabUrl(document, on) + encodeURIComponent(token));
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
    const endpoints = (document: string, writer: string, reader: string): DocEndpoints => {
      const writerUrls = everywhere(document, writer);
      const readerUrls = everywhere(document, reader);
      return {
        name: document,
        writerUrl: writerUrls[0] ?? "",
        readerUrl: readerUrls[0] ?? "",
        writerUrls,
        readerUrls,
        seedUrl: collabUrl(document) + encodeURIComponent(adminToken),
        voters: people(document, writer),
      };
    };
    if (kind === "draft") {
      if (count !== 1) throw new Error(`percorso: a programme has one draft, ${count} asked`);
      const [writer, reader] = await Promise.all([invite("drafter"), invite("observer")]);
      return [endpoints(programme.draftDocument, writer, reader)];
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
        // Typists write the shared text with the invite itself; answers and votes are
        // people's, so voters join first, and the seed answers are the admin's.
        return endpoints(seminar.document, writer, reader);
      }),
    );
  };
  const profile =
    options.cpuProfDir === undefined
      ? []
      : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`, "--cpu-prof-interval=500"];
  const uses = TARGETS[setup.name].uses;
  return launch({
    name: setup.name,
    mode: "yjs",
    processes: ports.map((on, i) => ({
      port: on,
      args: [...profile, "server/src/main.ts"],
      env: {
        PORT: String(on),
        HOST,
        DATA_DIR: dataDirs[i] ?? "",
        SECRET: secret,
        ADMIN_TOKEN: adminToken,
        LOG_LEVEL: "warn",
        // The generator opens thousands of sockets from one address with one token each: the
        // per-connection flood limit stays, but a bulk history load must not trip it.
        RATE_LIMIT_BURST: "1000000",
        RATE_LIMIT_PER_SECOND: "1000000",
        // …and it makes every voter a person with one invite, opens the join storm's sockets
        // with one token, and writes the cold history as one person: the per-token limits would
        // stop the generator, not measure the server.
        REST_RATE_PER_MINUTE: "1000000",
        MAX_CONNECTIONS_PER_INVITE: "1000000",
        MAX_CONNECTIONS_PER_PERSON: "1000000",
        MAX_BYTES_PER_PERSON: "1000000000",
        MAX_DOCUMENT_BYTES: "4000000000",
        // Probes time their round trips with sync step 1 (one per round trip): the per-connection
        // sync-step-1 limit is for clients that repeat it, not for the generator's timing.
        SYNC_STEP1_BURST: "1000000",
        SYNC_STEP1_INTERVAL_MS: "1",
        ...(databaseUrl === null ? {} : { DATABASE_URL: databaseUrl }),
        ...(redisUrl === null ? {} : { REDIS_URL: redisUrl }),
      },
    })),
    dataDirs,
    persistent: true,
    documents,
    ...(postgres === null || databaseUrl === null
      ? {}
      : { storedBytes: () => postgres.databaseBytes(databaseUrl) }),
    serviceCpuSeconds: () => services.cpuSeconds(uses),
  });
}

async function startYWebsocket(): Promise<RunningTarget> {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve("@y/websocket-server/package.json"));
  const port = await freePort();
  return launch({
    name: "y-websocket",
    mode: "yjs",
    processes: [
      { port, args: [join(packageDir, "src/server.js")], env: { HOST, PORT: String(port) } },
    ],
    dataDirs: [],
    persistent: false,
    documents: pathDocuments([port]),
  });
}

async function startRelay(): Promise<RunningTarget> {
  const port = await freePort();
  return launch({
    name: "relay",
    mode: "relay",
    processes: [
      {
        port,
        args: [join(import.meta.dirname, "relayServer.ts")],
        env: { HOST, PORT: String(port) },
      },
    ],
    dataDirs: [],
    persistent: false,
    documents: pathDocuments([port]),
  });
}

/**
 * Hocuspocus: the document name is the URL path (the client sends it in every message). With
 * Redis, two processes with its Redis extension, each persisting to its own SQLite file
 * (Hocuspocus stores whole states off the edit path, debounced; the Redis extension takes a
 * lock around each store so that only one process writes a document at a time).
 */
async function startHocuspocus(
  name: TargetName,
  services: BackingServices | null,
): Promise<RunningTarget> {
  if (services !== null && !hocuspocusRedisInstalled()) {
    throw new Error(`${HOCUSPOCUS_REDIS} is not installed: ${HOCUSPOCUS_REDIS_INSTALL}`);
  }
  const redis = services === null ? null : await services.redis();
  const ports = await freePorts(TARGETS[name].processes);
  const dataDirs = await Promise.all(ports.map(() => mkdtemp(join(tmpdir(), "hocuspocus-bench-"))));
  return launch({
    name,
    mode: "hocuspocus",
    processes: ports.map((port, i) => ({
      port,
      args: [join(import.meta.dirname, "hocuspocusServer.ts")],
      env: {
        HOST,
        PORT: String(port),
        DATA_DIR: dataDirs[i] ?? "",
        ...(redis === null ? {} : { REDIS_URL: redis.url }),
      },
    })),
    dataDirs,
    persistent: true,
    documents: pathDocuments(ports),
    ...(services === null ? {} : { serviceCpuSeconds: () => services.cpuSeconds(["redis"]) }),
  });
}

/**
 * Starts a target; PostgreSQL and Redis come from `options.services` (which the caller stops),
 * so a bench starts each once.
 */
export async function startTarget(
  name: TargetName,
  options: TargetOptions = {},
): Promise<RunningTarget> {
  const services = options.services ?? null;
  const needs = (what: string) => {
    if (services === null) throw new Error(`${name} needs ${what}: pass options.services`);
    return services;
  };
  switch (name) {
    case "percorso":
      return startPercorso(
        { name, processes: 1, postgres: false, redis: false },
        options,
        services ?? new BackingServices(),
      );
    case "percorso-pg":
      return startPercorso(
        { name, processes: 1, postgres: true, redis: false },
        options,
        needs("PostgreSQL"),
      );
    case "percorso-redis":
      return startPercorso(
        { name, processes: 2, postgres: true, redis: true },
        options,
        needs("PostgreSQL and Redis"),
      );
    case "y-websocket":
      return startYWebsocket();
    case "hocuspocus":
      return startHocuspocus(name, null);
    case "hocuspocus-redis":
      return startHocuspocus(name, needs("Redis"));
    case "relay":
      return startRelay();
  }
}
