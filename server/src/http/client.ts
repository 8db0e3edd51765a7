import { existsSync } from "node:fs";
import { join } from "node:path";
import express, { Router } from "express";
import type { Logger } from "../logger.ts";

/**
 * The built web app at `/`: hashed assets cached for good, every other GET (a client-side
 * route such as `/join` or `/seminari/…`) answered with `index.html`. Without a build, a
 * page says how to make one instead of a bare 404.
 */
export function serveClient(dir: string, log: Logger): Router {
  const router = Router();
  const index = join(dir, "index.html");
  if (!existsSync(index)) {
    log.warn({ dir }, "web app not built: run `npm run build`");
    router.get(/^\/(?!api\/|collab\/).*/, (_req, res) => {
      res
        .status(503)
        .type("text/plain; charset=utf-8")
        .send("L'app web non è stata compilata: esegui `npm run build` (o `npm start`).\n");
    });
    return router;
  }
  router.use(
    "/assets",
    express.static(join(dir, "assets"), { immutable: true, maxAge: "365d" }),
    (_req, res) => {
      res.status(404).type("text/plain").send("Not found\n");
    },
  );
  router.use(express.static(dir, { index: false }));
  router.get(/^\/(?!api\/|collab\/).*/, (_req, res) => {
    res.set("cache-control", "no-cache").sendFile(index);
  });
  return router;
}
