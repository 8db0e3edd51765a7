import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type { Editor } from "@tiptap/react";
import * as Dialog from "@radix-ui/react-dialog";
import { MAX_FOOTNOTE_LENGTH } from "@percorso/schema";
import { findFootnote, noteText } from "../editor/Footnote.ts";
import { backToText } from "../editor/Toolbar.tsx";

/** What the footnote dialog is open on: a new note at the cursor, or one of the text. */
export type FootnoteTarget =
  { mode: "insert" } | { mode: "edit"; pos: number; text: string; number: number };

/**
 * Writes a footnote of the draft (issue 9): a new one after the cursor, from the toolbar's
 * "Nota", or the words of one clicked (or selected, then Enter) in the text — which it may also
 * remove. The keyboard stays in the dialog until it closes, then goes back to the text.
 */
export function FootnoteDialog({
  editor,
  target,
  onClose,
}: {
  editor: Editor;
  target: FootnoteTarget;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(target.mode === "edit" ? target.text : "");
  const [error, setError] = useState<string | null>(null);
  const fieldId = useId();
  const countId = useId();
  const errorId = useId();
  const words = noteText(text);

  /** Where the note opened is now (the team may have moved it), or null with the reason shown. */
  const located = (): number | null => {
    if (target.mode !== "edit") return null;
    const pos = findFootnote(editor.state.doc, target.pos, target.text);
    if (pos === null) setError(t("footnote.gone"));
    return pos;
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (words === "") return;
    if (target.mode === "insert") {
      editor.chain().focus().insertFootnote(words).run();
    } else {
      const pos = located();
      if (pos === null) return;
      editor.chain().focus().updateFootnote(words, pos).run();
    }
    onClose();
  };

  const remove = () => {
    const pos = located();
    if (pos === null) return;
    editor.chain().focus().removeFootnote(pos).run();
    onClose();
  };

  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog footnote-dialog" onCloseAutoFocus={backToText(editor)}>
          <Dialog.Title>
            {target.mode === "insert"
              ? t("footnote.insertTitle")
              : t("footnote.editTitle", { number: target.number })}
          </Dialog.Title>
          <Dialog.Description className="muted">
            {target.mode === "insert" ? t("footnote.insertIntro") : t("footnote.editIntro")}
          </Dialog.Description>
          <form onSubmit={submit} noValidate>
            <div className="field">
              <label htmlFor={fieldId}>{t("footnote.field")}</label>
              <textarea
                id={fieldId}
                rows={5}
                value={text}
                maxLength={MAX_FOOTNOTE_LENGTH}
                onChange={(e) => {
                  setText(e.target.value);
                  if (error) setError(null);
                }}
                onKeyDown={(e) => {
                  if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit();
                }}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${countId}${error ? ` ${errorId}` : ""}`}
              />
              <p id={countId} className="help footnote-count">
                {t("footnote.count", { length: text.length, max: MAX_FOOTNOTE_LENGTH })}
              </p>
            </div>
            {error && (
              <p id={errorId} className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="form-row end">
              {target.mode === "edit" && (
                <button type="button" className="btn btn-danger footnote-remove" onClick={remove}>
                  {t("footnote.remove")}
                </button>
              )}
              <Dialog.Close className="btn">{t("footnote.cancel")}</Dialog.Close>
              <button type="submit" className="btn btn-primary" disabled={words === ""}>
                {target.mode === "insert" ? t("footnote.insert") : t("footnote.save")}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
