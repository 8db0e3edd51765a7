/**
 * The floor: a bare `ws` server that forwards every message to every other socket in the same
 * room (the request path). No Yjs, no sync answers, no persistence. Run as a child process with
 * HOST and PORT in the environment.
 */
import { WebSocketServer, type WebSocket } from "ws";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? "0");
const rooms = new Map<string, Set<WebSocket>>();

const server = new WebSocketServer({ host, port, perMessageDeflate: false });

server.on("connection", (socket, request) => {
  const name = request.url ?? "/";
  let room = rooms.get(name);
  if (room === undefined) {
    room = new Set();
    rooms.set(name, room);
  }
  const peers = room;
  peers.add(socket);
  socket.on("message", (data, isBinary) => {
    for (const peer of peers) {
      if (peer !== socket && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary });
    }
  });
  socket.on("close", () => {
    peers.delete(socket);
    if (peers.size === 0) rooms.delete(name);
  });
  socket.on("error", () => socket.terminate());
});

server.on("listening", () => {
  const address = server.address();
  const actual = typeof address === "object" && address !== null ? address.port : port;
  console.log(JSON.stringify({ msg: "listening", url: `ws://${host}:${actual}` }));
});

// `close()` waits for every socket: end them first (1012, as a restarting server does).
const stop = () => {
  for (const socket of server.clients) socket.close(1012, "restarting");
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
