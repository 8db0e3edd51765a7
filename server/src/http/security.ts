import type { RequestHandler } from "express";
import helmet from "helmet";

/**
 * Security headers on every response (issue 12), with `helmet`: a Content-Security-Policy the
 * built app passes (no inline scripts; inline style attributes for presence colours; QR codes
 * as data: images; websockets back to the same host), no framing, no MIME sniffing, and no
 * Referer at all, since join links carry tokens in their URL.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:"],
        fontSrc: ["'self'", "data:"],
        // 'self' covers ws:/wss: to the same host in current browsers; said explicitly for the rest.
        connectSrc: [
          "'self'",
          (req) => `ws://${req.headers.host ?? "localhost"}`,
          (req) => `wss://${req.headers.host ?? "localhost"}`,
        ],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    referrerPolicy: { policy: "no-referrer" },
    crossOriginEmbedderPolicy: false,
  });
}
