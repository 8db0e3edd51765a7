import type { RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { decodeJwt } from "jose";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";

/** Whether a bearer token is a person's own (it names its `sub`); read, not verified. */
function isPersonal(token: string): boolean {
  try {
    return typeof decodeJwt(token).sub === "string";
  } catch {
    return false;
  }
}

/**
 * Per-token REST rate limit (issue 12), with `express-rate-limit`: requests are counted by
 * bearer token, or by address for requests without one. A person's own token gets
 * `perMinute`; what many people share — an invite link a hall joins with, an address behind
 * which a hall sits — gets `sharedFactor` times as many, so a plenary is never refused. Over the
 * limit: 429 with the contract's error body.
 */
export function restRateLimit(
  limits: { perMinute: number; sharedFactor: number },
  metrics: Metrics,
  log: Logger,
): RequestHandler {
  const bearerOf = (header: string | undefined) =>
    /^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim();
  return rateLimit({
    windowMs: 60_000,
    limit: (req) => {
      const bearer = bearerOf(req.get("authorization"));
      return bearer !== undefined && isPersonal(bearer)
        ? limits.perMinute
        : limits.perMinute * limits.sharedFactor;
    },
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (req) => {
      const bearer = bearerOf(req.get("authorization"));
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
