import { CLOSE, effectiveRole, parseDocumentName, type CloseKind } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import type { Logger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import { Connection, type ConnectionLimits } from "./connection.ts";
import type { Authenticator } from "./principal.ts";
import type { DocumentRegistry } from "./registry.ts";
import type { CollabSocket, SocketHandler } from "./socket.ts";

export const COLLAB_PATH = "/collab/";

export interface CollabCoreDeps {
  registry: DocumentRegistry;
  catalogue: Catalogue;
  auth: Authenticator;
  log: Logger;
  metrics: Metrics;
  limits: ConnectionLimits & {
    maxConnectionsPerPerson: number;
    maxConnectionsPerInvite: number;
  };
}

/**
 * The collaboration core's front door: given a socket and the path it asked for, it decides
 * who the connection is (the token), which document and role it gets, and joins it — or
 * closes it with a catalogue code. Open connections are tracked by the invite their token
 * stands on, so a revocation closes them at once.
 */
export class CollabCore {
  private readonly deps: CollabCoreDeps;
  private readonly byInvite = new Map<string, Set<Connection>>();
  /** Open sockets per person (user id), or per invite used directly. */
  private readonly perHolder = new Map<string, number>();
  private readonly stopListening: () => void;

  constructor(deps: CollabCoreDeps) {
    this.deps = deps;
    this.stopListening = deps.auth.onRevoked((inviteId) => {
      for (const connection of this.byInvite.get(inviteId) ?? []) {
        connection.refuse("unauthorized", "invite revoked");
      }
    });
  }

  /** Takes a new socket for `target` (`/collab/<name>?token=…`); messages sent early are kept. */
  connect(socket: CollabSocket, target: string): SocketHandler {
    const early: Uint8Array[] = [];
    let connection: Connection | null = null;
    let gone = false;
    let leave: (() => void) | null = null;
    this.accept(socket, target)
      .then((joined) => {
        if (joined === null) return;
        connection = joined.connection;
        leave = joined.leave;
        if (gone) {
          connection.closed();
          return leave();
        }
        for (const message of early.splice(0)) connection.receive(message);
      })
      .catch((error: unknown) => {
        // Loading the document failed (storage away, most likely): the contract's 1011.
        this.deps.log.error({ err: error }, "accepting a connection failed");
        const { code, reason } = CLOSE.storageFailure;
        this.deps.metrics.refusals.inc({ reason });
        socket.close(code, reason);
      });
    return {
      receive: (message) => {
        if (connection === null) early.push(message);
        else connection.receive(message);
      },
      closed: (code) => {
        gone = true;
        connection?.closed();
        leave?.();
        if (connection !== null) {
          this.deps.log.info(
            { doc: target.split("?")[0], role: connection.role, code },
            "connection closed",
          );
        }
      },
    };
  }

  stop(): void {
    this.stopListening();
  }

  private refuse(socket: CollabSocket, kind: CloseKind, detail: string, documentName: string) {
    const { code, reason } = CLOSE[kind];
    this.deps.log.warn({ doc: documentName, code, reason, detail }, "connection refused");
    this.deps.metrics.refusals.inc({ reason });
    socket.close(code, reason);
  }

  private async accept(
    socket: CollabSocket,
    target: string,
  ): Promise<{ connection: Connection; leave: () => void } | null> {
    const { deps } = this;
    const url = new URL(target, "http://localhost");
    let documentName: string;
    try {
      documentName = decodeURIComponent(url.pathname.slice(COLLAB_PATH.length));
    } catch {
      documentName = url.pathname;
    }
    const auth = await deps.auth.authenticate(url.searchParams.get("token"));
    if (!auth.ok) {
      const detail = auth.reason === "revoked" ? "invite revoked" : "no, invalid or expired token";
      this.refuse(socket, "unauthorized", detail, documentName);
      return null;
    }
    const { principal } = auth;
    const name = parseDocumentName(documentName);
    const scope = name === null ? null : deps.catalogue.scopeOf(name);
    if (scope === null) {
      this.refuse(socket, "unknownDocument", "no such document", documentName);
      return null;
    }
    const role = effectiveRole(principal.claims, scope);
    if (role === null) {
      this.refuse(socket, "forbidden", "document outside the token's programme", documentName);
      return null;
    }

    // One person's sockets, or one invite's used directly, are capped (not one address's: a
    // hall of a thousand shares one). ADMIN_TOKEN is automation: not capped.
    const holder =
      principal.writer.userId ?? (principal.authorId === "admin" ? null : principal.authorId);
    const cap =
      principal.writer.userId !== null
        ? deps.limits.maxConnectionsPerPerson
        : deps.limits.maxConnectionsPerInvite;
    if (holder !== null && (this.perHolder.get(holder) ?? 0) >= cap) {
      this.refuse(
        socket,
        "tooManyConnections",
        `more than ${cap} open for one holder`,
        documentName,
      );
      return null;
    }
    if (holder !== null) this.perHolder.set(holder, (this.perHolder.get(holder) ?? 0) + 1);
    const releaseHolder = () => {
      if (holder === null) return;
      const left = (this.perHolder.get(holder) ?? 1) - 1;
      if (left <= 0) this.perHolder.delete(holder);
      else this.perHolder.set(holder, left);
    };

    let doc;
    try {
      doc = await deps.registry.open(documentName, scope);
    } catch (error) {
      releaseHolder();
      throw error;
    }
    // Gone, or revoked, while the document loaded: let the document unload when idle.
    if (!socket.isOpen) {
      releaseHolder();
      deps.registry.release(doc);
      return null;
    }
    if (deps.auth.isRevoked(principal)) {
      releaseHolder();
      deps.registry.release(doc);
      this.refuse(socket, "unauthorized", "invite revoked", documentName);
      return null;
    }
    const connection = new Connection(socket, doc, principal, role, deps);
    const inviteId = principal.claims.inviteId;
    const sameInvite = this.byInvite.get(inviteId) ?? new Set<Connection>();
    sameInvite.add(connection);
    this.byInvite.set(inviteId, sameInvite);
    connection.start();
    deps.log.info(
      { doc: documentName, role, user: principal.authorId, invite: inviteId },
      "connection opened",
    );
    // A token that expires closes its open sockets then (4401), not at its next connect.
    const exp = principal.claims.exp;
    const expiry =
      exp === undefined
        ? null
        : at(exp * 1000, () => connection.refuse("unauthorized", "token expired"));
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      expiry?.cancel();
      releaseHolder();
      sameInvite.delete(connection);
      if (sameInvite.size === 0 && this.byInvite.get(inviteId) === sameInvite) {
        this.byInvite.delete(inviteId);
      }
      deps.registry.release(doc);
    };
    return { connection, leave };
  }
}

/** Node's timers take at most ~24.8 days: later moments are reached in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Runs `run` at epoch ms `time` (at once if past); the timer does not keep the process up. */
function at(time: number, run: () => void): { cancel(): void } {
  let timer: NodeJS.Timeout;
  const schedule = () => {
    const wait = time - Date.now();
    timer = setTimeout(
      wait > LONGEST_TIMER_MS ? schedule : run,
      Math.min(Math.max(0, wait), LONGEST_TIMER_MS),
    );
    timer.unref();
  };
  schedule();
  return { cancel: () => clearTimeout(timer) };
}
