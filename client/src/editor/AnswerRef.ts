import { Node, mergeAttributes, type Editor } from "@tiptap/core";
import { NodeSelection } from "@tiptap/pm/state";
import { selectAtomBeside } from "./atomKeys.ts";
import { ANSWER_REF_NODE } from "@percorso/schema";

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    answerRef: {
      /** Inserts a citation of a live answer at the cursor. */
      insertAnswerRef: (attrs: {
        answerId: string;
        label: string;
        seminarId?: string | null;
      }) => ReturnType;
    };
  }
}

/** What a citation points to. */
export interface Citation {
  answerId: string;
  /** The seminar of the answer: the roll-up into the draft records it; the room's text may not. */
  seminarId: string | null;
  label: string;
}

export interface AnswerRefOptions {
  /**
   * Opens a citation (click, or Enter on a selected one): the draft shows the cited answer.
   * Without it a citation is only a marked-up label.
   */
  onOpen: ((citation: Citation) => void) | null;
  /** The accessible name of an openable citation ("Citazione: … — apri la risposta"). */
  describe: (label: string) => string;
}

const citationOf = (attrs: Record<string, unknown>): Citation | null =>
  typeof attrs.answerId === "string" && attrs.answerId !== ""
    ? {
        answerId: attrs.answerId,
        seminarId: typeof attrs.seminarId === "string" ? attrs.seminarId : null,
        label: typeof attrs.label === "string" ? attrs.label : "",
      }
    : null;

/**
 * A citation of a live answer inside a rich text: an atom carrying the answer id and, in the
 * orientation draft, the seminar's id (stored by y-prosemirror as an `answerRef` element with
 * those attributes, see the schema package). Every attribute the server writes must be declared
 * here: y-prosemirror drops undeclared ones from the shared text on the next local edit.
 */
export const AnswerRef = Node.create<AnswerRefOptions>({
  name: ANSWER_REF_NODE,
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,

  addOptions() {
    return { onOpen: null, describe: (label) => label };
  },

  addAttributes() {
    return {
      answerId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-answer-id"),
        renderHTML: (attrs) => ({ "data-answer-id": attrs.answerId as string }),
      },
      seminarId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-seminar-id"),
        renderHTML: (attrs) =>
          attrs.seminarId ? { "data-seminar-id": attrs.seminarId as string } : {},
      },
      label: {
        default: "",
        parseHTML: (element) => element.getAttribute("data-label") ?? element.textContent ?? "",
        renderHTML: (attrs) => ({ "data-label": attrs.label as string }),
      },
    };
  },

  parseHTML() {
    return [{ tag: "cite[data-answer-id]" }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return [
      "cite",
      mergeAttributes(HTMLAttributes, { class: "answer-ref" }),
      `«${node.attrs.label as string}»`,
    ];
  },

  renderText({ node }) {
    return `«${node.attrs.label as string}»`;
  },

  addNodeView() {
    const { onOpen, describe } = this.options;
    if (onOpen === null) return null;
    return ({ node, editor }) => {
      const dom = document.createElement("cite");
      dom.className = "answer-ref answer-ref-open";
      let current = node;
      const render = () => {
        const citation = citationOf(current.attrs);
        dom.dataset.answerId = citation?.answerId ?? "";
        if (citation?.seminarId) dom.dataset.seminarId = citation.seminarId;
        dom.textContent = `«${citation?.label ?? ""}»`;
        // A reader has no caret to select a citation with: it is a button of its own.
        // In the writer's text the keyboard selects it with the arrows, then Enter opens it.
        if (!editor.isEditable) {
          dom.setAttribute("role", "button");
          dom.tabIndex = 0;
          dom.setAttribute("aria-label", describe(citation?.label ?? ""));
        } else {
          dom.removeAttribute("role");
          dom.removeAttribute("tabindex");
          dom.removeAttribute("aria-label");
        }
      };
      render();
      const open = () => {
        const citation = citationOf(current.attrs);
        if (citation) onOpen(citation);
      };
      dom.addEventListener("click", open);
      dom.addEventListener("keydown", (event) => {
        if (editor.isEditable || (event.key !== "Enter" && event.key !== " ")) return;
        event.preventDefault();
        open();
      });
      return {
        dom,
        update: (updated) => {
          if (updated.type !== current.type) return false;
          current = updated;
          render();
          return true;
        },
        // The reader's keys on the citation are the citation's, not the text's.
        stopEvent: (event) => !editor.isEditable && event.type === "keydown",
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
      // Enter on a selected citation opens it, instead of replacing it with a new line.
      Enter: ({ editor }) => {
        if (onOpen === null) return false;
        const { selection } = editor.state;
        if (!(selection instanceof NodeSelection)) return false;
        if (selection.node.type.name !== ANSWER_REF_NODE) return false;
        const citation = citationOf(selection.node.attrs);
        if (!citation) return false;
        onOpen(citation);
        return true;
      },
    };
  },

  addCommands() {
    return {
      insertAnswerRef:
        (attrs) =>
        ({ chain }) =>
          chain()
            .insertContent([
              { type: this.name, attrs },
              { type: "text", text: " " },
            ])
            .run(),
    };
  },
});
