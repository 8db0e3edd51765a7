import type { Response } from "express";
import type { JobSource } from "../jobs/pool.ts";
import type { JobOutput } from "../jobs/worker.ts";

/**
 * A worker job's file as the response body. `X-Percorso-Job` says whether a worker made it
 * or the cache had it (a repeated export costs nothing: tests and operators can see it).
 */
export function sendJobOutput(
  res: Response,
  result: { output: JobOutput; source: JobSource },
): void {
  res.set("x-percorso-job", result.source);
  const { output } = result;
  if (typeof output === "string") res.send(output);
  // A worker's Buffer arrives as a plain Uint8Array (structured clone): Express wants a Buffer.
  else if (output instanceof Uint8Array) {
    res.send(Buffer.from(output.buffer, output.byteOffset, output.byteLength));
  } else res.json(output.json);
}

/** A worker job's JSON, for routes that add to it. */
export function jobJson(output: JobOutput): unknown {
  if (typeof output === "string" || output instanceof Uint8Array) {
    throw new Error("a history job answered with a file");
  }
  return output.json;
}
