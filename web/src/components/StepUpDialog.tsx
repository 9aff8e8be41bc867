import { startAuthentication } from '@simplewebauthn/browser';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, setStepUpHandler } from '../api.ts';
import { browserSupportsPasskeys } from '../lib/passkeys.ts';
import { isSixDigitCode, normalizeCode } from '../lib/secondFactor.ts';
import { passkeyApi } from '../passkeys/api.ts';
import { passkeyRefusal } from '../passkeys/messages.ts';
import { CodeField } from './CodeField.tsx';
import { ErrorSummary } from './Form.tsx';
import { errorMessage } from './Status.tsx';

/**
 * 確認コードの再入力 (step-up). A sensitive action refused with
 * step_up_required opens this modal dialog through api.ts; once the code is
 * accepted the refused call is sent again, so the action simply goes on.
 * Cancelling (or Esc) lets the call fail as refused. Focus returns to where
 * it was. With a passkey registered (and WebAuthn in the browser), the
 * passkey answers instead of the code.
 */
export function StepUpDialog() {
  const { t } = useTranslation();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const pending = useRef<((accepted: boolean) => void) | null>(null);
  const returnTo = useRef<HTMLElement | null>(null);
  const [open, setOpen] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [submitting, setSubmitting] = useState(false);
  const [passkey, setPasskey] = useState(false);

  useEffect(() => {
    setStepUpHandler(() => new Promise<boolean>((resolve) => {
      pending.current = resolve;
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setCode('');
      setError(null);
      setGeneral(null);
      setOpen(true);
      if (browserSupportsPasskeys())
        passkeyApi.list().then((r) => setPasskey(r.available && r.items.length > 0), () => setPasskey(false));
    }));
    return () => {
      setStepUpHandler(null);
      pending.current?.(false);
    };
  }, []);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      inputRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  function finish(accepted: boolean) {
    setOpen(false);
    setSubmitting(false);
    pending.current?.(accepted);
    pending.current = null;
    const back = returnTo.current;
    requestAnimationFrame(() => { if (back?.isConnected) back.focus(); });
  }

  function refuse(field: string | null, message: string | null) {
    setError(field);
    setGeneral(message);
    setAttempt((n) => n + 1);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    if (!isSixDigitCode(code)) return refuse(t(code.trim() ? 'login.codeSixDigits' : 'login.codeRequired'), null);
    setSubmitting(true);
    try {
      await api.stepUp(normalizeCode(code));
      finish(true);
    } catch (e) {
      setSubmitting(false);
      setCode('');
      // The session has ended: api.ts has already sent the app to sign-in.
      if (e instanceof ApiError && e.status === 401) return finish(false);
      if (e instanceof ApiError && e.status === 400) return refuse(t('login.codeWrong'), null);
      return refuse(null, errorMessage(t, e));
    }
  }

  async function confirmWithPasskey() {
    if (submitting) return;
    setSubmitting(true);
    try {
      await passkeyApi.stepUp(await startAuthentication({ optionsJSON: await passkeyApi.stepUpOptions() }));
      finish(true);
    } catch (e) {
      setSubmitting(false);
      const message = passkeyRefusal(t, e);
      // The session has ended: api.ts has already sent the app to sign-in.
      if (message === null) return finish(false);
      return refuse(null, message);
    }
  }

  return (
    <dialog
      ref={dialogRef} className="dialog" aria-labelledby="step-up-heading" aria-describedby="step-up-intro" data-testid="step-up"
      onCancel={(event) => { event.preventDefault(); finish(false); }}
    >
      <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
        <h2 id="step-up-heading">{t('stepUp.title')}</h2>
        <p id="step-up-intro">{t('stepUp.intro')}</p>
        <ErrorSummary errors={error ? [{ id: 'step-up-code', message: error }] : []} general={general} attempt={attempt} />
        <CodeField
          id="step-up-code" kind="totp" label={t('login.code')} hint={t('login.codeHint')}
          value={code} onChange={setCode} error={error ?? undefined} inputRef={inputRef}
        />
        <div className="form-actions">
          <button type="submit" className="button" disabled={submitting}>{submitting ? t('login.verifying') : t('stepUp.submit')}</button>
          {passkey && (
            <button type="button" className="button button--secondary" disabled={submitting} onClick={() => void confirmWithPasskey()}>{t('account.verify')}</button>
          )}
          <button type="button" className="button button--secondary" onClick={() => finish(false)}>{t('rules.form.cancel')}</button>
        </div>
      </form>
    </dialog>
  );
}
