export { LatencyRecorder, percentile, type Summary } from "./stats.ts";
export { EditLedger, LatencyWatcher, nowMs } from "./ledger.ts";
export { Probe, SilentClient, Voter, type ProtocolMode } from "./protocol.ts";
export { BackingServices } from "./backing.ts";
export {
  hocuspocusRedisInstalled,
  startTarget,
  TARGETS,
  TARGET_NAMES,
  type RunningTarget,
  type TargetName,
} from "./targets.ts";
export {
  FULL_SIZES,
  SHORT_SIZES,
  WORKLOAD_NAMES,
  appliesTo,
  runWorkload,
  type WorkloadName,
  type WorkloadResult,
  type WorkloadSizes,
} from "./workloads.ts";
