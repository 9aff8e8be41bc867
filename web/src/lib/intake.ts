import type { AgeBand, IntakeFields, NewConsultation, RoutingIntake, Urgency } from '../types.ts';
import { fromJapanDateTimeInputs, japanDateTimeInputs } from './dates.ts';
import type { MergeGroup } from './merge.ts';

/**
 * The 相談受付 form as the user fills it (text as typed), and how it becomes
 * the API's intake. Pure: no React, no I/O, so it is tested with tables.
 */

/** 10代 … 70代, 80代以上: the bands the form offers when only the age group is known. */
export const AGE_BANDS: readonly AgeBand[] = [
  { min: 10, max: 19 }, { min: 20, max: 29 }, { min: 30, max: 39 }, { min: 40, max: 49 },
  { min: 50, max: 59 }, { min: 60, max: 69 }, { min: 70, max: 79 }, { min: 80, max: 130 },
];

export const URGENCIES: readonly Urgency[] = ['normal', 'urgent', 'emergency'];
export const SUMMARY_MAX = 4000;
const MAX_AGE = 130;

/** How much is known of the age: the exact age, only the band (年代), or nothing (年齢不明, which is normal). */
export type AgeMode = 'exact' | 'band' | 'unknown';
/** A yes/no that may also be unknown: '' unknown, 'yes', 'no'. */
export type TriState = '' | 'yes' | 'no';

export interface IntakeDraft {
  /** Japan time, as the date and time inputs give them. */
  receivedDate: string;
  receivedTime: string;
  doorOrganizationId: string;
  channel: string;
  consulterRelation: string;
  consulterDetail: string;
  ageMode: AgeMode;
  age: string;
  /** A band as 'min-max' ('50-59'); '' when none is chosen. */
  ageBand: string;
  schoolStage: string;
  areaId: string;
  issueTags: string[];
  mainIssue: string;
  organizationsInvolved: string;
  /** '' unknown, 'yes' the person cannot come to a window, 'no' they can. */
  cannotVisit: TriState;
  familyOnly: boolean;
  summary: string;
  urgency: Urgency;
}

/** The form's fields, as errors name them (age covers age and ageBand). */
export type IntakeField =
  | 'receivedAt' | 'doorOrganizationId' | 'channel' | 'consulterRelation' | 'consulterDetail' | 'age' | 'schoolStage'
  | 'areaId' | 'issueTags' | 'mainIssue' | 'organizationsInvolved' | 'cannotVisit' | 'familyOnly' | 'summary' | 'urgency';

/** Field order on the form: the first error in it gets the focus. */
export const INTAKE_FIELDS: readonly IntakeField[] = [
  'receivedAt', 'doorOrganizationId', 'channel', 'consulterRelation', 'consulterDetail', 'age', 'schoolStage', 'areaId',
  'issueTags', 'mainIssue', 'organizationsInvolved', 'cannotVisit', 'familyOnly', 'summary', 'urgency',
];

export type IntakeErrorCode =
  | 'receivedAtRequired' | 'receivedAtInvalid' | 'receivedAtFuture' | 'channelRequired' | 'consulterRelationRequired'
  | 'ageRequired' | 'ageInvalid' | 'ageBandRequired' | 'organizationsInvalid' | 'summaryRequired' | 'summaryTooLong';

export const bandValue = (band: AgeBand): string => `${band.min}-${band.max}`;

export function parseBand(value: string): AgeBand | null {
  const m = /^(\d{1,3})-(\d{1,3})$/.exec(value);
  return m ? { min: Number(m[1]), max: Number(m[2]) } : null;
}

/** A fresh form: received now, at the acting organisation, age unknown, urgency normal. */
export function emptyDraft(now: Date, doorOrganizationId: string): IntakeDraft {
  const { date, time } = japanDateTimeInputs(now);
  return {
    receivedDate: date, receivedTime: time, doorOrganizationId, channel: '', consulterRelation: '', consulterDetail: '',
    ageMode: 'unknown', age: '', ageBand: '', schoolStage: '', areaId: '', issueTags: [], mainIssue: '',
    organizationsInvolved: '', cannotVisit: '', familyOnly: false, summary: '', urgency: 'normal',
  };
}

/** The form filled with what was recorded, for correcting it. */
export function draftFromRecord(c: IntakeFields & { receivedAt: string; door: { id: string } }): IntakeDraft {
  const { date, time } = japanDateTimeInputs(new Date(c.receivedAt));
  return {
    receivedDate: date, receivedTime: time, doorOrganizationId: c.door.id, channel: c.channel, consulterRelation: c.consulterRelation,
    consulterDetail: c.consulterDetail ?? '',
    ageMode: c.age !== null ? 'exact' : c.ageBand ? 'band' : 'unknown',
    age: c.age !== null ? String(c.age) : '',
    ageBand: c.ageBand ? bandValue(c.ageBand) : '',
    schoolStage: c.schoolStage ?? '', areaId: c.areaId ?? '', issueTags: [...c.issueTags], mainIssue: c.mainIssue ?? '',
    organizationsInvolved: c.organizationsInvolved !== null ? String(c.organizationsInvolved) : '',
    cannotVisit: c.cannotVisit === null ? '' : c.cannotVisit ? 'yes' : 'no',
    familyOnly: c.familyOnly, summary: c.summary, urgency: c.urgency,
  };
}

/** Ticking or unticking an issue tag; the 主訴 goes when its tag does. */
export function toggleIssueTag(draft: IntakeDraft, tag: string, checked: boolean, order: readonly string[]): IntakeDraft {
  const tags = checked ? [...new Set([...draft.issueTags, tag])] : draft.issueTags.filter((t) => t !== tag);
  const rank = (t: string) => (order.indexOf(t) === -1 ? order.length : order.indexOf(t));
  tags.sort((a, b) => rank(a) - rank(b));
  return { ...draft, issueTags: tags, mainIssue: tags.includes(draft.mainIssue) ? draft.mainIssue : '' };
}

/** A whole number in [min, max] from what was typed (全角 digits too), or null. */
export function parseWholeNumber(text: string, min: number, max: number): number | null {
  const t = text.normalize('NFKC').trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= min && n <= max ? n : null;
}

/** What the user must correct before sending, by field; empty when the form can be sent. */
export function checkDraft(d: IntakeDraft, now: Date): Partial<Record<IntakeField, IntakeErrorCode>> {
  const errors: Partial<Record<IntakeField, IntakeErrorCode>> = {};
  if (!d.receivedDate || !d.receivedTime) errors.receivedAt = 'receivedAtRequired';
  else {
    const iso = fromJapanDateTimeInputs(d.receivedDate, d.receivedTime);
    if (!iso) errors.receivedAt = 'receivedAtInvalid';
    // The server allows five minutes of clock difference; say it here before it does.
    else if (Date.parse(iso) > now.getTime() + 5 * 60_000) errors.receivedAt = 'receivedAtFuture';
  }
  if (!d.channel) errors.channel = 'channelRequired';
  if (!d.consulterRelation) errors.consulterRelation = 'consulterRelationRequired';
  if (d.ageMode === 'exact') {
    if (!d.age.trim()) errors.age = 'ageRequired';
    else if (parseWholeNumber(d.age, 0, MAX_AGE) === null) errors.age = 'ageInvalid';
  }
  if (d.ageMode === 'band' && !parseBand(d.ageBand)) errors.age = 'ageBandRequired';
  if (d.organizationsInvolved.trim() && parseWholeNumber(d.organizationsInvolved, 0, 50) === null)
    errors.organizationsInvolved = 'organizationsInvalid';
  if (!d.summary.trim()) errors.summary = 'summaryRequired';
  else if (d.summary.length > SUMMARY_MAX) errors.summary = 'summaryTooLong';
  return errors;
}

const orNull = (text: string) => (text.trim() ? text.trim() : null);

/** The recorded fields of a form that passed checkDraft. */
export function draftToFields(d: IntakeDraft): IntakeFields {
  return {
    channel: d.channel,
    consulterRelation: d.consulterRelation,
    consulterDetail: orNull(d.consulterDetail),
    age: d.ageMode === 'exact' ? parseWholeNumber(d.age, 0, MAX_AGE) : null,
    ageBand: d.ageMode === 'band' ? parseBand(d.ageBand) : null,
    schoolStage: d.schoolStage || null,
    areaId: d.areaId || null,
    issueTags: [...d.issueTags],
    mainIssue: d.issueTags.includes(d.mainIssue) ? d.mainIssue : null,
    organizationsInvolved: d.organizationsInvolved.trim() ? parseWholeNumber(d.organizationsInvolved, 0, 50) : null,
    cannotVisit: d.cannotVisit === '' ? null : d.cannotVisit === 'yes',
    familyOnly: d.familyOnly,
    summary: d.summary.trim(),
    urgency: d.urgency,
  };
}

/** The body of POST /api/consultations; only the hub names another door. */
export function draftToNewConsultation(d: IntakeDraft, mayChooseDoor: boolean): NewConsultation {
  return {
    receivedAt: fromJapanDateTimeInputs(d.receivedDate, d.receivedTime) ?? '',
    ...(mayChooseDoor && d.doorOrganizationId ? { doorOrganizationId: d.doorOrganizationId } : {}),
    ...draftToFields(d),
  };
}

/**
 * What routing can use of a form that may be half filled: what is not (yet)
 * valid counts as unknown, so the suggestions say what to ask.
 */
export function draftToRoutingIntake(d: IntakeDraft, areaKeyOf: (areaId: string) => string | undefined): RoutingIntake {
  const age = d.ageMode === 'exact' ? parseWholeNumber(d.age, 0, MAX_AGE) : null;
  const ageBand = d.ageMode === 'band' ? parseBand(d.ageBand) : null;
  return {
    ...(age !== null ? { age } : {}),
    ...(ageBand ? { ageBand } : {}),
    schoolStage: d.schoolStage || null,
    issueTags: [...d.issueTags],
    area: d.areaId ? areaKeyOf(d.areaId) ?? null : null,
    channel: d.channel || null,
    consulterRelation: d.consulterRelation || null,
    organizationsInvolved: d.organizationsInvolved.trim() ? parseWholeNumber(d.organizationsInvolved, 0, 50) : null,
    cannotVisit: d.cannotVisit === '' ? null : d.cannotVisit === 'yes',
  };
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields that differ, for a PATCH that says only what changed. */
export function changedFields(before: IntakeFields, after: IntakeFields): Partial<IntakeFields> {
  const changes: Partial<Record<keyof IntakeFields, unknown>> = {};
  for (const key of Object.keys(after) as (keyof IntakeFields)[]) {
    if (!sameValue(before[key], after[key])) changes[key] = after[key];
  }
  // Age and band replace each other: send both so the server clears the other one.
  if ('age' in changes || 'ageBand' in changes) {
    changes.age = after.age;
    changes.ageBand = after.ageBand;
  }
  return changes as Partial<IntakeFields>;
}

/** The form field a server error is about: 'issueTags[2]' → issueTags, 'ageBand.min' → age, '/summary' → summary. */
export function intakeFieldOf(serverField: string): IntakeField | null {
  const name = serverField.replace(/^(\/|body[./])/, '').split(/[.[/]/)[0] ?? '';
  if (name === 'ageBand') return 'age';
  return (INTAKE_FIELDS as readonly string[]).includes(name) ? (name as IntakeField) : null;
}

/** Only the recorded fields of a consultation, to compare with the form. */
export function recordedFields(c: IntakeFields): IntakeFields {
  return {
    channel: c.channel, consulterRelation: c.consulterRelation, consulterDetail: c.consulterDetail, age: c.age, ageBand: c.ageBand,
    schoolStage: c.schoolStage, areaId: c.areaId, issueTags: c.issueTags, mainIssue: c.mainIssue,
    organizationsInvolved: c.organizationsInvolved, cannotVisit: c.cannotVisit, familyOnly: c.familyOnly, summary: c.summary, urgency: c.urgency,
  };
}

const DRAFT_FIELD: Record<keyof IntakeDraft, IntakeField[]> = {
  receivedDate: ['receivedAt'], receivedTime: ['receivedAt'], doorOrganizationId: ['doorOrganizationId'], channel: ['channel'],
  consulterRelation: ['consulterRelation'], consulterDetail: ['consulterDetail'], ageMode: ['age'], age: ['age'], ageBand: ['age'],
  schoolStage: ['schoolStage'], areaId: ['areaId'], issueTags: ['issueTags', 'mainIssue'], mainIssue: ['mainIssue'],
  organizationsInvolved: ['organizationsInvolved'], cannotVisit: ['cannotVisit'], familyOnly: ['familyOnly'], summary: ['summary'],
  urgency: ['urgency'],
};

/** The form fields whose input differs between two drafts (their errors no longer apply). */
export function fieldsChanged(before: IntakeDraft, after: IntakeDraft): IntakeField[] {
  const changed = new Set<IntakeField>();
  for (const key of Object.keys(DRAFT_FIELD) as (keyof IntakeDraft)[]) {
    if (!sameValue(before[key], after[key])) for (const f of DRAFT_FIELD[key]) changed.add(f);
  }
  return [...changed];
}

/**
 * How a correction is merged with one saved first (lib/merge.ts): one row
 * per field the record shows, age with its band and the tags with the 主訴.
 * The keys are ConsultationValue's fields.
 */
export const INTAKE_MERGE_GROUPS: readonly MergeGroup<IntakeFields>[] = [
  { key: 'channel', fields: ['channel'] },
  { key: 'urgency', fields: ['urgency'] },
  { key: 'consulterRelation', fields: ['consulterRelation'] },
  { key: 'consulterDetail', fields: ['consulterDetail'] },
  { key: 'familyOnly', fields: ['familyOnly'] },
  { key: 'age', fields: ['age', 'ageBand'] },
  { key: 'schoolStage', fields: ['schoolStage'] },
  { key: 'areaId', fields: ['areaId'] },
  { key: 'cannotVisit', fields: ['cannotVisit'] },
  { key: 'issues', fields: ['issueTags', 'mainIssue'] },
  { key: 'organizationsInvolved', fields: ['organizationsInvolved'] },
  { key: 'summary', fields: ['summary'] },
];
