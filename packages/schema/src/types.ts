/** Item shapes of the documents (DESIGN.md §5). Fields are the minimum; more may be added. */
export const SEMINAR_STATUSES = ["scheduled", "live", "closed"] as const;
export type SeminarStatus = (typeof SEMINAR_STATUSES)[number];

export function isSeminarStatus(value: unknown): value is SeminarStatus {
  return (SEMINAR_STATUSES as readonly unknown[]).includes(value);
}

export const PHASES = [1, 2, 3, 4] as const;
export type Phase = (typeof PHASES)[number];

export const MATERIAL_KINDS = ["case-study", "experience", "theory"] as const;
export type MaterialKind = (typeof MATERIAL_KINDS)[number];

export const QUESTION_STATES = ["draft", "open", "closed"] as const;
export type QuestionState = (typeof QUESTION_STATES)[number];

export const REACTIONS = ["agree", "disagree", "abstain"] as const;
export type Reaction = (typeof REACTIONS)[number];
