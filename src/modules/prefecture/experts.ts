import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { japanDate, warekiDate } from '../../lib/fiscal.ts';
import { recordAudit } from '../audit/service.ts';
import { appendCaseEvent, caseAccess, getCase, getPerson, type Person } from '../cases/service.ts';
import { getCentreSettings, getMunicipality, listMunicipalities, type Municipality } from '../network/service.ts';
import { screen, type HitKind, type IdentityValue } from './expertScreen.ts';

/**
 * 多職種専門チーム: the centre schedules case conferences with one expert in
 * each seat of its profile; a municipality submits a difficult case with its
 * questions, pseudonymised by construction (a case code, an age band, free
 * text screened against the case's own personal data); the members sitting on
 * the conference answer each question from their seat, and the advice goes
 * back to the case's timeline, seen only by those with full access to it.
 * Neither the centre nor the experts ever receive the person's identity.
 */

const LEGAL_BASIS = 'pseudonymised case consultation (no personal data leaves the municipality)';

interface MunicipalityRef { id: string; code: string; name: string; nameEn: string | null }
const ref = (m: Municipality): MunicipalityRef => ({ id: m.id, code: m.code, name: m.name, nameEn: m.nameEn });

export interface Seat { id: string; name: string; nameEn: string | null }
export interface ConferenceSummary { id: string; heldOn: string; heldOnJa: string; title: string; submissions: number }
export interface Conference extends ConferenceSummary {
  seats: (Seat & { member: { userId: string; name: string } | null })[];
}
export interface Advice { seat: string; seatName: string; member: string; text: string; recordedAt: Date }
export interface Submission {
  id: string;
  caseCode: string;
  ageBand: string | null;
  background: string;
  questions: { seq: number; text: string; advice: Advice[] }[];
  conference: ConferenceSummary;
  municipality: MunicipalityRef;
  submittedAt: Date;
  /** Only for the municipality's own staff with full access to the case. */
  case: { id: string; reference: string } | null;
}

const MUNICIPAL = ['hub_coordinator', 'org_staff'];

/** The centre's tenant: the prefecture staff's or expert's own, or the one a municipality's profile names. */
async function centreOf(db: Db, actor: Actor): Promise<Municipality> {
  if (!actor.municipalityId) throw forbidden();
  const own = await getMunicipality(db, actor.municipalityId);
  if (actor.role === 'prefecture_staff' || actor.role === 'expert_member') {
    if (own.kind !== 'prefecture') throw forbidden('Only the prefecture centre’s staff work across municipalities.');
    return own;
  }
  if (!MUNICIPAL.includes(actor.role ?? '')) throw forbidden();
  const centre = (await listMunicipalities(db)).find((m) => m.kind === 'prefecture' && m.name === own.prefecture);
  if (!centre) throw notFound('expert team');
  return centre;
}

async function seatsOf(db: Db, prefectureId: string): Promise<Seat[]> {
  const settings = await getCentreSettings(db, prefectureId);
  return (settings?.expertTeam?.seats ?? []).map((s) => ({ id: s.id, name: s.name, nameEn: s.nameEn ?? null }));
}

/** Crossings between tenants show in both audits. */
async function audit(tx: Db, clock: Clock, actor: Actor, tenants: string[], action: string, entityType: string, entityId: string, details: Record<string, unknown>) {
  for (const municipalityId of new Set(tenants))
    await recordAudit(tx, clock, actor, { municipalityId, action, entityType, entityId, reason: LEGAL_BASIS, details });
}

// ---------------------------------------------------------------- members and conferences

export async function listExpertMembers({ db }: Deps, actor: Actor): Promise<{ userId: string; name: string }[]> {
  if (actor.role !== 'prefecture_staff') throw forbidden();
  const centre = await centreOf(db, actor);
  const { rows } = await db.query<{ userId: string; name: string }>(
    `SELECT DISTINCT u.id AS "userId", u.display_name AS name FROM membership m JOIN app_user u ON u.id = m.user_id
     WHERE m.municipality_id = $1 AND m.role = 'expert_member' AND m.active AND u.active ORDER BY name, "userId"`, [centre.id]);
  return rows;
}

export async function expertSeats({ db }: Deps, actor: Actor): Promise<Seat[]> {
  if (actor.role !== 'prefecture_staff') throw forbidden();
  return seatsOf(db, (await centreOf(db, actor)).id);
}

export interface ConferenceInput { heldOn: string; title: string; seats: { seat: string; userId: string }[] }

export async function createConference(deps: Deps, actor: Actor, input: ConferenceInput): Promise<Conference> {
  const { db, clock } = deps;
  if (actor.role !== 'prefecture_staff') throw forbidden();
  const centre = await centreOf(db, actor);
  const seats = await seatsOf(db, centre.id);
  const members = new Set((await listExpertMembers(deps, actor)).map((m) => m.userId));
  const problems: FieldError[] = [];
  if (seats.length === 0) problems.push({ field: 'seats', message: 'The prefecture’s profile defines no expert-team seats.' });
  if (input.heldOn < japanDate(clock.now())) problems.push({ field: 'heldOn', message: 'A conference is scheduled ahead: the date cannot be in the past.' });
  const seen = new Set<string>();
  input.seats.forEach((s, i) => {
    if (!seats.some((x) => x.id === s.seat)) problems.push({ field: `seats[${i}].seat`, message: 'No seat with that id in the expert team.' });
    else if (seen.has(s.seat)) problems.push({ field: `seats[${i}].seat`, message: 'Each seat is taken by one member.' });
    seen.add(s.seat);
    if (!members.has(s.userId)) problems.push({ field: `seats[${i}].userId`, message: 'That user is not a member of the expert team.' });
  });
  if (problems.length) throw badRequest('The conference could not be scheduled.', problems);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query('INSERT INTO expert_conference (municipality_id, id, held_on, title, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)',
      [centre.id, id, input.heldOn, input.title.trim(), clock.now(), actor.userId]);
    for (const s of input.seats)
      await tx.query('INSERT INTO expert_conference_seat (municipality_id, conference_id, seat, user_id) VALUES ($1, $2, $3, $4)', [centre.id, id, s.seat, s.userId]);
    await recordAudit(tx, clock, actor, { municipalityId: centre.id, action: 'expert_conference.create', entityType: 'expert_conference', entityId: id, reason: 'expert team', details: { heldOn: input.heldOn } });
  });
  return getConference(deps, actor, id);
}

interface ConferenceRow { id: string; heldOn: string; title: string; submissions: number }
const CONFERENCE_COLUMNS = `c.id, to_char(c.held_on, 'YYYY-MM-DD') AS "heldOn", c.title,
  (SELECT count(*)::int FROM expert_submission s WHERE s.prefecture_id = c.municipality_id AND s.conference_id = c.id) AS submissions`;
const summary = (r: ConferenceRow): ConferenceSummary => ({ ...r, heldOnJa: warekiDate(r.heldOn) });

/**
 * The centre's staff see every conference; a member those they sit on; a
 * municipality's staff the conferences still ahead, to submit a case to.
 */
export async function listConferences({ db, clock }: Deps, actor: Actor): Promise<ConferenceSummary[]> {
  const centre = await centreOf(db, actor);
  const { rows } = await db.query<ConferenceRow>(
    `SELECT ${CONFERENCE_COLUMNS} FROM expert_conference c
     WHERE c.municipality_id = $1
       AND ($2::text = 'prefecture_staff'
            OR ($2::text = 'expert_member' AND EXISTS (SELECT 1 FROM expert_conference_seat x WHERE x.municipality_id = c.municipality_id AND x.conference_id = c.id AND x.user_id = $3::uuid))
            OR ($2::text IN ('hub_coordinator', 'org_staff') AND c.held_on >= $4::date))
     ORDER BY c.held_on DESC, c.id`,
    [centre.id, actor.role, actor.userId, japanDate(clock.now())]);
  return rows.map(summary);
}

async function loadConference(db: Db, actor: Actor, id: string): Promise<{ centre: Municipality; row: ConferenceRow; seatOf: string | null }> {
  if (actor.role !== 'prefecture_staff' && actor.role !== 'expert_member') throw notFound('conference');
  const centre = await centreOf(db, actor);
  const { rows } = await db.query<ConferenceRow & { seat: string | null }>(
    `SELECT ${CONFERENCE_COLUMNS}, (SELECT x.seat FROM expert_conference_seat x WHERE x.municipality_id = c.municipality_id AND x.conference_id = c.id AND x.user_id = $3::uuid) AS seat
     FROM expert_conference c WHERE c.municipality_id = $1 AND c.id = $2`, [centre.id, id, actor.userId]);
  const row = rows[0];
  if (!row || (actor.role === 'expert_member' && !row.seat)) throw notFound('conference');
  return { centre, row, seatOf: row.seat };
}

export async function getConference({ db }: Deps, actor: Actor, id: string): Promise<Conference> {
  const { centre, row } = await loadConference(db, actor, id);
  const seats = await seatsOf(db, centre.id);
  const { rows: taken } = await db.query<{ seat: string; userId: string; name: string }>(
    `SELECT x.seat, x.user_id AS "userId", u.display_name AS name FROM expert_conference_seat x JOIN app_user u ON u.id = x.user_id
     WHERE x.municipality_id = $1 AND x.conference_id = $2`, [centre.id, id]);
  return {
    ...summary(row),
    seats: seats.map((s) => {
      const t = taken.find((x) => x.seat === s.id);
      return { ...s, member: t ? { userId: t.userId, name: t.name } : null };
    }),
  };
}

// ---------------------------------------------------------------- submissions

export interface SubmissionInput { conferenceId: string; caseId: string; background: string; questions: string[] }

const HIT_LABEL: Record<HitKind, string> = { name: 'name', kana: 'name in kana', address: 'address', phone: 'phone number', email: 'email address' };

/** Age band of ten years from the birth date (or the recorded band): no date ever leaves the case. */
function ageBandOf(p: { birthDate: string | null; ageBand: { min: number; max: number } | null }, today: string): string | null {
  if (p.birthDate) {
    const [y, m, d] = p.birthDate.split('-').map(Number);
    const [ty, tm, td] = today.split('-').map(Number);
    const age = ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
    return age < 10 ? '10歳未満' : `${Math.floor(age / 10) * 10}代`;
  }
  if (p.ageBand) return `${p.ageBand.min}〜${p.ageBand.max}歳`;
  return null;
}

/** What of the case's own personal data the free text may not hold: the person's and every household member's. */
export function identityValues(people: Pick<Person, 'name' | 'nameKana' | 'address' | 'phone' | 'email'>[]): IdentityValue[] {
  return people.flatMap((p) => [
    { kind: 'name' as const, value: p.name ?? '' },
    { kind: 'kana' as const, value: p.nameKana ?? '' },
    { kind: 'address' as const, value: p.address ?? '' },
    { kind: 'phone' as const, value: p.phone ?? '' },
    { kind: 'email' as const, value: p.email ?? '' },
  ]).filter((v) => v.value.trim());
}

export async function submitCase(deps: Deps, actor: Actor, input: SubmissionInput): Promise<Submission> {
  const { db, clock } = deps;
  if (!MUNICIPAL.includes(actor.role ?? '')) throw forbidden();
  const c = await getCase(deps, actor, input.caseId);
  if (c.access !== 'full') throw notFound('case');
  if (actor.role !== 'hub_coordinator' && c.lead.id !== actor.organizationId)
    throw forbidden('Only the hub or the organisation leading the case can submit it to the expert team.');
  const centre = await centreOf(db, actor);
  const today = japanDate(clock.now());
  const { rows: conf } = await db.query<{ heldOn: string }>(
    `SELECT to_char(held_on, 'YYYY-MM-DD') AS "heldOn" FROM expert_conference WHERE municipality_id = $1 AND id = $2`, [centre.id, input.conferenceId]);
  if (!conf[0]) throw badRequest('The case could not be submitted.', [{ field: 'conferenceId', message: 'No conference with that id is scheduled.' }]);
  if (conf[0].heldOn < today) throw badRequest('The case could not be submitted.', [{ field: 'conferenceId', message: 'That conference has already taken place. Choose one ahead.' }]);

  const people = [...(c.person ? [await personOf(deps, actor, c)] : []), ...(c.household?.members.map((m) => m.person) ?? [])];
  const values = identityValues(people);
  const problems: FieldError[] = [];
  const texts: [string, string][] = [['background', input.background], ...input.questions.map((q, i): [string, string] => [`questions[${i}]`, q])];
  for (const [field, text] of texts) {
    if (!text.trim()) problems.push({ field, message: 'Write the text.' });
    for (const hit of screen(text, values))
      problems.push({ field, message: `The text holds the ${HIT_LABEL[hit.kind]} of the person or a household member at characters ${hit.start + 1}–${hit.end}. Replace it with a neutral word such as 本人 or 母.` });
  }
  if (problems.length) throw badRequest('The submission still holds personal data or lacks text. Resolve every point before sending.', problems);

  const id = randomUUID();
  const mid = actor.municipalityId!;
  const now = clock.now();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO expert_submission (municipality_id, id, prefecture_id, conference_id, case_id, case_code, age_band, background, submitted_by, organization_id, submitted_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [mid, id, centre.id, input.conferenceId, c.id, `E-${randomBytes(4).toString('hex').toUpperCase()}`, c.person ? ageBandOf(c.person, today) : null,
        input.background.trim(), actor.userId, actor.organizationId, now]);
    for (const [i, q] of input.questions.entries())
      await tx.query('INSERT INTO expert_question (municipality_id, submission_id, seq, text) VALUES ($1, $2, $3, $4)', [mid, id, i + 1, q.trim()]);
    await appendCaseEvent(tx, mid, c.id, {
      at: now, kind: 'expert_submission', organizationId: actor.organizationId, scope: 'case', byUser: actor.userId, entityType: 'expert_submission', entityId: id,
      summary: `多職種専門チームに相談（${warekiDate(conf[0].heldOn)}の会議、質問${input.questions.length}件）`,
    });
    await audit(tx, clock, actor, [mid, centre.id], 'expert_submission.create', 'expert_submission', id, { conferenceId: input.conferenceId, questions: input.questions.length });
  });
  return getSubmission(deps, actor, id);
}

async function personOf(deps: Deps, actor: Actor, c: Awaited<ReturnType<typeof getCase>>): Promise<Person> {
  const member = c.household?.members.find((m) => m.person.id === c.person!.id);
  if (member) return member.person;
  return getPerson(deps, actor, c.person!.id);
}

interface SubmissionRow {
  id: string; municipalityId: string; caseCode: string; ageBand: string | null; background: string; submittedAt: Date; caseId: string; reference: string;
  conferenceId: string; prefectureId: string;
}

/**
 * Submissions the actor may read, with the same rule for lists and single
 * reads: an expert those of conferences they sit on; the centre's staff every
 * one sent to it; a municipality's staff those of cases they see in full.
 */
async function visibleSubmissions(deps: Deps, actor: Actor, q: { id?: string; caseId?: string; conferenceId?: string }): Promise<SubmissionRow[]> {
  const { db } = deps;
  const centre = await centreOf(db, actor);
  const municipal = MUNICIPAL.includes(actor.role ?? '');
  const { rows } = await db.query<SubmissionRow>(
    `SELECT s.id, s.municipality_id AS "municipalityId", s.case_code AS "caseCode", s.age_band AS "ageBand", s.background, s.submitted_at AS "submittedAt",
            s.case_id AS "caseId", c.reference, s.conference_id AS "conferenceId", s.prefecture_id AS "prefectureId"
     FROM expert_submission s JOIN support_case c ON c.municipality_id = s.municipality_id AND c.id = s.case_id
     WHERE s.prefecture_id = $1
       AND ($2::uuid IS NULL OR s.id = $2::uuid) AND ($3::uuid IS NULL OR s.case_id = $3::uuid) AND ($4::uuid IS NULL OR s.conference_id = $4::uuid)
       AND (($5::text = 'prefecture_staff')
            OR ($5::text = 'expert_member' AND EXISTS (SELECT 1 FROM expert_conference_seat x WHERE x.municipality_id = s.prefecture_id AND x.conference_id = s.conference_id AND x.user_id = $6::uuid))
            OR ($5::text IN ('hub_coordinator', 'org_staff') AND s.municipality_id = $7::uuid))
     ORDER BY s.submitted_at DESC, s.id`,
    [centre.id, q.id ?? null, q.caseId ?? null, q.conferenceId ?? null, actor.role, actor.userId, municipal ? actor.municipalityId : null]);
  if (!municipal) return rows;
  // the municipality's side: only cases the actor sees in full (cases access rules)
  const out: SubmissionRow[] = [];
  for (const r of rows) if ((await caseAccess(deps, actor, r.caseId)) === 'full') out.push(r);
  return out;
}

async function present(deps: Deps, actor: Actor, rows: SubmissionRow[]): Promise<Submission[]> {
  if (rows.length === 0) return [];
  const { db } = deps;
  const municipal = MUNICIPAL.includes(actor.role ?? '');
  const seats = await seatsOf(db, rows[0].prefectureId);
  const out: Submission[] = [];
  const municipalities = new Map((await listMunicipalities(db)).map((m) => [m.id, m]));
  for (const r of rows) {
    const { rows: conf } = await db.query<ConferenceRow>(`SELECT ${CONFERENCE_COLUMNS} FROM expert_conference c WHERE c.municipality_id = $1 AND c.id = $2`, [r.prefectureId, r.conferenceId]);
    const { rows: qs } = await db.query<{ seq: number; text: string }>(
      'SELECT seq, text FROM expert_question WHERE municipality_id = $1 AND submission_id = $2 ORDER BY seq', [r.municipalityId, r.id]);
    const { rows: advice } = await db.query<{ questionSeq: number; seat: string; member: string; text: string; recordedAt: Date }>(
      `SELECT a.question_seq AS "questionSeq", a.seat, u.display_name AS member, a.text, a.recorded_at AS "recordedAt"
       FROM expert_advice a JOIN app_user u ON u.id = a.user_id WHERE a.municipality_id = $1 AND a.submission_id = $2 ORDER BY a.question_seq, a.seat`,
      [r.municipalityId, r.id]);
    const seatName = (id: string) => seats.find((s) => s.id === id)?.name ?? id;
    out.push({
      id: r.id, caseCode: r.caseCode, ageBand: r.ageBand, background: r.background, submittedAt: r.submittedAt,
      conference: summary(conf[0]), municipality: ref(municipalities.get(r.municipalityId)!),
      questions: qs.map((q) => ({
        seq: q.seq, text: q.text,
        advice: advice.filter((a) => a.questionSeq === q.seq).map((a) => ({ seat: a.seat, seatName: seatName(a.seat), member: a.member, text: a.text, recordedAt: a.recordedAt })),
      })),
      case: municipal ? { id: r.caseId, reference: r.reference } : null,
    });
  }
  return out;
}

export async function listSubmissions(deps: Deps, actor: Actor, q: { caseId?: string; conferenceId?: string }): Promise<Submission[]> {
  const rows = await visibleSubmissions(deps, actor, q);
  const items = await present(deps, actor, rows);
  if (q.caseId && MUNICIPAL.includes(actor.role ?? ''))
    await recordAudit(deps.db, deps.clock, actor, { action: 'expert_submission.list', entityType: 'support_case', entityId: q.caseId, reason: 'case work', details: { count: items.length } });
  else if (items.length)
    await recordAudit(deps.db, deps.clock, actor, { action: 'expert_submission.list', entityType: 'expert_submission', reason: 'expert team', details: { submissions: items.map((s) => s.id) } });
  return items;
}

export async function getSubmission(deps: Deps, actor: Actor, id: string): Promise<Submission> {
  const rows = await visibleSubmissions(deps, actor, { id });
  if (!rows[0]) throw notFound('submission');
  const [s] = await present(deps, actor, rows);
  await recordAudit(deps.db, deps.clock, actor, { action: 'expert_submission.read', entityType: 'expert_submission', entityId: id, reason: MUNICIPAL.includes(actor.role ?? '') ? 'case work' : 'expert team', details: {} });
  return s;
}

/** A member answers the questions from their seat; each answer goes back to the case's timeline. */
export async function recordAdvice(deps: Deps, actor: Actor, id: string, answers: { questionSeq: number; text: string }[]): Promise<Submission> {
  const { db, clock } = deps;
  if (actor.role !== 'expert_member') throw forbidden();
  const [row] = await visibleSubmissions(deps, actor, { id });
  if (!row) throw notFound('submission');
  const { seatOf } = await loadConference(db, actor, row.conferenceId);
  const seat = (await seatsOf(db, row.prefectureId)).find((s) => s.id === seatOf);
  const { rows: qs } = await db.query<{ seq: number }>('SELECT seq FROM expert_question WHERE municipality_id = $1 AND submission_id = $2', [row.municipalityId, id]);
  const problems: FieldError[] = [];
  answers.forEach((a, i) => {
    if (!qs.some((q) => q.seq === a.questionSeq)) problems.push({ field: `answers[${i}].questionSeq`, message: 'No question with that number in this submission.' });
    if (!a.text.trim()) problems.push({ field: `answers[${i}].text`, message: 'Write the text.' });
  });
  if (answers.length === 0) problems.push({ field: 'answers', message: 'Answer at least one question.' });
  if (problems.length) throw badRequest('The advice could not be recorded.', problems);
  const now = clock.now();
  await db.transaction(async (tx) => {
    for (const a of answers) {
      await tx.query(
        `INSERT INTO expert_advice (municipality_id, submission_id, question_seq, seat, user_id, text, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (municipality_id, submission_id, question_seq, seat) DO UPDATE SET user_id = EXCLUDED.user_id, text = EXCLUDED.text, recorded_at = EXCLUDED.recorded_at`,
        [row.municipalityId, id, a.questionSeq, seatOf, actor.userId, a.text.trim(), now]);
      await appendCaseEvent(tx, row.municipalityId, row.caseId, {
        at: now, kind: 'expert_advice', organizationId: null, scope: 'case', byUser: null, entityType: 'expert_submission', entityId: id,
        summary: `多職種専門チームの助言（${seat?.name ?? seatOf}・質問${a.questionSeq}）: ${a.text.trim().slice(0, 500)}`,
      });
    }
    await audit(tx, clock, actor, [row.municipalityId, row.prefectureId], 'expert_advice.record', 'expert_submission', id, { seat: seatOf, questions: answers.map((a) => a.questionSeq) });
  });
  return getSubmission(deps, actor, id);
}

/**
 * For the person's disclosure package: each submission of their cases, with
 * its questions and the advice given, as a contact record of the case.
 */
export async function expertContactRecords(db: Db, mid: string, caseIds: string[]): Promise<{
  id: string; caseId: string; occurredAt: string; kind: 'expert_consultation'; organizationId: string; notes: string; nextStep: null; createdAt: Date;
}[]> {
  const { rows } = await db.query<{ id: string; caseId: string; submittedAt: Date; organizationId: string; caseCode: string; ageBand: string | null; background: string; heldOn: string }>(
    `SELECT s.id, s.case_id AS "caseId", s.submitted_at AS "submittedAt", s.organization_id AS "organizationId", s.case_code AS "caseCode", s.age_band AS "ageBand",
            s.background, to_char(c.held_on, 'YYYY-MM-DD') AS "heldOn"
     FROM expert_submission s JOIN expert_conference c ON c.municipality_id = s.prefecture_id AND c.id = s.conference_id
     WHERE s.municipality_id = $1 AND s.case_id = ANY($2::uuid[]) ORDER BY s.submitted_at, s.id`, [mid, caseIds]);
  const out = [];
  for (const s of rows) {
    const { rows: qs } = await db.query<{ seq: number; text: string }>('SELECT seq, text FROM expert_question WHERE municipality_id = $1 AND submission_id = $2 ORDER BY seq', [mid, s.id]);
    const { rows: advice } = await db.query<{ seq: number; seat: string; text: string }>(
      'SELECT question_seq AS seq, seat, text FROM expert_advice WHERE municipality_id = $1 AND submission_id = $2 ORDER BY question_seq, seat', [mid, s.id]);
    const notes = [
      `多職種専門チームへの相談（${warekiDate(s.heldOn)}の会議、ケースコード ${s.caseCode}${s.ageBand ? `、${s.ageBand}` : ''}）`,
      `相談の背景: ${s.background}`,
      ...qs.flatMap((q) => [`質問${q.seq}: ${q.text}`, ...advice.filter((a) => a.seq === q.seq).map((a) => `助言（${a.seat}）: ${a.text}`)]),
    ].join('\n');
    out.push({ id: s.id, caseId: s.caseId, occurredAt: s.submittedAt.toISOString(), kind: 'expert_consultation' as const, organizationId: s.organizationId, notes, nextStep: null, createdAt: s.submittedAt });
  }
  return out;
}

/** Removes the submissions of cases being disposed of (retention), with their questions and advice. */
export async function deleteExpertRecordsOfCases(tx: Db, mid: string, caseIds: string[]): Promise<number> {
  const where = `municipality_id = $1 AND submission_id IN (SELECT id FROM expert_submission WHERE municipality_id = $1 AND case_id = ANY($2::uuid[]))`;
  await tx.query(`DELETE FROM expert_advice WHERE ${where}`, [mid, caseIds]);
  await tx.query(`DELETE FROM expert_question WHERE ${where}`, [mid, caseIds]);
  const { rowCount } = await tx.query('DELETE FROM expert_submission WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])', [mid, caseIds]);
  return rowCount ?? 0;
}
