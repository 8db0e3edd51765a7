import * as Y from "yjs";
import { ROOTS_BY_KIND, type DocumentKind, type RootTypeKind } from "@percorso/schema";
import type { DocumentStore } from "../storage/storage.ts";

/**
 * A document's past, rebuilt from the attributed log (DESIGN.md §4.1): its state at a moment,
 * a readable description of it, and the change that makes the live document equal to it.
 */

/** The document as it was at epoch ms `at`: the baseline and every update accepted by then. */
export async function documentAt(
  store: DocumentStore,
  name: string,
  at: number,
): Promise<{ doc: Y.Doc; seq: number }> {
  const { base, updates, lastSeq } = await store.stateAt(name, at);
  const doc = new Y.Doc();
  doc.transact(() => {
    if (base) Y.applyUpdate(doc, base);
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  return { doc, seq: lastSeq };
}

type Root = Y.Map<unknown> | Y.Array<unknown> | Y.XmlFragment;

function rootOf(doc: Y.Doc, name: string, kind: RootTypeKind): Root {
  if (kind === "map") return doc.getMap(name);
  if (kind === "array") return doc.getArray(name);
  return doc.getXmlFragment(name);
}

/** A comparable rendering of a value: XML as markup, other types as JSON. */
function render(value: unknown): string {
  if (
    value instanceof Y.XmlElement ||
    value instanceof Y.XmlText ||
    value instanceof Y.XmlFragment
  ) {
    return value.toString();
  }
  if (value instanceof Y.AbstractType) return JSON.stringify(value.toJSON());
  return JSON.stringify(value ?? null);
}

function copy(value: unknown): unknown {
  return value instanceof Y.AbstractType ? value.clone() : value;
}

/**
 * Makes the list `live` hold what `past` holds: elements equal at both ends are kept (their
 * ids, and so anything pointing at them, survive), the middle is replaced by copies.
 */
function restoreList(
  live: Y.Array<unknown> | Y.XmlFragment,
  past: Y.Array<unknown> | Y.XmlFragment,
) {
  const now = live.toArray().map(render);
  const then = past.toArray();
  const thenRendered = then.map(render);
  let start = 0;
  while (start < now.length && start < then.length && now[start] === thenRendered[start]) start++;
  let end = 0;
  while (
    end < now.length - start &&
    end < then.length - start &&
    now[now.length - 1 - end] === thenRendered[then.length - 1 - end]
  ) {
    end++;
  }
  const removed = now.length - start - end;
  if (removed > 0) live.delete(start, removed);
  const inserted = then.slice(start, then.length - end).map(copy);
  if (inserted.length > 0) {
    (live as Y.Array<unknown>).insert(start, inserted as never[]);
  }
}

function restoreMap(live: Y.Map<unknown>, past: Y.Map<unknown>) {
  for (const key of [...live.keys()]) if (!past.has(key)) live.delete(key);
  for (const [key, value] of past) {
    if (render(live.get(key)) !== render(value)) live.set(key, copy(value));
  }
}

/**
 * Changes `live` (inside the caller's transaction) so every schema root — or only those
 * named in `only` — equals `past`'s.
 */
export function restoreTo(
  live: Y.Doc,
  past: Y.Doc,
  kind: DocumentKind,
  only?: readonly string[],
): void {
  for (const [name, rootKind] of Object.entries(ROOTS_BY_KIND[kind])) {
    if (only !== undefined && !only.includes(name)) continue;
    const target = rootOf(live, name, rootKind);
    const source = rootOf(past, name, rootKind);
    if (target instanceof Y.Map) restoreMap(target, source as Y.Map<unknown>);
    else restoreList(target, source as Y.Array<unknown> | Y.XmlFragment);
  }
}

/** Plain text of each top-level block of a rich-text fragment. */
function blocks(fragment: Y.XmlFragment): string[] {
  const texts: string[] = [];
  const walk = (node: unknown): string => {
    if (node instanceof Y.XmlText) {
      return (node.toDelta() as { insert: unknown }[])
        .map((part) => (typeof part.insert === "string" ? part.insert : ""))
        .join("");
    }
    if (node instanceof Y.XmlElement) {
      const label = node.getAttribute("label");
      const inner = node.toArray().map(walk).join("");
      return inner === "" && typeof label === "string" ? `«${label}»` : inner;
    }
    return "";
  };
  for (const node of fragment.toArray()) texts.push(walk(node));
  return texts;
}

/** A document's schema roots as JSON (XML as markup), and the text of its rich-text roots. */
export function describeDocument(doc: Y.Doc, kind: DocumentKind) {
  const roots: Record<string, unknown> = {};
  const text: Record<string, string[]> = {};
  for (const [name, rootKind] of Object.entries(ROOTS_BY_KIND[kind])) {
    const root = rootOf(doc, name, rootKind);
    if (root instanceof Y.XmlFragment) {
      roots[name] = root.toString();
      text[name] = blocks(root);
    } else {
      roots[name] = root.toJSON();
    }
  }
  return { roots, text };
}
