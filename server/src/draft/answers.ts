import {
  listAllAnswers,
  listQuestions,
  readModeration,
  seminarDocumentName,
  type CitedAnswer,
  type Programme,
} from "@percorso/schema";
import type { DocumentRegistry } from "../collab/registry.ts";
import { notFound } from "../errors.ts";

/** Finds an answer in one seminar, or in every seminar of the programme when none is given. */
export async function findCitedAnswer(
  registry: DocumentRegistry,
  programme: Programme,
  answerId: string,
  seminarId?: string,
): Promise<CitedAnswer> {
  const seminars = programme.seminars.filter(
    (seminar) => seminarId === undefined || seminar.id === seminarId,
  );
  for (const seminar of seminars) {
    const found = await registry.read(seminarDocumentName(seminar.id), (doc) => {
      const answer = listAllAnswers(doc).find((candidate) => candidate.id === answerId);
      if (answer === undefined) return null;
      const question = listQuestions(doc).find((q) => q.id === answer.questionId);
      const moderation = readModeration(doc).get(answer.id);
      return {
        answer: {
          id: answer.id,
          text: answer.text,
          author: answer.author,
          anonymous: answer.author === "",
          actorKind: answer.actorKind ?? null,
          createdAt: answer.createdAt,
          votes: answer.voters.length,
          moderation:
            moderation === undefined ? null : moderation === "hidden" ? "hidden" : "merged",
        },
        question: question === undefined ? null : { id: question.id, text: question.text },
      } as const;
    });
    if (found !== null) {
      return {
        ...found,
        seminar: {
          id: seminar.id,
          number: seminar.number,
          title: seminar.title,
          date: seminar.date,
        },
        link: `/seminari/${encodeURIComponent(seminar.id)}?risposta=${encodeURIComponent(answerId)}`,
      };
    }
  }
  throw notFound(`No answer '${answerId}' in programme '${programme.id}'`);
}
