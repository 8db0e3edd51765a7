import {
  blocksToMarkdown,
  escapeMarkdown,
  flatText,
  joinMarkdown,
  tableMarkdown,
  type MarkdownOptions,
} from "@percorso/schema";
import { EXPORT_LABEL, type DraftExport, type ExportNote } from "../exportModel.ts";
import {
  BY_KIND_HEADER,
  BY_KIND_TITLE,
  appendixTitles,
  reactionsByKindRows,
  suggestionRows,
} from "./shared.ts";

/** The orientation draft as Markdown: GitHub-flavoured (footnotes, pipe tables). */

const TEXT: MarkdownOptions = {
  cite: (run) => (run.note === undefined ? undefined : `${run.note}`),
};

const cell = (text: string) => escapeMarkdown(flatText(text));

const noteLines = (notes: readonly ExportNote[]) =>
  notes.length === 0 ? [] : [...notes.map((note) => `[^${note.n}]: ${cell(note.text)}`), ""];

export function draftMarkdown(model: DraftExport): string {
  const { cover } = model;
  const lines: string[] = [
    `# ${escapeMarkdown(cover.title)}`,
    "",
    ...cover.lines.flatMap((line) => [`_${cell(line)}_`, ""]),
    `${EXPORT_LABEL.documentKind} · ${cell(cover.period)} · ${cell(cover.place)}`,
    "",
    cell(cover.conference),
    "",
    `_${cell(cover.version)}_`,
    "",
    `## ${EXPORT_LABEL.contents}`,
    "",
    ...[...model.chapters.map((chapter) => chapter.title), ...appendixTitles].map(
      (title, index) => `${index + 1}. ${cell(title)}`,
    ),
    "",
    ...blocksToMarkdown(model.preface.blocks, TEXT),
    ...noteLines(model.preface.notes),
  ];

  for (const chapter of model.chapters) {
    lines.push(`## ${escapeMarkdown(chapter.title)}`, "");
    if (chapter.provenance !== null) lines.push(`_${cell(chapter.provenance)}_`, "");
    if (chapter.blocks.length === 0) lines.push(`_${EXPORT_LABEL.emptyChapter}_`, "");
    lines.push(...blocksToMarkdown(chapter.blocks, TEXT), ...noteLines(chapter.notes));
  }

  lines.push(`## ${EXPORT_LABEL.annex}`, "");
  if (model.annex.length === 0) lines.push(`_${EXPORT_LABEL.annexEmpty}_`, "");
  for (const { seminar, questions } of model.annex) {
    lines.push(`### Seminario ${seminar.number}: ${escapeMarkdown(seminar.title)}`, "");
    for (const question of questions) {
      lines.push(`#### ${escapeMarkdown(flatText(question.text))}`, "");
      lines.push(
        ...tableMarkdown([
          ["Risposta", "Voti", "Tipo di attore", "Autore", "Note"],
          ...question.answers.map((answer) => [
            cell(answer.text) + (answer.moderation ? ` _(${answer.moderation})_` : ""),
            `${answer.votes}`,
            cell(answer.actorKind ?? "—"),
            cell(answer.author),
            answer.notes.join(", "),
          ]),
        ]),
        "",
      );
    }
  }

  const { participation } = model;
  lines.push(
    `## ${EXPORT_LABEL.participation}`,
    "",
    ...tableMarkdown([
      ["Seminario", "Data", "Risposte", "Persone"],
      ...participation.seminars.map((s) => [
        `${s.number}. ${cell(s.title)}`,
        cell(s.date),
        `${s.answers}`,
        `${s.people}`,
      ]),
      ["**Totale**", "", `**${participation.total.answers}**`, ""],
    ]),
    "",
  );
  if (participation.kinds.length > 0) {
    lines.push(
      `### ${EXPORT_LABEL.participationByKind}`,
      "",
      ...tableMarkdown([
        ["Tipo di attore", ...participation.seminars.map((s) => `S${s.number}`), "Totale"],
        ...participation.kinds.map((kind) => [
          cell(kind.label),
          ...participation.seminars.map((s) => `${s.byActorKind[kind.key] ?? 0}`),
          `${participation.total.byActorKind[kind.key] ?? 0}`,
        ]),
      ]),
      "",
    );
  }

  lines.push(`## ${EXPORT_LABEL.suggestions}`, "");
  if (model.suggestions.length === 0) lines.push(`_${EXPORT_LABEL.noSuggestions}._`, "");
  model.suggestions.forEach((suggestion, index) => {
    lines.push(
      `### ${index + 1}. ${escapeMarkdown(suggestion.section)} — ${suggestion.statusLabel}`,
      "",
      ...suggestionRows(suggestion).map(([label, value]) => `- **${label}:** ${cell(value)}`),
      "",
    );
  });

  lines.push(
    `## ${EXPORT_LABEL.reactions}`,
    "",
    ...tableMarkdown([
      ["Sezione", EXPORT_LABEL.agree, EXPORT_LABEL.disagree, EXPORT_LABEL.abstain],
      ...model.reactions.map((r) => [cell(r.title), `${r.agree}`, `${r.disagree}`, `${r.abstain}`]),
    ]),
  );
  const byKind = reactionsByKindRows(model);
  if (byKind.length > 0) {
    lines.push(
      "",
      `### ${BY_KIND_TITLE}`,
      "",
      ...tableMarkdown([
        [...BY_KIND_HEADER],
        ...byKind.map(([section, kind, ...counts]) => [cell(section), cell(kind), ...counts]),
      ]),
    );
  }
  return joinMarkdown(lines);
}
