import { queryString, request } from '../../api.ts';
import type { LegalBasisInput, NewReferral } from '../../types.ts';
import type * as Server from '../../../../src/modules/programs/types.ts';
import type { Wire } from '../../../../src/lib/wire.ts';

/** Mental-health outreach (アウトリーチ): the staff API of src/modules/programs/outreachRoutes.ts. */
export { END_DESTINATIONS, OUTREACH_STAGES, VISIT_MET, VISIT_PLACES } from '../../../../src/modules/programs/types.ts';
export type OutreachStage = Server.OutreachStage;
export type Enrolment = Wire<Server.Enrolment>;

/** A visit record is 要配慮 as a whole: without the grant the server leaves these fields out. */
type SensitiveVisitField = 'visitors' | 'durationMinutes' | 'place' | 'met' | 'whatHappened' | 'stage';
export type Visit = Omit<Wire<Server.Visit>, SensitiveVisitField> & Partial<Pick<Wire<Server.Visit>, SensitiveVisitField>>;
export type VisitInput = Server.VisitInput;

const qs = (v: Record<string, string | undefined>) => { const s = queryString(v); return s ? `?${s}` : ''; };

// The bodies with a legal basis or a referral use the web's referral shapes (the server's are in referrals/service.ts, code).
export interface EnrolInput {
  caseId: string;
  legalBasis: LegalBasisInput;
  intervalDays: number;
  nextVisitOn?: string | null;
}

export interface EndInput {
  version: number;
  destination: Server.EndDestination;
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
