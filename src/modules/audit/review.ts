import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../db/index.ts';
import { badRequest, forbidden } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { listOrganizations } from '../network/service.ts';
import { addDays, closedDaysBetween, japanMidnight, type ClosedDayKind } from './calendar.ts';
import { recordAudit, type AuditOutcome } from './service.ts';
import { getPrivacySettings, minutesOf } from './settings.ts';
import { personNames, recordIdsOfPerson, recordsAccessedBy, userIdByLogin } from './subjects.ts';

/**
 * The audit, reviewed (security issue #13): the privacy officer's and the
 * auditor's view of their own municipality's audit events, with reports on
 * bulk reads, access out of hours, break-the-glass, 要配慮 access and denied
 * attempts, and a CSV export. Every call is itself audited.
 */

const REVIEWERS = new Set(['privacy_officer', 'auditor']);

/** Only a municipality's privacy officer or auditor reviews its audit (the routes say so too; this is the service's own check). */
function requireReviewer(actor: Actor): string {
  if (!actor.municipalityId || !REVIEWERS.has(actor.role ?? '')) throw forbidden('Only the privacy officer or an auditor reviews the audit.');
  return actor.municipalityId;
}

/** A period of Japan calendar days, both inclusive, as instants [from, to). */
export interface Period {
  from: string;
  to: string;
}

const MAX_PERIOD_DAYS = 366;

function periodBounds(p: Partial<Period>, opts: { required: boolean }): { from: Date | null; to: Date | null } {
  if (opts.required && (!p.from || !p.to)) {
    const fields = [];
    if (!p.from) fields.push({ field: 'from', message: 'Give the first day of the period.' });
    if (!p.to) fields.push({ field: 'to', message: 'Give the last day of the period.' });
    throw badRequest('Choose a period.', fields);
  }
  if (p.from && p.to) {
    if (p.from > p.to) throw badRequest('Choose a period.', [{ field: 'to', message: 'The last day must not come before the first.' }]);
    if (opts.required && addDays(p.from, MAX_PERIOD_DAYS) <= p.to)
      throw badRequest('Choose a period.', [{ field: 'to', message: `Choose a period of at most ${MAX_PERIOD_DAYS} days.` }]);
  }
  return { from: p.from ? japanMidnight(p.from) : null, to: p.to ? japanMidnight(addDays(p.to, 1)) : null };
}

export interface EventQuery extends Partial<Period> {
  userId?: string;
  login?: string;
  organizationId?: string;
  /** Actions starting with this: 'case.' or 'case.read'. */
  action?: string;
  outcome?: AuditOutcome;
  entityType?: string;
  entityId?: string;
  /** Events about this person: the person, their cases and records, or lists that returned them. */
  personId?: string;
  /** Reads that returned 要配慮 fields (details.sensitive = true). */
  sensitive?: boolean;
  cursor?: string;
  limit?: number;
}

export interface ReviewedEvent {
  seq: number;
  id: string;
  occurredAt: Date;
  user: { id: string | null; login: string | null };
  organization: { id: string; name: string } | null;
  role: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  reason: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

interface EventRow {
  seq: number; id: string; occurred_at: Date; actor_user_id: string | null; actor_login: string | null; organization_id: string | null; role: string | null;
  action: string; entity_type: string | null; entity_id: string | null; reason: string | null; outcome: AuditOutcome; ip: string | null;
  request_id: string | null; details: Record<string, unknown>;
}

const encodeCursor = (at: Date, seq: number) => Buffer.from(`${at.toISOString()}|${seq}`).toString('base64url');
function decodeCursor(raw: string | undefined): { at: string; seq: number } | null {
  if (!raw) return null;
  const [at, seq] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (!at || !seq || Number.isNaN(Date.parse(at)) || !/^\d+$/.test(seq))
    throw badRequest('The page cursor is not valid.', [{ field: 'cursor', message: 'Use the nextCursor value of the previous page.' }]);
  return { at, seq: Number(seq) };
}

/** The WHERE clause and parameters of an event query ($1 is the municipality). */
async function eventConditions(db: Db, mid: string, q: EventQuery, opts: { periodRequired: boolean }): Promise<{ where: string; params: unknown[] }> {
  const params: unknown[] = [mid];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where = ['e.municipality_id = $1'];
  const { from, to } = periodBounds(q, { required: opts.periodRequired });
  if (from) where.push(`e.occurred_at >= ${p(from)}`);
  if (to) where.push(`e.occurred_at < ${p(to)}`);
  if (q.userId) where.push(`e.actor_user_id = ${p(q.userId)}`);
  if (q.login) where.push(`lower(e.actor_login) = lower(${p(q.login)})`);
  if (q.organizationId) where.push(`e.organization_id = ${p(q.organizationId)}`);
  if (q.action) {
    const a = p(q.action);
    where.push(`left(e.action, length(${a})) = ${a}`);
  }
  if (q.outcome) where.push(`e.outcome = ${p(q.outcome)}`);
  if (q.entityType) where.push(`e.entity_type = ${p(q.entityType)}`);
  if (q.entityId) where.push(`e.entity_id = ${p(q.entityId)}`);
  if (q.sensitive) where.push(`e.details->'sensitive' = 'true'::jsonb`);
  if (q.personId) {
    const ids = p(await recordIdsOfPerson(db, mid, q.personId));
    where.push(`(e.entity_id = ANY(${ids}::text[]) OR e.details->'ids' ?| ${ids}::text[]
      OR e.details->>'caseId' = ANY(${ids}::text[]) OR e.details->>'personId' = ANY(${ids}::text[]))`);
  }
  return { where: where.join(' AND '), params };
}

async function organizationNames(db: Db, mid: string): Promise<Map<string, string>> {
  return new Map((await listOrganizations(db, mid, { includeInactive: true })).map((o) => [o.id, o.name]));
}

function present(r: EventRow, orgs: Map<string, string>): ReviewedEvent {
  return {
    seq: Number(r.seq), id: r.id, occurredAt: r.occurred_at, user: { id: r.actor_user_id, login: r.actor_login },
    organization: r.organization_id ? { id: r.organization_id, name: orgs.get(r.organization_id) ?? '' } : null,
    role: r.role, action: r.action, entityType: r.entity_type, entityId: r.entity_id, reason: r.reason, outcome: r.outcome,
    ip: r.ip, requestId: r.request_id, details: r.details,
  };
}

/** The filters as given, for the audit of the review itself. */
const filtersOf = (q: object) => Object.fromEntries(Object.entries(q).filter(([k, v]) => v !== undefined && k !== 'limit'));

/** Audit events, newest first, in keyset pages. */
export async function listAuditEvents({ db, clock }: Deps, actor: Actor, q: EventQuery): Promise<{ items: ReviewedEvent[]; nextCursor: string | null }> {
  const mid = requireReviewer(actor);
  const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
  const cursor = decodeCursor(q.cursor);
  const { where, params } = await eventConditions(db, mid, q, { periodRequired: false });
  let sql = `SELECT e.* FROM audit_event e WHERE ${where}`;
  if (cursor) sql += ` AND (e.occurred_at, e.seq) < ($${params.push(cursor.at)}::timestamptz, $${params.push(cursor.seq)}::bigint)`;
  sql += ` ORDER BY e.occurred_at DESC, e.seq DESC LIMIT $${params.push(limit + 1)}`;
  const { rows } = await db.query<EventRow>(sql, params);
  const page = rows.slice(0, limit);
  const orgs = await organizationNames(db, mid);
  await recordAudit(db, clock, actor, { action: 'audit.review', entityType: 'audit_event', reason: 'audit review', details: { report: 'events', filters: filtersOf(q), count: page.length } });
  const last = page.at(-1);
  return { items: page.map((r) => present(r, orgs)), nextCursor: rows.length > limit && last ? encodeCursor(last.occurred_at, Number(last.seq)) : null };
}

// ---- reports --------------------------------------------------------------

/** Actions that give records to the user: reads, lists, searches, timelines and exports. */
const READ_ACTION = String.raw`\.(read|list|search|timeline|export)$`;

// Japan has no daylight saving: local time is UTC + 9 hours.
const LOCAL = `((e.occurred_at AT TIME ZONE 'UTC') + interval '9 hours')`;

export interface BulkReadRow {
  user: { id: string; login: string | null };
  organization: { id: string; name: string } | null;
  /** The Japan calendar day. */
  day: string;
  events: number;
  records: number;
  /** Which thresholds it passed. */
  exceeded: ('events' | 'records')[];
}

/**
 * Users who read more than the municipality's thresholds in one day: by the
 * number of read, list and search events, or by the records returned (the
 * list sizes, `details.count` or the length of `details.ids`; 1 for a read of one record).
 */
export async function bulkReads(
  { db, clock }: Deps, actor: Actor, q: Period & { eventsPerDay?: number; recordsPerDay?: number },
): Promise<{ thresholds: { eventsPerDay: number; recordsPerDay: number }; items: BulkReadRow[] }> {
  const mid = requireReviewer(actor);
  const { review } = await getPrivacySettings(db, mid);
  const thresholds = { eventsPerDay: q.eventsPerDay ?? review.bulkEventsPerDay, recordsPerDay: q.recordsPerDay ?? review.bulkRecordsPerDay };
  const { from, to } = periodBounds(q, { required: true });
  const { rows } = await db.query<{ user_id: string; login: string | null; organization_id: string | null; day: string; events: number; records: number }>(
    `SELECT e.actor_user_id AS user_id, max(e.actor_login) AS login, (array_agg(e.organization_id ORDER BY e.seq DESC))[1] AS organization_id,
            to_char(${LOCAL}, 'YYYY-MM-DD') AS day, count(*) AS events,
            sum(CASE WHEN jsonb_typeof(e.details->'count') = 'number' THEN (e.details->>'count')::numeric
                     WHEN jsonb_typeof(e.details->'ids') = 'array' THEN jsonb_array_length(e.details->'ids')
                     WHEN e.entity_id IS NOT NULL THEN 1 ELSE 0 END) AS records
     FROM audit_event e
     WHERE e.municipality_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3 AND e.actor_user_id IS NOT NULL
       AND e.outcome = 'success' AND e.action ~ $4
     GROUP BY e.actor_user_id, 4
     HAVING count(*) > $5 OR sum(CASE WHEN jsonb_typeof(e.details->'count') = 'number' THEN (e.details->>'count')::numeric
                     WHEN jsonb_typeof(e.details->'ids') = 'array' THEN jsonb_array_length(e.details->'ids')
                     WHEN e.entity_id IS NOT NULL THEN 1 ELSE 0 END) > $6
     ORDER BY 4, 2`,
    [mid, from, to, READ_ACTION, thresholds.eventsPerDay, thresholds.recordsPerDay],
  );
  const orgs = await organizationNames(db, mid);
  const items = rows.map((r): BulkReadRow => {
    const events = Number(r.events);
    const records = Number(r.records);
    return {
      user: { id: r.user_id, login: r.login }, organization: r.organization_id ? { id: r.organization_id, name: orgs.get(r.organization_id) ?? '' } : null,
      day: r.day, events, records,
      exceeded: [...(events > thresholds.eventsPerDay ? ['events' as const] : []), ...(records > thresholds.recordsPerDay ? ['records' as const] : [])],
    };
  });
  await recordAudit(db, clock, actor, { action: 'audit.review', entityType: 'audit_event', reason: 'audit review', details: { report: 'bulk_reads', filters: filtersOf(q), count: items.length } });
  return { thresholds, items };
}

export interface OutOfHoursRow {
  user: { id: string; login: string | null };
  organization: { id: string; name: string } | null;
  day: string;
  /** Why the day or time is outside working hours. */
  kind: ClosedDayKind | 'outside_hours';
  holidayName: string | null;
  events: number;
  firstAt: Date;
  lastAt: Date;
}

/**
 * Users' activity outside working hours (Japan time, the municipality's
 * settings), or on a weekend, a public holiday or 年末年始: one row per user and day.
 */
export async function outOfHours({ db, clock }: Deps, actor: Actor, q: Period): Promise<{ workday: { start: string; end: string }; items: OutOfHoursRow[] }> {
  const mid = requireReviewer(actor);
  const { review } = await getPrivacySettings(db, mid);
  const { from, to } = periodBounds(q, { required: true });
  const closed = closedDaysBetween(q.from, q.to, { yearEnd: review.yearEndClosure });
  const { rows } = await db.query<{ user_id: string; login: string | null; organization_id: string | null; day: string; events: number; first_at: Date; last_at: Date }>(
    `SELECT e.actor_user_id AS user_id, max(e.actor_login) AS login, (array_agg(e.organization_id ORDER BY e.seq DESC))[1] AS organization_id,
            to_char(${LOCAL}, 'YYYY-MM-DD') AS day, count(*) AS events, min(e.occurred_at) AS first_at, max(e.occurred_at) AS last_at
     FROM audit_event e
     WHERE e.municipality_id = $1 AND e.occurred_at >= $2 AND e.occurred_at < $3 AND e.actor_user_id IS NOT NULL
       AND (to_char(${LOCAL}, 'YYYY-MM-DD') = ANY($4::text[])
            OR extract(hour FROM ${LOCAL}) * 60 + extract(minute FROM ${LOCAL}) < $5
            OR extract(hour FROM ${LOCAL}) * 60 + extract(minute FROM ${LOCAL}) >= $6)
     GROUP BY e.actor_user_id, 4
     ORDER BY 4, 2`,
    [mid, from, to, [...closed.keys()], minutesOf(review.workdayStart), minutesOf(review.workdayEnd)],
  );
  const orgs = await organizationNames(db, mid);
  const items = rows.map((r): OutOfHoursRow => {
    const c = closed.get(r.day);
    return {
      user: { id: r.user_id, login: r.login }, organization: r.organization_id ? { id: r.organization_id, name: orgs.get(r.organization_id) ?? '' } : null,
      day: r.day, kind: c?.kind ?? 'outside_hours', holidayName: c?.name ?? null, events: Number(r.events), firstAt: r.first_at, lastAt: r.last_at,
    };
  });
  await recordAudit(db, clock, actor, { action: 'audit.review', entityType: 'audit_event', reason: 'audit review', details: { report: 'out_of_hours', filters: filtersOf(q), count: items.length } });
  return { workday: { start: review.workdayStart, end: review.workdayEnd }, items };
}

export interface BreakGlassUse {
  user: { id: string; login: string | null };
  organization: { id: string; name: string } | null;
  caseId: string | null;
  reason: string | null;
  startedAt: Date;
  endedAt: Date | null;
  /** Minutes from start to end; null while no end was recorded. */
  minutes: number | null;
  /**
   * Whether the privacy officer's review item for it was closed. The review
   * items are kept by the break-the-glass feature; until its events say so, null.
   */
  reviewClosed: boolean | null;
}

/**
 * Break-the-glass uses that started in the period: each `break_glass.start`
 * paired with the next `break_glass.end` of the same user and case.
 */
export async function breakGlassUses({ db, clock }: Deps, actor: Actor, q: Period): Promise<{ items: BreakGlassUse[] }> {
  const mid = requireReviewer(actor);
  const { from, to } = periodBounds(q, { required: true });
  const { rows } = await db.query<EventRow>(
    `SELECT e.* FROM audit_event e
     WHERE e.municipality_id = $1 AND e.occurred_at >= $2 AND e.outcome = 'success'
       AND ((e.action = 'break_glass.start' AND e.occurred_at < $3) OR e.action IN ('break_glass.end', 'break_glass.review_close'))
     ORDER BY e.occurred_at, e.seq`,
    [mid, from, to],
  );
  const orgs = await organizationNames(db, mid);
  const used = new Set<number>();
  const items: BreakGlassUse[] = [];
  for (const [i, s] of rows.entries()) {
    if (s.action !== 'break_glass.start') continue;
    const same = (r: EventRow) => r.actor_user_id === s.actor_user_id && r.entity_id === s.entity_id;
    const endIndex = rows.findIndex((r, j) => j > i && !used.has(j) && r.action === 'break_glass.end' && same(r));
    if (endIndex >= 0) used.add(endIndex);
    const end = endIndex >= 0 ? rows[endIndex] : null;
    const review = rows.find((r, j) => j > i && r.action === 'break_glass.review_close' && r.details?.breakGlassId === s.details?.breakGlassId);
    items.push({
      user: { id: s.actor_user_id ?? '', login: s.actor_login },
      organization: s.organization_id ? { id: s.organization_id, name: orgs.get(s.organization_id) ?? '' } : null,
      caseId: s.entity_id, reason: s.reason, startedAt: s.occurred_at, endedAt: end?.occurred_at ?? null,
      minutes: end ? Math.round((end.occurred_at.getTime() - s.occurred_at.getTime()) / 60_000) : null,
      reviewClosed: review ? true : s.details?.breakGlassId ? false : null,
    });
  }
  await recordAudit(db, clock, actor, { action: 'audit.review', entityType: 'audit_event', reason: 'audit review', details: { report: 'break_glass', filters: filtersOf(q), count: items.length } });
  return { items };
}

// ---- CSV export ---------------------------------------------------------

const CSV_HEADER = ['日時', 'ログインID', '利用者ID', '所属機関', '役割', '操作', '対象の種類', '対象ID', '理由', '結果', '接続元', 'リクエストID', '詳細'];

/**
 * A spreadsheet opens a cell starting with = + - @ (or a tab or carriage
 * return) as a formula; a leading apostrophe makes it text (OWASP "CSV injection").
 */
export const neutraliseFormula = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

const japanTimestamp = (d: Date) => new Date(d.getTime() + 9 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);

/** The rows of events as CSV cells, text neutralised. */
export function eventsToCsv(events: ReviewedEvent[], withHeader: boolean): string {
  const records = events.map((e) => [
    japanTimestamp(e.occurredAt), e.user.login ?? '', e.user.id ?? '', e.organization?.name ?? '', e.role ?? '', e.action, e.entityType ?? '',
    e.entityId ?? '', e.reason ?? '', e.outcome, e.ip ?? '', e.requestId ?? '', Object.keys(e.details).length ? JSON.stringify(e.details) : '',
  ].map(neutraliseFormula));
  // UTF-8 with BOM and CRLF: what Excel in Japan opens as UTF-8 without garbling
  return stringify(withHeader ? [CSV_HEADER, ...records] : records, { bom: withHeader, record_delimiter: 'windows', quoted_match: /[",\r\n]/ });
}

/**
 * Events of a period, or of a person (optionally within a period), as CSV,
 * oldest first. The caller has checked the step-up; the export is audited.
 */
export async function exportAuditEvents({ db, clock }: Deps, actor: Actor, q: Partial<Period> & { personId?: string }): Promise<{ csv: string; rows: number }> {
  const mid = requireReviewer(actor);
  const byPerson = !!q.personId;
  const { where, params } = await eventConditions(db, mid, { from: q.from, to: q.to, personId: q.personId }, { periodRequired: !byPerson });
  const orgs = await organizationNames(db, mid);
  const parts: string[] = [];
  let after = 0;
  let total = 0;
  const batch = 5000;
  for (let first = true; ; first = false) {
    const { rows } = await db.query<EventRow>(
      `SELECT e.* FROM audit_event e WHERE ${where} AND e.seq > $${params.length + 1} ORDER BY e.seq LIMIT ${batch}`, [...params, after]);
    parts.push(eventsToCsv(rows.map((r) => present(r, orgs)), first));
    total += rows.length;
    if (rows.length < batch) break;
    after = Number(rows.at(-1)!.seq);
  }
  await recordAudit(db, clock, actor, {
    action: 'audit.export', entityType: byPerson ? 'person' : 'audit_event', entityId: q.personId, reason: 'audit review export',
    details: { filters: filtersOf(q), rows: total, format: 'csv' },
  });
  return { csv: parts.join(''), rows: total };
}

// ---- whose records an account read -----------------------------------------

export interface AccessedPerson {
  personId: string;
  name: string | null;
  nameKana: string | null;
  /** Records of this person the account touched, and its accesses to them (a list returning one record counts once for it). */
  records: number;
  accesses: number;
  firstAt: Date;
  lastAt: Date;
}

export interface AccessedPersons {
  persons: AccessedPerson[];
  /** Records that name no person (a consultation not yet a case) or are no longer held, by type. */
  unresolved: { entityType: string; records: number }[];
}

/**
 * Everyone whose records a given account read (or wrote) in a time window,
 * for notifying them after an incident: from its audit events, each record
 * mapped to its person (merged persons to the one kept). Audited as a read of
 * those persons.
 */
export async function personsAccessedBy(
  { db, clock }: Deps, actor: Actor, q: { userId?: string; login?: string; from: Date; to: Date },
): Promise<AccessedPersons & { userId: string }> {
  const mid = requireReviewer(actor);
  const fields = [];
  if (!q.userId === !q.login) fields.push({ field: 'login', message: 'Give the account: its login or its user id.' });
  if (q.from >= q.to) fields.push({ field: 'to', message: 'The end must come after the start.' });
  if (fields.length) throw badRequest('Choose a time window.', fields);
  const userId = q.userId ?? await userIdByLogin(db, mid, q.login!);
  if (!userId) throw badRequest('Choose a time window.', [{ field: 'login', message: 'No account with this login in this municipality.' }]);
  const persons = await resolvePersonsAccessed(db, mid, { userId, from: q.from, to: q.to });
  await recordAudit(db, clock, actor, {
    action: 'audit.review', entityType: 'person', reason: 'persons whose records an account accessed',
    details: { report: 'accessed_persons', filters: { userId, from: q.from.toISOString(), to: q.to.toISOString() }, count: persons.persons.length, ids: persons.persons.map((p) => p.personId) },
  });
  return { userId, ...persons };
}

/** The query behind personsAccessedBy, without its audit (the incident register audits its own use). */
export async function resolvePersonsAccessed(db: Db, mid: string, q: { userId: string; from: Date; to: Date }): Promise<AccessedPersons> {
  const records = await recordsAccessedBy(db, mid, q.userId, q.from, q.to);
  const names = await personNames(db, mid, [...new Set(records.map((r) => r.personId).filter((id): id is string => !!id))]);
  // a person merged into another is the other now (one level is what merging makes)
  const kept = (id: string) => names.get(id)?.mergedIntoId ?? id;
  const extra = [...names.values()].map((n) => n.mergedIntoId).filter((id): id is string => !!id && !names.has(id));
  for (const [id, n] of await personNames(db, mid, extra)) names.set(id, n);
  const byPerson = new Map<string, AccessedPerson>();
  const unresolved = new Map<string, number>();
  for (const r of records) {
    if (!r.personId || !names.has(r.personId)) {
      unresolved.set(r.entityType, (unresolved.get(r.entityType) ?? 0) + 1);
      continue;
    }
    const pid = kept(r.personId);
    const n = names.get(pid);
    const row = byPerson.get(pid) ?? { personId: pid, name: n?.name ?? null, nameKana: n?.nameKana ?? null, records: 0, accesses: 0, firstAt: r.firstAt, lastAt: r.lastAt };
    row.records += 1;
    row.accesses += r.events;
    if (r.firstAt < row.firstAt) row.firstAt = r.firstAt;
    if (r.lastAt > row.lastAt) row.lastAt = r.lastAt;
    byPerson.set(pid, row);
  }
  return {
    persons: [...byPerson.values()].sort((a, b) => (a.nameKana ?? a.name ?? '').localeCompare(b.nameKana ?? b.name ?? '', 'ja') || a.personId.localeCompare(b.personId)),
    unresolved: [...unresolved].map(([entityType, n]) => ({ entityType, records: n })).sort((a, b) => a.entityType.localeCompare(b.entityType)),
  };
}
