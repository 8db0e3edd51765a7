import { describe, expect, it } from "vitest";
import * as encoding from "lib0/encoding";
import { CLOSE } from "@percorso/schema";
import { documentUrl, readMetric, rawSocket, useTestServer, waitFor } from "./harness.ts";

/**
 * Issue 16, attacks 10 and 11: heavy work kept off the event loop. Exports, reports and history
 * replays run in worker threads behind a bounded queue with a cache; a sync step 1 is answered
 * from a cached reply, and a connection that repeats it beyond a small rate is closed (4429).
 */

const SEMINAR = "seminar:s2-economia-circolare";

/** A y-protocols sync step 1 carrying `stateVector`. */
function syncStep1(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

describe("sync step 1 (attack 11)", () => {
  const server = useTestServer();

  it("closes with 4429 a connection that repeats sync step 1 with a state vector beyond its rate", async () => {
    const { socket, closed } = await rawSocket(
      documentUrl(server, SEMINAR, "test-admin-token-0123456789"),
    );
    let replies = 0;
    socket.on("message", (data: Buffer) => {
      // Sync (0), step 2 (1): the server's answer to a step 1.
      if (data[0] === 0 && data[1] === 1) replies += 1;
    });
    // A non-empty state vector (one client, clock 1): the attack's six-byte message, 20 times.
    const vector = new Uint8Array([1, 7, 1]);
    for (let i = 0; i < 20; i++) socket.send(syncStep1(vector));
    expect(await closed).toEqual(CLOSE.tooManyMessages);
    // The burst (5) was answered, the rest was not.
    expect(replies).toBe(5);
    expect(await readMetric(server, "percorso_sync_step1_limited_total")).toBe(1);
  });

  it("never closes stock providers that connect and reconnect", async () => {
    const client = await server.connect(SEMINAR, "test-admin-token-0123456789");
    for (let round = 0; round < 8; round++) {
      client.provider.disconnect();
      await waitFor(() => !client.provider.wsconnected, "the provider to disconnect");
      client.provider.connect();
      await waitFor(() => client.provider.synced, "the provider to resync");
    }
    expect(client.closes.filter((close) => close.code === CLOSE.tooManyMessages.code)).toEqual([]);
    expect(await readMetric(server, "percorso_sync_step1_limited_total")).toBe(0);
  });
});
