import type { AgeBand, HouseholdMemberInput, Person, PersonInput } from '../types.ts';
import { parseIsoDate } from './dates.ts';
import { bandValue, parseBand } from './intake.ts';
import type { MergeGroup } from './merge.ts';

/**
 * The person form (本人, and each household member) as the user fills it,
 * and how it becomes the API's PersonInput. Pure: tested with tables.
 */

/** What is known of the age: the birth date, only the band (年代), or nothing. */
export type PersonAgeMode = 'birthDate' | 'band' | 'unknown';

export interface PersonDraft {
  name: string;
  nameKana: string;
  ageMode: PersonAgeMode;
  /** As the date input gives it: 'YYYY-MM-DD'. */
  birthDate: string;
  /** 'min-max', as lib/intake.ts writes bands. */
  ageBand: string;
  gender: string;
  phone: string;
  email: string;
  address: string;
  areaId: string;
}

export type PersonField = 'name' | 'nameKana' | 'age' | 'gender' | 'phone' | 'email' | 'address' | 'areaId';
/** In the order of the form, for the error summary. */
export const PERSON_FIELDS: readonly PersonField[] = ['name', 'nameKana', 'age', 'gender', 'phone', 'email', 'address', 'areaId'];

export type PersonErrorCode = 'birthDateRequired' | 'birthDateInvalid' | 'birthDateFuture' | 'ageBandRequired' | 'emailInvalid';

/**
 * Values recorded as the city records them, in Japanese in either UI
 * language: they are data, read later by Japanese staff and statistics.
 */
export const GENDER_SUGGESTIONS = ['男性', '女性', 'その他', '不明'] as const;
export const RELATION_SUGGESTIONS = ['母', '父', '配偶者', '子', '兄弟姉妹', '祖父母', '孫', 'その他'] as const;

export function emptyPersonDraft(prefill: { ageBand?: AgeBand | null; areaId?: string | null } = {}): PersonDraft {
  return {
    name: '', nameKana: '', ageMode: prefill.ageBand ? 'band' : 'unknown', birthDate: '', ageBand: prefill.ageBand ? bandValue(prefill.ageBand) : '',
    gender: '', phone: '', email: '', address: '', areaId: prefill.areaId ?? '',
  };
}

/** The form filled with what is recorded, for correcting it. */
export function personDraftFrom(p: Person): PersonDraft {
  return {
    name: p.name ?? '', nameKana: p.nameKana ?? '',
    ageMode: p.birthDate ? 'birthDate' : p.ageBand ? 'band' : 'unknown',
    birthDate: p.birthDate ?? '', ageBand: p.ageBand ? bandValue(p.ageBand) : '',
    gender: p.gender ?? '', phone: p.phone ?? '', email: p.email ?? '', address: p.address ?? '', areaId: p.areaId ?? '',
  };
}

// A pragmatic check that catches typing slips; the server has the final word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks a birth date as typed; `today` is the Japan date 'YYYY-MM-DD'. */
export function checkBirthDate(value: string, today: string): PersonErrorCode | null {
  if (!value) return 'birthDateRequired';
  const parsed = parseIsoDate(value);
  if (!parsed || parsed.precision !== 'day') return 'birthDateInvalid';
  return value > today ? 'birthDateFuture' : null;
}

/** What must be corrected before sending; empty when the draft can be sent. Nothing is required: unknown is normal. */
export function checkPersonDraft(d: PersonDraft, today: string): Partial<Record<PersonField, PersonErrorCode>> {
  const errors: Partial<Record<PersonField, PersonErrorCode>> = {};
  if (d.ageMode === 'birthDate') {
    const e = checkBirthDate(d.birthDate, today);
    if (e) errors.age = e;
  }
  if (d.ageMode === 'band' && !parseBand(d.ageBand)) errors.age = 'ageBandRequired';
  if (d.email.trim() && !EMAIL.test(d.email.trim())) errors.email = 'emailInvalid';
  return errors;
}

const orNull = (s: string) => (s.trim() ? s.trim() : null);

/** The API's person from a draft that passed checkPersonDraft; birth date and band replace each other. */
export function personDraftToInput(d: PersonDraft): Required<PersonInput> {
  return {
    name: orNull(d.name), nameKana: orNull(d.nameKana),
    birthDate: d.ageMode === 'birthDate' ? d.birthDate || null : null,
    ageBand: d.ageMode === 'band' ? parseBand(d.ageBand) : null,
    gender: orNull(d.gender), phone: orNull(d.phone), email: orNull(d.email), address: orNull(d.address), areaId: d.areaId || null,
  };
}

/** The recorded fields of a person, to compare with the form. */
export function recordedPerson(p: Person): Required<PersonInput> {
  return {
    name: p.name, nameKana: p.nameKana, birthDate: p.birthDate, ageBand: p.ageBand,
    gender: p.gender, phone: p.phone, email: p.email, address: p.address, areaId: p.areaId,
  };
}

/** Only the fields that differ, for a PATCH; birth date and band go together so the server clears the other. */
export function changedPersonFields(before: Required<PersonInput>, after: Required<PersonInput>): PersonInput {
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(after) as (keyof PersonInput)[]) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = after[key];
  }
  if ('birthDate' in changes || 'ageBand' in changes) {
    changes.birthDate = after.birthDate;
    changes.ageBand = after.ageBand;
  }
  return changes as PersonInput;
}

/**
 * What to ask the duplicate check with, or null when there is not enough to
 * ask (the server needs a name or a reading). Only a complete birth date is sent.
 */
export function duplicateQuery(d: Pick<PersonDraft, 'name' | 'nameKana' | 'ageMode' | 'birthDate'>): PersonInput | null {
  const name = d.name.trim();
  const nameKana = d.nameKana.trim();
  if (!name && !nameKana) return null;
  const birth = d.ageMode === 'birthDate' && parseIsoDate(d.birthDate)?.precision === 'day' ? d.birthDate : null;
  return { ...(name ? { name } : {}), ...(nameKana ? { nameKana } : {}), ...(birth ? { birthDate: birth } : {}) };
}

/** Age in whole years on `today` ('YYYY-MM-DD'), or null. */
export function ageOn(birthDate: string | null, today: string): number | null {
  if (!birthDate || parseIsoDate(birthDate)?.precision !== 'day' || parseIsoDate(today)?.precision !== 'day') return null;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const age = ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
  return age >= 0 ? age : null;
}

// ------------------------------------------------------------ household

/** One household member row as typed: 続柄 and, as far as known, who. */
export interface MemberDraft {
  /** Stable key for React and ids; not sent. */
  key: string;
  relation: string;
  name: string;
  nameKana: string;
  birthDate: string;
}

export type MemberField = 'relation' | 'birthDate';
export type MemberErrorCode = 'relationRequired' | 'birthDateInvalid' | 'birthDateFuture';

export const emptyMember = (key: string): MemberDraft => ({ key, relation: '', name: '', nameKana: '', birthDate: '' });

/** Per row: what must be corrected. The relation is required; the rest may be unknown. */
export function checkMembers(rows: readonly MemberDraft[], today: string): Record<string, Partial<Record<MemberField, MemberErrorCode>>> {
  const out: Record<string, Partial<Record<MemberField, MemberErrorCode>>> = {};
  for (const row of rows) {
    const errors: Partial<Record<MemberField, MemberErrorCode>> = {};
    if (!row.relation.trim()) errors.relation = 'relationRequired';
    if (row.birthDate) {
      const e = checkBirthDate(row.birthDate, today);
      if (e === 'birthDateInvalid' || e === 'birthDateFuture') errors.birthDate = e;
    }
    if (Object.keys(errors).length > 0) out[row.key] = errors;
  }
  return out;
}

export function membersToInput(rows: readonly MemberDraft[]): HouseholdMemberInput[] {
  return rows.map((r) => ({
    relation: r.relation.trim(),
    person: { name: orNull(r.name), nameKana: orNull(r.nameKana), birthDate: r.birthDate || null },
  }));
}

/**
 * Where a server field error belongs: 'person.birthDate' → the person's age
 * field, 'household.members[1].person.birthDate' → row 1's birth date,
 * '/person/email' → email. Null for anything else.
 */
export function caseFieldOf(serverField: string):
  | { kind: 'person'; field: PersonField }
  | { kind: 'member'; index: number; field: MemberField }
  | { kind: 'lead' }
  | null {
  const f = serverField.replace(/^\//, '').replace(/\//g, '.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  if (/^leadOrganizationId/.test(f)) return { kind: 'lead' };
  const member = /^household\.members\[(\d+)\](?:\.person)?(?:\.(\w+))?/.exec(f);
  if (member) {
    const name = member[2] ?? 'relation';
    return { kind: 'member', index: Number(member[1]), field: name === 'birthDate' || name === 'ageBand' ? 'birthDate' : 'relation' };
  }
  const person = /^(?:person\.)?(\w+)/.exec(f);
  const name = person?.[1] ?? '';
  if (name === 'birthDate' || name === 'ageBand') return { kind: 'person', field: 'age' };
  return (PERSON_FIELDS as readonly string[]).includes(name) ? { kind: 'person', field: name as PersonField } : null;
}

/** How a correction is merged with one saved first (lib/merge.ts): birth date and age band are one row. */
export const PERSON_MERGE_GROUPS: readonly MergeGroup<Required<PersonInput>>[] = [
  { key: 'name', fields: ['name'] },
  { key: 'nameKana', fields: ['nameKana'] },
  { key: 'age', fields: ['birthDate', 'ageBand'] },
  { key: 'gender', fields: ['gender'] },
  { key: 'phone', fields: ['phone'] },
  { key: 'email', fields: ['email'] },
  { key: 'address', fields: ['address'] },
  { key: 'areaId', fields: ['areaId'] },
];
