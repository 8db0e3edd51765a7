import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import * as Dialog from "@radix-ui/react-dialog";
import { quoted } from "@percorso/schema";
import { api, type DraftVersion } from "../lib/api.ts";
import { useAsync } from "../lib/useAsync.ts";
import { formatDateTime } from "../i18n.ts";
import { ConfirmDialog } from "./ConfirmDialog.tsx";
import { MarkupView } from "./MarkupView.tsx";
import { RedlineDialog } from "./Redline.tsx";
import { actionFailure } from "./errors.ts";

const MAX_LABEL = 120;

/**
 * Named versions of the draft (issue 9): save the draft as it is under a name, see a version
 * read-only, compare any two (or one with now) as a redline, bring the draft back to a version
 * as a new change. The list is the draft's own `versions` root, live for everyone.
 */
export function VersionsPanel({
  token,
  programmeId,
  versions,
}: {
  token: string;
  programmeId: string;
  /** Newest first. */
  versions: readonly DraftVersion[];
}) {
  const { t, i18n } = useTranslation();
  const [label, setLabel] = useState("");
  const [labelError, setLabelError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const [viewing, setViewing] = useState<DraftVersion | null>(null);
  const [comparing, setComparing] = useState<{ from: string; to: string } | null>(null);
  const [restoring, setRestoring] = useState<DraftVersion | null>(null);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("now");
  const ids = { label: useId(), help: useId(), error: useId(), from: useId(), to: useId() };
  const when = (ms: number) => formatDateTime(ms, i18n.language);
  const byName = (name: string) => (name ? name : t("presence.anonymous"));
  const nameOf = (ref: string) =>
    ref === "now"
      ? t("versions.now")
      : quoted(versions.find((version) => version.id === ref)?.label ?? ref);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = label.trim();
    if (trimmed === "") {
      setLabelError(t("versions.labelRequired"));
      document.getElementById(ids.label)?.focus();
      return;
    }
    setSaving(true);
    setStatus(null);
    try {
      const version = await api.saveVersion(token, programmeId, trimmed);
      setLabel("");
      setStatus({ ok: true, message: t("versions.saved", { label: version.label }) });
    } catch (failure) {
      setStatus({ ok: false, message: actionFailure(t, failure).message });
    } finally {
      setSaving(false);
    }
  };

  const fromRef = from || versions[0]?.id || "";

  return (
    <section className="versions" aria-labelledby="versions-title">
      <h2 id="versions-title" className="panel-heading">
        {t("versions.heading")}
      </h2>
      <form className="version-form" onSubmit={(e) => void save(e)} noValidate>
        <div className="field">
          <label htmlFor={ids.label}>{t("versions.label")}</label>
          <input
            id={ids.label}
            value={label}
            maxLength={MAX_LABEL}
            placeholder={t("versions.placeholder")}
            onChange={(e) => {
              setLabel(e.target.value);
              setLabelError(null);
            }}
            aria-invalid={labelError ? true : undefined}
            aria-describedby={labelError ? `${ids.help} ${ids.error}` : ids.help}
          />
          <p id={ids.help} className="help">
            {t("versions.help")}
          </p>
          {labelError && (
            <p id={ids.error} className="field-error" role="alert">
              {labelError}
            </p>
          )}
        </div>
        <button type="submit" className="btn btn-primary" disabled={saving}>
          {saving ? t("versions.saving") : t("versions.save")}
        </button>
      </form>
      <div role="status">
        {status && (
          <p className={`alert ${status.ok ? "alert-success" : "alert-danger"}`}>
            {status.message}
          </p>
        )}
      </div>

      {versions.length === 0 ? (
        <p className="empty">{t("versions.empty")}</p>
      ) : (
        <>
          <ol className="version-list">
            {versions.map((version) => (
              <li key={version.id} className="version-item" data-version={version.id}>
                <p className="version-line">
                  <strong>{version.label}</strong>
                  <br />
                  <span className="muted">
                    {t("versions.savedBy", { date: when(version.at), name: byName(version.by) })}
                  </span>
                </p>
                <div className="form-row">
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t("versions.viewLabel", { label: version.label })}
                    onClick={() => setViewing(version)}
                  >
                    {t("versions.view")}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-label={t("versions.compareNowLabel", { label: version.label })}
                    onClick={() => setComparing({ from: version.id, to: "now" })}
                  >
                    {t("versions.compareNow")}
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    aria-label={t("versions.restoreLabel", { label: version.label })}
                    onClick={() => setRestoring(version)}
                  >
                    {t("versions.restore")}
                  </button>
                </div>
              </li>
            ))}
          </ol>
          <form
            className="compare-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (fromRef !== to) setComparing({ from: fromRef, to });
            }}
          >
            <h3 className="small-heading">{t("versions.compareHeading")}</h3>
            <div className="form-row">
              <div className="field inline">
                <label htmlFor={ids.from}>{t("versions.from")}</label>
                <select id={ids.from} value={fromRef} onChange={(e) => setFrom(e.target.value)}>
                  {versions.map((version) => (
                    <option key={version.id} value={version.id}>
                      {version.label}
                    </option>
                  ))}
                  <option value="now">{t("versions.now")}</option>
                </select>
              </div>
              <div className="field inline">
                <label htmlFor={ids.to}>{t("versions.to")}</label>
                <select id={ids.to} value={to} onChange={(e) => setTo(e.target.value)}>
                  <option value="now">{t("versions.now")}</option>
                  {versions.map((version) => (
                    <option key={version.id} value={version.id}>
                      {version.label}
                    </option>
                  ))}
                </select>
              </div>
              <button type="submit" className="btn btn-small" disabled={fromRef === to}>
                {t("versions.compare")}
              </button>
            </div>
            {fromRef === to && <p className="hint">{t("versions.compareSame")}</p>}
          </form>
        </>
      )}

      {viewing && (
        <VersionDialog
          token={token}
          programmeId={programmeId}
          version={viewing}
          onClose={() => setViewing(null)}
          onCompare={() => {
            setViewing(null);
            setComparing({ from: viewing.id, to: "now" });
          }}
        />
      )}
      {comparing && (
        <Comparison
          token={token}
          programmeId={programmeId}
          from={comparing.from}
          to={comparing.to}
          title={t("versions.compareTitle", {
            from: nameOf(comparing.from),
            to: nameOf(comparing.to),
          })}
          onClose={() => setComparing(null)}
        />
      )}
      {restoring && (
        <ConfirmDialog
          title={t("versions.restoreTitle", { label: restoring.label })}
          confirmLabel={t("versions.restoreConfirm")}
          busyLabel={t("versions.restoring")}
          safety={t("versions.restoreSafety")}
          onClose={() => setRestoring(null)}
          onConfirm={async (saveFirst) => {
            try {
              if (saveFirst) {
                await api.saveVersion(
                  token,
                  programmeId,
                  t("versions.restoreSafetyLabel", { label: restoring.label }),
                );
              }
              await api.restoreVersion(token, programmeId, restoring.id);
            } catch (failure) {
              throw actionFailure(t, failure);
            }
            setStatus({ ok: true, message: t("versions.restored", { label: restoring.label }) });
            setRestoring(null);
          }}
        >
          <p>
            {t("versions.restoreBody", {
              label: restoring.label,
              date: when(restoring.at),
            })}
          </p>
          <p>{t("versions.restoreUndo")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function VersionDialog({
  token,
  programmeId,
  version,
  onClose,
  onCompare,
}: {
  token: string;
  programmeId: string;
  version: DraftVersion;
  onClose: () => void;
  onCompare: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { state, reload } = useAsync(
    () => api.version(token, programmeId, version.id),
    [token, programmeId, version.id],
  );
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog dialog-wide version-dialog">
          <Dialog.Title>{t("versions.viewTitle", { label: version.label })}</Dialog.Title>
          <Dialog.Description className="muted">
            {t("versions.savedBy", {
              date: formatDateTime(version.at, i18n.language),
              name: version.by ? version.by : t("presence.anonymous"),
            })}{" "}
            · {t("versions.readOnly")}
          </Dialog.Description>
          {state.status === "loading" ? (
            <p role="status">{t("versions.loading")}</p>
          ) : state.status === "error" ? (
            <div className="alert" role="alert">
              <p>{actionFailure(t, state.error).message}</p>
              <button type="button" className="btn" onClick={reload}>
                {t("app.retry")}
              </button>
            </div>
          ) : (
            <div className="card version-card">
              <MarkupView markup={state.value.body.markup} text={state.value.body.text} />
            </div>
          )}
          <div className="form-row end">
            <button type="button" className="btn" onClick={onCompare}>
              {t("versions.compareNow")}
            </button>
            <Dialog.Close className="btn">{t("editor.close")}</Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Comparison({
  token,
  programmeId,
  from,
  to,
  title,
  onClose,
}: {
  token: string;
  programmeId: string;
  from: string;
  to: string;
  title: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { state } = useAsync(
    () => api.compare(token, programmeId, from, to),
    [token, programmeId, from, to],
  );
  return (
    <RedlineDialog
      title={title}
      description={t("versions.compareIntro")}
      state={
        state.status === "ok"
          ? { status: "ok", changes: state.value.changes }
          : { status: state.status }
      }
      onClose={onClose}
    />
  );
}
