import type { TFunction } from 'i18next';
import { ApiError } from '../api.ts';
import { errorMessage } from '../components/Status.tsx';
import { ceremonyProblem, type CeremonyProblem } from '../lib/passkeys.ts';

const PROBLEM_KEYS = {
  cancelled: 'account.cancelled',
  alreadyRegistered: 'account.alreadyRegistered',
  wrongSite: 'account.wrongSite',
  failed: 'account.failed',
} as const satisfies Record<CeremonyProblem, string>;

/**
 * What to say when confirming with a passkey did not work: the browser's
 * ceremony failed (cancelled, timed out…), or the server refused the answer
 * (invalid_passkey), or something else; null when the caller decides (401
 * outside invalid_passkey: the session has ended).
 */
export function passkeyRefusal(t: TFunction, error: unknown): string | null {
  const problem = ceremonyProblem(error);
  if (problem) return t(PROBLEM_KEYS[problem]);
  if (error instanceof ApiError && error.code === 'invalid_passkey') return t('account.refused');
  if (error instanceof ApiError && error.code === 'passkeys_unavailable') return t('account.unavailable');
  if (error instanceof ApiError && error.status === 401) return null;
  if (error instanceof ApiError && error.status === 429) {
    const minutes = error.retryAfterSeconds ? Math.max(1, Math.ceil(error.retryAfterSeconds / 60)) : null;
    return minutes ? t('login.throttledMinutes', { minutes }) : t('login.throttled');
  }
  return errorMessage(t, error);
}
