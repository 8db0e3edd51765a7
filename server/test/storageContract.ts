import { expect, it } from "vitest";
import type { LogEntry, Storage } from "../src/storage/storage.ts";

/**
 * One contract for every storage backend (tldraw's storage contract suite idea), so SQLite
 * and PostgreSQL cannot drift: the attributed log, group commits, snapshots that keep the log,
 * client-id bindings, history, the state at a moment, records.
 *
 * `open` gives a fresh, empty store; `reopen` another handle on the same data.
 */
export interface StoreFactory {
  open(): Promise<{ store: Storage; reopen: () => Promise<Storage> }>;
}

/** A log entry of `values` as bytes, by `userId` at `at`. */
export const entry = (at: number, userId: string, ...values: number[]): LogEntry => ({
  update: Uint8Array.from(values),
  userId,
  role: "participant",
  name: `Nome ${userId}`,
  at,
  anonymous: false,
  binds: [],
});

export function storageContract(factory: StoreFactory): void {
  it("appends groups of updates in order, with increasing sequence numbers, durable across handles", async () => {
    const { store, reopen } = await factory.open();
    const first = await store.appendUpdates("seminar:a", [entry(1, "u1", 1)]);
    const last = await store.appendUpdates("seminar:a", [
      entry(2, "u1", 2),
      entry(3, "u2", 3),
      entry(4, "u1", 4),
    ]);
    await store.appendUpdates("seminar:b", [entry(5, "u1", 9)]);
    expect(last).toBeGreaterThan(first);
    const loaded = await store.load("seminar:a");
    expect(loaded.updates.map((u) => [...u])).toEqual([[1], [2], [3], [4]]);
    expect(loaded.lastSeq).toBe(last);
    await store.close();

    const again = await reopen();
    expect((await again.load("seminar:a")).updates).toHaveLength(4);
    await again.compact("seminar:a", Uint8Array.from([7, 7]), last);
    const compacted = await again.load("seminar:a");
    expect([...compacted.snapshot!]).toEqual([7, 7]);
    expect(compacted.updates).toEqual([]);
    expect(await again.pendingUpdates("seminar:a")).toBe(0);
    expect((await again.load("seminar:b")).updates.map((u) => [...u])).toEqual([[9]]);
    const after = await again.appendUpdates("seminar:a", [entry(6, "u2", 5), entry(7, "u2", 6)]);
    expect(after).toBeGreaterThan(last);
    expect((await again.load("seminar:a")).updates.map((u) => [...u])).toEqual([[5], [6]]);
    expect(await again.pendingUpdates("seminar:a")).toBe(2);
    await again.close();
  });

  it("replaces a snapshot only with a newer one, whoever writes last", async () => {
    const { store } = await factory.open();
    await store.appendUpdates("seminar:a", [entry(1, "u1", 1), entry(2, "u1", 2)]);
    const seq = (await store.load("seminar:a")).lastSeq;
    await store.compact("seminar:a", Uint8Array.from([2]), seq);
    await store.compact("seminar:a", Uint8Array.from([1]), seq - 1); // a slower process, older state
    const loaded = await store.load("seminar:a");
    expect([...loaded.snapshot!]).toEqual([2]);
    expect(loaded.lastSeq).toBe(seq);
    await store.close();
  });

  it("keeps the attributed log through compaction: history, filters and the state at a moment", async () => {
    const { store } = await factory.open();
    await store.appendUpdates("seminar:a", [entry(10, "u1", 1), entry(20, "u2", 2, 2)]);
    const upto = await store.appendUpdates("seminar:a", [entry(30, "u1", 3)]);
    await store.compact("seminar:a", Uint8Array.from([9]), upto);
    await store.appendUpdates("seminar:a", [{ ...entry(40, "u2", 4), anonymous: true }]);

    const history = await store.history("seminar:a");
    expect(history.map((h) => [h.at, h.userId, h.name, h.role, h.anonymous, h.bytes])).toEqual([
      [10, "u1", "Nome u1", "participant", false, 1],
      [20, "u2", "Nome u2", "participant", false, 2],
      [30, "u1", "Nome u1", "participant", false, 1],
      [40, "u2", "Nome u2", "participant", true, 1],
    ]);
    // A person's filter finds their named rows only: an anonymous row (stored before anonymous
    // acts left the person out of the log) is never found by their id (DESIGN.md §4.2).
    expect((await store.history("seminar:a", { userId: "u2" })).map((h) => h.at)).toEqual([20]);
    expect((await store.history("seminar:a", { from: 20, to: 30 })).map((h) => h.at)).toEqual([
      20, 30,
    ]);
    expect((await store.history("seminar:a", { limit: 2 })).map((h) => h.at)).toEqual([30, 40]);
    expect(await store.history("seminar:none")).toEqual([]);

    const past = await store.stateAt("seminar:a", 25);
    expect(past.base).toBeNull();
    expect(past.updates.map((u) => [...u])).toEqual([[1], [2, 2]]);
    expect((await store.stateAt("seminar:a", 100)).updates).toHaveLength(4);
    await store.close();
  });

  it("stores client-id bindings with the update that brings them, the first binding kept", async () => {
    const { store, reopen } = await factory.open();
    await store.appendUpdates("seminar:a", [
      { ...entry(1, "u1", 1), binds: [{ clientId: 7, userId: "u1", anonymous: false }] },
      { ...entry(2, "u1", 2), binds: [{ clientId: 4_000_000_000, userId: "u1", anonymous: true }] },
    ]);
    await store.appendUpdates("seminar:a", [
      { ...entry(3, "u2", 3), binds: [{ clientId: 7, userId: "u2", anonymous: false }] },
    ]);
    await store.close();
    const again = await reopen();
    const { bindings } = await again.load("seminar:a");
    expect(bindings.sort((a, b) => a.clientId - b.clientId)).toEqual([
      { clientId: 7, userId: "u1", anonymous: false },
      { clientId: 4_000_000_000, userId: "u1", anonymous: true },
    ]);
    expect((await again.load("seminar:b")).bindings).toEqual([]);
    await again.close();
  });

  it("decides an undecided binding once, for its own person only", async () => {
    const { store } = await factory.open();
    const bind = (userId: string, anonymous: boolean | null, at: number) =>
      store.appendUpdates("seminar:a", [
        { ...entry(at, userId, at), binds: [{ clientId: 9, userId, anonymous }] },
      ]);
    await bind("u1", null, 1);
    expect((await store.load("seminar:a")).bindings).toEqual([
      { clientId: 9, userId: "u1", anonymous: null },
    ]);
    await bind("u2", true, 2); // someone else: no
    await bind("u1", true, 3); // its person: decided
    await bind("u1", false, 4); // once
    expect((await store.load("seminar:a")).bindings).toEqual([
      { clientId: 9, userId: "u1", anonymous: true },
    ]);
    await store.close();
  });

  it("keeps records by kind and id", async () => {
    const { store } = await factory.open();
    await store.putRecord("invite", "b", { id: "b", n: 1 });
    await store.putRecord("invite", "a", { id: "a", nested: { ok: true } });
    await store.putRecord("invite", "b", { id: "b", n: 2 });
    await store.putRecord("person", "a", { id: "a" });
    expect(await store.listRecords("invite")).toEqual([
      { id: "a", nested: { ok: true } },
      { id: "b", n: 2 },
    ]);
    expect(await store.getRecord("invite", "b")).toEqual({ id: "b", n: 2 });
    expect(await store.getRecord("invite", "z")).toBeUndefined();
    await store.close();
  });
}
