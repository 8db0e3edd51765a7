import { Node, mergeAttributes, type Editor } from "@tiptap/core";
import type { Node as PMNode } from "@tiptap/pm/model";
import { NodeSelection, Plugin, PluginKey } from "@tiptap/pm/state";
import { selectAtomBeside } from "./atomKeys.ts";
import { Decoration, DecorationSet } from "@tiptap/pm/view";
import { FOOTNOTE_NODE, MAX_FOOTNOTE_LENGTH } from "@percorso/schema";

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    footnote: {
      /** Inserts a footnote after the cursor (after the selected words, which stay). */
      insertFootnote: (text: string) => ReturnType;
      /** Gives the footnote at `pos` (the selected one by default) a new text. */
      updateFootnote: (text: string, pos?: number) => ReturnType;
      /** Takes the footnote at `pos` (the selected one by default) out of the text. */
      removeFootnote: (pos?: number) => ReturnType;
    };
  }
}

/** A footnote of the text: where it is, its words, its number in reading order (from 1). */
export interface FootnoteAt {
  pos: number;
  text: string;
  number: number;
}

/**
 * A note's words as stored: one paragraph (runs of white space, new lines included, as one
 * space), at most MAX_FOOTNOTE_LENGTH characters — the server refuses a longer attribute.
 */
export function noteText(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, MAX_FOOTNOTE_LENGTH).trimEnd();
}

const textOf = (node: PMNode): string =>
  typeof node.attrs.text === "string" ? (node.attrs.text as string) : "";

/**
 * Every footnote of `doc`, numbered in reading order. One without words (none is written so,
 * but the shared text might hold one) has number 0 and is not counted: the exports leave it out.
 */
export function footnotesOf(doc: PMNode): FootnoteAt[] {
  const notes: FootnoteAt[] = [];
  let counted = 0;
  doc.descendants((node, pos) => {
    if (node.type.name !== FOOTNOTE_NODE) return;
    const text = textOf(node);
    notes.push({ pos, text, number: text.trim() === "" ? 0 : (counted += 1) });
  });
  return notes;
}

/**
 * The footnote a dialog opened on is at now: still at `pos` if it is a footnote there with the
 * same words, else the one with those words nearest to `pos` (the team's edits moved it), else
 * none (someone removed it, or changed its words meanwhile).
 */
export function findFootnote(doc: PMNode, pos: number, text: string): number | null {
  const here = pos >= 0 && pos < doc.content.size ? doc.nodeAt(pos) : null;
  if (here?.type.name === FOOTNOTE_NODE && textOf(here) === text) return pos;
  let best: number | null = null;
  for (const note of footnotesOf(doc)) {
    if (note.text !== text) continue;
    if (best === null || Math.abs(note.pos - pos) < Math.abs(best - pos)) best = note.pos;
  }
  return best;
}

/** The footnote selected in `editor`, if a footnote is what is selected. */
export function selectedFootnote(editor: Editor): FootnoteAt | null {
  const { selection } = editor.state;
  if (!(selection instanceof NodeSelection)) return null;
  if (selection.node.type.name !== FOOTNOTE_NODE) return null;
  return footnotesOf(editor.state.doc).find((note) => note.pos === selection.from) ?? null;
}

export interface FootnoteOptions {
  /**
   * Opens a footnote to edit (click, or Enter on a selected one): the draft's dialog. Without it
   * (and in a reader's text) a footnote only shows its words.
   */
  onOpen: ((footnote: FootnoteAt) => void) | null;
  /** What a reader of the screen hears: "Nota 2: …". */
  describe: (number: number, text: string) => string;
}

const numbers = new PluginKey<DecorationSet>("footnoteNumbers");

/** Each footnote's number, as a node decoration its view reads (and redraws on when it moves). */
function numbering(doc: PMNode): DecorationSet {
  return DecorationSet.create(
    doc,
    footnotesOf(doc).map((note) =>
      Decoration.node(
        note.pos,
        note.pos + 1,
        { "data-number": String(note.number) },
        { footnoteNumber: note.number },
      ),
    ),
  );
}

const numberIn = (decorations: readonly Decoration[]): number => {
  for (const decoration of decorations) {
    const value = (decoration.spec as { footnoteNumber?: unknown }).footnoteNumber;
    if (typeof value === "number") return value;
  }
  return 0;
};

/**
 * A footnote of the orientation draft: an inline atom whose one attribute is the note's words
 * (stored by y-prosemirror as a `footnote` element with a `text` attribute, see the schema
 * package; the server refuses any other attribute, so this declares exactly that one). The text
 * shows a superscript number, counted in reading order; its words show on hover and focus and
 * are read out with it.
 */
export const Footnote = Node.create<FootnoteOptions>({
  name: FOOTNOTE_NODE,
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,

  addOptions() {
    return { onOpen: null, describe: (number, text) => `${number}: ${text}` };
  },

  addAttributes() {
    return {
      text: {
        default: "",
        parseHTML: (element) => noteText(element.getAttribute("data-text") ?? ""),
        renderHTML: (attrs) => ({ "data-text": attrs.text as string }),
      },
    };
  },

  parseHTML() {
    return [{ tag: "sup[data-footnote]" }];
  },

  renderHTML({ HTMLAttributes }) {
    return ["sup", mergeAttributes(HTMLAttributes, { class: "footnote", "data-footnote": "" })];
  },

  renderText() {
    return "";
  },

  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: numbers,
        state: {
          init: (_, state) => numbering(state.doc),
          apply: (tr, old) => (tr.docChanged ? numbering(tr.doc) : old),
        },
        props: { decorations: (state) => numbers.getState(state) },
      }),
    ];
  },

  addNodeView() {
    const { onOpen, describe } = this.options;
    return ({ node, editor, getPos, decorations }) => {
      const dom = document.createElement("sup");
      dom.className = "footnote";
      dom.dataset.footnote = "";
      const mark = document.createElement("span");
      mark.className = "footnote-number";
      mark.setAttribute("aria-hidden", "true");
      const spoken = document.createElement("span");
      spoken.className = "visually-hidden";
      dom.append(mark, spoken);
      let current = node;
      let number = numberIn(decorations);
      const render = () => {
        const text = textOf(current);
        dom.dataset.text = text;
        mark.textContent = number > 0 ? String(number) : "*";
        spoken.textContent = describe(number, text);
        // A reader has no caret to reach a note with: the note is a stop of the Tab key, its
        // words shown while it has the focus.
        if (!editor.isEditable) dom.tabIndex = 0;
        else dom.removeAttribute("tabindex");
        dom.classList.toggle("footnote-open", editor.isEditable && onOpen !== null);
      };
      render();
      dom.addEventListener("click", () => {
        if (!editor.isEditable || onOpen === null) return;
        const pos = getPos();
        if (typeof pos !== "number") return;
        editor.commands.setNodeSelection(pos);
        onOpen({ pos, text: textOf(current), number });
      });
      return {
        dom,
        update: (updated, decorationsNow) => {
          if (updated.type !== current.type) return false;
          current = updated;
          number = numberIn(decorationsNow);
          render();
          return true;
        },
        ignoreMutation: () => true,
      };
    };
  },

  addKeyboardShortcuts() {
    const { onOpen } = this.options;
    const name = this.name;
    const select = (editor: Editor, dir: 1 | -1) =>
      onOpen !== null && selectAtomBeside(editor, name, dir);
    return {
      ArrowRight: ({ editor }) => select(editor, 1),
      ArrowLeft: ({ editor }) => select(editor, -1),
      // Enter on a selected note opens it, instead of replacing it with a new line.
      Enter: ({ editor }) => {
        if (onOpen === null || !editor.isEditable) return false;
        const selected = selectedFootnote(editor);
        if (!selected) return false;
        onOpen(selected);
        return true;
      },
    };
  },

  addCommands() {
    const at = (pos: number | undefined, doc: PMNode, selection: unknown): number | null => {
      if (pos !== undefined) return doc.nodeAt(pos)?.type.name === FOOTNOTE_NODE ? pos : null;
      return selection instanceof NodeSelection && selection.node.type.name === FOOTNOTE_NODE
        ? selection.from
        : null;
    };
    return {
      insertFootnote:
        (text) =>
        ({ state, chain }) => {
          const words = noteText(text);
          if (words === "") return false;
          return chain()
            .insertContentAt(state.selection.to, { type: this.name, attrs: { text: words } })
            .run();
        },
      updateFootnote:
        (text, pos) =>
        ({ tr, dispatch }) => {
          const words = noteText(text);
          const where = at(pos, tr.doc, tr.selection);
          if (where === null || words === "") return false;
          if (dispatch) tr.setNodeAttribute(where, "text", words);
          return true;
        },
      removeFootnote:
        (pos) =>
        ({ tr, dispatch }) => {
          const where = at(pos, tr.doc, tr.selection);
          if (where === null) return false;
          if (dispatch) tr.delete(where, where + 1);
          return true;
        },
    };
  },
});
