import icalGenerator, { ICalEventStatus } from 'ical-generator';
import type { MeetingSeries } from '../network/service.ts';

/**
 * A series as an iCalendar (RFC 5545) feed a calendar program subscribes to:
 * one event per session (moved and cancelled sessions included, with stable
 * UIDs so an import updates rather than duplicates), and nothing personal —
 * the series name, times (in UTC, which every program converts) and place
 * only, never the agenda.
 */
export function seriesCalendar(
  series: Pick<MeetingSeries, 'id' | 'name' | 'purpose'>,
  sessions: { id: string; starts_at: Date; ends_at: Date; place: string | null; status: 'scheduled' | 'held' | 'cancelled'; version: number }[],
  host: string,
): string {
  const cal = icalGenerator({ name: series.name, prodId: { company: 'Tsunagu', product: 'meetings', language: 'JA' } });
  for (const s of sessions)
    cal.createEvent({
      id: `${s.id}@${host}`, start: s.starts_at, end: s.ends_at, summary: series.name, description: series.purpose,
      location: s.place ?? undefined, sequence: s.version,
      status: s.status === 'cancelled' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  return cal.toString();
}
