import { useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { Extension, type Editor } from "@tiptap/core";
import type { Node as ProseMirrorNode } from "@tiptap/pm/model";
import { Plugin, Selection, type EditorState, type Transaction } from "@tiptap/pm/state";
import { Mapping, type Step } from "@tiptap/pm/transform";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { ANSWER_REF_NODE } from "@percorso/schema";

/**
 * A citation of an answer is the link from the text to what the room said: typing over a
 * selection that holds one, a Backspace next to it, a cut — any edit of one's own that would
 * take a citation out of the text is held and asked about first (`CitationGuardPrompt`), and
 * done only once confirmed. Others' edits and undo/redo (through the shared document) pass.
 */
export interface HeldEdit {
  /** The edit, as it was asked for. */
  steps: readonly Step[];
  /** What happened to the text since (others' edits): the held steps are mapped over it. */
  since: Mapping;
  /** How many citations it would take out. */
  removed: number;
}

/** The one held edit of an editor, for the prompt to show and settle. */
export class HeldEdits {
  private held: HeldEdit | null = null;
  private readonly listeners = new Set<() => void>();

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly current = () => this.held;

  hold(edit: HeldEdit | null): void {
    this.held = edit;
    for (const listener of this.listeners) listener();
  }
}

const CONFIRMED = "citationGuardConfirmed";

function citationCount(doc: ProseMirrorNode): number {
  let count = 0;
  doc.descendants((node) => {
    if (node.type.name === ANSWER_REF_NODE) count += 1;
    return !node.isInline; // citations are inline: no need to look inside text
  });
  return count;
}

/** From the shared document (someone else's edit, an undo): not this person's typing. */
const fromSharedDocument = (tr: Transaction) =>
  Boolean((tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin);

export const CitationGuard = Extension.create<{ held: HeldEdits }>({
  name: "citationGuard",

  addOptions() {
    return { held: new HeldEdits() };
  },

  addProseMirrorPlugins() {
    const { held } = this.options;
    return [
      new Plugin({
        filterTransaction: (tr: Transaction, state: EditorState) => {
          if (!tr.docChanged || tr.getMeta(CONFIRMED) === true || fromSharedDocument(tr)) {
            return true;
          }
          const removed = citationCount(state.doc) - citationCount(tr.doc);
          if (removed <= 0) return true;
          held.hold({ steps: [...tr.steps], since: new Mapping(), removed });
          return false;
        },
        // While an edit is held, what others change is remembered, to map it over.
        appendTransaction: (transactions) => {
          const edit = held.current();
          if (edit)
            for (const tr of transactions) if (tr.docChanged) edit.since.appendMapping(tr.mapping);
          return null;
        },
      }),
    ];
  },
});

/** Applies a held edit (its steps mapped over what changed since), confirmed. */
function applyHeld(editor: Editor, edit: HeldEdit): void {
  const tr = editor.state.tr.setMeta(CONFIRMED, true);
  for (const step of edit.steps) {
    const mapped = step.map(edit.since);
    if (mapped) tr.maybeStep(mapped);
  }
  if (tr.docChanged) editor.view.dispatch(tr.scrollIntoView());
}

/**
 * The question a held edit asks, above the text: take the citation out (the edit is done), or
 * keep it (nothing changes, and the caret goes to the end of what was selected, so the next
 * key does not ask again). Focus goes back to the text either way, at once: a focus restored
 * later would bring back a selection the person has since left.
 */
export function CitationGuardPrompt({ editor, held }: { editor: Editor | null; held: HeldEdits }) {
  const { t } = useTranslation();
  const edit = useSyncExternalStore(held.subscribe, held.current);
  if (!edit || !editor) return null;
  const settle = (confirm: boolean) => {
    held.hold(null);
    if (confirm) applyHeld(editor, edit);
    else {
      const { state } = editor;
      const end = Selection.near(state.doc.resolve(state.selection.to), -1);
      editor.view.dispatch(state.tr.setSelection(end));
    }
    editor.view.focus();
  };
  return (
    <div className="alert citation-guard" role="alert">
      <p>{t("editor.citationGuard", { count: edit.removed })}</p>
      <div className="form-row">
        <button type="button" className="btn btn-small btn-danger" onClick={() => settle(true)}>
          {t("editor.citationRemove", { count: edit.removed })}
        </button>
        <button type="button" className="btn btn-small btn-primary" onClick={() => settle(false)}>
          {t("editor.citationKeep", { count: edit.removed })}
        </button>
      </div>
    </div>
  );
}
