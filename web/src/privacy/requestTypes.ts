/**
 * The privacy module's answers (src/modules/privacy/schemas.ts): the person's
 * requests with their deadlines, corrections, suspensions of use, the
 * disclosure package and its releases, and the 個人情報ファイル簿.
 */
import type { Ref } from '../types.ts';

export type RequestKind = 'disclosure' | 'correction' | 'suspension';
export type Decision = 'full' | 'partial' | 'none' | 'correct' | 'not_correct' | 'suspend' | 'not_suspend';
export type RequesterRelation = 'self' | 'legal_representative' | 'agent';
export type CorrectableField = 'name' | 'nameKana' | 'birthDate' | 'gender' | 'phone' | 'email' | 'address';
export type GroundCode = 'art78-1-1' | 'art78-1-2' | 'art78-1-3' | 'art78-1-7';

export const REQUEST_KINDS: readonly RequestKind[] = ['disclosure', 'correction', 'suspension'];
export const DECISIONS: Record<RequestKind, readonly Decision[]> = {
  disclosure: ['full', 'partial', 'none'],
  correction: ['correct', 'not_correct'],
  suspension: ['suspend', 'not_suspend'],
};
export const REQUESTER_RELATIONS: readonly RequesterRelation[] = ['self', 'legal_representative', 'agent'];
export const CORRECTABLE_FIELDS: readonly CorrectableField[] = ['name', 'nameKana', 'birthDate', 'gender', 'phone', 'email', 'address'];
/** Decisions that refuse in whole or in part: notified with their reason. */
export const NEEDS_REASON: ReadonlySet<Decision> = new Set(['partial', 'none', 'not_correct', 'not_suspend']);

export interface Change {
  field: CorrectableField;
  value: string | null;
}

export interface PrivacyPerson {
  id: string;
  name: string | null;
  nameKana: string | null;
  birthDate: string | null;
  address: string | null;
  mergedIntoId: string | null;
  caseReferences: string[];
  suspended: boolean;
}

export interface Correction {
  id: string;
  personId: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  correctedAt: string;
  correctedBy: string | null;
  requestId: string;
  requestReference: string;
}

export interface Suspension {
  id: string;
  personId: string;
  requestId: string;
  requestReference: string;
  suspendedOn: string;
  suspendedAt: string;
  liftedOn: string | null;
  liftedAt: string | null;
  liftReason: string | null;
}

export interface RedactionDecision {
  key: string;
  label: string;
  defaultRedacted: boolean;
  defaultGroundCode: GroundCode | null;
  redacted: boolean;
  ground: string | null;
  groundCode: GroundCode | null;
  reason: string | null;
  decidedAt: string | null;
}

export interface Release {
  id: string;
  releasedAt: string;
  releasedBy: string | null;
  contentSha256: string;
  sections: Record<string, number>;
  redactions: RedactionDecision[];
}

export interface RequestSummary {
  id: string;
  reference: string;
  kind: RequestKind;
  person: { id: string; name: string | null; nameKana: string | null } | null;
  requesterRelation: RequesterRelation;
  requesterName: string | null;
  receivedOn: string;
  deadline: string;
  extendedOn: string | null;
  extendedTo: string | null;
  extensionReason: string | null;
  due: string;
  daysLeft: number;
  overdue: boolean;
  dueSoon: boolean;
  decision: Decision | null;
  decidedOn: string | null;
  decidedLate: boolean;
  version: number;
}

export interface RequestDetail extends RequestSummary {
  identityVerification: string;
  content: string;
  requestedChanges: Change[] | null;
  decisionReason: string | null;
  decidedChanges: Change[] | null;
  correctionAppliedAt: string | null;
  personDetail: PrivacyPerson | null;
  corrections: Correction[];
  suspensions: Suspension[];
  releases: Release[];
  createdAt: string;
}

export interface NewRequest {
  kind: RequestKind;
  personId: string;
  receivedOn: string;
  requesterRelation: RequesterRelation;
  requesterName?: string | null;
  identityVerification: string;
  content: string;
  requestedChanges?: Change[];
}

type Redacted = Record<string, string>;
type AgeBand = { min: number; max: number } | null;

export interface PackagePerson {
  id: string; name: string | null; nameKana: string | null; birthDate: string | null; ageBand: AgeBand; gender: string | null;
  phone: string | null; email: string | null; address: string | null; area: string | null; mergedIntoId: string | null; createdAt: string; updatedAt: string;
}
export interface HouseholdMember {
  personId: string; relation: string; self: boolean; name: string | null; nameKana: string | null; birthDate: string | null; ageBand: AgeBand;
  gender: string | null; phone: string | null; email: string | null; address: string | null; redacted: Redacted;
}
export interface PackageCase {
  id: string; reference: string; status: string; complex: boolean; lead: Ref; householdId: string | null; openedAt: string; closedAt: string | null;
  closureReason: string | null; lastContactAt: string | null; createdAt: string; updatedAt: string;
  participants: { organization: Ref; role: string; since: string; until: string | null; reason: string | null }[];
}
export interface PackageConsultation {
  id: string; reference: string; caseIds: string[]; receivedAt: string; door: Ref; channel: string; consulterRelation: string; consulterDetail: string | null;
  age: number | null; ageBand: AgeBand; schoolStage: string | null; area: string | null; issueTags: string[]; mainIssue: string | null;
  organizationsInvolved: number | null; cannotVisit: boolean | null; familyOnly: boolean; summary: string | null; urgency: string; source: string; status: string;
  holder: Ref; destination: Ref | null; destinationProgram: Ref | null; createdAt: string;
  steps: { seq: number; kind: string; from: Ref | null; to: Ref; program: Ref | null; reason: string | null; at: string }[];
  redacted: Redacted;
}
export interface PackageConcernReport {
  id: string; receiptCode: string; consultationId: string; submittedAt: string; aboutRelation: string; aboutAgeBand: string | null; area: string | null;
  concern: string | null; reporterAnonymous: boolean; reporterName: string | null; reporterPhone: string | null; reporterEmail: string | null; takenInAt: string;
  redacted: Redacted;
}
export interface PackageContactRecord {
  id: string; caseId: string | null; occurredAt: string; kind: string; organization: Ref; staffName: string; notes: string | null; nextStep: string | null; createdAt: string;
  redacted: Redacted;
}
export interface PackageAssessment {
  id: string; caseId: string; assessedOn: string; organization: Ref | null; areas: Record<string, { situation: string; needsSupport: boolean }> | null;
  summary: string | null; createdAt: string; redacted: Redacted;
}
export interface PackagePlan {
  id: string; caseId: string; planNo: number; goals: { kind: string; text: string }[]; reviewDate: string; personAgreed: boolean; agreedOn: string | null;
  organization: Ref | null; createdAt: string; confirmedOn: string | null; confirmedIn: string | null;
  actions: { seq: number; description: string; organization: Ref; program: Ref | null; dueDate: string | null; status: string }[];
}
export interface PackageConsent {
  id: string; personId: string; givenOn: string; scope: string; method: string; organizations: Ref[]; recordedAt: string; withdrawnAt: string | null; withdrawalNote: string | null;
}
export interface PackageReferral {
  id: string; caseId: string; caseReference: string; from: Ref; to: Ref; program: Ref | null; reason: string | null; sharedSummary: string | null; urgency: string;
  firstContactDue: string; status: string; statusNote: string | null; sentAt: string; acceptedAt: string | null; declinedAt: string | null; firstContactAt: string | null;
  completedAt: string | null; returnedAt: string | null; history: { status: string; note: string | null; at: string; organization: Ref | null }[]; redacted: Redacted;
}
export interface DisclosurePackage {
  generatedAt: string;
  municipality: { id: string; name: string };
  request: { id: string; reference: string; kind: string; receivedOn: string; decision: string | null; decidedOn: string | null };
  persons: PackagePerson[];
  households: { id: string; label: string | null; createdAt: string; members: HouseholdMember[] }[];
  cases: PackageCase[];
  consultations: PackageConsultation[];
  concernReports: PackageConcernReport[];
  contactRecords: PackageContactRecord[];
  assessments: PackageAssessment[];
  plans: PackagePlan[];
  consents: PackageConsent[];
  referrals: PackageReferral[];
  recipients: { organization: Ref; basis: 'referral' | 'consent' | 'participation' | 'meeting'; since: string; until: string | null; detail: string }[];
  meetings: {
    sessionId: string; series: string; legalBasis: string; date: string; caseId: string; caseReference: string; reason: string; minutes: string | null;
    decisions: { text: string | null; recordedAt: string }[];
    actionItems: { organization: Ref; description: string | null; dueOn: string; status: string; doneAt: string | null }[];
    redacted: Redacted;
  }[];
  workSupport: {
    kind: 'preferences' | 'placement'; caseId: string; at: string; placement: string | null; organization: Ref | null; detail: string;
    notes: string | null; healthNotes: string | null;
    checkIns: { months: number; dueOn: string; doneOn: string | null; stillWorking: boolean | null; note: string | null }[];
    redacted: Redacted;
  }[];
  incidents: { reference: string; title: string; discoveredAt: string; description: string; dataKinds: string[]; status: string; notifiedOn: string | null; notificationMethod: string | null }[];
  timeline: { caseId: string; seq: number; at: string; kind: string; organization: Ref | null; summary: string | null; redacted: Redacted }[];
  retention: {
    policies: { recordClass: string; years: number }[];
    holds: { id: string; caseId: string | null; personId: string | null; reason: string; placedAt: string; releasedAt: string | null }[];
  };
  privacyRequests: { id: string; reference: string; kind: string; receivedOn: string; deadline: string; extendedTo: string | null; decision: string | null; decidedOn: string | null }[];
  corrections: Correction[];
  suspensions: Suspension[];
  releases: { id: string; requestReference: string; releasedAt: string; redactionCount: number }[];
  accessLog: { at: string; action: string; organization: Ref | null; role: string | null; actor: string | null; reason: string | null; outcome: string }[];
  redactions: RedactionDecision[];
}

export interface FileRegister {
  municipality: { id: string; name: string };
  files: {
    key: string; name: string; holder: string; work: string; purpose: string; scope: string; collection: string; sensitive: boolean; sensitiveNote: string | null;
    items: { key: string; name: string; sensitive: boolean; columns: string[] }[];
    recipients: { id: string; name: string; kind: string }[];
    recipientsNote: string;
    requestsTo: string[];
  }[];
  unregistered: string[];
}
