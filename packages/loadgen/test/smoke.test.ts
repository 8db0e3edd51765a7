/**
 * Every workload at a tiny size against the real Percorso server, and the reference servers'
 * launchers (with a restart, and Hocuspocus's SQLite persistence) once each. Never asserts a
 * wall-clock limit: only that the figures were produced and are sane.
 */
import { describe, expect, it } from "vitest";
import {
  WORKLOAD_NAMES,
  runWorkload,
  type WorkloadResult,
  type WorkloadSizes,
} from "../src/workloads.ts";
import type { TargetName } from "../src/targets.ts";

const TINY: WorkloadSizes = {
  seminar: {
    docs: 2,
    clientsPerDoc: 5,
    typistsPerDoc: 2,
    listenersPerDoc: 1,
    keystrokesPerSecond: 10,
    voteIntervalS: 0.3,
    durationS: 1,
  },
  plenary: { readers: 6, listeners: 2, drafters: 2, keystrokesPerSecond: 10, durationS: 1 },
  join: { joiners: 5, windowS: 0.2, keystrokesPerSecond: 10, settleS: 0.3, restart: true },
  cold: { updates: 300, batch: 100 },
  drainMs: 300,
};

const finite = (v: number | null | undefined) => typeof v === "number" && Number.isFinite(v);

function expectSane(result: WorkloadResult, target: TargetName): void {
  expect(result.errors).toEqual([]);
  expect(result.unexpectedCloses).toBe(0);
  expect(result.clients).toBeGreaterThan(0);
  expect(result.synced).toBe(result.clients);
  expect(result.serverCpuS).toBeGreaterThanOrEqual(0);
  expect(result.serverPeakRssBytes).toBeGreaterThan(0);
  expect(result.generatorCpuS).toBeGreaterThan(0);
  expect(result.windowS).toBeGreaterThan(0);
  if (result.workload === "cold") {
    const cold = result.cold;
    expect(cold).not.toBeNull();
    expect(cold?.updates).toBe(TINY.cold.updates);
    expect(finite(cold?.firstSyncMs) && (cold?.firstSyncMs ?? -1) >= 0).toBe(true);
    expect(finite(cold?.warmSyncMs)).toBe(true);
    expect(cold?.stateBytes).toBeGreaterThan(TINY.cold.updates / 2);
    if (target !== "y-websocket") expect(cold?.diskBytes).toBeGreaterThan(0);
    return;
  }
  expect(result.editsSent).toBeGreaterThan(0);
  expect(result.latency.count).toBeGreaterThan(0);
  const { p50, p99, max } = result.latency;
  expect(p50).toBeGreaterThanOrEqual(0);
  expect(p99).toBeGreaterThanOrEqual(p50 ?? 0);
  expect(max).toBeGreaterThanOrEqual(p99 ?? 0);
  // The relay keeps nothing across a restart: edits in flight then are lost, by design.
  expect(result.delivered).toBeGreaterThan(target === "relay" ? 0.5 : 0.99);
  expect(result.delivered).toBeLessThanOrEqual(1);
  expect(result.messagesPerSecond).toBeGreaterThan(0);
  if (result.workload === "join") {
    const join = result.join;
    expect(join).not.toBeNull();
    expect(join?.stormMs).toBeGreaterThan(0);
    expect(finite(join?.restartMs) && (join?.restartMs ?? -1) >= 0).toBe(true);
    expect(join?.restartSyncTime?.count).toBe(result.clients);
  } else {
    expect(finite(result.memoryPerConnectionBytes)).toBe(true);
  }
}

describe("percorso", () => {
  it.each(WORKLOAD_NAMES)("runs the %s workload at tiny size", async (workload) => {
    expectSane(await runWorkload("percorso", workload, TINY), "percorso");
  });
});

const REFERENCES: Array<[TargetName, (typeof WORKLOAD_NAMES)[number]]> = [
  ["y-websocket", "seminar"],
  ["y-websocket", "join"],
  ["hocuspocus", "seminar"],
  ["hocuspocus", "cold"],
  ["relay", "plenary"],
  ["relay", "join"],
];

describe("reference servers", () => {
  it.each(REFERENCES)("%s runs the %s workload at tiny size", async (target, workload) => {
    expectSane(await runWorkload(target, workload, TINY), target);
  });
});
