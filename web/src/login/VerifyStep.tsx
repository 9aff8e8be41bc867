import { startAuthentication } from '@simplewebauthn/browser';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { browserSupportsPasskeys } from '../lib/passkeys.ts';
import { passkeyApi } from '../passkeys/api.ts';
import { passkeyRefusal } from '../passkeys/messages.ts';
import { CodeField } from '../components/CodeField.tsx';
import { ErrorSummary } from '../components/Form.tsx';
import { isRecoveryCode, isSixDigitCode, normalizeCode, normalizeRecoveryCode } from '../lib/secondFactor.ts';
import type { Session } from '../types.ts';
import { codeRefusal } from './codeErrors.ts';

interface VerifyStepProps {
  onSignedIn(session: Session): void;
  /** Back to the password (asked by the user, or because the half-open session ended: `message` says why). */
  onRestart(message?: string): void;
}

/**
 * 確認コード: after the password, the six digits the authenticator app
 * shows; or, without the phone, one of the printed recovery codes; or, when
 * the account has a passkey and the browser knows WebAuthn, the passkey.
 */
export function VerifyStep({ onSignedIn, onRestart }: VerifyStepProps) {
  const { t } = useTranslation();
  const [method, setMethod] = useState<'totp' | 'recovery'>('totp');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  const id = method === 'totp' ? 'totp-code' : 'recovery-code';
  const [passkeyOffered, setPasskeyOffered] = useState(false);

  useEffect(() => {
    if (!browserSupportsPasskeys()) return;
    const controller = new AbortController();
    // Without an answer the code is still there: the passkey is only not offered.
    passkeyApi.offeredAtSignIn(controller.signal).then((r) => setPasskeyOffered(r.passkey), () => {});
    return () => controller.abort();
  }, []);

  // The field first: whoever arrives here has the code in front of them. Again when switching to the other kind of code.
  useEffect(() => inputRef.current?.focus(), [method]);

  function switchTo(next: 'totp' | 'recovery') {
    setMethod(next);
    setValue('');
    setError(null);
    setGeneral(null);
  }

  function refuse(field: string | null, message: string | null) {
    setError(field);
    setGeneral(message);
    setAttempt((n) => n + 1);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (method === 'totp' && !isSixDigitCode(value)) return refuse(t(value.trim() ? 'login.codeSixDigits' : 'login.codeRequired'), null);
    if (method === 'recovery' && !isRecoveryCode(value)) return refuse(t('login.recoveryRequired'), null);
    setSubmitting(true);
    try {
      const session = await api.verifySecondFactor(method === 'totp' ? { code: normalizeCode(value) } : { recoveryCode: normalizeRecoveryCode(value) });
      onSignedIn(session);
    } catch (e) {
      setSubmitting(false);
      setValue('');
      const refusal = codeRefusal(t, e, method);
      if (refusal.kind === 'restart') return onRestart(refusal.message);
      if (refusal.kind === 'field') return refuse(refusal.message, null);
      return refuse(null, refusal.message);
    }
  }

  async function verifyWithPasskey() {
    if (submitting) return;
    setSubmitting(true);
    try {
      const credential = await startAuthentication({ optionsJSON: await passkeyApi.signInOptions() });
      onSignedIn(await passkeyApi.signIn(credential));
    } catch (e) {
      setSubmitting(false);
      const message = passkeyRefusal(t, e);
      if (message === null) return onRestart(t('login.secondFactorExpired'));
      return refuse(null, message);
    }
  }

  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">{method === 'totp' ? t('login.verifyTitle') : t('login.recoveryTitle')}</h2>
      <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
        <ErrorSummary errors={error ? [{ id, message: error }] : []} general={general} attempt={attempt} />
        {method === 'totp'
          ? (
            <CodeField
              key="totp" id={id} kind="totp" label={t('login.code')} hint={t('login.codeHint')}
              value={value} onChange={setValue} error={error ?? undefined} inputRef={inputRef}
            />
          )
          : (
            <CodeField
              key="recovery" id={id} kind="recovery" label={t('login.recoveryCode')} hint={t('login.recoveryHint')}
              value={value} onChange={setValue} error={error ?? undefined} inputRef={inputRef}
            />
          )}
        <div className="form-actions">
          <button type="submit" className="button" disabled={submitting}>{submitting ? t('login.verifying') : t('login.verify')}</button>
          {passkeyOffered && (
            <button type="button" className="button button--secondary" disabled={submitting} onClick={() => void verifyWithPasskey()} aria-describedby="passkey-hint">
              {t('account.verify')}
            </button>
          )}
        </div>
        {passkeyOffered && <p id="passkey-hint" className="field__hint">{t('account.verifyHint')}</p>}
        <p className="visually-hidden" role="status">{submitting ? t('login.verifying') : ''}</p>
      </form>
      <ul className="login-page__other-ways">
        <li>
          {method === 'totp'
            ? <button type="button" className="link-button" onClick={() => switchTo('recovery')}>{t('login.useRecovery')}</button>
            : <button type="button" className="link-button" onClick={() => switchTo('totp')}>{t('login.useCode')}</button>}
        </li>
        <li><button type="button" className="link-button" onClick={() => onRestart()}>{t('login.restart')}</button></li>
      </ul>
    </section>
  );
}
