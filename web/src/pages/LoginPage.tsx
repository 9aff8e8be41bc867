import { useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { FormField } from '../components/Form.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { useRouteFocus } from '../components/routeFocus.ts';
import { usePageTitle } from '../components/PageTools.tsx';
import { errorMessage } from '../components/Status.tsx';
import { EnrollStep } from '../login/EnrollStep.tsx';
import { RecoveryCodesStep } from '../login/RecoveryCodesStep.tsx';
import { VerifyStep } from '../login/VerifyStep.tsx';
import { useSession } from '../session.tsx';
import type { EnrollmentResult } from '../types.ts';

type Field = 'login' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

/**
 * Where sign-in is: the password; then the authenticator code (or a recovery
 * code); on the first sign-in instead, setting up the authenticator and
 * keeping the recovery codes (src/modules/auth/mfa.ts).
 */
type Step =
  | { kind: 'password' }
  | { kind: 'verify' }
  | { kind: 'enroll' }
  | { kind: 'recoveryCodes'; result: EnrollmentResult };

/** Where to go after sign-in: a path on this site only, never another origin. */
export function safeReturnPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  if (next === '/login' || next.startsWith('/login?')) return '/';
  return next;
}

/** Server field names may come as 'login', '/login' or 'body.login'. */
function fieldName(field: string): Field | null {
  const name = field.replace(/^(\/|body[./])/, '');
  return name === 'login' || name === 'password' ? name : null;
}

export function LoginPage() {
  const { t } = useTranslation();
  const { state, signIn, completeSignIn } = useSession();
  const [searchParams] = useSearchParams();
  const returnPath = safeReturnPath(searchParams.get('next'));

  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [step, setStep] = useState<Step>({ kind: 'password' });
  // Focused when sign-in is reached by navigating (sign-out, expired session); autoFocus covers a fresh load.
  const loginRef = useRouteFocus<HTMLInputElement>();
  const passwordRef = useRef<HTMLInputElement>(null);
  const formErrorRef = useRef<HTMLDivElement>(null);

  usePageTitle(
    step.kind === 'verify' ? t('login.verifyTitle')
    : step.kind === 'enroll' ? t('login.enrollTitle')
    : step.kind === 'recoveryCodes' ? t('login.recoveryCodesTitle')
    : t('login.title'),
  );

  if (state.status === 'signedIn') return <Navigate to={returnPath} replace />;

  const focusField = (field: Field) => (field === 'login' ? loginRef : passwordRef).current?.focus();

  function showFieldErrors(errors: FieldErrors) {
    setFieldErrors(errors);
    const first = (['login', 'password'] as const).find((f) => errors[f]);
    if (first) focusField(first);
  }

  function showFormError(message: string) {
    setFormError(message);
    // After React has rendered the message.
    requestAnimationFrame(() => formErrorRef.current?.focus());
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    setFormError(null);
    const missing: FieldErrors = {};
    if (!login.trim()) missing.login = t('login.requiredLogin');
    if (!password) missing.password = t('login.requiredPassword');
    if (missing.login || missing.password) return showFieldErrors(missing);
    setFieldErrors({});

    setSubmitting(true);
    try {
      const next = await signIn(login.trim(), password);
      if (next !== 'signedIn') {
        setSubmitting(false);
        setPassword('');
        setStep({ kind: next });
      }
    } catch (error) {
      setSubmitting(false);
      setPassword('');
      if (!(error instanceof ApiError)) return showFormError(errorMessage(t, error));
      if (error.status === 401) return showFormError(t('login.wrongCredentials'));
      if (error.status === 429) {
        const minutes = error.retryAfterSeconds ? Math.max(1, Math.ceil(error.retryAfterSeconds / 60)) : null;
        return showFormError(minutes ? t('login.throttledMinutes', { minutes }) : t('login.throttled'));
      }
      if (error.status === 400 && error.fields.length > 0) {
        const errors: FieldErrors = {};
        const others: string[] = [];
        for (const { field, message } of error.fields) {
          const name = fieldName(field);
          if (name) errors[name] ??= message;
          else others.push(message);
        }
        if (others.length > 0) setFormError(others.join(' '));
        return showFieldErrors(errors);
      }
      return showFormError(errorMessage(t, error));
    }
  }

  /** Back to the password, saying why when it was not the user's choice. */
  function restart(message?: string) {
    setStep({ kind: 'password' });
    setFormError(null);
    if (message) showFormError(message);
    else requestAnimationFrame(() => loginRef.current?.focus());
  }

  const notice =
    state.status === 'signedOut' && state.reason === 'expired' ? t('login.sessionExpired')
    : state.status === 'signedOut' && state.reason === 'signedOut' ? t('login.signedOut')
    : null;

  return (
    <div className="login-page">
      <header className="login-page__header">
        <p className="login-page__app">{t('app.name')}<span className="login-page__tagline">{t('app.tagline')}</span></p>
        <LanguageSwitch />
      </header>
      <main id="main" className="login-page__main">
        <h1>{t('login.title')}</h1>
        {step.kind === 'verify' && <VerifyStep onSignedIn={completeSignIn} onRestart={restart} />}
        {step.kind === 'enroll' && (
          <EnrollStep
            onEnrolled={(result) => setStep({ kind: 'recoveryCodes', result })}
            onAlreadyEnrolled={() => setStep({ kind: 'verify' })}
            onRestart={restart}
          />
        )}
        {/* Signed in only after the codes are kept: the app would otherwise leave this page at once. */}
        {step.kind === 'recoveryCodes' && <RecoveryCodesStep result={step.result} onContinue={() => completeSignIn(step.result.session)} />}
        {step.kind === 'password' && (
          <>
            <p>{t('login.intro')}</p>
            {notice && !formError && <p className="notice" role="status">{notice}</p>}
            <div ref={formErrorRef} tabIndex={-1} role="alert" className={formError ? 'form-error' : undefined}>
              {formError}
            </div>
            <form onSubmit={onSubmit} noValidate aria-busy={submitting}>
              <TextField
                id="login" label={t('login.loginId')} value={login} onChange={setLogin}
                error={fieldErrors.login} inputRef={loginRef} autoComplete="username" autoFocus
              />
              <TextField
                id="password" type="password" label={t('login.password')} value={password} onChange={setPassword}
                error={fieldErrors.password} inputRef={passwordRef} autoComplete="current-password"
              />
              <button type="submit" className="button">{t('login.submit')}</button>
              <p className="visually-hidden" role="status">{submitting ? t('login.submitting') : ''}</p>
            </form>
          </>
        )}
      </main>
    </div>
  );
}

interface TextFieldProps {
  id: Field;
  label: string;
  value: string;
  onChange(value: string): void;
  error?: string;
  inputRef: RefObject<HTMLInputElement | null>;
  type?: 'text' | 'password';
  autoComplete: string;
  autoFocus?: boolean;
}

function TextField({ id, label, value, onChange, error, inputRef, type = 'text', autoComplete, autoFocus }: TextFieldProps) {
  return (
    <FormField id={id} label={label} error={error}>
      {(control) => (
        <input
          {...control} name={id} type={type} ref={inputRef} value={value}
          onChange={(e) => onChange(e.target.value)}
          autoComplete={autoComplete} autoFocus={autoFocus}
          autoCapitalize="none" spellCheck={false}
        />
      )}
    </FormField>
  );
}
