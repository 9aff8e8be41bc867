import type { Count } from '../../../src/modules/stats/count.ts';
import { downloadFile, queryString, request } from '../api.ts';

export type { Count };
/** Figures by fiscal year (src/modules/stats/routes.ts). A count is a string ("<3") only in figures for publication. */
export interface Ref { id: string; name: string; nameEn: string }
export interface Row { key: string; label: string; labelEn: string; count: Count }
export interface Period { from: string; to: string; fiscalYear: number | null; label: string; labelEn: string }
export type View = 'internal' | 'publication';

export interface Figures {
  municipality: { id: string; name: string };
  period: Period;
  previousPeriod: Period;
  scope: { kind: 'municipality' | 'organization'; organization: Ref | null };
  view: View;
  suppressBelow: number | null;
  /** Publication: some counts are SECONDARY, hidden so that no small count can be worked out from a total. */
  secondarySuppression: boolean;
  consultations: {
    total: Count; byDoor: Row[]; byChannel: Row[]; byRelation: Row[]; byAgeBand: Row[]; byIssue: Row[]; byArea: Row[]; byMonth: Row[];
    sensitiveIssuesHidden: boolean;
  };
  cases: { opened: Count; plansInitial: Count; plansRevised: Count; plans: Count; closed: Count; closuresByReason: Row[]; openedByMonth: Row[] };
  referrals: {
    funnel: { sent: Count; accepted: Count; firstContact: Count; completed: Count; declined: Count; returned: Count };
    bySender: Row[]; byReceiver: Row[]; byMonth: Row[];
    flows: { from: Ref; to: Ref; count: Count }[];
    perOrganization: {
      organization: Ref; sent: Count; accepted: Count; firstContact: Count; completed: Count; declined: Count; returned: Count;
      medianDaysToAcceptance: number | null; medianDaysToFirstContact: number | null;
    }[];
  };
  meetings: { sessionsHeld: Count; casesReviewed: Count; decisions: Count; actionItemsDue: Count; actionItemsDoneOnTime: Count };
  programs: { program: Ref; referrals: Count }[];
  /** Municipality-wide; null for staff who count their own organisation only. */
  programActivity: { outreach: Row[]; work: Row[]; events: Row[] } | null;
  rates: { population: number; months: number; consultationsPer100kPerMonth: number; plansPer100kPerMonth: number } | null;
  previous: { consultations: Count; casesOpened: Count; plans: Count; closed: Count; referralsSent: Count; consultationsByMonth: Row[] };
}

export interface YearTotals {
  fiscalYear: number; label: string; labelEn: string; consultations: Count; casesOpened: Count; plans: Count; closed: Count; referralsSent: Count;
}
export interface Years { available: { fiscalYear: number; label: string; labelEn: string }[]; totals: YearTotals[] }

export type FindingKind = 'quiet_door' | 'overdue_referrals' | 'no_contact' | 'program_without_referrals';
export interface Finding {
  kind: FindingKind; organization: Ref | null; program: Ref | null; count: number; lastAt: string | null; days: number | null; link: string;
}
export interface Health { period: Period; asOf: string; noContactDays: number; findings: Finding[] }

export interface DrillRecord {
  type: 'consultation' | 'case' | 'referral' | 'plan'; id: string; reference: string; at: string; organization: Ref | null;
  status: string | null; caseId: string | null; link: string;
}
export interface Drill { figure: string; by: string | null; key: string | null; period: Period | null; total: number; items: DrillRecord[] }

type Q = Record<string, string | number | undefined>;

export const statsApi = {
  figures: (q: { fiscalYear?: number; view?: View }, signal?: AbortSignal) => request<Figures>('GET', `/api/stats?${queryString(q)}`, { signal }),
  years: (q: { until?: number; count?: number; view?: View }, signal?: AbortSignal) => request<Years>('GET', `/api/stats/years?${queryString(q)}`, { signal }),
  health: (q: { fiscalYear?: number }, signal?: AbortSignal) => request<Health>('GET', `/api/stats/health?${queryString(q)}`, { signal }),
  records: (q: Q, signal?: AbortSignal) => request<Drill>('GET', `/api/stats/records?${queryString(q)}`, { signal }),
  /** Saves a file; asks for the authenticator code again first when the last one is too old. */
  download: (kind: 'xlsx' | 'csv' | 'csv-sjis', q: { fiscalYear?: number; view?: View }) =>
    downloadFile(kind === 'xlsx'
      ? `/api/stats/export.xlsx?${queryString(q)}`
      : `/api/stats/export.csv?${queryString({ ...q, encoding: kind === 'csv-sjis' ? 'shift_jis' : undefined })}`),
};

/** A count hidden in publication so that a small one cannot be worked out from the totals (secondary suppression). */
export const SECONDARY = '—';

/** A count as shown: numbers with separators, "<3" and "—" as they are. */
export function formatCount(c: Count, language: string): string {
  return typeof c === 'number' ? c.toLocaleString(language === 'en' ? 'en-GB' : 'ja-JP') : c;
}

/** The change from last year, as a signed number; null when either is suppressed. */
export function change(now: Count, before: Count): number | null {
  return typeof now === 'number' && typeof before === 'number' ? now - before : null;
}
