import {
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from "react";
import { useTranslation } from "react-i18next";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import * as Dialog from "@radix-ui/react-dialog";
import {
  citationLabel,
  listQuestions,
  listVisibleAnswers,
  seminarRoots,
  type SeminarRoot,
} from "@percorso/schema";
import type { CollabSession, PresenceUser } from "../lib/collab.ts";
import { useCollabStatus, useYRead } from "../lib/useY.ts";
import { usePresenceLabel } from "../lib/presence.ts";
import { AnswerRef } from "../editor/AnswerRef.ts";
import { Authorship } from "../editor/Authorship.ts";
import { AuthorsLegend, useAuthorship } from "../editor/useAuthorship.tsx";

/**
 * The seminar's recommendation text, co-edited live: Tiptap bound to the `recommendations`
 * fragment, everyone's caret in their colour, basic marks, and citations of live answers.
 */
export function Recommendations({
  session,
  token,
  documentName,
  user,
  canEdit,
}: {
  session: CollabSession;
  /** For `GET …/authors`, who each client id of the text is. */
  token: string;
  documentName: string;
  user: PresenceUser;
  canEdit: boolean;
}) {
  const { t } = useTranslation();
  const status = useCollabStatus(session);
  const labelId = useId();
  const introId = useId();
  // Carets name people as the presence list does: an anonymous one says "anonimo".
  const labelOf = usePresenceLabel();
  const caretLabel = useRef(labelOf);
  caretLabel.current = labelOf;
  const [showAuthors, setShowAuthors] = useState(false);
  const legendId = useId();
  const editor = useEditor(
    {
      editable: canEdit,
      shouldRerenderOnTransaction: false,
      extensions: [
        StarterKit.configure({
          undoRedo: false, // Collaboration brings its own shared-document undo
          heading: { levels: [2, 3] },
          link: { openOnClick: false, autolink: true, defaultProtocol: "https" },
          codeBlock: false,
          code: false,
        }),
        Collaboration.configure({
          document: session.doc,
          field: "recommendations" satisfies SeminarRoot,
        }),
        CollaborationCaret.configure({
          provider: session.provider,
          user,
          render: (caretUser) => renderCaret(caretUser, caretLabel.current),
        }),
        AnswerRef,
        Authorship,
      ],
      editorProps: {
        attributes: {
          class: "editor-text",
          role: "textbox",
          "aria-multiline": "true",
          "aria-labelledby": labelId,
          "aria-describedby": introId,
        },
      },
    },
    [session],
  );

  // React's strict mode may hand an effect an editor it already destroyed: leave that one be.
  const live = editor && !editor.isDestroyed && editor.isInitialized ? editor : null;
  useEffect(() => {
    if (live && live.isEditable !== canEdit) live.setEditable(canEdit);
  }, [live, canEdit]);

  useEffect(() => {
    live?.commands.updateUser({ ...user });
  }, [live, user]);

  const loading = !status?.synced && !status?.localLoaded;
  const legend = useAuthorship(live, session, token, documentName, showAuthors);

  return (
    <section className="recommendations" aria-labelledby={labelId}>
      <h2 id={labelId}>{t("editor.label")}</h2>
      <p id={introId} className="muted">
        {t("editor.intro")}
      </p>
      <div className="editor-options">
        <button
          type="button"
          className="btn btn-small authors-toggle"
          aria-pressed={showAuthors}
          aria-controls={legendId}
          onClick={() => setShowAuthors((on) => !on)}
        >
          {t("editor.authors")}
        </button>
        <div id={legendId} className="authors-legend-slot">
          {showAuthors && <AuthorsLegend legend={legend} />}
        </div>
      </div>
      {editor && canEdit && <Toolbar editor={editor} session={session} />}
      {!canEdit && <p className="hint">{t("editor.readOnly")}</p>}
      {loading && (
        <p role="status" className="hint">
          {t("editor.loading")}
        </p>
      )}
      <div className="editor card" aria-busy={loading}>
        <EditorContent editor={editor} />
      </div>
    </section>
  );
}

/** A remote caret: a coloured bar and the person's label (as CollaborationCaret draws it). */
function renderCaret(
  user: Record<string, unknown>,
  labelOf: (user: { name: string; actorKind?: string }) => string,
): HTMLElement {
  const color = typeof user.color === "string" ? user.color : "#5c6f82";
  const caret = document.createElement("span");
  caret.classList.add("collaboration-carets__caret");
  caret.style.borderColor = color;
  const label = document.createElement("div");
  label.classList.add("collaboration-carets__label");
  label.style.backgroundColor = color;
  label.textContent = labelOf({
    name: typeof user.name === "string" ? user.name : "",
    ...(typeof user.actorKind === "string" ? { actorKind: user.actorKind } : {}),
  });
  caret.append(label);
  return caret;
}

function Toolbar({ editor, session }: { editor: Editor; session: CollabSession }) {
  const { t } = useTranslation();
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      bold: e.isActive("bold"),
      italic: e.isActive("italic"),
      bulletList: e.isActive("bulletList"),
      orderedList: e.isActive("orderedList"),
      link: e.isActive("link"),
    }),
  });
  const bar = useRef<HTMLDivElement>(null);

  // A toolbar is one tab stop; arrow keys move between its buttons (WAI-ARIA toolbar pattern).
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) return;
    const buttons = [...(bar.current?.querySelectorAll<HTMLButtonElement>("button") ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (index < 0) return;
    event.preventDefault();
    const next =
      event.key === "Home"
        ? 0
        : event.key === "End"
          ? buttons.length - 1
          : (index + (event.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length;
    buttons[next]?.focus();
  };

  const chain = () => editor.chain().focus();
  const buttons: { key: keyof typeof active; label: string; text: string; run: () => void }[] = [
    {
      key: "h2",
      label: t("editor.heading"),
      text: "H2",
      run: () => chain().toggleHeading({ level: 2 }).run(),
    },
    {
      key: "h3",
      label: t("editor.subheading"),
      text: "H3",
      run: () => chain().toggleHeading({ level: 3 }).run(),
    },
    { key: "bold", label: t("editor.bold"), text: "B", run: () => chain().toggleBold().run() },
    {
      key: "italic",
      label: t("editor.italic"),
      text: "I",
      run: () => chain().toggleItalic().run(),
    },
    {
      key: "bulletList",
      label: t("editor.bulletList"),
      text: "•",
      run: () => chain().toggleBulletList().run(),
    },
    {
      key: "orderedList",
      label: t("editor.orderedList"),
      text: "1.",
      run: () => chain().toggleOrderedList().run(),
    },
  ];

  return (
    <div
      ref={bar}
      className="toolbar"
      role="toolbar"
      aria-label={t("editor.toolbar")}
      onKeyDown={onKeyDown}
    >
      {buttons.map((button) => (
        <button
          key={button.key}
          type="button"
          className={`tool tool-${button.key}`}
          aria-pressed={active[button.key]}
          // The accessible name contains the visible glyph (WCAG 2.5.3) when it is a word.
          aria-label={/\w/.test(button.text) ? `${button.label} ${button.text}` : button.label}
          title={button.label}
          onMouseDown={(e) => e.preventDefault()}
          onClick={button.run}
        >
          <span aria-hidden="true">{button.text}</span>
        </button>
      ))}
      <LinkDialog editor={editor} active={active.link} />
      <CiteDialog editor={editor} session={session} />
    </div>
  );
}

function LinkDialog({ editor, active }: { editor: Editor; active: boolean }) {
  const { t } = useTranslation();
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
function backToText(editor: Editor) {
  return (event: Event) => {
    event.preventDefault();
    editor.commands.focus();
  };
}

function CiteDialog({ editor, session }: { editor: Editor; session: CollabSession }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const doc = session.doc;
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const questions = useYRead(roots.questions, () =>
    listQuestions(doc).filter((q) => q.state !== "draft"),
  );
  const groups = useYRead(
    [roots.answers, roots.moderation],
    () =>
      questions
        .map((question) => ({ question, answers: listVisibleAnswers(doc, question.id, "votes") }))
        .filter((group) => group.answers.length > 0),
    [questions],
  );

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger className="tool tool-cite" onMouseDown={(e) => e.preventDefault()}>
        {t("editor.cite")}
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog dialog-wide" onCloseAutoFocus={backToText(editor)}>
          <Dialog.Title>{t("editor.citeTitle")}</Dialog.Title>
          <Dialog.Description className="muted">{t("editor.citeIntro")}</Dialog.Description>
          {groups.length === 0 ? (
            <p className="empty">{t("editor.citeEmpty")}</p>
          ) : (
            <div className="cite-groups">
              {groups.map(({ question, answers }) => (
                <section key={question.id} aria-label={question.text}>
                  <h3 className="cite-question">{question.text}</h3>
                  <ul className="cite-list">
                    {answers.map((answer) => (
                      <li key={answer.id}>
                        <span className="cite-text">{answer.text}</span>
                        {answer.author && <span className="muted"> — {answer.author}</span>}
                        <button
                          type="button"
                          className="btn btn-small"
                          aria-label={`${t("editor.citeInsert")}: ${citationLabel(answer.text, null)}`}
                          onClick={() => {
                            editor
                              .chain()
                              .focus()
                              .insertAnswerRef({
                                answerId: answer.id,
                                label: citationLabel(answer.text, answer.author || null),
                              })
                              .run();
                            setOpen(false);
                          }}
                        >
                          {t("editor.citeInsert")}
                        </button>
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
            </div>
          )}
          <div className="form-row end">
            <Dialog.Close className="btn">{t("editor.close")}</Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
