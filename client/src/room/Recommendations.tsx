import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { EditorContent, type Editor } from "@tiptap/react";
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
import { AnswerRef } from "../editor/AnswerRef.ts";
import { CitationGuard, CitationGuardPrompt, HeldEdits } from "../editor/CitationGuard.tsx";
import { AuthorsOption } from "../editor/useAuthorship.tsx";
import { Toolbar, backToText, formatButtons } from "../editor/Toolbar.tsx";
import { useCollabEditor } from "../editor/useCollabEditor.ts";

const FIELD = "recommendations" satisfies SeminarRoot;

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
  seminarId,
}: {
  session: CollabSession;
  /** For `GET …/authors`, who each client id of the text is. */
  token: string;
  documentName: string;
  user: PresenceUser;
  canEdit: boolean;
  seminarId: string;
}) {
  const { t } = useTranslation();
  const status = useCollabStatus(session);
  const labelId = useId();
  const introId = useId();
  // Typing over a citation (or deleting it) asks first: the held edit waits in `held`.
  const [held] = useState(() => new HeldEdits());
  const [extensions] = useState(() => [AnswerRef, CitationGuard.configure({ held })]);
  const { editor, live } = useCollabEditor({
    session,
    field: FIELD,
    user,
    canEdit,
    headingLevels: [2, 3],
    extensions,
    labelledBy: labelId,
    describedBy: introId,
  });
  const buttons = useMemo(
    () =>
      formatButtons(t, [
        { level: 2, label: t("editor.heading") },
        { level: 3, label: t("editor.subheading") },
      ]),
    [t],
  );
  const loading = !status?.synced && !status?.localLoaded;

  return (
    <section className="recommendations" aria-labelledby={labelId}>
      <h2 id={labelId}>{t("editor.label")}</h2>
      <p id={introId} className="muted">
        {t("editor.intro")}
      </p>
      <AuthorsOption
        editor={live}
        session={session}
        token={token}
        documentName={documentName}
        field={FIELD}
      />
      {editor && canEdit && (
        <Toolbar editor={editor} buttons={buttons}>
          <CiteDialog editor={editor} session={session} seminarId={seminarId} />
        </Toolbar>
      )}
      {!canEdit && <p className="hint">{t("editor.readOnly")}</p>}
      {loading && (
        <p role="status" className="hint">
          {t("editor.loading")}
        </p>
      )}
      {canEdit && <CitationGuardPrompt editor={live} held={held} />}
      <div className="editor card" aria-busy={loading}>
        <EditorContent editor={editor} />
      </div>
    </section>
  );
}

function CiteDialog({
  editor,
  session,
  seminarId,
}: {
  editor: Editor;
  session: CollabSession;
  seminarId: string;
}) {
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
                                seminarId,
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
