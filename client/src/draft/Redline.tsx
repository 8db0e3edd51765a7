import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import * as Dialog from "@radix-ui/react-dialog";
import type { Change } from "../lib/api.ts";

/**
 * A word-level redline: removed text struck through in red, added text underlined in green —
 * and said in words, in the legend and to screen readers, so colour is never the only cue.
 */
export function Redline({ changes }: { changes: readonly Change[] }) {
  const { t } = useTranslation();
  const removed = changes.filter((change) => change.removed).length;
  const added = changes.filter((change) => change.added).length;
  return (
    <div className="redline">
      <p className="redline-legend">
        <span>
          <del>{t("redline.removedSample")}</del> {t("redline.removedMeaning")}
        </span>
        <span>
          <ins>{t("redline.addedSample")}</ins> {t("redline.addedMeaning")}
        </span>
      </p>
      <p className="muted redline-summary">
        {removed + added === 0
          ? t("redline.none")
          : `${t("redline.removedCount", { count: removed })} · ${t("redline.addedCount", { count: added })}`}
      </p>
      <div className="redline-text" data-testid="redline">
        {changes.map((change, index) =>
          change.removed ? (
            <del key={index}>
              <span className="visually-hidden">[{t("redline.removedStart")} </span>
              {change.value}
              <span className="visually-hidden">]</span>
            </del>
          ) : change.added ? (
            <ins key={index}>
              <span className="visually-hidden">[{t("redline.addedStart")} </span>
              {change.value}
              <span className="visually-hidden">]</span>
            </ins>
          ) : (
            <span key={index}>{change.value}</span>
          ),
        )}
      </div>
    </div>
  );
}

/** A redline in a dialog, with what it compares said above it. */
export function RedlineDialog({
  title,
  description,
  state,
  onClose,
  children,
}: {
  title: string;
  description: string;
  state: { status: "loading" } | { status: "ok"; changes: Change[] } | { status: "error" };
  onClose: () => void;
  /** Actions under the redline. */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog dialog-wide redline-dialog">
          <Dialog.Title>{title}</Dialog.Title>
          <Dialog.Description className="muted">{description}</Dialog.Description>
          {state.status === "loading" ? (
            <p role="status">{t("redline.loading")}</p>
          ) : state.status === "error" ? (
            <p className="alert" role="alert">
              {t("redline.error")}
            </p>
          ) : (
            <Redline changes={state.changes} />
          )}
          <div className="form-row end">
            {children}
            <Dialog.Close className="btn">{t("editor.close")}</Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
