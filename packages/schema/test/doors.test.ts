import { describe, expect, it } from "vitest";
import { ROLES, doorOf } from "../src/index.ts";

describe("doorOf (issue 22)", () => {
  it("offers anonymity to participants only, and names each role's event", () => {
    const seminar = { seminarId: "s2-economia-circolare" };
    expect(doorOf({ role: "participant", ...seminar })).toEqual({
      event: "seminar",
      name: "or-anonymous",
      actorKind: true,
    });
    expect(doorOf({ role: "participant" }).event).toBe("conference");
    expect(doorOf({ role: "drafter" })).toEqual({
      event: "drafting",
      name: "required",
      actorKind: true,
    });
    expect(doorOf({ role: "observer", ...seminar }).name).toBe("optional");
    expect(doorOf({ role: "facilitator", ...seminar })).toEqual({
      event: "seminar",
      name: "required",
      actorKind: false,
    });
    for (const role of ROLES) {
      const door = doorOf({ role });
      expect(door.name === "or-anonymous").toBe(role === "participant");
    }
  });
});
