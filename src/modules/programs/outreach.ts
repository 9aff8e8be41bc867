import { randomUUID } from 'node:crypto';
import { isUniqueViolation, type Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { japanDate } from '../../lib/fiscal.ts';
import { systemClock } from '../../lib/clock.ts';
import { recordAudit } from '../audit/service.ts';
import { addParticipant, appendCaseEvent, caseAccess, noteCaseContact } from '../cases/service.ts';
import { listPrograms, type Program } from '../network/service.ts';
import { accessLevelSql } from '../cases/access.ts';
import { SHARE_BASES } from '../network/vocabulary.ts';
import { checkLegalBasis, sendReferral, type LegalBasisInput, type SendReferralInput } from '../referrals/service.ts';
import { END_DESTINATIONS, OUTREACH_STAGES } from './types.ts';
import type { Enrolment, EndDestination, OrgRef, OutreachStage, Visit, VisitInput } from './types.ts';

/**
 * Mental-health outreach (精神保健アウトリーチ支援事業, issue #11): enrolment of
 * a person on a case, the visit plan, visit records with the person's stage,
 * the program's queue of overdue visits, and the end of outreach (where the
 * person went, a referral where it hands over).
 *
 * Access: the cases rules apply unchanged. Enrolment makes the owning sections
 * and the commissioned station participants of the case; visit records are
 * 要配慮 and are served in full only to organisations with full access to the
 * case (routes mark them sensitive, so users without the grant never get them).
 * A participant at referral level (no consent naming it) sees only the visits
 * its own organisation recorded, as with contact records.
 */

export { END_DESTINATIONS, OUTREACH_STAGES, VISIT_MET, VISIT_PLACES } from './types.ts';
export type { Enrolment, EndDestination, OrgRef, OutreachStage, Visit, VisitInput } from './types.ts';

const STAGE_JA: Record<OutreachStage, string> = {
  no_contact: '接触なし', family_contact: '家族を通じた接触', meets_visitor: '訪問者と会える', goes_out: '外出できる', connected: '医療・サービスにつながった',
};
const MET_JA: Record<string, string> = { person: '本人', family_only: '家族のみ', nobody: '応答なし' };
const PLACE_JA: Record<string, string> = { home: '自宅内', door: '玄関先', outside: '屋外' };
const DEST_JA: Record<EndDestination, string> = { medical: '医療', program: '事業・サービス', drop_in: '居場所', none: 'なし' };

interface EnrolmentRow {
  id: string; program_id: string; case_id: string; reference: string; enrolled_by_organization_id: string; enrolled_on: string;
  legal_basis: string; consent_id: string | null; interval_days: number; next_visit_on: string | null; stage: OutreachStage;
  last_visit_on: string | null; ended_at: Date | null; end_destination: EndDestination | null; end_note: string | null; end_referral_id: string | null; version: number;
}

const ENROLMENT_SELECT = `
  SELECT e.id, e.program_id, e.case_id, c.reference, e.enrolled_by_organization_id, e.enrolled_on::text, e.legal_basis, e.consent_id,
         e.interval_days, e.next_visit_on::text, e.stage, e.last_visit_on::text, e.ended_at, e.end_destination, e.end_note, e.end_referral_id, e.version
  FROM outreach_enrolment e JOIN support_case c ON c.municipality_id = e.municipality_id AND c.id = e.case_id`;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/** Overdue: no visit for longer than the plan's interval (pure; the SQL in overdueSql agrees). */
export function visitDue(e: { enrolledOn: string; lastVisitOn: string | null; intervalDays: number }, today: string): { dueBy: string; overdue: boolean; daysSinceVisit: number } {
  const from = e.lastVisitOn ?? e.enrolledOn;
  const dueBy = addDays(from, e.intervalDays);
  return { dueBy, overdue: today > dueBy, daysSinceVisit: daysBetween(from, today) };
}
/** The same rule in SQL over outreach_enrolment `e`; `todayParam` names the parameter holding today's date. */
const overdueSql = (todayParam: string) => `(e.ended_at IS NULL AND COALESCE(e.last_visit_on, e.enrolled_on) + e.interval_days < ${todayParam}::date)`;

async function orgNames(db: Db, mid: string): Promise<Map<string, string>> {
  const { rows } = await db.query<{ id: string; name: string }>('SELECT id, name FROM organization WHERE municipality_id = $1 UNION ALL SELECT id, name FROM program WHERE municipality_id = $1', [mid]);
  return new Map(rows.map((r) => [r.id, r.name]));
}

function requireStaff(actor: Actor) {
  if (actor.role !== 'hub_coordinator' && actor.role !== 'org_staff') throw forbidden('Only staff of an organisation or the hub work with outreach.');
}

async function outreachProgram(db: Db, mid: string, programId: string): Promise<Program> {
  const p = (await listPrograms(db, mid)).find((x) => x.id === programId);
  if (!p || p.kind !== 'outreach') throw notFound('outreach program');
  return p;
}

/** Organisations that run the program: its owners and the stations it is commissioned to. */
const programOrgs = (p: Program) => [...new Set([...p.owners.map((o) => o.id), ...p.contractors.map((o) => o.id)])];
const runsProgram = (actor: Actor, p: Program) => actor.role === 'hub_coordinator' || programOrgs(p).includes(actor.organizationId!);

function present(r: EnrolmentRow, names: Map<string, string>, today: string, full: boolean): Enrolment {
  const due = visitDue({ enrolledOn: r.enrolled_on, lastVisitOn: r.last_visit_on, intervalDays: r.interval_days }, today);
  return {
    id: r.id, program: { id: r.program_id, name: names.get(r.program_id) ?? '' }, caseId: r.case_id, caseReference: r.reference,
    enrolledBy: { id: r.enrolled_by_organization_id, name: names.get(r.enrolled_by_organization_id) ?? '' }, enrolledOn: r.enrolled_on,
    legalBasis: r.legal_basis, consentId: r.consent_id, plan: { intervalDays: r.interval_days, nextVisitOn: r.next_visit_on },
    lastVisitOn: r.last_visit_on, ...due, overdue: r.ended_at ? false : due.overdue,
    ...(full ? { stage: r.stage } : {}),
    ended: r.ended_at ? { at: r.ended_at, destination: r.end_destination!, note: r.end_note, referralId: r.end_referral_id } : null,
    version: r.version,
  };
}

export interface EnrolInput {
  caseId: string;
  legalBasis: LegalBasisInput;
  intervalDays: number;
  nextVisitOn?: string | null;
}

/**
 * Enrols a person on a case in an outreach program. Staff of any owning
 * organisation, or the hub, with full access to the case; the basis is checked
 * as for a referral, with the commissioned station (the one that visits) as the
 * receiver: a consent must name it.
 */
export async function enrol({ db, clock }: Deps, actor: Actor, programId: string, input: EnrolInput): Promise<Enrolment> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const program = await outreachProgram(db, mid, programId);
  if (actor.role !== 'hub_coordinator' && !program.owners.some((o) => o.id === actor.organizationId))
    throw forbidden('Only an organisation that owns the program, or the hub, enrols a person in it.');
  const access = await caseAccess({ db, clock }, actor, input.caseId);
  if (access === 'none') throw notFound('case');
  if (access !== 'full') throw forbidden('Only organisations that see the whole case can enrol the person.');
  const { rows: [caseRow] } = await db.query<{ id: string; person_id: string; status: string }>('SELECT id, person_id, status FROM support_case WHERE municipality_id = $1 AND id = $2', [mid, input.caseId]);
  const fields: FieldError[] = [];
  if (caseRow.status === 'closed') fields.push({ field: 'caseId', message: 'The case is closed. Reopen it before enrolling the person.' });
  const today = japanDate(clock.now());
  if (input.nextVisitOn && input.nextVisitOn < today) fields.push({ field: 'nextVisitOn', message: 'The next visit cannot be in the past.' });
  const receiver = program.contractors[0]?.id ?? program.owners.find((o) => o.id !== actor.organizationId)?.id ?? actor.organizationId;
  fields.push(...(await checkLegalBasis(db, mid, caseRow, receiver, input.legalBasis)));
  if (fields.length) throw badRequest('The person could not be enrolled.', fields);
  const b = input.legalBasis;
  const spec = SHARE_BASES.find((x) => x.code === b.basis)!;
  const id = randomUUID();
  const now = clock.now();
  const names = await orgNames(db, mid);
  const alreadyEnrolled = (e: { id: string; enrolled_on: string }) =>
    conflict(`The person is already enrolled in this program (enrolment ${e.id}, since ${e.enrolled_on}). Open that enrolment instead.`);
  const openEnrolment = async (q: Db) =>
    (await q.query<{ id: string; enrolled_on: string }>('SELECT id, enrolled_on::text FROM outreach_enrolment WHERE municipality_id = $1 AND program_id = $2 AND case_id = $3 AND ended_at IS NULL', [mid, programId, input.caseId])).rows[0];
  await db.transaction(async (tx) => {
    // Locking the case serialises enrolments of one person: the second of two
    // simultaneous requests waits here and then sees the first one's enrolment.
    await tx.query('SELECT 1 FROM support_case WHERE municipality_id = $1 AND id = $2 FOR NO KEY UPDATE', [mid, input.caseId]);
    const open = await openEnrolment(tx);
    if (open) throw alreadyEnrolled(open);
    await tx.query(
      `INSERT INTO outreach_enrolment (municipality_id, id, program_id, case_id, enrolled_by_organization_id, enrolled_by, enrolled_at, enrolled_on,
         legal_basis, consent_id, meeting_series_id, meeting_date, meeting_session_id, basis_paragraph, basis_reason, interval_days, next_visit_on)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
      [mid, id, programId, input.caseId, actor.organizationId, actor.userId, now, today, b.basis, spec.consent ? b.consentId : null,
        spec.meeting ? b.meetingSeriesId ?? null : null, spec.meeting ? b.meetingDate ?? null : null, spec.meeting && !spec.consent ? b.meetingSessionId ?? null : null,
        spec.reason ? b.paragraph : null, spec.reason ? b.reason!.trim() : null, input.intervalDays, input.nextVisitOn ?? null],
    );
    for (const org of programOrgs(program)) await addParticipant(tx, mid, input.caseId, org, 'participant', `outreach ${id}`, now);
    await appendCaseEvent(tx, mid, input.caseId, { at: now, kind: 'outreach_enrolled', organizationId: actor.organizationId, scope: 'case', summary: `${program.name}に登録（訪問間隔 ${input.intervalDays}日）`, entityType: 'outreach_enrolment', entityId: id, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'outreach.enrol', entityType: 'outreach_enrolment', entityId: id, reason: 'case work', details: { caseId: input.caseId, programId, legalBasis: b.basis, consentId: b.consentId ?? null } });
  }).catch(async (err) => {
    // the unique index on open enrolments is the last word, should a writer bypass the lock
    const open = isUniqueViolation(err, 'outreach_enrolment_open') ? await openEnrolment(db) : undefined;
    throw open ? alreadyEnrolled(open) : err;
  });
  return (await loadEnrolment(db, actor, id, today, names)).enrolment;
}

/** An enrolment the actor may see: the case at any level, and the actor runs the program or is the hub. */
async function loadEnrolment(db: Db, actor: Actor, id: string, today: string, names?: Map<string, string>, lock = false): Promise<{ enrolment: Enrolment; access: 'full' | 'referral'; program: Program; row: EnrolmentRow }> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const { rows } = await db.query<EnrolmentRow>(`${ENROLMENT_SELECT} WHERE e.municipality_id = $1 AND e.id = $2${lock ? ' FOR UPDATE OF e' : ''}`, [mid, id]);
  const row = rows[0];
  if (!row) throw notFound('enrolment');
  const access = await caseAccess({ db, clock: systemClock }, actor, row.case_id);
  const program = await outreachProgram(db, mid, row.program_id);
  if (access === 'none' || access === 'meeting' || !(runsProgram(actor, program) || access === 'full')) throw notFound('enrolment');
  return { enrolment: present(row, names ?? (await orgNames(db, mid)), today, access === 'full'), access, program, row };
}

export async function getEnrolment({ db, clock }: Deps, actor: Actor, id: string): Promise<Enrolment> {
  const { enrolment } = await loadEnrolment(db, actor, id, japanDate(clock.now()));
  await recordAudit(db, clock, actor, { action: 'outreach.enrolment.read', entityType: 'outreach_enrolment', entityId: id, reason: 'case work', details: { caseId: enrolment.caseId } });
  return enrolment;
}

/**
 * The program's queue for the organisations that run it (the hub: all):
 * open enrolments, overdue first; a case the actor does not see is left out.
 */
export async function listEnrolments({ db, clock }: Deps, actor: Actor, programId: string, q: { overdue?: boolean; open?: boolean; caseId?: string } = {}): Promise<Enrolment[]> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const program = await outreachProgram(db, mid, programId);
  if (!runsProgram(actor, program)) throw notFound('outreach program');
  const today = japanDate(clock.now());
  // the cases rule in SQL (cases/access.ts): a case the actor may not see is left out
  const { rows } = await db.query<EnrolmentRow & { access: 'full' | 'referral' | 'none' }>(
    `SELECT * FROM (${ENROLMENT_SELECT.replace('SELECT e.id,', `SELECT ${accessLevelSql('$5', '$6')} AS access, COALESCE(e.last_visit_on, e.enrolled_on) + e.interval_days AS due, e.id,`)}
       WHERE e.municipality_id = $1 AND e.program_id = $2 AND ($3::boolean IS NULL OR (e.ended_at IS NULL) = $3)
         AND ($4::uuid IS NULL OR e.case_id = $4) AND (NOT $8::boolean OR ${overdueSql('$7')})) x
     WHERE x.access <> 'none' ORDER BY x.ended_at NULLS FIRST, x.due, x.reference`,
    [mid, programId, q.open ?? null, q.caseId ?? null, actor.role, actor.organizationId, today, q.overdue ?? false]);
  const names = await orgNames(db, mid);
  const out = rows.map((r) => present(r, names, today, r.access === 'full'));
  await recordAudit(db, clock, actor, { action: 'outreach.enrolment.list', entityType: 'program', entityId: programId, reason: 'program queue', details: { count: out.length, overdue: q.overdue ?? false } });
  return out.sort((a, b) => Number(b.overdue) - Number(a.overdue));
}

/** The outreach enrolments of one case the actor may see (the case page). */
export async function caseEnrolments({ db, clock }: Deps, actor: Actor, caseId: string): Promise<Enrolment[]> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const access = await caseAccess({ db, clock }, actor, caseId);
  if (access === 'none') throw notFound('case');
  const { rows } = await db.query<EnrolmentRow>(`${ENROLMENT_SELECT} WHERE e.municipality_id = $1 AND e.case_id = $2 ORDER BY e.enrolled_at DESC`, [mid, caseId]);
  const names = await orgNames(db, mid);
  const programs = new Map((await listPrograms(db, mid)).map((p) => [p.id, p]));
  const today = japanDate(clock.now());
  const items = rows.filter((r) => access === 'full' || runsProgram(actor, programs.get(r.program_id)!)).map((r) => present(r, names, today, access === 'full'));
  await recordAudit(db, clock, actor, { action: 'outreach.enrolment.list', entityType: 'support_case', entityId: caseId, reason: 'case work', details: { count: items.length } });
  return items;
}

export async function updatePlan({ db, clock }: Deps, actor: Actor, id: string, input: { version: number; intervalDays: number; nextVisitOn?: string | null }): Promise<Enrolment> {
  const today = japanDate(clock.now());
  await db.transaction(async (tx) => {
    const { row, program } = await loadEnrolment(tx, actor, id, today, undefined, true);
    if (!runsProgram(actor, program)) throw forbidden('Only the organisations that run the program change its visit plan.');
    if (row.ended_at) throw conflict('The outreach has ended.');
    if (row.version !== input.version) throw conflict('The plan was changed by someone else. Reload and try again.');
    if (input.nextVisitOn && input.nextVisitOn < today) throw badRequest('The plan could not be changed.', [{ field: 'nextVisitOn', message: 'The next visit cannot be in the past.' }]);
    await tx.query('UPDATE outreach_enrolment SET interval_days = $3, next_visit_on = $4, version = version + 1 WHERE municipality_id = $1 AND id = $2',
      [actor.municipalityId, id, input.intervalDays, input.nextVisitOn ?? null]);
    await recordAudit(tx, clock, actor, { action: 'outreach.plan', entityType: 'outreach_enrolment', entityId: id, reason: 'case work', details: { caseId: row.case_id, intervalDays: input.intervalDays } });
  });
  return (await loadEnrolment(db, actor, id, today)).enrolment;
}

interface VisitRow {
  id: string; enrolment_id: string; case_id: string; visited_on: string; visitors: { organizationId: string; profession: string }[];
  duration_minutes: number; place: Visit['place']; met: Visit['met']; what_happened: string; stage: OutreachStage; next_visit_on: string | null;
  organization_id: string; recorded_at: Date;
}
const VISIT_SELECT = `SELECT id, enrolment_id, case_id, visited_on::text, visitors, duration_minutes, place, met, what_happened, stage, next_visit_on::text, organization_id, recorded_at FROM outreach_visit`;

const presentVisit = (r: VisitRow, names: Map<string, string>): Visit => ({
  id: r.id, enrolmentId: r.enrolment_id, caseId: r.case_id, visitedOn: r.visited_on,
  visitors: r.visitors.map((v) => ({ organization: { id: v.organizationId, name: names.get(v.organizationId) ?? '' }, profession: v.profession })),
  durationMinutes: r.duration_minutes, place: r.place, met: r.met, whatHappened: r.what_happened, stage: r.stage, nextVisitOn: r.next_visit_on,
  organization: { id: r.organization_id, name: names.get(r.organization_id) ?? '' }, recordedAt: r.recorded_at,
});

/**
 * Records a visit (a contact record of the case with its own fields). Staff of
 * an organisation that runs the program, or the hub. The enrolment's stage and
 * plan follow the latest visit; the timeline gets an entry whose details are
 * only in the 要配慮 text.
 */
export async function recordVisit({ db, clock }: Deps, actor: Actor, input: VisitInput): Promise<Visit> {
  const mid = actor.municipalityId!;
  const today = japanDate(clock.now());
  const names = await orgNames(db, mid);
  const id = randomUUID();
  const now = clock.now();
  await db.transaction(async (tx) => {
    const { row, program } = await loadEnrolment(tx, actor, input.enrolmentId, today, names, true);
    if (!runsProgram(actor, program)) throw forbidden('Only the organisations that run the program record its visits.');
    if (row.ended_at) throw conflict('The outreach has ended; record a contact on the case instead.');
    const fields: FieldError[] = [];
    if (input.visitedOn > today) fields.push({ field: 'visitedOn', message: 'The visit cannot be in the future.' });
    if (input.visitedOn < row.enrolled_on) fields.push({ field: 'visitedOn', message: 'The visit cannot be before the enrolment.' });
    if (input.nextVisitOn && input.nextVisitOn < input.visitedOn) fields.push({ field: 'nextVisitOn', message: 'The next visit must come after this one.' });
    if (input.visitors.length === 0) fields.push({ field: 'visitors', message: 'Name who visited.' });
    input.visitors.forEach((v, i) => { if (!names.has(v.organizationId)) fields.push({ field: `visitors[${i}].organizationId`, message: 'No organisation with that id.' }); });
    if (!input.whatHappened.trim()) fields.push({ field: 'whatHappened', message: 'Write what happened.' });
    if (fields.length) throw badRequest('The visit could not be recorded.', fields);
    await tx.query(
      `INSERT INTO outreach_visit (municipality_id, id, enrolment_id, case_id, visited_on, visitors, duration_minutes, place, met, what_happened, stage, next_visit_on, organization_id, recorded_by, recorded_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
      [mid, id, row.id, row.case_id, input.visitedOn, JSON.stringify(input.visitors.map((v) => ({ organizationId: v.organizationId, profession: v.profession.trim() }))),
        input.durationMinutes, input.place, input.met, input.whatHappened.trim(), input.stage, input.nextVisitOn ?? null, actor.organizationId, actor.userId, now],
    );
    // the enrolment follows its latest visit (a visit entered late does not move it back)
    await tx.query(
      `UPDATE outreach_enrolment e SET last_visit_on = v.visited_on, stage = v.stage, next_visit_on = COALESCE(v.next_visit_on, e.next_visit_on), version = e.version + 1
       FROM (SELECT visited_on, stage, next_visit_on FROM outreach_visit WHERE municipality_id = $1 AND enrolment_id = $2 ORDER BY visited_on DESC, recorded_at DESC LIMIT 1) v
       WHERE e.municipality_id = $1 AND e.id = $2`, [mid, row.id]);
    await noteCaseContact(tx, mid, row.case_id, new Date(`${input.visitedOn}T00:00:00+09:00`));
    await appendCaseEvent(tx, mid, row.case_id, {
      at: new Date(`${input.visitedOn}T12:00:00+09:00`), kind: 'outreach_visit', organizationId: actor.organizationId, scope: 'org',
      summary: `アウトリーチ訪問（${program.name}）`,
      summarySensitive: `アウトリーチ訪問（${PLACE_JA[input.place]}・${MET_JA[input.met]}）段階: ${STAGE_JA[input.stage]}。${input.whatHappened.trim().slice(0, 200)}`,
      entityType: 'outreach_visit', entityId: id, byUser: actor.userId,
    });
    await recordAudit(tx, clock, actor, { action: 'outreach.visit.create', entityType: 'outreach_visit', entityId: id, reason: 'case work', details: { caseId: row.case_id, enrolmentId: row.id } });
  });
  const { rows } = await db.query<VisitRow>(`${VISIT_SELECT} WHERE municipality_id = $1 AND id = $2`, [mid, id]);
  return presentVisit(rows[0], names);
}

/**
 * Visits of a case or an enrolment, oldest first (the stage chart reads them in
 * order). Full access: all of them; a participant at referral level: those its
 * own organisation recorded; others: 404.
 */
export async function listVisits({ db, clock }: Deps, actor: Actor, q: { caseId?: string; enrolmentId?: string }): Promise<Visit[]> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  let caseId = q.caseId;
  if (q.enrolmentId) {
    const { enrolment } = await loadEnrolment(db, actor, q.enrolmentId, japanDate(clock.now()));
    if (caseId && caseId !== enrolment.caseId) throw notFound('enrolment');
    caseId = enrolment.caseId;
  }
  if (!caseId) throw badRequest('Name a case or an enrolment.', [{ field: 'caseId', message: 'Name a case or an enrolment.' }]);
  const access = await caseAccess({ db, clock }, actor, caseId);
  if (access === 'none' || access === 'meeting') throw notFound('case');
  const { rows } = await db.query<VisitRow>(
    `${VISIT_SELECT} WHERE municipality_id = $1 AND case_id = $2 AND ($3::uuid IS NULL OR enrolment_id = $3) AND ($4 OR organization_id = $5)
     ORDER BY visited_on, recorded_at`, [mid, caseId, q.enrolmentId ?? null, access === 'full', actor.organizationId]);
  await recordAudit(db, clock, actor, { action: 'outreach.visit.list', entityType: 'support_case', entityId: caseId, reason: 'case work', details: { count: rows.length, access } });
  const names = await orgNames(db, mid);
  return rows.map((r) => presentVisit(r, names));
}

/** One visit: as for the list (full access, or a visit the actor's own organisation recorded). */
export async function getVisit({ db, clock }: Deps, actor: Actor, id: string): Promise<Visit> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const { rows } = await db.query<VisitRow>(`${VISIT_SELECT} WHERE municipality_id = $1 AND id = $2`, [mid, id]);
  const r = rows[0];
  if (!r) throw notFound('visit');
  const access = await caseAccess({ db, clock }, actor, r.case_id);
  if (access !== 'full' && !(access === 'referral' && r.organization_id === actor.organizationId)) throw notFound('visit');
  await recordAudit(db, clock, actor, { action: 'outreach.visit.read', entityType: 'outreach_visit', entityId: id, reason: 'case work', details: { caseId: r.case_id } });
  return presentVisit(r, await orgNames(db, mid));
}

export interface EndInput {
  version: number;
  destination: EndDestination;
  note?: string;
  /** Where the outreach hands over, a referral is sent (referrals service: same checks and legal basis). */
  referral?: Omit<SendReferralInput, 'legalBasis'> & { legalBasis: LegalBasisInput };
}

/**
 * Ends outreach: records where the person went (medical care, a program, a
 * drop-in place, none) and, where it hands over, sends a referral from the
 * acting organisation. The participations stay (the records the station kept
 * remain its own); the lead may end them on the case.
 */
export async function endOutreach(deps: Deps, actor: Actor, id: string, input: EndInput): Promise<Enrolment> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const today = japanDate(clock.now());
  const { row, program } = await loadEnrolment(db, actor, id, today);
  if (!runsProgram(actor, program)) throw forbidden('Only the organisations that run the program end it.');
  if (row.ended_at) throw conflict('The outreach has already ended.');
  if (row.version !== input.version) throw conflict('The enrolment was changed by someone else. Reload and try again.');
  if (input.destination === 'none' && input.referral) throw badRequest('The outreach could not be ended.', [{ field: 'referral', message: 'A hand-over needs a destination (medical, a program or a drop-in place).' }]);
  // the referral first: if its checks fail, nothing has ended
  const referral = input.referral ? await sendReferral(deps, actor, row.case_id, input.referral) : null;
  const now = clock.now();
  await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE outreach_enrolment SET ended_at = $4, ended_by = $5, end_destination = $6, end_note = $7, end_referral_id = $8, next_visit_on = NULL, version = version + 1
       WHERE municipality_id = $1 AND id = $2 AND version = $3 AND ended_at IS NULL`,
      [mid, id, input.version, now, actor.userId, input.destination, input.note?.trim() || null, referral?.id ?? null]);
    if (!rowCount) throw conflict('The enrolment was changed by someone else. Reload and try again.');
    await appendCaseEvent(tx, mid, row.case_id, { at: now, kind: 'outreach_ended', organizationId: actor.organizationId, scope: 'case',
      summary: `${program.name}を終了（行き先: ${DEST_JA[input.destination]}${referral ? '、つなぎを送付' : ''}）`, entityType: 'outreach_enrolment', entityId: id, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'outreach.end', entityType: 'outreach_enrolment', entityId: id, reason: input.note ?? 'outreach ended', details: { caseId: row.case_id, destination: input.destination, referralId: referral?.id ?? null } });
  });
  return (await loadEnrolment(db, actor, id, today)).enrolment;
}

/**
 * Open enrolments with no visit for longer than the plan says, in outreach
 * programs the profile reviews in this meeting series (program.reviewedIn);
 * the meetings module proposes their cases (reason 'outreach_overdue').
 */
export async function outreachOverdueForReview(db: Db, mid: string, seriesId: string, today: string): Promise<{ caseId: string; detail: string }[]> {
  const programs = (await listPrograms(db, mid)).filter((p) => p.kind === 'outreach' && p.reviewedIn?.id === seriesId).map((p) => p.id);
  if (programs.length === 0) return [];
  const { rows } = await db.query<{ case_id: string; last: string; interval_days: number }>(
    `SELECT e.case_id, COALESCE(e.last_visit_on, e.enrolled_on)::text AS last, e.interval_days FROM outreach_enrolment e
     WHERE e.municipality_id = $1 AND e.program_id = ANY($2::uuid[]) AND ${overdueSql('$3')} ORDER BY 2`, [mid, programs, today]);
  return rows.map((r) => ({ caseId: r.case_id, detail: `最終訪問 ${r.last}（計画 ${r.interval_days}日ごと）` }));
}

/** Outreach figures of a fiscal year for the stats module: people enrolled, visits, people who reached each stage, ends by destination. */
export async function outreachFigures(db: Db, mid: string, from: string, to: string): Promise<{ enrolled: number; visits: number; reached: Record<OutreachStage, number>; ended: Record<EndDestination, number> }> {
  const { rows: [e] } = await db.query<{ n: number }>(
    `SELECT COUNT(DISTINCT case_id)::int AS n FROM outreach_enrolment WHERE municipality_id = $1 AND enrolled_on <= $3::date AND (ended_at IS NULL OR ended_at >= $2::date)`, [mid, from, to]);
  const { rows: v } = await db.query<{ stage: OutreachStage; people: number; visits: number }>(
    `SELECT stage, COUNT(DISTINCT case_id)::int AS people, COUNT(*)::int AS visits FROM outreach_visit WHERE municipality_id = $1 AND visited_on BETWEEN $2::date AND $3::date GROUP BY stage`, [mid, from, to]);
  const { rows: d } = await db.query<{ end_destination: EndDestination; n: number }>(
    `SELECT end_destination, COUNT(*)::int AS n FROM outreach_enrolment WHERE municipality_id = $1 AND ended_at >= $2::date AND ended_at < $3::date + 1 GROUP BY 1`, [mid, from, to]);
  const reached = Object.fromEntries(OUTREACH_STAGES.map((s) => [s, v.find((x) => x.stage === s)?.people ?? 0])) as Record<OutreachStage, number>;
  return {
    enrolled: e?.n ?? 0, visits: v.reduce((a, x) => a + x.visits, 0), reached,
    ended: Object.fromEntries(END_DESTINATIONS.map((x) => [x, d.find((y) => y.end_destination === x)?.n ?? 0])) as Record<EndDestination, number>,
  };
}

/**
 * Outreach as contact records of the cases, for the privacy module's disclosure
 * package (開示): each enrolment (program, basis, plan, end) and each visit,
 * with all their fields in the text.
 */
export async function outreachContactRecords(db: Db, mid: string, caseIds: string[]): Promise<{ id: string; caseId: string; occurredAt: string; kind: 'outreach_enrolment' | 'outreach_visit'; organizationId: string; notes: string; nextStep: string | null; createdAt: Date }[]> {
  if (caseIds.length === 0) return [];
  const names = await orgNames(db, mid);
  const { rows: es } = await db.query<EnrolmentRow & { enrolled_at: Date; basis_reason: string | null }>(
    `${ENROLMENT_SELECT.replace('SELECT e.id,', 'SELECT e.enrolled_at, e.basis_reason, e.id,')} WHERE e.municipality_id = $1 AND e.case_id = ANY($2::uuid[]) ORDER BY e.enrolled_at`, [mid, caseIds]);
  const { rows: vs } = await db.query<VisitRow>(`${VISIT_SELECT} WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]) ORDER BY visited_on, recorded_at`, [mid, caseIds]);
  return [
    ...es.map((e) => ({
      id: e.id, caseId: e.case_id, occurredAt: new Date(e.enrolled_at).toISOString(), kind: 'outreach_enrolment' as const, organizationId: e.enrolled_by_organization_id,
      notes: [`${names.get(e.program_id) ?? ''}に登録`, `根拠: ${e.legal_basis}${e.basis_reason ? `（${e.basis_reason}）` : ''}`, `訪問間隔 ${e.interval_days}日`, `段階: ${STAGE_JA[e.stage]}`,
        ...(e.ended_at ? [`終了 ${new Date(e.ended_at).toISOString().slice(0, 10)}（行き先: ${DEST_JA[e.end_destination!]}）${e.end_note ? ` ${e.end_note}` : ''}`] : [])].join('。'),
      nextStep: e.next_visit_on, createdAt: e.enrolled_at,
    })),
    ...vs.map((v) => ({
      id: v.id, caseId: v.case_id, occurredAt: `${v.visited_on}T00:00:00.000Z`, kind: 'outreach_visit' as const, organizationId: v.organization_id,
      notes: [`訪問（${PLACE_JA[v.place]}、${v.duration_minutes}分、訪問者: ${v.visitors.map((x) => `${names.get(x.organizationId) ?? ''} ${x.profession}`).join('・')}）`,
        `会えた人: ${MET_JA[v.met]}`, `段階: ${STAGE_JA[v.stage]}`, v.what_happened].join('。'),
      nextStep: v.next_visit_on, createdAt: v.recorded_at,
    })),
  ];
}
