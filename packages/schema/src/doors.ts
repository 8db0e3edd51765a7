import type { Grant } from "./roles.ts";

/**
 * The door an invite opens (issue 22): which event the person joins — a seminar, the drafting
 * desk, the plenary conference — and what the join page asks of them for it. Data, so the join
 * page and its tests read one table.
 */
export type DoorEvent = "seminar" | "drafting" | "conference" | "programme";

export interface Door {
  event: DoorEvent;
  /**
   * "required": a name to sign with; "or-anonymous": a name, or the choice to take part
   * anonymously (the answers and presence show no name); "optional": a name if they like, none
   * means "anonimo" in presence (an observer only follows).
   */
  name: "required" | "or-anonymous" | "optional";
  /** The kind of actor they speak for (counted in the participation's totals). */
  actorKind: boolean;
}

/**
 * Anonymity is for participants' answers: a drafter's text and a facilitator's or admin's acts
 * are signed, and an observer writes nothing (their name is simply optional).
 */
export function doorOf(grant: Pick<Grant, "role" | "seminarId">): Door {
  const seminar = grant.seminarId !== undefined;
  switch (grant.role) {
    case "participant":
      return { event: seminar ? "seminar" : "conference", name: "or-anonymous", actorKind: true };
    case "observer":
      return { event: seminar ? "seminar" : "conference", name: "optional", actorKind: false };
    case "facilitator":
      return { event: seminar ? "seminar" : "programme", name: "required", actorKind: false };
    case "drafter":
      return { event: "drafting", name: "required", actorKind: true };
    case "admin":
      return { event: "programme", name: "required", actorKind: false };
  }
}
