import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { writableRoots } from "@percorso/schema";
import { ConnectionBadge } from "../components/ConnectionBadge.tsx";
import { RefusalBanner } from "../components/RefusalBanner.tsx";
import { CitationDialog } from "../draft/CitationDialog.tsx";
import type { Citation } from "../editor/AnswerRef.ts";
import { useCollabStatus } from "../lib/useY.ts";
import { DraftGate, type DraftView } from "../conference/DraftGate.tsx";
import { DraftTextProvider, RunRegistry, type Highlight } from "../conference/DraftText.tsx";
import type { CommentsContext } from "../conference/Comments.tsx";
import { SectionView, type Composer, type Panel } from "../conference/SectionView.tsx";
import { sectionOfRun } from "../conference/sections.ts";
import { useAgreement } from "../conference/useAgreement.ts";
import { highlightsOf, usePlenary } from "../conference/usePlenary.ts";
import { useTextSelection } from "../conference/useTextSelection.ts";
import { SectionMenu } from "../conference/SectionMenu.tsx";
import { prefersReducedMotion } from "../conference/motion.ts";
import "../conference/conference.css";

/**
 * `/programmi/:programmeId/conferenza`: the plenary conference on the orientation draft (issue
 * 10), phone first. The draft read-only, section by section, following the section the drafting
 * team presents; per section, agree / disagree / abstain with live totals and by kind of actor,
 * comments on the section or on a selected passage, and suggested replacements to support or
 * object to.
 */
export function ConferenceView() {
  const { t } = useTranslation();
  return (
    <DraftGate pageName={t("plenary.readerName")}>{(view) => <Conference {...view} />}</DraftGate>
  );
}

function Conference({ session, identity, role, writer, programme }: DraftView) {
  const { t } = useTranslation();
  const doc = session.doc;
  const status = useCollabStatus(session);
  const state = usePlenary(doc);
  const agreement = useAgreement(identity.token, programme.id, doc);
  const [registry] = useState(() => new RunRegistry());
  const textRoot = useRef<HTMLDivElement>(null);
  const { selection, clear } = useTextSelection(textRoot, registry);
  const [panels, setPanels] = useState<Record<string, Panel | null>>({});
  const [composer, setComposer] = useState<Composer | null>(null);
  const [active, setActive] = useState<{ kind: Highlight["kind"]; id: string } | null>(null);
  const [citation, setCitation] = useState<Citation | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const canWrite =
    writableRoots("draft", role).has("comments") &&
    identity.userId !== null &&
    identity.anonId !== null;
  const drafting = role === "drafter" || role === "admin";
  const { outline, spotlight } = state;
  const sections = outline.sections;
  const spotSection = sections.find((s) => s.key === spotlight && !s.duplicate) ?? null;

  // While the page glides to a section, the way back to it is not offered.
  const [gliding, setGliding] = useState(false);
  const glideTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(glideTimer.current), []);

  const scrollToSection = useCallback((key: string, focus: boolean) => {
    const element = document.getElementById(`sezione-${key}`);
    if (!element) return;
    setGliding(true);
    clearTimeout(glideTimer.current);
    glideTimer.current = setTimeout(() => setGliding(false), 1500);
    element.scrollIntoView({
      block: "start",
      behavior: prefersReducedMotion() ? "auto" : "smooth",
    });
    if (focus)
      element.querySelector<HTMLElement>(".conf-section-title")?.focus({ preventScroll: true });
  }, []);

  // Following the presented section: is it on screen? (the reader may have scrolled away)
  const [spotVisible, setSpotVisible] = useState(true);
  const following = useRef(true);
  useEffect(() => {
    if (!spotlight) return;
    const element = document.getElementById(`sezione-${spotlight}`);
    if (!element) return;
    const observer = new IntersectionObserver(([entry]) => {
      if (!entry) return;
      following.current = entry.isIntersecting;
      setSpotVisible(entry.isIntersecting);
      if (entry.isIntersecting) setGliding(false);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [spotlight, sections.length]);

  // When the drafting team presents another section, follow it — unless the reader had scrolled
  // away from the last one, or is writing: then only say so, and offer the way back.
  const lastSpot = useRef<string | null | undefined>(undefined);
  useEffect(() => {
    const previous = lastSpot.current;
    lastSpot.current = spotlight;
    if (previous === spotlight || !spotSection) return;
    const typing = document.activeElement?.matches("input, textarea, select") ?? false;
    if (previous !== undefined) {
      setAnnouncement(t("plenary.nowPresenting", { title: spotSection.title }));
    }
    if ((following.current || previous === undefined || previous === null) && !typing) {
      // After the render that highlights it.
      requestAnimationFrame(() => scrollToSection(spotSection.key, false));
    }
  }, [spotlight, spotSection, scrollToSection, t]);

  const highlights = useMemo(() => highlightsOf(state, active), [state, active]);

  const showItem = useCallback(
    (kind: Highlight["kind"], id: string) => {
      const item =
        kind === "comment"
          ? state.comments.find((c) => c.id === id)
          : state.suggestions.find((s) => s.id === id);
      if (!item) return;
      setActive({ kind, id });
      setPanels((all) => ({
        ...all,
        [item.section]: kind === "comment" ? "comments" : "suggestions",
      }));
      requestAnimationFrame(() => {
        const element = document.getElementById(
          `${kind === "comment" ? "commento" : "proposta"}-${id}`,
        );
        element?.scrollIntoView({
          block: "center",
          behavior: prefersReducedMotion() ? "auto" : "smooth",
        });
        element?.focus({ preventScroll: true });
      });
    },
    [state.comments, state.suggestions],
  );

  const showPassage = useCallback((kind: Highlight["kind"], id: string) => {
    setActive({ kind, id });
    requestAnimationFrame(() => {
      const attribute = kind === "comment" ? "data-comments" : "data-suggestions";
      const mark = document.querySelector(`mark[${attribute}~="${CSS.escape(id)}"]`);
      mark?.scrollIntoView({
        block: "center",
        behavior: prefersReducedMotion() ? "auto" : "smooth",
      });
    });
  }, []);

  const settings = useMemo(
    () => ({
      registry,
      highlights,
      onCitation: setCitation,
      onPassage: (kind: Highlight["kind"], ids: readonly string[]) => {
        if (ids[0]) showItem(kind, ids[0]);
      },
    }),
    [registry, highlights, showItem],
  );

  const context: CommentsContext = {
    session,
    identity,
    writer,
    canWrite,
    passages: state.passages,
    onShowPassage: showPassage,
    active,
  };

  // Escape lets go of a selected passage (the bar over the text goes with it).
  useEffect(() => {
    if (!selection) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") clear();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [selection, clear]);

  const selectedSection =
    selection?.kind === "passage" ? sectionOfRun(outline, selection.text) : null;
  const startFromSelection = (kind: Panel) => {
    if (selection?.kind !== "passage" || !selectedSection) return;
    const { text, from, to, words } = selection;
    setComposer({ section: selectedSection, kind, passage: { text, from, to }, words });
    setPanels((all) => ({ ...all, [selectedSection]: kind }));
    clear();
  };

  return (
    <div className="conf">
      <header className="conf-head">
        <div>
          <p className="eyebrow">{programme.conference.title}</p>
          <h1>{outline.title ?? t("plenary.heading")}</h1>
          <p className="muted conf-links">
            <Link to={`/programmi/${encodeURIComponent(programme.id)}/esito`}>
              {t("plenary.toOutcomes")}
            </Link>
            {drafting && (
              <>
                {" · "}
                <Link to={`/programmi/${encodeURIComponent(programme.id)}/bozza`}>
                  {t("plenary.toDesk")}
                </Link>
              </>
            )}
          </p>
        </div>
        <ConnectionBadge session={session} />
      </header>
      {status?.refusal && <RefusalBanner session={session} kind={status.refusal} />}
      {canWrite ? (
        <p className="conf-intro">{t("plenary.intro")}</p>
      ) : (
        <p className="alert">{t("plenary.readOnly")}</p>
      )}
      <div className="conf-grid">
        <SectionMenu
          sections={sections}
          spotlight={spotSection?.key ?? null}
          comments={state.comments}
          suggestions={state.suggestions}
          agreement={agreement}
          onGo={(key) => scrollToSection(key, true)}
        />
        <DraftTextProvider value={settings}>
          <div className="conf-sections" ref={textRoot}>
            {status && !status.synced && sections.length === 0 ? (
              <p role="status">{t("editor.loading")}</p>
            ) : sections.length === 0 ? (
              <p className="empty">{t("plenary.noSections")}</p>
            ) : (
              sections.map((section, index) => (
                <SectionView
                  key={`${section.key}-${index}`}
                  section={section}
                  spotlit={section === spotSection}
                  comments={state.comments.filter((c) => c.section === section.key)}
                  suggestions={state.suggestions.filter((s) => s.section === section.key)}
                  agreement={agreement?.get(section.key)}
                  context={context}
                  panel={panels[section.key] ?? null}
                  onPanel={(panel) => setPanels((all) => ({ ...all, [section.key]: panel }))}
                  composer={composer}
                  onComposer={setComposer}
                />
              ))
            )}
          </div>
        </DraftTextProvider>
      </div>
      {selection && canWrite && (
        <div className="conf-selection" role="group" aria-label={t("plenary.selection.label")}>
          {selection.kind === "several" || !selectedSection ? (
            <p className="conf-selection-text">
              {selection.kind === "several"
                ? t("plenary.selection.several")
                : t("plenary.selection.outside")}
            </p>
          ) : (
            <>
              <p className="conf-selection-text">«{selection.words}»</p>
              <button
                type="button"
                className="btn btn-primary btn-small"
                onPointerDown={(e) => e.preventDefault()}
                onClick={() => startFromSelection("comments")}
              >
                {t("plenary.selection.comment")}
              </button>
              <button
                type="button"
                className="btn btn-small"
                onPointerDown={(e) => e.preventDefault()}
                onClick={() => startFromSelection("suggestions")}
              >
                {t("plenary.selection.suggest")}
              </button>
            </>
          )}
          <button
            type="button"
            className="btn btn-small conf-selection-close"
            aria-label={t("plenary.selection.dismiss")}
            onClick={clear}
          >
            ×
          </button>
        </div>
      )}
      {spotSection && !spotVisible && !gliding && !selection && (
        <button
          type="button"
          className="btn btn-primary conf-return"
          onClick={() => scrollToSection(spotSection.key, true)}
        >
          {t("plenary.returnToSpotlight")}
        </button>
      )}
      <p className="visually-hidden" role="status" aria-live="polite">
        {announcement}
      </p>
      {citation && (
        <CitationDialog
          token={identity.token}
          programmeId={programme.id}
          citation={citation}
          onClose={() => setCitation(null)}
        />
      )}
    </div>
  );
}
