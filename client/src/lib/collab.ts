import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { IndexeddbPersistence } from "y-indexeddb";
import { closeKindOf, type CloseKind } from "@percorso/schema";
import { reconnectDelay } from "./backoff.ts";

/**
 * One shared document as the app holds it: the Y.Doc, its local copy in IndexedDB (so typing
 * goes on offline and survives a reload), the y-websocket provider, and a small store of the
 * connection state for the UI (`useSyncExternalStore`).
 */
export type ConnectionState = "connecting" | "online" | "reconnecting" | "offline";

export interface CollabStatus {
  state: ConnectionState;
  /** Local edits the server has not confirmed yet. */
  unsent: boolean;
  /** The server's state has been received at least once. */
  synced: boolean;
  /** The local copy (IndexedDB) has loaded. */
  localLoaded: boolean;
  /** A close that reconnecting cannot fix (bad token, unknown document, refused write). */
  refusal: CloseKind | null;
}

export interface PresenceUser {
  /** Empty for a person who joined anonymously: presence then says "anonimo" and the actor kind. */
  name: string;
  color: string;
  actorKind?: string;
  role?: string;
}

/** Closes after which reconnecting cannot help: the same token, or the same edit, would fail again. */
const STOP_RECONNECTING: readonly CloseKind[] = [
  "unauthorized",
  "unknownDocument",
  "forbidden",
  "messageTooLarge",
  "quotaExceeded",
  "presenceTooLarge",
  "tooManyConnections",
  "unsupportedContent",
];

/**
 * Presence (the caret moves with every key) is sent at most this often: the server closes a
 * socket that sends more than ten presence updates a second (4429), which fast typing did.
 */
export const PRESENCE_INTERVAL_MS = 150;

/** A random Yjs client id (a uint32, as Yjs makes its own), different from `other`. */
function randomClientId(other: number): number {
  const value = new Uint32Array(1);
  do crypto.getRandomValues(value);
  while (value[0] === other);
  return value[0]!;
}

/** The pair of Yjs client ids the server handed this page load (`GET /api/me`). */
export interface SessionClientIds {
  named: number;
  anonymous: number;
}

export class CollabSession {
  readonly doc = new Y.Doc();
  /**
   * The second Yjs client id of this session, for the person's anonymous items (votes,
   * anonymous answers): it never carries their named presence, so no struct links the two
   * (DESIGN.md §4.1). Pass it as the mutations' `clientId` option; signed items and text edits
   * use the document's own client id.
   */
  readonly anonClientId: number;
  readonly provider: WebsocketProvider;
  readonly local: IndexeddbPersistence;
  private status: CollabStatus = {
    state: "connecting",
    unsent: false,
    synced: false,
    localLoaded: false,
    refusal: null,
  };
  private readonly listeners = new Set<() => void>();
  private everConnected = false;
  /** Clients whose presence changed since it was last sent, and when that was. */
  private readonly presenceChanged = new Set<number>();
  private presenceSentAt = 0;
  private presenceTimer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;
  private reconnectAttempts = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private sendPresence: (
    changed: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ) => void = () => {};
  /**
   * The browser knows before the socket does when the Wi-Fi drops: go offline at once (edits
   * keep landing in IndexedDB) and reconnect as soon as the network is back, instead of
   * waiting out y-websocket's backoff.
   */
  private readonly onBrowserNetwork = () => {
    if (!navigator.onLine) this.provider.disconnect();
    else if (this.status.refusal === null && !this.provider.shouldConnect) this.provider.connect();
    this.updateState();
  };

  /**
   * `person` names whose copy of the document this is on the device: each person (and each
   * projector link) keeps their own, so one person's unsent edits are never sent over another
   * person's connection, where the server would refuse them as someone else's.
   */
  constructor(
    documentName: string,
    token: string,
    user: PresenceUser,
    person: string,
    base = location,
    clientIds: SessionClientIds | null = null,
  ) {
    // The ids the server bound to this person for this page load (named and anonymous from
    // their first write, DESIGN.md §4.1); without them (offline, an invite used directly) two
    // random ones, bound by what they first carry.
    if (clientIds !== null) this.doc.clientID = clientIds.named;
    this.anonClientId = clientIds?.anonymous ?? randomClientId(this.doc.clientID);
    const scheme = base.protocol === "https:" ? "wss" : "ws";
    this.local = new IndexeddbPersistence(`percorso:${documentName}:${person}`, this.doc);
    void this.local.whenSynced.then(() => this.set({ localLoaded: true }));
    this.provider = new WebsocketProvider(
      `${scheme}://${base.host}/collab`,
      documentName,
      this.doc,
      {
        params: { token },
        maxBackoffTime: 5000,
        // No cross-tab channel: every change and every presence goes through this tab's own
        // authenticated socket. Relayed by another tab (a projector, someone else's room), it
        // would reach the server under the wrong person, and their client ids with it.
        disableBc: true,
        connect: navigator.onLine, // opened offline: connect when the network comes back
      },
    );
    this.throttlePresence();
    this.provider.awareness.setLocalStateField("user", user);
    this.provider.on("status", () => this.updateState());
    this.provider.on("sync", (synced: boolean) => {
      if (synced) this.set({ synced: true, unsent: false });
    });
    this.provider.on("connection-close", (event) => {
      const kind = event ? closeKindOf(event.code) : null;
      if (kind && STOP_RECONNECTING.includes(kind)) {
        this.provider.disconnect();
        this.set({ refusal: kind });
        return;
      }
      // y-websocket's own backoff has no jitter: take the reconnect over (see reconnectDelay).
      if (!this.provider.shouldConnect || this.destroyed) return;
      this.provider.disconnect();
      clearTimeout(this.reconnectTimer);
      this.reconnectTimer = setTimeout(() => {
        if (!this.destroyed && navigator.onLine && this.status.refusal === null) {
          this.provider.connect();
        }
      }, reconnectDelay(this.reconnectAttempts++));
    });
    this.provider.on("status", ({ status }: { status: string }) => {
      if (status === "connected") this.reconnectAttempts = 0;
    });
    this.doc.on("update", (_update: Uint8Array, origin: unknown) => {
      if (origin !== this.provider && origin !== this.local && this.status.state !== "online") {
        this.set({ unsent: true });
      }
    });
    window.addEventListener("online", this.onBrowserNetwork);
    window.addEventListener("offline", this.onBrowserNetwork);
    this.updateState();
  }

  /**
   * Takes over y-websocket's sending of presence: changes are gathered and sent together, at
   * most every `PRESENCE_INTERVAL_MS` (the first at once), the latest state of each client.
   */
  private throttlePresence(): void {
    const awareness = this.provider.awareness;
    this.sendPresence = this.provider._awarenessUpdateHandler;
    awareness.off("update", this.sendPresence);
    awareness.on(
      "update",
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
        // This tab's own presence only: stock y-websocket echoes everyone's, and an echo of
        // others announced under the same invite (a projector link opened again and again)
        // counts for the server as this socket's own presences, past its cap (4431).
        const own = awareness.clientID;
        if (![...added, ...updated, ...removed].includes(own)) return;
        this.presenceChanged.add(own);
        if (this.presenceTimer !== undefined || this.destroyed) return;
        const wait = Math.max(0, this.presenceSentAt + PRESENCE_INTERVAL_MS - Date.now());
        this.presenceTimer = setTimeout(() => this.flushPresence(), wait);
      },
    );
  }

  private flushPresence(): void {
    clearTimeout(this.presenceTimer);
    this.presenceTimer = undefined;
    if (this.presenceChanged.size === 0) return;
    const changed = [...this.presenceChanged];
    this.presenceChanged.clear();
    this.presenceSentAt = Date.now();
    // Encoded from the awareness as it is now: a removed client is sent as gone.
    this.sendPresence({ added: [], updated: changed, removed: [] }, null);
  }

  private updateState(): void {
    const connected = this.provider.wsconnected;
    if (connected) this.everConnected = true;
    // Offline first: a socket closed by `disconnect()` may take a while to report its close.
    const state: ConnectionState = !navigator.onLine
      ? "offline"
      : connected
        ? "online"
        : this.everConnected
          ? "reconnecting"
          : "connecting";
    this.set({ state });
  }

  private set(patch: Partial<CollabStatus>): void {
    this.status = { ...this.status, ...patch };
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getStatus = (): CollabStatus => this.status;

  setUser(user: PresenceUser): void {
    this.provider.awareness.setLocalStateField("user", user);
  }

  /**
   * After a refused write the local copy holds an edit the server will never take: drop it
   * (and the IndexedDB copy) and start again from the server's state.
   */
  async discardLocalCopy(): Promise<void> {
    await this.local.clearData();
  }

  destroy(): void {
    clearTimeout(this.reconnectTimer);
    this.flushPresence();
    this.destroyed = true;
    window.removeEventListener("online", this.onBrowserNetwork);
    window.removeEventListener("offline", this.onBrowserNetwork);
    this.provider.destroy();
    void this.local.destroy();
    this.doc.destroy();
    this.listeners.clear();
  }
}
