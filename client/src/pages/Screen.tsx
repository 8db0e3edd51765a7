import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
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
import { isPerson, onePerPerson } from "../lib/presence.ts";
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
  const present = onePerPerson(usePresence(awareness).filter(isPerson));
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
 * the votes within bounds, a long text is cut after a few lines. The cards are placed by
 * measure (issue 22: the browser's balanced columns left room empty and pushed cards off the
 * screen): each goes to the shortest column, and only those that fit in none are left out,
 * counted below the question.
 */
function Cards({ answers }: { answers: readonly AnswerView[] }) {
  const { t } = useTranslation();
  const list = useRef<HTMLUListElement>(null);
  const candidates = answers.slice(0, MAX_CARDS);
  const maxVotes = Math.max(1, ...candidates.map((a) => a.votes));
  const layout = candidates.map((a) => `${a.id}:${a.votes}:${a.text.length}`).join(",");
  const [left, setLeft] = useState(0);

  const place = useCallback(() => {
    if (list.current) setLeft(placeCards(list.current));
  }, []);
  // Before paint for a new set of answers; again when the room changes size or fonts arrive.
  useLayoutEffect(place, [place, layout]);
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    let frame = 0;
    const later = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(place);
    };
    const observer = new ResizeObserver(later);
    observer.observe(element);
    void document.fonts.ready.then(later);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
    };
  }, [place]);

  const shown = candidates.length - left;
  const hidden = answers.length - shown;
  return (
    <>
      {hidden > 0 && <p className="projector-more">{t("screen.more", { count: hidden })}</p>}
      <ul className="projector-cards" ref={list}>
        {candidates.map((answer) => (
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

/** The narrowest a column of cards may be, in rem. */
const COLUMN_REM = 26;

/**
 * Lays the cards out in as many columns as the list's width allows, each card in turn into
 * the shortest column (so the most voted are at the top), hiding those that fit in none.
 * Returns how many were hidden. Works on the elements directly, measured before paint.
 */
function placeCards(element: HTMLElement): number {
  const style = getComputedStyle(element);
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const columnGap = parseFloat(style.columnGap) || 0;
  const rowGap = parseFloat(style.rowGap) || 0;
  const width = element.clientWidth;
  const height = element.clientHeight;
  const columns = Math.max(1, Math.floor((width + columnGap) / (COLUMN_REM * rem + columnGap)));
  const columnWidth = (width - columnGap * (columns - 1)) / columns;
  const tops = Array.from({ length: columns }, () => 0);
  const cards = [...element.children] as HTMLElement[];
  let hidden = 0;
  for (const [index, card] of cards.entries()) {
    card.hidden = false;
    card.style.width = `${columnWidth}px`;
    const cardHeight = card.offsetHeight;
    const column = tops.indexOf(Math.min(...tops));
    // The first card is always shown, however tall (its text is cut after a few lines).
    if (tops[column]! + cardHeight > height + 0.5 && index > 0) {
      card.hidden = true;
      hidden += 1;
      continue;
    }
    card.style.left = `${column * (columnWidth + columnGap)}px`;
    card.style.top = `${tops[column]}px`;
    tops[column] = tops[column]! + cardHeight + rowGap;
  }
  return hidden;
}
