import { useId, useMemo, useState } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import type { Editor } from "@tiptap/react";
import {
  readPlenaryPage,
  setCommentResolved,
  setPlenaryPage,
  spotlightSection,
  type DraftComment,
  type Suggestion,
  type Writer,
} from "@percorso/schema";
import { ApiError, api } from "../lib/api.ts";
import type { CollabSession } from "../lib/collab.ts";
import { downloadFile } from "../lib/download.ts";
import { mutationAs } from "../lib/rules.ts";
import { formatDateTime } from "../i18n.ts";
import { RedlineLegend } from "../draft/Redline.tsx";
import { useAuthorLabel } from "./Comments.tsx";
import { ConferenceInvites } from "./ConferenceInvites.tsx";
import { selectPassageInEditor } from "./deskPassage.ts";
import { useAgreement } from "./useAgreement.ts";
import { shownPage, useScreenPages } from "./plenaryPages.ts";
import { useYRead } from "../lib/useY.ts";
import { usePlenary, type PlenaryState } from "./usePlenary.ts";
import { VerdictBadge, useTally } from "./Reactions.tsx";
import { SuggestionCard, bySupport } from "./Suggestions.tsx";
import type { ResolvedPassage } from "./passages.ts";
import "./conference.css";

/**
 * The plenary from the drafting team's desk (issue 10): the conference's invites, the section
 * presented to the room, and per section the open suggestions (most supported first) and
 * comments, to resolve live — accept, with an optional reason, or reject with one; resolve a
 * comment — with what is resolved folded away.
 */
export function ConferenceDeskPanel({
  session,
  token,
  programmeId,
  writer,
  editor,
}: {
  session: CollabSession;
  token: string;
  programmeId: string;
  writer: Writer;
  editor: Editor | null;
}) {
  const { t } = useTranslation();
  const doc = session.doc;
  const state = usePlenary(doc);
  const agreement = useAgreement(token, programmeId, doc);
  const [report, setReport] = useState<{ ok: boolean; message: string } | null>(null);
  const sections = state.outline.sections.filter((section) => !section.duplicate);
  const base = `/programmi/${encodeURIComponent(programmeId)}`;

  const download = async (format: "md" | "docx") => {
    setReport({ ok: true, message: t("exports.preparing") });
    try {
      const name = await downloadFile(token, api.conferenceReportPath(programmeId, format));
      setReport({ ok: true, message: t("exports.done", { name }) });
    } catch {
      setReport({ ok: false, message: t("exports.error") });
    }
  };

  return (
    <section className="conf-desk" aria-labelledby="conf-desk-title">
      <h2 id="conf-desk-title" className="panel-heading">
        {t("plenary.desk.heading")}
      </h2>
      <p className="muted">{t("plenary.desk.intro")}</p>
      <p className="conf-links">
        <Link to={`${base}/conferenza`}>{t("plenary.desk.openView")}</Link>
        {" · "}
        <Link to={`${base}/esito`}>{t("plenary.toOutcomes")}</Link>
      </p>
      <div className="form-row">
        <span className="hint">{t("plenary.desk.report")}</span>
        <button type="button" className="btn btn-small" onClick={() => void download("md")}>
          {t("exports.markdown")}
        </button>
        <button type="button" className="btn btn-small" onClick={() => void download("docx")}>
          {t("exports.docx")}
        </button>
      </div>
      <p role="status" className={report && !report.ok ? "field-error" : "hint"}>
        {report?.message ?? ""}
      </p>
      <ConferenceInvites token={token} programmeId={programmeId} doc={doc} />
      <SpotlightControl
        session={session}
        sections={sections.map(({ key, title }) => ({ key, title }))}
        spotlight={state.spotlight}
      />
      <h3 className="small-heading">{t("plenary.desk.toResolve")}</h3>
      <RedlineLegend className="conf-legend" />
      <ol className="conf-desk-sections">
        {sections.map((section) => (
          <li key={section.key}>
            <DeskSection
              sectionKey={section.key}
              title={section.title}
              state={state}
              session={session}
              token={token}
              programmeId={programmeId}
              writer={writer}
              editor={editor}
              verdict={agreement?.get(section.key)?.verdict}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

function SpotlightControl({
  session,
  sections,
  spotlight,
}: {
  session: CollabSession;
  sections: { key: string; title: string }[];
  spotlight: string | null;
}) {
  const { t } = useTranslation();
  const id = useId();
  const current = sections.some((s) => s.key === spotlight) ? (spotlight ?? "") : "";
  return (
    <div className="field conf-spotlight">
      <label htmlFor={id}>{t("plenary.desk.spotlight")}</label>
      <select
        id={id}
        value={current}
        onChange={(e) => spotlightSection(session.doc, e.target.value || null)}
      >
        <option value="">{t("plenary.desk.spotlightNone")}</option>
        {sections.map((section) => (
          <option key={section.key} value={section.key}>
            {section.title}
          </option>
        ))}
      </select>
      <p className="help">{t("plenary.desk.spotlightHelp")}</p>
      {current !== "" && <PageControl session={session} section={current} />}
    </div>
  );
}

/**
 * Turning the pages of a long section on the plenary screen: the index is written to the
 * draft's `plenary` root; how many pages there are, the screen says through its presence
 * (without a screen open, the index alone is shown).
 */
function PageControl({ session, section }: { session: CollabSession; section: string }) {
  const { t } = useTranslation();
  const doc = session.doc;
  const plenary = doc.getMap<unknown>("plenary");
  const page = useYRead(plenary, () => readPlenaryPage(doc));
  const screen = useScreenPages(session.provider.awareness, section);
  const count = screen?.starts.length ?? null;
  const shown = count === null ? page : shownPage(page, count);
  if (count === 1 && page === 0) return null;
  return (
    <div className="conf-pages" role="group" aria-label={t("plenary.desk.pages")}>
      <button
        type="button"
        className="btn btn-small"
        disabled={shown === 0}
        onClick={() => setPlenaryPage(doc, shown - 1)}
      >
        {t("plenary.desk.previousPage")}
      </button>
      <span className="conf-page-label" aria-live="polite">
        {count === null
          ? t("plenary.desk.pageOnly", { page: shown + 1 })
          : t("plenary.desk.pageOf", { page: shown + 1, count })}
      </span>
      <button
        type="button"
        className="btn btn-small"
        disabled={count !== null && shown >= count - 1}
        onClick={() => setPlenaryPage(doc, shown + 1)}
      >
        {t("plenary.desk.nextPage")}
      </button>
      <p className="help">{t("plenary.desk.pagesHelp")}</p>
    </div>
  );
}

function DeskSection({
  sectionKey,
  title,
  state,
  session,
  token,
  programmeId,
  writer,
  editor,
  verdict,
}: {
  sectionKey: string;
  title: string;
  state: PlenaryState;
  session: CollabSession;
  token: string;
  programmeId: string;
  writer: Writer;
  editor: Editor | null;
  verdict: "common-ground" | "divisive" | null | undefined;
}) {
  const { t } = useTranslation();
  const tally = useTally(session, sectionKey);
  const suggestions = state.suggestions.filter((s) => s.section === sectionKey).sort(bySupport);
  const threads = state.comments.filter((c) => c.section === sectionKey && c.parentId === null);
  const openSuggestions = suggestions.filter((s) => s.status === "open");
  const openThreads = threads.filter((c) => !c.resolved);
  const closedSuggestions = suggestions.filter((s) => s.status !== "open");
  const closedThreads = threads.filter((c) => c.resolved);
  const presenting = state.spotlight === sectionKey;
  const openCount = openSuggestions.length + openThreads.length;
  const closedCount = closedSuggestions.length + closedThreads.length;
  const repliesOf = (id: string) => state.comments.filter((c) => c.parentId === id);
  // Open suggestions are decided here; decided ones are shown as they were decided.
  const suggestionItem = (suggestion: Suggestion) => (
    <li key={suggestion.id}>
      <SuggestionCard
        suggestion={suggestion}
        passage={state.passages.get(suggestion.id)}
        headingLevel={4}
        actions={
          suggestion.status === "open" ? (
            <Decision
              suggestion={suggestion}
              passage={state.passages.get(suggestion.id)}
              token={token}
              programmeId={programmeId}
              editor={editor}
            />
          ) : undefined
        }
      />
    </li>
  );
  const commentItem = (comment: DraftComment) => (
    <li key={comment.id}>
      <DeskComment
        comment={comment}
        replies={repliesOf(comment.id)}
        passage={state.passages.get(comment.id)}
        session={session}
        writer={writer}
        editor={editor}
      />
    </li>
  );

  // The section's head — its title and "Presenta in plenaria" — is always in view; only its
  // suggestions and comments fold away (issue 22: the button hid in a collapsed section).
  return (
    <section
      className={`conf-desk-section${presenting ? " presenting" : ""}`}
      data-section={sectionKey}
      aria-label={title}
    >
      <div className="conf-desk-head">
        <span className="conf-desk-title">{title}</span>
        {presenting && <span className="badge badge-spotlight">{t("plenary.presentingNow")}</span>}
        <button
          type="button"
          className="btn btn-small"
          aria-pressed={presenting}
          onClick={() => spotlightSection(session.doc, presenting ? null : sectionKey)}
        >
          {presenting ? t("plenary.desk.stopPresenting") : t("plenary.desk.present")}
        </button>
      </div>
      <details className="conf-desk-items" open={openCount > 0 || presenting}>
        <summary>
          <span className="hint">
            {t("plenary.desk.counts", {
              suggestions: openSuggestions.length,
              comments: openThreads.length,
            })}
          </span>
        </summary>
        <p className="hint conf-desk-tally">
          {t("plenary.reactions.tallyLine", tally)} <VerdictBadge verdict={verdict} />
        </p>
        {openCount === 0 && <p className="empty">{t("plenary.desk.nothingOpen")}</p>}
        {openSuggestions.length > 0 && (
          <ol className="conf-items">{openSuggestions.map(suggestionItem)}</ol>
        )}
        {openThreads.length > 0 && <ol className="conf-items">{openThreads.map(commentItem)}</ol>}
        {closedCount > 0 && (
          <details className="conf-resolved">
            <summary>{t("plenary.desk.resolved", { count: closedCount })}</summary>
            <ol className="conf-items">
              {closedSuggestions.map(suggestionItem)}
              {closedThreads.map(commentItem)}
            </ol>
          </details>
        )}
      </details>
    </section>
  );
}

function DeskComment({
  comment,
  replies,
  passage,
  session,
  writer,
  editor,
}: {
  comment: DraftComment;
  replies: readonly DraftComment[];
  passage: ResolvedPassage | undefined;
  session: CollabSession;
  writer: Writer;
  editor: Editor | null;
}) {
  const { t, i18n } = useTranslation();
  const authorLabel = useAuthorLabel();
  return (
    <article
      className={`conf-item conf-comment${comment.resolved ? " resolved" : ""}`}
      data-comment-id={comment.id}
      aria-label={t("plenary.comments.by", { author: authorLabel(comment.author) })}
    >
      <p className="conf-meta">
        <strong>{authorLabel(comment.author)}</strong> ·{" "}
        {formatDateTime(comment.createdAt, i18n.language)}
        {comment.resolved && (
          <span className="badge badge-done">{t("plenary.comments.resolvedBadge")}</span>
        )}
      </p>
      {comment.anchor &&
        (passage?.status === "ok" ? (
          <blockquote className="conf-quote">«{passage.current}»</blockquote>
        ) : passage?.status === "deleted" ? (
          <p className="conf-gone">{t("plenary.comments.passageGone")}</p>
        ) : null)}
      <p className="conf-text-body">{comment.text}</p>
      {replies.length > 0 && (
        <ol className="conf-replies">
          {replies.map((reply) => (
            <li key={reply.id} className="conf-reply">
              <p className="conf-meta">
                <strong>{authorLabel(reply.author)}</strong>
              </p>
              <p className="conf-text-body">{reply.text}</p>
            </li>
          ))}
        </ol>
      )}
      <div className="form-row conf-actions">
        <button
          type="button"
          className="btn btn-small"
          onClick={() =>
            setCommentResolved(
              session.doc,
              comment.id,
              !comment.resolved,
              mutationAs(comment.authorId, writer, session),
            )
          }
        >
          {comment.resolved ? t("plenary.comments.reopen") : t("plenary.comments.resolve")}
        </button>
        {editor && comment.anchor && comment.head && passage?.status === "ok" && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => selectPassageInEditor(editor, comment.anchor!, comment.head!)}
          >
            {t("plenary.desk.goToPassage")}
          </button>
        )}
      </div>
    </article>
  );
}

/** Accept (reason optional) or reject (reason required) a suggestion, through the server. */
function Decision({
  suggestion,
  passage,
  token,
  programmeId,
  editor,
}: {
  suggestion: Suggestion;
  passage: ResolvedPassage | undefined;
  token: string;
  programmeId: string;
  editor: Editor | null;
}) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<"accept" | "reject" | null>(null);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; changed: boolean } | null>(null);
  const reasonId = useId();
  const canGo = useMemo(
    () => Boolean(editor && suggestion.anchor && suggestion.head && passage?.status === "ok"),
    [editor, suggestion.anchor, suggestion.head, passage],
  );

  const decide = async () => {
    if (!choice) return;
    if (choice === "reject" && reason.trim() === "") {
      setError({ message: t("plenary.desk.reasonRequired"), changed: false });
      document.getElementById(reasonId)?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.decideSuggestion(token, programmeId, suggestion.id, choice, reason.trim());
      setChoice(null);
    } catch (failure) {
      const status = failure instanceof ApiError ? failure.status : 0;
      setError(
        status === 409 && choice === "accept"
          ? { message: t("plenary.desk.passageChanged"), changed: true }
          : {
              message:
                status === 409
                  ? t("plenary.desk.alreadyDecided")
                  : status === 403
                    ? t("desk.errorForbidden")
                    : status === 0
                      ? t("desk.errorOffline")
                      : t("desk.errorFailed"),
              changed: false,
            },
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="conf-decision">
      {choice === null ? (
        <div className="form-row conf-actions">
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => setChoice("accept")}
          >
            {t("plenary.desk.accept")}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setChoice("reject")}>
            {t("plenary.desk.reject")}
          </button>
        </div>
      ) : (
        <form
          className="conf-form"
          onSubmit={(event) => {
            event.preventDefault();
            void decide();
          }}
          noValidate
        >
          <div className="field">
            <label htmlFor={reasonId}>
              {choice === "accept"
                ? t("plenary.desk.reasonOptional")
                : t("plenary.desk.reasonLabel")}
            </label>
            <textarea
              id={reasonId}
              rows={2}
              maxLength={2000}
              value={reason}
              autoFocus
              onChange={(e) => {
                setReason(e.target.value);
                setError(null);
              }}
              aria-invalid={error && !error.changed ? true : undefined}
              aria-describedby={error ? `${reasonId}-error` : undefined}
            />
          </div>
          <div className="form-row">
            <button type="submit" className="btn btn-small btn-primary" disabled={busy}>
              {busy
                ? t("plenary.desk.deciding")
                : choice === "accept"
                  ? t("plenary.desk.confirmAccept")
                  : t("plenary.desk.confirmReject")}
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              onClick={() => {
                setChoice(null);
                setError(null);
              }}
            >
              {t("plenary.cancel")}
            </button>
          </div>
        </form>
      )}
      {error && (
        <div id={`${reasonId}-error`} className="field-error conf-decision-error" role="alert">
          <p>{error.message}</p>
          {error.changed && canGo && editor && (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => selectPassageInEditor(editor, suggestion.anchor!, suggestion.head!)}
            >
              {t("plenary.desk.editByHand")}
            </button>
          )}
        </div>
      )}
    </div>
  );
}
