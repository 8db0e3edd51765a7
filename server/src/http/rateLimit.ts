import type { Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import type { Invites } from "../invites.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { ADMIN_TOKEN_ID } from "../tokens.ts";

/** Whose budget a request spends: a verified subject, or the address it came from. */
interface Subject {
  key: string;
  /** A person's own token: the smaller budget. */
  personal: boolean;
}

const SUBJECT = "rateSubject";

/**
 * The subject of a request, from its verified token only: the person (`sub`), the invite
 * used directly, or the admin; without a valid token, the client's address. The bearer
 * string itself is never a key — respelled or made-up tokens would each get a fresh budget.
 */
async function subjectOf(req: Request, invites: Invites): Promise<Subject> {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.get("authorization") ?? "")?.[1]?.trim();
  const auth = bearer === undefined ? null : await invites.authenticate(bearer);
  if (auth?.ok === true) {
    const { claims } = auth;
    if (claims.sub !== undefined) return { key: `person:${claims.sub}`, personal: true };
    if (claims.jti === ADMIN_TOKEN_ID) return { key: "admin", personal: false };
    return { key: `invite:${claims.inviteId}`, personal: false };
  }
  return { key: `address:${ipKeyGenerator(req.ip ?? "")}`, personal: false };
}

const subjectFrom = (res: Response) => res.locals[SUBJECT] as Subject;

/**
 * Per-subject REST rate limit (issue 12, issue 16), with `express-rate-limit`. A person's own
 * token gets `perMinute`; what many people share — an invite link a hall joins with, an
 * address behind which a hall sits — gets `sharedFactor` times as many, so a plenary is never
 * refused. Over the limit: 429 with the contract's error body.
 */
export function restRateLimit(
  limits: { perMinute: number; sharedFactor: number },
  invites: Invites,
  metrics: Metrics,
  log: Logger,
): RequestHandler[] {
  const identify: RequestHandler = (req, res, next) => {
    subjectOf(req, invites).then((subject) => {
      res.locals[SUBJECT] = subject;
      next();
    }, next);
  };
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: (_req, res) =>
      subjectFrom(res).personal ? limits.perMinute : limits.perMinute * limits.sharedFactor,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    keyGenerator: (_req, res) => subjectFrom(res).key,
    handler: (req, res) => {
      metrics.restRateLimited.inc();
      log.warn({ method: req.method, path: req.path }, "REST rate limit");
      res.status(429).json({
        error: { code: "too_many_requests", message: "Too many requests: try again in a minute" },
      });
    },
  });
  return [identify, limiter];
}
