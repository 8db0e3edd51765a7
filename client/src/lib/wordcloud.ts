import { en, it } from "stopwords-iso/stopwords-iso.json";
import { PROPOSAL_FILLERS } from "@percorso/schema";

/**
 * Words of the answers for the projector's word cloud: lower-cased, Italian and English stop
 * words left out (the stopwords-iso lists) and the modals and fillers of spoken proposals
 * ("dovrebbe", "serve", "entro"), elisions split ("dell'ambiente" → "ambiente"), numbers and
 * one-letter tokens dropped. A word weighs as many answers as use it — not how often one
 * answer repeats it, nor how long an answer is — so one long answer cannot fill the cloud;
 * votes only break ties.
 */
const STOP = new Set<string>([...it, ...en, ...PROPOSAL_FILLERS]);

export interface CloudWord {
  word: string;
  /** How many answers use the word. */
  weight: number;
}

export function wordCloud(
  answers: readonly { text: string; votes: number }[],
  limit = 40,
): CloudWord[] {
  const counts = new Map<string, { answers: number; votes: number }>();
  for (const answer of answers) {
    const seen = new Set<string>();
    for (const raw of answer.text.toLocaleLowerCase("it").split(/[^\p{L}\p{N}'’-]+/u)) {
      const word = raw.replace(/^.*['’]/, "").replace(/^-+|-+$/g, "");
      if (word.length < 2 || /^\p{N}+$/u.test(word) || STOP.has(word) || seen.has(word)) continue;
      seen.add(word);
      const entry = counts.get(word) ?? { answers: 0, votes: 0 };
      counts.set(word, { answers: entry.answers + 1, votes: entry.votes + answer.votes });
    }
  }
  return [...counts]
    .sort(
      ([a, x], [b, y]) => y.answers - x.answers || y.votes - x.votes || a.localeCompare(b, "it"),
    )
    .slice(0, limit)
    .map(([word, { answers: weight }]) => ({ word, weight }));
}
