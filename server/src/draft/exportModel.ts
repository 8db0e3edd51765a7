import * as Y from "yjs";
import {
  ACTOR_KINDS,
  ACTOR_KIND_LABEL,
  blocksOf,
  draftRoots,
  flatText,
  isEmptyBlock,
  italianDate,
  italianDateWithArticle,
  quoted,
  italianPeriod,
  listAllAnswers,
  listQuestions,
  listSuggestions,
  listVisibleAnswers,
  participation,
  readModeration,
  readRollupSources,
  runsIn,
  runsText,
  sectionAgreement,
  sectionKey,
  tallyReactions,
  type ActorKind,
  type DraftVersion,
  type Participation,
  type Programme,
  type ReactionTally,
  type RichBlock,
  type SeminarInfo,
  type Suggestion,
  type SuggestionStatus,
} from "@percorso/schema";

/**
 * The orientation draft as a document a regional office can file (issue 9, "Exports"): cover,
 * contents, chapters with citations numbered as footnotes (one per occurrence, in reading
 * order), the annex of the cited answers, participation by seminar and kind of actor, the
 * plenary's suggestions and reactions. Plain data with its Italian words and dates; the
 * renderers in `export/` only lay it out.
 */

export const EXPORT_LABEL = {
  documentKind: "Documento di indirizzo",
  contents: "Indice",
  notes: "Note",
  emptyChapter: "Capitolo ancora da redigere.",
  annex: "Allegato A — Le risposte citate",
  annexEmpty: "Il documento non cita risposte dei seminari.",
  participation: "Allegato B — Partecipazione ai seminari",
  participationByKind: "Risposte per tipo di attore",
  suggestions: "Allegato C — Proposte della plenaria",
  noSuggestions: "Nessuna proposta",
  reactions: "Allegato D — Reazioni della plenaria per sezione",
  agree: "D'accordo",
  disagree: "Contrari",
  abstain: "Astenuti",
  anonymous: "anonimo",
  noQuestion: "Domanda non più presente",
} as const;

export const SUGGESTION_STATUS_LABEL: Record<SuggestionStatus, string> = {
  accepted: "accolta",
  rejected: "non accolta",
  withdrawn: "ritirata",
  open: "in attesa di decisione",
};

export interface ExportAnswer {
  id: string;
  seminarId: string;
  text: string;
  /** The display name, "anonimo" for an anonymous answer. */
  author: string;
  /** The kind of actor in words, or null when the participant did not say. */
  actorKind: string | null;
  votes: number;
  /** Set when the facilitator hid the answer or merged it into another. */
  moderation: "nascosta nella sala" | "riunita a un'altra risposta" | null;
  question: { id: string; text: string } | null;
  /** The footnotes citing it. */
  notes: number[];
}

export interface ExportNote {
  n: number;
  /** The footnote's text: the answer, its author, seminar and question; or a drafter's note. */
  text: string;
  answer: ExportAnswer | null;
}

export interface ExportChapter {
  key: string;
  title: string;
  /** Where its text came from, in words ("Dal seminario 2 …, ripreso il … da …"), if rolled up. */
  provenance: string | null;
  blocks: RichBlock[];
  /** The footnotes of its citations, in order. */
  notes: ExportNote[];
}

export interface ExportSuggestion {
  id: string;
  section: string;
  author: string;
  originalText: string;
  proposedText: string;
  status: SuggestionStatus;
  statusLabel: string;
  reason: string;
  /** "non accolta da Diana Redattrice il 25 novembre 2021", or "" while open. */
  decision: string;
  support: number;
  objections: number;
}

export interface ExportSeminarParticipation {
  number: number;
  title: string;
  date: string;
  answers: number;
  people: number;
  byActorKind: Record<string, number>;
}

export interface DraftExport {
  cover: {
    title: string;
    /** The programme's title when the document is titled otherwise, and its subtitle. */
    lines: string[];
    period: string;
    place: string;
    conference: string;
    /** "Versione «…» del …, salvata da …", or "Testo al …" for the current text. */
    version: string;
  };
  /** Text before the first chapter (after the title). */
  preface: { blocks: RichBlock[]; notes: ExportNote[] };
  chapters: ExportChapter[];
  /** Every footnote, in order (`n` = index + 1). */
  notes: ExportNote[];
  annex: {
    seminar: { number: number; title: string };
    questions: { text: string; answers: ExportAnswer[] }[];
  }[];
  participation: {
    seminars: ExportSeminarParticipation[];
    /** The kinds of actor that answered somewhere, in words, in the catalogue's order. */
    kinds: { key: string; label: string }[];
    total: { answers: number; byActorKind: Record<string, number> };
  };
  suggestions: ExportSuggestion[];
  reactions: ExportReactions[];
  generatedAt: number;
}

/** A section's reactions: the totals, and the same totals by kind of actor (issue 10). */
export type ExportReactions = { title: string } & ReactionTally & {
    byKind: ({ label: string } & ReactionTally)[];
  };

// ---------------------------------------------------------------------------------------
// The draft's side, read from the draft document (as it is or was at a version)

export interface DraftPart {
  title: string | null;
  preface: RichBlock[];
  chapters: { key: string; title: string; blocks: RichBlock[]; source: SourceLine | null }[];
  suggestions: ExportSuggestion[];
  reactions: ExportReactions[];
}

interface SourceLine {
  seminarId: string;
  rolledUpAt: number;
  by: string;
}

const isChapterHeading = (block: RichBlock) => block.type === "heading" && block.level <= 2;

/**
 * Reads what the export needs of the draft document; pure, so it runs on a version too.
 * `kindOf` tells the kind of actor behind an anonymous id (the reactions' totals by kind).
 */
export function readDraftPart(
  doc: Y.Doc,
  kindOf: (anonId: string) => ActorKind | undefined = () => undefined,
): DraftPart {
  const blocks = blocksOf(draftRoots(doc).body).filter((block) => !isEmptyBlock(block));
  let title: string | null = null;
  const preface: RichBlock[] = [];
  const chapters: DraftPart["chapters"] = [];
  const sources = readRollupSources(doc);
  for (const block of blocks) {
    if (block.type === "heading" && block.level === 1 && title === null && chapters.length === 0) {
      title = flatText(runsText(block.runs));
    } else if (isChapterHeading(block) && block.type === "heading") {
      const chapterTitle = flatText(runsText(block.runs));
      const key = sectionKey(chapterTitle);
      const source = sources.get(key);
      chapters.push({
        key,
        title: chapterTitle,
        blocks: [],
        source:
          source === undefined
            ? null
            : { seminarId: source.seminarId, rolledUpAt: source.rolledUpAt, by: source.by },
      });
    } else (chapters.at(-1)?.blocks ?? preface).push(block);
  }
  const titles = new Map(chapters.map((chapter) => [chapter.key, chapter.title]));
  const agreement = new Map(sectionAgreement(doc, kindOf).map((s) => [s.section, s]));
  return {
    title,
    preface,
    chapters,
    suggestions: readSuggestions(doc, titles),
    reactions: chapters.map((chapter) => ({
      title: chapter.title,
      ...tallyReactions(doc, chapter.key),
      // In the catalogue's order of kinds, only the kinds that reacted.
      byKind: ACTOR_KINDS.flatMap((kind) => {
        const tally = agreement.get(chapter.key)?.byKind[kind];
        return tally === undefined ? [] : [{ label: ACTOR_KIND_LABEL[kind] ?? kind, ...tally }];
      }),
    })),
  };
}

/** The plenary's suggestions, by section in the body's order, then as they came. */
function readSuggestions(doc: Y.Doc, titles: ReadonlyMap<string, string>): ExportSuggestion[] {
  const order = [...titles.keys()];
  const rank = (section: string) => {
    const index = order.indexOf(section);
    return index < 0 ? order.length : index;
  };
  // Array.prototype.sort is stable: suggestions made at the same moment keep their order.
  return listSuggestions(doc)
    .sort((a, b) => rank(a.section) - rank(b.section) || a.createdAt - b.createdAt)
    .map((suggestion) => exportSuggestion(suggestion, titles));
}

function exportSuggestion(
  suggestion: Suggestion,
  titles: ReadonlyMap<string, string>,
): ExportSuggestion {
  const { status, decidedBy, decidedAt } = suggestion;
  return {
    id: suggestion.id,
    section: titles.get(suggestion.section) ?? suggestion.section,
    author: suggestion.author || EXPORT_LABEL.anonymous,
    originalText: suggestion.originalText,
    proposedText: suggestion.proposedText,
    status,
    statusLabel: SUGGESTION_STATUS_LABEL[status],
    reason: suggestion.reason,
    decision:
      status === "accepted" || status === "rejected"
        ? [
            SUGGESTION_STATUS_LABEL[status],
            decidedBy ? `da ${decidedBy}` : "",
            decidedAt !== null ? italianDateWithArticle(decidedAt) : "",
          ]
            .filter(Boolean)
            .join(" ")
        : "",
    support: suggestion.support,
    objections: suggestion.objections,
  };
}

// ---------------------------------------------------------------------------------------
// The seminars' side: answers, questions and participation, read as they are now

export interface SeminarFacts {
  info: SeminarInfo;
  participation: Participation;
  questions: { id: string; text: string }[];
  answers: Map<string, Omit<ExportAnswer, "notes">>;
}

/** What the export needs of a seminar, read as it is now (pure: it runs in a worker too). */
export function readSeminar(doc: Y.Doc, info: SeminarInfo): SeminarFacts {
  const questions = listQuestions(doc).map(({ id, text }) => ({ id, text }));
  const byId = new Map(questions.map((question) => [question.id, question]));
  const moderation = readModeration(doc);
  // The room's count: a visible answer's votes include those of the answers merged into it.
  const visibleVotes = new Map(
    questions.flatMap((question) =>
      listVisibleAnswers(doc, question.id).map((answer) => [answer.id, answer.votes] as const),
    ),
  );
  const answers = new Map<string, Omit<ExportAnswer, "notes">>();
  for (const answer of listAllAnswers(doc)) {
    const moderated = moderation.get(answer.id);
    answers.set(answer.id, {
      id: answer.id,
      seminarId: info.id,
      text: answer.text,
      author: answer.author || EXPORT_LABEL.anonymous,
      actorKind: answer.actorKind ? (ACTOR_KIND_LABEL[answer.actorKind] ?? answer.actorKind) : null,
      votes: visibleVotes.get(answer.id) ?? answer.voters.length,
      moderation:
        moderated === undefined
          ? null
          : moderated === "hidden"
            ? "nascosta nella sala"
            : "riunita a un'altra risposta",
      question: byId.get(answer.questionId) ?? null,
    });
  }
  return { info, participation: participation(doc), questions, answers };
}

// ---------------------------------------------------------------------------------------
// Assembly

export interface ExportVersion {
  version: DraftVersion | null;
  at: number;
}

function coverOf(programme: Programme, title: string, { version, at }: ExportVersion) {
  return {
    title,
    lines: [...(title === programme.title ? [] : [programme.title]), programme.subtitle].filter(
      (line) => line.trim() !== "",
    ),
    period: italianPeriod(programme.period),
    place: programme.place,
    conference: `${programme.conference.title}, ${italianDate(programme.conference.date)}`,
    version:
      version === null
        ? `Testo ${italianDateWithArticle(at, "al")}`
        : `Versione ${quoted(version.label)} ${italianDateWithArticle(version.at, "del")}` +
          (version.by ? `, salvata da ${version.by}` : ""),
  };
}

function noteText(
  answer: Omit<ExportAnswer, "notes"> | null,
  seminars: SeminarFacts[],
  label: string,
) {
  if (answer === null)
    return `Risposta citata non più presente nei seminari: «${flatText(label)}».`;
  const seminar = seminars.find((facts) => facts.info.id === answer.seminarId)?.info;
  return [
    `«${flatText(answer.text)}» — ${answer.author}`,
    ...(seminar ? [`Seminario ${seminar.number}: ${seminar.title}`] : []),
    `Domanda: ${answer.question ? flatText(answer.question.text) : EXPORT_LABEL.noQuestion}`,
    ...(answer.moderation ? [`(${answer.moderation})`] : []),
  ].join(" · ");
}

/** Puts the draft's part and the seminars' facts together, numbering the citations. */
export function assembleExport(
  programme: Programme,
  draft: DraftPart,
  seminars: SeminarFacts[],
  version: ExportVersion,
): DraftExport {
  const notes: ExportNote[] = [];
  const cited = new Map<string, ExportAnswer>();
  /** The cited answer, in the seminar the citation names, or in any when it names none. */
  const find = (answerId: string, seminarId: string | undefined) => {
    const among =
      seminarId === undefined ? seminars : seminars.filter((facts) => facts.info.id === seminarId);
    for (const facts of among) {
      const answer = facts.answers.get(answerId);
      if (answer !== undefined) return answer;
    }
    return null;
  };
  /** Numbers the citations and footnotes of some blocks (their runs get `note`), returning their notes. */
  const number = (blocks: RichBlock[]): ExportNote[] => {
    const mine: ExportNote[] = [];
    for (const run of runsIn(blocks)) {
      if (run.footnote !== undefined) {
        // A drafter's own footnote: numbered with the citations, in reading order.
        const note = { n: notes.length + 1, text: run.footnote, answer: null };
        run.note = note.n;
        notes.push(note);
        mine.push(note);
        continue;
      }
      if (run.citation === undefined) continue;
      const found = find(run.citation, run.seminarId);
      const n = notes.length + 1;
      run.note = n;
      let answer: ExportAnswer | null = null;
      if (found !== null) {
        const key = `${found.seminarId}/${found.id}`;
        answer = cited.get(key) ?? { ...found, notes: [] };
        answer.notes.push(n);
        cited.set(key, answer);
      }
      const note = { n, text: noteText(found, seminars, run.text.replace(/^«|»$/g, "")), answer };
      notes.push(note);
      mine.push(note);
    }
    return mine;
  };

  const prefaceNotes = number(draft.preface);
  const chapters = draft.chapters.map((chapter): ExportChapter => {
    const seminar =
      chapter.source === null
        ? undefined
        : programme.seminars.find((s) => s.id === chapter.source?.seminarId);
    return {
      key: chapter.key,
      title: chapter.title,
      provenance:
        chapter.source === null
          ? null
          : [
              seminar ? `Dal seminario ${seminar.number} «${seminar.title}»` : "Da un seminario",
              `ripreso ${italianDateWithArticle(chapter.source.rolledUpAt)}`,
              ...(chapter.source.by ? [`da ${chapter.source.by}`] : []),
            ].join(", "),
      blocks: chapter.blocks,
      notes: number(chapter.blocks),
    };
  });

  const annex = seminars
    .map((facts) => {
      const answers = [...cited.values()].filter((a) => a.seminarId === facts.info.id);
      const groups = [
        ...facts.questions.map((q) => ({ id: q.id as string | null, text: q.text })),
        { id: null, text: EXPORT_LABEL.noQuestion },
      ]
        .map((question) => ({
          text: question.text,
          answers: answers
            .filter((a) => (a.question?.id ?? null) === question.id)
            .sort((a, b) => (a.notes[0] ?? 0) - (b.notes[0] ?? 0)),
        }))
        .filter((group) => group.answers.length > 0);
      return { seminar: { number: facts.info.number, title: facts.info.title }, questions: groups };
    })
    .filter((entry) => entry.questions.length > 0);

  const kindKeys = Object.keys(ACTOR_KIND_LABEL);
  const present = new Set(
    seminars.flatMap((facts) => Object.keys(facts.participation.byActorKind)),
  );
  const kinds = [...kindKeys, ...[...present].filter((key) => !kindKeys.includes(key))]
    .filter((key) => present.has(key))
    .map((key) => ({ key, label: ACTOR_KIND_LABEL[key] ?? key }));
  const total = { answers: 0, byActorKind: {} as Record<string, number> };
  for (const facts of seminars) {
    total.answers += facts.participation.answers;
    for (const [kind, n] of Object.entries(facts.participation.byActorKind)) {
      total.byActorKind[kind] = (total.byActorKind[kind] ?? 0) + n;
    }
  }

  return {
    cover: coverOf(programme, draft.title || programme.title, version),
    preface: { blocks: draft.preface, notes: prefaceNotes },
    chapters,
    notes,
    annex,
    participation: {
      seminars: seminars.map((facts) => ({
        number: facts.info.number,
        title: facts.info.title,
        date: italianDate(facts.info.date),
        ...facts.participation,
      })),
      kinds,
      total,
    },
    suggestions: draft.suggestions,
    reactions: draft.reactions,
    generatedAt: version.at,
  };
}
