import { useId, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import * as Dialog from "@radix-ui/react-dialog";

/**
 * Asks before a click that replaces text. `safety` offers to save a version of the draft first
 * (checked by default), which is what makes the change undoable: the desk's "Annulla" restores
 * that version.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  busyLabel,
  safety,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  /** The label of "save a version first", when it is offered. */
  safety?: string;
  /** Resolves when done (the dialog closes), rejects with the message to show. */
  onConfirm: (saveFirst: boolean) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [saveFirst, setSaveFirst] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const checkId = useId();

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm(safety !== undefined && saveFirst);
    } catch (failure) {
      setBusy(false);
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };

  return (
    <Dialog.Root open onOpenChange={(open) => !open && !busy && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog confirm-dialog">
          <Dialog.Title>{title}</Dialog.Title>
          <Dialog.Description asChild>
            <div className="confirm-body">{children}</div>
          </Dialog.Description>
          {safety !== undefined && (
            <div className="field checkbox">
              <input
                type="checkbox"
                id={checkId}
                checked={saveFirst}
                onChange={(e) => setSaveFirst(e.target.checked)}
              />
              <label htmlFor={checkId}>{safety}</label>
            </div>
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="form-row end">
            <Dialog.Close className="btn" disabled={busy}>
              {t("materials.cancel")}
            </Dialog.Close>
            <button
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => void confirm()}
            >
              {busy ? busyLabel : confirmLabel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
