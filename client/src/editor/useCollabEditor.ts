import { useEffect, useRef } from "react";
import { useEditor, type Editor } from "@tiptap/react";
import type { AnyExtension } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import type { CollabSession, PresenceUser } from "../lib/collab.ts";
import { usePresenceLabel } from "../lib/presence.ts";
import { Authorship } from "./Authorship.ts";

export interface CollabEditorOptions {
  session: CollabSession;
  /** The XML root of the document the editor is bound to. */
  field: string;
  user: PresenceUser;
  canEdit: boolean;
  headingLevels: (1 | 2 | 3 | 4)[];
  /** Nodes beyond the starter kit: citations, tables. */
  extensions: AnyExtension[];
  /** The editable text's accessible name and description (element ids). */
  labelledBy: string;
  describedBy: string;
}

/**
 * A Tiptap editor bound to one XML root of a shared document, as the room's recommendations and
 * the orientation draft both use it: shared-document undo, everyone's caret in their colour and
 * named as the presence list names them, authorship colours on request. Returns the editor once
 * it is usable (null before, and for one React strict mode has already destroyed).
 */
export function useCollabEditor(options: CollabEditorOptions): {
  editor: Editor | null;
  live: Editor | null;
} {
  const { session, field, user, canEdit, headingLevels, extensions } = options;
  // Carets name people as the presence list does: an anonymous one says "anonimo".
  const labelOf = usePresenceLabel();
  const caretLabel = useRef(labelOf);
  caretLabel.current = labelOf;
  const editor = useEditor(
    {
      editable: canEdit,
      shouldRerenderOnTransaction: false,
      extensions: [
        StarterKit.configure({
          undoRedo: false, // Collaboration brings its own shared-document undo
          heading: { levels: headingLevels },
          link: { openOnClick: false, autolink: true, defaultProtocol: "https" },
          codeBlock: false,
          code: false,
          // A reader's editor must never write: an added trailing paragraph would be a write the
          // server refuses (4403), and the reader would be cut off.
          ...(canEdit ? {} : { trailingNode: false }),
        }),
        Collaboration.configure({ document: session.doc, field }),
        CollaborationCaret.configure({
          provider: session.provider,
          user,
          render: (caretUser) => renderCaret(caretUser, caretLabel.current),
        }),
        Authorship,
        ...extensions,
      ],
      editorProps: {
        attributes: {
          class: "editor-text",
          role: "textbox",
          "aria-multiline": "true",
          "aria-labelledby": options.labelledBy,
          "aria-describedby": options.describedBy,
          ...(canEdit ? {} : { "aria-readonly": "true" }),
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

  return { editor, live };
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
