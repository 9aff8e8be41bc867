import type { Count } from '../../../../src/modules/stats/types.ts';
import type * as Server from '../../../../src/modules/programs/types.ts';
import { queryString, request } from '../../api.ts';

export type { Count };

const qs = (v: Record<string, string | undefined>) => {
  const s = queryString(v);
  return s ? `?${s}` : '';
};

// The events API (src/modules/programs/eventRoutes.ts, src/modules/public/events.ts).
export { EVENT_KINDS } from '../../../../src/modules/public/types.ts';
export type EventKind = Server.EventKind;
export type StaffEvent = Server.EventRecord;
export type CoOrganisedEvent = Server.CoOrganisedEvent;
export type EventInput = Server.EventInput;
export type AttendanceFigures = Server.AttendanceFigures;

export interface DropInPlace { id: string; name: string; nameEn: string | null; organizations: string[] }
export interface DropInOpeningInput { freq: 'WEEKLY' | 'MONTHLY'; byday: string; opensAt: string; closesAt: string; validFrom?: string | null; validTo?: string | null; description?: string | null }
export interface DropInOpening extends DropInOpeningInput { id: string; programId: string; summary: string }
export type DropInDay = Server.DropInDay;

// The server's public event is a TypeBox schema (src/modules/public/crossing.ts), which is code: declared here.
export interface PublicEvent {
  id: string;
  kind: EventKind;
  title: string;
  description: string | null;
  startsAt: string;
  endsAt: string;
  place: string | null;
  online: boolean;
  capacity: number | null;
  organizers: string[];
  coMunicipalities: string[];
  registrationOpen: boolean;
}

export const eventsApi = {
  list: (cursor: string | undefined, signal?: AbortSignal) =>
    request<{ items: StaffEvent[]; nextCursor: string | null; coOrganised: CoOrganisedEvent[] }>('GET', `/api/events${qs({ cursor })}`, { signal }),
  create: (input: EventInput) => request<StaffEvent>('POST', '/api/events', { body: input }),
  recordAttendance: (id: string, sessionOn: string, rows: Server.AttendanceRow[]) =>
    request<void>('PUT', `/api/events/${id}/attendance`, { body: { sessionOn, rows } }),
  attendance: (id: string, signal?: AbortSignal) => request<AttendanceFigures>('GET', `/api/events/${id}/attendance`, { signal }),
  dropInPlaces: (signal?: AbortSignal) => request<{ items: DropInPlace[] }>('GET', '/api/drop-in-places', { signal }),
  dropInOpenings: (programId: string, signal?: AbortSignal) => request<{ items: DropInOpening[] }>('GET', `/api/drop-in-places/${programId}/openings`, { signal }),
  setDropInOpenings: (programId: string, openings: DropInOpeningInput[]) => request<{ items: DropInOpening[] }>('PUT', `/api/drop-in-places/${programId}/openings`, { body: { openings } }),
  dropInDays: (programId: string, cursor: string | undefined, signal?: AbortSignal) =>
    request<{ items: DropInDay[]; nextCursor: string | null }>('GET', `/api/drop-in-days${qs({ programId, cursor })}`, { signal }),
  recordDropInDay: (input: Server.DropInDayInput) =>
    request<DropInDay>('POST', '/api/drop-in-days', { body: input }),
  publicEvents: (municipality: string | null, signal?: AbortSignal) =>
    request<{ municipality: { code: string; name: string; nameEn: string | null }; items: PublicEvent[] }>('GET', `/api/public/events${qs({ municipality: municipality ?? undefined })}`, { signal }),
  challenge: (municipality: string | null) =>
    request<{ token: string; difficulty: number }>('GET', `/api/public/concerns/challenge${qs({ municipality: municipality ?? undefined })}`),
  register: (id: string, body: Record<string, unknown>) =>
    request<{ cancelCode: string; status: 'registered' | 'waiting'; position: number | null }>('POST', `/api/public/events/${id}/registrations`, { body }),
  cancel: (id: string, municipality: string | null, code: string) =>
    request<{ cancelled: boolean }>('POST', `/api/public/events/${id}/registrations/cancel`, { body: { ...(municipality ? { municipality } : {}), code } }),
};

/** 2026-08-01T05:00:00Z → 2026/8/1 14:00 (Japan time). */
export function when(iso: string): string {
  return new Date(iso).toLocaleString('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
