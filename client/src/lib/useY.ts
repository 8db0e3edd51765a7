import { useCallback, useMemo, useRef, useSyncExternalStore } from "react";
import type { Awareness } from "y-protocols/awareness";
import type { CollabSession, CollabStatus, PresenceUser } from "./collab.ts";

/**
 * Small hooks over Yjs: a component subscribes to the one shared type it shows and re-reads
 * only when that type (or something inside it) changes.
 */
/** What `useYRead` needs of a shared type: deep observation (every Y.Map, Y.Array, …). */
export interface DeepObservable {
  observeDeep(handler: () => void): void;
  unobserveDeep(handler: () => void): void;
}

/**
 * Reads from one shared type, or several (what a reading depends on: answers and their
 * moderation, say), and re-reads when any of them changes, or when `deps` change.
 */
export function useYRead<T>(
  target: DeepObservable | readonly DeepObservable[] | null,
  read: () => T,
  deps: readonly unknown[] = [],
): T {
  const targets: readonly DeepObservable[] =
    target === null ? [] : Array.isArray(target) ? target : [target as DeepObservable];
  const version = useRef(0);
  const subscribe = useCallback(
    (notify: () => void) => {
      const handler = () => {
        version.current += 1;
        notify();
      };
      for (const t of targets) t.observeDeep(handler);
      // React subscribes after the render that read, and the version only counts what the
      // observers saw: a change landing in between (the first sync, a local copy loading) would
      // leave the reading stale until the next change — the projector that stayed on "Tra poco
      // la prossima domanda". A new version now makes React read again, once subscribed.
      version.current += 1;
      return () => {
        for (const t of targets) t.unobserveDeep(handler);
      };
    },
    // The shared types themselves, not the array that carries them (a new one each render).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    targets,
  );
  const current = useSyncExternalStore(subscribe, () => version.current);
  // `current` (the shared types' version) and the caller's `deps` stand for `read`.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  return useMemo(read, [current, ...targets, ...deps]);
}

export function useCollabStatus(session: CollabSession | null): CollabStatus | null {
  return useSyncExternalStore(
    session?.subscribe ?? noopSubscribe,
    session?.getStatus ?? nullSnapshot,
  );
}

export interface PresentUser extends PresenceUser {
  clientId: number;
  self: boolean;
  /** A projector (the screen page announces itself): a device in the room, not a person. */
  screen: boolean;
}

/** Everyone present on a document (awareness), self first. */
export function usePresence(awareness: Awareness | null): PresentUser[] {
  const version = useRef(0);
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!awareness) return () => {};
      const handler = () => {
        version.current += 1;
        notify();
      };
      awareness.on("change", handler);
      version.current += 1; // as in `useYRead`: what changed before subscribing is read again
      return () => awareness.off("change", handler);
    },
    [awareness],
  );
  const current = useSyncExternalStore(subscribe, () => version.current);
  return useMemo(() => {
    if (!awareness) return [];
    const users: PresentUser[] = [];
    for (const [clientId, state] of awareness.getStates()) {
      const { user, screen } = state as { user?: PresenceUser; screen?: unknown };
      if (!user || typeof user.name !== "string") continue;
      users.push({
        ...user,
        clientId,
        self: clientId === awareness.clientID,
        screen: screen === true,
      });
    }
    return users.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
    // `current` is the awareness version: a change of presence re-reads it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [awareness, current]);
}

const noopSubscribe = () => () => {};
const nullSnapshot = () => null;
