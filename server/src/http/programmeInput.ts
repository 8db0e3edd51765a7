import { z } from "zod";
import { isValidId, sectionKey, type Programme, type SeminarInfo } from "@percorso/schema";

/**
 * What an admin sends to create or edit a programme, validated field by field (every error
 * names its field's path), and how the ids it leaves out are made.
 */

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDay(value: string): boolean {
  const match = DAY.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

const month = z.string().regex(MONTH, "Use a month as YYYY-MM");
const day = z.string().refine(isCalendarDay, "Use a calendar date as YYYY-MM-DD");
const slug = z
  .string()
  .refine(
    isValidId,
    "Use 1–64 lowercase letters, digits and dashes, not starting or ending with a dash",
  );
const required = (max: number) =>
  z.string().trim().min(1, "Required").max(max, `At most ${max} characters`);
const optionalText = (max: number) => z.string().trim().max(max, `At most ${max} characters`);
const phaseNumber = z.number().int().min(1, "A phase is 1–4").max(4, "A phase is 1–4");
const period = z.object({ start: month, end: month });

const phase = z.object({
  number: phaseNumber,
  title: required(200),
  description: optionalText(2000),
});

const activity = z.object({
  id: slug.optional(),
  label: required(200),
  start: month,
  end: month,
  phase: phaseNumber.optional(),
});

const facilitators = z.array(required(120)).max(20, "At most 20 facilitators");

const seminar = z.object({
  id: slug.optional(),
  number: z.number().int().min(1, "A seminar number is 1–99").max(99, "A seminar number is 1–99"),
  title: required(300),
  date: day,
  facilitators,
  starterQuestions: z.array(required(500)).max(20, "At most 20 questions").default([]),
});

const conference = z.object({ title: required(300), date: day });

export const createProgrammeSchema = z
  .object({
    id: slug.optional(),
    title: required(200),
    subtitle: optionalText(500).default(""),
    period,
    place: required(200),
    mode: required(500),
    beneficiaries: optionalText(1000).default(""),
    phases: z.array(phase).max(4, "At most 4 phases"),
    timeline: z.array(activity).max(60, "At most 60 activities"),
    seminars: z.array(seminar).min(1, "A programme needs a seminar").max(50, "At most 50 seminars"),
    conference,
    draftChapters: z.array(required(200)).max(60, "At most 60 chapters").optional(),
  })
  .superRefine((input, ctx) => {
    if (input.id === undefined && slugOf(input.title, 64) === "") {
      ctx.addIssue({
        code: "custom",
        path: ["id"],
        message: "Give an id: the title has no letters or digits to make one from",
      });
    }
    for (const issue of programmeIssues(input)) ctx.addIssue({ code: "custom", ...issue });
  });

export type ProgrammeInput = z.output<typeof createProgrammeSchema>;

export const patchProgrammeSchema = z.object({
  title: required(200).optional(),
  subtitle: optionalText(500).optional(),
  period: period.optional(),
  place: required(200).optional(),
  mode: required(500).optional(),
  beneficiaries: optionalText(1000).optional(),
  conference: conference.optional(),
  seminars: z
    .array(
      z.object({
        id: z.string().min(1, "Required"),
        title: required(300).optional(),
        date: day.optional(),
        facilitators: facilitators.optional(),
      }),
    )
    .max(50)
    .optional(),
});

export type ProgrammePatch = z.output<typeof patchProgrammeSchema>;

interface Issue {
  path: (string | number)[];
  message: string;
}

/** The rules across fields: months in order, everything inside the period, nothing twice. */
export function programmeIssues(programme: {
  period: { start: string; end: string };
  phases: readonly { number: number }[];
  timeline: readonly { id?: string | undefined; start: string; end: string }[];
  seminars: readonly { id?: string | undefined; number: number; date: string }[];
  draftChapters?: readonly string[] | undefined;
}): Issue[] {
  const issues: Issue[] = [];
  const { start, end } = programme.period;
  if (start > end) issues.push({ path: ["period", "end"], message: "Ends before it starts" });
  const inPeriod = (monthOf: string) => monthOf >= start && monthOf <= end;
  const outside = `Outside the programme's period (${start} – ${end})`;
  const twice = (path: (string | number)[], message: string) => issues.push({ path, message });

  const phases = new Set<number>();
  programme.phases.forEach((phase, index) => {
    if (phases.has(phase.number)) twice(["phases", index, "number"], "This phase is listed twice");
    phases.add(phase.number);
  });

  const activityIds = new Set<string>();
  programme.timeline.forEach((activity, index) => {
    if (!inPeriod(activity.start))
      issues.push({ path: ["timeline", index, "start"], message: outside });
    if (!inPeriod(activity.end))
      issues.push({ path: ["timeline", index, "end"], message: outside });
    if (activity.start > activity.end) {
      issues.push({ path: ["timeline", index, "end"], message: "Ends before it starts" });
    }
    if (activity.id !== undefined) {
      if (activityIds.has(activity.id)) twice(["timeline", index, "id"], "This id is used twice");
      activityIds.add(activity.id);
    }
  });

  const numbers = new Set<number>();
  const seminarIds = new Set<string>();
  programme.seminars.forEach((seminar, index) => {
    if (!inPeriod(seminar.date.slice(0, 7))) {
      issues.push({ path: ["seminars", index, "date"], message: outside });
    }
    if (numbers.has(seminar.number)) {
      twice(["seminars", index, "number"], "Another seminar has this number");
    }
    numbers.add(seminar.number);
    if (seminar.id !== undefined) {
      if (seminarIds.has(seminar.id)) twice(["seminars", index, "id"], "This id is used twice");
      seminarIds.add(seminar.id);
    }
  });

  const chapters = new Set<string>();
  programme.draftChapters?.forEach((chapter, index) => {
    const key = sectionKey(chapter);
    if (key === "") {
      issues.push({ path: ["draftChapters", index], message: "Needs letters or digits" });
    } else if (chapters.has(key)) {
      twice(["draftChapters", index], "Another chapter has this title");
    }
    chapters.add(key);
  });
  return issues;
}

/** A lowercase ASCII slug of `text`, at most `max` characters, a valid id when not empty. */
export function slugOf(text: string, max: number): string {
  return sectionKey(text).slice(0, max).replace(/-+$/, "");
}

/** `base`, or `base-2`, `base-3`… : the first that `taken` does not hold (at most 64 chars). */
function uniqueId(base: string, taken: (id: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const id = `${base.slice(0, 64 - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken(id)) return id;
  }
}

/**
 * The programme to store: ids made where the admin left them out (seminar ids must be unique
 * across programmes, so `seminarIdTaken` asks the catalogue), seminars in number order, and
 * draft chapters defaulting to an introduction, one per seminar and conclusions.
 */
export function programmeFromInput(
  input: ProgrammeInput,
  seminarIdTaken: (id: string) => boolean,
): Programme {
  const id = input.id ?? slugOf(input.title, 64);
  const activityIds = new Set(input.timeline.flatMap((a) => (a.id === undefined ? [] : [a.id])));
  const timeline = input.timeline.map((activity) => {
    const activityId =
      activity.id ??
      uniqueId(slugOf(activity.label, 64) || "attivita", (candidate) => activityIds.has(candidate));
    activityIds.add(activityId);
    return {
      id: activityId,
      label: activity.label,
      start: activity.start,
      end: activity.end,
      ...(activity.phase === undefined ? {} : { phase: activity.phase as 1 | 2 | 3 | 4 }),
    };
  });
  const seminarIds = new Set(input.seminars.flatMap((s) => (s.id === undefined ? [] : [s.id])));
  const seminars: SeminarInfo[] = [...input.seminars]
    .sort((a, b) => a.number - b.number)
    .map((seminar) => {
      const prefix = `s${seminar.number}`;
      const rest = slugOf(seminar.title, 63 - prefix.length);
      const seminarId =
        seminar.id ??
        uniqueId(
          rest === "" ? prefix : `${prefix}-${rest}`,
          (candidate) => seminarIds.has(candidate) || seminarIdTaken(candidate),
        );
      seminarIds.add(seminarId);
      return {
        id: seminarId,
        number: seminar.number,
        title: seminar.title,
        date: seminar.date,
        facilitators: seminar.facilitators,
        starterQuestions: seminar.starterQuestions,
      };
    });
  return {
    id,
    title: input.title,
    subtitle: input.subtitle,
    period: input.period,
    place: input.place,
    mode: input.mode,
    beneficiaries: input.beneficiaries,
    phases: [...input.phases]
      .sort((a, b) => a.number - b.number)
      .map((p) => ({
        number: p.number as 1 | 2 | 3 | 4,
        title: p.title,
        description: p.description,
      })),
    timeline,
    seminars,
    conference: input.conference,
    draftChapters: input.draftChapters ?? defaultChapters(seminars),
  };
}

function defaultChapters(seminars: readonly SeminarInfo[]): string[] {
  const chapters: string[] = [];
  const keys = new Set<string>();
  for (const title of [
    "Introduzione e metodo",
    ...seminars.map((s) => s.title),
    "Conclusioni e prossimi passi",
  ]) {
    const key = sectionKey(title);
    if (key !== "" && !keys.has(key)) chapters.push(title);
    keys.add(key);
  }
  return chapters;
}

/** A programme with an admin's edits applied (the caller validates the result again). */
export function applyPatch(programme: Programme, patch: ProgrammePatch): Programme {
  const edits = new Map((patch.seminars ?? []).map((s) => [s.id, s]));
  return {
    ...programme,
    ...(patch.title === undefined ? {} : { title: patch.title }),
    ...(patch.subtitle === undefined ? {} : { subtitle: patch.subtitle }),
    ...(patch.period === undefined ? {} : { period: patch.period }),
    ...(patch.place === undefined ? {} : { place: patch.place }),
    ...(patch.mode === undefined ? {} : { mode: patch.mode }),
    ...(patch.beneficiaries === undefined ? {} : { beneficiaries: patch.beneficiaries }),
    ...(patch.conference === undefined ? {} : { conference: patch.conference }),
    seminars: programme.seminars.map((seminar) => {
      const edit = edits.get(seminar.id);
      if (edit === undefined) return seminar;
      return {
        ...seminar,
        ...(edit.title === undefined ? {} : { title: edit.title }),
        ...(edit.date === undefined ? {} : { date: edit.date }),
        ...(edit.facilitators === undefined ? {} : { facilitators: edit.facilitators }),
      };
    }),
  };
}
