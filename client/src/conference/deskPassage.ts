import type { Editor } from "@tiptap/react";
import {
  relativePositionToAbsolutePosition,
  ySyncPluginKey,
  type ProsemirrorBinding,
} from "@tiptap/y-tiptap";
import { decodePosition } from "./passages.ts";

/**
 * Puts the desk's editor on a suggestion's or comment's passage (to edit it by hand when a
 * suggestion no longer applies): its relative positions mapped through the editor's Yjs
 * binding to ProseMirror positions, selected and scrolled to. False when it cannot be found.
 */
export function selectPassageInEditor(editor: Editor, anchor: string, head: string): boolean {
  const binding = (
    ySyncPluginKey.getState(editor.state) as { binding?: ProsemirrorBinding } | undefined
  )?.binding;
  const start = decodePosition(anchor);
  const end = decodePosition(head);
  if (!binding || !start || !end) return false;
  const at = (position: typeof start) =>
    relativePositionToAbsolutePosition(binding.doc, binding.type, position, binding.mapping);
  const from = at(start);
  const to = at(end);
  if (from === null || to === null || from >= to) return false;
  editor.chain().focus().setTextSelection({ from, to }).scrollIntoView().run();
  return true;
}
