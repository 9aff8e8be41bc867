import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../lib/dates.ts';

/** A stored date ('2021-04', '2021-04-01', …) in 和暦 or Western form, machine-readable too. */
export function DateText({ value }: { value: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={value}>{formatDate(value, i18n.language)}</time>;
}

/** A timestamp with its time of day in Japan time: 令和8年5月12日 10:30. */
export function DateTimeText({ value }: { value: string }) {
  const { i18n } = useTranslation();
  return <time dateTime={value}>{formatDateTime(value, i18n.language)}</time>;
}
