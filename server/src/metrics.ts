import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Prometheus metrics, one registry per server instance (tests start several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "percorso_" });
  return {
    registry,
    connections: new Gauge({
      name: "percorso_connections",
      help: "Open collaboration websockets",
      registers: [registry],
    }),
    loadedDocuments: new Gauge({
      name: "percorso_loaded_documents",
      help: "Documents held in memory",
      registers: [registry],
    }),
    updatesIn: new Counter({
      name: "percorso_updates_in_total",
      help: "Document updates accepted from clients",
      registers: [registry],
    }),
    bytesIn: new Counter({
      name: "percorso_bytes_in_total",
      help: "Websocket bytes received",
      registers: [registry],
    }),
    bytesOut: new Counter({
      name: "percorso_bytes_out_total",
      help: "Websocket bytes sent",
      registers: [registry],
    }),
    refusals: new Counter({
      name: "percorso_refusals_total",
      help: "Connections closed by the server, by close reason",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    slowReaders: new Counter({
      name: "percorso_slow_readers_total",
      help: "Sockets dropped because too many bytes were queued for them (backpressure)",
      registers: [registry],
    }),
    originRefusals: new Counter({
      name: "percorso_origin_refusals_total",
      help: "Websocket upgrades refused for their Origin",
      registers: [registry],
    }),
    restRateLimited: new Counter({
      name: "percorso_rest_rate_limited_total",
      help: "REST requests answered 429 (per-token rate limit)",
      registers: [registry],
    }),
    syncStep1Limited: new Counter({
      name: "percorso_sync_step1_limited_total",
      help: "Connections closed (4429) for asking sync step 1 beyond their rate",
      registers: [registry],
    }),
    jobs: new Counter({
      name: "percorso_jobs_total",
      help: "Worker jobs (exports, reports, history replays) by kind and outcome: run, cached, refused (429), failed",
      labelNames: ["kind", "outcome"] as const,
      registers: [registry],
    }),
    jobQueue: new Gauge({
      name: "percorso_job_queue",
      help: "Worker jobs waiting or running",
      registers: [registry],
    }),
    jobSeconds: new Histogram({
      name: "percorso_job_seconds",
      help: "Time from a job's queueing to its result",
      labelNames: ["kind"] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    storageFailures: new Counter({
      name: "percorso_storage_failures_total",
      help: "Appends that failed: the document's sockets were closed and it was reloaded",
      registers: [registry],
    }),
    ruleRefusals: new Counter({
      name: "percorso_rule_refusals_total",
      help: "Updates refused by the item rules or the client-id binding (DESIGN.md §4.1)",
      labelNames: ["check"] as const,
      registers: [registry],
    }),
    persistSeconds: new Histogram({
      name: "percorso_persist_seconds",
      help: "Time to append one update to storage",
      buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
