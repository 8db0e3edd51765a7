import type { z } from "zod";
import { invalidInput } from "../errors.ts";

/** Field errors keyed by the field's dotted path (`title`, `seminars.2.date`); `_` for the whole body. */
export type FieldErrors = Record<string, string[]>;

export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]) {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path.map(String).join(".") || "_";
    (errors[key] ??= []).push(issue.message);
  }
  return errors;
}

/** Parses a request body or query with `schema`; 400 `invalid_input` with field errors otherwise. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  what: string,
): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(`Invalid ${what}`, fieldErrors(parsed.error.issues));
  return parsed.data;
}
