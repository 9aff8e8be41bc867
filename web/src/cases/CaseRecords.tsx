import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { DateTimeText } from '../components/DateText.tsx';
import { CharacterCount, Choice, ChoiceGroup, ErrorSummary, FormField } from '../components/Form.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { DraftNotice } from '../drafts/DraftNotice.tsx';
import { useDraft, useHasDraft } from '../drafts/useDraft.ts';
import { useReliableSend } from '../drafts/useReliableSend.tsx';
import { checkContactDraft, CONTACT_KINDS, contactDraftToInput, emptyContactDraft, type ContactDraft, type ContactField } from '../lib/cases.ts';
import { OrgName } from '../network/Names.tsx';
import type { ContactRecord } from '../types.ts';
import { useResource } from '../useResource.ts';
import { useCaseLabels } from './CaseParts.tsx';
import { Disclosure } from './Disclosure.tsx';
import { useSaid } from './useSaid.tsx';
import { messages, summaryOf, useFormErrors, type FormErrors } from './useFormErrors.ts';

const NOTES_MAX = 8000;

/**
 * タイムライン: everything that happened on the case, newest first, with who
 * did it. With referral-level access the server sends only what concerns the
 * viewer's organisation.
 */
export function TimelineSection({ caseId, revision, limited }: { caseId: string; revision: number; limited: boolean }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const [resource, reload] = useResource(`timeline:${caseId}:${revision}`, (signal) => api.getCaseTimeline(caseId, signal));
  return (
    <section id="case-timeline" aria-labelledby="case-timeline-heading" className="section" tabIndex={-1}>
      <h2 id="case-timeline-heading">{t('timeline.title')}</h2>
      <p className="section__hint">{limited ? t('timeline.hintLimited') : t('timeline.hint')}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (resource.data.items.length === 0
        ? <p className="empty">{t('timeline.empty')}</p>
        : (
          <ol className="trail timeline" data-testid="timeline">
            {resource.data.items.map((e, i) => (
              <li key={`${e.at}-${i}`} className={`trail__step timeline__entry timeline__entry--${e.kind}`} data-kind={e.kind}>
                <p className="trail__what">
                  <strong>{labels.timelineKind(e.kind)}</strong>
                  {e.organization && <> ・ <OrgName org={e.organization} /></>}
                </p>
                <p className="trail__meta"><DateTimeText value={e.at} /></p>
                <p className="timeline__summary" lang="ja">{e.summary}</p>
              </li>
            ))}
          </ol>
        ))}
    </section>
  );
}

/** 支援記録: calls, interviews, home visits, accompaniments; with referral-level access only the organisation's own. */
export function ContactRecordsSection({ caseId, limited, onAdded }: { caseId: string; limited: boolean; onAdded(): void }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  // Reloaded after adding one here; every read is audited, so not after other sections' changes.
  const [added, setAdded] = useState(0);
  const [resource, reload] = useResource(`contacts:${caseId}:${added}`, (signal) => api.listContactRecords(caseId, signal));
  const drafted = useHasDraft(contactForm(caseId));
  return (
    <section id="case-contacts" aria-labelledby="case-contacts-heading" className="section" tabIndex={-1}>
      <h2 id="case-contacts-heading">{t('contact.title')}</h2>
      {limited && <p className="section__hint">{t('contact.hintLimited')}</p>}
      <Disclosure id="contact-form" label={t('contact.add')} initiallyOpen={drafted}>
        {(close) => <ContactForm caseId={caseId} onCancel={close} onAdded={() => { close(); say((t) => t('case.notice.contactAdded')); setAdded((n) => n + 1); onAdded(); }} />}
      </Disclosure>
      {said}
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (resource.data.items.length === 0
        ? <p className="empty">{t('contact.empty')}</p>
        : <ul className="records" data-testid="contact-records">{resource.data.items.map((r) => <ContactItem key={r.id} record={r} />)}</ul>)}
    </section>
  );
}

function ContactItem({ record: r }: { record: ContactRecord }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  return (
    <li className="record card">
      <h3 className="record__title">
        {labels.contactKind(r.kind)} <span className="record__when"><DateTimeText value={r.occurredAt} /></span>
      </h3>
      <p className="record__meta"><OrgName org={r.organization} /> ・ <span lang="ja">{r.staffName}</span></p>
      <p className="prewrap" lang="ja">{r.notes}</p>
      {r.nextStep && <p className="record__next"><span className="trail__label">{t('contact.nextStep')}：</span><span lang="ja">{r.nextStep}</span></p>}
    </li>
  );
}

const CONTACT_ORDER: ContactField[] = ['occurredAt', 'kind', 'notes'];
/** The draft's name: one per case. */
const contactForm = (caseId: string) => `contact:${caseId}`;

/** 支援記録を追加する; kept as a draft in this tab until recorded (closing the form keeps it too). */
function ContactForm({ caseId, onCancel, onAdded }: { caseId: string; onCancel(): void; onAdded(): void }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const kept = useDraft<ContactDraft>(contactForm(caseId), () => emptyContactDraft(new Date()));
  const { value: draft, set: setDraft } = kept;
  const sending = useReliableSend({ drafted: true });
  const [saving, setSaving] = useState(false);
  const check = (): FormErrors => messages(checkContactDraft(draft, new Date()), (c) => t(`contact.errors.${c}`));
  const form = useFormErrors(check);
  const set = <K extends keyof ContactDraft>(key: K, value: ContactDraft[K], field: ContactField | null) => {
    setDraft((d) => ({ ...d, [key]: value }));
    if (field) form.clear(field);
  };
  const id = (f: string) => `contact-${f}`;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    const body = contactDraftToInput(draft);
    const sent = await sending.send(kept.key, (key) => api.addContactRecord(caseId, body, key));
    if (sent.ok) {
      kept.saved();
      onAdded();
      return;
    }
    setSaving(false);
    if (!sent.said) form.fail(sent.error, (f) => CONTACT_ORDER.find((k) => f.replace(/^\//, '') === k) ?? null);
  }

  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby="contact-form-heading">
      <h3 id="contact-form-heading">{t('contact.add')}</h3>
      <DraftNotice draft={kept} />
      <ErrorSummary errors={summaryOf(form.errors, CONTACT_ORDER, id)} general={form.general} attempt={form.attempt} />
      <fieldset id={id('occurredAt')} className={form.errors.occurredAt ? 'field field--invalid' : 'field'} aria-describedby={form.errors.occurredAt ? `${id('occurredAt')}-error` : undefined}>
        <legend>{t('contact.occurredAt')}</legend>
        <div className="field-row">
          <div className="field field--short">
            <label htmlFor={`${id('occurredAt')}-date`}>{t('contact.date')}</label>
            <input id={`${id('occurredAt')}-date`} type="date" value={draft.date} aria-invalid={form.errors.occurredAt ? true : undefined} onChange={(e) => set('date', e.target.value, 'occurredAt')} />
          </div>
          <div className="field field--short">
            <label htmlFor={`${id('occurredAt')}-time`}>{t('contact.time')}</label>
            <input id={`${id('occurredAt')}-time`} type="time" value={draft.time} aria-invalid={form.errors.occurredAt ? true : undefined} onChange={(e) => set('time', e.target.value, 'occurredAt')} />
          </div>
        </div>
        {form.errors.occurredAt && <p id={`${id('occurredAt')}-error`} className="field__error">{form.errors.occurredAt}</p>}
      </fieldset>
      <ChoiceGroup id={id('kind')} label={t('contact.kind')} error={form.errors.kind} required className="choices--inline">
        {CONTACT_KINDS.map((k) => (
          <Choice key={k} type="radio" name="contact-kind" value={k} checked={draft.kind === k} onChange={() => set('kind', k, 'kind')} label={labels.contactKind(k)} />
        ))}
      </ChoiceGroup>
      <FormField id={id('notes')} label={t('contact.notes')} hint={t('contact.notesHint')} error={form.errors.notes} required>
        {(control) => (
          <>
            <textarea {...control} lang="ja" rows={5} value={draft.notes} onChange={(e) => set('notes', e.target.value, 'notes')} aria-describedby={[control['aria-describedby'], `${id('notes')}-count`].filter(Boolean).join(' ')} />
            <CharacterCount id={`${id('notes')}-count`} value={draft.notes} max={NOTES_MAX} />
          </>
        )}
      </FormField>
      <FormField id={id('nextStep')} label={t('contact.nextStep')} hint={t('contact.nextStepHint')}>
        {(control) => <input {...control} type="text" lang="ja" maxLength={1000} value={draft.nextStep} onChange={(e) => set('nextStep', e.target.value, null)} />}
      </FormField>
      {sending.status}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('contact.submit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}
