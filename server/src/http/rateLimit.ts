import type { RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";

/**
 * Per-token REST rate limit (issue 12), with `express-rate-limit`: requests are counted by
 * bearer token (a hall of a thousand people behind one address shares nothing), or by address
 * for requests without one. Over the limit: 429 with the contract's error body.
 */
export function restRateLimit(perMinute: number, metrics: Metrics, log: Logger): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => {
      const bearer = /^Bearer\s+(.+)$/i.exec(req.get("authorization") ?? "")?.[1]?.trim();
      return bearer !== undefined ? `token:${bearer}` : `address:${ipKeyGenerator(req.ip ?? "")}`;
    },
    handler: (req, res) => {
      metrics.restRateLimited.inc();
      log.warn({ method: req.method, path: req.path }, "REST rate limit");
      res.status(429).json({
        error: { code: "too_many_requests", message: "Too many requests: try again in a minute" },
      });
    },
  });
}
