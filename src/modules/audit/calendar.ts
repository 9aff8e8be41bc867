import holidayJp from '@holiday-jp/holiday_jp';
import { japanDate } from '../../lib/fiscal.ts';

export { japanDate };

/**
 * The Japanese working calendar in Japan time: the audit review's "out of
 * hours" and the incident deadlines' roll-over both need it. Public holidays
 * come from @holiday-jp/holiday_jp, whose table (1970–2050) is generated from
 * the holiday_jp data set kept up to date with the Cabinet Office's list,
 * including one-off moves such as the 2020/2021 Olympic holidays; a rule-based
 * calculator gets those wrong.
 */

// Japan has kept UTC+9 all year since 1951, so Japan time is a fixed offset.
const JAPAN_OFFSET_MS = 9 * 3_600_000;

const HOLIDAYS = new Map<string, string>(Object.values(holidayJp.holidays).map((h) => [h.date, h.name]));

/** Minutes since midnight, Japan time. */
export function japanMinuteOfDay(instant: Date): number {
  const shifted = new Date(instant.getTime() + JAPAN_OFFSET_MS);
  return shifted.getUTCHours() * 60 + shifted.getUTCMinutes();
}

/** Midnight Japan time at the start of a calendar date. */
export const japanMidnight = (date: string): Date => new Date(new Date(`${date}T00:00:00Z`).getTime() - JAPAN_OFFSET_MS);

/** A calendar date plus n days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Whole days from one calendar date to another (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string): number =>
  Math.round((new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime()) / 86_400_000);

export type ClosedDayKind = 'weekend' | 'holiday' | 'year_end';

export interface ClosedDay {
  kind: ClosedDayKind;
  /** The holiday's name (祝日名) for a public holiday. */
  name?: string;
}

/**
 * Whether a date is a day the city's offices are closed: Saturday or Sunday,
 * a public holiday (国民の祝日に関する法律, with 振替休日 and 国民の休日), or,
 * when `yearEnd` is on, 12月29日–1月3日 (年末年始: 地方自治法第4条の2 lets each
 * city set its closed days by 条例; most set these).
 */
export function closedDay(date: string, opts: { yearEnd: boolean }): ClosedDay | null {
  const name = HOLIDAYS.get(date);
  if (name) return { kind: 'holiday', name };
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  if (dow === 0 || dow === 6) return { kind: 'weekend' };
  const md = date.slice(5);
  if (opts.yearEnd && (md >= '12-29' || md <= '01-03')) return { kind: 'year_end' };
  return null;
}

/** Every closed day between two dates (inclusive), for pushing the test into SQL. */
export function closedDaysBetween(from: string, to: string, opts: { yearEnd: boolean }): Map<string, ClosedDay> {
  const out = new Map<string, ClosedDay>();
  for (let d = from; d <= to; d = addDays(d, 1)) {
    const c = closedDay(d, opts);
    if (c) out.set(d, c);
  }
  return out;
}

/** The first open day on or after a date. */
export function nextOpenDay(date: string, opts: { yearEnd: boolean }): string {
  let d = date;
  while (closedDay(d, opts)) d = addDays(d, 1);
  return d;
}
