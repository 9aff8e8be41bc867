import type { TFunction } from 'i18next';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';

export function Loading() {
  const { t } = useTranslation();
  return <p className="status-loading" role="status">{t('app.loading')}</p>;
}

/** What went wrong, said in the UI language; the server's own text only when nothing better is known. */
export function errorMessage(t: TFunction, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('errors.network');
    if (error.status === 403 && error.code === 'step_up_required') return t('stepUp.needed');
    if (error.status === 403) return t('errors.forbidden');
    if (error.status === 404) return t('notFound.page');
    if (error.status === 409 && error.code === 'use_suspended') return t('errors.useSuspended');
    if (error.status === 409) return t('errors.conflict');
    if (error.status >= 500) return t('errors.server');
    return t('errors.withMessage', { message: error.message });
  }
  if (isChunkLoadError(error)) return t('errors.pageLoad');
  return t('errors.withMessage', { message: error instanceof Error ? error.message : String(error) });
}

/** A page's code that could not be fetched, as Chromium, Firefox and Safari word it, or Vite's preload of its styles. */
const isChunkLoadError = (error: unknown) =>
  error instanceof Error && /dynamically imported module|Importing a module script failed|Unable to preload CSS/.test(error.message);

/** An error said in words, focused so it is announced; `onRetry` adds a button (labelled `retryLabel`). */
export function ErrorPanel({ error, onRetry, retryLabel }: { error: unknown; onRetry?: () => void; retryLabel?: string }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), [error]);
  return (
    <div className="error-panel" role="alert" tabIndex={-1} ref={ref}>
      <p>{errorMessage(t, error)}</p>
      {onRetry && <button type="button" className="button" onClick={onRetry}>{retryLabel ?? t('app.retry')}</button>}
    </div>
  );
}
