import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { addDays, fiscalYearOfDate, fiscalYearRange, japanDate, warekiDate, warekiTimeRange } from '../../lib/fiscal.ts';
import type { MessageSender } from '../../lib/sender.ts';
import { recordAudit } from '../audit/service.ts';
import { recordConsultation } from '../intake/service.ts';
import { getCentreSettings, getMunicipality, listOrganizations, type Municipality } from '../network/service.ts';
import { enqueueMessage } from '../notifications/service.ts';
import { suppress, type Count } from '../stats/figures.ts';
import { coveredMunicipalities, coveredMunicipality, prefectureOf } from './coverage.ts';
import type { Booking, BookingInput, ConsentField, ConsultationDayFigures, Day, DayDefaults, DayFigures, DayInput, DaySummary, MunicipalityRef, OutcomeInput, ReplanInput, Session, Who } from './consultationDayTypes.ts';

/**
 * 巡回相談: consultation days the prefecture's centre holds in a municipality.
 * The centre plans the days (the profile's consultationDays are the defaults a
 * day starts from); the municipality's window books the sessions for its
 * residents; after the day the centre records each session's outcome and,
 * where the person agrees, refers them to a local organisation — a
 * consultation in the municipality's tenant, in that organisation's queue.
 * The centre sees of a booking only what the person's recorded consent covers.
 */

export { CONSENT_FIELDS, WHO } from './consultationDayTypes.ts';
export type { Booking, BookingInput, ConsentField, ConsultationDayFigures, Day, DayDefaults, DayFigures, DayInput, DaySummary, OutcomeInput, ReplanInput, Session, Who } from './consultationDayTypes.ts';

export const BOOKED_ELSEWHERE = 'That session is already booked. Choose another session.';
export const DAY_HAS_BOOKINGS = 'Residents are booked on this day: re-plan it (the bookings follow), or ask the windows to cancel them first.';

const ref = (m: Municipality): MunicipalityRef => ({ id: m.id, code: m.code, name: m.name });






/** Who is asking: the centre (across the municipalities it covers) or a municipality's window (its own days). */
type Scope = { centre: Municipality } | { municipality: Municipality };

async function scopeOf(db: Db, actor: Actor): Promise<Scope> {
  if (actor.role === 'prefecture_staff') return { centre: await prefectureOf(db, actor) };
  if ((actor.role === 'municipal_window' || actor.role === 'hub_coordinator') && actor.municipalityId) {
    const m = await getMunicipality(db, actor.municipalityId);
    if (m.kind === 'municipality') return { municipality: m };
  }
  throw forbidden();
}

async function windowOf(db: Db, actor: Actor): Promise<Municipality> {
  const s = await scopeOf(db, actor);
  if (!('municipality' in s)) throw forbidden('The municipality’s window books the sessions of a consultation day.');
  return s.municipality;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
const timeOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The sessions of a day: one after another from the start time, each of the day's length. */
export function sessionTimes(startTime: string, count: number, minutes: number): { startsAt: string; endsAt: string }[] {
  const start = minutesOf(startTime);
  return Array.from({ length: count }, (_, i) => ({ startsAt: timeOf(start + i * minutes), endsAt: timeOf(start + (i + 1) * minutes) }));
}

async function audit(tx: Db, clock: Clock, actor: Actor, tenants: string[], action: string, entityType: string, entityId: string, details: Record<string, unknown>, reason = 'consultation day') {
  // a consultation day is shared by the centre's tenant and the municipality's: each change shows in both audits
  for (const municipalityId of new Set(tenants)) await recordAudit(tx, clock, actor, { municipalityId, action, entityType, entityId, reason, details });
}

/** What a new day starts from: the prefecture profile's consultation-day settings. */
export async function planDefaults(db: Db, actor: Actor): Promise<DayDefaults> {
  const centre = await prefectureOf(db, actor);
  const c = (await getCentreSettings(db, centre.id))?.consultationDays;
  return {
    municipalitiesPerYear: c?.municipalitiesPerYear ?? null,
    daysPerMunicipality: c?.daysPerMunicipality ?? null,
    sessionsPerDay: c?.sessionsPerDay ?? 6,
    sessionMinutes: c?.sessionMinutes ?? 45,
    staffPerDay: c?.staffPerDay ?? null,
    startTime: '10:00',
  };
}

export async function planDay({ db, clock }: Deps, actor: Actor, input: DayInput): Promise<Day> {
  const centre = await prefectureOf(db, actor);
  const m = await coveredMunicipality(db, centre, input.municipalityCode);
  const d = await planDefaults(db, actor);
  const startTime = input.startTime ?? d.startTime;
  const count = input.sessionCount ?? d.sessionsPerDay;
  const minutes = input.sessionMinutes ?? d.sessionMinutes;
  const problems: FieldError[] = [];
  if (!TIME.test(startTime)) problems.push({ field: 'startTime', message: 'Give the time as HH:MM (24 hours).' });
  else if (minutesOf(startTime) + count * minutes > 24 * 60) problems.push({ field: 'sessionCount', message: 'The sessions must end on the same day.' });
  if (input.date < japanDate(clock.now())) problems.push({ field: 'date', message: 'A consultation day is planned ahead: the date cannot be in the past.' });
  if (problems.length) throw badRequest('The consultation day is not valid.', problems);
  const year = await municipalitiesInYear(db, centre.id, input.date);
  if (d.municipalitiesPerYear != null && !year.includes(m.id) && year.length + 1 > d.municipalitiesPerYear && !input.confirmMoreMunicipalities)
    throw badRequest('The consultation day is not valid.', [{
      field: 'confirmMoreMunicipalities',
      message: `The plan is ${d.municipalitiesPerYear} municipalities a year; this day makes ${year.length + 1}. Confirm to plan more municipalities than the plan.`,
    }]);
  const daysHere = await daysInYear(db, centre.id, m.id, input.date);
  if (d.daysPerMunicipality != null && daysHere + 1 > d.daysPerMunicipality && !input.confirmMoreDays)
    throw badRequest('The consultation day is not valid.', [{
      field: 'confirmMoreDays',
      message: `The plan is ${d.daysPerMunicipality} days a year in a municipality; this day makes ${daysHere + 1} in ${m.name}. Confirm to plan more days than the plan.`,
    }]);
  const id = randomUUID();
  const now = clock.now();
  await db.transaction(async (tx) => {
    const taken = await tx.query('SELECT 1 FROM consultation_day WHERE municipality_id = $1 AND day = $2', [m.id, input.date]);
    if (taken.rows.length) throw badRequest('The consultation day is not valid.', [{ field: 'date', message: 'A consultation day is already planned on that date in this municipality.' }]);
    await tx.query(
      `INSERT INTO consultation_day (municipality_id, id, prefecture_id, day, place, start_time, session_count, session_minutes, staff, created_at, created_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [m.id, id, centre.id, input.date, input.place?.trim() || null, startTime, count, minutes, JSON.stringify(input.staff.map((s) => s.trim()).filter(Boolean)), now, actor.userId]);
    for (const [i, s] of sessionTimes(startTime, count, minutes).entries())
      await tx.query('INSERT INTO consultation_day_session (municipality_id, id, day_id, position, starts_at, ends_at) VALUES ($1,$2,$3,$4,$5,$6)',
        [m.id, randomUUID(), id, i + 1, s.startsAt, s.endsAt]);
    await audit(tx, clock, actor, [centre.id, m.id], 'consultation_day.plan', 'consultation_day', id, { date: input.date, sessions: count });
  });
  return getDay({ db, clock }, actor, id);
}

/** The municipalities with consultation days of the centre in the fiscal year of a date. */
async function municipalitiesInYear(db: Db, prefectureId: string, date: string): Promise<string[]> {
  const { from, to } = fiscalYearRange(fiscalYearOfDate(date));
  const { rows } = await db.query<{ municipality_id: string }>(
    'SELECT DISTINCT municipality_id FROM consultation_day WHERE prefecture_id = $1 AND day BETWEEN $2 AND $3', [prefectureId, from, to]);
  return rows.map((r) => r.municipality_id);
}

/** The centre's consultation days in one municipality in the fiscal year of a date. */
async function daysInYear(db: Db, prefectureId: string, municipalityId: string, date: string): Promise<number> {
  const { from, to } = fiscalYearRange(fiscalYearOfDate(date));
  const { rows } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM consultation_day WHERE prefecture_id = $1 AND municipality_id = $2 AND day BETWEEN $3 AND $4', [prefectureId, municipalityId, from, to]);
  return rows[0]!.n;
}


/**
 * The centre moves a day (its date, its sessions' start, length or number)
 * with its bookings: the sessions are re-timed in place, so each booking
 * follows its session; a booking on a session that goes moves to a free one
 * that stays, in order. If the bookings would not fit, nothing changes and the
 * centre is told how many sessions to keep: a booking is never lost. Each
 * window staff member who booked gets an alert naming the new time of each of
 * their bookings, to tell the residents, and the reminders are sent again for
 * the new time.
 */
export async function replanDay({ db, clock }: Deps, actor: Actor, id: string, input: ReplanInput): Promise<Day> {
  const centre = await prefectureOf(db, actor);
  await db.transaction(async (tx) => {
    const { rows: [day] } = await tx.query<DayRow & { outcomes: number }>(
      `${DAY_SELECT.replace('FROM consultation_day d', `, (SELECT count(*)::int FROM consultation_day_session s WHERE s.municipality_id = d.municipality_id AND s.day_id = d.id AND s.outcome_at IS NOT NULL) AS outcomes
       FROM consultation_day d`)} WHERE d.prefecture_id = $1 AND d.id = $2 FOR UPDATE OF d`, [centre.id, id]);
    if (!day) throw notFound('consultation day');
    const date = input.date ?? day.day;
    const startTime = input.startTime ?? day.start_time;
    const count = input.sessionCount ?? day.session_count;
    const minutes = input.sessionMinutes ?? day.session_minutes;
    const today = japanDate(clock.now());
    const problems: FieldError[] = [];
    if (day.day < today || day.outcomes > 0) problems.push({ field: 'date', message: 'A day that has taken place is not re-planned.' });
    else if (date < today) problems.push({ field: 'date', message: 'A consultation day is planned ahead: the date cannot be in the past.' });
    if (!TIME.test(startTime)) problems.push({ field: 'startTime', message: 'Give the time as HH:MM (24 hours).' });
    else if (minutesOf(startTime) + count * minutes > 24 * 60) problems.push({ field: 'sessionCount', message: 'The sessions must end on the same day.' });
    if (date !== day.day && (await tx.query('SELECT 1 FROM consultation_day WHERE municipality_id = $1 AND day = $2', [day.municipality_id, date])).rows.length)
      problems.push({ field: 'date', message: 'A consultation day is already planned on that date in this municipality.' });
    const { rows: sessions } = await tx.query<{ id: string; position: number; booking_id: string | null; booked_by: string | null; was: string }>(
      `SELECT s.id, s.position, b.id AS booking_id, b.booked_by, to_char(s.starts_at, 'HH24:MI') AS was FROM consultation_day_session s
       LEFT JOIN consultation_day_booking b ON b.municipality_id = s.municipality_id AND b.session_id = s.id AND b.cancelled_at IS NULL
       WHERE s.municipality_id = $1 AND s.day_id = $2 ORDER BY s.position FOR UPDATE OF s`, [day.municipality_id, id]);
    const booked = sessions.filter((s) => s.booking_id);
    if (booked.length > count)
      problems.push({ field: 'sessionCount', message: `${booked.length} sessions are booked: keep at least ${booked.length} sessions, or ask the windows to cancel bookings first.` });
    if (problems.length) throw badRequest('The consultation day could not be re-planned.', problems);

    // bookings on sessions that go move, in order, to the free sessions that stay
    const kept = sessions.filter((s) => s.position <= count);
    const free = kept.filter((s) => !s.booking_id);
    const moves = booked.filter((s) => s.position > count).map((s) => ({ from: s, to: free.shift()! }));
    for (const mv of moves)
      await tx.query('UPDATE consultation_day_booking SET session_id = $3, updated_at = $4 WHERE municipality_id = $1 AND id = $2', [day.municipality_id, mv.from.booking_id, mv.to.id, clock.now()]);
    const gone = sessions.filter((s) => s.position > count).map((s) => s.id);
    if (gone.length) {
      // what went with them: bookings the windows had cancelled earlier (their cancellations are in the audit) and their reminders
      await tx.query('DELETE FROM consultation_day_booking WHERE municipality_id = $1 AND session_id = ANY($2::uuid[]) AND cancelled_at IS NOT NULL', [day.municipality_id, gone]);
      await tx.query('DELETE FROM consultation_day_session WHERE municipality_id = $1 AND id = ANY($2::uuid[])', [day.municipality_id, gone]);
    }
    const times = sessionTimes(startTime, count, minutes);
    for (const [i, t] of times.entries()) {
      const existing = kept[i];
      if (existing) await tx.query('UPDATE consultation_day_session SET starts_at = $3, ends_at = $4 WHERE municipality_id = $1 AND id = $2', [day.municipality_id, existing.id, t.startsAt, t.endsAt]);
      else await tx.query('INSERT INTO consultation_day_session (municipality_id, id, day_id, position, starts_at, ends_at) VALUES ($1,$2,$3,$4,$5,$6)',
        [day.municipality_id, randomUUID(), id, i + 1, t.startsAt, t.endsAt]);
    }
    await tx.query(
      `UPDATE consultation_day SET day = $3, start_time = $4, session_count = $5, session_minutes = $6, place = CASE WHEN $7::boolean THEN $8 ELSE place END,
         staff = COALESCE($9::jsonb, staff) WHERE municipality_id = $1 AND id = $2`,
      [day.municipality_id, id, date, startTime, count, minutes, input.place !== undefined, input.place?.trim() || null,
        input.staff ? JSON.stringify(input.staff.map((x) => x.trim()).filter(Boolean)) : null]);

    // each booking's new time; where it changed, its reminder is sent again and its window told
    const now = new Map(moves.map((mv) => [mv.from.booking_id!, mv.to.position]));
    const changed: { bookedBy: string | null; was: string; becomes: string }[] = [];
    for (const b of booked) {
      const position = now.get(b.booking_id!) ?? b.position;
      const becomes = times[position - 1].startsAt;
      if (!now.has(b.booking_id!) && date === day.day && becomes === b.was) continue;
      changed.push({ bookedBy: b.booked_by, was: `${warekiDate(day.day)} ${b.was}`, becomes: `${warekiDate(date)} ${becomes}` });
      await tx.query('UPDATE consultation_day_booking SET reminder_sent_at = NULL WHERE municipality_id = $1 AND id = $2', [day.municipality_id, b.booking_id]);
      await tx.query('UPDATE consultation_day_reminder SET dropped_at = $3 WHERE municipality_id = $1 AND booking_id = $2 AND sent_at IS NULL AND dropped_at IS NULL',
        [day.municipality_id, b.booking_id, clock.now()]);
    }
    const byStaff = new Map<string | null, typeof changed>();
    for (const c of changed) byStaff.set(c.bookedBy, [...(byStaff.get(c.bookedBy) ?? []), c]);
    for (const [bookedBy, list] of byStaff)
      await enqueueMessage(tx, clock, {
        municipalityId: day.municipality_id, kind: 'consultation_day_replanned', ...(bookedBy ? { toUserId: bookedBy } : { toRole: 'municipal_window' }),
        subject: `【巡回相談】${warekiDate(day.day)}の相談日の日程が変わりました。予約した方へお知らせください`,
        body: ['センターが巡回相談の日程を変更しました。予約は新しい時間に移っています。ご本人（ご家族）へ新しい日時をお知らせください。',
          ...list.map((c) => `・${c.was} からの予約 → ${c.becomes}`), 'どなたの予約かと連絡先は「巡回相談の予約」画面で確認できます。'].join('\n'),
        entityType: 'consultation_day', entityId: id,
      });
    await audit(tx, clock, actor, [centre.id, day.municipality_id], 'consultation_day.replan', 'consultation_day', id,
      { from: { date: day.day, startTime: day.start_time, sessions: day.session_count, minutes: day.session_minutes }, to: { date, startTime, sessions: count, minutes }, bookingsMoved: changed.length });
  });
  return getDay({ db, clock }, actor, id);
}

/**
 * The centre removes a day no resident is booked on (bookings the windows
 * cancelled go with it; their cancellations stay in the audit). A day with
 * bookings is re-planned instead, or its bookings cancelled by the windows
 * first, so none is lost. The municipality's windows are told.
 */
export async function deleteDay({ db, clock }: Deps, actor: Actor, id: string): Promise<void> {
  const centre = await prefectureOf(db, actor);
  await db.transaction(async (tx) => {
    const { rows: [day] } = await tx.query<DayRow>(`${DAY_SELECT} WHERE d.prefecture_id = $1 AND d.id = $2 FOR UPDATE OF d`, [centre.id, id]);
    if (!day) throw notFound('consultation day');
    // the sessions locked: a booking arriving now waits and then finds no session
    await tx.query('SELECT id FROM consultation_day_session WHERE municipality_id = $1 AND day_id = $2 FOR UPDATE', [day.municipality_id, id]);
    const { rows: [live] } = await tx.query<{ n: number; outcomes: number }>(
      `SELECT (SELECT count(*)::int FROM consultation_day_booking b JOIN consultation_day_session s ON s.municipality_id = b.municipality_id AND s.id = b.session_id
               WHERE s.municipality_id = $1 AND s.day_id = $2 AND b.cancelled_at IS NULL) AS n,
              (SELECT count(*)::int FROM consultation_day_session s WHERE s.municipality_id = $1 AND s.day_id = $2 AND s.outcome_at IS NOT NULL) AS outcomes`,
      [day.municipality_id, id]);
    if (live.n > 0) throw conflict(DAY_HAS_BOOKINGS);
    if (live.outcomes > 0) throw conflict('A day whose outcomes are recorded is kept in the figures: it cannot be deleted.');
    await tx.query(
      `DELETE FROM consultation_day_booking b USING consultation_day_session s WHERE s.municipality_id = b.municipality_id AND s.id = b.session_id
       AND s.municipality_id = $1 AND s.day_id = $2`, [day.municipality_id, id]);
    await tx.query('DELETE FROM consultation_day_session WHERE municipality_id = $1 AND day_id = $2', [day.municipality_id, id]);
    await tx.query('DELETE FROM consultation_day WHERE municipality_id = $1 AND id = $2', [day.municipality_id, id]);
    await enqueueMessage(tx, clock, {
      municipalityId: day.municipality_id, kind: 'consultation_day_deleted', toRole: 'municipal_window',
      subject: `【巡回相談】${warekiDate(day.day)}の相談日は取りやめになりました`, body: `センターが${warekiDate(day.day)}の巡回相談を取りやめました（予約はありませんでした）。`,
      entityType: 'consultation_day', entityId: id,
    });
    await audit(tx, clock, actor, [centre.id, day.municipality_id], 'consultation_day.delete', 'consultation_day', id, { date: day.day });
  });
}

interface DayRow { municipality_id: string; id: string; prefecture_id: string; day: string; place: string | null; start_time: string; session_count: number; session_minutes: number; staff: string[]; booked: number }

const DAY_SELECT = `SELECT d.municipality_id, d.id, d.prefecture_id, d.day, d.place, to_char(d.start_time, 'HH24:MI') AS start_time, d.session_count, d.session_minutes, d.staff,
  (SELECT count(*)::int FROM consultation_day_booking b JOIN consultation_day_session s ON s.municipality_id = b.municipality_id AND s.id = b.session_id
   WHERE s.municipality_id = d.municipality_id AND s.day_id = d.id AND b.cancelled_at IS NULL) AS booked
  FROM consultation_day d`;

async function summaries(db: Db, rows: DayRow[]): Promise<DaySummary[]> {
  const names = new Map<string, Municipality>();
  for (const r of rows) if (!names.has(r.municipality_id)) names.set(r.municipality_id, await getMunicipality(db, r.municipality_id));
  return rows.map((r) => ({
    id: r.id, municipality: ref(names.get(r.municipality_id)!), date: r.day, dateLabel: warekiDate(r.day), place: r.place, startTime: r.start_time,
    sessionCount: r.session_count, sessionMinutes: r.session_minutes, staff: r.staff, booked: r.booked,
  }));
}

/** The days of a fiscal year: the centre's in every municipality it covers (or one), a window's in its own municipality. */
export async function listDays({ db }: Deps, actor: Actor, q: { fiscalYear?: number; municipality?: string }, today: string): Promise<DaySummary[]> {
  const scope = await scopeOf(db, actor);
  const { from, to } = fiscalYearRange(q.fiscalYear ?? fiscalYearOfDate(today));
  let ids: string[];
  if ('centre' in scope) ids = q.municipality ? [(await coveredMunicipality(db, scope.centre, q.municipality)).id] : (await coveredMunicipalities(db, scope.centre)).map((m) => m.id);
  else {
    if (q.municipality && q.municipality !== scope.municipality.code) throw notFound('municipality');
    ids = [scope.municipality.id];
  }
  const prefectureFilter = 'centre' in scope ? scope.centre.id : null;
  const { rows } = await db.query<DayRow>(
    `${DAY_SELECT} WHERE d.municipality_id = ANY($1::uuid[]) AND d.day BETWEEN $2 AND $3 AND ($4::uuid IS NULL OR d.prefecture_id = $4::uuid) ORDER BY d.day, d.municipality_id`,
    [ids, from, to, prefectureFilter]);
  return summaries(db, rows);
}

async function loadDay(db: Db, scope: Scope, id: string): Promise<DayRow> {
  const { rows } = 'centre' in scope
    ? await db.query<DayRow>(`${DAY_SELECT} WHERE d.prefecture_id = $1 AND d.id = $2`, [scope.centre.id, id])
    : await db.query<DayRow>(`${DAY_SELECT} WHERE d.municipality_id = $1 AND d.id = $2`, [scope.municipality.id, id]);
  if (!rows[0]) throw notFound('consultation day');
  return rows[0];
}

interface SessionRow {
  id: string; position: number; starts_at: string; ends_at: string; attended: boolean | null; came: Who | null; main_concern: string | null;
  referral_organization_id: string | null; referral_consultation_id: string | null; outcome_at: Date | null;
  booking_id: string | null; who: Who | null; nickname: string | null; phone: string | null; email: string | null; consent_scope: ConsentField[] | null;
  note: string | null; booked_at: Date | null; reminder_sent_at: Date | null;
  reminder_channel: 'email' | 'phone' | null; reminder_at: Date | null; reminder_attempts: number | null; reminder_error: string | null;
}

/**
 * A day with its sessions. The window sees its bookings in full; the centre
 * sees of each booking only the fields the person's consent covers (the
 * contact stays with the municipality unless consent covers it).
 */
export async function getDay({ db, clock }: Deps, actor: Actor, id: string): Promise<Day> {
  const scope = await scopeOf(db, actor);
  const day = await loadDay(db, scope, id);
  const { rows } = await db.query<SessionRow>(
    `SELECT s.id, s.position, to_char(s.starts_at, 'HH24:MI') AS starts_at, to_char(s.ends_at, 'HH24:MI') AS ends_at, s.attended, s.came, s.main_concern,
            s.referral_organization_id, s.referral_consultation_id, s.outcome_at,
            b.id AS booking_id, b.who, b.nickname, b.phone, b.email, b.consent_scope, b.note, b.booked_at, b.reminder_sent_at,
            r.channel AS reminder_channel, r.sent_at AS reminder_at, r.attempts AS reminder_attempts, r.last_error AS reminder_error
     FROM consultation_day_session s
     LEFT JOIN consultation_day_booking b ON b.municipality_id = s.municipality_id AND b.session_id = s.id AND b.cancelled_at IS NULL
     LEFT JOIN consultation_day_reminder r ON r.municipality_id = b.municipality_id AND r.booking_id = b.id AND r.session_id = s.id
       AND r.starts_at = ((SELECT d.day FROM consultation_day d WHERE d.municipality_id = s.municipality_id AND d.id = s.day_id) + s.starts_at) AT TIME ZONE 'Asia/Tokyo'
     WHERE s.municipality_id = $1 AND s.day_id = $2 ORDER BY s.position`, [day.municipality_id, id]);
  const centre = 'centre' in scope;
  const sessions: Session[] = rows.map((r) => {
    let booking: Booking | null = null;
    if (r.booking_id) {
      const consent = new Set(r.consent_scope ?? []);
      const sees = (f: ConsentField) => !centre || consent.has(f);
      // built field by field: the centre receives only what the consent covers
      booking = {
        id: r.booking_id, who: sees('who') ? r.who : null, nickname: sees('nickname') ? r.nickname : null,
        phone: sees('contact') ? r.phone : null, email: sees('contact') ? r.email : null,
        consentScope: r.consent_scope ?? [], note: centre ? null : r.note, bookedAt: r.booked_at!, reminderSentAt: r.reminder_sent_at,
        reminder: centre || !r.reminder_channel ? null : {
          channel: r.reminder_channel, at: r.reminder_at,
          state: r.reminder_at ? 'sent' : r.reminder_error && (r.reminder_attempts ?? 0) >= MAX_ATTEMPTS ? 'failed' : 'queued',
        },
      };
    }
    return {
      id: r.id, position: r.position, startsAt: r.starts_at, endsAt: r.ends_at, booking,
      outcome: r.outcome_at ? {
        attended: r.attended!, came: r.came, mainConcern: r.main_concern,
        referral: r.referral_organization_id ? { organizationId: r.referral_organization_id, consultationId: r.referral_consultation_id } : null,
      } : null,
    };
  });
  if (rows.some((r) => r.booking_id))
    await audit(db, clock, actor, [actor.municipalityId!], 'consultation_day.read', 'consultation_day', id, { bookings: rows.filter((r) => r.booking_id).length, centre });
  return { ...(await summaries(db, [day]))[0], sessions };
}


function checkBooking(input: Partial<BookingInput>): void {
  const problems: FieldError[] = [];
  if (input.nickname !== undefined && !input.nickname.trim()) problems.push({ field: 'nickname', message: 'Give a name to call the person by: a nickname is enough.' });
  if (input.phone && !/^[0-9０-９+\-－ ()（）]{6,20}$/.test(input.phone)) problems.push({ field: 'phone', message: 'Give the phone number with digits and hyphens only.' });
  if (input.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email)) problems.push({ field: 'email', message: 'Give a valid email address.' });
  if (problems.length) throw badRequest('The booking is not valid.', problems);
}

/** The session, locked, if it is one of the window's own and not yet past. */
async function bookableSession(tx: Db, municipalityId: string, sessionId: string, today: string, field = 'sessionId'): Promise<{ dayId: string; prefectureId: string; day: string }> {
  const { rows } = await tx.query<{ day_id: string; prefecture_id: string; day: string }>(
    `SELECT s.day_id, d.prefecture_id, d.day FROM consultation_day_session s JOIN consultation_day d ON d.municipality_id = s.municipality_id AND d.id = s.day_id
     WHERE s.municipality_id = $1 AND s.id = $2 FOR UPDATE OF s`, [municipalityId, sessionId]);
  if (!rows[0]) throw badRequest('The booking is not valid.', [{ field, message: 'No session with that id on this municipality’s consultation days.' }]);
  if (rows[0].day < today) throw badRequest('The booking is not valid.', [{ field, message: 'That session has already taken place.' }]);
  return { dayId: rows[0].day_id, prefectureId: rows[0].prefecture_id, day: rows[0].day };
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

/** Inserts or moves within a transaction; a second live booking of a session is refused by the unique index, whoever came first. */
async function claim<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict(BOOKED_ELSEWHERE);
    throw e;
  }
}

async function freeOrConflict(tx: Db, municipalityId: string, sessionId: string) {
  const { rows } = await tx.query('SELECT 1 FROM consultation_day_booking WHERE municipality_id = $1 AND session_id = $2 AND cancelled_at IS NULL', [municipalityId, sessionId]);
  if (rows.length) throw conflict(BOOKED_ELSEWHERE);
}

export async function bookSession({ db, clock }: Deps, actor: Actor, input: BookingInput): Promise<Day> {
  const m = await windowOf(db, actor);
  checkBooking(input);
  const today = japanDate(clock.now());
  const id = randomUUID();
  const dayId = await claim(db, async (tx) => {
    const s = await bookableSession(tx, m.id, input.sessionId, today);
    await freeOrConflict(tx, m.id, input.sessionId);
    const now = clock.now();
    await tx.query(
      `INSERT INTO consultation_day_booking (municipality_id, id, session_id, who, nickname, phone, email, consent_scope, note, booked_at, booked_by, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$10)`,
      [m.id, id, input.sessionId, input.who, input.nickname.trim(), input.phone?.trim() || null, input.email?.trim() || null, [...new Set(input.consentScope)],
        input.note?.trim() || null, now, actor.userId]);
    await audit(tx, clock, actor, [m.id, s.prefectureId], 'consultation_day.book', 'consultation_day_booking', id,
      { sessionId: input.sessionId, consentScope: input.consentScope }, 'booking for a resident (consent recorded)');
    return s.dayId;
  });
  return getDay({ db, clock }, actor, dayId);
}

async function loadBooking(tx: Db, municipalityId: string, id: string, lock = false) {
  const { rows } = await tx.query<{ session_id: string; day: string; day_id: string; prefecture_id: string }>(
    `SELECT b.session_id, d.day, d.id AS day_id, d.prefecture_id FROM consultation_day_booking b
     JOIN consultation_day_session s ON s.municipality_id = b.municipality_id AND s.id = b.session_id
     JOIN consultation_day d ON d.municipality_id = s.municipality_id AND d.id = s.day_id
     WHERE b.municipality_id = $1 AND b.id = $2 AND b.cancelled_at IS NULL${lock ? ' FOR UPDATE OF b' : ''}`, [municipalityId, id]);
  if (!rows[0]) throw notFound('booking');
  return rows[0];
}

/** Moves a booking to another session (of any of the municipality's days), or changes what it records. */
export async function updateBooking({ db, clock }: Deps, actor: Actor, id: string, input: Partial<BookingInput>): Promise<Day> {
  const m = await windowOf(db, actor);
  checkBooking(input);
  const today = japanDate(clock.now());
  const dayId = await claim(db, async (tx) => {
    const b = await loadBooking(tx, m.id, id, true);
    let dayId = b.day_id;
    const moved = input.sessionId && input.sessionId !== b.session_id;
    if (moved) {
      const s = await bookableSession(tx, m.id, input.sessionId!, today);
      await freeOrConflict(tx, m.id, input.sessionId!);
      dayId = s.dayId;
    }
    await tx.query(
      `UPDATE consultation_day_booking SET session_id = COALESCE($3, session_id), who = COALESCE($4, who), nickname = COALESCE($5, nickname),
         phone = CASE WHEN $6::boolean THEN $7 ELSE phone END, email = CASE WHEN $8::boolean THEN $9 ELSE email END,
         consent_scope = COALESCE($10, consent_scope), note = CASE WHEN $11::boolean THEN $12 ELSE note END, updated_at = $13,
         reminder_sent_at = CASE WHEN $3::uuid IS NOT NULL AND $3::uuid <> session_id THEN NULL ELSE reminder_sent_at END
       WHERE municipality_id = $1 AND id = $2`,
      [m.id, id, input.sessionId ?? null, input.who ?? null, input.nickname?.trim() ?? null, input.phone !== undefined, input.phone?.trim() || null,
        input.email !== undefined, input.email?.trim() || null, input.consentScope ? [...new Set(input.consentScope)] : null,
        input.note !== undefined, input.note?.trim() || null, clock.now()]);
    await audit(tx, clock, actor, [m.id, b.prefecture_id], moved ? 'consultation_day.move' : 'consultation_day.update', 'consultation_day_booking', id,
      { from: b.session_id, to: input.sessionId ?? b.session_id }, 'booking for a resident (consent recorded)');
    return dayId;
  });
  return getDay({ db, clock }, actor, dayId);
}

export async function cancelBooking({ db, clock }: Deps, actor: Actor, id: string): Promise<Day> {
  const m = await windowOf(db, actor);
  const dayId = await db.transaction(async (tx) => {
    const b = await loadBooking(tx, m.id, id, true);
    await tx.query('UPDATE consultation_day_booking SET cancelled_at = $3, cancelled_by = $4, updated_at = $3 WHERE municipality_id = $1 AND id = $2', [m.id, id, clock.now(), actor.userId]);
    await audit(tx, clock, actor, [m.id, b.prefecture_id], 'consultation_day.cancel', 'consultation_day_booking', id, { sessionId: b.session_id });
    return b.day_id;
  });
  return getDay({ db, clock }, actor, dayId);
}


/**
 * The centre records a session's outcome after the day. A referral the
 * person agreed to becomes a consultation in the municipality's tenant,
 * received through the chosen local organisation's door, in its triage queue.
 */
export async function recordOutcome({ db, clock }: Deps, actor: Actor, sessionId: string, input: OutcomeInput): Promise<Day> {
  const centre = await prefectureOf(db, actor);
  const { rows } = await db.query<{ municipality_id: string; day_id: string; day: string; who: Who | null; referral_consultation_id: string | null }>(
    `SELECT s.municipality_id, s.day_id, d.day, b.who, s.referral_consultation_id FROM consultation_day_session s
     JOIN consultation_day d ON d.municipality_id = s.municipality_id AND d.id = s.day_id
     LEFT JOIN consultation_day_booking b ON b.municipality_id = s.municipality_id AND b.session_id = s.id AND b.cancelled_at IS NULL
     WHERE d.prefecture_id = $1 AND s.id = $2`, [centre.id, sessionId]);
  const s = rows[0];
  if (!s) throw notFound('session');
  const problems: FieldError[] = [];
  if (s.day > japanDate(clock.now())) problems.push({ field: 'attended', message: 'The outcome is recorded on or after the day.' });
  if (!input.attended && (input.came || input.referral)) problems.push({ field: 'came', message: 'Nobody came: leave who came and the referral empty.' });
  if (input.attended && !input.came) problems.push({ field: 'came', message: 'Say who came: the person, family or both.' });
  let org: { id: string; key: string; name: string } | undefined;
  if (input.referral) {
    if (!input.referral.consent) problems.push({ field: 'referral.consent', message: 'A referral is made only where the person agreed.' });
    if (!input.referral.summary.trim()) problems.push({ field: 'referral.summary', message: 'Write the summary the person agreed to share.' });
    org = (await listOrganizations(db, s.municipality_id)).find((o) => o.id === input.referral!.organizationId);
    if (!org) problems.push({ field: 'referral.organizationId', message: 'No active organisation with that id in this municipality.' });
  }
  if (s.referral_consultation_id && input.referral) problems.push({ field: 'referral', message: 'This session’s referral has already been made.' });
  if (problems.length) throw badRequest('The outcome is not valid.', problems);
  await db.transaction(async (tx) => {
    let consultationId: string | null = null;
    if (input.referral && org) {
      // the crossing: recorded in the municipality's tenant as received through the chosen organisation's door
      const crossing: Actor = { ...actor, municipalityId: s.municipality_id, organizationId: org.id, role: 'org_staff', sensitiveAccess: false };
      const c = await recordConsultation({ db: tx, clock }, crossing, {
        receivedAt: clock.now().toISOString(), doorOrganizationId: org.id, channel: 'via_organization',
        consulterRelation: input.came === 'family' ? 'family' : 'self', issueTags: [], summary: input.referral.summary.trim(), urgency: 'normal',
      });
      consultationId = c.id;
      await audit(tx, clock, actor, [centre.id, s.municipality_id], 'consultation_day.refer', 'consultation', c.id,
        { sessionId, organizationId: org.id, legalBasis: 'consent' }, 'referral after a consultation day, with the person’s consent');
    }
    await tx.query(
      `UPDATE consultation_day_session SET attended = $3, came = $4, main_concern = $5, outcome_at = $6, outcome_by = $7,
         referral_organization_id = COALESCE($8, referral_organization_id), referral_consultation_id = COALESCE($9, referral_consultation_id)
       WHERE municipality_id = $1 AND id = $2`,
      [s.municipality_id, sessionId, input.attended, input.attended ? input.came : null, input.mainConcern?.trim() || null, clock.now(), actor.userId, org?.id ?? null, consultationId]);
    await audit(tx, clock, actor, [centre.id, s.municipality_id], 'consultation_day.outcome', 'consultation_day_session', sessionId, { attended: input.attended });
  });
  return getDay({ db, clock }, actor, s.day_id);
}


/** Sessions offered, booked, used and referrals made, per municipality in a fiscal year; small counts suppressed. */
export async function consultationDayFigures({ db }: Deps, actor: Actor, fiscalYear: number, suppressBelow: number): Promise<ConsultationDayFigures> {
  const centre = await prefectureOf(db, actor);
  const { from, to } = fiscalYearRange(fiscalYear);
  const covered = await coveredMunicipalities(db, centre);
  const { rows } = await db.query<{ municipality_id: string; offered: number; booked: number; used: number; referrals: number }>(
    `SELECT s.municipality_id, count(*)::int AS offered,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM consultation_day_booking b WHERE b.municipality_id = s.municipality_id AND b.session_id = s.id AND b.cancelled_at IS NULL))::int AS booked,
       count(*) FILTER (WHERE s.attended)::int AS used,
       count(*) FILTER (WHERE s.referral_consultation_id IS NOT NULL)::int AS referrals
     FROM consultation_day_session s JOIN consultation_day d ON d.municipality_id = s.municipality_id AND d.id = s.day_id
     WHERE d.prefecture_id = $1 AND d.day BETWEEN $2 AND $3 GROUP BY s.municipality_id`, [centre.id, from, to]);
  const by = new Map(rows.map((r) => [r.municipality_id, r]));
  return {
    fiscalYear, suppressBelow,
    items: covered.map((m) => {
      const r = by.get(m.id);
      return {
        municipality: ref(m), offered: suppress(r?.offered ?? 0, suppressBelow), booked: suppress(r?.booked ?? 0, suppressBelow),
        used: suppress(r?.used ?? 0, suppressBelow), referrals: suppress(r?.referrals ?? 0, suppressBelow),
      };
    }),
  };
}

const CLAIM_MS = 10 * 60_000;
/** A session's start as an instant (the day and time are Japan's). */
const startOf = (day: string, time: string) => new Date(`${day}T${time}:00+09:00`);
const MAX_ATTEMPTS = 10;

/** The reminder to the resident: the nickname, the session's date and time, the place; nothing more. */
export function renderReminder(b: { nickname: string; day: string; startsAt: string; endsAt: string; place: string | null }): { subject: string; body: string } {
  const when = warekiTimeRange(`${b.day}T${b.startsAt}:00+09:00`, `${b.day}T${b.endsAt}:00+09:00`);
  return {
    subject: `【巡回相談】明日のご予約（${when}）`,
    body: [`${b.nickname} さん`, '', '明日の巡回相談のご予約のお知らせです。', `日時: ${when}`, ...(b.place ? [`場所: ${b.place}`] : []), '',
      'ご都合が悪くなったときは、予約をした窓口へご連絡ください。', '（このお知らせは送信専用です）'].join('\n'),
  };
}

/** The call task for a booking the window must remind by phone (or whose email could not be sent). */
async function callTask(tx: Db, clock: Clock, b: { municipality_id: string; id: string; booked_by: string | null; day: string; starts_at: string }, why: 'phone' | 'email_failed') {
  // the booking by its day and time: who it is and the number stay on the booking screen (messages may leave by the staff outbox file)
  await enqueueMessage(tx, clock, {
    municipalityId: b.municipality_id, kind: 'consultation_day_reminder_call', ...(b.booked_by ? { toUserId: b.booked_by } : { toRole: 'municipal_window' }),
    subject: `【巡回相談】${warekiDate(b.day)} ${b.starts_at}〜の予約の方に電話でリマインドしてください`,
    body: [why === 'phone'
      ? `${warekiDate(b.day)} ${b.starts_at}からの巡回相談の予約について、ご本人（ご家族）へ電話でリマインドの連絡をしてください（連絡先が電話番号のため、自動では送れません）。`
      : `${warekiDate(b.day)} ${b.starts_at}からの巡回相談の予約について、リマインドのメールを送れませんでした。電話などで連絡してください。`,
    'どなたの予約かと連絡先は「巡回相談の予約」画面で確認できます。'].join('\n'),
    entityType: 'consultation_day_booking', entityId: b.id,
  });
}

/**
 * The day before a consultation day, each booking with a contact gets one
 * reminder, to the resident: with an email, a message queued for the outside
 * sender (deliverConsultationDayReminders); with a phone number only, a call
 * task for the window staff who booked it (an alert in their お知らせ), since
 * a phone cannot be reached automatically. The booking is claimed with a
 * conditional update in the same transaction, and the reminder row is unique
 * per booking and session, so it is queued once however often or
 * concurrently the job runs. Not before `fromHour` in Japan, the day before.
 */
export async function sendConsultationDayReminders({ db, clock }: Deps, opts: { fromHour?: number } = {}): Promise<{ reminded: number; email: number; call: number }> {
  const counts = { reminded: 0, email: 0, call: 0 };
  // not in the night: from the set hour in Japan (the hour event reminders go out)
  if (new Date(clock.now().getTime() + 9 * 3_600_000).getUTCHours() < (opts.fromHour ?? 0)) return counts;
  const tomorrow = addDays(japanDate(clock.now()), 1);
  const { rows } = await db.query<{ municipality_id: string; id: string; session_id: string; booked_by: string | null; nickname: string; day: string; starts_at: string; email: string | null }>(
    `SELECT b.municipality_id, b.id, b.session_id, b.booked_by, b.nickname, d.day, to_char(s.starts_at, 'HH24:MI') AS starts_at, b.email FROM consultation_day_booking b
     JOIN consultation_day_session s ON s.municipality_id = b.municipality_id AND s.id = b.session_id
     JOIN consultation_day d ON d.municipality_id = s.municipality_id AND d.id = s.day_id
     WHERE d.day = $1 AND b.cancelled_at IS NULL AND b.reminder_sent_at IS NULL AND (b.phone IS NOT NULL OR b.email IS NOT NULL)`, [tomorrow]);
  for (const r of rows) {
    await db.transaction(async (tx) => {
      const claimed = await tx.query('UPDATE consultation_day_booking SET reminder_sent_at = $3 WHERE municipality_id = $1 AND id = $2 AND reminder_sent_at IS NULL AND cancelled_at IS NULL RETURNING id',
        [r.municipality_id, r.id, clock.now()]);
      if (!claimed.rows.length) return;
      const channel = r.email ? 'email' : 'phone';
      const queued = await tx.query(
        `INSERT INTO consultation_day_reminder (municipality_id, id, booking_id, session_id, starts_at, channel, created_at, sent_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
         ON CONFLICT (municipality_id, booking_id, session_id, starts_at) DO NOTHING RETURNING id`,
        [r.municipality_id, randomUUID(), r.id, r.session_id, startOf(r.day, r.starts_at), channel, clock.now(), channel === 'phone' ? clock.now() : null]);
      if (!queued.rows.length) return;
      if (channel === 'phone') await callTask(tx, clock, r, 'phone');
      counts.reminded++;
      counts[channel === 'email' ? 'email' : 'call']++;
    });
  }
  return counts;
}

/**
 * Sends the queued email reminders through the outside sender. Each is
 * claimed before it is sent (two instances, or two runs that overlap, never
 * send it twice), rendered from the booking as it is now, and marked sent after
 * the sender returned; a failure is recorded and retried on the next run, and
 * after the last attempt the window gets a call task instead. A reminder whose
 * booking was cancelled or moved meanwhile is dropped, not sent.
 */
export async function deliverConsultationDayReminders({ db, clock }: Deps, sender: MessageSender): Promise<{ sent: number; failed: number; dropped: number }> {
  const now = clock.now();
  const { rows } = await db.query<{
    municipality_id: string; id: string; booking_id: string; live: boolean; nickname: string; email: string | null; day: string; starts_at: string; ends_at: string;
    place: string | null; booked_by: string | null; attempts: number;
  }>(
    `SELECT r.municipality_id, r.id, r.booking_id, (b.cancelled_at IS NULL AND b.session_id = r.session_id AND d.day >= $2::date AND (d.day + s.starts_at) = (r.starts_at AT TIME ZONE 'Asia/Tokyo')) AS live, b.nickname, b.email, d.day,
       to_char(s.starts_at, 'HH24:MI') AS starts_at, to_char(s.ends_at, 'HH24:MI') AS ends_at, d.place, b.booked_by, r.attempts
     FROM consultation_day_reminder r
     JOIN consultation_day_booking b ON b.municipality_id = r.municipality_id AND b.id = r.booking_id
     JOIN consultation_day_session s ON s.municipality_id = r.municipality_id AND s.id = r.session_id
     JOIN consultation_day d ON d.municipality_id = s.municipality_id AND d.id = s.day_id
     WHERE r.channel = 'email' AND r.sent_at IS NULL AND r.dropped_at IS NULL AND r.attempts < $3 AND (r.claimed_until IS NULL OR r.claimed_until < $1)
     ORDER BY r.created_at, r.id`, [now, japanDate(now), MAX_ATTEMPTS]);
  const out = { sent: 0, failed: 0, dropped: 0 };
  for (const m of rows) {
    if (!m.live || !m.email) {
      await db.query('UPDATE consultation_day_reminder SET dropped_at = $3 WHERE municipality_id = $1 AND id = $2 AND sent_at IS NULL', [m.municipality_id, m.id, now]);
      out.dropped++;
      continue;
    }
    const { rows: claimed } = await db.query(
      `UPDATE consultation_day_reminder SET claimed_until = $3
       WHERE municipality_id = $1 AND id = $2 AND sent_at IS NULL AND dropped_at IS NULL AND (claimed_until IS NULL OR claimed_until < $4) RETURNING id`,
      [m.municipality_id, m.id, new Date(now.getTime() + CLAIM_MS), now]);
    if (!claimed[0]) continue;
    try {
      await sender.send({ id: m.id, kind: 'consultation_day_reminder', ...renderReminder({ nickname: m.nickname, day: m.day, startsAt: m.starts_at, endsAt: m.ends_at, place: m.place }) },
        [{ address: m.email, channel: 'email', name: m.nickname }]);
      await db.query('UPDATE consultation_day_reminder SET sent_at = $3, attempts = attempts + 1, last_error = NULL, claimed_until = NULL WHERE municipality_id = $1 AND id = $2',
        [m.municipality_id, m.id, clock.now()]);
      out.sent++;
    } catch (e) {
      await db.transaction(async (tx) => {
        await tx.query('UPDATE consultation_day_reminder SET attempts = attempts + 1, last_error = $3, claimed_until = NULL WHERE municipality_id = $1 AND id = $2',
          [m.municipality_id, m.id, String((e as Error).message).slice(0, 500)]);
        if (m.attempts + 1 >= MAX_ATTEMPTS) await callTask(tx, clock, { ...m, id: m.booking_id }, 'email_failed');
      });
      out.failed++;
    }
  }
  return out;
}
