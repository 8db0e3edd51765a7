import type { DocumentKind } from "./documents.ts";
import type { Role } from "./roles.ts";
import type { ActorKind } from "./seminar.ts";
import { REACTIONS } from "./types.ts";

/**
 * Who owns an item and what may change in it (DESIGN.md §4.1), declared once beside the root
 * table: the server's check (`server/src/collab/itemRules.ts`) evaluates these against every
 * incoming update, and the web app asks the same questions (`mayEditField`, `mayDelete`, …) so
 * it never offers an edit the server refuses.
 */

/** The person behind a connection, as the server decided it (never as the client claims). */
export interface Writer {
  role: Role;
  /** The personal token's `sub`; null for an invite used directly (may not write identities). */
  userId: string | null;
  /** The person's unlinkable second id: the key of their votes, reactions, support. */
  anonId: string | null;
  /** The display name the person joined with. */
  name: string;
  /**
   * The kind of actor the person joined as (issue 16: an item's `actorKind` is the writer's
   * own); absent for a writer with no person behind it.
   */
  actorKind?: ActorKind | null;
}

/** A Y.Array of Y.Maps whose elements belong to whoever wrote them. */
export interface OwnedItemsRule {
  kind: "owned-items";
  /** The field naming the owner: the writer's `userId`, or its `anonId` when `anonymous`. */
  ownerField: string;
  /** When set, the owner may be the writer's `anonId`, and then this field must be empty. */
  anonymousNameField?: string;
  /** When set (and the owner is the `userId`), this field must be the writer's own name. */
  nameField?: string;
  /** The name field may also be left empty (a person who joined anonymously adds a material). */
  nameMayBeEmpty?: boolean;
  /** Fields the owner may change after inserting the item. */
  ownerEditable: readonly string[];
  /** Values the owner may set, for owner-editable fields whose values are restricted. */
  ownerValues?: Readonly<Record<string, readonly unknown[]>>;
  /** Roles that may change other fields of anyone's item. */
  moderators?: { roles: readonly Role[]; fields: readonly string[] | "all"; mayDelete: boolean };
  /** Nested Y.Maps keyed by the writer's `anonId`, with the values a writer may set. */
  writerKeyed: Readonly<Record<string, readonly unknown[]>>;
  /** Nested maps of `writerKeyed` the item's owner may not write in (no vote on one's own). */
  notByOwner?: readonly string[];
  /** Longest a text field may be, in characters. */
  maxLengths?: Readonly<Record<string, number>>;
  /** Fields that hold a web link: empty, or an http(s) URL. */
  urlFields?: readonly string[];
  /**
   * Fields someone else decides later (a drafter's decision, a resolution): a new item carries
   * each absent or at one of these initial values, whoever writes it (issue 16). Decisions are
   * recorded by the server's REST routes, never arrive inside a new item.
   */
  initial?: Readonly<Record<string, readonly unknown[]>>;
  /** The field holding the item's creation time, which must be near the server's clock. */
  createdAtField?: string;
  /** The field holding a kind of actor, which (when present) must be the writer's own. */
  actorKindField?: string;
  /**
   * The item answers the question named by `field`: it is inserted, and its `keyed` maps
   * (votes) are written, only while that question is open (issue 16).
   */
  openQuestion?: { field: string; keyed: readonly string[] };
}

/** A Y.Map of sections, each a Y.Map keyed by the writer's `anonId` (reactions). */
export interface WriterKeyedSectionsRule {
  kind: "writer-keyed-sections";
  values: readonly unknown[];
}

export type ItemRule = OwnedItemsRule | WriterKeyedSectionsRule;

const ANSWER_RULE: OwnedItemsRule = {
  kind: "owned-items",
  ownerField: "authorId",
  anonymousNameField: "author",
  nameField: "author",
  ownerEditable: ["text"],
  writerKeyed: { votes: [true] },
  notByOwner: ["votes"],
  maxLengths: { text: 2000, author: 80 },
  createdAtField: "createdAt",
  actorKindField: "actorKind",
  openQuestion: { field: "questionId", keyed: ["votes"] },
};

const MATERIAL_RULE: OwnedItemsRule = {
  kind: "owned-items",
  ownerField: "addedById",
  nameField: "addedBy",
  nameMayBeEmpty: true,
  ownerEditable: ["kind", "title", "url", "summary"],
  moderators: {
    roles: ["facilitator"],
    fields: ["kind", "title", "url", "summary"],
    mayDelete: true,
  },
  writerKeyed: {},
  maxLengths: { title: 200, summary: 2000, url: 2048, addedBy: 80 },
  urlFields: ["url"],
  createdAtField: "createdAt",
};

const COMMENT_RULE: OwnedItemsRule = {
  kind: "owned-items",
  ownerField: "authorId",
  anonymousNameField: "author",
  nameField: "author",
  ownerEditable: ["text", "resolved"],
  moderators: { roles: ["drafter"], fields: ["resolved", "reason"], mayDelete: false },
  writerKeyed: {},
  maxLengths: { text: 4000, author: 80, reason: 2000, quote: 1000 },
  initial: { resolved: [false], reason: [""] },
  createdAtField: "createdAt",
};

const SUGGESTION_RULE: OwnedItemsRule = {
  kind: "owned-items",
  ownerField: "authorId",
  anonymousNameField: "author",
  nameField: "author",
  ownerEditable: ["proposedText", "status"],
  ownerValues: { status: ["open", "withdrawn"] },
  moderators: {
    roles: ["drafter"],
    fields: ["status", "reason", "decidedBy", "decidedAt"],
    mayDelete: false,
  },
  writerKeyed: { support: ["support", "object"] },
  // One's own suggestion is not supported or objected to (issue 22), as one's own answer.
  notByOwner: ["support"],
  maxLengths: { originalText: 4000, proposedText: 4000, author: 80, reason: 2000 },
  initial: { status: ["open"], reason: [""], decidedBy: [""], decidedAt: [null] },
  createdAtField: "createdAt",
};

/** The rules of every root that carries an identity; roots not listed here have none. */
export const ITEM_RULES: Record<DocumentKind, Readonly<Record<string, ItemRule>>> = {
  seminar: { answers: ANSWER_RULE, materials: MATERIAL_RULE },
  draft: {
    comments: COMMENT_RULE,
    suggestions: SUGGESTION_RULE,
    reactions: { kind: "writer-keyed-sections", values: REACTIONS },
  },
  programme: {},
};

/**
 * The roots whose items are named by an `id`, unique in the root (issue 16): an insert whose
 * id is already there — in the document or earlier in the same update — is refused, so every
 * lookup by id (decide, cite, approve, pin, export) reads the one item. Documents written before
 * this rule may hold repeats: readers keep the first in list order (`uniqueById`).
 */
export const ID_ROOTS: Record<DocumentKind, readonly string[]> = {
  seminar: ["materials", "questions", "answers", "clusters"],
  draft: ["comments", "suggestions", "versions"],
  programme: ["announcements", "timeline"],
};

/**
 * How far a new item's `createdAt` may be from the server's clock. The past is generous: an
 * answer or comment written offline (a train, a hall with no signal) is sent when the device
 * reconnects, and a day covers a seminar day; anything older is a back-dated item. The future
 * allows only a device clock's usual drift: an item dated ahead would sit atop "newest first".
 */
export const CREATED_AT_TOLERANCE = { pastMs: 24 * 60 * 60 * 1000, futureMs: 5 * 60 * 1000 };

export function itemRuleOf(kind: DocumentKind, root: string): ItemRule | undefined {
  return Object.hasOwn(ITEM_RULES[kind], root) ? ITEM_RULES[kind][root] : undefined;
}

/** Admins (and `ADMIN_TOKEN`) are trusted with every item; everyone else follows the rules. */
export function isRuleExempt(writer: Pick<Writer, "role">): boolean {
  return writer.role === "admin";
}

/** Whether `owner` (an item's owner field) names this writer, by user id or anonymous id. */
export function isOwnedBy(owner: unknown, writer: Writer): boolean {
  if (typeof owner !== "string" || owner === "") return false;
  return owner === writer.userId || owner === writer.anonId;
}

/**
 * What a new item's identity fields must say for this writer: its own id, and either its own
 * name or (anonymously, where the rule allows) its anonymous id with an empty name. Returns
 * why not, or null when the identity is the writer's.
 */
export function identityProblem(
  rule: OwnedItemsRule,
  fields: ReadonlyMap<string, unknown>,
  writer: Writer,
): string | null {
  if (writer.userId === null) return "an invite link used directly cannot sign items";
  const owner = fields.get(rule.ownerField);
  if (owner === writer.userId) {
    const name = rule.nameField === undefined ? undefined : fields.get(rule.nameField);
    const emptyAllowed = rule.nameMayBeEmpty === true && name === "";
    if (
      rule.nameField !== undefined &&
      name !== writer.name &&
      name !== undefined &&
      !emptyAllowed
    ) {
      return `${rule.nameField} must be the writer's own name`;
    }
    return null;
  }
  if (rule.anonymousNameField !== undefined && owner === writer.anonId) {
    const name = fields.get(rule.anonymousNameField);
    return name === undefined || name === ""
      ? null
      : `an anonymous item has an empty ${rule.anonymousNameField}`;
  }
  return `${rule.ownerField} must be the writer's own id`;
}

/**
 * Whether this writer may change `field` of an item owned by `owner` (to `value`, when the
 * rule restricts the values an owner may set; leave it out to ask about the field alone).
 */
export function mayEditField(
  rule: OwnedItemsRule,
  field: string,
  owner: unknown,
  writer: Writer,
  value?: unknown,
): boolean {
  if (isRuleExempt(writer)) return true;
  if (writer.userId === null) return false;
  const allowedValues = rule.ownerValues?.[field];
  if (
    isOwnedBy(owner, writer) &&
    rule.ownerEditable.includes(field) &&
    (allowedValues === undefined || value === undefined || allowedValues.includes(value))
  ) {
    return true;
  }
  const moderators = rule.moderators;
  if (moderators === undefined || !moderators.roles.includes(writer.role)) return false;
  return moderators.fields === "all" || moderators.fields.includes(field);
}

/** Whether this writer may delete an item owned by `owner`. */
export function mayDelete(rule: OwnedItemsRule, owner: unknown, writer: Writer): boolean {
  if (isRuleExempt(writer)) return true;
  if (writer.userId === null) return false;
  if (isOwnedBy(owner, writer)) return true;
  return rule.moderators?.mayDelete === true && rule.moderators.roles.includes(writer.role);
}

/** Whether this writer may set `key` to `value` in a map keyed by writers (votes, support). */
export function mayWriteKeyed(
  values: readonly unknown[],
  key: string,
  value: unknown,
  writer: Writer,
): boolean {
  if (isRuleExempt(writer)) return true;
  return writer.anonId !== null && key === writer.anonId && values.includes(value);
}

/**
 * Whether this writer may set its own key in the nested map `nested` of an item owned by
 * `owner`: not where the rule keeps the owner out (one's own answer is not voted on).
 */
export function mayKeyOn(
  rule: OwnedItemsRule,
  nested: string,
  owner: unknown,
  writer: Writer,
): boolean {
  if (isRuleExempt(writer)) return true;
  if (!Object.hasOwn(rule.writerKeyed, nested) || writer.anonId === null) return false;
  return !(rule.notByOwner?.includes(nested) === true && isOwnedBy(owner, writer));
}

/** Why a field's value is not one the rule allows (too long, not a web link), or null. */
export function valueProblem(rule: OwnedItemsRule, field: string, value: unknown): string | null {
  const max = rule.maxLengths?.[field];
  if (max !== undefined && typeof value === "string" && value.length > max) {
    return `${field} is longer than ${max} characters`;
  }
  if (rule.urlFields?.includes(field) && value !== "" && value !== undefined && !isWebLink(value)) {
    return `${field} must be an http: or https: link`;
  }
  return null;
}

function isWebLink(value: unknown): boolean {
  try {
    return typeof value === "string" && ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Why a new item's fields are not whole on arrival (issue 16): a field someone else decides
 * already decided, a creation time far from `now` (the server's clock), a kind of actor not
 * the writer's own. Null when it is whole. Whether its question is open is asked with
 * `mayAnswer` (the question lives elsewhere in the document).
 */
export function arrivalProblem(
  rule: OwnedItemsRule,
  fields: ReadonlyMap<string, unknown>,
  writer: Writer,
  now: number,
): string | null {
  if (isRuleExempt(writer)) return null;
  for (const [field, values] of Object.entries(rule.initial ?? {})) {
    if (fields.has(field) && !values.includes(fields.get(field))) {
      return `${field} is decided later, not set on a new item`;
    }
  }
  if (rule.createdAtField !== undefined) {
    const createdAt = fields.get(rule.createdAtField);
    if (typeof createdAt !== "number" || !Number.isFinite(createdAt)) {
      return `${rule.createdAtField} is a time`;
    }
    if (
      createdAt < now - CREATED_AT_TOLERANCE.pastMs ||
      createdAt > now + CREATED_AT_TOLERANCE.futureMs
    ) {
      return `${rule.createdAtField} is too far from the server's clock`;
    }
  }
  if (rule.actorKindField !== undefined && fields.has(rule.actorKindField)) {
    const kind = fields.get(rule.actorKindField);
    if (writer.actorKind === undefined || writer.actorKind === null || kind !== writer.actorKind) {
      return `${rule.actorKindField} must be the writer's own`;
    }
  }
  return null;
}

/**
 * Whether a question takes answers and votes now: only while it is open (a draft question is
 * not shown yet, a closed one is over). The server asks this of every answer and vote, the room
 * before it offers either.
 */
export function mayAnswer(question: { state: unknown } | undefined): boolean {
  return question?.state === "open";
}
