import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import {
  addCluster,
  assignToCluster,
  listAllAnswers,
  listClusters,
  seminarRoots,
  type ClusterAxis,
  type Question,
} from "@percorso/schema";
import { api } from "../lib/api.ts";
import { useAction } from "../lib/useAction.ts";
import { useYRead } from "../lib/useY.ts";
import { AxisSelect } from "./AxisSelect.tsx";
import { withoutGrouped } from "./proposals.ts";

/** A group the server proposed, as the facilitator is reshaping it before accepting it. */
interface Proposal {
  key: number;
  label: string;
  axis: ClusterAxis;
  answerIds: string[];
  /** The words that made the group (the server's), shown as a hint. */
  terms: string[];
}

/**
 * "Suggerisci gruppi": the server proposes groups of the question's answers from their words
 * (Italian stems, TF-IDF, k-means — nothing leaves it, nothing is written). Each proposal can
 * be renamed, split (answers moved out into a proposal of their own), discarded, or accepted:
 * then it becomes a group of the harvest with its answers in it.
 */
export function SuggestedGroups({
  doc,
  question,
  token,
  programmeId,
  seminarId,
}: {
  doc: Y.Doc;
  question: Question;
  token: string;
  programmeId: string;
  seminarId: string;
}) {
  const { t } = useTranslation();
  const { busy, error, run } = useAction();
  const [fetched, setProposals] = useState<Proposal[] | null>(null);
  // Answers grouped since (by hand, or by accepting another proposal) leave the proposals.
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const grouped = useYRead(
    [roots.clusters, roots.clusterOf],
    () => new Set(listClusters(doc).flatMap((cluster) => cluster.answerIds)),
  );
  const proposals = useMemo(
    () => (fetched === null ? null : withoutGrouped(fetched, grouped)),
    [fetched, grouped],
  );
  const [next, setNext] = useState(1);
  const headingId = useId();

  const suggest = () =>
    run(async () => {
      const found = await api.suggestedGroups(token, programmeId, seminarId, question.id);
      setProposals(
        found.groups.map((group, index) => ({
          key: index + 1,
          label: group.label,
          axis: "theme",
          answerIds: group.answerIds,
          terms: group.terms,
        })),
      );
      setNext(found.groups.length + 1);
    }, t("suggest.error"));

  const change = (key: number, patch: Partial<Proposal>) =>
    setProposals((list) => list?.map((p) => (p.key === key ? { ...p, ...patch } : p)) ?? null);
  const drop = (key: number) => setProposals((list) => list?.filter((p) => p.key !== key) ?? null);
  // The answers moved out become a proposal of their own, right after the one they left.
  const split = (key: number, moved: string[]) => {
    const source = proposals?.find((p) => p.key === key);
    if (!proposals || !source) return;
    const piece: Proposal = {
      key: next,
      label: t("suggest.splitLabel", { label: source.label }),
      axis: source.axis,
      answerIds: moved,
      terms: [],
    };
    const rest = { ...source, answerIds: source.answerIds.filter((id) => !moved.includes(id)) };
    setNext(next + 1);
    setProposals(proposals.flatMap((p) => (p.key === key ? [rest, piece] : [p])));
  };
  const accept = (proposal: Proposal) => {
    if (proposal.label.trim() === "" || proposal.answerIds.length === 0) return;
    doc.transact(() => {
      const clusterId = addCluster(doc, proposal.label, proposal.axis);
      for (const answerId of proposal.answerIds) assignToCluster(doc, answerId, clusterId);
    });
    drop(proposal.key);
  };

  return (
    <section className="suggested" aria-labelledby={headingId}>
      <div className="section-head">
        <h3 id={headingId}>{t("suggest.heading")}</h3>
        <button
          type="button"
          className="btn btn-small"
          disabled={busy}
          onClick={() => void suggest()}
        >
          {busy ? t("suggest.working") : t("suggest.button")}
        </button>
      </div>
      <p className="hint">{t("suggest.intro")}</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {proposals !== null && (
        <div role="status">
          {proposals.length === 0 ? (
            <p className="empty">{t("suggest.none")}</p>
          ) : (
            <p className="hint">{t("suggest.found", { count: proposals.length })}</p>
          )}
        </div>
      )}
      {proposals !== null && proposals.length > 0 && (
        <ul className="cluster-list">
          {proposals.map((proposal) => (
            <ProposalCard
              key={proposal.key}
              doc={doc}
              proposal={proposal}
              onChange={(patch) => change(proposal.key, patch)}
              onSplit={(moved) => split(proposal.key, moved)}
              onAccept={() => accept(proposal)}
              onDiscard={() => drop(proposal.key)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ProposalCard({
  doc,
  proposal,
  onChange,
  onSplit,
  onAccept,
  onDiscard,
}: {
  doc: Y.Doc;
  proposal: Proposal;
  onChange: (patch: Partial<Proposal>) => void;
  onSplit: (moved: string[]) => void;
  onAccept: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const texts = useYRead(
    roots.answers,
    () => new Map(listAllAnswers(doc).map((answer) => [answer.id, answer.text])),
  );
  const [picked, setPicked] = useState<string[]>([]);
  const ids = { label: useId(), axis: useId() };
  const answers = proposal.answerIds.filter((id) => texts.has(id));
  return (
    <li
      className="cluster proposal"
      aria-label={t("suggest.proposalLabel", { label: proposal.label })}
    >
      <div className="form-row">
        <div className="field grow">
          <label htmlFor={ids.label}>{t("suggest.rename")}</label>
          <input
            id={ids.label}
            value={proposal.label}
            maxLength={120}
            onChange={(e) => onChange({ label: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.axis}>{t("harvest.axis")}</label>
          <AxisSelect id={ids.axis} value={proposal.axis} onChange={(axis) => onChange({ axis })} />
        </div>
      </div>
      {proposal.terms.length > 0 && (
        <p className="hint">{t("suggest.terms", { terms: proposal.terms.join(", ") })}</p>
      )}
      <ul className="cluster-answers proposal-answers">
        {answers.map((id) => (
          <li key={id}>
            <label className="inline-check">
              <input
                type="checkbox"
                checked={picked.includes(id)}
                onChange={(e) =>
                  setPicked((list) =>
                    e.target.checked ? [...list, id] : list.filter((x) => x !== id),
                  )
                }
              />
              <span>{texts.get(id)}</span>
            </label>
          </li>
        ))}
      </ul>
      <div className="form-row">
        <button
          type="button"
          className="btn btn-small btn-primary"
          disabled={proposal.label.trim() === "" || answers.length === 0}
          onClick={onAccept}
        >
          {t("suggest.accept")}
        </button>
        <button
          type="button"
          className="btn btn-small"
          disabled={picked.length === 0 || picked.length === answers.length}
          onClick={() => {
            onSplit(picked);
            setPicked([]);
          }}
        >
          {t("suggest.split", { count: picked.length })}
        </button>
        <button type="button" className="btn btn-small btn-danger" onClick={onDiscard}>
          {t("suggest.discard")}
        </button>
      </div>
    </li>
  );
}
