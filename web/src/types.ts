/** Shapes of the staff API (/api/...), as the web UI reads them. */
import type { Wire } from '../../src/lib/wire.ts';
import type * as Server from '../../src/modules/network/types.ts';
import type * as Cases from '../../src/modules/cases/types.ts';
import type * as Intake from '../../src/modules/intake/types.ts';
import type * as Meetings from '../../src/modules/meetings/types.ts';
import type * as Referrals from '../../src/modules/referrals/types.ts';

export interface FieldError {
  field: string;
  message: string;
}

export type Ref = Server.Ref;

export interface Membership {
  municipalityId: string;
  municipalityName: string;
  organizationId: string;
  organizationName: string;
  role: string;
  /** Whether this membership holds the 要配慮 grant. */
  sensitiveAccess: boolean;
}

export interface Session {
  user: { id: string; login: string; displayName: string };
  municipality: { id: string; code: string; name: string; nameEn: string | null };
  organization: { id: string; name: string; nameEn: string | null };
  role: string;
  /**
   * Whether the acting membership holds the 要配慮 grant. Without it the server
   * leaves 要配慮個人情報 (health, disability, public assistance…) out of its answers.
   */
  sensitiveAccess: boolean;
  memberships: Membership[];
  csrfToken: string;
}

/** After the password: enter the authenticator code, or set up an authenticator on the first sign-in. */
export type SecondFactorStep = 'verify' | 'enroll';

/** POST /api/session answers the session, or which second-factor step comes next. */
export type SignInAnswer = Session | { secondFactor: SecondFactorStep };

/** A new authenticator secret: base32 text, its otpauth:// URL, and that URL as a QR code (SVG text). */
export interface Enrollment {
  secret: string;
  otpauthUrl: string;
  qrSvg: string;
}

/** The first code confirmed: the session, and the recovery codes, shown this once. */
export interface EnrollmentResult {
  session: Session;
  recoveryCodes: string[];
}

// 利用者と権限 (GET /api/users): staff accounts, their memberships and 要配慮 grants.

export interface UserMembership {
  organizationId: string;
  organizationName: string;
  role: string;
  active: boolean;
  /** The 要配慮 grant; who gave it and when (cleared when it is taken back). */
  sensitiveAccess: boolean;
  sensitiveGrantedAt: string | null;
  sensitiveGrantedBy: string | null;
}

export interface UserListing {
  id: string;
  login: string;
  displayName: string;
  active: boolean;
  mfaEnrolled: boolean;
  memberships: UserMembership[];
}

export interface SensitiveAccessChange {
  granted: boolean;
  reason: string;
}

export type Term = Server.Term;
export type LegalBasisTerm = Server.LegalBasisTerm;
export type ShareBasisTerm = Server.ShareBasisTerm;
export type Vocabularies = Server.Vocabularies;

export type VocabularyName = keyof Vocabularies;

export type Contact = Server.Contact;
export type Cadence = Server.Cadence;
export type PartnerOf = Server.PartnerOf;
export type ProgramStatus = Server.ProgramStatus;
export type Eligibility = Server.Eligibility;
export type Area = Server.Area;

// The network's response schemas (src/modules/network/routes.ts) leave networkRoles out.
export type Organization = Omit<Wire<Server.Organization>, 'networkRoles'>;
export type Program = Omit<Wire<Server.Program>, 'networkRoles'>;
export type MeetingSeries = Omit<Wire<Server.MeetingSeries>, 'networkRoles'>;

export interface Network extends Omit<Wire<Server.NetworkOverview>, 'organizations' | 'programs' | 'meetingSeries'> {
  organizations: Organization[];
  programs: Program[];
  meetingSeries: MeetingSeries[];
}

export interface OrganizationDetail extends Omit<Wire<Server.OrganizationDetail>, 'organization' | 'programsOwned' | 'programsRun'> {
  organization: Organization;
  programsOwned: Program[];
  programsRun: Program[];
}

// --- Consultations (相談受付) -------------------------------------------------

export type Urgency = Intake.Urgency;

export type AgeBand = Cases.AgeBand;

export type IntakeFields = Intake.IntakeFields;

/** The form sends every field; the server's ConsultationInput allows most to be left out. */
export interface NewConsultation extends IntakeFields {
  receivedAt: string;
  doorOrganizationId?: string;
}

export type ConsultationPatch = { version: number } & Partial<IntakeFields>;

export type ConsultationSummary = Wire<Intake.Consultation>;

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

export type ConsultationStep = Wire<Intake.ConsultationStep>;

export type Reporter = Intake.Reporter;

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

// --- Persons and support cases (支援ケース) ----------------------------------------

export type CaseStatus = Cases.CaseStatus;
export type CaseAccess = Cases.CaseAccess;
export type PersonHeader = Cases.PersonHeader;
export type Person = Cases.Person;
export type PersonInput = Cases.PersonInput;
export type DuplicateMatch = Cases.DuplicateMatch;
export type DuplicateCandidate = Cases.DuplicateCandidate;
export type HouseholdMemberInput = Cases.HouseholdMemberInput;
export type NewCase = Cases.OpenCaseInput;
export type CaseSummary = Wire<Cases.CaseSummary>;

export type ParticipantRole = 'lead' | 'participant' | 'referral_receiver';

export type Consent = Wire<Cases.Consent>;
export type ConsentMethod = Cases.ConsentMethod;
export type ConsentInput = Cases.ConsentInput;
export type CaseDetail = Wire<Cases.CaseDetail>;

export interface CasePage {
  items: CaseSummary[];
  nextCursor: string | null;
}

export type CaseQuery = Cases.CaseQuery;

export interface CaseStatusChange {
  version: number;
  status: CaseStatus;
  reason?: string;
  closureReason?: string;
}

export type TimelineEntry = Wire<Cases.TimelineEntry>;
export type ContactKind = Cases.ContactKind;
export type ContactRecordInput = Cases.ContactRecordInput;
export type ContactRecord = Wire<Cases.ContactRecord>;
export type LifeArea = Cases.LifeArea;
export type AreaAssessment = Cases.AreaAssessment;
export type AssessmentInput = Cases.AssessmentInput;
export type Assessment = Wire<Cases.Assessment>;
export type GoalKind = Cases.GoalKind;
export type PlanInput = Cases.PlanInput;
export type SupportPlan = Wire<Cases.SupportPlan>;

// --- Referrals (つなぎ) ------------------------------------------------------------

export type ReferralStatus = Referrals.ReferralStatus;

export interface Referral {
  id: string;
  caseId: string;
  caseReference: string;
  from: Ref;
  to: Ref;
  program: Ref | null;
  reason: string;
  /** What the receiver is told: written by the sender within the person's consent. */
  sharedSummary: string;
  urgency: Urgency;
  firstContactDue: string;
  status: ReferralStatus;
  statusNote: string | null;
  sentAt: string;
  acceptedAt: string | null;
  firstContactAt: string | null;
  closedAt: string | null;
  /** No acceptance, or no first contact, by the due date. */
  overdue: boolean;
  history: { status: string; note: string | null; at: string; organization: Ref | null }[];
  legalBasis: ReferralLegalBasis;
  /** The receiver is a prefecture's 連携団体: it has no accounts, so its sender (or the hub) records its answers. */
  receiverPartner?: { prefectureName: string } | null;
  version: number;
}

/** What a referral's share rests on (DOMAIN.md §3), as recorded when it was sent. */
export interface ReferralLegalBasis {
  /** A share basis code, or 'not_recorded' for referrals from before bases were recorded. */
  basis: string;
  /** The basis in Japanese, written by the server. */
  label: string;
  consentId: string | null;
  consentGivenOn: string | null;
  meeting: { seriesId: string; name: string; date: string; sessionId: string | null } | null;
  /** The item of 個人情報保護法第69条第2項. */
  paragraph: number | null;
  reason: string | null;
}

export type ReferralBox = 'incoming' | 'outgoing' | 'overdue';

export interface ReferralQuery {
  box: ReferralBox;
  open?: boolean;
  caseId?: string;
  cursor?: string;
}

export interface NewReferral {
  toOrganizationId?: string;
  toProgramId?: string;
  reason: string;
  sharedSummary: string;
  urgency: Urgency;
  firstContactDue: string;
  legalBasis: LegalBasisInput;
}

export type Art69Item = 2 | 3 | 4;

/** POST /api/cases/:id/referrals legalBasis: only the fields its basis needs. */
export interface LegalBasisInput {
  basis: string;
  consentId?: string;
  meetingSeriesId?: string;
  meetingDate?: string;
  paragraph?: Art69Item;
  reason?: string;
}

export interface ReferralStatusChange {
  version: number;
  status: Exclude<ReferralStatus, 'sent'>;
  note?: string;
}

// --- Coordination meetings (会議) — /work/meetings-api.md ------------------------------

/** A label the server writes in both languages. */
export interface BothLanguages {
  ja: string;
  en: string;
}

export type RecurrenceRule = Meetings.RecurrenceRule;
export type HolidayShift = Meetings.HolidayShift;

export interface MeetingRecurrence {
  id: string;
  rule: RecurrenceRule;
  holidayShift: HolidayShift;
  place: string | null;
  description: BothLanguages;
}

export type SessionStatus = 'scheduled' | 'held' | 'cancelled';

/** One session as the calendar shows it. */
export interface MeetingSession {
  id: string;
  series: Ref & { statutory: boolean };
  /** 'YYYY-MM-DD' (Japan). */
  date: string;
  startsAt: string;
  endsAt: string;
  /** The date the recurrence gave, when a public holiday moved the session. */
  movedFrom: string | null;
  place: string | null;
  status: SessionStatus;
  /** While now is inside this window, the cases on the agenda are shared (支援会議). */
  shareFrom: string;
  shareUntil: string;
  windowOpen: boolean;
  agendaCount: number;
  version: number;
}

/** A meeting series with what the meetings module adds (recurrence, feed, acknowledgement, next session). */
export interface MeetingSeriesView {
  id: string;
  key: string;
  name: string;
  nameEn: string | null;
  legalBasis: string;
  legalBasisLabel: BothLanguages;
  /** 支援会議: members share cases on the agenda without consent. */
  statutory: boolean;
  /** False for liaison meetings: topics only. */
  casesAllowed: boolean;
  purpose: string;
  cadence: Cadence | null;
  organizer: Ref | null;
  members: Ref[];
  memberLevel: string | null;
  recurrence: MeetingRecurrence | null;
  /** The statement members acknowledge (支援会議 only). */
  confidentialityStatement: string | null;
  /** When the signed-in user acknowledged it. */
  acknowledgedAt: string | null;
  /** The coordinator only: the iCalendar feed's path (/api/meetings/feeds/<token>.ics). */
  feedUrl: string | null;
  nextSession: MeetingSession | null;
}

export interface RecurrenceInput {
  rule: RecurrenceRule;
  holidayShift: HolidayShift;
  place?: string;
  /** 1–24 */
  count: number;
}

export type AgendaKind = 'case' | 'topic' | 'action_review';
export type AgendaReason = 'plan_review' | 'referral_overdue' | 'no_contact' | 'complex' | 'action_overdue' | 'added';
/** How much of a case item the viewer gets. */
export type AgendaView = 'full' | 'summary' | 'pseudonymised' | 'hidden';

/** What an agenda shows of a case (views full and summary only). */
export interface AgendaCase {
  id: string;
  reference: string;
  status: CaseStatus;
  lead: Ref;
  person: { name: string | null; nameKana: string | null; ageBand: AgeBand | null };
  /** 要配慮 tags are left out for users without the grant. */
  issueTags: string[];
  lastContactAt: string | null;
  plan: {
    id: string;
    planNo: number;
    goals: { kind: GoalKind; text: string }[];
    reviewDate: string;
    confirmedOn: string | null;
    confirmedIn: string | null;
  } | null;
  /** The viewer may open the case page (its own, or through the 支援会議 while the window is open). */
  canOpen: boolean;
}

export interface AgendaItem {
  id: string;
  position: number;
  kind: AgendaKind;
  reason: AgendaReason;
  reasonDetail: string | null;
  /** Topics: the title; action reviews: the action's description. */
  title: string | null;
  /** The pseudonym: 事例1… */
  label: string;
  view: AgendaView;
  case: AgendaCase | null;
  pseudonym: { label: string; ageBand: AgeBand | null; issueTags: string[] } | null;
  minutes: string | null;
  /** action_review items: the action item reviewed. */
  actionItemId?: string | null;
  version: number;
}

export interface MeetingDecision {
  id: string;
  agendaItemId: string | null;
  text: string;
  recordedAt: string;
  ruleId: string | null;
  confirmedPlanId: string | null;
}

export type ActionItemStatus = 'open' | 'done' | 'cancelled';

/** 対応事項: who does what by when, followed until done. */
export interface MeetingActionItem {
  id: string;
  session: { id: string; date: string; seriesName: string };
  organization: Ref;
  description: string;
  dueOn: string;
  status: ActionItemStatus;
  overdue: boolean;
  doneAt: string | null;
  doneNote: string | null;
  /** reference is null when the viewer may not see the case. */
  case: { id: string; reference: string | null; label: string } | null;
  decisionId: string | null;
  version: number;
}

export type ViewerMode = 'coordinator' | 'member' | 'guest';
export type GuestKind = 'welfare_commissioner' | 'lived_experience' | 'expert' | 'other';
export type GuestSees = 'topics' | 'pseudonymised';

export interface MeetingSessionDetail extends Omit<MeetingSession, 'series'> {
  series: { id: string; name: string; legalBasis: string; legalBasisLabel: BothLanguages; statutory: boolean; casesAllowed: boolean };
  viewer: { mode: ViewerMode; acknowledged: boolean; needsAcknowledgement: boolean };
  agenda: AgendaItem[];
  attendance: { organization: Ref; present: boolean | null; attendeeNames: string | null }[];
  decisions: MeetingDecision[];
  actionItems: MeetingActionItem[];
  /** The coordinator only; empty for others. */
  guests: { id: string; user: { id: string; displayName: string }; kind: string; sees: string; present: boolean | null }[];
}

export interface SessionInput {
  seriesId: string;
  date: string;
  start: string;
  minutes: number;
  place?: string;
}

export interface SessionPatch {
  version: number;
  date?: string;
  start?: string;
  minutes?: number;
  place?: string;
  status?: SessionStatus;
  shareFrom?: string;
  shareUntil?: string;
}

/** What Tsunagu proposes for a session's agenda. */
export interface AgendaProposal {
  kind: 'case' | 'action_review';
  caseId: string | null;
  actionItemId: string | null;
  reason: AgendaReason;
  reasonDetail: string | null;
  /** The case's reference, or the action's description. */
  reference: string;
  onAgenda: boolean;
}

export type AgendaItemInput =
  | { kind: 'case'; caseId: string; reason?: AgendaReason; reasonDetail?: string }
  | { kind: 'topic'; title: string }
  | { kind: 'action_review'; actionItemId: string };

export interface AttendanceEntry {
  organizationId: string;
  present: boolean;
  attendeeNames?: string;
}

export interface GuestInput {
  userId: string;
  kind: GuestKind;
  sees: GuestSees;
}

export interface ActionItemInput {
  organizationId: string;
  description: string;
  dueOn: string;
  caseId?: string;
}

export interface DecisionInput {
  agendaItemId?: string;
  text: string;
  actionItems?: ActionItemInput[];
  confirmPlanId?: string;
  rule?: { title: string; body: string; routingRuleKey?: string; supersedesId?: string };
  endsRuleId?: string;
}

/** A confidentiality acknowledgement on file (守秘義務の確認), for the hub, privacy officers and auditors. */
export interface AcknowledgementOnFile {
  user: { id: string; displayName: string; login: string };
  organizations: Ref[];
  statement: string;
  acknowledgedAt: string;
}

/** 統一見解: a decision the city applies from now on, changed only by a later decision. */
export interface AgreedRule {
  id: string;
  number: number;
  title: string;
  body: string;
  inForceFrom: string;
  source: { sessionId: string; date: string; seriesName: string; decisionId: string };
  routingRuleKey: string | null;
  supersedes: { id: string; number: number } | null;
  endedAt: string | null;
  endedBy: { sessionId: string; date: string } | null;
}
