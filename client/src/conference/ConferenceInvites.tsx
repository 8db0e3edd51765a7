import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { draftRoots } from "@percorso/schema";
import { InvitesPanel } from "../console/InvitesPanel.tsx";
import { ApiError, api, type Invite } from "../lib/api.ts";
import { useQrCode } from "../lib/useQrCode.ts";
import { useYRead } from "../lib/useY.ts";
import { readPlenaryJoinUrl, setPlenaryJoinUrl } from "./plenaryRoot.ts";

const DAY = 24 * 60 * 60;

/** A link to copy, with its label and a copy button that says when it worked. */
function CopyLink({ label, url, name }: { label: string; url: string; name: string }) {
  const { t } = useTranslation();
  const id = useId();
  const [copied, setCopied] = useState(false);
  return (
    <div className="field conf-link">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className="invite-url"
        name={name}
        readOnly
        value={url}
        onFocus={(e) => e.target.select()}
      />
      <div className="form-row">
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            void navigator.clipboard.writeText(url).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {t("invite.copy")}
        </button>
        <span role="status" className="hint">
          {copied ? t("invite.copied") : ""}
        </span>
      </div>
    </div>
  );
}

/**
 * The conference's invites, from the drafting team's desk: one participants' link for the whole
 * programme (to share, and as a QR code — also on the plenary screen), and an observer link that
 * opens the plenary screen. Links are shown only here, right after they are made (a listing
 * never carries one); below, the conference's invites — who made each, how many joined, Revoca.
 */
export function ConferenceInvites({
  token,
  programmeId,
  doc,
}: {
  token: string;
  programmeId: string;
  doc: Y.Doc;
}) {
  const { t } = useTranslation();
  const plenary = useMemo(() => draftRoots(doc).plenary, [doc]);
  const joinUrl = useYRead(plenary, () => readPlenaryJoinUrl(doc));
  const [participants, setParticipants] = useState<Invite | null>(null);
  const [screen, setScreen] = useState<Invite | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState(0);
  const shown = participants?.shortUrl ?? joinUrl;
  const qr = useQrCode(shown, 240);

  const issue = async (role: "participant" | "observer", days: number): Promise<Invite | null> => {
    setBusy(true);
    setError(null);
    try {
      const invite = await api.invite(token, { role, programmeId, expiresInSeconds: days * DAY });
      setIssued((count) => count + 1);
      return invite;
    } catch (failure) {
      setError(
        failure instanceof ApiError && failure.status === 403
          ? t("plenary.invites.adminOnly")
          : t("invite.error"),
      );
      return null;
    } finally {
      setBusy(false);
    }
  };

  const createParticipants = async () => {
    const invite = await issue("participant", 7);
    if (!invite) return;
    setParticipants(invite);
    setPlenaryJoinUrl(doc, invite.shortUrl);
  };

  const openScreen = async () => {
    // Opened before the await, so the browser does not take it for an unasked-for pop-up.
    const opened = window.open("about:blank", "_blank");
    const invite = await issue("observer", 2);
    if (!invite) {
      opened?.close();
      return;
    }
    setScreen(invite);
    const url = screenUrl(invite);
    if (opened) opened.location.href = url;
  };

  return (
    <section className="conf-invites" aria-labelledby="conf-invites-title">
      <h3 id="conf-invites-title" className="small-heading">
        {t("plenary.invites.heading")}
      </h3>
      <p className="hint">{t("plenary.invites.intro")}</p>
      <div className="form-row">
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={busy}
          onClick={() => void createParticipants()}
        >
          {participants || joinUrl ? t("plenary.invites.renew") : t("plenary.invites.create")}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          onClick={() => void openScreen()}
        >
          {t("plenary.invites.openScreen")}
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {shown && (
        <>
          <CopyLink label={t("plenary.invites.participantLink")} url={shown} name="participants" />
          {qr && (
            <img
              className="invite-qr"
              src={qr}
              alt={t("plenary.invites.qrAlt")}
              width={240}
              height={240}
            />
          )}
          <p className="hint">
            {joinUrl === shown ? t("plenary.invites.onScreen") : t("plenary.invites.notOnScreen")}
          </p>
          {joinUrl === shown ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setPlenaryJoinUrl(doc, null)}
            >
              {t("plenary.invites.hideFromScreen")}
            </button>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setPlenaryJoinUrl(doc, shown)}
            >
              {t("plenary.invites.showOnScreen")}
            </button>
          )}
        </>
      )}
      {screen && (
        <CopyLink label={t("plenary.invites.screenLink")} url={screenUrl(screen)} name="screen" />
      )}
      <InvitesPanel token={token} programmeId={programmeId} level={3} changed={issued} />
    </section>
  );
}

/** The observer link that opens straight onto the plenary screen. */
function screenUrl(invite: Invite): string {
  const url = new URL(invite.url);
  url.searchParams.set("vista", "plenaria");
  return url.toString();
}
