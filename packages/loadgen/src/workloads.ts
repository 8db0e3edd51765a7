/**
 * Workloads: each starts a fresh target (so CPU and peak RSS belong to that workload alone),
 * connects probes, voters and silent clients, drives edits and returns the measurements.
 * Probes (which measure) run on this thread; the crowd (silent clients and voters, which only
 * load the server) runs in a worker thread, so its traffic does not delay the probes' clock.
 *
 * - `seminar`: several seminar documents; per document a few typists write the recommendations
 *   (keystrokes), everyone else answers or votes every ~10 s, and a few listening probes sit at
 *   the end of the connection order, where a fan-out loop reaches last.
 * - `plenary`: the final draft read by many read-only clients while drafters type.
 * - `join`: many clients join one document within a few seconds, then the server restarts and
 *   they all come back at once.
 * - `cold`: one document gets a long history of small updates; after a restart (compaction) a
 *   new client loads it.
 * - `scaleout`: the plenary over two processes behind Redis (drafters on one, the probes on the
 *   other), against one process at the same size; see `scaleout()`.
 * - `store`: the storage modules' append latency, SQLite and PostgreSQL (store.ts).
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import * as Y from "yjs";
import { BackingServices } from "./backing.ts";
import { Crowd, type CrowdSpec, type CrowdState } from "./crowd.ts";
import {
  SYNC_TIMEOUT_MS,
  clientsState,
  connectAll,
  connectAtOnce,
  every,
  sleep,
  waitClosed,
  type ClientsState,
  type Traffic,
} from "./drive.ts";
import { EditLedger, nowMs } from "./ledger.ts";
import { Probe, SilentClient, seedAnswers, type BenchClient } from "./protocol.ts";
import { LatencyRecorder, type Summary } from "./stats.ts";
import { measureStore, type StoreFigures, type StoreParams } from "./store.ts";
import {
  TARGETS,
  machineBusySeconds,
  startTarget,
  type ProcessUsage,
  type RunningTarget,
  type TargetName,
  type TargetOptions,
} from "./targets.ts";

export const WORKLOAD_NAMES = ["seminar", "plenary", "join", "cold", "scaleout", "store"] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export type SeminarParams = {
  docs: number;
  /** Every client of a document: typists + listeners + voters. */
  clientsPerDoc: number;
  typistsPerDoc: number;
  /** Read-only probes, connected last. */
  listenersPerDoc: number;
  keystrokesPerSecond: number;
  /** Mean seconds between two actions (answer or vote) of one voter. */
  voteIntervalS: number;
  durationS: number;
};

export type PlenaryParams = {
  /** Read-only clients, of which `listeners` are probes (the rest are silent). */
  readers: number;
  listeners: number;
  drafters: number;
  keystrokesPerSecond: number;
  durationS: number;
};

export type JoinParams = {
  joiners: number;
  /** The joiners' connections are spread evenly over this window. */
  windowS: number;
  /** Two typists write throughout, so the storms meet live traffic. */
  keystrokesPerSecond: number;
  settleS: number;
  /** Also restart the server and have everyone come back at once. */
  restart: boolean;
};

export type ColdParams = {
  /** Updates in the document's history (each its own message and transaction). */
  updates: number;
  /** Updates in flight before waiting for the server to catch up. */
  batch: number;
};

export type WorkloadSizes = {
  seminar: SeminarParams;
  plenary: PlenaryParams;
  join: JoinParams;
  cold: ColdParams;
  /** The plenary's shape: `readers` over the target's processes, the probes on the last. */
  scaleout: PlenaryParams;
  store: StoreParams;
  /** After the last edit, wait this long for in-flight edits to arrive (default 1000). */
  drainMs?: number;
};

export const SHORT_SIZES: WorkloadSizes = {
  seminar: {
    docs: 3,
    clientsPerDoc: 50,
    typistsPerDoc: 10,
    listenersPerDoc: 2,
    keystrokesPerSecond: 5,
    voteIntervalS: 10,
    durationS: 8,
  },
  plenary: { readers: 500, listeners: 10, drafters: 2, keystrokesPerSecond: 5, durationS: 8 },
  join: { joiners: 300, windowS: 1.5, keystrokesPerSecond: 5, settleS: 1, restart: true },
  cold: { updates: 10_000, batch: 500 },
  scaleout: { readers: 500, listeners: 10, drafters: 2, keystrokesPerSecond: 5, durationS: 8 },
  store: { appends: 1000, groupSize: 10 },
};

export const FULL_SIZES: WorkloadSizes = {
  seminar: {
    docs: 7,
    clientsPerDoc: 150,
    typistsPerDoc: 10,
    listenersPerDoc: 2,
    keystrokesPerSecond: 5,
    voteIntervalS: 10,
    durationS: 60,
  },
  plenary: { readers: 2000, listeners: 20, drafters: 2, keystrokesPerSecond: 5, durationS: 60 },
  join: { joiners: 1000, windowS: 5, keystrokesPerSecond: 5, settleS: 3, restart: true },
  cold: { updates: 100_000, batch: 1000 },
  scaleout: { readers: 2000, listeners: 20, drafters: 2, keystrokesPerSecond: 5, durationS: 60 },
  store: { appends: 10_000, groupSize: 10 },
};

/**
 * Which targets run which workload: a relay keeps no state to load; the scale-out targets run
 * the scale-out workload (Percorso on PostgreSQL also the cold load and the store), with
 * Hocuspocus on one process beside them; the store is Percorso's storage modules.
 */
export function appliesTo(workload: WorkloadName, target: TargetName): boolean {
  switch (workload) {
    case "seminar":
    case "plenary":
    case "join":
      return TARGETS[target].uses.length === 0;
    case "cold":
      return target === "percorso-pg" || (TARGETS[target].uses.length === 0 && target !== "relay");
    case "scaleout":
      return ["percorso-pg", "percorso-redis", "hocuspocus", "hocuspocus-redis"].includes(target);
    case "store":
      return target === "percorso" || target === "percorso-pg";
  }
}

export type JoinFigures = {
  /** Per joiner, connect to synced, ms. */
  stormSyncTime: Summary;
  /** From the first joiner's connect to the last one synced, ms. */
  stormMs: number;
  /** From the last joiner's connect to the last one synced, ms. */
  stormTailMs: number;
  /** Graceful stop + start until the port accepts again, ms. */
  downtimeMs: number | null;
  /** Everyone reconnecting at once, until the last one synced, ms. */
  restartMs: number | null;
  restartSyncTime: Summary | null;
};

export type ColdFigures = {
  updates: number;
  /** Time the history took to write, server included, seconds. */
  writeS: number;
  /** Whether the document was loaded from storage after a restart (false: kept in memory). */
  fromStorage: boolean;
  /** New client, connect to synced, document not in memory (when `fromStorage`). */
  firstSyncMs: number;
  /** A second new client, document already loaded. */
  warmSyncMs: number;
  /** Encoded state of the document (`Y.encodeStateAsUpdate`), bytes. */
  stateBytes: number;
  /**
   * The server's whole data directory once the document is stored (for Percorso: SQLite with the
   * programme's catalogue and this document), bytes; null without persistence.
   */
  diskBytes: number | null;
  /** Server RSS growth from loading the document, bytes. */
  memoryBytes: number | null;
  /**
   * Growth of what is stored (`diskBytes` for the data directory, the database for PostgreSQL)
   * from before the history to after the restart, ÷ updates: for Percorso the attributed log
   * (kept whole: never compacted away), its indexes and the snapshot. Null without persistence.
   */
  storedBytesPerUpdate: number | null;
};

export type WorkloadResult = {
  target: TargetName;
  workload: WorkloadName;
  params: SeminarParams | PlenaryParams | JoinParams | ColdParams | StoreParams;
  /** Server processes the target ran. */
  processes: number;
  clients: number;
  synced: number;
  /** Clients whose socket the server closed during the run (refused write, error). */
  unexpectedCloses: number;
  /** Edit-to-peer latency over all (editor, watching probe) pairs, ms. */
  latency: Summary;
  /**
   * Per probe, in connection order (typists/drafters first, listeners last or spread through
   * the readers): shows how much of the latency is the position in the server's fan-out loop.
   */
  latencyByProbe: Array<Summary & { id: string }>;
  /** Latency samples ÷ deliveries expected (timed edits × watching probes); null if none. */
  delivered: number | null;
  /** Per-client connect-to-synced time of its latest connection, ms. */
  syncTime: Summary;
  editsSent: number;
  /** The measurement window (from the first edit to the end of the drain), seconds. */
  windowS: number;
  editsPerSecond: number;
  /** Over the window, received by all clients together: the fan-out. */
  messagesPerSecond: number;
  bytesPerSecond: number;
  /** Server process CPU (utime + stime) over the whole workload, seconds. */
  serverCpuS: number;
  /** Server CPU during the window, % of one core. */
  serverCpuPct: number;
  serverPeakRssBytes: number | null;
  /** Server RSS growth per connected client, bytes (connected, synced, no traffic yet). */
  memoryPerConnectionBytes: number | null;
  /** Server RSS growth per document loaded (fresh documents), bytes. */
  memoryPerDocumentBytes: number | null;
  join: JoinFigures | null;
  cold: ColdFigures | null;
  store: StoreFigures[] | null;
  /**
   * CPU of the backing services the target uses (PostgreSQL with its backends, Redis): over the
   * whole workload, seconds, and during the window, % of one core; null for a target with none.
   */
  serviceCpuS: number | null;
  serviceCpuPct: number | null;
  /** This process's CPU (user + system) over the whole workload, seconds and % of one core. */
  generatorCpuS: number;
  generatorCpuPct: number;
  /**
   * Event-loop delay p99 during the window, ms, of the probes' thread and of the crowd's: a high
   * probe-thread figure means the generator, not the server, added latency.
   */
  generatorLoopDelayP99Ms: number;
  crowdLoopDelayP99Ms: number | null;
  /**
   * CPU used during the window by everything else on the machine (other processes, kernel
   * work not charged to server, services or generator), % of one core: high means a noisy run.
   */
  otherCpuPct: number;
  errors: string[];
};

const DRAIN_MS = 1000;
const SETTLE_MS = 500;

/** Current RSS of the server after letting it settle (allocation after a burst lags). */
async function settledRss(target: RunningTarget): Promise<number | null> {
  await sleep(SETTLE_MS);
  return (await target.usage()).rssBytes;
}

const perUnit = (after: number | null, before: number | null, units: number) =>
  after === null || before === null || units <= 0 ? null : (after - before) / units;

type Window = {
  start: number;
  traffic: Traffic;
  serverCpu: number;
  serviceCpu: number;
  generatorCpu: NodeJS.CpuUsage;
  machineBusy: number;
  delay: ReturnType<typeof monitorEventLoopDelay>;
};

/** Everything a run collects before it is summarised. */
class Run {
  readonly target: RunningTarget;
  readonly errors: string[] = [];
  readonly ledger = new EditLedger();
  /** Clients on this thread: probes (and the cold workload's new clients). */
  local: BenchClient[] = [];
  probes: Probe[] = [];
  /** Probes that only write: their edits are measured where others receive them. */
  writers: Probe[] = [];
  crowd: Crowd | null = null;
  memoryPerConnectionBytes: number | null = null;
  memoryPerDocumentBytes: number | null = null;
  join: JoinFigures | null = null;
  cold: ColdFigures | null = null;
  window: Window | null = null;

  constructor(target: RunningTarget) {
    this.target = target;
  }

  startCrowd(seed: Uint8Array | null = null): Crowd {
    this.crowd = new Crowd(this.target.mode, seed);
    return this.crowd;
  }

  /** Traffic, sync and closes over both threads. */
  async state(withSends = false): Promise<{ local: ClientsState; crowd: CrowdState | null }> {
    const crowd = this.crowd === null ? null : await this.crowd.state({ withSends });
    return { local: clientsState(this.local), crowd };
  }

  /** The measurement window opens right before the first timed edit. */
  async openWindow(): Promise<void> {
    const serverCpu = (await this.target.usage()).cpuSeconds;
    const serviceCpu = await this.target.serviceCpuSeconds();
    const machineBusy = await machineBusySeconds();
    const generatorCpu = process.cpuUsage();
    const { local, crowd } = await this.state();
    await this.crowd?.resetDelay();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    for (const probe of this.probes) probe.watching = true;
    this.window = {
      start: nowMs(),
      traffic: {
        messages: local.messages + (crowd?.messages ?? 0),
        bytes: local.bytes + (crowd?.bytes ?? 0),
      },
      serverCpu,
      serviceCpu,
      generatorCpu,
      machineBusy,
      delay,
    };
  }

  async close(): Promise<void> {
    await Promise.all(this.local.map((c) => c.close()));
    await this.crowd?.close();
  }
}

/** Types at `rate` keystrokes/s on every typist; returns a stop function. */
function startTyping(typists: Probe[], rate: number): () => void {
  const stops = typists.map((probe) => every(1000 / rate, 0.2, () => probe.type()));
  return () => stops.forEach((stop) => stop());
}

type Stop = () => Promise<void>;

async function seminar(run: Run, p: SeminarParams): Promise<Stop> {
  const { target, errors, ledger } = run;
  const seed = seedAnswers(10);
  const docs = await target.documents("seminar", p.docs);
  const base = await settledRss(target);
  const typists = docs.map((doc, d) =>
    Array.from(
      { length: p.typistsPerDoc },
      (_, i) => new Probe(doc.writerUrl, target.mode, { id: `t${d}.${i}`, ledger }),
    ),
  );
  const listeners = docs.map((doc, d) =>
    Array.from(
      { length: p.listenersPerDoc },
      (_, i) => new Probe(doc.readerUrl, target.mode, { id: `l${d}.${i}`, ledger }),
    ),
  );
  const watching = p.typistsPerDoc + p.listenersPerDoc;
  const voterCount = Math.max(0, p.clientsPerDoc - watching);
  const identities = await Promise.all(docs.map((doc, d) => doc.voters(voterCount, `v${d}`)));
  const voters: CrowdSpec[] = identities.flatMap((people, d) =>
    people.map((person, i) => ({
      kind: "voter" as const,
      url: person.url,
      id: `v${d}.${i}`,
      audience: watching,
      userId: person.userId,
      anonId: person.anonId,
      name: person.name,
    })),
  );
  run.probes = [...typists.flat(), ...listeners.flat()];
  run.local = run.probes;
  // One client per document loads the documents: memory per (fresh) document.
  const firsts = typists.map((list) => list[0]).filter((probe) => probe !== undefined);
  await connectAll(firsts, errors);
  const loaded = await settledRss(target);
  run.memoryPerDocumentBytes = perUnit(loaded, base, docs.length);
  await connectAll(
    typists.flatMap((list) => list.slice(1)),
    errors,
  );
  const crowd = run.startCrowd(seed);
  await crowd.add(voters);
  errors.push(...(await crowd.connect()).errors);
  // Listening probes last: where a fan-out loop over the connections reaches last.
  await connectAll(listeners.flat(), errors);
  const connections = run.probes.length + voters.length - firsts.length;
  run.memoryPerConnectionBytes = perUnit(await settledRss(target), loaded, connections);

  // Set-up edits, not measured: every typist's own paragraph, the answers voters vote on
  // (written by whoever may write answers for no one in particular: Percorso's admin).
  const seeders = docs.map(
    (doc, d) => new Probe(doc.seedUrl, target.mode, { id: `s${d}`, ledger }),
  );
  await connectAll(seeders, errors);
  typists.forEach((list) => {
    for (const probe of list) {
      probe.prepare();
      probe.audience = watching - 1;
    }
  });
  for (const seeder of seeders) seeder.applyLocal(seed);
  await Promise.all(
    [...typists.flat(), ...seeders].map((probe) => probe.roundTrip(SYNC_TIMEOUT_MS)),
  );
  await Promise.all(seeders.map((seeder) => seeder.close()));
  await sleep(SETTLE_MS);

  await run.openWindow();
  const stopTyping = startTyping(typists.flat(), p.keystrokesPerSecond);
  await crowd.startVoting(p.voteIntervalS * 1000);
  return async () => {
    stopTyping();
    await crowd.stopVoting();
  };
}

async function plenary(run: Run, p: PlenaryParams): Promise<Stop> {
  const { target, errors, ledger } = run;
  const [doc] = await target.documents("draft", 1);
  if (doc === undefined) throw new Error("no draft document");
  const base = await settledRss(target);
  const drafters = Array.from(
    { length: p.drafters },
    (_, i) => new Probe(doc.writerUrl, target.mode, { id: `d${i}`, ledger, fragment: "body" }),
  );
  await connectAll(drafters, errors);
  const loaded = await settledRss(target);
  run.memoryPerDocumentBytes = perUnit(loaded, base, 1);

  // Listening probes spread evenly through the readers' connection order.
  const listenerCount = Math.min(p.listeners, p.readers);
  const listeners = Array.from(
    { length: listenerCount },
    (_, i) => new Probe(doc.readerUrl, target.mode, { id: `l${i}`, ledger }),
  );
  const silentCount = p.readers - listenerCount;
  const crowd = run.startCrowd();
  await crowd.add(
    Array.from({ length: silentCount }, () => ({ kind: "silent", url: doc.readerUrl })),
  );
  run.probes = [...drafters, ...listeners];
  run.local = run.probes;
  const chunk = Math.floor(silentCount / Math.max(1, listenerCount));
  for (let k = 0; k <= listenerCount; k++) {
    const from = k * chunk;
    const to = k === listenerCount ? silentCount : from + chunk;
    if (to > from) errors.push(...(await crowd.connect(from, to)).errors);
    const listener = listeners[k];
    if (listener !== undefined) await connectAll([listener], errors);
  }
  run.memoryPerConnectionBytes = perUnit(await settledRss(target), loaded, p.readers);

  for (const drafter of drafters) {
    drafter.prepare();
    drafter.audience = run.probes.length - 1;
  }
  await Promise.all(drafters.map((probe) => probe.roundTrip(SYNC_TIMEOUT_MS)));
  await sleep(SETTLE_MS);
  await run.openWindow();
  const stop = startTyping(drafters, p.keystrokesPerSecond);
  return async () => stop();
}

async function join(run: Run, p: JoinParams): Promise<Stop> {
  const { target, errors, ledger } = run;
  const [doc] = await target.documents("seminar", 1);
  if (doc === undefined) throw new Error("no document");
  const typists = [0, 1].map((i) => new Probe(doc.writerUrl, target.mode, { id: `t${i}`, ledger }));
  run.probes = typists;
  run.local = typists;
  await connectAll(typists, errors);
  for (const probe of typists) {
    probe.prepare();
    probe.audience = typists.length - 1;
  }
  await Promise.all(typists.map((probe) => probe.roundTrip(SYNC_TIMEOUT_MS)));
  const crowd = run.startCrowd();
  await crowd.add(
    Array.from({ length: p.joiners }, () => ({ kind: "silent", url: doc.readerUrl })),
  );
  const before = await settledRss(target);
  await run.openWindow();
  const stopTyping = startTyping(typists, p.keystrokesPerSecond);
  const stop = async () => stopTyping();

  // The storm: joiners spread evenly over the window, nobody waits for anybody.
  const stormStart = nowMs();
  const storm = await crowd.connect(0, p.joiners, (p.windowS * 1000) / Math.max(1, p.joiners));
  errors.push(...storm.errors);
  const afterStorm = await crowd.state();
  const stormSync = new LatencyRecorder();
  for (const ms of afterStorm.syncMs) stormSync.record(ms);
  run.join = {
    stormSyncTime: stormSync.summary(),
    stormMs: afterStorm.lastSyncedAt - stormStart,
    stormTailMs: afterStorm.lastSyncedAt - storm.lastConnectAt,
    downtimeMs: null,
    restartMs: null,
    restartSyncTime: null,
  };
  run.memoryPerConnectionBytes = perUnit(await settledRss(target), before, p.joiners);
  await sleep(p.settleS * 1000);
  if (!p.restart) return stop;

  // The restart: a graceful stop (Percorso closes with 1012 after flushing), the same server
  // again, then every client reconnects at once, as clients retrying after a deploy do.
  const stopAt = nowMs();
  await target.restart();
  run.join.downtimeMs = nowMs() - stopAt;
  await Promise.all([waitClosed(typists, 10_000), crowd.waitClosed(10_000)]);
  const backAt = nowMs();
  const [, back] = await Promise.all([connectAtOnce(typists, errors), crowd.reconnectAll()]);
  errors.push(...back.errors);
  const { local, crowd: crowdState } = await run.state();
  const restartSync = new LatencyRecorder();
  for (const ms of [...local.syncMs, ...(crowdState?.syncMs ?? [])]) restartSync.record(ms);
  run.join.restartMs = Math.max(local.lastSyncedAt, crowdState?.lastSyncedAt ?? 0) - backAt;
  run.join.restartSyncTime = restartSync.summary();
  await sleep(p.settleS * 1000);
  return stop;
}

async function cold(run: Run, p: ColdParams): Promise<void> {
  const { target, errors, ledger } = run;
  const [doc] = await target.documents("seminar", 1);
  if (doc === undefined) throw new Error("no document");
  // What is stored before the history, measured as after it: just after a restart (SQLite has
  // checkpointed its WAL into the file on the way down, so the WAL holds only the new boot's).
  if (target.persistent) await target.restart();
  const storedBefore = await target.dataBytes();
  const writer = new Probe(doc.writerUrl, target.mode, { id: "w", ledger });
  run.probes = [writer];
  run.local = [writer];
  await connectAll([writer], errors);
  writer.prepare();
  await run.openWindow();
  const started = nowMs();
  for (let sent = 0; sent < p.updates;) {
    const batch = Math.min(p.batch, p.updates - sent);
    for (let i = 0; i < batch; i++) writer.type();
    sent += batch;
    await writer.roundTrip(SYNC_TIMEOUT_MS);
  }
  const writeS = (nowMs() - started) / 1000;
  const stateBytes = Y.encodeStateAsUpdate(writer.doc).byteLength;

  let base: number | null = null;
  if (target.persistent) {
    // After a restart the document is not in memory; Percorso compacted it while unloading.
    await writer.close();
    await target.restart();
    base = await settledRss(target);
  }
  // Without persistence nothing survives a restart: the document stays loaded, held by the
  // writer, and the "first" sync is from memory.
  const first = new SilentClient(doc.readerUrl, target.mode);
  const second = new SilentClient(doc.readerUrl, target.mode);
  run.local = [writer, first, second];
  await connectAll([first], errors);
  const loaded = await settledRss(target);
  await connectAll([second], errors);
  const diskBytes = await target.dataBytes();
  run.cold = {
    updates: p.updates,
    writeS,
    fromStorage: target.persistent,
    firstSyncMs: first.syncMs ?? Number.NaN,
    warmSyncMs: second.syncMs ?? Number.NaN,
    stateBytes,
    diskBytes,
    memoryBytes: perUnit(loaded, base, 1),
    storedBytesPerUpdate: perUnit(diskBytes, storedBefore, p.updates),
  };
}

/** `count` split as evenly as possible over `parts`, the last part at least `lastAtLeast`. */
export function spread(count: number, parts: number, lastAtLeast = 0): number[] {
  const last = Math.min(count, Math.max(lastAtLeast, Math.ceil(count / parts)));
  const rest = count - last;
  const others = parts - 1;
  return [
    ...Array.from(
      { length: others },
      (_, k) => Math.floor(rest / others) + (k < rest % others ? 1 : 0),
    ),
    last,
  ];
}

/**
 * The plenary across processes: the draft document, `drafters` typing on the first process and
 * `readers` read-only clients spread evenly over the target's processes, of which `listeners`
 * are probes on the last process, spread evenly through its connection order. With two
 * processes every measured edit crosses from one to the other (through Redis); with one, the
 * same clients are all on it. Only the listeners measure: the drafters' edits reaching each
 * other never leave their process.
 */
async function scaleout(run: Run, p: PlenaryParams): Promise<Stop> {
  const { target, errors, ledger } = run;
  const [doc] = await target.documents("draft", 1);
  if (doc === undefined) throw new Error("no draft document");
  const processes = target.processes;
  const writerUrl = doc.writerUrls[0] ?? doc.writerUrl;
  const probeUrl = doc.readerUrls[processes - 1] ?? doc.readerUrl;
  const drafters = Array.from(
    { length: p.drafters },
    (_, i) => new Probe(writerUrl, target.mode, { id: `d${i}`, ledger, fragment: "body" }),
  );
  await connectAll(drafters, errors);
  const loaded = await settledRss(target);

  const listenerCount = Math.min(p.listeners, p.readers);
  const listeners = Array.from(
    { length: listenerCount },
    (_, i) => new Probe(probeUrl, target.mode, { id: `l${i}`, ledger }),
  );
  const shares = processes === 1 ? [p.readers] : spread(p.readers, processes, listenerCount);
  const silentOn = shares.map((share, k) => (k === processes - 1 ? share - listenerCount : share));
  const crowd = run.startCrowd();
  for (const [k, count] of silentOn.entries()) {
    const url = doc.readerUrls[k] ?? doc.readerUrl;
    await crowd.add(Array.from({ length: count }, () => ({ kind: "silent", url })));
  }
  run.writers = drafters;
  run.probes = listeners;
  run.local = [...drafters, ...listeners];
  // The other processes' readers first, then the last one's with the listeners among them.
  const firstOfLast = silentOn.slice(0, -1).reduce((a, b) => a + b, 0);
  if (firstOfLast > 0) errors.push(...(await crowd.connect(0, firstOfLast)).errors);
  const silentCount = silentOn[processes - 1] ?? 0;
  const chunk = Math.floor(silentCount / Math.max(1, listenerCount));
  for (let k = 0; k <= listenerCount; k++) {
    const from = k * chunk;
    const to = k === listenerCount ? silentCount : from + chunk;
    if (to > from) {
      errors.push(...(await crowd.connect(firstOfLast + from, firstOfLast + to)).errors);
    }
    const listener = listeners[k];
    if (listener !== undefined) await connectAll([listener], errors);
  }
  // Includes, with two processes, the second one loading the document for its first reader.
  run.memoryPerConnectionBytes = perUnit(await settledRss(target), loaded, p.readers);

  for (const drafter of drafters) {
    drafter.prepare();
    drafter.audience = listeners.length;
  }
  await Promise.all(drafters.map((probe) => probe.roundTrip(SYNC_TIMEOUT_MS)));
  await sleep(SETTLE_MS);
  await run.openWindow();
  const stop = startTyping(drafters, p.keystrokesPerSecond);
  return async () => stop();
}

export async function runWorkload(
  targetName: TargetName,
  workload: WorkloadName,
  sizes: WorkloadSizes,
  options: TargetOptions = {},
): Promise<WorkloadResult> {
  if (!appliesTo(workload, targetName)) {
    throw new Error(`the ${workload} workload does not apply to ${targetName}`);
  }
  // PostgreSQL and Redis: the caller's (a bench starts each once), or this run's own.
  const services = options.services ?? new BackingServices();
  try {
    if (workload === "store") return await storeWorkload(targetName, sizes.store, services);
    return await serverWorkload(targetName, workload, sizes, { ...options, services });
  } finally {
    if (options.services === undefined) await services.stop();
  }
}

async function serverWorkload(
  targetName: TargetName,
  workload: WorkloadName,
  sizes: WorkloadSizes,
  options: TargetOptions,
): Promise<WorkloadResult> {
  const startedAt = nowMs();
  const generatorBefore = process.cpuUsage();
  const target = await startTarget(targetName, options);
  const run = new Run(target);
  try {
    const serverBefore = await target.usage();
    const serviceBefore = await target.serviceCpuSeconds();
    let params: WorkloadResult["params"];
    if (workload === "cold") {
      params = sizes.cold;
      await cold(run, sizes.cold);
    } else if (workload === "join") {
      params = sizes.join;
      await (
        await join(run, sizes.join)
      )();
    } else {
      const p =
        workload === "seminar"
          ? sizes.seminar
          : workload === "scaleout"
            ? sizes.scaleout
            : sizes.plenary;
      params = p;
      const stop =
        workload === "seminar"
          ? await seminar(run, sizes.seminar)
          : workload === "scaleout"
            ? await scaleout(run, sizes.scaleout)
            : await plenary(run, sizes.plenary);
      await sleep(p.durationS * 1000);
      await stop();
    }
    await sleep(sizes.drainMs ?? DRAIN_MS);
    return await summarise(run, workload, params, {
      serverBefore,
      serviceBefore,
      generatorBefore,
      startedAt,
    });
  } finally {
    await run.close();
    await target.stop();
  }
}

const NO_SAMPLES: Summary = { count: 0, p50: null, p95: null, p99: null, max: null };

/** The storage modules alone: no server, no clients; the figures are in `store`. */
async function storeWorkload(
  target: TargetName,
  p: StoreParams,
  services: BackingServices,
): Promise<WorkloadResult> {
  const uses = TARGETS[target].uses;
  if (uses.includes("postgres")) await services.postgres();
  const startedAt = nowMs();
  const generatorBefore = process.cpuUsage();
  const serviceBefore = await services.cpuSeconds(uses);
  const machineBefore = await machineBusySeconds();
  const store = await measureStore(uses.includes("postgres") ? "postgres" : "sqlite", p, services);
  const windowS = (nowMs() - startedAt) / 1000;
  const generator = process.cpuUsage(generatorBefore);
  const generatorCpuS = (generator.user + generator.system) / 1e6;
  const serviceCpuS = uses.length === 0 ? null : (await services.cpuSeconds(uses)) - serviceBefore;
  const otherCpuS =
    (await machineBusySeconds()) - machineBefore - generatorCpuS - (serviceCpuS ?? 0);
  return {
    target,
    workload: "store",
    params: p,
    processes: 0,
    clients: 0,
    synced: 0,
    unexpectedCloses: 0,
    latency: NO_SAMPLES,
    latencyByProbe: [],
    delivered: null,
    syncTime: NO_SAMPLES,
    editsSent: 0,
    windowS,
    editsPerSecond: 0,
    messagesPerSecond: 0,
    bytesPerSecond: 0,
    serverCpuS: 0,
    serverCpuPct: 0,
    serverPeakRssBytes: null,
    memoryPerConnectionBytes: null,
    memoryPerDocumentBytes: null,
    join: null,
    cold: null,
    store,
    serviceCpuS,
    serviceCpuPct: serviceCpuS === null ? null : (100 * serviceCpuS) / windowS,
    generatorCpuS,
    generatorCpuPct: (100 * generatorCpuS) / windowS,
    generatorLoopDelayP99Ms: 0,
    crowdLoopDelayP99Ms: null,
    otherCpuPct: Math.max(0, (100 * otherCpuS) / windowS),
    errors: [],
  };
}

async function summarise(
  run: Run,
  workload: WorkloadName,
  params: WorkloadResult["params"],
  before: {
    serverBefore: ProcessUsage;
    serviceBefore: number;
    generatorBefore: NodeJS.CpuUsage;
    startedAt: number;
  },
): Promise<WorkloadResult> {
  const { errors, ledger } = run;
  const window = run.window;
  if (window === null) throw new Error("the measurement window never opened");
  window.delay.disable();
  const windowS = (nowMs() - window.start) / 1000;
  const { local, crowd } = await run.state(true);
  const generator = process.cpuUsage(before.generatorBefore);
  const generatorWindow = process.cpuUsage(window.generatorCpu);
  const serverAfter = await run.target.usage();
  const serviceAfter = await run.target.serviceCpuSeconds();
  const machineBusy = (await machineBusySeconds()) - window.machineBusy;
  const otherCpuS =
    machineBusy -
    (serverAfter.cpuSeconds - window.serverCpu) -
    (serviceAfter - window.serviceCpu) -
    (generatorWindow.user + generatorWindow.system) / 1e6;
  const usesServices = TARGETS[run.target.name].uses.length > 0;
  if (crowd !== null) ledger.ingest(crowd.sends);

  const latency = new LatencyRecorder();
  let negative = 0;
  const latencyByProbe: WorkloadResult["latencyByProbe"] = [];
  for (const probe of run.probes) {
    const own = new LatencyRecorder();
    negative += probe.watcher.match(ledger, own).negative;
    latency.merge(own);
    latencyByProbe.push({ id: probe.id, ...own.summary() });
  }
  if (negative > 0) errors.push(`${negative} negative latency samples (clock error)`);

  const syncTime = new LatencyRecorder();
  for (const ms of [...local.syncMs, ...(crowd?.syncMs ?? [])]) syncTime.record(ms);
  const unexpectedCloses = local.unexpectedCloses + (crowd?.unexpectedCloses ?? 0);
  if (unexpectedCloses > 0) {
    const first = local.firstClose ?? crowd?.firstClose;
    errors.push(`${unexpectedCloses} sockets closed by the server; first: ${first}`);
  }
  const editsSent =
    [...run.probes, ...run.writers].reduce((n, probe) => n + probe.editsSent, 0) +
    (crowd?.editsSent ?? 0);
  const messages = local.messages + (crowd?.messages ?? 0) - window.traffic.messages;
  const bytes = local.bytes + (crowd?.bytes ?? 0) - window.traffic.bytes;
  const wallS = (nowMs() - before.startedAt) / 1000;
  const generatorCpuS = (generator.user + generator.system) / 1e6;
  return {
    target: run.target.name,
    workload,
    params,
    processes: run.target.processes,
    clients: local.clients + (crowd?.clients ?? 0),
    synced: local.synced + (crowd?.synced ?? 0),
    unexpectedCloses,
    latency: latency.summary(),
    latencyByProbe,
    delivered: ledger.expectedDeliveries === 0 ? null : latency.count / ledger.expectedDeliveries,
    syncTime: syncTime.summary(),
    editsSent,
    windowS,
    editsPerSecond: editsSent / windowS,
    messagesPerSecond: messages / windowS,
    bytesPerSecond: bytes / windowS,
    serverCpuS: serverAfter.cpuSeconds - before.serverBefore.cpuSeconds,
    serverCpuPct: (100 * (serverAfter.cpuSeconds - window.serverCpu)) / windowS,
    serverPeakRssBytes: serverAfter.peakRssBytes,
    memoryPerConnectionBytes: run.memoryPerConnectionBytes,
    memoryPerDocumentBytes: run.memoryPerDocumentBytes,
    join: run.join,
    cold: run.cold,
    store: null,
    serviceCpuS: usesServices ? serviceAfter - before.serviceBefore : null,
    serviceCpuPct: usesServices ? (100 * (serviceAfter - window.serviceCpu)) / windowS : null,
    generatorCpuS,
    generatorCpuPct: (100 * generatorCpuS) / wallS,
    generatorLoopDelayP99Ms: Math.max(0, window.delay.percentile(99) / 1e6 - 1),
    crowdLoopDelayP99Ms: crowd?.loopDelayP99Ms ?? null,
    otherCpuPct: Math.max(0, (100 * otherCpuS) / windowS),
    errors,
  };
}
