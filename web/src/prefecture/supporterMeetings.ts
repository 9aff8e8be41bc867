import { downloadFile, queryString, request } from '../api.ts';

/** 支援者交流会・研修 (src/modules/prefecture/supporterMeetingRoutes.ts). */
export type MeetingKind = 'exchange' | 'training';
export const MEETING_KINDS: MeetingKind[] = ['exchange', 'training'];

export interface Invitee { kind: 'municipality' | 'partner'; id: string; code: string | null; name: string }
export interface Tally { invited: number; registered: number; attended: number }

export interface MeetingSummary {
  id: string;
  kind: MeetingKind;
  title: string;
  date: string;
  dateLabel: string;
  startTime: string;
  endTime: string | null;
  place: string | null;
  online: boolean;
  capacity: number;
  registered: number;
  free: number;
  registrationDeadline: string;
  deadlineLabel: string;
  open: boolean;
  held: boolean;
  cancelled: { at: string; reason: string } | null;
}

export interface MeetingRegistration {
  id: string;
  invitee: Invitee;
  name: string;
  section: string | null;
  job: string | null;
  email: string | null;
  walkIn: boolean;
  attended: boolean | null;
  registeredAt: string;
}

export interface SupporterMeeting extends MeetingSummary {
  description: string | null;
  allMunicipalities: boolean;
  version: number;
  invitees: (Invitee & { registered: number; attended: number })[];
  registrations: MeetingRegistration[];
}

export interface MeetingBody {
  kind: MeetingKind;
  title: string;
  date: string;
  startTime: string;
  endTime?: string | null;
  place?: string | null;
  online: boolean;
  capacity: number;
  registrationDeadline: string;
  description?: string | null;
  allMunicipalities: boolean;
  municipalityCodes: string[];
  partnerIds: string[];
}

export interface RegistrationBody {
  name: string;
  section?: string | null;
  job?: string | null;
  email?: string | null;
  inviteeId?: string;
  walkIn?: boolean;
}

export interface MeetingFigures { fiscalYear: number; label: string; rows: { invitee: Invitee; exchange: Tally; training: Tally; total: Tally }[] }

const e = encodeURIComponent;
const BASE = '/api/prefecture/supporter-meetings';

export const supporterMeetingsApi = {
  list: (q: { fiscalYear?: number }, signal?: AbortSignal) => request<{ items: MeetingSummary[] }>('GET', `${BASE}?${queryString(q)}`, { signal }),
  get: (id: string, signal?: AbortSignal) => request<SupporterMeeting>('GET', `${BASE}/${e(id)}`, { signal }),
  invitees: (signal?: AbortSignal) => request<{ municipalities: Invitee[]; partners: Invitee[] }>('GET', `${BASE}/invitees`, { signal }),
  figures: (fiscalYear: number | undefined, signal?: AbortSignal) => request<MeetingFigures>('GET', `${BASE}/figures?${queryString({ fiscalYear })}`, { signal }),
  downloadFigures: (fiscalYear: number, format: 'xlsx' | 'csv' | 'sjis.csv') =>
    downloadFile(`${BASE}/figures/export?${queryString({ fiscalYear, format })}`, `supporter-meetings-FY${fiscalYear}.${format}`),
  create: (body: MeetingBody) => request<SupporterMeeting>('POST', BASE, { body }),
  update: (id: string, body: Partial<MeetingBody> & { version: number }) => request<SupporterMeeting>('PATCH', `${BASE}/${e(id)}`, { body }),
  cancel: (id: string, reason: string) => request<SupporterMeeting>('POST', `${BASE}/${e(id)}/cancel`, { body: { reason } }),
  register: (id: string, body: RegistrationBody) => request<SupporterMeeting>('POST', `${BASE}/${e(id)}/registrations`, { body }),
  unregister: (registrationId: string) => request<SupporterMeeting>('DELETE', `${BASE}/registrations/${e(registrationId)}`),
  attendance: (registrationId: string, attended: boolean) => request<SupporterMeeting>('PUT', `${BASE}/registrations/${e(registrationId)}/attendance`, { body: { attended } }),
};
