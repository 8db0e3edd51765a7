import * as Y from "yjs";
import {
  ROOTS_BY_KIND,
  attributeProblem,
  markProblem,
  nodeProblem,
  type DocumentKind,
} from "@percorso/schema";
import type { UpdateView } from "./updateView.ts";

/**
 * What may go into a rich-text root (issue 12): only the editor's nodes, marks and attributes
 * (`packages/schema/src/editorSchema.ts`), links only to http:, https:, mailto:. Checked on the
 * located inserts of an update, before it is applied; returns why not, or null.
 */
export function checkRichText(view: UpdateView, kind: DocumentKind): string | null {
  const roots = ROOTS_BY_KIND[kind];
  for (const { item, location } of view.inserts) {
    if (roots[location.root] !== "xml") continue;
    const content = item.content;
    const holder = location.path.at(-1);
    const holderType =
      holder !== undefined && holder.item.content instanceof Y.ContentType
        ? holder.item.content.type
        : null;
    if (location.key !== null) {
      // An attribute of a node (y-prosemirror: the node's attrs on its XmlElement).
      if (!(holderType instanceof Y.XmlElement))
        return `${location.root}: attributes belong to nodes`;
      const value =
        content instanceof Y.ContentAny && content.arr.length === 1 ? content.arr[0] : undefined;
      if (value === undefined) return `${location.root}: an attribute holds one plain value`;
      const problem = attributeProblem(holderType.nodeName, location.key, value);
      if (problem !== null) return `${location.root}: ${problem}`;
      continue;
    }
    if (content instanceof Y.ContentType) {
      const type = content.type;
      if (type instanceof Y.XmlElement) {
        const problem = nodeProblem(type.nodeName);
        if (problem !== null) return `${location.root}: ${problem}`;
      } else if (!(type instanceof Y.XmlText)) {
        return `${location.root}: only nodes and text`;
      }
      continue;
    }
    if (content instanceof Y.ContentString) {
      if (!(holderType instanceof Y.XmlText))
        return `${location.root}: text belongs in a text node`;
      continue;
    }
    if (content instanceof Y.ContentFormat) {
      const problem = markProblem(content.key, content.value);
      if (problem !== null) return `${location.root}: ${problem}`;
      continue;
    }
    return `${location.root}: no such content in rich text`;
  }
  return null;
}
