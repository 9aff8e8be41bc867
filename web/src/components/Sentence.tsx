import type { ReactNode } from 'react';

/** Stands in a translated sentence for a value that is a component: t('trail.received', { to: SLOT }). */
export const SLOT = '\uE000';

/**
 * A translated sentence with a component (a linked or language-marked name)
 * where SLOT was interpolated, so word order stays the translation's:
 * 「{{to}}で受付」 and 'Received at {{to}}' alike.
 */
export function Sentence({ text, children }: { text: string; children: ReactNode }) {
  const at = text.indexOf(SLOT);
  if (at === -1) return <>{text}</>;
  return <>{text.slice(0, at)}{children}{text.slice(at + SLOT.length)}</>;
}
