import { describe, expect, test } from "vitest";
import * as Y from "yjs";
import { readPlenaryPage, setPlenaryPage, spotlightSection } from "@percorso/schema";
import { pageRange, pageStarts, shownPage } from "../src/conference/plenaryPages.ts";

/** Paging a long section on the plenary screen (issue 22): the split, and the shared index. */
describe("plenary pages", () => {
  test("whole blocks per page; a block taller than a page is a page of its own", () => {
    const boxes = [0, 100, 200, 300, 400].map((top) => ({ top, height: 90 }));
    expect(pageStarts(boxes, 290)).toEqual([0, 3]);
    expect(pageStarts(boxes, 1000)).toEqual([0]);
    expect(
      pageStarts(
        [
          { top: 0, height: 50 },
          { top: 60, height: 900 },
          { top: 970, height: 10 },
        ],
        300,
      ),
    ).toEqual([0, 1, 2]);
    expect(pageStarts([], 300)).toEqual([0]);
  });

  test("the page shown stays within the pages; its blocks", () => {
    expect(shownPage(5, 3)).toBe(2);
    expect(shownPage(-1, 3)).toBe(0);
    expect(pageRange({ section: "s", starts: [0, 4, 9], page: 1 }, 12)).toEqual([4, 9]);
    expect(pageRange({ section: "s", starts: [0, 4, 9], page: 7 }, 12)).toEqual([9, 12]);
    expect(pageRange({ section: "s", starts: [0], page: 0 }, 12)).toBeNull();
  });

  test("the drafters' page index: whole and non-negative, back to the first with a new section", () => {
    const doc = new Y.Doc();
    expect(readPlenaryPage(doc)).toBe(0);
    setPlenaryPage(doc, 2.7);
    expect(readPlenaryPage(doc)).toBe(2);
    setPlenaryPage(doc, -3);
    expect(readPlenaryPage(doc)).toBe(0);
    setPlenaryPage(doc, 2);
    spotlightSection(doc, "agenda-2030");
    expect(readPlenaryPage(doc)).toBe(0);
  });
});
