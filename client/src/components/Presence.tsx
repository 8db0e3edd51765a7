import { useTranslation } from "react-i18next";
import type { Awareness } from "y-protocols/awareness";
import { usePresence } from "../lib/useY.ts";
import { usePresenceLabel } from "../lib/presence.ts";

/**
 * Who is in the room right now (awareness), with a count. Someone who joined anonymously
 * publishes no name (and the server blanks it): "anonimo" and the kind of actor only.
 */
export function Presence({ awareness }: { awareness: Awareness }) {
  const { t } = useTranslation();
  const users = usePresence(awareness);
  const labelOf = usePresenceLabel();
  return (
    <section className="presence" aria-labelledby="presence-title">
      <h2 id="presence-title" className="small-heading">
        {t("presence.heading")}
      </h2>
      <p className="presence-count" aria-live="polite">
        {t("presence.count", { count: users.length })}
      </p>
      <ul className="presence-list">
        {users.map((user) => (
          <li key={user.clientId} className={user.name ? undefined : "presence-anonymous"}>
            <span className="avatar" style={{ backgroundColor: user.color }} aria-hidden="true">
              {user.name ? user.name.slice(0, 1).toUpperCase() : "?"}
            </span>
            {labelOf(user)}
            {user.self ? ` (${t("presence.you")})` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}
