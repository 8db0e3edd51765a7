import * as Y from "yjs";
import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, type EditorState } from "@tiptap/pm/state";
import { Decoration, DecorationSet, type EditorView } from "@tiptap/pm/view";
import { ySyncPluginKey, type ProsemirrorBinding } from "@tiptap/y-tiptap";

/**
 * Authorship colours (Etherpad's): every character of a shared text is a Yjs struct stamped with
 * the client id that wrote it, and the server binds client ids to people (DESIGN.md §4.1). This
 * finds the runs of characters per client id in the bound fragment, maps them to ProseMirror
 * positions, and shows them as inline decorations — nothing is written to the document.
 */

type Mapping = ProsemirrorBinding["mapping"];

/**
 * Where a Y.XmlText of the bound fragment starts in the ProseMirror document: the sizes of what
 * comes before it at each level (a text counts its characters, an element its node's size from
 * the binding's mapping), plus one per enclosing element's opening. y-prosemirror's own
 * `relativePositionToAbsolutePosition` refuses text positions ≤ 1 (a caret workaround), which
 * would leave the first heading uncoloured.
 */
function startOf(text: Y.XmlText, fragment: Y.XmlFragment, mapping: Mapping): number | null {
  let pos = 0;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any parent type of the tree (Yjs types its events by type)
  let type: Y.AbstractType<any> = text;
  while (type !== fragment) {
    const item = type._item;
    if (item === null || item.deleted) return null;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
    const parent = item.parent as Y.AbstractType<any>;
    for (let n = parent._start; n !== null && n !== item; n = n.right) {
      if (n.deleted) continue;
      const child = (n.content as Y.ContentType).type;
      if (child instanceof Y.XmlText) {
        pos += child.length;
      } else {
        const node = mapping.get(child);
        if (node === undefined || Array.isArray(node)) return null;
        pos += node.nodeSize;
      }
    }
    if (parent !== fragment) pos += 1; // the enclosing element's opening
    type = parent;
  }
  return pos;
}

/** A stretch of the editor's text written under one Yjs client id. */
export interface AuthorRun {
  from: number;
  to: number;
  clientId: number;
}

const authorshipKey = new PluginKey<DecorationSet>("authorship");

/** Holds the authorship decorations; empty (the default) shows the text as usual. */
export const Authorship = Extension.create({
  name: "authorship",
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key: authorshipKey,
        state: {
          init: () => DecorationSet.empty,
          apply: (tr, set) => {
            const next = tr.getMeta(authorshipKey) as DecorationSet | undefined;
            return next ?? set.map(tr.mapping, tr.doc);
          },
        },
        props: {
          decorations: (state: EditorState) => authorshipKey.getState(state),
        },
      }),
    ];
  },
});

interface SyncState {
  binding?: ProsemirrorBinding;
}

/** The runs of the text now in `view`, by client id, in ProseMirror positions. */
export function authorRuns(view: EditorView): AuthorRun[] {
  const binding = (ySyncPluginKey.getState(view.state) as SyncState | undefined)?.binding;
  if (!binding) return [];
  const { mapping, type: fragment } = binding;
  const size = view.state.doc.content.size;
  const runs: AuthorRun[] = [];

  const visitText = (text: Y.XmlText) => {
    // Offsets inside this text of each run of visible characters from one client.
    const pieces: { start: number; end: number; clientId: number }[] = [];
    let index = 0;
    for (let item = text._start; item !== null; item = item.right) {
      if (item.deleted || !item.countable) continue;
      if (item.content instanceof Y.ContentString) {
        const last = pieces.at(-1);
        if (last && last.clientId === item.id.client && last.end === index) {
          last.end += item.length;
        } else {
          pieces.push({ start: index, end: index + item.length, clientId: item.id.client });
        }
      }
      index += item.length;
    }
    if (pieces.length === 0) return;
    // One Y.XmlText is a contiguous run of ProseMirror text: find where it starts, then offset.
    const start = startOf(text, fragment, mapping);
    if (start === null) return;
    for (const piece of pieces) {
      const from = start + piece.start;
      const to = start + piece.end;
      if (from >= 0 && to <= size && from < to) runs.push({ from, to, clientId: piece.clientId });
    }
  };

  const visit = (parent: Y.XmlFragment | Y.XmlElement) => {
    for (const child of parent.toArray()) {
      if (child instanceof Y.XmlText) visitText(child);
      else if (child instanceof Y.XmlElement) visit(child);
    }
  };
  visit(fragment);
  return runs;
}

export interface AuthorStyle {
  /** A light background colour, readable under the editor's text and links. */
  color: string;
  /** Names the author for tests and styles (`data-author`). */
  key: string;
}

/** Shows `runs` coloured by `styleOf` (runs without a style stay plain); null clears them. */
export function showAuthorship(
  view: EditorView,
  runs: readonly AuthorRun[] | null,
  styleOf: (clientId: number) => AuthorStyle | null,
): void {
  let set = DecorationSet.empty;
  if (runs !== null) {
    const decorations: Decoration[] = [];
    for (const run of runs) {
      const style = styleOf(run.clientId);
      if (!style) continue;
      decorations.push(
        Decoration.inline(run.from, run.to, {
          class: "authored",
          style: `background-color: ${style.color}`,
          "data-author": style.key,
        }),
      );
    }
    set = DecorationSet.create(view.state.doc, decorations);
  }
  view.dispatch(view.state.tr.setMeta(authorshipKey, set).setMeta("addToHistory", false));
}
