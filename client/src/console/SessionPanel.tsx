import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import {
  PHASES,
  SEMINAR_STATUSES,
  addTimerSeconds,
  clearTimer,
  pauseTimer,
  readSession,
  readTimer,
  resumeTimer,
  seminarRoots,
  setPhase,
  setStatus,
  startTimer,
} from "@percorso/schema";
import { useYRead } from "../lib/useY.ts";
import { formatDuration, useNow } from "../lib/useNow.ts";
import { Countdown } from "../components/Countdown.tsx";

/** Status (scheduled → live → closed), phase, the session clock and the countdown timer. */
export function SessionPanel({ doc }: { doc: Y.Doc }) {
  const { t } = useTranslation();
  const session = useMemo(() => seminarRoots(doc).session, [doc]);
  const live = useYRead(session, () => readSession(doc));
  const timer = useYRead(session, () => readTimer(doc));
  const now = useNow(live.startedAt !== null && live.status === "live");
  const [minutes, setMinutes] = useState("5");
  const minutesId = useId();

  const start = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(minutes.replace(",", "."));
    if (Number.isFinite(value) && value > 0) startTimer(doc, value * 60);
  };

  return (
    <section className="card console-panel" aria-labelledby="session-title">
      <h2 id="session-title">{t("console.session")}</h2>
      <fieldset className="segmented">
        <legend>{t("console.status")}</legend>
        {SEMINAR_STATUSES.map((status) => (
          <label key={status} className={`chip${live.status === status ? " active" : ""}`}>
            <input
              type="radio"
              name="seminar-status"
              checked={live.status === status}
              onChange={() => {
                if (status !== "closed") return setStatus(doc, status);
                if (!window.confirm(t("console.confirmClose"))) return;
                // The seminar is over: so is its countdown, on every screen.
                doc.transact(() => {
                  setStatus(doc, status);
                  clearTimer(doc);
                });
              }}
            />
            {t(`status.${status}`)}
          </label>
        ))}
      </fieldset>
      {live.status === "closed" && <p className="hint">{t("console.closedHint")}</p>}
      <fieldset className="segmented">
        <legend>{t("console.phase")}</legend>
        {PHASES.map((phase) => (
          <label key={phase} className={`chip${live.phase === phase ? " active" : ""}`}>
            <input
              type="radio"
              name="seminar-phase"
              checked={live.phase === phase}
              onChange={() => setPhase(doc, phase)}
            />
            {phase}. {t(`phases.${phase}`)}
          </label>
        ))}
      </fieldset>
      {live.startedAt !== null && (
        <p className="muted">
          {t("console.sessionClock", {
            time: formatDuration((live.status === "live" ? now : Date.now()) - live.startedAt),
          })}
        </p>
      )}
      <h3>{t("timer.label")}</h3>
      <Countdown doc={doc} />
      <div className="form-row">
        {!timer.running && !timer.paused && (
          <form className="form-row" onSubmit={start}>
            <label htmlFor={minutesId}>{t("timer.minutes")}</label>
            <input
              id={minutesId}
              className="input-short"
              inputMode="decimal"
              value={minutes}
              onChange={(e) => setMinutes(e.target.value)}
            />
            <button type="submit" className="btn btn-primary">
              {t("timer.start")}
            </button>
          </form>
        )}
        {timer.running && (
          <button type="button" className="btn" onClick={() => pauseTimer(doc)}>
            {t("timer.pause")}
          </button>
        )}
        {timer.paused && (
          <button type="button" className="btn btn-primary" onClick={() => resumeTimer(doc)}>
            {t("timer.resume")}
          </button>
        )}
        {(timer.running || timer.paused) && (
          <>
            <button type="button" className="btn" onClick={() => addTimerSeconds(doc, 60)}>
              {t("timer.addMinute")}
            </button>
            <button type="button" className="btn" onClick={() => clearTimer(doc)}>
              {t("timer.clear")}
            </button>
          </>
        )}
      </div>
    </section>
  );
}
