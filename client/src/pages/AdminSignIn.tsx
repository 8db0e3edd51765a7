import { useId, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { isGlobalAdmin } from "@percorso/schema";
import { ApiError, api, type Me } from "../lib/api.ts";
import {
  forgetIdentity,
  identityForInvite,
  resumeIdentity,
  saveIdentity,
  type Identity,
} from "../lib/identity.ts";
import { useAsync } from "../lib/useAsync.ts";
import { Notice } from "./NotFound.tsx";

const MAX_NAME = 80;

/**
 * The token in what an admin pasted: the link printed at start-up (or any `…?token=` link),
 * else the text itself (the value of ADMIN_TOKEN).
 */
function tokenIn(text: string): string {
  const trimmed = text.trim();
  try {
    return new URL(trimmed).searchParams.get("token") ?? trimmed;
  } catch {
    return trimmed;
  }
}

/**
 * `/admin/accesso?token=…`: the admin link's own page. Says what the link is, asks the name the
 * admin's acts are signed with and whether to remember the sign-in on this device (or in this
 * tab only), makes the admin a person (`POST /api/join`, as any invite) and lands on the
 * programme's admin desk. Without a token in the address it asks for the link or ADMIN_TOKEN.
 */
export function AdminSignIn() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [pasted, setPasted] = useState<string | null>(null);
  const token = pasted ?? params.get("token") ?? "";
  const { state } = useAsync(() => (token ? api.me(token) : Promise.resolve(null)), [token]);

  if (!token) return <TokenForm onToken={setPasted} />;
  if (state.status === "loading") return <p role="status">{t("join.checking")}</p>;
  if (state.status === "error") {
    const offline = state.error instanceof ApiError && state.error.status === 0;
    return offline ? (
      <Notice title={t("join.offlineTitle")} body={t("join.offline")} />
    ) : (
      <Notice title={t("signIn.notAdminTitle")} body={t("signIn.notAdminBody")} />
    );
  }
  const me = state.value;
  // Only an admin link, used directly (a personal token is already someone).
  if (me === null || me.role !== "admin" || me.userId !== null) {
    return <Notice title={t("signIn.notAdminTitle")} body={t("signIn.notAdminBody")} />;
  }
  return <SignIn key={token} token={token} me={me} />;
}

function TokenForm({ onToken }: { onToken: (token: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const ids = { title: useId(), input: useId(), help: useId() };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const token = tokenIn(text);
    if (token) onToken(token);
  };
  return (
    <section className="join card narrow" aria-labelledby={ids.title}>
      <h1 id={ids.title}>{t("signIn.title")}</h1>
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.input}>{t("signIn.tokenLabel")}</label>
          <input
            id={ids.input}
            type="password"
            autoComplete="off"
            value={text}
            onChange={(e) => setText(e.target.value)}
            aria-describedby={ids.help}
            required
          />
          <p id={ids.help} className="help">
            {t("signIn.tokenHelp")}
          </p>
        </div>
        <button type="submit" className="btn btn-primary">
          {t("signIn.check")}
        </button>
      </form>
    </section>
  );
}

/** Where an admin works: their programme's desk, the only one's, or the list of programmes. */
async function deskOf(identity: Identity): Promise<string> {
  const desk = (programmeId: string) => `/programmi/${encodeURIComponent(programmeId)}/admin`;
  if (!isGlobalAdmin({ role: identity.role, programmeId: identity.programmeId })) {
    return desk(identity.programmeId);
  }
  const programmes = await api.programmes().catch(() => []);
  return programmes.length === 1 ? desk(programmes[0]!.id) : "/admin";
}

function SignIn({ token, me }: { token: string; me: Me }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [someoneElse, setSomeoneElse] = useState(false);
  const [name, setName] = useState("");
  const [remember, setRemember] = useState(true);
  const [nameError, setNameError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = {
    title: useId(),
    name: useId(),
    nameHelp: useId(),
    nameError: useId(),
    remember: useId(),
    rememberHelp: useId(),
  };
  const stored = identityForInvite(me.inviteId);
  // The admin this device already signed in as with this link, if the server still takes it.
  const { state: returning } = useAsync(async (): Promise<Identity | null> => {
    if (!stored) return null;
    try {
      const who = await api.me(stored.token);
      return who.userId === stored.userId ? stored : null;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) forgetIdentity(stored.inviteId);
      return null;
    }
  }, [stored?.token]);
  const programme = useAsync(
    () => (me.programmeId === "*" ? Promise.resolve(null) : api.programme(me.programmeId)),
    [me.programmeId],
  );

  const enter = async (identity: Identity) => {
    void navigate(await deskOf(identity), { replace: true });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === "") {
      setNameError(t("signIn.nameRequired"));
      document.getElementById(ids.name)?.focus();
      return;
    }
    setBusy(true);
    setFormError(null);
    try {
      const joined = await api.join(token, { name: name.trim() });
      await enter(saveIdentity(joined, { remember }));
    } catch {
      setFormError(t("signIn.error"));
      setBusy(false);
    }
  };

  if (returning.status === "loading") return <p role="status">{t("join.checking")}</p>;
  const person = returning.status === "ok" ? returning.value : null;
  const reach =
    programme.state.status === "ok" && programme.state.value
      ? t("signIn.reachProgramme", { title: programme.state.value.title })
      : t("signIn.reachAll");

  if (person && !someoneElse) {
    return (
      <section className="join card narrow" aria-labelledby={ids.title}>
        <h1 id={ids.title}>{t("signIn.title")}</h1>
        <p>{t("signIn.welcomeBack", { name: person.name })}</p>
        <div className="form-row">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void enter(resumeIdentity(person.inviteId) ?? person)}
          >
            {t("signIn.goToDesk")}
          </button>
          <button type="button" className="btn" onClick={() => setSomeoneElse(true)}>
            {t("signIn.someoneElse")}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="join card narrow" aria-labelledby={ids.title}>
      <h1 id={ids.title}>{t("signIn.title")}</h1>
      <p>{t("signIn.intro", { reach })}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.name}>{t("signIn.name")}</label>
          <input
            id={ids.name}
            name="name"
            autoComplete="name"
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setNameError(null);
            }}
            aria-describedby={nameError ? `${ids.nameHelp} ${ids.nameError}` : ids.nameHelp}
            aria-invalid={nameError ? true : undefined}
            required
            maxLength={MAX_NAME}
          />
          <p id={ids.nameHelp} className="help">
            {t("signIn.nameHelp")}
          </p>
          {nameError && (
            <p id={ids.nameError} className="field-error" role="alert">
              {nameError}
            </p>
          )}
        </div>
        <div className="field checkbox">
          <input
            type="checkbox"
            id={ids.remember}
            checked={remember}
            onChange={(e) => setRemember(e.target.checked)}
            aria-describedby={ids.rememberHelp}
          />
          <label htmlFor={ids.remember}>{t("signIn.remember")}</label>
          <p id={ids.rememberHelp} className="help">
            {t("signIn.rememberHelp")}
          </p>
        </div>
        {formError && (
          <p className="alert alert-danger" role="alert">
            {formError}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? t("signIn.signingIn") : t("signIn.submit")}
        </button>
      </form>
    </section>
  );
}
