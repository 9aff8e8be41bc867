import { useTranslation } from 'react-i18next';
import { CharacterCount, Choice, ChoiceGroup, FormField } from '../components/Form.tsx';
import { LocalName } from '../components/LocalName.tsx';
import { AGE_BANDS, bandValue, parseBand, SUMMARY_MAX, toggleIssueTag, URGENCIES, type IntakeDraft, type IntakeField } from '../lib/intake.ts';
import { useNetwork, useVocabulary } from '../network/NetworkProvider.tsx';
import { ageBandLabel } from './ConsultationParts.tsx';

/**
 * The fields of a consultation, shared by the 相談受付 form ('new'), the
 * correction form ('edit', without reception, which cannot change) and the
 * rule editor's sample intake ('sample', only what routing reads).
 */
export type IntakeFieldsMode = 'new' | 'edit' | 'sample';

interface IntakeFieldsProps {
  draft: IntakeDraft;
  onChange(update: (draft: IntakeDraft) => IntakeDraft): void;
  errors: Partial<Record<IntakeField, string>>;
  /** Makes ids and radio names unique on the page. */
  idPrefix: string;
  mode: IntakeFieldsMode;
  /** The hub may record a consultation received by another organisation. */
  mayChooseDoor?: boolean;
}

/** The id of a field's control (or group): error summaries link to it. */
export const intakeFieldId = (prefix: string, field: IntakeField) => `${prefix}-${field}`;

export function IntakeFields({ draft, onChange, errors, idPrefix, mode, mayChooseDoor = false }: IntakeFieldsProps) {
  const { t } = useTranslation();
  const id = (field: IntakeField) => intakeFieldId(idPrefix, field);
  const set = <K extends keyof IntakeDraft>(key: K, value: IntakeDraft[K]) => onChange((d) => ({ ...d, [key]: value }));
  const full = mode !== 'sample';
  return (
    <div className="intake-fields">
      <fieldset className="form-section">
        <legend>{t('consultation.reception')}</legend>
        {mode === 'new' && (
          <>
            <ReceivedAt draft={draft} set={set} id={id('receivedAt')} error={errors.receivedAt} />
            <Door draft={draft} set={set} id={id('doorOrganizationId')} error={errors.doorOrganizationId} mayChoose={mayChooseDoor} />
          </>
        )}
        <VocabularyChoice
          vocabulary="channels" name={`${idPrefix}-channel`} id={id('channel')} label={t('consultation.channel')}
          value={draft.channel} onChange={(v) => set('channel', v)} error={errors.channel} required={full} allowNone={!full}
        />
        {full && <UrgencyChoice draft={draft} set={set} idPrefix={idPrefix} error={errors.urgency} />}
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('consultation.consulterSection')}</legend>
        <VocabularyChoice
          vocabulary="consulterRelations" name={`${idPrefix}-consulterRelation`} id={id('consulterRelation')}
          label={t('consultation.consulterRelation')} value={draft.consulterRelation}
          onChange={(v) => set('consulterRelation', v)} error={errors.consulterRelation} required={full} allowNone={!full}
        />
        {full && (
          <>
            <FormField id={id('consulterDetail')} label={t('consultation.consulterDetail')} hint={t('consultation.consulterDetailHint')} error={errors.consulterDetail}>
              {(control) => (
                <input {...control} type="text" maxLength={200} value={draft.consulterDetail} onChange={(e) => set('consulterDetail', e.target.value)} />
              )}
            </FormField>
            <div className="field">
              <Choice
                type="checkbox" name={`${idPrefix}-familyOnly`} value="yes" checked={draft.familyOnly}
                onChange={(checked) => set('familyOnly', checked)} label={t('consultation.familyOnly')}
              />
            </div>
          </>
        )}
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('consultation.person')}</legend>
        <AgeChoice draft={draft} set={set} idPrefix={idPrefix} id={id('age')} error={errors.age} />
        <SchoolStage draft={draft} set={set} id={id('schoolStage')} error={errors.schoolStage} />
        <AreaSelect draft={draft} set={set} id={id('areaId')} error={errors.areaId} />
        <ChoiceGroup id={id('cannotVisit')} label={t('consultation.cannotVisit')} error={errors.cannotVisit} className="choices--inline">
          {(['', 'no', 'yes'] as const).map((v) => (
            <Choice
              key={v} type="radio" name={`${idPrefix}-cannotVisit`} value={v} checked={draft.cannotVisit === v}
              onChange={() => set('cannotVisit', v)}
              label={t(v === '' ? 'consultation.cannotVisitUnknown' : v === 'yes' ? 'consultation.cannotVisitYes' : 'consultation.cannotVisitNo')}
            />
          ))}
        </ChoiceGroup>
      </fieldset>

      <fieldset className="form-section">
        <legend>{t('consultation.issues')}</legend>
        <IssueTags draft={draft} onChange={onChange} idPrefix={idPrefix} id={id('issueTags')} error={errors.issueTags ?? errors.mainIssue} withMain={full} />
        <FormField
          id={id('organizationsInvolved')} label={t('consultation.organizationsInvolved')} hint={t('consultation.organizationsInvolvedHint')}
          error={errors.organizationsInvolved} className="field--short"
        >
          {(control) => (
            <input
              {...control} type="text" inputMode="numeric" autoComplete="off" value={draft.organizationsInvolved}
              onChange={(e) => set('organizationsInvolved', e.target.value)}
            />
          )}
        </FormField>
        {full && (
          <FormField id={id('summary')} label={t('consultation.summary')} hint={t('consultation.summaryHint')} error={errors.summary} required>
            {(control) => (
              <>
                <textarea
                  {...control} rows={6} value={draft.summary} onChange={(e) => set('summary', e.target.value)}
                  aria-describedby={[control['aria-describedby'], `${id('summary')}-count`].filter(Boolean).join(' ')}
                />
                <CharacterCount id={`${id('summary')}-count`} value={draft.summary} max={SUMMARY_MAX} />
              </>
            )}
          </FormField>
        )}
      </fieldset>
    </div>
  );
}

type Set = <K extends keyof IntakeDraft>(key: K, value: IntakeDraft[K]) => void;

function ReceivedAt({ draft, set, id, error }: { draft: IntakeDraft; set: Set; id: string; error?: string }) {
  const { t } = useTranslation();
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <fieldset id={id} className={error ? 'field field--invalid' : 'field'} aria-describedby={describedBy}>
      <legend>{t('consultation.receivedAt')}</legend>
      <p id={`${id}-hint`} className="field__hint">{t('consultation.receivedHint')}</p>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('consultation.receivedDate')}</label>
          <input
            id={`${id}-date`} type="date" value={draft.receivedDate} required aria-invalid={error ? true : undefined}
            aria-describedby={describedBy} onChange={(e) => set('receivedDate', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-time`}>{t('consultation.receivedTime')}</label>
          <input
            id={`${id}-time`} type="time" value={draft.receivedTime} required aria-invalid={error ? true : undefined}
            aria-describedby={describedBy} onChange={(e) => set('receivedTime', e.target.value)}
          />
        </div>
      </div>
      {error && <p id={`${id}-error`} className="field__error">{error}</p>}
    </fieldset>
  );
}

function Door({ draft, set, id, error, mayChoose }: { draft: IntakeDraft; set: Set; id: string; error?: string; mayChoose: boolean }) {
  const { t } = useTranslation();
  const { network, organizationsById } = useNetwork();
  if (!mayChoose) {
    const door = organizationsById.get(draft.doorOrganizationId);
    return (
      <div className="field">
        <p className="field__label" id={id}>{t('consultation.door')}</p>
        <p className="field__static">{door ? <LocalName item={door} /> : null}</p>
        <p className="field__hint">{t('consultation.doorFixed')}</p>
      </div>
    );
  }
  return (
    <FormField id={id} label={t('consultation.door')} error={error} required>
      {(control) => (
        <select {...control} value={draft.doorOrganizationId} onChange={(e) => set('doorOrganizationId', e.target.value)}>
          {network.organizations.filter((o) => o.active).map((o) => (
            <option key={o.id} value={o.id}>{o.name}{o.nameEn && ` / ${o.nameEn}`}</option>
          ))}
        </select>
      )}
    </FormField>
  );
}

interface VocabularyChoiceProps {
  vocabulary: 'channels' | 'consulterRelations';
  name: string;
  id: string;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  required?: boolean;
  /** Offer 「不明」 (for a sample intake, where unknown is a case to try). */
  allowNone?: boolean;
}

/** One choice from a short vocabulary, as radios: quicker than a select while on the phone. */
function VocabularyChoice({ vocabulary, name, id, label, value, onChange, error, required, allowNone }: VocabularyChoiceProps) {
  const { t } = useTranslation();
  const { vocabularies } = useNetwork();
  const { label: term } = useVocabulary();
  return (
    <ChoiceGroup id={id} label={label} error={error} required={required} className="choices--inline">
      {allowNone && <Choice type="radio" name={name} value="" checked={value === ''} onChange={() => onChange('')} label={t('form.unknown')} />}
      {vocabularies[vocabulary].map(({ code }) => (
        <Choice key={code} type="radio" name={name} value={code} checked={value === code} onChange={() => onChange(code)} label={term(vocabulary, code)} />
      ))}
    </ChoiceGroup>
  );
}

function UrgencyChoice({ draft, set, idPrefix, error }: { draft: IntakeDraft; set: Set; idPrefix: string; error?: string }) {
  const { t } = useTranslation();
  return (
    <ChoiceGroup id={intakeFieldId(idPrefix, 'urgency')} label={t('consultation.urgency')} error={error} className="choices--inline">
      {URGENCIES.map((u) => (
        <Choice
          key={u} type="radio" name={`${idPrefix}-urgency`} value={u} checked={draft.urgency === u}
          onChange={() => set('urgency', u)} label={t(`consultation.urgencyValue.${u}`)}
        />
      ))}
    </ChoiceGroup>
  );
}

/** Age known / only the age group (年代) / unknown. Unknown is normal, so it is as easy to choose as the others. */
function AgeChoice({ draft, set, idPrefix, id, error }: { draft: IntakeDraft; set: Set; idPrefix: string; id: string; error?: string }) {
  const { t } = useTranslation();
  const name = `${idPrefix}-ageMode`;
  const errorProps = { 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined } as const;
  return (
    <ChoiceGroup id={id} label={t('consultation.age')} error={error} className="age-choice">
      <div className="age-choice__option">
        <Choice type="radio" name={name} value="exact" checked={draft.ageMode === 'exact'} onChange={() => set('ageMode', 'exact')} label={t('consultation.ageExact')} />
        {draft.ageMode === 'exact' && (
          <span className="age-choice__detail">
            <label htmlFor={`${id}-years`}>{t('consultation.ageInput')}</label>
            <input
              id={`${id}-years`} type="text" inputMode="numeric" autoComplete="off" size={4} value={draft.age}
              onChange={(e) => set('age', e.target.value)} {...errorProps}
            />
          </span>
        )}
      </div>
      <div className="age-choice__option">
        <Choice type="radio" name={name} value="band" checked={draft.ageMode === 'band'} onChange={() => set('ageMode', 'band')} label={t('consultation.ageBandOnly')} />
        {draft.ageMode === 'band' && (
          <span className="age-choice__detail">
            <label htmlFor={`${id}-band`}>{t('consultation.ageBand')}</label>
            <AgeBandSelect id={`${id}-band`} value={draft.ageBand} onChange={(v) => set('ageBand', v)} errorProps={errorProps} />
          </span>
        )}
      </div>
      <div className="age-choice__option">
        <Choice type="radio" name={name} value="unknown" checked={draft.ageMode === 'unknown'} onChange={() => set('ageMode', 'unknown')} label={t('consultation.ageUnknown')} />
      </div>
    </ChoiceGroup>
  );
}

/** The 年代 choices ('50-59' values); a band recorded elsewhere that is not one of ours still shows as itself. Shared with the person form. */
export function AgeBandSelect({ id, value, onChange, errorProps }: {
  id: string; value: string; onChange(value: string): void; errorProps: { 'aria-invalid'?: true; 'aria-describedby'?: string };
}) {
  const { t } = useTranslation();
  const band = parseBand(value);
  const bands = band && !AGE_BANDS.some((b) => bandValue(b) === value) ? [...AGE_BANDS, band] : AGE_BANDS;
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...errorProps}>
      <option value="">{t('form.choose')}</option>
      {bands.map((b) => <option key={bandValue(b)} value={bandValue(b)}>{ageBandLabel(t, b)}</option>)}
    </select>
  );
}

function SchoolStage({ draft, set, id, error }: { draft: IntakeDraft; set: Set; id: string; error?: string }) {
  const { t } = useTranslation();
  const { vocabularies } = useNetwork();
  const { label } = useVocabulary();
  return (
    <FormField id={id} label={t('consultation.schoolStage')} error={error}>
      {(control) => (
        <select {...control} value={draft.schoolStage} onChange={(e) => set('schoolStage', e.target.value)}>
          <option value="">{t('consultation.schoolStageNone')}</option>
          {vocabularies.schoolStages.map(({ code }) => <option key={code} value={code}>{label('schoolStages', code)}</option>)}
        </select>
      )}
    </FormField>
  );
}

function AreaSelect({ draft, set, id, error }: { draft: IntakeDraft; set: Set; id: string; error?: string }) {
  const { t } = useTranslation();
  const { network } = useNetwork();
  if (network.areas.length === 0) return null;
  return (
    <FormField id={id} label={t('consultation.area')} error={error}>
      {(control) => (
        <select {...control} value={draft.areaId} onChange={(e) => set('areaId', e.target.value)}>
          <option value="">{t('consultation.areaUnknown')}</option>
          {network.areas.map((a) => <option key={a.id} value={a.id} lang="ja">{a.name}</option>)}
        </select>
      )}
    </FormField>
  );
}

interface IssueTagsProps {
  draft: IntakeDraft;
  onChange(update: (draft: IntakeDraft) => IntakeDraft): void;
  idPrefix: string;
  id: string;
  error?: string;
  /** Offer the 主訴 (◎) beside each ticked tag. */
  withMain: boolean;
}

/** Every issue tag as a checkbox; beside each ticked one, a radio to make it the 主訴 (one for the whole form). */
function IssueTags({ draft, onChange, idPrefix, id, error, withMain }: IssueTagsProps) {
  const { t } = useTranslation();
  const { vocabularies } = useNetwork();
  const { label, order } = useVocabulary();
  const tagOrder = order('issueTags');
  return (
    <ChoiceGroup id={id} label={t('consultation.issueTags')} hint={withMain ? t('consultation.issueTagsHint') : undefined} error={error}>
      <ul className="issue-tags">
        {vocabularies.issueTags.map(({ code }) => {
          const checked = draft.issueTags.includes(code);
          const name = label('issueTags', code);
          return (
            <li key={code} className={checked ? 'issue-tags__item issue-tags__item--checked' : 'issue-tags__item'}>
              <Choice
                type="checkbox" name={`${idPrefix}-issueTags`} value={code} checked={checked}
                onChange={(on) => onChange((d) => toggleIssueTag(d, code, on, tagOrder))} label={name}
              />
              {withMain && checked && (
                <label className="issue-tags__main">
                  <input
                    type="radio" name={`${idPrefix}-mainIssue`} value={code} checked={draft.mainIssue === code}
                    aria-label={t('consultation.mainIssueFor', { tag: name })}
                    onChange={() => onChange((d) => ({ ...d, mainIssue: code }))}
                  />
                  <span aria-hidden="true">{t('consultation.mainIssueMark')}</span>
                </label>
              )}
            </li>
          );
        })}
      </ul>
    </ChoiceGroup>
  );
}
