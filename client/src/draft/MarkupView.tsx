import type { JSX, ReactNode } from "react";
import { parseMarkup, type MarkupNode } from "./markup.ts";

/** HTML elements for the draft's nodes and marks; others show their content only. */
const TAGS: Record<string, keyof JSX.IntrinsicElements> = {
  paragraph: "p",
  bulletlist: "ul",
  orderedlist: "ol",
  listitem: "li",
  blockquote: "blockquote",
  table: "table",
  tablerow: "tr",
  tablecell: "td",
  tableheader: "th",
  bold: "strong",
  italic: "em",
  strike: "s",
  underline: "u",
  code: "code",
};

/** `notes` counts the footnotes drawn so far: each is numbered in reading order. */
function render(
  nodes: readonly MarkupNode[],
  keyPrefix: string,
  notes: { count: number },
): ReactNode[] {
  return nodes.map((node, index) => {
    const key = `${keyPrefix}${index}`;
    if (node.kind === "text") return node.text;
    const children = render(node.children, `${key}.`, notes);
    switch (node.name) {
      case "heading": {
        const level = Math.min(6, Math.max(1, Number(node.attrs.level) || 2));
        const Heading = `h${level}` as "h1";
        return <Heading key={key}>{children}</Heading>;
      }
      case "answerref":
        return (
          <cite key={key} className="answer-ref">
            «{node.attrs.label ?? ""}»
          </cite>
        );
      case "footnote": {
        const text = (node.attrs.text ?? "").trim();
        if (text === "") return null;
        notes.count += 1;
        return (
          <sup key={key} className="footnote" data-text={text} title={text}>
            <span className="footnote-number">{notes.count}</span>
          </sup>
        );
      }
      case "hardbreak":
        return <br key={key} />;
      case "horizontalrule":
        return <hr key={key} />;
      case "link": {
        const href = node.attrs.href ?? "";
        return /^(https?:\/\/|mailto:)/i.test(href) ? (
          <a key={key} href={href} rel="noopener noreferrer" target="_blank">
            {children}
          </a>
        ) : (
          <span key={key}>{children}</span>
        );
      }
      case "table":
        return (
          <table key={key}>
            <tbody>{children}</tbody>
          </table>
        );
      default: {
        const Tag = TAGS[node.name] ?? "span";
        return <Tag key={key}>{children}</Tag>;
      }
    }
  });
}

/**
 * A version of the draft drawn read-only from its markup; when the markup cannot be read,
 * its plain text, one paragraph per block.
 */
export function MarkupView({ markup, text }: { markup: string; text: readonly string[] }) {
  const nodes = parseMarkup(markup);
  const readable = nodes.some((node) => node.kind === "element");
  return (
    <div className="version-text editor-text">
      {readable
        ? render(nodes, "", { count: 0 })
        : text.filter((line) => line.trim() !== "").map((line, i) => <p key={i}>{line}</p>)}
    </div>
  );
}
