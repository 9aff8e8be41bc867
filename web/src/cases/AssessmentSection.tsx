import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { Choice, ErrorSummary, FormField } from '../components/Form.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { useIdempotencyKey } from '../drafts/useDraft.ts';
import { useReliableSend } from '../drafts/useReliableSend.tsx';
import {
  assessmentDraftToInput, checkAssessmentDraft, emptyAssessmentDraft, japanToday, LIFE_AREAS, type AssessmentDraft,
} from '../lib/cases.ts';
import { OrgName } from '../network/Names.tsx';
import type { Assessment, LifeArea } from '../types.ts';
import { useResource } from '../useResource.ts';
import { useCaseLabels } from './CaseParts.tsx';
import { Disclosure } from './Disclosure.tsx';
import { useSaid } from './useSaid.tsx';
import { messages, summaryOf, useFormErrors } from './useFormErrors.ts';

/** アセスメント: the person's situation across the eight life areas, newest first (full access only). */
export function AssessmentSection({ caseId, onAdded }: { caseId: string; onAdded(): void }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  const [added, setAdded] = useState(0);
  const [resource, reload] = useResource(`assessments:${caseId}:${added}`, (signal) => api.listAssessments(caseId, signal));
  return (
    <section id="case-assessments" aria-labelledby="case-assessments-heading" className="section" tabIndex={-1}>
      <h2 id="case-assessments-heading">{t('assessment.title')}</h2>
      <Disclosure id="assessment-form" label={t('assessment.add')}>
        {(close) => <AssessmentForm caseId={caseId} onCancel={close} onAdded={() => { close(); say((t) => t('case.notice.assessmentAdded')); setAdded((n) => n + 1); onAdded(); }} />}
      </Disclosure>
      {said}
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (resource.data.items.length === 0
        ? <p className="empty">{t('assessment.empty')}</p>
        : <ul className="records">{resource.data.items.map((a) => <AssessmentItem key={a.id} assessment={a} />)}</ul>)}
    </section>
  );
}

function AssessmentItem({ assessment: a }: { assessment: Assessment }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const areas = [...LIFE_AREAS.filter((k) => a.areas[k]), ...Object.keys(a.areas).filter((k) => !(LIFE_AREAS as readonly string[]).includes(k))];
  return (
    <li className="record card">
      <h3 className="record__title">{t('assessment.itemTitle')} <span className="record__when"><DateText value={a.assessedOn} /></span></h3>
      <p className="record__meta"><OrgName org={a.organization} /></p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr><th scope="col">{t('assessment.areaColumn')}</th><th scope="col">{t('assessment.situation')}</th><th scope="col">{t('assessment.needsSupportColumn')}</th></tr>
          </thead>
          <tbody>
            {areas.map((k) => (
              <tr key={k}>
                <th scope="row">{labels.lifeArea(k)}</th>
                <td><span className="prewrap" lang="ja">{a.areas[k]?.situation || '—'}</span></td>
                <td>{a.areas[k]?.needsSupport ? <Badge tone="consent">{t('assessment.needsSupport')}</Badge> : t('assessment.noSupport')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {a.summary && <p className="record__next"><span className="trail__label">{t('assessment.summary')}：</span><span className="prewrap" lang="ja">{a.summary}</span></p>}
    </li>
  );
}

function AssessmentForm({ caseId, onCancel, onAdded }: { caseId: string; onCancel(): void; onAdded(): void }) {
  const { t } = useTranslation();
  const labels = useCaseLabels();
  const [draft, setDraft] = useState<AssessmentDraft>(() => emptyAssessmentDraft(japanToday(new Date())));
  const [saving, setSaving] = useState(false);
  const key = useIdempotencyKey();
  const sending = useReliableSend({ drafted: false });
  const form = useFormErrors(() => messages(checkAssessmentDraft(draft, japanToday(new Date())), (c) => t(`assessment.errors.${c}`)));
  const setArea = (area: LifeArea, change: Partial<AssessmentDraft['areas'][LifeArea]>) => {
    setDraft((d) => ({ ...d, areas: { ...d.areas, [area]: { ...d.areas[area], ...change } } }));
    form.clear('areas');
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    const body = assessmentDraftToInput(draft);
    const sent = await sending.send(key, (k) => api.addAssessment(caseId, body, k));
    if (sent.ok) {
      onAdded();
      return;
    }
    setSaving(false);
    if (sent.said) return;
    form.fail(sent.error, (f) => {
      const name = f.replace(/^\//, '');
      return name === 'assessedOn' ? 'assessedOn' : name.startsWith('areas') ? 'areas' : null;
    });
  }

  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby="assessment-form-heading">
      <h3 id="assessment-form-heading">{t('assessment.add')}</h3>
      <ErrorSummary errors={summaryOf(form.errors, ['assessedOn', 'areas'], (k) => `assessment-${k}`)} general={form.general} attempt={form.attempt} />
      <FormField id="assessment-assessedOn" label={t('assessment.assessedOn')} error={form.errors.assessedOn} required className="field--short">
        {(control) => <input {...control} type="date" value={draft.assessedOn} onChange={(e) => { setDraft((d) => ({ ...d, assessedOn: e.target.value })); form.clear('assessedOn'); }} />}
      </FormField>
      <div id="assessment-areas" className={form.errors.areas ? 'field field--invalid' : 'field'}>
        <p className="field__label">{t('assessment.areas')}</p>
        <p className="field__hint">{t('assessment.areasHint')}</p>
        {form.errors.areas && <p id="assessment-areas-error" className="field__error">{form.errors.areas}</p>}
        <div className="life-areas">
          {LIFE_AREAS.map((area) => (
            <fieldset key={area} className="life-area">
              <legend>{labels.lifeArea(area)}</legend>
              <label htmlFor={`assessment-area-${area}`} className="visually-hidden">{t('assessment.situationFor', { area: labels.lifeArea(area) })}</label>
              <textarea
                id={`assessment-area-${area}`} lang="ja" rows={2} maxLength={2000} value={draft.areas[area].situation}
                aria-describedby={form.errors.areas ? 'assessment-areas-error' : undefined}
                onChange={(e) => setArea(area, { situation: e.target.value })}
              />
              <Choice
                type="checkbox" name={`assessment-needs-${area}`} value="yes" checked={draft.areas[area].needsSupport}
                onChange={(checked) => setArea(area, { needsSupport: checked })} label={t('assessment.needsSupport')}
              />
            </fieldset>
          ))}
        </div>
      </div>
      <FormField id="assessment-summary" label={t('assessment.summary')}>
        {(control) => <textarea {...control} lang="ja" rows={3} maxLength={4000} value={draft.summary} onChange={(e) => setDraft((d) => ({ ...d, summary: e.target.value }))} />}
      </FormField>
      {sending.status}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('assessment.submit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}
