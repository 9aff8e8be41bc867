import { queryString, request } from '../api.ts';

/** 巡回相談 (src/modules/prefecture/consultationDayRoutes.ts). */
export type Who = 'self' | 'family' | 'both';
export type ConsentField = 'nickname' | 'who' | 'contact';

export interface DayBooking {
  id: string;
  who: Who | null;
  nickname: string | null;
  phone: string | null;
  email: string | null;
  consentScope: ConsentField[];
  note: string | null;
  bookedAt: string;
  reminderSentAt: string | null;
  /** For the window: an email through the outside sender, or a call task for the window (phone only). */
  reminder: { channel: 'email' | 'phone'; state: 'queued' | 'sent' | 'failed'; at: string | null } | null;
}

export interface DaySession {
  id: string;
  position: number;
  startsAt: string;
  endsAt: string;
  booking: DayBooking | null;
  outcome: { attended: boolean; came: Who | null; mainConcern?: string | null; referral: { organizationId: string; consultationId: string | null } | null } | null;
}

export interface DaySummary {
  id: string;
  municipality: { id: string; code: string; name: string };
  date: string;
  dateLabel: string;
  place: string | null;
  startTime: string;
  sessionCount: number;
  sessionMinutes: number;
  staff: string[];
  booked: number;
}

export interface ConsultationDay extends DaySummary { sessions: DaySession[] }

export interface DayDefaults {
  municipalitiesPerYear: number | null;
  daysPerMunicipality: number | null;
  sessionsPerDay: number;
  sessionMinutes: number;
  staffPerDay: number | null;
  startTime: string;
}

export interface DayFigures {
  fiscalYear: number;
  suppressBelow: number;
  items: { municipality: { id: string; code: string; name: string }; offered: number | string; booked: number | string; used: number | string; referrals: number | string }[];
}

export interface BookingBody {
  sessionId: string;
  who: Who;
  nickname: string;
  phone?: string | null;
  email?: string | null;
  consentScope: ConsentField[];
  note?: string | null;
}

const e = encodeURIComponent;

export const consultationDaysApi = {
  list: (q: { fiscalYear?: number; municipality?: string }, signal?: AbortSignal) =>
    request<{ defaults: DayDefaults | null; items: DaySummary[] }>('GET', `/api/prefecture/consultation-days?${queryString(q)}`, { signal }),
  get: (id: string, signal?: AbortSignal) => request<ConsultationDay>('GET', `/api/prefecture/consultation-days/${e(id)}`, { signal }),
  plan: (body: { municipalityCode: string; date: string; place?: string | null; startTime?: string; sessionCount?: number; sessionMinutes?: number; staff: string[]; confirmMoreMunicipalities?: boolean; confirmMoreDays?: boolean }) =>
    request<ConsultationDay>('POST', '/api/prefecture/consultation-days', { body }),
  replan: (id: string, body: { date?: string; place?: string | null; startTime?: string; sessionCount?: number; sessionMinutes?: number; staff?: string[] }) =>
    request<ConsultationDay>('PATCH', `/api/prefecture/consultation-days/${e(id)}`, { body }),
  remove: (id: string) => request<void>('DELETE', `/api/prefecture/consultation-days/${e(id)}`),
  figures: (fiscalYear: number | undefined, signal?: AbortSignal) =>
    request<DayFigures>('GET', `/api/prefecture/consultation-days/figures?${queryString({ fiscalYear })}`, { signal }),
  book: (body: BookingBody) => request<ConsultationDay>('POST', '/api/prefecture/consultation-days/bookings', { body }),
  move: (id: string, sessionId: string) => request<ConsultationDay>('PATCH', `/api/prefecture/consultation-days/bookings/${e(id)}`, { body: { sessionId } }),
  cancel: (id: string) => request<ConsultationDay>('DELETE', `/api/prefecture/consultation-days/bookings/${e(id)}`),
  outcome: (sessionId: string, body: { attended: boolean; came?: Who | null; mainConcern?: string | null; referral?: { organizationId: string; summary: string; consent: boolean } | null }) =>
    request<ConsultationDay>('PUT', `/api/prefecture/consultation-days/sessions/${e(sessionId)}/outcome`, { body }),
};
