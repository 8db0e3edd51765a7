import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { SCREEN_MODES, readSession, seminarRoots, setScreen } from "@percorso/schema";
import { api, type InviteRecord } from "../lib/api.ts";
import { useAction } from "../lib/useAction.ts";
import { useYRead } from "../lib/useY.ts";

const DAY = 24 * 60 * 60;
/** A projector link kept for less than this is not reused: it would expire mid-seminar. */
const PROJECTOR_MARGIN_MS = 12 * 60 * 60 * 1000;

/**
 * The seminar's projector link: made once, then reused for every projector window. A listing
 * never carries a token, so the link is kept on this device with its invite's id
 * (localStorage, like the device's own tokens: a read-only observer link, which the projector
 * keeps anyway); it is reused while the invite is listed unrevoked and far from expiry, else a
 * new one is made. Another device makes its own.
 */
async function projectorLink(token: string, programmeId: string, seminarId: string) {
  const key = `percorso.projector.${seminarId}`;
  const usable = (invite: InviteRecord) =>
    invite.role === "observer" &&
    invite.revokedAt === null &&
    (invite.expiresAt === null || invite.expiresAt * 1000 > Date.now() + PROJECTOR_MARGIN_MS);
  const remembered = readRemembered(localStorage.getItem(key));
  if (remembered !== null) {
    const listed = await api.invites(token, programmeId, seminarId);
    if (listed.some((invite) => invite.id === remembered.id && usable(invite))) {
      return `${remembered.url}&vista=proiettore`;
    }
  }
  const invite = await api.invite(token, {
    role: "observer",
    programmeId,
    seminarId,
    expiresInSeconds: 30 * DAY,
  });
  localStorage.setItem(key, JSON.stringify({ id: invite.id, url: invite.url }));
  return `${invite.url}&vista=proiettore`;
}

/** What an earlier projector link left on this device (an old bare id counts as nothing). */
function readRemembered(stored: string | null): { id: string; url: string } | null {
  if (stored === null) return null;
  try {
    const value = JSON.parse(stored) as unknown;
    if (
      typeof value === "object" &&
      value !== null &&
      typeof (value as { id?: unknown }).id === "string" &&
      typeof (value as { url?: unknown }).url === "string"
    ) {
      return value as { id: string; url: string };
    }
  } catch {
    // an id stored by an older version, not JSON
  }
  return null;
}

/**
 * The projector, driven from here: cards or word cloud, the participants' join link shown as
 * a QR code, and the projector page itself opened with an observer link (read-only).
 */
export function ScreenPanel({
  doc,
  token,
  programmeId,
  seminarId,
}: {
  doc: Y.Doc;
  token: string;
  programmeId: string;
  seminarId: string;
}) {
  const { t } = useTranslation();
  const session = useMemo(() => seminarRoots(doc).session, [doc]);
  const live = useYRead(session, () => readSession(doc));
  const { busy, error, run } = useAction();

  const showJoinLink = () =>
    run(async () => {
      const invite = await api.invite(token, {
        role: "participant",
        programmeId,
        seminarId,
        expiresInSeconds: 7 * DAY,
      });
      setScreen(doc, { joinUrl: invite.shortUrl });
    }, t("invite.error"));

  const openProjector = () =>
    run(async () => {
      // Opened before the await so the browser does not treat it as an unrequested pop-up.
      const projector = window.open("about:blank", "_blank");
      const url = await projectorLink(token, programmeId, seminarId);
      if (projector) projector.location.href = url;
      else window.location.href = url;
    }, t("invite.error"));

  return (
    <section className="card console-panel" aria-labelledby="screen-title">
      <h2 id="screen-title">{t("screenPanel.heading")}</h2>
      <fieldset className="segmented">
        <legend>{t("screenPanel.mode")}</legend>
        {SCREEN_MODES.map((mode) => (
          <label key={mode} className={`chip${live.screenMode === mode ? " active" : ""}`}>
            <input
              type="radio"
              name="screen-mode"
              checked={live.screenMode === mode}
              onChange={() => setScreen(doc, { mode })}
            />
            {t(`screenPanel.modes.${mode}`)}
          </label>
        ))}
      </fieldset>
      <div className="form-row">
        <button type="button" className="btn" disabled={busy} onClick={() => void showJoinLink()}>
          {live.joinUrl ? t("screenPanel.renewJoin") : t("screenPanel.showJoin")}
        </button>
        {live.joinUrl && (
          <button type="button" className="btn" onClick={() => setScreen(doc, { joinUrl: null })}>
            {t("screenPanel.hideJoin")}
          </button>
        )}
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy}
          onClick={() => void openProjector()}
        >
          {t("screenPanel.open")}
        </button>
      </div>
      <p className="hint">
        {live.joinUrl ? t("screenPanel.joinShown") : t("screenPanel.joinHidden")}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
