import type { Editor } from "@tiptap/core";
import { TextSelection } from "@tiptap/pm/state";

/**
 * The arrows stop on an inline atom (a citation, a footnote) next to the caret and select it:
 * Chrome moves the caret over an uneditable inline node by itself, never selecting it.
 * Returns whether it did (the key is then the atom's).
 */
export function selectAtomBeside(editor: Editor, name: string, dir: 1 | -1): boolean {
  const { selection } = editor.state;
  if (!(selection instanceof TextSelection) || !selection.empty) return false;
  const { $head } = selection;
  const node = dir > 0 ? $head.nodeAfter : $head.nodeBefore;
  if (node?.type.name !== name) return false;
  return editor.commands.setNodeSelection(dir > 0 ? $head.pos : $head.pos - node.nodeSize);
}
