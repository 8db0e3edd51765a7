/**
 * The one catalogue of websocket close codes (DESIGN.md §5). The server closes with these;
 * the client branches on them to tell the user what happened. Reasons are short, stable,
 * machine-readable strings (the close frame's reason is limited to 123 bytes).
 */
export const CLOSE = {
  unauthorized: { code: 4401, reason: "unauthorized" },
  forbidden: { code: 4403, reason: "forbidden" },
  unknownDocument: { code: 4404, reason: "unknown-document" },
  messageTooLarge: { code: 4413, reason: "message-too-large" },
  tooManyMessages: { code: 4429, reason: "too-many-messages" },
  /** More open sockets than one person (or one invite used directly) may have. */
  tooManyConnections: { code: 4430, reason: "too-many-connections" },
  /** A presence (awareness) state larger than the limit. */
  presenceTooLarge: { code: 4431, reason: "presence-too-large" },
  /** The document, or this person's share of it, is full. */
  quotaExceeded: { code: 4432, reason: "quota-exceeded" },
  /**
   * An update holding content the server's Yjs cannot decode (a content type it does not know,
   * e.g. Yrs's `move`): sending it again would fail the same way, so the client stops.
   */
  unsupportedContent: { code: 4415, reason: "unsupported-content" },
  /** A reader too slow to take what is sent: dropped, it resyncs on reconnect. */
  slowReader: { code: 1013, reason: "slow-reader" },
  restarting: { code: 1012, reason: "server-restarting" },
  /** Storage failed: the document is reloaded from what is stored; reconnect and resync. */
  storageFailure: { code: 1011, reason: "storage-failure" },
  /** A message that is not valid y-protocols (DESIGN.md §5; the standard "invalid payload"). */
  malformed: { code: 1007, reason: "malformed-message" },
} as const;

export type CloseKind = keyof typeof CLOSE;
export type CloseCode = (typeof CLOSE)[CloseKind]["code"];

export function closeKindOf(code: number): CloseKind | null {
  for (const [kind, entry] of Object.entries(CLOSE)) {
    if (entry.code === code) return kind as CloseKind;
  }
  return null;
}

/** Close codes after which reconnecting cannot help (the 44xx range, as y-websocket treats it). */
export function isTerminalClose(code: number): boolean {
  return code >= 4400 && code < 4500;
}
