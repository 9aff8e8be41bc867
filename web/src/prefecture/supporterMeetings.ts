import { downloadFile, queryString, request } from '../api.ts';
import type * as Server from '../../../src/modules/prefecture/supporterMeetingTypes.ts';
import type { Wire } from '../../../src/lib/wire.ts';

/** 支援者交流会・研修 (src/modules/prefecture/supporterMeetingRoutes.ts); the shapes are the server's. */

export { MEETING_KINDS } from '../../../src/modules/prefecture/supporterMeetingTypes.ts';
export type MeetingKind = Server.MeetingKind;
export type Invitee = Server.Invitee;
export type Tally = Server.Tally;
export type MeetingSummary = Wire<Server.MeetingSummary>;
export type MeetingRegistration = Wire<Server.Registration>;
export type SupporterMeeting = Wire<Server.Meeting>;
export type MeetingBody = Server.MeetingInput;
export type RegistrationBody = Server.RegistrationInput;
export type MeetingFigures = Server.MeetingFigures;

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
