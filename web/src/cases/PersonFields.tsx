import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Choice, ChoiceGroup, FormField } from '../components/Form.tsx';
import { AgeBandSelect } from '../consultations/IntakeFields.tsx';
import { GENDER_SUGGESTIONS, PERSON_FIELDS, type PersonDraft, type PersonErrorCode, type PersonField } from '../lib/person.ts';
import { useNetwork } from '../network/NetworkProvider.tsx';
import type { FormErrors } from './useFormErrors.ts';

/** The id of a person field's control (or group): error summaries link to it. */
export const personFieldId = (prefix: string, field: PersonField) => `${prefix}-${field}`;

/** The form's own checks, in the UI language. */
export function personErrors(t: TFunction, codes: Partial<Record<PersonField, PersonErrorCode>>): FormErrors {
  const out: FormErrors = {};
  for (const field of PERSON_FIELDS) {
    const code = codes[field];
    if (code) out[field] = t(`person.errors.${code}`);
  }
  return out;
}

interface PersonFieldsProps {
  draft: PersonDraft;
  onChange(update: (draft: PersonDraft) => PersonDraft, fields: PersonField[]): void;
  errors: FormErrors;
  idPrefix: string;
  /** Shown right after name, reading and birth date (the new-case form's duplicate check). */
  children?: ReactNode;
}

/**
 * A person's details: 氏名, ふりがな, 生年月日 or 年代, 性別 as recorded,
 * 電話, メール, 住所, 圏域. Everything may be unknown.
 */
export function PersonFields({ draft, onChange, errors, idPrefix, children }: PersonFieldsProps) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  const id = (field: PersonField) => personFieldId(idPrefix, field);
  const set = <K extends keyof PersonDraft>(key: K, value: PersonDraft[K], field: PersonField) => onChange((d) => ({ ...d, [key]: value }), [field]);
  return (
    <>
      <PersonNameFields draft={draft} onChange={onChange} errors={errors} idPrefix={idPrefix} />
      <PersonAge draft={draft} set={set} idPrefix={idPrefix} error={errors.age} />
      {children}
      <FormField id={id('gender')} label={t('person.gender')} hint={t('person.genderHint')} error={errors.gender} className="field--medium">
        {(control) => (
          <>
            <input {...control} type="text" maxLength={20} list={`${idPrefix}-gender-suggestions`} autoComplete="off" value={draft.gender} onChange={(e) => set('gender', e.target.value, 'gender')} />
            <datalist id={`${idPrefix}-gender-suggestions`}>
              {GENDER_SUGGESTIONS.map((g) => <option key={g} value={g} />)}
            </datalist>
          </>
        )}
      </FormField>
      <div className="field-row">
        <FormField id={id('phone')} label={t('person.phone')} error={errors.phone}>
          {(control) => <input {...control} type="tel" maxLength={30} autoComplete="off" value={draft.phone} onChange={(e) => set('phone', e.target.value, 'phone')} />}
        </FormField>
        <FormField id={id('email')} label={t('person.email')} error={errors.email}>
          {(control) => <input {...control} type="email" maxLength={200} autoComplete="off" value={draft.email} onChange={(e) => set('email', e.target.value, 'email')} />}
        </FormField>
      </div>
      <FormField id={id('address')} label={t('person.address')} error={errors.address}>
        {(control) => <input {...control} type="text" maxLength={300} autoComplete="off" value={draft.address} onChange={(e) => set('address', e.target.value, 'address')} />}
      </FormField>
      {network.areas.length > 0 && (
        <FormField id={id('areaId')} label={t('person.area')} error={errors.areaId} className="field--medium">
          {(control) => (
            <select {...control} value={draft.areaId} onChange={(e) => set('areaId', e.target.value, 'areaId')}>
              <option value="">{t('person.areaUnknown')}</option>
              {network.areas.map((a) => <option key={a.id} value={a.id} lang="ja">{a.name}</option>)}
            </select>
          )}
        </FormField>
      )}
    </>
  );
}

/** 氏名 and ふりがな side by side. */
function PersonNameFields({ draft, onChange, errors, idPrefix }: Omit<PersonFieldsProps, 'children'>) {
  const { t } = useTranslation();
  const id = (field: PersonField) => personFieldId(idPrefix, field);
  return (
    <div className="field-row">
      <FormField id={id('name')} label={t('person.name')} hint={t('person.nameHint')} error={errors.name}>
        {(control) => (
          <input {...control} type="text" lang="ja" maxLength={100} autoComplete="off" value={draft.name} onChange={(e) => onChange((d) => ({ ...d, name: e.target.value }), ['name'])} />
        )}
      </FormField>
      <FormField id={id('nameKana')} label={t('person.nameKana')} hint={t('person.nameKanaHint')} error={errors.nameKana}>
        {(control) => (
          <input {...control} type="text" lang="ja" maxLength={100} autoComplete="off" value={draft.nameKana} onChange={(e) => onChange((d) => ({ ...d, nameKana: e.target.value }), ['nameKana'])} />
        )}
      </FormField>
    </div>
  );
}

type Set = <K extends keyof PersonDraft>(key: K, value: PersonDraft[K], field: PersonField) => void;

/** Birth date known / only the age group (年代) / unknown: the intake form's age choice, with a birth date instead of an age. */
function PersonAge({ draft, set, idPrefix, error }: { draft: PersonDraft; set: Set; idPrefix: string; error?: string }) {
  const { t } = useTranslation();
  const id = personFieldId(idPrefix, 'age');
  const name = `${idPrefix}-ageMode`;
  const errorProps = { 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined } as const;
  return (
    <ChoiceGroup id={id} label={t('person.age')} error={error} className="age-choice">
      <div className="age-choice__option">
        <Choice type="radio" name={name} value="birthDate" checked={draft.ageMode === 'birthDate'} onChange={() => set('ageMode', 'birthDate', 'age')} label={t('person.birthDateKnown')} />
        {draft.ageMode === 'birthDate' && (
          <span className="age-choice__detail">
            <label htmlFor={`${id}-date`}>{t('person.birthDate')}</label>
            <input id={`${id}-date`} type="date" value={draft.birthDate} onChange={(e) => set('birthDate', e.target.value, 'age')} {...errorProps} />
          </span>
        )}
      </div>
      <div className="age-choice__option">
        <Choice type="radio" name={name} value="band" checked={draft.ageMode === 'band'} onChange={() => set('ageMode', 'band', 'age')} label={t('person.ageBandOnly')} />
        {draft.ageMode === 'band' && (
          <span className="age-choice__detail">
            <label htmlFor={`${id}-band`}>{t('person.ageBand')}</label>
            <AgeBandSelect id={`${id}-band`} value={draft.ageBand} onChange={(v) => set('ageBand', v, 'age')} errorProps={errorProps} />
          </span>
        )}
      </div>
      <div className="age-choice__option">
        <Choice type="radio" name={name} value="unknown" checked={draft.ageMode === 'unknown'} onChange={() => set('ageMode', 'unknown', 'age')} label={t('person.ageUnknown')} />
      </div>
    </ChoiceGroup>
  );
}
