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

/**
 * The blocks of a chapter merged three ways. diff3 finds the stable runs; a hunk it could not
 * settle is looked at block by block (`mergeHunk`), so a paragraph added or removed on one side
 * only goes in cleanly even next to a paragraph both sides changed (issue 22, item 6).
 */
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
    mergeHunk(o, a, b).forEach(push);
  }
  return regions;
}

/**
 * What one side did with the base blocks of a hunk: for each base block its fate (kept,
 * replaced by an edited block, or deleted), and for each gap (before base block i, or after
 * the last for i = base.length) the blocks that side added there.
 */
interface SideEdits {
  fate: ({ kind: "kept" } | { kind: "edited"; key: string } | { kind: "deleted" })[];
  added: string[][];
}

/**
 * A hunk block by block. Each base block: changed on one side only → that side's version (or
 * its removal); changed the same way on both → once; changed differently (or edited on one
 * side and removed on the other) → a conflict of that block alone. Each gap: blocks added on
 * one side only go in; the same blocks added on both sides go in once; different blocks
 * added at the same place on both sides are a conflict — the order of two new paragraphs, and
 * whether they are one idea written twice, is the drafter's call ("Entrambe" keeps both, the
 * draft's first, in one click), where taking both silently could leave a duplicate in the text.
 */
function mergeHunk(base: string[], ours: string[], theirs: string[]): MergeRegion[] {
  const mine = sideEdits(base, ours);
  const other = sideEdits(base, theirs);
  const out: MergeRegion[] = [];
  const gap = (i: number) => {
    const a = mine.added[i]!;
    const b = other.added[i]!;
    if (a.length === 0 || b.length === 0 || same(a, b))
      out.push({ kind: "ok", keys: a.length > 0 ? a : b });
    else out.push({ kind: "conflict", ours: a, base: [], theirs: b });
  };
  base.forEach((original, i) => {
    gap(i);
    const a = mine.fate[i]!;
    const b = other.fate[i]!;
    const keys = (fate: SideEdits["fate"][number]) =>
      fate.kind === "kept" ? [original] : fate.kind === "edited" ? [fate.key] : [];
    if (a.kind === "kept") out.push({ kind: "ok", keys: keys(b) });
    else if (b.kind === "kept" || same(keys(a), keys(b))) out.push({ kind: "ok", keys: keys(a) });
    else out.push({ kind: "conflict", ours: keys(a), base: [original], theirs: keys(b) });
  });
  gap(base.length);
  return out;
}

function same(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

/**
 * One side's edits of the base. Where the side replaced r base blocks with s new ones, the
 * min(r, s) pairs most alike (in order) are edits of a block, the rest plain additions or
 * removals: "X edited and N added after it" is one edit and one addition, not a block of two
 * replacing one. With r = s this pairs block for block.
 */
function sideEdits(base: string[], side: string[]): SideEdits {
  const fate: SideEdits["fate"] = base.map(() => ({ kind: "kept" }));
  const added: string[][] = Array.from({ length: base.length + 1 }, () => []);
  let i = 0; // next base block
  let removed: number[] = [];
  let inserted: string[] = [];
  const settle = () => {
    const pairs = alignAlike(
      removed.map((index) => base[index]!),
      inserted,
    );
    const pairedWith = new Map(pairs.map(([r, s]) => [r, s]));
    const pairedNew = new Set(pairs.map(([, s]) => s));
    removed.forEach((index, r) => {
      const s = pairedWith.get(r);
      fate[index] = s === undefined ? { kind: "deleted" } : { kind: "edited", key: inserted[s]! };
    });
    // An added block goes into the gap before the next base block after the edit it follows.
    let gapAt = removed[0] ?? i;
    let r = 0;
    inserted.forEach((key, s) => {
      if (pairedNew.has(s)) {
        while (r < removed.length && pairedWith.get(r) !== s) r++;
        gapAt = removed[r]! + 1;
        return;
      }
      added[gapAt]!.push(key);
    });
    removed = [];
    inserted = [];
  };
  for (const part of diffArrays(base, side)) {
    if (part.removed) {
      part.value.forEach(() => removed.push(i++));
    } else if (part.added) {
      inserted.push(...part.value);
    } else {
      settle();
      i += part.value.length;
    }
  }
  settle();
  return { fate, added };
}

/**
 * The monotone pairing of min(r, s) blocks of `from` with blocks of `to` that are most alike
 * (dynamic programming over word overlap), as [index in from, index in to] pairs.
 */
function alignAlike(from: string[], to: string[]): [number, number][] {
  const want = Math.min(from.length, to.length);
  if (want === 0) return [];
  const words = (key: string) =>
    new Set(
      key
        .replace(/<[^>]*>/g, " ")
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu) ?? [],
    );
  const fromWords = from.map(words);
  const toWords = to.map(words);
  const alike = (r: number, s: number) => {
    const a = fromWords[r]!;
    const b = toWords[s]!;
    if (a.size + b.size === 0) return 1;
    let common = 0;
    for (const word of a) if (b.has(word)) common++;
    return (2 * common) / (a.size + b.size);
  };
  // best[r][s][k]: the best score pairing k blocks among from[r..] and to[s..].
  const R = from.length;
  const S = to.length;
  const best: number[][][] = Array.from({ length: R + 1 }, () =>
    Array.from({ length: S + 1 }, () => new Array<number>(want + 1).fill(-Infinity)),
  );
  for (let r = R; r >= 0; r--) {
    for (let s = S; s >= 0; s--) {
      best[r]![s]![0] = 0;
      for (let k = 1; k <= want; k++) {
        let score = -Infinity;
        if (r < R && s < S) score = alike(r, s) + best[r + 1]![s + 1]![k - 1]!;
        if (r < R) score = Math.max(score, best[r + 1]![s]![k]!);
        if (s < S) score = Math.max(score, best[r]![s + 1]![k]!);
        best[r]![s]![k] = score;
      }
    }
  }
  const pairs: [number, number][] = [];
  let r = 0;
  let s = 0;
  let k = want;
  while (k > 0) {
    const here = best[r]![s]![k]!;
    if (r < R && s < S && here === alike(r, s) + best[r + 1]![s + 1]![k - 1]!) {
      pairs.push([r, s]);
      r++;
      s++;
      k--;
    } else if (r < R && here === best[r + 1]![s]![k]!) r++;
    else s++;
  }
  return pairs;
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
