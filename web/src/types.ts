/** Shapes of the staff API (/api/...), as the web UI reads them. */

export interface FieldError {
  field: string;
  message: string;
}

export interface Ref {
  id: string;
  name: string;
}

export interface Membership {
  municipalityId: string;
  municipalityName: string;
  organizationId: string;
  organizationName: string;
  role: string;
}

export interface Session {
  user: { id: string; login: string; displayName: string };
  municipality: { id: string; code: string; name: string; nameEn: string | null };
  organization: { id: string; name: string; nameEn: string | null };
  role: string;
  memberships: Membership[];
  csrfToken: string;
}

export interface Term {
  code: string;
  ja: string;
  en: string;
}

export interface LegalBasisTerm extends Term {
  sharesWithoutConsent: boolean;
}

export interface Vocabularies {
  organizationKinds: Term[];
  programKinds: Term[];
  legalBases: LegalBasisTerm[];
  channels: Term[];
  schoolStages: Term[];
  consulterRelations: Term[];
  issueTags: Term[];
  roles: Term[];
}

export type VocabularyName = keyof Vocabularies;

export interface Contact {
  phone?: string;
  email?: string;
  url?: string;
  address?: string;
  hours?: string;
}

export interface Organization {
  id: string;
  key: string;
  name: string;
  nameKana: string | null;
  nameEn: string | null;
  kind: string;
  internal: boolean;
  parentId: string | null;
  hub: boolean;
  staffCount: number | null;
  openedOn: string | null;
  description: string | null;
  focus: string | null;
  contact: Contact | null;
  notes: string[];
  areaIds: string[];
  active: boolean;
}

export interface Cadence {
  every?: number;
  unit?: 'week' | 'month' | 'year';
  timesPerYear?: number;
  approximate?: boolean;
}

export type ProgramStatus = 'active' | 'planned' | 'ended';

export interface Eligibility {
  ageMin: number | null;
  ageMax: number | null;
  schoolStages: string[];
  issueTags: string[];
  areaIds: string[];
  description: string | null;
}

export interface Program {
  id: string;
  key: string;
  name: string;
  nameEn: string | null;
  kind: string;
  status: ProgramStatus;
  description: string | null;
  startedOn: string | null;
  eligibility: Eligibility;
  channels: string[];
  cadence: Cadence | null;
  wideArea: boolean;
  owners: Ref[];
  contractors: Ref[];
  reviewedIn: Ref | null;
  notes: string[];
  active: boolean;
}

export interface MeetingSeries {
  id: string;
  key: string;
  name: string;
  nameEn: string | null;
  cadence: Cadence | null;
  legalBasis: string;
  purpose: string;
  organizer: Ref | null;
  members: Ref[];
  memberLevel: string | null;
  notes: string[];
  active: boolean;
}

export interface Area {
  id: string;
  key: string;
  name: string;
  named: boolean;
  parentId: string | null;
  notes: string[];
}

export interface Network {
  municipality: {
    id: string;
    code: string;
    name: string;
    nameEn: string | null;
    prefecture: string;
    population: number | null;
  };
  organizations: Organization[];
  programs: Program[];
  meetingSeries: MeetingSeries[];
  areas: Area[];
}

export interface OrganizationDetail {
  organization: Organization;
  parent: Ref | null;
  children: Ref[];
  programsOwned: Program[];
  programsRun: Program[];
  meetingSeries: Ref[];
}

// --- Consultations (相談受付) -------------------------------------------------

export type Urgency = 'normal' | 'urgent' | 'emergency';

/** An age band, inclusive: 50代 is { min: 50, max: 59 }. */
export interface AgeBand {
  min: number;
  max: number;
}

/** What staff record about a consultation; age unknown is normal. */
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

export interface NewConsultation extends IntakeFields {
  receivedAt: string;
  doorOrganizationId?: string;
}

export type ConsultationPatch = { version: number } & Partial<IntakeFields>;

export interface ConsultationSummary extends IntakeFields {
  id: string;
  reference: string;
  receivedAt: string;
  door: Ref;
  source: 'staff' | 'concern_report';
  status: 'triage' | 'routed';
  /** The organisation whose queue it is in (or which took it in). */
  holder: Ref;
  destination: { organization: Ref | null; program: Ref | null };
  version: number;
}

/** Why a routing condition held, failed or is unknown, in both languages. */
export interface Explanation {
  condition: string;
  ja: string;
  en: string;
}

/** A rule's destination as keys of the network profile. */
export interface RuleTarget {
  organization?: string;
  program?: string;
  via?: string[];
}

/** A suggestion made concrete from where the consultation is now. */
export interface RouteSuggestion {
  ruleKey: string;
  reason: string;
  reasonEn: string | null;
  matched: Explanation[];
  destination: { organization: Ref; program: Ref | null };
  via: Ref[];
  nextHop: Ref;
  /** True when the holder itself is the last step: following it takes the consultation in. */
  takesIn: boolean;
}

export interface UndecidedRule {
  ruleKey: string;
  priority: number;
  to: RuleTarget;
  reason: string;
  /** What must be found out to decide. */
  needs: Explanation[];
  matched: Explanation[];
}

export interface NearMiss {
  ruleKey: string;
  priority: number;
  to: RuleTarget;
  reason: string;
  matched: Explanation[];
  failed: Explanation;
}

export interface ConsultationStep {
  seq: number;
  kind: 'received' | 'forwarded' | 'routed';
  from: Ref | null;
  to: Ref;
  program: Ref | null;
  reason: string | null;
  ruleKey: string | null;
  followedSuggestion: boolean | null;
  routingVersion: number | null;
  at: string;
}

/** Who sent a resident concern report; shown to the hub only. */
export interface Reporter {
  receiptCode: string;
  anonymous: boolean;
  name: string | null;
  phone: string | null;
  email: string | null;
}

export interface ConsultationDetail extends ConsultationSummary {
  reporter: Reporter | null;
  steps: ConsultationStep[];
  routing: {
    version: number;
    suggestions: RouteSuggestion[];
    undecided: UndecidedRule[];
    nearMisses: NearMiss[];
  };
}

export interface ConsultationPage {
  items: ConsultationSummary[];
  nextCursor: string | null;
}

export interface ConsultationQuery {
  status: 'triage' | 'routed';
  /** An organisation id, or 'all' (hub only); the acting organisation when left out. */
  organizationId?: string;
  cursor?: string;
  limit?: number;
}

/** Follow a suggestion (ruleKey), or choose another destination with a reason. */
export type RouteDecision =
  | { version: number; ruleKey: string }
  | { version: number; organizationId?: string; programId?: string; reason: string };

// --- Routing rules (つなぎのルール) --------------------------------------------

/** What routing knows about an intake; area is the area's key. */
export interface RoutingIntake {
  age?: number | null;
  ageBand?: AgeBand | null;
  schoolStage?: string | null;
  issueTags: string[];
  area?: string | null;
  channel?: string | null;
  consulterRelation?: string | null;
  organizationsInvolved?: number | null;
  cannotVisit?: boolean | null;
}

export interface RuleSuggestion {
  ruleKey: string;
  priority: number;
  to: RuleTarget;
  reason: string;
  reasonEn: string | null;
  publicReason: string | null;
  matched: Explanation[];
}

export interface RoutingResult {
  version: number | null;
  suggestions: RuleSuggestion[];
  undecided: UndecidedRule[];
  nearMisses: NearMiss[];
}

export interface RuleConditions {
  ageMin?: number;
  ageMax?: number;
  schoolStages?: string[];
  issueTagsAny?: string[];
  issueTagsAll?: string[];
  areas?: string[];
  channels?: string[];
  consulterRelations?: string[];
  minDistinctIssues?: number;
  minOrganizationsInvolved?: number;
  cannotVisit?: boolean;
}

export interface RoutingRule {
  id: string;
  priority: number;
  when: RuleConditions;
  to: RuleTarget;
  reason: string;
  reasonEn?: string;
  publicReason?: string;
  source?: { ref: string; section?: string; quote?: string };
}

export interface RuleSet {
  version: number;
  source: string;
  note: string | null;
  createdAt: string;
  rules: RoutingRule[];
}

export interface RuleSetVersion {
  version: number;
  source: string;
  note: string | null;
  createdAt: string;
  createdBy: string | null;
  ruleCount: number;
}

// --- Resident concern window (気がかり相談), no sign-in ---------------------------

export interface ConcernChallenge {
  token: string;
  difficulty: number;
  municipality: { code: string; name: string };
}

export type ConcernRelation = 'self' | 'family' | 'neighbour';
export type ConcernAgeBand = '10s' | '20s' | '30s' | '40s' | '50s' | '60s' | '70s' | '80plus';
export type ConcernWorry =
  | 'hikikomori' | 'mental_health' | 'poverty' | 'elderly_care' | 'school_non_attendance' | 'family_relations' | 'health' | 'other';

export interface ConcernSubmission {
  municipality?: string;
  aboutRelation: ConcernRelation;
  aboutAgeBand: ConcernAgeBand | null;
  worries: ConcernWorry[];
  concern: string;
  anonymous: boolean;
  name: string | null;
  phone: string | null;
  email: string | null;
  /** Honeypot: people leave it empty. */
  website: string;
  challenge: string;
  solution: string;
}
