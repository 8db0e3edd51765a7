import { useEffect, useId, useRef } from "react";
import { useTranslation } from "react-i18next";
import { textOf, type DraftComment, type Suggestion } from "@percorso/schema";
import type { SectionAgreementView } from "../lib/api.ts";
import { Comments, type CommentsContext } from "./Comments.tsx";
import { pageRange, shownPage, useScreenPages } from "./plenaryPages.ts";
import { prefersReducedMotion } from "./motion.ts";
import { Blocks, FootnoteNumbers, Inline } from "./DraftText.tsx";
import type { Passage } from "./passages.ts";
import { Reactions } from "./Reactions.tsx";
import { sectionRuns, type DraftSection } from "./sections.ts";
import { Suggestions } from "./Suggestions.tsx";

export type Panel = "comments" | "suggestions";

export interface Composer {
  section: string;
  kind: Panel;
  passage: Passage | null;
  words: string;
}

/**
 * One chapter of the draft in the conference: its text, where the room stands on it, and its
 * comments and suggestions behind two toggles (open when one is being written or shown).
 */
export function SectionView({
  section,
  spotlit,
  comments,
  suggestions,
  agreement,
  context,
  panel,
  onPanel,
  composer,
  onComposer,
}: {
  section: DraftSection;
  spotlit: boolean;
  comments: readonly DraftComment[];
  suggestions: readonly Suggestion[];
  agreement: SectionAgreementView | undefined;
  context: CommentsContext;
  panel: Panel | null;
  onPanel: (panel: Panel | null) => void;
  composer: Composer | null;
  onComposer: (composer: Composer | null) => void;
}) {
  const { t } = useTranslation();
  const headingId = useId();
  const panelId = useId();
  const openComments = comments.filter((c) => c.parentId === null && !c.resolved).length;
  const openSuggestions = suggestions.filter((s) => s.status === "open").length;
  const runs = sectionRuns(section);
  const mine = composer?.section === section.key ? composer : null;
  const empty = section.blocks.every((block) => textOf(block).trim() === "");

  const toggle = (which: Panel) => onPanel(panel === which ? null : which);

  // A long section is paged on the plenary screen: say which page, mark its blocks, and bring
  // them into view when the page turns (only for a reader following along, not typing).
  const screen = useScreenPages(context.session.provider.awareness, spotlit ? section.key : null);
  const range = screen ? pageRange(screen, section.blocks.length) : null;
  const textRef = useRef<HTMLDivElement>(null);
  const [from, to] = range ?? [-1, -1];
  useEffect(() => {
    const text = textRef.current;
    if (!text) return;
    const blocks = [...text.children] as HTMLElement[];
    blocks.forEach((block, index) => {
      block.classList.toggle("on-screen", index >= from && index < to);
    });
    const first = blocks[from];
    const box = text.getBoundingClientRect();
    const inView = box.top < window.innerHeight && box.bottom > 0;
    const typing = document.activeElement?.matches("input, textarea, select") ?? false;
    if (first && inView && !typing) {
      first.scrollIntoView({
        block: "start",
        behavior: prefersReducedMotion() ? "auto" : "smooth",
      });
    }
  }, [from, to, section.blocks.length]);

  return (
    <section
      className={`conf-section${spotlit ? " spotlit" : ""}`}
      id={`sezione-${section.key}`}
      data-section={section.key}
      aria-labelledby={headingId}
    >
      {spotlit && <p className="badge badge-spotlight conf-now">{t("plenary.presentingNow")}</p>}
      {spotlit && screen && screen.starts.length > 1 && (
        <p className="conf-screen-page" aria-live="polite">
          {t("plenary.onScreenPage", {
            page: shownPage(screen.page, screen.starts.length) + 1,
            count: screen.starts.length,
          })}
        </p>
      )}
      {/* The chapter's footnotes are numbered from 1, its heading's first. */}
      <FootnoteNumbers elements={[section.heading, ...section.blocks]}>
        <h2 id={headingId} className="conf-section-title" tabIndex={-1}>
          <Inline element={section.heading} />
        </h2>
        <div className="conf-text" ref={textRef}>
          {empty ? (
            <p className="empty">{t("plenary.sectionEmpty")}</p>
          ) : (
            <Blocks blocks={section.blocks} />
          )}
        </div>
      </FootnoteNumbers>
      {!section.duplicate && (
        <>
          {/* Nothing to agree with yet: the reactions come with the text. */}
          {!empty && (
            <Reactions
              session={context.session}
              anonId={context.identity.anonId}
              canWrite={context.canWrite}
              section={section.key}
              title={section.title}
              agreement={agreement}
            />
          )}
          <div className="conf-toggles">
            <button
              type="button"
              className={`btn btn-small${panel === "comments" ? " active" : ""}`}
              aria-expanded={panel === "comments"}
              aria-controls={panelId}
              onClick={() => toggle("comments")}
            >
              {t("plenary.comments.toggle", { count: openComments })}
            </button>
            <button
              type="button"
              className={`btn btn-small${panel === "suggestions" ? " active" : ""}`}
              aria-expanded={panel === "suggestions"}
              aria-controls={panelId}
              onClick={() => toggle("suggestions")}
            >
              {t("plenary.suggestions.toggle", { count: openSuggestions })}
            </button>
          </div>
          <div id={panelId} className="conf-panel" hidden={panel === null}>
            {panel === "comments" && (
              <Comments
                section={section.key}
                title={section.title}
                comments={comments}
                runs={runs}
                context={context}
                composer={mine?.kind === "comments" ? mine : null}
                onCloseComposer={() => onComposer(null)}
                onOpenComposer={() =>
                  onComposer({ section: section.key, kind: "comments", passage: null, words: "" })
                }
              />
            )}
            {panel === "suggestions" && (
              <Suggestions
                section={section.key}
                title={section.title}
                suggestions={suggestions}
                runs={runs}
                context={context}
                composer={mine?.kind === "suggestions" ? mine : null}
                onCloseComposer={() => onComposer(null)}
                onOpenComposer={() =>
                  onComposer({
                    section: section.key,
                    kind: "suggestions",
                    passage: null,
                    words: "",
                  })
                }
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}
