import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { addDays, japanDate } from '../../lib/fiscal.ts';
import { decodeKeyset, keysetPage, type Page, type PageParams } from '../../lib/pagination.ts';
import { recordAudit } from '../audit/service.ts';
import { nameKey } from '../cases/names.ts';
import { caseAccess } from '../cases/service.ts';
import { recordConsultation } from '../intake/service.ts';
import { getCentreSettings, getMunicipality, listMunicipalities, type Municipality } from '../network/service.ts';
import { sendReferral } from '../referrals/service.ts';
import { prefectureOf } from './coverage.ts';

/**
 * 訪問相談: the prefecture centre visits a person at home, on an application a
 * municipality's window records with the person's or family's consent. The
 * application stays in the municipality's tenant; the centre reads only the
 * person's fields the consent covers (built field by field below, never from
 * the row), records its visits, and hands the person back to a local
 * organisation: a referral on the case the application came from, or else a
 * consultation at that organisation. Each crossing records its legal basis
 * (the consent) and is audited in both tenants.
 */

export const CONSENT_FIELDS = ['name', 'age', 'contact', 'situation'] as const;
export type ConsentField = (typeof CONSENT_FIELDS)[number];
export const CONSENT_BY = ['person', 'family'] as const;
export const CONSENT_METHODS = ['in_person', 'phone', 'written'] as const;
export const STATUSES = ['not_passed', 'passed', 'accepted', 'handed_back'] as const;
export type Status = (typeof STATUSES)[number];
export const ALREADY_HANDED_BACK = 'This person has already been handed back to a local organisation; the hand-back was not made twice.';
export const ELIGIBILITY_RULES = ['age', 'schooling', 'residence', 'months_withdrawn'] as const;
export type EligibilityRule = (typeof ELIGIBILITY_RULES)[number];

export interface ApplicationInput {
  caseId?: string | null;
  personName?: string | null;
  age: number;
  contact?: string | null;
  situation?: string | null;
  pastCompulsorySchooling: boolean;
  livesInMunicipality: boolean;
  monthsWithdrawn: number;
  consent: { by: (typeof CONSENT_BY)[number]; relation?: string | null; on: string; method: (typeof CONSENT_METHODS)[number]; fields: ConsentField[] };
}

export interface Eligibility {
  eligible: boolean;
  reasons: { rule: EligibilityRule; message: string }[];
  alternatives: string[];
  visitsPerPerson: number | null;
}

interface MunicipalityRef { id: string; code: string; name: string; nameEn: string | null }
interface OrgRef { id: string; name: string }

export interface HandBack {
  kind: 'referral' | 'consultation';
  organization: OrgRef;
  referralId: string | null;
  consultationId: string | null;
  note: string | null;
  at: Date;
}

export interface HomeVisit { id: string; visitedOn: string; visitors: string[]; place: string; met: string; whatHappened: string; recordedAt: Date }

/** What the window sees: its own record, the eligibility and the outcome. */
export interface WindowApplication {
  id: string;
  municipality: MunicipalityRef;
  caseId: string | null;
  personName: string | null;
  age: number;
  contact: string | null;
  situation: string | null;
  pastCompulsorySchooling: boolean;
  livesInMunicipality: boolean;
  monthsWithdrawn: number;
  consent: ApplicationInput['consent'] & { relation: string | null };
  eligibility: Eligibility;
  status: Status;
  legalBasis: 'consent' | null;
  visitCount: number;
  handBack: HandBack | null;
  createdAt: Date;
}

/** What the centre sees: the person's fields only where the consent covers them. */
export interface CentreApplication {
  id: string;
  municipality: MunicipalityRef;
  fromCase: boolean;
  person: Partial<Record<ConsentField, string | number>>;
  pastCompulsorySchooling: boolean;
  monthsWithdrawn: number;
  consent: ApplicationInput['consent'] & { relation: string | null };
  legalBasis: 'consent';
  status: Exclude<Status, 'not_passed'>;
  visits: HomeVisit[];
  handBack: HandBack | null;
  passedAt: Date;
  acceptedAt: Date | null;
}

interface Row {
  municipality_id: string; id: string; prefecture_id: string; case_id: string | null; person_name: string | null; age: number; contact: string | null; situation: string | null;
  past_compulsory_schooling: boolean; lives_in_municipality: boolean; months_withdrawn: number; consent_by: ApplicationInput['consent']['by']; consenter_relation: string | null;
  consented_on: string; consent_method: ApplicationInput['consent']['method']; consent_fields: ConsentField[]; eligible: boolean; failed_reasons: Eligibility['reasons'];
  status: Status; legal_basis: 'consent' | null; passed_at: Date | null; applied_by: string | null; applied_organization_id: string; applied_role: string;
  accepted_at: Date | null; handback_organization_id: string | null; handback_referral_id: string | null; handback_consultation_id: string | null;
  handback_note: string | null; handed_back_at: Date | null; created_at: Date; handback_org_name: string | null; visit_count: number;
}

const SELECT = `SELECT a.municipality_id, a.id, a.prefecture_id, a.case_id, a.person_name, a.age, a.contact, a.situation, a.past_compulsory_schooling, a.lives_in_municipality,
  a.months_withdrawn, a.consent_by, a.consenter_relation, to_char(a.consented_on, 'YYYY-MM-DD') AS consented_on, a.consent_method, a.consent_fields, a.eligible, a.failed_reasons,
  a.status, a.legal_basis, a.passed_at, a.applied_by, a.applied_organization_id, a.applied_role, a.accepted_at, a.handback_organization_id, a.handback_referral_id,
  a.handback_consultation_id, a.handback_note, a.handed_back_at, a.created_at, o.name AS handback_org_name,
  (SELECT count(*)::int FROM home_visit v WHERE v.municipality_id = a.municipality_id AND v.application_id = a.id) AS visit_count
  FROM home_visit_application a
  LEFT JOIN organization o ON o.municipality_id = a.municipality_id AND o.id = a.handback_organization_id`;

const WINDOW_ROLES = new Set(['municipal_window', 'hub_coordinator']);
const ref = (m: Municipality): MunicipalityRef => ({ id: m.id, code: m.code, name: m.name, nameEn: m.nameEn });

function requireWindow(actor: Actor): string {
  if (!actor.role || !WINDOW_ROLES.has(actor.role) || !actor.municipalityId || !actor.organizationId)
    throw forbidden('Only a municipality’s window records home-visit applications.');
  return actor.municipalityId;
}

/** The prefecture whose centre serves a municipality: the prefecture tenant named by the municipality's profile. */
async function centreFor(db: Db, municipality: Municipality): Promise<Municipality | null> {
  return (await listMunicipalities(db)).find((m) => m.kind === 'prefecture' && m.name === municipality.prefecture) ?? null;
}

async function audit(tx: Db, clock: Clock, actor: Actor, tenants: string[], action: string, entityId: string, details: Record<string, unknown>) {
  // an application crosses between two tenants: each step shows in both audits
  for (const municipalityId of new Set(tenants))
    await recordAudit(tx, clock, actor, { municipalityId, action, entityType: 'home_visit_application', entityId, reason: 'home-visit consultation (訪問相談)', details });
}

/** Checks the facts against the centre's rules; every rule that fails gives its reason. */
export async function checkEligibility(db: Db, actor: Actor, facts: Pick<ApplicationInput, 'age' | 'pastCompulsorySchooling' | 'livesInMunicipality' | 'monthsWithdrawn'>): Promise<Eligibility> {
  const mid = requireWindow(actor);
  const municipality = await getMunicipality(db, mid);
  const prefecture = await centreFor(db, municipality);
  const rules = prefecture ? (await getCentreSettings(db, prefecture.id))?.homeVisits : undefined;
  if (!prefecture || !rules) throw badRequest('No prefecture centre offers home visits to this municipality.');
  return eligibility(rules, municipality, facts);
}

function eligibility(
  rules: NonNullable<NonNullable<Awaited<ReturnType<typeof getCentreSettings>>>['homeVisits']>, municipality: Municipality,
  facts: Pick<ApplicationInput, 'age' | 'pastCompulsorySchooling' | 'livesInMunicipality' | 'monthsWithdrawn'>,
): Eligibility {
  const reasons: Eligibility['reasons'] = [];
  if (facts.age < rules.ageMin) reasons.push({ rule: 'age', message: `Home visits are for people aged ${rules.ageMin} and over.` });
  if (rules.pastCompulsorySchooling && !facts.pastCompulsorySchooling) reasons.push({ rule: 'schooling', message: 'Home visits are for people who have finished compulsory schooling.' });
  const residence = rules.residence ?? municipality.prefecture;
  if (!facts.livesInMunicipality || municipality.prefecture !== residence) reasons.push({ rule: 'residence', message: `Home visits are for people living in ${residence}.` });
  if (facts.monthsWithdrawn < rules.monthsWithdrawnMin) reasons.push({ rule: 'months_withdrawn', message: `Home visits are for people withdrawn for ${rules.monthsWithdrawnMin} months or more.` });
  return { eligible: reasons.length === 0, reasons, alternatives: rules.alternatives ?? [], visitsPerPerson: rules.visitsPerPerson ?? null };
}

function checkInput(input: ApplicationInput, today: string): FieldError[] {
  const problems: FieldError[] = [];
  if (input.consent.on > today) problems.push({ field: 'consent.on', message: 'The consent date cannot be in the future.' });
  if (input.consent.by === 'family' && !input.consent.relation?.trim()) problems.push({ field: 'consent.relation', message: 'Say who in the family consented (for example 母).' });
  if (new Set(input.consent.fields).size !== input.consent.fields.length) problems.push({ field: 'consent.fields', message: 'Name each field once.' });
  for (const f of input.consent.fields) {
    const value = f === 'name' ? input.personName : f === 'contact' ? input.contact : f === 'situation' ? input.situation : input.age;
    if (value == null || (typeof value === 'string' && !value.trim())) problems.push({ field: f === 'name' ? 'personName' : f, message: 'The consent covers this field: fill it in, or leave it out of the consent.' });
  }
  return problems;
}

/**
 * Records an application. An eligible one passes to the centre at once on the
 * consent; an ineligible one is kept as not passed, with each failed rule and
 * the alternatives the centre offers.
 */
export async function createApplication({ db, clock }: Deps, actor: Actor, input: ApplicationInput): Promise<WindowApplication> {
  const mid = requireWindow(actor);
  const now = clock.now();
  const municipality = await getMunicipality(db, mid);
  const prefecture = await centreFor(db, municipality);
  const rules = prefecture ? (await getCentreSettings(db, prefecture.id))?.homeVisits : undefined;
  if (!prefecture || !rules) throw badRequest('No prefecture centre offers home visits to this municipality.');
  const filled = { ...input };
  if (input.caseId) {
    // only a case the window itself sees in full (the cases module's rule)
    if ((await caseAccess({ db, clock }, actor, input.caseId)) !== 'full')
      throw badRequest('The application could not be recorded.', [{ field: 'caseId', message: 'No case with that id is visible to you.' }]);
    const { rows: [p] } = await db.query<{ name: string | null; phone: string | null; email: string | null }>(
      `SELECT p.name, p.phone, p.email FROM support_case c JOIN person p ON p.municipality_id = c.municipality_id AND p.id = c.person_id WHERE c.municipality_id = $1 AND c.id = $2`, [mid, input.caseId]);
    filled.personName = input.personName?.trim() || p?.name || null;
    filled.contact = input.contact?.trim() || p?.phone || p?.email || null;
  }
  const problems = checkInput(filled, japanDate(now));
  if (problems.length) throw badRequest('The application could not be recorded.', problems);
  const result = eligibility(rules, municipality, filled);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO home_visit_application (municipality_id, id, prefecture_id, case_id, person_name, age, contact, situation, past_compulsory_schooling, lives_in_municipality,
         months_withdrawn, consent_by, consenter_relation, consented_on, consent_method, consent_fields, eligible, failed_reasons, status, legal_basis, passed_at,
         applied_by, applied_organization_id, applied_role, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25)`,
      [mid, id, prefecture.id, filled.caseId ?? null, filled.personName?.trim() || null, filled.age, filled.contact?.trim() || null, filled.situation?.trim() || null,
        filled.pastCompulsorySchooling, filled.livesInMunicipality, filled.monthsWithdrawn, filled.consent.by, filled.consent.relation?.trim() || null, filled.consent.on,
        filled.consent.method, JSON.stringify(filled.consent.fields), result.eligible, JSON.stringify(result.reasons), result.eligible ? 'passed' : 'not_passed',
        result.eligible ? 'consent' : null, result.eligible ? now : null, actor.userId, actor.organizationId, actor.role, now],
    );
    await recordAudit(tx, clock, actor, { municipalityId: mid, action: 'home_visit.apply', entityType: 'home_visit_application', entityId: id, reason: 'home-visit consultation (訪問相談)',
      details: { caseId: filled.caseId ?? null, eligible: result.eligible, failed: result.reasons.map((r) => r.rule) } });
    if (result.eligible)
      await audit(tx, clock, actor, [mid, prefecture.id], 'home_visit.pass_to_centre', id, { legalBasis: 'consent', consentBy: filled.consent.by, fields: filled.consent.fields });
  });
  return getWindowApplication({ db, clock }, actor, id, { audit: false });
}

async function loadForWindow(db: Db, actor: Actor, id: string): Promise<Row> {
  const mid = requireWindow(actor);
  const { rows } = await db.query<Row>(`${SELECT} WHERE a.municipality_id = $1 AND a.id = $2 AND ($3::text = 'hub_coordinator' OR a.applied_organization_id = $4::uuid)`,
    [mid, id, actor.role, actor.organizationId]);
  if (!rows[0]) throw notFound('home-visit application');
  return rows[0];
}

function handBackOf(r: Row): HandBack | null {
  if (!r.handed_back_at || !r.handback_organization_id) return null;
  return {
    kind: r.handback_referral_id ? 'referral' : 'consultation', organization: { id: r.handback_organization_id, name: r.handback_org_name ?? '' },
    referralId: r.handback_referral_id, consultationId: r.handback_consultation_id, note: r.handback_note, at: r.handed_back_at,
  };
}

const consentOf = (r: Row) => ({ by: r.consent_by, relation: r.consenter_relation, on: r.consented_on, method: r.consent_method, fields: r.consent_fields });

async function toWindow(db: Db, r: Row, municipality?: Municipality): Promise<WindowApplication> {
  const m = municipality ?? await getMunicipality(db, r.municipality_id);
  const prefecture = await getMunicipality(db, r.prefecture_id);
  const rules = (await getCentreSettings(db, prefecture.id))?.homeVisits;
  return {
    id: r.id, municipality: ref(m), caseId: r.case_id, personName: r.person_name, age: r.age, contact: r.contact, situation: r.situation,
    pastCompulsorySchooling: r.past_compulsory_schooling, livesInMunicipality: r.lives_in_municipality, monthsWithdrawn: r.months_withdrawn, consent: consentOf(r),
    eligibility: { eligible: r.eligible, reasons: r.failed_reasons, alternatives: r.eligible ? [] : rules?.alternatives ?? [], visitsPerPerson: rules?.visitsPerPerson ?? null },
    status: r.status, legalBasis: r.legal_basis, visitCount: r.visit_count, handBack: handBackOf(r), createdAt: r.created_at,
  };
}

export async function getWindowApplication({ db, clock }: Deps, actor: Actor, id: string, opts: { audit?: boolean } = {}): Promise<WindowApplication> {
  const r = await loadForWindow(db, actor, id);
  if (opts.audit !== false)
    await recordAudit(db, clock, actor, { municipalityId: r.municipality_id, action: 'home_visit.read', entityType: 'home_visit_application', entityId: id, reason: 'home-visit consultation (訪問相談)' });
  return toWindow(db, r);
}

/** A page of the window's applications (the hub's: all of the municipality's), latest first, ties by id descending. */
export async function listWindowApplications({ db, clock }: Deps, actor: Actor, q: PageParams = {}): Promise<Page<WindowApplication>> {
  const mid = requireWindow(actor);
  const limit = q.limit ?? 50;
  const after = decodeKeyset(q.cursor, ['timestamp', 'uuid']);
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE a.municipality_id = $1 AND ($2::text = 'hub_coordinator' OR a.applied_organization_id = $3::uuid)
       ${after ? 'AND (a.created_at, a.id) < ($5::timestamptz, $6::uuid)' : ''}
     ORDER BY a.created_at DESC, a.id DESC LIMIT $4`,
    [mid, actor.role, actor.organizationId, limit + 1, ...(after ?? [])]);
  const page = keysetPage(rows, limit, (r) => [r.created_at, r.id]);
  const m = await getMunicipality(db, mid);
  if (page.rows.length) await recordAudit(db, clock, actor, { municipalityId: mid, action: 'home_visit.list', entityType: 'home_visit_application', reason: 'home-visit consultation (訪問相談)', details: { count: page.rows.length } });
  return { items: await Promise.all(page.rows.map((r) => toWindow(db, r, m))), nextCursor: page.nextCursor };
}

// ---- the centre's side

/** The person as the centre may see them: each field only when the consent names it. */
function personForCentre(r: Row): CentreApplication['person'] {
  const person: CentreApplication['person'] = {};
  for (const f of r.consent_fields) {
    if (f === 'name' && r.person_name) person.name = r.person_name;
    if (f === 'age') person.age = r.age;
    if (f === 'contact' && r.contact) person.contact = r.contact;
    if (f === 'situation' && r.situation) person.situation = r.situation;
  }
  return person;
}

async function visitsOf(db: Db, mid: string, applicationId: string): Promise<HomeVisit[]> {
  const { rows } = await db.query<HomeVisit>(
    `SELECT id, to_char(visited_on, 'YYYY-MM-DD') AS "visitedOn", visitors, place, met, what_happened AS "whatHappened", recorded_at AS "recordedAt"
     FROM home_visit WHERE municipality_id = $1 AND application_id = $2 ORDER BY visited_on, recorded_at`, [mid, applicationId]);
  return rows;
}

async function toCentre(db: Db, r: Row, withVisits: boolean): Promise<CentreApplication> {
  return {
    id: r.id, municipality: ref(await getMunicipality(db, r.municipality_id)), fromCase: r.case_id !== null, person: personForCentre(r),
    pastCompulsorySchooling: r.past_compulsory_schooling, monthsWithdrawn: r.months_withdrawn, consent: consentOf(r), legalBasis: 'consent',
    status: r.status as CentreApplication['status'], visits: withVisits ? await visitsOf(db, r.municipality_id, r.id) : [], handBack: handBackOf(r),
    passedAt: r.passed_at!, acceptedAt: r.accepted_at,
  };
}

async function loadForCentre(db: Db, actor: Actor, id: string, lock = false): Promise<Row> {
  const prefecture = await prefectureOf(db, actor);
  const { rows } = await db.query<Row>(`${SELECT} WHERE a.prefecture_id = $1 AND a.id = $2 AND a.status <> 'not_passed'${lock ? ' FOR UPDATE OF a' : ''}`, [prefecture.id, id]);
  if (!rows[0]) throw notFound('home-visit application');
  return rows[0];
}

/** A page of the applications passed to the centre, latest passed first, ties by id descending. */
export async function listCentreApplications({ db, clock }: Deps, actor: Actor, q: { status?: Status } & PageParams = {}): Promise<Page<CentreApplication>> {
  const prefecture = await prefectureOf(db, actor);
  const limit = q.limit ?? 50;
  const after = decodeKeyset(q.cursor, ['timestamp', 'uuid']);
  const { rows } = await db.query<Row>(
    `${SELECT} WHERE a.prefecture_id = $1 AND a.status <> 'not_passed' AND ($2::text IS NULL OR a.status = $2)
       ${after ? 'AND (a.passed_at, a.id) < ($4::timestamptz, $5::uuid)' : ''}
     ORDER BY a.passed_at DESC, a.id DESC LIMIT $3`,
    [prefecture.id, q.status ?? null, limit + 1, ...(after ?? [])]);
  const page = keysetPage(rows, limit, (r) => [r.passed_at!, r.id]);
  if (page.rows.length) await recordAudit(db, clock, actor, { municipalityId: prefecture.id, action: 'home_visit.list', entityType: 'home_visit_application', reason: 'home-visit consultation (訪問相談)', details: { count: page.rows.length } });
  return { items: await Promise.all(page.rows.map((r) => toCentre(db, r, false))), nextCursor: page.nextCursor };
}

export async function getCentreApplication({ db, clock }: Deps, actor: Actor, id: string, opts: { audit?: boolean } = {}): Promise<CentreApplication> {
  const r = await loadForCentre(db, actor, id);
  if (opts.audit !== false) await audit(db, clock, actor, [r.prefecture_id, r.municipality_id], 'home_visit.read', id, { fields: r.consent_fields });
  return toCentre(db, r, true);
}

export async function acceptApplication({ db, clock }: Deps, actor: Actor, id: string): Promise<CentreApplication> {
  await db.transaction(async (tx) => {
    const r = await loadForCentre(tx, actor, id, true);
    if (r.status !== 'passed') throw badRequest('The application could not be accepted.', [{ field: 'status', message: 'Only an application waiting for the centre can be accepted.' }]);
    await tx.query(`UPDATE home_visit_application SET status = 'accepted', accepted_at = $3, accepted_by = $4 WHERE municipality_id = $1 AND id = $2`, [r.municipality_id, id, clock.now(), actor.userId]);
    await audit(tx, clock, actor, [r.prefecture_id, r.municipality_id], 'home_visit.accept', id, {});
  });
  return getCentreApplication({ db, clock }, actor, id, { audit: false });
}

export interface VisitInput { visitedOn: string; visitors: string[]; place: string; met: string; whatHappened: string }

export async function recordVisit({ db, clock }: Deps, actor: Actor, id: string, input: VisitInput): Promise<CentreApplication> {
  const now = clock.now();
  const problems: FieldError[] = [];
  if (input.visitedOn > japanDate(now)) problems.push({ field: 'visitedOn', message: 'A visit is recorded after it took place: the date cannot be in the future.' });
  if (!input.visitors.some((v) => v.trim())) problems.push({ field: 'visitors', message: 'Name who visited.' });
  for (const f of ['place', 'met', 'whatHappened'] as const) if (!input[f].trim()) problems.push({ field: f, message: 'Fill in this field.' });
  await db.transaction(async (tx) => {
    const r = await loadForCentre(tx, actor, id, true);
    if (r.status !== 'accepted') problems.push({ field: 'status', message: 'Visits are recorded once the centre has accepted the application, and until it hands the person back.' });
    if (problems.length) throw badRequest('The visit could not be recorded.', problems);
    const visitId = randomUUID();
    await tx.query(
      `INSERT INTO home_visit (municipality_id, id, prefecture_id, application_id, visited_on, visitors, place, met, what_happened, recorded_at, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [r.municipality_id, visitId, r.prefecture_id, id, input.visitedOn, JSON.stringify(input.visitors.map((v) => v.trim()).filter(Boolean)), input.place.trim(), input.met.trim(),
        input.whatHappened.trim(), now, actor.userId],
    );
    await audit(tx, clock, actor, [r.prefecture_id, r.municipality_id], 'home_visit.visit', id, { visitId, visitedOn: input.visitedOn });
  });
  return getCentreApplication({ db, clock }, actor, id, { audit: false });
}

export interface HandBackInput { toOrganizationId: string; note: string; firstContactDue?: string }

/**
 * Ends the centre's part: the person is handed to a local organisation of
 * their municipality. From a case, a referral on it (on the person's consent
 * naming that organisation, checked as every consent-based referral is); else
 * a consultation received at that organisation through another organisation.
 */
export async function handBack(deps: Deps, actor: Actor, id: string, input: HandBackInput): Promise<CentreApplication> {
  const { db, clock } = deps;
  // one transaction from the locked application to its new status: a second hand-back at the same
  // time waits for the first, then finds it handed back (409), so one referral or consultation is made
  await db.transaction(async (tx) => {
    const r = await loadForCentre(tx, actor, id, true);
    if (r.status === 'handed_back') throw conflict(ALREADY_HANDED_BACK);
    if (r.status !== 'accepted') throw badRequest('The person could not be handed back.', [{ field: 'status', message: 'Only an application the centre has accepted can be handed back.' }]);
    const mid = r.municipality_id;
    const { rows: [org] } = await tx.query<{ id: string }>('SELECT id FROM organization WHERE municipality_id = $1 AND id = $2 AND active', [mid, input.toOrganizationId]);
    if (!org) throw badRequest('The person could not be handed back.', [{ field: 'toOrganizationId', message: 'No active organisation with that id in the person’s municipality.' }]);
    if (!input.note.trim()) throw badRequest('The person could not be handed back.', [{ field: 'note', message: 'Write what the local organisation should know.' }]);
    const reason = `${(await getMunicipality(tx, r.prefecture_id)).name}の支援センターの訪問相談からのつなぎ`;
    // the referral and intake services join this transaction (a transaction inside one joins it)
    const inner: Deps = { ...deps, db: tx };
    let referralId: string | null = null;
    let consultationId: string | null = null;
    if (r.case_id) {
      const { rows: [consent] } = await tx.query<{ id: string }>(
        `SELECT k.id FROM support_case c JOIN consent k ON k.municipality_id = c.municipality_id AND k.person_id = c.person_id AND k.withdrawn_at IS NULL
         JOIN consent_organization ko ON ko.municipality_id = k.municipality_id AND ko.consent_id = k.id AND ko.organization_id = $3
         WHERE c.municipality_id = $1 AND c.id = $2 ORDER BY k.id LIMIT 1`, [mid, r.case_id, org.id]);
      if (!consent) throw badRequest('The person could not be handed back.', [{ field: 'toOrganizationId', message: 'No active consent of the person names this organisation. Ask the municipality’s window to record it, or choose another organisation.' }]);
      // the referral goes from the window that applied, on the person's consent; the centre's staff member is who sent it
      const through: Actor = { userId: actor.userId, login: actor.login, municipalityId: mid, organizationId: r.applied_organization_id, role: r.applied_role, requestId: actor.requestId, ip: actor.ip };
      const referral = await sendReferral(inner, through, r.case_id, {
        toOrganizationId: org.id, reason, sharedSummary: input.note.trim(), urgency: 'normal',
        firstContactDue: input.firstContactDue ?? addDays(japanDate(clock.now()), 14), legalBasis: { basis: 'consent', consentId: consent.id },
      });
      referralId = referral.id;
    } else {
      const through: Actor = { userId: actor.userId, login: actor.login, municipalityId: mid, organizationId: org.id, role: 'org_staff', requestId: actor.requestId, ip: actor.ip };
      const consultation = await recordConsultation(inner, through, {
        receivedAt: clock.now().toISOString(), doorOrganizationId: org.id, channel: 'via_organization', consulterRelation: 'organization',
        age: r.consent_fields.includes('age') ? r.age : null, issueTags: [], summary: `${reason}。${input.note.trim()}`, urgency: 'normal',
      });
      consultationId = consultation.id;
    }
    await tx.query(
      `UPDATE home_visit_application SET status = 'handed_back', handback_organization_id = $3, handback_referral_id = $4, handback_consultation_id = $5, handback_note = $6,
         handed_back_at = $7, handed_back_by = $8 WHERE municipality_id = $1 AND id = $2`,
      [mid, id, org.id, referralId, consultationId, input.note.trim(), clock.now(), actor.userId]);
    await audit(tx, clock, actor, [r.prefecture_id, mid], 'home_visit.hand_back', id, { legalBasis: 'consent', toOrganizationId: org.id, referralId, consultationId });
  });
  return getCentreApplication(deps, actor, id, { audit: false });
}

/** The local organisations the centre can hand a person back to (names only). */
export async function handBackTargets({ db }: Deps, actor: Actor, id: string): Promise<OrgRef[]> {
  const r = await loadForCentre(db, actor, id);
  const { rows } = await db.query<OrgRef>('SELECT id, name FROM organization WHERE municipality_id = $1 AND active ORDER BY name, id', [r.municipality_id]);
  return rows;
}

/**
 * For the disclosure package: the applications made from the person's cases
 * and the centre's visits under them, as contact records of the case.
 * Applications recorded without a case are found by the person's identity
 * instead: see homeVisitApplicationsByIdentity.
 */
export async function homeVisitContactRecords(db: Db, mid: string, caseIds: string[]): Promise<HomeVisitRecord[]> {
  if (caseIds.length === 0) return [];
  const { rows: apps } = await db.query<Row>(`${SELECT} WHERE a.municipality_id = $1 AND a.case_id = ANY($2::uuid[]) ORDER BY a.created_at`, [mid, caseIds]);
  return recordsOf(db, mid, apps);
}

export interface HomeVisitRecord {
  id: string; caseId: string | null; occurredAt: string; kind: 'home_visit_application' | 'home_visit'; organizationId: string; notes: string; nextStep: string | null; createdAt: Date;
  /** for an application without a case: how it was matched to the person, and which application a visit is under */
  match?: 'name_and_contact' | 'name' | 'contact';
  applicationId: string;
}

const contactKey = (s: string | null | undefined) => (s ?? '').normalize('NFKC').replace(/[\s\-‐－ー()（）]/g, '').toLowerCase();

/**
 * For the disclosure package: applications a window recorded without a case.
 * They hold no link to a person record, only the name and contact the window
 * typed, yet they are the person's own data (保有個人情報) and belong in the
 * disclosure, so they are matched by the person's identity: the name (as
 * names are matched, whatever the width, kana or spaces) and the contact
 * (phone or email, whatever the hyphens). How each matched is returned, for
 * the package to withhold what only partly matched until the officer has
 * confirmed it is the requester's and not a namesake's.
 */
export async function homeVisitApplicationsByIdentity(db: Db, mid: string, persons: { name: string | null; phone: string | null; email: string | null }[]): Promise<HomeVisitRecord[]> {
  const names = new Set(persons.map((p) => nameKey(p.name)).filter(Boolean));
  const contacts = new Set(persons.flatMap((p) => [contactKey(p.phone), contactKey(p.email)]).filter(Boolean));
  if (!names.size && !contacts.size) return [];
  const { rows } = await db.query<Row>(`${SELECT} WHERE a.municipality_id = $1 AND a.case_id IS NULL ORDER BY a.created_at, a.id`, [mid]);
  const matched: (Row & { match: NonNullable<HomeVisitRecord['match']> })[] = [];
  for (const a of rows) {
    const byName = !!a.person_name && names.has(nameKey(a.person_name));
    const byContact = !!a.contact && contacts.has(contactKey(a.contact));
    if (byName || byContact) matched.push({ ...a, match: byName && byContact ? 'name_and_contact' : byName ? 'name' : 'contact' });
  }
  return recordsOf(db, mid, matched);
}

/**
 * For the privacy officer's search: applications recorded without a case whose
 * name contains the query (as names are matched) or whose contact is the query
 * (a phone or email). Only where and when each was recorded is returned: the
 * officer asks the window that holds it, and a request about a person record
 * with that name or contact gathers it into the package.
 */
export async function unlinkedHomeVisitApplications(db: Db, mid: string, q: string): Promise<{ id: string; recordedAt: Date; organization: OrgRef; match: 'name' | 'contact' }[]> {
  const name = nameKey(q);
  const contact = contactKey(q);
  if (!name && !contact) return [];
  const { rows } = await db.query<{ id: string; created_at: Date; person_name: string | null; contact: string | null; org_id: string; org_name: string }>(
    `SELECT a.id, a.created_at, a.person_name, a.contact, o.id AS org_id, o.name AS org_name FROM home_visit_application a
     JOIN organization o ON o.municipality_id = a.municipality_id AND o.id = a.applied_organization_id
     WHERE a.municipality_id = $1 AND a.case_id IS NULL ORDER BY a.created_at, a.id`, [mid]);
  return rows.flatMap((r) => {
    const match = name && nameKey(r.person_name).includes(name) ? 'name' as const : contact.length >= 6 && contactKey(r.contact) === contact ? 'contact' as const : null;
    return match ? [{ id: r.id, recordedAt: r.created_at, organization: { id: r.org_id, name: r.org_name }, match }] : [];
  }).slice(0, 20);
}

async function recordsOf(db: Db, mid: string, apps: (Row & { match?: HomeVisitRecord['match'] })[]): Promise<HomeVisitRecord[]> {
  const STATUS_JA: Record<Status, string> = { not_passed: '送付せず（対象外）', passed: 'センターへ送付', accepted: 'センターが受理', handed_back: '地域へつなぎ済み' };
  const FIELD_JA: Record<ConsentField, string> = { name: '氏名', age: '年齢', contact: '連絡先', situation: '状況' };
  const out: HomeVisitRecord[] = [];
  for (const a of apps) {
    const unlinked = a.case_id ? {} : { match: a.match };
    out.push({
      ...unlinked, applicationId: a.id, id: a.id, caseId: a.case_id, occurredAt: new Date(a.created_at).toISOString(), kind: 'home_visit_application' as const, organizationId: a.applied_organization_id,
      notes: [`訪問相談の申込み（${STATUS_JA[a.status]}）`, `同意: ${a.consent_by === 'person' ? '本人' : `家族（${a.consenter_relation ?? ''}）`} ${a.consented_on}、センターへ伝える項目: ${a.consent_fields.map((f) => FIELD_JA[f]).join('・') || 'なし'}`,
        ...(a.case_id ? [] : [`申込みに記録された氏名: ${a.person_name ?? 'なし'}、連絡先: ${a.contact ?? 'なし'}、年齢: ${a.age}`]),
        ...(a.situation ? [`状況: ${a.situation}`] : []), ...(a.handback_note ? [`地域へのつなぎ: ${a.handback_org_name ?? ''} ${a.handback_note}`] : [])].join('。'),
      nextStep: null, createdAt: a.created_at,
    });
    for (const v of await visitsOf(db, mid, a.id))
      out.push({
        ...unlinked, applicationId: a.id, id: v.id, caseId: a.case_id, occurredAt: `${v.visitedOn}T00:00:00.000Z`, kind: 'home_visit' as const, organizationId: a.applied_organization_id,
        notes: [`センターの訪問（${v.place}、訪問者: ${v.visitors.join('・')}）`, `会えた人: ${v.met}`, v.whatHappened].join('。'), nextStep: null, createdAt: v.recordedAt,
      });
  }
  return out;
}
