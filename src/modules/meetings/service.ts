import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { japanDate } from '../../lib/fiscal.ts';
import { decodeKeyset, keysetPage, type KeyValues, type Page, type PageParams } from '../../lib/pagination.ts';
import { recordAudit } from '../audit/service.ts';
import { caseVisibleSql } from '../cases/access.ts';
import { appendCaseEvent, caseAccess, casesDueForReview, confirmPlan, meetingCaseFacts, type MeetingCaseFacts } from '../cases/service.ts';
import { listMeetingSeries, listOrganizations, type Cadence, type MeetingSeries } from '../network/service.ts';
import { LEGAL_BASES } from '../network/vocabulary.ts';
import { casesWithOverdueReferrals } from '../referrals/service.ts';
import { checkRule, checkTime, describeRule, japanTime, occurrences, type HolidayShift, type RecurrenceRule } from './schedule.ts';
import { CONFIDENTIALITY_STATEMENT, isStatutory } from './sharing.ts';
import { outreachOverdueForReview } from '../programs/outreach.ts';

/**
 * Coordination meetings (the meetings issue): sessions of the profile's
 * series, agendas Tsunagu proposes and the coordinator settles, minutes,
 * decisions, action items followed to their end, and agreed rules (統一見解).
 *
 * Who sees what of a session: the coordinator (hub) everything; staff of an
 * invited organisation (a series member or one the coordinator adds) the
 * agenda, each case item at the view `itemView` decides; a guest only what
 * the invitation allows. Everyone else gets 404, as for a hidden case.
 */
export type ItemView = 'full' | 'summary' | 'pseudonymised' | 'hidden';
export type AgendaReason = 'plan_review' | 'referral_overdue' | 'outreach_overdue' | 'no_contact' | 'complex' | 'action_overdue' | 'added';
type Ref = { id: string; name: string };

/** Days without contact after which an open case is proposed for review, unless the coordinator says otherwise. */
export const NO_CONTACT_DAYS = 60;

const LIAISON = 'liaison';

// ---------------------------------------------------------------- rows and views

interface SessionRow {
  id: string; series_id: string; recurrence_id: string | null; starts_at: Date; ends_at: Date; moved_from: string | null; place: string | null;
  status: 'scheduled' | 'held' | 'cancelled'; share_from: Date; share_until: Date; version: number; agenda_count?: number;
}

export interface SessionSummary {
  id: string;
  series: Ref & { statutory: boolean };
  date: string;
  startsAt: Date;
  endsAt: Date;
  movedFrom: string | null;
  place: string | null;
  status: SessionRow['status'];
  shareFrom: Date;
  shareUntil: Date;
  windowOpen: boolean;
  agendaCount: number;
  version: number;
}

export interface SeriesView {
  id: string; key: string; name: string; nameEn: string | null; legalBasis: string; legalBasisLabel: { ja: string; en: string };
  statutory: boolean; casesAllowed: boolean; purpose: string; cadence: Cadence; organizer: Ref | null; members: Ref[];
  memberLevel: string | null;
  recurrence: { id: string; rule: RecurrenceRule; holidayShift: HolidayShift; place: string | null; description: { ja: string; en: string } } | null;
  confidentialityStatement: string | null;
  acknowledgedAt: Date | null;
  feedUrl: string | null;
  nextSession: SessionSummary | null;
}

export interface CaseOnAgenda {
  id: string; reference: string; status: string; lead: Ref;
  person: MeetingCaseFacts['person']; issueTags: string[]; lastContactAt: Date | null; plan: MeetingCaseFacts['plan']; canOpen: boolean;
}

export interface AgendaItem {
  id: string; position: number; kind: 'case' | 'topic' | 'action_review'; reason: AgendaReason; reasonDetail: string | null;
  title: string | null; label: string; view: ItemView; case: CaseOnAgenda | null;
  pseudonym: { label: string; ageBand: { min: number; max: number } | null; issueTags: string[] } | null;
  minutes: string | null; actionItemId: string | null; version: number;
}

export interface Decision { id: string; agendaItemId: string | null; text: string; recordedAt: Date; ruleId: string | null; confirmedPlanId: string | null }

export interface ActionItem {
  id: string; session: { id: string; date: string; seriesName: string }; organization: Ref; description: string; dueOn: string;
  status: 'open' | 'done' | 'cancelled'; overdue: boolean; doneAt: Date | null; doneNote: string | null;
  case: { id: string; reference: string | null; label: string } | null; decisionId: string | null; version: number;
}

export interface SessionDetail extends Omit<SessionSummary, 'series'> {
  series: { id: string; name: string; legalBasis: string; legalBasisLabel: { ja: string; en: string }; statutory: boolean; casesAllowed: boolean };
  viewer: { mode: 'coordinator' | 'member' | 'guest'; acknowledged: boolean; needsAcknowledgement: boolean };
  agenda: AgendaItem[];
  attendance: { organization: Ref; present: boolean | null; attendeeNames: string | null }[];
  decisions: Decision[];
  actionItems: ActionItem[];
  guests: { id: string; user: { id: string; displayName: string }; kind: string; sees: string; present: boolean | null }[];
}

export interface Rule {
  id: string; number: number; title: string; body: string; inForceFrom: string;
  source: { sessionId: string; date: string; seriesName: string; decisionId: string };
  routingRuleKey: string | null; supersedes: { id: string; number: number } | null; endedAt: Date | null; endedBy: { sessionId: string; date: string } | null;
}

const basisLabel = (code: string) => {
  const b = LEGAL_BASES.find((x) => x.code === code);
  return { ja: b?.ja ?? code, en: b?.en ?? code };
};

const isCoordinator = (actor: Actor) => actor.role === 'hub_coordinator';

function requireCoordinator(actor: Actor) {
  if (!isCoordinator(actor)) throw forbidden('Only the hub coordinator runs meetings: schedules, agendas, minutes and decisions.');
}

async function seriesOf(db: Db, mid: string): Promise<Map<string, MeetingSeries>> {
  return new Map((await listMeetingSeries(db, mid)).map((s) => [s.id, s]));
}

async function getSeries(db: Db, mid: string, id: string): Promise<MeetingSeries> {
  const s = (await seriesOf(db, mid)).get(id);
  if (!s) throw notFound('meeting series');
  return s;
}

function summary(r: SessionRow, s: MeetingSeries, now: Date): SessionSummary {
  return {
    id: r.id, series: { id: s.id, name: s.name, statutory: isStatutory(s.legalBasis) }, date: japanDate(r.starts_at), startsAt: r.starts_at, endsAt: r.ends_at,
    movedFrom: r.moved_from, place: r.place, status: r.status, shareFrom: r.share_from, shareUntil: r.share_until,
    windowOpen: r.status !== 'cancelled' && now >= r.share_from && now < r.share_until, agendaCount: r.agenda_count ?? 0, version: r.version,
  };
}

const SESSION_SELECT = `SELECT ms.id, ms.series_id, ms.recurrence_id, ms.starts_at, ms.ends_at, ms.moved_from::text, ms.place, ms.status, ms.share_from, ms.share_until, ms.version,
  (SELECT count(*)::int FROM meeting_agenda_item ai WHERE ai.municipality_id = ms.municipality_id AND ai.session_id = ms.id) AS agenda_count
  FROM meeting_session ms`;

// ---------------------------------------------------------------- series, recurrence, feed

export async function listSeries({ db, clock }: Deps, actor: Actor): Promise<SeriesView[]> {
  const mid = actor.municipalityId!;
  const now = clock.now();
  const series = await listMeetingSeries(db, mid);
  const { rows: recs } = await db.query<{ id: string; series_id: string; rule: RecurrenceRule; holiday_shift: HolidayShift; place: string | null }>(
    'SELECT id, series_id, rule, holiday_shift, place FROM meeting_recurrence WHERE municipality_id = $1 AND ended_at IS NULL', [mid]);
  const { rows: acks } = await db.query<{ series_id: string; acknowledged_at: Date }>(
    'SELECT series_id, acknowledged_at FROM meeting_acknowledgement WHERE municipality_id = $1 AND user_id = $2', [mid, actor.userId]);
  const { rows: feeds } = await db.query<{ series_id: string; token: string }>('SELECT series_id, token FROM meeting_feed WHERE municipality_id = $1', [mid]);
  const { rows: next } = await db.query<SessionRow>(
    `${SESSION_SELECT} WHERE ms.municipality_id = $1 AND ms.status = 'scheduled' AND ms.ends_at > $2
     AND ms.starts_at = (SELECT min(x.starts_at) FROM meeting_session x WHERE x.municipality_id = ms.municipality_id AND x.series_id = ms.series_id AND x.status = 'scheduled' AND x.ends_at > $2)`,
    [mid, now]);
  return series.map((s) => {
    const rec = recs.find((r) => r.series_id === s.id);
    const feed = feeds.find((f) => f.series_id === s.id);
    const n = next.find((r) => r.series_id === s.id);
    return {
      id: s.id, key: s.key, name: s.name, nameEn: s.nameEn, legalBasis: s.legalBasis, legalBasisLabel: basisLabel(s.legalBasis),
      statutory: isStatutory(s.legalBasis), casesAllowed: s.legalBasis !== LIAISON, purpose: s.purpose, cadence: s.cadence,
      organizer: s.organizer, members: s.members, memberLevel: s.memberLevel,
      recurrence: rec ? { id: rec.id, rule: rec.rule, holidayShift: rec.holiday_shift, place: rec.place, description: describeRule(rec.rule) } : null,
      confidentialityStatement: isStatutory(s.legalBasis) ? CONFIDENTIALITY_STATEMENT : null,
      acknowledgedAt: acks.find((a) => a.series_id === s.id)?.acknowledged_at ?? null,
      feedUrl: isCoordinator(actor) && feed ? `/api/meetings/feeds/${feed.token}.ics` : null,
      nextSession: n ? summary(n, s, now) : null,
    };
  });
}

async function seriesView(deps: Deps, actor: Actor, id: string): Promise<SeriesView> {
  const v = (await listSeries(deps, actor)).find((s) => s.id === id);
  if (!v) throw notFound('meeting series');
  return v;
}

export interface RecurrenceInput { rule: RecurrenceRule; holidayShift: HolidayShift; place?: string; count: number }

/**
 * Sets the series' recurrence and schedules its next `count` sessions from
 * today, moved off holidays. Dates already holding a session of the series
 * are left as they are; an earlier recurrence ends (its sessions stay).
 */
export async function setRecurrence(deps: Deps, actor: Actor, seriesId: string, input: RecurrenceInput): Promise<{ series: SeriesView; sessions: SessionSummary[] }> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const series = await getSeries(db, mid, seriesId);
  const fields = checkRule(input.rule);
  if (!Number.isInteger(input.count) || input.count < 1 || input.count > 24) fields.push({ field: 'count', message: 'Schedule between 1 and 24 sessions ahead.' });
  if (fields.length) throw badRequest('The schedule could not be set.', fields);
  const now = clock.now();
  const dates = occurrences(input.rule, input.holidayShift, japanDate(now), input.count).filter((o) => o.startsAt > now);
  const created: string[] = [];
  await db.transaction(async (tx) => {
    await tx.query('UPDATE meeting_recurrence SET ended_at = $3 WHERE municipality_id = $1 AND series_id = $2 AND ended_at IS NULL', [mid, seriesId, now]);
    const recurrenceId = randomUUID();
    await tx.query(
      `INSERT INTO meeting_recurrence (municipality_id, id, series_id, rule, holiday_shift, place, created_at, created_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [mid, recurrenceId, seriesId, JSON.stringify(input.rule), input.holidayShift, input.place ?? null, now, actor.userId]);
    const { rows: existing } = await tx.query<{ d: string }>(
      `SELECT DISTINCT (starts_at AT TIME ZONE 'Asia/Tokyo')::date::text AS d FROM meeting_session WHERE municipality_id = $1 AND series_id = $2 AND status <> 'cancelled'`, [mid, seriesId]);
    const taken = new Set(existing.map((r) => r.d));
    for (const o of dates) {
      if (taken.has(o.date)) continue;
      created.push(await insertSession(tx, actor, now, series, { startsAt: o.startsAt, endsAt: o.endsAt, movedFrom: o.movedFrom, place: input.place ?? null, recurrenceId }));
    }
    await recordAudit(tx, clock, actor, { action: 'meeting.schedule', entityType: 'meeting_series', entityId: seriesId, reason: 'meeting', details: { rule: input.rule, holidayShift: input.holidayShift, sessions: created.length } });
  });
  const { rows } = await deps.db.query<SessionRow>(`${SESSION_SELECT} WHERE ms.municipality_id = $1 AND ms.id = ANY($2::uuid[]) ORDER BY ms.starts_at, ms.id`, [mid, created]);
  return { series: await seriesView(deps, actor, seriesId), sessions: rows.map((r) => summary(r, series, clock.now())) };
}

async function insertSession(tx: Db, actor: Actor, now: Date, series: MeetingSeries,
  s: { startsAt: Date; endsAt: Date; movedFrom: string | null; place: string | null; recurrenceId: string | null }): Promise<string> {
  const mid = actor.municipalityId!;
  const id = randomUUID();
  // by default the cases are shared from the session's start to its end
  await tx.query(
    `INSERT INTO meeting_session (municipality_id, id, series_id, recurrence_id, starts_at, ends_at, moved_from, place, status, share_from, share_until, created_at, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'scheduled',$5,$6,$9,$10)`,
    [mid, id, series.id, s.recurrenceId, s.startsAt, s.endsAt, s.movedFrom, s.place, now, actor.userId]);
  for (const m of series.members)
    await tx.query('INSERT INTO meeting_attendance (municipality_id, session_id, organization_id, recorded_at, recorded_by) VALUES ($1,$2,$3,$4,$5)', [mid, id, m.id, now, actor.userId]);
  return id;
}

export async function acknowledgeConfidentiality({ db, clock }: Deps, actor: Actor, seriesId: string): Promise<SeriesView> {
  const mid = actor.municipalityId!;
  const series = await getSeries(db, mid, seriesId);
  if (!isStatutory(series.legalBasis)) throw conflict('This meeting is not a 支援会議; nothing is shared in it without consent, so there is nothing to acknowledge.');
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO meeting_acknowledgement (municipality_id, series_id, user_id, statement, acknowledged_at) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (municipality_id, series_id, user_id) DO UPDATE SET statement = EXCLUDED.statement, acknowledged_at = EXCLUDED.acknowledged_at`,
      [mid, seriesId, actor.userId, CONFIDENTIALITY_STATEMENT, clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'meeting.acknowledge', entityType: 'meeting_series', entityId: seriesId, reason: 'confidentiality', details: { statement: CONFIDENTIALITY_STATEMENT } });
  });
  return seriesView({ db, clock }, actor, seriesId);
}

/** The confidentiality acknowledgements on file for a series (守秘義務の確認), for the hub and the privacy officer. */
export async function listAcknowledgements({ db, clock }: Deps, actor: Actor, seriesId: string) {
  if (!['hub_coordinator', 'privacy_officer', 'auditor'].includes(actor.role ?? '')) throw forbidden('The hub and the privacy officer read the acknowledgements.');
  const mid = actor.municipalityId!;
  await getSeries(db, mid, seriesId);
  const { rows } = await db.query<{ user_id: string; display_name: string; login: string; organizations: { id: string; name: string }[]; statement: string; acknowledged_at: Date }>(
    `SELECT a.user_id, u.display_name, u.login, a.statement, a.acknowledged_at,
            COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.key) FROM membership m
                      JOIN organization o ON o.municipality_id = m.municipality_id AND o.id = m.organization_id
                      WHERE m.user_id = a.user_id AND m.municipality_id = a.municipality_id), '[]'::json) AS organizations
     FROM meeting_acknowledgement a JOIN app_user u ON u.id = a.user_id
     WHERE a.municipality_id = $1 AND a.series_id = $2 ORDER BY a.acknowledged_at`, [mid, seriesId]);
  await recordAudit(db, clock, actor, { action: 'meeting.acknowledgements_read', entityType: 'meeting_series', entityId: seriesId, reason: 'review' });
  return rows.map((r) => ({ user: { id: r.user_id, displayName: r.display_name, login: r.login }, organizations: r.organizations, statement: r.statement, acknowledgedAt: r.acknowledged_at }));
}

export async function createFeed({ db, clock }: Deps, actor: Actor, seriesId: string): Promise<{ url: string }> {
  requireCoordinator(actor);
  const mid = actor.municipalityId!;
  await getSeries(db, mid, seriesId);
  await db.query(
    `INSERT INTO meeting_feed (municipality_id, series_id, token, created_at) VALUES ($1,$2,$3,$4) ON CONFLICT (municipality_id, series_id) DO NOTHING`,
    [mid, seriesId, randomBytes(24).toString('base64url'), clock.now()]);
  const { rows } = await db.query<{ token: string }>('SELECT token FROM meeting_feed WHERE municipality_id = $1 AND series_id = $2', [mid, seriesId]);
  return { url: `/api/meetings/feeds/${rows[0].token}.ics` };
}

/** The sessions of the series a feed token names (no sign-in; dates, times, places and the series name only). */
export async function feedSessions(db: Db, token: string): Promise<{ series: MeetingSeries; municipalityId: string; sessions: SessionRow[] }> {
  const { rows } = await db.query<{ municipality_id: string; series_id: string }>('SELECT municipality_id, series_id FROM meeting_feed WHERE token = $1', [token]);
  if (!rows[0]) throw notFound('calendar');
  const series = await getSeries(db, rows[0].municipality_id, rows[0].series_id);
  const { rows: sessions } = await db.query<SessionRow>(`${SESSION_SELECT} WHERE ms.municipality_id = $1 AND ms.series_id = $2 ORDER BY ms.starts_at`, [rows[0].municipality_id, rows[0].series_id]);
  return { series, municipalityId: rows[0].municipality_id, sessions };
}

// ---------------------------------------------------------------- sessions

const SESSION_KEY = ['timestamp', 'uuid'] as const;

export interface SessionQuery extends PageParams { from?: string; to?: string; seriesId?: string; caseId?: string }

/** A page of sessions of the active series, by start time: in a date range (the calendar), of a series, or whose agenda held a case. */
export async function listSessions({ db, clock }: Deps, actor: Actor, q: SessionQuery): Promise<Page<SessionSummary>> {
  const mid = actor.municipalityId!;
  // the sessions that reviewed a case, for those who work the case in full (a referral's 支援会議 basis)
  if (q.caseId && (await caseAccess({ db, clock }, actor, q.caseId)) !== 'full') throw notFound('case');
  const after = decodeKeyset(q.cursor, SESSION_KEY);
  const limit = q.limit ?? 50;
  const series = await seriesOf(db, mid);
  const { rows: fetched } = await db.query<SessionRow>(
    `${SESSION_SELECT} WHERE ms.municipality_id = $1 AND ms.series_id = ANY($2::uuid[]) AND ($3::uuid IS NULL OR ms.series_id = $3)
       AND ($4::date IS NULL OR ms.ends_at >= ($4::date::timestamp AT TIME ZONE 'Asia/Tokyo'))
       AND ($5::date IS NULL OR ms.starts_at < (($5::date + 1)::timestamp AT TIME ZONE 'Asia/Tokyo'))
       AND ($6::uuid IS NULL OR EXISTS (SELECT 1 FROM meeting_agenda_item ai WHERE ai.municipality_id = ms.municipality_id AND ai.session_id = ms.id AND ai.case_id = $6))
       ${after ? 'AND (ms.starts_at, ms.id) > ($8::timestamptz, $9::uuid)' : ''}
     ORDER BY ms.starts_at, ms.id LIMIT $7`,
    [mid, [...series.keys()], q.seriesId ?? null, q.from ?? null, q.to ?? null, q.caseId ?? null, limit + 1, ...(after ?? [])]);
  const { rows, nextCursor } = keysetPage(fetched, limit, (r) => [r.starts_at, r.id]);
  const now = clock.now();
  return { items: rows.map((r) => summary(r, series.get(r.series_id)!, now)), nextCursor };
}

export interface SessionInput { seriesId: string; date: string; start: string; minutes: number; place?: string }

export async function createSession(deps: Deps, actor: Actor, input: SessionInput): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const series = await getSeries(db, actor.municipalityId!, input.seriesId);
  const fields: FieldError[] = checkTime(input);
  if (fields.length) throw badRequest('The session could not be scheduled.', fields);
  const startsAt = japanTime(input.date, input.start);
  let id = '';
  await db.transaction(async (tx) => {
    id = await insertSession(tx, actor, clock.now(), series, { startsAt, endsAt: new Date(startsAt.getTime() + input.minutes * 60_000), movedFrom: null, place: input.place ?? null, recurrenceId: null });
    await recordAudit(tx, clock, actor, { action: 'meeting.session_create', entityType: 'meeting_session', entityId: id, reason: 'meeting' });
  });
  return getSession(deps, actor, id);
}

async function loadSession(db: Db, mid: string, id: string, lock = false): Promise<SessionRow> {
  const { rows } = await db.query<SessionRow>(`${SESSION_SELECT} WHERE ms.municipality_id = $1 AND ms.id = $2${lock ? ' FOR UPDATE OF ms' : ''}`, [mid, id]);
  if (!rows[0]) throw notFound('meeting session');
  return rows[0];
}

interface Seat { mode: 'coordinator' | 'member' | 'guest'; acknowledged: boolean; guestSees?: 'topics' | 'pseudonymised' }

/** The actor's seat at a session, or 404 when they have none. */
async function seatOf(db: Db, actor: Actor, session: SessionRow, series: MeetingSeries): Promise<Seat> {
  const mid = actor.municipalityId!;
  if (isCoordinator(actor)) return { mode: 'coordinator', acknowledged: true };
  const { rows: ack } = await db.query('SELECT 1 FROM meeting_acknowledgement WHERE municipality_id = $1 AND series_id = $2 AND user_id = $3', [mid, series.id, actor.userId]);
  if (actor.role === 'org_staff') {
    const { rows } = await db.query('SELECT 1 FROM meeting_attendance WHERE municipality_id = $1 AND session_id = $2 AND organization_id = $3', [mid, session.id, actor.organizationId]);
    if (rows.length > 0 || series.organizer?.id === actor.organizationId) return { mode: 'member', acknowledged: ack.length > 0 };
  }
  if (actor.role === 'meeting_guest') {
    const { rows } = await db.query<{ sees: 'topics' | 'pseudonymised' }>('SELECT sees FROM meeting_guest WHERE municipality_id = $1 AND session_id = $2 AND user_id = $3', [mid, session.id, actor.userId]);
    if (rows[0]) return { mode: 'guest', acknowledged: ack.length > 0, guestSees: rows[0].sees };
  }
  throw notFound('meeting session');
}

interface ItemRow {
  id: string; position: number; kind: AgendaItem['kind']; case_id: string | null; action_item_id: string | null; reason: AgendaReason; reason_detail: string | null;
  title: string | null; label: string; minutes: string | null; version: number;
}

/**
 * How much of a case item a seat shows. Case content is shown only while the
 * session's window is open (the coordinator, and staff who see the case in
 * full anyway, excepted): in a 支援会議 to acknowledged members; elsewhere to a
 * member whose organisation the person's active consent names. Otherwise a
 * member sees the pseudonym; a guest what the invitation says.
 */
async function itemView(deps: Deps, actor: Actor, seat: Seat, series: MeetingSeries, windowOpen: boolean, caseId: string): Promise<{ view: ItemView; access: string }> {
  if (seat.mode === 'coordinator') return { view: 'full', access: 'full' };
  if (seat.mode === 'guest') return { view: seat.guestSees === 'pseudonymised' ? 'pseudonymised' : 'hidden', access: 'none' };
  const access = await caseAccess(deps, actor, caseId);
  if (access === 'full') return { view: 'full', access };
  if (!windowOpen) return { view: 'pseudonymised', access };
  if (isStatutory(series.legalBasis)) return { view: seat.acknowledged ? 'summary' : 'pseudonymised', access };
  const { rows } = await deps.db.query(
    `SELECT 1 FROM support_case c JOIN consent k ON k.municipality_id = c.municipality_id AND k.person_id = c.person_id AND k.withdrawn_at IS NULL
     JOIN consent_organization ko ON ko.municipality_id = k.municipality_id AND ko.consent_id = k.id AND ko.organization_id = $3
     WHERE c.municipality_id = $1 AND c.id = $2 LIMIT 1`, [actor.municipalityId, caseId, actor.organizationId]);
  return { view: rows.length ? 'summary' : 'pseudonymised', access };
}

export async function getSession(deps: Deps, actor: Actor, id: string): Promise<SessionDetail> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const now = clock.now();
  const row = await loadSession(db, mid, id);
  const series = await getSeries(db, mid, row.series_id);
  const seat = await seatOf(db, actor, row, series);
  const base = summary(row, series, now);
  const { rows: items } = await db.query<ItemRow>(
    'SELECT id, position, kind, case_id, action_item_id, reason, reason_detail, title, label, minutes, version FROM meeting_agenda_item WHERE municipality_id = $1 AND session_id = $2 ORDER BY position',
    [mid, id]);
  const caseIds = [...new Set(items.flatMap((i) => (i.case_id ? [i.case_id] : [])))];
  const facts = await meetingCaseFacts(db, mid, caseIds, japanDate(now));
  const views = new Map<string, { view: ItemView; access: string }>();
  for (const cid of caseIds) views.set(cid, await itemView(deps, actor, seat, series, base.windowOpen, cid));
  const agenda: AgendaItem[] = items.map((i) => {
    const f = i.case_id ? facts.get(i.case_id) : undefined;
    const v = i.case_id ? views.get(i.case_id)! : { view: seat.mode === 'guest' && i.kind !== 'topic' ? 'hidden' as const : 'full' as const, access: 'none' };
    const shows = v.view === 'full' || v.view === 'summary';
    return {
      id: i.id, position: i.position, kind: i.kind, reason: i.reason, reasonDetail: shows || !i.case_id ? i.reason_detail : null,
      title: v.view === 'hidden' ? null : i.title, label: i.label, view: v.view,
      case: f && shows ? {
        id: f.caseId, reference: f.reference, status: f.status, lead: f.lead, person: f.person, issueTags: f.issueTags, lastContactAt: f.lastContactAt, plan: f.plan,
        canOpen: v.access !== 'none' || (isStatutory(series.legalBasis) && v.view === 'summary'),
      } : null,
      pseudonym: f && v.view === 'pseudonymised' ? { label: i.label, ageBand: f.person.ageBand, issueTags: f.issueTags } : null,
      minutes: shows || (!i.case_id && v.view !== 'hidden') ? i.minutes : null,
      actionItemId: i.action_item_id, version: i.version,
    };
  });
  const shownCases = agenda.filter((a) => a.case && a.view === 'summary').map((a) => a.case!.id);
  if (seat.mode !== 'coordinator' || caseIds.length > 0)
    await recordAudit(db, clock, actor, {
      action: 'meeting.agenda_read', entityType: 'meeting_session', entityId: id, reason: 'meeting',
      details: { seriesId: series.id, legalBasis: series.legalBasis, casesShown: agenda.filter((a) => a.case).map((a) => a.case!.id), sharedByMeeting: shownCases },
    });
  // each case shown through the meeting is audited on the case itself, with the meeting as reason
  for (const cid of shownCases)
    await recordAudit(db, clock, actor, { action: 'case.read', entityType: 'support_case', entityId: cid, reason: 'meeting', details: { access: 'meeting', meetingSessionId: id, view: 'agenda' } });
  const decisions = await listDecisions(db, mid, id);
  const hideCaseDetail = (itemId: string | null) => {
    const it = agenda.find((a) => a.id === itemId);
    return !!it && it.kind === 'case' && it.view !== 'full' && it.view !== 'summary';
  };
  // one session's items, all of them (no page)
  const actionItems = seat.mode === 'guest' ? [] : (await listActionItemsWhere(deps, actor, 'a.session_id = $2', [id])).items;
  const { rows: att } = await db.query<{ organization_id: string; name: string; present: boolean | null; attendee_names: string | null }>(
    `SELECT a.organization_id, o.name, a.present, a.attendee_names FROM meeting_attendance a JOIN organization o ON o.municipality_id = a.municipality_id AND o.id = a.organization_id
     WHERE a.municipality_id = $1 AND a.session_id = $2 ORDER BY o.key`, [mid, id]);
  const { rows: guests } = seat.mode === 'coordinator' ? await db.query<{ id: string; user_id: string; display_name: string; kind: string; sees: string; present: boolean | null }>(
    `SELECT g.id, g.user_id, u.display_name, g.kind, g.sees, g.present FROM meeting_guest g JOIN app_user u ON u.id = g.user_id
     WHERE g.municipality_id = $1 AND g.session_id = $2 ORDER BY g.invited_at`, [mid, id]) : { rows: [] };
  return {
    ...base,
    series: { id: series.id, name: series.name, legalBasis: series.legalBasis, legalBasisLabel: basisLabel(series.legalBasis), statutory: isStatutory(series.legalBasis), casesAllowed: series.legalBasis !== LIAISON },
    viewer: { mode: seat.mode, acknowledged: seat.acknowledged, needsAcknowledgement: seat.mode === 'member' && isStatutory(series.legalBasis) && !seat.acknowledged },
    agenda,
    attendance: att.map((a) => ({ organization: { id: a.organization_id, name: a.name }, present: a.present, attendeeNames: a.attendee_names })),
    decisions: seat.mode === 'guest' ? decisions.filter((d) => !d.agendaItemId || !hideCaseDetail(d.agendaItemId)) : decisions.filter((d) => !hideCaseDetail(d.agendaItemId)),
    actionItems,
    guests: guests.map((g) => ({ id: g.id, user: { id: g.user_id, displayName: g.display_name }, kind: g.kind, sees: g.sees, present: g.present })),
  };
}

export interface SessionPatch { version: number; date?: string; start?: string; minutes?: number; place?: string | null; status?: SessionRow['status']; shareFrom?: string; shareUntil?: string }

export async function updateSession(deps: Deps, actor: Actor, id: string, input: SessionPatch): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    const cur = await loadSession(tx, mid, id, true);
    if (cur.version !== input.version) throw conflict(`Someone changed this session since you opened it (now version ${cur.version}). Reload it and try again.`);
    const fields: FieldError[] = checkTime({ start: input.start ?? '00:00', minutes: input.minutes ?? 60 });
    const curMinutes = Math.round((cur.ends_at.getTime() - cur.starts_at.getTime()) / 60_000);
    const curStart = new Date(cur.starts_at.getTime() + 9 * 3_600_000).toISOString().slice(11, 16);
    const startsAt = input.date || input.start ? japanTime(input.date ?? japanDate(cur.starts_at), input.start ?? curStart) : cur.starts_at;
    const endsAt = new Date(startsAt.getTime() + (input.minutes ?? curMinutes) * 60_000);
    const moved = startsAt.getTime() !== cur.starts_at.getTime() || endsAt.getTime() !== cur.ends_at.getTime();
    // a moved session moves its default window with it; an explicit window wins
    const shareFrom = input.shareFrom ? new Date(input.shareFrom) : moved && cur.share_from.getTime() === cur.starts_at.getTime() ? startsAt : cur.share_from;
    const shareUntil = input.shareUntil ? new Date(input.shareUntil) : moved && cur.share_until.getTime() === cur.ends_at.getTime() ? endsAt : cur.share_until;
    if (!(shareUntil > shareFrom)) fields.push({ field: 'shareUntil', message: 'The sharing window must end after it starts.' });
    if (shareUntil.getTime() - shareFrom.getTime() > 7 * 86_400_000) fields.push({ field: 'shareUntil', message: 'A sharing window may last at most 7 days.' });
    if (fields.length) throw badRequest('The session could not be changed.', fields);
    await tx.query(
      `UPDATE meeting_session SET starts_at = $3, ends_at = $4, place = $5, status = $6, share_from = $7, share_until = $8, moved_from = CASE WHEN $9 THEN NULL ELSE moved_from END, version = version + 1
       WHERE municipality_id = $1 AND id = $2`,
      [mid, id, startsAt, endsAt, input.place === undefined ? cur.place : input.place, input.status ?? cur.status, shareFrom, shareUntil, moved]);
    await recordAudit(tx, clock, actor, { action: 'meeting.session_update', entityType: 'meeting_session', entityId: id, reason: 'meeting', details: { changed: Object.keys(input).filter((k) => k !== 'version'), shareFrom, shareUntil } });
  });
  return getSession(deps, actor, id);
}

async function bump(tx: Db, mid: string, sessionId: string) {
  await tx.query('UPDATE meeting_session SET version = version + 1 WHERE municipality_id = $1 AND id = $2', [mid, sessionId]);
}

// ---------------------------------------------------------------- agenda

export interface Proposal { kind: 'case' | 'action_review'; caseId: string | null; actionItemId: string | null; reason: AgendaReason; reasonDetail: string | null; reference: string; onAgenda: boolean }

/**
 * What the session should review: cases whose plan review falls before it,
 * with overdue referrals, with no contact for `noContactDays`, flagged
 * complex; and the series' open action items past their due date.
 */
export async function proposeAgenda(deps: Deps, actor: Actor, sessionId: string, noContactDays = NO_CONTACT_DAYS): Promise<Proposal[]> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const session = await loadSession(db, mid, sessionId);
  const series = await getSeries(db, mid, session.series_id);
  const now = clock.now();
  const { rows: onAgenda } = await db.query<{ case_id: string | null; action_item_id: string | null }>(
    'SELECT case_id, action_item_id FROM meeting_agenda_item WHERE municipality_id = $1 AND session_id = $2', [mid, sessionId]);
  const proposals: Proposal[] = [];
  if (series.legalBasis !== LIAISON) {
    const sessionDate = japanDate(session.starts_at);
    const due = await casesDueForReview(db, mid, { reviewBy: sessionDate, noContactSince: new Date(now.getTime() - noContactDays * 86_400_000) });
    const overdue = await casesWithOverdueReferrals(db, mid, japanDate(now));
    const byCase = new Map<string, { reason: AgendaReason; detail: string | null }>();
    for (const o of overdue) byCase.set(o.caseId, { reason: 'referral_overdue', detail: `${o.count}件（最も古い期限 ${o.oldestDue}）` });
    // outreach with no visit for longer than its plan, in programs this series reviews (programs/outreach.ts)
    for (const o of await outreachOverdueForReview(db, mid, series.id, japanDate(now))) if (!byCase.has(o.caseId)) byCase.set(o.caseId, { reason: 'outreach_overdue', detail: o.detail });
    for (const d of due) if (!byCase.has(d.caseId) || d.reason === 'plan_review') byCase.set(d.caseId, { reason: d.reason, detail: d.detail ? (d.reason === 'no_contact' ? japanDate(new Date(d.detail)) : d.detail) : null });
    const facts = await meetingCaseFacts(db, mid, [...byCase.keys()], japanDate(now));
    for (const [caseId, p] of byCase) {
      const f = facts.get(caseId);
      if (!f || f.status === 'closed') continue;
      proposals.push({ kind: 'case', caseId, actionItemId: null, reason: p.reason, reasonDetail: p.detail, reference: f.reference, onAgenda: onAgenda.some((a) => a.case_id === caseId) });
    }
  }
  for (const a of await overdueActions(db, mid, series.id, now))
    proposals.push({ kind: 'action_review', caseId: a.case_id, actionItemId: a.id, reason: 'action_overdue', reasonDetail: a.due_on, reference: a.description, onAgenda: onAgenda.some((x) => x.action_item_id === a.id) });
  const order: AgendaReason[] = ['action_overdue', 'plan_review', 'referral_overdue', 'outreach_overdue', 'no_contact', 'complex', 'added'];
  return proposals.sort((a, b) => order.indexOf(a.reason) - order.indexOf(b.reason) || a.reference.localeCompare(b.reference));
}

async function overdueActions(db: Db, mid: string, seriesId: string, now: Date) {
  const { rows } = await db.query<{ id: string; case_id: string | null; description: string; due_on: string }>(
    `SELECT a.id, a.case_id, a.description, a.due_on::text FROM meeting_action_item a JOIN meeting_session ms ON ms.municipality_id = a.municipality_id AND ms.id = a.session_id
     WHERE a.municipality_id = $1 AND ms.series_id = $2 AND a.status = 'open' AND a.due_on < $3::date ORDER BY a.due_on`,
    [mid, seriesId, japanDate(now)]);
  return rows;
}

export type AgendaInput =
  | { kind: 'case'; caseId: string; reason?: AgendaReason; reasonDetail?: string }
  | { kind: 'topic'; title: string }
  | { kind: 'action_review'; actionItemId: string };

async function insertItems(tx: Db, clock: Clock, actor: Actor, session: SessionRow, series: MeetingSeries, items: AgendaInput[]): Promise<number> {
  const mid = actor.municipalityId!;
  const { rows: cur } = await tx.query<{ case_id: string | null; action_item_id: string | null; position: number; label: string }>(
    'SELECT case_id, action_item_id, position, label FROM meeting_agenda_item WHERE municipality_id = $1 AND session_id = $2', [mid, session.id]);
  let position = Math.max(0, ...cur.map((c) => c.position));
  let caseNo = cur.filter((c) => c.label.startsWith('事例')).length;
  const fields: FieldError[] = [];
  let added = 0;
  for (const [i, it] of items.entries()) {
    if (it.kind === 'case' && series.legalBasis === LIAISON) { fields.push({ field: `items[${i}]`, message: 'A liaison meeting shares programs, not individual cases: add a topic instead.' }); continue; }
    let caseId: string | null = it.kind === 'case' ? it.caseId : null;
    let title: string | null = it.kind === 'topic' ? it.title.trim() : null;
    if (it.kind === 'topic' && !title) { fields.push({ field: `items[${i}].title`, message: 'Give the topic a title.' }); continue; }
    if (it.kind === 'action_review') {
      const { rows } = await tx.query<{ case_id: string | null; description: string }>('SELECT case_id, description FROM meeting_action_item WHERE municipality_id = $1 AND id = $2', [mid, it.actionItemId]);
      if (!rows[0]) { fields.push({ field: `items[${i}].actionItemId`, message: 'No action item with that id.' }); continue; }
      if (cur.some((c) => c.action_item_id === it.actionItemId)) continue;
      caseId = rows[0].case_id; title = rows[0].description;
    } else if (caseId) {
      const { rows } = await tx.query("SELECT 1 FROM support_case WHERE municipality_id = $1 AND id = $2 AND status <> 'closed'", [mid, caseId]);
      if (!rows[0]) { fields.push({ field: `items[${i}].caseId`, message: 'No open case with that id.' }); continue; }
      if (cur.some((c) => c.case_id === caseId && !c.action_item_id)) continue;
    }
    const label = caseId ? `事例${++caseNo}` : `議題${position + 1}`;
    const itemId = randomUUID();
    await tx.query(
      `INSERT INTO meeting_agenda_item (municipality_id, id, session_id, position, kind, case_id, action_item_id, reason, reason_detail, title, label, added_by, added_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
      [mid, itemId, session.id, ++position, it.kind, caseId, it.kind === 'action_review' ? it.actionItemId : null,
        it.kind === 'case' ? it.reason ?? 'added' : it.kind === 'action_review' ? 'action_overdue' : 'added', it.kind === 'case' ? it.reasonDetail ?? null : null, title, label, actor.userId, clock.now()]);
    cur.push({ case_id: caseId, action_item_id: it.kind === 'action_review' ? it.actionItemId : null, position, label });
    if (caseId && it.kind === 'case')
      await appendCaseEvent(tx, mid, caseId, { at: clock.now(), kind: 'meeting_agenda', organizationId: actor.organizationId, scope: 'case', summary: `${series.name}（${japanDate(session.starts_at)}）の議題に追加`, entityType: 'meeting_session', entityId: session.id, byUser: actor.userId });
    added++;
  }
  if (fields.length) throw badRequest('The agenda could not be changed.', fields);
  return added;
}

export async function addAgendaItems(deps: Deps, actor: Actor, sessionId: string, items: AgendaInput[]): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    const session = await loadSession(tx, mid, sessionId, true);
    if (session.status === 'cancelled') throw conflict('This session is cancelled; put the items on another session.');
    const series = await getSeries(tx, mid, session.series_id);
    const added = await insertItems(tx, clock, actor, session, series, items);
    await bump(tx, mid, sessionId);
    await recordAudit(tx, clock, actor, { action: 'meeting.agenda_add', entityType: 'meeting_session', entityId: sessionId, reason: 'meeting', details: { added, cases: items.flatMap((i) => (i.kind === 'case' ? [i.caseId] : [])) } });
  });
  return getSession(deps, actor, sessionId);
}

export async function orderAgenda(deps: Deps, actor: Actor, sessionId: string, itemIds: string[]): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    await loadSession(tx, mid, sessionId, true);
    const { rows } = await tx.query<{ id: string }>('SELECT id FROM meeting_agenda_item WHERE municipality_id = $1 AND session_id = $2', [mid, sessionId]);
    const ids = new Set(rows.map((r) => r.id));
    if (itemIds.length !== ids.size || new Set(itemIds).size !== ids.size || itemIds.some((x) => !ids.has(x)))
      throw badRequest('The agenda could not be reordered.', [{ field: 'itemIds', message: 'List every item of this agenda exactly once, in the new order.' }]);
    // positions are unique per session only by convention; move them out of the way first
    await tx.query('UPDATE meeting_agenda_item SET position = position + 100000 WHERE municipality_id = $1 AND session_id = $2', [mid, sessionId]);
    for (const [i, itemId] of itemIds.entries())
      await tx.query('UPDATE meeting_agenda_item SET position = $3 WHERE municipality_id = $1 AND id = $2', [mid, itemId, i + 1]);
    await bump(tx, mid, sessionId);
    await recordAudit(tx, clock, actor, { action: 'meeting.agenda_order', entityType: 'meeting_session', entityId: sessionId, reason: 'meeting' });
  });
  return getSession(deps, actor, sessionId);
}

export async function removeAgendaItem(deps: Deps, actor: Actor, sessionId: string, itemId: string): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    await loadSession(tx, mid, sessionId, true);
    const { rows } = await tx.query<{ minutes: string | null; case_id: string | null; decided: boolean }>(
      `SELECT minutes, case_id, EXISTS (SELECT 1 FROM meeting_decision d WHERE d.municipality_id = i.municipality_id AND d.agenda_item_id = i.id)
          OR EXISTS (SELECT 1 FROM meeting_action_item a WHERE a.municipality_id = i.municipality_id AND a.agenda_item_id = i.id) AS decided
       FROM meeting_agenda_item i WHERE municipality_id = $1 AND session_id = $2 AND id = $3`, [mid, sessionId, itemId]);
    if (!rows[0]) throw notFound('agenda item');
    if (rows[0].minutes || rows[0].decided) throw conflict('This item has minutes or decisions and stays on the record.');
    await tx.query('DELETE FROM meeting_agenda_item WHERE municipality_id = $1 AND id = $2', [mid, itemId]);
    await bump(tx, mid, sessionId);
    await recordAudit(tx, clock, actor, { action: 'meeting.agenda_remove', entityType: 'meeting_session', entityId: sessionId, reason: 'meeting', details: { itemId, caseId: rows[0].case_id } });
  });
  return getSession(deps, actor, sessionId);
}

export async function inviteOrganizations(deps: Deps, actor: Actor, sessionId: string, organizationIds: string[]): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const known = new Set((await listOrganizations(db, mid)).map((o) => o.id));
  const fields = organizationIds.flatMap((o, i) => (known.has(o) ? [] : [{ field: `organizationIds[${i}]`, message: 'No organisation with that id in this municipality.' }]));
  if (fields.length) throw badRequest('The organisations could not be invited.', fields);
  await db.transaction(async (tx) => {
    await loadSession(tx, mid, sessionId, true);
    for (const o of organizationIds)
      await tx.query('INSERT INTO meeting_attendance (municipality_id, session_id, organization_id, recorded_at, recorded_by) VALUES ($1,$2,$3,$4,$5) ON CONFLICT DO NOTHING', [mid, sessionId, o, clock.now(), actor.userId]);
    await bump(tx, mid, sessionId);
    await recordAudit(tx, clock, actor, { action: 'meeting.invite_organizations', entityType: 'meeting_session', entityId: sessionId, reason: 'meeting', details: { organizationIds } });
  });
  return getSession(deps, actor, sessionId);
}

export async function recordAttendance(deps: Deps, actor: Actor, sessionId: string, entries: { organizationId: string; present: boolean; attendeeNames?: string }[]): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const known = new Set((await listOrganizations(db, mid)).map((o) => o.id));
  const fields = entries.flatMap((e, i) => (known.has(e.organizationId) ? [] : [{ field: `entries[${i}].organizationId`, message: 'No organisation with that id in this municipality.' }]));
  if (fields.length) throw badRequest('The attendance could not be recorded.', fields);
  await db.transaction(async (tx) => {
    await loadSession(tx, mid, sessionId, true);
    for (const e of entries)
      await tx.query(
        `INSERT INTO meeting_attendance (municipality_id, session_id, organization_id, present, attendee_names, recorded_at, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7)
         ON CONFLICT (municipality_id, session_id, organization_id) DO UPDATE SET present = EXCLUDED.present, attendee_names = EXCLUDED.attendee_names, recorded_at = EXCLUDED.recorded_at, recorded_by = EXCLUDED.recorded_by`,
        [mid, sessionId, e.organizationId, e.present, e.attendeeNames ?? null, clock.now(), actor.userId]);
    await bump(tx, mid, sessionId);
    await recordAudit(tx, clock, actor, { action: 'meeting.attendance', entityType: 'meeting_session', entityId: sessionId, reason: 'meeting' });
  });
  return getSession(deps, actor, sessionId);
}

/** The users a coordinator may invite as guests (the municipality's meeting-guest accounts). */
export async function listGuestAccounts({ db }: Deps, actor: Actor): Promise<{ id: string; displayName: string; organization: Ref }[]> {
  requireCoordinator(actor);
  const { rows } = await db.query<{ id: string; display_name: string; organization_id: string; name: string }>(
    `SELECT u.id, u.display_name, m.organization_id, o.name FROM membership m JOIN app_user u ON u.id = m.user_id
     JOIN organization o ON o.municipality_id = m.municipality_id AND o.id = m.organization_id
     WHERE m.municipality_id = $1 AND m.role = 'meeting_guest' AND m.active AND u.active ORDER BY u.display_name`, [actor.municipalityId]);
  return rows.map((r) => ({ id: r.id, displayName: r.display_name, organization: { id: r.organization_id, name: r.name } }));
}

export async function inviteGuest(deps: Deps, actor: Actor, sessionId: string, input: { userId: string; kind: string; sees: 'topics' | 'pseudonymised' }): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const { rows } = await db.query("SELECT 1 FROM membership WHERE user_id = $1 AND municipality_id = $2 AND role = 'meeting_guest' AND active", [input.userId, mid]);
  if (!rows[0]) throw badRequest('The guest could not be invited.', [{ field: 'userId', message: 'Invite a user with the meeting-guest role in this municipality (an administrator creates the account).' }]);
  await db.transaction(async (tx) => {
    await loadSession(tx, mid, sessionId, true);
    await tx.query(
      `INSERT INTO meeting_guest (municipality_id, id, session_id, user_id, kind, sees, invited_at, invited_by) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (municipality_id, session_id, user_id) DO UPDATE SET kind = EXCLUDED.kind, sees = EXCLUDED.sees`,
      [mid, randomUUID(), sessionId, input.userId, input.kind, input.sees, clock.now(), actor.userId]);
    await bump(tx, mid, sessionId);
    await recordAudit(tx, clock, actor, { action: 'meeting.invite_guest', entityType: 'meeting_session', entityId: sessionId, reason: 'meeting', details: { userId: input.userId, kind: input.kind, sees: input.sees } });
  });
  return getSession(deps, actor, sessionId);
}

export async function recordMinutes(deps: Deps, actor: Actor, itemId: string, input: { version: number; minutes: string }): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  let sessionId = '';
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ session_id: string; version: number }>('SELECT session_id, version FROM meeting_agenda_item WHERE municipality_id = $1 AND id = $2 FOR UPDATE', [mid, itemId]);
    if (!rows[0]) throw notFound('agenda item');
    sessionId = rows[0].session_id;
    if (rows[0].version !== input.version) throw conflict(`Someone changed these minutes since you opened them (now version ${rows[0].version}). Reload them and try again.`);
    await tx.query('UPDATE meeting_agenda_item SET minutes = $3, minutes_at = $4, minutes_by = $5, version = version + 1 WHERE municipality_id = $1 AND id = $2',
      [mid, itemId, input.minutes, clock.now(), actor.userId]);
    await recordAudit(tx, clock, actor, { action: 'meeting.minutes', entityType: 'meeting_agenda_item', entityId: itemId, reason: 'meeting', details: { sessionId } });
  });
  return getSession(deps, actor, sessionId);
}

// ---------------------------------------------------------------- decisions, action items, rules

export interface DecisionInput {
  agendaItemId?: string;
  text: string;
  actionItems?: { organizationId: string; description: string; dueOn: string; caseId?: string }[];
  confirmPlanId?: string;
  rule?: { title: string; body: string; routingRuleKey?: string; supersedesId?: string };
  endsRuleId?: string;
}

async function listDecisions(db: Db, mid: string, sessionId: string): Promise<Decision[]> {
  const { rows } = await db.query<{ id: string; agenda_item_id: string | null; text: string; recorded_at: Date; rule_id: string | null; plan_id: string | null }>(
    `SELECT d.id, d.agenda_item_id, d.text, d.recorded_at,
            (SELECT r.id FROM agreed_rule r WHERE r.municipality_id = d.municipality_id AND r.source_decision_id = d.id) AS rule_id,
            (SELECT p.id FROM support_plan p JOIN meeting_agenda_item i ON i.municipality_id = p.municipality_id AND i.case_id = p.case_id
              WHERE p.municipality_id = d.municipality_id AND i.id = d.agenda_item_id AND p.confirmed_session_id = d.session_id LIMIT 1) AS plan_id
     FROM meeting_decision d WHERE d.municipality_id = $1 AND d.session_id = $2 ORDER BY d.recorded_at`, [mid, sessionId]);
  return rows.map((r) => ({ id: r.id, agendaItemId: r.agenda_item_id, text: r.text, recordedAt: r.recorded_at, ruleId: r.rule_id, confirmedPlanId: r.plan_id }));
}

export async function recordDecision(deps: Deps, actor: Actor, sessionId: string, input: DecisionInput): Promise<SessionDetail> {
  requireCoordinator(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const now = clock.now();
  const text = input.text.trim();
  const fields: FieldError[] = [];
  if (!text) fields.push({ field: 'text', message: 'Write what was decided.' });
  const known = new Set((await listOrganizations(db, mid)).map((o) => o.id));
  input.actionItems?.forEach((a, i) => {
    if (!known.has(a.organizationId)) fields.push({ field: `actionItems[${i}].organizationId`, message: 'Choose the organisation responsible.' });
    if (!a.description.trim()) fields.push({ field: `actionItems[${i}].description`, message: 'Say what is to be done.' });
  });
  if (input.rule && (!input.rule.title.trim() || !input.rule.body.trim())) fields.push({ field: 'rule', message: 'Give the rule a title and its wording.' });
  if (fields.length) throw badRequest('The decision could not be recorded.', fields);
  await db.transaction(async (tx) => {
    const session = await loadSession(tx, mid, sessionId, true);
    if (session.status === 'cancelled') throw conflict('This session was cancelled; record the decision in the session where it was taken.');
    const series = await getSeries(tx, mid, session.series_id);
    let item: { id: string; case_id: string | null; label: string } | undefined;
    if (input.agendaItemId) {
      ({ rows: [item] } = await tx.query<{ id: string; case_id: string | null; label: string }>('SELECT id, case_id, label FROM meeting_agenda_item WHERE municipality_id = $1 AND session_id = $2 AND id = $3', [mid, sessionId, input.agendaItemId]));
      if (!item) throw badRequest('The decision could not be recorded.', [{ field: 'agendaItemId', message: 'No item with that id on this agenda.' }]);
    }
    const decisionId = randomUUID();
    await tx.query('INSERT INTO meeting_decision (municipality_id, id, session_id, agenda_item_id, text, recorded_at, recorded_by) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [mid, decisionId, sessionId, input.agendaItemId ?? null, text, now, actor.userId]);
    const date = japanDate(session.starts_at);
    if (item?.case_id)
      await appendCaseEvent(tx, mid, item.case_id, { at: now, kind: 'meeting_decision', organizationId: actor.organizationId, scope: 'case', summary: `${series.name}（${date}）決定: ${text.slice(0, 200)}`, entityType: 'meeting_session', entityId: sessionId, byUser: actor.userId });
    for (const [i, a] of (input.actionItems ?? []).entries()) {
      const caseId = a.caseId ?? item?.case_id ?? null;
      if (caseId) {
        const { rows } = await tx.query('SELECT 1 FROM support_case WHERE municipality_id = $1 AND id = $2', [mid, caseId]);
        if (!rows[0]) throw badRequest('The decision could not be recorded.', [{ field: `actionItems[${i}].caseId`, message: 'No case with that id.' }]);
      }
      const id = randomUUID();
      await tx.query(
        `INSERT INTO meeting_action_item (municipality_id, id, session_id, agenda_item_id, decision_id, case_id, organization_id, description, due_on, status, created_at, created_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'open',$10,$11)`,
        [mid, id, sessionId, input.agendaItemId ?? null, decisionId, caseId, a.organizationId, a.description.trim(), a.dueOn, now, actor.userId]);
      if (caseId)
        await appendCaseEvent(tx, mid, caseId, { at: now, kind: 'meeting_action', organizationId: a.organizationId, scope: 'case', summary: `対応事項（期限 ${a.dueOn}）: ${a.description.trim().slice(0, 200)}`, entityType: 'meeting_action_item', entityId: id, byUser: actor.userId });
    }
    if (input.confirmPlanId) {
      const { caseId } = await confirmPlan(tx, clock, actor, input.confirmPlanId, { id: sessionId, date, name: series.name });
      if (item && item.case_id !== caseId) throw badRequest('The decision could not be recorded.', [{ field: 'confirmPlanId', message: 'The plan is not of the case on this agenda item.' }]);
    }
    if (input.rule) await recordRule(tx, actor, now, { sessionId, decisionId, date, ...input.rule });
    if (input.endsRuleId) {
      const { rowCount } = await tx.query('UPDATE agreed_rule SET ended_at = $3, ended_by_decision_id = $4 WHERE municipality_id = $1 AND id = $2 AND ended_at IS NULL', [mid, input.endsRuleId, now, decisionId]);
      if (!rowCount) throw badRequest('The decision could not be recorded.', [{ field: 'endsRuleId', message: 'No rule in force with that id.' }]);
    }
    await bump(tx, mid, sessionId);
    await recordAudit(tx, clock, actor, { action: 'meeting.decision', entityType: 'meeting_session', entityId: sessionId, reason: 'meeting', details: { decisionId, caseId: item?.case_id ?? null, actionItems: input.actionItems?.length ?? 0, rule: !!input.rule } });
  });
  return getSession(deps, actor, sessionId);
}

async function recordRule(tx: Db, actor: Actor, now: Date, r: { sessionId: string; decisionId: string; date: string; title: string; body: string; routingRuleKey?: string; supersedesId?: string }) {
  const mid = actor.municipalityId!;
  if (r.supersedesId) {
    const { rowCount } = await tx.query('UPDATE agreed_rule SET ended_at = $3, ended_by_decision_id = $4 WHERE municipality_id = $1 AND id = $2 AND ended_at IS NULL', [mid, r.supersedesId, now, r.decisionId]);
    if (!rowCount) throw badRequest('The decision could not be recorded.', [{ field: 'rule.supersedesId', message: 'No rule in force with that id.' }]);
  }
  const { rows } = await tx.query<{ n: number }>('SELECT COALESCE(max(number), 0)::int + 1 AS n FROM agreed_rule WHERE municipality_id = $1', [mid]);
  await tx.query(
    `INSERT INTO agreed_rule (municipality_id, id, number, title, body, source_session_id, source_decision_id, in_force_from, routing_rule_key, supersedes_id, created_at, created_by)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
    [mid, randomUUID(), rows[0].n, r.title.trim(), r.body.trim(), r.sessionId, r.decisionId, r.date, r.routingRuleKey ?? null, r.supersedesId ?? null, now, actor.userId]);
}

interface ActionRow {
  id: string; session_id: string; starts_at: Date; series_name: string; organization_id: string; org_name: string; description: string; due_on: string;
  status: ActionItem['status']; done_at: Date | null; done_note: string | null; case_id: string | null; reference: string | null; label: string | null; decision_id: string | null; version: number;
  case_visible: boolean; created_at: Date;
}

/**
 * The queue's order: open items first (`status <> 'open'` is false for them),
 * then by due date, then as set; the id breaks ties between the items of one
 * decision. All ascending, so one row comparison finds the rows after a cursor.
 */
const ACTION_ORDER = `a.status <> 'open', a.due_on, a.created_at, a.id`;
const ACTION_KEY = ['bool', 'date', 'timestamp', 'uuid'] as const;
const actionKey = (r: ActionRow) => [r.status !== 'open', r.due_on, r.created_at, r.id] as const;

/** Action items matching `where` ($2… are `params`), in the queue's order; a page of them when `page` is given, all otherwise. */
async function listActionItemsWhere(deps: Deps, actor: Actor, where: string, params: unknown[], page?: { after: KeyValues<typeof ACTION_KEY> | null; limit: number }): Promise<{ items: ActionItem[]; nextCursor: string | null }> {
  const mid = actor.municipalityId!;
  const n = params.length;
  const after = page?.after ? ` AND (${ACTION_ORDER}) > ($${n + 4}::boolean, $${n + 5}::date, $${n + 6}::timestamptz, $${n + 7}::uuid)` : '';
  const { rows: fetched } = await deps.db.query<ActionRow>(
    `SELECT a.id, a.session_id, ms.starts_at, s.name AS series_name, a.organization_id, o.name AS org_name, a.description, a.due_on::text, a.status, a.done_at, a.done_note,
            a.case_id, c.reference, i.label, a.decision_id, a.version, a.created_at,
            (c.id IS NOT NULL AND ${caseVisibleSql('$' + (n + 2), '$' + (n + 3))}) AS case_visible
     FROM meeting_action_item a JOIN meeting_session ms ON ms.municipality_id = a.municipality_id AND ms.id = a.session_id
     JOIN meeting_series s ON s.municipality_id = ms.municipality_id AND s.id = ms.series_id
     JOIN organization o ON o.municipality_id = a.municipality_id AND o.id = a.organization_id
     LEFT JOIN support_case c ON c.municipality_id = a.municipality_id AND c.id = a.case_id
     LEFT JOIN meeting_agenda_item i ON i.municipality_id = a.municipality_id AND i.id = a.agenda_item_id
     WHERE a.municipality_id = $1 AND ${where}${after}
     ORDER BY ${ACTION_ORDER}${page ? ` LIMIT $${n + 4 + (page.after?.length ?? 0)}` : ''}`,
    [mid, ...params, actor.role, actor.organizationId, ...(page?.after ?? []), ...(page ? [page.limit + 1] : [])]);
  const { rows, nextCursor } = page ? keysetPage(fetched, page.limit, actionKey) : { rows: fetched, nextCursor: null };
  const today = japanDate(deps.clock.now());
  // the case number only to those who may see the case
  const items = rows.map((r) => ({
    id: r.id, session: { id: r.session_id, date: japanDate(r.starts_at), seriesName: r.series_name }, organization: { id: r.organization_id, name: r.org_name },
    description: r.description, dueOn: r.due_on, status: r.status, overdue: r.status === 'open' && r.due_on < today, doneAt: r.done_at, doneNote: r.done_note,
    case: r.case_id ? { id: r.case_id, reference: r.case_visible ? r.reference : null, label: r.label ?? '事例' } : null, decisionId: r.decision_id, version: r.version,
  }));
  return { items, nextCursor };
}

export interface ActionItemPage extends Page<ActionItem> {
  /** Over every page: the items the filter matches, and the open ones among them past their due date. */
  total: number;
  overdue: number;
}

/** A page of action items (the organisation's queue, or every organisation's for the coordinator), open ones first, by due date. */
export async function listActionItems(deps: Deps, actor: Actor, q: { status: 'open' | 'done' | 'all'; scope: 'mine' | 'all' } & PageParams): Promise<ActionItemPage> {
  if (q.scope === 'all') requireCoordinator(actor);
  const after = decodeKeyset(q.cursor, ACTION_KEY);
  const filter = [q.status === 'all' ? null : q.status, q.scope === 'mine' ? actor.organizationId : null];
  const where = `($2::text IS NULL OR a.status = $2) AND ($3::uuid IS NULL OR a.organization_id = $3)`;
  const page = await listActionItemsWhere(deps, actor, where, filter, { after, limit: q.limit ?? 50 });
  const { rows } = await deps.db.query<{ total: number; overdue: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE a.status = 'open' AND a.due_on < $4::date)::int AS overdue
     FROM meeting_action_item a WHERE a.municipality_id = $1 AND ${where}`, [actor.municipalityId, ...filter, japanDate(deps.clock.now())]);
  return { ...page, ...rows[0] };
}

export async function completeActionItem(deps: Deps, actor: Actor, id: string, input: { version: number; note?: string }): Promise<ActionItem> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ organization_id: string; status: string; version: number; case_id: string | null; description: string }>(
      'SELECT organization_id, status, version, case_id, description FROM meeting_action_item WHERE municipality_id = $1 AND id = $2 FOR UPDATE', [mid, id]);
    const a = rows[0];
    if (!a || (!isCoordinator(actor) && a.organization_id !== actor.organizationId)) throw notFound('action item');
    if (a.version !== input.version) throw conflict(`Someone changed this action item since you opened it (now version ${a.version}). Reload it and try again.`);
    if (a.status !== 'open') throw conflict('This action item is already closed.');
    await tx.query(`UPDATE meeting_action_item SET status = 'done', done_at = $3, done_by = $4, done_note = $5, version = version + 1 WHERE municipality_id = $1 AND id = $2`,
      [mid, id, clock.now(), actor.userId, input.note?.trim() || null]);
    if (a.case_id)
      await appendCaseEvent(tx, mid, a.case_id, { at: clock.now(), kind: 'meeting_action_done', organizationId: a.organization_id, scope: 'case', summary: `対応事項を完了: ${a.description.slice(0, 200)}`, entityType: 'meeting_action_item', entityId: id, byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'meeting.action_done', entityType: 'meeting_action_item', entityId: id, reason: 'meeting', details: { caseId: a.case_id } });
  });
  return (await listActionItemsWhere(deps, actor, 'a.id = $2', [id])).items[0];
}

/**
 * Open action items past their due date come back, by themselves, on the
 * agenda of the next scheduled session of the series that set them (a
 * scheduled job; idempotent).
 */
export async function returnOverdueActions({ db, clock }: Deps): Promise<{ returned: number }> {
  const now = clock.now();
  const { rows } = await db.query<{ municipality_id: string; action_id: string; session_id: string }>(
    `SELECT a.municipality_id, a.id AS action_id,
            (SELECT n.id FROM meeting_session n WHERE n.municipality_id = ms.municipality_id AND n.series_id = ms.series_id AND n.status = 'scheduled'
               AND n.starts_at > GREATEST($1, ms.starts_at) ORDER BY n.starts_at LIMIT 1) AS session_id
     FROM meeting_action_item a JOIN meeting_session ms ON ms.municipality_id = a.municipality_id AND ms.id = a.session_id
     WHERE a.status = 'open' AND a.due_on < $2::date
       AND NOT EXISTS (SELECT 1 FROM meeting_agenda_item i JOIN meeting_session n ON n.municipality_id = i.municipality_id AND n.id = i.session_id
                       WHERE i.municipality_id = a.municipality_id AND i.action_item_id = a.id AND n.status = 'scheduled' AND n.starts_at > $1)`,
    [now, japanDate(now)]);
  let returned = 0;
  for (const r of rows) {
    if (!r.session_id) continue;
    const actor: Actor = { userId: null, login: 'system:meetings', municipalityId: r.municipality_id, organizationId: null, role: 'hub_coordinator' };
    await db.transaction(async (tx) => {
      const session = await loadSession(tx, r.municipality_id, r.session_id, true);
      const series = await getSeries(tx, r.municipality_id, session.series_id);
      returned += await insertItems(tx, clock, actor, session, series, [{ kind: 'action_review', actionItemId: r.action_id }]);
      await bump(tx, r.municipality_id, r.session_id);
    });
  }
  return { returned };
}

export async function listRules({ db }: Deps, actor: Actor, q: { q?: string; includeEnded?: boolean }): Promise<Rule[]> {
  const mid = actor.municipalityId!;
  const { rows } = await db.query<{
    id: string; number: number; title: string; body: string; in_force_from: string; source_session_id: string; source_date: Date; series_name: string; source_decision_id: string;
    routing_rule_key: string | null; supersedes_id: string | null; supersedes_number: number | null; ended_at: Date | null; ended_session_id: string | null; ended_date: Date | null;
  }>(
    `SELECT r.id, r.number, r.title, r.body, r.in_force_from::text, r.source_session_id, ms.starts_at AS source_date, s.name AS series_name, r.source_decision_id,
            r.routing_rule_key, r.supersedes_id, p.number AS supersedes_number, r.ended_at, ed.session_id AS ended_session_id, es.starts_at AS ended_date
     FROM agreed_rule r JOIN meeting_session ms ON ms.municipality_id = r.municipality_id AND ms.id = r.source_session_id
     JOIN meeting_series s ON s.municipality_id = ms.municipality_id AND s.id = ms.series_id
     LEFT JOIN agreed_rule p ON p.municipality_id = r.municipality_id AND p.id = r.supersedes_id
     LEFT JOIN meeting_decision ed ON ed.municipality_id = r.municipality_id AND ed.id = r.ended_by_decision_id
     LEFT JOIN meeting_session es ON es.municipality_id = ed.municipality_id AND es.id = ed.session_id
     WHERE r.municipality_id = $1 AND ($2 OR r.ended_at IS NULL)
       AND ($3::text IS NULL OR strpos(lower(r.title || ' ' || r.body || ' ' || COALESCE(r.routing_rule_key, '')), lower($3)) > 0)
     ORDER BY r.number`, [mid, q.includeEnded ?? false, q.q?.trim() || null]);
  return rows.map((r) => ({
    id: r.id, number: r.number, title: r.title, body: r.body, inForceFrom: r.in_force_from,
    source: { sessionId: r.source_session_id, date: japanDate(r.source_date), seriesName: r.series_name, decisionId: r.source_decision_id },
    routingRuleKey: r.routing_rule_key, supersedes: r.supersedes_id ? { id: r.supersedes_id, number: r.supersedes_number! } : null,
    endedAt: r.ended_at, endedBy: r.ended_session_id ? { sessionId: r.ended_session_id, date: japanDate(r.ended_date!) } : null,
  }));
}
