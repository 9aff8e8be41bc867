import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { decodeKeyset, keysetPage, type Page, type PageParams } from '../../lib/pagination.ts';
import { recordAudit } from '../audit/service.ts';
import { addContactRecord, caseAccess } from '../cases/service.ts';
import { getProgram, listMunicipalities, listOrganizations, listPrograms } from '../network/service.ts';
import { enqueueMessage } from '../notifications/service.ts';
import type { PublicEvent } from '../public/crossing.ts';
import { EVENT_KINDS } from '../public/types.ts';
import type { AttendanceFigures, AttendanceRow, CoMunicipality, CoOrganisedEvent, DropInDay, DropInDayInput, EventInput, EventKind, EventRecord } from './types.ts';
import type { EventCounts } from '../public/events.ts';
import { protectCells, SECONDARY, type Count, type SumGroup } from '../stats/figures.ts';

/**
 * Events, peer groups and drop-in places (講演会・UX女子会・居場所), staff side.
 * An event belongs to the municipality that organises it; co-organising
 * municipalities see its per-municipality counts only. Registrations live on
 * the public side: this side holds the counts it pulls, never a registrant.
 * Attendance is counted without names.
 */

export { EVENT_KINDS };
export type { AttendanceFigures, AttendanceRow, CoMunicipality, CoOrganisedEvent, DropInDay, DropInDayInput, EventInput, EventKind, EventRecord } from './types.ts';
export const DEFAULT_KEEP_DAYS = 30;

interface Row {
  municipality_id: string; id: string; program_id: string | null; kind: EventKind; title: string; description: string | null;
  starts_at: Date; ends_at: Date; place: string | null; online: boolean; capacity: number | null; organizer_org_ids: string[];
  co_municipalities: CoMunicipality[]; published: boolean; registration_open: boolean; registered: number; waiting: number;
  registered_by_municipality: Record<string, number>; counts_pulled_at: Date | null; version: number;
}

const toRecord = (r: Row): EventRecord => ({
  id: r.id, municipalityId: r.municipality_id, programId: r.program_id, kind: r.kind, title: r.title, description: r.description,
  startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString(), place: r.place, online: r.online, capacity: r.capacity,
  organizerOrgIds: r.organizer_org_ids, coMunicipalities: r.co_municipalities, published: r.published, registrationOpen: r.registration_open,
  registered: r.registered, waiting: r.waiting, registeredByMunicipality: r.registered_by_municipality,
  countsPulledAt: r.counts_pulled_at?.toISOString() ?? null, version: r.version,
});

const isHub = (a: Actor) => a.role === 'hub_coordinator';

/** The hub, or staff of an organising organisation, of the organising municipality. */
function canManage(a: Actor, r: Row): boolean {
  return a.municipalityId === r.municipality_id && (isHub(a) || (a.organizationId !== null && r.organizer_org_ids.includes(a.organizationId)));
}

async function loadRow(db: Db, id: string): Promise<Row | null> {
  const { rows } = await db.query<Row>('SELECT * FROM program_event WHERE id = $1', [id]);
  return rows[0] ?? null;
}

/** Staff of a co-organising municipality: counts per municipality only. */
const coOrganises = (a: Actor, r: Row) => r.co_municipalities.some((c) => c.municipalityId && c.municipalityId === a.municipalityId);

async function checkInput(db: Db, mid: string, input: EventInput) {
  const fields: { field: string; message: string }[] = [];
  if (Date.parse(input.endsAt) < Date.parse(input.startsAt)) fields.push({ field: 'endsAt', message: 'The event cannot end before it starts.' });
  if (!input.place?.trim() && !input.online) fields.push({ field: 'place', message: 'Give a place, or mark the event online.' });
  const orgs = new Set((await listOrganizations(db, mid)).map((o) => o.id));
  input.organizerOrgIds.forEach((o, i) => { if (!orgs.has(o)) fields.push({ field: `organizerOrgIds/${i}`, message: 'No such organisation in this municipality.' }); });
  if (input.organizerOrgIds.length === 0) fields.push({ field: 'organizerOrgIds', message: 'Name at least one organising organisation.' });
  if (input.programId) {
    const programs = new Set((await listPrograms(db, mid)).map((p) => p.id));
    if (!programs.has(input.programId)) fields.push({ field: 'programId', message: 'No such program in this municipality.' });
  }
  const munis = new Set((await listMunicipalities(db)).map((m) => m.id));
  (input.coMunicipalities ?? []).forEach((c, i) => {
    if (c.municipalityId && (!munis.has(c.municipalityId) || c.municipalityId === mid)) fields.push({ field: `coMunicipalities/${i}/municipalityId`, message: 'Not another municipality known here.' });
  });
  if (fields.length) throw badRequest(fields[0].message, fields);
}

export async function createEvent({ db, clock }: Deps, actor: Actor, input: EventInput): Promise<EventRecord> {
  const mid = actor.municipalityId!;
  if (!isHub(actor) && !(actor.organizationId && input.organizerOrgIds.includes(actor.organizationId)))
    throw forbidden('Only the hub or an organising organisation may create the event.');
  await checkInput(db, mid, input);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO program_event (municipality_id, id, program_id, kind, title, description, starts_at, ends_at, place, online, capacity,
         organizer_org_ids, co_municipalities, published, registration_open, created_by, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)`,
      [mid, id, input.programId ?? null, input.kind, input.title.trim(), input.description?.trim() || null, new Date(input.startsAt), new Date(input.endsAt),
        input.place?.trim() || null, input.online, input.capacity ?? null, input.organizerOrgIds, JSON.stringify(input.coMunicipalities ?? []),
        input.published, input.registrationOpen ?? true, actor.userId, clock.now()],
    );
    await recordAudit(tx, clock, actor, { action: 'program_event.create', entityType: 'program_event', entityId: id, reason: 'event organisation' });
  });
  return toRecord((await loadRow(db, id))!);
}

export async function updateEvent({ db, clock }: Deps, actor: Actor, id: string, version: number, input: EventInput): Promise<EventRecord> {
  const r = await loadRow(db, id);
  if (!r || r.municipality_id !== actor.municipalityId) throw notFound('event');
  if (!canManage(actor, r)) throw forbidden('Only the hub or an organising organisation may change the event.');
  await checkInput(db, r.municipality_id, input);
  await db.transaction(async (tx) => {
    const { rowCount } = await tx.query(
      `UPDATE program_event SET program_id = $4, kind = $5, title = $6, description = $7, starts_at = $8, ends_at = $9, place = $10, online = $11,
         capacity = $12, organizer_org_ids = $13, co_municipalities = $14, published = $15, registration_open = $16, version = version + 1
       WHERE municipality_id = $1 AND id = $2 AND version = $3`,
      [r.municipality_id, id, version, input.programId ?? null, input.kind, input.title.trim(), input.description?.trim() || null, new Date(input.startsAt),
        new Date(input.endsAt), input.place?.trim() || null, input.online, input.capacity ?? null, input.organizerOrgIds,
        JSON.stringify(input.coMunicipalities ?? []), input.published, input.registrationOpen ?? true],
    );
    if (rowCount === 0) throw conflict('The event was changed by someone else. Reload it and try again.');
    await recordAudit(tx, clock, actor, { action: 'program_event.update', entityType: 'program_event', entityId: id, reason: 'event organisation' });
  });
  return toRecord((await loadRow(db, id))!);
}

/**
 * A page of the municipality's own events, latest start first (ties by id,
 * descending), and the events it co-organises. The co-organised list is not
 * paged: it holds only events that ended within the last 365 days, the
 * longest the public side keeps registrations (event_settings), so older ones
 * have no counts left to show a co-organiser.
 */
export async function listEvents({ db, clock }: Deps, actor: Actor, q: PageParams = {}): Promise<Page<EventRecord> & { coOrganised: CoOrganisedEvent[] }> {
  const mid = actor.municipalityId!;
  const limit = q.limit ?? 50;
  const after = decodeKeyset(q.cursor, ['timestamp', 'uuid']);
  const { rows } = await db.query<Row>(
    `SELECT * FROM program_event WHERE municipality_id = $1 ${after ? 'AND (starts_at, id) < ($3::timestamptz, $4::uuid)' : ''}
     ORDER BY starts_at DESC, id DESC LIMIT $2`,
    [mid, limit + 1, ...(after ?? [])],
  );
  const page = keysetPage(rows, limit, (r) => [r.starts_at, r.id]);
  const { rows: co } = await db.query<Row & { organizer: string }>(
    `SELECT e.*, m.name AS organizer FROM program_event e JOIN municipality m ON m.id = e.municipality_id
     WHERE e.municipality_id <> $1 AND e.co_municipalities @> $2::jsonb AND e.ends_at >= $3::timestamptz - interval '365 days' ORDER BY e.starts_at DESC, e.id DESC`,
    [mid, JSON.stringify([{ municipalityId: mid }]), clock.now()],
  );
  return {
    items: page.rows.map(toRecord),
    nextCursor: page.nextCursor,
    coOrganised: co.map((r) => ({
      id: r.id, organizer: r.organizer, title: r.title, kind: r.kind, startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString(),
      registeredByMunicipality: Object.entries(r.registered_by_municipality).map(([municipality, n]) => ({ municipality, registered: n })),
    })),
  };
}

export async function getEvent({ db }: Deps, actor: Actor, id: string): Promise<EventRecord> {
  const r = await loadRow(db, id);
  if (!r || r.municipality_id !== actor.municipalityId) throw notFound('event');
  return toRecord(r);
}

// ---- attendance, without names

/** Replaces a session's attendance (per municipality the participants came from). */
export async function recordAttendance({ db, clock }: Deps, actor: Actor, id: string, sessionOn: string, rows: AttendanceRow[]): Promise<void> {
  const r = await loadRow(db, id);
  if (!r || r.municipality_id !== actor.municipalityId) throw notFound('event');
  if (!canManage(actor, r)) throw forbidden('Only the hub or an organising organisation records attendance.');
  const seen = new Set<string>();
  rows.forEach((a, i) => {
    if (a.firstTimers > a.came) throw badRequest('First-timers cannot be more than those who came.', [{ field: `rows/${i}/firstTimers`, message: 'First-timers cannot be more than those who came.' }]);
    const k = a.fromMunicipality.trim();
    if (seen.has(k)) throw badRequest('Each municipality once per session.', [{ field: `rows/${i}/fromMunicipality`, message: 'Each municipality once per session.' }]);
    seen.add(k);
  });
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM event_attendance WHERE municipality_id = $1 AND event_id = $2 AND session_on = $3', [r.municipality_id, id, sessionOn]);
    for (const a of rows)
      await tx.query(
        `INSERT INTO event_attendance (municipality_id, event_id, session_on, from_municipality, came, first_timers, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
        [r.municipality_id, id, sessionOn, a.fromMunicipality.trim(), a.came, a.firstTimers, actor.userId, clock.now()],
      );
    await recordAudit(tx, clock, actor, { action: 'event_attendance.record', entityType: 'program_event', entityId: id, reason: 'event organisation', details: { sessionOn } });
  });
}

/**
 * Attendance per session and per municipality, small counts suppressed as in
 * the published figures (TSUNAGU_STATS_SUPPRESS_BELOW), with the counts that
 * would let the sums give a small one away hidden too. Organisers and
 * co-organising municipalities see the same figures.
 */
export async function attendanceFigures({ db }: Deps, actor: Actor, id: string, suppressBelow: number): Promise<AttendanceFigures> {
  const r = await loadRow(db, id);
  if (!r || (r.municipality_id !== actor.municipalityId && !coOrganises(actor, r))) throw notFound('event');
  const { rows } = await db.query<{ session_on: string; from_municipality: string; came: number; first_timers: number }>(
    `SELECT to_char(session_on, 'YYYY-MM-DD') AS session_on, from_municipality, came, first_timers FROM event_attendance
     WHERE municipality_id = $1 AND event_id = $2 ORDER BY session_on, from_municipality`,
    [r.municipality_id, id],
  );
  const sessions = new Map<string, typeof rows>();
  for (const row of rows) sessions.set(row.session_on, [...(sessions.get(row.session_on) ?? []), row]);
  const munis = [...new Set(rows.map((x) => x.from_municipality))];
  const sum = (xs: typeof rows, k: 'came' | 'first_timers') => xs.reduce((n, x) => n + x[k], 0);
  // each of came and first-timers is a table (session × municipality) with its row and column sums and the total: suppressed as one
  const table = (k: 'came' | 'first_timers') => {
    const values = new Map<string, number>([['total', sum(rows, k)]]);
    for (const x of rows) values.set(`${x.session_on}|${x.from_municipality}`, x[k]);
    for (const [on, xs] of sessions) values.set(`session|${on}`, sum(xs, k));
    for (const m of munis) values.set(`muni|${m}`, sum(rows.filter((x) => x.from_municipality === m), k));
    const groups: SumGroup[] = [
      ...[...sessions].map(([on, xs]) => ({ total: `session|${on}`, parts: xs.map((x) => `${on}|${x.from_municipality}`) })),
      ...munis.map((m) => ({ total: `muni|${m}`, parts: rows.filter((x) => x.from_municipality === m).map((x) => `${x.session_on}|${m}`) })),
      { total: 'total', parts: [...sessions.keys()].map((on) => `session|${on}`) },
      { total: 'total', parts: munis.map((m) => `muni|${m}`) },
    ];
    const out = protectCells(values, groups, suppressBelow);
    return (key: string) => out.get(key)!;
  };
  const came = table('came');
  const first = table('first_timers');
  const shown = [...rows.map((x) => `${x.session_on}|${x.from_municipality}`), ...[...sessions.keys()].map((on) => `session|${on}`), ...munis.map((m) => `muni|${m}`), 'total'];
  return {
    sessions: [...sessions.entries()].map(([sessionOn, xs]) => ({
      sessionOn, came: came(`session|${sessionOn}`), firstTimers: first(`session|${sessionOn}`),
      byMunicipality: xs.map((x) => ({ municipality: x.from_municipality, came: came(`${sessionOn}|${x.from_municipality}`), firstTimers: first(`${sessionOn}|${x.from_municipality}`) })),
    })),
    byMunicipality: munis.map((m) => ({ municipality: m, came: came(`muni|${m}`), firstTimers: first(`muni|${m}`) })),
    total: { came: came('total'), firstTimers: first('total') },
    secondarySuppression: shown.some((k) => came(k) === SECONDARY || first(k) === SECONDARY),
    suppressBelow,
  };
}

/** Event figures of a municipality for a period, for the fiscal-year figures (unsuppressed; the caller suppresses). */
export async function eventFigures(db: Db, mid: string, from: string, to: string) {
  const { rows } = await db.query<{ kind: EventKind; sessions: number; came: number; first_timers: number }>(
    `SELECT e.kind, count(DISTINCT (a.event_id, a.session_on))::int AS sessions, COALESCE(sum(a.came), 0)::int AS came, COALESCE(sum(a.first_timers), 0)::int AS first_timers
     FROM event_attendance a JOIN program_event e ON e.municipality_id = a.municipality_id AND e.id = a.event_id
     WHERE a.municipality_id = $1 AND a.session_on BETWEEN $2 AND $3 GROUP BY e.kind ORDER BY e.kind`,
    [mid, from, to],
  );
  const { rows: d } = await db.query<{ days: number; visitors: number; firstTimers: number }>(
    `SELECT count(*)::int AS days, COALESCE(sum(visitors), 0)::int AS visitors, COALESCE(sum(first_timers), 0)::int AS "firstTimers"
     FROM drop_in_day WHERE municipality_id = $1 AND day BETWEEN $2 AND $3`,
    [mid, from, to],
  );
  return { events: rows.map((r) => ({ kind: r.kind, sessions: r.sessions, came: r.came, firstTimers: r.first_timers })), dropIn: d[0] };
}

// ---- counts from the public side

/**
 * Takes the registration counts the public side reports (counts only) into
 * the events; an event that has just become full tells its organisers through
 * the message outbox.
 */
export async function takeInEventCounts({ db, clock }: Deps, counts: EventCounts[]): Promise<number> {
  const byKey = new Map(counts.map((c) => [`${c.municipalityId}/${c.eventId}`, c]));
  const { rows } = await db.query<Row>('SELECT * FROM program_event WHERE published OR registered > 0 OR waiting > 0');
  let changed = 0;
  for (const r of rows) {
    const c = byKey.get(`${r.municipality_id}/${r.id}`);
    const registered = c?.registered ?? 0;
    const waiting = c?.waiting ?? 0;
    const byMunicipality = Object.fromEntries((c?.byMunicipality ?? []).map((b) => [b.municipality, b.registered]));
    await db.query(
      `UPDATE program_event SET registered = $3, waiting = $4, registered_by_municipality = $5, counts_pulled_at = $6 WHERE municipality_id = $1 AND id = $2`,
      [r.municipality_id, r.id, registered, waiting, JSON.stringify(byMunicipality), clock.now()],
    );
    if (registered === r.registered && waiting === r.waiting) continue;
    changed++;
    if (r.capacity !== null && registered >= r.capacity && r.registered < r.capacity)
      await enqueueMessage(db, clock, {
        municipalityId: r.municipality_id, kind: 'event_full', toRole: 'hub_coordinator',
        subject: `「${r.title}」が定員に達しました`,
        body: `「${r.title}」の申込が定員（${r.capacity}人）に達しました。以後の申込はキャンセル待ちになります。`,
        entityType: 'program_event', entityId: r.id,
      });
  }
  return changed;
}

// ---- what the public side receives

export async function keepDays(db: Db, mid: string): Promise<number> {
  const { rows } = await db.query<{ registration_keep_days: number }>('SELECT registration_keep_days FROM event_settings WHERE municipality_id = $1', [mid]);
  return rows[0]?.registration_keep_days ?? DEFAULT_KEEP_DAYS;
}

export async function setKeepDays({ db, clock }: Deps, actor: Actor, days: number): Promise<void> {
  await db.query(
    `INSERT INTO event_settings (municipality_id, registration_keep_days) VALUES ($1, $2)
     ON CONFLICT (municipality_id) DO UPDATE SET registration_keep_days = EXCLUDED.registration_keep_days`,
    [actor.municipalityId, days],
  );
  await recordAudit(db, clock, actor, { action: 'event_settings.update', entityType: 'municipality', entityId: actor.municipalityId!, reason: 'settings', details: { days } });
}

/** Published events, as residents may see them (for the public snapshot). */
export async function publicEvents(db: Db, mid: string): Promise<PublicEvent[]> {
  const { rows } = await db.query<Row>('SELECT * FROM program_event WHERE municipality_id = $1 AND published ORDER BY starts_at, id', [mid]);
  if (!rows.length) return [];
  const orgs = new Map((await listOrganizations(db, mid)).map((o) => [o.id, o.name]));
  const days = await keepDays(db, mid);
  return rows.map((r) => ({
    id: r.id, kind: r.kind, title: r.title, description: r.description, startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString(),
    place: r.place, online: r.online, capacity: r.capacity, organizers: r.organizer_org_ids.map((o) => orgs.get(o) ?? '').filter(Boolean),
    coMunicipalities: r.co_municipalities.map((c) => c.name), registrationOpen: r.registration_open, keepDays: days,
  }));
}

/** Published events of a program, for the directory: each is a schedule of its program's service. */
export async function directoryEvents(db: Db, mid: string): Promise<{ id: string; programId: string; title: string; startsAt: string; endsAt: string; place: string | null; online: boolean }[]> {
  const { rows } = await db.query<Row>('SELECT * FROM program_event WHERE municipality_id = $1 AND published AND program_id IS NOT NULL ORDER BY starts_at, id', [mid]);
  return rows.map((r) => ({ id: r.id, programId: r.program_id!, title: r.title, startsAt: r.starts_at.toISOString(), endsAt: r.ends_at.toISOString(), place: r.place, online: r.online }));
}

// ---- drop-in places (居場所)

async function checkDropIn(db: Db, actor: Actor, programId: string) {
  const p = await getProgram(db, actor.municipalityId!, programId).catch(() => null);
  if (!p || p.kind !== 'drop_in') throw badRequest('Not a drop-in place of this municipality.', [{ field: 'programId', message: 'Not a drop-in place of this municipality.' }]);
  const runs = [...p.owners, ...p.contractors].some((o) => o.id === actor.organizationId);
  if (!isHub(actor) && !runs) throw forbidden('Only the hub or the organisations running the place record its days.');
  return p;
}

export async function listDropInPlaces({ db }: Deps, actor: Actor) {
  return (await listPrograms(db, actor.municipalityId!)).filter((p) => p.kind === 'drop_in')
    .map((p) => ({ id: p.id, name: p.name, nameEn: p.nameEn, organizations: [...p.owners, ...p.contractors].map((o) => o.name) }));
}

export async function recordDropInDay(deps: Deps, actor: Actor, input: DropInDayInput): Promise<DropInDay> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const p = await checkDropIn(db, actor, input.programId);
  if (input.firstTimers > input.visitors) throw badRequest('First-timers cannot be more than visitors.', [{ field: 'firstTimers', message: 'First-timers cannot be more than visitors.' }]);
  if (input.day > clock.now().toISOString().slice(0, 10)) throw badRequest('The day cannot be in the future.', [{ field: 'day', message: 'The day cannot be in the future.' }]);
  const visits = input.caseVisits ?? [];
  visits.forEach((v, i) => {
    if (!v.consented) throw badRequest('A visit is linked to a case only when the person agreed.', [{ field: `caseVisits/${i}/consented`, message: 'A visit is linked to a case only when the person agreed.' }]);
  });
  if (visits.length > input.visitors) throw badRequest('More linked cases than visitors.', [{ field: 'caseVisits', message: 'More linked cases than visitors.' }]);
  // a case the actor may not work on is as unknown as any other
  for (const v of visits) if ((await caseAccess(deps, actor, v.caseId)) !== 'full') throw notFound('case');
  const id = randomUUID();
  const { rows: dup } = await db.query('SELECT 1 FROM drop_in_day WHERE municipality_id = $1 AND program_id = $2 AND day = $3', [mid, input.programId, input.day]);
  if (dup.length) throw conflict('This day is already recorded for the place.');
  await db.query(
    `INSERT INTO drop_in_day (municipality_id, id, program_id, day, visitors, first_timers, note, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
    [mid, id, input.programId, input.day, input.visitors, input.firstTimers, input.note?.trim() || null, actor.userId, clock.now()],
  );
  await recordAudit(db, clock, actor, { action: 'drop_in_day.record', entityType: 'drop_in_day', entityId: id, reason: 'drop-in place', details: { programId: input.programId, day: input.day } });
  // each link is a contact record of the case, under the case's access rules
  for (const v of visits) {
    const rec = await addContactRecord(deps, actor, v.caseId, {
      occurredAt: `${input.day}T12:00:00+09:00`, kind: 'other', notes: `居場所「${p.name}」に来所（本人の同意により記録）`,
    });
    await db.query('INSERT INTO drop_in_case_visit (municipality_id, day_id, case_id, contact_record_id) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING', [mid, id, v.caseId, rec.id]);
  }
  return { id, programId: input.programId, day: input.day, visitors: input.visitors, firstTimers: input.firstTimers, note: input.note?.trim() || null, linkedCases: visits.length };
}

export interface DropInDayQuery extends PageParams {
  programId?: string;
  from?: string;
  to?: string;
}

/** A page of drop-in days, latest day first (ties, at different places, by id descending). */
export async function listDropInDays({ db }: Deps, actor: Actor, q: DropInDayQuery): Promise<Page<DropInDay>> {
  const limit = q.limit ?? 50;
  const after = decodeKeyset(q.cursor, ['date', 'uuid']);
  const { rows } = await db.query<{ id: string; program_id: string; day: string; visitors: number; first_timers: number; note: string | null; linked: number }>(
    `SELECT d.id, d.program_id, to_char(d.day, 'YYYY-MM-DD') AS day, d.visitors, d.first_timers, d.note,
       (SELECT count(*)::int FROM drop_in_case_visit v WHERE v.municipality_id = d.municipality_id AND v.day_id = d.id) AS linked
     FROM drop_in_day d WHERE d.municipality_id = $1 AND ($2::uuid IS NULL OR d.program_id = $2) AND ($3::date IS NULL OR d.day >= $3) AND ($4::date IS NULL OR d.day <= $4)
       ${after ? 'AND (d.day, d.id) < ($6::date, $7::uuid)' : ''}
     ORDER BY d.day DESC, d.id DESC LIMIT $5`,
    [actor.municipalityId, q.programId ?? null, q.from ?? null, q.to ?? null, limit + 1, ...(after ?? [])],
  );
  const page = keysetPage(rows, limit, (r) => [r.day, r.id]);
  return {
    items: page.rows.map((r) => ({ id: r.id, programId: r.program_id, day: r.day, visitors: r.visitors, firstTimers: r.first_timers, note: r.note, linkedCases: r.linked })),
    nextCursor: page.nextCursor,
  };
}
