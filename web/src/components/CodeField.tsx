import type { ReactNode, RefObject } from 'react';
import { FormField } from './Form.tsx';

interface CodeFieldProps {
  id: string;
  /** 'totp': the six digits of the authenticator app; 'recovery': one of the printed recovery codes. */
  kind: 'totp' | 'recovery';
  label: string;
  hint: ReactNode;
  value: string;
  onChange(value: string): void;
  error?: string;
  inputRef?: RefObject<HTMLInputElement | null>;
}

/**
 * The field for a sign-in code. The authenticator code offers the number pad
 * and lets the phone fill it in (autocomplete="one-time-code"); what is typed
 * is left as typed (an IME must be free to compose) and read by
 * lib/secondFactor.ts when sent.
 */
export function CodeField({ id, kind, label, hint, value, onChange, error, inputRef }: CodeFieldProps) {
  return (
    <FormField id={id} label={label} hint={hint} error={error} className="field--code">
      {(control) => (kind === 'totp'
        ? (
          <input
            {...control} ref={inputRef} name={id} type="text" inputMode="numeric" autoComplete="one-time-code" maxLength={6}
            className="code-input" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)}
          />
        )
        : (
          <input
            {...control} ref={inputRef} name={id} type="text" autoComplete="off" autoCapitalize="characters" maxLength={23}
            className="code-input code-input--recovery" spellCheck={false} value={value} onChange={(e) => onChange(e.target.value)}
          />
        ))}
    </FormField>
  );
}
