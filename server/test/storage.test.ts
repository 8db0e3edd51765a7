import { afterEach, describe, expect, it } from "vitest";
import { join } from "node:path";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import { tempDataDir } from "./harness.ts";

/** The SQLite storage on a real file: the log, group commits, compaction, reopening. */
describe("SQLite document store", () => {
  const dirs: ReturnType<typeof tempDataDir>[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) dir.remove();
  });
  const open = () => {
    const dir = tempDataDir();
    dirs.push(dir);
    return { dir, file: join(dir.dir, "percorso.sqlite") };
  };
  const bytes = (...values: number[]) => Uint8Array.from(values);

  it("appends a group of updates in order, with increasing sequence numbers", async () => {
    const { file } = open();
    const store = openSqliteStorage(file);
    const first = await store.appendUpdate("seminar:a", bytes(1));
    const last = await store.appendUpdates("seminar:a", [bytes(2), bytes(3), bytes(4)]);
    await store.appendUpdates("seminar:b", [bytes(9)]);
    expect(last).toBeGreaterThan(first);
    const loaded = await store.load("seminar:a");
    expect(loaded.updates.map((u) => [...u])).toEqual([[1], [2], [3], [4]]);
    expect(loaded.lastSeq).toBe(last);
    await store.close();

    const reopened = openSqliteStorage(file);
    expect((await reopened.load("seminar:a")).updates).toHaveLength(4);
    await reopened.compact("seminar:a", bytes(7, 7), last);
    const compacted = await reopened.load("seminar:a");
    expect([...compacted.snapshot!]).toEqual([7, 7]);
    expect(compacted.updates).toEqual([]);
    expect((await reopened.load("seminar:b")).updates.map((u) => [...u])).toEqual([[9]]);
    const after = await reopened.appendUpdates("seminar:a", [bytes(5), bytes(6)]);
    expect(after).toBeGreaterThan(last);
    expect((await reopened.load("seminar:a")).updates.map((u) => [...u])).toEqual([[5], [6]]);
    await reopened.close();
  });
});
