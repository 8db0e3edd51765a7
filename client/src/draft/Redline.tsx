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
      <RedlineLegend />
      <p className="muted redline-summary">
        {removed + added === 0
          ? t("redline.none")
          : `${t("redline.removedCount", { count: removed })} · ${t("redline.addedCount", { count: added })}`}
      </p>
      <div className="redline-text" data-testid="redline">
        <RedlineChanges changes={changes} />
      </div>
    </div>
  );
}

/** The legend of a redline: the colours said in words. `className` adds a page's own look. */
export function RedlineLegend({ className }: { className?: string }) {
  const { t } = useTranslation();
  return (
    <p className={className ? `redline-legend ${className}` : "redline-legend"}>
      <span>
        <del>{t("redline.removedSample")}</del> {t("redline.removedMeaning")}
      </span>
      <span>
        <ins>{t("redline.addedSample")}</ins> {t("redline.addedMeaning")}
      </span>
    </p>
  );
}

/**
 * The changes of a redline, in the element the caller puts them in: removed struck through,
 * added underlined, and where each begins and ends said to screen readers.
 */
export function RedlineChanges({ changes }: { changes: readonly Change[] }) {
  const { t } = useTranslation();
  return changes.map((change, index) =>
    change.skipped !== undefined ? (
      // Unchanged paragraphs left out of a version comparison (issue 22): said, not shown.
      <span key={index} className="redline-skip">
        {t("redline.skipped", { count: change.skipped })}
      </span>
    ) : change.removed ? (
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
