import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { useRecheckOnLanguageChange, type SummaryError } from '../components/Form.tsx';
import { errorMessage } from '../components/Status.tsx';

export type FormErrors = Record<string, string>;

/**
 * The error handling every case and referral form shares, as the intake
 * forms do it: the form's own checks first (rewritten when the language
 * changes), then the server's field errors beside their fields and anything
 * else as one message; each attempt moves focus to the summary.
 *
 * `check` gives the messages by field key, in the UI language.
 */
export function useFormErrors(check: () => FormErrors) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<FormErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [checkedHere, setCheckedHere] = useState(false);
  useRecheckOnLanguageChange(checkedHere, () => setErrors(check()));

  return {
    errors,
    general,
    attempt,
    /** Runs the form's own checks; true when the form may be sent. */
    validate(): boolean {
      setGeneral(null);
      const found = check();
      setErrors(found);
      setCheckedHere(true);
      if (Object.keys(found).length > 0) {
        setAttempt((n) => n + 1);
        return false;
      }
      return true;
    },
    /** A refused send: field errors beside their fields (`fieldOf` maps the server's field to a key), the rest as one message. */
    fail(error: unknown, fieldOf: (serverField: string) => string | null = () => null) {
      const fields: FormErrors = {};
      const others: string[] = [];
      if (error instanceof ApiError && error.status === 400 && error.fields.length > 0) {
        for (const f of error.fields) {
          const key = fieldOf(f.field);
          if (key) fields[key] ??= f.message;
          else others.push(f.message);
        }
        setGeneral(others.length > 0 ? others.join(' ') : null);
      } else {
        setGeneral(errorMessage(t, error));
      }
      setCheckedHere(false);
      setErrors(fields);
      setAttempt((n) => n + 1);
    },
    /** Says something about the whole form (no field), announced like an error. */
    say(message: string) {
      setGeneral(message);
      setAttempt((n) => n + 1);
    },
    /** A corrected field no longer says it is wrong. */
    clear(...keys: string[]) {
      if (keys.some((k) => errors[k])) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !keys.includes(k))));
    },
    reset() {
      setErrors({});
      setGeneral(null);
      setCheckedHere(false);
    },
  };
}

/** The summary's entries in the order of the form; `idOf` gives each key's control id. */
export function summaryOf(errors: FormErrors, order: readonly string[], idOf: (key: string) => string): SummaryError[] {
  const keys = [...order.filter((k) => errors[k]), ...Object.keys(errors).filter((k) => !order.includes(k))];
  return keys.map((k) => ({ id: idOf(k), message: errors[k]! }));
}

/** A check's codes by field as messages: messages(codes, (c) => t(`contact.errors.${c}`)). */
export function messages<C extends string>(codes: Partial<Record<string, C>>, say: (code: C) => string): FormErrors {
  const out: FormErrors = {};
  for (const [field, code] of Object.entries(codes)) if (code) out[field] = say(code as C);
  return out;
}
