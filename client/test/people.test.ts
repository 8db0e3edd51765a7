import { beforeEach, describe, expect, test } from "vitest";
import type { Writer } from "@percorso/schema";
import type { HistoryEntry, Joined } from "../src/lib/api.ts";
import { groupHistory, mergeEntries, peopleOf, RUN_GAP_MS } from "../src/lib/history.ts";
import { answerControls, materialControls, ownAnswerAudience } from "../src/lib/rules.ts";
import { AUTHOR_COLORS, colorsByKey } from "../src/editor/useAuthorship.tsx";

/** A localStorage for node: what the identity module keeps between page loads. */
class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
}

const MINUTE = 60_000;
const T0 = Date.UTC(2021, 4, 12, 8, 2);

function entry(seq: number, at: number, who: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    seq,
    at,
    userId: "u-anna",
    name: "Anna Rossi",
    role: "participant",
    anonymous: false,
    bytes: 10,
    ...who,
  };
}

describe("history runs", () => {
  test("consecutive changes by one person within a few minutes are one run", () => {
    const runs = groupHistory([
      entry(1, T0),
      entry(2, T0 + MINUTE),
      entry(3, T0 + 3 * MINUTE),
      entry(4, T0 + 3 * MINUTE + 1, { userId: "u-bruno", name: "Bruno Bianchi" }),
      entry(5, T0 + 4 * MINUTE),
    ]);
    expect(runs.map((r) => [r.name, r.count, r.from, r.to, r.firstSeq, r.lastSeq])).toEqual([
      ["Anna Rossi", 3, T0, T0 + 3 * MINUTE, 1, 3],
      ["Bruno Bianchi", 1, T0 + 3 * MINUTE + 1, T0 + 3 * MINUTE + 1, 4, 4],
      ["Anna Rossi", 1, T0 + 4 * MINUTE, T0 + 4 * MINUTE, 5, 5],
    ]);
    expect(runs[0]!.bytes).toBe(30);
  });

  test("a pause longer than the gap starts a new run of the same person", () => {
    const runs = groupHistory([entry(1, T0), entry(2, T0 + RUN_GAP_MS + 1)]);
    expect(runs).toHaveLength(2);
  });

  test("what was stored before the history began is a run of its own", () => {
    const runs = groupHistory([
      entry(1, 0, { userId: null, name: "", role: "" }),
      entry(2, 0, { userId: null, name: "", role: "" }),
      entry(3, T0, { userId: null, name: "", role: "" }),
    ]);
    expect(runs.map((r) => [r.count, r.to])).toEqual([
      [2, 0],
      [1, T0],
    ]);
  });

  test("anonymous entries shown without a person group as one 'anonimo'", () => {
    const anonymous = { userId: null, name: "", anonymous: true };
    const entries = [entry(1, T0, anonymous), entry(2, T0 + 1, anonymous), entry(3, T0 + 2)];
    expect(groupHistory(entries).map((r) => [r.person, r.count])).toEqual([
      ["anonymous", 2],
      ["user:u-anna", 1],
    ]);
    expect(peopleOf(entries).map((p) => p.person)).toEqual(["anonymous", "user:u-anna"]);
  });

  test("entries of someone who joined anonymously, shown without a person, are 'anonimo' too", () => {
    const hidden = { userId: null, name: "", anonymous: false };
    const runs = groupHistory([
      entry(1, T0, hidden),
      entry(2, T0 + 1, { ...hidden, anonymous: true }),
      entry(3, 0, { userId: null, name: "" }),
    ]);
    expect(runs.map((r) => [r.person, r.anonymous, r.count])).toEqual([
      ["anonymous", true, 2],
      ["name:", false, 1],
    ]);
  });

  test("a page of older entries merges in order, without duplicates", () => {
    const merged = mergeEntries([entry(3, T0), entry(4, T0)], [entry(1, T0), entry(3, T0)]);
    expect(merged.map((e) => e.seq)).toEqual([1, 3, 4]);
  });
});

describe("authorship colours", () => {
  test("one colour per person, distinct while the palette lasts, the same for the same people", () => {
    const keys = ["k-anna", "k-bruno", "k-carla", "k-anna"];
    const colors = colorsByKey(keys);
    expect(colors.size).toBe(3);
    expect(new Set(colors.values()).size).toBe(3);
    for (const color of colors.values()) expect(AUTHOR_COLORS).toContain(color);
    expect(colorsByKey(["k-carla", "k-bruno", "k-anna"])).toEqual(colors);
  });
});

describe("item rules as the room asks them", () => {
  const alice: Writer = { role: "participant", userId: "u-a", anonId: "a-a", name: "Alice" };
  const facilitator: Writer = { role: "facilitator", userId: "u-f", anonId: "a-f", name: "F" };
  const page: Writer = { role: "participant", userId: null, anonId: null, name: "" };

  test("an author edits and deletes their own answers, signed or anonymous, and no one else's", () => {
    const mine = { own: true, edit: true, remove: true, vote: false };
    expect(answerControls("u-a", alice, true)).toEqual(mine);
    expect(answerControls("a-a", alice, true)).toEqual(mine);
    expect(answerControls("u-b", alice, true)).toEqual({
      own: false,
      edit: false,
      remove: false,
      vote: true,
    });
    // A facilitator moderates, but does not rewrite or delete people's answers.
    expect(answerControls("u-a", facilitator, true).edit).toBe(false);
    expect(answerControls("u-a", facilitator, true).remove).toBe(false);
    // Nothing is offered in a closed seminar, nor to an invite used directly.
    expect(answerControls("u-a", alice, false).edit).toBe(false);
    expect(answerControls("", page, true).edit).toBe(false);
    expect(answerControls("u-b", page, true).vote).toBe(false);
    expect(answerControls("u-b", alice, false).vote).toBe(false);
  });

  test("a material is edited by its author and by facilitators", () => {
    expect(materialControls("u-a", alice, true).edit).toBe(true);
    expect(materialControls("u-b", alice, true).edit).toBe(false);
    expect(materialControls("u-b", alice, true).remove).toBe(false);
    expect(materialControls("u-a", facilitator, true).remove).toBe(true);
    expect(materialControls("", facilitator, true).edit).toBe(true); // from before §4.1
  });
});

describe("identity on the device", () => {
  const joined: Joined = {
    token: "personal-token",
    userId: "u-1",
    anonId: "a-1",
    role: "participant",
    programmeId: "toscana-2021",
    seminarId: "s1-governance",
    expiresAt: null,
    inviteId: "inv-1",
    name: "Alice Rossi",
    actorKind: "ngo",
    anonymous: false,
  };

  beforeEach(() => {
    Object.assign(globalThis, { localStorage: new MemoryStorage() });
  });

  test("a joined person is remembered per invite and is the current one", async () => {
    const { identityForInvite, loadIdentity, saveIdentity } =
      await import("../src/lib/identity.ts");
    saveIdentity(joined);
    expect(loadIdentity()?.userId).toBe("u-1");
    expect(identityForInvite("inv-1")?.token).toBe("personal-token");
    saveIdentity({ ...joined, userId: "u-2", inviteId: "inv-2", seminarId: "s2-economia" });
    expect(loadIdentity()?.userId).toBe("u-2");
    // In the first seminar the person who joined it is used, not the current one.
    expect(loadIdentity("s1-governance")?.userId).toBe("u-1");
  });

  test("an admin signed in without 'remember' is kept in this tab only, the device's person untouched", async () => {
    const { forgetIdentity, loadAdminIdentity, loadIdentity, saveIdentity } =
      await import("../src/lib/identity.ts");
    Object.assign(globalThis, { sessionStorage: new MemoryStorage() });
    try {
      saveIdentity(joined);
      const admin = { ...joined, userId: "u-admin", inviteId: "admin", role: "admin" as const };
      saveIdentity({ ...admin, programmeId: "*", seminarId: null }, { remember: false });
      expect(loadIdentity()?.userId).toBe("u-admin");
      expect(loadAdminIdentity("toscana-2021")?.userId).toBe("u-admin");
      // Nothing of the admin on the device: a new tab (or a closed one) has only Alice.
      expect(localStorage.getItem("percorso.people")).not.toContain("u-admin");
      expect(sessionStorage.getItem("percorso.people.session")).toContain("u-admin");
      // Signing out forgets the admin; the device's person is the current one again.
      forgetIdentity("admin");
      expect(loadIdentity()?.userId).toBe("u-1");
      expect(loadAdminIdentity("toscana-2021")).toBeNull();
      expect(sessionStorage.getItem("percorso.people.session")).toBeNull();
    } finally {
      Reflect.deleteProperty(globalThis, "sessionStorage");
    }
  });

  test("an identity of the old app is no person: it is offered to the join form instead", async () => {
    const { loadIdentity, loadLegacyIdentity, saveIdentity } =
      await import("../src/lib/identity.ts");
    localStorage.setItem(
      "percorso.identity",
      JSON.stringify({
        token: "invite-token",
        userId: "made-up",
        name: "Vecchia",
        anonymous: true,
      }),
    );
    expect(loadIdentity()).toBeNull();
    expect(loadLegacyIdentity()).toMatchObject({ token: "invite-token", name: "Vecchia" });
    saveIdentity(joined);
    expect(loadLegacyIdentity()).toBeNull();
  });

  test("the audience of one's own pending answers follows how the person joined", async () => {
    const { saveIdentity, pageIdentity } = await import("../src/lib/identity.ts");
    expect(ownAnswerAudience(saveIdentity(joined))).toEqual({ kind: "participant", userId: "u-1" });
    expect(ownAnswerAudience(saveIdentity({ ...joined, anonymous: true }))).toEqual({
      kind: "participant",
      userId: "a-1",
    });
    expect(ownAnswerAudience(pageIdentity("invite", "Proiettore"))).toEqual({ kind: "projector" });
  });
});
