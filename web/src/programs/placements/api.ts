import { request } from '../../api.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const SUPPORT_KINDS = ['job_coach', 'accompaniment', 'short_hours_start', 'quiet_space', 'written_instructions', 'fixed_mentor', 'flexible_schedule'] as const;
export const PLACEMENT_KINDS = ['trial', 'intermediate', 'job'] as const;
export const OUTCOMES = ['continued', 'employed', 'ended'] as const;

type Ref = { id: string; name: string };

export interface Placement {
  id: string; name: string; kind: (typeof PLACEMENT_KINDS)[number]; program: Ref | null; tasks: string[]; hoursMin: number | null; hoursMax: number | null;
  days: string[]; area: Ref | null; place: string | null; travelNotes: string | null; supportOffered: string[]; supportNotes: string | null; capacity: number;
  contact: string | null; active: boolean; organization: Ref; occupied: number; placesLeft: number; updatedAt: string; version: number;
}

export interface PlacementInput {
  name: string; kind: string; programId?: string | null; tasks: string[]; hoursMin?: number | null; hoursMax?: number | null; days?: string[]; areaId?: string | null;
  place?: string | null; travelNotes?: string | null; supportOffered?: string[]; supportNotes?: string | null; capacity: number; contact?: string | null; active?: boolean;
}

export interface WorkPreferences {
  hoursMin: number | null; hoursMax: number | null; days: string[]; tasks: string[]; areaId: string | null; maxTravelMinutes: number | null;
  travelMinutes: Record<string, number>; supportNeeded: string[]; notes: string | null; healthNotes?: string | null; updatedAt: string | null; version: number;
}

export interface Reason { aspect: string; verdict: 'fits' | 'partly' | 'misses' | 'unknown'; detail: Record<string, string | number | string[]> }
export interface Match { placementId: string; score: number; fits: boolean; placement: Placement; reasons: Reason[] }

export interface CheckIn { months: number; dueOn: string; doneOn: string | null; stillWorking: boolean | null; note: string | null }
export interface PlacementRecord {
  id: string; caseId: string; placement: { id: string; name: string; kind: string }; organization: Ref; trialFrom: string | null; trialTo: string | null;
  daysAttended: number; jobStartedOn: string | null; outcome: (typeof OUTCOMES)[number] | null; outcomeOn: string | null; endedReason: string | null;
  note: string | null; checkIns: CheckIn[]; createdAt: string; version: number;
}
export interface DueCheckIn { recordId: string; caseId: string; caseReference: string; placement: Ref; jobStartedOn: string; months: number; dueOn: string; overdueDays: number }

const e = encodeURIComponent;

/** Participation and work (参加支援・就労): placements, matching, placement records and 職場定着 check-ins. */
export const placementsApi = {
  list: (signal?: AbortSignal) => request<{ items: Placement[] }>('GET', '/api/placements', { signal }),
  create: (body: PlacementInput) => request<Placement>('POST', '/api/placements', { body }),
  update: (id: string, body: Partial<PlacementInput> & { version: number }) => request<Placement>('PATCH', `/api/placements/${e(id)}`, { body }),
  preferences: (caseId: string, signal?: AbortSignal) => request<WorkPreferences>('GET', `/api/cases/${e(caseId)}/work-preferences`, { signal }),
  savePreferences: (caseId: string, body: Partial<WorkPreferences> & { version: number }) =>
    request<WorkPreferences>('PUT', `/api/cases/${e(caseId)}/work-preferences`, { body }),
  matches: (caseId: string, signal?: AbortSignal) => request<{ preferences: WorkPreferences; matches: Match[] }>('GET', `/api/cases/${e(caseId)}/placement-matches`, { signal }),
  records: (caseId: string, signal?: AbortSignal) => request<{ items: PlacementRecord[] }>('GET', `/api/cases/${e(caseId)}/placement-records`, { signal }),
  createRecord: (body: { caseId: string; placementId: string; trialFrom?: string | null; trialTo?: string | null }) =>
    request<PlacementRecord>('POST', '/api/placement-records', { body }),
  updateRecord: (id: string, body: { version: number; daysAttended?: number; outcome?: string | null; outcomeOn?: string | null; endedReason?: string | null }) =>
    request<PlacementRecord>('PATCH', `/api/placement-records/${e(id)}`, { body }),
  dueCheckIns: (signal?: AbortSignal) => request<{ items: DueCheckIn[] }>('GET', '/api/placement-records/check-ins', { signal }),
  recordCheckIn: (id: string, months: number, body: { doneOn: string; stillWorking: boolean; note?: string | null }) =>
    request<PlacementRecord>('POST', `/api/placement-records/${e(id)}/check-ins/${months}`, { body }),
};

/** Today in Japan as an ISO date (the default for dates staff enter). */
export const japanToday = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
