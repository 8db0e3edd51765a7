import { Link, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { isGlobalAdmin } from "@percorso/schema";
import { LoadError } from "./NotFound.tsx";
import { api, seminarRoleOf } from "../lib/api.ts";
import { loadIdentity } from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { formatDate, formatMonth } from "../i18n.ts";
import { Gantt } from "../components/Gantt.tsx";
import { StatusBadge } from "../components/StatusBadge.tsx";

/** `/`: the programme, its seminars with their status, the method's phases, the timeline. */
export function Overview() {
  const { t, i18n } = useTranslation();
  const identity = loadIdentity();
  const [params] = useSearchParams();
  const chosen = params.get("programma");
  const { state, reload } = useAsync(async () => {
    const me = identity?.token ? await api.me(identity.token).catch(() => null) : null;
    const list = await api.programmes();
    const id =
      me?.programmeId && me.programmeId !== "*"
        ? me.programmeId
        : (list.find((p) => p.id === chosen)?.id ?? list[0]?.id);
    return { me, list, programme: id ? await api.programme(id) : null };
  }, [chosen]);

  if (state.status === "loading") return <p role="status">{t("app.loading")}</p>;
  if (state.status === "error") {
    return <LoadError retry={reload} />;
  }
  const { me, list, programme } = state.value;
  if (!programme) return <p>{t("overview.empty")}</p>;
  const lng = i18n.language;
  const roleIn = (seminarId: string) => (me ? seminarRoleOf(me, programme.id, seminarId) : null);
  const canEnter = (seminarId: string) => roleIn(seminarId) !== null;
  const canRun = (seminarId: string) => ["facilitator", "admin"].includes(roleIn(seminarId) ?? "");

  return (
    <article className="overview">
      {/* Every programme, and a new one: a global admin's (a programme's admin has theirs). */}
      {me && isGlobalAdmin({ role: me.role, programmeId: me.programmeId }) && (
        <nav className="admin-bar" aria-label={t("overview.programmes")}>
          {list.length > 1 && (
            <ul className="chips">
              {list.map((p) => (
                <li key={p.id}>
                  <Link
                    className={`chip${p.id === programme.id ? " active" : ""}`}
                    to={`/?programma=${encodeURIComponent(p.id)}`}
                    aria-current={p.id === programme.id ? "page" : undefined}
                  >
                    {p.title}
                  </Link>
                </li>
              ))}
            </ul>
          )}
          <Link className="btn btn-small" to="/admin">
            {t("overview.newProgramme")}
          </Link>
        </nav>
      )}
      <p className="eyebrow">{t("overview.heading")}</p>
      <h1>{programme.title}</h1>
      <p className="lead">{programme.subtitle}</p>
      <dl className="facts">
        <div>
          <dt>{t("overview.period")}</dt>
          <dd>
            {formatMonth(programme.period.start, lng)} – {formatMonth(programme.period.end, lng)}
          </dd>
        </div>
        <div>
          <dt>{t("overview.place")}</dt>
          <dd>{programme.place}</dd>
        </div>
        <div>
          <dt>{t("overview.mode")}</dt>
          <dd>{programme.mode}</dd>
        </div>
        <div>
          <dt>{t("overview.beneficiaries")}</dt>
          <dd>{programme.beneficiaries}</dd>
        </div>
      </dl>
      {me ? (
        <p className="hint">{t("overview.joinedAs", { role: t(`roles.${me.role}`) })}</p>
      ) : (
        <p className="hint">{t("overview.noInvite")}</p>
      )}
      {me?.role === "admin" && (
        <p>
          <Link
            className="btn btn-primary"
            to={`/programmi/${encodeURIComponent(programme.id)}/admin`}
          >
            {t("adminDesk.openDesk")}
          </Link>
        </p>
      )}

      {(me?.role === "drafter" || me?.role === "admin") && (
        <section className="card draft-card" aria-labelledby="draft-title">
          <h2 id="draft-title">{t("overview.draft")}</h2>
          <p>{t("overview.draftIntro")}</p>
          <Link
            className="btn btn-primary"
            to={`/programmi/${encodeURIComponent(programme.id)}/bozza`}
          >
            {t("overview.openDraft")}
          </Link>
        </section>
      )}

      {/* The outcomes are public (issue 22): linked for everyone, the conference for its people. */}
      <section className="card draft-card" aria-labelledby="conference-card-title">
        <h2 id="conference-card-title">{t("overview.conference")}</h2>
        <p>{me ? t("plenary.room.intro") : t("plenary.room.publicIntro")}</p>
        <p className="form-row">
          {me && (
            <Link
              className="btn btn-primary"
              to={`/programmi/${encodeURIComponent(programme.id)}/conferenza`}
            >
              {t("plenary.room.open")}
            </Link>
          )}
          <Link
            className={me ? "btn" : "btn btn-primary"}
            to={`/programmi/${encodeURIComponent(programme.id)}/esito`}
          >
            {t("plenary.room.outcomes")}
          </Link>
        </p>
      </section>

      <section aria-labelledby="seminars-title">
        <h2 id="seminars-title">{t("overview.seminars")}</h2>
        <ol className="seminar-list">
          {programme.seminars.map((seminar) => (
            <li key={seminar.id} className="card seminar-card">
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
              {canEnter(seminar.id) && (
                <div className="seminar-actions">
                  <Link
                    className="btn btn-primary"
                    to={`/seminari/${seminar.id}`}
                    aria-label={t("overview.enterSeminar", {
                      number: seminar.number,
                      title: seminar.title,
                    })}
                  >
                    {t("overview.enter")}
                  </Link>
                  {canRun(seminar.id) && (
                    <Link
                      className="btn"
                      to={`/seminari/${seminar.id}/console`}
                      aria-label={t("overview.consoleFor", {
                        number: seminar.number,
                        title: seminar.title,
                      })}
                    >
                      {t("overview.console")}
                    </Link>
                  )}
                </div>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="phases-title">
        <h2 id="phases-title">{t("overview.phases")}</h2>
        <ol className="phase-list">
          {programme.phases.map((phase) => (
            <li key={phase.number} className={`card phase-card phase-${phase.number}`}>
              <p className="eyebrow">{t("overview.phase", { number: phase.number })}</p>
              <h3>{phase.title}</h3>
              <p>{phase.description}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("overview.timeline")}</h2>
        <Gantt period={programme.period} activities={programme.timeline} />
        <p className="muted">
          {t("overview.conference")}: {programme.conference.title},{" "}
          <time dateTime={programme.conference.date}>
            {formatDate(programme.conference.date, lng)}
          </time>
        </p>
      </section>
    </article>
  );
}
