import { useCallback, useMemo, useState } from "react";
import { Link, Navigate } from "react-router";
import { useTranslation } from "react-i18next";
import * as Tabs from "@radix-ui/react-tabs";
import type { Editor } from "@tiptap/react";
import { draftRoots, listVersions, writableRoots, type Role } from "@percorso/schema";
import { loadIdentity, presenceName } from "../lib/identity.ts";
import { useCollabStatus, useYRead } from "../lib/useY.ts";
import type { GateMessages } from "../components/SessionGate.tsx";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { Presence } from "../components/Presence.tsx";
import { RefusalBanner } from "../components/RefusalBanner.tsx";
import { HistoryPanel } from "../console/HistoryPanel.tsx";
import type { Citation } from "../editor/AnswerRef.ts";
import { CitationDialog } from "../draft/CitationDialog.tsx";
import { Contents } from "../draft/Contents.tsx";
import { BODY, DraftEditor } from "../draft/DraftEditor.tsx";
import { ExportsPanel } from "../draft/ExportsPanel.tsx";
import { RollupPanel } from "../draft/RollupPanel.tsx";
import { VersionsPanel } from "../draft/VersionsPanel.tsx";
import { useSources } from "../draft/useSources.ts";
import { ConferenceDeskPanel } from "../conference/DeskPanel.tsx";
import { DraftGate, type DraftView } from "../conference/DraftGate.tsx";

/** The drafting team's roles: they write the draft and use the desk's REST. */
const DRAFTING: readonly Role[] = ["drafter", "admin"];

const DESK_MESSAGES: GateMessages = { needInvite: "desk.needInvite", notFound: "desk.notFound" };

/** `/bozza`: the draft of the programme this device joined. */
export function DraftRedirect() {
  const identity = loadIdentity();
  const programmeId =
    identity && identity.programmeId !== "*" && identity.programmeId !== ""
      ? identity.programmeId
      : "toscana-2021";
  return <Navigate replace to={`/programmi/${encodeURIComponent(programmeId)}/bozza`} />;
}

/**
 * `/programmi/:programmeId/bozza`: the orientation draft (issue 9). The drafting team writes it
 * here and rolls the seminars' recommendations into it; everyone else of the programme reads it,
 * follows its citations and downloads it.
 */
export function Draft() {
  return <DraftGate messages={DESK_MESSAGES}>{(view) => <Desk {...view} />}</DraftGate>;
}

type SideTab = "seminari" | "conferenza" | "versioni" | "cronologia" | "esporta";

function Desk({ session, identity, role, writer, programme }: DraftView) {
  const { t } = useTranslation();
  const doc = session.doc;
  const roots = useMemo(() => draftRoots(doc), [doc]);
  const status = useCollabStatus(session);
  const drafting = DRAFTING.includes(role);
  const canEdit = writableRoots("draft", role).has(BODY);
  const token = identity.token;
  const sources = useSources(token, programme.id, doc, drafting);
  const versions = useYRead(roots.versions, () => listVersions(doc).sort((a, b) => b.at - a.at));
  const [editor, setEditor] = useState<Editor | null>(null);
  const onEditor = useCallback((next: Editor | null) => setEditor(next), []);
  const [citation, setCitation] = useState<Citation | null>(null);
  const [tab, setTab] = useState<SideTab>(drafting ? "seminari" : "esporta");
  const name = presenceName(identity);
  const user = useMemo(
    () => ({ name, color: identity.color, actorKind: identity.actorKind, role }),
    [name, identity.color, identity.actorKind, role],
  );
  // As in the room: the editor binds only to a text that has arrived, or it would write one.
  const hasText = useYRead(roots.body, () => roots.body.length > 0);
  const editorReady = Boolean(status?.synced || (status?.localLoaded && hasText));
  const staleCount = sources.list?.filter((source) => source.stale).length ?? 0;

  return (
    <div className="desk">
      <div className="room-head desk-head">
        <div>
          <p className="eyebrow">{t("desk.eyebrow")}</p>
          <h1>{t("desk.heading")}</h1>
          <p className="muted">
            {programme.title} · <Link to="/">{t("desk.toProgramme")}</Link>
          </p>
        </div>
        <div className="room-status">
          <ConnectionBadge session={session} />
        </div>
      </div>
      {status?.refusal && <RefusalBanner session={session} kind={status.refusal} />}
      {!canEdit && <p className="alert">{t("desk.readerBanner")}</p>}
      {status?.unsent && status.state !== "online" && (
        <p className="hint" role="status">
          {t("connection.savedLocally")}
        </p>
      )}
      <div className="desk-grid">
        <Contents doc={doc} editor={editor} sources={sources.list} />
        <div className="desk-main">
          {editorReady ? (
            <DraftEditor
              session={session}
              token={token}
              documentName={programme.draftDocument}
              user={user}
              canEdit={canEdit}
              onOpenCitation={setCitation}
              onEditor={onEditor}
            />
          ) : (
            <p role="status">{t("editor.loading")}</p>
          )}
        </div>
        <aside className="desk-side" aria-label={t("desk.sideLabel")}>
          <Presence awareness={session.provider.awareness} />
          {drafting ? (
            <Tabs.Root
              className="tabs desk-tabs"
              value={tab}
              onValueChange={(value) => setTab(value as SideTab)}
              activationMode="manual"
            >
              <Tabs.List className="tab-list" aria-label={t("desk.toolsLabel")}>
                <Tabs.Trigger value="seminari" className="tab">
                  {t("desk.tabSeminars")}
                  {staleCount > 0 && (
                    <span className="tab-count">
                      <span aria-hidden="true">{staleCount}</span>
                      <span className="visually-hidden">
                        {" "}
                        ({t("rollup.staleCount", { count: staleCount })})
                      </span>
                    </span>
                  )}
                </Tabs.Trigger>
                <Tabs.Trigger value="conferenza" className="tab">
                  {t("plenary.desk.tab")}
                </Tabs.Trigger>
                <Tabs.Trigger value="versioni" className="tab">
                  {t("desk.tabVersions")}
                </Tabs.Trigger>
                <Tabs.Trigger value="cronologia" className="tab">
                  {t("desk.tabHistory")}
                </Tabs.Trigger>
                <Tabs.Trigger value="esporta" className="tab">
                  {t("desk.tabExports")}
                </Tabs.Trigger>
              </Tabs.List>
              <Tabs.Content value="seminari" className="tab-panel">
                <RollupPanel token={token} programmeId={programme.id} doc={doc} sources={sources} />
              </Tabs.Content>
              <Tabs.Content value="conferenza" className="tab-panel">
                <ConferenceDeskPanel
                  session={session}
                  token={token}
                  programmeId={programme.id}
                  writer={writer}
                  editor={editor}
                />
              </Tabs.Content>
              <Tabs.Content value="versioni" className="tab-panel">
                <VersionsPanel token={token} programmeId={programme.id} versions={versions} />
              </Tabs.Content>
              <Tabs.Content value="cronologia" className="tab-panel">
                <HistoryPanel
                  token={token}
                  documentName={programme.draftDocument}
                  role={role}
                  intro={t("desk.historyIntro")}
                />
              </Tabs.Content>
              <Tabs.Content value="esporta" className="tab-panel">
                <ExportsPanel token={token} programmeId={programme.id} versions={versions} />
              </Tabs.Content>
            </Tabs.Root>
          ) : (
            <div className="card">
              <ExportsPanel token={token} programmeId={programme.id} versions={versions} />
            </div>
          )}
        </aside>
      </div>
      {citation && (
        <CitationDialog
          token={token}
          programmeId={programme.id}
          citation={citation}
          onClose={() => setCitation(null)}
        />
      )}
    </div>
  );
}
