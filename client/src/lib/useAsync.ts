import { useEffect, useState } from "react";

export type AsyncState<T> =
  { status: "loading" } | { status: "ok"; value: T } | { status: "error"; error: unknown };

/**
 * Runs a promise-returning loader when `deps` change; `reload` runs it again, keeping what
 * is shown until the new value arrives (no flash of a loading state).
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]) {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) =>
      attempt > 0 && previous.status === "ok" ? previous : { status: "loading" },
    );
    load().then(
      (value) => live && setState({ status: "ok", value }),
      (error: unknown) => live && setState({ status: "error", error }),
    );
    return () => {
      live = false;
    };
    // The caller's `deps` stand for `load`, which is a fresh closure on every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);
  return { state, reload: () => setAttempt((n) => n + 1) };
}
