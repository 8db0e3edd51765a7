import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { readSession, readTimer, seminarRoots } from "@percorso/schema";
import { useYRead } from "../lib/useY.ts";
import { formatDuration, useNow } from "../lib/useNow.ts";

/**
 * The facilitator's countdown as everyone sees it. The remaining time is announced to screen
 * readers only when the timer starts, pauses or ends, not every second. A concluded seminar
 * has no timer: it stops, wherever it is shown.
 */
export function Countdown({ doc, large = false }: { doc: Y.Doc; large?: boolean }) {
  const { t } = useTranslation();
  const session = useMemo(() => seminarRoots(doc).session, [doc]);
  const timer = useYRead(session, () => readTimer(doc, Date.now()));
  const closed = useYRead(session, () => readSession(doc).status === "closed");
  const now = useNow(timer.running && !closed);
  if (closed || (!timer.running && !timer.paused)) return null;
  const remaining = timer.running ? Math.max(0, (timer.endsAt ?? 0) - now) : timer.remainingMs;
  const over = timer.running && remaining === 0;
  return (
    <div className={`countdown${large ? " countdown-large" : ""}${over ? " over" : ""}`}>
      <span className="countdown-label">{t("timer.label")}</span>
      <span className="countdown-time" aria-hidden="true">
        {formatDuration(remaining)}
      </span>
      <span className="visually-hidden" role="status">
        {over
          ? t("timer.over")
          : timer.paused
            ? t("timer.pausedAt", { time: formatDuration(remaining) })
            : t("timer.runningUntil", {
                time: new Date(timer.endsAt ?? 0).toLocaleTimeString("it-IT", {
                  hour: "2-digit",
                  minute: "2-digit",
                }),
              })}
      </span>
      {timer.paused && <span className="badge">{t("timer.paused")}</span>}
    </div>
  );
}
