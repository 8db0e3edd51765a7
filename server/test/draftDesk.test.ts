import { describe, expect, it, beforeEach } from "vitest";
import * as Y from "yjs";
import { ANSWER_REF_NODE, chapterBlocks, sectionKey } from "@percorso/schema";
import {
  ADMIN_TOKEN,
  answerAs,
  api,
  newPerson,
  useTestServer,
  waitFor,
  type TestClient,
  openQuestions,
} from "./harness.ts";

const PROGRAMME = "toscana-2021";
const S2 = "s2-economia-circolare";
const S3 = "s3-crisi-umanitarie";
const CH2 = sectionKey("Economia circolare");
const CH3 = sectionKey("Crisi umanitarie");
const DESK = `/api/programmes/${PROGRAMME}`;

/** Replaces a seminar's recommendations with paragraphs (plain, or `[text, bold]` pairs). */
function writeParagraphs(client: TestClient, paragraphs: (string | [string, string])[]): void {
  const fragment = client.doc.getXmlFragment("recommendations");
  client.doc.transact(() => {
    fragment.delete(0, fragment.length);
    const texts = paragraphs.map(() => new Y.XmlText());
    fragment.insert(
      0,
      texts.map((text) => {
        const paragraph = new Y.XmlElement("paragraph");
        paragraph.insert(0, [text]);
        return paragraph;
      }),
    );
    // Written once in the document: a text not yet in it takes every insert at its start.
    paragraphs.forEach((content, i) => {
      const text = texts[i]!;
      if (typeof content === "string") text.insert(0, content);
      else {
        text.insert(0, content[0]);
        text.insert(text.length, content[1], { bold: true });
      }
    });
  });
}

/** The plain text of each block of a chapter of the draft. */
const chapterTexts = (doc: Y.Doc, key: string) =>
  (chapterBlocks(doc.getXmlFragment("body"), key) ?? []).map((block) =>
    block instanceof Y.XmlElement
      ? block
          .toArray()
          .map((child) => (child instanceof Y.XmlText ? child.toString() : ""))
          .join("")
      : block.toString(),
  );

interface Status {
  chapter: string;
  seminarId: string;
  rolledUpAt: number | null;
  stale: boolean;
  sourceChangedAt?: number;
}

describe("the drafting desk (issue 9)", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(async () => {
    await openQuestions(server, S2);
    await openQuestions(server, S3);
  });

  async function setUp() {
    const drafter = await newPerson(server, { role: "drafter" }, { name: "Diana Redattrice" });
    const s2 = await server.connect(`seminar:${S2}`, ADMIN_TOKEN);
    const s3 = await server.connect(`seminar:${S3}`, ADMIN_TOKEN);
    const draft = await server.connect(`draft:${PROGRAMME}`, ADMIN_TOKEN);
    // Witnesses: what they see, the server has stored (it fans out only what is durable).
    const w2 = await server.connect(`seminar:${S2}`, ADMIN_TOKEN);
    const w3 = await server.connect(`seminar:${S3}`, ADMIN_TOKEN);
    const stored = (witness: TestClient, text: string) =>
      waitFor(
        () => witness.doc.getXmlFragment("recommendations").toString().includes(text),
        `"${text}" on the server`,
      );
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await api(server, method, `${DESK}${path}`, {
        token: drafter.token,
        ...(body === undefined ? {} : { body }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    return { drafter, s2, s3, w2, w3, stored, draft, call };
  }

  it("rolls two seminars into their chapters with formatting and citations carrying both ids", async () => {
    const { s2, s3, w2, w3, stored, draft, call } = await setUp();
    const participant = await server.join(`seminar:${S2}`, { role: "participant", seminarId: S2 });
    const answerId = answerAs(participant, "Filiere corte in Toscana", {
      questionId: `${S2}-q1`,
    });
    writeParagraphs(s2, [["Sostenere ", "filiere corte"]]);
    await waitFor(() => s2.doc.getArray("answers").length === 1, "the answer");
    const ref = new Y.XmlElement(ANSWER_REF_NODE);
    ref.setAttribute("answerId", answerId);
    ref.setAttribute("label", "Filiere corte in Toscana (Partecipante)");
    (s2.doc.getXmlFragment("recommendations").get(0) as Y.XmlElement).insert(1, [ref]);
    writeParagraphs(s3, ["Corridoi umanitari"]);
    await stored(w2, "(Partecipante)");
    await stored(w3, "Corridoi umanitari");
    const rolled = await call("POST", "/draft/rollup", { seminarId: S2, mode: "replace" });
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({ chapter: CH2, by: "Diana Redattrice" });
    expect((await call("POST", "/draft/rollup", { seminarId: S3 })).status).toBe(200);

    await waitFor(() => chapterTexts(draft.doc, CH3).length === 1, "chapter 3 in the draft");
    expect(chapterTexts(draft.doc, CH2)).toEqual(["Sostenere <bold>filiere corte</bold>"]);
    const citation = (chapterBlocks(draft.doc.getXmlFragment("body"), CH2)![0] as Y.XmlElement)
      .toArray()
      .find((node) => node instanceof Y.XmlElement && node.nodeName === ANSWER_REF_NODE) as
      Y.XmlElement | undefined;
    expect(citation?.getAttribute("answerId")).toBe(answerId);
    expect(citation?.getAttribute("seminarId")).toBe(S2);
    expect(chapterTexts(draft.doc, CH3)).toEqual(["Corridoi umanitari"]);

    // Any reader of the programme follows the citation back to its answer.
    const reader = await newPerson(server, { role: "participant" });
    const cited = await api(server, "GET", `${DESK}/answers/${answerId}?seminarId=${S2}`, {
      token: reader.token,
    });
    expect(await cited.json()).toMatchObject({
      answer: { id: answerId, text: "Filiere corte in Toscana", author: "Partecipante", votes: 0 },
      question: { id: `${S2}-q1` },
      seminar: { id: S2, number: 2 },
      link: `/seminari/${S2}?risposta=${answerId}`,
    });
    const missing = await api(server, "GET", `${DESK}/answers/nope`, { token: reader.token });
    expect(missing.status).toBe(404);
    const refused = await api(server, "POST", `${DESK}/draft/rollup`, {
      token: reader.token,
      body: { seminarId: S2 },
    });
    expect(refused.status).toBe(403);
  });

  it("flags only the changed seminar as stale, shows a redline, and a re-pull clears it", async () => {
    const { s2, s3, w2, w3, stored, call } = await setUp();
    writeParagraphs(s2, ["Economia circolare"]);
    writeParagraphs(s3, ["Corridoi umanitari"]);
    await stored(w2, "Economia circolare");
    await stored(w3, "Corridoi umanitari");
    await call("POST", "/draft/rollup", { seminarId: S2 });
    await call("POST", "/draft/rollup", { seminarId: S3 });
    const before = (await call("GET", "/draft/sources")).body as unknown as Status[];
    expect(before.map((s) => [s.seminarId, s.rolledUpAt !== null, s.stale]).slice(0, 3)).toEqual([
      ["s1-governance", false, false],
      [S2, true, false],
      [S3, true, false],
    ]);

    writeParagraphs(s3, ["Corridoi umanitari sicuri"]);
    await stored(w3, "sicuri");
    const after = (await call("GET", "/draft/sources")).body as unknown as Status[];
    const s3Status = after.find((s) => s.seminarId === S3)!;
    expect(s3Status.stale).toBe(true);
    expect(s3Status.sourceChangedAt).toBeGreaterThan(s3Status.rolledUpAt!);
    expect(after.find((s) => s.seminarId === S2)!.stale).toBe(false);

    const diff = await call("GET", `/draft/sources/${CH3}/diff`);
    expect(diff.body).toMatchObject({
      then: "Corridoi umanitari",
      now: "Corridoi umanitari sicuri",
    });
    expect(diff.body.changes).toContainEqual({ value: "sicuri", added: true });

    await call("POST", "/draft/rollup", { seminarId: S3, mode: "replace" });
    const cleared = (await call("GET", "/draft/sources")).body as unknown as Status[];
    expect(cleared.find((s) => s.seminarId === S3)!.stale).toBe(false);
  });

  it("merges three ways: keeps the draft's edit, takes the source's, asks about a real conflict", async () => {
    const { s3, w3, stored, draft, call } = await setUp();
    writeParagraphs(s3, ["Primo", "Secondo", "Terzo"]);
    await stored(w3, "Terzo");
    await call("POST", "/draft/rollup", { seminarId: S3 });
    await waitFor(() => chapterTexts(draft.doc, CH3).length === 3, "rolled up");

    // The drafting team edits the first paragraph in the draft; a participant the third at the source.
    const drafter = await server.join(`draft:${PROGRAMME}`, { role: "drafter" }, { name: "D" });
    const first = chapterBlocks(drafter.doc.getXmlFragment("body"), CH3)![0] as Y.XmlElement;
    (first.get(0) as Y.XmlText).insert(5, " (rivisto)");
    const third = s3.doc.getXmlFragment("recommendations").get(2) as Y.XmlElement;
    (third.get(0) as Y.XmlText).insert(5, " (dal seminario)");
    await waitFor(() => chapterTexts(draft.doc, CH3)[0] === "Primo (rivisto)", "the draft edit");
    await stored(w3, "(dal seminario)");

    const preview = await call("GET", `/draft/sources/${CH3}/merge`);
    expect(preview.body.conflicts).toBe(0);
    const merged = await call("POST", `/draft/sources/${CH3}/merge`, {
      token: preview.body.token,
      resolutions: [],
    });
    expect(merged.status).toBe(200);
    await waitFor(
      () => chapterTexts(draft.doc, CH3)[2] === "Terzo (dal seminario)",
      "the source edit merged",
    );
    expect(chapterTexts(draft.doc, CH3)).toEqual([
      "Primo (rivisto)",
      "Secondo",
      "Terzo (dal seminario)",
    ]);
    const status = (await call("GET", "/draft/sources")).body as unknown as Status[];
    expect(status.find((s) => s.seminarId === S3)!.stale).toBe(false);

    // Both sides change the second paragraph: a conflict, resolved for the source.
    const second = chapterBlocks(drafter.doc.getXmlFragment("body"), CH3)![1] as Y.XmlElement;
    (second.get(0) as Y.XmlText).insert(7, " (redazione)");
    const sourceSecond = s3.doc.getXmlFragment("recommendations").get(1) as Y.XmlElement;
    (sourceSecond.get(0) as Y.XmlText).insert(7, " (plenaria)");
    await waitFor(() => chapterTexts(draft.doc, CH3)[1] === "Secondo (redazione)", "draft edit");
    await stored(w3, "(plenaria)");
    const conflict = await call("GET", `/draft/sources/${CH3}/merge`);
    expect(conflict.body.conflicts).toBe(1);
    expect(conflict.body.regions).toContainEqual({
      kind: "conflict",
      ours: ["Secondo (redazione)"],
      base: ["Secondo"],
      theirs: ["Secondo (plenaria)"],
    });
    const stale = await call("POST", `/draft/sources/${CH3}/merge`, {
      token: "not-the-preview",
      resolutions: ["theirs"],
    });
    expect(stale.status).toBe(409);
    const resolved = await call("POST", `/draft/sources/${CH3}/merge`, {
      token: conflict.body.token,
      resolutions: ["theirs"],
    });
    expect(resolved.status).toBe(200);
    await waitFor(() => chapterTexts(draft.doc, CH3)[1] === "Secondo (plenaria)", "resolution");
    expect(chapterTexts(draft.doc, CH3)).toEqual([
      "Primo (rivisto)",
      "Secondo (plenaria)",
      "Terzo (dal seminario)",
    ]);
  });

  it("restores one chapter from a version, leaving edits elsewhere as they are", async () => {
    const { s2, s3, w2, w3, stored, draft, call } = await setUp();
    writeParagraphs(s2, ["Capitolo due"]);
    writeParagraphs(s3, ["Capitolo tre"]);
    await stored(w2, "Capitolo due");
    await stored(w3, "Capitolo tre");
    await call("POST", "/draft/rollup", { seminarId: S2 });
    await call("POST", "/draft/rollup", { seminarId: S3 });
    const version = await call("POST", "/draft/versions", { label: "Prima delle modifiche" });
    const drafter = await server.join(`draft:${PROGRAMME}`, { role: "drafter" }, { name: "D" });
    await waitFor(() => chapterTexts(drafter.doc, CH3).length === 1, "the chapters at the drafter");
    for (const key of [CH2, CH3]) {
      const block = chapterBlocks(drafter.doc.getXmlFragment("body"), key)![0] as Y.XmlElement;
      (block.get(0) as Y.XmlText).insert(0, "Modificato: ");
    }
    await waitFor(
      () =>
        chapterTexts(draft.doc, CH2)[0] === "Modificato: Capitolo due" &&
        chapterTexts(draft.doc, CH3)[0] === "Modificato: Capitolo tre",
      "both edits",
    );
    const restored = await call("POST", `/draft/versions/${version.body.id as string}/restore`, {
      chapter: CH3,
    });
    expect(restored.status).toBe(200);
    await waitFor(() => chapterTexts(draft.doc, CH3)[0] === "Capitolo tre", "chapter 3 restored");
    expect(chapterTexts(draft.doc, CH2)).toEqual(["Modificato: Capitolo due"]);
    const shown = await call("GET", `/draft/versions/${version.body.id as string}`);
    expect(JSON.stringify((shown.body.body as { blocks: unknown }).blocks)).toContain(
      "Capitolo tre",
    );
    const missing = await call("POST", `/draft/versions/${version.body.id as string}/restore`, {
      chapter: "non-esiste",
    });
    expect(missing.status).toBe(404);
  });

  it("names versions, shows and compares them, restores one as a new change", async () => {
    const { s3, w3, stored, draft, call } = await setUp();
    writeParagraphs(s3, ["Versione della conferenza"]);
    await stored(w3, "Versione della conferenza");
    await call("POST", "/draft/rollup", { seminarId: S3 });
    const created = await call("POST", "/draft/versions", { label: "Bozza per la conferenza" });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      label: "Bozza per la conferenza",
      by: "Diana Redattrice",
    });

    const drafter = await server.join(`draft:${PROGRAMME}`, { role: "drafter" }, { name: "D" });
    const block = chapterBlocks(drafter.doc.getXmlFragment("body"), CH3)![0] as Y.XmlElement;
    (block.get(0) as Y.XmlText).insert(0, "Nuova ");
    await waitFor(() => chapterTexts(draft.doc, CH3)[0]!.startsWith("Nuova"), "the edit");

    const versions = (await call("GET", "/draft/versions")).body as unknown as { id: string }[];
    expect(versions.map((v) => v.id)).toEqual([id]);
    const shown = await call("GET", `/draft/versions/${id}`);
    expect((shown.body.body as { text: string[] }).text).toContain("Versione della conferenza");
    const compared = await call("GET", `/draft/compare?from=${id}&to=now`);
    expect(compared.body.changes).toContainEqual({ value: "Nuova ", added: true });

    expect((await call("POST", `/draft/versions/${id}/restore`)).status).toBe(200);
    await waitFor(
      () => chapterTexts(draft.doc, CH3)[0] === "Versione della conferenza",
      "the restored version",
    );
    const history = await api(server, "GET", `/api/documents/draft:${PROGRAMME}/history`, {
      token: ADMIN_TOKEN,
    });
    const entries = (await history.json()) as { name: string }[];
    expect(entries.at(-1)!.name).toBe("Diana Redattrice");
    expect((await call("GET", "/draft/versions/nope")).status).toBe(404);
  });
});
