import { useTranslation } from "react-i18next";
import type { CollabSession } from "../lib/collab.ts";

/**
 * A close that reconnecting cannot fix: a bad token, an unknown document, a refused write. After
 * a refused write the local copy holds an edit the server will never take: offer to drop it.
 */
export function RefusalBanner({ session, kind }: { session: CollabSession; kind: string }) {
  const { t } = useTranslation();
  return (
    <div className="alert alert-danger" role="alert">
      <p>{t(`connection.${kind}`)}</p>
      {kind === "forbidden" && (
        <button
          type="button"
          className="btn"
          onClick={() => {
            void session.discardLocalCopy().then(() => location.reload());
          }}
        >
          {t("connection.discard")}
        </button>
      )}
    </div>
  );
}
