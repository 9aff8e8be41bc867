import type { Change, CorrectableField, Decision, RequesterRelation, RequestKind } from '../privacy/requestTypes.ts';
import { CORRECTABLE_FIELDS, DECISIONS, NEEDS_REASON } from '../privacy/requestTypes.ts';
import { checkDate } from './cases.ts';

/**
 * The privacy officer's forms as they are filled in (開示等の請求). Pure: no
 * React, no I/O. The server (src/modules/privacy/service.ts) decides; these
 * checks only say what it would refuse before sending.
 */

export interface ChangeDraft {
  key: string;
  field: CorrectableField | '';
  value: string;
}

export interface RequestDraft {
  kind: RequestKind | '';
  personId: string;
  receivedOn: string;
  requesterRelation: RequesterRelation | '';
  requesterName: string;
  identityVerification: string;
  content: string;
  changes: ChangeDraft[];
}

export type RequestErrorCode =
  | 'kindRequired' | 'personRequired' | 'dateRequired' | 'dateInvalid' | 'dateFuture' | 'relationRequired' | 'requesterNameRequired'
  | 'identityRequired' | 'contentRequired' | 'changesRequired' | 'fieldRequired' | 'fieldTwice' | 'birthDateInvalid';

export const emptyRequestDraft = (today: string): RequestDraft => ({
  kind: '', personId: '', receivedOn: today, requesterRelation: 'self', requesterName: '', identityVerification: '', content: '', changes: [],
});

/** Field keys: kind, personId, receivedOn, requesterRelation, requesterName, identityVerification, content, changes, change-<key>-field, change-<key>-value. */
export function checkRequestDraft(d: RequestDraft, today: string): Record<string, RequestErrorCode> {
  const e: Record<string, RequestErrorCode> = {};
  if (!d.kind) e.kind = 'kindRequired';
  if (!d.personId) e.personId = 'personRequired';
  const date = checkDate(d.receivedOn, today, { notFuture: true });
  if (date && date !== 'datePast') e.receivedOn = date;
  if (!d.requesterRelation) e.requesterRelation = 'relationRequired';
  else if (d.requesterRelation !== 'self' && !d.requesterName.trim()) e.requesterName = 'requesterNameRequired';
  if (!d.identityVerification.trim()) e.identityVerification = 'identityRequired';
  if (!d.content.trim()) e.content = 'contentRequired';
  if (d.kind === 'correction') Object.assign(e, checkChanges(d.changes, today));
  return e;
}

/** A correction's changes: at least one, each field once, a birth date as a real date not in the future. */
export function checkChanges(changes: ChangeDraft[], today: string): Record<string, RequestErrorCode> {
  const e: Record<string, RequestErrorCode> = {};
  if (changes.length === 0) e.changes = 'changesRequired';
  const seen = new Set<string>();
  for (const c of changes) {
    if (!c.field) e[`change-${c.key}-field`] = 'fieldRequired';
    else if (seen.has(c.field)) e[`change-${c.key}-field`] = 'fieldTwice';
    if (c.field) seen.add(c.field);
    if (c.field === 'birthDate' && c.value.trim() && checkDate(c.value.trim(), today, { notFuture: true })) e[`change-${c.key}-value`] = 'birthDateInvalid';
  }
  return e;
}

/** The changes as the API takes them; an empty value clears the field. */
export const changesToInput = (changes: ChangeDraft[]): Change[] =>
  changes.filter((c) => c.field).map((c) => ({ field: c.field as CorrectableField, value: c.value.trim() || null }));

export const changesToDraft = (changes: Change[] | null, key: (i: number) => string = (i) => `c${i}`): ChangeDraft[] =>
  (changes ?? []).map((c, i) => ({ key: key(i), field: c.field, value: c.value ?? '' }));

export const isCorrectableField = (f: string): f is CorrectableField => (CORRECTABLE_FIELDS as readonly string[]).includes(f);

/** The decisions a request of this kind can take. */
export const decisionsFor = (kind: RequestKind): readonly Decision[] => DECISIONS[kind];

/** Whether the decision refuses in whole or in part, and so needs its reason. */
export const decisionNeedsReason = (d: Decision | '') => d !== '' && NEEDS_REASON.has(d);

/** Where a request stands against its deadline, for a badge: overdue, due within a week, or in time; decided ones say so. */
export function deadlineTone(r: { decision: Decision | null; overdue: boolean; dueSoon: boolean; decidedLate: boolean }): 'overdue' | 'dueSoon' | 'inTime' | 'decided' | 'decidedLate' {
  if (r.decision) return r.decidedLate ? 'decidedLate' : 'decided';
  if (r.overdue) return 'overdue';
  return r.dueSoon ? 'dueSoon' : 'inTime';
}

/** The extension is allowed once, before the original deadline has passed (第83条第2項). */
export const mayExtend = (r: { decision: Decision | null; extendedTo: string | null; deadline: string }, today: string) =>
  !r.decision && !r.extendedTo && today <= r.deadline;
