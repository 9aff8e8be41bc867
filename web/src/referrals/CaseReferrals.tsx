import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { CharacterCount, Choice, ChoiceGroup, ErrorSummary, FormField } from '../components/Form.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { useCaseLabels } from '../cases/CaseParts.tsx';
import { Disclosure } from '../cases/Disclosure.tsx';
import { messages, summaryOf, useFormErrors } from '../cases/useFormErrors.ts';
import {
  checkReferralDraft, chosenConsent, consentsNaming, emptyReferralDraft, japanToday, referralDraftToInput, referralFieldOf, URGENCY_LEVELS,
  type ReferralDraft, type ReferralField,
} from '../lib/cases.ts';
import { servingOrganization, useNameText } from '../network/Names.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { useSignedInSession } from '../session.tsx';
import type { CaseDetail, Organization, Program, Referral } from '../types.ts';
import { useResource } from '../useResource.ts';
import { LegalBasisFields } from './LegalBasis.tsx';
import { ReferralCard } from './ReferralCard.tsx';
import { useSaid } from '../cases/useSaid.tsx';
import { DraftNotice } from '../drafts/DraftNotice.tsx';
import { useDraft, useHasDraft } from '../drafts/useDraft.ts';
import { useReliableSend } from '../drafts/useReliableSend.tsx';

const SUMMARY_MAX = 4000;

/**
 * The case's referrals (つなぎ) as this organisation sees them: those it sent
 * and those it received, newest first; with full access, a form to refer the
 * case on.
 */
export function CaseReferralsSection({ detail, onChanged }: { detail: CaseDetail; onChanged(): void }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  // Reloaded when a referral is sent; a referral moved here updates its own card in place.
  const [sent, setSent] = useState(0);
  const names = useNameText();
  const full = detail.access === 'full';
  const [resource, reload] = useResource(`case-referrals:${detail.id}:${sent}`, async (signal) => {
    const [outgoing, incoming] = await Promise.all([
      api.listReferrals({ box: 'outgoing', caseId: detail.id }, signal),
      api.listReferrals({ box: 'incoming', caseId: detail.id }, signal),
    ]);
    const byId = new Map([...outgoing.items, ...incoming.items].map((r) => [r.id, r]));
    return [...byId.values()].sort((a, b) => b.sentAt.localeCompare(a.sentAt));
  });
  const drafted = useHasDraft(referralForm(detail.id));
  return (
    <section id="case-referrals" aria-labelledby="case-referrals-heading" className="section" tabIndex={-1}>
      <h2 id="case-referrals-heading">{t('referral.caseTitle')}</h2>
      <p className="section__hint">{full ? t('referral.caseHint') : t('referral.caseHintLimited')}</p>
      {full && (
        <Disclosure id="referral-form" label={t('referral.send')} initiallyOpen={drafted}>
          {(close) => (
            <SendReferralForm
              detail={detail} onCancel={close}
              onSent={(r) => {
                close();
                say((t) => t('case.notice.referralSent', { name: r.program ? names.program(r.program) : names.org(r.to) }));
                setSent((n) => n + 1);
                onChanged();
              }}
            />
          )}
        </Disclosure>
      )}
      {said}
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (resource.data.length === 0
        ? <p className="empty">{t('referral.caseEmpty')}</p>
        : (
          <ul className="queue" data-testid="case-referrals">
            {resource.data.map((r) => (
              <ReferralCard key={`${r.id}:${r.version}`} referral={r} showCase={false} level={3} onMoved={onChanged} />
            ))}
          </ul>
        ))}
    </section>
  );
}

const ORDER: ReferralField[] = [
  'destination', 'reason', 'basis', 'consentId', 'meetingSessionId', 'meetingSeriesId', 'meetingDate', 'paragraph', 'basisReason', 'sharedSummary', 'firstContactDue',
];
/** The draft's name: one per case. */
const referralForm = (caseId: string) => `referral:${caseId}`;

/** 紹介を送る; kept as a draft in this tab until sent (closing the form keeps it too). */
function SendReferralForm({ detail, onCancel, onSent }: { detail: CaseDetail; onCancel(): void; onSent(r: Referral): void }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const session = useSignedInSession();
  const { network, organizationsById, programsById, vocabularies } = useNetwork();
  const names = useNameText();
  const kept = useDraft<ReferralDraft>(referralForm(detail.id), () => emptyReferralDraft(japanToday(new Date())));
  const { value: draft, set: setDraft } = kept;
  const sending = useReliableSend({ drafted: true });
  const [saving, setSaving] = useState(false);
  // What the chosen basis needs, and the consent it would rest on: one naming the receiver, pre-selected when it is the only one.
  const spec = vocabularies.shareBases.find((b) => b.code === draft.basis);
  const receiver = receiverOf(draft.destination, organizationsById, programsById);
  const consents = consentsNaming(detail.consents, receiver?.id ?? null);
  const consentId = chosenConsent(draft.consentId, consents);
  const resolved = { ...draft, consentId };
  const form = useFormErrors(() => messages(checkReferralDraft(resolved, japanToday(new Date()), spec ?? null), (c) => t(`referral.errors.${c}`)));
  const set = <K extends keyof ReferralDraft>(key: K, value: ReferralDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    form.clear(key);
    // Another receiver or basis asks for another consent, meeting or item: their errors no longer apply.
    if (key === 'destination' || key === 'basis') form.clear('consentId', 'meetingSessionId', 'meetingSeriesId', 'meetingDate', 'paragraph', 'basisReason');
  };
  const own = session.organization.id;
  // A referral goes to another organisation: the server refuses one's own (src/modules/referrals/service.ts).
  const programs = network.programs
    .filter((p) => p.active && p.status === 'active')
    .map((p) => ({ program: p, serving: servingOrganization(p, organizationsById) }))
    .filter(({ serving }) => serving && serving.id !== own);
  const organizations = network.organizations.filter((o) => o.active && o.id !== own && !o.partner);
  // 連携団体: the prefecture's partner groups serving the municipality, grouped under their prefecture
  const partnerGroups = network.organizations.filter((o) => o.active && o.partner);
  const prefectures = [...new Set(partnerGroups.map((o) => o.partner!.prefectureName))];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate() || !spec) return;
    setSaving(true);
    const body = referralDraftToInput(resolved, spec);
    const sent = await sending.send(kept.key, (key) => api.sendReferral(detail.id, body, key));
    if (sent.ok) {
      kept.saved();
      onSent(sent.value);
      return;
    }
    setSaving(false);
    if (!sent.said) form.fail(sent.error, referralFieldOf);
  }

  const id = (f: string) => `referral-${f}`;
  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby="referral-form-heading">
      <h3 id="referral-form-heading">{t('referral.send')}</h3>
      <DraftNotice draft={kept} />
      <ErrorSummary errors={summaryOf(form.errors, ORDER, id)} general={form.general} attempt={form.attempt} />
      <FormField id={id('destination')} label={t('referral.destination')} hint={t('referral.destinationHint')} error={form.errors.destination} required>
        {(control) => (
          <select {...control} value={draft.destination} onChange={(e) => set('destination', e.target.value)}>
            <option value="">{t('form.choose')}</option>
            <optgroup label={t('detail.programs')}>
              {programs.map(({ program, serving }) => (
                <option key={program.id} value={`program:${program.id}`}>
                  {t('referral.programOption', { program: names.program(program), organization: serving ? names.org(serving) : '' })}
                </option>
              ))}
            </optgroup>
            <optgroup label={t('detail.organizations')}>
              {organizations.map((o) => <option key={o.id} value={`org:${o.id}`}>{names.org(o)}</option>)}
            </optgroup>
            {prefectures.map((prefecture) => (
              <optgroup key={prefecture} label={t('partner.groupLabel', { prefecture })}>
                {partnerGroups.filter((o) => o.partner!.prefectureName === prefecture).map((o) => (
                  <option key={o.id} value={`org:${o.id}`}>{t('partner.option', { name: names.org(o), prefecture })}</option>
                ))}
              </optgroup>
            ))}
          </select>
        )}
      </FormField>
      <FormField id={id('reason')} label={t('referral.reason')} hint={t('referral.reasonHint')} error={form.errors.reason} required>
        {(control) => <textarea {...control} lang="ja" rows={2} maxLength={1000} value={draft.reason} onChange={(e) => set('reason', e.target.value)} />}
      </FormField>
      <LegalBasisFields
        caseId={detail.id} draft={draft} spec={spec} receiver={receiver} consents={consents} consentId={consentId} errors={form.errors} id={id} set={set}
      />
      <FormField
        id={id('sharedSummary')} label={t('referral.sharedSummary')} error={form.errors.sharedSummary} required
        hint={<strong className="shared-warning">{t('referral.sharedSummaryHint')}</strong>}
      >
        {(control) => (
          <>
            <textarea
              {...control} lang="ja" rows={5} value={draft.sharedSummary} onChange={(e) => set('sharedSummary', e.target.value)}
              aria-describedby={[control['aria-describedby'], `${id('sharedSummary')}-count`].filter(Boolean).join(' ')}
            />
            <CharacterCount id={`${id('sharedSummary')}-count`} value={draft.sharedSummary} max={SUMMARY_MAX} />
          </>
        )}
      </FormField>
      <ChoiceGroup id={id('urgency')} label={t('referral.urgency')} className="choices--inline">
        {URGENCY_LEVELS.map((u) => (
          <Choice key={u} type="radio" name="referral-urgency" value={u} checked={draft.urgency === u} onChange={() => set('urgency', u)} label={labels.urgency(u)} />
        ))}
      </ChoiceGroup>
      <FormField id={id('firstContactDue')} label={t('referral.firstContactDue')} hint={t('referral.firstContactDueHint')} error={form.errors.firstContactDue} required className="field--short">
        {(control) => <input {...control} type="date" value={draft.firstContactDue} onChange={(e) => set('firstContactDue', e.target.value)} />}
      </FormField>
      {sending.status}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('referral.sending') : t('referral.sendSubmit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}

/** The organisation a destination reaches: the organisation itself, or the one serving the program (as the server decides it). */
function receiverOf(
  destination: string, organizationsById: ReadonlyMap<string, Organization>, programsById: ReadonlyMap<string, Program>,
): Organization | undefined {
  const at = destination.indexOf(':');
  const [kind, id] = [destination.slice(0, at), destination.slice(at + 1)];
  if (kind === 'org') return organizationsById.get(id);
  const program = kind === 'program' ? programsById.get(id) : undefined;
  return program ? servingOrganization(program, organizationsById) : undefined;
}
