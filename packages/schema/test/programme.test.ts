import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import {
  TOSCANA_2021,
  addAnnouncement,
  getCurrentSeminar,
  isValidId,
  listAnnouncements,
  monthsBetween,
  readTimeline,
  removeAnnouncement,
  setCurrentSeminar,
  setTimelineActivity,
} from "../src/index.ts";

describe("the seeded programme", () => {
  it("has the brief's seven seminars, four phases and a March–November timeline", () => {
    expect(TOSCANA_2021.id).toBe("toscana-2021");
    expect(TOSCANA_2021.seminars.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(TOSCANA_2021.phases.map((p) => p.number)).toEqual([1, 2, 3, 4]);
    expect(TOSCANA_2021.period).toEqual({ start: "2021-03", end: "2021-11" });
    for (const seminar of TOSCANA_2021.seminars) {
      expect(isValidId(seminar.id)).toBe(true);
      expect(seminar.starterQuestions.length).toBeGreaterThanOrEqual(2);
      expect(seminar.starterQuestions.length).toBeLessThanOrEqual(3);
    }
    for (const row of TOSCANA_2021.timeline) {
      expect(row.start >= TOSCANA_2021.period.start && row.end <= TOSCANA_2021.period.end).toBe(
        true,
      );
    }
  });

  it("lists the months of a period", () => {
    expect(monthsBetween("2021-03", "2021-11")).toHaveLength(9);
    expect(monthsBetween("2021-11", "2022-02")).toEqual([
      "2021-11",
      "2021-12",
      "2022-01",
      "2022-02",
    ]);
  });
});

describe("programme document", () => {
  it("sets the current seminar", () => {
    const doc = new Y.Doc();
    expect(getCurrentSeminar(doc)).toBeNull();
    setCurrentSeminar(doc, "s2-economia-circolare");
    expect(getCurrentSeminar(doc)).toBe("s2-economia-circolare");
    setCurrentSeminar(doc, null);
    expect(getCurrentSeminar(doc)).toBeNull();
  });

  it("adds and removes announcements", () => {
    const doc = new Y.Doc();
    addAnnouncement(doc, " Pausa caffè ", { id: "p", at: 4 });
    expect(listAnnouncements(doc)).toEqual([{ id: "p", text: "Pausa caffè", createdAt: 4 }]);
    expect(removeAnnouncement(doc, "p")).toBe(true);
    expect(removeAnnouncement(doc, "p")).toBe(false);
  });

  it("overlays timeline edits on the planned rows", () => {
    const doc = new Y.Doc();
    expect(readTimeline(doc, TOSCANA_2021.timeline)).toEqual(TOSCANA_2021.timeline);
    setTimelineActivity(doc, {
      id: "conferenza",
      label: "Conferenza",
      start: "2021-12",
      end: "2021-12",
    });
    setTimelineActivity(doc, {
      id: "extra",
      label: "Follow-up",
      start: "2021-11",
      end: "2021-12",
      phase: 4,
    });
    setTimelineActivity(doc, {
      id: "extra",
      label: "Follow-up 2",
      start: "2021-11",
      end: "2021-12",
    });
    const rows = readTimeline(doc, TOSCANA_2021.timeline);
    expect(rows.find((r) => r.id === "conferenza")).toEqual({
      id: "conferenza",
      label: "Conferenza",
      start: "2021-12",
      end: "2021-12",
    });
    expect(rows.at(-1)).toEqual({
      id: "extra",
      label: "Follow-up 2",
      start: "2021-11",
      end: "2021-12",
    });
    expect(doc.getArray("timeline").length).toBe(2);
  });
});
