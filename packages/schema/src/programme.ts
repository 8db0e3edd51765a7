import * as Y from "yjs";
import type { Phase } from "./types.ts";
import { indexById, newId, now, readString, removeById, type MutationOptions } from "./yhelpers.ts";

/** A phase of the method (the brief's "Metodologia di lavoro"). */
export interface PhaseInfo {
  number: Phase;
  title: string;
  description: string;
}

/** One row of the timeline ("cronogramma"): an activity over a span of months. */
export interface TimelineActivity {
  id: string;
  label: string;
  /** First and last month, `YYYY-MM`, inclusive. */
  start: string;
  end: string;
  /** The phase the activity belongs to, when it belongs to one. */
  phase?: Phase;
}

/** A seminar as the programme lists it (REST metadata; the live state is in its document). */
export interface SeminarInfo {
  id: string;
  number: number;
  title: string;
  /** Planned date, `YYYY-MM-DD`. */
  date: string;
  /** Key questions the seminar document starts with. */
  starterQuestions: readonly string[];
  /** Names of the seminar's facilitators, as the programme lists them. */
  facilitators?: readonly string[];
}

/** A participatory process: seminars, method and timeline, ending in a conference. */
export interface Programme {
  id: string;
  title: string;
  subtitle: string;
  /** First and last month, `YYYY-MM`. */
  period: { start: string; end: string };
  place: string;
  mode: string;
  beneficiaries: string;
  phases: readonly PhaseInfo[];
  timeline: readonly TimelineActivity[];
  seminars: readonly SeminarInfo[];
  conference: { title: string; date: string };
  /** Chapters of the orientation document the draft starts with. */
  draftChapters: readonly string[];
}

/** An announcement shown across the programme (e.g. on the projector between seminars). */
export interface Announcement {
  id: string;
  text: string;
  createdAt: number;
}

/** `programme:<id>` root `live`: the seminar being held now, or null. */
export function setCurrentSeminar(
  doc: Y.Doc,
  seminarId: string | null,
  options: MutationOptions = {},
): void {
  doc.transact(() => doc.getMap("live").set("currentSeminar", seminarId), options.origin);
}

export function getCurrentSeminar(doc: Y.Doc): string | null {
  return readString(doc.getMap("live").get("currentSeminar")) ?? null;
}

export function addAnnouncement(doc: Y.Doc, text: string, options: MutationOptions = {}): string {
  const id = options.id ?? newId();
  const item = new Y.Map<unknown>();
  item.set("id", id);
  item.set("text", text.trim());
  item.set("createdAt", now(options));
  doc.transact(() => doc.getArray<Y.Map<unknown>>("announcements").push([item]), options.origin);
  return id;
}

export function removeAnnouncement(doc: Y.Doc, id: string, options: MutationOptions = {}): boolean {
  return removeById(doc.getArray<Y.Map<unknown>>("announcements"), id, options);
}

export function listAnnouncements(doc: Y.Doc): Announcement[] {
  const result: Announcement[] = [];
  for (const item of doc.getArray<Y.Map<unknown>>("announcements")) {
    const id = readString(item.get("id"));
    const text = readString(item.get("text"));
    const createdAt = item.get("createdAt");
    if (id && text !== undefined && typeof createdAt === "number") {
      result.push({ id, text, createdAt });
    }
  }
  return result;
}

/**
 * `programme:<id>` root `timeline`: edits to the planned timeline. The document starts
 * empty and the programme's seeded timeline applies until the first edit writes a row.
 */
export function setTimelineActivity(
  doc: Y.Doc,
  activity: TimelineActivity,
  options: MutationOptions = {},
): void {
  const list = doc.getArray<Y.Map<unknown>>("timeline");
  const index = indexById(list, activity.id);
  const item = new Y.Map<unknown>();
  for (const [key, value] of Object.entries(activity)) {
    if (value !== undefined) item.set(key, value);
  }
  doc.transact(() => {
    if (index >= 0) list.delete(index, 1);
    list.insert(index >= 0 ? index : list.length, [item]);
  }, options.origin);
}

/** The timeline: the document's edits over the programme's planned rows. */
export function readTimeline(doc: Y.Doc, planned: readonly TimelineActivity[]): TimelineActivity[] {
  const edits = new Map<string, TimelineActivity>();
  for (const item of doc.getArray<Y.Map<unknown>>("timeline")) {
    const id = readString(item.get("id"));
    const label = readString(item.get("label"));
    const start = readString(item.get("start"));
    const end = readString(item.get("end"));
    if (!id || label === undefined || !isMonth(start) || !isMonth(end)) continue;
    const phase = item.get("phase");
    edits.set(id, { id, label, start, end, ...(isPhase(phase) ? { phase } : {}) });
  }
  const merged = planned.map((activity) => edits.get(activity.id) ?? activity);
  for (const [id, activity] of edits) {
    if (!planned.some((row) => row.id === id)) merged.push(activity);
  }
  return merged;
}

function isMonth(value: string | undefined): value is string {
  return value !== undefined && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

function isPhase(value: unknown): value is Phase {
  return value === 1 || value === 2 || value === 3 || value === 4;
}

/** The months a timeline spans, `YYYY-MM`, in order. */
export function monthsBetween(start: string, end: string): string[] {
  const months: string[] = [];
  let [year, month] = start.split("-").map(Number) as [number, number];
  const [endYear, endMonth] = end.split("-").map(Number) as [number, number];
  while (year < endYear || (year === endYear && month <= endMonth)) {
    months.push(`${year}-${String(month).padStart(2, "0")}`);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}
