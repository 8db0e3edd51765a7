import { describe, expect, it, beforeEach } from "vitest";
import { addCluster, assignToCluster, hideAnswer, listClusters } from "@percorso/schema";
import { suggestGroups } from "../src/facilitation/suggestGroups.ts";
import {
  ADMIN_TOKEN,
  answerAs,
  api,
  newPerson,
  useTestServer,
  waitFor,
  openQuestions,
} from "./harness.ts";

/** Real-looking answers to "Quali nuovi temi?" with three known themes, mixed up. */
const ANSWERS = [
  ["f1", "Servono corsi di formazione per i giovani delle associazioni della diaspora"],
  ["a1", "Progetti sull'acqua: pozzi e irrigazione nei villaggi del Senegal"],
  ["b1", "Bandi regionali più semplici, con finanziamenti anche alle piccole associazioni"],
  ["f2", "Formazione dei giovani volontari prima della partenza, con tutor esperti"],
  ["a2", "Accesso all'acqua potabile e gestione condivisa dei pozzi con i comuni"],
  ["b2", "I bandi dovrebbero finanziare progetti pluriennali, non solo annuali"],
  ["f3", "Scambi di giovani tra scuole toscane e africane, formazione reciproca"],
  ["a3", "Irrigazione a goccia e riuso dell'acqua per l'agricoltura familiare"],
  ["b3", "Finanziamenti ponte per chi vince i bandi europei e aspetta i fondi"],
  ["f4", "Percorsi di formazione professionale per giovani migranti di ritorno"],
  ["a4", "Raccolta dell'acqua piovana nelle scuole rurali"],
  ["b4", "Un fondo regionale di cofinanziamento per i bandi dell'Unione europea"],
].map(([id, text]) => ({ id: id!, text: text! }));

describe("suggested groups of answers (issue 13)", () => {
  it("finds the three themes of a fixture of Italian answers, with telling labels", () => {
    const groups = suggestGroups(ANSWERS);
    expect(groups.length).toBeGreaterThanOrEqual(3);
    // Each group is mostly one theme (the first letter of the id), and each theme mostly one group.
    const purity = (ids: string[]) => {
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id[0]!, (counts.get(id[0]!) ?? 0) + 1);
      return Math.max(...counts.values()) / ids.length;
    };
    for (const group of groups) expect(purity(group.answerIds)).toBeGreaterThanOrEqual(0.75);
    for (const theme of ["f", "a", "b"]) {
      const biggest = Math.max(
        ...groups.map((g) => g.answerIds.filter((id) => id.startsWith(theme)).length),
      );
      expect(biggest).toBeGreaterThanOrEqual(3);
    }
    const labels = groups.map((g) => g.label.toLowerCase()).join(" | ");
    expect(labels).toMatch(/formazione|giovani/);
    expect(labels).toMatch(/acqua/);
    expect(labels).toMatch(/bandi|finanziament/);
    // Fillers and modals never make a label.
    expect(labels).not.toMatch(/dovrebbero|servono|entro/);
  });

  it("gives the same groups for the same answers, and none when there is nothing to group", () => {
    expect(suggestGroups(ANSWERS)).toEqual(suggestGroups(ANSWERS));
    expect(suggestGroups(ANSWERS.slice(0, 3))).toEqual([]);
    expect(suggestGroups(ANSWERS.map((a, i) => ({ id: a.id, text: `parola${i}` })))).toEqual([]);
  });
});

describe("POST …/questions/:qid/suggested-groups", () => {
  const server = useTestServer();
  // The starter questions are drafts: open them as the facilitator would.
  beforeEach(() => openQuestions(server, "s5-co-sviluppo"));

  it("proposes groups of a question's visible answers to its facilitators only", async () => {
    const SEMINAR_ID = "s5-co-sviluppo";
    const QUESTION = `${SEMINAR_ID}-q1`;
    const path = `/api/programmes/toscana-2021/seminars/${SEMINAR_ID}/questions/${QUESTION}/suggested-groups`;
    const participant = await server.join(
      `seminar:${SEMINAR_ID}`,
      { role: "participant", seminarId: SEMINAR_ID },
      { name: "Ada" },
    );
    for (const answer of ANSWERS)
      answerAs(participant, answer.text, { questionId: QUESTION, id: answer.id });
    const witness = await server.connect(`seminar:${SEMINAR_ID}`, ADMIN_TOKEN);
    await waitFor(() => witness.doc.getArray("answers").length === ANSWERS.length, "the answers");
    hideAnswer(witness.doc, "a4");
    // What a second client sees, the server has.
    const second = await server.connect(`seminar:${SEMINAR_ID}`, ADMIN_TOKEN);
    await waitFor(() => second.doc.getMap("moderation").size === 1, "the hidden answer");
    const facilitator = await newPerson(server, { role: "facilitator", seminarId: SEMINAR_ID });
    const response = await api(server, "POST", path, { token: facilitator.token, body: {} });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { answers: number; groups: { answerIds: string[] }[] };
    expect(body.answers).toBe(ANSWERS.length - 1);
    expect(body.groups.flatMap((g) => g.answerIds)).not.toContain("a4");
    expect(body.groups.length).toBeGreaterThanOrEqual(3);
    const refused = await api(server, "POST", path, { token: participant.person!.token, body: {} });
    expect(refused.status).toBe(403);

    // Two answers grouped by hand: asked again, the suggestions are for the others only.
    const clusterId = addCluster(witness.doc, "Raggruppate a mano", "theme");
    assignToCluster(witness.doc, "a1", clusterId);
    assignToCluster(witness.doc, "a2", clusterId);
    await waitFor(() => listClusters(second.doc)[0]?.answerIds.length === 2, "the manual group");
    const again = await api(server, "POST", path, { token: facilitator.token, body: {} });
    const rest = (await again.json()) as { answers: number; groups: { answerIds: string[] }[] };
    expect(rest.answers).toBe(ANSWERS.length - 3);
    expect(rest.groups.flatMap((g) => g.answerIds)).not.toContain("a1");
    expect(rest.groups.flatMap((g) => g.answerIds)).not.toContain("a2");
  });
});
