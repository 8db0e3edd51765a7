import { useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import {
  addAnswer,
  editAnswer,
  listAllAnswers,
  listQuestions,
  answersFor,
  mayAnswer,
  readModeration,
  readSession,
  removeAnswer,
  seminarRoots,
  toggleVote,
  type AnswerOrder,
  type Audience,
  type Question,
  type AnswerView,
  type Writer,
} from "@percorso/schema";
import type * as Y from "yjs";
import type { CollabSession } from "../lib/collab.ts";
import type { Identity } from "../lib/identity.ts";
import { answerControls, mutationAs, ownAnswerAudience } from "../lib/rules.ts";
import { useYRead } from "../lib/useY.ts";

const MAX_ANSWER = 2000;

/**
 * The open and closed key questions, live answers, votes. Draft questions stay hidden; the one
 * on the projector comes first (on a phone it is what the room is talking about).
 */
export function Questions({
  session,
  identity,
  writer,
  writable,
  spotlight,
  highlight = null,
  synced = true,
}: {
  session: CollabSession;
  identity: Identity;
  writer: Writer;
  /** The role may write answers now (root table, seminar not closed). */
  writable: boolean;
  spotlight: string | null;
  /** An answer to show highlighted and focused: the one a citation of the draft points to. */
  highlight?: string | null;
  /** The server's state has arrived: only then may a missing answer be called missing. */
  synced?: boolean;
}) {
  const { t } = useTranslation();
  const doc = session.doc;
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const listed = useYRead(roots.questions, () =>
    listQuestions(doc).filter((q) => q.state !== "draft"),
  );
  const questions = useMemo(
    () => [
      ...listed.filter((q) => q.id === spotlight),
      ...listed.filter((q) => q.id !== spotlight),
    ],
    [listed, spotlight],
  );
  // A concluded seminar takes no more answers: every question reads as closed.
  const seminarClosed = useYRead(roots.session, () => readSession(doc).status === "closed");
  const [order, setOrder] = useState<AnswerOrder>("newest");
  const sortId = useId();
  const citedShown = useYRead(
    [roots.answers, roots.moderation, roots.approvals],
    () =>
      highlight !== null &&
      questions.some((question) =>
        answersFor(doc, question.id, ownAnswerAudience(identity), "newest").some(
          (answer) => answer.id === highlight,
        ),
      ),
    [highlight, questions, identity],
  );

  return (
    <section aria-labelledby="questions-title">
      <div className="section-head">
        <h2 id="questions-title">{t("questions.heading")}</h2>
        <div className="field inline">
          <label htmlFor={sortId}>{t("questions.sort")}</label>
          <select
            id={sortId}
            value={order}
            onChange={(e) => setOrder(e.target.value as AnswerOrder)}
          >
            <option value="newest">{t("questions.sortNewest")}</option>
            <option value="votes">{t("questions.sortVotes")}</option>
          </select>
        </div>
      </div>
      {highlight !== null && (
        <p className={citedShown ? "hint" : synced ? "alert" : "hint"} role="status">
          {citedShown
            ? t("questions.citedShown")
            : synced
              ? t("questions.citedMissing")
              : t("questions.citedLoading")}
        </p>
      )}
      {questions.length === 0 ? (
        <p className="empty">{t("questions.empty")}</p>
      ) : (
        <ol className="question-list">
          {questions.map((question) => (
            <QuestionCard
              key={question.id}
              session={session}
              question={seminarClosed ? { ...question, state: "closed" } : question}
              index={listed.indexOf(question)}
              order={order}
              identity={identity}
              writer={writer}
              // Answers and votes only while the question is open: the server's rule, asked alike.
              writable={writable && mayAnswer(question)}
              spotlight={spotlight === question.id}
              highlight={highlight}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function QuestionCard({
  session,
  question,
  index,
  order,
  identity,
  writer,
  writable,
  spotlight,
  highlight,
}: {
  session: CollabSession;
  question: Question;
  index: number;
  order: AnswerOrder;
  identity: Identity;
  writer: Writer;
  writable: boolean;
  spotlight: boolean;
  highlight: string | null;
}) {
  const { t } = useTranslation();
  const doc = session.doc;
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  // Answers, moderation, approvals and pins all change what is visible.
  const answers = useYRead(
    [roots.answers, roots.moderation, roots.approvals, roots.pins],
    () => answersFor(doc, question.id, ownAnswerAudience(identity), order),
    [question.id, question.premoderated, order, identity],
  );
  // The person's own answers the facilitator hid or merged: they vanish from the list, so the
  // person is told on their card instead of wondering where their answer went.
  const moderated = useYRead(
    [roots.answers, roots.moderation],
    () => ownModeratedAnswers(doc, question.id, ownAnswerAudience(identity)),
    [question.id, identity],
  );
  // An invite used directly (no person) may read but never sign an answer.
  const canAnswer = writable && writer.userId !== null;
  const titleId = `question-${question.id}`;
  return (
    <li className={`card question-card${spotlight ? " spotlight" : ""}`} aria-labelledby={titleId}>
      <div className="question-meta">
        <span className="eyebrow">{index + 1}</span>
        {question.state === "closed" ? (
          <span className="badge status-closed">{t("questions.closed")}</span>
        ) : (
          <span className="badge status-live">{t("questions.open")}</span>
        )}
        {spotlight && <span className="badge badge-spotlight">{t("questions.spotlight")}</span>}
      </div>
      <h3 id={titleId} className="question-text">
        {question.text}
      </h3>
      {question.premoderated && <p className="hint">{t("questions.premoderatedNote")}</p>}
      {canAnswer && <AnswerForm session={session} question={question} identity={identity} />}
      <p className="muted">{t("questions.answers", { count: answers.length })}</p>
      {moderated.length > 0 && (
        <ul className="answer-list moderated-list">
          {moderated.map((own) => (
            <li key={own.id} className="answer answer-moderated" data-answer-id={own.id}>
              <div className="answer-body">
                <p className="answer-text">{own.text}</p>
                <p className="answer-note" role="note">
                  {own.into === null
                    ? t("questions.yourHidden")
                    : t("questions.yourMerged", { text: own.into })}
                </p>
              </div>
            </li>
          ))}
        </ul>
      )}
      {answers.length === 0 ? (
        question.state === "open" &&
        moderated.length === 0 && <p className="empty">{t("questions.noAnswers")}</p>
      ) : (
        <ul className="answer-list" aria-live="polite" aria-relevant="additions">
          {answers.map((answer) => (
            <AnswerItem
              key={answer.id}
              session={session}
              answer={answer}
              writer={writer}
              writable={writable}
              cited={answer.id === highlight}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

function AnswerForm({
  session,
  question,
  identity,
}: {
  session: CollabSession;
  question: Question;
  identity: Identity;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === "") {
      setError(t("questions.answerRequired"));
      return;
    }
    // Signed: the user id and the exact name joined with, under the document's own client id.
    // Anonymous: the anonymous id, no name, under the session's anonymous client id.
    const anonymous = identity.anonymous;
    addAnswer(
      session.doc,
      {
        questionId: question.id,
        text,
        author: anonymous ? "" : identity.name,
        authorId: (anonymous ? identity.anonId : identity.userId) ?? "",
        actorKind: identity.actorKind,
      },
      anonymous ? { clientId: session.anonClientId } : {},
    );
    setText("");
    setError(null);
  };
  return (
    <form className="answer-form" onSubmit={submit} noValidate>
      <label htmlFor={id} className="visually-hidden">
        {t("questions.yourAnswer")}: {question.text}
      </label>
      <textarea
        id={id}
        rows={2}
        value={text}
        placeholder={t("questions.answerPlaceholder")}
        maxLength={MAX_ANSWER}
        onChange={(e) => {
          setText(e.target.value);
          if (error) setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) submit(e);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-note${error ? ` ${id}-error` : ""}`}
      />
      <div className="form-row">
        <span id={`${id}-note`} className="help">
          {identity.anonymous
            ? t("questions.anonymousNote")
            : t("questions.signedAs", { name: identity.name })}
        </span>
        <button type="submit" className="btn btn-primary">
          {t("questions.send")}
        </button>
      </div>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function AnswerItem({
  session,
  answer,
  writer,
  writable,
  cited = false,
}: {
  session: CollabSession;
  answer: AnswerView;
  writer: Writer;
  writable: boolean;
  /** The answer a citation of the draft points to: highlighted, scrolled to, focused once. */
  cited?: boolean;
}) {
  const { t } = useTranslation();
  const item = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (!cited) return;
    const frame = requestAnimationFrame(() => {
      item.current?.scrollIntoView({ block: "center" });
      item.current?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [cited]);
  const doc = session.doc;
  const controls = answerControls(answer.authorId, writer, writable);
  const as = mutationAs(answer.authorId, writer, session);
  const [mode, setMode] = useState<"show" | "edit" | "confirmDelete">("show");
  const editButton = useRef<HTMLButtonElement>(null);
  const voted = writer.anonId !== null && answer.voters.includes(writer.anonId);
  const short = answer.text.slice(0, 80);

  const backToShow = () => {
    setMode("show");
    // The keyboard goes back where it was: the button that opened the editing.
    requestAnimationFrame(() => editButton.current?.focus());
  };

  return (
    <li
      ref={item}
      className={`answer${answer.pinned ? " pinned" : ""}${cited ? " cited" : ""}`}
      data-answer-id={answer.id}
      tabIndex={cited ? -1 : undefined}
    >
      <div className="answer-body">
        {cited && <p className="badge badge-cited">{t("questions.citedBadge")}</p>}
        {mode === "edit" ? (
          <EditAnswer
            text={answer.text}
            label={t("questions.editLabel", { text: short })}
            onSave={(text) => {
              editAnswer(doc, answer.id, text, as);
              backToShow();
            }}
            onCancel={backToShow}
          />
        ) : (
          <p className="answer-text">{answer.text}</p>
        )}
        {(answer.pinned || !answer.approved) && (
          <p className="answer-flags">
            {answer.pinned && <span className="badge badge-spotlight">{t("console.pinned")}</span>}
            {!answer.approved && <span className="badge">{t("questions.pending")}</span>}
          </p>
        )}
        {mode === "confirmDelete" && (
          <div className="confirm" role="group" aria-label={t("questions.confirmDelete")}>
            <p>{t("questions.confirmDelete")}</p>
            <div className="form-row">
              <button
                type="button"
                className="btn btn-small btn-danger"
                autoFocus
                onClick={() => removeAnswer(doc, answer.id, as)}
              >
                {t("questions.delete")}
              </button>
              <button type="button" className="btn btn-small" onClick={backToShow}>
                {t("materials.cancel")}
              </button>
            </div>
          </div>
        )}
      </div>
      <div className="answer-meta">
        <span className="muted">
          {answer.author || t("questions.anonymous")}
          {controls.own && ` (${t("presence.you")})`}
        </span>
        {answer.merged.length > 0 && (
          <span className="muted"> · {t("questions.merged", { count: answer.merged.length })}</span>
        )}
        {mode === "show" && (controls.edit || controls.remove) && (
          <span className="answer-actions">
            {controls.edit && (
              <button
                ref={editButton}
                type="button"
                className="btn btn-small"
                aria-label={t("questions.editLabel", { text: short })}
                onClick={() => setMode("edit")}
              >
                {t("console.edit")}
              </button>
            )}
            {controls.remove && (
              <button
                type="button"
                className="btn btn-small btn-danger"
                aria-label={t("questions.deleteLabel", { text: short })}
                onClick={() => setMode("confirmDelete")}
              >
                {t("questions.delete")}
              </button>
            )}
          </span>
        )}
        {controls.own ? (
          // One's own answer is not voted on: its support is shown, not offered.
          <span className="vote-count">
            <span aria-hidden="true">▲</span> {t("questions.votes", { count: answer.votes })}
          </span>
        ) : (
          <button
            type="button"
            className={`btn btn-vote${voted ? " active" : ""}`}
            aria-pressed={voted}
            disabled={!controls.vote}
            onClick={() => {
              if (!controls.vote || writer.anonId === null) return;
              // The vote is keyed by the anonymous id and written under the anonymous client id.
              toggleVote(doc, answer.id, writer.anonId, { clientId: session.anonClientId });
            }}
          >
            <span aria-hidden="true">{voted ? "✓" : "▲"}</span>{" "}
            {t("questions.votes", { count: answer.votes })}
            <span className="visually-hidden"> · {t("questions.voteLabel", { text: short })}</span>
          </button>
        )}
      </div>
    </li>
  );
}

/** One's own answer taken out of the list: hidden (`into` null) or merged into another. */
interface OwnModerated {
  id: string;
  text: string;
  /** The beginning of the answer it was merged into. */
  into: string | null;
}

/** The person's own answers to a question that the facilitator hid or merged into another. */
function ownModeratedAnswers(doc: Y.Doc, questionId: string, audience: Audience): OwnModerated[] {
  if (audience.kind !== "participant") return [];
  const moderation = readModeration(doc);
  const all = listAllAnswers(doc, questionId);
  const byId = new Map(all.map((answer) => [answer.id, answer]));
  return all.flatMap((answer): OwnModerated[] => {
    const entry = moderation.get(answer.id);
    if (answer.authorId !== audience.userId || entry === undefined) return [];
    if (entry === "hidden") return [{ id: answer.id, text: answer.text, into: null }];
    const target = byId.get(entry.mergedInto);
    return [{ id: answer.id, text: answer.text, into: target ? target.text.slice(0, 80) : "" }];
  });
}

/** The author's inline correction of their answer: Save, Cancel, Esc cancels. */
function EditAnswer({
  text,
  label,
  onSave,
  onCancel,
}: {
  text: string;
  label: string;
  onSave: (text: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(text);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() === "") return setError(t("questions.answerRequired"));
    if (draft.trim() === text.trim()) return onCancel();
    onSave(draft);
  };
  return (
    <form className="answer-edit" onSubmit={save} noValidate>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <textarea
        id={id}
        rows={3}
        value={draft}
        maxLength={MAX_ANSWER}
        autoFocus
        onChange={(e) => {
          setDraft(e.target.value);
          if (error) setError(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onCancel();
          } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) save(e);
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="form-row">
        <button type="submit" className="btn btn-small btn-primary">
          {t("console.save")}
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          {t("materials.cancel")}
        </button>
      </div>
    </form>
  );
}
