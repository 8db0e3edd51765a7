import { useMemo, type ReactNode } from "react";
import { useParams, useSearchParams } from "react-router";
import { draftDocumentName, effectiveRole } from "@percorso/schema";
import type { PageContext } from "../lib/context.ts";
import { loadDraftIdentity, pageIdentity } from "../lib/identity.ts";
import {
  SessionGate,
  type GateMessages,
  type GateTarget,
  type GatedView,
} from "../components/SessionGate.tsx";

/** What a page on the programme's draft (desk, conference, outcomes, plenary screen) works with. */
export type DraftView = GatedView;

const PLENARY_MESSAGES: GateMessages = {
  needInvite: "plenary.needInvite",
  notFound: "plenary.notFound",
};

/**
 * Everything a page on the draft needs before it draws: the person (this device's, or — on a
 * page with a `pageName` — an observer link carried in the URL, `?token=`, which lives in this
 * page only), the token's role on the draft, and a live session on the draft.
 */
export function DraftGate({
  pageName,
  messages = PLENARY_MESSAGES,
  children,
}: {
  /** Presence name of a page that may be opened with a link in its URL (the plenary screen). */
  pageName?: string;
  /** The notices' titles; the plenary's unless the page says its own (the drafting desk). */
  messages?: GateMessages;
  children: (view: DraftView) => ReactNode;
}) {
  const { programmeId = "" } = useParams();
  const [params] = useSearchParams();
  const pageToken = pageName === undefined ? null : params.get("token");
  const identity = useMemo(
    () =>
      pageToken && pageName !== undefined
        ? pageIdentity(pageToken, pageName)
        : loadDraftIdentity(programmeId),
    [pageToken, pageName, programmeId],
  );
  return (
    <SessionGate
      identity={identity}
      programmeId={programmeId}
      messages={messages}
      target={draftTarget}
    >
      {children}
    </SessionGate>
  );
}

function draftTarget({ me, programme }: PageContext): GateTarget<object> | null {
  const role = effectiveRole(
    {
      role: me.role,
      programmeId: me.programmeId,
      ...(me.seminarId ? { seminarId: me.seminarId } : {}),
    },
    { kind: "draft", id: programme.id, programmeId: programme.id },
  );
  return role ? { role, documentName: draftDocumentName(programme.id), page: {} } : null;
}
