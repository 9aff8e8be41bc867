import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Choice, ChoiceGroup, ErrorSummary, FormField } from '../components/Form.tsx';
import { useIdempotencyKey } from '../drafts/useDraft.ts';
import { useReliableSend } from '../drafts/useReliableSend.tsx';
import { checkDate, CONSENT_METHODS, japanToday } from '../lib/cases.ts';
import { OrgName, useNameText } from '../network/Names.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import type { CaseDetail, Consent, ConsentMethod } from '../types.ts';
import { useCaseLabels } from './CaseParts.tsx';
import { Disclosure } from './Disclosure.tsx';
import { useCaseReadOnly } from './readOnly.ts';
import { useSaid } from './useSaid.tsx';
import { summaryOf, useFormErrors, type FormErrors } from './useFormErrors.ts';

/**
 * 同意: the person's consent to share with named organisations. Those
 * organisations then see the whole case; a withdrawal ends that at once. A
 * withdrawn consent stays listed, struck through, with when and why.
 */
export function ConsentSection({ detail, onChanged }: { detail: CaseDetail; onChanged(): Promise<void> }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  return (
    <section id="case-consents" aria-labelledby="case-consents-heading" className="section" tabIndex={-1}>
      <h2 id="case-consents-heading">{t('consent.title')}</h2>
      <p className="section__hint">{t('consent.hint')}</p>
      <Disclosure id="consent-form" label={t('consent.add')}>
        {(close) => <ConsentForm detail={detail} onCancel={close} onRecorded={async () => { await onChanged(); close(); say((t) => t('case.notice.consentRecorded')); }} />}
      </Disclosure>
      {said}
      {detail.consents.length === 0
        ? <p className="empty">{t('consent.empty')}</p>
        : (
          <ul className="records" data-testid="consents">
            {detail.consents.map((c) => <ConsentItem key={c.id} caseId={detail.id} consent={c} onWithdrawn={async () => { await onChanged(); say((t) => t('case.notice.consentWithdrawn')); }} />)}
          </ul>
        )}
    </section>
  );
}

function ConsentItem({ caseId, consent: c, onWithdrawn }: { caseId: string; consent: Consent; onWithdrawn(): Promise<void> }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const withdrawn = c.withdrawnAt !== null;
  const readOnly = useCaseReadOnly();
  return (
    <li className={withdrawn ? 'record card consent consent--withdrawn' : 'record card consent'} data-testid="consent">
      <div className="consent__head">
        {withdrawn ? <Badge tone="ended">{t('consent.withdrawnBadge')}</Badge> : <Badge tone="active">{t('consent.activeBadge')}</Badge>}
      </div>
      <div className="consent__body">
        <Factline label={t('consent.givenOn')}><DateText value={c.givenOn} />（{labels.consentMethod(c.method)}）</Factline>
        <Factline label={t('consent.organizations')}>
          <ul className="inline-list">{c.organizations.map((o) => <li key={o.id}><OrgName org={o} /></li>)}</ul>
        </Factline>
        <Factline label={t('consent.scope')}><span className="prewrap" lang="ja">{c.scope}</span></Factline>
      </div>
      {withdrawn && (
        <p className="consent__withdrawal">
          <strong>{t('consent.withdrawnOn')}<DateTimeText value={c.withdrawnAt!} /></strong>
          {c.withdrawalNote && <span className="consent__note" lang="ja">{c.withdrawalNote}</span>}
        </p>
      )}
      {!withdrawn && !readOnly && <WithdrawConsent caseId={caseId} consent={c} onWithdrawn={onWithdrawn} />}
    </li>
  );
}

function Factline({ label, children }: { label: string; children: ReactNode }) {
  return <p className="factline"><span className="trail__label">{label}：</span>{children}</p>;
}

function WithdrawConsent({ caseId, consent, onWithdrawn }: { caseId: string; consent: Consent; onWithdrawn(): Promise<void> }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const id = `withdraw-${consent.id}`;
  const form = useFormErrors((): FormErrors => (note.trim() ? {} : { note: t('consent.errors.noteRequired') }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      await api.withdrawConsent(caseId, consent.id, note.trim());
      // The list shows it withdrawn once the case is read again; this form then goes.
      await onWithdrawn();
      setSaving(false);
    } catch (error) {
      setSaving(false);
      form.fail(error, (f) => (f.replace(/^\//, '') === 'note' ? 'note' : null));
    }
  }

  if (!open) {
    return (
      <p className="no-print">
        <button
          ref={buttonRef} type="button" className="button button--danger button--small" aria-expanded="false" aria-controls={id}
          onClick={() => { setOpen(true); requestAnimationFrame(() => document.getElementById(`${id}-note`)?.focus()); }}
        >
          {t('consent.withdraw')}
        </button>
      </p>
    );
  }
  return (
    <form id={id} className="inline-form inline-form--danger no-print" onSubmit={onSubmit} noValidate aria-busy={saving}>
      <ErrorSummary errors={summaryOf(form.errors, ['note'], () => `${id}-note`)} general={form.general} attempt={form.attempt} />
      <FormField id={`${id}-note`} label={t('consent.withdrawNote')} hint={t('consent.withdrawHint')} error={form.errors.note} required>
        {(control) => <textarea {...control} lang="ja" rows={2} maxLength={1000} value={note} onChange={(e) => { setNote(e.target.value); form.clear('note'); }} />}
      </FormField>
      <div className="form-actions">
        <button type="submit" className="button button--danger" disabled={saving}>{saving ? t('form.saving') : t('consent.withdrawSubmit')}</button>
        <button
          type="button" className="button button--secondary"
          onClick={() => { setOpen(false); setNote(''); form.reset(); requestAnimationFrame(() => buttonRef.current?.focus()); }}
        >
          {t('rules.form.cancel')}
        </button>
      </div>
    </form>
  );
}

interface ConsentDraft {
  givenOn: string;
  method: ConsentMethod | '';
  scope: string;
  organizationIds: string[];
}

const CONSENT_ORDER = ['givenOn', 'method', 'organizationIds', 'scope'];

function ConsentForm({ detail, onCancel, onRecorded }: { detail: CaseDetail; onCancel(): void; onRecorded(): Promise<void> }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const { network } = useNetwork();
  const names = useNameText();
  const [draft, setDraft] = useState<ConsentDraft>(() => ({ givenOn: japanToday(new Date()), method: '', scope: '', organizationIds: [] }));
  const [saving, setSaving] = useState(false);
  const key = useIdempotencyKey();
  const sending = useReliableSend({ drafted: false });
  const check = (): FormErrors => {
    const errors: FormErrors = {};
    const date = checkDate(draft.givenOn, japanToday(new Date()), { notFuture: true });
    if (date) errors.givenOn = t(`consent.errors.${date === 'datePast' ? 'dateInvalid' : date}`);
    if (!draft.method) errors.method = t('consent.errors.methodRequired');
    if (draft.organizationIds.length === 0) errors.organizationIds = t('consent.errors.organizationsRequired');
    if (!draft.scope.trim()) errors.scope = t('consent.errors.scopeRequired');
    return errors;
  };
  const form = useFormErrors(check);
  const set = <K extends keyof ConsentDraft>(key: K, value: ConsentDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    form.clear(key);
  };
  // The organisations already working on the case first: they are the usual ones to name.
  const involved = new Set(detail.participants.map((p) => p.organization.id));
  const organizations = network.organizations
    .filter((o) => o.active)
    .sort((a, b) => Number(involved.has(b.id)) - Number(involved.has(a.id)));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    const body = { givenOn: draft.givenOn, method: draft.method as ConsentMethod, scope: draft.scope.trim(), organizationIds: draft.organizationIds };
    const sent = await sending.send(key, (k) => api.recordConsent(detail.id, body, k));
    if (sent.ok) {
      await onRecorded();
      return;
    }
    setSaving(false);
    if (!sent.said) form.fail(sent.error, (f) => CONSENT_ORDER.find((k) => f.replace(/^\//, '').startsWith(k)) ?? null);
  }

  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby="consent-form-heading">
      <h3 id="consent-form-heading">{t('consent.add')}</h3>
      <ErrorSummary errors={summaryOf(form.errors, CONSENT_ORDER, (k) => `consent-${k}`)} general={form.general} attempt={form.attempt} />
      <FormField id="consent-givenOn" label={t('consent.givenOn')} error={form.errors.givenOn} required className="field--short">
        {(control) => <input {...control} type="date" value={draft.givenOn} onChange={(e) => set('givenOn', e.target.value)} />}
      </FormField>
      <ChoiceGroup id="consent-method" label={t('consent.method')} error={form.errors.method} required className="choices--inline">
        {CONSENT_METHODS.map((m) => (
          <Choice key={m} type="radio" name="consent-method" value={m} checked={draft.method === m} onChange={() => set('method', m)} label={labels.consentMethod(m)} />
        ))}
      </ChoiceGroup>
      <ChoiceGroup id="consent-organizationIds" label={t('consent.organizations')} hint={t('consent.organizationsHint')} error={form.errors.organizationIds} required className="choices--grid">
        {organizations.map((o) => (
          <Choice
            key={o.id} type="checkbox" name="consent-organizations" value={o.id} checked={draft.organizationIds.includes(o.id)}
            onChange={(on) => set('organizationIds', on ? [...draft.organizationIds, o.id] : draft.organizationIds.filter((x) => x !== o.id))}
            label={<>{names.org(o)}{o.partner && <span className="choice__note">{t('partner.groupLabel', { prefecture: o.partner.prefectureName })}</span>}{involved.has(o.id) && <span className="choice__note">{t('consent.involved')}</span>}</>}
          />
        ))}
      </ChoiceGroup>
      <FormField id="consent-scope" label={t('consent.scope')} hint={t('consent.scopeHint')} error={form.errors.scope} required>
        {(control) => <textarea {...control} lang="ja" rows={3} maxLength={1000} value={draft.scope} onChange={(e) => set('scope', e.target.value)} />}
      </FormField>
      {sending.status}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('consent.submit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}
