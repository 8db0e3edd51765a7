import { useTranslation } from "react-i18next";
import type { CollabSession } from "../lib/collab.ts";
import { useCollabStatus } from "../lib/useY.ts";

/** Online / reconnecting / offline, and whether local edits are waiting to be sent. */
export function ConnectionBadge({ session }: { session: CollabSession }) {
  const { t } = useTranslation();
  const status = useCollabStatus(session);
  if (!status) return null;
  return (
    <div className="connection" role="status" aria-live="polite" data-state={status.state}>
      <span className="dot" aria-hidden="true" />
      <span>
        {t(`connection.${status.state}`)}
        {status.unsent && status.state !== "online" ? ` · ${t("connection.unsent")}` : ""}
      </span>
    </div>
  );
}
