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
    const handler = deps.core.connect(
      {
        send: (message) => socket.send(message, { binary: true }),
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
