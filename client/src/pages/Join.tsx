import { useEffect, useId, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { ACTOR_KINDS, doorOf, type ActorKind, type Door } from "@percorso/schema";
import { ApiError, api, type Me, type ProgrammeDescription } from "../lib/api.ts";
import {
  forgetIdentity,
  forgetLegacyIdentity,
  identityForInvite,
  loadIdentity,
  loadLegacyIdentity,
  resumeIdentity,
  saveIdentity,
  type Identity,
} from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { Notice } from "./NotFound.tsx";

const MAX_NAME = 80;

/**
 * `/join?token=…`: checks the invite, then turns it into a person of one's own (DESIGN.md §4.1):
 * a name (optional when answering anonymously), the kind of actor represented, and
 * `POST /api/join` for a personal token kept on this device. Someone who already joined with
 * this invite on this device is welcomed back as the same person, or may join as someone else.
 * Each role has its own door (issue 22, `doorOf`): the page names the programme and the event —
 * the seminar, the drafting desk, the plenary conference — and asks only what that role needs.
 */
export function Join() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get("token") ?? "";
  const { state } = useAsync(() => api.me(token), [token]);
  const projector = params.get("vista") === "proiettore" || params.get("vista") === "plenaria";

  // A projector link (observer, opened from the console or the drafting desk) needs no person:
  // straight to the seminar's screen, or to the plenary's for a programme-wide link.
  useEffect(() => {
    if (!projector || state.status !== "ok") return;
    const query = new URLSearchParams({ token }).toString();
    const target = state.value.seminarId
      ? `/seminari/${state.value.seminarId}/screen?${query}`
      : `/programmi/${encodeURIComponent(state.value.programmeId)}/plenaria?${query}`;
    void navigate(target, { replace: true });
  }, [projector, state, token, navigate]);

  // An old identity whose invite is refused cannot be migrated: let the room stop sending here.
  const refused =
    state.status === "error" && !(state.error instanceof ApiError && state.error.status === 0);
  useEffect(() => {
    if (refused && loadLegacyIdentity()?.token === token) forgetLegacyIdentity();
  }, [refused, token]);

  if (params.has("invalid")) {
    return <Notice title={t("join.invalidTitle")} body={t("join.invalidBody")} />;
  }
  if (!token) return <Notice title={t("join.missingTitle")} body={t("join.missingBody")} />;
  if (state.status === "loading" || (projector && state.status === "ok")) {
    return <p role="status">{t("join.checking")}</p>;
  }
  if (state.status === "error") {
    const offline = state.error instanceof ApiError && state.error.status === 0;
    return offline ? (
      <Notice title={t("join.offlineTitle")} body={t("join.offline")} />
    ) : (
      <Notice title={t("join.invalidTitle")} body={t("join.invalidBody")} />
    );
  }
  // A personal token is not an invite: only the invite link makes people.
  if (state.value.userId !== null) {
    return <Notice title={t("join.invalidTitle")} body={t("join.invalidBody")} />;
  }
  return <JoinInvite key={token} token={token} me={state.value} />;
}

function JoinInvite({ token, me }: { token: string; me: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [someoneElse, setSomeoneElse] = useState(false);
  const stored = identityForInvite(me.inviteId);
  // The person this device joined as with this invite, if the server still takes their token.
  const { state: returning } = useAsync(async (): Promise<Identity | null> => {
    if (!stored) return null;
    try {
      const who = await api.me(stored.token);
      return who.userId === stored.userId ? stored : null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) return stored; // offline: trust it
      if (error instanceof ApiError && error.status === 401) forgetIdentity(stored.inviteId);
      return null;
    }
  }, [stored?.token]);

  // The programme and its seminars, to name the event on the door (offline: the door unnamed).
  const { state: described } = useAsync(
    () => api.programme(me.programmeId).catch(() => null),
    [me.programmeId],
  );
  const programme = described.status === "ok" ? described.value : null;

  // Each lands where their work is: a seminar's facilitator at its console, its other people in
  // its room, the drafting team at the draft, the conference's participants and observers (a
  // programme-wide invite) at the conference, everyone else on the programme.
  const enter = (identity: Identity) => {
    const programme = `/programmi/${encodeURIComponent(identity.programmeId)}`;
    void navigate(
      identity.seminarId
        ? identity.role === "facilitator"
          ? `/seminari/${identity.seminarId}/console`
          : `/seminari/${identity.seminarId}`
        : identity.role === "drafter"
          ? `${programme}/bozza`
          : identity.role === "participant" || identity.role === "observer"
            ? `${programme}/conferenza`
            : "/",
    );
  };

  if (returning.status === "loading" || described.status === "loading") {
    return <p role="status">{t("join.checking")}</p>;
  }
  const person = returning.status === "ok" ? returning.value : null;
  if (person && !someoneElse) {
    return (
      <section className="join card narrow" aria-labelledby="join-title">
        <DoorName me={me} programme={programme} />
        <h1 id="join-title">
          {person.name ? t("join.welcomeBack", { name: person.name }) : t("join.welcomeBackAnon")}
        </h1>
        <p className="muted">
          {t("join.returningAs", { role: t(`roles.${person.role}`) })}
          {person.anonymous ? ` · ${t("join.returningAnonymous")}` : ""}
        </p>
        <div className="form-row">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => enter(resumeIdentity(person.inviteId) ?? person)}
          >
            {t("join.continue")}
          </button>
          <button type="button" className="btn" onClick={() => setSomeoneElse(true)}>
            {person.name ? t("join.notMe", { name: person.name }) : t("join.notMeAnon")}
          </button>
        </div>
      </section>
    );
  }
  return (
    <JoinForm token={token} me={me} programme={programme} fresh={someoneElse} onJoined={enter} />
  );
}

/** The event the invite opens onto, named: "Seminario 2 · Economia circolare", and the like. */
function eventName(door: Door, me: Me, programme: ProgrammeDescription, t: TFunction): string {
  switch (door.event) {
    case "seminar": {
      const seminar = programme.seminars.find((s) => s.id === me.seminarId);
      return seminar
        ? t("join.door.seminarName", { number: seminar.number, title: seminar.title })
        : t("join.door.seminar.heading");
    }
    case "drafting":
      return t("join.door.draftingName");
    case "conference":
      return t("join.door.conferenceName", { title: programme.conference.title });
    case "programme":
      return programme.title;
  }
}

/** The programme and the event above the door's heading (nothing while offline). */
function DoorName({ me, programme }: { me: Me; programme: ProgrammeDescription | null }) {
  const { t } = useTranslation();
  if (!programme) return null;
  const door = doorOf({ role: me.role, ...(me.seminarId ? { seminarId: me.seminarId } : {}) });
  return (
    <div className="join-door">
      <p className="eyebrow">{programme.title}</p>
      {door.event !== "programme" && (
        <p className="join-event" data-event={door.event}>
          {eventName(door, me, programme, t)}
        </p>
      )}
    </div>
  );
}

function JoinForm({
  token,
  me,
  programme,
  fresh,
  onJoined,
}: {
  token: string;
  me: Me;
  /** The programme, to name the event (null offline). */
  programme: ProgrammeDescription | null;
  /** "I am someone else": nothing carried over from the person this device was. */
  fresh: boolean;
  onJoined: (identity: Identity) => void;
}) {
  const { t, i18n } = useTranslation();
  // Prefill from the old app's identity (sent here to become a person) or another person
  // this device joined as (the same human in a second seminar).
  const earlier = fresh ? null : (loadLegacyIdentity() ?? loadIdentity());
  const [name, setName] = useState(earlier?.name ?? "");
  const [actorKind, setActorKind] = useState<ActorKind>(earlier?.actorKind ?? "ngo");
  const door = doorOf({ role: me.role, ...(me.seminarId ? { seminarId: me.seminarId } : {}) });
  // Anonymity is offered where the door says so: a drafter's or facilitator's work is signed.
  const [chosenAnonymous, setAnonymous] = useState(
    door.name === "or-anonymous" && (earlier?.anonymous ?? false),
  );
  const [nameError, setNameError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = {
    name: useId(),
    nameHelp: useId(),
    error: useId(),
    anonHelp: useId(),
    actor: useId(),
  };
  const migrating = !fresh && loadLegacyIdentity() !== null;
  // Only those who take part speak for a kind of actor: a facilitator runs the seminar, and is
  // not counted as what they might represent (the server takes "other").
  const asksActor = door.actorKind;
  // An observer only follows: with no name, they are "anonimo" in presence.
  const anonymous = door.name === "optional" ? name.trim() === "" : chosenAnonymous;
  const nameOptional = door.name === "optional" || anonymous;

  const focusName = () => document.getElementById(ids.name)?.focus();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed === "" && !anonymous) {
      setNameError(t("join.nameRequired"));
      return focusName();
    }
    if (trimmed.length > MAX_NAME) {
      setNameError(t("join.nameTooLong", { max: MAX_NAME }));
      return focusName();
    }
    setBusy(true);
    setFormError(null);
    try {
      onJoined(
        saveIdentity(
          await api.join(token, {
            name: trimmed,
            anonymous,
            ...(asksActor ? { actorKind } : {}),
          }),
        ),
      );
    } catch (error) {
      setBusy(false);
      if (error instanceof ApiError && error.details.name?.length) {
        setNameError(error.details.name.join(" "));
        return focusName();
      }
      const fields = error instanceof ApiError ? Object.values(error.details).flat() : [];
      setFormError(
        error instanceof ApiError && error.status === 0
          ? t("join.offline")
          : error instanceof ApiError && error.status === 401
            ? t("join.invalidBody")
            : fields.length > 0
              ? fields.join(" ")
              : t("join.error"),
      );
    }
  };

  return (
    <section className="join card narrow" aria-labelledby="join-title">
      <DoorName me={me} programme={programme} />
      <h1 id="join-title">{t(`join.door.${door.event}.heading`)}</h1>
      <p className="join-what">
        {t([`join.door.${door.event}.${me.role}`, `join.door.${door.event}.any`])}
      </p>
      <p className="muted">
        {t("join.invitedAs", { role: t(`roles.${me.role}`) })}
        {me.expiresAt
          ? ` · ${t("join.expires", {
              date: new Date(me.expiresAt * 1000).toLocaleString(
                i18n.language === "en" ? "en-GB" : "it-IT",
              ),
            })}`
          : ""}
      </p>
      {migrating && <p className="hint">{t("join.migrate")}</p>}
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.name}>
            {t("join.name")}
            {nameOptional ? ` (${t("join.optional")})` : ""}
          </label>
          <input
            id={ids.name}
            name="name"
            autoComplete="name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setNameError(null);
            }}
            aria-describedby={nameError ? `${ids.nameHelp} ${ids.error}` : ids.nameHelp}
            aria-invalid={nameError ? true : undefined}
            required={!nameOptional}
            maxLength={MAX_NAME}
          />
          <p id={ids.nameHelp} className="help">
            {door.name === "optional"
              ? t("join.nameHelpObserver")
              : anonymous
                ? t("join.nameHelpAnonymous")
                : door.name === "required"
                  ? t("join.nameHelpSigned")
                  : t("join.nameHelp")}
          </p>
          {nameError && (
            <p id={ids.error} className="field-error" role="alert">
              {nameError}
            </p>
          )}
        </div>
        {asksActor && (
          <div className="field">
            <label htmlFor={ids.actor}>{t("actor.label")}</label>
            <select
              id={ids.actor}
              value={actorKind}
              onChange={(e) => setActorKind(e.target.value as ActorKind)}
            >
              {ACTOR_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {t(`actor.${kind}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        {door.name === "or-anonymous" && (
          <div className="field checkbox">
            <input
              type="checkbox"
              id="join-anonymous"
              checked={chosenAnonymous}
              onChange={(e) => {
                setAnonymous(e.target.checked);
                setNameError(null);
              }}
              aria-describedby={ids.anonHelp}
            />
            <label htmlFor="join-anonymous">
              {door.event === "conference" ? t("join.anonymousConference") : t("join.anonymous")}
            </label>
            <p id={ids.anonHelp} className="help">
              {door.event === "conference"
                ? t("join.anonymousConferenceHelp")
                : t("join.anonymousHelp")}
            </p>
          </div>
        )}
        {formError && (
          <p className="alert alert-danger" role="alert">
            {formError}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t("join.joining") : t("join.submit")}
        </button>
      </form>
    </section>
  );
}
