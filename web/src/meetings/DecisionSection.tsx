import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api.ts';
import { mayViewRules } from '../access.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Choice, ErrorSummary, FormField } from '../components/Form.tsx';
import { messages, summaryOf, useFormErrors } from '../cases/useFormErrors.ts';
import { useSaid } from '../cases/useSaid.tsx';
import { useIdempotencyKey } from '../drafts/useDraft.ts';
import { checkDecisionDraft, decisionInput, MAX_ACTION_ITEMS, type ActionDraftRow, type DecisionDraft } from '../lib/meetings.ts';
import { OrgName, useNameText } from '../network/Names.tsx';
import { useNetwork } from '../network/NetworkProvider.tsx';
import { useSignedInSession } from '../session.tsx';
import type { MeetingActionItem, MeetingSessionDetail } from '../types.ts';
import { useResource } from '../useResource.ts';
import { itemName } from './AgendaSection.tsx';
import { meetingsApi } from './api.ts';

let rowSeq = 0;
const rowKey = () => `a${++rowSeq}`;
const emptyRow = (): ActionDraftRow => ({ key: rowKey(), organizationId: '', description: '', dueOn: '', caseId: '' });
const emptyDraft = (): DecisionDraft => ({ agendaItemId: '', text: '', actions: [], confirmPlan: false, asRule: false, ruleTitle: '', ruleBody: '', routingRuleKey: '', supersedesId: '' });

/** 決定事項 and 対応事項 of the session; the coordinator records decisions here. */
export function DecisionSection({ detail, coordinator, onChanged }: { detail: MeetingSessionDetail; coordinator: boolean; onChanged(next: MeetingSessionDetail): void }) {
  const { t } = useTranslation();
  const labelOf = (itemId: string | null) => {
    const item = detail.agenda.find((i) => i.id === itemId);
    return item ? itemName(t, item) : null;
  };
  return (
    <section aria-labelledby="session-decisions" className="section" data-testid="decisions-section">
      <h2 id="session-decisions">{t('meetings.decisions.title')}</h2>
      {detail.decisions.length === 0 ? <p className="empty">{t('meetings.decisions.none')}</p> : (
        <ul className="records" data-testid="decisions">
          {detail.decisions.map((d) => (
            <li key={d.id} className="record card">
              <p className="record__meta">
                {labelOf(d.agendaItemId) ?? t('meetings.decisions.general')}
                {' ・ '}<DateTimeText value={d.recordedAt} />
                {d.ruleId && <>{' '}<Badge tone="hub">{t('meetings.decisions.rule')}</Badge></>}
                {d.confirmedPlanId && <>{' '}<Badge tone="active">{t('meetings.decisions.planConfirmed')}</Badge></>}
              </p>
              <p className="prewrap" lang="ja">{d.text}</p>
              {d.ruleId && <p className="no-print"><Link to="/rules">{t('meetings.decisions.seeRules')}</Link></p>}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('meetings.actions.title')}</h3>
      <ActionItemsTable items={detail.actionItems} />
      {coordinator && <DecisionForm detail={detail} onChanged={onChanged} />}
    </section>
  );
}

export function ActionItemsTable({ items }: { items: MeetingActionItem[] }) {
  const { t } = useTranslation();
  if (items.length === 0) return <p className="empty">{t('meetings.actions.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="session-action-items">
        <thead>
          <tr>
            <th scope="col">{t('actionItems.organization')}</th><th scope="col">{t('actionItems.description')}</th>
            <th scope="col">{t('actionItems.due')}</th><th scope="col">{t('actionItems.case')}</th><th scope="col">{t('actionItems.status')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id} className={a.overdue ? 'action-item--overdue' : undefined}>
              <td><OrgName org={a.organization} /></td>
              <td lang="ja" className="prewrap">{a.description}</td>
              <td><DateText value={a.dueOn} />{a.overdue && <> <Badge tone="emergency">{t('actionItems.overdue')}</Badge></>}</td>
              <td>{a.case ? (a.case.reference ?? a.case.label) : '—'}</td>
              <td>{t(`actionItems.statusValue.${a.status}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const fieldKey = (serverField: string, rows: ActionDraftRow[]): string | null => {
  const name = serverField.replace(/^\//, '').replace(/\//g, '.');
  const action = /^actionItems[.[](\d+)\]?\.?(\w+)?/.exec(name);
  if (action) {
    const row = rows[Number(action[1])];
    const field = action[2] === 'organizationId' ? 'organization' : action[2] === 'dueOn' ? 'due' : action[2] === 'caseId' ? 'case' : 'description';
    return row ? `action-${row.key}-${field}` : null;
  }
  if (name === 'rule' || name === 'rule.title') return 'ruleTitle';
  if (name === 'rule.body') return 'ruleBody';
  if (name === 'rule.routingRuleKey') return 'routingRuleKey';
  if (name === 'rule.supersedesId') return 'supersedesId';
  if (name === 'confirmPlanId') return 'confirmPlan';
  return ['text', 'agendaItemId'].includes(name) ? name : null;
};

/**
 * 決定を記録する: what was decided (on an item or for the whole session), up
 * to MAX_ACTION_ITEMS action items (who, what, by when, which case), and
 * optionally that it confirms the case's support plan (支援調整会議) or is an
 * agreed rule the city applies from now on (統一見解).
 */
function DecisionForm({ detail, onChanged }: { detail: MeetingSessionDetail; onChanged(next: MeetingSessionDetail): void }) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const names = useNameText();
  const { role } = useSignedInSession();
  const [draft, setDraft] = useState<DecisionDraft>(emptyDraft);
  const [saving, setSaving] = useState(false);
  const [said, say] = useSaid();
  const key = useIdempotencyKey();
  const addRef = useRef<HTMLButtonElement>(null);
  const form = useFormErrors(() => messages(checkDecisionDraft(draft), (c) => t(`meetings.decisions.errors.${c}`, { max: MAX_ACTION_ITEMS })));
  const [rules] = useResource(`agreed-rules:${draft.asRule}`, (signal) => (draft.asRule ? meetingsApi.listRules({}, signal) : Promise.resolve({ items: [] })));
  const [routing] = useResource(`routing-keys:${draft.asRule}`, (signal) =>
    (draft.asRule && mayViewRules(role) ? api.getRoutingRules(null, signal).then((r) => r.rules.map((x) => x.id)) : Promise.resolve([] as string[])));
  const organizations = network.organizations.filter((o) => o.active);
  const item = detail.agenda.find((i) => i.id === draft.agendaItemId);
  const plan = item?.case?.plan ?? null;
  const confirmable = !!plan && !plan.confirmedOn;
  const caseItems = detail.agenda.filter((i) => i.case && i.kind === 'case');
  const p = 'decision';

  const set = (change: Partial<DecisionDraft>, ...fields: string[]) => {
    setDraft((d) => ({ ...d, ...change }));
    form.clear(...fields);
  };
  const setRow = (rowKey: string, change: Partial<ActionDraftRow>, field: string) => {
    setDraft((d) => ({ ...d, actions: d.actions.map((a) => (a.key === rowKey ? { ...a, ...change } : a)) }));
    form.clear(`action-${rowKey}-${field}`);
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      const next = await meetingsApi.recordDecision(detail.id, decisionInput(draft, confirmable ? plan!.id : null), key.current());
      key.renew();
      setDraft(emptyDraft());
      form.reset();
      onChanged(next);
      say((t) => t('meetings.decisions.recorded'));
    } catch (error) {
      form.fail(error, (f) => fieldKey(f, draft.actions));
    } finally {
      setSaving(false);
    }
  }

  const order = ['agendaItemId', 'text', ...draft.actions.flatMap((a) => [`action-${a.key}-organization`, `action-${a.key}-description`, `action-${a.key}-due`, `action-${a.key}-case`]), 'actions', 'confirmPlan', 'ruleTitle', 'ruleBody', 'routingRuleKey', 'supersedesId'];

  return (
    <form className="inline-form no-print decision-form" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby={`${p}-heading`} data-testid="decision-form">
      <h3 id={`${p}-heading`}>{t('meetings.decisions.record')}</h3>
      <ErrorSummary errors={summaryOf(form.errors, order, (k) => `${p}-${k}`)} general={form.general} attempt={form.attempt} />
      <FormField id={`${p}-agendaItemId`} label={t('meetings.decisions.item')} error={form.errors.agendaItemId}>
        {(control) => (
          <select {...control} value={draft.agendaItemId} onChange={(e) => set({ agendaItemId: e.target.value, confirmPlan: false }, 'agendaItemId', 'confirmPlan')}>
            <option value="">{t('meetings.decisions.general')}</option>
            {detail.agenda.map((i, n) => <option key={i.id} value={i.id}>{t('meetings.agenda.number', { n: n + 1 })} {itemName(t, i)}</option>)}
          </select>
        )}
      </FormField>
      <FormField id={`${p}-text`} label={t('meetings.decisions.text')} error={form.errors.text} required>
        {(control) => <textarea {...control} rows={4} lang="ja" maxLength={4000} value={draft.text} onChange={(e) => set({ text: e.target.value }, 'text')} />}
      </FormField>

      <fieldset id={`${p}-actions`} className="field">
        <legend>{t('meetings.decisions.actions')}</legend>
        <p className="field__hint">{t('meetings.decisions.actionsHint', { max: MAX_ACTION_ITEMS })}</p>
        {draft.actions.map((a, i) => (
          <fieldset key={a.key} className="member-row" data-testid="action-row">
            <legend>{t('meetings.decisions.action', { n: i + 1 })}</legend>
            <div className="field-row">
              <FormField id={`${p}-action-${a.key}-organization`} label={t('actionItems.organization')} error={form.errors[`action-${a.key}-organization`]} required>
                {(control) => (
                  <select {...control} value={a.organizationId} onChange={(e) => setRow(a.key, { organizationId: e.target.value }, 'organization')}>
                    <option value="">{t('form.choose')}</option>
                    {organizations.map((o) => <option key={o.id} value={o.id}>{names.org(o)}</option>)}
                  </select>
                )}
              </FormField>
              <FormField id={`${p}-action-${a.key}-due`} label={t('actionItems.due')} error={form.errors[`action-${a.key}-due`]} required className="field--short">
                {(control) => <input {...control} type="date" value={a.dueOn} onChange={(e) => setRow(a.key, { dueOn: e.target.value }, 'due')} />}
              </FormField>
            </div>
            <FormField id={`${p}-action-${a.key}-description`} label={t('actionItems.description')} error={form.errors[`action-${a.key}-description`]} required>
              {(control) => <input {...control} type="text" lang="ja" maxLength={1000} value={a.description} onChange={(e) => setRow(a.key, { description: e.target.value }, 'description')} />}
            </FormField>
            {caseItems.length > 0 && (
              <FormField id={`${p}-action-${a.key}-case`} label={t('actionItems.case')} hint={t('meetings.decisions.caseHint')} error={form.errors[`action-${a.key}-case`]}>
                {(control) => (
                  <select {...control} value={a.caseId} onChange={(e) => setRow(a.key, { caseId: e.target.value }, 'case')}>
                    <option value="">{t('meetings.decisions.caseOfItem')}</option>
                    {caseItems.map((c) => <option key={c.id} value={c.case!.id}>{itemName(t, c)}</option>)}
                  </select>
                )}
              </FormField>
            )}
            <button type="button" className="button button--danger button--small" onClick={() => { setDraft((d) => ({ ...d, actions: d.actions.filter((x) => x.key !== a.key) })); addRef.current?.focus(); }}>
              {t('meetings.decisions.removeAction', { n: i + 1 })}
            </button>
          </fieldset>
        ))}
        {form.errors.actions && <p className="field__error">{form.errors.actions}</p>}
        {draft.actions.length < MAX_ACTION_ITEMS && (
          <button ref={addRef} type="button" className="button button--secondary button--small"
            onClick={() => { const row = emptyRow(); setDraft((d) => ({ ...d, actions: [...d.actions, row] })); requestAnimationFrame(() => document.getElementById(`${p}-action-${row.key}-organization`)?.focus()); }}>
            {t('meetings.decisions.addAction')}
          </button>
        )}
      </fieldset>

      {confirmable && (
        <div className="field" id={`${p}-confirmPlan`}>
          <Choice type="checkbox" name={`${p}-confirm-plan`} value="yes" checked={draft.confirmPlan} onChange={(on) => set({ confirmPlan: on }, 'confirmPlan')}
            label={t('meetings.decisions.confirmPlan', { n: plan!.planNo })} />
          {form.errors.confirmPlan && <p className="field__error">{form.errors.confirmPlan}</p>}
        </div>
      )}

      <div className="field">
        <Choice type="checkbox" name={`${p}-as-rule`} value="yes" checked={draft.asRule} onChange={(on) => set({ asRule: on }, 'ruleTitle', 'ruleBody')} label={t('meetings.decisions.asRule')} />
        <p className="field__hint">{t('meetings.decisions.asRuleHint')}</p>
      </div>
      {draft.asRule && (
        <fieldset className="field">
          <legend>{t('meetings.decisions.ruleTitle')}</legend>
          <FormField id={`${p}-ruleTitle`} label={t('agreedRules.titleLabel')} error={form.errors.ruleTitle} required>
            {(control) => <input {...control} type="text" lang="ja" maxLength={200} value={draft.ruleTitle} onChange={(e) => set({ ruleTitle: e.target.value }, 'ruleTitle')} />}
          </FormField>
          <FormField id={`${p}-ruleBody`} label={t('agreedRules.body')} error={form.errors.ruleBody} required>
            {(control) => <textarea {...control} rows={4} lang="ja" maxLength={4000} value={draft.ruleBody} onChange={(e) => set({ ruleBody: e.target.value }, 'ruleBody')} />}
          </FormField>
          <FormField id={`${p}-routingRuleKey`} label={t('agreedRules.routingRule')} hint={t('meetings.decisions.routingRuleHint')} error={form.errors.routingRuleKey}>
            {(control) => (
              <>
                <input {...control} type="text" list={`${p}-routing-keys`} maxLength={100} value={draft.routingRuleKey} onChange={(e) => set({ routingRuleKey: e.target.value }, 'routingRuleKey')} />
                <datalist id={`${p}-routing-keys`}>{(routing.status === 'ok' ? routing.data : []).map((k) => <option key={k} value={k} />)}</datalist>
              </>
            )}
          </FormField>
          <FormField id={`${p}-supersedesId`} label={t('agreedRules.supersedes')} error={form.errors.supersedesId}>
            {(control) => (
              <select {...control} value={draft.supersedesId} onChange={(e) => set({ supersedesId: e.target.value }, 'supersedesId')}>
                <option value="">{t('meetings.decisions.supersedesNone')}</option>
                {(rules.status === 'ok' ? rules.data.items : []).filter((r) => !r.endedAt).map((r) => (
                  <option key={r.id} value={r.id}>{t('agreedRules.number', { n: r.number })} {r.title}</option>
                ))}
              </select>
            )}
          </FormField>
        </fieldset>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('form.saving') : t('meetings.decisions.submit')}</button>
      </div>
      {said}
    </form>
  );
}
