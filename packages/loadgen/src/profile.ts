/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): self time per function and per file,
 * and inclusive time for functions of the project (`server/`, `packages/`).
 *
 * `node packages/loadgen/src/profile.ts <file.cpuprofile> [top]`
 */
import { readFile } from "node:fs/promises";
import { relative } from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};

export type HotSpot = { name: string; ms: number; pct: number };

export type ProfileSummary = {
  totalMs: number;
  /** Time not idle (not `(idle)`, `(program)` or `(garbage collector)` counted separately). */
  busyMs: number;
  gcMs: number;
  selfByFunction: HotSpot[];
  selfByFile: HotSpot[];
  /** Inclusive time of project functions (server/ and packages/ code), deduplicated per stack. */
  inclusiveProject: HotSpot[];
};

function shortUrl(url: string, root: string): string {
  if (url === "") return "(native)";
  const path = url.startsWith("file://") ? new URL(url).pathname : url;
  const rel = relative(root, path);
  return rel.replace(/^node_modules\//, "");
}

function frameName(frame: CallFrame, root: string): string {
  const fn = frame.functionName === "" ? "(anonymous)" : frame.functionName;
  if (frame.url === "") return fn;
  return `${fn} ${shortUrl(frame.url, root)}:${frame.lineNumber + 1}`;
}

function top(map: Map<string, number>, totalMs: number, count: number): HotSpot[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, pct: (100 * ms) / totalMs }));
}

export function summariseProfile(profile: CpuProfile, root: string, count = 25): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  const parent = new Map<number, number>();
  for (const node of profile.nodes) {
    byId.set(node.id, node);
    for (const child of node.children ?? []) parent.set(child, node.id);
  }
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    selfTime.set(id, (selfTime.get(id) ?? 0) + delta);
  });
  const totalMs = (profile.endTime - profile.startTime) / 1000;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let idleMs = 0;
  let gcMs = 0;
  for (const [id, ms] of selfTime) {
    const node = byId.get(id);
    if (node === undefined) continue;
    const { callFrame } = node;
    if (callFrame.functionName === "(idle)") {
      idleMs += ms;
      continue;
    }
    if (callFrame.functionName === "(garbage collector)") gcMs += ms;
    const name = frameName(callFrame, root);
    byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
    const file = callFrame.url === "" ? callFrame.functionName : shortUrl(callFrame.url, root);
    byFile.set(file, (byFile.get(file) ?? 0) + ms);
    // Inclusive time: every distinct project frame on this stack gets the sample once.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame === undefined) break;
      const path = shortUrl(frame.url, root);
      if (!/^(server|packages)\//.test(path)) continue;
      const key = frameName(frame, root);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  const busyMs = totalMs - idleMs;
  return {
    totalMs,
    busyMs,
    gcMs,
    selfByFunction: top(byFunction, busyMs, count),
    selfByFile: top(byFile, busyMs, count),
    inclusiveProject: top(inclusive, busyMs, count),
  };
}

export async function readProfile(file: string): Promise<CpuProfile> {
  return JSON.parse(await readFile(file, "utf8")) as CpuProfile;
}

export function formatProfile(summary: ProfileSummary): string {
  const lines = [
    `wall ${(summary.totalMs / 1000).toFixed(1)} s, busy ${(summary.busyMs / 1000).toFixed(1)} s, ` +
      `GC ${(summary.gcMs / 1000).toFixed(2)} s`,
  ];
  const section = (title: string, spots: HotSpot[]) => {
    lines.push(`  ${title} (% of busy time)`);
    for (const spot of spots) {
      lines.push(
        `    ${spot.pct.toFixed(1).padStart(5)}%  ${spot.ms.toFixed(0).padStart(7)} ms  ${spot.name}`,
      );
    }
  };
  section("self time by function", summary.selfByFunction);
  section("self time by file", summary.selfByFile.slice(0, 12));
  section("inclusive time, project code", summary.inclusiveProject);
  return lines.join("\n");
}

if (import.meta.main) {
  const [file, count] = process.argv.slice(2);
  if (file === undefined) {
    console.error("usage: profile.ts <file.cpuprofile> [top]");
    process.exit(2);
  }
  const { REPO_ROOT } = await import("./targets.ts");
  const summary = summariseProfile(await readProfile(file), REPO_ROOT, Number(count ?? 25));
  console.log(formatProfile(summary));
}
