import { Router, type Request } from "express";
import { z } from "zod";
import { effectiveRole, parseDocumentName, type DocumentScope, type Role } from "@percorso/schema";
import type { Catalogue } from "../catalogue.ts";
import { documentAt, restoreTo } from "../collab/history.ts";
import type { Authenticator, Principal } from "../collab/principal.ts";
import { authorOf } from "../collab/principal.ts";
import type { DocumentRegistry } from "../collab/registry.ts";
import { forbidden, notFound, unauthorized } from "../errors.ts";
import { ADMIN_NAME, SYSTEM_USER, type People } from "../people.ts";
import type {
  ClientBinding,
  DocumentStore,
  HistoryEntry,
  HistoryFilter,
} from "../storage/storage.ts";
import type { Tokens } from "../tokens.ts";
import { parseInput } from "./validation.ts";
import { jobOwner } from "../jobs/inputs.ts";
import { jobKey, type JobPool } from "../jobs/pool.ts";
import { jobJson } from "./jobs.ts";

export interface DocumentRouteDeps {
  catalogue: Catalogue;
  auth: Authenticator;
  people: People;
  tokens: Tokens;
  registry: DocumentRegistry;
  store: DocumentStore;
  /** Replays of the log (`state?at=`) run in the worker threads (issue 16). */
  jobs: JobPool;
}

const epochMs = z.coerce.number().int().nonnegative();

const historyQuery = z.object({
  from: epochMs.optional(),
  to: epochMs.optional(),
  userId: z.string().min(1).optional(),
  limit: z.coerce.number().int().positive().max(10_000).optional(),
});

const atQuery = z.object({ at: epochMs });

/** The caller, from `Authorization: Bearer <token>`; 401 otherwise. */
export async function requirePrincipal(req: Request, auth: Authenticator): Promise<Principal> {
  const header = req.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header);
  const result = await auth.authenticate(match?.[1]?.trim());
  if (!result.ok) {
    throw result.reason === "revoked"
      ? unauthorized("This invite link was revoked: ask the facilitator for a new one")
      : unauthorized();
  }
  return result.principal;
}

/**
 * A history row as staff read it (DESIGN.md §4.2), admin included: an anonymous act — an
 * anonymous item, a vote, a reaction, support, or their withdrawal — carries no person and no
 * role (rows stored before its `userId` was left out of the log are shown without it just the same);
 * a person who joined anonymously is nameless to everyone but an admin. A filter by a person's
 * id finds only what is shown as theirs: never a row shown without them.
 */
export function historyForStaff(
  entries: readonly HistoryEntry[],
  { role, filter, people }: { role: Role | null; filter: HistoryFilter; people: People },
): HistoryEntry[] {
  const shown = entries.map((entry) => {
    // No role either: a seminar's only facilitator would be named by it.
    if (entry.anonymous) return { ...entry, userId: null, name: "", role: "", anonymous: true };
    const joinedAnonymously = entry.userId !== null && people.get(entry.userId)?.anonymous === true;
    return role !== "admin" && joinedAnonymously
      ? { ...entry, userId: null, name: "", role: "", anonymous: true }
      : entry;
  });
  return filter.userId === undefined
    ? shown
    : shown.filter((entry) => entry.userId === filter.userId);
}

/**
 * Who a Yjs client id belongs to, as any reader of the document sees it: a name only for a
 * client id that is named (an anonymous one, or one not decided yet — content that arrived
 * already deleted — shows no one, DESIGN.md §4.2), and a colour key that does not link the two.
 */
function authorOfClientId(
  { clientId, userId, anonymous }: ClientBinding,
  deps: Pick<DocumentRouteDeps, "people" | "tokens">,
) {
  const person = deps.people.get(userId);
  const hidden = anonymous !== false || person?.anonymous === true;
  const name = hidden
    ? ""
    : (person?.name ??
      (userId === ADMIN_NAME ? "Amministrazione" : userId === SYSTEM_USER ? "Percorso" : ""));
  const key = deps.tokens.opaqueIdOf(anonymous !== false ? "colour-anon" : "colour", userId);
  return { clientId, name, anonymous: hidden, key };
}

/** Who may read a document's history (DESIGN.md §4.1). */
function readsHistory(role: Role | null, scope: DocumentScope): boolean {
  if (role === "admin") return true;
  if (scope.kind === "draft") return role === "drafter";
  if (scope.kind === "seminar") return role === "facilitator";
  return false;
}

/**
 * A document's attributed history (DESIGN.md §4.1): who changed it and when, its state at a
 * moment, a restore to that moment (admin), and who each Yjs client id belongs to.
 */
export function documentRoutes(deps: DocumentRouteDeps): Router {
  const routes = Router();

  const resolve = async (req: Request<{ name: string }>) => {
    const principal = await requirePrincipal(req, deps.auth);
    const parsed = parseDocumentName(req.params.name);
    const scope = parsed === null ? null : deps.catalogue.scopeOf(parsed);
    if (scope === null) throw notFound(`No document '${req.params.name}'`);
    return { principal, scope, role: effectiveRole(principal.claims, scope) };
  };

  const forHistory = async (req: Request<{ name: string }>) => {
    const context = await resolve(req);
    if (!readsHistory(context.role, context.scope)) {
      throw forbidden(
        "Only an admin, the seminar's facilitators or (for the draft) the drafters can read its history",
      );
    }
    return context;
  };

  routes.get("/documents/:name/history", async (req, res) => {
    const { role } = await forHistory(req);
    const filter = parseInput(historyQuery, req.query, "history query");
    const entries = await deps.store.history(req.params.name, filter);
    res.json(historyForStaff(entries, { role, filter, people: deps.people }));
  });

  routes.get("/documents/:name/state", async (req, res) => {
    const { scope, principal } = await forHistory(req);
    const { at } = parseInput(atQuery, req.query, "state query");
    // The log is read here; replayed and described in a worker thread (issue 16).
    const { base, updates, lastSeq: seq } = await deps.store.stateAt(req.params.name, at);
    const state = base === null ? updates : [base, ...updates];
    const { output } = await deps.jobs.run(
      jobOwner(principal.claims),
      { kind: "describe", documentKind: scope.kind, state },
      jobKey(["describe", scope.kind, state]),
    );
    res.json({ at, seq, ...(jobJson(output) as object) });
  });

  routes.post("/documents/:name/restore", async (req, res) => {
    const { principal, scope, role } = await resolve(req);
    if (role !== "admin") throw forbidden("Only an admin can restore a document");
    const { at } = parseInput(atQuery, req.body, "restore request");
    const { doc: past, seq: restoredSeq } = await documentAt(deps.store, req.params.name, at);
    try {
      await deps.registry.withDocument(req.params.name, scope, async (live) => {
        live.change(authorOf(principal, "admin"), (ydoc) => restoreTo(ydoc, past, scope.kind));
        await live.flushed();
      });
    } finally {
      past.destroy();
    }
    const [latest] = await deps.store.history(req.params.name, { limit: 1 });
    res.json({ at: latest?.at ?? Date.now(), seq: latest?.seq ?? restoredSeq, restoredTo: at });
  });

  routes.get("/documents/:name/authors", async (req, res) => {
    const { role } = await resolve(req);
    if (role === null) throw forbidden("This token cannot read this document");
    const bindings = await deps.registry.bindings(req.params.name);
    res.json(bindings.map((binding) => authorOfClientId(binding, deps)));
  });

  return routes;
}
