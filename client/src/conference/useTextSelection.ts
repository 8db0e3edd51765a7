import { useCallback, useEffect, useState, type RefObject } from "react";
import type { Passage } from "./passages.ts";
import { plainText } from "./passages.ts";
import type { RunRegistry } from "./DraftText.tsx";

/** What the reader has selected in the draft's text. */
export type TextSelection =
  | ({ kind: "passage"; words: string } & Passage)
  /** The selection spans more than one run (two paragraphs, or across a citation). */
  | { kind: "several" };

/** Offset of the point (`node`, `offset`) within the run element `run`, in characters. */
function offsetIn(run: Element, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(run, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

function runElementOf(node: Node | null): Element | null {
  const element = node instanceof Element ? node : (node?.parentElement ?? null);
  return element?.closest("[data-run]") ?? null;
}

/**
 * Follows the page's selection inside `root` and reads it as a passage of one text run. A
 * selection that ends at the very start of the next block (a triple click) is read as ending
 * at the end of its first run. The last passage stays chosen when the selection moves out of
 * the text (to the buttons that act on it), and goes when a click in the text collapses it.
 */
export function useTextSelection(
  root: RefObject<HTMLElement | null>,
  registry: RunRegistry,
): { selection: TextSelection | null; clear: () => void } {
  const [selection, setSelection] = useState<TextSelection | null>(null);
  const clear = useCallback(() => {
    setSelection(null);
    document.getSelection()?.removeAllRanges();
  }, []);

  useEffect(() => {
    const read = () => {
      const container = root.current;
      const current = document.getSelection();
      if (!container || !current || current.rangeCount === 0) return;
      const range = current.getRangeAt(0);
      const inside = (node: Node) => container.contains(node);
      if (current.isCollapsed) {
        if (inside(range.startContainer)) setSelection(null);
        return;
      }
      if (!inside(range.startContainer) && !inside(range.endContainer)) return;
      const startRun = runElementOf(range.startContainer);
      let endRun = runElementOf(range.endContainer);
      let endOffset: number | null = null;
      if (startRun && endRun !== startRun) {
        // Nothing selected after the first run's end (a triple click): the first run alone.
        const rest = document.createRange();
        rest.setStart(startRun, startRun.childNodes.length);
        rest.setEnd(range.endContainer, range.endOffset);
        if (rest.toString().trim() === "") {
          endRun = startRun;
          endOffset = startRun.textContent?.length ?? 0;
        }
      }
      const id = startRun?.getAttribute("data-run");
      const text = id ? registry.runOf(id) : undefined;
      if (!startRun || startRun !== endRun || !text) {
        setSelection({ kind: "several" });
        return;
      }
      let from = offsetIn(startRun, range.startContainer, range.startOffset);
      let to = endOffset ?? offsetIn(startRun, range.endContainer, range.endOffset);
      // Spaces at the edges are not part of the words meant.
      const all = plainText(text);
      while (from < to && /\s/.test(all[from] ?? "")) from++;
      while (to > from && /\s/.test(all[to - 1] ?? "")) to--;
      if (from >= to) return;
      setSelection({ kind: "passage", text, from, to, words: all.slice(from, to) });
    };
    document.addEventListener("selectionchange", read);
    return () => document.removeEventListener("selectionchange", read);
  }, [root, registry]);

  return { selection, clear };
}
