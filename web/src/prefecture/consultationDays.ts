import { queryString, request } from '../api.ts';
import type * as Server from '../../../src/modules/prefecture/consultationDayTypes.ts';
import type { Wire } from '../../../src/lib/wire.ts';

/** 巡回相談 (src/modules/prefecture/consultationDayRoutes.ts); the shapes are the server's. */
export type Who = Server.Who;
export type ConsentField = Server.ConsentField;
export type DayBooking = Wire<Server.Booking>;
export type DaySession = Wire<Server.Session>;
export type DaySummary = Server.DaySummary;
export type ConsultationDay = Wire<Server.Day>;
export type DayDefaults = Server.DayDefaults;
export type DayFigures = Server.ConsultationDayFigures;
export type BookingBody = Server.BookingInput;

const e = encodeURIComponent;

export const consultationDaysApi = {
  list: (q: { fiscalYear?: number; municipality?: string }, signal?: AbortSignal) =>
    request<{ defaults: DayDefaults | null; items: DaySummary[] }>('GET', `/api/prefecture/consultation-days?${queryString(q)}`, { signal }),
  get: (id: string, signal?: AbortSignal) => request<ConsultationDay>('GET', `/api/prefecture/consultation-days/${e(id)}`, { signal }),
  plan: (body: Server.DayInput) => request<ConsultationDay>('POST', '/api/prefecture/consultation-days', { body }),
  replan: (id: string, body: Server.ReplanInput) => request<ConsultationDay>('PATCH', `/api/prefecture/consultation-days/${e(id)}`, { body }),
  remove: (id: string) => request<void>('DELETE', `/api/prefecture/consultation-days/${e(id)}`),
  figures: (fiscalYear: number | undefined, signal?: AbortSignal) =>
    request<DayFigures>('GET', `/api/prefecture/consultation-days/figures?${queryString({ fiscalYear })}`, { signal }),
  book: (body: BookingBody) => request<ConsultationDay>('POST', '/api/prefecture/consultation-days/bookings', { body }),
  move: (id: string, sessionId: string) => request<ConsultationDay>('PATCH', `/api/prefecture/consultation-days/bookings/${e(id)}`, { body: { sessionId } }),
  cancel: (id: string) => request<ConsultationDay>('DELETE', `/api/prefecture/consultation-days/bookings/${e(id)}`),
  outcome: (sessionId: string, body: Server.OutcomeInput) => request<ConsultationDay>('PUT', `/api/prefecture/consultation-days/sessions/${e(sessionId)}/outcome`, { body }),
};
