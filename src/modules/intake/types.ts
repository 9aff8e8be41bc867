/**
 * Consultations' API shapes (service.ts, routes.ts), declared once for the
 * server and the web app (web/src/types.ts reads them through Wire). Types and
 * plain data only: the web bundle imports this file as it is. The routing
 * parts of a consultation stay in service.ts: their types come from the
 * profile's schema, which is code.
 */
import type { AgeBand } from '../cases/types.ts';

export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** What staff record about a consultation (相談受付). Age unknown is normal. */
export interface ConsultationInput {
  receivedAt: string;
  doorOrganizationId?: string;
  channel: string;
  consulterRelation: string;
  consulterDetail?: string | null;
  age?: number | null;
  ageBand?: AgeBand | null;
  schoolStage?: string | null;
  areaId?: string | null;
  issueTags: string[];
  mainIssue?: string | null;
  organizationsInvolved?: number | null;
  cannotVisit?: boolean | null;
  familyOnly?: boolean;
  summary: string;
  urgency: Urgency;
}

export interface OrgRef {
  id: string;
  name: string;
}

/** The recorded fields of a consultation, as it is read back. */
export interface IntakeFields {
  channel: string;
  consulterRelation: string;
  consulterDetail: string | null;
  age: number | null;
  ageBand: AgeBand | null;
  schoolStage: string | null;
  areaId: string | null;
  issueTags: string[];
  /** 主訴: one of the issue tags. */
  mainIssue: string | null;
  organizationsInvolved: number | null;
  cannotVisit: boolean | null;
  familyOnly: boolean;
  summary: string;
  urgency: Urgency;
}

export interface Consultation extends IntakeFields {
  id: string;
  reference: string;
  receivedAt: Date;
  door: OrgRef;
  source: 'staff' | 'concern_report';
  status: 'triage' | 'routed';
  /** The organisation whose queue it is in (or which took it in). */
  holder: OrgRef;
  destination: { organization: OrgRef | null; program: OrgRef | null };
  /** The support case opened from it, when there is one. */
  caseId: string | null;
  version: number;
}

export interface ConsultationStep {
  seq: number;
  /** case_opened: a support case was opened from the consultation (it is then taken in). */
  kind: 'received' | 'forwarded' | 'routed' | 'case_opened';
  from: OrgRef | null;
  to: OrgRef;
  program: OrgRef | null;
  reason: string | null;
  ruleKey: string | null;
  followedSuggestion: boolean | null;
  routingVersion: number | null;
  at: Date;
}

/** Who reported a concern: shown to the hub only, since it must call back and no one else needs it. */
export interface Reporter {
  receiptCode: string;
  anonymous: boolean;
  name: string | null;
  phone: string | null;
  email: string | null;
}

export interface QueueQuery {
  status?: 'triage' | 'routed';
  /** Whose queue; defaults to the acting organisation. The hub may give any, or 'all'. */
  organizationId?: string | 'all';
  limit?: number;
  cursor?: string;
}
