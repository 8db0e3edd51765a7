import * as Y from "yjs";
import { FOOTNOTE_NODE } from "@percorso/schema";

/** A footnote's words, or "" (an element without them is no note: it is left out). */
export function footnoteText(element: Y.XmlElement): string {
  const text = element.getAttribute("text") as unknown;
  return typeof text === "string" ? text.trim() : "";
}

/**
 * The footnotes under `elements` (a chapter's heading and blocks), numbered from 1 in reading
 * order, as the conference shows them; notes without words are not counted.
 */
export function numberFootnotes(
  elements: readonly Y.XmlElement[],
): ReadonlyMap<Y.XmlElement, number> {
  const numbers = new Map<Y.XmlElement, number>();
  const visit = (element: Y.XmlElement) => {
    if (element.nodeName === FOOTNOTE_NODE) {
      if (footnoteText(element) !== "") numbers.set(element, numbers.size + 1);
      return;
    }
    for (const child of element.toArray()) if (child instanceof Y.XmlElement) visit(child);
  };
  elements.forEach(visit);
  return numbers;
}
