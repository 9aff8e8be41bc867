/**
 * Support cases' API shapes (service.ts, routes.ts), declared once for the
 * server and the web app (web/src/types.ts reads them through Wire). Types and
 * plain data only: the web bundle imports this file as it is.
 */

export const CASE_STATUSES = ['intake', 'assessment', 'support', 'monitoring', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CONTACT_KINDS = ['phone', 'interview', 'home_visit', 'accompaniment', 'meeting', 'other'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
export const CONSENT_METHODS = ['written', 'verbal', 'other'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** Life areas of the assessment (DOMAIN.md §1.2; the sections are configurable until verified). */
export const LIFE_AREAS = ['health', 'mental_health', 'housing', 'household_budget', 'employment', 'family', 'social_participation', 'daily_living'] as const;
export type LifeArea = (typeof LIFE_AREAS)[number];

/** 'referral': the organisation sees only what was referred to it, never the person. */
export type CaseAccess = 'full' | 'meeting' | 'referral';

/** An age band, inclusive: 50代 is { min: 50, max: 59 }. */
export interface AgeBand {
  min: number;
  max: number;
}

/** A new person, or the fields of a correction. */
export interface PersonInput {
  name?: string | null;
  nameKana?: string | null;
  birthDate?: string | null;
  ageBand?: AgeBand | null;
  gender?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
  areaId?: string | null;
}

/** What a case list shows of its person; only with full or meeting access. */
export interface PersonHeader {
  id: string;
  name: string | null;
  nameKana: string | null;
  /** 'YYYY-MM-DD' */
  birthDate: string | null;
  ageBand: AgeBand | null;
}

export interface Person extends PersonHeader {
  /** As recorded (free text). */
  gender: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  areaId: string | null;
  mergedIntoId: string | null;
  version: number;
}

export type DuplicateMatch = 'name' | 'kana' | 'birthDate';

export interface DuplicateCandidate {
  person: Person;
  /** Why it may be the same person: the same name, reading and/or birth date after normalising. */
  matches: DuplicateMatch[];
}

export interface HouseholdMemberInput {
  personId?: string;
  person?: PersonInput;
  /** 続柄: 母, 父, 配偶者, 子, 兄弟姉妹, その他… */
  relation: string;
}

export interface OpenCaseInput {
  personId?: string;
  person?: PersonInput;
  consultationIds?: string[];
  /** The hub only: another organisation leads. */
  leadOrganizationId?: string;
  complex?: boolean;
  /** Other members of the person's household (the person is added as 本人). */
  household?: { label?: string | null; members: HouseholdMemberInput[] };
}

export interface OrgRef {
  id: string;
  name: string;
}

export interface CaseSummary {
  id: string;
  reference: string;
  status: CaseStatus;
  /** 複合的な課題 */
  complex: boolean;
  lead: OrgRef;
  openedAt: Date;
  closedAt: Date | null;
  lastContactAt: Date | null;
  access: CaseAccess;
  /** Present only with full or meeting access. */
  person: PersonHeader | null;
  version: number;
}

export interface CaseDetail extends CaseSummary {
  closureReason: string | null;
  participants: { organization: OrgRef; role: string; since: Date }[];
  household: { id: string; label: string | null; members: { person: Person; relation: string }[] } | null;
  consultations: { id: string; reference: string; receivedAt: Date; summary: string }[];
  consents: Consent[];
  /** With access meeting: the 支援会議 session the case is read through. */
  meeting?: { sessionId: string; seriesName: string; date: string } | null;
}

export interface Consent {
  id: string;
  personId: string;
  givenOn: string;
  scope: string;
  method: string;
  organizations: OrgRef[];
  recordedAt: Date;
  withdrawnAt: Date | null;
  withdrawalNote: string | null;
}

export interface ConsentInput {
  givenOn: string;
  scope: string;
  method: ConsentMethod;
  organizationIds: string[];
}

export interface CaseQuery {
  /** 'mine': cases my organisation takes part in; 'all': every case I may see (the hub: the municipality). */
  scope?: 'mine' | 'all';
  status?: CaseStatus | 'open';
  limit?: number;
  cursor?: string;
}

export interface ContactRecordInput {
  occurredAt: string;
  kind: ContactKind;
  notes: string;
  nextStep?: string | null;
}

export interface ContactRecord extends ContactRecordInput {
  id: string;
  organization: OrgRef;
  staffName: string;
  createdAt: Date;
}

export interface AreaAssessment {
  situation: string;
  needsSupport: boolean;
}

export interface AssessmentInput {
  assessedOn: string;
  areas: Partial<Record<LifeArea, AreaAssessment>>;
  summary?: string | null;
}

export interface Assessment {
  id: string;
  assessedOn: string;
  organization: OrgRef;
  /** Keyed by life area; read as any string, since the areas may change until verified. */
  areas: Partial<Record<string, AreaAssessment>>;
  summary: string | null;
  createdAt: Date;
}

export type GoalKind = 'long' | 'short';

export interface PlanInput {
  goals: { kind: GoalKind; text: string }[];
  actions: { description: string; organizationId: string; programId?: string | null; dueDate?: string | null }[];
  reviewDate: string;
  personAgreed: boolean;
  agreedOn?: string | null;
}

export interface SupportPlan {
  id: string;
  planNo: number;
  goals: PlanInput['goals'];
  reviewDate: string;
  personAgreed: boolean;
  agreedOn: string | null;
  createdAt: Date;
  confirmedOn: string | null;
  confirmedIn: string | null;
  actions: { seq: number; description: string; organization: OrgRef; programId: string | null; dueDate: string | null; status: string }[];
}

export interface TimelineEntry {
  at: Date;
  kind: string;
  organization: OrgRef | null;
  /** Written by the server, in Japanese. */
  summary: string;
  entityType: string | null;
  entityId: string | null;
}

/** A break-the-glass use (breakGlass.ts): read-only access to one case for a set time. */
export interface BreakGlassUse {
  id: string;
  caseId: string;
  caseReference: string;
  user: { id: string; login: string; displayName: string };
  organizationId: string;
  reason: string;
  startedAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  reviewFinding: string | null;
  reviewedAt: Date | null;
}
