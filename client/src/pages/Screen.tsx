import { useEffect, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { answersFor, listQuestions, readSession, seminarRoots } from "@percorso/schema";
import { SeminarGate, type SeminarView } from "./Room.tsx";
import { Countdown } from "../components/Countdown.tsx";
import { usePresence, useYRead } from "../lib/useY.ts";
import { wordCloud } from "../lib/wordcloud.ts";
import { useQrCode } from "../lib/useQrCode.ts";

/**
 * `/seminari/:id/screen`: the projector. Read-only (opened with an observer link), no controls,
 * large type for the back of the room: the spotlight question, its approved answers arriving
 * live (cards sized by votes, or a word cloud), the timer, who is present, the join QR code.
 */
export function Screen() {
  return <SeminarGate>{(view) => <ScreenBody {...view} />}</SeminarGate>;
}

const MAX_CARDS = 24;

function ScreenBody({ session, seminar }: SeminarView) {
  const { t } = useTranslation();
  const doc = session.doc;
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const live = useYRead(roots.session, () => readSession(doc));
  const question = useYRead(
    roots.questions,
    () => listQuestions(doc).find((q) => q.id === live.spotlight) ?? null,
    [live.spotlight],
  );
  const answers = useYRead(
    [roots.answers, roots.moderation, roots.approvals, roots.pins],
    () => (question ? answersFor(doc, question.id, { kind: "projector" }, "votes") : []),
    [question?.id, question?.premoderated],
  );
  const present = usePresence(session.provider.awareness).filter(
    (user) => user.role !== "observer",
  );
  const qr = useQrCode(live.joinUrl, 440);

  useEffect(() => {
    document.body.classList.add("projector-body");
    return () => document.body.classList.remove("projector-body");
  }, []);

  const maxVotes = Math.max(1, ...answers.map((a) => a.votes));
  return (
    <div className="projector">
      <header className="projector-top">
        <p className="projector-seminar">
          {t("room.seminar", { number: seminar.number })} · {seminar.title}
        </p>
        <div className="projector-meta">
          <Countdown doc={doc} large />
          <p className="projector-present" aria-live="off">
            {t("presence.count", { count: present.length })}
          </p>
        </div>
      </header>
      <main className="projector-main" id="main">
        {question ? (
          <>
            <h1 className="projector-question">{question.text}</h1>
            {answers.length === 0 ? (
              <p className="projector-waiting">{t("screen.waitingAnswers")}</p>
            ) : live.screenMode === "cloud" ? (
              <ul className="word-cloud" aria-label={t("screen.cloudLabel")}>
                {wordCloud(answers).map(({ word, weight }, index, list) => (
                  <li
                    key={word}
                    style={{ fontSize: `${1.4 + 3.2 * (weight / (list[0]?.weight ?? 1))}rem` }}
                  >
                    {word}
                  </li>
                ))}
              </ul>
            ) : (
              <ul className="projector-cards">
                {answers.slice(0, MAX_CARDS).map((answer) => (
                  <li
                    key={answer.id}
                    className={`projector-card${answer.pinned ? " pinned" : ""}`}
                    style={{ fontSize: `${1.5 + 0.9 * (answer.votes / maxVotes)}rem` }}
                  >
                    <p>{answer.text}</p>
                    <p className="projector-votes">
                      {t("questions.votes", { count: answer.votes })}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          <div className="projector-idle">
            <h1 className="projector-question">{seminar.title}</h1>
            <p className="projector-waiting">{t("screen.waitingQuestion")}</p>
          </div>
        )}
      </main>
      {qr && live.joinUrl && (
        <aside className="projector-join">
          <img src={qr} alt={t("screen.qrAlt")} width={220} height={220} />
          <p>{t("screen.scanToJoin")}</p>
        </aside>
      )}
    </div>
  );
}
