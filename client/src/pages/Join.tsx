import { useEffect, useId, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { ACTOR_KINDS, type ActorKind } from "@percorso/schema";
import { ApiError, api } from "../lib/api.ts";
import { loadIdentity, saveIdentity } from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { Notice } from "./NotFound.tsx";

/**
 * `/join?token=…`: checks the invite, asks for a display name (remembered), the kind of
 * actor represented and whether to answer anonymously, then opens the seminar.
 */
export function Join() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get("token") ?? "";
  const remembered = loadIdentity();
  const [name, setName] = useState(remembered?.name ?? "");
  const [actorKind, setActorKind] = useState<ActorKind>(remembered?.actorKind ?? "ngo");
  const [anonymous, setAnonymous] = useState(remembered?.anonymous ?? false);
  const [error, setError] = useState<string | null>(null);
  const ids = {
    name: useId(),
    nameHelp: useId(),
    error: useId(),
    anonHelp: useId(),
    actor: useId(),
  };
  const { state } = useAsync(() => api.me(token), [token]);
  const projector = params.get("vista") === "proiettore";

  // A projector link (observer, opened from the console) needs no name: straight to the screen.
  useEffect(() => {
    if (!projector || state.status !== "ok" || !state.value.seminarId) return;
    const target = `/seminari/${state.value.seminarId}/screen?${new URLSearchParams({ token }).toString()}`;
    void navigate(target, { replace: true });
  }, [projector, state, token, navigate]);

  if (params.has("invalid")) {
    return <Notice title={t("join.invalidTitle")} body={t("join.invalidBody")} />;
  }
  if (!token) return <Notice title={t("join.missingTitle")} body={t("join.missingBody")} />;
  if (state.status === "loading" || (projector && state.status === "ok")) {
    return <p role="status">{t("join.checking")}</p>;
  }
  const offline =
    state.status === "error" && state.error instanceof ApiError && state.error.status === 0;
  if (state.status === "error" && !offline) {
    return <Notice title={t("join.invalidTitle")} body={t("join.invalidBody")} />;
  }
  const me = state.status === "ok" ? state.value : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === "") {
      setError(t("join.nameRequired"));
      document.getElementById(ids.name)?.focus();
      return;
    }
    saveIdentity({ token, name: name.trim(), actorKind, anonymous });
    const seminarId = me?.seminarId ?? null;
    void navigate(seminarId ? `/seminari/${seminarId}` : "/");
  };

  return (
    <section className="join card narrow" aria-labelledby="join-title">
      <h1 id="join-title">{t("join.heading")}</h1>
      {me && (
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
      )}
      {offline && <p className="alert">{t("join.offline")}</p>}
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={ids.name}>{t("join.name")}</label>
          <input
            id={ids.name}
            name="name"
            autoComplete="name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setError(null);
            }}
            aria-describedby={error ? `${ids.nameHelp} ${ids.error}` : ids.nameHelp}
            aria-invalid={error ? true : undefined}
            required
            maxLength={80}
          />
          <p id={ids.nameHelp} className="help">
            {t("join.nameHelp")}
          </p>
          {error && (
            <p id={ids.error} className="field-error" role="alert">
              {error}
            </p>
          )}
        </div>
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
        <div className="field checkbox">
          <input
            type="checkbox"
            id="join-anonymous"
            checked={anonymous}
            onChange={(e) => setAnonymous(e.target.checked)}
            aria-describedby={ids.anonHelp}
          />
          <label htmlFor="join-anonymous">{t("join.anonymous")}</label>
          <p id={ids.anonHelp} className="help">
            {t("join.anonymousHelp")}
          </p>
        </div>
        <button type="submit" className="btn btn-primary">
          {t("join.submit")}
        </button>
      </form>
    </section>
  );
}
