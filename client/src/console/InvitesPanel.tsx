import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { creatableInviteRoles, type Role } from "@percorso/schema";
import { api, type Invite, type InviteRecord, type SeminarSummary } from "../lib/api.ts";
import { useAction } from "../lib/useAction.ts";
import { useAsync } from "../lib/useAsync.ts";
import { useQrCode } from "../lib/useQrCode.ts";

const DAY = 24 * 60 * 60;
/** Without a seminar the panel is the conference's: its participants' and observers' links. */
const CONFERENCE_ROLES: readonly Role[] = ["participant", "observer"];

/**
 * The invites of a seminar (or, without `seminarId`, the conference's programme-wide ones):
 * what each is, who made it, its expiry, how many joined, and Revoca. A listing never carries a
 * link (DESIGN.md §4.2): the link and its QR code are shown once, right after this tab made
 * them, kept in memory only — a token left in storage would be one more place to read it
 * from; whoever needs another makes a new link. Only the roles the caller may invite (the
 * schema's table) are offered.
 *
 * With `seminars` (the admin's desk) the panel is the whole programme's: a choice of where
 * the new invite is for (the programme, or one seminar), every invite listed with where it
 * is for, and each role offered only where the table allows it.
 */
export function InvitesPanel({
  token,
  programmeId,
  seminarId,
  level = 2,
  changed = 0,
  seminars,
}: {
  token: string;
  programmeId: string;
  seminarId?: string;
  /** The heading's level where the panel sits (the desk has it under its own heading). */
  level?: 2 | 3;
  /** Bumped when an invite was made elsewhere on the page: the list reloads. */
  changed?: number;
  /** The programme's seminars: the panel is the programme's, every role and scope. */
  seminars?: readonly Pick<SeminarSummary, "id" | "number" | "title">[];
}) {
  const { t, i18n } = useTranslation();
  const [role, setRole] = useState<Role | "">("");
  const [days, setDays] = useState("30");
  const [fresh, setFresh] = useState<Invite | null>(null);
  const { busy, error, setError, run } = useAction();
  const [where, setWhere] = useState("");
  const ids = { title: useId(), role: useId(), days: useId(), where: useId() };
  const desk = seminars !== undefined;
  // Where a new invite points: the chosen seminar on the desk, else the panel's own.
  const target = desk ? (where === "" ? undefined : where) : seminarId;
  const me = useAsync(() => api.me(token), [token]);
  const { state, reload } = useAsync(
    () => api.invites(token, programmeId, seminarId),
    [token, programmeId, seminarId, changed],
  );
  const locale = i18n.language === "en" ? "en-GB" : "it-IT";
  const shows = (role: Role) => desk || seminarId !== undefined || CONFERENCE_ROLES.includes(role);
  const roles =
    me.state.status === "ok"
      ? creatableInviteRoles(
          {
            role: me.state.value.role,
            programmeId: me.state.value.programmeId,
            ...(me.state.value.seminarId ? { seminarId: me.state.value.seminarId } : {}),
          },
          { programmeId, seminarId: target ?? null },
        ).filter(shows)
      : [];
  const chosen: Role | undefined = role !== "" && roles.includes(role) ? role : roles[0];
  // The programme's list also has every seminar's invites, and an admin's the staff's: the
  // conference shows its own participants and observers.
  const rows =
    state.status === "ok"
      ? state.value.filter(
          (invite) =>
            desk || seminarId !== undefined || (invite.seminarId === null && shows(invite.role)),
        )
      : [];

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen === undefined) return;
    const value = Number(days);
    if (!Number.isInteger(value) || value < 1 || value > 366)
      return setError(t("invites.daysInvalid"));
    await run(async () => {
      setFresh(
        await api.invite(token, {
          role: chosen,
          programmeId,
          ...(target === undefined ? {} : { seminarId: target }),
          expiresInSeconds: value * DAY,
        }),
      );
      reload();
    }, t("invite.error"));
  };

  const revoke = async (invite: InviteRecord) => {
    const question = desk
      ? t("invites.confirmRevokeOf", { role: t(`roles.${invite.role}`), where: whereOf(invite) })
      : t("invites.confirmRevoke");
    if (!window.confirm(question)) return;
    await run(async () => {
      await api.revokeInvite(token, invite.id);
      if (fresh?.id === invite.id) setFresh(null);
      reload();
    }, t("invites.revokeError"));
  };

  /** Where an invite is for, as the desk's list and its revoke question name it. */
  const whereOf = (invite: Pick<InviteRecord, "role" | "programmeId" | "seminarId">) => {
    if (invite.programmeId === "*") return t("invites.whereAll");
    if (invite.seminarId !== null) {
      const seminar = seminars?.find((s) => s.id === invite.seminarId);
      return seminar ? t("invites.whereSeminar", { number: seminar.number }) : invite.seminarId;
    }
    return CONFERENCE_ROLES.includes(invite.role)
      ? t("invites.whereConference")
      : t("invites.whereProgramme");
  };

  const creator = (invite: InviteRecord) => {
    if (invite.createdBy === null) return t("invites.unknownCreator");
    if (invite.createdBy.id === "admin") return t("invites.byAdmin");
    if (invite.createdBy.name !== "") return invite.createdBy.name;
    return invite.createdBy.id.startsWith("invite:")
      ? t("invites.byLink")
      : t("invites.unknownCreator");
  };

  return (
    <section className="card console-panel" aria-labelledby={ids.title}>
      {level === 2 ? (
        <h2 id={ids.title}>{t("invites.heading")}</h2>
      ) : (
        <h3 id={ids.title} className="small-heading">
          {t("invites.heading")}
        </h3>
      )}
      <p className="hint">{t("invites.intro")}</p>
      {me.state.status === "ok" && roles.length === 0 ? (
        <p className="hint">{t("invites.noRoles")}</p>
      ) : (
        <form className="form-row" onSubmit={(e) => void create(e)}>
          {desk && (
            <div className="field">
              <label htmlFor={ids.where}>{t("invites.where")}</label>
              <select id={ids.where} value={where} onChange={(e) => setWhere(e.target.value)}>
                <option value="">{t("invites.whereProgramme")}</option>
                {seminars.map((s) => (
                  <option key={s.id} value={s.id}>
                    {t("invites.whereSeminarLong", { number: s.number, title: s.title })}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor={ids.role}>{t("invites.role")}</label>
            <select
              id={ids.role}
              value={chosen ?? ""}
              onChange={(e) => setRole(e.target.value as Role)}
            >
              {roles.map((r) => (
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
          <button type="submit" className="btn btn-primary" disabled={busy || chosen === undefined}>
            {t("invites.create")}
          </button>
        </form>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {fresh && <FreshLink invite={fresh} where={desk ? whereOf(fresh) : undefined} />}
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
        (rows.length === 0 ? (
          <p className="empty">
            {desk
              ? t("invites.emptyDesk")
              : seminarId === undefined
                ? t("invites.emptyProgramme")
                : t("invites.empty")}
          </p>
        ) : (
          // On a phone the table scrolls inside its card (reachable by keyboard), not the page.
          <div className="table-scroll" tabIndex={0} role="group" aria-labelledby={ids.title}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t("invites.role")}</th>
                  {desk && <th scope="col">{t("invites.where")}</th>}
                  <th scope="col">{t("invites.createdBy")}</th>
                  <th scope="col">{t("invites.expires")}</th>
                  <th scope="col">{t("invites.joined")}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t("invites.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((invite) => {
                  const revoked = invite.revokedAt !== null;
                  const expired = invite.expiresAt !== null && invite.expiresAt * 1000 < Date.now();
                  return (
                    <tr
                      key={invite.id}
                      data-invite={invite.id}
                      className={revoked || expired ? "row-muted" : ""}
                    >
                      <td>{t(`roles.${invite.role}`)}</td>
                      {desk && <td>{whereOf(invite)}</td>}
                      <td>{creator(invite)}</td>
                      <td>
                        {revoked
                          ? t("invites.revoked")
                          : invite.expiresAt === null
                            ? t("invites.never")
                            : new Date(invite.expiresAt * 1000).toLocaleDateString(locale)}
                        {expired && !revoked && ` (${t("invites.expired")})`}
                      </td>
                      <td>{invite.joined}</td>
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

/** The link this tab just made, with its QR code: shown once, never listed again. */
function FreshLink({ invite, where }: { invite: Invite; where?: string | undefined }) {
  const { t } = useTranslation();
  const id = useId();
  const [copied, setCopied] = useState(false);
  // An admin link opens the admin's sign-in page (what it is, remember or not), not the join form.
  const link =
    invite.role === "admin"
      ? new URL(
          `/admin/accesso?${new URLSearchParams({ token: invite.token }).toString()}`,
          invite.url,
        ).toString()
      : invite.shortUrl;
  const qr = useQrCode(link, 200);
  const role = t(`roles.${invite.role}`);
  return (
    <div className="field conf-link">
      <label htmlFor={id}>{t("invites.freshFor", { role })}</label>
      <input
        id={id}
        className="invite-url"
        readOnly
        value={link}
        onFocus={(e) => e.target.select()}
      />
      <p className="hint">
        {t("invites.freshHint", { role })}
        {where !== undefined && ` ${t("invites.freshWhere", { where })}`}
      </p>
      <div className="form-row">
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            void navigator.clipboard.writeText(link).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {t("invites.copy")}
        </button>
        <span role="status" className="hint">
          {copied ? t("invites.copied") : ""}
        </span>
      </div>
      {qr && (
        <img
          className="invite-qr"
          src={qr}
          alt={t("invites.qrAlt", { role })}
          width={200}
          height={200}
        />
      )}
    </div>
  );
}
