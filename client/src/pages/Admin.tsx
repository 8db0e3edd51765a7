import { useId, useState, type FormEvent, type ReactNode } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { TOSCANA_2021, isGlobalAdmin } from "@percorso/schema";
import { ApiError, api, type ProgrammeDescription } from "../lib/api.ts";
import { loadIdentity } from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { Notice } from "./NotFound.tsx";

interface SeminarRow {
  title: string;
  date: string;
  facilitators: string;
  questions: string;
}
interface ActivityRow {
  label: string;
  start: string;
  end: string;
  phase: string;
}

const emptySeminar = (): SeminarRow => ({ title: "", date: "", facilitators: "", questions: "" });
const emptyActivity = (): ActivityRow => ({ label: "", start: "", end: "", phase: "" });
const lines = (text: string) =>
  text
    .split(/\n|,/)
    .map((s) => s.trim())
    .filter(Boolean);

/** `/admin`: an admin creates a new programme — facts, phases, seminars, timeline, conference. */
export function Admin() {
  const { t } = useTranslation();
  const identity = loadIdentity();
  const token = identity?.token ?? "";
  const { state } = useAsync(() => api.me(token), [token]);
  if (!token) return <Notice title={t("room.needInvite")} body={t("join.missingBody")} />;
  if (state.status === "loading") return <p role="status">{t("app.loading")}</p>;
  // A new programme is nobody's yet: only a global admin makes one (the server says so too).
  if (
    state.status === "error" ||
    !isGlobalAdmin({ role: state.value.role, programmeId: state.value.programmeId })
  ) {
    return <Notice title={t("admin.forbiddenTitle")} body={t("admin.forbiddenBody")} />;
  }
  return (
    <>
      <ProgrammeDesks />
      <ProgrammeForm token={token} />
    </>
  );
}

/** Every programme's admin desk, one click away, above the form for a new one. */
function ProgrammeDesks() {
  const { t } = useTranslation();
  const { state } = useAsync(() => api.programmes(), []);
  if (state.status !== "ok" || state.value.length === 0) return null;
  return (
    <nav className="card admin-desks" aria-labelledby="admin-desks-title">
      <h2 id="admin-desks-title">{t("adminDesk.programmes")}</h2>
      <ul className="link-list">
        {state.value.map((p) => (
          <li key={p.id}>
            <Link
              to={`/programmi/${encodeURIComponent(p.id)}/admin`}
              aria-label={t("adminDesk.openDeskFor", { title: p.title })}
            >
              {p.title}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function ProgrammeForm({ token }: { token: string }) {
  const { t } = useTranslation();
  const [facts, setFacts] = useState({
    title: "",
    subtitle: "",
    start: "",
    end: "",
    place: "",
    mode: "",
    beneficiaries: "",
    conferenceTitle: "",
    conferenceDate: "",
  });
  const [phases, setPhases] = useState(
    TOSCANA_2021.phases.map((p) => ({ title: p.title, description: p.description })),
  );
  const [seminars, setSeminars] = useState<SeminarRow[]>([emptySeminar()]);
  const [timeline, setTimeline] = useState<ActivityRow[]>([emptyActivity()]);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [created, setCreated] = useState<ProgrammeDescription | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    setErrors({});
    const body = {
      title: facts.title,
      subtitle: facts.subtitle,
      period: { start: facts.start, end: facts.end },
      place: facts.place,
      mode: facts.mode,
      beneficiaries: facts.beneficiaries,
      phases: phases.map((p, i) => ({ number: i + 1, title: p.title, description: p.description })),
      seminars: seminars.map((s, i) => ({
        number: i + 1,
        title: s.title,
        date: s.date,
        facilitators: lines(s.facilitators),
        starterQuestions: s.questions
          .split("\n")
          .map((q) => q.trim())
          .filter(Boolean),
      })),
      timeline: timeline
        .filter((a) => a.label.trim() !== "")
        .map((a) => ({
          label: a.label,
          start: a.start,
          end: a.end,
          ...(a.phase ? { phase: Number(a.phase) } : {}),
        })),
      conference: { title: facts.conferenceTitle, date: facts.conferenceDate },
    };
    try {
      setCreated(await api.createProgramme(token, body));
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        setErrors(error.details);
        setFailure(t("admin.invalid"));
      } else if (error instanceof ApiError && error.status === 409) {
        setFailure(t("admin.conflict"));
      } else {
        setFailure(t("admin.error"));
      }
      document.getElementById("admin-failure")?.focus();
    } finally {
      setBusy(false);
    }
  };

  if (created) {
    return (
      <section className="card narrow" aria-labelledby="admin-done">
        <h1 id="admin-done">{t("admin.created")}</h1>
        <p>{created.title}</p>
        <p>
          <Link className="btn btn-primary" to={`/?programma=${encodeURIComponent(created.id)}`}>
            {t("admin.openProgramme")}
          </Link>{" "}
          <Link className="btn" to={`/programmi/${encodeURIComponent(created.id)}/admin`}>
            {t("adminDesk.openDesk")}
          </Link>
        </p>
      </section>
    );
  }

  const fact = (key: keyof typeof facts, label: string, type = "text", errorKey: string = key) => (
    <Field label={label} errors={errors[errorKey]}>
      {(id, describedBy) => (
        <input
          id={id}
          type={type}
          value={facts[key]}
          aria-describedby={describedBy}
          aria-invalid={errors[errorKey] ? true : undefined}
          onChange={(e) => setFacts({ ...facts, [key]: e.target.value })}
        />
      )}
    </Field>
  );

  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)} noValidate>
      <h1>{t("admin.heading")}</h1>
      <p className="muted">{t("admin.intro")}</p>
      {failure && (
        <div id="admin-failure" className="alert alert-danger" role="alert" tabIndex={-1}>
          <p>{failure}</p>
          {Object.keys(errors).length > 0 && (
            <ul>
              {Object.entries(errors).map(([field, messages]) => (
                <li key={field}>
                  <code>{field}</code>: {messages.join("; ")}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <fieldset className="card">
        <legend>{t("admin.facts")}</legend>
        {fact("title", t("admin.title"))}
        {fact("subtitle", t("admin.subtitle"))}
        <div className="form-grid">
          {fact("start", t("admin.start"), "month", "period.start")}
          {fact("end", t("admin.end"), "month", "period.end")}
        </div>
        {fact("place", t("overview.place"))}
        {fact("mode", t("overview.mode"))}
        {fact("beneficiaries", t("overview.beneficiaries"))}
      </fieldset>

      <fieldset className="card">
        <legend>{t("overview.phases")}</legend>
        {phases.map((phase, index) => (
          <div key={index} className="form-grid">
            <Field
              label={t("admin.phaseTitle", { number: index + 1 })}
              errors={errors[`phases.${index}.title`]}
            >
              {(id, describedBy) => (
                <input
                  id={id}
                  value={phase.title}
                  aria-describedby={describedBy}
                  onChange={(e) =>
                    setPhases(
                      phases.map((p, i) => (i === index ? { ...p, title: e.target.value } : p)),
                    )
                  }
                />
              )}
            </Field>
            <Field label={t("admin.phaseDescription", { number: index + 1 })}>
              {(id) => (
                <textarea
                  id={id}
                  rows={2}
                  value={phase.description}
                  onChange={(e) =>
                    setPhases(
                      phases.map((p, i) =>
                        i === index ? { ...p, description: e.target.value } : p,
                      ),
                    )
                  }
                />
              )}
            </Field>
          </div>
        ))}
      </fieldset>

      <fieldset className="card">
        <legend>{t("overview.seminars")}</legend>
        {seminars.map((seminar, index) => {
          const set = (patch: Partial<SeminarRow>) =>
            setSeminars(seminars.map((s, i) => (i === index ? { ...s, ...patch } : s)));
          return (
            <div key={index} className="admin-row">
              <h2 className="small-heading">{t("room.seminar", { number: index + 1 })}</h2>
              <div className="form-grid">
                <Field
                  label={t("admin.seminarTitle", { number: index + 1 })}
                  errors={errors[`seminars.${index}.title`]}
                >
                  {(id, d) => (
                    <input
                      id={id}
                      value={seminar.title}
                      aria-describedby={d}
                      onChange={(e) => set({ title: e.target.value })}
                    />
                  )}
                </Field>
                <Field
                  label={t("admin.seminarDate", { number: index + 1 })}
                  errors={errors[`seminars.${index}.date`]}
                >
                  {(id, d) => (
                    <input
                      id={id}
                      type="date"
                      value={seminar.date}
                      aria-describedby={d}
                      onChange={(e) => set({ date: e.target.value })}
                    />
                  )}
                </Field>
              </div>
              <Field
                label={t("admin.facilitators", { number: index + 1 })}
                help={t("admin.facilitatorsHelp")}
              >
                {(id, d) => (
                  <input
                    id={id}
                    value={seminar.facilitators}
                    aria-describedby={d}
                    onChange={(e) => set({ facilitators: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label={t("admin.starterQuestions", { number: index + 1 })}
                help={t("admin.starterQuestionsHelp")}
              >
                {(id, d) => (
                  <textarea
                    id={id}
                    rows={3}
                    value={seminar.questions}
                    aria-describedby={d}
                    onChange={(e) => set({ questions: e.target.value })}
                  />
                )}
              </Field>
              {seminars.length > 1 && (
                <button
                  type="button"
                  className="btn btn-small btn-danger"
                  onClick={() => setSeminars(seminars.filter((_, i) => i !== index))}
                >
                  {t("admin.removeSeminar", { number: index + 1 })}
                </button>
              )}
            </div>
          );
        })}
        <button
          type="button"
          className="btn"
          onClick={() => setSeminars([...seminars, emptySeminar()])}
        >
          {t("admin.addSeminar")}
        </button>
      </fieldset>

      <fieldset className="card">
        <legend>{t("overview.timeline")}</legend>
        {timeline.map((activity, index) => {
          const set = (patch: Partial<ActivityRow>) =>
            setTimeline(timeline.map((a, i) => (i === index ? { ...a, ...patch } : a)));
          return (
            <div key={index} className="form-grid admin-row">
              <Field
                label={t("admin.activity", { number: index + 1 })}
                errors={errors[`timeline.${index}.label`]}
              >
                {(id, d) => (
                  <input
                    id={id}
                    value={activity.label}
                    aria-describedby={d}
                    onChange={(e) => set({ label: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label={t("admin.activityStart", { number: index + 1 })}
                errors={errors[`timeline.${index}.start`]}
              >
                {(id, d) => (
                  <input
                    id={id}
                    type="month"
                    value={activity.start}
                    aria-describedby={d}
                    onChange={(e) => set({ start: e.target.value })}
                  />
                )}
              </Field>
              <Field
                label={t("admin.activityEnd", { number: index + 1 })}
                errors={errors[`timeline.${index}.end`]}
              >
                {(id, d) => (
                  <input
                    id={id}
                    type="month"
                    value={activity.end}
                    aria-describedby={d}
                    onChange={(e) => set({ end: e.target.value })}
                  />
                )}
              </Field>
              <Field label={t("admin.activityPhase", { number: index + 1 })}>
                {(id) => (
                  <select
                    id={id}
                    value={activity.phase}
                    onChange={(e) => set({ phase: e.target.value })}
                  >
                    <option value="">—</option>
                    {[1, 2, 3, 4].map((n) => (
                      <option key={n} value={n}>
                        {t("overview.phase", { number: n })}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
          );
        })}
        <button
          type="button"
          className="btn"
          onClick={() => setTimeline([...timeline, emptyActivity()])}
        >
          {t("admin.addActivity")}
        </button>
      </fieldset>

      <fieldset className="card">
        <legend>{t("overview.conference")}</legend>
        <div className="form-grid">
          {fact("conferenceTitle", t("admin.conferenceTitle"), "text", "conference.title")}
          {fact("conferenceDate", t("admin.conferenceDate"), "date", "conference.date")}
        </div>
      </fieldset>
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {busy ? t("admin.creating") : t("admin.create")}
      </button>
    </form>
  );
}

/** A labelled field with optional help and server-side errors, ids wired for assistive tech. */
function Field({
  label,
  help,
  errors,
  children,
}: {
  label: string;
  help?: string;
  errors?: string[] | undefined;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  const describedBy =
    [help ? `${id}-help` : "", errors ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, describedBy)}
      {help && (
        <p id={`${id}-help`} className="help">
          {help}
        </p>
      )}
      {errors && (
        <p id={`${id}-error`} className="field-error">
          {errors.join("; ")}
        </p>
      )}
    </div>
  );
}
