/**
 * The incident register's API shapes (service.ts, deadlines.ts), declared
 * once for the server and the web app (web/src/privacy/types.ts reads them
 * through Wire). Types and plain data only: the web bundle imports this file
 * as it is.
 */

export const INCIDENT_STATUSES = ['investigating', 'contained', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type ReportKind = 'preliminary' | 'final';

export interface IncidentInput {
  title: string;
  discoveredAt: string;
  occurredFrom?: string | null;
  occurredTo?: string | null;
  description: string;
  dataKinds: string[];
  sensitiveData: boolean;
  financialHarmRisk?: boolean;
  unauthorizedPurpose: boolean;
  personsCount?: number | null;
}

export interface IncidentSummary {
  id: string;
  reference: string;
  title: string;
  discoveredAt: Date;
  status: IncidentStatus;
  sensitiveData: boolean;
  financialHarmRisk: boolean;
  unauthorizedPurpose: boolean;
  /** The stated number of persons affected, if given. */
  personsCount: number | null;
  /** Persons identified in the register. */
  identifiedPersons: number;
  deadlines: IncidentDeadlines;
  version: number;
}

export interface AffectedPerson {
  personId: string;
  name: string | null;
  nameKana: string | null;
  /** False once the person's record was disposed of (retention); the id stays. */
  held: boolean;
  source: 'manual' | 'access_query';
  addedAt: Date;
  notifiedOn: string | null;
  notificationMethod: string | null;
}

export interface IncidentDetail extends IncidentSummary {
  occurredFrom: Date | null;
  occurredTo: Date | null;
  description: string;
  dataKinds: string[];
  closedAt: Date | null;
  createdAt: Date;
  persons: AffectedPerson[];
  reports: { seq: number; kind: ReportKind; reportedOn: string; note: string | null; recordedAt: Date }[];
  actions: { seq: number; takenAt: Date; description: string; recordedAt: Date }[];
}

// Reporting deadlines (deadlines.ts)

export type ReportableGround = 'sensitive_data' | 'financial_harm_risk' | 'unauthorized_purpose' | 'many_persons';

export interface Deadline {
  kind: ReportKind;
  /** A target (速報's 目安) rather than a legal last day. */
  target: boolean;
  /** For a target: the first day of its window. */
  from: string | null;
  /** The last day (inclusive). */
  due: string;
  /** When the report was made, if it was. */
  reportedOn: string | null;
  /** Days from today to the last day; negative when past it; null once reported. */
  daysLeft: number | null;
  overdue: boolean;
}

export interface IncidentDeadlines {
  reportable: boolean;
  grounds: ReportableGround[];
  deadlines: Deadline[];
}
