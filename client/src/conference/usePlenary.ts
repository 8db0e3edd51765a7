import { useMemo } from "react";
import type * as Y from "yjs";
import {
  draftRoots,
  itemRuleOf,
  listComments,
  listSuggestions,
  readSpotlightSection,
  type DraftComment,
  type MutationOptions,
  type OwnedItemsRule,
  type Suggestion,
} from "@percorso/schema";
import type { CollabSession } from "../lib/collab.ts";
import type { Identity } from "../lib/identity.ts";
import { useYRead } from "../lib/useY.ts";
import type { Highlight } from "./DraftText.tsx";
import { resolvePassage, type ResolvedPassage } from "./passages.ts";
import { outlineOf, type DraftOutline } from "./sections.ts";

/** The plenary as a page reads it from the draft: live, each part re-read when it changes. */
export interface PlenaryState {
  outline: DraftOutline;
  comments: DraftComment[];
  suggestions: Suggestion[];
  /** Where each anchored comment's and suggestion's passage is now, by item id. */
  passages: ReadonlyMap<string, ResolvedPassage>;
  spotlight: string | null;
}

export function usePlenary(doc: Y.Doc): PlenaryState {
  const roots = useMemo(() => draftRoots(doc), [doc]);
  const outline = useYRead(roots.body, () => outlineOf(roots.body));
  const comments = useYRead(roots.comments, () =>
    listComments(doc).sort((a, b) => a.createdAt - b.createdAt),
  );
  const suggestions = useYRead(roots.suggestions, () => listSuggestions(doc));
  const spotlight = useYRead(roots.plenary, () => readSpotlightSection(doc));
  // Passages move with the text: re-resolved when the body or the items change.
  const passages = useYRead(
    [roots.body, roots.comments, roots.suggestions],
    () => {
      const result = new Map<string, ResolvedPassage>();
      for (const item of [...comments, ...suggestions]) {
        if (item.anchor && item.head) {
          result.set(item.id, resolvePassage(doc, roots.body, item.anchor, item.head));
        }
      }
      return result;
    },
    [comments, suggestions],
  );
  return { outline, comments, suggestions, passages, spotlight };
}

/** The marks of the open comments' and suggestions' passages, by text run. */
export function highlightsOf(
  state: PlenaryState,
  active: { kind: Highlight["kind"]; id: string } | null,
): Map<Y.XmlText, Highlight[]> {
  const result = new Map<Y.XmlText, Highlight[]>();
  const add = (kind: Highlight["kind"], id: string) => {
    const passage = state.passages.get(id);
    if (passage?.status !== "ok") return;
    const list = result.get(passage.text) ?? [];
    list.push({
      from: passage.from,
      to: passage.to,
      kind,
      ids: [id],
      active: active?.kind === kind && active.id === id,
    });
    result.set(passage.text, list);
  };
  for (const comment of state.comments) {
    if (!comment.resolved && comment.parentId === null) add("comment", comment.id);
  }
  for (const suggestion of state.suggestions) {
    if (suggestion.status === "open") add("suggestion", suggestion.id);
  }
  return result;
}

/** How this person signs a new comment or suggestion: named, or anonymous under the second id. */
export interface Signature {
  author: string;
  authorId: string;
  options: MutationOptions;
}

export function signatureOf(identity: Identity, session: CollabSession): Signature | null {
  if (identity.userId === null || identity.anonId === null) return null;
  return identity.anonymous
    ? { author: "", authorId: identity.anonId, options: { clientId: session.anonClientId } }
    : { author: identity.name, authorId: identity.userId, options: {} };
}

function ownedRule(root: "comments" | "suggestions"): OwnedItemsRule {
  const rule = itemRuleOf("draft", root);
  if (rule?.kind !== "owned-items") throw new Error(`no owned-items rule for ${root}`);
  return rule;
}

export const COMMENT_RULE = ownedRule("comments");
export const SUGGESTION_RULE = ownedRule("suggestions");
