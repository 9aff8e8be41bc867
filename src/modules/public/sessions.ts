import { addDays, warekiDay } from '../../lib/fiscal.ts';
import type { HsdsSchedule } from '../hsds/types.ts';
import type { PublicWindow, Service, WindowIndex } from './windows.ts';

/**
 * The next dates of the events and drop-in opening days a window's
 * organisation runs, read from the schedules of the HSDS directory in the
 * public snapshot (a published event is a one-off schedule; a drop-in place's
 * opening days recur, weekly or on given weeks of the month). Schedules
 * without hours (a program's cadence, reception hours) are not sessions.
 * Pure: the navigator calls it with today's date in Japan.
 */

export interface UpcomingSession {
  date: string;
  /** 令和8年8月1日（土）14:00〜16:00 */
  when: string;
  /** The program (service) it belongs to. */
  service: { id: string; name: string };
  /** The event's title; null for a drop-in place's opening day. */
  title: string | null;
}

const WEEKDAY_CODES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
const hhmm = (t: string | undefined) => (t ?? '').slice(0, 5);

function daysInMonth(date: string): number {
  const [y, m] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Whether a date falls on one of a BYDAY's days ('TU,TH'; monthly: '2SA,-1FR'). */
function onByday(date: string, byday: string, monthly: boolean): boolean {
  const weekday = WEEKDAY_CODES[new Date(`${date}T00:00:00Z`).getUTCDay()];
  const dayOfMonth = Number(date.slice(8, 10));
  return byday.split(',').some((part) => {
    const m = part.trim().match(/^([+-]?\d)?([A-Z]{2})$/);
    if (!m || m[2] !== weekday) return false;
    if (!monthly || !m[1]) return true;
    const nth = Number(m[1]);
    return nth > 0 ? Math.ceil(dayOfMonth / 7) === nth : dayOfMonth + 7 * -nth > daysInMonth(date) && dayOfMonth + 7 * (-nth - 1) <= daysInMonth(date);
  });
}

/** The dates of a schedule from `today` on, within `horizonDays`, at most `max`. */
export function scheduleDates(s: HsdsSchedule, today: string, horizonDays = 92, max = 5): string[] {
  if (!s.opens_at) return [];
  if (!s.freq) {
    const first = s.dtstart ?? s.valid_from;
    const last = s.until ?? s.valid_to ?? first;
    return first && last && last >= today ? [first < today ? today : first] : [];
  }
  if (!s.byday) return [];
  const from = s.valid_from && s.valid_from > today ? s.valid_from : today;
  const horizon = addDays(today, horizonDays);
  const to = s.valid_to && s.valid_to < horizon ? s.valid_to : horizon;
  const out: string[] = [];
  for (let d = from; d <= to && out.length < max; d = addDays(d, 1)) if (onByday(d, s.byday, s.freq === 'MONTHLY')) out.push(d);
  return out;
}

/** The services whose sessions a window shows: what its organisation runs (a service's own organisation's, itself included). */
function servicesOf(w: PublicWindow, index: WindowIndex): Service[] {
  const orgId = w.kind === 'organization' ? w.id : w.organization?.id;
  const run = orgId ? index.servicesRunBy.get(orgId) ?? [] : [];
  const own = w.kind === 'service' ? index.serviceById.get(w.id) : undefined;
  return [...new Map([...(own ? [own] : []), ...run].map((s) => [s.id, s])).values()].filter((s) => s.status === 'active');
}

/** The next few sessions (events, drop-in opening days) of a window's organisation, soonest first. */
export function upcomingSessions(w: PublicWindow, index: WindowIndex, today: string, max = 5): UpcomingSession[] {
  const out: UpcomingSession[] = [];
  for (const s of servicesOf(w, index))
    for (const schedule of s.schedules ?? [])
      for (const date of scheduleDates(schedule, today, 92, max))
        out.push({
          date, when: `${warekiDay(date)}${hhmm(schedule.opens_at)}〜${hhmm(schedule.closes_at)}`,
          service: { id: s.id, name: s.name }, title: schedule.freq ? null : schedule.notes ?? null,
        });
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.when.localeCompare(b.when)).slice(0, max);
}
