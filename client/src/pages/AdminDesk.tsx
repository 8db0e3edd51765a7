import { useId } from "react";
import { Link, useParams } from "react-router";
import { useTranslation } from "react-i18next";
import { isGlobalAdmin } from "@percorso/schema";
import { ApiError, api } from "../lib/api.ts";
import { loadAdminIdentity } from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { formatDate } from "../i18n.ts";
import { InvitesPanel } from "../console/InvitesPanel.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";
import { LoadError, Notice } from "./NotFound.tsx";

/**
 * `/programmi/:programmeId/admin`: the admin's desk — the whole programme one click away (each
 * seminar's state, room and console; the drafting desk, the conference, Esito) and its people:
 * every role's invites, programme-wide or per seminar, through the same invites panel the
 * console and the drafting desk use, offering only what the schema's staff table allows.
 */
export function AdminDesk() {
  const { t, i18n } = useTranslation();
  const { programmeId = "" } = useParams();
  const identity = loadAdminIdentity(programmeId);
  const token = identity?.token ?? "";
  const ids = { seminars: useId(), plenary: useId(), people: useId() };
  const { state, reload } = useAsync(async () => {
    // Who the server says this is (a revoked admin link is refused here, not on first click).
    const me = token ? await api.me(token) : null;
    const programme = await api.programme(programmeId);
    return { me, programme };
  }, [token, programmeId]);

  const forbidden = (
    <Notice title={t("adminDesk.forbiddenTitle")} body={t("adminDesk.forbiddenBody")}>
      <p>
        <Link className="btn btn-primary" to="/admin/accesso">
          {t("adminDesk.signInLink")}
        </Link>
      </p>
    </Notice>
  );
  if (!token) return forbidden;
  if (state.status === "loading") return <p role="status">{t("app.loading")}</p>;
  if (state.status === "error") {
    const error = state.error;
    if (error instanceof ApiError && error.status === 404) {
      return <Notice title={t("notFound.title")} body={t("notFound.body")} />;
    }
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      return forbidden;
    }
    return <LoadError retry={reload} />;
  }
  const { me, programme } = state.value;
  const isAdmin =
    me !== null &&
    me.role === "admin" &&
    (me.programmeId === programme.id ||
      isGlobalAdmin({ role: me.role, programmeId: me.programmeId }));
  if (!isAdmin) return forbidden;
  const base = `/programmi/${encodeURIComponent(programme.id)}`;
  const lng = i18n.language;

  return (
    <article className="admin-desk">
      <p className="eyebrow">{t("adminDesk.eyebrow")}</p>
      <h1>{programme.title}</h1>
      <p className="lead">{t("adminDesk.intro")}</p>

      <section aria-labelledby={ids.seminars}>
        <h2 id={ids.seminars}>{t("adminDesk.seminars")}</h2>
        <ol className="seminar-list">
          {programme.seminars.map((seminar) => (
            <li key={seminar.id} className="card seminar-card" data-seminar={seminar.id}>
              <span className="seminar-number" aria-hidden="true">
                {seminar.number}
              </span>
              <div className="seminar-body">
                <h3>{seminar.title}</h3>
                <p className="muted">
                  <time dateTime={seminar.date}>{formatDate(seminar.date, lng)}</time>{" "}
                  <StatusBadge status={seminar.status} />
                </p>
              </div>
              <div className="seminar-actions">
                <Link
                  className="btn btn-primary"
                  to={`/seminari/${seminar.id}`}
                  aria-label={t("adminDesk.roomFor", {
                    number: seminar.number,
                    title: seminar.title,
                  })}
                >
                  {t("adminDesk.room")}
                </Link>
                <Link
                  className="btn"
                  to={`/seminari/${seminar.id}/console`}
                  aria-label={t("adminDesk.consoleFor", {
                    number: seminar.number,
                    title: seminar.title,
                  })}
                >
                  {t("adminDesk.console")}
                </Link>
              </div>
            </li>
          ))}
        </ol>
      </section>

      <section className="card draft-card" aria-labelledby={ids.plenary}>
        <h2 id={ids.plenary}>{t("adminDesk.plenary")}</h2>
        <p className="muted">
          {programme.conference.title},{" "}
          <time dateTime={programme.conference.date}>
            {formatDate(programme.conference.date, lng)}
          </time>
        </p>
        <p className="form-row">
          <Link className="btn btn-primary" to={`${base}/bozza`}>
            {t("adminDesk.draft")}
          </Link>
          <Link className="btn" to={`${base}/conferenza`}>
            {t("adminDesk.conference")}
          </Link>
          <Link className="btn" to={`${base}/esito`}>
            {t("adminDesk.outcomes")}
          </Link>
        </p>
      </section>

      <section aria-labelledby={ids.people}>
        <h2 id={ids.people}>{t("adminDesk.people")}</h2>
        <p className="hint">{t("adminDesk.peopleIntro")}</p>
        <InvitesPanel
          token={token}
          programmeId={programme.id}
          level={3}
          seminars={programme.seminars}
        />
      </section>
    </article>
  );
}
