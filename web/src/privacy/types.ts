/** The audit review and the incident register, as the API returns them (src/modules/audit/routes.ts, src/modules/incidents/routes.ts). */
import type * as Incidents from '../../../src/modules/incidents/types.ts';
import type { Wire } from '../../../src/lib/wire.ts';

export interface UserRef { id: string | null; login: string | null }
export interface OrgRef { id: string; name: string }

export type Outcome = 'success' | 'denied' | 'failure';

export interface AuditEvent {
  seq: number;
  id: string;
  occurredAt: string;
  user: UserRef;
  organization: OrgRef | null;
  role: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  reason: string | null;
  outcome: Outcome;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export interface EventFilters {
  from?: string;
  to?: string;
  login?: string;
  userId?: string;
  organizationId?: string;
  action?: string;
  outcome?: Outcome;
  entityType?: string;
  entityId?: string;
  personId?: string;
  sensitive?: 'true';
  cursor?: string;
  limit?: number;
}

export interface BulkReadRow { user: UserRef; organization: OrgRef | null; day: string; events: number; records: number; exceeded: ('events' | 'records')[] }
export interface BulkReads { thresholds: { eventsPerDay: number; recordsPerDay: number }; items: BulkReadRow[] }

export type OutOfHoursKind = 'weekend' | 'holiday' | 'year_end' | 'outside_hours';
export interface OutOfHoursRow { user: UserRef; organization: OrgRef | null; day: string; kind: OutOfHoursKind; holidayName: string | null; events: number; firstAt: string; lastAt: string }
export interface OutOfHours { workday: { start: string; end: string }; items: OutOfHoursRow[] }

export interface BreakGlassUse {
  user: UserRef; organization: OrgRef | null; caseId: string | null; reason: string | null; startedAt: string; endedAt: string | null;
  minutes: number | null; reviewClosed: boolean | null;
}

export interface AccessedPerson { personId: string; name: string | null; nameKana: string | null; records: number; accesses: number; firstAt: string; lastAt: string }
export interface AccessedPersons { userId: string; persons: AccessedPerson[]; unresolved: { entityType: string; records: number }[] }

export type IncidentStatus = Incidents.IncidentStatus;
export type ReportKind = Incidents.ReportKind;
export type Deadline = Incidents.Deadline;
export type ReportableGround = Incidents.ReportableGround;
export type IncidentSummary = Wire<Incidents.IncidentSummary>;
export type AffectedPerson = Wire<Incidents.AffectedPerson>;
export type IncidentDetail = Wire<Incidents.IncidentDetail>;
export type IncidentInput = Incidents.IncidentInput;
