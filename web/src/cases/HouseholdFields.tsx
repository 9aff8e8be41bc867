import type { TFunction } from 'i18next';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { FormField } from '../components/Form.tsx';
import { emptyMember, RELATION_SUGGESTIONS, type MemberDraft, type MemberErrorCode, type MemberField } from '../lib/person.ts';
import type { FormErrors } from './useFormErrors.ts';

/** Error keys (and control ids, with the prefix) of a household row's fields. */
export const memberKey = (rowKey: string, field: MemberField) => `member-${rowKey}-${field}`;

export function memberErrors(t: TFunction, byRow: Record<string, Partial<Record<MemberField, MemberErrorCode>>>): FormErrors {
  const out: FormErrors = {};
  for (const [row, fields] of Object.entries(byRow)) {
    if (fields.relation) out[memberKey(row, 'relation')] = t('household.errors.relationRequired');
    if (fields.birthDate === 'birthDateInvalid' || fields.birthDate === 'birthDateFuture') out[memberKey(row, 'birthDate')] = t(`person.errors.${fields.birthDate}`);
  }
  return out;
}

interface HouseholdFieldsProps {
  rows: MemberDraft[];
  onChange(rows: MemberDraft[], changedKeys: string[]): void;
  errors: FormErrors;
  idPrefix: string;
}

/**
 * The person's household, one row per member: 続柄 (required) and, as far as
 * known, name, reading and birth date — the 80-year-old mother of an 8050 case.
 */
export function HouseholdFields({ rows, onChange, errors, idPrefix }: HouseholdFieldsProps) {
  const { t } = useTranslation();
  const addRef = useRef<HTMLButtonElement>(null);
  const seq = useRef(0);
  const id = (key: string) => `${idPrefix}-${key}`;
  const update = (rowKey: string, field: keyof MemberDraft, value: string) =>
    onChange(rows.map((r) => (r.key === rowKey ? { ...r, [field]: value } : r)), [memberKey(rowKey, field === 'birthDate' ? 'birthDate' : 'relation')]);

  function add() {
    const key = `m${Date.now().toString(36)}${seq.current++}`;
    onChange([...rows, emptyMember(key)], []);
    // The new row's first field, so typing can start at once.
    requestAnimationFrame(() => document.getElementById(id(memberKey(key, 'relation')))?.focus());
  }

  function remove(rowKey: string) {
    onChange(rows.filter((r) => r.key !== rowKey), [memberKey(rowKey, 'relation'), memberKey(rowKey, 'birthDate')]);
    addRef.current?.focus();
  }

  return (
    <div className="household-fields">
      {rows.length === 0 && <p className="empty">{t('household.noneYet')}</p>}
      {rows.map((row, i) => (
        <fieldset key={row.key} className="member-row" data-testid="member-row">
          <legend>{t('household.member', { n: i + 1 })}</legend>
          <p id={id(`member-${row.key}-hint`)} className="field__hint">{t('household.relationHint')}</p>
          <div className="field-row">
            <FormField id={id(memberKey(row.key, 'relation'))} label={t('household.relation')} error={errors[memberKey(row.key, 'relation')]} required className="field--short">
              {(control) => (
                <input
                  {...control} type="text" lang="ja" maxLength={30} list={`${idPrefix}-relations`} autoComplete="off" value={row.relation}
                  aria-describedby={[id(`member-${row.key}-hint`), control['aria-describedby']].filter(Boolean).join(' ')}
                  onChange={(e) => update(row.key, 'relation', e.target.value)}
                />
              )}
            </FormField>
            <FormField id={id(`member-${row.key}-name`)} label={t('person.name')}>
              {(control) => <input {...control} type="text" lang="ja" maxLength={100} autoComplete="off" value={row.name} onChange={(e) => update(row.key, 'name', e.target.value)} />}
            </FormField>
            <FormField id={id(`member-${row.key}-kana`)} label={t('person.nameKana')}>
              {(control) => <input {...control} type="text" lang="ja" maxLength={100} autoComplete="off" value={row.nameKana} onChange={(e) => update(row.key, 'nameKana', e.target.value)} />}
            </FormField>
            <FormField id={id(memberKey(row.key, 'birthDate'))} label={t('person.birthDate')} error={errors[memberKey(row.key, 'birthDate')]} className="field--short">
              {(control) => <input {...control} type="date" value={row.birthDate} onChange={(e) => update(row.key, 'birthDate', e.target.value)} />}
            </FormField>
          </div>
          <button type="button" className="button button--danger button--small" onClick={() => remove(row.key)}>
            {t('household.remove', { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      <datalist id={`${idPrefix}-relations`}>
        {RELATION_SUGGESTIONS.map((r) => <option key={r} value={r} />)}
      </datalist>
      <button ref={addRef} type="button" className="button button--secondary" onClick={add}>{t('household.add')}</button>
    </div>
  );
}
