import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import {
  addQuestion,
  answerCounts,
  citationLabel,
  answersFor,
  assignToCluster,
  editQuestion,
  hideAnswer,
  listAllAnswers,
  listClusters,
  listQuestions,
  mergeAnswer,
  moveQuestion,
  readModeration,
  readSession,
  removeQuestion,
  restoreAnswer,
  seminarRoots,
  setApproved,
  setPinned,
  setPremoderated,
  setQuestionState,
  spotlightQuestion,
  type AnswerView,
  type Cluster,
  type Question,
} from "@percorso/schema";
import { useYRead } from "../lib/useY.ts";
import { formatDuration, useNow } from "../lib/useNow.ts";

/** Prepare, reorder, open/close and spotlight key questions; moderate each one's answers. */
export function QuestionsPanel({ doc }: { doc: Y.Doc }) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const questions = useYRead(roots.questions, () => listQuestions(doc));
  const spotlight = useYRead(roots.session, () => readSession(doc).spotlight);
  const [text, setText] = useState("");
  const newId = useId();

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === "") return;
    addQuestion(doc, text, "draft");
    setText("");
  };

  return (
    <section className="card console-panel" aria-labelledby="cq-title">
      <h2 id="cq-title">{t("console.questions")}</h2>
      {questions.length === 0 && <p className="empty">{t("console.noQuestions")}</p>}
      <ol className="console-questions">
        {questions.map((question, index) => (
          <QuestionRow
            key={question.id}
            doc={doc}
            question={question}
            index={index}
            last={index === questions.length - 1}
            spotlight={spotlight === question.id}
          />
        ))}
      </ol>
      <form className="answer-form" onSubmit={add}>
        <label htmlFor={newId}>{t("console.newQuestion")}</label>
        <textarea
          id={newId}
          rows={2}
          value={text}
          onChange={(e) => setText(e.target.value)}
          maxLength={500}
        />
        <div className="form-row">
          <span className="help">{t("console.newQuestionHelp")}</span>
          <button type="submit" className="btn btn-primary" disabled={text.trim() === ""}>
            {t("console.addQuestion")}
          </button>
        </div>
      </form>
    </section>
  );
}

function QuestionRow({
  doc,
  question,
  index,
  last,
  spotlight,
}: {
  doc: Y.Doc;
  question: Question;
  index: number;
  last: boolean;
  spotlight: boolean;
}) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(question.text);
  const editId = useId();
  // Written, and shown on their own (not hidden, not merged, approved): as the report says.
  const counts = useYRead(
    [roots.answers, roots.moderation, roots.approvals, roots.questions],
    () => answerCounts(doc, question.id),
    [question.id],
  );
  const count = counts.written;
  const now = useNow(question.state === "open" && question.openedAt !== null);
  const label = `${index + 1}. ${question.text}`;

  return (
    <li className={`console-question state-${question.state}${spotlight ? " spotlight" : ""}`}>
      <div className="question-meta">
        <span
          className={`badge status-${question.state === "open" ? "live" : question.state === "closed" ? "closed" : "scheduled"}`}
        >
          {t(`console.questionState.${question.state}`)}
        </span>
        {spotlight && <span className="badge badge-spotlight">{t("questions.spotlight")}</span>}
        {question.premoderated && <span className="badge">{t("console.premoderated")}</span>}
        <span className="muted">
          {t("questions.answers", { count })}
          {counts.visible !== count &&
            ` · ${t("console.visibleAnswers", { count: counts.visible })}`}
          {question.state === "open" &&
            question.openedAt !== null &&
            ` · ${t("console.openFor", { time: formatDuration(now - question.openedAt) })}`}
          {question.state === "closed" &&
            question.openedAt !== null &&
            question.closedAt !== null &&
            ` · ${t("console.wasOpen", { time: formatDuration(question.closedAt - question.openedAt) })}`}
        </span>
      </div>
      {editing ? (
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            if (draft.trim()) editQuestion(doc, question.id, draft);
            setEditing(false);
          }}
        >
          <label htmlFor={editId} className="visually-hidden">
            {t("console.editQuestion")}
          </label>
          <input
            id={editId}
            className="grow"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            autoFocus
          />
          <button type="submit" className="btn btn-primary btn-small">
            {t("console.save")}
          </button>
          <button type="button" className="btn btn-small" onClick={() => setEditing(false)}>
            {t("materials.cancel")}
          </button>
        </form>
      ) : (
        <h3 className="question-text">
          {index + 1}. {question.text}
        </h3>
      )}
      <div
        className="form-row console-actions"
        role="group"
        aria-label={t("console.actionsFor", { question: label })}
      >
        {question.state !== "open" && (
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => setQuestionState(doc, question.id, "open")}
          >
            {t("console.open")}
          </button>
        )}
        {question.state === "open" && (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setQuestionState(doc, question.id, "closed")}
          >
            {t("console.close")}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small btn-toggle"
          aria-pressed={spotlight}
          onClick={() => spotlightQuestion(doc, spotlight ? null : question.id)}
        >
          {t("console.spotlight")}
        </button>
        <button
          type="button"
          className="btn btn-small btn-toggle"
          aria-pressed={question.premoderated}
          onClick={() => setPremoderated(doc, question.id, !question.premoderated)}
        >
          {t("console.premoderation")}
        </button>
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setDraft(question.text);
            setEditing(true);
          }}
        >
          {t("console.edit")}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={index === 0}
          aria-label={t("console.moveUp", { question: label })}
          onClick={() => moveQuestion(doc, question.id, index - 1)}
        >
          ↑
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={last}
          aria-label={t("console.moveDown", { question: label })}
          onClick={() => moveQuestion(doc, question.id, index + 1)}
        >
          ↓
        </button>
        {count === 0 && (
          <button
            type="button"
            className="btn btn-small btn-danger"
            onClick={() => {
              if (window.confirm(t("console.confirmRemove"))) removeQuestion(doc, question.id);
            }}
          >
            {t("console.remove")}
          </button>
        )}
      </div>
      {count > 0 && (
        <details className="moderation">
          <summary>{t("console.moderate", { count })}</summary>
          <Moderation doc={doc} question={question} />
        </details>
      )}
    </li>
  );
}

/** A merge the facilitator just made, offered for undoing where it was made. */
interface DoneMerge {
  answerId: string;
  text: string;
  into: string;
}

function Moderation({ doc, question }: { doc: Y.Doc; question: Question }) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  // Membership lives in `clusterOf`.
  const clusters = useYRead([roots.clusters, roots.clusterOf], () => listClusters(doc));
  const answers = useYRead(
    [roots.answers, roots.moderation, roots.pins, roots.approvals],
    () => answersFor(doc, question.id, { kind: "facilitator" }, "votes"),
    [question.id, question.premoderated],
  );
  const hidden = useYRead(
    [roots.answers, roots.moderation],
    () => {
      const moderation = readModeration(doc);
      return listAllAnswers(doc, question.id).filter((a) => moderation.get(a.id) === "hidden");
    },
    [question.id],
  );
  const [merged, setMerged] = useState<DoneMerge | null>(null);
  return (
    <div>
      {merged && (
        <p className="hint merge-done" role="status">
          {t("console.mergedNotice", { text: merged.text, into: merged.into })}{" "}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              restoreAnswer(doc, merged.answerId);
              setMerged(null);
            }}
          >
            {t("console.undoMerge")}
          </button>
        </p>
      )}
      <ul className="answer-list">
        {answers.map((answer) => (
          <ModeratedAnswer
            key={answer.id}
            doc={doc}
            answer={answer}
            others={answers}
            clusters={clusters}
            premoderated={question.premoderated}
            onMerged={setMerged}
          />
        ))}
      </ul>
      {hidden.length > 0 && (
        <>
          <h4>{t("console.hiddenAnswers")}</h4>
          <ul className="answer-list">
            {hidden.map((answer) => (
              <li key={answer.id} className="answer answer-hidden">
                <p className="answer-text">{answer.text}</p>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => restoreAnswer(doc, answer.id)}
                >
                  {t("console.unhide")}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** An answer in a menu or a question: on one line, cut at a word as citations are. */
const snippet = (text: string) => citationLabel(text, null);

function ModeratedAnswer({
  doc,
  answer,
  others,
  clusters,
  premoderated,
  onMerged,
}: {
  doc: Y.Doc;
  answer: AnswerView;
  others: readonly AnswerView[];
  clusters: readonly Cluster[];
  premoderated: boolean;
  onMerged: (merge: DoneMerge) => void;
}) {
  const { t } = useTranslation();
  const mergeId = useId();
  const clusterId = useId();
  const cluster = clusters.find((c) => c.answerIds.includes(answer.id));
  const short = snippet(answer.text);
  // A merge takes the answer out of the list: it is asked for, then offered for undoing.
  const [mergeInto, setMergeInto] = useState<AnswerView | null>(null);
  return (
    <li className={`answer${answer.approved ? "" : " answer-pending"}`} data-answer-id={answer.id}>
      <div>
        <p className="answer-text">{answer.text}</p>
        <p className="answer-meta">
          <span>
            {answer.author || t("questions.anonymous")} ·{" "}
            {t("questions.votes", { count: answer.votes })}
            {answer.merged.length > 0 &&
              ` · ${t("questions.merged", { count: answer.merged.length })}`}
          </span>
          {answer.pinned && <span className="badge badge-spotlight">{t("console.pinned")}</span>}
          {!answer.approved && <span className="badge">{t("console.awaiting")}</span>}
        </p>
        {answer.merged.length > 0 && (
          <ul className="merged-list">
            {answer.merged.map((m) => (
              <li key={m.id}>
                <span className="muted">{m.text}</span>{" "}
                <button
                  type="button"
                  className="link-button"
                  onClick={() => restoreAnswer(doc, m.id)}
                >
                  {t("console.split")}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div
        className="form-row console-actions"
        role="group"
        aria-label={t("console.answerActions", { text: short })}
      >
        {premoderated && (
          <button
            type="button"
            className="btn btn-small btn-toggle"
            aria-pressed={answer.approved}
            onClick={() => setApproved(doc, answer.id, !answer.approved)}
          >
            {answer.approved ? t("console.approved") : t("console.approve")}
          </button>
        )}
        <button
          type="button"
          className="btn btn-small btn-toggle"
          aria-pressed={answer.pinned}
          onClick={() => setPinned(doc, answer.id, !answer.pinned)}
        >
          {t("console.pin")}
        </button>
        <button type="button" className="btn btn-small" onClick={() => hideAnswer(doc, answer.id)}>
          {t("console.hide")}
        </button>
        {others.length > 1 && (
          <span className="field inline select-field">
            <label htmlFor={mergeId}>
              {t("console.mergeLabel")}
              <span className="visually-hidden">{t("console.mergeLabelFor", { text: short })}</span>
            </label>
            <select
              id={mergeId}
              value={mergeInto?.id ?? ""}
              onChange={(e) => setMergeInto(others.find((o) => o.id === e.target.value) ?? null)}
            >
              <option value="">{t("console.mergePlaceholder")}</option>
              {others
                .filter((o) => o.id !== answer.id)
                .map((o) => (
                  <option key={o.id} value={o.id}>
                    {snippet(o.text)}
                  </option>
                ))}
            </select>
          </span>
        )}
        {clusters.length > 0 && (
          <span className="field inline select-field">
            <label htmlFor={clusterId}>
              {t("console.clusterLabel")}
              <span className="visually-hidden">
                {t("console.clusterLabelFor", { text: short })}
              </span>
            </label>
            <select
              id={clusterId}
              value={cluster?.id ?? ""}
              onChange={(e) => assignToCluster(doc, answer.id, e.target.value || null)}
            >
              <option value="">{t("console.noCluster")}</option>
              {clusters.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </span>
        )}
      </div>
      {mergeInto && (
        <div className="confirm" role="group" aria-label={t("console.confirmMergeLabel")}>
          <p>{t("console.confirmMerge", { text: short, into: snippet(mergeInto.text) })}</p>
          <div className="form-row">
            <button
              type="button"
              className="btn btn-small btn-primary"
              autoFocus
              onClick={() => {
                mergeAnswer(doc, answer.id, mergeInto.id);
                onMerged({ answerId: answer.id, text: short, into: snippet(mergeInto.text) });
                setMergeInto(null);
              }}
            >
              {t("console.mergeConfirm")}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setMergeInto(null)}>
              {t("materials.cancel")}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}
