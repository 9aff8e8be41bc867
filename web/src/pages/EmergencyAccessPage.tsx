import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { breakGlassApi } from '../breakGlass/api.ts';
import type { EmergencyEnded } from '../breakGlass/EmergencyBanner.tsx';
import { summaryOf, useFormErrors, type FormErrors } from '../cases/useFormErrors.ts';
import { CharacterCount, ErrorSummary, FormField } from '../components/Form.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { tabStorage } from '../drafts/storage.ts';
import { checkEmergencyForm, MAX_REASON_LENGTH, rememberUse } from '../lib/breakGlass.ts';
import { useSignedInSession } from '../session.tsx';

const RULES = ['emergency', 'readOnly', 'timeLimit', 'officer', 'recorded', 'code'] as const;
const FIELDS = ['caseReference', 'reason'] as const;
const idOf = (key: string) => `emergency-${key}`;

/**
 * 緊急時の閲覧: staff open, by its case number, a case their organisation
 * cannot see, read only and for a limited time, with a written reason and
 * after entering the code again. What it allows is said first, in plain
 * words; the privacy officer is alerted by the server.
 */
export function EmergencyAccessPage() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const navigate = useNavigate();
  const location = useLocation();
  usePageTitle(t('breakGlass.title'));
  const [caseReference, setCaseReference] = useState('');
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const form = useFormErrors((): FormErrors => {
    const codes = checkEmergencyForm({ caseReference, reason });
    const out: FormErrors = {};
    if (codes.caseReference) out.caseReference = t('breakGlass.errors.caseReference.required');
    if (codes.reason) out.reason = t(`breakGlass.errors.reason.${codes.reason}`);
    return out;
  });

  // Sent back here when a use ended: say so once, then forget it (a reload must not say it again).
  const passedOn = (location.state as { ended?: EmergencyEnded } | null)?.ended ?? null;
  const [ended] = useState(passedOn);
  const endedRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (!passedOn) return;
    requestAnimationFrame(() => endedRef.current?.focus());
    navigate(location.pathname, { replace: true, state: null });
  }, []);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending || !form.validate()) return;
    setSending(true);
    try {
      // The server asks for the code again first (StepUpDialog), then opens the case.
      const use = await breakGlassApi.start({ caseReference: caseReference.trim(), reason: reason.trim() });
      rememberUse(tabStorage(), session.user.id, use);
      navigate(`/cases/${encodeURIComponent(use.caseId)}`);
    } catch (error) {
      setSending(false);
      if (error instanceof ApiError && error.status === 404) {
        // An unknown number and a case of another municipality read alike: said beside the number.
        form.fail(new ApiError(400, error.message, [{ field: 'caseReference', message: t('breakGlass.errors.notFound') }]), () => 'caseReference');
      } else if (error instanceof ApiError && error.status === 409) {
        form.say(t('breakGlass.errors.alreadyVisible'));
      } else {
        form.fail(error, (f) => {
          const key = f.replace(/^\//, '');
          return (FIELDS as readonly string[]).includes(key) ? key : null;
        });
      }
    }
  }

  return (
    <article className="page emergency-access">
      <h1>{t('breakGlass.title')}</h1>
      <p ref={endedRef} tabIndex={-1} role="status" className={ended ? 'notice notice--done' : undefined} data-testid="notice">
        {ended && t(ended.how === 'expired' ? 'breakGlass.expired' : 'breakGlass.ended', { reference: ended.reference })}
      </p>
      <p className="page__intro">{t('breakGlass.intro')}</p>
      <section className="break-glass-rules" aria-labelledby="break-glass-rules-title">
        <h2 id="break-glass-rules-title">{t('breakGlass.rulesTitle')}</h2>
        <ul>{RULES.map((r) => <li key={r}>{t(`breakGlass.rule.${r}`)}</li>)}</ul>
      </section>

      <form className="form inline-form inline-form--danger" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={sending} aria-labelledby="emergency-form-title">
        <h2 id="emergency-form-title">{t('breakGlass.formTitle')}</h2>
        <ErrorSummary errors={summaryOf(form.errors, FIELDS, idOf)} general={form.general} attempt={form.attempt} />
        <FormField id={idOf('caseReference')} label={t('breakGlass.caseReference')} hint={t('breakGlass.caseReferenceHint')} error={form.errors.caseReference} required className="field--short">
          {(control) => (
            <input
              {...control} type="text" name="caseReference" autoComplete="off" spellCheck={false} maxLength={40}
              value={caseReference} onChange={(e) => { setCaseReference(e.target.value); form.clear('caseReference'); }}
            />
          )}
        </FormField>
        <FormField id={idOf('reason')} label={t('breakGlass.reason')} hint={t('breakGlass.reasonHint')} error={form.errors.reason} required>
          {(control) => (
            <>
              <textarea
                {...control} name="reason" lang="ja" rows={4} maxLength={MAX_REASON_LENGTH}
                aria-describedby={[control['aria-describedby'], 'emergency-reason-count'].filter(Boolean).join(' ')}
                value={reason} onChange={(e) => { setReason(e.target.value); form.clear('reason'); }}
              />
              <CharacterCount id="emergency-reason-count" value={reason} max={MAX_REASON_LENGTH} />
            </>
          )}
        </FormField>
        <div className="form-actions">
          <button type="submit" className="button button--danger" disabled={sending}>{sending ? t('breakGlass.starting') : t('breakGlass.submit')}</button>
        </div>
      </form>
    </article>
  );
}
