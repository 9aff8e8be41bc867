import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { decodeKeyset, keysetPage, type Page, type PageParams } from '../../lib/pagination.ts';
import { nextReference } from '../../lib/reference.ts';
import { japanDate } from '../audit/calendar.ts';
import { resolvePersonsAccessed } from '../audit/review.ts';
import { recordAudit } from '../audit/service.ts';
import { getPrivacySettings } from '../audit/settings.ts';
import { personNames } from '../audit/subjects.ts';
import { enqueueMessage } from '../notifications/service.ts';
import { incidentDeadlines } from './deadlines.ts';
import type { AffectedPerson, IncidentDetail, IncidentInput, IncidentStatus, IncidentSummary, ReportKind } from './types.ts';

/**
 * The incident register (個人情報の漏えい等, 個人情報保護法第68条): what
 * happened and whose data, what was done, the reports to the 個人情報保護委員会
 * with their deadlines, and the notification of the persons affected. The
 * privacy officer keeps it; auditors read it.
 */

export { INCIDENT_STATUSES } from './types.ts';
export type { AffectedPerson, IncidentDetail, IncidentInput, IncidentStatus, IncidentSummary, ReportKind } from './types.ts';

interface IncidentRow {
  id: string; reference: string; title: string; discovered_at: Date; occurred_from: Date | null; occurred_to: Date | null; description: string;
  data_kinds: string[]; sensitive_data: boolean; financial_harm_risk: boolean; unauthorized_purpose: boolean; persons_count: number | null;
  status: IncidentStatus; closed_at: Date | null; created_at: Date; version: number; identified: number;
}

function requireOfficer(actor: Actor): string {
  if (!actor.municipalityId || actor.role !== 'privacy_officer') throw forbidden('Only the privacy officer keeps the incident register.');
  return actor.municipalityId;
}

function requireReader(actor: Actor): string {
  if (!actor.municipalityId || (actor.role !== 'privacy_officer' && actor.role !== 'auditor'))
    throw forbidden('Only the privacy officer or an auditor reads the incident register.');
  return actor.municipalityId;
}

function checkInput(input: Partial<IncidentInput>): void {
  const fields: FieldError[] = [];
  if (input.title !== undefined && !input.title.trim()) fields.push({ field: 'title', message: 'Give the incident a short title.' });
  if (input.description !== undefined && !input.description.trim()) fields.push({ field: 'description', message: 'Describe what happened.' });
  if (input.occurredFrom && input.occurredTo && input.occurredFrom > input.occurredTo)
    fields.push({ field: 'occurredTo', message: 'The end must not come before the start.' });
  // 9999-12-31T23:59:59Z is already 10000-01-01 in Japan: a date of five digits has no calendar, and its deadlines never ended (found by the fuzzer)
  if (input.discoveredAt && !/^\d{4}-/.test(japanDate(new Date(input.discoveredAt))))
    fields.push({ field: 'discoveredAt', message: 'Give a date in or before the year 9999.' });
  if (fields.length) throw badRequest('The incident could not be saved.', fields);
}

const SELECT = `SELECT i.*, (SELECT count(*) FROM privacy_incident_person ip WHERE ip.municipality_id = i.municipality_id AND ip.incident_id = i.id) AS identified
  FROM privacy_incident i`;

async function reportsOf(db: Db, mid: string, ids: string[]) {
  const { rows } = await db.query<{ incident_id: string; seq: number; kind: ReportKind; reported_on: string; note: string | null; recorded_at: Date }>(
    'SELECT incident_id, seq, kind, reported_on, note, recorded_at FROM privacy_incident_report WHERE municipality_id = $1 AND incident_id = ANY($2::uuid[]) ORDER BY seq',
    [mid, ids]);
  return rows;
}

function summarise(r: IncidentRow, reports: { kind: ReportKind; reported_on: string }[], today: string, rules: Awaited<ReturnType<typeof getPrivacySettings>>['incidentDeadlines']): IncidentSummary {
  const identified = Number(r.identified);
  return {
    id: r.id, reference: r.reference, title: r.title, discoveredAt: r.discovered_at, status: r.status, sensitiveData: r.sensitive_data,
    financialHarmRisk: r.financial_harm_risk, unauthorizedPurpose: r.unauthorized_purpose, personsCount: r.persons_count, identifiedPersons: identified,
    deadlines: incidentDeadlines({
      discoveredOn: japanDate(r.discovered_at), sensitiveData: r.sensitive_data, financialHarmRisk: r.financial_harm_risk,
      unauthorizedPurpose: r.unauthorized_purpose, persons: Math.max(r.persons_count ?? 0, identified),
    }, reports.map((x) => ({ kind: x.kind, reportedOn: x.reported_on })), today, rules),
    version: r.version,
  };
}

/** Registers an incident and alerts the municipality's privacy officers (no personal data in the alert). */
export async function createIncident(deps: Deps, actor: Actor, input: IncidentInput): Promise<IncidentDetail> {
  const { db, clock } = deps;
  const mid = requireOfficer(actor);
  checkInput(input);
  const rules = (await getPrivacySettings(db, mid)).incidentDeadlines;
  const id = await db.transaction(async (tx) => {
    const now = clock.now();
    const newId = randomUUID();
    const reference = await nextReference(tx, 'privacy_incident_counter', mid, now, 'INC-');
    await tx.query(
      `INSERT INTO privacy_incident (municipality_id, id, reference, title, discovered_at, occurred_from, occurred_to, description, data_kinds,
         sensitive_data, financial_harm_risk, unauthorized_purpose, persons_count, status, recorded_by, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'investigating',$14,$15,$15)`,
      [mid, newId, reference, input.title.trim(), new Date(input.discoveredAt), input.occurredFrom ? new Date(input.occurredFrom) : null,
        input.occurredTo ? new Date(input.occurredTo) : null, input.description.trim(), input.dataKinds, input.sensitiveData,
        input.financialHarmRisk ?? false, input.unauthorizedPurpose, input.personsCount ?? null, actor.userId, now],
    );
    const d = incidentDeadlines({
      discoveredOn: japanDate(new Date(input.discoveredAt)), sensitiveData: input.sensitiveData, financialHarmRisk: input.financialHarmRisk ?? false,
      unauthorizedPurpose: input.unauthorizedPurpose, persons: input.personsCount ?? 0,
    }, [], japanDate(now), rules);
    const final = d.deadlines.find((x) => x.kind === 'final');
    await enqueueMessage(tx, clock, {
      municipalityId: mid, kind: 'privacy_incident', toRole: 'privacy_officer',
      subject: `個人情報の漏えい等の事案が登録されました（${reference}）`,
      body: [
        `事案番号: ${reference}`,
        `発見日: ${japanDate(new Date(input.discoveredAt))}`,
        final ? `個人情報保護委員会への確報期限: ${final.due}（速報は速やかに）` : '報告対象の事態に該当するかを確認してください。',
        '内容はつなぐの事案台帳で確認してください。',
      ].join('\n'),
      entityType: 'privacy_incident', entityId: newId,
    });
    await recordAudit(tx, clock, actor, {
      action: 'incident.create', entityType: 'privacy_incident', entityId: newId, reason: 'incident registered',
      details: { reference, sensitiveData: input.sensitiveData, unauthorizedPurpose: input.unauthorizedPurpose },
    });
    return newId;
  });
  return getIncident(deps, actor, id, { audit: false });
}

const REGISTER_KEY = ['timestamp', 'uuid'] as const;

/** The register, newest discovery first, a page at a time, with each incident's deadlines as of today. */
export async function listIncidents({ db, clock }: Deps, actor: Actor, q: { status?: IncidentStatus } & PageParams = {}): Promise<Page<IncidentSummary>> {
  const mid = requireReader(actor);
  const limit = q.limit ?? 50;
  const after = decodeKeyset(q.cursor, REGISTER_KEY);
  const { rows } = await db.query<IncidentRow>(
    `${SELECT} WHERE i.municipality_id = $1 AND ($2::text IS NULL OR i.status = $2) AND ($3::timestamptz IS NULL OR (i.discovered_at, i.id) < ($3, $4::uuid))
     ORDER BY i.discovered_at DESC, i.id DESC LIMIT $5`, [mid, q.status ?? null, ...(after ?? [null, null]), limit + 1]);
  const page = keysetPage(rows, limit, (r) => [r.discovered_at, r.id]);
  const reports = await reportsOf(db, mid, page.rows.map((r) => r.id));
  const rules = (await getPrivacySettings(db, mid)).incidentDeadlines;
  const today = japanDate(clock.now());
  await recordAudit(db, clock, actor, { action: 'incident.list', entityType: 'privacy_incident', reason: 'incident register', details: { count: page.rows.length, status: q.status ?? null } });
  return { items: page.rows.map((r) => summarise(r, reports.filter((x) => x.incident_id === r.id), today, rules)), nextCursor: page.nextCursor };
}

async function loadRow(db: Db, mid: string, id: string, lock = false): Promise<IncidentRow> {
  const { rows } = await db.query<IncidentRow>(`${SELECT} WHERE i.municipality_id = $1 AND i.id = $2${lock ? ' FOR UPDATE OF i' : ''}`, [mid, id]);
  if (!rows[0]) throw notFound('incident');
  return rows[0];
}

/** One incident with its persons (names, for notifying them), reports and actions; a read of those persons, audited. */
export async function getIncident({ db, clock }: Deps, actor: Actor, id: string, opts: { audit?: boolean } = {}): Promise<IncidentDetail> {
  const mid = requireReader(actor);
  const r = await loadRow(db, mid, id);
  const reports = await reportsOf(db, mid, [id]);
  const { rows: people } = await db.query<{ person_id: string; source: 'manual' | 'access_query'; added_at: Date; notified_on: string | null; notification_method: string | null }>(
    'SELECT person_id, source, added_at, notified_on, notification_method FROM privacy_incident_person WHERE municipality_id = $1 AND incident_id = $2',
    [mid, id]);
  const { rows: actions } = await db.query<{ seq: number; taken_at: Date; description: string; recorded_at: Date }>(
    'SELECT seq, taken_at, description, recorded_at FROM privacy_incident_action WHERE municipality_id = $1 AND incident_id = $2 ORDER BY taken_at, seq', [mid, id]);
  const names = await personNames(db, mid, people.map((p) => p.person_id));
  const rules = (await getPrivacySettings(db, mid)).incidentDeadlines;
  if (opts.audit !== false)
    await recordAudit(db, clock, actor, {
      action: 'incident.read', entityType: 'privacy_incident', entityId: id, reason: 'incident register', details: { ids: people.map((p) => p.person_id) },
    });
  const persons = people.map((p): AffectedPerson => {
    const n = names.get(p.person_id);
    return {
      personId: p.person_id, name: n?.name ?? null, nameKana: n?.nameKana ?? null, held: !!n, source: p.source, addedAt: p.added_at,
      notifiedOn: p.notified_on, notificationMethod: p.notification_method,
    };
  }).sort((a, b) => (a.nameKana ?? a.name ?? '').localeCompare(b.nameKana ?? b.name ?? '', 'ja') || a.personId.localeCompare(b.personId));
  return {
    ...summarise(r, reports, japanDate(clock.now()), rules),
    occurredFrom: r.occurred_from, occurredTo: r.occurred_to, description: r.description, dataKinds: r.data_kinds, closedAt: r.closed_at, createdAt: r.created_at,
    persons,
    reports: reports.map((x) => ({ seq: Number(x.seq), kind: x.kind, reportedOn: x.reported_on, note: x.note, recordedAt: x.recorded_at })),
    actions: actions.map((a) => ({ seq: Number(a.seq), takenAt: a.taken_at, description: a.description, recordedAt: a.recorded_at })),
  };
}

/** Changes what is known of an incident or its status; a stale version is refused. */
export async function updateIncident(
  deps: Deps, actor: Actor, id: string, input: { version: number; status?: IncidentStatus } & Partial<IncidentInput>,
): Promise<IncidentDetail> {
  const { db, clock } = deps;
  const mid = requireOfficer(actor);
  checkInput(input);
  await db.transaction(async (tx) => {
    const cur = await loadRow(tx, mid, id, true);
    if (cur.version !== input.version) throw conflict(`Someone changed this incident since you opened it (now version ${cur.version}). Reload it and try again.`);
    const from = input.occurredFrom === undefined ? cur.occurred_from : input.occurredFrom ? new Date(input.occurredFrom) : null;
    const to = input.occurredTo === undefined ? cur.occurred_to : input.occurredTo ? new Date(input.occurredTo) : null;
    if (from && to && from > to) throw badRequest('The incident could not be saved.', [{ field: 'occurredTo', message: 'The end must not come before the start.' }]);
    const status = input.status ?? cur.status;
    const now = clock.now();
    await tx.query(
      `UPDATE privacy_incident SET title = $3, discovered_at = $4, occurred_from = $5, occurred_to = $6, description = $7, data_kinds = $8,
         sensitive_data = $9, financial_harm_risk = $10, unauthorized_purpose = $11, persons_count = $12, status = $13,
         closed_at = $14, updated_at = $15, version = version + 1
       WHERE municipality_id = $1 AND id = $2`,
      [mid, id, input.title?.trim() ?? cur.title, input.discoveredAt ? new Date(input.discoveredAt) : cur.discovered_at, from, to,
        input.description?.trim() ?? cur.description, input.dataKinds ?? cur.data_kinds, input.sensitiveData ?? cur.sensitive_data,
        input.financialHarmRisk ?? cur.financial_harm_risk, input.unauthorizedPurpose ?? cur.unauthorized_purpose,
        input.personsCount === undefined ? cur.persons_count : input.personsCount, status,
        status === 'closed' ? (cur.closed_at ?? now) : null, now],
    );
    const changed = Object.keys(input).filter((k) => k !== 'version');
    await recordAudit(tx, clock, actor, { action: 'incident.update', entityType: 'privacy_incident', entityId: id, reason: 'incident updated', details: { fields: changed, from: cur.status, to: status } });
  });
  return getIncident(deps, actor, id, { audit: false });
}

async function nextSeq(tx: Db, table: string, mid: string, id: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(`SELECT coalesce(max(seq), 0) + 1 AS n FROM ${table} WHERE municipality_id = $1 AND incident_id = $2`, [mid, id]);
  return Number(rows[0].n);
}

/** Records a report made to the 個人情報保護委員会 (速報 or 確報) and its date. */
export async function recordIncidentReport(deps: Deps, actor: Actor, id: string, input: { kind: ReportKind; reportedOn: string; note?: string }): Promise<IncidentDetail> {
  const { db, clock } = deps;
  const mid = requireOfficer(actor);
  await db.transaction(async (tx) => {
    const cur = await loadRow(tx, mid, id, true);
    if (input.reportedOn < japanDate(cur.discovered_at))
      throw badRequest('The report could not be recorded.', [{ field: 'reportedOn', message: 'A report cannot come before the incident was discovered.' }]);
    if (input.reportedOn > japanDate(clock.now()))
      throw badRequest('The report could not be recorded.', [{ field: 'reportedOn', message: 'Give the date the report was made, not a future one.' }]);
    const seq = await nextSeq(tx, 'privacy_incident_report', mid, id);
    await tx.query(
      `INSERT INTO privacy_incident_report (municipality_id, incident_id, seq, kind, reported_on, note, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [mid, id, seq, input.kind, input.reportedOn, input.note?.trim() || null, actor.userId, clock.now()]);
    await tx.query('UPDATE privacy_incident SET version = version + 1, updated_at = $3 WHERE municipality_id = $1 AND id = $2', [mid, id, clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'incident.report', entityType: 'privacy_incident', entityId: id, reason: `${input.kind} report to the PPC`, details: { kind: input.kind, reportedOn: input.reportedOn } });
  });
  return getIncident(deps, actor, id, { audit: false });
}

/** Records something done about the incident (containment, investigation, prevention). */
export async function recordIncidentAction(deps: Deps, actor: Actor, id: string, input: { takenAt: string; description: string }): Promise<IncidentDetail> {
  const { db, clock } = deps;
  const mid = requireOfficer(actor);
  if (!input.description.trim()) throw badRequest('The action could not be recorded.', [{ field: 'description', message: 'Say what was done.' }]);
  await db.transaction(async (tx) => {
    await loadRow(tx, mid, id, true);
    const seq = await nextSeq(tx, 'privacy_incident_action', mid, id);
    await tx.query(
      'INSERT INTO privacy_incident_action (municipality_id, incident_id, seq, taken_at, description, recorded_by, recorded_at) VALUES ($1,$2,$3,$4,$5,$6,$7)',
      [mid, id, seq, new Date(input.takenAt), input.description.trim(), actor.userId, clock.now()]);
    await tx.query('UPDATE privacy_incident SET version = version + 1, updated_at = $3 WHERE municipality_id = $1 AND id = $2', [mid, id, clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'incident.action', entityType: 'privacy_incident', entityId: id, reason: 'incident action recorded' });
  });
  return getIncident(deps, actor, id, { audit: false });
}

export type AffectedPersonsInput =
  | { personIds: string[] }
  | { accessedBy: { userId: string; from: string; to: string } };

/**
 * Adds persons affected: given by id, or everyone whose records an account
 * accessed in a time window (the audit query). Persons already listed stay as they are.
 */
export async function addAffectedPersons(deps: Deps, actor: Actor, id: string, input: AffectedPersonsInput): Promise<IncidentDetail & { added: number }> {
  const { db, clock } = deps;
  const mid = requireOfficer(actor);
  await loadRow(db, mid, id);
  let ids: string[];
  let source: 'manual' | 'access_query';
  if ('accessedBy' in input) {
    const from = new Date(input.accessedBy.from);
    const to = new Date(input.accessedBy.to);
    if (from >= to) throw badRequest('Choose a time window.', [{ field: 'accessedBy.to', message: 'The end must come after the start.' }]);
    ids = (await resolvePersonsAccessed(db, mid, { userId: input.accessedBy.userId, from, to })).persons.map((p) => p.personId);
    source = 'access_query';
  } else {
    ids = [...new Set(input.personIds)];
    const known = await personNames(db, mid, ids);
    const missing = ids.filter((p) => !known.has(p));
    if (missing.length) throw badRequest('Some persons could not be added.', missing.map((p) => ({ field: 'personIds', message: `No person with id ${p} in this municipality.` })));
    source = 'manual';
  }
  const added = await db.transaction(async (tx) => {
    await loadRow(tx, mid, id, true);
    const { rowCount } = await tx.query(
      `INSERT INTO privacy_incident_person (municipality_id, incident_id, person_id, source, added_at, added_by)
       SELECT $1, $2, p, $4, $5, $6 FROM unnest($3::uuid[]) AS p ON CONFLICT DO NOTHING`,
      [mid, id, ids, source, clock.now(), actor.userId]);
    await tx.query('UPDATE privacy_incident SET version = version + 1, updated_at = $3 WHERE municipality_id = $1 AND id = $2', [mid, id, clock.now()]);
    await recordAudit(tx, clock, actor, {
      action: 'incident.persons', entityType: 'privacy_incident', entityId: id, reason: 'affected persons added',
      details: { source, ...('accessedBy' in input ? { accessedBy: input.accessedBy } : {}), ids, added: rowCount },
    });
    return rowCount;
  });
  return { ...(await getIncident(deps, actor, id, { audit: false })), added };
}

/** Takes a person off an incident (added by mistake). */
export async function removeAffectedPerson(deps: Deps, actor: Actor, id: string, personId: string): Promise<IncidentDetail> {
  const { db, clock } = deps;
  const mid = requireOfficer(actor);
  await db.transaction(async (tx) => {
    await loadRow(tx, mid, id, true);
    const { rowCount } = await tx.query('DELETE FROM privacy_incident_person WHERE municipality_id = $1 AND incident_id = $2 AND person_id = $3', [mid, id, personId]);
    if (rowCount === 0) throw notFound('affected person');
    await tx.query('UPDATE privacy_incident SET version = version + 1, updated_at = $3 WHERE municipality_id = $1 AND id = $2', [mid, id, clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'incident.persons.remove', entityType: 'privacy_incident', entityId: id, reason: 'affected person removed', details: { personId } });
  });
  return getIncident(deps, actor, id, { audit: false });
}

/** Records that persons were notified (本人通知, 法第68条第2項), with the date and how. */
export async function recordNotification(
  deps: Deps, actor: Actor, id: string, input: { personIds: string[]; notifiedOn: string; method: string },
): Promise<IncidentDetail> {
  const { db, clock } = deps;
  const mid = requireOfficer(actor);
  if (!input.method.trim()) throw badRequest('The notification could not be recorded.', [{ field: 'method', message: 'Say how the persons were notified.' }]);
  await db.transaction(async (tx) => {
    const cur = await loadRow(tx, mid, id, true);
    if (input.notifiedOn < japanDate(cur.discovered_at))
      throw badRequest('The notification could not be recorded.', [{ field: 'notifiedOn', message: 'A notification cannot come before the incident was discovered.' }]);
    const { rowCount } = await tx.query(
      `UPDATE privacy_incident_person SET notified_on = $4, notification_method = $5
       WHERE municipality_id = $1 AND incident_id = $2 AND person_id = ANY($3::uuid[])`,
      [mid, id, input.personIds, input.notifiedOn, input.method.trim()]);
    if (rowCount !== new Set(input.personIds).size)
      throw badRequest('The notification could not be recorded.', [{ field: 'personIds', message: 'Some of these persons are not listed on this incident.' }]);
    await tx.query('UPDATE privacy_incident SET version = version + 1, updated_at = $3 WHERE municipality_id = $1 AND id = $2', [mid, id, clock.now()]);
    await recordAudit(tx, clock, actor, {
      action: 'incident.notify', entityType: 'privacy_incident', entityId: id, reason: '本人通知', details: { ids: input.personIds, notifiedOn: input.notifiedOn, method: input.method.trim() },
    });
  });
  return getIncident(deps, actor, id, { audit: false });
}
