/**
 * Workloads: each starts a fresh target (so CPU and peak RSS belong to that workload alone),
 * connects probes and silent clients, drives edits and returns the measurements.
 */
import { BenchClient, Probe, SilentClient, type ProtocolMode } from "./protocol.ts";
import { LatencyRecorder, type Summary } from "./stats.ts";
import { startTarget, type DocEndpoints, type TargetName } from "./targets.ts";

export const WORKLOAD_NAMES = ["seminar", "plenary", "join"] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

/** Documents × clients per document, of which probes write at `editsPerSecond` for `durationS`. */
export type SteadyParams = {
  docs: number;
  clientsPerDoc: number;
  probesPerDoc: number;
  editsPerSecond: number;
  durationS: number;
};

/** `joiners` silent clients connect at once to one document while 2 probes edit. */
export type JoinParams = { joiners: number; editsPerSecond: number; settleS: number };

export type WorkloadSizes = {
  seminar: SteadyParams;
  plenary: SteadyParams;
  join: JoinParams;
  /** After the last edit, wait this long for in-flight edits to arrive (default 1000). */
  drainMs?: number;
};

export const SHORT_SIZES: WorkloadSizes = {
  seminar: { docs: 3, clientsPerDoc: 60, probesPerDoc: 3, editsPerSecond: 5, durationS: 15 },
  plenary: { docs: 1, clientsPerDoc: 502, probesPerDoc: 2, editsPerSecond: 5, durationS: 15 },
  join: { joiners: 300, editsPerSecond: 5, settleS: 2 },
};

export const FULL_SIZES: WorkloadSizes = {
  seminar: { docs: 7, clientsPerDoc: 150, probesPerDoc: 3, editsPerSecond: 5, durationS: 60 },
  plenary: { docs: 1, clientsPerDoc: 2002, probesPerDoc: 2, editsPerSecond: 5, durationS: 60 },
  join: { joiners: 1000, editsPerSecond: 5, settleS: 5 },
};

export type WorkloadResult = {
  target: TargetName;
  workload: WorkloadName;
  params: SteadyParams | JoinParams;
  clients: number;
  synced: number;
  /** Clients whose socket the server closed during the run (refused write, error). */
  unexpectedCloses: number;
  /** Edit-to-peer latency over all probe pairs, ms. */
  latency: Summary;
  /** Per-client connect-to-synced time, ms; for `join`, `joinAllSyncedMs` is the storm's end. */
  syncTime: Summary;
  joinAllSyncedMs: number | null;
  editsSent: number;
  /** Over the measurement window, summed over all clients. */
  windowS: number;
  messagesPerSecond: number;
  bytesPerSecond: number;
  /** Server process CPU (utime + stime) over the whole workload, seconds. */
  serverCpuS: number;
  /** Server VmHWM at the end of the workload (the process was started for it). */
  serverPeakRssBytes: number | null;
  /** This process's CPU (user + system) over the whole workload, seconds. */
  generatorCpuS: number;
  errors: string[];
};

const SYNC_TIMEOUT_MS = 30_000;
const CONNECT_BATCH = 50;
const DRAIN_MS = 1000;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Connects in batches (not a storm), then waits for every client to sync. */
async function connectAll(clients: BenchClient[], errors: string[]): Promise<void> {
  for (let i = 0; i < clients.length; i += CONNECT_BATCH) {
    await Promise.all(
      clients.slice(i, i + CONNECT_BATCH).map((client) =>
        client.connect().catch((error: unknown) => {
          errors.push(`connect: ${String(error)}`);
        }),
      ),
    );
  }
  await waitSynced(clients, errors);
}

async function waitSynced(clients: BenchClient[], errors: string[]): Promise<void> {
  const results = await Promise.allSettled(clients.map((c) => c.whenSynced(SYNC_TIMEOUT_MS)));
  const failed = results.filter((r) => r.status === "rejected");
  if (failed.length > 0) {
    const first = failed[0] as PromiseRejectedResult;
    errors.push(`${failed.length} clients not synced; first: ${String(first.reason)}`);
  }
}

/** Every probe edits at `rate`/s, phase-shifted so that probes do not fire together. */
function startEditing(probes: Probe[], rate: number): () => void {
  const period = 1000 / rate;
  const timers: NodeJS.Timeout[] = [];
  probes.forEach((probe, i) => {
    const offset = (period * i) / Math.max(1, probes.length);
    timers.push(
      setTimeout(() => {
        probe.edit();
        timers.push(setInterval(() => probe.edit(), period));
      }, offset),
    );
  });
  return () => {
    for (const timer of timers) {
      clearTimeout(timer);
      clearInterval(timer);
    }
  };
}

function received(clients: BenchClient[]): { messages: number; bytes: number } {
  let messages = 0;
  let bytes = 0;
  for (const client of clients) {
    messages += client.messagesReceived;
    bytes += client.bytesReceived;
  }
  return { messages, bytes };
}

type Population = { probes: Probe[]; silents: SilentClient[] };

function populate(
  docs: DocEndpoints[],
  mode: ProtocolMode,
  clientsPerDoc: number,
  probesPerDoc: number,
): Population {
  const probes: Probe[] = [];
  const silents: SilentClient[] = [];
  docs.forEach((doc, d) => {
    for (let i = 0; i < probesPerDoc; i++)
      probes.push(new Probe(doc.writerUrl, mode, `p${d}.${i}`));
    for (let i = probesPerDoc; i < clientsPerDoc; i++)
      silents.push(new SilentClient(doc.readerUrl, mode));
  });
  return { probes, silents };
}

export async function runWorkload(
  targetName: TargetName,
  workload: WorkloadName,
  sizes: WorkloadSizes,
): Promise<WorkloadResult> {
  const target = await startTarget(targetName);
  const errors: string[] = [];
  let all: BenchClient[] = [];
  try {
    const serverBefore = await target.usage();
    const generatorBefore = process.cpuUsage();
    let population: Population;
    let params: SteadyParams | JoinParams;
    let windowStart: number;
    let windowCounts: { messages: number; bytes: number };
    let joinAllSyncedMs: number | null = null;

    if (workload === "join") {
      const p = sizes.join;
      params = p;
      const [doc] = await target.documents(1);
      if (doc === undefined) throw new Error("no document");
      const probes = [0, 1].map((i) => new Probe(doc.writerUrl, target.mode, `p0.${i}`));
      const silents = Array.from(
        { length: p.joiners },
        () => new SilentClient(doc.readerUrl, target.mode),
      );
      population = { probes, silents };
      all = [...probes, ...silents];
      await connectAll(probes, errors);
      windowStart = performance.now();
      windowCounts = received(all);
      const stop = startEditing(probes, p.editsPerSecond);
      const stormStart = performance.now();
      await Promise.all(
        silents.map((c) =>
          c.connect().catch((error: unknown) => {
            errors.push(`connect: ${String(error)}`);
          }),
        ),
      );
      await waitSynced(silents, errors);
      joinAllSyncedMs = performance.now() - stormStart;
      await sleep(p.settleS * 1000);
      stop();
    } else {
      const p = workload === "seminar" ? sizes.seminar : sizes.plenary;
      params = p;
      const docs = await target.documents(p.docs);
      population = populate(docs, target.mode, p.clientsPerDoc, p.probesPerDoc);
      all = [...population.probes, ...population.silents];
      await connectAll(all, errors);
      windowStart = performance.now();
      windowCounts = received(all);
      const stop = startEditing(population.probes, p.editsPerSecond);
      await sleep(p.durationS * 1000);
      stop();
    }
    await sleep(sizes.drainMs ?? DRAIN_MS);
    const windowS = (performance.now() - windowStart) / 1000;
    const after = received(all);
    const generator = process.cpuUsage(generatorBefore);
    const serverAfter = await target.usage();

    const latency = new LatencyRecorder();
    for (const probe of population.probes) latency.merge(probe.latency);
    const syncTime = new LatencyRecorder();
    for (const client of all) if (client.syncMs !== null) syncTime.record(client.syncMs);
    const closes = all.filter((c) => c.unexpectedClose !== null);
    if (closes[0]?.unexpectedClose) {
      const { code, reason } = closes[0].unexpectedClose;
      errors.push(`${closes.length} sockets closed by the server; first: ${code} ${reason}`);
    }
    return {
      target: targetName,
      workload,
      params,
      clients: all.length,
      synced: all.filter((c) => c.synced).length,
      unexpectedCloses: closes.length,
      latency: latency.summary(),
      syncTime: syncTime.summary(),
      joinAllSyncedMs,
      editsSent: population.probes.reduce((n, p) => n + p.editsSent, 0),
      windowS,
      messagesPerSecond: (after.messages - windowCounts.messages) / windowS,
      bytesPerSecond: (after.bytes - windowCounts.bytes) / windowS,
      serverCpuS: serverAfter.cpuSeconds - serverBefore.cpuSeconds,
      serverPeakRssBytes: serverAfter.peakRssBytes,
      generatorCpuS: (generator.user + generator.system) / 1e6,
      errors,
    };
  } finally {
    await Promise.all(all.map((c) => c.close()));
    await target.stop();
  }
}
