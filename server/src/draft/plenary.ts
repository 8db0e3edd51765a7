import * as Y from "yjs";
import {
  decideSuggestion,
  draftDocumentName,
  listSections,
  listSuggestions,
  sectionAgreement,
  type ActorKind,
  type Programme,
  type SectionAgreement,
  type Suggestion,
} from "@percorso/schema";
import type { DocumentRegistry } from "../collab/registry.ts";
import { conflict, invalidInput, notFound } from "../errors.ts";
import type { People } from "../people.ts";
import type { Author } from "../storage/storage.ts";

/** The sections of the draft with their agreement (pure: the conference report's worker too). */
export function agreementOf(
  doc: Y.Doc,
  kindOf: (anonId: string) => ActorKind | undefined,
): (SectionAgreement & { title: string })[] {
  const titles = new Map(listSections(doc).map((section) => [section.key, section.title]));
  return sectionAgreement(doc, kindOf)
    .filter((section) => titles.has(section.section))
    .map((section) => ({ ...section, title: titles.get(section.section)! }));
}

export interface PlenaryDeps {
  registry: DocumentRegistry;
  people: People;
}

/** Where a suggestion's passage is now: one text node, from `index`, `length` characters. */
function passageOf(
  doc: Y.Doc,
  suggestion: Suggestion,
): { text: Y.XmlText; index: number; length: number } {
  if (suggestion.anchor === null || suggestion.head === null) {
    throw conflict("This suggestion is not anchored on a passage: edit the text by hand");
  }
  const decode = (encoded: string) =>
    Y.createAbsolutePositionFromRelativePosition(
      Y.decodeRelativePosition(Buffer.from(encoded, "base64")),
      doc,
    );
  const start = decode(suggestion.anchor);
  const end = decode(suggestion.head);
  if (
    start === null ||
    end === null ||
    start.type !== end.type ||
    !(start.type instanceof Y.XmlText)
  ) {
    throw conflict("The suggested passage was deleted or split: edit the text by hand");
  }
  const [from, to] = start.index <= end.index ? [start.index, end.index] : [end.index, start.index];
  return { text: start.type, index: from, length: to - from };
}

/** The marks of the character at `index` of a text node. */
function formatAt(text: Y.XmlText, index: number): Record<string, unknown> {
  let offset = 0;
  for (const part of text.toDelta() as {
    insert: unknown;
    attributes?: Record<string, unknown>;
  }[]) {
    const length = typeof part.insert === "string" ? part.insert.length : 1;
    if (index < offset + length) return part.attributes ?? {};
    offset += length;
  }
  return {};
}

/** The plain text of part of a text node. */
function sliceText(text: Y.XmlText, index: number, length: number): string {
  let offset = 0;
  let result = "";
  for (const part of text.toDelta() as { insert: unknown }[]) {
    if (typeof part.insert !== "string") continue;
    const from = Math.max(index, offset);
    const to = Math.min(index + length, offset + part.insert.length);
    if (from < to) result += part.insert.slice(from - offset, to - offset);
    offset += part.insert.length;
  }
  return result;
}

/**
 * The plenary on the server (issue 10): the drafting team's decision on a suggestion — an
 * accepted one changes the body, under the drafter's name, where the passage now is — and
 * what the room thinks of each section, by kind of actor (only the server can tell the kind
 * behind an anonymous id; only totals leave it).
 */
export class Plenary {
  private readonly deps: PlenaryDeps;

  constructor(deps: PlenaryDeps) {
    this.deps = deps;
  }

  async decide(
    programme: Programme,
    suggestionId: string,
    decision: { status: "accepted" | "rejected"; reason: string; apply?: boolean },
    author: Author,
  ): Promise<Suggestion> {
    if (decision.status === "rejected" && decision.reason.trim() === "") {
      throw invalidInput("A rejection says why", {
        reason: ["Say why the suggestion is not taken up"],
      });
    }
    const name = draftDocumentName(programme.id);
    const scope = { kind: "draft" as const, id: programme.id, programmeId: programme.id };
    return this.deps.registry.withDocument(name, scope, async (live) => {
      const suggestion = listSuggestions(live.ydoc).find((s) => s.id === suggestionId);
      if (suggestion === undefined) throw notFound(`No suggestion '${suggestionId}'`);
      if (suggestion.status !== "open")
        throw conflict(`This suggestion is already ${suggestion.status}`);
      // `apply: false`: taken up by hand (the passage had changed), recorded as accepted.
      const applying = decision.status === "accepted" && decision.apply !== false;
      const passage = applying ? passageOf(live.ydoc, suggestion) : null;
      if (passage !== null) {
        const now = sliceText(passage.text, passage.index, passage.length);
        if (now !== suggestion.originalText) {
          throw conflict("The passage changed since it was suggested: review it by hand", {
            now,
            suggested: suggestion.originalText,
          });
        }
      }
      live.change(author, (doc) => {
        if (passage !== null) {
          // The replacement keeps the formatting the passage began with.
          const format = formatAt(passage.text, passage.index);
          passage.text.delete(passage.index, passage.length);
          passage.text.insert(passage.index, suggestion.proposedText, format);
        }
        decideSuggestion(doc, suggestionId, {
          status: decision.status,
          reason: decision.reason,
          by: author.name,
          at: Date.now(),
        });
      });
      await live.flushed();
      return listSuggestions(live.ydoc).find((s) => s.id === suggestionId)!;
    });
  }

  /** Every section's agree/disagree/abstain, totalled and by kind of actor, with its verdict. */
  async agreement(programme: Programme): Promise<(SectionAgreement & { title: string })[]> {
    const kindOf = await this.deps.people.actorKinds();
    return this.deps.registry.read(draftDocumentName(programme.id), (doc) =>
      agreementOf(doc, kindOf),
    );
  }
}
