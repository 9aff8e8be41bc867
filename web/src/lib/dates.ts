/**
 * Dates as the API stores them ('2021', '2021-04', '2021-04-01' or a full
 * ISO timestamp), shown in 和暦 for Japanese and in Western form for English.
 * Pure functions: the same input gives the same text on any machine, whatever
 * its time zone.
 */

export type DatePrecision = 'year' | 'month' | 'day' | 'instant';

export interface ParsedDate {
  precision: DatePrecision;
  /** For year/month/day: midnight UTC of the first day covered. For an instant: the instant. */
  date: Date;
}

// Municipal records are kept in Japan time, so an instant is shown as a date there.
const TIME_ZONE_OF_RECORDS = 'Asia/Tokyo';

const PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** Reads a stored date; null when it is not one of the stored forms or not a real date. */
export function parseIsoDate(value: string): ParsedDate | null {
  const text = value.trim();
  const partial = PARTIAL.exec(text);
  if (partial) {
    const year = Number(partial[1]);
    const month = partial[2] === undefined ? 1 : Number(partial[2]);
    const day = partial[3] === undefined ? 1 : Number(partial[3]);
    const date = new Date(Date.UTC(year, month - 1, day));
    // Date.UTC treats years 0–99 as 1900–1999.
    date.setUTCFullYear(year);
    if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
    const precision: DatePrecision = partial[3] !== undefined ? 'day' : partial[2] !== undefined ? 'month' : 'year';
    return { precision, date };
  }
  if (INSTANT.test(text)) {
    const date = new Date(text);
    return Number.isNaN(date.getTime()) ? null : { precision: 'instant', date };
  }
  return null;
}

/**
 * The first year of an era is 元年, not 1年 (令和元年 = 2019 from 1 May).
 * Some ICU versions already print 元年; others print 1年.
 */
export function toGannen(text: string): string {
  return text.replace(/(^|[^0-9])1年/g, '$1元年');
}

function warekiFormatter(options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', ...options, timeZone });
}

/** '2021-04-01' → 令和3年4月1日, '2021-04' → 令和3年4月, '2021' → 令和3年, '2019' → 平成31年（令和元年）. */
export function formatWareki(value: string): string {
  const parsed = parseIsoDate(value);
  if (!parsed) return value;
  const { date, precision } = parsed;
  switch (precision) {
    case 'day':
      return toGannen(warekiFormatter({ month: 'long', day: 'numeric' }, 'UTC').format(date));
    case 'instant':
      return toGannen(warekiFormatter({ month: 'long', day: 'numeric' }, TIME_ZONE_OF_RECORDS).format(date));
    case 'month':
      return toGannen(warekiFormatter({ month: 'long' }, 'UTC').format(date));
    case 'year': {
      // A year in which the era changed has two names; give both, as official documents do.
      const yearOnly = warekiFormatter({}, 'UTC');
      const first = toGannen(yearOnly.format(date));
      const lastDay = new Date(date);
      lastDay.setUTCMonth(11, 31);
      const last = toGannen(yearOnly.format(lastDay));
      return first === last ? first : `${first}（${last}）`;
    }
  }
}

/** '2021-04-01' → 1 April 2021, '2021-04' → April 2021, '2021' → 2021. */
export function formatWestern(value: string): string {
  const parsed = parseIsoDate(value);
  if (!parsed) return value;
  const { date, precision } = parsed;
  const options: Intl.DateTimeFormatOptions =
    precision === 'year' ? { year: 'numeric' }
    : precision === 'month' ? { year: 'numeric', month: 'long' }
    : { year: 'numeric', month: 'long', day: 'numeric' };
  const timeZone = precision === 'instant' ? TIME_ZONE_OF_RECORDS : 'UTC';
  return new Intl.DateTimeFormat('en-GB-u-ca-gregory', { ...options, timeZone }).format(date);
}

/** A stored date in the UI language: 和暦 for 'ja', Western otherwise. */
export function formatDate(value: string, language: string): string {
  return isJapanese(language) ? formatWareki(value) : formatWestern(value);
}

/** A timestamp with its time of day in Japan time; partial dates fall back to formatDate. */
export function formatDateTime(value: string, language: string): string {
  const parsed = parseIsoDate(value);
  if (!parsed || parsed.precision !== 'instant') return formatDate(value, language);
  const time = new Intl.DateTimeFormat(isJapanese(language) ? 'ja-JP' : 'en-GB', {
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: TIME_ZONE_OF_RECORDS,
  }).format(parsed.date);
  return isJapanese(language) ? `${formatWareki(value)} ${time}` : `${formatWestern(value)}, ${time}`;
}

function isJapanese(language: string): boolean {
  return language === 'ja' || language.startsWith('ja-');
}

// Japan has kept UTC+9 all year since 1951, so local Japan time is a fixed offset.
const JAPAN_OFFSET_MS = 9 * 3_600_000;

/** An instant as the values of a date input and a time input in Japan time: { date: '2026-04-01', time: '09:05' }. */
export function japanDateTimeInputs(instant: Date): { date: string; time: string } {
  const iso = new Date(instant.getTime() + JAPAN_OFFSET_MS).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/**
 * The values of a date input and a time input, read as Japan time, as an ISO
 * timestamp with its offset ('2026-04-01T09:05:00+09:00'); null when either is
 * not a real date or time.
 */
export function fromJapanDateTimeInputs(date: string, time: string): string | null {
  const parsed = parseIsoDate(date);
  if (!parsed || parsed.precision !== 'day') return null;
  const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!t) return null;
  return `${date}T${t[1]}:${t[2]}:00+09:00`;
}
