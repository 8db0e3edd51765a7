import {
  isSchemaRoot,
  writableRoots,
  type CloseKind,
  type DocumentKind,
  type Role,
  type Writer,
} from "@percorso/schema";
import type { ClientBinding } from "../storage/storage.ts";
import { attributeUpdate, type UpdatePart } from "./anonymity.ts";
import type { CollabDocument } from "./document.ts";
import { checkRichText } from "./contentRules.ts";
import { checkItemRules } from "./itemRules.ts";
import type { Principal } from "./principal.ts";
import { UpdateView } from "./updateView.ts";

/**
 * Every check an incoming update passes before it is applied, in order (the size and rate
 * limits ran on the message before): which roots it touches and whether the role may write
 * them (DESIGN.md §4), whether it depends on content the server lacks, what rich text may hold
 * (issue 12), the item rules (§4.1), and the Yjs client ids it writes under (§4.1). The update
 * is decoded once, here. An accepted update comes back in the parts the log records apart: its
 * named and its anonymous acts (§4.2, `anonymity.ts`).
 */
export type UpdateCheck =
  | { verdict: "accept"; parts: UpdatePart[]; binds: ClientBinding[]; touchesSchema: boolean }
  | {
      verdict: "refuse";
      check: "roots" | "content" | "rules" | "clients" | "quota" | "decode";
      detail: string;
      /** How to close: a forbidden write unless said otherwise. */
      close?: CloseKind;
    }
  /** It builds on edits the server has not had: ask the client for everything (sync step 1). */
  | { verdict: "resync" };

export function checkUpdate(
  doc: CollabDocument,
  principal: Principal,
  role: Role,
  update: Uint8Array,
  limits: { maxDocumentBytes: number; maxBytesPerPerson: number },
): UpdateCheck {
  const kind: DocumentKind = doc.scope.kind;
  let view: UpdateView;
  try {
    view = new UpdateView(doc.ydoc, update);
  } catch (error) {
    if (!isUnknownContent(error)) throw error; // not an update at all: the sender's 1007
    return {
      verdict: "refuse",
      check: "decode",
      detail: "this update holds content this server's Yjs cannot read (e.g. Yrs's move)",
      close: "unsupportedContent",
    };
  }
  const writable = writableRoots(kind, role, doc.permissionState());
  const refused = [...view.roots].filter(
    (root) => !isSchemaRoot(kind, root) || !writable.has(root),
  );
  if (refused.length > 0) {
    return { verdict: "refuse", check: "roots", detail: `may not write ${refused.join(", ")}` };
  }
  // A read-only connection sends nothing that would be stored, not even structs that touch no
  // root (garbage-collected content binds a client id and lands in the log).
  if (writable.size === 0 && (view.clients.size > 0 || view.deletes.length > 0)) {
    return { verdict: "refuse", check: "roots", detail: "this connection is read-only" };
  }
  if (view.unresolved) return { verdict: "resync" };
  const content = checkRichText(view, kind);
  if (content !== null) return { verdict: "refuse", check: "content", detail: content };
  const writer: Writer = { ...principal.writer, role };
  const rules = checkItemRules(view, kind, writer);
  if (rules.problem !== null) return { verdict: "refuse", check: "rules", detail: rules.problem };
  const clients = doc.clientIds.check(doc.ydoc, view, principal.authorId, rules);
  if ("problem" in clients) return { verdict: "refuse", check: "clients", detail: clients.problem };
  const attribution = attributeUpdate(view, update, kind, writer, clients.kinds);
  if ("problem" in attribution) {
    return { verdict: "refuse", check: "clients", detail: attribution.problem };
  }
  const parts = attribution.parts;
  if (view.clients.size > 0 || view.deletes.length > 0) {
    // An update with no named act counts against the person's anonymous share (by `anonId`,
    // the key its log rows carry), one with any against their named share.
    const quotaKey =
      parts.every((part) => part.anonymous) && writer.anonId !== null
        ? writer.anonId
        : principal.authorId;
    const quota = doc.quotaProblem(quotaKey, update.byteLength, {
      maxDocument: limits.maxDocumentBytes,
      maxPerAuthor: role === "admin" ? null : limits.maxBytesPerPerson,
    });
    if (quota !== null) {
      return { verdict: "refuse", check: "quota", detail: quota, close: "quotaExceeded" };
    }
  }
  return { verdict: "accept", parts, binds: clients.binds, touchesSchema: view.roots.size > 0 };
}

/**
 * Whether decoding failed on content this server's Yjs has no reader for (a content ref Yjs 13
 * does not know, e.g. Yrs's `move`), as opposed to bytes that are no update at all.
 */
function isUnknownContent(error: unknown): boolean {
  return error instanceof TypeError && error.message.includes("contentRefs");
}
