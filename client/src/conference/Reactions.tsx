import { useId, useMemo } from "react";
import { useTranslation } from "react-i18next";
import {
  ACTOR_KINDS,
  REACTIONS,
  draftRoots,
  reactionOf,
  setReaction,
  tallyReactions,
  type Reaction,
  type ReactionTally,
} from "@percorso/schema";
import type { SectionAgreementView } from "../lib/api.ts";
import type { CollabSession } from "../lib/collab.ts";
import { useYRead } from "../lib/useY.ts";

/** Agree / disagree / abstain totals of one section, read live from the document. */
export function useTally(session: CollabSession, section: string): ReactionTally {
  const reactions = useMemo(() => draftRoots(session.doc).reactions, [session]);
  return useYRead(reactions, () => tallyReactions(session.doc, section), [section]);
}

/** "Terreno comune" or "Divide", when the kinds of actor agree across the board or split. */
export function VerdictBadge({
  verdict,
}: {
  verdict: SectionAgreementView["verdict"] | undefined;
}) {
  const { t } = useTranslation();
  if (!verdict) return null;
  return (
    <span className={`badge verdict verdict-${verdict}`} data-verdict={verdict}>
      {t(`plenary.verdict.${verdict}`)}
    </span>
  );
}

/** A bar of agree / disagree / abstain, in proportion (the figures are always said beside it). */
export function TallyBar({ tally }: { tally: ReactionTally }) {
  const total = tally.agree + tally.disagree + tally.abstain;
  return (
    <span className="tally-bar" aria-hidden="true">
      {REACTIONS.map((reaction) => (
        <span
          key={reaction}
          className={`tally-${reaction}`}
          style={{ width: total === 0 ? 0 : `${(100 * tally[reaction]) / total}%` }}
        />
      ))}
    </span>
  );
}

/** The breakdown by kind of actor: each kind's tally, figures and bar. */
export function ByKind({ agreement }: { agreement: SectionAgreementView | undefined }) {
  const { t } = useTranslation();
  const kinds = ACTOR_KINDS.filter((kind) => agreement?.byKind[kind]);
  if (!agreement || kinds.length === 0) {
    return <p className="hint">{t("plenary.reactions.byKindNone")}</p>;
  }
  return (
    <ul className="by-kind">
      {kinds.map((kind) => {
        const tally = agreement.byKind[kind]!;
        return (
          <li key={kind} data-kind={kind}>
            <span className="by-kind-name">{t(`actor.${kind}`)}</span>
            <span className="by-kind-figures">
              {t("plenary.reactions.tallyLine", {
                agree: tally.agree,
                disagree: tally.disagree,
                abstain: tally.abstain,
              })}
            </span>
            <TallyBar tally={tally} />
          </li>
        );
      })}
    </ul>
  );
}

/**
 * Where the reader stands on a section — agree, disagree or abstain, one per person (their
 * anonymous id), changeable, pressed again to withdraw — with the live totals and, from the
 * server, the same totals by kind of actor and whether the section is common ground or divides.
 */
export function Reactions({
  session,
  anonId,
  canWrite,
  section,
  title,
  agreement,
}: {
  session: CollabSession;
  anonId: string | null;
  canWrite: boolean;
  section: string;
  title: string;
  agreement: SectionAgreementView | undefined;
}) {
  const { t } = useTranslation();
  const reactions = useMemo(() => draftRoots(session.doc).reactions, [session]);
  const tally = useTally(session, section);
  const mine = useYRead(
    reactions,
    () => (anonId ? reactionOf(session.doc, section, anonId) : null),
    [section, anonId],
  );
  const headingId = useId();
  const total = tally.agree + tally.disagree + tally.abstain;
  const choose = (reaction: Reaction) => {
    if (!anonId) return;
    setReaction(session.doc, section, anonId, mine === reaction ? null : reaction, {
      clientId: session.anonClientId,
    });
  };

  return (
    <div className="conf-reactions" role="group" aria-labelledby={headingId}>
      <p id={headingId} className="conf-reactions-question">
        {canWrite
          ? t("plenary.reactions.question", { title })
          : t("plenary.reactions.heading", { title })}
      </p>
      <div className="conf-reaction-buttons">
        {REACTIONS.map((reaction) =>
          canWrite && anonId ? (
            <button
              key={reaction}
              type="button"
              className={`btn reaction reaction-${reaction}${mine === reaction ? " active" : ""}`}
              aria-pressed={mine === reaction}
              data-reaction={reaction}
              onClick={() => choose(reaction)}
            >
              <span className="reaction-label">{t(`plenary.reactions.${reaction}`)}</span>
              <span className="reaction-count" data-count={reaction}>
                {tally[reaction]}
              </span>
            </button>
          ) : (
            <span key={reaction} className={`reaction reaction-static reaction-${reaction}`}>
              <span className="reaction-label">{t(`plenary.reactions.${reaction}`)}</span>
              <span className="reaction-count" data-count={reaction}>
                {tally[reaction]}
              </span>
            </span>
          ),
        )}
      </div>
      <p className="conf-reaction-summary">
        <span>{t("plenary.reactions.total", { count: total })}</span>
        {mine && (
          <span className="muted">
            {" · "}
            {t("plenary.reactions.yours", { reaction: t(`plenary.reactions.${mine}`) })}
          </span>
        )}{" "}
        <VerdictBadge verdict={agreement?.verdict} />
      </p>
      <details className="conf-by-kind">
        <summary>{t("plenary.reactions.byKind")}</summary>
        <ByKind agreement={agreement} />
        <p className="hint">{t("plenary.reactions.verdictHelp")}</p>
      </details>
    </div>
  );
}
