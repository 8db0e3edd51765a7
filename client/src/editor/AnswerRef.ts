import { Node, mergeAttributes } from "@tiptap/core";
import { ANSWER_REF_NODE } from "@percorso/schema";

declare module "@tiptap/core" {
  interface Commands<ReturnType> {
    answerRef: {
      /** Inserts a citation of a live answer at the cursor. */
      insertAnswerRef: (attrs: { answerId: string; label: string }) => ReturnType;
    };
  }
}

/**
 * A citation of a live answer inside the recommendation text: an atom carrying the answer id
 * (stored by y-prosemirror as an `answerRef` element, see the schema package).
 */
export const AnswerRef = Node.create({
  name: ANSWER_REF_NODE,
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,

  addAttributes() {
    return {
      answerId: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-answer-id"),
        renderHTML: (attrs) => ({ "data-answer-id": attrs.answerId as string }),
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
