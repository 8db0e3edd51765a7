import type { Change } from "../lib/api.ts";

/** Words and the spaces between them, each its own token, so a redline keeps the spacing. */
function tokens(text: string): string[] {
  return text.split(/(\s+)/).filter((token) => token !== "");
}

/** Passages longer than this many tokens on both sides are shown as replaced whole. */
const MAX_TOKENS = 1500;

/**
 * A word-level redline from `before` to `after` (a longest common subsequence of tokens), in the
 * shape the server's redlines have, so the desk's `Redline` draws it. Passages are short: the
 * quadratic table is small.
 */
export function wordDiff(before: string, after: string): Change[] {
  const a = tokens(before);
  const b = tokens(after);
  if (a.length * b.length > MAX_TOKENS * MAX_TOKENS) {
    return [
      ...(before ? [{ value: before, removed: true }] : []),
      ...(after ? [{ value: after, added: true }] : []),
    ];
  }
  // common[i][j]: the longest common subsequence of a[i..] and b[j..].
  const common: Uint16Array[] = Array.from(
    { length: a.length + 1 },
    () => new Uint16Array(b.length + 1),
  );
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i]![j] =
        a[i] === b[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const changes: Change[] = [];
  const push = (value: string, kind: "same" | "removed" | "added") => {
    const last = changes.at(-1);
    const lastKind = last?.removed ? "removed" : last?.added ? "added" : "same";
    if (last && lastKind === kind) last.value += value;
    else
      changes.push(
        kind === "same"
          ? { value }
          : kind === "removed"
            ? { value, removed: true }
            : { value, added: true },
      );
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push(a[i]!, "same");
      i++;
      j++;
    } else if (common[i + 1]![j]! >= common[i]![j + 1]!) {
      push(a[i++]!, "removed");
    } else {
      push(b[j++]!, "added");
    }
  }
  while (i < a.length) push(a[i++]!, "removed");
  while (j < b.length) push(b[j++]!, "added");
  return joinAcrossSpaces(changes);
}

/**
 * Two changes with only a space kept between them read as one change: "~~del~~ __della__
 * ~~territorio~~ __Toscana__" becomes "~~del territorio~~ __della Toscana__".
 */
function joinAcrossSpaces(changes: Change[]): Change[] {
  const result: Change[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed) result.push({ value: removed, removed: true });
    if (added) result.push({ value: added, added: true });
    removed = "";
    added = "";
  };
  changes.forEach((change, index) => {
    if (change.removed) removed += change.value;
    else if (change.added) added += change.value;
    else {
      const between =
        /^\s+$/.test(change.value) &&
        (removed !== "" || added !== "") &&
        index + 1 < changes.length;
      if (between) {
        removed += change.value;
        added += change.value;
      } else {
        flush();
        result.push(change);
      }
    }
  });
  flush();
  return result;
}
