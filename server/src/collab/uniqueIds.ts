import * as Y from "yjs";
import { ID_ROOTS, type DocumentKind } from "@percorso/schema";
import type { UpdateView } from "./updateView.ts";

/**
 * Ids are unique in their root (issue 16): an item whose `id` another item of the root already
 * has — in the server's document, or earlier in the same update — is refused, as is changing an
 * item's `id` to one that is taken. Otherwise a participant could insert a suggestion or an
 * answer under someone else's id, and whichever lookup met it first would decide, cite or
 * approve the wrong words.
 *
 * Items the same update deletes no longer count: moving a question is a copy with the same id
 * in place of the original, in one transaction.
 */
export function duplicateIdProblem(view: UpdateView, kind: DocumentKind): string | null {
  const roots = ID_ROOTS[kind];
  /** Per root, the new ids in the order they arrive. */
  const arriving = new Map<string, { item: Y.Item; id: unknown }[]>();
  const newElements = new Set<Y.Item>();
  for (const { item, location } of view.inserts) {
    if (!roots.includes(location.root)) continue;
    if (location.path.length === 0) newElements.add(item);
  }
  for (const { item, location } of view.inserts) {
    if (!roots.includes(location.root) || location.path.length !== 1 || location.key !== "id") {
      continue;
    }
    const holder = location.path[0]!.item;
    // A field of an element arriving now, or a new value for an existing element's id.
    if (!newElements.has(holder) && location.path[0]!.isNew) continue;
    const list = arriving.get(location.root) ?? [];
    list.push({ item: holder, id: valueOf(item) });
    arriving.set(location.root, list);
  }
  if (arriving.size === 0) return null;

  const leaving = new Set(
    view.deletes.filter(({ location }) => location.path.length === 0).map(({ item }) => item),
  );
  for (const [root, news] of arriving) {
    /** Each new id and the element taking it; a second element with it is a clash. */
    const wanted = new Map<string, Y.Item>();
    for (const { item, id } of news) {
      if (typeof id !== "string" || id === "") return `${root}: every item has an id`;
      const first = wanted.get(id);
      if (first !== undefined && first !== item) return `${root}: id ${id} already exists`;
      wanted.set(id, item);
    }
    // One walk over the root's live elements, reading each id straight from its map entry: an
    // answer insert in a seminar of thousands of answers stays well under a millisecond.
    let current = view.doc.share.get(root)?._start ?? null;
    for (; current !== null; current = current.right) {
      if (current.deleted || leaving.has(current)) continue;
      const id = idOf(current);
      const taker = id === undefined ? undefined : wanted.get(id);
      // An existing element setting its own id again is no clash.
      if (taker !== undefined && taker !== current) return `${root}: id ${id} already exists`;
    }
  }
  return null;
}

/** The `id` an element of the document holds, read without copying its content. */
function idOf(element: Y.Item): string | undefined {
  if (!(element.content instanceof Y.ContentType)) return undefined;
  const entry = element.content.type._map.get("id");
  if (entry === undefined || entry.deleted) return undefined;
  const value = valueOf(entry);
  return typeof value === "string" ? value : undefined;
}

function valueOf(item: Y.Item): unknown {
  const content = item.content;
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
    return content.arr.at(-1);
  }
  if (content instanceof Y.ContentString) return content.str;
  return undefined;
}
