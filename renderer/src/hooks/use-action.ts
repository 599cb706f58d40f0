// A user action that calls the API (submit a form, press a button): `busy` while it runs, and
// its failure kept for the page to show. Running it again clears the last failure.
import { useCallback, useState } from 'react';

export interface Action {
  busy: boolean;
  error: unknown;
  run: (action: () => Promise<void>) => Promise<void>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
