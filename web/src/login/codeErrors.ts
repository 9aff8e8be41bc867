import type { TFunction } from 'i18next';
import { ApiError } from '../api.ts';
import { errorMessage } from '../components/Status.tsx';

/** What a refused code means for the sign-in form. */
export type CodeRefusal =
  /** Said beside the code field. */
  | { kind: 'field'; message: string }
  /** Said at the top of the form. */
  | { kind: 'general'; message: string }
  /** The half-open session is gone (too slow, or locked): start again from the password. */
  | { kind: 'restart'; message: string };

/**
 * The server's answer to a code (src/modules/auth/mfa.ts): 401 invalid_code
 * is a wrong code; any other 401 means the password step must be done
 * again; 429 says how long to wait.
 */
export function codeRefusal(t: TFunction, error: unknown, kind: 'totp' | 'recovery'): CodeRefusal {
  if (!(error instanceof ApiError)) return { kind: 'general', message: errorMessage(t, error) };
  if (error.status === 401 && error.code === 'invalid_code') {
    return { kind: 'field', message: kind === 'totp' ? t('login.codeWrong') : t('login.recoveryWrong') };
  }
  if (error.status === 401) return { kind: 'restart', message: t('login.secondFactorExpired') };
  if (error.status === 429) {
    const minutes = error.retryAfterSeconds ? Math.max(1, Math.ceil(error.retryAfterSeconds / 60)) : null;
    return { kind: 'general', message: minutes ? t('login.throttledMinutes', { minutes }) : t('login.throttled') };
  }
  if (error.status === 400 && error.fields.length > 0) return { kind: 'field', message: error.fields.map((f) => f.message).join(' ') };
  return { kind: 'general', message: errorMessage(t, error) };
}
