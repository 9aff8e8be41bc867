import { useTranslation } from 'react-i18next';

/**
 * Notes record what the source documents do not say, or caveats; they stay
 * visible (and printed) so nobody mistakes a gap for a fact.
 */
export function Notes({ notes }: { notes: readonly string[] }) {
  const { t } = useTranslation();
  if (notes.length === 0) return null;
  return (
    <ul className="notes">
      {notes.map((note, i) => (
        <li key={i}><span className="notes__label">{t('notes.label')}</span><span lang="ja">{note}</span></li>
      ))}
    </ul>
  );
}
