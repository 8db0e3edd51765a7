import { useMemo } from "react";
import type { Awareness } from "y-protocols/awareness";
import { usePresence } from "../lib/useY.ts";

/**
 * How the plenary screen lays out the presented section (issue 22): the type scaled to the
 * text's length, and a section too long for one screen split into pages of whole blocks.
 * The screen measures; the drafters' page index is in the draft's `plenary` root; the screen
 * tells the desk and the phones where its pages start through its presence (an observer
 * writes nothing to the document), so they can say "pagina 2 di 3" and mark those blocks.
 */

/** Body sizes tried on the screen, largest first (px): legible from the back of the hall. */
export const PLENARY_SIZES = [40, 38, 36, 34, 32, 30, 28, 26, 24] as const;
/**
 * The size of a paged section: once the text no longer has to fit on one screen, a size a
 * little above the smallest keeps it readable at the cost of a page more.
 */
export const PLENARY_PAGED_SIZE = 28;

/** A block's box inside the text, in px from the text's top. */
export interface BlockBox {
  top: number;
  height: number;
}

/**
 * The index of the first block of each page: as many whole blocks as fit in `available` px,
 * the next page starting at the first that does not. A block taller than a page is a page of
 * its own (the screen shrinks it further).
 */
export function pageStarts(boxes: readonly BlockBox[], available: number): number[] {
  const starts: number[] = [0];
  if (boxes.length === 0) return starts;
  let pageTop = boxes[0]!.top;
  for (let index = 1; index < boxes.length; index += 1) {
    const box = boxes[index]!;
    if (box.top + box.height - pageTop > available) {
      starts.push(index);
      pageTop = box.top;
    }
  }
  return starts;
}

/** The page actually shown for the drafters' index: the last one for any larger index. */
export function shownPage(page: number, count: number): number {
  return Math.max(0, Math.min(page, count - 1));
}

/** What the screen announces in its presence. */
export interface ScreenPages {
  section: string;
  /** The first block of each page. */
  starts: number[];
  /** The page shown. */
  page: number;
}

export const SCREEN_PAGES_FIELD = "plenaryPages";

function isScreenPages(value: unknown): value is ScreenPages {
  if (typeof value !== "object" || value === null) return false;
  const { section, starts, page } = value as Record<string, unknown>;
  return (
    typeof section === "string" &&
    Array.isArray(starts) &&
    starts.length > 0 &&
    starts.every((n) => typeof n === "number" && Number.isInteger(n) && n >= 0) &&
    typeof page === "number"
  );
}

/** The pages a plenary screen reports for `section`, if one is open (the first one found). */
export function useScreenPages(
  awareness: Awareness | null,
  section: string | null,
): ScreenPages | null {
  // `usePresence` re-renders on every change of presence; the states are read here.
  const present = usePresence(awareness);
  return useMemo(() => {
    if (!awareness || section === null) return null;
    for (const state of awareness.getStates().values()) {
      const pages = (state as Record<string, unknown>)[SCREEN_PAGES_FIELD];
      if (isScreenPages(pages) && pages.section === section) return pages;
    }
    return null;
    // `present` changes whenever the presence does.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [awareness, section, present]);
}

/** The blocks of the page shown, as [from, to) indexes, or null when the section is one page. */
export function pageRange(pages: ScreenPages, blocks: number): [number, number] | null {
  if (pages.starts.length < 2) return null;
  const page = shownPage(pages.page, pages.starts.length);
  return [pages.starts[page]!, pages.starts[page + 1] ?? blocks];
}
