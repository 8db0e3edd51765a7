import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { EditorContent, type Editor } from "@tiptap/react";
import { TableKit } from "@tiptap/extension-table";
import type { DraftRoot } from "@percorso/schema";
import type { CollabSession, PresenceUser } from "../lib/collab.ts";
import { useCollabStatus } from "../lib/useY.ts";
import { AnswerRef, type Citation } from "../editor/AnswerRef.ts";
import { Footnote } from "../editor/Footnote.ts";
import { AuthorsOption } from "../editor/useAuthorship.tsx";
import { Toolbar, formatButtons, type ToolButton } from "../editor/Toolbar.tsx";
import { useCollabEditor } from "../editor/useCollabEditor.ts";
import { FootnoteDialog, type FootnoteTarget } from "./FootnoteDialog.tsx";

export const BODY = "body" satisfies DraftRoot;

/**
 * The orientation draft's text, co-edited by the drafting team: Tiptap bound to the draft's
 * `body`, with everyone's caret, headings 1–4, lists, tables, links, and the citations the
 * roll-up brought from the seminars — each opens the answer it cites — and footnotes, numbered
 * in reading order, written in a dialog ("Nota", or a click on one). Readers see it read-only.
 */
export function DraftEditor({
  session,
  token,
  documentName,
  user,
  canEdit,
  onOpenCitation,
  onEditor,
}: {
  session: CollabSession;
  token: string;
  documentName: string;
  user: PresenceUser;
  canEdit: boolean;
  onOpenCitation: (citation: Citation) => void;
  /** Hands the live editor up (the table of contents jumps in it). */
  onEditor: (editor: Editor | null) => void;
}) {
  const { t } = useTranslation();
  const status = useCollabStatus(session);
  const labelId = useId();
  const introId = useId();
  const open = useRef(onOpenCitation);
  open.current = onOpenCitation;
  const [footnote, setFootnote] = useState<FootnoteTarget | null>(null);
  const [extensions] = useState(() => [
    AnswerRef.configure({
      onOpen: (citation) => open.current(citation),
      describe: (label) => t("citation.open", { label }),
    }),
    Footnote.configure({
      onOpen: (note) => setFootnote({ mode: "edit", ...note }),
      describe: (number, text) => t("footnote.label", { number, text }),
    }),
    TableKit.configure({ table: { resizable: false } }),
  ]);
  const { editor, live } = useCollabEditor({
    session,
    field: BODY,
    user,
    canEdit,
    headingLevels: [1, 2, 3, 4],
    extensions,
    labelledBy: labelId,
    describedBy: introId,
  });

  useEffect(() => {
    onEditor(live);
    return () => onEditor(null);
  }, [live, onEditor]);

  const buttons = useMemo(() => draftButtons(t), [t]);
  const loading = !status?.synced && !status?.localLoaded;

  return (
    <section className="draft-editor" aria-labelledby={labelId}>
      <h2 id={labelId} className="visually-hidden">
        {t("desk.editorLabel")}
      </h2>
      <p id={introId} className="muted draft-intro">
        {canEdit ? t("desk.editorIntro") : t("desk.editorIntroReader")}
      </p>
      <AuthorsOption
        editor={live}
        session={session}
        token={token}
        documentName={documentName}
        field={BODY}
      />
      {editor && canEdit && (
        <Toolbar editor={editor} buttons={buttons}>
          <button
            type="button"
            className="tool tool-footnote tool-word"
            aria-label={t("footnote.insertLabel")}
            aria-haspopup="dialog"
            title={t("footnote.insertLabel")}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => setFootnote({ mode: "insert" })}
          >
            {t("footnote.button")}
          </button>
        </Toolbar>
      )}
      {editor && canEdit && footnote && (
        <FootnoteDialog editor={editor} target={footnote} onClose={() => setFootnote(null)} />
      )}
      {loading && (
        <p role="status" className="hint">
          {t("editor.loading")}
        </p>
      )}
      <div className="editor card draft-text" aria-busy={loading}>
        <EditorContent editor={editor} />
      </div>
    </section>
  );
}

function draftButtons(t: (key: string) => string): ToolButton[] {
  const inTable = (editor: Editor) => editor.isActive("table");
  const chain = (editor: Editor) => editor.chain().focus();
  return [
    ...formatButtons(t, [
      { level: 1, label: t("desk.h1") },
      { level: 2, label: t("desk.h2") },
      { level: 3, label: t("desk.h3") },
      { level: 4, label: t("desk.h4") },
    ]),
    {
      key: "table",
      label: t("desk.tableInsert"),
      text: t("desk.table"),
      isShown: (e) => !inTable(e),
      run: (e) => chain(e).insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run(),
    },
    {
      key: "rowAfter",
      label: t("desk.rowAfter"),
      text: t("desk.row"),
      isShown: inTable,
      run: (e) => chain(e).addRowAfter().run(),
    },
    {
      key: "columnAfter",
      label: t("desk.columnAfter"),
      text: t("desk.column"),
      isShown: inTable,
      run: (e) => chain(e).addColumnAfter().run(),
    },
    {
      key: "rowDelete",
      label: t("desk.rowDelete"),
      text: t("desk.rowMinus"),
      isShown: inTable,
      run: (e) => chain(e).deleteRow().run(),
    },
    {
      key: "columnDelete",
      label: t("desk.columnDelete"),
      text: t("desk.columnMinus"),
      isShown: inTable,
      run: (e) => chain(e).deleteColumn().run(),
    },
    {
      key: "tableDelete",
      label: t("desk.tableDelete"),
      text: t("desk.tableMinus"),
      isShown: inTable,
      run: (e) => chain(e).deleteTable().run(),
    },
  ];
}
