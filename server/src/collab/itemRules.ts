import * as Y from "yjs";
import {
  arrivalProblem,
  findById,
  identityProblem,
  isOwnedBy,
  isRuleExempt,
  itemRuleOf,
  mayAnswer,
  mayDelete,
  mayEditField,
  mayKeyOn,
  mayWriteKeyed,
  valueProblem,
  type DocumentKind,
  type OwnedItemsRule,
  type WriterKeyedSectionsRule,
  type Writer,
} from "@percorso/schema";
import { duplicateIdProblem } from "./uniqueIds.ts";
import type { LocatedItem, UpdateView } from "./updateView.ts";

/**
 * The item rules of DESIGN.md §4.1 and §4.2 (an item whole on arrival, issue 16), evaluated
 * against an update before it is applied: the third check beside root permissions and limits.
 * The rules are data in `packages/schema` (`ITEM_RULES`, `ID_ROOTS`); this module walks the
 * update's located inserts and deletions and asks them.
 *
 * Beside the verdict it says which Yjs client ids carry anonymous items (keyed by the writer's
 * `anonId`, or owned by it) and which carry signed ones, for the client-id binding check.
 */
export interface RuleVerdict {
  /** Why the update is refused, or null. */
  problem: string | null;
  anonymousClients: Set<number>;
  signedClients: Set<number>;
}

/** A key written in a nested map (a vote): judged once the item's owner is known. */
interface KeyedWrite {
  rule: OwnedItemsRule;
  root: string;
  holder: Y.Item;
  nested: string;
}

/** A new element of an owned-items root, with the values its fields arrive with. */
interface NewElement {
  rule: OwnedItemsRule;
  root: string;
  fields: Map<string, unknown[]>;
}

const NOT_A_VALUE = Symbol("not-a-value");

/** The single value an inserted item holds: a JSON value, a string, a type, or none. */
function valueOf(item: Y.Item): unknown {
  const content = item.content;
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
    return content.arr.length === 1 ? content.arr[0] : NOT_A_VALUE;
  }
  if (content instanceof Y.ContentString) return content.str;
  if (content instanceof Y.ContentType) return content.type;
  return NOT_A_VALUE;
}

/** The shared map an item of the document holds (an element, a votes map), if it holds one. */
function mapOf(item: Y.Item): Y.Map<unknown> | null {
  return item.content instanceof Y.ContentType && item.content.type instanceof Y.Map
    ? (item.content.type as Y.Map<unknown>)
    : null;
}

/**
 * The verdict on `view` written by `writer`, `now` being the server's clock (a new item's
 * `createdAt` must be near it).
 */
export function checkItemRules(
  view: UpdateView,
  kind: DocumentKind,
  writer: Writer,
  now: number = Date.now(),
): RuleVerdict {
  const verdict: RuleVerdict = {
    problem: null,
    anonymousClients: new Set(),
    signedClients: new Set(),
  };
  if (isRuleExempt(writer)) return verdict;
  const elements = new Map<Y.Item, NewElement>();
  /** Items of new elements, kept to mark their client ids once the element's owner is known. */
  const elementParts = new Map<Y.Item, Y.Item[]>();
  const keyed: KeyedWrite[] = [];
  const refuse = (problem: string): RuleVerdict => ({ ...verdict, problem });

  for (const { item, location } of view.inserts) {
    const rule = itemRuleOf(kind, location.root);
    if (rule === undefined) continue;
    if (writer.userId === null) {
      return refuse(`an invite link used directly cannot write ${location.root}`);
    }
    const problem =
      rule.kind === "owned-items"
        ? checkOwnedInsert(
            rule,
            { item, location },
            writer,
            { elements, elementParts, keyed },
            verdict,
          )
        : checkSectionInsert(rule, { item, location }, writer, view, verdict);
    if (problem !== null) return refuse(`${location.root}: ${problem}`);
  }

  for (const [element, entry] of elements) {
    const single = new Map<string, unknown>();
    for (const [field, values] of entry.fields) {
      if (values.length > 1) return refuse(`${entry.root}: ${field} written twice in one item`);
      single.set(field, values[0]);
    }
    const problem =
      identityProblem(entry.rule, single, writer) ??
      arrivalProblem(entry.rule, single, writer, now) ??
      questionProblem(view, entry.rule, single);
    if (problem !== null) return refuse(`${entry.root}: ${problem}`);
    const anonymous = single.get(entry.rule.ownerField) === writer.anonId;
    const marks = anonymous ? verdict.anonymousClients : verdict.signedClients;
    for (const part of [element, ...(elementParts.get(element) ?? [])]) marks.add(part.id.client);
  }

  // Structs arrive grouped by client id, so a vote may come before the answer it is in.
  for (const { rule, root, holder, nested } of keyed) {
    const arriving = elements.get(holder);
    const owner =
      arriving === undefined
        ? mapOf(holder)?.get(rule.ownerField)
        : arriving.fields.get(rule.ownerField)?.[0];
    if (!mayKeyOn(rule, nested, owner, writer)) {
      return refuse(`${root}: the author of an item cannot write in its ${nested}`);
    }
    // A vote on an arriving answer was judged with the answer: its question is open.
    if (arriving === undefined && rule.openQuestion?.keyed.includes(nested) === true) {
      const problem = questionProblem(view, rule, mapOf(holder));
      if (problem !== null) return refuse(`${root}: ${problem}`);
    }
  }

  const duplicate = duplicateIdProblem(view, kind);
  if (duplicate !== null) return refuse(duplicate);

  const deleted = new Set(view.deletes.map(({ item }) => item));
  for (const located of view.deletes) {
    const rule = itemRuleOf(kind, located.location.root);
    if (rule === undefined) continue;
    // Deleting an item deletes what it holds: the holder's deletion is what is judged.
    if (located.location.path.some((container) => deleted.has(container.item))) continue;
    if (writer.userId === null) {
      return refuse(`an invite link used directly cannot write ${located.location.root}`);
    }
    const problem =
      rule.kind === "owned-items"
        ? checkOwnedDelete(view, rule, located, writer)
        : checkSectionDelete(located, writer);
    if (problem !== null) return refuse(`${located.location.root}: ${problem}`);
  }
  return verdict;
}

function checkOwnedInsert(
  rule: OwnedItemsRule,
  { item, location }: LocatedItem,
  writer: Writer,
  arriving: {
    elements: Map<Y.Item, NewElement>;
    elementParts: Map<Y.Item, Y.Item[]>;
    keyed: KeyedWrite[];
  },
  verdict: RuleVerdict,
): string | null {
  const { elements, elementParts } = arriving;
  const { path, key } = location;
  if (path.length === 0) {
    if (key !== null || !(valueOf(item) instanceof Y.Map)) return "every item is a map";
    elements.set(item, { rule, root: location.root, fields: new Map() });
    return null;
  }
  const holder = path[0]!;
  const element = elements.get(holder.item);
  if (path.length === 1) {
    if (key === null) return "fields are map entries";
    if (element !== undefined) {
      const value = valueOf(item);
      const problem = valueProblem(rule, key, value);
      if (problem !== null) return problem;
      if (Object.hasOwn(rule.writerKeyed, key) && !(value instanceof Y.Map)) {
        return `${key} is a map`;
      }
      element.fields.set(key, [...(element.fields.get(key) ?? []), value]);
      elementParts.set(holder.item, [...(elementParts.get(holder.item) ?? []), item]);
      return null;
    }
    if (holder.isNew) return "fields of an item that is not a map";
    const problem = valueProblem(rule, key, valueOf(item));
    if (problem !== null) return problem;
    const owner = mapOf(holder.item)?.get(rule.ownerField);
    if (!mayEditField(rule, key, owner, writer, valueOf(item))) {
      return isOwnedBy(owner, writer)
        ? `${key} cannot be changed`
        : `${key} of someone else's item cannot be changed`;
    }
    if (isOwnedBy(owner, writer)) {
      (owner === writer.anonId ? verdict.anonymousClients : verdict.signedClients).add(
        item.id.client,
      );
    }
    return null;
  }
  if (path.length === 2) {
    const nested = path[1]!.key;
    const values = nested === null ? undefined : rule.writerKeyed[nested];
    if (nested === null || values === undefined || key === null) return "no such nested field";
    if (!mayWriteKeyed(values, key, valueOf(item), writer)) {
      return key === writer.anonId
        ? `not a value of ${nested}`
        : `only the writer's own key can be set in ${nested}`;
    }
    arriving.keyed.push({ rule, root: location.root, holder: holder.item, nested });
    verdict.anonymousClients.add(item.id.client);
    return null;
  }
  return "nothing nests this deep";
}

/**
 * Why an item of a rule with `openQuestion` (an answer, arriving or in the document) may not be
 * written now: the question it names is not one of the document's questions, or is not open.
 * Null otherwise, and for rules not tied to a question.
 */
function questionProblem(
  view: UpdateView,
  rule: OwnedItemsRule,
  item: { get(field: string): unknown } | null,
): string | null {
  if (rule.openQuestion === undefined) return null;
  const questionId = item?.get(rule.openQuestion.field);
  // Only seminar documents have rules tied to a question, and `questions` is one of their roots.
  const question =
    typeof questionId === "string"
      ? findById(view.doc.getArray<Y.Map<unknown>>("questions"), questionId)
      : undefined;
  if (question === undefined) return "no such question";
  return mayAnswer({ state: question.get("state") }) ? null : "the question is not open";
}

function checkOwnedDelete(
  view: UpdateView,
  rule: OwnedItemsRule,
  { item, location }: LocatedItem,
  writer: Writer,
): string | null {
  const { path, key } = location;
  if (path.length === 0) {
    const owner = mapOf(item)?.get(rule.ownerField);
    return mayDelete(rule, owner, writer) ? null : "only its author can delete an item";
  }
  const owner = mapOf(path[0]!.item)?.get(rule.ownerField);
  if (path.length === 1) {
    if (key === null) return "fields are map entries";
    // Setting a field deletes its previous value: allowed where changing the field is.
    return mayEditField(rule, key, owner, writer) ? null : `${key} of this item cannot be changed`;
  }
  if (path.length === 2) {
    const nested = path[1]!;
    const values = nested.key === null ? undefined : rule.writerKeyed[nested.key];
    if (values === undefined || key === null) return "no such nested field";
    if (key !== writer.anonId) return `only the writer's own key can be removed`;
    // Withdrawing a vote is a vote too: only while the question is open.
    return rule.openQuestion?.keyed.includes(nested.key!) === true
      ? questionProblem(view, rule, mapOf(path[0]!.item))
      : null;
  }
  return "nothing nests this deep";
}

function checkSectionInsert(
  rule: WriterKeyedSectionsRule,
  { item, location }: LocatedItem,
  writer: Writer,
  view: UpdateView,
  verdict: RuleVerdict,
): string | null {
  const { path, key } = location;
  if (key === null) return "sections are map entries";
  if (path.length === 0) {
    if (!(valueOf(item) instanceof Y.Map)) return "a section is a map";
    // A new value for a section that has one would replace everyone's reactions in it.
    const current = view.doc.share.get(location.root)?._map.get(key);
    return current !== undefined && !current.deleted ? "a section cannot be replaced" : null;
  }
  if (path.length === 1) {
    if (!mayWriteKeyed(rule.values, key, valueOf(item), writer)) {
      return key === writer.anonId
        ? "not a value of this section"
        : "only the writer's own key can be set";
    }
    verdict.anonymousClients.add(item.id.client);
    return null;
  }
  return "nothing nests this deep";
}

function checkSectionDelete({ location }: LocatedItem, writer: Writer): string | null {
  if (location.path.length === 0) return "a section cannot be removed";
  return location.key === writer.anonId ? null : "only the writer's own key can be removed";
}
