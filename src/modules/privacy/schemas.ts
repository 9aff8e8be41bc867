import { Type, type Static, type TSchema } from 'typebox';

/**
 * The shapes of the privacy module's answers, once: routes declare them (so the
 * OpenAPI document describes the disclosure package field by field) and the
 * service's types are derived from them. Timestamps are ISO strings already,
 * so the released JSON and its digest are exactly what was given.
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const Id = Type.String({ format: 'uuid' });
const DateStr = Type.String({ format: 'date' });
const Instant = Type.String({ format: 'date-time' });
const Int = Type.Integer();
const OrgRef = Type.Object({ id: Id, name: Str });
/** Fields withheld on this record: field name → the redaction unit that withheld it. */
const Redacted = Type.Record(Str, Str);
const AgeBand = Nullable(Type.Object({ min: Int, max: Int }));

export const REQUEST_KINDS = ['disclosure', 'correction', 'suspension'] as const;
export const DECISIONS = {
  disclosure: ['full', 'partial', 'none'],
  correction: ['correct', 'not_correct'],
  suspension: ['suspend', 'not_suspend'],
} as const;
export const ALL_DECISIONS = [...DECISIONS.disclosure, ...DECISIONS.correction, ...DECISIONS.suspension] as const;
export const REQUESTER_RELATIONS = ['self', 'legal_representative', 'agent'] as const;
/** Person fields a correction may change (the columns of `person` they are kept in). */
export const CORRECTABLE_FIELDS = {
  name: 'name', nameKana: 'name_kana', birthDate: 'birth_date', gender: 'gender', phone: 'phone', email: 'email', address: 'address',
} as const;
export type CorrectableField = keyof typeof CORRECTABLE_FIELDS;

const Enum = <const T extends readonly string[]>(values: T) => Type.Enum(values);

export const Change = Type.Object({
  field: Enum(Object.keys(CORRECTABLE_FIELDS) as CorrectableField[]),
  value: Nullable(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });
export type Change = { field: CorrectableField; value: string | null };

export const PersonSummary = Type.Object({
  id: Id, name: Nullable(Str), nameKana: Nullable(Str), birthDate: Nullable(Str), address: Nullable(Str), mergedIntoId: Nullable(Id),
  caseReferences: Type.Array(Str), suspended: Type.Boolean(),
}, { $id: 'PrivacyPersonSummary' });
export type PersonSummary = Static<typeof PersonSummary>;

export const Correction = Type.Object({
  id: Id, personId: Id, field: Str, oldValue: Nullable(Str), newValue: Nullable(Str), correctedAt: Instant, correctedBy: Nullable(Str),
  requestId: Id, requestReference: Str,
}, { $id: 'PersonCorrection' });
export type Correction = Static<typeof Correction>;

export const Suspension = Type.Object({
  id: Id, personId: Id, requestId: Id, requestReference: Str, suspendedOn: DateStr, suspendedAt: Instant,
  liftedOn: Nullable(DateStr), liftedAt: Nullable(Instant), liftReason: Nullable(Str),
}, { $id: 'UseSuspension' });
export type Suspension = Static<typeof Suspension>;

export const RedactionDecision = Type.Object({
  key: Str, label: Str, defaultRedacted: Type.Boolean(), defaultGroundCode: Nullable(Str), redacted: Type.Boolean(),
  /** The ground in words (the statute's article and item), when withheld. */
  ground: Nullable(Str), groundCode: Nullable(Str),
  /** Why the officer departed from the default; null for a default. */
  reason: Nullable(Str), decidedAt: Nullable(Instant),
}, { $id: 'RedactionDecision' });
export type RedactionDecision = Static<typeof RedactionDecision>;

export const Release = Type.Object({
  id: Id, releasedAt: Instant, releasedBy: Nullable(Str), contentSha256: Str,
  sections: Type.Record(Str, Int), redactions: Type.Array(Type.Ref('RedactionDecision')),
}, { $id: 'DisclosureRelease' });
export type Release = Omit<Static<typeof Release>, 'redactions'> & { redactions: RedactionDecision[] };

export const RequestSummary = Type.Object({
  id: Id, reference: Str, kind: Enum(REQUEST_KINDS), person: Nullable(Type.Object({ id: Id, name: Nullable(Str), nameKana: Nullable(Str) })),
  requesterRelation: Enum(REQUESTER_RELATIONS), requesterName: Nullable(Str),
  receivedOn: DateStr, deadline: DateStr, extendedOn: Nullable(DateStr), extendedTo: Nullable(DateStr), extensionReason: Nullable(Str),
  /** The deadline in force, and where the request stands against it (open requests; for decided ones, as of the decision). */
  due: DateStr, daysLeft: Int, overdue: Type.Boolean(), dueSoon: Type.Boolean(),
  decision: Nullable(Enum(ALL_DECISIONS)), decidedOn: Nullable(DateStr), decidedLate: Type.Boolean(), version: Int,
}, { $id: 'PrivacyRequestSummary' });
export type RequestSummary = Static<typeof RequestSummary>;

export const RequestDetail = Type.Object({
  ...RequestSummary.properties,
  identityVerification: Str, content: Str, requestedChanges: Nullable(Type.Array(Change)),
  decisionReason: Nullable(Str), decidedChanges: Nullable(Type.Array(Change)), correctionAppliedAt: Nullable(Instant),
  personDetail: Nullable(Type.Ref('PrivacyPersonSummary')),
  corrections: Type.Array(Type.Ref('PersonCorrection')),
  suspensions: Type.Array(Type.Ref('UseSuspension')),
  releases: Type.Array(Type.Ref('DisclosureRelease')),
  createdAt: Instant,
}, { $id: 'PrivacyRequestDetail' });
export type RequestDetail = Omit<Static<typeof RequestDetail>, 'personDetail' | 'corrections' | 'suspensions' | 'releases'> & {
  personDetail: PersonSummary | null; corrections: Correction[]; suspensions: Suspension[]; releases: Release[];
};

// ------------------------------------------------------------ the package

const PackagePerson = Type.Object({
  id: Id, name: Nullable(Str), nameKana: Nullable(Str), birthDate: Nullable(Str), ageBand: AgeBand, gender: Nullable(Str),
  phone: Nullable(Str), email: Nullable(Str), address: Nullable(Str), area: Nullable(Str), mergedIntoId: Nullable(Id),
  createdAt: Instant, updatedAt: Instant,
});
const HouseholdMember = Type.Object({
  personId: Id, relation: Str, self: Type.Boolean(), name: Nullable(Str), nameKana: Nullable(Str), birthDate: Nullable(Str), ageBand: AgeBand,
  gender: Nullable(Str), phone: Nullable(Str), email: Nullable(Str), address: Nullable(Str), redacted: Redacted,
});
const Household = Type.Object({ id: Id, label: Nullable(Str), createdAt: Instant, members: Type.Array(HouseholdMember) });
const Participant = Type.Object({ organization: OrgRef, role: Str, since: Instant, until: Nullable(Instant), reason: Nullable(Str) });
const Case = Type.Object({
  id: Id, reference: Str, status: Str, complex: Type.Boolean(), lead: OrgRef, householdId: Nullable(Id), openedAt: Instant, closedAt: Nullable(Instant),
  closureReason: Nullable(Str), lastContactAt: Nullable(Instant), createdAt: Instant, updatedAt: Instant, participants: Type.Array(Participant),
});
const ConsultationStep = Type.Object({
  seq: Int, kind: Str, from: Nullable(OrgRef), to: OrgRef, program: Nullable(OrgRef), reason: Nullable(Str), at: Instant,
});
const Consultation = Type.Object({
  id: Id, reference: Str, caseIds: Type.Array(Id), receivedAt: Instant, door: OrgRef, channel: Str, consulterRelation: Str, consulterDetail: Nullable(Str),
  age: Nullable(Int), ageBand: AgeBand, schoolStage: Nullable(Str), area: Nullable(Str), issueTags: Type.Array(Str), mainIssue: Nullable(Str),
  organizationsInvolved: Nullable(Int), cannotVisit: Nullable(Type.Boolean()), familyOnly: Type.Boolean(), summary: Nullable(Str), urgency: Str,
  source: Str, status: Str, holder: OrgRef, destination: Nullable(OrgRef), destinationProgram: Nullable(OrgRef), createdAt: Instant,
  steps: Type.Array(ConsultationStep), redacted: Redacted,
});
const ConcernReport = Type.Object({
  id: Id, receiptCode: Str, consultationId: Id, submittedAt: Instant, aboutRelation: Str, aboutAgeBand: Nullable(Str), area: Nullable(Str),
  concern: Nullable(Str), reporterAnonymous: Type.Boolean(), reporterName: Nullable(Str), reporterPhone: Nullable(Str), reporterEmail: Nullable(Str),
  takenInAt: Instant, redacted: Redacted,
});
const ContactRecord = Type.Object({
  /** null for a record kept without a case (a home-visit application a window recorded without one), found by the person's name and contact */
  id: Id, caseId: Nullable(Id), occurredAt: Instant, kind: Str, organization: OrgRef, staffName: Str, notes: Nullable(Str), nextStep: Nullable(Str),
  createdAt: Instant, redacted: Redacted,
});
const Assessment = Type.Object({
  id: Id, caseId: Id, assessedOn: DateStr, organization: Nullable(OrgRef),
  areas: Nullable(Type.Record(Str, Type.Object({ situation: Str, needsSupport: Type.Boolean() }))), summary: Nullable(Str), createdAt: Instant, redacted: Redacted,
});
const PlanAction = Type.Object({ seq: Int, description: Str, organization: OrgRef, program: Nullable(OrgRef), dueDate: Nullable(DateStr), status: Str });
const Plan = Type.Object({
  id: Id, caseId: Id, planNo: Int, goals: Type.Array(Type.Object({ kind: Str, text: Str })), reviewDate: DateStr, personAgreed: Type.Boolean(),
  agreedOn: Nullable(DateStr), organization: Nullable(OrgRef), createdAt: Instant, confirmedOn: Nullable(DateStr), confirmedIn: Nullable(Str),
  actions: Type.Array(PlanAction),
});
const Consent = Type.Object({
  id: Id, personId: Id, givenOn: DateStr, scope: Str, method: Str, organizations: Type.Array(OrgRef), recordedAt: Instant,
  withdrawnAt: Nullable(Instant), withdrawalNote: Nullable(Str),
});
const Referral = Type.Object({
  id: Id, caseId: Id, caseReference: Str, from: OrgRef, to: OrgRef, program: Nullable(OrgRef), reason: Nullable(Str), sharedSummary: Nullable(Str),
  urgency: Str, firstContactDue: DateStr, status: Str, statusNote: Nullable(Str), sentAt: Instant, acceptedAt: Nullable(Instant),
  declinedAt: Nullable(Instant), firstContactAt: Nullable(Instant), completedAt: Nullable(Instant), returnedAt: Nullable(Instant),
  history: Type.Array(Type.Object({ status: Str, note: Nullable(Str), at: Instant, organization: Nullable(OrgRef) })), redacted: Redacted,
});
const Recipient = Type.Object({
  organization: OrgRef, basis: Enum(['referral', 'consent', 'participation', 'meeting'] as const), since: Instant, until: Nullable(Instant), detail: Str,
});
const MeetingReview = Type.Object({
  sessionId: Id, series: Str, legalBasis: Str, date: Instant, caseId: Id, caseReference: Str, reason: Str, minutes: Nullable(Str),
  decisions: Type.Array(Type.Object({ text: Nullable(Str), recordedAt: Instant })),
  actionItems: Type.Array(Type.Object({ organization: OrgRef, description: Nullable(Str), dueOn: DateStr, status: Str, doneAt: Nullable(Instant) })),
  redacted: Redacted,
});
const WorkSupport = Type.Object({
  kind: Enum(['preferences', 'placement'] as const), caseId: Id, at: Instant, placement: Nullable(Str), organization: Nullable(OrgRef), detail: Str,
  notes: Nullable(Str), healthNotes: Nullable(Str),
  checkIns: Type.Array(Type.Object({ months: Int, dueOn: DateStr, doneOn: Nullable(DateStr), stillWorking: Nullable(Type.Boolean()), note: Nullable(Str) })),
  redacted: Redacted,
});
const IncidentEntry = Type.Object({
  reference: Str, title: Str, discoveredAt: Instant, description: Str, dataKinds: Type.Array(Str), status: Str, notifiedOn: Nullable(DateStr), notificationMethod: Nullable(Str),
});
const CaseEvent = Type.Object({ caseId: Id, seq: Int, at: Instant, kind: Str, organization: Nullable(OrgRef), summary: Nullable(Str), redacted: Redacted });
const Hold = Type.Object({ id: Id, caseId: Nullable(Id), personId: Nullable(Id), reason: Str, placedAt: Instant, releasedAt: Nullable(Instant) });
const PackageRequest = Type.Object({
  id: Id, reference: Str, kind: Str, receivedOn: DateStr, deadline: DateStr, extendedTo: Nullable(DateStr), decision: Nullable(Str), decidedOn: Nullable(DateStr),
});
const PackageRelease = Type.Object({ id: Id, requestReference: Str, releasedAt: Instant, redactionCount: Int });
const Access = Type.Object({
  at: Instant, action: Str, organization: Nullable(OrgRef), role: Nullable(Str), actor: Nullable(Str), reason: Nullable(Str), outcome: Str,
});

export const DisclosurePackage = Type.Object({
  generatedAt: Instant,
  municipality: Type.Object({ id: Id, name: Str }),
  request: Type.Object({ id: Id, reference: Str, kind: Str, receivedOn: DateStr, decision: Nullable(Str), decidedOn: Nullable(DateStr) }),
  /** The person, then any duplicate records merged into them. */
  persons: Type.Array(PackagePerson),
  households: Type.Array(Household),
  cases: Type.Array(Case),
  consultations: Type.Array(Consultation),
  concernReports: Type.Array(ConcernReport),
  contactRecords: Type.Array(ContactRecord),
  assessments: Type.Array(Assessment),
  plans: Type.Array(Plan),
  consents: Type.Array(Consent),
  referrals: Type.Array(Referral),
  /** Where their data went: every organisation that received it, how, and since when. */
  recipients: Type.Array(Recipient),
  /** The coordination meetings that reviewed their cases: minutes, decisions, action items. */
  meetings: Type.Array(MeetingReview),
  /** Participation and work: the person's work preferences, placements and check-ins after a job started. */
  workSupport: Type.Array(WorkSupport),
  /** Incidents (漏えい等) that concerned them, from the privacy officer's register. */
  incidents: Type.Array(IncidentEntry),
  timeline: Type.Array(CaseEvent),
  retention: Type.Object({ policies: Type.Array(Type.Object({ recordClass: Str, years: Int })), holds: Type.Array(Hold) }),
  privacyRequests: Type.Array(PackageRequest),
  corrections: Type.Array(Type.Ref('PersonCorrection')),
  suspensions: Type.Array(Type.Ref('UseSuspension')),
  releases: Type.Array(PackageRelease),
  /** Who read or changed their record, from the audit trail. */
  accessLog: Type.Array(Access),
  redactions: Type.Array(Type.Ref('RedactionDecision')),
}, { $id: 'DisclosurePackage' });

type Refs = { corrections: Correction[]; suspensions: Suspension[]; redactions: RedactionDecision[] };
export type DisclosurePackage = Omit<Static<typeof DisclosurePackage>, keyof Refs> & Refs;
export type PackageSection = Exclude<keyof DisclosurePackage, 'generatedAt' | 'municipality' | 'request' | 'retention'> | 'retention.holds' | 'retention.policies';

export const privacySchemas = [PersonSummary, Correction, Suspension, RedactionDecision, Release, RequestSummary, RequestDetail, DisclosurePackage];
