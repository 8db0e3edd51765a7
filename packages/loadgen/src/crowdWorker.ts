/**
 * The crowd: silent clients and voters, run in a worker thread so that the thousands of
 * messages they receive do not queue in front of the probes' (which would then measure the
 * generator, not the server). Driven by `Crowd` (crowd.ts) through request/answer messages.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";
import {
  clientsState,
  connectAll,
  connectAtOnce,
  connectSpread,
  every,
  waitClosed,
} from "./drive.ts";
import { EditLedger, nowMs } from "./ledger.ts";
import { SilentClient, Voter, type BenchClient, type ProtocolMode } from "./protocol.ts";
import type { CrowdRequest, CrowdSpec, WorkerData } from "./crowd.ts";

const { mode, seed } = workerData as WorkerData;
const port = parentPort;
if (port === null) throw new Error("crowdWorker.ts runs as a worker thread");

const ledger = new EditLedger();
const clients: BenchClient[] = [];
const voters: Voter[] = [];
let stopVoting: Array<() => void> = [];
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();

function create(spec: CrowdSpec): BenchClient {
  if (spec.kind === "silent") return new SilentClient(spec.url, mode as ProtocolMode);
  if (seed === null) throw new Error("voters need a seed");
  const voter = new Voter(spec.url, mode, {
    id: spec.id,
    ledger,
    seed,
    identity: { userId: spec.userId, anonId: spec.anonId, name: spec.name },
  });
  voter.audience = spec.audience;
  voters.push(voter);
  return voter;
}

const range = (from = 0, to = clients.length) => clients.slice(from, to);

async function handle(request: CrowdRequest): Promise<unknown> {
  const errors: string[] = [];
  switch (request.op) {
    case "add": {
      const from = clients.length;
      for (const spec of request.specs) clients.push(create(spec));
      return { from, to: clients.length };
    }
    case "connect": {
      const chosen = range(request.from, request.to);
      let lastConnectAt = nowMs();
      if (request.spacingMs === undefined) await connectAll(chosen, errors);
      else lastConnectAt = await connectSpread(chosen, request.spacingMs, errors, nowMs);
      return { errors, lastConnectAt };
    }
    case "reconnectAll":
      await connectAtOnce(clients, errors);
      return { errors, lastConnectAt: nowMs() };
    case "waitClosed":
      await waitClosed(clients, request.timeoutMs);
      return null;
    case "startVoting":
      stopVoting = voters.map((voter) => every(request.meanMs, 0.5, () => voter.act()));
      return null;
    case "stopVoting":
      for (const stop of stopVoting.splice(0)) stop();
      return null;
    case "state": {
      const state = clientsState(range(request.from, request.to));
      return {
        ...state,
        editsSent: voters.reduce((n, v) => n + v.editsSent, 0),
        sends: request.withSends ? ledger.export() : [],
        loopDelayP99Ms: Math.max(0, delay.percentile(99) / 1e6 - 1),
      };
    }
    case "resetDelay":
      delay.reset();
      return null;
    case "close":
      for (const stop of stopVoting.splice(0)) stop();
      await Promise.all(clients.map((c) => c.close()));
      delay.disable();
      return null;
  }
}

port.on("message", (message: { id: number; request: CrowdRequest }) => {
  handle(message.request).then(
    (result) => port.postMessage({ id: message.id, result }),
    (error: unknown) =>
      port.postMessage({
        id: message.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
  );
});
