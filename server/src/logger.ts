import { pino, type Logger } from "pino";
import type { Config } from "./config.ts";

export type { Logger };

/** Structured JSON logs, one line per event (connection open/close/refusal with reason). */
export function createLogger(config: Pick<Config, "logLevel">): Logger {
  return pino({ level: config.logLevel, base: { service: "percorso" } });
}
