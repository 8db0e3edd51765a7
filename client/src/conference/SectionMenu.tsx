import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DraftComment, Suggestion } from "@percorso/schema";
import type { SectionAgreementView } from "../lib/api.ts";
import { VerdictBadge } from "./Reactions.tsx";
import type { DraftSection } from "./sections.ts";

/**
 * The sections of the draft, each a jump to it, with the one being presented marked and how
 * much is open in each. Folded behind a button on a phone, always shown beside the text on a
 * wider screen.
 */
export function SectionMenu({
  sections,
  spotlight,
  comments,
  suggestions,
  agreement,
  onGo,
}: {
  sections: readonly DraftSection[];
  spotlight: string | null;
  comments: readonly DraftComment[];
  suggestions: readonly Suggestion[];
  agreement: ReadonlyMap<string, SectionAgreementView> | null;
  onGo: (key: string) => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const headingId = useId();
  const spotTitle = sections.find((s) => s.key === spotlight)?.title;

  return (
    <nav className="conf-menu" aria-labelledby={headingId}>
      <h2 id={headingId} className="small-heading conf-menu-heading">
        {t("plenary.menu.heading")}
      </h2>
      <button
        type="button"
        className="btn btn-small conf-menu-toggle"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((value) => !value)}
      >
        {open
          ? t("plenary.menu.hide")
          : spotTitle
            ? t("plenary.menu.showWithSpotlight", { title: spotTitle })
            : t("plenary.menu.show", { count: sections.length })}
      </button>
      <ol id={listId} className="conf-menu-list" data-open={open}>
        {sections.map((section, index) => {
          if (section.duplicate) return null;
          const openComments = comments.filter(
            (c) => c.section === section.key && c.parentId === null && !c.resolved,
          ).length;
          const openSuggestions = suggestions.filter(
            (s) => s.section === section.key && s.status === "open",
          ).length;
          const presenting = section.key === spotlight;
          return (
            <li key={`${section.key}-${index}`} className={presenting ? "presenting" : undefined}>
              <a
                href={`#sezione-${section.key}`}
                aria-current={presenting ? "true" : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  setOpen(false);
                  onGo(section.key);
                }}
              >
                {section.title}
              </a>
              <span className="conf-menu-facts">
                {presenting && (
                  <span className="badge badge-spotlight">{t("plenary.presentingNow")}</span>
                )}
                <VerdictBadge verdict={agreement?.get(section.key)?.verdict} />
                {openComments + openSuggestions > 0 && (
                  <span className="hint">
                    {t("plenary.menu.counts", {
                      comments: openComments,
                      suggestions: openSuggestions,
                    })}
                  </span>
                )}
              </span>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
