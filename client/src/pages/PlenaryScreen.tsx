import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { REACTIONS, draftRoots, readPlenaryPage } from "@percorso/schema";
import { DraftGate, type DraftView } from "../conference/DraftGate.tsx";
import { Blocks, DraftTextProvider, RunRegistry } from "../conference/DraftText.tsx";
import { ByKind, TallyBar, VerdictBadge, useTally } from "../conference/Reactions.tsx";
import { InlineRedline, baseTextOf, bySupport } from "../conference/Suggestions.tsx";
import { useAgreement } from "../conference/useAgreement.ts";
import { usePlenary } from "../conference/usePlenary.ts";
import { readPlenaryJoinUrl } from "../conference/plenaryRoot.ts";
import {
  PLENARY_PAGED_SIZE,
  PLENARY_SIZES,
  SCREEN_PAGES_FIELD,
  pageStarts,
  shownPage,
  type BlockBox,
} from "../conference/plenaryPages.ts";
import { wordDiff } from "../conference/wordDiff.ts";
import { usePresence, useYRead } from "../lib/useY.ts";
import { onePerPerson } from "../lib/presence.ts";
import { useQrCode } from "../lib/useQrCode.ts";
import "../conference/conference.css";

/** How many open suggestions the screen considers, the most supported first (as fit). */
const TOP_SUGGESTIONS = 6;
/** The smallest body size a single block too long for a page may shrink to (px). */
const FLOOR_SIZE = 18;

/**
 * `/programmi/:programmeId/plenaria?token=<observer invite>`: the plenary's projector, at
 * 1920×1080 for the back of the hall. Read-only, no controls: the section being presented in
 * large type, where the room stands on it — live totals and by kind of actor — its most
 * supported open suggestions, and the QR code to join. Changes arrive calmly (a fade), and
 * without motion for those who ask for none. Nothing is cut (issue 22): the type is scaled to
 * the section's length, a section too long even at the smallest size is shown a page at a
 * time (the drafters turn the pages from the desk), and only the suggestions that fit whole
 * are shown, with how many more there are.
 */
export function PlenaryScreen() {
  const { t } = useTranslation();
  return (
    <DraftGate pageName={t("plenary.screen.name")}>{(view) => <Screen {...view} />}</DraftGate>
  );
}

function Screen({ session, identity, programme }: DraftView) {
  const { t } = useTranslation();
  const doc = session.doc;
  const state = usePlenary(doc);
  const agreement = useAgreement(identity.token, programme.id, doc);
  const plenary = useMemo(() => draftRoots(doc).plenary, [doc]);
  const joinUrl = useYRead(plenary, () => readPlenaryJoinUrl(doc));
  const page = useYRead(plenary, () => readPlenaryPage(doc));
  const awareness = session.provider.awareness;
  const qr = useQrCode(joinUrl, 440);
  // One per person (two tabs of one drafter are one person in the hall).
  const present = onePerPerson(
    usePresence(session.provider.awareness).filter((u) => u.role !== "observer"),
  );
  const [registry] = useState(() => new RunRegistry());
  const section =
    state.outline.sections.find((s) => s.key === state.spotlight && !s.duplicate) ?? null;
  const tally = useTally(session, section?.key ?? "");
  const total = tally.agree + tally.disagree + tally.abstain;
  const sectionAgreement = section ? agreement?.get(section.key) : undefined;
  const top = section
    ? state.suggestions
        .filter((s) => s.section === section.key && s.status === "open")
        .sort(bySupport)
        .slice(0, TOP_SUGGESTIONS)
    : [];
  const settings = useMemo(
    () => ({ registry, highlights: new Map(), onCitation: () => {}, onPassage: () => {} }),
    [registry],
  );

  useEffect(() => {
    document.body.classList.add("plenary-body");
    return () => document.body.classList.remove("plenary-body");
  }, []);

  // The section's pages as measured here, and how many suggestions did not fit.
  const textRef = useRef<HTMLDivElement>(null);
  const sideRef = useRef<HTMLElement>(null);
  const [starts, setStarts] = useState<number[]>([0]);
  const [moreSuggestions, setMoreSuggestions] = useState(0);
  const current = shownPage(page, starts.length);

  const fit = useCallback(() => {
    const text = textRef.current;
    if (text) {
      const measured = fitText(text, page);
      setStarts((previous) => (sameList(previous, measured) ? previous : measured));
    }
    const side = sideRef.current;
    if (side) setMoreSuggestions(fitSuggestions(side));
  }, [page]);

  // Measured before paint, again whenever the text, the window or the fonts change.
  useLayoutEffect(fit, [fit, section, top.length]);
  useEffect(() => {
    const text = textRef.current;
    const side = sideRef.current;
    let frame = 0;
    const later = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(fit);
    };
    const resize = new ResizeObserver(later);
    const mutation = new MutationObserver(later);
    for (const element of [text, side]) {
      if (!element) continue;
      resize.observe(element);
      mutation.observe(element, { childList: true, subtree: true, characterData: true });
    }
    void document.fonts.ready.then(later);
    return () => {
      cancelAnimationFrame(frame);
      resize.disconnect();
      mutation.disconnect();
    };
  }, [fit, section]);

  // The desk and the phones learn from the screen's presence where its pages start.
  useEffect(() => {
    awareness.setLocalStateField(
      SCREEN_PAGES_FIELD,
      section ? { section: section.key, starts, page: current } : null,
    );
  }, [awareness, section, starts, current]);

  return (
    <div className="plenary">
      <header className="plenary-top">
        <p className="plenary-conference">{programme.conference.title}</p>
        <p className="plenary-present" aria-live="off">
          {t("presence.count", { count: present.length })}
        </p>
      </header>
      <main className="plenary-main" id="main">
        <div className="plenary-left">
          {section ? (
            <div className="plenary-section" key={section.key}>
              <p className="plenary-eyebrow">
                {t("plenary.presentingNow")}
                {starts.length > 1 && (
                  <span className="plenary-page" data-page={current + 1}>
                    {" · "}
                    {t("plenary.screen.page", { page: current + 1, count: starts.length })}
                  </span>
                )}
              </p>
              <h1 className="plenary-title">{section.title}</h1>
              <DraftTextProvider value={settings}>
                <div className="plenary-text" ref={textRef}>
                  <Blocks blocks={section.blocks} />
                </div>
              </DraftTextProvider>
            </div>
          ) : (
            <div className="plenary-section plenary-idle">
              <h1 className="plenary-title">{state.outline.title ?? programme.title}</h1>
              <p className="plenary-waiting">{t("plenary.screen.waiting")}</p>
            </div>
          )}
          {qr && joinUrl && (
            <div className="plenary-join">
              <img src={qr} alt={t("plenary.screen.qrAlt")} width={220} height={220} />
              <div>
                <p className="plenary-join-title">{t("plenary.screen.scanToJoin")}</p>
                <p className="plenary-join-url">{joinUrl.replace(/^https?:\/\//, "")}</p>
              </div>
            </div>
          )}
        </div>
        <aside className="plenary-side" ref={sideRef} aria-label={t("plenary.screen.sideLabel")}>
          {section && (
            <>
              <section className="plenary-panel" aria-labelledby="plenary-totals">
                <h2 id="plenary-totals" className="plenary-panel-title">
                  {t("plenary.screen.totals")} <VerdictBadge verdict={sectionAgreement?.verdict} />
                </h2>
                <dl className="plenary-totals">
                  {REACTIONS.map((reaction) => (
                    <div key={reaction} className={`plenary-total total-${reaction}`}>
                      <dt>{t(`plenary.reactions.${reaction}`)}</dt>
                      <dd data-count={reaction}>{tally[reaction]}</dd>
                    </div>
                  ))}
                </dl>
                <TallyBar tally={tally} />
                <p className="plenary-note">{t("plenary.reactions.total", { count: total })}</p>
              </section>
              <section className="plenary-panel" aria-labelledby="plenary-kinds">
                <h2 id="plenary-kinds" className="plenary-panel-title">
                  {t("plenary.reactions.byKind")}
                </h2>
                <ByKind agreement={sectionAgreement} />
              </section>
              <section className="plenary-panel" aria-labelledby="plenary-suggestions">
                <h2 id="plenary-suggestions" className="plenary-panel-title">
                  {t("plenary.screen.suggestions")}
                </h2>
                {top.length === 0 ? (
                  <p className="plenary-note">{t("plenary.screen.noSuggestions")}</p>
                ) : (
                  <ol className="plenary-suggestions">
                    {top.map((suggestion) => (
                      <li key={suggestion.id} data-suggestion-id={suggestion.id}>
                        <InlineRedline
                          changes={wordDiff(
                            baseTextOf(suggestion, state.passages.get(suggestion.id)),
                            suggestion.proposedText,
                          )}
                        />
                        <p className="plenary-note">
                          {t("plenary.suggestions.support", { count: suggestion.support })} ·{" "}
                          {t("plenary.suggestions.objections", { count: suggestion.objections })}
                        </p>
                      </li>
                    ))}
                  </ol>
                )}
                {moreSuggestions > 0 && (
                  <p className="plenary-note plenary-more">
                    {t("plenary.screen.moreSuggestions", { count: moreSuggestions })}
                  </p>
                )}
              </section>
            </>
          )}
        </aside>
      </main>
    </div>
  );
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * Scales the section's type to its length and, when it does not fit even at the smallest
 * size, splits it into pages of whole blocks and shows the drafters' page (the others
 * hidden). Works on the elements directly: the sizes are tried and measured before paint.
 * Returns the first block of each page.
 */
function fitText(text: HTMLElement, page: number): number[] {
  const blocks = [...text.children] as HTMLElement[];
  for (const block of blocks) block.hidden = false;
  const fits = () => text.scrollHeight <= text.clientHeight + 1;
  for (const size of PLENARY_SIZES) {
    text.style.fontSize = `${size}px`;
    if (fits()) return [0];
  }
  text.style.fontSize = `${PLENARY_PAGED_SIZE}px`;
  const boxes: BlockBox[] = blocks.map((block) => ({
    top: block.offsetTop,
    height: block.offsetHeight,
  }));
  const starts = pageStarts(boxes, text.clientHeight);
  const shown = shownPage(page, starts.length);
  const from = starts[shown]!;
  const to = starts[shown + 1] ?? blocks.length;
  blocks.forEach((block, index) => {
    block.hidden = index < from || index >= to;
  });
  // A single block longer than a page: smaller still, down to a floor.
  for (let size = PLENARY_PAGED_SIZE - 2; size >= FLOOR_SIZE && !fits(); size -= 2) {
    text.style.fontSize = `${size}px`;
  }
  return starts;
}

/**
 * Shows the most supported suggestions that fit whole in the side column, hiding the rest;
 * returns how many were hidden (said in a line below them).
 */
function fitSuggestions(side: HTMLElement): number {
  const items = [...side.querySelectorAll<HTMLElement>(".plenary-suggestions > li")];
  for (const item of items) item.hidden = false;
  const panel = items[0]?.closest<HTMLElement>(".plenary-panel");
  if (!panel) return 0;
  const bottom = side.getBoundingClientRect().bottom;
  const padding = parseFloat(getComputedStyle(panel).paddingBottom) || 0;
  // Room kept for the line that says how many more there are.
  const noteRoom = 2.5 * (parseFloat(getComputedStyle(panel).fontSize) || 16);
  let shown = 0;
  for (const [index, item] of items.entries()) {
    const last = index === items.length - 1;
    const limit = bottom - padding - (last ? 0 : noteRoom);
    if (item.getBoundingClientRect().bottom > limit) break;
    shown = index + 1;
  }
  // Whether the last one fits depends on the note: without it, all of them must fit.
  if (shown < items.length) {
    while (
      shown > 0 &&
      items[shown - 1]!.getBoundingClientRect().bottom > bottom - padding - noteRoom
    ) {
      shown -= 1;
    }
  }
  items.forEach((item, index) => {
    item.hidden = index >= shown;
  });
  return items.length - shown;
}
