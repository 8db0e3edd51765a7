/**
 * Errors with a code and an HTTP status, from one place (STYLE.md); `http/onError.ts` maps them
 * to `{ error: { code, message } }` responses and log lines.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Response headers the error comes with (a 429's `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: unknown,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

export const unauthorized = (message = "Missing, invalid or expired token") =>
  new AppError(401, "unauthorized", message);
export const forbidden = (message = "This token does not allow that") =>
  new AppError(403, "forbidden", message);
export const notFound = (message = "Not found") => new AppError(404, "not_found", message);
export const conflict = (message: string, details?: unknown) =>
  new AppError(409, "conflict", message, details);
export const invalidInput = (message: string, details?: unknown) =>
  new AppError(400, "invalid_input", message, details);
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new AppError(429, "too_many_requests", message, undefined, {
    "retry-after": String(retryAfterSeconds),
  });
