import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  answersFor,
  listQuestions,
  readSession,
  seminarRoots,
  type AnswerView,
} from "@percorso/schema";
import { SeminarGate, type SeminarView } from "./Room.tsx";
import { Countdown } from "../components/Countdown.tsx";
import { isPerson } from "../lib/presence.ts";
import { usePresence, useYRead } from "../lib/useY.ts";
import { wordCloud } from "../lib/wordcloud.ts";
import { useQrCode } from "../lib/useQrCode.ts";

/**
 * `/seminari/:id/screen`: the projector. Read-only (opened with an observer link), no controls,
 * large type for the back of the room: the spotlight question, its approved answers arriving
 * live (cards sized by votes, or a word cloud), the timer, who is present, the join QR code.
 * Everything fits the screen: nothing on a projector can be scrolled.
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
  const awareness = session.provider.awareness;
  const present = usePresence(awareness).filter(isPerson);
  const closed = live.status === "closed";
  const qr = useQrCode(closed ? null : live.joinUrl, 440);

  useEffect(() => {
    document.body.classList.add("projector-body");
    return () => document.body.classList.remove("projector-body");
  }, []);
  // The room counts people: a projector says it is one, so it is shown apart.
  useEffect(() => awareness.setLocalStateField("screen", true), [awareness]);

  return (
    <div className={`projector${qr ? " with-join" : ""}`}>
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
        {closed ? (
          <div className="projector-idle projector-closed">
            <h1 className="projector-question">{seminar.title}</h1>
            <p className="projector-waiting">{t("screen.closed")}</p>
          </div>
        ) : question ? (
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
              <Cards answers={answers} />
            )}
          </>
        ) : (
          <div className="projector-idle">
            <h1 className="projector-question">{seminar.title}</h1>
            <p className="projector-waiting">{t("screen.waitingQuestion")}</p>
          </div>
        )}
      </main>
      {qr && (
        <aside className="projector-join">
          <img src={qr} alt={t("screen.qrAlt")} width={220} height={220} />
          <p>{t("screen.scanToJoin")}</p>
        </aside>
      )}
    </div>
  );
}

/**
 * The answers as cards in columns over the whole width, most voted first: the type grows with
 * the votes within bounds, a long text is cut after a few lines, and the cards that do not fit
 * the screen are left out (counted below the question) — measured after each layout.
 */
function Cards({ answers }: { answers: readonly AnswerView[] }) {
  const { t } = useTranslation();
  const list = useRef<HTMLUListElement>(null);
  const candidates = answers.slice(0, MAX_CARDS);
  const maxVotes = Math.max(1, ...candidates.map((a) => a.votes));
  const layout = candidates.map((a) => `${a.id}:${a.votes}:${a.text.length}`).join(",");
  const [size, setSize] = useState(() => `${window.innerWidth}x${window.innerHeight}`);
  const [fit, setFit] = useState({ layout: "", count: candidates.length });

  useEffect(() => {
    const resized = () => setSize(`${window.innerWidth}x${window.innerHeight}`);
    window.addEventListener("resize", resized);
    return () => window.removeEventListener("resize", resized);
  }, []);

  // A new set of answers (or screen) starts from all of them; what overflows is then dropped.
  const key = `${layout}|${size}`;
  const shown = fit.layout === key ? fit.count : candidates.length;
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const box = element.getBoundingClientRect();
    const cards = [...element.children];
    const first = cards.findIndex((card) => {
      const rect = card.getBoundingClientRect();
      return rect.right > box.right + 1 || rect.bottom > box.bottom + 1;
    });
    const count = first < 0 ? cards.length : Math.max(1, first);
    if (fit.layout !== key || count < fit.count) setFit({ layout: key, count });
  }, [key, fit, shown]);

  const hidden = answers.length - shown;
  return (
    <>
      {hidden > 0 && <p className="projector-more">{t("screen.more", { count: hidden })}</p>}
      <ul className="projector-cards" ref={list}>
        {candidates.slice(0, shown).map((answer) => (
          <li
            key={answer.id}
            className={`projector-card${answer.pinned ? " pinned" : ""}`}
            style={{ fontSize: `${1.6 + 0.8 * (answer.votes / maxVotes)}rem` }}
          >
            <p className="projector-card-text">{answer.text}</p>
            <p className="projector-votes">
              <span aria-hidden="true">▲ </span>
              {t("questions.votes", { count: answer.votes })}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
