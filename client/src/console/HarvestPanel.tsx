import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import {
  addCluster,
  answersFor,
  assignToCluster,
  isPromotedInText,
  listAllAnswers,
  listClusters,
  listQuestions,
  promoteCluster,
  readSession,
  removeCluster,
  seminarRoots,
  updateCluster,
  type Cluster,
  type ClusterAxis,
  type Question,
} from "@percorso/schema";
import { useYRead } from "../lib/useY.ts";
import { AxisSelect } from "./AxisSelect.tsx";
import { SuggestedGroups } from "./SuggestedGroups.tsx";

/**
 * Harvest: answers grouped under short labels, each marked as a new theme or a governance
 * process/method (the brief's two axes), and promoted into the recommendation text in one
 * action, as a paragraph citing its answers. Answers are put into groups here, where the
 * groups are: the question's answers not in a group yet are listed below them, and the
 * server can propose groups from the answers' words.
 */
export function HarvestPanel({
  doc,
  token,
  programmeId,
  seminarId,
}: {
  doc: Y.Doc;
  token: string;
  programmeId: string;
  seminarId: string;
}) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  // Membership lives in `clusterOf`.
  const clusters = useYRead([roots.clusters, roots.clusterOf], () => listClusters(doc));
  const questions = useYRead(roots.questions, () =>
    listQuestions(doc).filter((q) => q.state !== "draft"),
  );
  const spotlight = useYRead(roots.session, () => readSession(doc).spotlight);
  const [label, setLabel] = useState("");
  const [axis, setAxis] = useState<ClusterAxis>("theme");
  const [chosen, setChosen] = useState<string | null>(null);
  const ids = { label: useId(), axis: useId(), question: useId() };
  // The question being harvested: the one chosen here, else the projector's, else an open one.
  const question =
    questions.find((q) => q.id === chosen) ??
    questions.find((q) => q.id === spotlight) ??
    questions.find((q) => q.state === "open") ??
    questions[0] ??
    null;

  const add = (event: FormEvent) => {
    event.preventDefault();
    if (label.trim() === "") return;
    addCluster(doc, label, axis);
    setLabel("");
  };

  return (
    <section className="card console-panel" aria-labelledby="harvest-title">
      <h2 id="harvest-title">{t("harvest.heading")}</h2>
      <p className="muted">{t("harvest.intro")}</p>
      <form className="form-row" onSubmit={add}>
        <div className="field grow">
          <label htmlFor={ids.label}>{t("harvest.label")}</label>
          <input
            id={ids.label}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
            maxLength={120}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.axis}>{t("harvest.axis")}</label>
          <AxisSelect id={ids.axis} value={axis} onChange={setAxis} />
        </div>
        <button type="submit" className="btn btn-primary" disabled={label.trim() === ""}>
          {t("harvest.add")}
        </button>
      </form>
      {clusters.length === 0 ? (
        <p className="empty">{t("harvest.empty")}</p>
      ) : (
        <ul className="cluster-list">
          {clusters.map((cluster) => (
            <ClusterCard key={cluster.id} doc={doc} cluster={cluster} />
          ))}
        </ul>
      )}
      {question && (
        <div className="harvest-question">
          <div className="field">
            <label htmlFor={ids.question}>{t("harvest.question")}</label>
            <select
              id={ids.question}
              value={question.id}
              onChange={(e) => setChosen(e.target.value)}
            >
              {questions.map((q, index) => (
                <option key={q.id} value={q.id}>
                  {index + 1}. {q.text.length > 80 ? `${q.text.slice(0, 79)}…` : q.text}
                </option>
              ))}
            </select>
          </div>
          <SuggestedGroups
            key={question.id}
            doc={doc}
            question={question}
            token={token}
            programmeId={programmeId}
            seminarId={seminarId}
          />
          <Ungrouped doc={doc} question={question} clusters={clusters} />
        </div>
      )}
    </section>
  );
}

/** The question's answers in no group yet, each with a menu to put it into one. */
function Ungrouped({
  doc,
  question,
  clusters,
}: {
  doc: Y.Doc;
  question: Question;
  clusters: readonly Cluster[];
}) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const grouped = useMemo(() => new Set(clusters.flatMap((c) => c.answerIds)), [clusters]);
  const answers = useYRead(
    [roots.answers, roots.moderation, roots.approvals, roots.pins],
    () => answersFor(doc, question.id, { kind: "facilitator" }, "votes"),
    [question.id, question.premoderated],
  );
  const loose = answers.filter((answer) => !grouped.has(answer.id));
  const headingId = useId();
  if (answers.length === 0) return null;
  return (
    <section className="ungrouped" aria-labelledby={headingId}>
      <h3 id={headingId}>{t("harvest.ungrouped", { count: loose.length })}</h3>
      {loose.length === 0 ? (
        <p className="hint">{t("harvest.allGrouped")}</p>
      ) : clusters.length === 0 ? (
        <p className="hint">{t("harvest.createFirst")}</p>
      ) : null}
      {loose.length > 0 && (
        <ul className="answer-list">
          {loose.map((answer) => (
            <li key={answer.id} className="answer" data-answer-id={answer.id}>
              <p className="answer-text">{answer.text}</p>
              {clusters.length > 0 && (
                <GroupSelect
                  clusters={clusters}
                  text={answer.text}
                  onChoose={(clusterId) => assignToCluster(doc, answer.id, clusterId)}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function GroupSelect({
  clusters,
  text,
  onChoose,
}: {
  clusters: readonly Cluster[];
  text: string;
  onChoose: (clusterId: string) => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <span className="field inline select-field">
      <label htmlFor={id}>
        {t("console.clusterLabel")}
        <span className="visually-hidden">
          {t("console.clusterLabelFor", { text: text.slice(0, 60) })}
        </span>
      </label>
      <select
        id={id}
        value=""
        onChange={(e) => {
          if (e.target.value) onChoose(e.target.value);
        }}
      >
        <option value="">{t("harvest.chooseGroup")}</option>
        {clusters.map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
    </span>
  );
}

function ClusterCard({ doc, cluster }: { doc: Y.Doc; cluster: Cluster }) {
  const { t, i18n } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const texts = useYRead(
    roots.answers,
    () => {
      const byId = new Map(listAllAnswers(doc).map((a) => [a.id, a.text]));
      return cluster.answerIds.map((id) => byId.get(id) ?? "");
    },
    [cluster.answerIds.join(",")],
  );
  // Promoted before and still in the text: promoting again updates that paragraph.
  const inText = useYRead(
    [roots.recommendations, roots.clusters],
    () => isPromotedInText(doc, cluster.id),
    [cluster.id],
  );
  const axisId = useId();
  const time = (at: number) =>
    new Date(at).toLocaleTimeString(i18n.language === "en" ? "en-GB" : "it-IT", {
      hour: "2-digit",
      minute: "2-digit",
    });
  return (
    <li className={`cluster axis-${cluster.axis}`}>
      <div className="cluster-head">
        <h3>{cluster.label}</h3>
        {cluster.promotedAt !== null && inText && (
          <span className="badge badge-promoted">{t("harvest.inText")}</span>
        )}
        <label htmlFor={axisId} className="visually-hidden">
          {t("harvest.axisOf", { label: cluster.label })}
        </label>
        <AxisSelect
          id={axisId}
          value={cluster.axis}
          onChange={(axis) => updateCluster(doc, cluster.id, { axis })}
        />
      </div>
      {texts.length === 0 ? (
        <p className="hint">{t("harvest.noAnswers")}</p>
      ) : (
        <ul className="cluster-answers">
          {texts.map((text, index) => (
            <li key={cluster.answerIds[index]}>
              <span>{text}</span>{" "}
              <button
                type="button"
                className="link-button"
                aria-label={t("harvest.takeOutLabel", { text: text.slice(0, 60) })}
                onClick={() => assignToCluster(doc, cluster.answerIds[index]!, null)}
              >
                {t("harvest.takeOut")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="form-row">
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={texts.length === 0}
          onClick={() => promoteCluster(doc, cluster.id)}
        >
          {inText ? t("harvest.update") : t("harvest.promote")}
        </button>
        {cluster.promotedAt !== null && (
          <span className="hint" role="status">
            {inText
              ? t("harvest.promoted", { time: time(cluster.promotedAt) })
              : t("harvest.promotedGone", { time: time(cluster.promotedAt) })}
          </span>
        )}
        <button
          type="button"
          className="btn btn-small btn-danger"
          onClick={() => {
            if (window.confirm(t("harvest.confirmRemove"))) removeCluster(doc, cluster.id);
          }}
        >
          {t("console.remove")}
        </button>
      </div>
    </li>
  );
}
