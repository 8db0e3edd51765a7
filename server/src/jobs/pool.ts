import { createHash } from "node:crypto";
import { Piscina } from "piscina";
import { tooManyRequests } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { Job, JobOutput } from "./worker.ts";

/**
 * The worker threads (issue 16): exports, reports and history replays run there, so the event
 * loop keeps serving every document's round trips while a 300-paragraph DOCX is made. A
 * bounded queue — for the server and for each token — answers 429 with `Retry-After` when
 * full, and finished files are kept by the state they were made from (a cache bounded in
 * bytes, least recently used first out), so asking the same export again costs nothing.
 */

export interface JobLimits {
  workers: number;
  jobQueueMax: number;
  jobQueuePerToken: number;
  jobCacheBytes: number;
}

export interface JobPoolDeps {
  log: Logger;
  metrics: Metrics;
}

/** How a job was answered: the `X-Percorso-Job` header says it (tests and operators read it). */
export type JobSource = "worker" | "cache";

/** A job's cache key: a hash of what it was made from (states as bytes, format, facts). */
export function jobKey(parts: readonly (string | Uint8Array | readonly Uint8Array[])[]): string {
  const hash = createHash("sha256");
  for (const part of parts) {
    const items = typeof part === "string" || part instanceof Uint8Array ? [part] : part;
    for (const item of items) {
      // Lengths first, so two different splits of the same bytes never hash alike.
      hash.update(`${typeof item === "string" ? "s" : "b"}${item.length}:`);
      hash.update(item);
    }
  }
  return hash.digest("base64url");
}

const WORKER_FILE = new URL("./worker.ts", import.meta.url).href;

/** How much lower than the event loop's the workers' CPU priority is (Linux `nice`, per thread). */
const WORKER_NICENESS = 10;

/** A first guess of a job's duration, before any ran (a DOCX of a long draft). */
const FIRST_GUESS_SECONDS = 1;

const sizeOf = (output: JobOutput): number =>
  typeof output === "string"
    ? output.length * 2
    : output instanceof Uint8Array
      ? output.byteLength
      : JSON.stringify(output.json).length * 2;

export class JobPool {
  private readonly limits: JobLimits;
  private readonly deps: JobPoolDeps;
  /** Made on the first job: a restart under a reconnect storm does not wait for threads. */
  private piscina: Piscina<Job, JobOutput> | null = null;
  private readonly running = new Map<string, number>();
  private total = 0;
  private readonly cache = new Map<string, JobOutput>();
  private cachedBytes = 0;
  /** A moving average of a job's seconds, for `Retry-After`. */
  private averageSeconds = FIRST_GUESS_SECONDS;

  constructor(limits: JobLimits, deps: JobPoolDeps) {
    this.limits = limits;
    this.deps = deps;
  }

  /**
   * Runs `job` in a worker for `owner` (a person, or a token used directly), unless `key`'s
   * result is cached. Throws a 429 when the server's or the owner's queue is full.
   */
  async run(
    owner: string,
    job: Job,
    key: string | null,
  ): Promise<{ output: JobOutput; source: JobSource }> {
    const { metrics, log } = this.deps;
    if (key !== null) {
      const cached = this.cache.get(key);
      if (cached !== undefined) {
        // Least recently used goes first: a hit moves to the end.
        this.cache.delete(key);
        this.cache.set(key, cached);
        metrics.jobs.inc({ kind: job.kind, outcome: "cached" });
        return { output: cached, source: "cache" };
      }
    }
    const mine = this.running.get(owner) ?? 0;
    if (this.total >= this.limits.jobQueueMax || mine >= this.limits.jobQueuePerToken) {
      const full = this.total >= this.limits.jobQueueMax ? "server" : "token";
      const retryAfter = Math.max(
        1,
        Math.ceil(
          ((full === "server" ? this.total : mine) * this.averageSeconds) /
            Math.max(1, this.limits.workers),
        ),
      );
      metrics.jobs.inc({ kind: job.kind, outcome: "refused" });
      log.warn(
        { job: job.kind, owner, queued: this.total, ownerQueued: mine, full, retryAfter },
        "job queue full",
      );
      throw tooManyRequests(
        full === "server"
          ? "The server is busy with other exports: try again shortly"
          : "Your previous exports are still being made: try again shortly",
        retryAfter,
      );
    }
    this.total += 1;
    this.running.set(owner, mine + 1);
    metrics.jobQueue.set(this.total);
    const started = performance.now();
    try {
      this.piscina ??= new Piscina<Job, JobOutput>({
        filename: WORKER_FILE,
        minThreads: this.limits.workers,
        maxThreads: this.limits.workers,
        // The bound is ours (per token too); piscina's own queue never refuses.
        maxQueue: Infinity,
        // On a small machine a worker and the event loop share the cores: the scheduler should
        // prefer the event loop (a round trip) to a file someone waits seconds for anyway.
        niceIncrement: WORKER_NICENESS,
      });
      const output = await this.piscina.run(job);
      const seconds = (performance.now() - started) / 1000;
      this.averageSeconds = this.averageSeconds * 0.8 + seconds * 0.2;
      metrics.jobs.inc({ kind: job.kind, outcome: "run" });
      metrics.jobSeconds.observe({ kind: job.kind }, seconds);
      if (key !== null) this.remember(key, output);
      return { output, source: "worker" };
    } catch (error) {
      metrics.jobs.inc({ kind: job.kind, outcome: "failed" });
      throw error;
    } finally {
      this.total -= 1;
      const left = (this.running.get(owner) ?? 1) - 1;
      if (left > 0) this.running.set(owner, left);
      else this.running.delete(owner);
      metrics.jobQueue.set(this.total);
    }
  }

  private remember(key: string, output: JobOutput): void {
    const size = sizeOf(output);
    if (size > this.limits.jobCacheBytes) return;
    const before = this.cache.get(key);
    if (before !== undefined) this.cachedBytes -= sizeOf(before);
    this.cache.delete(key);
    this.cache.set(key, output);
    this.cachedBytes += size;
    for (const [oldest, value] of this.cache) {
      if (this.cachedBytes <= this.limits.jobCacheBytes) break;
      this.cache.delete(oldest);
      this.cachedBytes -= sizeOf(value);
    }
  }

  /** Stops the threads (jobs under way are abandoned: the server is stopping). */
  async close(): Promise<void> {
    const piscina = this.piscina;
    this.piscina = null;
    this.cache.clear();
    this.cachedBytes = 0;
    await piscina?.destroy();
  }
}
