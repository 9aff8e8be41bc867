import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** What a control needs to be tied to its label, hint and error. */
export interface ControlProps {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

const describedBy = (id: string, hint: unknown, error: unknown) =>
  [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;

interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  required?: boolean;
  className?: string;
}

/**
 * One labelled control with its hint and error message. The control is
 * rendered by `children`, which gets the id and aria attributes to use.
 */
export function FormField({ id, label, hint, error, required, className, children }: FieldProps & { children: (control: ControlProps) => ReactNode }) {
  return (
    <div className={['field', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}>
      <label htmlFor={id}>{label}{required && <RequiredMark />}</label>
      {hint && <p id={`${id}-hint`} className="field__hint">{hint}</p>}
      {children({ id, 'aria-describedby': describedBy(id, hint, error), 'aria-invalid': error ? true : undefined })}
      {error && <p id={`${id}-error`} className="field__error">{error}</p>}
    </div>
  );
}

/** Radios or checkboxes under one legend; `id` is the group's, so an error summary can point at it. */
export function ChoiceGroup({ id, label, hint, error, required, className, children }: FieldProps & { children: ReactNode }) {
  return (
    <fieldset
      id={id}
      className={['field', 'choices', error ? 'field--invalid' : '', className ?? ''].filter(Boolean).join(' ')}
      aria-describedby={describedBy(id, hint, error)}
    >
      <legend>{label}{required && <RequiredMark />}</legend>
      {hint && <p id={`${id}-hint`} className="field__hint">{hint}</p>}
      {children}
      {error && <p id={`${id}-error`} className="field__error">{error}</p>}
    </fieldset>
  );
}

interface ChoiceProps {
  type: 'radio' | 'checkbox';
  name: string;
  value: string;
  checked: boolean;
  onChange(checked: boolean): void;
  label: ReactNode;
  lang?: string;
  disabled?: boolean;
}

/** One radio or checkbox with its label; the whole label is the tap target. */
export function Choice({ type, name, value, checked, onChange, label, lang, disabled }: ChoiceProps) {
  return (
    <label className="choice">
      <input type={type} name={name} value={value} checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      <span lang={lang}>{label}</span>
    </label>
  );
}

export function RequiredMark() {
  const { t } = useTranslation();
  return <span className="required-mark">{t('form.required')}</span>;
}

/** 「120 / 4000文字」 under a text area; said once on focus, not on every key. */
export function CharacterCount({ id, value, max }: { id: string; value: string; max: number }) {
  const { t } = useTranslation();
  return (
    <p id={id} className={value.length > max ? 'field__count field__count--over' : 'field__count'}>
      {t('form.characters', { count: value.length, max })}
    </p>
  );
}

export interface SummaryError {
  /** The id of the control (or group) the error is about. */
  id: string;
  message: string;
}

/**
 * The list of what to correct, at the top of a form, focused after each
 * attempt to send (`attempt` changes) so it is read out; each entry moves
 * to its field.
 */
export function ErrorSummary({ errors, general, attempt }: { errors: SummaryError[]; general?: string | null; attempt: number }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  const shown = errors.length > 0 || !!general;
  useEffect(() => {
    if (shown) ref.current?.focus();
    // Only a new attempt moves the focus; corrections while typing must not.
  }, [attempt]);
  return (
    <div ref={ref} tabIndex={-1} role="alert" className={shown ? 'form-error error-summary' : undefined}>
      {general && <p>{general}</p>}
      {errors.length > 0 && (
        <>
          <p>{t('errors.checkFields', { count: errors.length })}</p>
          <ul>
            {errors.map((e) => (
              <li key={e.id}>
                <a href={`#${e.id}`} onClick={(event) => { event.preventDefault(); focusControl(e.id); }}>{e.message}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** Focuses the control with this id, or the first control inside a group with it. */
export function focusControl(id: string): void {
  const element = document.getElementById(id);
  if (!element) return;
  const control = element.matches('input, select, textarea, button')
    ? element
    : element.querySelector<HTMLElement>('input:not([type=hidden]):not(:disabled), select, textarea, button');
  (control ?? element).focus();
  element.scrollIntoView({ block: 'center' });
}

/**
 * Messages from a form's own checks are text in the language of the moment;
 * when the user switches language, `recheck` writes them again in the new one.
 * `active` says whether the errors shown came from those checks (the server's
 * messages cannot be rewritten and stay as they are).
 */
export function useRecheckOnLanguageChange(active: boolean, recheck: () => void): void {
  const { i18n } = useTranslation();
  const shownIn = useRef(i18n.language);
  useEffect(() => {
    if (shownIn.current === i18n.language) return;
    shownIn.current = i18n.language;
    if (active) recheck();
  }, [i18n.language]);
}
