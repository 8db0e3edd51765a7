/**
 * Reference: a stock Hocuspocus server (no extensions, no persistence, no auth hook), run as a
 * child process with HOST and PORT in the environment.
 */
import { Server } from "@hocuspocus/server";

const host = process.env.HOST ?? "127.0.0.1";
const port = Number(process.env.PORT ?? "0");

const server = new Server({ address: host, port, quiet: true, stopOnSignals: true });
await server.listen();
console.log(JSON.stringify({ msg: "listening", url: `ws://${host}:${port}` }));
