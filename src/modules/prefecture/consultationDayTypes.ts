/**
 * Consultation days' API shapes (consultationDays.ts), declared once for the
 * server and the web app (web/src/prefecture/consultationDays.ts reads them
 * through Wire). Types and plain data only: the web bundle imports this file
 * as it is.
 */
import type { Count } from '../stats/types.ts';

export const WHO = ['self', 'family', 'both'] as const;
export type Who = (typeof WHO)[number];
export const CONSENT_FIELDS = ['nickname', 'who', 'contact'] as const;
export type ConsentField = (typeof CONSENT_FIELDS)[number];

export interface MunicipalityRef { id: string; code: string; name: string }

export interface DayInput {
  municipalityCode: string;
  date: string;
  place?: string | null;
  startTime?: string;
  sessionCount?: number;
  sessionMinutes?: number;
  staff: string[];
  /** The centre confirms planning more municipalities in the fiscal year than its profile's plan (municipalitiesPerYear). */
  confirmMoreMunicipalities?: boolean;
  /** The centre confirms more days in this municipality in the fiscal year than its profile's plan (daysPerMunicipality). */
  confirmMoreDays?: boolean;
}

export interface Booking {
  id: string;
  who: Who | null;
  nickname: string | null;
  phone: string | null;
  email: string | null;
  consentScope: ConsentField[];
  note: string | null;
  bookedAt: Date;
  reminderSentAt: Date | null;
  /** For the window only: how the reminder went (an email through the outside sender, or a call task for the window). */
  reminder: { channel: 'email' | 'phone'; state: 'queued' | 'sent' | 'failed'; at: Date | null } | null;
}

export interface Session {
  id: string;
  position: number;
  startsAt: string;
  endsAt: string;
  booking: Booking | null;
  outcome: { attended: boolean; came: Who | null; mainConcern: string | null; referral: { organizationId: string; consultationId: string | null } | null } | null;
}

export interface DaySummary {
  id: string;
  municipality: MunicipalityRef;
  date: string;
  dateLabel: string;
  place: string | null;
  startTime: string;
  sessionCount: number;
  sessionMinutes: number;
  staff: string[];
  booked: number;
}

export interface Day extends DaySummary { sessions: Session[] }

export interface ReplanInput {
  date?: string;
  place?: string | null;
  startTime?: string;
  sessionCount?: number;
  sessionMinutes?: number;
  staff?: string[];
}

export interface BookingInput {
  sessionId: string;
  who: Who;
  nickname: string;
  phone?: string | null;
  email?: string | null;
  consentScope: ConsentField[];
  note?: string | null;
}

export interface OutcomeInput {
  attended: boolean;
  came?: Who | null;
  mainConcern?: string | null;
  /** Only where the person agreed: the local organisation, and the summary they agreed to share. */
  referral?: { organizationId: string; summary: string; consent: boolean } | null;
}

/** What a new day starts from: the prefecture profile's consultation-day settings. */
export interface DayDefaults {
  municipalitiesPerYear: number | null;
  daysPerMunicipality: number | null;
  sessionsPerDay: number;
  sessionMinutes: number;
  staffPerDay: number | null;
  startTime: string;
}

export interface DayFigures {
  municipality: MunicipalityRef;
  offered: Count;
  booked: Count;
  used: Count;
  referrals: Count;
}

export interface ConsultationDayFigures { fiscalYear: number; suppressBelow: number; items: DayFigures[] }
