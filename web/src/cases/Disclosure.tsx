import { useRef, useState, type ReactNode } from 'react';
import { useCaseReadOnly } from './readOnly.ts';

/**
 * A form kept behind a button until wanted (「支援記録を追加する」): the
 * button says it expands; opening moves focus to the form's first field, and
 * closing returns it to the button, so keyboard users never lose their place.
 * Not offered on a case open read-only (cases/readOnly.ts).
 */
export function Disclosure({ id, label, initiallyOpen = false, children }: {
  id: string;
  label: string;
  /** Open from the start (a draft of the form is waiting). */
  initiallyOpen?: boolean;
  children: (close: () => void) => ReactNode;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const buttonRef = useRef<HTMLButtonElement>(null);
  if (useCaseReadOnly()) return null;
  if (!open) {
    return (
      <button
        ref={buttonRef} type="button" className="button button--secondary no-print" aria-expanded="false" aria-controls={id}
        onClick={() => {
          setOpen(true);
          requestAnimationFrame(() => document.getElementById(id)?.querySelector<HTMLElement>('input, select, textarea')?.focus());
        }}
      >
        {label}
      </button>
    );
  }
  return (
    <div id={id} className="disclosure no-print">
      {children(() => {
        setOpen(false);
        requestAnimationFrame(() => buttonRef.current?.focus());
      })}
    </div>
  );
}
