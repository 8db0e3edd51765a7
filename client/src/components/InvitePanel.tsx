import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Invite } from "../lib/api.ts";
import { useAction } from "../lib/useAction.ts";
import { useQrCode } from "../lib/useQrCode.ts";

const DAY = 24 * 60 * 60;

/**
 * For facilitators and admins in the room: a participants' invite link for this seminar,
 * with its QR code for people in the room, and a copy button.
 */
export function InvitePanel({
  token,
  programmeId,
  seminarId,
}: {
  token: string;
  programmeId: string;
  seminarId: string;
}) {
  const { t } = useTranslation();
  const [invite, setInvite] = useState<Invite | null>(null);
  const { busy, error, run } = useAction();
  const [copied, setCopied] = useState(false);
  const linkId = useId();
  const qr = useQrCode(invite?.shortUrl, 240);

  const create = () =>
    run(async () => {
      setInvite(
        await api.invite(token, {
          role: "participant",
          programmeId,
          seminarId,
          expiresInSeconds: 30 * DAY,
        }),
      );
    }, t("invite.error"));

  const copy = async () => {
    if (!invite) return;
    await navigator.clipboard.writeText(invite.shortUrl).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };

  return (
    <section className="invite-panel" aria-labelledby="invite-title">
      <h2 id="invite-title" className="small-heading">
        {t("invite.heading")}
      </h2>
      {!invite ? (
        <>
          <p className="hint">{t("invite.intro")}</p>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => void create()}
            disabled={busy}
          >
            {busy ? t("invite.creating") : t("invite.create")}
          </button>
        </>
      ) : (
        <>
          <label htmlFor={linkId} className="hint">
            {t("invite.link")}
          </label>
          <input
            id={linkId}
            className="invite-url"
            readOnly
            value={invite.shortUrl}
            onFocus={(e) => e.target.select()}
          />
          <div className="form-row">
            <button type="button" className="btn btn-small" onClick={() => void copy()}>
              {t("invite.copy")}
            </button>
            <span role="status" className="hint">
              {copied ? t("invite.copied") : ""}
            </span>
          </div>
          {qr && (
            <img className="invite-qr" src={qr} alt={t("invite.qrAlt")} width={240} height={240} />
          )}
        </>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
