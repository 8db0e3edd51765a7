import { describe, expect, it } from "vitest";
import {
  CLOSE,
  DRAFT_ROOTS,
  PROGRAMME_ROOTS,
  ROLES,
  SEMINAR_ROOTS,
  canWrite,
  closeKindOf,
  effectiveRole,
  isSchemaRoot,
  isTerminalClose,
  parseDocumentName,
  seminarDocumentName,
  writableRoots,
} from "../src/index.ts";

describe("document names", () => {
  it("parses the contract's names and refuses anything else", () => {
    expect(parseDocumentName("seminar:s2-economia-circolare")).toEqual({
      kind: "seminar",
      id: "s2-economia-circolare",
    });
    expect(parseDocumentName("draft:toscana-2021")).toEqual({ kind: "draft", id: "toscana-2021" });
    for (const bad of [
      "seminar",
      "other:x",
      "seminar:",
      "seminar:UPPER",
      "seminar:a/b",
      "seminar:-x",
    ]) {
      expect(parseDocumentName(bad)).toBeNull();
    }
    expect(seminarDocumentName("x")).toBe("seminar:x");
  });
});

describe("permission table", () => {
  it("matches DESIGN.md §5 for seminars", () => {
    expect([...writableRoots("seminar", "participant")].sort()).toEqual([
      "answers",
      "materials",
      "recommendations",
    ]);
    expect([...writableRoots("seminar", "facilitator")].sort()).toEqual(
      Object.keys(SEMINAR_ROOTS).sort(),
    );
    expect([...writableRoots("seminar", "drafter")]).toEqual(["recommendations"]);
    expect(writableRoots("seminar", "observer").size).toBe(0);
  });

  it("matches DESIGN.md §5 for drafts and programmes", () => {
    expect([...writableRoots("draft", "drafter")].sort()).toEqual(Object.keys(DRAFT_ROOTS).sort());
    expect([...writableRoots("draft", "participant")].sort()).toEqual([
      "comments",
      "reactions",
      "suggestions",
    ]);
    expect(writableRoots("draft", "observer").size).toBe(0);
    for (const role of ROLES.filter((r) => r !== "admin")) {
      expect(writableRoots("programme", role).size).toBe(0);
    }
    expect([...writableRoots("programme", "admin")].sort()).toEqual(
      Object.keys(PROGRAMME_ROOTS).sort(),
    );
  });

  it("closes a closed seminar to participants but not to facilitators", () => {
    expect(canWrite("seminar", "participant", "answers", { seminarStatus: "closed" })).toBe(false);
    expect(canWrite("seminar", "participant", "answers", { seminarStatus: "live" })).toBe(true);
    expect(canWrite("seminar", "facilitator", "answers", { seminarStatus: "closed" })).toBe(true);
  });

  it("refuses roots outside the schema for every role", () => {
    expect(isSchemaRoot("seminar", "answers")).toBe(true);
    expect(isSchemaRoot("seminar", "body")).toBe(false);
    expect(isSchemaRoot("seminar", "__proto__")).toBe(false);
    for (const role of ROLES) expect(canWrite("seminar", role, "rogue")).toBe(false);
  });
});

describe("effective roles", () => {
  const seminar = { kind: "seminar" as const, id: "s1", programmeId: "p" };
  const other = { kind: "seminar" as const, id: "s2", programmeId: "p" };
  const draft = { kind: "draft" as const, id: "p", programmeId: "p" };
  const programme = { kind: "programme" as const, id: "p", programmeId: "p" };

  it("scopes facilitators and participants to their seminar", () => {
    const facilitator = { role: "facilitator" as const, programmeId: "p", seminarId: "s1" };
    expect(effectiveRole(facilitator, seminar)).toBe("facilitator");
    expect(effectiveRole(facilitator, other)).toBe("participant");
    expect(effectiveRole(facilitator, draft)).toBe("participant");
    const participant = { role: "participant" as const, programmeId: "p", seminarId: "s1" };
    expect(effectiveRole(participant, seminar)).toBe("participant");
    expect(effectiveRole(participant, other)).toBe("observer");
    expect(effectiveRole(participant, programme)).toBe("observer");
  });

  it("keeps grants inside their programme; admin everywhere", () => {
    expect(effectiveRole({ role: "drafter", programmeId: "q" }, draft)).toBeNull();
    expect(effectiveRole({ role: "drafter", programmeId: "p" }, draft)).toBe("drafter");
    expect(effectiveRole({ role: "admin", programmeId: "*" }, programme)).toBe("admin");
  });
});

describe("close codes", () => {
  it("has one code per refusal of the contract", () => {
    expect(CLOSE.unauthorized.code).toBe(4401);
    expect(CLOSE.forbidden.code).toBe(4403);
    expect(CLOSE.unknownDocument.code).toBe(4404);
    expect(CLOSE.messageTooLarge.code).toBe(4413);
    expect(CLOSE.tooManyMessages.code).toBe(4429);
    expect(CLOSE.restarting.code).toBe(1012);
    expect(closeKindOf(4403)).toBe("forbidden");
    expect(isTerminalClose(4401)).toBe(true);
    expect(isTerminalClose(1012)).toBe(false);
  });
});
