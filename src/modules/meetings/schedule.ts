import rrule from 'rrule';
import { addDays, closedDay, japanMidnight } from '../audit/calendar.ts';
import type { HolidayShift, RecurrenceRule } from './types.ts';

// rrule's ESM build is not loadable by Node; its CommonJS build is
const { RRule } = rrule;

export type { HolidayShift, RecurrenceRule } from './types.ts';

export interface Occurrence {
  date: string;
  /** The date the rule gave, when a holiday moved the session. */
  movedFrom: string | null;
  startsAt: Date;
  endsAt: Date;
}

export const ODD_MONTHS = [1, 3, 5, 7, 9, 11];

const WEEKDAYS = [RRule.SU, RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA];

/** A start time and length; `prefix` names the fields (`rule.` inside a recurrence). */
export function checkTime(t: { start: string; minutes: number }, prefix = ''): { field: string; message: string }[] {
  const fields = [];
  if (!/^([01]\d|2[0-3]):([0-5]\d)$/.test(t.start)) fields.push({ field: `${prefix}start`, message: 'Give the start time as HH:MM (Japan time).' });
  if (!Number.isInteger(t.minutes) || t.minutes < 15 || t.minutes > 600) fields.push({ field: `${prefix}minutes`, message: 'Give the length in minutes (15–600).' });
  return fields;
}

export function checkRule(rule: RecurrenceRule): { field: string; message: string }[] {
  const fields = [];
  if (rule.months.length === 0 || rule.months.some((m) => !Number.isInteger(m) || m < 1 || m > 12))
    fields.push({ field: 'rule.months', message: 'Choose at least one month (1–12).' });
  if (!Number.isInteger(rule.weekday) || rule.weekday < 0 || rule.weekday > 6) fields.push({ field: 'rule.weekday', message: 'Choose a weekday (0 = Sunday … 6 = Saturday).' });
  if (![1, 2, 3, 4, -1].includes(rule.nth)) fields.push({ field: 'rule.nth', message: 'Choose the first to fourth, or the last, weekday of the month.' });
  return [...fields, ...checkTime(rule, 'rule.')];
}

/** Moves a date off weekends, public holidays and 12/29–1/3, in the chosen direction. */
export function workingDay(date: string, shift: HolidayShift): string {
  let d = date;
  while (closedDay(d, { yearEnd: true })) d = addDays(d, shift === 'next_weekday' ? 1 : -1);
  return d;
}

/** A date and a Japan-time HH:MM as an instant. */
export const japanTime = (date: string, hhmm: string): Date => {
  const [h, m] = hhmm.split(':').map(Number);
  return new Date(japanMidnight(date).getTime() + (h * 60 + m) * 60_000);
};

/** The next `count` sessions on or after `from` (a date), holidays moved. */
export function occurrences(rule: RecurrenceRule, shift: HolidayShift, from: string, count: number): Occurrence[] {
  // RRULE evaluated on floating dates (UTC midnight stands for the calendar date)
  const r = new RRule({
    freq: RRule.MONTHLY, bymonth: [...rule.months].sort((a, b) => a - b), byweekday: [WEEKDAYS[rule.weekday].nth(rule.nth)],
    dtstart: new Date(`${from}T00:00:00Z`), count,
  });
  return r.all().map((d) => {
    const ruled = d.toISOString().slice(0, 10);
    const date = workingDay(ruled, shift);
    const startsAt = japanTime(date, rule.start);
    return { date, movedFrom: date === ruled ? null : ruled, startsAt, endsAt: new Date(startsAt.getTime() + rule.minutes * 60_000) };
  });
}

const WEEKDAY_JA = ['日', '月', '火', '水', '木', '金', '土'];
const WEEKDAY_EN = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const ORDINAL_EN = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' } as Record<number, string>;

/** The rule as staff say it: 「奇数月の第2火曜日 14:00（90分）」. */
export function describeRule(rule: RecurrenceRule): { ja: string; en: string } {
  const sorted = [...rule.months].sort((a, b) => a - b);
  const key = sorted.join(',');
  const monthsJa = key === ODD_MONTHS.join(',') ? '奇数月' : key === '2,4,6,8,10,12' ? '偶数月' : sorted.length === 12 ? '毎月' : `${sorted.join('・')}月`;
  const monthsEn = key === ODD_MONTHS.join(',') ? 'odd months' : key === '2,4,6,8,10,12' ? 'even months' : sorted.length === 12 ? 'every month' : `months ${sorted.join(', ')}`;
  const nthJa = rule.nth === -1 ? '最終' : `第${rule.nth}`;
  return {
    ja: `${monthsJa}の${nthJa}${WEEKDAY_JA[rule.weekday]}曜日 ${rule.start}（${rule.minutes}分）`,
    en: `The ${ORDINAL_EN[rule.nth]} ${WEEKDAY_EN[rule.weekday]} of ${monthsEn}, ${rule.start} (${rule.minutes} min)`,
  };
}
