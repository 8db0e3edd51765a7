/**
 * Reconnect delays with full jitter (a random wait up to an exponentially growing cap): after
 * a restart a hall of clients comes back spread out, not all in the same instant. y-websocket's
 * own backoff has none.
 */
export const RECONNECT_MIN_MS = 100;
const RECONNECT_BASE_MS = 400;
export const RECONNECT_MAX_MS = 8000;

export function reconnectDelay(attempt: number, random = Math.random): number {
  const cap = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** attempt);
  return Math.round(
    RECONNECT_MIN_MS + random() * (Math.max(cap, RECONNECT_MIN_MS) - RECONNECT_MIN_MS),
  );
}
