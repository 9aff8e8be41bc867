/** Japan's offset; dates of record (受付日, 年度) are Japan dates whatever the server's zone. */
const JST_OFFSET_MS = 9 * 3_600_000;

/** The calendar date in Japan of an instant, as 'YYYY-MM-DD'. */
export function japanDate(at: Date): string {
  return new Date(at.getTime() + JST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The fiscal year (年度, April–March, 地方自治法第208条) an instant falls in, by its Japan date. */
export function fiscalYearOf(at: Date): number {
  return fiscalYearOfDate(japanDate(at));
}

/**
 * Japanese eras since 1926 with their first day (昭和, 平成 from 1989-01-08, 令和 from
 * 2019-05-01: 平成31年政令第143号; DOMAIN.md §6). A table rather than the ICU
 * calendar, so labels are the same on every machine.
 */
const ERAS: readonly { name: string; nameEn: string; letter: string; start: string }[] = [
  { name: '令和', nameEn: 'Reiwa', letter: 'R', start: '2019-05-01' },
  { name: '平成', nameEn: 'Heisei', letter: 'H', start: '1989-01-08' },
  { name: '昭和', nameEn: 'Showa', letter: 'S', start: '1926-12-25' },
];

/** The era of a calendar date ('YYYY-MM-DD') and its year in the era: 2019-04-30 → 平成 31, 2019-05-01 → 令和 1. */
export function eraOf(date: string): { name: string; nameEn: string; letter: string; year: number } {
  const era = ERAS.find((e) => e.start <= date);
  if (!era) throw new RangeError(`No era is known for ${date}.`);
  return { name: era.name, nameEn: era.nameEn, letter: era.letter, year: Number(date.slice(0, 4)) - Number(era.start.slice(0, 4)) + 1 };
}

/**
 * A fiscal year's label in 和暦: 2024 → 令和6年度, 2019 → 令和元年度. A 年度 is named
 * by the era in force at the end of the calendar year it starts in, which
 * names FY2019 令和元年度 though April 2019 was still 平成31年 (DOMAIN.md §6), and
 * FY1988 昭和63年度 (平成 began in January 1989, in the next calendar year).
 */
export function fiscalYearLabel(fiscalYear: number): string {
  const { name, year } = eraOf(`${fiscalYear}-12-31`);
  return `${name}${year === 1 ? '元' : year}年度`;
}

/** The short form national tables use: 2022 → R4, 2015 → H27. */
export function fiscalYearShortLabel(fiscalYear: number): string {
  const { letter, year } = eraOf(`${fiscalYear}-12-31`);
  return `${letter}${year}`;
}

/** English label: 2024 → FY2024 (April 2024 – March 2025). */
export function fiscalYearLabelEn(fiscalYear: number): string {
  return `FY${fiscalYear} (April ${fiscalYear} – March ${fiscalYear + 1})`;
}

/** The first and last calendar day of a fiscal year (地方自治法第208条: 4月1日から翌年3月31日まで). */
export function fiscalYearRange(fiscalYear: number): { from: string; to: string } {
  return { from: `${fiscalYear}-04-01`, to: `${fiscalYear + 1}-03-31` };
}

/** The fiscal year of a calendar date 'YYYY-MM-DD'. */
export function fiscalYearOfDate(date: string): number {
  const y = Number(date.slice(0, 4));
  return Number(date.slice(5, 7)) >= 4 ? y : y - 1;
}

/** Midnight in Japan at the start of a calendar date, as an instant. */
export function japanDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+09:00`);
}

/** A calendar date moved by whole days: ('2025-03-31', 1) → '2025-04-01'. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The months a period of calendar dates touches, as 'YYYY-MM', in order. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (;;) {
    const key = `${y}-${String(m).padStart(2, '0')}`;
    if (key > end) break;
    out.push(key);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

/** A month 'YYYY-MM' in 和暦, by its first day: 2019-04 → 平成31年4月, 2019-05 → 令和元年5月. */
export function warekiMonth(month: string): string {
  const { name, year } = eraOf(`${month}-01`);
  return `${name}${year === 1 ? '元' : year}年${Number(month.slice(5, 7))}月`;
}

/** A calendar date 'YYYY-MM-DD' in 和暦, by the era in force that day: 2024-12-03 → 令和6年12月3日, 2019-05-01 → 令和元年5月1日. */
export function warekiDate(date: string): string {
  const { name, year } = eraOf(date);
  return `${name}${year === 1 ? '元' : year}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/**
 * The Western year of a year counted in an era, by the era's name or letter:
 * ('令和', 6) → 2024, ('H', 31) → 2019; null for an era the table does not know.
 */
export function westernYearOf(era: string, year: number): number | null {
  const found = ERAS.find((e) => e.name === era || e.letter === era.toUpperCase());
  return found ? Number(found.start.slice(0, 4)) + year - 1 : null;
}

const WEEKDAY_JA = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', weekday: 'short' });
const TIME_JA = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** An instant's time of day in Japan: 14:00. */
export const japanTime = (at: Date): string => TIME_JA.format(at);

/** A date in 和暦 with its weekday: 令和8年8月1日（土）. */
export const warekiDay = (date: string): string => `${warekiDate(date)}（${WEEKDAY_JA.format(new Date(`${date}T12:00:00+09:00`))}）`;

/** When something happens, in Japan: 令和8年8月1日（土）14:00〜16:00; over several days both dates are named. */
export function warekiTimeRange(startsAt: string | Date, endsAt: string | Date): string {
  const from = new Date(startsAt);
  const to = new Date(endsAt);
  const day = (d: Date) => warekiDay(japanDate(d));
  return japanDate(from) === japanDate(to)
    ? `${day(from)}${japanTime(from)}〜${japanTime(to)}`
    : `${day(from)}${japanTime(from)}〜${day(to)}${japanTime(to)}`;
}
