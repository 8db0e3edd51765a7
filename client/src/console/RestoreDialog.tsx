import { useState } from "react";
import { useTranslation } from "react-i18next";
import * as Dialog from "@radix-ui/react-dialog";
import type { SeminarRoot } from "@percorso/schema";
import { api } from "../lib/api.ts";
import { useAsync } from "../lib/useAsync.ts";

/**
 * The admin's "restore to this moment": a preview of the document as it was at `at` (questions,
 * answers, the recommendations as plain paragraphs) beside what it holds now, a warning, and
 * only then `POST …/restore`. The restore is a new change: the history keeps both.
 */
export function RestoreDialog({
  token,
  documentName,
  at,
  label,
  current,
  onClose,
  onRestored,
}: {
  token: string;
  documentName: string;
  at: number;
  /** Which run the moment ends: "Anna Rossi · 10:02–10:05". */
  label: string;
  current: { questions: number; answers: number };
  onClose: () => void;
  onRestored: (at: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const { state, reload } = useAsync(
    () => api.documentState(token, documentName, at),
    [token, documentName, at],
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(false);
  const when = new Date(at).toLocaleString(i18n.language === "en" ? "en-GB" : "it-IT");

  const confirm = async () => {
    setBusy(true);
    setError(false);
    try {
      await api.restore(token, documentName, at);
      onRestored(at);
    } catch {
      setBusy(false);
      setError(true);
    }
  };

  const preview = state.status === "ok" ? state.value : null;
  const count = (root: SeminarRoot) => {
    const value = preview?.roots[root];
    return Array.isArray(value) ? value.length : 0;
  };
  const paragraphs = (preview?.text["recommendations" satisfies SeminarRoot] ?? []).filter(
    (line) => line.trim() !== "",
  );

  return (
    <Dialog.Root open onOpenChange={(open) => !open && !busy && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog dialog-wide restore-dialog">
          <Dialog.Title>{t("history.restoreTitle", { time: when })}</Dialog.Title>
          <Dialog.Description className="muted">{label}</Dialog.Description>
          {state.status === "loading" ? (
            <p role="status">{t("history.previewLoading")}</p>
          ) : state.status === "error" ? (
            <div className="alert" role="alert">
              <p>{t("history.previewError")}</p>
              <button type="button" className="btn" onClick={reload}>
                {t("app.retry")}
              </button>
            </div>
          ) : (
            <>
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">{t("history.what")}</th>
                    <th scope="col">{t("history.then")}</th>
                    <th scope="col">{t("history.now")}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">{t("history.questions")}</th>
                    <td data-testid="preview-questions">{count("questions")}</td>
                    <td>{current.questions}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t("history.answers")}</th>
                    <td data-testid="preview-answers">{count("answers")}</td>
                    <td>{current.answers}</td>
                  </tr>
                </tbody>
              </table>
              <h3>{t("history.recommendations")}</h3>
              {paragraphs.length === 0 ? (
                <p className="empty">{t("history.noText")}</p>
              ) : (
                <div className="restore-text">
                  {paragraphs.map((line, index) => (
                    <p key={index}>{line}</p>
                  ))}
                </div>
              )}
              <p className="alert alert-warning">{t("history.restoreWarning", { time: when })}</p>
            </>
          )}
          {error && (
            <p className="field-error" role="alert">
              {t("history.restoreError")}
            </p>
          )}
          <div className="form-row end">
            <Dialog.Close className="btn" disabled={busy}>
              {t("materials.cancel")}
            </Dialog.Close>
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy || state.status !== "ok"}
              onClick={() => void confirm()}
            >
              {busy ? t("history.restoring") : t("history.restoreConfirm")}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
