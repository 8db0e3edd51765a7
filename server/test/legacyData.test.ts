import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import * as Y from "yjs";
import { editAnswer, listAllAnswers } from "@percorso/schema";
import { openSqliteStorage } from "../src/storage/sqlite.ts";
import {
  ADMIN_TOKEN,
  api,
  expectClosed,
  newPerson,
  startTestServer,
  syncedClient,
  tempDataDir,
  voteAs,
  waitFor,
} from "./harness.ts";

const SEMINAR = "seminar:s3-crisi-umanitarie";

/**
 * A `DATA_DIR` written before people and the attributed log existed: compacted snapshots that
 * replaced the log, answers whose `authorId` a browser made up, votes under those ids.
 */
async function writeLegacyDataDir(): Promise<{ dir: string; remove: () => void }> {
  // The programme and its documents as the current server seeds them…
  const seeded = tempDataDir();
  await (await startTestServer(seeded.dir)).stop();
  const current = openSqliteStorage(join(seeded.dir, "percorso.sqlite"));
  const legacy = tempDataDir();
  const db = new DatabaseSync(join(legacy.dir, "percorso.sqlite"));
  db.exec(`
    CREATE TABLE updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc TEXT NOT NULL, data BLOB NOT NULL);
    CREATE INDEX updates_doc_seq ON updates (doc, seq);
    CREATE TABLE snapshots (doc TEXT PRIMARY KEY, data BLOB NOT NULL, upto INTEGER NOT NULL);
    CREATE TABLE records (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id));
  `);
  // …copied into the old layout: records as they were, each document as a snapshot.
  for (const kind of ["programme", "seminar-status"]) {
    for (const record of await current.listRecords(kind)) {
      const { id } = record as { id: string };
      db.prepare("INSERT INTO records VALUES (?, ?, ?)").run(kind, id, JSON.stringify(record));
    }
  }
  const programme = (await current.getRecord("programme", "toscana-2021")) as {
    seminars: { id: string }[];
  };
  const names = [
    "draft:toscana-2021",
    ...programme.seminars.map((seminar) => `seminar:${seminar.id}`),
  ];
  for (const name of names) {
    const stored = await current.load(name);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    if (name === SEMINAR) {
      // The old app seeded its key questions open.
      for (const question of doc.getArray<Y.Map<unknown>>("questions"))
        question.set("state", "open");
      // An answer from the old app: a made-up author id, a vote under a made-up voter id.
      const answer = new Y.Map<unknown>();
      const votes = new Y.Map<boolean>();
      answer.set("id", "old-1");
      answer.set("questionId", "s3-crisi-umanitarie-q1");
      answer.set("text", "Risposta di prima");
      answer.set("author", "Gino");
      answer.set("authorId", "7d1c0f3e-browser-made");
      answer.set("createdAt", 1_620_000_000_000);
      answer.set("votes", votes);
      doc.getArray("answers").push([answer]);
      votes.set("7d1c0f3e-browser-made", true);
    }
    db.prepare("INSERT INTO snapshots VALUES (?, ?, 0)").run(name, Y.encodeStateAsUpdate(doc));
    doc.destroy();
  }
  db.close();
  await current.close();
  seeded.remove();
  return legacy;
}

describe("a data directory from before this release", () => {
  it("still loads and serves: old answers keep their author id, count their votes, stay unchangeable", async () => {
    const legacy = await writeLegacyDataDir();
    const old = await startTestServer(legacy.dir);
    try {
      const programme = await api(old, "GET", "/api/programmes/toscana-2021");
      expect(programme.status).toBe(200);
      const witness = await syncedClient(old, SEMINAR, ADMIN_TOKEN);
      const answers = listAllAnswers(witness.doc);
      expect(answers.map((a) => [a.id, a.author, a.authorId, a.voters.length])).toEqual([
        ["old-1", "Gino", "7d1c0f3e-browser-made", 1],
      ]);

      // A new person votes on it (one more vote) but cannot edit it.
      const ada = await newPerson(old, { role: "participant" }, { name: "Ada" });
      const client = await syncedClient(old, SEMINAR, ada.token);
      client.person = ada;
      voteAs(client, "old-1");
      await waitFor(() => listAllAnswers(witness.doc)[0]!.voters.length === 2, "the new vote");
      editAnswer(client.doc, "old-1", "Riscritta");
      await expectClosed(client, { code: 4403, reason: "forbidden" });

      // Its history starts with what the old log still had; the old state is the baseline.
      const history = await api(old, "GET", `/api/documents/${SEMINAR}/history`, {
        token: ADMIN_TOKEN,
      });
      // Ada's vote: an anonymous act, logged with no person (DESIGN.md §4.2).
      const entries = (await history.json()) as { userId: string | null; anonymous: boolean }[];
      expect(entries.map((e) => [e.userId, e.anonymous])).toEqual([[null, true]]);
      const before = await api(old, "GET", `/api/documents/${SEMINAR}/state?at=0`, {
        token: ADMIN_TOKEN,
      });
      const state = (await before.json()) as { roots: { answers: { id: string }[] } };
      expect(state.roots.answers.map((a) => a.id)).toEqual(["old-1"]);
      witness.destroy();
      client.destroy();
    } finally {
      await old.stop();
      legacy.remove();
    }
  });
});
