import type * as Y from "yjs";
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import {
  ACTOR_KIND_LABEL,
  SUGGESTION_STATUSES,
  draftDocumentName,
  escapeMarkdown,
  italianDate,
  italianDateTime,
  joinMarkdown,
  listComments,
  listSections,
  listSuggestions,
  plural,
  type ActorKind,
  type DraftComment,
  type Programme,
  type SectionAgreement,
  type Suggestion,
  type SuggestionStatus,
} from "@percorso/schema";
import type { People } from "../people.ts";
import { DOCUMENT_STYLES, dataTable, heading } from "../render/docx.ts";
import type { DocumentStore } from "../storage/storage.ts";
import { agreementOf } from "./plenary.ts";

/**
 * The conference's own report (issue 10): who took part by kind of actor, the sections by
 * agreement (with where the whole system agrees and where it divides), the suggestions by
 * outcome with their reasons, the comments section by section (issue 22). Rendered as
 * Markdown and DOCX.
 */
export interface ConferenceReport {
  programme: { id: string; title: string; conference: { title: string; date: string } };
  participants: { total: number; byKind: [kind: string, count: number][] };
  sections: (SectionAgreement & { title: string })[];
  suggestions: { status: SuggestionStatus; items: Omit<Suggestion, "signals">[] }[];
  /** The sections that were commented, in the text's order, each with its threads. */
  comments: { section: string; title: string; threads: ReportComment[] }[];
  generatedAt: number;
}

/** A comment as the report tells it: no ids (an anonymous one says "anonimo", no more). */
export interface ReportComment {
  text: string;
  author: string;
  at: number;
  /** The words commented, when the comment is on a passage. */
  quote: string | null;
  resolved: boolean;
  replies: { text: string; author: string; at: number }[];
}

/** The comments of each section, threads in the order they were opened, replies under them. */
function commentsBySection(doc: Y.Doc): ConferenceReport["comments"] {
  const all = listComments(doc).sort((a, b) => a.createdAt - b.createdAt);
  const ids = new Set(all.map((comment) => comment.id));
  const replies = new Map<string, DraftComment[]>();
  for (const comment of all) {
    if (comment.parentId === null || !ids.has(comment.parentId)) continue;
    replies.set(comment.parentId, [...(replies.get(comment.parentId) ?? []), comment]);
  }
  const author = (comment: DraftComment) => comment.author || "anonimo";
  return listSections(doc)
    .map(({ key, title }) => ({
      section: key,
      title,
      threads: all
        // A reply whose comment is gone is told as a comment of its own.
        .filter((c) => c.section === key && (c.parentId === null || !ids.has(c.parentId)))
        .map((c) => ({
          text: c.text,
          author: author(c),
          at: c.createdAt,
          quote: c.quote,
          resolved: c.resolved,
          replies: (replies.get(c.id) ?? []).map((reply) => ({
            text: reply.text,
            author: author(reply),
            at: reply.createdAt,
          })),
        })),
    }))
    .filter((section) => section.threads.length > 0);
}

export const VERDICT_LABEL = { "common-ground": "terreno comune", divisive: "divide" } as const;
export const STATUS_LABEL: Record<SuggestionStatus, string> = {
  accepted: "Accolte",
  rejected: "Non accolte",
  open: "Ancora aperte",
  withdrawn: "Ritirate",
};

/** Who took part in the plenary, counted by kind of actor (from the log and the people). */
export interface ConferenceParticipants {
  total: number;
  byKind: [kind: string, count: number][];
}

/** Everyone who wrote to the draft in the plenary (reacted, commented, suggested, supported). */
export async function conferenceParticipants(
  deps: { store: DocumentStore; people: People },
  programme: Programme,
): Promise<ConferenceParticipants> {
  const name = draftDocumentName(programme.id);
  await deps.people.refresh();
  const writers = new Set(
    (await deps.store.history(name, { limit: 100_000 }))
      // An anonymous act is logged under the person's anonId (never shown): the same person.
      .map((entry) =>
        entry.userId === null ? null : (deps.people.byAnonId(entry.userId)?.id ?? entry.userId),
      )
      .filter((id): id is string => id !== null),
  );
  const byKind = new Map<string, number>();
  let total = 0;
  for (const id of writers) {
    const person = deps.people.get(id);
    if (person === undefined || (person.role !== "participant" && person.role !== "facilitator")) {
      continue;
    }
    total += 1;
    byKind.set(person.actorKind, (byKind.get(person.actorKind) ?? 0) + 1);
  }
  return { total, byKind: [...byKind].sort((a, b) => b[1] - a[1]) };
}

/** The report from the draft document as it is (pure: it runs in a worker thread). */
export function assembleConferenceReport(
  doc: Y.Doc,
  programme: Programme,
  participants: ConferenceParticipants,
  kindOf: (anonId: string) => ActorKind | undefined,
  at: number,
): ConferenceReport {
  const suggestions = listSuggestions(doc);
  return {
    programme: { id: programme.id, title: programme.title, conference: programme.conference },
    participants,
    sections: agreementOf(doc, kindOf),
    suggestions: (["accepted", "rejected", "open", "withdrawn"] as const)
      .filter((status) => (SUGGESTION_STATUSES as readonly string[]).includes(status))
      .map((status) => ({
        status,
        items: suggestions
          .filter((s) => s.status === status)
          .sort((a, b) => b.support - b.objections - (a.support - a.objections))
          .map(({ signals: _signals, ...rest }) => rest),
      })),
    comments: commentsBySection(doc),
    generatedAt: at,
  };
}

const kindLabel = (kind: string) => ACTOR_KIND_LABEL[kind] ?? kind;
const commentBy = (comment: { author: string; at: number }) =>
  `${escapeMarkdown(comment.author)}, ${italianDateTime(comment.at)}`;
const tallyText = (t: { agree: number; disagree: number; abstain: number }) =>
  `${t.agree} d'accordo · ${t.disagree} in disaccordo · ${plural(t.abstain, "astenuto", "astenuti")}`;

export function conferenceMarkdown(report: ConferenceReport): string {
  const lines: string[] = [
    `# ${escapeMarkdown(report.programme.conference.title)}`,
    "",
    `${escapeMarkdown(report.programme.title)} · ${italianDate(report.programme.conference.date)}`,
    "",
    "## Partecipanti",
    "",
    `${plural(report.participants.total, "persona ha", "persone hanno")} reagito, commentato o proposto.`,
    "",
    ...report.participants.byKind.map(([kind, n]) => `- ${escapeMarkdown(kindLabel(kind))}: ${n}`),
    "",
    "## Le sezioni, per accordo",
    "",
  ];
  if (report.sections.length === 0) lines.push("_Nessuna reazione._", "");
  for (const section of report.sections) {
    const verdict = section.verdict === null ? "" : ` — **${VERDICT_LABEL[section.verdict]}**`;
    lines.push(`### ${escapeMarkdown(section.title)}${verdict}`, "", tallyText(section.totals), "");
    for (const [kind, tally] of Object.entries(section.byKind)) {
      lines.push(`- ${escapeMarkdown(kindLabel(kind))}: ${tallyText(tally)}`);
    }
    lines.push("");
  }
  lines.push("## Le proposte, per esito", "");
  for (const group of report.suggestions) {
    lines.push(`### ${STATUS_LABEL[group.status]} (${group.items.length})`, "");
    if (group.items.length === 0) lines.push("_Nessuna._", "");
    for (const s of group.items) {
      lines.push(
        `- «${escapeMarkdown(s.originalText)}» → «${escapeMarkdown(s.proposedText)}» — ` +
          `${escapeMarkdown(s.author || "anonimo")}, ${s.support} a favore, ${plural(s.objections, "contrario", "contrari")}` +
          (s.reason ? `. Motivazione: ${escapeMarkdown(s.reason)}` : ""),
      );
    }
    lines.push("");
  }
  lines.push("## I commenti, per sezione", "");
  if (report.comments.length === 0) lines.push("_Nessun commento._", "");
  for (const section of report.comments) {
    lines.push(`### ${escapeMarkdown(section.title)}`, "");
    for (const thread of section.threads) {
      const quote = thread.quote === null ? "" : `Su «${escapeMarkdown(thread.quote)}»: `;
      lines.push(
        `- ${quote}${escapeMarkdown(thread.text)} — ${commentBy(thread)}` +
          (thread.resolved ? " _(risolto)_" : ""),
      );
      for (const reply of thread.replies) {
        lines.push(`  - ${escapeMarkdown(reply.text)} — ${commentBy(reply)}`);
      }
    }
    lines.push("");
  }
  return joinMarkdown(lines);
}

export async function conferenceDocx(report: ConferenceReport): Promise<Buffer> {
  const children: (Paragraph | ReturnType<typeof dataTable>)[] = [
    new Paragraph({
      heading: HeadingLevel.TITLE,
      children: [new TextRun(report.programme.conference.title)],
    }),
    new Paragraph({
      children: [
        new TextRun({ text: report.programme.title, italics: true }),
        new TextRun(` · ${italianDate(report.programme.conference.date)}`),
      ],
    }),
    new Paragraph({ heading: heading(1), children: [new TextRun("Partecipanti")] }),
    new Paragraph({
      children: [
        new TextRun(
          `${plural(report.participants.total, "persona ha", "persone hanno")} reagito, commentato o proposto.`,
        ),
      ],
    }),
    dataTable(
      ["Tipo di attore", "Persone"],
      report.participants.byKind.map(([kind, n]) => [kindLabel(kind), String(n)]),
      [70, 30],
    ),
    new Paragraph({ heading: heading(1), children: [new TextRun("Le sezioni, per accordo")] }),
    dataTable(
      ["Sezione", "D'accordo", "In disaccordo", "Astenuti", "Esito"],
      report.sections.map((s) => [
        s.title,
        String(s.totals.agree),
        String(s.totals.disagree),
        String(s.totals.abstain),
        s.verdict === null ? "" : VERDICT_LABEL[s.verdict],
      ]),
      // Wide enough that "D'accordo" and "Astenuti" are not cut inside the word.
      [32, 17, 19, 15, 17],
    ),
    new Paragraph({ heading: heading(1), children: [new TextRun("Le proposte, per esito")] }),
  ];
  for (const group of report.suggestions) {
    children.push(
      new Paragraph({
        heading: heading(2),
        children: [new TextRun(`${STATUS_LABEL[group.status]} (${group.items.length})`)],
      }),
    );
    if (group.items.length === 0) {
      children.push(
        new Paragraph({ children: [new TextRun({ text: "Nessuna.", italics: true })] }),
      );
    } else {
      children.push(
        dataTable(
          ["Testo", "Proposta", "Chi", "A favore", "Contrari", "Motivazione"],
          group.items.map((s) => [
            s.originalText,
            s.proposedText,
            s.author || "anonimo",
            String(s.support),
            String(s.objections),
            s.reason,
          ]),
          [20, 24, 14, 10, 10, 22],
        ),
      );
    }
  }
  children.push(
    new Paragraph({ heading: heading(1), children: [new TextRun("I commenti, per sezione")] }),
  );
  if (report.comments.length === 0) {
    children.push(
      new Paragraph({ children: [new TextRun({ text: "Nessun commento.", italics: true })] }),
    );
  }
  for (const section of report.comments) {
    children.push(new Paragraph({ heading: heading(2), children: [new TextRun(section.title)] }));
    for (const thread of section.threads) {
      children.push(
        new Paragraph({
          bullet: { level: 0 },
          children: [
            ...(thread.quote === null ? [] : [new TextRun(`Su «${thread.quote}»: `)]),
            new TextRun(thread.text),
            new TextRun({
              text: ` — ${thread.author}, ${italianDateTime(thread.at)}`,
              italics: true,
            }),
            ...(thread.resolved ? [new TextRun({ text: " (risolto)", italics: true })] : []),
          ],
        }),
        ...thread.replies.map(
          (reply) =>
            new Paragraph({
              bullet: { level: 1 },
              children: [
                new TextRun(reply.text),
                new TextRun({
                  text: ` — ${reply.author}, ${italianDateTime(reply.at)}`,
                  italics: true,
                }),
              ],
            }),
        ),
      );
    }
  }
  const document = new Document({
    title: report.programme.conference.title,
    creator: "Percorso",
    styles: DOCUMENT_STYLES,
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
