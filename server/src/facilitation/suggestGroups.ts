import { kmeans } from "ml-kmeans";
import { newStemmer } from "snowball-stemmers";
import stopwords from "stopwords-iso/stopwords-iso.json" with { type: "json" };
import { PROPOSAL_FILLERS } from "@percorso/schema";

/**
 * Suggested groups of a question's answers (issue 13), from their words alone, on the server
 * (no model to download, nothing leaves it): Italian words stemmed (Snowball), stop words and
 * the fillers of spoken proposals left out, TF-IDF vectors, k-means (`ml-kmeans`, seeded, so the
 * same answers give the same groups) with the number of groups chosen by silhouette; each
 * group labelled with its most telling words. The facilitator accepts, renames, splits or
 * discards them.
 */
export interface AnswerText {
  id: string;
  text: string;
}

export interface SuggestedGroup {
  label: string;
  answerIds: string[];
  /** The words that made the group, most telling first. */
  terms: string[];
}

// The proposal fillers are the word cloud's too: one list, in the schema.
const STOP = new Set([...stopwords.it, ...PROPOSAL_FILLERS].map((word) => word.toLowerCase()));
const stemmer = newStemmer("italian");

interface Tokens {
  stems: string[];
  /** Surface form seen most for each stem (for labels). */
  forms: Map<string, string>;
}

function tokenize(text: string): Tokens {
  const stems: string[] = [];
  const forms = new Map<string, string>();
  // Elisions go with the article they belong to: "dell'acqua", "sull'acqua" → "acqua".
  for (const match of text.toLowerCase().matchAll(/\p{L}+/gu)) {
    const word = match[0];
    if (word.length < 3 || STOP.has(word)) continue;
    const stem = stemmer.stem(word);
    stems.push(stem);
    if (!forms.has(stem)) forms.set(stem, word);
  }
  return { stems, forms };
}

function cosineDistance(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return 1 - dot; // vectors are unit length
}

/** Mean silhouette of a clustering (1: tight, well apart groups; below 0: none). */
function silhouette(vectors: number[][], labels: number[]): number {
  let total = 0;
  for (let i = 0; i < vectors.length; i++) {
    const sums = new Map<number, { sum: number; count: number }>();
    for (let j = 0; j < vectors.length; j++) {
      if (i === j) continue;
      const entry = sums.get(labels[j]!) ?? { sum: 0, count: 0 };
      entry.sum += cosineDistance(vectors[i]!, vectors[j]!);
      entry.count += 1;
      sums.set(labels[j]!, entry);
    }
    const own = sums.get(labels[i]!);
    if (own === undefined) continue; // alone in its group: silhouette 0
    const a = own.sum / own.count;
    let b = Infinity;
    for (const [label, entry] of sums)
      if (label !== labels[i]) b = Math.min(b, entry.sum / entry.count);
    if (b === Infinity) continue;
    total += (b - a) / Math.max(a, b);
  }
  return total / vectors.length;
}

export function suggestGroups(answers: readonly AnswerText[], maxGroups = 6): SuggestedGroup[] {
  const tokenized = answers.map((answer) => ({ answer, ...tokenize(answer.text) }));
  const usable = tokenized.filter((entry) => entry.stems.length > 0);
  if (usable.length < 4) return [];
  // Terms found in at least two answers: a word of one answer groups nothing.
  const documentFrequency = new Map<string, number>();
  for (const { stems } of usable) {
    for (const stem of new Set(stems))
      documentFrequency.set(stem, (documentFrequency.get(stem) ?? 0) + 1);
  }
  const vocabulary = [...documentFrequency]
    .filter(([, df]) => df >= 2)
    .map(([stem]) => stem)
    .sort();
  if (vocabulary.length === 0) return [];
  const idf = vocabulary.map((stem) => Math.log(usable.length / documentFrequency.get(stem)!) + 1);
  const vectors = usable.map(({ stems }) => {
    const counts = new Map<string, number>();
    for (const stem of stems) counts.set(stem, (counts.get(stem) ?? 0) + 1);
    const vector = vocabulary.map((stem, i) =>
      counts.has(stem) ? (1 + Math.log(counts.get(stem)!)) * idf[i]! : 0,
    );
    const norm = Math.hypot(...vector);
    return norm === 0 ? vector : vector.map((value) => value / norm);
  });
  const withTerms = vectors
    .map((vector, i) => ({ vector, entry: usable[i]! }))
    .filter(({ vector }) => vector.some((v) => v > 0));
  if (withTerms.length < 4) return [];
  const points = withTerms.map(({ vector }) => vector);

  let best: { labels: number[]; score: number } | null = null;
  for (let k = 2; k <= Math.min(maxGroups, points.length - 1); k++) {
    const { clusters } = kmeans(points, k, {
      seed: 20210401,
      initialization: "kmeans++",
      maxIterations: 100,
    });
    const score = silhouette(points, clusters);
    if (best === null || score > best.score + 1e-9) best = { labels: clusters, score };
  }
  if (best === null || best.score <= 0) return [];

  const groups = new Map<number, number[]>();
  best.labels.forEach((label, i) => groups.set(label, [...(groups.get(label) ?? []), i]));
  const result: SuggestedGroup[] = [];
  for (const members of groups.values()) {
    if (members.length < 2) continue; // one answer is not a group
    const weight = vocabulary.map((_, t) => members.reduce((sum, i) => sum + points[i]![t]!, 0));
    const ranked = vocabulary
      .map((stem, t) => ({
        stem,
        weight: weight[t]!,
        shared: members.filter((i) => points[i]![t]! > 0).length,
      }))
      .filter((term) => term.shared >= 2)
      .sort((a, b) => b.shared - a.shared || b.weight - a.weight || a.stem.localeCompare(b.stem))
      .slice(0, 3);
    const form = (stem: string) => {
      for (const i of members) {
        const found = withTerms[i]!.entry.forms.get(stem);
        if (found !== undefined) return found;
      }
      return stem;
    };
    const terms = ranked.map((term) => form(term.stem));
    const label =
      terms.length === 0
        ? "Gruppo"
        : terms.map((t, i) => (i === 0 ? t[0]!.toUpperCase() + t.slice(1) : t)).join(", ");
    result.push({ label, answerIds: members.map((i) => withTerms[i]!.entry.answer.id), terms });
  }
  return result.sort(
    (a, b) => b.answerIds.length - a.answerIds.length || a.label.localeCompare(b.label),
  );
}
