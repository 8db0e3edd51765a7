import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import type { Awareness } from "y-protocols/awareness";
import {
  ACTOR_KINDS,
  answersPerMinute,
  listQuestions,
  participation,
  seminarRoots,
} from "@percorso/schema";
import { isParticipant, isPerson, onePerPerson } from "../lib/presence.ts";
import { usePresence, useYRead } from "../lib/useY.ts";
import { useNow } from "../lib/useNow.ts";

const MINUTES = 10;

/** Who is present, answers per question and per minute, participation by kind of actor. */
export function StatsPanel({ doc, awareness }: { doc: Y.Doc; awareness: Awareness }) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  // People only (projectors and observers are not), and by kind of actor only the participants:
  // the facilitators running the seminar are not counted as what they might represent.
  // One entry per person: two tabs of one facilitator are one person present.
  const everyone = onePerPerson(usePresence(awareness));
  const present = everyone.filter(isPerson);
  const participants = everyone.filter(isParticipant);
  const now = useNow(true, 15_000);
  const questions = useYRead(roots.questions, () =>
    listQuestions(doc).filter((q) => q.state !== "draft"),
  );
  const stats = useYRead(
    [roots.answers, roots.moderation, roots.approvals, roots.questions],
    () => {
      const all = participation(doc);
      const visible = all.answers - all.hidden - all.merged - all.pending;
      const perQuestion = new Map<string, number>();
      for (const item of roots.answers) {
        const id = item.get("questionId");
        if (typeof id === "string") perQuestion.set(id, (perQuestion.get(id) ?? 0) + 1);
      }
      return { all, visible, perQuestion, perMinute: answersPerMinute(doc, MINUTES, now) };
    },
    [now],
  );
  const presentByKind = new Map<string, number>();
  for (const user of participants) {
    const kind = user.actorKind ?? "unknown";
    presentByKind.set(kind, (presentByKind.get(kind) ?? 0) + 1);
  }
  const peak = Math.max(1, ...stats.perMinute);
  const kinds = [...ACTOR_KINDS, "unknown"] as const;

  return (
    <section className="card console-panel" aria-labelledby="stats-title">
      <h2 id="stats-title">{t("stats.heading")}</h2>
      <dl className="stat-tiles">
        <div>
          <dt>{t("stats.present")}</dt>
          <dd>{present.length}</dd>
        </div>
        <div>
          <dt>{t("stats.answers")}</dt>
          <dd>{stats.all.answers}</dd>
        </div>
        <div>
          <dt>{t("stats.visible")}</dt>
          <dd>{stats.visible}</dd>
        </div>
        <div>
          <dt>{t("stats.people")}</dt>
          <dd>{stats.all.people}</dd>
        </div>
      </dl>
      <h3>{t("stats.perMinute", { minutes: MINUTES })}</h3>
      <ol
        className="sparkbars"
        aria-label={t("stats.perMinuteLabel", { values: stats.perMinute.join(", ") })}
      >
        {stats.perMinute.map((value, index) => (
          <li
            key={index}
            style={{ height: `${(value / peak) * 100}%` }}
            title={String(value)}
            aria-hidden="true"
          />
        ))}
      </ol>
      <h3>{t("stats.perQuestion")}</h3>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t("stats.question")}</th>
            <th scope="col">{t("stats.answers")}</th>
          </tr>
        </thead>
        <tbody>
          {questions.map((question, index) => (
            <tr key={question.id}>
              <th scope="row">
                {index + 1}. {question.text}
              </th>
              <td>{stats.perQuestion.get(question.id) ?? 0}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{t("stats.byActor")}</h3>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t("actor.label")}</th>
            <th scope="col">{t("stats.present")}</th>
            <th scope="col">{t("stats.answers")}</th>
          </tr>
        </thead>
        <tbody>
          {kinds
            .filter((kind) => presentByKind.has(kind) || stats.all.byActorKind[kind])
            .map((kind) => (
              <tr key={kind}>
                <th scope="row">
                  {kind === "unknown" ? t("stats.unknownActor") : t(`actor.${kind}`)}
                </th>
                <td>{presentByKind.get(kind) ?? 0}</td>
                <td>{stats.all.byActorKind[kind] ?? 0}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  );
}
