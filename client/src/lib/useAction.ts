import { useState } from "react";

/**
 * A button's request to the server: `busy` while it runs (to disable the button), and the
 * message to show when it fails, cleared on the next try.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<void>, failure: string): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
