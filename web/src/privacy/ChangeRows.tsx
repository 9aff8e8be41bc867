import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChangeDraft } from '../lib/privacyRequests.ts';
import { CORRECTABLE_FIELDS, type CorrectableField } from './requestTypes.ts';

let seq = 0;

/**
 * 訂正の内容: rows of (field, corrected value), added and removed with
 * buttons; removing a row moves focus to the row before, or to the add button.
 */
export function ChangeRows({ idPrefix, legend, hint, changes, errors, onChange }: {
  idPrefix: string; legend: string; hint: string; changes: ChangeDraft[]; errors: Record<string, string>; onChange(changes: ChangeDraft[]): void;
}) {
  const { t } = useTranslation();
  const addRef = useRef<HTMLButtonElement>(null);
  const update = (key: string, patch: Partial<ChangeDraft>) => onChange(changes.map((c) => (c.key === key ? { ...c, ...patch } : c)));
  return (
    <fieldset id={`${idPrefix}-changes`} className={errors.changes ? 'field field--invalid' : 'field'} aria-describedby={`${idPrefix}-changes-hint`}>
      <legend>{legend}<span className="required-mark">{t('form.required')}</span></legend>
      <p id={`${idPrefix}-changes-hint`} className="field__hint">{hint}</p>
      {errors.changes && <p className="field__error">{errors.changes}</p>}
      {changes.map((c, i) => (
        <div key={c.key} className="change-row">
          <div className={errors[`change-${c.key}-field`] ? 'field field--invalid' : 'field'}>
            <label htmlFor={`change-${c.key}-field`}>{t('privacy.new.changeField', { n: i + 1 })}</label>
            <select id={`change-${c.key}-field`} value={c.field} aria-invalid={errors[`change-${c.key}-field`] ? true : undefined} onChange={(e) => update(c.key, { field: e.target.value as CorrectableField | '' })}>
              <option value="">{t('form.choose')}</option>
              {CORRECTABLE_FIELDS.map((f) => <option key={f} value={f}>{t(`privacy.field.${f}`)}</option>)}
            </select>
            {errors[`change-${c.key}-field`] && <p className="field__error">{errors[`change-${c.key}-field`]}</p>}
          </div>
          <div className={errors[`change-${c.key}-value`] ? 'field field--invalid' : 'field'}>
            <label htmlFor={`change-${c.key}-value`}>{t('privacy.new.changeValue', { n: i + 1 })}</label>
            <input
              id={`change-${c.key}-value`} type={c.field === 'birthDate' ? 'date' : 'text'} lang="ja" maxLength={300} value={c.value}
              aria-invalid={errors[`change-${c.key}-value`] ? true : undefined} onChange={(e) => update(c.key, { value: e.target.value })}
            />
            {errors[`change-${c.key}-value`] && <p className="field__error">{errors[`change-${c.key}-value`]}</p>}
          </div>
          <button
            type="button" className="button button--secondary button--small"
            onClick={() => {
              const before = changes[i - 1];
              onChange(changes.filter((x) => x.key !== c.key));
              requestAnimationFrame(() => (before ? document.getElementById(`change-${before.key}-field`) : addRef.current)?.focus());
            }}
          >
            {t('privacy.new.removeChange', { n: i + 1 })}
          </button>
        </div>
      ))}
      <p>
        <button
          ref={addRef} type="button" className="button button--secondary button--small"
          onClick={() => {
            const key = `n${++seq}`;
            onChange([...changes, { key, field: '', value: '' }]);
            requestAnimationFrame(() => document.getElementById(`change-${key}-field`)?.focus());
          }}
        >
          {t('privacy.new.addChange')}
        </button>
      </p>
      <p className="field__hint">{t('privacy.new.changeValueHint')}</p>
    </fieldset>
  );
}
