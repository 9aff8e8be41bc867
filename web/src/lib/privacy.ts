import type { AuditEvent, Deadline, IncidentSummary } from '../privacy/types.ts';
import { japanToday } from './cases.ts';

/** This month so far, in Japan dates: the review's opening period. */
export function defaultPeriod(now: Date): { from: string; to: string } {
  const today = japanToday(now);
  return { from: `${today.slice(0, 8)}01`, to: today };
}

/** Whether a period as typed is usable: both real dates, in order. */
export function checkPeriod(from: string, to: string): 'from' | 'to' | null {
  const re = /^\d{4}-\d{2}-\d{2}$/;
  if (!re.test(from)) return 'from';
  if (!re.test(to) || to < from) return 'to';
  return null;
}

export type DeadlineState = 'done' | 'late' | 'overdue' | 'soon' | 'open';

/** How urgent a deadline is: past it, within three days, or reported (in time or late). */
export function deadlineState(d: Deadline): DeadlineState {
  if (d.reportedOn) return d.overdue ? 'late' : 'done';
  if (d.overdue) return 'overdue';
  return d.daysLeft !== null && d.daysLeft <= 3 ? 'soon' : 'open';
}

/** The deadline an incident's row shows: the first not yet reported, else the final one. */
export function nextDeadline(i: IncidentSummary): Deadline | null {
  const ds = i.deadlines.deadlines;
  return ds.find((d) => !d.reportedOn) ?? ds.find((d) => d.kind === 'final') ?? null;
}

/** What an event's details say, briefly: how many records, the search words, 要配慮. */
export function detailsSummary(e: AuditEvent): { count: number | null; query: string | null; sensitive: boolean } {
  const d = e.details;
  const ids = Array.isArray(d.ids) ? d.ids.length : null;
  return {
    count: typeof d.count === 'number' ? d.count : ids,
    query: typeof d.query === 'string' ? d.query : null,
    sensitive: d.sensitive === true,
  };
}

/** A Japan date and time typed in two inputs, as an ISO instant with +09:00; null when incomplete. */
export function japanInstant(date: string, time: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  return `${date}T${time}:00+09:00`;
}
