import {
  isOwnedBy,
  itemRuleOf,
  mayDelete,
  mayEditField,
  mayKeyOn,
  type Audience,
  type MutationOptions,
  type OwnedItemsRule,
  type Writer,
} from "@percorso/schema";
import type { CollabSession } from "./collab.ts";
import type { Identity } from "./identity.ts";

/**
 * The item rules of DESIGN.md §4.1 as the UI asks them: the same declarations the server
 * enforces (`@percorso/schema` itemRules), so no control is offered that the server refuses.
 */
function seminarRule(root: "answers" | "materials"): OwnedItemsRule {
  const rule = itemRuleOf("seminar", root);
  if (rule?.kind !== "owned-items") throw new Error(`no owned-items rule for ${root}`);
  return rule;
}

const ANSWERS = seminarRule("answers");
const MATERIALS = seminarRule("materials");

export interface ItemControls {
  /** The item is this person's (by user id or anonymous id). */
  own: boolean;
  edit: boolean;
  remove: boolean;
}

/**
 * What the room offers on an answer: its author corrects or withdraws it. The admin's exemption
 * from the rules is for automation and restores, not for rewriting people's words from the room,
 * so the room offers these on one's own answers only.
 */
export function answerControls(
  authorId: string,
  writer: Writer,
  writable: boolean,
): ItemControls & { vote: boolean } {
  const own = isOwnedBy(authorId, writer);
  return {
    own,
    edit: writable && own && mayEditField(ANSWERS, "text", authorId, writer),
    remove: writable && own && mayDelete(ANSWERS, authorId, writer),
    // One's own answer is not voted on (the server refuses it too).
    vote: writable && !own && mayKeyOn(ANSWERS, "votes", authorId, writer),
  };
}

/** What is offered on a material: its author, a facilitator, an admin edit and remove it. */
export function materialControls(
  addedById: string,
  writer: Writer,
  writable: boolean,
): ItemControls {
  return {
    own: isOwnedBy(addedById, writer),
    edit: writable && mayEditField(MATERIALS, "title", addedById, writer),
    remove: writable && mayDelete(MATERIALS, addedById, writer),
  };
}

/**
 * The client id a change to an item is written under: the session's anonymous one for an item
 * owned by the person's anonymous id (their anonymous answer), the document's own otherwise.
 */
export function mutationAs(owner: string, writer: Writer, session: CollabSession): MutationOptions {
  return writer.anonId !== null && owner === writer.anonId
    ? { clientId: session.anonClientId }
    : {};
}

/**
 * The audience of `answersFor` for this person (their own pending answers shown): a person
 * answers either signed (user id) or anonymously (anonymous id), as they joined; an invite used
 * directly owns nothing and sees what the projector shows.
 */
export function ownAnswerAudience(identity: Identity): Audience {
  const owner = identity.anonymous ? identity.anonId : identity.userId;
  return owner === null ? { kind: "projector" } : { kind: "participant", userId: owner };
}
