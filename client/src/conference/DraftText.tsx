import { createContext, useContext, useId, useState, type JSX, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import * as Y from "yjs";
import { ANSWER_REF_NODE, FOOTNOTE_NODE, isSafeHref } from "@percorso/schema";
import type { Citation } from "../editor/AnswerRef.ts";
import { footnoteText, numberFootnotes } from "./footnotes.ts";

/**
 * The draft drawn read-only straight from its Yjs body, for the conference: no editor to load
 * on a phone, and every text run (one Y.XmlText) is an element of its own (`data-run`), so a
 * selection in the page maps back to characters of the shared text, and commented passages are
 * marked where their relative positions resolve now. Footnotes are numbered in reading order
 * within what is drawn (a chapter: its heading and blocks), each a button that shows its words.
 */

/** A marked stretch of one run: the passage of some comments or suggestions. */
export interface Highlight {
  from: number;
  to: number;
  kind: "comment" | "suggestion";
  /** The items it belongs to. */
  ids: string[];
  /** The item the reader has open: marked more strongly. */
  active: boolean;
}

/** Gives each text run of the page an id of its own, and finds the run again from it. */
export class RunRegistry {
  private readonly ids = new WeakMap<Y.XmlText, string>();
  private readonly runs = new Map<string, Y.XmlText>();
  private next = 0;

  idOf(text: Y.XmlText): string {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = `r${(this.next += 1)}`;
      this.ids.set(text, id);
      this.runs.set(id, text);
    }
    return id;
  }

  runOf(id: string): Y.XmlText | undefined {
    return this.runs.get(id);
  }
}

export interface DraftTextSettings {
  registry: RunRegistry;
  highlights: ReadonlyMap<Y.XmlText, readonly Highlight[]>;
  onCitation: (citation: Citation) => void;
  /** A marked passage was clicked: the items it belongs to. */
  onPassage: (kind: Highlight["kind"], ids: readonly string[]) => void;
}

const Settings = createContext<DraftTextSettings | null>(null);
export const DraftTextProvider = Settings.Provider;

function useSettings(): DraftTextSettings {
  const settings = useContext(Settings);
  if (!settings) throw new Error("DraftText outside DraftTextProvider");
  return settings;
}

/** y-prosemirror keeps overlapping marks as `<name>--<hash>`. */
const markName = (key: string) => key.replace(/--[A-Za-z0-9+/=]{1,16}$/, "");

interface Piece {
  text: string;
  attributes: Record<string, unknown>;
}

function piecesOf(text: Y.XmlText): Piece[] {
  return (text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[])
    .filter(
      (part): part is { insert: string; attributes?: Record<string, unknown> } =>
        typeof part.insert === "string",
    )
    .map((part) => ({ text: part.insert, attributes: part.attributes ?? {} }));
}

function withMarks(content: ReactNode, attributes: Record<string, unknown>, key: string) {
  let node = content;
  const marks = Object.entries(attributes).map(([name, value]) => [markName(name), value] as const);
  for (const [name, value] of marks) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "bold") node = <strong>{node}</strong>;
    else if (name === "italic") node = <em>{node}</em>;
    else if (name === "underline") node = <u>{node}</u>;
    else if (name === "strike") node = <s>{node}</s>;
  }
  const link = marks.find(([name]) => name === "link")?.[1] as { href?: unknown } | undefined;
  if (link && isSafeHref(link.href)) {
    node = (
      <a href={link.href} target="_blank" rel="noopener noreferrer">
        {node}
      </a>
    );
  }
  return <span key={key}>{node}</span>;
}

/** One text run: its characters, formatted, with the marked passages over them. */
function Run({ text }: { text: Y.XmlText }) {
  const { registry, highlights, onPassage } = useSettings();
  const pieces = piecesOf(text);
  const marks = highlights.get(text) ?? [];
  const cuts = new Set<number>([0]);
  let length = 0;
  for (const piece of pieces) cuts.add((length += piece.text.length));
  for (const mark of marks) {
    cuts.add(Math.max(0, Math.min(length, mark.from)));
    cuts.add(Math.max(0, Math.min(length, mark.to)));
  }
  const bounds = [...cuts].sort((a, b) => a - b);
  const segments: ReactNode[] = [];
  let pieceIndex = 0;
  let pieceStart = 0;
  for (let i = 0; i + 1 < bounds.length; i++) {
    const from = bounds[i]!;
    const to = bounds[i + 1]!;
    if (from === to) continue;
    while (pieceIndex < pieces.length && pieceStart + pieces[pieceIndex]!.text.length <= from) {
      pieceStart += pieces[pieceIndex]!.text.length;
      pieceIndex += 1;
    }
    const piece = pieces[pieceIndex];
    if (!piece) break;
    const value = piece.text.slice(from - pieceStart, to - pieceStart);
    const over = marks.filter((mark) => mark.from <= from && mark.to >= to);
    const formatted = withMarks(value, piece.attributes, `t${from}`);
    if (over.length === 0) {
      segments.push(formatted);
      continue;
    }
    const comments = over.filter((mark) => mark.kind === "comment").flatMap((mark) => mark.ids);
    const suggestions = over
      .filter((mark) => mark.kind === "suggestion")
      .flatMap((mark) => mark.ids);
    const classes = ["passage"];
    if (comments.length > 0) classes.push("passage-comment");
    if (suggestions.length > 0) classes.push("passage-suggestion");
    if (over.some((mark) => mark.active)) classes.push("passage-active");
    segments.push(
      <mark
        key={`m${from}`}
        className={classes.join(" ")}
        data-comments={comments.join(" ") || undefined}
        data-suggestions={suggestions.join(" ") || undefined}
        onClick={() =>
          comments.length > 0
            ? onPassage("comment", comments)
            : onPassage("suggestion", suggestions)
        }
      >
        {formatted}
      </mark>,
    );
  }
  return <span data-run={registry.idOf(text)}>{segments}</span>;
}

function CitationButton({ element }: { element: Y.XmlElement }) {
  const { t } = useTranslation();
  const { onCitation } = useSettings();
  const answerId = String(element.getAttribute("answerId") ?? "");
  const seminarId = element.getAttribute("seminarId");
  const label = String(element.getAttribute("label") ?? "");
  return (
    <button
      type="button"
      className="answer-ref answer-ref-button"
      aria-label={t("citation.open", { label })}
      onClick={() =>
        onCitation({
          answerId,
          seminarId: typeof seminarId === "string" && seminarId !== "" ? seminarId : null,
          label,
        })
      }
    >
      «{label}»
    </button>
  );
}

const Numbers = createContext<ReadonlyMap<Y.XmlElement, number> | null>(null);

/** Numbers the footnotes of `elements` (a chapter's heading and blocks) for what is inside. */
export function FootnoteNumbers({
  elements,
  children,
}: {
  elements: readonly Y.XmlElement[];
  children: ReactNode;
}) {
  return <Numbers.Provider value={numberFootnotes(elements)}>{children}</Numbers.Provider>;
}

/**
 * A footnote: its number in superscript, a button named "Nota 2: …" that shows and hides the
 * note's words just after it. Outside any text run, so selections still map to characters.
 */
function FootnoteRef({ element }: { element: Y.XmlElement }) {
  const { t } = useTranslation();
  const number = useContext(Numbers)?.get(element);
  const [open, setOpen] = useState(false);
  const noteId = useId();
  const text = footnoteText(element);
  if (text === "") return null;
  const label = t("footnote.label", { number: number ?? "", text });
  return (
    <>
      <sup className="footnote-mark">
        <button
          type="button"
          className="footnote-ref"
          aria-label={label}
          aria-expanded={open}
          aria-controls={noteId}
          title={text}
          onClick={() => setOpen(!open)}
          onKeyDown={(event) => {
            if (event.key === "Escape" && open) {
              event.stopPropagation();
              setOpen(false);
            }
          }}
        >
          {number ?? "*"}
        </button>
      </sup>
      <span id={noteId} className="footnote-note" role="note" hidden={!open}>
        <span className="footnote-note-number">{number ?? "*"}</span> {text}
      </span>
    </>
  );
}

/** The inline content of a block: its runs, citations, footnotes and line breaks. */
export function Inline({ element }: { element: Y.XmlElement }) {
  return (
    <>
      {element.toArray().map((child, index) => {
        if (child instanceof Y.XmlText) return <Run key={index} text={child} />;
        if (!(child instanceof Y.XmlElement)) return null;
        if (child.nodeName === ANSWER_REF_NODE)
          return <CitationButton key={index} element={child} />;
        if (child.nodeName === FOOTNOTE_NODE) return <FootnoteRef key={index} element={child} />;
        if (child.nodeName === "hardBreak") return <br key={index} />;
        return <Block key={index} element={child} />;
      })}
    </>
  );
}

const BLOCK_TAGS: Record<string, keyof JSX.IntrinsicElements> = {
  paragraph: "p",
  bulletList: "ul",
  listItem: "li",
  blockquote: "blockquote",
  tableRow: "tr",
};

/** One block of the body (a paragraph, a list, a table, a sub-heading…). */
export function Block({ element }: { element: Y.XmlElement }) {
  const name = element.nodeName;
  const children = <Inline element={element} />;
  switch (name) {
    case "heading": {
      // Chapters are the sections' own headings: inside a section, headings go one level down.
      const level = Math.min(6, Math.max(3, Number(element.getAttribute("level") as unknown) + 1));
      const Heading = `h${level}` as "h3";
      return <Heading>{children}</Heading>;
    }
    case "orderedList": {
      const start = Number(element.getAttribute("start") as unknown);
      return <ol start={Number.isFinite(start) && start > 1 ? start : undefined}>{children}</ol>;
    }
    case "horizontalRule":
      return <hr />;
    case "table":
      return (
        <div className="conf-table">
          <table>
            <tbody>{children}</tbody>
          </table>
        </div>
      );
    case "tableCell":
    case "tableHeader": {
      const Cell = name === "tableHeader" ? "th" : "td";
      const span = (attribute: string) => {
        const value = Number(element.getAttribute(attribute) as unknown);
        return Number.isFinite(value) && value > 1 ? value : undefined;
      };
      return (
        <Cell colSpan={span("colspan")} rowSpan={span("rowspan")}>
          {children}
        </Cell>
      );
    }
    default: {
      const Tag = BLOCK_TAGS[name] ?? "div";
      return <Tag>{children}</Tag>;
    }
  }
}

/** Blocks of the body, in order; their footnotes numbered from 1 unless numbered above. */
export function Blocks({ blocks }: { blocks: readonly Y.XmlElement[] }) {
  const numbered = useContext(Numbers) !== null;
  const drawn = (
    <>
      {blocks.map((block, index) => (
        <Block key={index} element={block} />
      ))}
    </>
  );
  return numbered ? drawn : <FootnoteNumbers elements={blocks}>{drawn}</FootnoteNumbers>;
}
