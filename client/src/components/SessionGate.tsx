import { useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { Role, Writer } from "@percorso/schema";
import { ApiError, type ProgrammeDescription } from "../lib/api.ts";
import type { CollabSession, SessionClientIds } from "../lib/collab.ts";
import { loadContext, type PageContext } from "../lib/context.ts";
import { writerOf, type Identity } from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { useCollabSession } from "../lib/useCollabSession.ts";
import { LoadError, Notice } from "../pages/NotFound.tsx";

/** What a page behind the gate works with. */
export interface GatedView {
  session: CollabSession;
  identity: Identity;
  role: Role;
  /** Who the server sees behind this page, for the item rules (what to offer). */
  writer: Writer;
  programme: ProgrammeDescription;
}

/** The document a page opens, as the token's context says: the role on it, and what else. */
export interface GateTarget<T extends object> {
  role: Role;
  documentName: string;
  /** What else the page needs from the context (a seminar's page, its seminar). */
  page: T;
}

/** The titles of the notices that differ by page. */
export interface GateMessages {
  /** The page opened on a device without an invite. */
  needInvite: string;
  /** The programme or seminar unknown, or not the token's. */
  notFound: string;
}

/**
 * Everything a page on a live document needs before it draws: the person, the token's context
 * (REST, cached for offline reloads), the token's role on the page's document, and a live
 * session on it. Loading, a missing or refused invite and an unknown document each get their
 * own page.
 */
export function SessionGate<T extends object>({
  identity,
  programmeId,
  messages,
  withoutIdentity,
  target,
  children,
}: {
  identity: Identity | null;
  /**
   * The programme the page is on; without it, the token's own. A 404 says the programme asked
   * for is unknown — with none asked for, it is a failure like any other.
   */
  programmeId?: string;
  messages: GateMessages;
  /** Drawn instead of the missing-invite notice where it returns something. */
  withoutIdentity?: () => ReactNode;
  /** The page's document in the token's context, or null where the token has none. */
  target: (context: PageContext) => GateTarget<T> | null;
  /** The page, drawn with what the gate found (`T` is read from `target` alone). */
  children: (view: NoInfer<GatedView & T>) => ReactNode;
}) {
  const { t } = useTranslation();
  const token = identity?.token ?? "";
  const { state, reload } = useAsync(() => loadContext(token, programmeId), [token, programmeId]);

  if (!identity || !token) {
    return (
      withoutIdentity?.() ?? <Notice title={t(messages.needInvite)} body={t("join.missingBody")} />
    );
  }
  if (state.status === "loading") return <p role="status">{t("app.loading")}</p>;
  if (state.status === "error") {
    const status = state.error instanceof ApiError ? state.error.status : null;
    if (status === 401) {
      return <Notice title={t("join.invalidTitle")} body={t("join.invalidBody")} />;
    }
    if (status === 404 && programmeId !== undefined) {
      return <Notice title={t(messages.notFound)} body={t("notFound.body")} />;
    }
    return <LoadError retry={reload} />;
  }
  const found = target(state.value);
  if (!found) return <Notice title={t(messages.notFound)} body={t("notFound.body")} />;
  return (
    <SessionHost
      key={`${found.documentName}:${token}`}
      identity={identity}
      programme={state.value.programme}
      clientIds={state.value.me.clientIds ?? null}
      target={found}
    >
      {children}
    </SessionHost>
  );
}

function SessionHost<T extends object>({
  identity,
  programme,
  clientIds,
  target: { role, documentName, page },
  children,
}: {
  identity: Identity;
  programme: ProgrammeDescription;
  /** The Yjs client ids the server handed this page load (`GET /api/me`). */
  clientIds: SessionClientIds | null;
  target: GateTarget<T>;
  children: (view: GatedView & T) => ReactNode;
}) {
  const { t } = useTranslation();
  const session = useCollabSession(documentName, identity, role, clientIds);
  const writer = useMemo(() => writerOf(identity, role), [identity, role]);
  if (!session) return <p role="status">{t("app.loading")}</p>;
  return <>{children({ ...page, session, identity, role, writer, programme })}</>;
}
