import type { TFunction } from 'i18next';
import { useState, type Dispatch, type SetStateAction } from 'react';
import { ApiError } from '../api.ts';
import { errorMessage } from '../components/Status.tsx';
import type { SummaryError } from '../components/Form.tsx';
import { fieldsChanged, INTAKE_FIELDS, intakeFieldOf, type IntakeDraft, type IntakeErrorCode, type IntakeField } from '../lib/intake.ts';
import { intakeFieldId } from './IntakeFields.tsx';

export type IntakeErrors = Partial<Record<IntakeField, string>>;

/** The form's own checks, in the UI language. */
export function intakeErrorsFromCodes(t: TFunction, codes: Partial<Record<IntakeField, IntakeErrorCode>>): IntakeErrors {
  const errors: IntakeErrors = {};
  for (const field of INTAKE_FIELDS) {
    const code = codes[field];
    if (code) errors[field] = t(`intake.errors.${code}`);
  }
  return errors;
}

/** A failed save: field errors beside their fields, anything else as one general message. */
export function intakeErrorsFromServer(t: TFunction, error: unknown): { fields: IntakeErrors; general: string | null } {
  if (!(error instanceof ApiError) || error.status !== 400 || error.fields.length === 0) {
    return { fields: {}, general: errorMessage(t, error) };
  }
  const fields: IntakeErrors = {};
  const others: string[] = [];
  for (const f of error.fields) {
    const field = intakeFieldOf(f.field);
    if (field) fields[field] ??= f.message;
    else others.push(f.message);
  }
  return { fields, general: others.length > 0 ? others.join(' ') : null };
}

/** The error summary's entries, in the order of the form. */
export function intakeSummary(errors: IntakeErrors, idPrefix: string): SummaryError[] {
  return INTAKE_FIELDS.filter((f) => errors[f]).map((f) => ({ id: intakeFieldId(idPrefix, f), message: errors[f]! }));
}

/**
 * The form's draft and its errors together: changing a field takes its error
 * away, so a corrected field no longer says it is wrong. `kept` is state held
 * elsewhere (a draft kept across reloads, drafts/useDraft.ts) to use instead
 * of the hook's own.
 */
export function useIntakeDraft(initial: () => IntakeDraft, kept?: [IntakeDraft, Dispatch<SetStateAction<IntakeDraft>>]) {
  const own = useState(kept ? () => kept[0] : initial);
  const [draft, setDraft] = kept ?? own;
  const [errors, setErrors] = useState<IntakeErrors>({});
  const update = (change: (d: IntakeDraft) => IntakeDraft) => {
    const next = change(draft);
    const stale = fieldsChanged(draft, next).filter((f) => errors[f]);
    setDraft(next);
    if (stale.length > 0) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([f]) => !stale.includes(f as IntakeField))));
  };
  return { draft, update, replace: setDraft, errors, setErrors };
}
