import { queryString, request, type Paged } from '../api.ts';
import type {
  AcknowledgementOnFile, AgendaItemInput, AgendaProposal, AgreedRule, AttendanceEntry, DecisionInput, GuestInput, MeetingActionItem, MeetingSeriesView, MeetingSession,
  MeetingSessionDetail, RecurrenceInput, SessionInput, SessionPatch,
} from '../types.ts';

const e = encodeURIComponent;

/** The meetings module's calls (/work/meetings-api.md). */
export const meetingsApi = {
  listSeries: (signal?: AbortSignal) => request<{ items: MeetingSeriesView[] }>('GET', '/api/meetings/series', { signal }),
  setRecurrence: (seriesId: string, body: RecurrenceInput) =>
    request<{ series: MeetingSeriesView; sessions: MeetingSession[] }>('POST', `/api/meetings/series/${e(seriesId)}/recurrence`, { body }),
  listAcknowledgements: (seriesId: string, signal?: AbortSignal) =>
    request<{ items: AcknowledgementOnFile[] }>('GET', `/api/meetings/series/${e(seriesId)}/acknowledgements`, { signal }),
  acknowledge: (seriesId: string) => request<MeetingSeriesView>('POST', `/api/meetings/series/${e(seriesId)}/acknowledgement`, { body: {} }),
  createFeed: (seriesId: string) => request<{ url: string }>('POST', `/api/meetings/series/${e(seriesId)}/feed`, { body: {} }),

  /** A page of sessions by start time (see allPages for the whole of a range). */
  listSessions: (q: { from?: string; to?: string; seriesId?: string; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    request<Paged<MeetingSession>>('GET', `/api/meetings/sessions?${queryString(q)}`, { signal }),
  createSession: (body: SessionInput, idempotencyKey?: string) =>
    request<MeetingSessionDetail>('POST', '/api/meetings/sessions', { body, idempotencyKey }),
  getSession: (id: string, signal?: AbortSignal) => request<MeetingSessionDetail>('GET', `/api/meetings/sessions/${e(id)}`, { signal }),
  updateSession: (id: string, body: SessionPatch) => request<MeetingSessionDetail>('PATCH', `/api/meetings/sessions/${e(id)}`, { body }),

  /** `noContactDays`: propose cases without contact for this many days (the server's default: 60). */
  proposals: (id: string, noContactDays: number | undefined, signal?: AbortSignal) =>
    request<{ items: AgendaProposal[] }>('GET', `/api/meetings/sessions/${e(id)}/proposals?${queryString({ noContactDays })}`, { signal }),
  addAgendaItems: (id: string, items: AgendaItemInput[]) =>
    request<MeetingSessionDetail>('POST', `/api/meetings/sessions/${e(id)}/agenda`, { body: { items } }),
  orderAgenda: (id: string, itemIds: string[]) =>
    request<MeetingSessionDetail>('POST', `/api/meetings/sessions/${e(id)}/agenda/order`, { body: { itemIds } }),
  removeAgendaItem: (id: string, itemId: string) =>
    request<MeetingSessionDetail>('POST', `/api/meetings/sessions/${e(id)}/agenda/${e(itemId)}/remove`, { body: {} }),
  inviteOrganizations: (id: string, organizationIds: string[]) =>
    request<MeetingSessionDetail>('POST', `/api/meetings/sessions/${e(id)}/organizations`, { body: { organizationIds } }),
  recordAttendance: (id: string, entries: AttendanceEntry[]) =>
    request<MeetingSessionDetail>('POST', `/api/meetings/sessions/${e(id)}/attendance`, { body: { entries } }),
  guestAccounts: (signal?: AbortSignal) =>
    request<{ items: { id: string; displayName: string; organization: { id: string; name: string } }[] }>('GET', '/api/meetings/guest-accounts', { signal }),
  inviteGuest: (id: string, body: GuestInput) => request<MeetingSessionDetail>('POST', `/api/meetings/sessions/${e(id)}/guests`, { body }),
  recordMinutes: (itemId: string, body: { version: number; minutes: string }) =>
    request<MeetingSessionDetail>('POST', `/api/meetings/agenda-items/${e(itemId)}/minutes`, { body }),
  recordDecision: (id: string, body: DecisionInput, idempotencyKey?: string) =>
    request<MeetingSessionDetail>('POST', `/api/meetings/sessions/${e(id)}/decisions`, { body, idempotencyKey }),

  /** A page of action items, open ones first by due date; `total` and `overdue` count every page. */
  listActionItems: (q: { status: 'open' | 'done' | 'all'; scope: 'mine' | 'all'; cursor?: string }, signal?: AbortSignal) =>
    request<Paged<MeetingActionItem> & { total: number; overdue: number }>('GET', `/api/meetings/action-items?${queryString(q)}`, { signal }),
  completeActionItem: (id: string, body: { version: number; note?: string }) =>
    request<MeetingActionItem>('POST', `/api/meetings/action-items/${e(id)}/complete`, { body }),

  listRules: (q: { q?: string; include?: 'ended' }, signal?: AbortSignal) =>
    request<{ items: AgreedRule[] }>('GET', `/api/meetings/rules?${queryString(q)}`, { signal }),
};
