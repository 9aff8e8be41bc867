import { useCallback, useEffect, useState } from 'react';

export type Resource<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: unknown };

/**
 * Loads data for a page; reloads when `key` changes and aborts the previous
 * request, so a late answer for an old page never overwrites the new one.
 */
export function useResource<T>(key: string, load: (signal: AbortSignal) => Promise<T>): [Resource<T>, () => void] {
  const [state, setState] = useState<{ key: string; resource: Resource<T> }>({ key, resource: { status: 'loading' } });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setState({ key, resource: { status: 'loading' } });
    load(controller.signal).then(
      (data) => { if (!controller.signal.aborted) setState({ key, resource: { status: 'ok', data } }); },
      (error: unknown) => { if (!controller.signal.aborted) setState({ key, resource: { status: 'error', error } }); },
    );
    return () => controller.abort();
    // `load` is recreated on every render; `key` is what says it loads something new.
  }, [key, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  // Until the effect has run for a new key, the old key's data must not show.
  return [state.key === key ? state.resource : { status: 'loading' }, reload];
}
