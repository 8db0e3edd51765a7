import { Suspense, lazy, useEffect, useMemo, useState, type ReactNode } from "react";
import { Link, Navigate, useParams, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import * as Tabs from "@radix-ui/react-tabs";
import {
  readSession,
  seminarDocumentName,
  seminarRoots,
  writableRoots,
  type Phase,
} from "@percorso/schema";
import { seminarRoleOf, type ProgrammeDescription } from "../lib/api.ts";
import { loadIdentity, loadLegacyIdentity, pageIdentity, presenceName } from "../lib/identity.ts";
import { useCollabStatus, useYRead } from "../lib/useY.ts";
import { formatDate } from "../i18n.ts";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { RefusalBanner } from "../components/RefusalBanner.tsx";
import { Presence } from "../components/Presence.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { InvitePanel } from "../components/InvitePanel.tsx";
import { Countdown } from "../components/Countdown.tsx";
import { SessionGate, type GateMessages, type GatedView } from "../components/SessionGate.tsx";
import { Materials } from "../room/Materials.tsx";
import { Questions } from "../room/Questions.tsx";
import { Conference } from "../room/Conference.tsx";

// The editor (Tiptap, ProseMirror) is the heaviest part of the room: it loads in the
// background so a phone on the room's Wi-Fi shows the questions first.
const Recommendations = lazy(() =>
  import("../room/Recommendations.tsx").then((m) => ({ default: m.Recommendations })),
);

const TABS = ["materiali", "domande", "raccomandazioni", "conferenza"] as const;
type Tab = (typeof TABS)[number];
const TAB_LABEL: Record<Tab, string> = {
  materiali: "room.tabMaterials",
  domande: "room.tabQuestions",
  raccomandazioni: "room.tabRecommendations",
  conferenza: "room.tabConference",
};
export interface SeminarView extends GatedView {
  seminar: ProgrammeDescription["seminars"][number];
}

const SEMINAR_MESSAGES: GateMessages = { needInvite: "room.needInvite", notFound: "room.notFound" };

/**
 * Everything a seminar page needs before it can draw: the device's identity (or a projector's
 * link, `?token=`), the token's role for this seminar, and a live collaboration session.
 */
export function SeminarGate({ children }: { children: (view: SeminarView) => ReactNode }) {
  const { t } = useTranslation();
  const { seminarId = "" } = useParams();
  const [params] = useSearchParams();
  const pageToken = params.get("token");
  const identity = useMemo(
    () =>
      pageToken ? pageIdentity(pageToken, t("screen.projectorName")) : loadIdentity(seminarId),
    [pageToken, t, seminarId],
  );
  return (
    <SessionGate<Pick<SeminarView, "seminar">>
      identity={identity}
      messages={SEMINAR_MESSAGES}
      withoutIdentity={() => {
        // A device the app knew before personal tokens goes through the join form once more.
        const legacy = loadLegacyIdentity();
        if (!legacy) return null;
        return <Navigate to={`/join?${new URLSearchParams({ token: legacy.token }).toString()}`} />;
      }}
      target={({ me, programme }) => {
        const seminar = programme.seminars.find((s) => s.id === seminarId);
        const role = seminar ? seminarRoleOf(me, programme.id, seminarId) : null;
        if (!seminar || !role) return null;
        return { role, documentName: seminarDocumentName(seminar.id), page: { seminar } };
      }}
    >
      {children}
    </SessionGate>
  );
}

/** `/seminari/:id`: one tab per phase of the method, presence and connection state. */
export function Room() {
  const { i18n } = useTranslation();
  return (
    <SeminarGate>
      {(view) => <RoomBody {...view} dateLabel={formatDate(view.seminar.date, i18n.language)} />}
    </SeminarGate>
  );
}

function RoomBody({
  session,
  identity,
  writer,
  role,
  programme,
  seminar,
  dateLabel,
}: SeminarView & { dateLabel: string }) {
  const { t } = useTranslation();
  // `?risposta=<id>`: the answer a citation of the draft points to, shown highlighted.
  const [params] = useSearchParams();
  const cited = params.get("risposta");
  const roots = useMemo(() => seminarRoots(session.doc), [session]);
  // The caret extension publishes this as the awareness `user`: it must keep the actor kind and
  // role the session announced, or presence figures lose them.
  const name = presenceName(identity);
  const presenceUser = useMemo(
    () => ({ name, color: identity.color, actorKind: identity.actorKind, role }),
    [name, identity.color, identity.actorKind, role],
  );
  const live = useYRead(roots.session, () => readSession(session.doc));
  const status = useCollabStatus(session);
  // The editor binds only to a text that has arrived (from the server, or from the device's
  // copy): bound to an empty fragment, it would write a first paragraph of its own — a write a
  // closed seminar refuses, and a stray one anyway.
  const hasText = useYRead(roots.recommendations, () => roots.recommendations.length > 0);
  const editorReady = Boolean(status?.synced || (status?.localLoaded && hasText));
  const hasSession = useYRead(roots.session, () => roots.session.has("status"));
  const writable = writableRoots("seminar", role, { seminarStatus: live.status });
  const [tab, setTab] = useState<Tab | null>(cited ? "domande" : null);
  const phaseTab = TABS[live.phase - 1] ?? "domande";
  useEffect(() => {
    if (tab === null && hasSession) setTab(phaseTab);
  }, [tab, hasSession, phaseTab]);

  return (
    <div className="room">
      <div className="room-head">
        <div>
          <p className="eyebrow">
            {t("room.seminar", { number: seminar.number })} · {dateLabel}
          </p>
          <h1>{seminar.title}</h1>
          <p className="muted">
            <StatusBadge status={live.status} /> {programme.title}
          </p>
          {(role === "facilitator" || role === "admin") && (
            <p>
              <Link to={`/seminari/${seminar.id}/console`}>{t("room.toConsole")}</Link>
            </p>
          )}
        </div>
        <div className="room-status">
          <ConnectionBadge session={session} />
          <Countdown doc={session.doc} />
        </div>
      </div>
      {status?.refusal && <RefusalBanner session={session} kind={status.refusal} />}
      {live.status === "closed" ? (
        <p className="alert">{t("room.closedBanner")}</p>
      ) : writable.size === 0 ? (
        <p className="alert">{t("room.readOnlyBanner")}</p>
      ) : null}
      {status?.unsent && status.state !== "online" && (
        <p className="hint" role="status">
          {t("connection.savedLocally")}
        </p>
      )}
      <div className="room-grid">
        <Tabs.Root
          className="tabs"
          value={tab ?? phaseTab}
          onValueChange={(value) => setTab(value as Tab)}
          activationMode="manual"
        >
          <Tabs.List className="tab-list" aria-label={t("room.phasesLabel")}>
            {TABS.map((value, index) => (
              <Tabs.Trigger key={value} value={value} className="tab">
                <span className="tab-phase" aria-hidden="true">
                  {index + 1}
                </span>
                {t(TAB_LABEL[value])}
                {live.phase === ((index + 1) as Phase) && (
                  <span className="visually-hidden"> ({t("room.currentPhase")})</span>
                )}
                {live.phase === ((index + 1) as Phase) && (
                  <span className="tab-current" aria-hidden="true" />
                )}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
          <Tabs.Content value="materiali" className="tab-panel">
            <Materials doc={session.doc} writer={writer} writable={writable.has("materials")} />
          </Tabs.Content>
          <Tabs.Content value="domande" className="tab-panel">
            <Questions
              session={session}
              identity={identity}
              writer={writer}
              writable={writable.has("answers")}
              spotlight={live.spotlight}
              highlight={cited}
              synced={Boolean(status?.synced)}
            />
          </Tabs.Content>
          <Tabs.Content
            value="raccomandazioni"
            className="tab-panel"
            forceMount
            hidden={(tab ?? phaseTab) !== "raccomandazioni"}
          >
            {editorReady ? (
              <Suspense fallback={<p role="status">{t("editor.loading")}</p>}>
                <Recommendations
                  session={session}
                  token={identity.token}
                  documentName={seminarDocumentName(seminar.id)}
                  user={presenceUser}
                  canEdit={writable.has("recommendations")}
                  seminarId={seminar.id}
                />
              </Suspense>
            ) : (
              <p role="status">{t("editor.loading")}</p>
            )}
          </Tabs.Content>
          <Tabs.Content value="conferenza" className="tab-panel">
            <Conference programme={programme} />
          </Tabs.Content>
        </Tabs.Root>
        <aside className="room-side">
          <Presence awareness={session.provider.awareness} foldable />
          {(role === "facilitator" || role === "admin") && (
            <InvitePanel token={identity.token} programmeId={programme.id} seminarId={seminar.id} />
          )}
        </aside>
      </div>
    </div>
  );
}
