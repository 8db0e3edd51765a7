import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import express from "express";
import { Catalogue } from "./catalogue.ts";
import { DocumentRegistry } from "./collab/registry.ts";
import type { Config } from "./config.ts";
import { createApi } from "./http/api.ts";
import { errorHandler } from "./http/onError.ts";
import { serveClient } from "./http/client.ts";
import { shortLinkRoutes } from "./http/invites.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createMetrics } from "./metrics.ts";
import { openSqliteStorage } from "./storage/sqlite.ts";
import type { Storage } from "./storage/storage.ts";
import { Invites } from "./invites.ts";
import { People } from "./people.ts";
import { ClientIdDirectory } from "./clientIdDirectory.ts";
import { Authenticator } from "./collab/principal.ts";
import { CollabCore } from "./collab/core.ts";
import { localBus } from "./cluster/bus.ts";
import { isSeminarStatus } from "@percorso/schema";
import { DraftDesk } from "./draft/desk.ts";
import { DraftVersions } from "./draft/versions.ts";
import { Plenary } from "./draft/plenary.ts";
import { createTokens, loadSecret, type Tokens } from "./tokens.ts";
import { COLLAB_PATH, createWebsocketTransport, originAllowed } from "./transport/websocket.ts";
import { securityHeaders } from "./http/security.ts";
import { restRateLimit } from "./http/rateLimit.ts";
import { JobPool } from "./jobs/pool.ts";

export interface PercorsoServer {
  /** Base HTTP URL once listening, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly port: number;
  readonly tokens: Tokens;
  readonly log: Logger;
  /** Stop accepting, close sockets with 1012, flush every document, close storage. */
  stop(): Promise<void>;
}

/** Creates and starts a server: a value, so tests start several side by side. */
export async function startServer(
  config: Config,
  options: { log?: Logger; storage?: Storage } = {},
): Promise<PercorsoServer> {
  const log = options.log ?? createLogger(config);
  const metrics = createMetrics();
  const storage =
    options.storage ??
    (config.databaseUrl !== undefined
      ? await (
          await import("./storage/postgres.ts")
        ).openPostgresStorage(config.databaseUrl, {
          onError: (error) => log.warn({ err: error }, "PostgreSQL connection lost"),
        })
      : openSqliteStorage(join(config.dataDir, "percorso.sqlite")));
  // PostgreSQL's and Redis's clients are loaded only where they are configured: a restart of
  // the SQLite default does not pay for them (the restart downtime is in the benchmark).
  const bus =
    config.redisUrl !== undefined
      ? await (await import("./cluster/redisBus.ts")).openRedisBus(config.redisUrl, log)
      : localBus();
  const catalogue = await Catalogue.open(storage, log);
  const tokens = createTokens(loadSecret(config.secret, config.dataDir), config.adminToken);
  const invites = await Invites.open(storage, tokens);
  const people = await People.open(storage, tokens);
  const clientIds = await ClientIdDirectory.open(storage, {
    maxPairsPerPerson: config.maxClientIdPairsPerPerson,
    announce: (bindings) => bus.publishEvent({ kind: "client-ids-reserved", bindings }),
  });
  const auth = new Authenticator(invites, people);
  const registry = new DocumentRegistry({
    store: storage,
    bus,
    log,
    metrics,
    compactAfterUpdates: config.compactAfterUpdates,
    idleUnloadMs: config.idleUnloadMs,
    reservedClientIds: clientIds.reserved,
    onSeminarStatus: (seminarId, status) => {
      catalogue.setSeminarStatus(seminarId, status).then(
        () => bus.publishEvent({ kind: "seminar-status", seminarId, status }),
        (error: unknown) => {
          log.error({ err: error, seminarId }, "could not record the seminar status");
        },
      );
    },
  });
  // What other processes change, this one learns: revocations close sockets here too.
  invites.onRevoked((inviteId, remote) => {
    if (!remote) bus.publishEvent({ kind: "invite-revoked", inviteId });
  });
  catalogue.onChange(() => bus.publishEvent({ kind: "programmes-changed" }));
  bus.onEvent((event) => {
    const done = (() => {
      switch (event.kind) {
        case "invite-revoked":
          return invites.revokedElsewhere(event.inviteId);
        case "seminar-status":
          if (isSeminarStatus(event.status)) {
            catalogue.rememberSeminarStatus(event.seminarId, event.status);
          }
          return Promise.resolve();
        case "programmes-changed":
          return catalogue.reload();
        case "client-ids-reserved":
          clientIds.remember(event.bindings);
          return Promise.resolve();
      }
    })();
    done.catch((error: unknown) => log.error({ err: error, event }, "a bus event failed"));
  });
  const jobs = new JobPool(config, { log, metrics });
  const core = new CollabCore({ registry, catalogue, auth, log, metrics, limits: config });
  const transport = createWebsocketTransport({
    core,
    log,
    metrics,
    maxMessageBytes: config.maxMessageBytes,
    heartbeatMs: config.heartbeatMs,
    maxBufferedBytes: config.maxBufferedBytes,
    allowOrigin: originAllowed(config.allowedOrigins, config.publicUrl),
  });

  let baseUrl = "";
  const app = express();
  app.disable("x-powered-by");
  app.use(securityHeaders());
  // Liveness: the process answers. Readiness: what it depends on answers too.
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const checks: Record<string, "ok" | "down"> = {};
    checks.storage = await storage.check().then(
      () => "ok" as const,
      () => "down" as const,
    );
    if (config.redisUrl !== undefined) checks.redis = bus.healthy ? "ok" : "down";
    const ready = Object.values(checks).every((state) => state === "ok");
    res.status(ready ? 200 : 503).json({ status: ready ? "ok" : "unavailable", checks });
  });
  app.get("/metrics", async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.set("trust proxy", config.trustProxy);
  app.use(
    "/api",
    restRateLimit(
      { perMinute: config.restRatePerMinute, sharedFactor: config.restSharedRateFactor },
      invites,
      metrics,
      log,
    ),
  );
  app.use(
    "/api",
    createApi({
      catalogue,
      invites,
      people,
      auth,
      tokens,
      registry,
      store: storage,
      desk: new DraftDesk({ registry, store: storage }),
      versions: new DraftVersions({ registry, store: storage }),
      plenary: new Plenary({ registry, people }),
      jobs,
      records: storage,
      clientIds,
      publicUrl: () => config.publicUrl ?? baseUrl,
    }),
  );
  app.use(shortLinkRoutes(invites));
  app.use(serveClient(config.clientDir, log));
  app.use(errorHandler(log));

  const http: Server = createServer(app);
  http.on("upgrade", (req, stream, head) => {
    if (req.url?.startsWith(COLLAB_PATH)) return transport.handleUpgrade(req, head, stream);
    stream.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(config.port, config.host, resolve);
  });
  const { port } = http.address() as AddressInfo;
  const host = config.host === "0.0.0.0" || config.host === "::" ? "localhost" : config.host;
  baseUrl = `http://${host}:${port}`;
  log.info({ url: baseUrl, dataDir: config.dataDir }, "listening");

  let stopping: Promise<void> | null = null;
  return {
    url: baseUrl,
    port,
    tokens,
    log,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise((resolve) => http.close(resolve));
        transport.closeAll();
        http.closeAllConnections();
        await registry.unloadAll();
        await jobs.close();
        await closed;
        await bus.close();
        await storage.close();
        log.info("stopped");
      })();
      return stopping;
    },
  };
}
