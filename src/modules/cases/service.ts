import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { japanDate } from '../../lib/fiscal.ts';
import { nextReference } from '../../lib/reference.ts';
import { decodeCursor, encodeCursor } from '../../lib/pagination.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { recordAudit } from '../audit/service.ts';
import { activeBreakGlass, activeBreakGlassForPerson } from './breakGlass.ts';
import { assertCaseUsable, assertUsable } from '../privacy/suspension.ts';
import { attachConsultationToCase, consultationForCase } from '../intake/service.ts';
import { listAreas, listPrograms } from '../network/service.ts';
import { accessLevelSql, caseTakenPartInSql, caseVisibleSql, visibleLevelSql, type AccessLevel } from './access.ts';
import { activeMeetingShare, type MeetingShare } from '../meetings/sharing.ts';
import { municipalGramsSql, nameKey, personGrams, queryGrams } from './names.ts';
import { CASE_STATUSES, CONSENT_METHODS, CONTACT_KINDS, LIFE_AREAS } from './types.ts';
import type { Assessment, AssessmentInput, CaseDetail, CaseQuery, CaseStatus, CaseSummary, Consent, ConsentInput, ContactRecord, ContactRecordInput, DuplicateCandidate, HouseholdMemberInput, OpenCaseInput, OrgRef, Person, PersonInput, PlanInput, SupportPlan, TimelineEntry } from './types.ts';

export { CASE_STATUSES, CONSENT_METHODS, CONTACT_KINDS, LIFE_AREAS };
export type { AgeBand, AreaAssessment, Assessment, AssessmentInput, CaseAccess, CaseDetail, CaseQuery, CaseStatus, CaseSummary, Consent, ConsentInput, ConsentMethod, ContactKind, ContactRecord, ContactRecordInput, DuplicateCandidate, DuplicateMatch, GoalKind, HouseholdMemberInput, LifeArea, OpenCaseInput, OrgRef, Person, PersonHeader, PersonInput, PlanInput, SupportPlan, TimelineEntry } from './types.ts';

// Japanese labels for timeline summaries (the UI labels entries by kind itself; these read well on their own)
const STATUS_JA: Record<CaseStatus, string> = { intake: '受付', assessment: 'アセスメント', support: '支援中', monitoring: 'モニタリング', closed: '終結' };
const CONTACT_JA: Record<string, string> = { phone: '電話', interview: '面談', home_visit: '訪問', accompaniment: '同行', meeting: '会議', other: 'その他' };
const AREA_JA: Record<string, string> = {
  health: '健康', mental_health: 'こころの健康', housing: '住まい', household_budget: '家計', employment: '就労', family: '家族',
  social_participation: '社会参加', daily_living: '日常生活',
};
const wareki = (isoDate: string) =>
  new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${isoDate}T00:00:00Z`)).replace(/(\D)1年/, '$1元年');

/** The status changes a case may take (受付 → アセスメント → 支援中 → モニタリング → 終結, and reopening). */
const TRANSITIONS: Record<CaseStatus, CaseStatus[]> = {
  intake: ['assessment', 'support', 'closed'],
  assessment: ['support', 'closed'],
  support: ['monitoring', 'closed'],
  monitoring: ['support', 'closed'],
  closed: ['assessment', 'support'],
};



/** The columns presentPerson shows (not the search keys: the gram array alone is larger than the rest). */
const PERSON_COLUMNS = ['id', 'name', 'name_kana', 'birth_date', 'age_band_min', 'age_band_max', 'gender', 'phone', 'email', 'address', 'area_id', 'merged_into_id', 'version']
  .map((c) => `p.${c}`).join(', ');

interface PersonRow {
  id: string; name: string | null; name_kana: string | null; birth_date: string | null; age_band_min: number | null; age_band_max: number | null;
  gender: string | null; phone: string | null; email: string | null; address: string | null; area_id: string | null; merged_into_id: string | null; version: number;
}

const presentPerson = (r: PersonRow): Person => ({
  id: r.id, name: r.name, nameKana: r.name_kana, birthDate: r.birth_date,
  ageBand: r.age_band_min !== null && r.age_band_max !== null ? { min: r.age_band_min, max: r.age_band_max } : null,
  gender: r.gender, phone: r.phone, email: r.email, address: r.address, areaId: r.area_id, mergedIntoId: r.merged_into_id, version: r.version,
});

function requireStaff(actor: Actor) {
  if (actor.role !== 'hub_coordinator' && actor.role !== 'org_staff') throw forbidden('Only staff of an organisation or the hub work with cases.');
}

/** A person is visible to the hub, and to organisations with full access to one of the person's cases. */
const PERSON_VISIBLE = (role: string, org: string) => `(
  ${role}::text = 'hub_coordinator'
  OR EXISTS (SELECT 1 FROM support_case c WHERE c.municipality_id = p.municipality_id AND c.person_id = p.id
             AND ${accessLevelSql(role, org)} = 'full'))`;

async function insertPerson(tx: Db, mid: string, input: PersonInput, now: Date): Promise<string> {
  const id = randomUUID();
  await tx.query(
    `INSERT INTO person (municipality_id, id, name, name_kana, birth_date, age_band_min, age_band_max, gender, phone, email, address, area_id,
       name_key, kana_key, search_grams, created_at, updated_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16)`,
    [mid, id, input.name?.trim() || null, input.nameKana?.trim() || null, input.birthDate ?? null, input.ageBand?.min ?? null, input.ageBand?.max ?? null,
      input.gender?.trim() || null, input.phone?.trim() || null, input.email?.trim() || null, input.address?.trim() || null, input.areaId ?? null,
      nameKey(input.name), nameKey(input.nameKana), personGrams(input.name ?? null, input.nameKana ?? null), now],
  );
  return id;
}

function checkPerson(p: PersonInput, field: string, now: Date) {
  const fields = [];
  if (p.birthDate && p.ageBand) fields.push({ field: `${field}.ageBand`, message: 'Give either the birth date or an age band, not both.' });
  if (p.birthDate && p.birthDate > japanDate(now)) fields.push({ field: `${field}.birthDate`, message: 'The birth date cannot be in the future.' });
  if (p.ageBand && p.ageBand.min > p.ageBand.max) fields.push({ field: `${field}.ageBand`, message: 'The band’s lower age is above its upper age.' });
  return fields;
}

/** Fields naming an area the municipality does not have (a person's area is optional). */
async function unknownAreas(db: Db, mid: string, people: [PersonInput | undefined, string][]) {
  const given = people.filter(([p]) => p?.areaId);
  if (given.length === 0) return [];
  const areas = new Set((await listAreas(db, mid)).map((a) => a.id));
  return given.filter(([p]) => !areas.has(p!.areaId!)).map(([, field]) => ({ field: `${field}.areaId`, message: 'No area with that id in this municipality.' }));
}


/**
 * People already known who may be the one a new consultation concerns: the
 * same reading and birth date, or the same name and birth date, or the same
 * name and reading, tolerant of full-/half-width, katakana/hiragana and spaces.
 */
export async function findDuplicates({ db }: Deps, actor: Actor, p: PersonInput): Promise<DuplicateCandidate[]> {
  requireStaff(actor);
  const nk = nameKey(p.name);
  const kk = nameKey(p.nameKana);
  if (!nk && !kk) return [];
  const { rows } = await db.query<PersonRow & { m_name: boolean; m_kana: boolean; m_birth: boolean }>(
    `SELECT ${PERSON_COLUMNS}, (p.name_key = $4 AND $4 <> '') AS m_name, (p.kana_key = $5 AND $5 <> '') AS m_kana,
            (p.birth_date IS NOT NULL AND p.birth_date = $6::date) AS m_birth
     FROM person p
     WHERE p.municipality_id = $1 AND p.merged_into_id IS NULL AND ${PERSON_VISIBLE('$2', '$3')}
       AND ((p.name_key = $4 AND $4 <> '') OR (p.kana_key = $5 AND $5 <> ''))
     LIMIT 20`,
    [actor.municipalityId, actor.role, actor.organizationId, nk, kk, p.birthDate ?? null],
  );
  return rows
    .map((r) => ({ person: presentPerson(r), matches: [r.m_name && 'name', r.m_kana && 'kana', r.m_birth && 'birthDate'].filter(Boolean) as DuplicateCandidate['matches'] }))
    // a shared name alone is common; two of the three make a candidate
    .filter((c) => c.matches.length >= 2);
}

/**
 * Persons of municipality $1 whose name or reading ($5, as nameKey) contains the query: every gram of it ($4, as
 * queryGrams) among the municipality's in the gram index (municipalGramsSql), visible to role $2 of organisation $3; $6 at most.
 */
export const SEARCH_PERSONS_SQL = `SELECT ${PERSON_COLUMNS} FROM person p
     WHERE p.municipality_id = $1 AND p.merged_into_id IS NULL AND ${municipalGramsSql('$1', '$4')}
       AND (strpos(p.name_key, $5) > 0 OR strpos(p.kana_key, $5) > 0)
       AND ${PERSON_VISIBLE('$2', '$3')}
     ORDER BY p.kana_key, p.id LIMIT $6`;

/** Persons whose name or reading contains the query (kanji or kana, any width), among those the actor may see. */
export async function searchPersons({ db, clock }: Deps, actor: Actor, q: string, limit = 20): Promise<Person[]> {
  requireStaff(actor);
  const g = queryGrams(q);
  if (g.length === 0) throw badRequest('Type part of a name or its reading.', [{ field: 'q', message: 'Type part of a name or its reading.' }]);
  const key = nameKey(q);
  const { rows } = await db.query<PersonRow>(SEARCH_PERSONS_SQL, [actor.municipalityId, actor.role, actor.organizationId, g, key, limit]);
  await recordAudit(db, clock, actor, { action: 'person.search', entityType: 'person', reason: 'search', details: { query: q, count: rows.length, ids: rows.map((r) => r.id) } });
  return rows.map(presentPerson);
}

export async function getPerson({ db, clock }: Deps, actor: Actor, id: string): Promise<Person> {
  requireStaff(actor);
  let { rows } = await db.query<PersonRow>(
    `SELECT ${PERSON_COLUMNS} FROM person p WHERE p.municipality_id = $1 AND p.id = $4 AND ${PERSON_VISIBLE('$2', '$3')}`,
    [actor.municipalityId, actor.role, actor.organizationId, id],
  );
  // break-the-glass opens the person of the case it opened (read only: updatePerson does not look)
  const breakGlassId = rows[0] ? null : await activeBreakGlassForPerson(db, actor, id, clock.now());
  if (breakGlassId) ({ rows } = await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.municipality_id = $1 AND p.id = $2`, [actor.municipalityId, id]));
  if (!rows[0]) throw notFound('person');
  await recordAudit(db, clock, actor, {
    action: 'person.read', entityType: 'person', entityId: id, reason: breakGlassId ? 'break-the-glass' : 'case work', ...(breakGlassId ? { details: { breakGlassId } } : {}),
  });
  return presentPerson(rows[0]);
}

/** Corrects a person's details (version-checked). */
export async function updatePerson({ db, clock }: Deps, actor: Actor, id: string, version: number, input: PersonInput): Promise<Person> {
  requireStaff(actor);
  const fields = [...checkPerson(input, 'person', clock.now()), ...(await unknownAreas(db, actor.municipalityId!, [[input, 'person']]))];
  if (fields.length) throw badRequest('Some fields are not valid. Correct them and send again.', fields.map((f) => ({ ...f, field: f.field.replace(/^person\./, '') })));
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<PersonRow>(
      `SELECT ${PERSON_COLUMNS} FROM person p WHERE p.municipality_id = $1 AND p.id = $4 AND ${PERSON_VISIBLE('$2', '$3')} FOR UPDATE`,
      [actor.municipalityId, actor.role, actor.organizationId, id],
    );
    const cur = rows[0];
    if (!cur) throw notFound('person');
    if (cur.version !== version) throw conflict(`Someone changed this person's details since you opened them (now version ${cur.version}). Reload and apply your change again.`);
    const v = <T>(x: T | undefined, c: T) => (x === undefined ? c : x);
    const name = v(input.name, cur.name);
    const kana = v(input.nameKana, cur.name_kana);
    await tx.query(
      `UPDATE person SET name = $3, name_kana = $4, birth_date = $5, age_band_min = $6, age_band_max = $7, gender = $8, phone = $9, email = $10,
         address = $11, area_id = $12, name_key = $13, kana_key = $14, search_grams = $15, updated_at = $16, version = version + 1
       WHERE municipality_id = $1 AND id = $2`,
      [actor.municipalityId, id, name, kana, v(input.birthDate, cur.birth_date),
        input.ageBand !== undefined ? input.ageBand?.min ?? null : cur.age_band_min, input.ageBand !== undefined ? input.ageBand?.max ?? null : cur.age_band_max,
        v(input.gender, cur.gender), v(input.phone, cur.phone), v(input.email, cur.email), v(input.address, cur.address), v(input.areaId, cur.area_id),
        nameKey(name), nameKey(kana), personGrams(name, kana), clock.now()],
    );
    await recordAudit(tx, clock, actor, { action: 'person.update', entityType: 'person', entityId: id, reason: 'correction', details: { fields: Object.keys(input) } });
  });
  return getPerson({ db, clock }, actor, id);
}

/**
 * Merges a duplicate into the person kept: cases, household memberships and
 * consents move over; the duplicate stays, pointing at the one kept, so every
 * record that named it still resolves. Only the hub merges.
 */
export async function mergePersons({ db, clock }: Deps, actor: Actor, keepId: string, duplicateId: string): Promise<Person> {
  if (actor.role !== 'hub_coordinator') throw forbidden('Only the hub merges persons.');
  if (keepId === duplicateId) throw badRequest('Choose two different persons.', [{ field: 'duplicateId', message: 'This is the person being kept.' }]);
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; merged_into_id: string | null }>(
      'SELECT id, merged_into_id FROM person WHERE municipality_id = $1 AND id = ANY($2::uuid[]) FOR UPDATE', [mid, [keepId, duplicateId]]);
    if (rows.length !== 2) throw notFound('person');
    if (rows.some((r) => r.merged_into_id)) throw conflict('One of these persons was already merged into another.');
    await tx.query('UPDATE support_case SET person_id = $3, version = version + 1 WHERE municipality_id = $1 AND person_id = $2', [mid, duplicateId, keepId]);
    await tx.query('UPDATE consent SET person_id = $3 WHERE municipality_id = $1 AND person_id = $2', [mid, duplicateId, keepId]);
    // a household both belonged to keeps one membership: the kept person's
    await tx.query(
      `DELETE FROM household_member d WHERE d.municipality_id = $1 AND d.person_id = $2
         AND EXISTS (SELECT 1 FROM household_member k WHERE k.municipality_id = $1 AND k.household_id = d.household_id AND k.person_id = $3)`,
      [mid, duplicateId, keepId]);
    await tx.query('UPDATE household_member SET person_id = $3 WHERE municipality_id = $1 AND person_id = $2', [mid, duplicateId, keepId]);
    await tx.query('UPDATE person SET merged_into_id = $3, updated_at = $4, version = version + 1 WHERE municipality_id = $1 AND id = $2', [mid, duplicateId, keepId, clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'person.merge', entityType: 'person', entityId: keepId, reason: 'duplicate', details: { merged: duplicateId } });
  });
  return getPerson({ db, clock }, actor, keepId);
}

// ---------------------------------------------------------------- cases



interface CaseRow {
  id: string; reference: string; person_id: string; household_id: string | null; lead_organization_id: string; status: CaseStatus; complex: boolean;
  opened_at: Date; closed_at: Date | null; closure_reason: string | null; last_contact_at: Date | null; version: number; access: AccessLevel;
  /** Set when the case is read through break-the-glass. */
  breakGlassId?: string;
  /** Set when the case is read through a 支援会議 session's agenda. */
  meetingSessionId?: string;
  meeting?: MeetingShare;
}





async function orgNames(db: Db, mid: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; name: string }>('SELECT id, name FROM organization WHERE municipality_id = $1', [mid]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

const REFERRAL_ONLY = 'You see only the referral for this case. The person’s consent to share with your organisation is needed for more.';

/** Loads a case with the actor's access level; a case the actor may not see is 404. */
async function loadCase(db: Db, actor: Actor, id: string, opts: { lock?: boolean; need?: 'full' | 'any'; clock?: Clock } = {}): Promise<CaseRow> {
  requireStaff(actor);
  const { rows } = await db.query<CaseRow>(
    `SELECT c.*, ${accessLevelSql('$2', '$3')} AS access FROM support_case c WHERE c.municipality_id = $1 AND c.id = $4${opts.lock ? ' FOR UPDATE' : ''}`,
    [actor.municipalityId, actor.role, actor.organizationId, id],
  );
  const row = rows[0];
  // break-the-glass opens reads only: writes take the row lock and never see it
  if (row && row.access !== 'full' && !opts.lock) {
    const breakGlassId = await activeBreakGlass(db, actor, id, (opts.clock ?? systemClock).now());
    if (breakGlassId) Object.assign(row, { access: 'full', breakGlassId });
  }
  if (row && row.access !== 'full' && !opts.lock) {
    const share = await activeMeetingShare(db, actor, id, (opts.clock ?? systemClock).now());
    if (share) Object.assign(row, { access: 'meeting', meetingSessionId: share.sessionId, meeting: share });
  }
  if (!row || row.access === 'none') throw notFound('case');
  if ((opts.need ?? 'any') === 'full' && row.access !== 'full') throw forbidden(REFERRAL_ONLY);
  return row;
}

/** Why a read was allowed, as the audit records it. */
const readReason = (row: CaseRow) =>
  row.breakGlassId ? 'break-the-glass' : row.meetingSessionId ? 'meeting' : row.access === 'full' ? 'case work' : 'referral received';

/** The access level of the actor on a case ('none' when it is not theirs to see), for other modules. */
export async function caseAccess({ db }: Deps, actor: Actor, caseId: string): Promise<AccessLevel> {
  if (actor.role !== 'hub_coordinator' && actor.role !== 'org_staff') return 'none';
  const { rows } = await db.query<{ access: AccessLevel }>(
    `SELECT ${accessLevelSql('$2', '$3')} AS access FROM support_case c WHERE c.municipality_id = $1 AND c.id = $4`,
    [actor.municipalityId, actor.role, actor.organizationId, caseId],
  );
  return rows[0]?.access ?? 'none';
}


/** Appends an entry to a case's timeline. Other modules call this for their own events (a referral accepted, …). */
export async function appendCaseEvent(tx: Db, mid: string, caseId: string, e: {
  at: Date; kind: string; organizationId: string | null; scope: 'case' | 'org'; summary: string; entityType?: string; entityId?: string; byUser: string | null;
  /** The text with 要配慮 matters, for users with the grant; `summary` must leave them out. */
  summarySensitive?: string;
}): Promise<void> {
  await tx.query(
    `INSERT INTO case_event (municipality_id, case_id, seq, at, kind, organization_id, scope, summary, summary_sensitive, entity_type, entity_id, by_user)
     SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11 FROM case_event WHERE municipality_id = $1 AND case_id = $2`,
    [mid, caseId, e.at, e.kind, e.organizationId, e.scope, e.summary, e.summarySensitive ?? null, e.entityType ?? null, e.entityId ?? null, e.byUser],
  );
}

/** Adds (or renews) an organisation's participation in a case; called by referrals and programs. */
export async function addParticipant(tx: Db, mid: string, caseId: string, organizationId: string, role: 'participant' | 'referral_receiver', reason: string, at: Date): Promise<void> {
  await tx.query(
    `INSERT INTO case_participant (municipality_id, case_id, organization_id, role, since, reason) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (municipality_id, case_id, organization_id) DO UPDATE
       SET role = CASE WHEN case_participant.role = 'lead' THEN 'lead'
                       WHEN case_participant.until IS NULL AND case_participant.role = 'participant' THEN 'participant'
                       ELSE EXCLUDED.role END,
           until = NULL, reason = EXCLUDED.reason,
           since = CASE WHEN case_participant.until IS NULL THEN case_participant.since ELSE EXCLUDED.since END`,
    [mid, caseId, organizationId, role, at, reason],
  );
}

/** Ends a non-lead participation (a referral declined or returned); the row stays for history. */
export async function endParticipant(tx: Db, mid: string, caseId: string, organizationId: string, at: Date): Promise<void> {
  await tx.query(
    `UPDATE case_participant SET until = $4 WHERE municipality_id = $1 AND case_id = $2 AND organization_id = $3 AND role <> 'lead' AND until IS NULL`,
    [mid, caseId, organizationId, at],
  );
}

/** Moves the case's last contact forward to `at` (a contact recorded by another module: an outreach visit). */
export async function noteCaseContact(tx: Db, mid: string, caseId: string, at: Date): Promise<void> {
  await tx.query('UPDATE support_case SET last_contact_at = GREATEST(COALESCE(last_contact_at, $3), $3) WHERE municipality_id = $1 AND id = $2', [mid, caseId, at]);
}

/**
 * Opens a support case for a person (new or known) from one or more
 * consultations. The acting organisation leads unless the hub names another.
 */
export async function openCase(deps: Deps, actor: Actor, input: OpenCaseInput): Promise<CaseDetail> {
  requireStaff(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const now = clock.now();
  const fields = [];
  if (!input.personId && !input.person) fields.push({ field: 'person', message: 'Choose a known person or give the new person’s details.' });
  if (input.personId && input.person) fields.push({ field: 'person', message: 'Give either personId or person, not both.' });
  if (input.person) fields.push(...checkPerson(input.person, 'person', now));
  input.household?.members.forEach((m, i) => {
    if (!m.personId === !m.person) fields.push({ field: `household.members[${i}]`, message: 'Give either personId or person for each member.' });
    if (m.person) fields.push(...checkPerson(m.person, `household.members[${i}].person`, now));
  });
  fields.push(...(await unknownAreas(db, mid, [[input.person, 'person'], ...(input.household?.members ?? []).map((m, i): [PersonInput | undefined, string] => [m.person, `household.members[${i}].person`])])));
  if (input.leadOrganizationId && input.leadOrganizationId !== actor.organizationId && actor.role !== 'hub_coordinator')
    fields.push({ field: 'leadOrganizationId', message: 'Only the hub can open a case led by another organisation.' });
  if (fields.length) throw badRequest('The case could not be opened.', fields);
  const lead = input.leadOrganizationId ?? actor.organizationId!;
  const names = await orgNames(db, mid);
  if (!names.has(lead)) throw badRequest('The case could not be opened.', [{ field: 'leadOrganizationId', message: 'No organisation with that id.' }]);

  const caseId = randomUUID();
  await db.transaction(async (tx) => {
    const txDeps = { db: tx, clock };
    if (input.personId) await getPerson(txDeps, actor, input.personId); // visibility check (404 when not visible)
    if (input.personId) await assertUsable(tx, mid, input.personId); // 利用停止: no new case
    const personId = input.personId ?? (await insertPerson(tx, mid, input.person!, now));
    let householdId: string | null = null;
    if (input.household) {
      householdId = randomUUID();
      await tx.query('INSERT INTO household (municipality_id, id, label, created_at) VALUES ($1, $2, $3, $4)', [mid, householdId, input.household.label ?? null, now]);
      await tx.query('INSERT INTO household_member (municipality_id, household_id, person_id, relation) VALUES ($1, $2, $3, $4)', [mid, householdId, personId, '本人']);
      for (const m of input.household.members) {
        if (m.personId) await getPerson(txDeps, actor, m.personId);
        if (m.personId) await assertUsable(tx, mid, m.personId);
        const memberId = m.personId ?? (await insertPerson(tx, mid, m.person!, now));
        await tx.query('INSERT INTO household_member (municipality_id, household_id, person_id, relation) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [mid, householdId, memberId, m.relation]);
      }
    }
    const reference = await nextReference(tx, 'case_counter', mid, now, 'C');
    await tx.query(
      `INSERT INTO support_case (municipality_id, id, reference, person_id, household_id, lead_organization_id, status, complex, opened_at, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'intake', $7, $8, $8, $8)`,
      [mid, caseId, reference, personId, householdId, lead, input.complex ?? false, now],
    );
    await tx.query(
      `INSERT INTO case_participant (municipality_id, case_id, organization_id, role, since, reason) VALUES ($1, $2, $3, 'lead', $4, 'opened the case')`,
      [mid, caseId, lead, now],
    );
    for (const cid of input.consultationIds ?? []) {
      const c = await consultationForCase(txDeps, actor, cid);
      await attachConsultationToCase(txDeps, actor, cid, caseId, reference, lead);
      await tx.query('INSERT INTO case_consultation (municipality_id, case_id, consultation_id) VALUES ($1, $2, $3)', [mid, caseId, cid]);
      await appendCaseEvent(tx, mid, caseId, { at: c.receivedAt, kind: 'consultation', organizationId: lead, scope: 'case', summary: `相談 ${c.reference}: ${c.summary.slice(0, 200)}`, entityType: 'consultation', entityId: cid, byUser: actor.userId });
    }
    await appendCaseEvent(tx, mid, caseId, { at: now, kind: 'case_opened', organizationId: lead, scope: 'case', summary: `ケース ${reference} を開始（主担当: ${names.get(lead)}）`, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'case.open', entityType: 'support_case', entityId: caseId, reason: 'case opened', details: { personId, consultations: input.consultationIds ?? [] } });
  });
  return getCase(deps, actor, caseId, { audit: false });
}

export async function getCase({ db, clock }: Deps, actor: Actor, id: string, opts: { audit?: boolean } = {}): Promise<CaseDetail> {
  const mid = actor.municipalityId!;
  const row = await loadCase(db, actor, id, { clock });
  const names = await orgNames(db, mid);
  const org = (oid: string) => ({ id: oid, name: names.get(oid) ?? '' });
  const full = row.access === 'full';
  const { rows: parts } = await db.query<{ organization_id: string; role: string; since: Date }>(
    `SELECT organization_id, role, since FROM case_participant WHERE municipality_id = $1 AND case_id = $2 AND until IS NULL ORDER BY role = 'lead' DESC, since`, [mid, id]);
  let person: CaseSummary['person'] = null;
  let household: CaseDetail['household'] = null;
  let consultations: CaseDetail['consultations'] = [];
  let consents: Consent[] = [];
  if (full || row.access === 'meeting') {
    const { rows } = await db.query<PersonRow>(`SELECT ${PERSON_COLUMNS} FROM person p WHERE p.municipality_id = $1 AND p.id = $2`, [mid, row.person_id]);
    const p = presentPerson(rows[0]);
    person = { id: p.id, name: p.name, nameKana: p.nameKana, birthDate: p.birthDate, ageBand: p.ageBand };
  }
  if (full) {
    if (row.household_id) {
      const hh = await db.query<PersonRow & { relation: string; label: string | null }>(
        `SELECT ${PERSON_COLUMNS}, m.relation, h.label FROM household h JOIN household_member m ON m.municipality_id = h.municipality_id AND m.household_id = h.id
         JOIN person p ON p.municipality_id = m.municipality_id AND p.id = m.person_id
         WHERE h.municipality_id = $1 AND h.id = $2 ORDER BY m.relation = '本人' DESC, p.birth_date NULLS LAST`, [mid, row.household_id]);
      household = { id: row.household_id, label: hh.rows[0]?.label ?? null, members: hh.rows.map((r) => ({ person: presentPerson(r), relation: r.relation })) };
    }
    consultations = (await db.query<{ id: string; reference: string; received_at: Date; summary: string }>(
      `SELECT c.id, c.reference, c.received_at, c.summary FROM case_consultation cc JOIN consultation c ON c.municipality_id = cc.municipality_id AND c.id = cc.consultation_id
       WHERE cc.municipality_id = $1 AND cc.case_id = $2 ORDER BY c.received_at`, [mid, id])).rows.map((r) => ({ id: r.id, reference: r.reference, receivedAt: r.received_at, summary: r.summary }));
    consents = await listConsents(db, mid, row.person_id, names);
  }
  if (opts.audit !== false)
    await recordAudit(db, clock, actor, {
      action: 'case.read', entityType: 'support_case', entityId: id, reason: readReason(row),
      details: { access: row.access, ...(row.breakGlassId ? { breakGlassId: row.breakGlassId } : {}), ...(row.meetingSessionId ? { meetingSessionId: row.meetingSessionId } : {}) },
    });
  return {
    id: row.id, reference: row.reference, status: row.status, complex: row.complex, lead: org(row.lead_organization_id), openedAt: row.opened_at,
    closedAt: row.closed_at, lastContactAt: row.last_contact_at, access: row.access as CaseSummary['access'], person, version: row.version,
    closureReason: full ? row.closure_reason : null,
    participants: parts.map((p) => ({ organization: org(p.organization_id), role: p.role, since: p.since })),
    household, consultations, consents,
    meeting: row.meeting ? { sessionId: row.meeting.sessionId, seriesName: row.meeting.seriesName, date: row.meeting.date } : null,
  };
}


/**
 * An organisation's (or the hub's) case list, one keyset page: the cases the organisation takes part in
 * ("mine") or all it may see ("all"). The page is found by visibility alone; the consent that tells full
 * from referral is looked up for its rows only, and so is the lead's name (a join let the planner hash
 * every organisation of the database: 0.6 ms of a 2 ms page at the tokyo size). Parameters:
 * municipality, role, organisation, status, cursor time and id, limit. Exported for the benchmark's
 * direct-SQL peer.
 */
const listCasesSql = (visible: string, level = visibleLevelSql('$2', '$3')) => `SELECT c.*, ${level.levelSql} AS access,
       (SELECT lead.name FROM organization lead WHERE lead.municipality_id = c.municipality_id AND lead.id = c.lead_organization_id) AS lead_name FROM (
       SELECT c.id, c.municipality_id, c.reference, c.person_id, c.lead_organization_id, c.status, c.complex, c.opened_at, c.closed_at, c.last_contact_at,
              c.version AS case_version, p.name, p.name_kana, p.birth_date, p.age_band_min, p.age_band_max
       FROM support_case c JOIN person p ON p.municipality_id = c.municipality_id AND p.id = c.person_id
       WHERE c.municipality_id = $1 AND ${visible}
         AND ($4::text IS NULL OR ($4 = 'open' AND c.status <> 'closed') OR c.status = $4)
         AND ($5::timestamptz IS NULL OR (c.opened_at, c.id) < ($5, $6::uuid))
       ORDER BY c.opened_at DESC, c.id DESC LIMIT $7
     ) c ${level.joinSql}
     ORDER BY c.opened_at DESC, c.id DESC`;
/** The case list for each scope, read one of two ways (readsCaseByCase). */
export const LIST_CASES_SQL = {
  mine: { caseByCase: listCasesSql(caseTakenPartInSql('$2', '$3')), participationsFirst: listCasesSql(caseTakenPartInSql('$2', '$3', '$1', false)) },
  all: { caseByCase: listCasesSql(caseVisibleSql('$2', '$3', '$1', true)), participationsFirst: listCasesSql(caseVisibleSql('$2', '$3')) },
};

/**
 * Whether an organisation's list is read case by case in the list's order, checking each case's
 * participation (LIST_CASES_SQL[scope].caseByCase), or with its participations read first
 * (participationsFirst: the own list joins them, the whole list hashes them). Filling a page of `limit` case by case checks
 * about limit × cases ÷ participations cases; the other way reads every participation. Measured with
 * bench/own-list.ts at the tokyo size (0.8 µs a case checked):
 * - own list: a participation joined costs about six checks, so case by case when 6 × participations² >
 *   limit × cases. In a municipality of 28,000 cases an organisation in none paid 22 ms a page case by
 *   case and 0.6 ms from its participations; one in 13,000, 1.3 ms case by case and 25 ms joined.
 * - whole list: a participation hashed costs far less than one joined; case by case only when
 *   participations² > 20 × limit × cases (there, from about 5,000: the busiest, in 19,654, 7.1 ms
 *   hashed and 1.8 ms case by case; one in 2,800, 1.7 ms hashed and 3.2 ms case by case).
 * Counted at most every ten minutes per process and organisation: only how a list is read depends on
 * the counts, never what it shows.
 */
export async function readsCaseByCase({ db, clock }: Deps, mid: string, organizationId: string, scope: 'mine' | 'all', limit: number): Promise<boolean> {
  let known = participationCounts.get(db);
  if (!known) participationCounts.set(db, (known = new Map()));
  const key = `${mid}:${organizationId}`;
  const now = clock.now().getTime();
  let counts = known.get(key);
  if (!counts || counts.until <= now) {
    const { rows: [r] } = await db.query<{ taking_part: number; cases: number }>(
      `SELECT (SELECT count(*)::int FROM case_participant WHERE municipality_id = $1 AND organization_id = $2 AND until IS NULL) AS taking_part,
              (SELECT count(*)::int FROM support_case WHERE municipality_id = $1) AS cases`, [mid, organizationId]);
    known.set(key, (counts = { takingPart: r.taking_part, cases: r.cases, until: now + 10 * 60_000 }));
  }
  const p2 = counts.takingPart ** 2;
  return scope === 'mine' ? 6 * p2 > limit * counts.cases : p2 > 20 * limit * counts.cases;
}
const participationCounts = new WeakMap<Db, Map<string, { takingPart: number; cases: number; until: number }>>();

/** A page of cases, newest first; only what the actor may see, names only with full access. */
export async function listCases({ db, clock }: Deps, actor: Actor, q: CaseQuery): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const limit = q.limit ?? 50;
  const cursor = decodeCursor(q.cursor);
  const scope = q.scope ?? 'mine';
  // the hub's whole list checks no participation
  const caseByCase = !(scope === 'all' && actor.role === 'hub_coordinator') && await readsCaseByCase({ db, clock }, mid, actor.organizationId!, scope, limit);
  const { rows } = await db.query<CaseRow & PersonRow & { case_version: number; lead_name: string }>(
    LIST_CASES_SQL[scope][caseByCase ? 'caseByCase' : 'participationsFirst'],
    [mid, actor.role, actor.organizationId, q.status ?? null, cursor?.at ?? null, cursor?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  await recordAudit(db, clock, actor, {
    action: 'case.list', entityType: 'support_case', reason: 'case list', details: { scope, status: q.status ?? null, count: page.length, ids: page.map((r) => r.id) },
  });
  const last = page.at(-1);
  return {
    items: page.map((r) => ({
      id: r.id, reference: r.reference, status: r.status, complex: r.complex, lead: { id: r.lead_organization_id, name: r.lead_name },
      openedAt: r.opened_at, closedAt: r.closed_at, lastContactAt: r.last_contact_at, access: r.access as 'full' | 'referral', version: r.case_version,
      person: r.access === 'full'
        ? { id: r.person_id, name: r.name, nameKana: r.name_kana, birthDate: r.birth_date, ageBand: r.age_band_min !== null && r.age_band_max !== null ? { min: r.age_band_min, max: r.age_band_max } : null }
        : null,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.opened_at.toISOString(), id: last.id }) : null,
  };
}

/** Moves a case along its life (with a reason); closing needs a closure reason. Refuses a stale version. */
export async function changeCaseStatus(deps: Deps, actor: Actor, id: string, input: { version: number; status: CaseStatus; reason?: string; closureReason?: string }): Promise<CaseDetail> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, id, { lock: true, need: 'full' });
    if (row.lead_organization_id !== actor.organizationId && actor.role !== 'hub_coordinator') throw forbidden('Only the lead organisation or the hub changes the status of a case.');
    if (row.version !== input.version) throw conflict(`Someone changed this case since you opened it (now version ${row.version}). Reload it and try again.`);
    if (!TRANSITIONS[row.status].includes(input.status))
      throw badRequest(`A case in status ${row.status} cannot move to ${input.status}.`, [{ field: 'status', message: `Allowed next: ${TRANSITIONS[row.status].join(', ')}.` }]);
    if (input.status === 'closed' && !input.closureReason?.trim())
      throw badRequest('Say why the case closes.', [{ field: 'closureReason', message: 'A closure needs its reason (終結理由).' }]);
    const now = clock.now();
    const closing = input.status === 'closed';
    await tx.query(
      `UPDATE support_case SET status = $3, closed_at = $4, closure_reason = $5, updated_at = $6, version = version + 1 WHERE municipality_id = $1 AND id = $2`,
      [mid, id, input.status, closing ? now : null, closing ? input.closureReason!.trim() : null, now],
    );
    const summary = closing
      ? `終結: ${input.closureReason!.trim()}`
      : row.status === 'closed'
        ? `再開（${STATUS_JA[input.status]}）${input.reason ? `: ${input.reason}` : ''}`
        : `状態変更: ${STATUS_JA[row.status]} → ${STATUS_JA[input.status]}${input.reason ? `（${input.reason}）` : ''}`;
    await appendCaseEvent(tx, mid, id, { at: now, kind: closing ? 'case_closed' : 'status_changed', organizationId: actor.organizationId, scope: 'case', summary, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'case.status', entityType: 'support_case', entityId: id, reason: input.closureReason ?? input.reason ?? input.status, details: { from: row.status, to: input.status } });
  });
  return getCase(deps, actor, id, { audit: false });
}

// ---------------------------------------------------------------- records

/** Records a contact (支援記録). Any organisation taking part may record; it sees its own records at least. */
export async function addContactRecord({ db, clock }: Deps, actor: Actor, caseId: string, input: ContactRecordInput): Promise<ContactRecord> {
  const mid = actor.municipalityId!;
  const now = clock.now();
  if (Date.parse(input.occurredAt) > now.getTime() + 5 * 60_000) throw badRequest('The contact cannot be in the future.', [{ field: 'occurredAt', message: 'The contact cannot be in the future.' }]);
  const id = randomUUID();
  const { rows: u } = await db.query<{ display_name: string }>('SELECT display_name FROM app_user WHERE id = $1', [actor.userId]);
  const staffName = u[0]?.display_name ?? actor.login ?? '';
  await db.transaction(async (tx) => {
    await loadCase(tx, actor, caseId, { lock: true });
    await tx.query(
      `INSERT INTO contact_record (municipality_id, id, case_id, occurred_at, kind, organization_id, staff_user_id, staff_name, notes, next_step, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [mid, id, caseId, new Date(input.occurredAt), input.kind, actor.organizationId, actor.userId, staffName, input.notes.trim(), input.nextStep?.trim() || null, now],
    );
    await tx.query(
      `UPDATE support_case SET last_contact_at = GREATEST(COALESCE(last_contact_at, $3), $3) WHERE municipality_id = $1 AND id = $2`,
      [mid, caseId, new Date(input.occurredAt)],
    );
    await appendCaseEvent(tx, mid, caseId, { at: new Date(input.occurredAt), kind: 'contact', organizationId: actor.organizationId, scope: 'org', summary: `支援記録（${CONTACT_JA[input.kind] ?? input.kind}）: ${input.notes.trim().slice(0, 200)}`, entityType: 'contact_record', entityId: id, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'contact_record.create', entityType: 'contact_record', entityId: id, reason: 'case work', details: { caseId } });
  });
  const names = await orgNames(db, mid);
  return { id, ...input, organization: { id: actor.organizationId!, name: names.get(actor.organizationId!) ?? '' }, staffName, createdAt: now };
}

export async function listContactRecords({ db, clock }: Deps, actor: Actor, caseId: string): Promise<ContactRecord[]> {
  const mid = actor.municipalityId!;
  const row = await loadCase(db, actor, caseId, { clock });
  const { rows } = await db.query<{ id: string; occurred_at: Date; kind: ContactRecordInput['kind']; organization_id: string; staff_name: string; notes: string; next_step: string | null; created_at: Date }>(
    `SELECT * FROM contact_record WHERE municipality_id = $1 AND case_id = $2 AND ($3 OR organization_id = $4) ORDER BY occurred_at DESC`,
    [mid, caseId, row.access === 'full', actor.organizationId],
  );
  const names = await orgNames(db, mid);
  await recordAudit(db, clock, actor, { action: 'contact_record.list', entityType: 'support_case', entityId: caseId, reason: 'case work', details: { count: rows.length } });
  return rows.map((r) => ({
    id: r.id, occurredAt: r.occurred_at.toISOString(), kind: r.kind, notes: r.notes, nextStep: r.next_step,
    organization: { id: r.organization_id, name: names.get(r.organization_id) ?? '' }, staffName: r.staff_name, createdAt: r.created_at,
  }));
}

/** The life areas that hold health, mental-health and disability information (要配慮). */
export const SENSITIVE_LIFE_AREAS: readonly string[] = ['health', 'mental_health'];


export async function addAssessment({ db, clock }: Deps, actor: Actor, caseId: string, input: AssessmentInput) {
  const mid = actor.municipalityId!;
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await loadCase(tx, actor, caseId, { lock: true, need: 'full' });
    await tx.query(
      `INSERT INTO assessment (municipality_id, id, case_id, assessed_on, organization_id, by_user, areas, summary, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [mid, id, caseId, input.assessedOn, actor.organizationId, actor.userId, JSON.stringify(input.areas), input.summary ?? null, clock.now()],
    );
    const needs = Object.entries(input.areas).filter(([, v]) => v?.needsSupport).map(([k]) => k);
    const text = (areas: string[]) => `アセスメント（支援が必要な領域: ${areas.map((n) => AREA_JA[n] ?? n).join('、') || 'なし'}）`;
    const open = needs.filter((n) => !SENSITIVE_LIFE_AREAS.includes(n));
    await appendCaseEvent(tx, mid, caseId, {
      at: clock.now(), kind: 'assessment', organizationId: actor.organizationId, scope: 'case', entityType: 'assessment', entityId: id, byUser: actor.userId,
      summary: open.length < needs.length ? `${text(open)}（ほかに要配慮の領域あり）` : text(needs), summarySensitive: open.length < needs.length ? text(needs) : undefined,
    });
    await recordAudit(tx, clock, actor, { action: 'assessment.create', entityType: 'assessment', entityId: id, reason: 'case work', details: { caseId } });
  });
  return { id };
}

export async function listAssessments({ db, clock }: Deps, actor: Actor, caseId: string): Promise<Assessment[]> {
  const mid = actor.municipalityId!;
  await loadCase(db, actor, caseId, { need: 'full', clock });
  const { rows } = await db.query<{ id: string; assessed_on: string; organization_id: string; areas: AssessmentInput['areas']; summary: string | null; created_at: Date }>(
    'SELECT id, assessed_on, organization_id, areas, summary, created_at FROM assessment WHERE municipality_id = $1 AND case_id = $2 ORDER BY assessed_on DESC, created_at DESC', [mid, caseId]);
  await recordAudit(db, clock, actor, { action: 'assessment.list', entityType: 'support_case', entityId: caseId, reason: 'case work' });
  const names = await orgNames(db, mid);
  return rows.map((r) => ({ id: r.id, assessedOn: r.assessed_on, organization: { id: r.organization_id, name: names.get(r.organization_id) ?? '' }, areas: r.areas, summary: r.summary, createdAt: r.created_at }));
}


/** A support plan (プラン): the first one, or a new version (再プラン) replacing the previous. */
export async function createPlan({ db, clock }: Deps, actor: Actor, caseId: string, input: PlanInput) {
  const mid = actor.municipalityId!;
  const id = randomUUID();
  const names = await orgNames(db, mid);
  const fields = input.actions.flatMap((a, i) => (names.has(a.organizationId) ? [] : [{ field: `actions[${i}].organizationId`, message: 'No organisation with that id.' }]));
  const programs = input.actions.some((a) => a.programId) ? new Set((await listPrograms(db, mid, { includeInactive: true })).map((p) => p.id)) : new Set<string>();
  input.actions.forEach((a, i) => {
    if (a.programId && !programs.has(a.programId)) fields.push({ field: `actions[${i}].programId`, message: 'No program with that id.' });
  });
  if (input.personAgreed && !input.agreedOn) fields.push({ field: 'agreedOn', message: 'Give the date the person agreed to the plan.' });
  if (fields.length) throw badRequest('The plan could not be saved.', fields);
  let planNo = 0;
  await db.transaction(async (tx) => {
    await loadCase(tx, actor, caseId, { lock: true, need: 'full' });
    const { rows } = await tx.query<{ n: number }>('SELECT COALESCE(MAX(plan_no), 0) + 1 AS n FROM support_plan WHERE municipality_id = $1 AND case_id = $2', [mid, caseId]);
    planNo = rows[0].n;
    await tx.query(
      `INSERT INTO support_plan (municipality_id, id, case_id, plan_no, goals, review_date, person_agreed, agreed_on, organization_id, by_user, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [mid, id, caseId, planNo, JSON.stringify(input.goals), input.reviewDate, input.personAgreed, input.agreedOn ?? null, actor.organizationId, actor.userId, clock.now()],
    );
    for (const [i, a] of input.actions.entries())
      await tx.query(
        `INSERT INTO plan_action (municipality_id, plan_id, seq, description, organization_id, program_id, due_date) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [mid, id, i + 1, a.description, a.organizationId, a.programId ?? null, a.dueDate ?? null],
      );
    await appendCaseEvent(tx, mid, caseId, { at: clock.now(), kind: 'plan', organizationId: actor.organizationId, scope: 'case', summary: `${planNo === 1 ? '支援プラン作成' : `再プラン（第${planNo}版）`}: 見直し ${wareki(input.reviewDate)}`, entityType: 'support_plan', entityId: id, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'plan.create', entityType: 'support_plan', entityId: id, reason: 'case work', details: { caseId, planNo } });
  });
  return { id, planNo };
}

export async function listPlans({ db, clock }: Deps, actor: Actor, caseId: string): Promise<SupportPlan[]> {
  const mid = actor.municipalityId!;
  // a 支援会議 member reviews the plan during the session's window
  const row = await loadCase(db, actor, caseId, { clock });
  if (row.access === 'referral') throw forbidden(REFERRAL_ONLY);
  const names = await orgNames(db, mid);
  const { rows } = await db.query<{ id: string; plan_no: number; goals: PlanInput['goals']; review_date: string; person_agreed: boolean; agreed_on: string | null; created_at: Date; confirmed_on: string | null; confirmed_in: string | null }>(
    'SELECT * FROM support_plan WHERE municipality_id = $1 AND case_id = $2 ORDER BY plan_no DESC', [mid, caseId]);
  const { rows: actions } = await db.query<{ plan_id: string; seq: number; description: string; organization_id: string; program_id: string | null; due_date: string | null; status: string }>(
    `SELECT a.* FROM plan_action a JOIN support_plan p ON p.municipality_id = a.municipality_id AND p.id = a.plan_id
     WHERE p.municipality_id = $1 AND p.case_id = $2 ORDER BY a.seq`, [mid, caseId]);
  await recordAudit(db, clock, actor, { action: 'plan.list', entityType: 'support_case', entityId: caseId, reason: readReason(row), ...(row.meetingSessionId ? { details: { meetingSessionId: row.meetingSessionId } } : {}) });
  return rows.map((p) => ({
    id: p.id, planNo: p.plan_no, goals: p.goals, reviewDate: p.review_date, personAgreed: p.person_agreed, agreedOn: p.agreed_on, createdAt: p.created_at,
    confirmedOn: p.confirmed_on, confirmedIn: p.confirmed_in,
    actions: actions.filter((a) => a.plan_id === p.id).map((a) => ({
      seq: a.seq, description: a.description, organization: { id: a.organization_id, name: names.get(a.organization_id) ?? '' }, programId: a.program_id, dueDate: a.due_date, status: a.status,
    })),
  }));
}

// ---------------------------------------------------------------- consent

async function listConsents(db: Db, mid: string, personId: string, names: Map<string, string>): Promise<Consent[]> {
  const { rows } = await db.query<{ id: string; person_id: string; given_on: string; scope: string; method: string; recorded_at: Date; withdrawn_at: Date | null; withdrawal_note: string | null; orgs: string[] }>(
    `SELECT k.*, COALESCE((SELECT array_agg(ko.organization_id) FROM consent_organization ko WHERE ko.municipality_id = k.municipality_id AND ko.consent_id = k.id), '{}') AS orgs
     FROM consent k WHERE k.municipality_id = $1 AND k.person_id = $2 ORDER BY k.recorded_at DESC`, [mid, personId]);
  return rows.map((r) => ({
    id: r.id, personId: r.person_id, givenOn: r.given_on, scope: r.scope, method: r.method, recordedAt: r.recorded_at, withdrawnAt: r.withdrawn_at,
    withdrawalNote: r.withdrawal_note, organizations: r.orgs.map((o) => ({ id: o, name: names.get(o) ?? '' })),
  }));
}


/** Records the person's consent to share with the named organisations (同意). Those organisations then see the case in full. */
export async function recordConsent({ db, clock }: Deps, actor: Actor, caseId: string, input: ConsentInput): Promise<Consent> {
  const mid = actor.municipalityId!;
  const names = await orgNames(db, mid);
  const fields = input.organizationIds.flatMap((o, i) => (names.has(o) ? [] : [{ field: `organizationIds[${i}]`, message: 'No organisation with that id.' }]));
  if (input.givenOn > japanDate(clock.now())) fields.push({ field: 'givenOn', message: 'The consent cannot be given in the future.' });
  if (fields.length) throw badRequest('The consent could not be recorded.', fields);
  const id = randomUUID();
  let personId = '';
  await db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, caseId, { lock: true, need: 'full' });
    personId = row.person_id;
    await assertCaseUsable(tx, mid, caseId); // 利用停止: no new share on consent
    await tx.query(
      `INSERT INTO consent (municipality_id, id, person_id, given_on, scope, method, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [mid, id, personId, input.givenOn, input.scope.trim(), input.method, actor.userId, clock.now()],
    );
    for (const o of new Set(input.organizationIds))
      await tx.query('INSERT INTO consent_organization (municipality_id, consent_id, organization_id) VALUES ($1, $2, $3)', [mid, id, o]);
    await appendCaseEvent(tx, mid, caseId, { at: clock.now(), kind: 'consent', organizationId: actor.organizationId, scope: 'case', summary: `同意を記録（${input.organizationIds.map((o) => names.get(o)).join('、')}）`, entityType: 'consent', entityId: id, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'consent.record', entityType: 'consent', entityId: id, reason: input.scope, details: { caseId, organizations: input.organizationIds } });
  });
  return (await listConsents(db, mid, personId, names)).find((c) => c.id === id)!;
}

/** Other modules end what rested on a consent (referrals: their shares), in the withdrawal's transaction. */
export type ConsentWithdrawnHandler = (tx: Db, mid: string, consent: { id: string; personId: string }, at: Date, actor: Actor) => Promise<void>;
const consentWithdrawnHandlers: ConsentWithdrawnHandler[] = [];
export const onConsentWithdrawn = (h: ConsentWithdrawnHandler) => void consentWithdrawnHandlers.push(h);

/** Withdraws a consent: organisations that saw the case only through it lose that view from this moment. */
export async function withdrawConsent({ db, clock }: Deps, actor: Actor, caseId: string, consentId: string, note: string): Promise<Consent> {
  const mid = actor.municipalityId!;
  let personId = '';
  await db.transaction(async (tx) => {
    const row = await loadCase(tx, actor, caseId, { lock: true, need: 'full' });
    personId = row.person_id;
    const { rowCount } = await tx.query(
      'UPDATE consent SET withdrawn_at = $4, withdrawal_note = $5 WHERE municipality_id = $1 AND id = $2 AND person_id = $3 AND withdrawn_at IS NULL',
      [mid, consentId, personId, clock.now(), note.trim()],
    );
    if (rowCount === 0) throw notFound('active consent');
    for (const h of consentWithdrawnHandlers) await h(tx, mid, { id: consentId, personId }, clock.now(), actor);
    await appendCaseEvent(tx, mid, caseId, { at: clock.now(), kind: 'consent_withdrawn', organizationId: actor.organizationId, scope: 'case', summary: `同意の撤回: ${note.trim()}`, entityType: 'consent', entityId: consentId, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'consent.withdraw', entityType: 'consent', entityId: consentId, reason: note, details: { caseId } });
  });
  return (await listConsents(db, mid, personId, await orgNames(db, mid))).find((c) => c.id === consentId)!;
}

// ---------------------------------------------------------------- timeline


/** Everything that happened on the case, newest first; with referral-level access only what concerns the viewer's organisation. */
export async function caseTimeline({ db, clock }: Deps, actor: Actor, caseId: string): Promise<TimelineEntry[]> {
  const mid = actor.municipalityId!;
  const row = await loadCase(db, actor, caseId, { clock });
  const { rows } = await db.query<{ at: Date; kind: string; organization_id: string | null; summary: string; summary_sensitive: string | null; entity_type: string | null; entity_id: string | null }>(
    `SELECT at, kind, organization_id, summary, summary_sensitive, entity_type, entity_id FROM case_event
     WHERE municipality_id = $1 AND case_id = $2 AND ($3 OR (scope = 'org' AND organization_id = $4))
     ORDER BY at DESC, seq DESC`,
    [mid, caseId, row.access === 'full', actor.organizationId],
  );
  const names = await orgNames(db, mid);
  await recordAudit(db, clock, actor, { action: 'case.timeline', entityType: 'support_case', entityId: caseId, reason: readReason(row), details: { access: row.access, ...(row.meetingSessionId ? { meetingSessionId: row.meetingSessionId } : {}) } });
  return rows.map((r) => ({
    at: r.at, kind: r.kind, organization: r.organization_id ? { id: r.organization_id, name: names.get(r.organization_id) ?? '' } : null,
    summary: (actor.sensitiveAccess && r.summary_sensitive) || r.summary, entityType: r.entity_type, entityId: r.entity_id,
  }));
}


// ---------------------------------------------------------------- meetings

/** What a meeting reviews of a case: the facts the agenda shows, read without audit (the meetings module audits the view). */
export interface MeetingCaseFacts {
  caseId: string;
  reference: string;
  status: CaseStatus;
  complex: boolean;
  lead: OrgRef;
  person: { name: string | null; nameKana: string | null; ageBand: { min: number; max: number } | null };
  issueTags: string[];
  openedAt: Date;
  lastContactAt: Date | null;
  plan: { id: string; planNo: number; goals: PlanInput['goals']; reviewDate: string; confirmedOn: string | null; confirmedIn: string | null } | null;
}

export async function meetingCaseFacts(db: Db, mid: string, caseIds: string[], today: string): Promise<Map<string, MeetingCaseFacts>> {
  if (caseIds.length === 0) return new Map();
  const names = await orgNames(db, mid);
  const { rows } = await db.query<PersonRow & { case_id: string; reference: string; status: CaseStatus; complex: boolean; lead_organization_id: string; opened_at: Date; last_contact_at: Date | null; tags: string[] }>(
    `SELECT ${PERSON_COLUMNS}, c.id AS case_id, c.reference, c.status, c.complex, c.lead_organization_id, c.opened_at, c.last_contact_at,
            COALESCE((SELECT array_agg(DISTINCT t) FROM case_consultation cc JOIN consultation k ON k.municipality_id = cc.municipality_id AND k.id = cc.consultation_id,
                      unnest(k.issue_tags) t WHERE cc.municipality_id = c.municipality_id AND cc.case_id = c.id), '{}') AS tags
     FROM support_case c JOIN person p ON p.municipality_id = c.municipality_id AND p.id = c.person_id
     WHERE c.municipality_id = $1 AND c.id = ANY($2::uuid[])`, [mid, caseIds]);
  const { rows: plans } = await db.query<{ id: string; case_id: string; plan_no: number; goals: PlanInput['goals']; review_date: string; confirmed_on: string | null; confirmed_in: string | null }>(
    `SELECT DISTINCT ON (case_id) id, case_id, plan_no, goals, review_date::text, confirmed_on::text, confirmed_in FROM support_plan
     WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY case_id, plan_no DESC`, [mid, caseIds]);
  const planOf = new Map(plans.map((p) => [p.case_id, p]));
  return new Map(rows.map((r) => {
    const p = presentPerson(r);
    const plan = planOf.get(r.case_id);
    return [r.case_id, {
      caseId: r.case_id, reference: r.reference, status: r.status, complex: r.complex,
      lead: { id: r.lead_organization_id, name: names.get(r.lead_organization_id) ?? '' },
      person: { name: p.name, nameKana: p.nameKana, ageBand: p.ageBand ?? decadeOf(p.birthDate, today) }, issueTags: [...r.tags].sort(), openedAt: r.opened_at, lastContactAt: r.last_contact_at,
      plan: plan ? { id: plan.id, planNo: plan.plan_no, goals: plan.goals, reviewDate: plan.review_date, confirmedOn: plan.confirmed_on, confirmedIn: plan.confirmed_in } : null,
    }];
  }));
}

/** The ten-year band (50代: 50–59) of a birth date on a day; what a pseudonymised case shows of age. */
function decadeOf(birthDate: string | null, today: string): { min: number; max: number } | null {
  if (!birthDate) return null;
  const age = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (today.slice(5) < birthDate.slice(5) ? 1 : 0);
  const min = Math.floor(age / 10) * 10;
  return { min, max: min + 9 };
}

/** Open cases a meeting should review: a plan review due by the date, no contact since a date, or flagged complex. */
export interface CaseDue { caseId: string; reason: 'plan_review' | 'no_contact' | 'complex'; detail: string }

export async function casesDueForReview(db: Db, mid: string, q: { reviewBy: string; noContactSince: Date }): Promise<CaseDue[]> {
  const { rows } = await db.query<{ id: string; complex: boolean; last_contact_at: Date | null; opened_at: Date; review_date: string | null }>(
    `SELECT c.id, c.complex, c.last_contact_at, c.opened_at,
            (SELECT p.review_date::text FROM support_plan p WHERE p.municipality_id = c.municipality_id AND p.case_id = c.id ORDER BY p.plan_no DESC LIMIT 1) AS review_date
     FROM support_case c WHERE c.municipality_id = $1 AND c.status <> 'closed'
       AND (c.complex OR COALESCE(c.last_contact_at, c.opened_at) < $3
            OR EXISTS (SELECT 1 FROM support_plan p WHERE p.municipality_id = c.municipality_id AND p.case_id = c.id AND p.review_date <= $2::date))`,
    [mid, q.reviewBy, q.noContactSince]);
  return rows.flatMap((r): CaseDue[] => {
    if (r.review_date && r.review_date <= q.reviewBy) return [{ caseId: r.id, reason: 'plan_review', detail: r.review_date }];
    if ((r.last_contact_at ?? r.opened_at) < q.noContactSince) return [{ caseId: r.id, reason: 'no_contact', detail: (r.last_contact_at ?? r.opened_at).toISOString() }];
    return r.complex ? [{ caseId: r.id, reason: 'complex', detail: '' }] : [];
  });
}

/** Marks a plan confirmed by a meeting session (支援調整会議); the plan shows the date and the meeting. */
export async function confirmPlan(tx: Db, clock: Clock, actor: Actor, planId: string, session: { id: string; date: string; name: string }): Promise<{ caseId: string; planNo: number }> {
  const mid = actor.municipalityId!;
  const { rows } = await tx.query<{ case_id: string; plan_no: number; confirmed_on: string | null }>(
    'SELECT case_id, plan_no, confirmed_on FROM support_plan WHERE municipality_id = $1 AND id = $2 FOR UPDATE', [mid, planId]);
  if (!rows[0]) throw badRequest('The plan could not be confirmed.', [{ field: 'confirmPlanId', message: 'No plan with that id in this municipality.' }]);
  if (rows[0].confirmed_on) throw conflict(`This plan was already confirmed on ${rows[0].confirmed_on}.`);
  await tx.query('UPDATE support_plan SET confirmed_on = $3, confirmed_in = $4, confirmed_session_id = $5, version = version + 1 WHERE municipality_id = $1 AND id = $2',
    [mid, planId, session.date, session.name, session.id]);
  await appendCaseEvent(tx, mid, rows[0].case_id, { at: clock.now(), kind: 'plan_confirmed', organizationId: actor.organizationId, scope: 'case', summary: `支援プラン（第${rows[0].plan_no}版）を${session.name}で確認（${wareki(session.date)}）`, entityType: 'support_plan', entityId: planId, byUser: actor.userId });
  await recordAudit(tx, clock, actor, { action: 'plan.confirm', entityType: 'support_plan', entityId: planId, reason: 'meeting', details: { caseId: rows[0].case_id, sessionId: session.id } });
  return { caseId: rows[0].case_id, planNo: rows[0].plan_no };
}

// ---------------------------------------------------------------- retention

/** A case or its person under an active legal hold is never disposed of. */
const NOT_HELD = `NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.municipality_id = c.municipality_id AND h.released_at IS NULL
                   AND (h.case_id = c.id OR h.person_id = c.person_id))`;

export type CaseRecordClass = 'contact_record' | 'assessment' | 'support_plan';

/** Retention: records of one class belonging to cases closed before `before` (deleted unless dry run). Returns how many. */
export async function purgeCaseRecords(tx: Db, municipalityId: string, cls: CaseRecordClass, before: Date, dryRun: boolean): Promise<number> {
  const closed = `SELECT c.id FROM support_case c WHERE c.municipality_id = $1 AND c.status = 'closed' AND c.closed_at < $2 AND ${NOT_HELD}`;
  const table = { contact_record: 'contact_record', assessment: 'assessment', support_plan: 'support_plan' }[cls];
  const { rows } = await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${table} WHERE municipality_id = $1 AND case_id IN (${closed})`, [municipalityId, before]);
  if (dryRun) return Number(rows[0].n);
  if (cls === 'support_plan')
    await tx.query(`DELETE FROM plan_action a USING support_plan p WHERE a.municipality_id = p.municipality_id AND a.plan_id = p.id
                    AND p.municipality_id = $1 AND p.case_id IN (${closed})`, [municipalityId, before]);
  await tx.query(`DELETE FROM ${table} WHERE municipality_id = $1 AND case_id IN (${closed})`, [municipalityId, before]);
  return Number(rows[0].n);
}

/**
 * Retention: cases closed before `before`, not held, whose every record goes
 * with them; and then persons (with their consents and household ties) who are
 * left in no case. Other modules' rows are deleted through their own functions.
 */
export async function purgeClosedCases(
  tx: Db, municipalityId: string, before: Date, dryRun: boolean,
  others: {
    deleteConsultations: (caseIds: string[]) => Promise<number>; deleteReferrals: (caseIds: string[]) => Promise<number>;
    /** Records other modules keep on a case (programs: placement records, work preferences). */
    deleteProgramRecords?: (caseIds: string[]) => Promise<number>;
  },
): Promise<{ cases: string[]; persons: number }> {
  const { rows } = await tx.query<{ id: string; reference: string }>(
    `SELECT c.id, c.reference FROM support_case c WHERE c.municipality_id = $1 AND c.status = 'closed' AND c.closed_at < $2 AND ${NOT_HELD}`,
    [municipalityId, before]);
  const ids = rows.map((r) => r.id);
  if (dryRun || ids.length === 0) return { cases: rows.map((r) => r.reference), persons: 0 };
  const m = municipalityId;
  await others.deleteReferrals(ids);
  await tx.query('DELETE FROM case_consultation WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])', [m, ids]);
  await others.deleteConsultations(ids);
  await others.deleteProgramRecords?.(ids);
  for (const t of ['case_event', 'case_participant', 'contact_record', 'assessment']) await tx.query(`DELETE FROM ${t} WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])`, [m, ids]);
  await tx.query(`DELETE FROM plan_action a USING support_plan p WHERE a.municipality_id = p.municipality_id AND a.plan_id = p.id AND p.municipality_id = $1 AND p.case_id = ANY($2::uuid[])`, [m, ids]);
  await tx.query('DELETE FROM support_plan WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])', [m, ids]);
  const { rows: affected } = await tx.query<{ person_id: string; household_id: string | null }>('DELETE FROM support_case WHERE municipality_id = $1 AND id = ANY($2::uuid[]) RETURNING person_id, household_id', [m, ids]);
  // persons left without any case, and not held, go too (with anyone merged into them)
  const { rows: orphans } = await tx.query<{ id: string }>(
    `SELECT p.id FROM person p WHERE p.municipality_id = $1 AND p.id = ANY($2::uuid[])
       AND NOT EXISTS (SELECT 1 FROM support_case c WHERE c.municipality_id = p.municipality_id AND c.person_id = p.id)
       AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.municipality_id = p.municipality_id AND h.person_id = p.id AND h.released_at IS NULL)`,
    [m, affected.map((a) => a.person_id)]);
  const households = [...new Set(affected.map((a) => a.household_id).filter(Boolean))] as string[];
  // household members who are in no case themselves (the 8050 parent recorded only as a member)
  const { rows: members } = await tx.query<{ person_id: string }>(
    `SELECT hm.person_id FROM household_member hm JOIN person p ON p.municipality_id = hm.municipality_id AND p.id = hm.person_id
     WHERE hm.municipality_id = $1 AND hm.household_id = ANY($2::uuid[])
       AND NOT EXISTS (SELECT 1 FROM support_case c WHERE c.municipality_id = p.municipality_id AND c.person_id = p.id)
       AND NOT EXISTS (SELECT 1 FROM legal_hold h WHERE h.municipality_id = p.municipality_id AND h.person_id = p.id AND h.released_at IS NULL)`,
    [m, households]);
  const gone = [...new Set([...orphans.map((o) => o.id), ...members.map((x) => x.person_id)])];
  if (gone.length) {
    const merged = await tx.query<{ id: string }>('SELECT id FROM person WHERE municipality_id = $1 AND merged_into_id = ANY($2::uuid[])', [m, gone]);
    const all = [...gone, ...merged.rows.map((r) => r.id)];
    await tx.query('DELETE FROM household_member WHERE municipality_id = $1 AND person_id = ANY($2::uuid[])', [m, all]);
    await tx.query(`DELETE FROM consent_organization co USING consent k WHERE co.municipality_id = k.municipality_id AND co.consent_id = k.id
                    AND k.municipality_id = $1 AND k.person_id = ANY($2::uuid[])`, [m, all]);
    await tx.query('DELETE FROM consent WHERE municipality_id = $1 AND person_id = ANY($2::uuid[])', [m, all]);
    await tx.query('UPDATE person SET merged_into_id = NULL WHERE municipality_id = $1 AND id = ANY($2::uuid[])', [m, all]);
    await tx.query('DELETE FROM person WHERE municipality_id = $1 AND id = ANY($2::uuid[])', [m, all]);
  }
  await tx.query(`DELETE FROM household h WHERE h.municipality_id = $1 AND h.id = ANY($2::uuid[])
                  AND NOT EXISTS (SELECT 1 FROM household_member hm WHERE hm.municipality_id = h.municipality_id AND hm.household_id = h.id)
                  AND NOT EXISTS (SELECT 1 FROM support_case c WHERE c.municipality_id = h.municipality_id AND c.household_id = h.id)`, [m, households]);
  return { cases: rows.map((r) => r.reference), persons: gone.length };
}
