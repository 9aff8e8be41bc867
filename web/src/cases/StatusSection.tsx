import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { Choice, ChoiceGroup, ErrorSummary, FormField } from '../components/Form.tsx';
import { ErrorPanel } from '../components/Status.tsx';
import { nextCaseStatuses } from '../lib/cases.ts';
import { useNameText } from '../network/Names.tsx';
import type { CaseDetail, CaseStatus } from '../types.ts';
import { CaseStatusBadge, useCaseLabels } from './CaseParts.tsx';
import { summaryOf, useFormErrors, type FormErrors } from './useFormErrors.ts';
import { useSaid } from './useSaid.tsx';

interface StatusSectionProps {
  detail: CaseDetail;
  /** The lead organisation or the hub: the others are told who decides. */
  mayChange: boolean;
  onChanged(next: CaseDetail): void;
  onReloaded(next: CaseDetail): void;
}

/**
 * 状態の変更: only the moves the case may take from where it is (the server
 * decides; see lib/cases.ts). Closing always says why (終結理由).
 */
export function StatusSection({ detail, mayChange, onChanged, onReloaded }: StatusSectionProps) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const names = useNameText();
  const next = nextCaseStatuses(detail.status);
  const [status, setStatus] = useState<CaseStatus | ''>('');
  const [reason, setReason] = useState('');
  const [closureReason, setClosureReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<unknown>(null);
  const [said, say] = useSaid();
  const check = (): FormErrors => {
    const errors: FormErrors = {};
    if (!status) errors.status = t('caseStatus.errors.statusRequired');
    if (status === 'closed' && !closureReason.trim()) errors.closureReason = t('caseStatus.errors.closureReasonRequired');
    return errors;
  };
  const form = useFormErrors(check);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setConflict(null);
    if (!form.validate()) return;
    setSaving(true);
    try {
      const updated = await api.changeCaseStatus(detail.id, {
        version: detail.version, status: status as CaseStatus,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(status === 'closed' ? { closureReason: closureReason.trim() } : {}),
      });
      setStatus('');
      setReason('');
      setClosureReason('');
      onChanged(updated);
      say((t) => t('case.notice.statusChanged', { status: t(`cases.statusValue.${updated.status}`) }));
      form.reset();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setConflict(error);
      else form.fail(error, (f) => (['status', 'closureReason', 'reason'] as const).find((k) => f.replace(/^\//, '') === k) ?? null);
    } finally {
      setSaving(false);
    }
  }

  async function reloadLatest() {
    try {
      onReloaded(await api.getCase(detail.id));
      setConflict(null);
      setStatus('');
      form.reset();
    } catch (e) {
      setConflict(e);
    }
  }

  return (
    <section id="case-status" aria-labelledby="case-status-heading" className="section" tabIndex={-1}>
      <h2 id="case-status-heading">{t('caseStatus.title')}</h2>
      <p>{t('caseStatus.current')}<CaseStatusBadge status={detail.status} /></p>
      {said}
      {!mayChange
        ? <p className="section__hint">{t('caseStatus.leadDecides', { lead: names.org(detail.lead) })}</p>
        : (
          <form className="inline-form no-print" onSubmit={onSubmit} noValidate aria-busy={saving}>
            <ErrorSummary errors={summaryOf(form.errors, ['status', 'reason', 'closureReason'], (k) => `case-status-${k}`)} general={form.general} attempt={form.attempt} />
            {conflict !== null && <ErrorPanel error={conflict} onRetry={() => void reloadLatest()} retryLabel={t('errors.reloadLatest')} />}
            <ChoiceGroup id="case-status-status" label={t('caseStatus.next')} error={form.errors.status} required className="choices--inline">
              {next.map((s) => (
                <Choice
                  key={s} type="radio" name="case-status" value={s} checked={status === s}
                  onChange={() => { setStatus(s); form.clear('status', 'closureReason'); }}
                  label={detail.status === 'closed' ? t('caseStatus.reopenAs', { status: labels.caseStatus(s) }) : labels.caseStatus(s)}
                />
              ))}
            </ChoiceGroup>
            {status === 'closed'
              ? (
                <FormField id="case-status-closureReason" label={t('caseStatus.closureReason')} hint={t('caseStatus.closureReasonHint')} error={form.errors.closureReason} required>
                  {(control) => <textarea {...control} lang="ja" rows={3} maxLength={500} value={closureReason} onChange={(e) => { setClosureReason(e.target.value); form.clear('closureReason'); }} />}
                </FormField>
              )
              : (
                <FormField id="case-status-reason" label={t('caseStatus.reason')} error={form.errors.reason}>
                  {(control) => <textarea {...control} lang="ja" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
                </FormField>
              )}
            <div className="form-actions">
              <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('caseStatus.submit')}</button>
            </div>
          </form>
        )}
    </section>
  );
}
