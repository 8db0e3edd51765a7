import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import {
  addAnswer,
  listQuestions,
  answersFor,
  seminarRoots,
  toggleVote,
  type AnswerOrder,
  type Question,
  type AnswerView,
} from "@percorso/schema";
import type { Identity } from "../lib/identity.ts";
import { useYRead } from "../lib/useY.ts";

/** The open and closed key questions, live answers, votes. Draft questions stay hidden. */
export function Questions({
  doc,
  identity,
  name,
  canAnswer,
  spotlight,
}: {
  doc: Y.Doc;
  identity: Identity;
  name: string;
  canAnswer: boolean;
  spotlight: string | null;
}) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const questions = useYRead(roots.questions, () =>
    listQuestions(doc).filter((q) => q.state !== "draft"),
  );
  const [order, setOrder] = useState<AnswerOrder>("newest");
  const sortId = useId();

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
      {questions.length === 0 ? (
        <p className="empty">{t("questions.empty")}</p>
      ) : (
        <ol className="question-list">
          {questions.map((question, index) => (
            <QuestionCard
              key={question.id}
              doc={doc}
              question={question}
              index={index}
              order={order}
              identity={identity}
              name={name}
              canAnswer={canAnswer && question.state === "open"}
              spotlight={spotlight === question.id}
            />
          ))}
        </ol>
      )}
    </section>
  );
}

function QuestionCard({
  doc,
  question,
  index,
  order,
  identity,
  name,
  canAnswer,
  spotlight,
}: {
  doc: Y.Doc;
  question: Question;
  index: number;
  order: AnswerOrder;
  identity: Identity;
  name: string;
  canAnswer: boolean;
  spotlight: boolean;
}) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  // Answers, moderation, approvals and pins all change what is visible.
  const answers = useYRead(
    [roots.answers, roots.moderation, roots.approvals, roots.pins],
    () => answersFor(doc, question.id, { kind: "participant", userId: identity.userId }, order),
    [question.id, question.premoderated, order, identity.userId],
  );
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
      {canAnswer && <AnswerForm doc={doc} question={question} identity={identity} name={name} />}
      <p className="muted">{t("questions.answers", { count: answers.length })}</p>
      {answers.length === 0 ? (
        question.state === "open" && <p className="empty">{t("questions.noAnswers")}</p>
      ) : (
        <ul className="answer-list" aria-live="polite" aria-relevant="additions">
          {answers.map((answer) => (
            <AnswerItem
              key={answer.id}
              doc={doc}
              answer={answer}
              voterId={identity.userId}
              canVote={canAnswer}
            />
          ))}
        </ul>
      )}
    </li>
  );
}

function AnswerForm({
  doc,
  question,
  identity,
  name,
}: {
  doc: Y.Doc;
  question: Question;
  identity: Identity;
  name: string;
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
    addAnswer(doc, {
      questionId: question.id,
      text,
      author: identity.anonymous ? "" : name,
      authorId: identity.userId,
      actorKind: identity.actorKind,
    });
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
        maxLength={2000}
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
          {identity.anonymous ? t("questions.anonymousNote") : t("questions.signedAs", { name })}
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
  doc,
  answer,
  voterId,
  canVote,
}: {
  doc: Y.Doc;
  answer: AnswerView;
  voterId: string;
  canVote: boolean;
}) {
  const { t } = useTranslation();
  const voted = answer.voters.includes(voterId);
  return (
    <li className={`answer${answer.pinned ? " pinned" : ""}`} data-answer-id={answer.id}>
      <p className="answer-text">{answer.text}</p>
      {(answer.pinned || !answer.approved) && (
        <p className="answer-flags">
          {answer.pinned && <span className="badge badge-spotlight">{t("console.pinned")}</span>}
          {!answer.approved && <span className="badge">{t("questions.pending")}</span>}
        </p>
      )}
      <div className="answer-meta">
        <span className="muted">{answer.author || t("questions.anonymous")}</span>
        {answer.merged.length > 0 && (
          <span className="muted"> · {t("questions.merged", { count: answer.merged.length })}</span>
        )}
        <button
          type="button"
          className={`btn btn-vote${voted ? " active" : ""}`}
          aria-pressed={voted}
          disabled={!canVote}
          onClick={() => toggleVote(doc, answer.id, voterId)}
        >
          <span aria-hidden="true">▲</span> {t("questions.votes", { count: answer.votes })}
          <span className="visually-hidden">
            {" "}
            · {t("questions.voteLabel", { text: answer.text.slice(0, 80) })}
          </span>
        </button>
      </div>
    </li>
  );
}
