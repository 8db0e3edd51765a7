import type { ErrorRequestHandler } from "express";
import { AppError } from "../errors.ts";
import type { Logger } from "../logger.ts";

/** Maps every error to `{ error: { code, message } }` and one log line. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (error instanceof AppError) {
      log.info(
        { method: req.method, path: req.path, status: error.status, code: error.code },
        error.message,
      );
      res.set(error.headers);
      res.status(error.status).json({
        error: {
          code: error.code,
          message: error.message,
          ...(error.details ? { details: error.details } : {}),
        },
      });
      return;
    }
    const status = (error as { status?: number }).status;
    if (status === 400 || status === 413) {
      // body-parser: malformed or oversized JSON
      log.info({ method: req.method, path: req.path, status }, "bad request body");
      res.status(status).json({
        error: {
          code: status === 413 ? "payload_too_large" : "invalid_json",
          message: (error as Error).message,
        },
      });
      return;
    }
    log.error({ err: error, method: req.method, path: req.path }, "request failed");
    res.status(500).json({ error: { code: "internal", message: "Internal server error" } });
  };
}
