import { describe, expect, it } from "vitest";
import { TOSCANA_2021, listAllAnswers, listQuestions } from "@percorso/schema";
import {
  ADMIN_TOKEN,
  answerAs,
  expectClosed,
  openQuestions,
  useTestServer,
  waitFor,
} from "./harness.ts";

const SEMINAR_ID = "s2-economia-circolare";
const SEMINAR = `seminar:${SEMINAR_ID}`;

/**
 * Issue 22: a seminar still "In programma" takes no answers. The seed's key questions are
 * drafts until its facilitator opens them — one at a time if they like.
 */
describe("seeded key questions start as drafts", () => {
  const server = useTestServer();

  it("seeds every seminar's questions as drafts, and refuses an answer until the facilitator opens its question", async () => {
    for (const seminar of TOSCANA_2021.seminars) {
      const reader = await server.connect(`seminar:${seminar.id}`, ADMIN_TOKEN);
      const questions = listQuestions(reader.doc);
      expect(questions).toHaveLength(seminar.starterQuestions.length);
      expect(questions.every((q) => q.state === "draft")).toBe(true);
    }

    const grant = { role: "participant", seminarId: SEMINAR_ID };
    const early = await server.join(SEMINAR, grant, { name: "Ada" });
    answerAs(early, "Troppo presto", { questionId: `${SEMINAR_ID}-q1` });
    await expectClosed(early, { code: 4403, reason: "forbidden" });
    expect(early.denied[0]).toMatch(/the question is not open/);

    // The facilitator opens the second question alone: the first and third stay drafts.
    await openQuestions(server, SEMINAR_ID, [`${SEMINAR_ID}-q2`]);
    const witness = await server.connect(SEMINAR, ADMIN_TOKEN);
    expect(listQuestions(witness.doc).map((q) => q.state)).toEqual(["draft", "open", "draft"]);

    const ada = await server.join(SEMINAR, grant, { name: "Ada" });
    answerAs(ada, "Ora sì", { questionId: `${SEMINAR_ID}-q2` });
    await waitFor(
      () => listAllAnswers(witness.doc).some((a) => a.text === "Ora sì"),
      "the answer to the open question",
    );
    expect(listAllAnswers(witness.doc).map((a) => a.text)).toEqual(["Ora sì"]);
  });
});
