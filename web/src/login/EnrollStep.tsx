import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { CodeField } from '../components/CodeField.tsx';
import { ErrorSummary } from '../components/Form.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { groupSecret, isSixDigitCode, normalizeCode, svgDataUrl } from '../lib/secondFactor.ts';
import type { Enrollment, EnrollmentResult } from '../types.ts';
import { useResource } from '../useResource.ts';
import { codeRefusal } from './codeErrors.ts';

interface EnrollStepProps {
  onEnrolled(result: EnrollmentResult): void;
  /** This account has an authenticator already: ask for its code instead. */
  onAlreadyEnrolled(): void;
  onRestart(message?: string): void;
}

/**
 * 認証アプリの設定, on the first sign-in: what an authenticator app is, the
 * QR code to scan (or the key to type), then its first code.
 */
export function EnrollStep({ onEnrolled, onAlreadyEnrolled, onRestart }: EnrollStepProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [resource, reload] = useResource('enrollment', (signal) => api.getEnrollment(signal));
  useEffect(() => headingRef.current?.focus(), []);

  useEffect(() => {
    if (resource.status !== 'error' || !(resource.error instanceof ApiError)) return;
    if (resource.error.status === 400) onAlreadyEnrolled();
    else if (resource.error.status === 401) onRestart(t('login.secondFactorExpired'));
  }, [resource]);

  return (
    <section aria-labelledby="enroll-heading">
      <h2 id="enroll-heading" ref={headingRef} tabIndex={-1}>{t('login.enrollTitle')}</h2>
      <p>{t('login.enrollIntro')}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && <EnrollForm enrollment={resource.data} onEnrolled={onEnrolled} onRestart={onRestart} />}
      <p className="login-page__other-ways">
        <button type="button" className="link-button" onClick={() => onRestart()}>{t('login.restart')}</button>
      </p>
    </section>
  );
}

function EnrollForm({ enrollment, onEnrolled, onRestart }: { enrollment: Enrollment } & Pick<EnrollStepProps, 'onEnrolled' | 'onRestart'>) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [submitting, setSubmitting] = useState(false);

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
      onEnrolled(await api.completeEnrollment(normalizeCode(code)));
    } catch (e) {
      setSubmitting(false);
      setCode('');
      const refusal = codeRefusal(t, e, 'totp');
      if (refusal.kind === 'restart') return onRestart(refusal.message);
      if (refusal.kind === 'field') return refuse(refusal.message, null);
      return refuse(null, refusal.message);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
      <ErrorSummary errors={error ? [{ id: 'enroll-code', message: error }] : []} general={general} attempt={attempt} />
      <ol className="enroll-steps">
        <li>
          <h3>{t('login.enrollInstallTitle')}</h3>
          <p>{t('login.enrollInstall')}</p>
        </li>
        <li>
          <h3>{t('login.enrollScanTitle')}</h3>
          <p>{t('login.enrollScan')}</p>
          <img className="enroll-qr" src={svgDataUrl(enrollment.qrSvg)} alt={t('login.qrAlt')} width={200} height={200} />
          <p>{t('login.enrollTypeKey')}</p>
          <p className="enroll-key">
            <span className="enroll-key__label">{t('login.secretLabel')}</span>
            <code data-testid="totp-secret" lang="en">{groupSecret(enrollment.secret)}</code>
          </p>
          <p className="field__hint">{t('login.secretHint')}</p>
        </li>
        <li>
          <h3>{t('login.enrollCodeTitle')}</h3>
          <CodeField
            id="enroll-code" kind="totp" label={t('login.code')} hint={t('login.enrollCodeHint')}
            value={code} onChange={setCode} error={error ?? undefined}
          />
        </li>
      </ol>
      <button type="submit" className="button" disabled={submitting}>{submitting ? t('login.verifying') : t('login.enrollSubmit')}</button>
      <p className="visually-hidden" role="status">{submitting ? t('login.verifying') : ''}</p>
    </form>
  );
}
