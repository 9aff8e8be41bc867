import type { TFunction } from 'i18next';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** Writes the message in the language of the moment, so a switch of language rewrites it too. */
export type Saying = (t: TFunction) => string;

/**
 * A confirmation said where the action happened (「支援記録を追加しました。」):
 * a status message that takes the focus, so it is read out and keyboard
 * users continue from there, instead of being sent back to the top of a long
 * page. Returns the message element to place, and the function to say it.
 */
export function useSaid(): [ReactNode, (saying: Saying) => void] {
  const { t } = useTranslation();
  const [said, setSaid] = useState<{ saying: Saying; n: number } | null>(null);
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (said) requestAnimationFrame(() => ref.current?.focus());
  }, [said]);
  const node = (
    <p ref={ref} tabIndex={-1} role="status" className={said ? 'notice notice--done' : undefined}>
      {said?.saying(t)}
    </p>
  );
  return [node, (saying: Saying) => setSaid((s) => ({ saying, n: (s?.n ?? 0) + 1 }))];
}
