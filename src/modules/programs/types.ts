/**
 * The programs' API shapes: events and drop-in places (events.ts) and
 * outreach (outreach.ts), declared once for the server and the web app
 * (web/src/programs/events/eventsApi.ts, web/src/programs/outreach/api.ts).
 * Types and plain data only: the web bundle imports this file as it is.
 */
import type { EVENT_KINDS } from '../public/types.ts';
import type { Count } from '../stats/types.ts';

export type EventKind = (typeof EVENT_KINDS)[number];


export interface CoMunicipality {
  municipalityId: string | null;
  name: string;
}

export interface EventInput {
  programId?: string | null;
  kind: EventKind;
  title: string;
  description?: string | null;
  startsAt: string;
  endsAt: string;
  place?: string | null;
  online: boolean;
  capacity?: number | null;
  organizerOrgIds: string[];
  coMunicipalities?: CoMunicipality[];
  published: boolean;
  registrationOpen?: boolean;
}

export interface EventRecord extends Required<Omit<EventInput, 'coMunicipalities'>> {
  id: string;
  municipalityId: string;
  coMunicipalities: CoMunicipality[];
  registered: number;
  waiting: number;
  registeredByMunicipality: Record<string, number>;
  countsPulledAt: string | null;
  version: number;
}

/** A co-organiser's view: the event, its counts per municipality, nothing else. */
export interface CoOrganisedEvent {
  id: string;
  organizer: string;
  title: string;
  kind: EventKind;
  startsAt: string;
  endsAt: string;
  registeredByMunicipality: { municipality: string; registered: Count }[];
}

export interface AttendanceRow {
  fromMunicipality: string;
  came: number;
  firstTimers: number;
}

export interface AttendanceFigures {
  sessions: { sessionOn: string; came: Count; firstTimers: Count; byMunicipality: { municipality: string; came: Count; firstTimers: Count }[] }[];
  byMunicipality: { municipality: string; came: Count; firstTimers: Count }[];
  total: { came: Count; firstTimers: Count };
  suppressBelow: number;
  /** Some counts are SECONDARY ("—"): hidden so that no small count can be worked out from the sums. */
  secondarySuppression: boolean;
}

export interface DropInDayInput {
  programId: string;
  day: string;
  visitors: number;
  firstTimers: number;
  note?: string | null;
  /** Visitors with a case who agreed that the visit be recorded on it. */
  caseVisits?: { caseId: string; consented: boolean }[];
}

export interface DropInDay {
  id: string;
  programId: string;
  day: string;
  visitors: number;
  firstTimers: number;
  note: string | null;
  linkedCases: number;
}

// Outreach (outreach.ts)

/** The person's stage, in order (issue #11: no contact → through family → meets visitor → goes out → connected). */
export const OUTREACH_STAGES = ['no_contact', 'family_contact', 'meets_visitor', 'goes_out', 'connected'] as const;
export type OutreachStage = (typeof OUTREACH_STAGES)[number];
export const VISIT_PLACES = ['home', 'door', 'outside'] as const;
export const VISIT_MET = ['person', 'family_only', 'nobody'] as const;
export const END_DESTINATIONS = ['medical', 'program', 'drop_in', 'none'] as const;
export type EndDestination = (typeof END_DESTINATIONS)[number];

export interface OrgRef { id: string; name: string }

export interface Enrolment {
  id: string;
  program: OrgRef;
  caseId: string;
  caseReference: string;
  enrolledBy: OrgRef;
  enrolledOn: string;
  legalBasis: string;
  consentId: string | null;
  plan: { intervalDays: number; nextVisitOn: string | null };
  lastVisitOn: string | null;
  /** The date by which the next visit is due (last visit, or enrolment, plus the interval). */
  dueBy: string;
  overdue: boolean;
  daysSinceVisit: number;
  /** 要配慮: left out below full access (and by the sensitive filter without the grant). */
  stage?: OutreachStage;
  ended: { at: Date; destination: EndDestination; note: string | null; referralId: string | null } | null;
  version: number;
}

export interface Visit {
  id: string;
  enrolmentId: string;
  caseId: string;
  visitedOn: string;
  visitors: { organization: OrgRef; profession: string }[];
  durationMinutes: number;
  place: (typeof VISIT_PLACES)[number];
  met: (typeof VISIT_MET)[number];
  whatHappened: string;
  stage: OutreachStage;
  nextVisitOn: string | null;
  organization: OrgRef;
  recordedAt: Date;
}

export interface VisitInput {
  enrolmentId: string;
  visitedOn: string;
  visitors: { organizationId: string; profession: string }[];
  durationMinutes: number;
  place: Visit['place'];
  met: Visit['met'];
  whatHappened: string;
  stage: OutreachStage;
  nextVisitOn?: string | null;
}
