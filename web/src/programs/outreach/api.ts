import { queryString, request } from '../../api.ts';
import type { LegalBasisInput, NewReferral } from '../../types.ts';

/** Mental-health outreach (アウトリーチ): the staff API of src/modules/programs/outreachRoutes.ts. */
export const OUTREACH_STAGES = ['no_contact', 'family_contact', 'meets_visitor', 'goes_out', 'connected'] as const;
export type OutreachStage = (typeof OUTREACH_STAGES)[number];
export const VISIT_PLACES = ['home', 'door', 'outside'] as const;
export const VISIT_MET = ['person', 'family_only', 'nobody'] as const;
export const END_DESTINATIONS = ['medical', 'program', 'drop_in', 'none'] as const;

interface Ref { id: string; name: string }

export interface Enrolment {
  id: string;
  program: Ref;
  caseId: string;
  caseReference: string;
  enrolledBy: Ref;
  enrolledOn: string;
  legalBasis: string;
  consentId: string | null;
  plan: { intervalDays: number; nextVisitOn: string | null };
  lastVisitOn: string | null;
  dueBy: string;
  overdue: boolean;
  daysSinceVisit: number;
  /** 要配慮: absent without full access or the grant. */
  stage?: OutreachStage;
  ended: { at: string; destination: (typeof END_DESTINATIONS)[number]; note: string | null; referralId: string | null } | null;
  version: number;
}

export interface Visit {
  id: string;
  enrolmentId: string;
  caseId: string;
  visitedOn: string;
  visitors?: { organization: Ref; profession: string }[];
  durationMinutes?: number;
  place?: (typeof VISIT_PLACES)[number];
  met?: (typeof VISIT_MET)[number];
  whatHappened?: string;
  stage?: OutreachStage;
  nextVisitOn: string | null;
  organization: Ref;
  recordedAt: string;
}

export interface VisitInput {
  enrolmentId: string;
  visitedOn: string;
  visitors: { organizationId: string; profession: string }[];
  durationMinutes: number;
  place: NonNullable<Visit['place']>;
  met: NonNullable<Visit['met']>;
  whatHappened: string;
  stage: OutreachStage;
  nextVisitOn?: string | null;
}

const qs = (v: Record<string, string | undefined>) => { const s = queryString(v); return s ? `?${s}` : ''; };

export interface EnrolInput {
  caseId: string;
  legalBasis: LegalBasisInput;
  intervalDays: number;
  nextVisitOn?: string | null;
}

export interface EndInput {
  version: number;
  destination: (typeof END_DESTINATIONS)[number];
  note?: string;
  referral?: NewReferral;
}

export const outreachApi = {
  end: (enrolmentId: string, input: EndInput) => request<Enrolment>('POST', `/api/programs/enrolments/${encodeURIComponent(enrolmentId)}/end`, { body: input }),
  enrol: (programId: string, input: EnrolInput) => request<Enrolment>('POST', `/api/programs/${encodeURIComponent(programId)}/enrolments`, { body: input }),
  caseEnrolments: (caseId: string, signal?: AbortSignal) =>
    request<{ items: Enrolment[] }>('GET', `/api/cases/${encodeURIComponent(caseId)}/outreach-enrolments`, { signal }),
  queue: (programId: string, q: { overdue?: boolean; open?: boolean } = {}, signal?: AbortSignal) =>
    request<{ items: Enrolment[] }>('GET', `/api/programs/${encodeURIComponent(programId)}/enrolments${qs({ overdue: q.overdue === undefined ? undefined : String(q.overdue), open: q.open === undefined ? undefined : String(q.open) })}`, { signal }),
  visits: (enrolmentId: string, signal?: AbortSignal) =>
    request<{ items: Visit[] }>('GET', `/api/outreach-visits${qs({ enrolmentId })}`, { signal }),
  recordVisit: (input: VisitInput, idempotencyKey?: string) => request<Visit>('POST', '/api/outreach-visits', { body: input, idempotencyKey }),
};
