import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Socket, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

/**
 * Real PostgreSQL and Redis servers for the tests and the benchmark, started from Debian's
 * packages on loopback in temporary directories (DESIGN.md §6: no mocks), stopped after.
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (`runuser`), as
 * MACHINE.md shows.
 */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const PG_BIN = "/usr/lib/postgresql/15/bin";
const asRoot = process.getuid?.() === 0;

function postgresUid(): { uid: number; gid: number } {
  const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
  return { uid, gid };
}

function asPostgres(command: string, args: string[]): void {
  if (asRoot)
    execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" });
  else execFileSync(command, args, { stdio: "pipe" });
}

export interface PostgresServer {
  port: number;
  /** A new, empty database on the server; returns its connection URL. */
  createDatabase(): Promise<string>;
  /** Bytes on disk of the database at `url` (`pg_database_size`: tables, indexes, TOAST). */
  databaseBytes(url: string): Promise<number>;
  /** The postmaster's process id (its backends are its children); null when stopped. */
  pid(): number | null;
  /** Stops the server (fast); `start` brings it back on the same port and data. */
  stop(): void;
  start(): void;
  destroy(): void;
}

export interface PostgresOptions {
  /**
   * false (the tests' default): `fsync=off`, `full_page_writes=off`, nothing waits for the disk.
   * true: PostgreSQL's own defaults, so every commit waits for its WAL flush, as in a
   * deployment (the benchmark).
   */
  durable?: boolean;
}

export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), "percorso-pg-"));
  chmodSync(dir, 0o755);
  if (asRoot) {
    const { uid, gid } = postgresUid();
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  asPostgres(`${PG_BIN}/initdb`, [
    "-D",
    data,
    "-U",
    "postgres",
    "-A",
    "trust",
    "--no-sync",
    "-E",
    "UTF8",
  ]);
  const port = await freePort();
  const settings = options.durable ? "" : " -c fsync=off -c full_page_writes=off";
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}${settings}`;
  const start = () =>
    asPostgres(`${PG_BIN}/pg_ctl`, [
      "-D",
      data,
      "-l",
      join(dir, "log"),
      "-o",
      serverOptions,
      "-w",
      "start",
    ]);
  const stop = () => asPostgres(`${PG_BIN}/pg_ctl`, ["-D", data, "-m", "fast", "-w", "stop"]);
  start();
  const admin = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let databases = 0;
  let running = true;
  return {
    port,
    async createDatabase() {
      const name = `percorso_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async databaseBytes(url) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ bytes: string }>(
          "SELECT pg_database_size(current_database()) AS bytes",
        );
        return Number(rows[0]?.bytes ?? 0);
      } finally {
        await client.end();
      }
    },
    pid() {
      if (!running) return null;
      try {
        // The first line of postmaster.pid is the postmaster's pid.
        const first = readFileSync(join(data, "postmaster.pid"), "utf8").split("\n")[0];
        const pid = Number(first);
        return Number.isInteger(pid) && pid > 0 ? pid : null;
      } catch {
        return null;
      }
    },
    stop() {
      if (!running) return;
      stop();
      running = false;
    },
    start() {
      if (running) return;
      start();
      running = true;
    },
    destroy() {
      try {
        if (running) stop();
      } finally {
        running = false;
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export interface RedisServer {
  url: string;
  port: number;
  /** The running redis-server's process id; null when stopped. */
  pid(): number | null;
  stop(): Promise<void>;
  start(): void;
  destroy(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = () => {
    child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
      ],
      { stdio: "ignore" },
    );
  };
  const stop = async () => {
    const running = child;
    if (running === null || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
    child = null;
  };
  start();
  await listening(port);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: () => {
      const running = child as ChildProcess | null;
      return running === null || running.exitCode !== null ? null : (running.pid ?? null);
    },
    stop,
    start,
    destroy: stop,
  };
}

/** Resolves once something accepts connections on `port` (10 s at most). */
export async function listening(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
      socket.connect(port, "127.0.0.1");
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
