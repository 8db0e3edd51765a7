import { useMemo } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { readSession, seminarDocumentName, seminarRoots, writableRoots } from "@percorso/schema";
import { SeminarGate, type SeminarView } from "./Room.tsx";
import { Notice } from "./NotFound.tsx";
import { useYRead } from "../lib/useY.ts";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { Presence } from "../components/Presence.tsx";
import { SessionPanel } from "../console/SessionPanel.tsx";
import { ScreenPanel } from "../console/ScreenPanel.tsx";
import { QuestionsPanel } from "../console/QuestionsPanel.tsx";
import { HarvestPanel } from "../console/HarvestPanel.tsx";
import { StatsPanel } from "../console/StatsPanel.tsx";
import { InvitesPanel } from "../console/InvitesPanel.tsx";
import { ExportPanel } from "../console/ExportPanel.tsx";
import { HistoryPanel } from "../console/HistoryPanel.tsx";
import { Materials } from "../room/Materials.tsx";

/** `/seminari/:id/console`: the facilitator runs the live seminar from here. */
export function Console() {
  return <SeminarGate>{(view) => <ConsoleBody {...view} />}</SeminarGate>;
}

function ConsoleBody({ session, identity, writer, role, programme, seminar }: SeminarView) {
  const { t } = useTranslation();
  const doc = session.doc;
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const status = useYRead(roots.session, () => readSession(doc).status);
  const counts = useYRead([roots.questions, roots.answers], () => ({
    questions: roots.questions.length,
    answers: roots.answers.length,
  }));
  if (role !== "facilitator" && role !== "admin") {
    return <Notice title={t("console.forbiddenTitle")} body={t("console.forbiddenBody")} />;
  }
  const writable = writableRoots("seminar", role, { seminarStatus: status });
  const scope = { token: identity.token, programmeId: programme.id, seminarId: seminar.id };
  return (
    <div className="console">
      <div className="room-head">
        <div>
          <p className="eyebrow">
            {t("console.eyebrow")} · {t("room.seminar", { number: seminar.number })}
          </p>
          <h1>{seminar.title}</h1>
          <p>
            <Link to={`/seminari/${seminar.id}`}>{t("console.toRoom")}</Link>
          </p>
        </div>
        <ConnectionBadge session={session} />
      </div>
      <div className="console-grid">
        <div className="console-main">
          <SessionPanel doc={doc} />
          <QuestionsPanel doc={doc} />
          <HarvestPanel doc={doc} {...scope} />
          <section className="card console-panel">
            <Materials doc={doc} writer={writer} writable={writable.has("materials")} />
          </section>
          <HistoryPanel
            token={identity.token}
            documentName={seminarDocumentName(seminar.id)}
            role={role}
            current={counts}
          />
        </div>
        <aside className="console-side">
          <ScreenPanel doc={doc} {...scope} />
          <StatsPanel doc={doc} awareness={session.provider.awareness} />
          <Presence awareness={session.provider.awareness} />
          <InvitesPanel {...scope} />
          <ExportPanel {...scope} />
        </aside>
      </div>
    </div>
  );
}
