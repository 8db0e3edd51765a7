import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { z } from "zod";

/**
 * Configuration, validated once at boot (STYLE.md). Defaults are named here and nowhere else;
 * the rest of the server receives the typed `Config` and never reads `process.env`.
 */
const int = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);

export const configSchema = z.object({
  PORT: int(8080),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  SECRET: z.string().min(16, "SECRET must be at least 16 characters").optional(),
  ADMIN_TOKEN: z.string().min(8, "ADMIN_TOKEN must be at least 8 characters").optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest websocket message accepted, in bytes; larger ones close with 4413. */
  MAX_MESSAGE_BYTES: int(4 * 1024 * 1024),
  /** Message flood limit: a token bucket of this many messages, refilled per second. */
  RATE_LIMIT_BURST: int(600),
  RATE_LIMIT_PER_SECOND: int(200),
  /** Largest presence (awareness) state of one client, in bytes; larger closes with 4431. */
  MAX_PRESENCE_BYTES: int(4096),
  /** Presence updates per connection: a bucket of this many, refilled per second (4429). */
  PRESENCE_RATE_BURST: int(100),
  PRESENCE_RATE_PER_SECOND: int(30),
  /**
   * Sync step 1 per connection (each may cost an encoding of the whole document): a bucket of
   * this many, one more every interval; beyond, 4429. A stock provider sends one per connect.
   */
  SYNC_STEP1_BURST: int(5),
  SYNC_STEP1_INTERVAL_MS: int(2000),
  /**
   * Worker threads for exports, reports and history replays (off the event loop): by default
   * one core is left to the event loop, at most two workers.
   */
  WORKERS: z.coerce
    .number()
    .int()
    .positive()
    .default(Math.max(1, Math.min(2, availableParallelism() - 1))),
  /** Jobs waiting or running in the workers, for the server and for one token: then 429. */
  JOB_QUEUE_MAX: int(16),
  JOB_QUEUE_PER_TOKEN: int(2),
  /** Bytes of finished exports kept to answer the same request on the same state again. */
  JOB_CACHE_BYTES: int(64 * 1024 * 1024),
  /** Open sockets of one person (personal token), and of one invite used directly (4430). */
  MAX_CONNECTIONS_PER_PERSON: int(20),
  MAX_CONNECTIONS_PER_INVITE: int(500),
  /** Bytes a document's log may hold, and one person's share of them (4432). */
  MAX_DOCUMENT_BYTES: int(64 * 1024 * 1024),
  MAX_BYTES_PER_PERSON: int(1024 * 1024),
  /**
   * Pairs of Yjs client ids one person is handed (one per page load, `GET /api/me`); beyond,
   * `clientIds` is null and the client makes its own, so reloading in a loop fills no storage.
   */
  MAX_CLIENT_ID_PAIRS_PER_PERSON: int(2000),
  /**
   * REST requests per minute for one personal token: then 429. A token many people share (an
   * invite link a hall joins with) and requests without a token (per address: a hall behind one
   * NAT) get `REST_SHARED_RATE_FACTOR` times as many.
   */
  REST_RATE_PER_MINUTE: int(600),
  REST_SHARED_RATE_FACTOR: int(20),
  /** Express's `trust proxy` (hops), so the per-address limit sees clients behind a proxy. */
  TRUST_PROXY: int(0),
  /** A reader whose socket has this many bytes queued is dropped (it resyncs on reconnect). */
  MAX_BUFFERED_BYTES: int(16 * 1024 * 1024),
  /**
   * Origins allowed to open websockets, comma-separated; the app's own origin (and PUBLIC_URL's)
   * always are, and clients that send no Origin (not browsers) too.
   */
  ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((value, context) => {
      const origins = (value ?? "")
        .split(",")
        .map((origin) => origin.trim())
        .filter((origin) => origin !== "");
      for (const origin of origins) {
        try {
          if (new URL(origin).origin !== origin) throw new Error("not an origin");
        } catch {
          context.addIssue({
            code: "custom",
            message: `${origin} is not an origin (scheme://host[:port])`,
          });
        }
      }
      return origins;
    }),
  /** How long a document with no connections stays loaded. */
  IDLE_UNLOAD_MS: int(30_000),
  /** Compact a document's log into a snapshot after this many appended updates. */
  COMPACT_AFTER_UPDATES: int(500),
  HEARTBEAT_MS: int(30_000),
  /** PostgreSQL instead of the embedded SQLite (several processes share it). */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// URL")
    .optional(),
  /** Redis for the fan-out between processes (updates, presence, revocations, statuses). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "REDIS_URL must be a redis:// URL")
    .optional(),
  /** The built web app (`client/dist`), served at `/`. */
  CLIENT_DIR: z
    .string()
    .min(1)
    .default(resolve(import.meta.dirname, "../../client/dist")),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  secret: string | undefined;
  adminToken: string | undefined;
  publicUrl: string | undefined;
  logLevel: z.infer<typeof configSchema>["LOG_LEVEL"];
  maxMessageBytes: number;
  rateLimitBurst: number;
  rateLimitPerSecond: number;
  maxPresenceBytes: number;
  presenceRateBurst: number;
  presenceRatePerSecond: number;
  syncStep1Burst: number;
  syncStep1IntervalMs: number;
  workers: number;
  jobQueueMax: number;
  jobQueuePerToken: number;
  jobCacheBytes: number;
  maxConnectionsPerPerson: number;
  maxConnectionsPerInvite: number;
  maxDocumentBytes: number;
  maxBytesPerPerson: number;
  maxClientIdPairsPerPerson: number;
  restRatePerMinute: number;
  restSharedRateFactor: number;
  trustProxy: number;
  maxBufferedBytes: number;
  allowedOrigins: string[];
  idleUnloadMs: number;
  compactAfterUpdates: number;
  heartbeatMs: number;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  clientDir: string;
};

export class ConfigError extends Error {}

/** Parses an environment into a `Config`; throws `ConfigError` listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL !== undefined && e.SECRET === undefined) {
    // Each process would generate a secret of its own: tokens signed by one would fail on the
    // others. (And the secret must never live only in one machine's DATA_DIR.)
    throw new ConfigError(
      "Invalid configuration:\n  SECRET: required with DATABASE_URL (every process signs and verifies the same tokens)",
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    secret: e.SECRET,
    adminToken: e.ADMIN_TOKEN,
    publicUrl: e.PUBLIC_URL,
    logLevel: e.LOG_LEVEL,
    maxMessageBytes: e.MAX_MESSAGE_BYTES,
    rateLimitBurst: e.RATE_LIMIT_BURST,
    rateLimitPerSecond: e.RATE_LIMIT_PER_SECOND,
    maxPresenceBytes: e.MAX_PRESENCE_BYTES,
    presenceRateBurst: e.PRESENCE_RATE_BURST,
    presenceRatePerSecond: e.PRESENCE_RATE_PER_SECOND,
    syncStep1Burst: e.SYNC_STEP1_BURST,
    syncStep1IntervalMs: e.SYNC_STEP1_INTERVAL_MS,
    workers: e.WORKERS,
    jobQueueMax: e.JOB_QUEUE_MAX,
    jobQueuePerToken: e.JOB_QUEUE_PER_TOKEN,
    jobCacheBytes: e.JOB_CACHE_BYTES,
    maxConnectionsPerPerson: e.MAX_CONNECTIONS_PER_PERSON,
    maxConnectionsPerInvite: e.MAX_CONNECTIONS_PER_INVITE,
    maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
    maxBytesPerPerson: e.MAX_BYTES_PER_PERSON,
    maxClientIdPairsPerPerson: e.MAX_CLIENT_ID_PAIRS_PER_PERSON,
    restRatePerMinute: e.REST_RATE_PER_MINUTE,
    restSharedRateFactor: e.REST_SHARED_RATE_FACTOR,
    trustProxy: e.TRUST_PROXY,
    maxBufferedBytes: e.MAX_BUFFERED_BYTES,
    allowedOrigins: e.ALLOWED_ORIGINS,
    idleUnloadMs: e.IDLE_UNLOAD_MS,
    compactAfterUpdates: e.COMPACT_AFTER_UPDATES,
    heartbeatMs: e.HEARTBEAT_MS,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    clientDir: resolve(e.CLIENT_DIR),
  };
}
