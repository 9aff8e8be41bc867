import { useTranslation } from 'react-i18next';
import { formatDate } from '../lib/dates.ts';

/** A stored date ('2021-04', '2021-04-01', …) in 和暦 or Western form, machine-readable too. */
export function DateText({ value }: { value: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={value}>{formatDate(value, i18n.language)}</time>;
}
