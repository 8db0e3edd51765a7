import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Role } from "@percorso/schema";
import { api, type InviteRecord } from "../lib/api.ts";
import { useAction } from "../lib/useAction.ts";
import { useAsync } from "../lib/useAsync.ts";

const ROLES: readonly Role[] = ["participant", "observer", "facilitator"];
const DAY = 24 * 60 * 60;

/** Invite links per role for this seminar, with expiry; revoking one refuses it at once. */
export function InvitesPanel({
  token,
  programmeId,
  seminarId,
}: {
  token: string;
  programmeId: string;
  seminarId: string;
}) {
  const { t, i18n } = useTranslation();
  const [role, setRole] = useState<Role>("participant");
  const [days, setDays] = useState("30");
  const { busy, error, setError, run } = useAction();
  const ids = { role: useId(), days: useId() };
  const { state, reload } = useAsync(
    () => api.invites(token, programmeId, seminarId),
    [token, programmeId, seminarId],
  );
  const locale = i18n.language === "en" ? "en-GB" : "it-IT";

  const create = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(days);
    if (!Number.isInteger(value) || value < 1 || value > 366)
      return setError(t("invites.daysInvalid"));
    await run(async () => {
      await api.invite(token, { role, programmeId, seminarId, expiresInSeconds: value * DAY });
      reload();
    }, t("invite.error"));
  };

  const revoke = async (invite: InviteRecord) => {
    if (!window.confirm(t("invites.confirmRevoke"))) return;
    await run(async () => {
      await api.revokeInvite(token, invite.id);
      reload();
    }, t("invites.revokeError"));
  };

  return (
    <section className="card console-panel" aria-labelledby="invites-title">
      <h2 id="invites-title">{t("invites.heading")}</h2>
      <form className="form-row" onSubmit={(e) => void create(e)}>
        <div className="field">
          <label htmlFor={ids.role}>{t("invites.role")}</label>
          <select id={ids.role} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.days}>{t("invites.days")}</label>
          <input
            id={ids.days}
            className="input-short"
            inputMode="numeric"
            value={days}
            onChange={(e) => setDays(e.target.value)}
          />
        </div>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t("invites.create")}
        </button>
      </form>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {state.status === "loading" && <p role="status">{t("app.loading")}</p>}
      {state.status === "error" && (
        <p className="alert" role="alert">
          {t("invites.loadError")}{" "}
          <button type="button" className="link-button" onClick={reload}>
            {t("app.retry")}
          </button>
        </p>
      )}
      {state.status === "ok" &&
        (state.value.length === 0 ? (
          <p className="empty">{t("invites.empty")}</p>
        ) : (
          // On a phone the table scrolls inside its card (reachable by keyboard), not the page.
          <div className="table-scroll" tabIndex={0} role="group" aria-labelledby="invites-title">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t("invites.role")}</th>
                  <th scope="col">{t("invites.expires")}</th>
                  <th scope="col">{t("invites.link")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("invites.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {state.value.map((invite) => {
                  const revoked = invite.revokedAt !== null;
                  const expired = invite.expiresAt !== null && invite.expiresAt * 1000 < Date.now();
                  return (
                    <tr key={invite.id} className={revoked || expired ? "row-muted" : ""}>
                      <td>{t(`roles.${invite.role}`)}</td>
                      <td>
                        {revoked
                          ? t("invites.revoked")
                          : invite.expiresAt === null
                            ? t("invites.never")
                            : new Date(invite.expiresAt * 1000).toLocaleDateString(locale)}
                        {expired && !revoked && ` (${t("invites.expired")})`}
                      </td>
                      <td>
                        <input
                          className="invite-url"
                          readOnly
                          value={invite.shortUrl}
                          aria-label={t("invites.linkFor", { role: t(`roles.${invite.role}`) })}
                          onFocus={(e) => e.target.select()}
                        />
                      </td>
                      <td>
                        {!revoked && (
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            onClick={() => void revoke(invite)}
                          >
                            {t("invites.revoke")}
                          </button>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
