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
  limits: ConnectionLimits;
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
        this.deps.log.error({ err: error }, "accepting a connection failed");
        socket.close(1011, "internal-error");
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

    const doc = await deps.registry.open(documentName, scope);
    // Gone, or revoked, while the document loaded: let the document unload when idle.
    if (!socket.isOpen) {
      deps.registry.release(doc);
      return null;
    }
    if (deps.auth.isRevoked(principal)) {
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
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      sameInvite.delete(connection);
      if (sameInvite.size === 0 && this.byInvite.get(inviteId) === sameInvite) {
        this.byInvite.delete(inviteId);
      }
      deps.registry.release(doc);
    };
    return { connection, leave };
  }
}
