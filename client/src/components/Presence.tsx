import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Awareness } from "y-protocols/awareness";
import { usePresence } from "../lib/useY.ts";
import { isPerson, onePerPerson, usePresenceLabel } from "../lib/presence.ts";

/** Below this width the room folds the list away: the questions come first on a phone. */
const SMALL_SCREEN = "(max-width: 720px)";

/**
 * Who is in the room right now (awareness), with a count. Someone who joined anonymously
 * publishes no name (and the server blanks it): "anonimo" and the kind of actor only.
 * Projectors and observers are not people: they are told apart ("1 proiettore collegato").
 * `foldable`: the list opens and closes under its heading, closed at first on a small screen.
 */
export function Presence({
  awareness,
  foldable = false,
}: {
  awareness: Awareness;
  foldable?: boolean;
}) {
  const { t } = useTranslation();
  const titleId = useId();
  const users = usePresence(awareness);
  const labelOf = usePresenceLabel();
  const [open, setOpen] = useState(() => !window.matchMedia(SMALL_SCREEN).matches);
  // One entry per person: someone with the room open in two tabs is present once.
  const people = onePerPerson(users.filter(isPerson));
  const screens = users.filter((user) => user.screen).length;
  const observers = users.filter((user) => !user.screen && user.role === "observer").length;
  const count = (
    <span className="presence-count" aria-live="polite">
      {t("presence.count", { count: people.length })}
    </span>
  );
  const body = (
    <>
      <ul className="presence-list">
        {people.map((user) => (
          <li key={user.clientId} className={user.name ? undefined : "presence-anonymous"}>
            <span className="avatar" style={{ backgroundColor: user.color }} aria-hidden="true">
              {user.name ? user.name.slice(0, 1).toUpperCase() : "?"}
            </span>
            {labelOf(user)}
            {user.self ? ` (${t("presence.you")})` : ""}
          </li>
        ))}
      </ul>
      {(screens > 0 || observers > 0) && (
        <p className="presence-devices">
          {[
            ...(screens > 0 ? [t("presence.screens", { count: screens })] : []),
            ...(observers > 0 ? [t("presence.observers", { count: observers })] : []),
          ].join(" · ")}
        </p>
      )}
    </>
  );
  if (!foldable) {
    return (
      <section className="presence" aria-labelledby={titleId}>
        <h2 id={titleId} className="small-heading">
          {t("presence.heading")}
        </h2>
        <p>{count}</p>
        {body}
      </section>
    );
  }
  return (
    <section className="presence" aria-labelledby={titleId}>
      <details
        className="presence-fold"
        open={open}
        onToggle={(event) => setOpen(event.currentTarget.open)}
      >
        <summary>
          <h2 id={titleId} className="small-heading">
            {t("presence.heading")}
          </h2>
          {count}
        </summary>
        {body}
      </details>
    </section>
  );
}
