import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Choice, ErrorSummary, FormField } from '../components/Form.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { useIdempotencyKey } from '../drafts/useDraft.ts';
import { useReliableSend } from '../drafts/useReliableSend.tsx';
import { checkPlanDraft, japanToday, planDraftToInput, type ActionDraft, type GoalDraft, type PlanDraft } from '../lib/cases.ts';
import { OrgName, ProgramName, useNameText } from '../network/Names.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import type { GoalKind, SupportPlan } from '../types.ts';
import { useResource } from '../useResource.ts';
import { PlanConfirmed } from '../meetings/AgendaSection.tsx';
import { Disclosure } from './Disclosure.tsx';
import { useSaid } from './useSaid.tsx';
import { messages, summaryOf, useFormErrors } from './useFormErrors.ts';

/**
 * 支援プラン: goals, who does what by when, and the review date; newest
 * version first. A new version of an existing plan is a 再プラン.
 */
export function PlanSection({ caseId, onCreated }: { caseId: string; onCreated(): void }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  const [created, setCreated] = useState(0);
  const [resource, reload] = useResource(`plans:${caseId}:${created}`, (signal) => api.listPlans(caseId, signal));
  const plans = resource.status === 'ok' ? resource.data.items : [];
  const label = plans.length > 0 ? t('plan.addReplan') : t('plan.add');
  return (
    <section id="case-plans" aria-labelledby="case-plans-heading" className="section" tabIndex={-1}>
      <h2 id="case-plans-heading">{t('plan.title')}</h2>
      {resource.status === 'ok' && (
        <Disclosure id="plan-form" label={label}>
          {(close) => (
            <PlanForm
              caseId={caseId} title={label} latest={plans[0] ?? null} onCancel={close}
              onCreated={(n) => { close(); say((t) => (n === 1 ? t('case.notice.planCreated') : t('case.notice.replanCreated', { n }))); setCreated((c) => c + 1); onCreated(); }}
            />
          )}
        </Disclosure>
      )}
      {said}
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (plans.length === 0
        ? <p className="empty">{t('plan.empty')}</p>
        : <ul className="records" data-testid="plans">{plans.map((p, i) => <PlanItem key={p.id} plan={p} current={i === 0} />)}</ul>)}
    </section>
  );
}

function PlanItem({ plan: p, current }: { plan: SupportPlan; current: boolean }) {
  const { t } = useTranslation();
  const { programsById } = useNetwork();
  const goals = (kind: GoalKind) => p.goals.filter((g) => g.kind === kind);
  return (
    <li className={current ? 'record card plan plan--current' : 'record card plan'}>
      <h3 className="record__title">
        {p.planNo === 1 ? t('plan.first') : t('plan.replan', { n: p.planNo })}
        {current ? <Badge tone="active">{t('plan.current')}</Badge> : <Badge tone="ended">{t('plan.superseded')}</Badge>}
      </h3>
      <p className="record__meta">
        {t('plan.createdAt')}：<DateTimeText value={p.createdAt} />
        {' ・ '}{t('plan.reviewDate')}：<strong><DateText value={p.reviewDate} /></strong>
        {' ・ '}{p.personAgreed ? <>{t('plan.agreed')}{p.agreedOn && <>（<DateText value={p.agreedOn} />）</>}</> : t('plan.notAgreed')}
        {p.confirmedOn && <>{' ・ '}<PlanConfirmed on={p.confirmedOn} meeting={p.confirmedIn} /></>}
      </p>
      {(['long', 'short'] as const).map((kind) => goals(kind).length > 0 && (
        <div key={kind} className="plan__goals">
          <h4>{t(`plan.goalKind.${kind}`)}</h4>
          <ul className="plain-list">{goals(kind).map((g, i) => <li key={i} lang="ja">{g.text}</li>)}</ul>
        </div>
      ))}
      <h4>{t('plan.actions')}</h4>
      {p.actions.length === 0
        ? <p className="empty">{t('plan.noActions')}</p>
        : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('plan.actionDescription')}</th>
                  <th scope="col">{t('plan.actionOrganization')}</th>
                  <th scope="col">{t('plan.actionProgram')}</th>
                  <th scope="col">{t('plan.actionDue')}</th>
                </tr>
              </thead>
              <tbody>
                {p.actions.map((a) => {
                  const program = a.programId ? programsById.get(a.programId) : undefined;
                  return (
                    <tr key={a.seq}>
                      <td lang="ja">{a.description}</td>
                      <td><OrgName org={a.organization} /></td>
                      <td>{program ? <ProgramName program={program} /> : '—'}</td>
                      <td>{a.dueDate ? <DateText value={a.dueDate} /> : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
    </li>
  );
}

let rowSeq = 0;
const rowKey = () => `r${++rowSeq}`;

/** A new plan starts from the latest one (a 再プラン usually changes part of it), or empty. */
function draftFrom(latest: SupportPlan | null): PlanDraft {
  if (!latest) return { goals: [{ key: rowKey(), kind: 'long', text: '' }, { key: rowKey(), kind: 'short', text: '' }], actions: [], reviewDate: '', personAgreed: false, agreedOn: '' };
  return {
    goals: latest.goals.map((g) => ({ key: rowKey(), ...g })),
    actions: latest.actions.map((a) => ({ key: rowKey(), description: a.description, organizationId: a.organization.id, programId: a.programId ?? '', dueDate: a.dueDate ?? '' })),
    reviewDate: '', personAgreed: false, agreedOn: '',
  };
}

interface PlanFormProps {
  caseId: string;
  title: string;
  latest: SupportPlan | null;
  onCancel(): void;
  onCreated(planNo: number): void;
}

function PlanForm({ caseId, title, latest, onCancel, onCreated }: PlanFormProps) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const names = useNameText();
  const [draft, setDraft] = useState<PlanDraft>(() => draftFrom(latest));
  const [saving, setSaving] = useState(false);
  const key = useIdempotencyKey();
  const sending = useReliableSend({ drafted: false });
  const addGoalRef = useRef<HTMLButtonElement>(null);
  const addActionRef = useRef<HTMLButtonElement>(null);
  const today = () => japanToday(new Date());
  const form = useFormErrors(() => messages(checkPlanDraft(draft, today()), (c) => t(`plan.errors.${c}`)));
  const organizations = network.organizations.filter((o) => o.active);
  const programs = network.programs.filter((p) => p.active && p.status === 'active');

  const setGoal = (key: string, change: Partial<GoalDraft>) => {
    setDraft((d) => ({ ...d, goals: d.goals.map((g) => (g.key === key ? { ...g, ...change } : g)) }));
    form.clear('goals');
  };
  const setAction = (key: string, change: Partial<ActionDraft>, field: string) => {
    setDraft((d) => ({ ...d, actions: d.actions.map((a) => (a.key === key ? { ...a, ...change } : a)) }));
    form.clear(`action-${key}-${field}`);
  };
  const focusLater = (id: string) => requestAnimationFrame(() => document.getElementById(id)?.focus());

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    const body = planDraftToInput(draft);
    const result = await sending.send(key, (k) => api.createPlan(caseId, body, k));
    if (result.ok) {
      onCreated(result.value.planNo);
      return;
    }
    setSaving(false);
    if (result.said) return;
    const sent = draft.actions.filter((a) => a.description.trim() || a.organizationId || a.dueDate);
    form.fail(result.error, (f) => {
      const name = f.replace(/^\//, '').replace(/\//g, '.');
      const action = /^actions[.[](\d+)\]?\.?(\w+)?/.exec(name);
      if (action) {
        const row = sent[Number(action[1])];
        const field = action[2] === 'organizationId' ? 'organization' : action[2] === 'dueDate' ? 'due' : 'description';
        return row ? `action-${row.key}-${field}` : null;
      }
      if (name.startsWith('goals')) return 'goals';
      return ['reviewDate', 'agreedOn'].includes(name) ? name : null;
    });
  }

  const order = ['goals', ...draft.actions.flatMap((a) => [`action-${a.key}-description`, `action-${a.key}-organization`, `action-${a.key}-due`]), 'reviewDate', 'agreedOn'];

  return (
    <form className="inline-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby="plan-form-heading">
      <h3 id="plan-form-heading">{title}</h3>
      {latest && <p className="section__hint">{t('plan.replanHint', { n: latest.planNo + 1 })}</p>}
      <ErrorSummary errors={summaryOf(form.errors, order, (k) => `plan-${k}`)} general={form.general} attempt={form.attempt} />

      <fieldset id="plan-goals" className={form.errors.goals ? 'field field--invalid' : 'field'} aria-describedby={form.errors.goals ? 'plan-goals-error' : undefined}>
        <legend>{t('plan.goals')}</legend>
        {draft.goals.map((g, i) => (
          <div key={g.key} className="field-row field-row--end plan-row">
            <div className="field field--short">
              <label htmlFor={`plan-goal-${g.key}-kind`}>{t('plan.goalKindLabel', { n: i + 1 })}</label>
              <select id={`plan-goal-${g.key}-kind`} value={g.kind} onChange={(e) => setGoal(g.key, { kind: e.target.value as GoalKind })}>
                <option value="long">{t('plan.goalKind.long')}</option>
                <option value="short">{t('plan.goalKind.short')}</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor={`plan-goal-${g.key}-text`}>{t('plan.goalText', { n: i + 1 })}</label>
              <input id={`plan-goal-${g.key}-text`} type="text" lang="ja" maxLength={1000} value={g.text} onChange={(e) => setGoal(g.key, { text: e.target.value })} />
            </div>
            {draft.goals.length > 1 && (
              <div className="field">
                <button type="button" className="button button--danger button--small" onClick={() => { setDraft((d) => ({ ...d, goals: d.goals.filter((x) => x.key !== g.key) })); addGoalRef.current?.focus(); }}>
                  {t('plan.removeGoal', { n: i + 1 })}
                </button>
              </div>
            )}
          </div>
        ))}
        {form.errors.goals && <p id="plan-goals-error" className="field__error">{form.errors.goals}</p>}
        <button
          ref={addGoalRef} type="button" className="button button--secondary button--small"
          onClick={() => { const key = rowKey(); setDraft((d) => ({ ...d, goals: [...d.goals, { key, kind: 'short', text: '' }] })); focusLater(`plan-goal-${key}-text`); }}
        >
          {t('plan.addGoal')}
        </button>
      </fieldset>

      <fieldset className="field">
        <legend>{t('plan.actions')}</legend>
        <p className="field__hint">{t('plan.actionsHint')}</p>
        {draft.actions.map((a, i) => (
          <fieldset key={a.key} className="member-row">
            <legend>{t('plan.action', { n: i + 1 })}</legend>
            <FormField id={`plan-action-${a.key}-description`} label={t('plan.actionDescription')} error={form.errors[`action-${a.key}-description`]} required>
              {(control) => <input {...control} type="text" lang="ja" maxLength={1000} value={a.description} onChange={(e) => setAction(a.key, { description: e.target.value }, 'description')} />}
            </FormField>
            <div className="field-row">
              <FormField id={`plan-action-${a.key}-organization`} label={t('plan.actionOrganization')} error={form.errors[`action-${a.key}-organization`]} required>
                {(control) => (
                  <select {...control} value={a.organizationId} onChange={(e) => setAction(a.key, { organizationId: e.target.value }, 'organization')}>
                    <option value="">{t('form.choose')}</option>
                    {organizations.map((o) => <option key={o.id} value={o.id}>{names.org(o)}</option>)}
                  </select>
                )}
              </FormField>
              <FormField id={`plan-action-${a.key}-program`} label={t('plan.actionProgram')}>
                {(control) => (
                  <select {...control} value={a.programId} onChange={(e) => setAction(a.key, { programId: e.target.value }, 'program')}>
                    <option value="">{t('plan.noProgram')}</option>
                    {programs.map((p) => <option key={p.id} value={p.id}>{names.program(p)}</option>)}
                  </select>
                )}
              </FormField>
              <FormField id={`plan-action-${a.key}-due`} label={t('plan.actionDue')} error={form.errors[`action-${a.key}-due`]} className="field--short">
                {(control) => <input {...control} type="date" value={a.dueDate} onChange={(e) => setAction(a.key, { dueDate: e.target.value }, 'due')} />}
              </FormField>
            </div>
            <button type="button" className="button button--danger button--small" onClick={() => { setDraft((d) => ({ ...d, actions: d.actions.filter((x) => x.key !== a.key) })); addActionRef.current?.focus(); }}>
              {t('plan.removeAction', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        <button
          ref={addActionRef} type="button" className="button button--secondary button--small"
          onClick={() => {
            const key = rowKey();
            setDraft((d) => ({ ...d, actions: [...d.actions, { key, description: '', organizationId: '', programId: '', dueDate: '' }] }));
            focusLater(`plan-action-${key}-description`);
          }}
        >
          {t('plan.addAction')}
        </button>
      </fieldset>

      <FormField id="plan-reviewDate" label={t('plan.reviewDate')} hint={t('plan.reviewDateHint')} error={form.errors.reviewDate} required className="field--short">
        {(control) => <input {...control} type="date" value={draft.reviewDate} onChange={(e) => { setDraft((d) => ({ ...d, reviewDate: e.target.value })); form.clear('reviewDate'); }} />}
      </FormField>
      <div className="field">
        <Choice
          type="checkbox" name="plan-agreed" value="yes" checked={draft.personAgreed}
          onChange={(checked) => { setDraft((d) => ({ ...d, personAgreed: checked, agreedOn: checked && !d.agreedOn ? today() : d.agreedOn })); form.clear('agreedOn'); }}
          label={t('plan.personAgreed')}
        />
      </div>
      {draft.personAgreed && (
        <FormField id="plan-agreedOn" label={t('plan.agreedOn')} error={form.errors.agreedOn} required className="field--short">
          {(control) => <input {...control} type="date" value={draft.agreedOn} onChange={(e) => { setDraft((d) => ({ ...d, agreedOn: e.target.value })); form.clear('agreedOn'); }} />}
        </FormField>
      )}
      {sending.status}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('plan.submit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}
