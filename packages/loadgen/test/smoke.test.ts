import { describe, expect, it } from "vitest";
import { WORKLOAD_NAMES, runWorkload, type WorkloadSizes } from "../src/workloads.ts";
import type { TargetName } from "../src/targets.ts";

const TINY: WorkloadSizes = {
  seminar: { docs: 1, clientsPerDoc: 4, probesPerDoc: 2, editsPerSecond: 10, durationS: 1 },
  plenary: { docs: 1, clientsPerDoc: 4, probesPerDoc: 2, editsPerSecond: 10, durationS: 1 },
  join: { joiners: 4, editsPerSecond: 10, settleS: 1 },
  drainMs: 300,
};

const TARGETS: TargetName[] = ["percorso", "y-websocket", "hocuspocus", "relay"];

describe.each(TARGETS)("%s", (target) => {
  it.each(WORKLOAD_NAMES)("runs the %s workload at tiny size", async (workload) => {
    const result = await runWorkload(target, workload, TINY);
    expect(result.errors).toEqual([]);
    expect(result.unexpectedCloses).toBe(0);
    expect(result.clients).toBe(workload === "join" ? 6 : 4);
    expect(result.synced).toBe(result.clients);
    expect(result.editsSent).toBeGreaterThan(0);
    expect(result.latency.count).toBeGreaterThan(0);
    expect(result.latency.p50).toBeGreaterThanOrEqual(0);
    expect(result.messagesPerSecond).toBeGreaterThan(0);
    expect(result.serverCpuS).toBeGreaterThanOrEqual(0);
    expect(result.serverPeakRssBytes).toBeGreaterThan(0);
  });
});
