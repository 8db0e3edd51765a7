/**
 * The draft's body as the server sends a version of it: the Yjs XML fragment's `toString()`
 * (`<heading level="2">Title</heading><paragraph>Some <bold>text</bold></paragraph>`). Yjs
 * escapes nothing there, so this is not XML a parser would take (an `&` or a `<` in the text
 * breaks it): it is read tolerantly instead — only the tags of the draft's nodes and marks are
 * tags, anything else is text.
 */
export type MarkupNode =
  | { kind: "text"; text: string }
  | { kind: "element"; name: string; attrs: Record<string, string>; children: MarkupNode[] };

/** Node and mark names of the draft's text, lowercased (Yjs lowercases element names). */
const NAMES = [
  "heading",
  "paragraph",
  "bulletlist",
  "orderedlist",
  "listitem",
  "blockquote",
  "table",
  "tablerow",
  "tablecell",
  "tableheader",
  "answerref",
  "hardbreak",
  "horizontalrule",
  "bold",
  "italic",
  "strike",
  "underline",
  "link",
  "code",
];

/**
 * A tag of those names, or a whole footnote: its one attribute, the note's words, may hold
 * quotes and angle brackets Yjs left as they are, so it runs to the `"></footnote>` that ends it.
 */
const TAG = new RegExp(
  `<footnote text="([\\s\\S]*?)"></footnote>|<(/?)(${NAMES.join("|")})((?:\\s+[A-Za-z_][\\w:.-]*="[^"]*")*)\\s*>`,
  "gi",
);
const ATTR = /([A-Za-z_][\w:.-]*)="([^"]*)"/g;

/** Reads the markup into a tree; a closing tag without its opening one is kept as text. */
export function parseMarkup(markup: string): MarkupNode[] {
  const root: MarkupNode & { kind: "element" } = {
    kind: "element",
    name: "",
    attrs: {},
    children: [],
  };
  const stack: (MarkupNode & { kind: "element" })[] = [root];
  const top = () => stack[stack.length - 1]!;
  const text = (value: string) => {
    if (value === "") return;
    const last = top().children.at(-1);
    if (last?.kind === "text") last.text += value;
    else top().children.push({ kind: "text", text: value });
  };
  let index = 0;
  for (const match of markup.matchAll(TAG)) {
    text(markup.slice(index, match.index));
    index = match.index + match[0].length;
    if (match[1] !== undefined) {
      top().children.push({
        kind: "element",
        name: "footnote",
        attrs: { text: match[1] },
        children: [],
      });
      continue;
    }
    const closing = match[2] === "/";
    const name = match[3]!.toLowerCase();
    if (closing) {
      const at = stack.findLastIndex((node, i) => i > 0 && node.name === name);
      if (at < 0) text(match[0]);
      else stack.length = at;
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const [, key, value] of match[4]!.matchAll(ATTR)) attrs[key!] = value!;
    const element: MarkupNode & { kind: "element" } = {
      kind: "element",
      name,
      attrs,
      children: [],
    };
    top().children.push(element);
    stack.push(element);
  }
  text(markup.slice(index));
  return root.children;
}
