import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, notFound, type FieldError } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { fiscalYearLabel, fiscalYearOfDate, fiscalYearRange, japanDate, warekiDate, warekiDay } from '../../lib/fiscal.ts';
import type { Role } from '../auth/roles.ts';
import { recordAudit } from '../audit/service.ts';
import { getMunicipality, listOrganizations, listPartnerGroups, type Municipality } from '../network/service.ts';
import { enqueueMessage } from '../notifications/service.ts';
import { tablesToCsv, tablesToXlsx, type Table } from '../stats/export.ts';
import { coveredMunicipalities } from './coverage.ts';
import type { FiguresRow, Invitee, InviteeKind, InviteeTally, Meeting, MeetingFigures, MeetingInput, MeetingKind, MeetingSummary, Registration, RegistrationInput, Tally } from './supporterMeetingTypes.ts';

/**
 * 支援者交流会・研修: exchange meetings and trainings the prefecture's centre
 * holds for the staff of the municipalities it covers and of its partner
 * groups (連携団体: the organisations of the prefecture's profile with a
 * partner agreement). The centre invites; each invited municipality's hub and
 * window staff get an alert and register themselves or colleagues until the
 * deadline, within the capacity; the centre records partner groups'
 * registrations (they arrive by phone or email), marks attendance after the
 * day and counts per municipality and fiscal year. Registrants are staff:
 * nothing here refers to a resident or a case.
 */

export { MEETING_KINDS } from './supporterMeetingTypes.ts';
export type { FiguresRow, Invitee, InviteeKind, InviteeTally, Meeting, MeetingFigures, MeetingInput, MeetingKind, MeetingSummary, Registration, RegistrationInput, Tally } from './supporterMeetingTypes.ts';

export const MEETING_FULL = 'This meeting is full: the last place has just been taken.';
export const ALREADY_REGISTERED = 'This person is already registered for this meeting.';

/** The municipal staff who receive the invitations and register for their municipality. */
const MUNICIPAL_ROLES: Role[] = ['hub_coordinator', 'municipal_window'];

type Scope = { centre: Municipality } | { municipality: Municipality };

/**
 * The centre's staff manage; a municipality's hub and window staff see what
 * their municipality is invited to. Anyone else finds nothing (404), as if
 * the meetings did not exist.
 */
async function scopeOf(db: Db, actor: Actor): Promise<Scope> {
  if (actor.municipalityId && actor.role) {
    const m = await getMunicipality(db, actor.municipalityId);
    if (actor.role === 'prefecture_staff' && m.kind === 'prefecture') return { centre: m };
    if (MUNICIPAL_ROLES.includes(actor.role as Role) && m.kind === 'municipality') return { municipality: m };
  }
  throw notFound('supporters’ meeting');
}

async function centreOf(db: Db, actor: Actor): Promise<Municipality> {
  const s = await scopeOf(db, actor);
  if (!('centre' in s)) throw notFound('supporters’ meeting');
  return s.centre;
}

async function audit(tx: Db, clock: Clock, actor: Actor, tenants: string[], action: string, entityType: string, entityId: string, details: Record<string, unknown>) {
  for (const municipalityId of new Set(tenants)) await recordAudit(tx, clock, actor, { municipalityId, action, entityType, entityId, reason: 'supporters’ meeting', details });
}

/** Who the centre may invite: the municipalities it covers and its partner groups. */
export async function invitables(db: Db, centre: Municipality): Promise<{ municipalities: Invitee[]; partners: Invitee[] }> {
  const municipalities = (await coveredMunicipalities(db, centre)).map((m) => ({ kind: 'municipality' as const, id: m.id, code: m.code, name: m.name }));
  const partners = (await listPartnerGroups(db, centre.id)).map((g) => ({ kind: 'partner' as const, id: g.id, code: null, name: g.name }));
  return { municipalities, partners };
}

export async function listInvitables({ db }: Deps, actor: Actor) {
  return invitables(db, await centreOf(db, actor));
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const personKey = (name: string) => name.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

function checkMeeting(input: MeetingInput, today: string, problems: FieldError[], dateChanged = true) {
  if (!input.title.trim()) problems.push({ field: 'title', message: 'Give the meeting a title.' });
  if (!TIME.test(input.startTime)) problems.push({ field: 'startTime', message: 'Give the time as HH:MM (24 hours).' });
  if (input.endTime && (!TIME.test(input.endTime) || input.endTime <= input.startTime)) problems.push({ field: 'endTime', message: 'The end time comes after the start time.' });
  if (dateChanged && input.date < today) problems.push({ field: 'date', message: 'A meeting is planned ahead: the date cannot be in the past.' });
  if (input.registrationDeadline > input.date) problems.push({ field: 'registrationDeadline', message: 'The registration deadline is on or before the day of the meeting.' });
  if (!input.place?.trim() && !input.online) problems.push({ field: 'place', message: 'Give the place, or hold the meeting online.' });
}

/** The invitees the input names, checked against the centre's municipalities and partner groups. */
async function resolveInvitees(db: Db, centre: Municipality, input: Pick<MeetingInput, 'allMunicipalities' | 'municipalityCodes' | 'partnerIds'>, problems: FieldError[]): Promise<Invitee[]> {
  const { municipalities, partners } = await invitables(db, centre);
  const chosen: Invitee[] = input.allMunicipalities ? municipalities : [];
  if (!input.allMunicipalities)
    for (const code of new Set(input.municipalityCodes)) {
      const m = municipalities.find((x) => x.code === code);
      if (m) chosen.push(m);
      else problems.push({ field: 'municipalityCodes', message: `No municipality ${code} is covered by this centre.` });
    }
  for (const id of new Set(input.partnerIds)) {
    const p = partners.find((x) => x.id === id);
    if (p) chosen.push(p);
    else problems.push({ field: 'partnerIds', message: 'No partner group with that id.' });
  }
  if (!chosen.length && !problems.some((p) => p.field === 'municipalityCodes' || p.field === 'partnerIds')) problems.push({ field: 'municipalityCodes', message: 'Invite at least one municipality or partner group.' });
  return chosen;
}

/** The invitation alert to a municipality's hub and window staff, in their own tenant, with a link to the meeting list. */
async function invite(tx: Db, clock: Clock, meetingId: string, m: Invitee, input: Pick<MeetingInput, 'kind' | 'title' | 'date' | 'startTime' | 'registrationDeadline'>) {
  const kind = input.kind === 'training' ? '研修' : '支援者交流会';
  for (const toRole of MUNICIPAL_ROLES)
    await enqueueMessage(tx, clock, {
      municipalityId: m.id, kind: 'supporter_meeting_invitation', toRole,
      subject: `【${kind}のご案内】${input.title}（${warekiDay(input.date)}${input.startTime}〜）`,
      body: [
        `東京都ひきこもりサポートネット等の都道府県センターから、${kind}「${input.title}」のご案内が届いています。`,
        `申込期限は${warekiDate(input.registrationDeadline)}です。`,
        '「支援者交流会・研修」の画面（/supporter-meetings）で内容を確認し、参加する職員を申し込んでください。',
      ].join('\n'),
      entityType: 'supporter_meeting', entityId: meetingId,
    });
}

export async function createMeeting({ db, clock }: Deps, actor: Actor, input: MeetingInput): Promise<Meeting> {
  const centre = await centreOf(db, actor);
  const problems: FieldError[] = [];
  checkMeeting(input, japanDate(clock.now()), problems);
  const invitees = await resolveInvitees(db, centre, input, problems);
  if (problems.length) throw badRequest('The meeting is not valid.', problems);
  const id = randomUUID();
  const now = clock.now();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO supporter_meeting (municipality_id, id, kind, title, held_on, starts_at, ends_at, place, online, capacity, registration_deadline, description,
         invite_all_covered, created_at, created_by, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$14)`,
      [centre.id, id, input.kind, input.title.trim(), input.date, input.startTime, input.endTime || null, input.place?.trim() || null, input.online, input.capacity,
        input.registrationDeadline, input.description?.trim() || null, input.allMunicipalities, now, actor.userId]);
    for (const i of invitees) {
      await tx.query('INSERT INTO supporter_meeting_invitee (municipality_id, meeting_id, invitee_kind, invitee_id) VALUES ($1,$2,$3,$4)', [centre.id, id, i.kind, i.id]);
      if (i.kind === 'municipality') await invite(tx, clock, id, i, input);
    }
    await audit(tx, clock, actor, [centre.id], 'supporter_meeting.create', 'supporter_meeting', id, { kind: input.kind, date: input.date, invitees: invitees.length });
  });
  return getMeeting({ db, clock }, actor, id);
}

interface MeetingRow {
  municipality_id: string; id: string; kind: MeetingKind; title: string; held_on: string; starts_at: string; ends_at: string | null; place: string | null; online: boolean;
  capacity: number; registration_deadline: string; description: string | null; invite_all_covered: boolean; cancelled_at: Date | null; cancel_reason: string | null;
  version: number; registered: number;
}

const MEETING_SELECT = `SELECT s.municipality_id, s.id, s.kind, s.title, to_char(s.held_on, 'YYYY-MM-DD') AS held_on, to_char(s.starts_at, 'HH24:MI') AS starts_at,
  to_char(s.ends_at, 'HH24:MI') AS ends_at, s.place, s.online, s.capacity, to_char(s.registration_deadline, 'YYYY-MM-DD') AS registration_deadline, s.description,
  s.invite_all_covered, s.cancelled_at, s.cancel_reason, s.version,
  (SELECT count(*)::int FROM supporter_meeting_registration r WHERE r.municipality_id = s.municipality_id AND r.meeting_id = s.id AND r.cancelled_at IS NULL AND NOT r.walk_in) AS registered
  FROM supporter_meeting s`;

function summaryOf(r: MeetingRow, today: string): MeetingSummary {
  const free = Math.max(0, r.capacity - r.registered);
  return {
    id: r.id, kind: r.kind, title: r.title, date: r.held_on, dateLabel: warekiDay(r.held_on), startTime: r.starts_at, endTime: r.ends_at, place: r.place, online: r.online,
    capacity: r.capacity, registered: r.registered, free, registrationDeadline: r.registration_deadline, deadlineLabel: warekiDate(r.registration_deadline),
    open: !r.cancelled_at && today <= r.registration_deadline && free > 0, held: r.held_on <= today,
    cancelled: r.cancelled_at ? { at: r.cancelled_at, reason: r.cancel_reason ?? '' } : null,
  };
}

/** The meetings of a fiscal year: the centre's all, municipal staff's those their municipality is invited to. */
export async function listMeetings({ db, clock }: Deps, actor: Actor, q: { fiscalYear?: number }): Promise<MeetingSummary[]> {
  const scope = await scopeOf(db, actor);
  const today = japanDate(clock.now());
  const { from, to } = fiscalYearRange(q.fiscalYear ?? fiscalYearOfDate(today));
  const { rows } = 'centre' in scope
    ? await db.query<MeetingRow>(`${MEETING_SELECT} WHERE s.municipality_id = $1 AND s.held_on BETWEEN $2 AND $3 ORDER BY s.held_on, s.starts_at`, [scope.centre.id, from, to])
    : await db.query<MeetingRow>(
      `${MEETING_SELECT} WHERE s.held_on BETWEEN $2 AND $3 AND EXISTS (SELECT 1 FROM supporter_meeting_invitee i
         WHERE i.municipality_id = s.municipality_id AND i.meeting_id = s.id AND i.invitee_id = $1) ORDER BY s.held_on, s.starts_at`, [scope.municipality.id, from, to]);
  return rows.map((r) => summaryOf(r, today));
}

/**
 * The meeting, if the scope may see it: the centre's own, or one the
 * municipality is invited to. Locked, it is read again after the lock is
 * held, so its count of registrations includes those committed while this
 * transaction waited (the count of a statement that waited for the lock
 * would be of the snapshot taken before).
 */
async function loadMeeting(db: Db, scope: Scope, id: string, lock = false): Promise<MeetingRow> {
  const { rows } = 'centre' in scope
    ? await db.query<MeetingRow>(`${MEETING_SELECT} WHERE s.municipality_id = $1 AND s.id = $2`, [scope.centre.id, id])
    : await db.query<MeetingRow>(
      `${MEETING_SELECT} WHERE s.id = $2 AND EXISTS (SELECT 1 FROM supporter_meeting_invitee i
         WHERE i.municipality_id = s.municipality_id AND i.meeting_id = s.id AND i.invitee_id = $1)`, [scope.municipality.id, id]);
  if (!rows[0]) throw notFound('supporters’ meeting');
  if (!lock) return rows[0];
  await db.query('SELECT 1 FROM supporter_meeting WHERE municipality_id = $1 AND id = $2 FOR UPDATE', [rows[0].municipality_id, id]);
  return (await db.query<MeetingRow>(`${MEETING_SELECT} WHERE s.municipality_id = $1 AND s.id = $2`, [rows[0].municipality_id, id])).rows[0];
}

/** Names of a meeting's invitees: its municipalities and the centre's organisations. */
async function inviteeNames(db: Db, centreId: string): Promise<Map<string, Invitee>> {
  const centre = await getMunicipality(db, centreId);
  const { municipalities, partners } = await invitables(db, centre);
  const names = new Map<string, Invitee>([...municipalities, ...partners].map((i) => [i.id, i]));
  // a partner group no longer active keeps its name on earlier meetings
  for (const o of await listOrganizations(db, centreId, { includeInactive: true })) if (!names.has(o.id)) names.set(o.id, { kind: 'partner', id: o.id, code: null, name: o.name });
  return names;
}

const unknownInvitee = (kind: InviteeKind, id: string): Invitee => ({ kind, id, code: null, name: '—' });

interface RegistrationRow {
  id: string; invitee_id: string; invitee_kind: InviteeKind; name: string; section: string | null; job: string | null; email: string | null; walk_in: boolean;
  attended: boolean | null; registered_at: Date;
}

/**
 * A meeting with its invitees' tallies and its registrations: the centre sees
 * them all; municipal staff see their own municipality's only.
 */
export async function getMeeting({ db, clock }: Deps, actor: Actor, id: string): Promise<Meeting> {
  const scope = await scopeOf(db, actor);
  const m = await loadMeeting(db, scope, id);
  const own = 'municipality' in scope ? scope.municipality.id : null;
  const names = await inviteeNames(db, m.municipality_id);
  const { rows: invited } = await db.query<{ invitee_kind: InviteeKind; invitee_id: string }>(
    'SELECT invitee_kind, invitee_id FROM supporter_meeting_invitee WHERE municipality_id = $1 AND meeting_id = $2 AND ($3::uuid IS NULL OR invitee_id = $3::uuid)',
    [m.municipality_id, id, own]);
  const { rows } = await db.query<RegistrationRow>(
    `SELECT r.id, r.invitee_id, i.invitee_kind, r.name, r.section, r.job, r.email, r.walk_in, r.attended, r.registered_at FROM supporter_meeting_registration r
     JOIN supporter_meeting_invitee i ON i.municipality_id = r.municipality_id AND i.meeting_id = r.meeting_id AND i.invitee_id = r.invitee_id
     WHERE r.municipality_id = $1 AND r.meeting_id = $2 AND r.cancelled_at IS NULL AND ($3::uuid IS NULL OR r.invitee_id = $3::uuid)
     ORDER BY r.registered_at, r.name, r.id`, [m.municipality_id, id, own]);
  const nameOf = (kind: InviteeKind, inviteeId: string) => names.get(inviteeId) ?? unknownInvitee(kind, inviteeId);
  const invitees: InviteeTally[] = invited.map((i) => {
    const mine = rows.filter((r) => r.invitee_id === i.invitee_id);
    return { ...nameOf(i.invitee_kind, i.invitee_id), registered: mine.filter((r) => !r.walk_in).length, attended: mine.filter((r) => r.attended).length };
  }).sort((a, b) => (a.kind === b.kind ? (a.code ?? a.name).localeCompare(b.code ?? b.name) : a.kind === 'municipality' ? -1 : 1));
  const registrations: Registration[] = rows.map((r) => ({
    id: r.id, invitee: nameOf(r.invitee_kind, r.invitee_id), name: r.name, section: r.section, job: r.job, email: r.email, walkIn: r.walk_in, attended: r.attended, registeredAt: r.registered_at,
  }));
  if (rows.length) await audit(db, clock, actor, [actor.municipalityId!], 'supporter_meeting.read', 'supporter_meeting', id, { registrations: rows.length });
  return { ...summaryOf(m, japanDate(clock.now())), description: m.description, allMunicipalities: m.invite_all_covered, version: m.version, invitees, registrations };
}

export type MeetingChanges = Partial<MeetingInput> & { version: number };

/**
 * Changes a meeting until it is held. Newly invited municipalities get the
 * invitation; an invitee with registrations cannot be dropped, nor the
 * capacity set below the registrations made.
 */
export async function updateMeeting({ db, clock }: Deps, actor: Actor, id: string, changes: MeetingChanges): Promise<Meeting> {
  const centre = await centreOf(db, actor);
  const today = japanDate(clock.now());
  await db.transaction(async (tx) => {
    const m = await loadMeeting(tx, { centre }, id, true);
    if (m.cancelled_at) throw conflict('This meeting was cancelled and can no longer be changed.');
    if (m.held_on < today) throw conflict('This meeting has been held and can no longer be changed.');
    if (m.version !== changes.version) throw conflict('Someone else changed this meeting meanwhile. Reload it and make your change again.');
    const { rows: current } = await tx.query<{ invitee_kind: InviteeKind; invitee_id: string; registered: number }>(
      `SELECT i.invitee_kind, i.invitee_id, (SELECT count(*)::int FROM supporter_meeting_registration r WHERE r.municipality_id = i.municipality_id
         AND r.meeting_id = i.meeting_id AND r.invitee_id = i.invitee_id AND r.cancelled_at IS NULL) AS registered
       FROM supporter_meeting_invitee i WHERE i.municipality_id = $1 AND i.meeting_id = $2`, [centre.id, id]);
    const next: MeetingInput = {
      kind: changes.kind ?? m.kind, title: changes.title ?? m.title, date: changes.date ?? m.held_on, startTime: changes.startTime ?? m.starts_at,
      endTime: changes.endTime !== undefined ? changes.endTime : m.ends_at, place: changes.place !== undefined ? changes.place : m.place, online: changes.online ?? m.online,
      capacity: changes.capacity ?? m.capacity, registrationDeadline: changes.registrationDeadline ?? m.registration_deadline,
      description: changes.description !== undefined ? changes.description : m.description,
      allMunicipalities: changes.allMunicipalities ?? m.invite_all_covered,
      municipalityCodes: changes.municipalityCodes ?? [], partnerIds: changes.partnerIds ?? current.filter((c) => c.invitee_kind === 'partner').map((c) => c.invitee_id),
    };
    const problems: FieldError[] = [];
    checkMeeting(next, today, problems, changes.date !== undefined);
    const registered = current.reduce((n, c) => n + c.registered, 0);
    if (next.capacity < registered) problems.push({ field: 'capacity', message: `The capacity cannot be less than the ${registered} registered.` });
    let invitees: Invitee[] | null = null;
    const inviteesChanged = changes.allMunicipalities !== undefined || changes.municipalityCodes !== undefined || changes.partnerIds !== undefined;
    if (inviteesChanged) {
      if (changes.allMunicipalities === undefined && changes.municipalityCodes === undefined) {
        // only the partner groups change: the municipalities stay as they are
        const names = await inviteeNames(tx, centre.id);
        next.municipalityCodes = current.filter((c) => c.invitee_kind === 'municipality').map((c) => names.get(c.invitee_id)?.code).filter((c): c is string => !!c);
      }
      invitees = await resolveInvitees(tx, centre, next, problems);
      const kept = new Set(invitees.map((i) => i.id));
      if (current.some((c) => c.registered > 0 && !kept.has(c.invitee_id)))
        problems.push({ field: 'municipalityCodes', message: 'An invitee with registrations stays invited: cancel their registrations first.' });
    }
    if (problems.length) throw badRequest('The meeting is not valid.', problems);
    await tx.query(
      `UPDATE supporter_meeting SET kind = $3, title = $4, held_on = $5, starts_at = $6, ends_at = $7, place = $8, online = $9, capacity = $10, registration_deadline = $11,
         description = $12, invite_all_covered = $13, version = version + 1, updated_at = $14 WHERE municipality_id = $1 AND id = $2`,
      [centre.id, id, next.kind, next.title.trim(), next.date, next.startTime, next.endTime || null, next.place?.trim() || null, next.online, next.capacity,
        next.registrationDeadline, next.description?.trim() || null, next.allMunicipalities, clock.now()]);
    if (invitees) {
      const before = new Set(current.map((c) => c.invitee_id));
      const kept = new Set(invitees.map((i) => i.id));
      for (const c of current) if (!kept.has(c.invitee_id))
        await tx.query('DELETE FROM supporter_meeting_invitee WHERE municipality_id = $1 AND meeting_id = $2 AND invitee_id = $3', [centre.id, id, c.invitee_id]);
      for (const i of invitees) if (!before.has(i.id)) {
        await tx.query('INSERT INTO supporter_meeting_invitee (municipality_id, meeting_id, invitee_kind, invitee_id) VALUES ($1,$2,$3,$4)', [centre.id, id, i.kind, i.id]);
        if (i.kind === 'municipality') await invite(tx, clock, id, i, next);
      }
    }
    await audit(tx, clock, actor, [centre.id], 'supporter_meeting.update', 'supporter_meeting', id, { fields: Object.keys(changes).filter((k) => k !== 'version') });
  });
  return getMeeting({ db, clock }, actor, id);
}

/**
 * Cancels a meeting with its reason. Every invited municipality's hub and
 * window staff are told, with how many of theirs had registered; the centre
 * is given the partner groups' registrants to tell them (they registered by
 * phone or email).
 */
export async function cancelMeeting({ db, clock }: Deps, actor: Actor, id: string, reason: string): Promise<Meeting> {
  const centre = await centreOf(db, actor);
  if (!reason.trim()) throw badRequest('The cancellation is not valid.', [{ field: 'reason', message: 'Say why the meeting is cancelled: the registrants are told.' }]);
  await db.transaction(async (tx) => {
    const m = await loadMeeting(tx, { centre }, id, true);
    if (m.cancelled_at) throw conflict('This meeting was cancelled and can no longer be changed.');
    if (m.held_on < japanDate(clock.now())) throw conflict('This meeting has been held and can no longer be changed.');
    await tx.query('UPDATE supporter_meeting SET cancelled_at = $3, cancelled_by = $4, cancel_reason = $5, version = version + 1, updated_at = $3 WHERE municipality_id = $1 AND id = $2',
      [centre.id, id, clock.now(), actor.userId, reason.trim()]);
    const { rows } = await tx.query<{ invitee_kind: InviteeKind; invitee_id: string; registered: number; partner_registrants: string[] }>(
      `SELECT i.invitee_kind, i.invitee_id, count(r.id)::int AS registered, COALESCE(array_agg(r.name ORDER BY r.name) FILTER (WHERE r.id IS NOT NULL), '{}') AS partner_registrants
       FROM supporter_meeting_invitee i LEFT JOIN supporter_meeting_registration r
         ON r.municipality_id = i.municipality_id AND r.meeting_id = i.meeting_id AND r.invitee_id = i.invitee_id AND r.cancelled_at IS NULL
       WHERE i.municipality_id = $1 AND i.meeting_id = $2 GROUP BY i.invitee_kind, i.invitee_id`, [centre.id, id]);
    const kind = m.kind === 'training' ? '研修' : '支援者交流会';
    const subject = `【中止】${kind}「${m.title}」（${warekiDay(m.held_on)}）`;
    for (const r of rows.filter((x) => x.invitee_kind === 'municipality'))
      for (const toRole of MUNICIPAL_ROLES)
        await enqueueMessage(tx, clock, {
          municipalityId: r.invitee_id, kind: 'supporter_meeting_cancelled', toRole, subject,
          body: [`${kind}「${m.title}」は中止になりました。`, `理由：${reason.trim()}`,
            r.registered ? `貴自治体からの申込み${r.registered}名に、中止をお伝えください。` : '貴自治体からの申込みはありませんでした。'].join('\n'),
          entityType: 'supporter_meeting', entityId: id,
        });
    const partners = rows.filter((x) => x.invitee_kind === 'partner' && x.registered > 0);
    if (partners.length) {
      const names = await inviteeNames(tx, centre.id);
      await enqueueMessage(tx, clock, {
        municipalityId: centre.id, kind: 'supporter_meeting_partners_to_tell', toRole: 'prefecture_staff', subject,
        body: [`${kind}「${m.title}」の中止を、電話・メールで申し込んだ連携団体の参加予定者に連絡してください。`,
          ...partners.map((p) => `${names.get(p.invitee_id)?.name ?? '—'}：${p.partner_registrants.join('、')}`)].join('\n'),
        entityType: 'supporter_meeting', entityId: id,
      });
    }
    await audit(tx, clock, actor, [centre.id], 'supporter_meeting.cancel', 'supporter_meeting', id, { reason: reason.trim() });
  });
  return getMeeting({ db, clock }, actor, id);
}

/**
 * Registers a staff member. Municipal staff register for their own
 * municipality until the deadline; the centre records registrations on an
 * invitee's behalf (and walk-ins after the day). The meeting row is locked
 * while the places are counted, so two registrations for the last place
 * cannot both succeed: the second is told the meeting is full (409).
 */
export async function register({ db, clock }: Deps, actor: Actor, meetingId: string, input: RegistrationInput): Promise<Meeting> {
  const scope = await scopeOf(db, actor);
  const centre = 'centre' in scope;
  const problems: FieldError[] = [];
  if (!input.name.trim()) problems.push({ field: 'name', message: 'Give the name of the person who attends.' });
  if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) problems.push({ field: 'email', message: 'Give a valid email address.' });
  if (!centre && input.inviteeId !== undefined) problems.push({ field: 'inviteeId', message: 'Municipal staff register for their own municipality.' });
  if (!centre && input.walkIn) problems.push({ field: 'walkIn', message: 'The centre records who came without registering.' });
  if (centre && !input.inviteeId) problems.push({ field: 'inviteeId', message: 'Choose the municipality or partner group the person comes from.' });
  if (problems.length) throw badRequest('The registration is not valid.', problems);
  const today = japanDate(clock.now());
  const id = randomUUID();
  try {
    await db.transaction(async (tx) => {
      const m = await loadMeeting(tx, scope, meetingId, true);
      const inviteeId = 'municipality' in scope ? scope.municipality.id : input.inviteeId!;
      const invited = await tx.query('SELECT 1 FROM supporter_meeting_invitee WHERE municipality_id = $1 AND meeting_id = $2 AND invitee_id = $3', [m.municipality_id, meetingId, inviteeId]);
      if (!invited.rows.length) throw badRequest('The registration is not valid.', [{ field: 'inviteeId', message: 'That municipality or partner group is not invited to this meeting.' }]);
      if (m.cancelled_at) throw conflict('This meeting was cancelled: registration is closed.');
      if (input.walkIn) {
        if (m.held_on > today) throw badRequest('The registration is not valid.', [{ field: 'walkIn', message: 'Walk-ins are recorded on or after the day of the meeting.' }]);
      } else {
        if (m.held_on < today) throw conflict('This meeting has been held: registration is closed.');
        // the centre may still take a registration by phone after the deadline; municipal staff may not
        if (!centre && m.registration_deadline < today) throw conflict(`Registration closed on the deadline (${warekiDate(m.registration_deadline)}).`);
        if (m.registered >= m.capacity) throw conflict(MEETING_FULL);
      }
      const key = personKey(input.name);
      const dup = await tx.query('SELECT 1 FROM supporter_meeting_registration WHERE municipality_id = $1 AND meeting_id = $2 AND invitee_id = $3 AND person_key = $4 AND cancelled_at IS NULL',
        [m.municipality_id, meetingId, inviteeId, key]);
      if (dup.rows.length) throw conflict(ALREADY_REGISTERED);
      const now = clock.now();
      await tx.query(
        `INSERT INTO supporter_meeting_registration (municipality_id, id, meeting_id, invitee_id, name, person_key, section, job, email, walk_in, attended, attendance_at, attendance_by,
           registered_at, registered_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)`,
        [m.municipality_id, id, meetingId, inviteeId, input.name.trim(), key, input.section?.trim() || null, input.job?.trim() || null, input.email?.trim() || null,
          !!input.walkIn, input.walkIn ? true : null, input.walkIn ? now : null, input.walkIn ? actor.userId : null, now, actor.userId]);
      await audit(tx, clock, actor, [m.municipality_id, actor.municipalityId!], input.walkIn ? 'supporter_meeting.walk_in' : 'supporter_meeting.register',
        'supporter_meeting_registration', id, { meetingId, inviteeId });
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(ALREADY_REGISTERED);
    throw e;
  }
  return getMeeting({ db, clock }, actor, meetingId);
}

async function loadRegistration(tx: Db, scope: Scope, id: string) {
  const { rows } = await tx.query<{ municipality_id: string; meeting_id: string; invitee_id: string; held_on: string; cancelled: boolean }>(
    `SELECT r.municipality_id, r.meeting_id, r.invitee_id, to_char(s.held_on, 'YYYY-MM-DD') AS held_on, s.cancelled_at IS NOT NULL AS cancelled
     FROM supporter_meeting_registration r JOIN supporter_meeting s ON s.municipality_id = r.municipality_id AND s.id = r.meeting_id
     WHERE r.id = $1 AND r.cancelled_at IS NULL AND ${'centre' in scope ? 'r.municipality_id = $2' : 'r.invitee_id = $2'} FOR UPDATE OF r`,
    [id, 'centre' in scope ? scope.centre.id : scope.municipality.id]);
  if (!rows[0]) throw notFound('registration');
  return rows[0];
}

/** Cancels a registration: municipal staff their own municipality's, the centre any; the place is free again. */
export async function cancelRegistration({ db, clock }: Deps, actor: Actor, id: string): Promise<Meeting> {
  const scope = await scopeOf(db, actor);
  const meetingId = await db.transaction(async (tx) => {
    const r = await loadRegistration(tx, scope, id);
    if (r.held_on < japanDate(clock.now())) throw conflict('This meeting has been held: mark the registrant absent instead.');
    await tx.query('UPDATE supporter_meeting_registration SET cancelled_at = $3, cancelled_by = $4 WHERE municipality_id = $1 AND id = $2', [r.municipality_id, id, clock.now(), actor.userId]);
    await audit(tx, clock, actor, [r.municipality_id, actor.municipalityId!], 'supporter_meeting.unregister', 'supporter_meeting_registration', id, { meetingId: r.meeting_id });
    return r.meeting_id;
  });
  return getMeeting({ db, clock }, actor, meetingId);
}

/** After the day, the centre marks a registrant attended or absent. */
export async function markAttendance({ db, clock }: Deps, actor: Actor, id: string, attended: boolean): Promise<Meeting> {
  const centre = await centreOf(db, actor);
  const meetingId = await db.transaction(async (tx) => {
    const r = await loadRegistration(tx, { centre }, id);
    if (r.cancelled) throw conflict('This meeting was cancelled: there is no attendance to record.');
    if (r.held_on > japanDate(clock.now())) throw badRequest('The attendance is not valid.', [{ field: 'attended', message: 'Attendance is recorded on or after the day of the meeting.' }]);
    await tx.query('UPDATE supporter_meeting_registration SET attended = $3, attendance_at = $4, attendance_by = $5 WHERE municipality_id = $1 AND id = $2',
      [r.municipality_id, id, attended, clock.now(), actor.userId]);
    await audit(tx, clock, actor, [centre.id], 'supporter_meeting.attendance', 'supporter_meeting_registration', id, { meetingId: r.meeting_id, attended });
    return r.meeting_id;
  });
  return getMeeting({ db, clock }, actor, meetingId);
}

/**
 * Per fiscal year (年度, by the day the meeting is held) and invitee: the
 * meetings it was invited to (cancelled ones left out), its registrations and
 * attendance, by kind. The centre sees every municipality it covers and its
 * partner groups; municipal staff their own municipality's row. Staff
 * figures: no resident is counted, nothing is suppressed.
 */
export async function supporterMeetingFigures({ db }: Deps, actor: Actor, fiscalYear: number): Promise<MeetingFigures> {
  const scope = await scopeOf(db, actor);
  const { from, to } = fiscalYearRange(fiscalYear);
  const own = 'municipality' in scope ? scope.municipality : null;
  const { rows } = await db.query<{ invitee_id: string; kind: MeetingKind; invited: number; registered: number; attended: number }>(
    `SELECT i.invitee_id, s.kind, count(DISTINCT s.id)::int AS invited,
       count(r.id) FILTER (WHERE NOT r.walk_in)::int AS registered, count(r.id) FILTER (WHERE r.attended)::int AS attended
     FROM supporter_meeting s JOIN supporter_meeting_invitee i ON i.municipality_id = s.municipality_id AND i.meeting_id = s.id
     LEFT JOIN supporter_meeting_registration r ON r.municipality_id = i.municipality_id AND r.meeting_id = i.meeting_id AND r.invitee_id = i.invitee_id AND r.cancelled_at IS NULL
     WHERE ($1::uuid IS NULL OR s.municipality_id = $1::uuid) AND ($2::uuid IS NULL OR i.invitee_id = $2::uuid) AND s.held_on BETWEEN $3 AND $4 AND s.cancelled_at IS NULL
     GROUP BY i.invitee_id, s.kind`, ['centre' in scope ? scope.centre.id : null, own?.id ?? null, from, to]);
  let listed: Invitee[] = own ? [{ kind: 'municipality', id: own.id, code: own.code, name: own.name }] : [];
  if ('centre' in scope) {
    const names = await inviteeNames(db, scope.centre.id);
    const { municipalities, partners } = await invitables(db, scope.centre);
    listed = [...municipalities, ...partners];
    // a partner group no longer active still shows where it took part that year
    for (const r of rows) if (!listed.some((i) => i.id === r.invitee_id)) listed.push(names.get(r.invitee_id) ?? unknownInvitee('partner', r.invitee_id));
  }
  const zero = (): Tally => ({ invited: 0, registered: 0, attended: 0 });
  return {
    fiscalYear, label: fiscalYearLabel(fiscalYear),
    rows: listed.map((invitee) => {
      const row: FiguresRow = { invitee, exchange: zero(), training: zero(), total: zero() };
      for (const r of rows.filter((x) => x.invitee_id === invitee.id))
        for (const t of [row[r.kind], row.total]) {
          t.invited += r.invited;
          t.registered += r.registered;
          t.attended += r.attended;
        }
      return row;
    }),
  };
}

export type FiguresFormat = 'xlsx' | 'csv' | 'sjis.csv';

/**
 * The figures as a file through the figures module's exporters: one sheet
 * (区市町村・連携団体別) with the 年度 in 和暦 on every row, as xlsx or as
 * the long CSV (UTF-8 with BOM, or Shift_JIS).
 */
export async function supporterMeetingFiguresFile(deps: Deps, actor: Actor, fiscalYear: number, format: FiguresFormat): Promise<{ file: Buffer; name: string }> {
  const f = await supporterMeetingFigures(deps, actor, fiscalYear);
  const { from, to } = fiscalYearRange(fiscalYear);
  const cells = (t: Tally) => [t.invited, t.registered, t.attended];
  const table: Table = {
    sheet: '区市町村・連携団体別',
    headers: ['招待先', '区分', '交流会_招待', '交流会_申込', '交流会_出席', '研修_招待', '研修_申込', '研修_出席', '計_招待', '計_申込', '計_出席'],
    rows: f.rows.map((r) => [r.invitee.name, r.invitee.kind === 'municipality' ? '区市町村' : '連携団体', ...cells(r.exchange), ...cells(r.training), ...cells(r.total)]),
  };
  const set = {
    tables: [table], period: { headers: ['年度（和暦）', '年度', '期間（開始）', '期間（終了）'], values: [f.label, fiscalYear, from, to] },
    created: new Date(`${from}T00:00:00+09:00`),
    about: [['対象', '支援者交流会・研修（中止した会を除く、開催日の年度で集計）'], ['申込', '当日参加を除く申込み（取消しを除く）'], ['出席', '当日参加を含む']] as [string, string][],
  };
  await recordAudit(deps.db, deps.clock, actor, { municipalityId: actor.municipalityId!, action: 'supporter_meeting.export', entityType: 'supporter_meeting', reason: 'supporters’ meeting figures', details: { fiscalYear, format } });
  const name = `supporter-meetings-FY${fiscalYear}.${format}`;
  return { file: format === 'xlsx' ? await tablesToXlsx(set) : tablesToCsv(set, format === 'csv' ? 'utf-8' : 'shift_jis'), name };
}
