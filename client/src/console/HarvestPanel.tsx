import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import {
  CLUSTER_AXES,
  addCluster,
  listAllAnswers,
  listClusters,
  promoteCluster,
  removeCluster,
  seminarRoots,
  updateCluster,
  type Cluster,
  type ClusterAxis,
} from "@percorso/schema";
import { useYRead } from "../lib/useY.ts";

/**
 * Harvest: answers grouped under short labels, each marked as a new theme or a governance
 * process/method (the brief's two axes), and promoted into the recommendation text in one
 * action, as a paragraph citing its answers.
 */
export function HarvestPanel({ doc }: { doc: Y.Doc }) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  // Membership lives in `clusterOf`.
  const clusters = useYRead([roots.clusters, roots.clusterOf], () => listClusters(doc));
  const [label, setLabel] = useState("");
  const [axis, setAxis] = useState<ClusterAxis>("theme");
  const ids = { label: useId(), axis: useId() };

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
    </section>
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
  const axisId = useId();
  return (
    <li className={`cluster axis-${cluster.axis}`}>
      <div className="cluster-head">
        <h3>{cluster.label}</h3>
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
            <li key={cluster.answerIds[index]}>{text}</li>
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
          {t("harvest.promote")}
        </button>
        {cluster.promotedAt !== null && (
          <span className="hint" role="status">
            {t("harvest.promoted", {
              time: new Date(cluster.promotedAt).toLocaleTimeString(
                i18n.language === "en" ? "en-GB" : "it-IT",
                {
                  hour: "2-digit",
                  minute: "2-digit",
                },
              ),
            })}
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

/** The two axes of the brief: a new theme, or a governance process or method. */
function AxisSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: ClusterAxis;
  onChange: (axis: ClusterAxis) => void;
}) {
  const { t } = useTranslation();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as ClusterAxis)}>
      {CLUSTER_AXES.map((axis) => (
        <option key={axis} value={axis}>
          {t(`harvest.axes.${axis}`)}
        </option>
      ))}
    </select>
  );
}
