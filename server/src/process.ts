import { ConfigError, loadConfig } from "./config.ts";
import { startServer } from "./app.ts";
import { createLogger } from "./logger.ts";

/** The server process: validate config, start, print the admin link, stop cleanly on SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = createLogger(config);
  const server = await startServer(config, { log });
  if (config.adminToken === undefined) {
    const { token } = await server.tokens.issue({ role: "admin", programmeId: "*" });
    const base = config.publicUrl ?? server.url;
    console.log(
      `\nPercorso è pronto: ${base}\nLink amministratore (tienilo riservato): ${base}/admin/accesso?token=${token}\n`,
    );
  }
  const shutdown = (signal: string) => {
    log.info({ signal }, "shutting down");
    server.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
