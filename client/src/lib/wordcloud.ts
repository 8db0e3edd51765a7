import { en, it } from "stopwords-iso/stopwords-iso.json";

/**
 * Words of the answers for the projector's word cloud: lower-cased, Italian and English stop
 * words left out (the stopwords-iso lists), elisions split ("dell'ambiente" → "ambiente"),
 * numbers and one-letter tokens dropped. Each answer counts as many times as it has votes + 1,
 * so what the room supports weighs more.
 */
const STOP = new Set<string>([...it, ...en]);

export interface CloudWord {
  word: string;
  weight: number;
}

export function wordCloud(
  answers: readonly { text: string; votes: number }[],
  limit = 40,
): CloudWord[] {
  const counts = new Map<string, number>();
  for (const answer of answers) {
    const seen = new Set<string>();
    for (const raw of answer.text.toLocaleLowerCase("it").split(/[^\p{L}\p{N}'’-]+/u)) {
      const word = raw.replace(/^.*['’]/, "").replace(/^-+|-+$/g, "");
      if (word.length < 2 || /^\p{N}+$/u.test(word) || STOP.has(word) || seen.has(word)) continue;
      seen.add(word);
      counts.set(word, (counts.get(word) ?? 0) + 1 + answer.votes);
    }
  }
  return [...counts]
    .map(([word, weight]) => ({ word, weight }))
    .sort((a, b) => b.weight - a.weight || a.word.localeCompare(b.word, "it"))
    .slice(0, limit);
}
