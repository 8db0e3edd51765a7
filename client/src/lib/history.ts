import type { HistoryEntry } from "./api.ts";

/**
 * A document's history as people read it: consecutive entries by the same person within a few
 * minutes of each other make one run ("Anna Rossi · 12 modifiche · 10:02–10:05").
 */
export interface HistoryRun {
  /** Stable across reloads: the person and the first entry's sequence number. */
  id: string;
  person: PersonKey;
  userId: string | null;
  /** As the server gave it: empty for anonymous entries shown to non-admins. */
  name: string;
  role: string;
  anonymous: boolean;
  /** Epoch ms of the first and the last entry (0 before the history began). */
  from: number;
  to: number;
  count: number;
  firstSeq: number;
  lastSeq: number;
  bytes: number;
}

/** Who a history entry is by, for grouping and for the filter by person. */
export type PersonKey = string;

/** Entries further apart than this start a new run even when by the same person. */
export const RUN_GAP_MS = 5 * 60_000;

/**
 * Whether an entry is shown without its person: anonymous items, and (to non-admins) everything
 * by someone who joined anonymously — the server then gives no user id and no name. Entries
 * from before the history began (at 0) have none either, but are no one's.
 */
export function isAnonymousEntry(
  entry: Pick<HistoryEntry, "userId" | "name" | "anonymous" | "at">,
): boolean {
  return entry.anonymous || (entry.userId === null && entry.name === "" && entry.at !== 0);
}

export function personOf(
  entry: Pick<HistoryEntry, "userId" | "name" | "anonymous" | "at">,
): PersonKey {
  if (entry.userId !== null) return `user:${entry.userId}`;
  return isAnonymousEntry(entry) ? "anonymous" : `name:${entry.name}`;
}

/** Groups entries (oldest first, as the server lists them) into runs, oldest first. */
export function groupHistory(
  entries: readonly HistoryEntry[],
  gapMs: number = RUN_GAP_MS,
): HistoryRun[] {
  const runs: HistoryRun[] = [];
  for (const entry of entries) {
    const person = personOf(entry);
    const last = runs.at(-1);
    // What was stored before the history began (at 0) is one run of its own.
    const sameRun =
      last !== undefined &&
      last.person === person &&
      (last.to === 0) === (entry.at === 0) &&
      entry.at - last.to <= gapMs;
    if (sameRun) {
      last.to = entry.at;
      last.count += 1;
      last.lastSeq = entry.seq;
      last.bytes += entry.bytes;
      if (entry.name) last.name = entry.name;
    } else {
      runs.push({
        id: `${person}@${entry.seq}`,
        person,
        userId: entry.userId,
        name: entry.name,
        role: entry.role,
        anonymous: isAnonymousEntry(entry),
        from: entry.at,
        to: entry.at,
        count: 1,
        firstSeq: entry.seq,
        lastSeq: entry.seq,
        bytes: entry.bytes,
      });
    }
  }
  return runs;
}

/** Merges a page of older entries into those already loaded: by sequence, no duplicates. */
export function mergeEntries(
  loaded: readonly HistoryEntry[],
  more: readonly HistoryEntry[],
): HistoryEntry[] {
  const bySeq = new Map<number, HistoryEntry>();
  for (const entry of [...more, ...loaded]) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The people of a history, for the filter: key and the latest name each went by. */
export function peopleOf(
  entries: readonly HistoryEntry[],
): { person: PersonKey; name: string; anonymous: boolean; userId: string | null }[] {
  const people = new Map<
    PersonKey,
    { person: PersonKey; name: string; anonymous: boolean; userId: string | null }
  >();
  for (const entry of entries) {
    const person = personOf(entry);
    const known = people.get(person);
    if (!known || entry.name) {
      people.set(person, {
        person,
        name: entry.name || known?.name || "",
        anonymous: isAnonymousEntry(entry),
        userId: entry.userId,
      });
    }
  }
  return [...people.values()];
}
