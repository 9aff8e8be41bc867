import { downloadFile, queryString, request } from '../api.ts';
import type {
  AccessedPersons, AuditEvent, BreakGlassUse, BulkReads, EventFilters, IncidentDetail, IncidentInput, IncidentStatus, IncidentSummary, OutOfHours, ReportKind,
} from './types.ts';

type Query = Record<string, string | number | undefined>;
const e = encodeURIComponent;

/** The privacy officer's and auditor's calls: the audit review and the incident register. */
export const privacyApi = {
  listEvents: (filters: EventFilters, signal?: AbortSignal) =>
    request<{ items: AuditEvent[]; nextCursor: string | null }>('GET', `/api/audit/events?${queryString(filters as Query)}`, { signal }),
  bulkReads: (period: { from: string; to: string }, signal?: AbortSignal) =>
    request<BulkReads>('GET', `/api/audit/reports/bulk-reads?${queryString(period)}`, { signal }),
  outOfHours: (period: { from: string; to: string }, signal?: AbortSignal) =>
    request<OutOfHours>('GET', `/api/audit/reports/out-of-hours?${queryString(period)}`, { signal }),
  breakGlass: (period: { from: string; to: string }, signal?: AbortSignal) =>
    request<{ items: BreakGlassUse[] }>('GET', `/api/audit/reports/break-glass?${queryString(period)}`, { signal }),
  /** Saves the CSV (asks for the authenticator code first when needed); returns the file name. */
  exportCsv: (q: { from?: string; to?: string; personId?: string }) => downloadFile(`/api/audit/export?${queryString(q)}`),
  accessedPersons: (q: { login: string; from: string; to: string }, signal?: AbortSignal) =>
    request<AccessedPersons>('GET', `/api/audit/accessed-persons?${queryString(q)}`, { signal }),

  /** The register, newest discovery first, a page at a time. */
  listIncidents: (query: { cursor?: string }, signal?: AbortSignal) =>
    request<{ items: IncidentSummary[]; nextCursor: string | null }>('GET', `/api/incidents?${queryString(query)}`, { signal }),
  getIncident: (id: string, signal?: AbortSignal) => request<IncidentDetail>('GET', `/api/incidents/${e(id)}`, { signal }),
  createIncident: (body: IncidentInput, idempotencyKey?: string) => request<IncidentDetail>('POST', '/api/incidents', { body, idempotencyKey }),
  updateIncident: (id: string, body: { version: number; status?: IncidentStatus } & Partial<IncidentInput>) =>
    request<IncidentDetail>('PATCH', `/api/incidents/${e(id)}`, { body }),
  recordReport: (id: string, body: { kind: ReportKind; reportedOn: string; note?: string }) =>
    request<IncidentDetail>('POST', `/api/incidents/${e(id)}/reports`, { body }),
  recordAction: (id: string, body: { takenAt: string; description: string }) =>
    request<IncidentDetail>('POST', `/api/incidents/${e(id)}/actions`, { body }),
  addPersons: (id: string, body: { personIds: string[] } | { accessedBy: { userId: string; from: string; to: string } }) =>
    request<IncidentDetail & { added: number }>('POST', `/api/incidents/${e(id)}/persons`, { body }),
  removePerson: (id: string, personId: string) => request<IncidentDetail>('DELETE', `/api/incidents/${e(id)}/persons/${e(personId)}`),
  recordNotification: (id: string, body: { personIds: string[]; notifiedOn: string; method: string }) =>
    request<IncidentDetail>('POST', `/api/incidents/${e(id)}/notifications`, { body }),
};
