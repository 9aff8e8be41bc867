import type {
  Art69Item, AssessmentInput, CaseStatus, Consent, ContactKind, ConsentMethod, GoalKind, LegalBasisInput, LifeArea, NewReferral, PlanInput,
  ReferralStatus, Urgency,
} from '../types.ts';
import { REFERRAL_NEXT } from '../../../src/modules/referrals/types.ts';
import { fromJapanDateTimeInputs, japanDateTimeInputs, parseIsoDate } from './dates.ts';

/**
 * Support cases and referrals as the forms fill them in. Pure: no React, no
 * I/O. The rules the server enforces are repeated here only to offer the
 * choices that will be accepted (the referral loop is the server's own,
 * src/modules/referrals/types.ts); the server still decides.
 */

export const CASE_STATUSES: readonly CaseStatus[] = ['intake', 'assessment', 'support', 'monitoring', 'closed'];

/** As src/modules/cases/service.ts (TRANSITIONS): 受付 → アセスメント → 支援中 ⇄ モニタリング → 終結, and reopening. */
const CASE_TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  intake: ['assessment', 'support', 'closed'],
  assessment: ['support', 'closed'],
  support: ['monitoring', 'closed'],
  monitoring: ['support', 'closed'],
  closed: ['assessment', 'support'],
};

export const nextCaseStatuses = (status: CaseStatus): readonly CaseStatus[] => CASE_TRANSITIONS[status] ?? [];

export const CONTACT_KINDS: readonly ContactKind[] = ['phone', 'interview', 'home_visit', 'accompaniment', 'meeting', 'other'];
export const CONSENT_METHODS: readonly ConsentMethod[] = ['written', 'verbal', 'other'];
/** The life areas of an assessment, in the order of src/modules/cases/service.ts (LIFE_AREAS). */
export const LIFE_AREAS: readonly LifeArea[] = [
  'health', 'mental_health', 'housing', 'household_budget', 'employment', 'family', 'social_participation', 'daily_living',
];
export const URGENCY_LEVELS: readonly Urgency[] = ['normal', 'urgent', 'emergency'];

/** What the receiving organisation may do next. */
export const nextReferralStatuses = (status: ReferralStatus) => REFERRAL_NEXT[status] ?? [];
/** A decline and a return always say why. */
export const referralNeedsNote = (status: ReferralStatus) => status === 'declined' || status === 'returned';
export const referralIsOpen = (status: ReferralStatus) => REFERRAL_NEXT[status]?.length > 0;

/** Today in Japan, as a date input's value. */
export const japanToday = (now: Date): string => japanDateTimeInputs(now).date;

/** 'YYYY-MM-DD' plus n days (calendar arithmetic, no time zone involved). */
export function addDays(date: string, days: number): string {
  const parsed = parseIsoDate(date);
  if (!parsed || parsed.precision !== 'day') return date;
  const d = new Date(parsed.date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The first-contact due date a new referral suggests: a week from today. */
export const FIRST_CONTACT_DAYS = 7;

const isDay = (value: string) => parseIsoDate(value)?.precision === 'day';

// ------------------------------------------------------------ 支援記録

export interface ContactDraft {
  date: string;
  time: string;
  kind: ContactKind | '';
  notes: string;
  nextStep: string;
}

export type ContactField = 'occurredAt' | 'kind' | 'notes';
export type ContactErrorCode = 'occurredAtRequired' | 'occurredAtInvalid' | 'occurredAtFuture' | 'kindRequired' | 'notesRequired';

export function emptyContactDraft(now: Date): ContactDraft {
  const { date, time } = japanDateTimeInputs(now);
  return { date, time, kind: '', notes: '', nextStep: '' };
}

export function checkContactDraft(d: ContactDraft, now: Date): Partial<Record<ContactField, ContactErrorCode>> {
  const errors: Partial<Record<ContactField, ContactErrorCode>> = {};
  if (!d.date || !d.time) errors.occurredAt = 'occurredAtRequired';
  else {
    const iso = fromJapanDateTimeInputs(d.date, d.time);
    if (!iso) errors.occurredAt = 'occurredAtInvalid';
    // The server allows five minutes of clock difference.
    else if (Date.parse(iso) > now.getTime() + 5 * 60_000) errors.occurredAt = 'occurredAtFuture';
  }
  if (!d.kind) errors.kind = 'kindRequired';
  if (!d.notes.trim()) errors.notes = 'notesRequired';
  return errors;
}

export function contactDraftToInput(d: ContactDraft) {
  return {
    occurredAt: fromJapanDateTimeInputs(d.date, d.time) ?? '',
    kind: d.kind as ContactKind,
    notes: d.notes.trim(),
    nextStep: d.nextStep.trim() || null,
  };
}

// ------------------------------------------------------------ アセスメント

export interface AssessmentDraft {
  assessedOn: string;
  areas: Record<LifeArea, { situation: string; needsSupport: boolean }>;
  summary: string;
}

export type AssessmentField = 'assessedOn' | 'areas';
export type AssessmentErrorCode = 'dateRequired' | 'dateInvalid' | 'dateFuture' | 'datePast' | 'areasRequired';

export function emptyAssessmentDraft(today: string): AssessmentDraft {
  return {
    assessedOn: today,
    areas: Object.fromEntries(LIFE_AREAS.map((a) => [a, { situation: '', needsSupport: false }])) as AssessmentDraft['areas'],
    summary: '',
  };
}

/** Areas with something written or marked: the ones sent. */
const filledAreas = (d: AssessmentDraft) => LIFE_AREAS.filter((a) => d.areas[a].situation.trim() || d.areas[a].needsSupport);

export function checkAssessmentDraft(d: AssessmentDraft, today: string): Partial<Record<AssessmentField, AssessmentErrorCode>> {
  const errors: Partial<Record<AssessmentField, AssessmentErrorCode>> = {};
  const date = checkDate(d.assessedOn, today, { notFuture: true });
  if (date) errors.assessedOn = date;
  if (filledAreas(d).length === 0) errors.areas = 'areasRequired';
  return errors;
}

export function assessmentDraftToInput(d: AssessmentDraft): AssessmentInput {
  return {
    assessedOn: d.assessedOn,
    areas: Object.fromEntries(filledAreas(d).map((a) => [a, { situation: d.areas[a].situation.trim(), needsSupport: d.areas[a].needsSupport }])),
    summary: d.summary.trim() || null,
  };
}

/** A date as typed: required, real, and (optionally) not after today or not before it. */
export function checkDate(value: string, today: string, opts: { notFuture?: boolean; notPast?: boolean } = {}): 'dateRequired' | 'dateInvalid' | 'dateFuture' | 'datePast' | null {
  if (!value) return 'dateRequired';
  if (!isDay(value)) return 'dateInvalid';
  if (opts.notFuture && value > today) return 'dateFuture';
  if (opts.notPast && value < today) return 'datePast';
  return null;
}

// ------------------------------------------------------------ 支援プラン

export interface GoalDraft { key: string; kind: GoalKind; text: string }
export interface ActionDraft { key: string; description: string; organizationId: string; programId: string; dueDate: string }

export interface PlanDraft {
  goals: GoalDraft[];
  actions: ActionDraft[];
  reviewDate: string;
  personAgreed: boolean;
  agreedOn: string;
}

export type PlanErrorCode =
  | 'goalsRequired' | 'actionDescriptionRequired' | 'actionOrganizationRequired' | 'dateRequired' | 'dateInvalid' | 'dateFuture' | 'datePast';

/** Errors by field id suffix: 'goals', 'reviewDate', 'agreedOn', 'action-<key>-description', … */
export function checkPlanDraft(d: PlanDraft, today: string): Record<string, PlanErrorCode> {
  const errors: Record<string, PlanErrorCode> = {};
  if (!d.goals.some((g) => g.text.trim())) errors.goals = 'goalsRequired';
  for (const a of d.actions) {
    const blank = !a.description.trim() && !a.organizationId && !a.dueDate;
    if (blank) continue; // an untouched row is left out
    if (!a.description.trim()) errors[`action-${a.key}-description`] = 'actionDescriptionRequired';
    if (!a.organizationId) errors[`action-${a.key}-organization`] = 'actionOrganizationRequired';
    if (a.dueDate && !isDay(a.dueDate)) errors[`action-${a.key}-due`] = 'dateInvalid';
  }
  const review = checkDate(d.reviewDate, today);
  if (review) errors.reviewDate = review;
  if (d.personAgreed) {
    const agreed = checkDate(d.agreedOn, today, { notFuture: true });
    if (agreed) errors.agreedOn = agreed;
  }
  return errors;
}

export function planDraftToInput(d: PlanDraft): PlanInput {
  return {
    goals: d.goals.filter((g) => g.text.trim()).map((g) => ({ kind: g.kind, text: g.text.trim() })),
    actions: d.actions
      .filter((a) => a.description.trim() || a.organizationId || a.dueDate)
      .map((a) => ({ description: a.description.trim(), organizationId: a.organizationId, programId: a.programId || null, dueDate: a.dueDate || null })),
    reviewDate: d.reviewDate,
    personAgreed: d.personAgreed,
    agreedOn: d.personAgreed ? d.agreedOn : null,
  };
}

// ------------------------------------------------------------ つなぎ（紹介）

export interface ReferralDraft {
  /** 'org:<id>' or 'program:<id>', as the destination select gives it. */
  destination: string;
  reason: string;
  sharedSummary: string;
  urgency: Urgency;
  firstContactDue: string;
  /** 共有の法的根拠: a share basis code (GET /api/vocabularies shareBases). */
  basis: string;
  consentId: string;
  /** The 支援会議 session whose agenda held the case (poverty_act_9, social_welfare_act_106_6). */
  meetingSessionId: string;
  meetingSeriesId: string;
  meetingDate: string;
  /** The item of 個人情報保護法第69条第2項, '2' | '3' | '4' as the radios give it. */
  paragraph: string;
  /** Why the share is allowed under that item. */
  basisReason: string;
}

/** What a share basis must point to (ShareBasisTerm without its labels). */
export interface BasisNeeds {
  consent: boolean;
  meeting: boolean;
  reason: boolean;
}

/** A 支援会議 share (no consent needed) points to the session that reviewed the case; a 重層的支援会議 one to its series and date. */
export const needsSession = (needs: BasisNeeds) => needs.meeting && !needs.consent;

/** The items of 個人情報保護法第69条第2項 a share may rest on with a written reason (第1号 is consent). */
export const ART69_ITEMS: readonly Art69Item[] = [2, 3, 4];

export type ReferralField =
  | 'destination' | 'reason' | 'sharedSummary' | 'firstContactDue'
  | 'basis' | 'consentId' | 'meetingSessionId' | 'meetingSeriesId' | 'meetingDate' | 'paragraph' | 'basisReason';
export type ReferralErrorCode =
  | 'destinationRequired' | 'reasonRequired' | 'sharedSummaryRequired' | 'dateRequired' | 'dateInvalid' | 'datePast'
  | 'basisRequired' | 'consentRequired' | 'meetingSessionRequired' | 'meetingRequired' | 'meetingDateRequired' | 'meetingDateInvalid' | 'paragraphRequired' | 'basisReasonRequired';

export function emptyReferralDraft(today: string): ReferralDraft {
  return {
    destination: '', reason: '', sharedSummary: '', urgency: 'normal', firstContactDue: addDays(today, FIRST_CONTACT_DAYS),
    basis: '', consentId: '', meetingSessionId: '', meetingSeriesId: '', meetingDate: '', paragraph: '', basisReason: '',
  };
}

/**
 * The consents a share to `receiver` may rest on: the person's, not
 * withdrawn, naming that organisation (as src/modules/referrals/service.ts
 * checkLegalBasis), newest first.
 */
export function consentsNaming(consents: readonly Consent[], receiver: string | null): Consent[] {
  if (!receiver) return [];
  return consents
    .filter((c) => c.withdrawnAt === null && c.organizations.some((o) => o.id === receiver))
    .sort((a, b) => b.givenOn.localeCompare(a.givenOn) || b.recordedAt.localeCompare(a.recordedAt));
}

/** The consent the share points to: the one chosen while it still applies, else the only one there is. */
export function chosenConsent(chosenId: string, applicable: readonly Consent[]): string {
  if (applicable.some((c) => c.id === chosenId)) return chosenId;
  return applicable.length === 1 ? applicable[0]!.id : '';
}

/**
 * The form's own checks. `needs` is what the chosen basis asks for (null
 * when none is chosen); `consentId` in the draft is the consent as resolved
 * by chosenConsent.
 */
export function checkReferralDraft(d: ReferralDraft, today: string, needs: BasisNeeds | null): Partial<Record<ReferralField, ReferralErrorCode>> {
  const errors: Partial<Record<ReferralField, ReferralErrorCode>> = {};
  if (!/^(org|program):.+/.test(d.destination)) errors.destination = 'destinationRequired';
  if (!d.reason.trim()) errors.reason = 'reasonRequired';
  if (!d.sharedSummary.trim()) errors.sharedSummary = 'sharedSummaryRequired';
  const due = checkDate(d.firstContactDue, today, { notPast: true });
  if (due && due !== 'dateFuture') errors.firstContactDue = due;
  if (!d.basis || !needs) {
    errors.basis = 'basisRequired';
    return errors;
  }
  if (needs.consent && !d.consentId) errors.consentId = 'consentRequired';
  if (needsSession(needs)) {
    if (!d.meetingSessionId) errors.meetingSessionId = 'meetingSessionRequired';
  } else if (needs.meeting) {
    if (!d.meetingSeriesId) errors.meetingSeriesId = 'meetingRequired';
    const held = checkDate(d.meetingDate, today);
    if (held === 'dateRequired') errors.meetingDate = 'meetingDateRequired';
    else if (held === 'dateInvalid') errors.meetingDate = 'meetingDateInvalid';
  }
  if (needs.reason) {
    if (!ART69_ITEMS.some((i) => String(i) === d.paragraph)) errors.paragraph = 'paragraphRequired';
    if (!d.basisReason.trim()) errors.basisReason = 'basisReasonRequired';
  }
  return errors;
}

/** The legal basis as the API takes it: only what the basis needs, so fields left from another basis are not sent. */
export function legalBasisToInput(d: ReferralDraft, needs: BasisNeeds): LegalBasisInput {
  return {
    basis: d.basis,
    ...(needs.consent ? { consentId: d.consentId } : {}),
    ...(needsSession(needs) ? { meetingSessionId: d.meetingSessionId } : needs.meeting ? { meetingSeriesId: d.meetingSeriesId, meetingDate: d.meetingDate } : {}),
    ...(needs.reason ? { paragraph: Number(d.paragraph) as Art69Item, reason: d.basisReason.trim() } : {}),
  };
}

export function referralDraftToInput(d: ReferralDraft, needs: BasisNeeds): NewReferral {
  const [kind, id] = [d.destination.slice(0, d.destination.indexOf(':')), d.destination.slice(d.destination.indexOf(':') + 1)];
  return {
    ...(kind === 'program' ? { toProgramId: id } : { toOrganizationId: id }),
    reason: d.reason.trim(), sharedSummary: d.sharedSummary.trim(), urgency: d.urgency, firstContactDue: d.firstContactDue,
    legalBasis: legalBasisToInput(d, needs),
  };
}

/** The server's legalBasis fields (checkLegalBasis, and the schema's own) by form field. */
const LEGAL_BASIS_FIELDS = new Map<string, ReferralField>([
  ['legalBasis', 'basis'], ['legalBasis.basis', 'basis'], ['legalBasis.consentId', 'consentId'], ['legalBasis.meetingSessionId', 'meetingSessionId'], ['legalBasis.meetingSeriesId', 'meetingSeriesId'],
  ['legalBasis.meetingDate', 'meetingDate'], ['legalBasis.paragraph', 'paragraph'], ['legalBasis.reason', 'basisReason'],
]);

/** The form field of a referral's server error: 'toProgramId' → destination. */
export function referralFieldOf(serverField: string): ReferralField | null {
  const name = serverField.replace(/^\//, '').replaceAll('/', '.');
  const basisField = LEGAL_BASIS_FIELDS.get(name);
  if (basisField) return basisField;
  if (name === 'toOrganizationId' || name === 'toProgramId') return 'destination';
  return (['reason', 'sharedSummary', 'firstContactDue'] as const).find((f) => f === name) ?? null;
}
