import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import { CLOSE } from "@percorso/schema";
import type { CollabCore } from "../collab/core.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";

export { COLLAB_PATH } from "../collab/core.ts";

export interface WebsocketDeps {
  core: CollabCore;
  log: Logger;
  metrics: Metrics;
  maxMessageBytes: number;
  heartbeatMs: number;
  /** A socket with more than this queued is too slow a reader: dropped, it resyncs. */
  maxBufferedBytes: number;
  /** Whether a browser page of `origin` may open websockets here (see `originAllowed`). */
  allowOrigin: (origin: string, host: string | undefined) => boolean;
}

/**
 * Adapts `ws` to the collaboration core: upgrade, heartbeats, and bytes in and out. Who the
 * connection is and what it may do is the core's business. Refusals complete the upgrade and
 * close with a catalogue code, since a browser cannot read an HTTP status from a failed upgrade.
 */
export function createWebsocketTransport(deps: WebsocketDeps) {
  // ws cuts frames above maxPayload itself (1009); ours is larger so 4413 is what clients see.
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxMessageBytes * 4 });
  const sockets = new Set<WebSocket>();
  const alive = new WeakSet<WebSocket>();

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
    let dropping = false;
    const handler = deps.core.connect(
      {
        send: (message) => {
          if (dropping) return;
          if (socket.bufferedAmount > deps.maxBufferedBytes) {
            // Waiting for the heartbeat would let the queue grow for half a minute.
            dropping = true;
            deps.metrics.slowReaders.inc();
            deps.log.warn(
              { buffered: socket.bufferedAmount, code: CLOSE.slowReader.code },
              "dropping a reader too slow to take what is sent",
            );
            socket.close(CLOSE.slowReader.code, CLOSE.slowReader.reason);
            setTimeout(() => socket.terminate(), 1000).unref();
            return;
          }
          socket.send(message, { binary: true });
        },
        close: (code, reason) => socket.close(code, reason),
        get isOpen() {
          return socket.readyState === socket.OPEN;
        },
      },
      target,
    );
    socket.on("message", (data: Buffer) => handler.receive(new Uint8Array(data)));
    socket.on("close", (code: number) => {
      sockets.delete(socket);
      deps.metrics.connections.dec();
      handler.closed(code);
    });
  }

  return {
    handleUpgrade(req: IncomingMessage, head: Buffer, stream: Duplex): void {
      const target = req.url ?? "/";
      const origin = req.headers.origin;
      // A browser always says where the page came from; non-browser clients need not.
      if (origin !== undefined && !deps.allowOrigin(origin, req.headers.host)) {
        deps.metrics.originRefusals.inc();
        deps.log.warn(
          { origin, path: target.split("?")[0] },
          "websocket refused: origin not allowed",
        );
        stream.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      wss.handleUpgrade(req, stream, head, (socket) => track(socket, target));
    },
    /** Closes every socket with 1012 so clients reconnect to the next server. */
    closeAll(): void {
      clearInterval(heartbeat);
      deps.core.stop();
      for (const socket of sockets) socket.close(CLOSE.restarting.code, CLOSE.restarting.reason);
      wss.close();
    },
  };
}

/**
 * The origins whose pages may open websockets: the app's own (the Host the request came to,
 * over http or https), PUBLIC_URL's, and those configured.
 */
export function originAllowed(configured: readonly string[], publicUrl: string | undefined) {
  const allowed = new Set(configured);
  if (publicUrl !== undefined) allowed.add(new URL(publicUrl).origin);
  return (origin: string, host: string | undefined): boolean => {
    if (allowed.has(origin)) return true;
    if (host === undefined) return false;
    return origin === `http://${host}` || origin === `https://${host}`;
  };
}
