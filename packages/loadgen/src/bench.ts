/**
 * Benchmark entry: `npm run bench [-- --full] [--targets=a,b] [--workloads=a,b|exports] [--duration=s]
 * [--profile] [--wait-quiet=s] [--out=file.json]`.
 *
 * Runs every workload against every target it applies to (fresh server processes each), prints
 * tables and writes JSON (and the same tables as Markdown) to <repo>/bench/results/<ISO date>.json|.md.
 * PostgreSQL and Redis are started (once, on loopback, in temporary directories) only when a
 * chosen target needs them, and stopped at the end. `--profile` runs Percorso under
 * `node --cpu-prof` and prints its hottest functions.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BackingServices } from "./backing.ts";
import { formatProfile, readProfile, summariseProfile, type ProfileSummary } from "./profile.ts";
import type { Summary } from "./stats.ts";
import {
  HOCUSPOCUS_REDIS,
  HOCUSPOCUS_REDIS_INSTALL,
  REPO_ROOT,
  TARGETS,
  TARGET_NAMES,
  hocuspocusRedisInstalled,
  machineBusySeconds,
  type TargetName,
} from "./targets.ts";
import {
  FULL_SIZES,
  SHORT_SIZES,
  WORKLOAD_NAMES,
  appliesTo,
  runWorkload,
  type WorkloadName,
  type WorkloadResult,
  type WorkloadSizes,
} from "./workloads.ts";
import { runExports, type ExportsResult } from "./exports.ts";

function pick<T extends string>(value: string | undefined, all: readonly T[], what: string): T[] {
  if (value === undefined) return [...all];
  const chosen = value.split(",").map((s) => s.trim());
  for (const name of chosen) {
    if (!all.includes(name as T)) throw new Error(`unknown ${what} '${name}' (${all.join(", ")})`);
  }
  return chosen as T[];
}

type Cell = number | null | undefined;
const fixed = (v: Cell, digits = 1) =>
  v === null || v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(digits);
const kib = (v: Cell) => fixed(v === null || v === undefined ? v : v / 1024, 1);
const mib = (v: Cell) => fixed(v === null || v === undefined ? v : v / 1024 / 1024, 1);
const pct = (v: Cell) => fixed(v === null || v === undefined ? v : v * 100, 1);

export type Table = string[][];

/** Plain text; numbers right-aligned, words left-aligned. */
export function textTable(rows: Table): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  const numeric = (i: number) =>
    rows.slice(1).every((r) => /^[-+]?[\d.,]*[\d-][×%]?$|^-$|^\d+\/\d+$/.test(r[i] ?? ""));
  const align = widths.map((_, i) => numeric(i));
  return rows
    .map((r) =>
      r
        .map((cell, i) => (align[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function markdownTable(rows: Table): string {
  const [header, ...body] = rows;
  if (header === undefined) return "";
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---:")), ...body.map(line)].join("\n");
}

export function latencyTable(results: WorkloadResult[]): Table {
  return [
    [
      "workload",
      "target",
      "synced",
      "samples",
      "deliv %",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "max ms",
      "edits/s",
      "msg/s out",
      "KiB/s out",
      "srv CPU %",
      "srv CPU s",
      "srv peak MiB",
      "KiB/conn",
      "KiB/doc",
      "gen CPU %",
      "gen lag p99 ms",
      "crowd lag p99 ms",
      "other CPU %",
    ],
    ...results
      .filter((r) => r.store == null)
      .map((r) => [
        r.workload,
        r.target,
        `${r.synced}/${r.clients}`,
        String(r.latency.count),
        pct(r.delivered),
        fixed(r.latency.p50),
        fixed(r.latency.p95),
        fixed(r.latency.p99),
        fixed(r.latency.max),
        fixed(r.editsPerSecond, 0),
        fixed(r.messagesPerSecond, 0),
        kib(r.bytesPerSecond),
        fixed(r.serverCpuPct, 0),
        fixed(r.serverCpuS, 1),
        mib(r.serverPeakRssBytes),
        kib(r.memoryPerConnectionBytes),
        kib(r.memoryPerDocumentBytes),
        fixed(r.generatorCpuPct, 0),
        fixed(r.generatorLoopDelayP99Ms, 1),
        fixed(r.crowdLoopDelayP99Ms, 1),
        fixed(r.otherCpuPct, 0),
      ]),
  ];
}

export function joinTable(results: WorkloadResult[]): Table {
  return [
    [
      "target",
      "joiners",
      "storm ms",
      "tail ms",
      "join p99 ms",
      "downtime ms",
      "all back ms",
      "back p99 ms",
    ],
    ...results.flatMap((r) =>
      r.join === null
        ? []
        : [
            [
              r.target,
              String(r.clients - 2),
              fixed(r.join.stormMs, 0),
              fixed(r.join.stormTailMs, 0),
              fixed(r.join.stormSyncTime.p99, 0),
              fixed(r.join.downtimeMs, 0),
              fixed(r.join.restartMs, 0),
              fixed(r.join.restartSyncTime?.p99, 0),
            ],
          ],
    ),
  ];
}

export function coldTable(results: WorkloadResult[]): Table {
  return [
    [
      "target",
      "updates",
      "write s",
      "loaded from",
      "first sync ms",
      "warm sync ms",
      "state KiB",
      "disk KiB",
      "memory MiB",
      "B/update",
    ],
    ...results.flatMap((r) =>
      r.cold === null
        ? []
        : [
            [
              r.target,
              String(r.cold.updates),
              fixed(r.cold.writeS, 1),
              r.cold.fromStorage ? "storage" : "memory",
              fixed(r.cold.firstSyncMs, 0),
              fixed(r.cold.warmSyncMs, 0),
              kib(r.cold.stateBytes),
              kib(r.cold.diskBytes),
              mib(r.cold.memoryBytes),
              fixed(r.cold.storedBytesPerUpdate, 0),
            ],
          ],
    ),
  ];
}

/** What each scale-out target runs on. */
const DEPLOYMENT: Partial<Record<TargetName, string>> = {
  "percorso-pg": "PostgreSQL",
  "percorso-redis": "PostgreSQL + Redis",
  hocuspocus: "SQLite",
  "hocuspocus-redis": "Redis (SQLite each)",
};

/** The same server on one process in the same workload, for a two-process result. */
function oneProcessOf(results: WorkloadResult[], r: WorkloadResult): WorkloadResult | undefined {
  return results.find(
    (one) =>
      one.workload === r.workload &&
      one.target !== r.target &&
      TARGETS[one.target].server === TARGETS[r.target].server &&
      TARGETS[one.target].processes === 1,
  );
}

const minus = (a: Cell, b: Cell) =>
  a === null || a === undefined || b === null || b === undefined ? null : a - b;

/**
 * The scale-out workload: each server on one process and on two behind Redis; `hop` is the
 * two-process figure minus the one-process one (what crossing processes costs).
 */
export function scaleoutTable(results: WorkloadResult[]): Table {
  const rows = results.filter((r) => r.workload === "scaleout");
  return [
    [
      "target",
      "procs",
      "on",
      "synced",
      "deliv %",
      "p50 ms",
      "p99 ms",
      "max ms",
      "hop p50 ms",
      "hop p99 ms",
      "p99 ÷ 1 proc",
      "srv CPU %",
      "svc CPU %",
      "other CPU %",
    ],
    ...rows.map((r) => {
      const one = r.processes > 1 ? oneProcessOf(results, r) : undefined;
      const factor = one === undefined ? null : ratio(r.latency.p99, one.latency.p99);
      return [
        r.target,
        String(r.processes),
        DEPLOYMENT[r.target] ?? "-",
        `${r.synced}/${r.clients}`,
        pct(r.delivered),
        fixed(r.latency.p50),
        fixed(r.latency.p99),
        fixed(r.latency.max),
        fixed(minus(r.latency.p50, one?.latency.p50)),
        fixed(minus(r.latency.p99, one?.latency.p99)),
        factor === null ? "-" : `${factor.toFixed(2)}×`,
        fixed(r.serverCpuPct, 0),
        fixed(r.serviceCpuPct, 0),
        fixed(r.otherCpuPct, 0),
      ];
    }),
  ];
}

/** Percorso's storage modules: per-append latency, single updates and group commits. */
export function storeTable(results: WorkloadResult[]): Table {
  const ms = (summary: Summary, key: "p50" | "p95" | "p99" | "max") => fixed(summary[key], 2);
  return [
    [
      "store",
      "appends",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "max ms",
      "appends/s",
      "group of",
      "group p50 ms",
      "group p95 ms",
      "group p99 ms",
      "group max ms",
      "updates/s",
      "B/update",
    ],
    ...results.flatMap((r) =>
      (r.store ?? []).map((s) => [
        s.store,
        String(s.single.count),
        ms(s.single, "p50"),
        ms(s.single, "p95"),
        ms(s.single, "p99"),
        ms(s.single, "max"),
        fixed(s.singlePerSecond, 0),
        String(s.groupSize),
        ms(s.group, "p50"),
        ms(s.group, "p95"),
        ms(s.group, "p99"),
        ms(s.group, "max"),
        fixed(s.groupUpdatesPerSecond, 0),
        fixed(s.bytesPerUpdate, 0),
      ]),
    ),
  ];
}

/** The figures compared as Percorso ÷ reference. */
const RATIO_FIGURES = {
  p50: (r: WorkloadResult) => r.latency.p50,
  p99: (r: WorkloadResult) => r.latency.p99,
  max: (r: WorkloadResult) => r.latency.max,
  msgOut: (r: WorkloadResult) => r.messagesPerSecond,
  serverCpu: (r: WorkloadResult) => r.serverCpuS,
  serverPeakRss: (r: WorkloadResult) => r.serverPeakRssBytes,
  memPerConn: (r: WorkloadResult) => r.memoryPerConnectionBytes,
  memPerDoc: (r: WorkloadResult) => r.memoryPerDocumentBytes,
  storm: (r: WorkloadResult) => r.join?.stormMs ?? null,
  downtime: (r: WorkloadResult) => r.join?.downtimeMs ?? null,
  restart: (r: WorkloadResult) => r.join?.restartMs ?? null,
  coldFirstSync: (r: WorkloadResult) => r.cold?.firstSyncMs ?? null,
  coldMemory: (r: WorkloadResult) => r.cold?.memoryBytes ?? null,
} as const;
type RatioFigure = keyof typeof RATIO_FIGURES;

export type Ratio = { workload: WorkloadName; target: TargetName; reference: TargetName } & Record<
  RatioFigure,
  number | null
>;

const ratio = (a: number | null, b: number | null) =>
  a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0 ? null : a / b;

/**
 * Percorso ÷ each other server, per workload, for every figure both have; on as many processes
 * (the scale-out workload: one against one, two against two).
 */
export function ratios(results: WorkloadResult[]): Ratio[] {
  const out: Ratio[] = [];
  const processes = (r: WorkloadResult) => TARGETS[r.target].processes;
  for (const percorso of results.filter((r) => TARGETS[r.target].server === "percorso")) {
    for (const ref of results) {
      if (ref.workload !== percorso.workload || TARGETS[ref.target].server === "percorso") continue;
      if (processes(ref) !== processes(percorso)) continue;
      const row = {
        workload: percorso.workload,
        target: percorso.target,
        reference: ref.target,
      } as Ratio;
      for (const [name, get] of Object.entries(RATIO_FIGURES)) {
        row[name as RatioFigure] = ratio(get(percorso), get(ref));
      }
      out.push(row);
    }
  }
  return out;
}

export function ratiosTable(list: Ratio[]): Table {
  const names = Object.keys(RATIO_FIGURES) as RatioFigure[];
  const used = names.filter((name) => list.some((r) => r[name] !== null));
  const x = (v: number | null) => (v === null ? "-" : `${v.toFixed(2)}×`);
  return [
    ["workload", "percorso", "÷ reference", ...used],
    ...list.map((r) => [
      r.workload,
      r.target ?? "percorso",
      r.reference,
      ...used.map((name) => x(r[name])),
    ]),
  ];
}

export type Verdict = { target: string; goal: string; measured: string; holds: boolean | null };

/** The issue's targets, checked against this run's figures (`null`: not measured here). */
export function verdicts(results: WorkloadResult[]): Verdict[] {
  const find = (workload: WorkloadName, target: TargetName) =>
    results.find((r) => r.workload === workload && r.target === target);
  const out: Verdict[] = [];
  // A comparison with a run that did not deliver (almost) every edit compares backlogs.
  const saturated = (...runs: Array<WorkloadResult | undefined>) =>
    runs.some((r) => r !== undefined && r.delivered !== null && r.delivered < 0.99);
  for (const workload of ["seminar", "plenary"] as const) {
    const percorso = find(workload, "percorso");
    const p = percorso?.latency.p99 ?? null;
    for (const reference of ["y-websocket", "hocuspocus"] as const) {
      const ref = find(workload, reference);
      const r = ref?.latency.p99 ?? null;
      const invalid = saturated(percorso, ref);
      out.push({
        target: `${workload} p99 vs ${reference}`,
        goal: reference === "y-websocket" ? "≤ 1.1× reference" : "below Hocuspocus",
        measured:
          `${fixed(p)} ms vs ${fixed(r)} ms (${fixed(ratio(p, r), 2)}×)` +
          (invalid ? "; saturated, not all edits delivered" : ""),
        holds:
          p === null || r === null || invalid
            ? null
            : reference === "y-websocket"
              ? p <= 1.1 * r
              : p < r,
      });
    }
  }
  const plenary = find("plenary", "percorso");
  const readers = plenary === undefined ? 0 : (plenary.params as { readers: number }).readers;
  out.push({
    target: `plenary p99 with ${readers} readers`,
    goal: "≤ 50 ms (2000 readers)",
    measured: `${fixed(plenary?.latency.p99)} ms`,
    holds: plenary?.latency.p99 == null ? null : plenary.latency.p99 <= 50,
  });
  const perConn = plenary?.memoryPerConnectionBytes ?? null;
  out.push({
    target: "server memory per idle connection",
    goal: "≤ 20 KiB",
    measured: `${kib(perConn)} KiB (plenary readers)`,
    holds: perConn === null ? null : perConn <= 20 * 1024,
  });
  const cold = find("cold", "percorso")?.cold ?? null;
  out.push({
    target: `cold load of a ${cold?.updates ?? "-"}-update document`,
    goal: "≤ 300 ms after compaction (100,000 updates)",
    measured: `${fixed(cold?.firstSyncMs, 0)} ms`,
    holds: cold === null ? null : cold.firstSyncMs <= 300,
  });
  const one = find("scaleout", "percorso-pg");
  const two = find("scaleout", "percorso-redis");
  const hocuspocusTwo = find("scaleout", "hocuspocus-redis");
  const scaleReaders = two === undefined ? 0 : (two.params as { readers: number }).readers;
  const p1 = one?.latency.p99 ?? null;
  const p2 = two?.latency.p99 ?? null;
  const h2 = hocuspocusTwo?.latency.p99 ?? null;
  const note = (invalid: boolean) => (invalid ? "; saturated, not all edits delivered" : "");
  const scaleInvalid = saturated(one, two);
  out.push({
    target: `scale-out p99 with ${scaleReaders} readers: two processes ÷ one (PostgreSQL)`,
    goal: "≤ 1.3×",
    measured: `${fixed(p2)} ms vs ${fixed(p1)} ms (${fixed(ratio(p2, p1), 2)}×)${note(scaleInvalid)}`,
    holds: p1 === null || p2 === null || scaleInvalid ? null : p2 <= 1.3 * p1,
  });
  const againstInvalid = saturated(two, hocuspocusTwo);
  out.push({
    target: "scale-out p99, two processes: Percorso vs Hocuspocus + Redis",
    goal: "below Hocuspocus + Redis",
    measured: `${fixed(p2)} ms vs ${fixed(h2)} ms (${fixed(ratio(p2, h2), 2)}×)${note(againstInvalid)}`,
    holds: p2 === null || h2 === null || againstInvalid ? null : p2 < h2,
  });
  const join = find("join", "percorso");
  const joiners = join === undefined ? 0 : (join.params as { joiners: number }).joiners;
  const worst =
    join?.join === null || join?.join === undefined
      ? null
      : Math.max(join.join.stormTailMs, join.join.restartMs ?? 0);
  out.push({
    target: `join storm of ${joiners}: last synced after the storm / after the restart`,
    goal: "≤ 3 s (1000 joiners)",
    measured: `${fixed(join?.join?.stormTailMs, 0)} ms / ${fixed(join?.join?.restartMs, 0)} ms`,
    holds: worst === null ? null : worst <= 3000,
  });
  return out;
}

export function verdictsTable(list: Verdict[]): Table {
  const mark = (v: boolean | null) => (v === null ? "n/a" : v ? "holds" : "MISSED");
  return [
    ["target", "goal", "measured", "verdict"],
    ...list.map((v) => [v.target, v.goal, v.measured, mark(v.holds)]),
  ];
}

function machine() {
  let kernel: string;
  try {
    kernel = execFileSync("uname", ["-sr"], { encoding: "utf8" }).trim();
  } catch {
    kernel = process.platform;
  }
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    kernel,
  };
}

type Machine = ReturnType<typeof machine>;

function whereLine(env: Machine, full: boolean, elapsedS: number): string {
  return (
    `${env.cpus} × ${env.cpuModel}, ${env.memoryGiB} GiB, ${env.kernel}, Node ${env.node}; ` +
    `${full ? "full" : "short"} run, ${elapsedS.toFixed(0)} s`
  );
}

function report(
  results: WorkloadResult[],
  full: boolean,
  render: (rows: Table) => string,
  title: (text: string) => string,
): string {
  const parts = [
    title("Edit-to-peer latency, fan-out, server and generator"),
    render(latencyTable(results)),
  ];
  if (results.some((r) => r.join !== null)) {
    parts.push(title("Join storm and restart"), render(joinTable(results)));
  }
  if (results.some((r) => r.cold !== null)) {
    parts.push(title("Cold load"), render(coldTable(results)));
  }
  if (results.some((r) => r.workload === "scaleout")) {
    parts.push(
      title("Scale-out: one process against two behind Redis (probes and drafters apart)"),
      render(scaleoutTable(results)),
    );
  }
  if (results.some((r) => r.store != null)) {
    parts.push(title("Storage: per-append latency"), render(storeTable(results)));
  }
  const list = ratios(results);
  if (list.length > 0) parts.push(title("Percorso ÷ reference"), render(ratiosTable(list)));
  parts.push(
    title(full ? "Targets" : "Targets (short run: sizes below the goals'; see --full)"),
    render(verdictsTable(verdicts(results))),
  );
  return parts.join("\n\n");
}

/**
 * Waits (at most `maxS` seconds) until the rest of the machine uses under a quarter of a core
 * over a one-second sample: another build or test run on a 2-core machine skews every figure.
 * Returns the last sample, % of one core.
 */
async function waitQuiet(maxS: number): Promise<number> {
  const deadline = performance.now() + maxS * 1000;
  for (;;) {
    const before = await machineBusySeconds();
    await new Promise((r) => setTimeout(r, 1000));
    const busy = 100 * ((await machineBusySeconds()) - before);
    if (busy < 25 || performance.now() >= deadline) return busy;
    process.stderr.write(
      `  (machine busy: ${busy.toFixed(0)}% of a core used by others; waiting)\n`,
    );
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: "boolean", default: false },
      targets: { type: "string" },
      workloads: { type: "string" },
      duration: { type: "string" },
      profile: { type: "boolean", default: false },
      "wait-quiet": { type: "string", default: "0" },
      /** Re-render the tables of an earlier results file (JSON) instead of running. */
      from: { type: "string" },
      out: { type: "string" },
    },
  });
  if (values.from !== undefined) {
    const saved = JSON.parse(await readFile(values.from, "utf8")) as {
      full: boolean;
      elapsedS: number;
      machine: Machine;
      results: WorkloadResult[];
    };
    const where = whereLine(saved.machine, saved.full, saved.elapsedS);
    console.log(`${report(saved.results, saved.full, textTable, (t) => `== ${t}`)}\n\n${where}`);
    const markdown = report(saved.results, saved.full, markdownTable, (t) => `#### ${t}`);
    await writeFile(values.from.replace(/\.json$/, "") + ".md", `${where}\n\n${markdown}\n`);
    return;
  }
  const targets = pick(values.targets, TARGET_NAMES, "target");
  // `exports` (issue 16) runs on its own: Percorso only, its own figures and file.
  const chosen = values.workloads?.split(",").map((name) => name.trim());
  if (chosen?.includes("exports")) {
    await benchExports(values.out, Number(values["wait-quiet"]));
    if (chosen.length === 1) return;
    values.workloads = chosen.filter((name) => name !== "exports").join(",");
  }
  const workloads = pick(values.workloads, WORKLOAD_NAMES, "workload");
  const sizes: WorkloadSizes = structuredClone(values.full ? FULL_SIZES : SHORT_SIZES);
  if (values.duration !== undefined) {
    const seconds = Number(values.duration);
    if (!(seconds > 0)) throw new Error(`--duration must be a positive number of seconds`);
    sizes.seminar.durationS = seconds;
    sizes.plenary.durationS = seconds;
    sizes.scaleout.durationS = seconds;
  }
  const date = new Date().toISOString();
  const stamp = date.replaceAll(":", "-").replace(/\.\d+Z$/, "Z");
  const file = values.out ?? join(REPO_ROOT, "bench/results", `${stamp}.json`);
  const profileDir = values.profile ? join(REPO_ROOT, "bench/results/profiles", stamp) : null;

  // PostgreSQL and Redis, started on the first run that needs them; stopped at the end, also on
  // Ctrl-C (PostgreSQL runs detached, so it would outlive the bench).
  const services = new BackingServices();
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`${signal}: stopping PostgreSQL and Redis\n`);
    void services.stop().finally(() => process.exit(130));
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);

  const started = performance.now();
  const results: WorkloadResult[] = [];
  const profiles: Array<{ workload: WorkloadName; file: string; summary: ProfileSummary }> = [];
  const failures: Array<{ target: TargetName; workload: WorkloadName; error: string }> = [];
  const skipped: Array<{ target: TargetName; workload: WorkloadName; reason: string }> = [];
  try {
    for (const workload of workloads) {
      for (const target of targets) {
        if (!appliesTo(workload, target)) continue;
        if (target === "hocuspocus-redis" && !hocuspocusRedisInstalled()) {
          const reason = `${HOCUSPOCUS_REDIS} is not installed (${HOCUSPOCUS_REDIS_INSTALL})`;
          process.stderr.write(`${workload} × ${target}: skipped, ${reason}\n`);
          skipped.push({ target, workload, reason });
          continue;
        }
        const quietS = Number(values["wait-quiet"]);
        if (quietS > 0) await waitQuiet(quietS);
        process.stderr.write(`${workload} × ${target} …\n`);
        const cpuProfDir =
          profileDir !== null && TARGETS[target].server === "percorso" && workload !== "store"
            ? join(profileDir, workload, target === "percorso" ? "" : target)
            : undefined;
        try {
          const result = await runWorkload(target, workload, sizes, { cpuProfDir, services });
          for (const error of result.errors) process.stderr.write(`  ! ${error}\n`);
          results.push(result);
        } catch (error) {
          // One broken target (e.g. a server that does not start) must not lose the others' data.
          const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
          process.stderr.write(`  ! failed: ${message}\n`);
          failures.push({ target, workload, error: message });
        }
        if (cpuProfDir !== undefined) {
          const files = (await readdir(cpuProfDir).catch(() => [] as string[])).sort();
          for (const name of files.filter((f) => f.endsWith(".cpuprofile"))) {
            const path = join(cpuProfDir, name);
            profiles.push({
              workload,
              file: path,
              summary: summariseProfile(await readProfile(path), REPO_ROOT, 20),
            });
          }
        }
      }
    }
  } finally {
    await services.stop();
  }
  const elapsedS = (performance.now() - started) / 1000;
  const full = values.full ?? false;
  const skips = skipped.map((s) => `Skipped: ${s.workload} × ${s.target}, ${s.reason}.`).join("\n");
  const text = report(results, full, textTable, (t) => `== ${t}`);
  console.log(`\n${text}\n${skips === "" ? "" : `\n${skips}\n`}`);
  for (const profile of profiles) {
    console.log(`== Percorso CPU profile, ${profile.workload}: ${profile.file}`);
    console.log(`${formatProfile(profile.summary)}\n`);
  }
  const env = machine();
  const where = whereLine(env, full, elapsedS);
  console.log(where);

  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(
    file,
    JSON.stringify(
      {
        date,
        full,
        elapsedS,
        sizes,
        machine: env,
        results,
        ratios: ratios(results),
        verdicts: verdicts(results),
        profiles: profiles.map((p) => ({ ...p, file: p.file.slice(REPO_ROOT.length + 1) })),
        failures,
        skipped,
      },
      null,
      2,
    ),
  );
  const markdown = report(results, full, markdownTable, (t) => `#### ${t}`);
  const notes = skips === "" ? "" : `\n${skips}\n`;
  await writeFile(file.replace(/\.json$/, "") + ".md", `${where}\n\n${markdown}\n${notes}`);
  console.log(`results: ${file}`);
  if (failures.length > 0) {
    console.log(
      `${failures.length} runs failed: ${failures.map((f) => `${f.workload} × ${f.target}`).join(", ")}`,
    );
    process.exitCode = 1;
  }
}

/**
 * The exports workload (`--workloads=exports`): a seminar's round trip while 10 exports run,
 * ÷ the same probe's without them; printed, and written to bench/results/<date>-exports.json|.md.
 */
async function benchExports(out: string | undefined, quietS: number): Promise<void> {
  if (quietS > 0) await waitQuiet(quietS);
  const services = new BackingServices();
  const started = performance.now();
  process.stderr.write("exports × percorso …\n");
  let result: ExportsResult;
  try {
    result = await runExports(services);
  } finally {
    await services.stop();
  }
  const elapsedS = (performance.now() - started) / 1000;
  const ms = (v: Cell) => fixed(v, 1);
  const ratio = (v: Cell) => (v === null || v === undefined ? "-" : `${v.toFixed(2)}×`);
  const rows: Table = [
    ["round trip, ms", "p50", "p95", "p99", "max", "samples"],
    ...(
      [
        ["baseline", result.baseline],
        [`${result.params.exporters} exports running`, result.underExports],
      ] as const
    ).map(([label, s]) => [label, ms(s.p50), ms(s.p95), ms(s.p99), ms(s.max), String(s.count)]),
    ["exports ÷ baseline", ratio(result.ratio.p50), "-", ratio(result.ratio.p99), "-", "-"],
  ];
  const e = result.exports;
  const exportsLine =
    `Exports: ${e.done} made (${e.cached} from the cache), ${e.refused} refused (429), ` +
    `${e.failed} failed, ${mib(e.bytes)} MiB; seconds each p50 ${fixed(e.seconds.p50, 2)}, ` +
    `p99 ${fixed(e.seconds.p99, 2)}. ${result.params.paragraphs}-paragraph draft typed into at ` +
    `${result.params.keystrokesPerSecond}/s; ${result.params.phaseS} s per phase; DOCX and PDF alternate.`;
  const where = whereLine(machine(), false, elapsedS);
  console.log(
    `\n== Exports (issue 16): a seminar's round trip while exports run\n${textTable(rows)}\n${exportsLine}\n${where}`,
  );
  for (const error of result.errors) process.stderr.write(`  ! ${error}\n`);
  const stamp = new Date()
    .toISOString()
    .replaceAll(":", "-")
    .replace(/\.\d+Z$/, "Z");
  const file = out ?? join(REPO_ROOT, "bench/results", `${stamp}-exports.json`);
  await mkdir(join(file, ".."), { recursive: true });
  await writeFile(
    file,
    JSON.stringify(
      { date: new Date().toISOString(), elapsedS, machine: machine(), exports: result },
      null,
      2,
    ),
  );
  await writeFile(
    file.replace(/\.json$/, "") + ".md",
    `${where}\n\n#### Exports (issue 16): a seminar's round trip while exports run\n\n${markdownTable(rows)}\n\n${exportsLine}\n`,
  );
  console.log(`results: ${file}`);
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
