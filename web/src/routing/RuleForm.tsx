import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Choice, ChoiceGroup, ErrorSummary, FormField, useRecheckOnLanguageChange } from '../components/Form.tsx';
import {
  checkRuleDraft, draftToRule, RULE_DRAFT_FIELDS, type RuleDraft, type RuleDraftField, type RuleError,
} from '../lib/rules.ts';
import { useNameText } from '../network/Names.tsx';
import { useNetwork, useVocabulary } from '../network/NetworkProvider.tsx';
import type { RoutingRule, VocabularyName } from '../types.ts';

interface RuleFormProps {
  initial: RuleDraft;
  isNew: boolean;
  /** Keys of the other rules, which this one may not take. */
  otherIds: readonly string[];
  /** What the server said about this rule on the last save. */
  serverErrors: readonly RuleError[];
  onApply(rule: RoutingRule): void;
  onCancel(): void;
}

const fieldId = (field: RuleDraftField) => `rule-${field}`;

/**
 * One rule's conditions, destination and reasons, with proper inputs for
 * each. Applying puts the rule into the draft; nothing is saved until the
 * whole draft is saved with a note.
 */
export function RuleForm({ initial, isNew, otherIds, serverErrors, onApply, onCancel }: RuleFormProps) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<Partial<Record<RuleDraftField, string>>>(() => {
    const fromServer: Partial<Record<RuleDraftField, string>> = {};
    for (const e of serverErrors) if (e.field) fromServer[e.field] ??= e.message;
    return fromServer;
  });
  const general = serverErrors.filter((e) => !e.field).map((e) => e.message).join(' ') || null;
  const [attempt, setAttempt] = useState(0);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    // A corrected field no longer says it is wrong.
    const field = errorFieldOf(key);
    if (field && errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const [checkedHere, setCheckedHere] = useState(false);
  const check = () => {
    const codes = checkRuleDraft(draft, otherIds);
    const found: Partial<Record<RuleDraftField, string>> = {};
    for (const field of RULE_DRAFT_FIELDS) {
      const code = codes[field];
      if (code) found[field] = t(`rules.form.errors.${code}`);
    }
    return found;
  };
  useRecheckOnLanguageChange(checkedHere, () => setErrors(check()));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = check();
    setErrors(found);
    setCheckedHere(true);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    onApply(draftToRule(draft));
  }

  const summary = RULE_DRAFT_FIELDS.filter((f) => errors[f]).map((f) => ({ id: fieldId(f), message: errors[f]! }));
  const multi = (field: 'schoolStages' | 'issueTagsAny' | 'issueTagsAll' | 'channels' | 'consulterRelations', vocabulary: VocabularyName) => (
    <VocabularyChecks
      id={fieldId(field)} label={t(`rules.form.${field}`)} vocabulary={vocabulary} values={draft[field]}
      onChange={(values) => set(field, values)} error={errors[field]}
    />
  );

  return (
    <form className="rule-form" onSubmit={onSubmit} noValidate aria-labelledby="rule-form-heading">
      <h3 id="rule-form-heading" ref={headingRef} tabIndex={-1}>
        {isNew ? t('rules.form.titleNew') : t('rules.form.titleEdit', { key: initial.id })}
      </h3>
      <ErrorSummary errors={summary} general={general} attempt={attempt} />
      <div className="field-row">
        <FormField id={fieldId('id')} label={t('rules.form.key')} hint={t('rules.form.keyHint')} error={errors.id} required>
          {(control) => <input {...control} type="text" autoComplete="off" spellCheck={false} value={draft.id} onChange={(e) => set('id', e.target.value)} />}
        </FormField>
        <FormField id={fieldId('priority')} label={t('rules.form.priority')} hint={t('rules.form.priorityHint')} error={errors.priority} required className="field--short">
          {(control) => <input {...control} type="text" inputMode="numeric" value={draft.priority} onChange={(e) => set('priority', e.target.value)} />}
        </FormField>
      </div>

      <fieldset className="form-section">
        <legend>{t('rules.form.conditions')}</legend>
        <p className="field__hint">{t('rules.form.conditionsHint')}</p>
        <fieldset id={fieldId('age')} className={errors.age ? 'field field--invalid' : 'field'} aria-describedby={errors.age ? `${fieldId('age')}-error` : undefined}>
          <legend>{t('consultation.age')}</legend>
          <div className="field-row">
            <div className="field field--short">
              <label htmlFor="rule-ageMin">{t('rules.form.ageMin')}</label>
              <input id="rule-ageMin" type="text" inputMode="numeric" value={draft.ageMin} onChange={(e) => set('ageMin', e.target.value)} aria-invalid={errors.age ? true : undefined} />
            </div>
            <div className="field field--short">
              <label htmlFor="rule-ageMax">{t('rules.form.ageMax')}</label>
              <input id="rule-ageMax" type="text" inputMode="numeric" value={draft.ageMax} onChange={(e) => set('ageMax', e.target.value)} aria-invalid={errors.age ? true : undefined} />
            </div>
          </div>
          {errors.age && <p id={`${fieldId('age')}-error`} className="field__error">{errors.age}</p>}
        </fieldset>
        {multi('schoolStages', 'schoolStages')}
        {multi('issueTagsAny', 'issueTags')}
        {multi('issueTagsAll', 'issueTags')}
        {network.areas.length > 0 && (
          <ChoiceGroup id={fieldId('areas')} label={t('rules.form.areas')} error={errors.areas} className="choices--grid">
            {network.areas.map((a) => (
              <Choice
                key={a.key} type="checkbox" name="rule-areas" value={a.key} checked={draft.areas.includes(a.key)} lang="ja" label={a.name}
                onChange={(on) => set('areas', toggle(draft.areas, a.key, on))}
              />
            ))}
          </ChoiceGroup>
        )}
        {multi('channels', 'channels')}
        {multi('consulterRelations', 'consulterRelations')}
        <div className="field-row">
          <FormField id={fieldId('minDistinctIssues')} label={t('rules.form.minDistinctIssues')} error={errors.minDistinctIssues} className="field--short">
            {(control) => <input {...control} type="text" inputMode="numeric" value={draft.minDistinctIssues} onChange={(e) => set('minDistinctIssues', e.target.value)} />}
          </FormField>
          <FormField id={fieldId('minOrganizationsInvolved')} label={t('rules.form.minOrganizationsInvolved')} error={errors.minOrganizationsInvolved} className="field--short">
            {(control) => <input {...control} type="text" inputMode="numeric" value={draft.minOrganizationsInvolved} onChange={(e) => set('minOrganizationsInvolved', e.target.value)} />}
          </FormField>
        </div>
        <ChoiceGroup id={fieldId('cannotVisit')} label={t('rules.form.cannotVisit')} error={errors.cannotVisit} className="choices--inline">
          {(['', 'yes', 'no'] as const).map((v) => (
            <Choice
              key={v} type="radio" name="rule-cannotVisit" value={v} checked={draft.cannotVisit === v} onChange={() => set('cannotVisit', v)}
              label={t(v === '' ? 'rules.form.cannotVisitAny' : v === 'yes' ? 'rules.form.cannotVisitYes' : 'rules.form.cannotVisitNo')}
            />
          ))}
        </ChoiceGroup>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('rules.form.destination')}</legend>
        <Destination draft={draft} set={set} error={errors.destination} />
        <ViaList via={draft.via} onChange={(via) => set('via', via)} error={errors.via} />
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('rules.reason')}</legend>
        <FormField id={fieldId('reason')} label={t('rules.form.reason')} hint={t('rules.form.reasonHint')} error={errors.reason} required>
          {(control) => <textarea {...control} rows={3} value={draft.reason} onChange={(e) => set('reason', e.target.value)} />}
        </FormField>
        <FormField id={fieldId('reasonEn')} label={t('rules.form.reasonEn')} error={errors.reasonEn}>
          {(control) => <textarea {...control} rows={2} lang="en" value={draft.reasonEn} onChange={(e) => set('reasonEn', e.target.value)} />}
        </FormField>
        <FormField id={fieldId('publicReason')} label={t('rules.form.publicReason')} error={errors.publicReason}>
          {(control) => <textarea {...control} rows={2} value={draft.publicReason} onChange={(e) => set('publicReason', e.target.value)} />}
        </FormField>
      </fieldset>

      <div className="form-actions">
        <button type="submit" className="button">{t('rules.form.apply')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}

function errorFieldOf(key: keyof RuleDraft): RuleDraftField | null {
  if (key === 'ageMin' || key === 'ageMax') return 'age';
  if (key === 'targetKind' || key === 'organization' || key === 'program') return 'destination';
  if (key === 'source') return null;
  return key;
}

const toggle = (values: readonly string[], value: string, on: boolean) =>
  on ? [...new Set([...values, value])] : values.filter((v) => v !== value);

function VocabularyChecks({ id, label, vocabulary, values, onChange, error }: {
  id: string; label: string; vocabulary: VocabularyName; values: string[]; onChange(values: string[]): void; error?: string;
}) {
  const { vocabularies } = useNetwork();
  const { label: term } = useVocabulary();
  return (
    <ChoiceGroup id={id} label={label} error={error} className="choices--grid">
      {vocabularies[vocabulary].map(({ code }) => (
        <Choice
          key={code} type="checkbox" name={id} value={code} checked={values.includes(code)} label={term(vocabulary, code)}
          onChange={(on) => onChange(toggle(values, code, on))}
        />
      ))}
    </ChoiceGroup>
  );
}

type Set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => void;

function Destination({ draft, set, error }: { draft: RuleDraft; set: Set; error?: string }) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const names = useNameText();
  return (
    <>
      <ChoiceGroup id="rule-targetKind" label={t('rules.destination')} className="choices--inline">
        {(['organization', 'program'] as const).map((kind) => (
          <Choice
            key={kind} type="radio" name="rule-targetKind" value={kind} checked={draft.targetKind === kind} onChange={() => set('targetKind', kind)}
            label={t(kind === 'organization' ? 'rules.form.targetOrganization' : 'rules.form.targetProgram')}
          />
        ))}
      </ChoiceGroup>
      {draft.targetKind === 'organization'
        ? (
          <FormField id={fieldId('destination')} label={t('rules.form.organization')} error={error} required>
            {(control) => (
              <select {...control} value={draft.organization} onChange={(e) => set('organization', e.target.value)}>
                <option value="">{t('form.choose')}</option>
                {network.organizations.map((o) => <option key={o.key} value={o.key}>{names.org(o)}</option>)}
              </select>
            )}
          </FormField>
        )
        : (
          <FormField id={fieldId('destination')} label={t('rules.form.program')} error={error} required>
            {(control) => (
              <select {...control} value={draft.program} onChange={(e) => set('program', e.target.value)}>
                <option value="">{t('form.choose')}</option>
                {network.programs.map((p) => <option key={p.key} value={p.key}>{names.program(p)}</option>)}
              </select>
            )}
          </FormField>
        )}
    </>
  );
}

/** Organisations the consultation passes through before its destination, in order. */
function ViaList({ via, onChange, error }: { via: string[]; onChange(via: string[]): void; error?: string }) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const names = useNameText();
  const [adding, setAdding] = useState('');
  const move = (i: number, delta: -1 | 1) => {
    const next = [...via];
    [next[i], next[i + delta]] = [next[i + delta]!, next[i]!];
    onChange(next);
  };
  return (
    <fieldset id={fieldId('via')} className={error ? 'field field--invalid' : 'field'} aria-describedby={`${fieldId('via')}-hint`}>
      <legend>{t('rules.form.via')}</legend>
      <p id={`${fieldId('via')}-hint`} className="field__hint">{t('rules.form.viaHint')}</p>
      {via.length === 0
        ? <p className="empty">{t('rules.form.viaNone')}</p>
        : (
          <ol className="via-list">
            {via.map((key, i) => {
              const name = names.orgKey(key);
              return (
                <li key={key}>
                  <span>{name}</span>
                  <button type="button" className="button button--small button--secondary" disabled={i === 0} onClick={() => move(i, -1)}
                    aria-label={t('rules.form.viaUp', { name })}><span aria-hidden="true">↑</span></button>
                  <button type="button" className="button button--small button--secondary" disabled={i === via.length - 1} onClick={() => move(i, 1)}
                    aria-label={t('rules.form.viaDown', { name })}><span aria-hidden="true">↓</span></button>
                  <button type="button" className="button button--small button--danger" onClick={() => onChange(via.filter((k) => k !== key))}
                    aria-label={t('rules.form.viaRemove', { name })}>{t('rules.delete')}</button>
                </li>
              );
            })}
          </ol>
        )}
      <div className="field-row field-row--end">
        <div className="field">
          <label htmlFor="rule-via-add">{t('rules.form.viaChoose')}</label>
          <select id="rule-via-add" value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">{t('form.choose')}</option>
            {network.organizations.filter((o) => !via.includes(o.key)).map((o) => <option key={o.key} value={o.key}>{names.org(o)}</option>)}
          </select>
        </div>
        <div className="field">
          <button type="button" className="button button--secondary" disabled={!adding}
            onClick={() => { onChange([...via, adding]); setAdding(''); }}>
            {t('rules.form.viaAdd')}
          </button>
        </div>
      </div>
      {error && <p className="field__error">{error}</p>}
    </fieldset>
  );
}
