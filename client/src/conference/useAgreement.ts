import { useEffect, useState } from "react";
import type * as Y from "yjs";
import { api, type SectionAgreementView } from "../lib/api.ts";

/** How often the totals by kind of actor are asked for while the page is looked at. */
export const AGREEMENT_POLL_MS = 3000;
/** After a reaction arrives, ask this soon (reactions come in bursts in a plenary). */
const AFTER_REACTION_MS = 400;

/**
 * The agreement of every section by kind of actor, from the server (only it knows the kind of
 * actor behind an anonymous id): asked every few seconds, and soon after any reaction changes.
 * The per-section totals themselves are read live from the document; these add the breakdown
 * and the verdict. Null until the first answer.
 */
export function useAgreement(
  token: string,
  programmeId: string,
  doc: Y.Doc,
): ReadonlyMap<string, SectionAgreementView> | null {
  const [agreement, setAgreement] = useState<ReadonlyMap<string, SectionAgreementView> | null>(
    null,
  );

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let inFlight = false;
    const load = async () => {
      clearTimeout(timer);
      if (!document.hidden && !inFlight) {
        inFlight = true;
        try {
          const sections = await api.agreement(token, programmeId);
          if (live) setAgreement(new Map(sections.map((section) => [section.section, section])));
        } catch {
          // Kept as it was: the live totals still show; the breakdown comes back with the network.
        } finally {
          inFlight = false;
        }
      }
      if (live) timer = setTimeout(() => void load(), AGREEMENT_POLL_MS);
    };
    const soon = () => {
      clearTimeout(timer);
      timer = setTimeout(() => void load(), AFTER_REACTION_MS);
    };
    const reactions = doc.getMap("reactions");
    reactions.observeDeep(soon);
    const onVisible = () => {
      if (!document.hidden) soon();
    };
    document.addEventListener("visibilitychange", onVisible);
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
      reactions.unobserveDeep(soon);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [token, programmeId, doc]);

  return agreement;
}
