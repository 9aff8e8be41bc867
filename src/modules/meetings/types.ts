/**
 * Meeting schedules' API shapes (schedule.ts), declared once for the server
 * and the web app (web/src/types.ts). Types only: the web bundle imports this
 * file as it is.
 */

/**
 * How a coordinator schedules a series ahead: the nth weekday of chosen
 * months (第2火曜日, 奇数月), at a time, for a length. The dates come from
 * RRULE (RFC 5545) evaluation; a date that falls on a public holiday or the
 * year-end closure is moved to the next (or previous) working day, and the
 * session remembers the date it was moved from.
 */
export interface RecurrenceRule {
  /** Months 1–12 the series meets in. */
  months: number[];
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** 1–4 for the first to fourth, -1 for the last. */
  nth: number;
  /** Start time, Japan time, HH:MM. */
  start: string;
  minutes: number;
}

export type HolidayShift = 'next_weekday' | 'previous_weekday';
