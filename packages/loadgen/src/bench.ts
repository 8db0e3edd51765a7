/**
 * Benchmark entry: `npm run bench [-- --full] [--targets=a,b] [--workloads=a,b] [--duration=s]`.
 * Runs every workload against every target (one fresh server process each), prints a table and
 * writes JSON to <repo>/bench/results/<ISO date>.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { REPO_ROOT, TARGET_NAMES, type TargetName } from "./targets.ts";
import {
  FULL_SIZES,
  SHORT_SIZES,
  WORKLOAD_NAMES,
  runWorkload,
  type WorkloadName,
  type WorkloadResult,
  type WorkloadSizes,
} from "./workloads.ts";

function pick<T extends string>(value: string | undefined, all: readonly T[], what: string): T[] {
  if (value === undefined) return [...all];
  const chosen = value.split(",").map((s) => s.trim());
  for (const name of chosen) {
    if (!all.includes(name as T)) throw new Error(`unknown ${what} '${name}' (${all.join(", ")})`);
  }
  return chosen as T[];
}

const ms = (v: number | null) => (v === null ? "-" : v.toFixed(1));
const num = (v: number, digits = 0) => v.toFixed(digits);
const mb = (v: number | null) => (v === null ? "-" : (v / 1024 / 1024).toFixed(0));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padStart(widths[i] ?? 0)).join("  ")).join("\n");
}

export function resultsTable(results: WorkloadResult[]): string {
  const header = [
    "workload",
    "target",
    "synced",
    "samples",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "max ms",
    "join ms",
    "msg/s",
    "KB/s",
    "srv CPU s",
    "srv RSS MB",
    "gen CPU s",
  ];
  return table([
    header,
    ...results.map((r) => [
      r.workload,
      r.target,
      `${r.synced}/${r.clients}`,
      String(r.latency.count),
      ms(r.latency.p50),
      ms(r.latency.p95),
      ms(r.latency.p99),
      ms(r.latency.max),
      ms(r.joinAllSyncedMs),
      num(r.messagesPerSecond),
      num(r.bytesPerSecond / 1024, 1),
      num(r.serverCpuS, 2),
      mb(r.serverPeakRssBytes),
      num(r.generatorCpuS, 2),
    ]),
  ]);
}

export type Ratio = {
  workload: WorkloadName;
  reference: TargetName;
  p50: number | null;
  p99: number | null;
  serverCpu: number | null;
  serverPeakRss: number | null;
  joinAllSynced: number | null;
};

const ratio = (a: number | null, b: number | null) =>
  a === null || b === null || b === 0 ? null : a / b;

/** Percorso ÷ each other target, per workload. */
export function ratios(results: WorkloadResult[]): Ratio[] {
  const out: Ratio[] = [];
  for (const percorso of results.filter((r) => r.target === "percorso")) {
    for (const ref of results) {
      if (ref.workload !== percorso.workload || ref.target === "percorso") continue;
      out.push({
        workload: percorso.workload,
        reference: ref.target,
        p50: ratio(percorso.latency.p50, ref.latency.p50),
        p99: ratio(percorso.latency.p99, ref.latency.p99),
        serverCpu: ratio(percorso.serverCpuS, ref.serverCpuS),
        serverPeakRss: ratio(percorso.serverPeakRssBytes, ref.serverPeakRssBytes),
        joinAllSynced: ratio(percorso.joinAllSyncedMs, ref.joinAllSyncedMs),
      });
    }
  }
  return out;
}

function ratiosTable(list: Ratio[]): string {
  const x = (v: number | null) => (v === null ? "-" : `${v.toFixed(2)}x`);
  return table([
    ["workload", "percorso ÷", "p50", "p99", "srv CPU", "srv RSS", "join"],
    ...list.map((r) => [
      r.workload,
      r.reference,
      x(r.p50),
      x(r.p99),
      x(r.serverCpu),
      x(r.serverPeakRss),
      x(r.joinAllSynced),
    ]),
  ]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      full: { type: "boolean", default: false },
      targets: { type: "string" },
      workloads: { type: "string" },
      duration: { type: "string" },
      out: { type: "string" },
    },
  });
  const targets = pick(values.targets, TARGET_NAMES, "target");
  const workloads = pick(values.workloads, WORKLOAD_NAMES, "workload");
  const base = values.full ? FULL_SIZES : SHORT_SIZES;
  const sizes: WorkloadSizes = structuredClone(base);
  if (values.duration !== undefined) {
    const seconds = Number(values.duration);
    if (!(seconds > 0)) throw new Error(`--duration must be a positive number of seconds`);
    sizes.seminar.durationS = seconds;
    sizes.plenary.durationS = seconds;
  }

  const results: WorkloadResult[] = [];
  const failures: Array<{ target: TargetName; workload: WorkloadName; error: string }> = [];
  for (const workload of workloads) {
    for (const target of targets) {
      process.stderr.write(`${workload} × ${target} …\n`);
      try {
        const result = await runWorkload(target, workload, sizes);
        for (const error of result.errors) process.stderr.write(`  ! ${error}\n`);
        results.push(result);
      } catch (error) {
        // One broken target (e.g. a server that does not start) must not lose the others' data.
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`  ! failed: ${message}\n`);
        failures.push({ target, workload, error: message });
      }
    }
  }

  console.log(`\n${resultsTable(results)}\n\n${ratiosTable(ratios(results))}\n`);
  const date = new Date().toISOString();
  const file = values.out ?? join(REPO_ROOT, "bench/results", `${date.replaceAll(":", "-")}.json`);
  await mkdir(join(file, ".."), { recursive: true });
  const machine = { cpus: cpus().length, node: process.version, platform: process.platform };
  await writeFile(
    file,
    JSON.stringify(
      { date, full: values.full, sizes, machine, results, ratios: ratios(results) },
      null,
      2,
    ),
  );
  console.log(`results: ${file}`);
  if (failures.length > 0) {
    console.log(
      `${failures.length} runs failed: ${failures.map((f) => `${f.workload} × ${f.target}`).join(", ")}`,
    );
    process.exitCode = 1;
  }
}

if (import.meta.main) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
