import { useId, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useEditorState, type Editor } from "@tiptap/react";
import * as Dialog from "@radix-ui/react-dialog";

/** One formatting button: its glyph, its name, whether it is on where the cursor is. */
export interface ToolButton {
  key: string;
  label: string;
  /**
   * What the button shows: a glyph of up to three characters, named by `label` (and read as part
   * of the name when it has letters, WCAG 2.5.3), or a word that is the name itself.
   */
  text: string;
  isActive?: (editor: Editor) => boolean;
  /** Shown only while this holds (the table's row and column tools, inside a table). */
  isShown?: (editor: Editor) => boolean;
  run: (editor: Editor) => void;
}

/** The formatting both editors offer: headings of `levels`, marks, lists. */
export function formatButtons(
  t: (key: string) => string,
  headings: readonly { level: 1 | 2 | 3 | 4; label: string }[],
): ToolButton[] {
  const chain = (editor: Editor) => editor.chain().focus();
  return [
    // A heading button shows its word ("Titolo", "Sottotitolo", "Capitolo"): "H2" and "H3"
    // meant nothing to the people who write here, on a phone least of all (issue 22).
    ...headings.map(({ level, label }): ToolButton => ({
      key: `h${level}`,
      label,
      text: label,
      isActive: (e) => e.isActive("heading", { level }),
      run: (e) => chain(e).toggleHeading({ level }).run(),
    })),
    {
      key: "bold",
      label: t("editor.bold"),
      text: "B",
      isActive: (e) => e.isActive("bold"),
      run: (e) => chain(e).toggleBold().run(),
    },
    {
      key: "italic",
      label: t("editor.italic"),
      text: "I",
      isActive: (e) => e.isActive("italic"),
      run: (e) => chain(e).toggleItalic().run(),
    },
    {
      key: "bulletList",
      label: t("editor.bulletList"),
      text: "•",
      isActive: (e) => e.isActive("bulletList"),
      run: (e) => chain(e).toggleBulletList().run(),
    },
    {
      key: "orderedList",
      label: t("editor.orderedList"),
      text: "1.",
      isActive: (e) => e.isActive("orderedList"),
      run: (e) => chain(e).toggleOrderedList().run(),
    },
  ];
}

/**
 * A formatting toolbar: one tab stop, arrow keys move between its buttons (WAI-ARIA toolbar
 * pattern); buttons say whether they are on; `children` adds dialogs (link, citation).
 */
export function Toolbar({
  editor,
  buttons,
  children,
}: {
  editor: Editor;
  buttons: readonly ToolButton[];
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      Object.fromEntries(
        buttons.map((button) => [
          button.key,
          {
            active: button.isActive?.(e) ?? null,
            shown: button.isShown?.(e) ?? true,
          },
        ]),
      ),
  });
  const bar = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    const all = [...(bar.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
    const index = all.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    event.preventDefault();
    const next =
      event.key === "Home"
        ? 0
        : event.key === "End"
          ? all.length - 1
          : (index + (event.key === "ArrowRight" ? 1 : -1) + all.length) % all.length;
    all[next]?.focus();
  };

  return (
    <div
      ref={bar}
      className="toolbar"
      role="toolbar"
      aria-label={t("editor.toolbar")}
      onKeyDown={onKeyDown}
    >
      {buttons.map((button) => {
        const now = state[button.key];
        if (now && !now.shown) return null;
        // A glyph ("B", "•") is named by its label; a word ("Titolo", "Tabella") names itself.
        const glyph = button.text.length <= 3;
        return (
          <button
            key={button.key}
            type="button"
            className={`tool tool-${button.key}${glyph ? "" : " tool-word"}`}
            aria-pressed={now?.active ?? undefined}
            aria-label={
              !glyph
                ? undefined
                : /\w/.test(button.text)
                  ? `${button.label} ${button.text}`
                  : button.label
            }
            title={button.label}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => button.run(editor)}
          >
            {glyph ? <span aria-hidden="true">{button.text}</span> : button.text}
          </button>
        );
      })}
      <LinkDialog editor={editor} />
      {children}
    </div>
  );
}

function LinkDialog({ editor }: { editor: Editor }) {
  const { t } = useTranslation();
  const active = useEditorState({ editor, selector: ({ editor: e }) => e.isActive("link") });
  const [open, setOpen] = useState(false);
  const [href, setHref] = useState("");
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  const onOpenChange = (next: boolean) => {
    if (next) {
      setHref((editor.getAttributes("link").href as string | undefined) ?? "");
      setError(null);
    }
    setOpen(next);
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const value = href.trim();
    if (!/^(https?:\/\/|mailto:)/i.test(value)) return setError(t("editor.linkInvalid"));
    const chain = editor.chain().focus().extendMarkRange("link");
    if (editor.state.selection.empty && !active) {
      chain
        .insertContent({
          type: "text",
          text: value,
          marks: [{ type: "link", attrs: { href: value } }],
        })
        .run();
    } else {
      chain.setLink({ href: value }).run();
    }
    setOpen(false);
  };

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger
        className="tool tool-link"
        data-active={active || undefined}
        onMouseDown={(e) => e.preventDefault()}
      >
        {t("editor.link")}
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content
          className="dialog"
          aria-describedby={undefined}
          onCloseAutoFocus={backToText(editor)}
        >
          <Dialog.Title>{t("editor.link")}</Dialog.Title>
          <form onSubmit={apply} noValidate>
            <div className="field">
              <label htmlFor={inputId}>{t("editor.linkPrompt")}</label>
              <input
                id={inputId}
                type="url"
                inputMode="url"
                placeholder="https://"
                value={href}
                onChange={(e) => setHref(e.target.value)}
                aria-invalid={error ? true : undefined}
              />
            </div>
            {error && (
              <p className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="form-row end">
              {active && (
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    editor.chain().focus().extendMarkRange("link").unsetLink().run();
                    setOpen(false);
                  }}
                >
                  {t("editor.linkRemove")}
                </button>
              )}
              <Dialog.Close className="btn">{t("materials.cancel")}</Dialog.Close>
              <button type="submit" className="btn btn-primary">
                {t("editor.linkApply")}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** A dialog of the toolbar hands the keyboard back to the text, where the writer was. */
export function backToText(editor: Editor) {
  return (event: Event) => {
    event.preventDefault();
    editor.commands.focus();
  };
}
