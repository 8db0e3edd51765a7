/**
 * The backing services some targets need: PostgreSQL and Redis from Debian's packages, on
 * loopback in temporary directories (`@percorso/services`, the same the server's tests use).
 * Each is started the first time a target asks for it and kept for the rest of the bench (a
 * run gets a fresh database of its own), then stopped by `stop()`. PostgreSQL runs with its
 * own durability defaults (every commit waits for its WAL flush), as in a deployment.
 */
import { readdir, readFile } from "node:fs/promises";
import {
  startPostgres,
  startRedis,
  type PostgresServer,
  type RedisServer,
} from "@percorso/services";

const CLK_TCK = 100; // `getconf CLK_TCK` on Linux x86_64/arm64

/** Fields of /proc/<pid>/stat after "(comm) ": index 0 is field 3 (state). */
async function statFields(pid: number): Promise<string[] | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/**
 * CPU seconds of a process and of its children: utime + stime, the reaped children's cutime +
 * cstime (PostgreSQL's postmaster reaps its backends), and the live children's utime + stime.
 */
export async function treeCpuSeconds(pid: number): Promise<number> {
  const own = await statFields(pid);
  if (own === null) return 0;
  const ticks = (fields: string[], from: number, to: number) =>
    fields.slice(from, to + 1).reduce((sum, value) => sum + Number(value), 0);
  let total = ticks(own, 11, 14);
  const entries = await readdir("/proc").catch(() => [] as string[]);
  await Promise.all(
    entries
      .filter((name) => /^\d+$/.test(name))
      .map(async (name) => {
        const fields = await statFields(Number(name));
        // Field 4 (index 1) is the parent's pid.
        if (fields !== null && Number(fields[1]) === pid) total += ticks(fields, 11, 12);
      }),
  );
  return total / CLK_TCK;
}

export type ServiceName = "postgres" | "redis";

export class BackingServices {
  private postgresServer: Promise<PostgresServer> | null = null;
  private redisServer: Promise<RedisServer> | null = null;

  postgres(): Promise<PostgresServer> {
    this.postgresServer ??= startPostgres({ durable: true });
    return this.postgresServer;
  }

  redis(): Promise<RedisServer> {
    this.redisServer ??= startRedis();
    return this.redisServer;
  }

  /** CPU seconds used so far by the named services (0 for one not started). */
  async cpuSeconds(names: readonly ServiceName[]): Promise<number> {
    let total = 0;
    for (const name of names) {
      const started = name === "postgres" ? this.postgresServer : this.redisServer;
      const server = started === null ? null : await started.catch(() => null);
      const pid = server?.pid() ?? null;
      if (pid !== null) total += await treeCpuSeconds(pid);
    }
    return total;
  }

  /** Stops whatever was started; safe to call twice. */
  async stop(): Promise<void> {
    const postgres = this.postgresServer;
    const redis = this.redisServer;
    this.postgresServer = null;
    this.redisServer = null;
    // One that never started has nothing to stop (its failure was reported when it was asked for).
    const results = await Promise.allSettled([
      postgres?.then(
        (server) => server.destroy(),
        () => {},
      ),
      redis?.then(
        (server) => server.destroy(),
        () => {},
      ),
    ]);
    const failed = results.find((result) => result.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  }
}
