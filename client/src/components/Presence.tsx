import { useTranslation } from "react-i18next";
import type { Awareness } from "y-protocols/awareness";
import { usePresence } from "../lib/useY.ts";

/** Who is in the room right now (awareness), with a count. */
export function Presence({ awareness }: { awareness: Awareness }) {
  const { t } = useTranslation();
  const users = usePresence(awareness);
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
          <li key={user.clientId}>
            <span className="avatar" style={{ backgroundColor: user.color }} aria-hidden="true">
              {user.name.slice(0, 1).toUpperCase()}
            </span>
            {user.name}
            {user.self ? ` (${t("presence.you")})` : ""}
          </li>
        ))}
      </ul>
    </section>
  );
}
