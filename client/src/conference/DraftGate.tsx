import { useMemo, type ReactNode } from "react";
import { useParams, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { draftDocumentName, effectiveRole, type Role, type Writer } from "@percorso/schema";
import { ApiError, type ProgrammeDescription } from "../lib/api.ts";
import type { CollabSession } from "../lib/collab.ts";
import { loadContext } from "../lib/context.ts";
import { loadDraftIdentity, pageIdentity, writerOf, type Identity } from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { useCollabSession } from "../lib/useCollabSession.ts";
import { LoadError, Notice } from "../pages/NotFound.tsx";

/** What a page on the programme's draft (conference, outcomes, plenary screen) works with. */
export interface DraftView {
  session: CollabSession;
  identity: Identity;
  role: Role;
  /** Who the server sees behind this page, for the item rules. */
  writer: Writer;
  programme: ProgrammeDescription;
}

/**
 * Everything a page of the plenary needs before it draws: the person (this device's, or an
 * observer link carried in the URL, `?token=`, which lives in this page only), the token's role
 * on the draft, and a live session on the draft. Loading, a missing or refused invite and an
 * unknown programme each get their own page.
 */
export function DraftGate({
  pageName,
  children,
}: {
  /** Presence name of a page opened with a link in its URL (the plenary screen). */
  pageName: string;
  children: (view: DraftView) => ReactNode;
}) {
  const { t } = useTranslation();
  const { programmeId = "" } = useParams();
  const [params] = useSearchParams();
  const pageToken = params.get("token");
  const identity = useMemo(
    () => (pageToken ? pageIdentity(pageToken, pageName) : loadDraftIdentity(programmeId)),
    [pageToken, pageName, programmeId],
  );
  const token = identity?.token ?? "";
  const { state, reload } = useAsync(() => loadContext(token, programmeId), [token, programmeId]);

  if (!identity || !token) {
    return <Notice title={t("plenary.needInvite")} body={t("join.missingBody")} />;
  }
  if (state.status === "loading") return <p role="status">{t("app.loading")}</p>;
  if (state.status === "error") {
    if (state.error instanceof ApiError && state.error.status === 401) {
      return <Notice title={t("join.invalidTitle")} body={t("join.invalidBody")} />;
    }
    if (state.error instanceof ApiError && state.error.status === 404) {
      return <Notice title={t("plenary.notFound")} body={t("notFound.body")} />;
    }
    return <LoadError retry={reload} />;
  }
  const { me, programme } = state.value;
  const role = effectiveRole(
    {
      role: me.role,
      programmeId: me.programmeId,
      ...(me.seminarId ? { seminarId: me.seminarId } : {}),
    },
    { kind: "draft", id: programme.id, programmeId: programme.id },
  );
  if (!role) return <Notice title={t("plenary.notFound")} body={t("notFound.body")} />;
  return (
    <SessionHost
      key={`${programme.id}:${token}`}
      identity={identity}
      role={role}
      programme={programme}
    >
      {children}
    </SessionHost>
  );
}

function SessionHost({
  identity,
  role,
  programme,
  children,
}: Omit<DraftView, "session" | "writer"> & { children: (view: DraftView) => ReactNode }) {
  const { t } = useTranslation();
  const session = useCollabSession(draftDocumentName(programme.id), identity, role);
  const writer = useMemo(() => writerOf(identity, role), [identity, role]);
  if (!session) return <p role="status">{t("app.loading")}</p>;
  return <>{children({ session, identity, role, writer, programme })}</>;
}
