import { useCallback, useEffect, useState } from "react";
import type * as Y from "yjs";
import { ApiError, api, type DraftSource } from "../lib/api.ts";

/** How often the roll-up panel asks whether a seminar changed at the source. */
export const SOURCES_POLL_MS = 5000;

export interface Sources {
  /** Null until the first answer. */
  list: DraftSource[] | null;
  error: ApiError | null;
  /** Asks again now (after an action). */
  refresh: () => void;
}

/**
 * The chapters fed by seminars and the state of their roll-ups, kept current while the desk is
 * open: asked every few seconds (a seminar's text changes in a document the desk does not load,
 * so only the server can tell), at once when the draft's `sources` change (another drafter
 * rolled something up), and after each action. Nothing is asked while `enabled` is false.
 */
export function useSources(
  token: string,
  programmeId: string,
  doc: Y.Doc,
  enabled: boolean,
): Sources {
  const [list, setList] = useState<DraftSource[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    if (!enabled) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      // A desk in a background tab asks nothing until it is looked at again.
      if (!document.hidden) {
        try {
          const next = await api.draftSources(token, programmeId);
          if (!live) return;
          setList(next);
          setError(null);
        } catch (failure) {
          if (!live) return;
          setError(failure instanceof ApiError ? failure : new ApiError(0, "network", "failed"));
        }
      }
      if (live) timer = setTimeout(() => void load(), SOURCES_POLL_MS);
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [enabled, token, programmeId, tick]);

  useEffect(() => {
    if (!enabled) return;
    const sources = doc.getMap("sources");
    sources.observe(refresh);
    return () => sources.unobserve(refresh);
  }, [enabled, doc, refresh]);

  useEffect(() => {
    if (!enabled) return;
    const onVisible = () => {
      if (!document.hidden) refresh();
    };
    document.addEventListener("visibilitychange", onVisible);
    return () => document.removeEventListener("visibilitychange", onVisible);
  }, [enabled, refresh]);

  return { list, error, refresh };
}
