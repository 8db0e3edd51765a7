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
    const taken = new Map<unknown, Y.Item>();
    const shared = view.doc.share.get(root);
    // Walk the root's live items, not the Y.Array's view of them, so nothing is integrated.
    let current = shared?._start ?? null;
    while (current !== null) {
      if (!current.deleted && !leaving.has(current) && current.content instanceof Y.ContentType) {
        const type = current.content.type;
        if (type instanceof Y.Map) taken.set(type.get("id"), current);
      }
      current = current.right;
    }
    for (const { item, id } of news) {
      if (typeof id !== "string" || id === "") return `${root}: every item has an id`;
      const holder = taken.get(id);
      // An existing item setting its own id to the same value again is no clash.
      if (holder !== undefined && holder !== item) return `${root}: id ${id} already exists`;
      taken.set(id, item);
    }
  }
  return null;
}

function valueOf(item: Y.Item): unknown {
  const content = item.content;
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
    return content.arr.length === 1 ? content.arr[0] : undefined;
  }
  if (content instanceof Y.ContentString) return content.str;
  return undefined;
}
