import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { CLOSE, effectiveRole, parseDocumentName, type CloseKind } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import { Connection, type ConnectionLimits } from "../collab/connection.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { Invites } from "../invites.ts";

export const COLLAB_PATH = "/collab/";

export interface WebsocketDeps {
  registry: DocumentRegistry;
  catalogue: Catalogue;
  invites: Invites;
  log: Logger;
  metrics: Metrics;
  limits: ConnectionLimits;
  heartbeatMs: number;
}

/**
 * Adapts `ws` to the collaboration core: upgrade, authenticate, resolve the document, then
 * hand bytes to a `Connection`. Refusals complete the upgrade and close with a catalogue code,
 * since a browser cannot read an HTTP status from a failed upgrade.
 */
export function createWebsocketTransport(deps: WebsocketDeps) {
  // ws cuts frames above maxPayload itself (1009); ours is larger so 4413 is what clients see.
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.limits.maxMessageBytes * 4 });
  const sockets = new Set<WebSocket>();
  const alive = new WeakSet<WebSocket>();
  /** Open connections by the id of the token they authenticated with, to close on revocation. */
  const byToken = new Map<string, Set<Connection>>();
  const stopListening = deps.invites.onRevoked((jti) => {
    for (const connection of byToken.get(jti) ?? []) {
      connection.refuse("unauthorized", "invite revoked");
    }
  });

  const heartbeat = setInterval(() => {
    for (const socket of sockets) {
      if (!alive.has(socket)) {
        deps.log.info("dropping a socket that missed its heartbeat");
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, deps.heartbeatMs);
  heartbeat.unref();

  const refuse = (socket: WebSocket, kind: CloseKind, detail: string, documentName: string) => {
    const { code, reason } = CLOSE[kind];
    deps.log.warn({ doc: documentName, code, reason, detail }, "connection refused");
    deps.metrics.refusals.inc({ reason });
    socket.close(code, reason);
  };

  async function accept(socket: WebSocket, target: string): Promise<void> {
    const url = new URL(target, "http://localhost");
    let documentName: string;
    try {
      documentName = decodeURIComponent(url.pathname.slice(COLLAB_PATH.length));
    } catch {
      documentName = url.pathname;
    }
    // Messages may arrive while the token is checked and the document loads: keep them.
    const early: Uint8Array[] = [];
    const buffer = (data: Buffer) => early.push(new Uint8Array(data));
    socket.on("message", buffer);

    const auth = await deps.invites.authenticate(url.searchParams.get("token"));
    if (!auth.ok) {
      const detail = auth.reason === "revoked" ? "invite revoked" : "no, invalid or expired token";
      return refuse(socket, "unauthorized", detail, documentName);
    }
    const { claims } = auth;
    const name = parseDocumentName(documentName);
    const scope = name === null ? null : deps.catalogue.scopeOf(name);
    if (scope === null) return refuse(socket, "unknownDocument", "no such document", documentName);
    const role = effectiveRole(claims, scope);
    if (role === null)
      return refuse(socket, "forbidden", "document outside the token's programme", documentName);

    const doc = await deps.registry.open(documentName, scope);
    // Gone, or revoked, while the document loaded (from here on the listener above sees this
    // connection): let the document unload when idle rather than stay loaded.
    if (socket.readyState !== socket.OPEN) return deps.registry.release(doc);
    if (deps.invites.isRevoked(claims.jti)) {
      deps.registry.release(doc);
      return refuse(socket, "unauthorized", "invite revoked", documentName);
    }
    const connection = new Connection(
      {
        send: (message) => socket.send(message, { binary: true }),
        close: (code, reason) => socket.close(code, reason),
      },
      doc,
      role,
      deps.limits,
      deps.log,
      deps.metrics,
    );
    socket.off("message", buffer);
    socket.on("message", (data: Buffer) => connection.receive(new Uint8Array(data)));
    const sameToken = byToken.get(claims.jti) ?? new Set<Connection>();
    sameToken.add(connection);
    byToken.set(claims.jti, sameToken);
    socket.on("close", (code: number) => {
      connection.closed();
      sameToken.delete(connection);
      if (sameToken.size === 0 && byToken.get(claims.jti) === sameToken) byToken.delete(claims.jti);
      deps.registry.release(doc);
      deps.log.info({ doc: documentName, role, code }, "connection closed");
    });
    connection.start();
    deps.log.info({ doc: documentName, role, jti: claims.jti }, "connection opened");
    for (const message of early.splice(0)) connection.receive(message);
  }

  /**
   * Book-keeping of one upgraded socket. Kept out of `handleUpgrade` so that no listener's
   * closure keeps the upgrade request (headers, buffers) alive for the socket's lifetime.
   */
  function track(socket: WebSocket, target: string): void {
    sockets.add(socket);
    alive.add(socket);
    deps.metrics.connections.inc();
    socket.on("pong", () => alive.add(socket));
    socket.on("error", (error) => deps.log.info({ err: error }, "socket error"));
    socket.on("close", () => {
      sockets.delete(socket);
      deps.metrics.connections.dec();
    });
    accept(socket, target).catch((error: unknown) => {
      deps.log.error({ err: error }, "accepting a connection failed");
      socket.close(1011, "internal-error");
    });
  }

  return {
    handleUpgrade(req: IncomingMessage, head: Buffer, stream: Duplex): void {
      const target = req.url ?? "/";
      wss.handleUpgrade(req, stream, head, (socket) => track(socket, target));
    },
    /** Closes every socket with 1012 so clients reconnect to the next server. */
    closeAll(): void {
      clearInterval(heartbeat);
      stopListening();
      for (const socket of sockets) socket.close(CLOSE.restarting.code, CLOSE.restarting.reason);
      wss.close();
    },
  };
}
