import { createHash } from "node:crypto";
import { diffArrays } from "diff";
import { diff3Merge } from "node-diff3";
import type * as Y from "yjs";
import type { Block } from "@percorso/schema";

/**
 * The three-way merge of a chapter (issue 9): the source as it was rolled up (base), the
 * chapter as the drafting team has edited it (ours), the source as it is now (theirs). Blocks
 * (paragraphs, headings, lists) are the unit: a block changed on one side only goes in, a
 * block changed differently on both sides is a conflict for a hand merge.
 */
export type MergeRegion =
  | { kind: "ok"; keys: string[] }
  | { kind: "conflict"; ours: string[]; base: string[]; theirs: string[] };

export type Resolution = "ours" | "theirs" | "both";

export function mergeBlocks(base: string[], ours: string[], theirs: string[]): MergeRegion[] {
  const regions: MergeRegion[] = [];
  const push = (region: MergeRegion) => {
    const last = regions.at(-1);
    if (region.kind === "ok" && last?.kind === "ok") last.keys.push(...region.keys);
    else if (region.kind === "conflict" || region.keys.length > 0) regions.push(region);
  };
  for (const region of diff3Merge(ours, base, theirs, { excludeFalseConflicts: true })) {
    if (!region.conflict) {
      push({ kind: "ok", keys: [...(region.ok ?? [])] });
      continue;
    }
    const { a, o, b } = region.conflict;
    // diff3 joins adjacent changes into one hunk: when the three sides line up block for
    // block, only the blocks changed differently on both sides are conflicts.
    if (a.length === o.length && b.length === o.length) {
      o.forEach((original, i) => {
        const mine = a[i]!;
        const theirsBlock = b[i]!;
        if (mine === original || mine === theirsBlock) push({ kind: "ok", keys: [theirsBlock] });
        else if (theirsBlock === original) push({ kind: "ok", keys: [mine] });
        else push({ kind: "conflict", ours: [mine], base: [original], theirs: [theirsBlock] });
      });
      continue;
    }
    push({ kind: "conflict", ours: a, base: o, theirs: b });
  }
  return regions;
}

/** The merged blocks, each conflict resolved as asked (in order of the conflicts). */
export function resolveMerge(regions: readonly MergeRegion[], resolutions: readonly Resolution[]) {
  const merged: string[] = [];
  let conflict = 0;
  for (const region of regions) {
    if (region.kind === "ok") {
      merged.push(...region.keys);
      continue;
    }
    const choice = resolutions[conflict++];
    if (choice === undefined) throw new Error(`conflict ${conflict} has no resolution`);
    if (choice === "ours" || choice === "both") merged.push(...region.ours);
    if (choice === "theirs" || choice === "both") merged.push(...region.theirs);
  }
  if (conflict < resolutions.length) throw new Error("more resolutions than conflicts");
  return merged;
}

/** A fingerprint of the merge's inputs: a merge is applied only to what was previewed. */
export function mergeToken(base: string[], ours: string[], theirs: string[]): string {
  return createHash("sha256")
    .update(JSON.stringify([base, ours, theirs]))
    .digest("base64url");
}

/**
 * Makes the chapter's blocks (from `start` in `body`, `current` their keys) equal to `merged`
 * with the fewest changes: blocks kept stay the same Yjs items (comments anchored on them stay
 * put), the others are copies of the nodes `nodes` has for their keys.
 */
export function applyBlocks(
  body: Y.XmlFragment,
  start: number,
  current: readonly string[],
  merged: readonly string[],
  nodes: ReadonlyMap<string, Block>,
): void {
  const parts = diffArrays([...current], [...merged]);
  // Copies first: a block the change deletes may be one another part copies.
  const copies = parts.map((part) =>
    part.added
      ? part.value.map((key) => {
          const node = nodes.get(key);
          if (node === undefined) throw new Error("a merged block has no node to copy");
          return node.clone();
        })
      : [],
  );
  let index = start;
  parts.forEach((part, i) => {
    const count = part.count ?? part.value.length;
    if (part.removed) {
      body.delete(index, count);
    } else if (part.added) {
      body.insert(index, copies[i]!);
      index += count;
    } else {
      index += count;
    }
  });
}
