import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { japanDate } from '../../lib/fiscal.ts';
import { decodeKeyset, keysetPage, type Page, type PageParams } from '../../lib/pagination.ts';
import { nextReference } from '../../lib/reference.ts';
import { recordAudit } from '../audit/service.ts';
import { getPerson } from '../cases/service.ts';
import { municipalGramsSql, nameKey, personGrams, queryGrams } from '../cases/names.ts';
import { enqueueMessage } from '../notifications/service.ts';
import { unlinkedHomeVisitApplications } from '../prefecture/homeVisits.ts';
import { holdForRequest, releaseRequestHold } from '../retention/service.ts';
import { deadlineState, decisionDeadline, extendedDeadline } from './deadlines.ts';
import {
  buildPackage, GROUNDS, listCorrections, listSuspensions, samePerson, sectionCounts, type GroundCode, type PackageRequestInfo, type RedactionOverride,
} from './package.ts';
import {
  CORRECTABLE_FIELDS, DECISIONS, type Change, type Correction, type DisclosurePackage, type PersonSummary, type RedactionDecision, type Release,
  type RequestDetail, type RequestSummary,
} from './schemas.ts';

/**
 * The person's rights (個人情報保護法 第5章第4節), handled by the municipality's
 * privacy officer (保護管理者): requests for disclosure, correction and
 * suspension of use with their deadlines and decisions; the disclosure package
 * with its redactions and releases; corrections kept with the earlier value;
 * suspensions of use and their lifting. Every read of personal data here is
 * audited, and every change with it in one transaction.
 */

export type RequestKind = 'disclosure' | 'correction' | 'suspension';
export type Decision = (typeof DECISIONS)[RequestKind][number];

const KIND_JA: Record<RequestKind, string> = { disclosure: '開示請求', correction: '訂正請求', suspension: '利用停止請求' };
/** Decisions that refuse in whole or in part are notified with their reason (行政手続法第8条). */
const NEEDS_REASON = new Set<Decision>(['partial', 'none', 'not_correct', 'not_suspend']);

function requireOfficer(actor: Actor) {
  if (actor.role !== 'privacy_officer') throw forbidden('Only the privacy officer (保護管理者) handles the person’s requests.');
}

const wareki = (isoDate: string) =>
  new Intl.DateTimeFormat('ja-JP-u-ca-japanese', { era: 'long', year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' })
    .format(new Date(`${isoDate}T00:00:00Z`)).replace(/(\D)1年/, '$1元年');

interface RequestRow {
  id: string; reference: string; kind: RequestKind; person_id: string | null; requester_relation: 'self' | 'legal_representative' | 'agent';
  requester_name: string | null; identity_verification: string; content: string; requested_changes: Change[] | null; received_on: string; deadline: string;
  extended_on: string | null; extended_to: string | null; extension_reason: string | null; decision: Decision | null; decided_on: string | null;
  decision_reason: string | null; decided_changes: Change[] | null; correction_applied_at: Date | null; alerted: string | null; created_at: Date; version: number;
  person_name: string | null; person_kana: string | null;
}

const SELECT_REQUEST = `SELECT q.*, p.name AS person_name, p.name_kana AS person_kana FROM privacy_request q
  LEFT JOIN person p ON p.municipality_id = q.municipality_id AND p.id = q.person_id`;

function summarize(r: RequestRow, today: string): RequestSummary {
  const state = deadlineState({ deadline: r.deadline, extendedTo: r.extended_to }, r.decided_on ?? today);
  return {
    id: r.id, reference: r.reference, kind: r.kind,
    person: r.person_id ? { id: r.person_id, name: r.person_name, nameKana: r.person_kana } : null,
    requesterRelation: r.requester_relation, requesterName: r.requester_name, receivedOn: r.received_on, deadline: r.deadline,
    extendedOn: r.extended_on, extendedTo: r.extended_to, extensionReason: r.extension_reason,
    due: state.due, daysLeft: state.daysLeft, overdue: r.decision ? false : state.overdue, dueSoon: r.decision ? false : state.dueSoon,
    decision: r.decision, decidedOn: r.decided_on, decidedLate: !!r.decided_on && r.decided_on > state.due, version: r.version,
  };
}

async function loadRequest(db: Db, actor: Actor, id: string, lock = false): Promise<RequestRow> {
  requireOfficer(actor);
  const { rows } = await db.query<RequestRow>(`${SELECT_REQUEST} WHERE q.municipality_id = $1 AND q.id = $2${lock ? ' FOR UPDATE OF q' : ''}`, [actor.municipalityId, id]);
  if (!rows[0]) throw notFound('request');
  return rows[0];
}

function checkVersion(r: RequestRow, version: number) {
  if (r.version !== version) throw conflict(`This request changed since you opened it (now version ${r.version}). Reload it and try again.`);
}

// ---------------------------------------------------------------- persons

/** The person as the officer needs to identify them (name, reading, birth date, address), with cases and whether use is suspended. */
async function personSummary(db: Db, mid: string, personId: string): Promise<PersonSummary | null> {
  const same = await samePerson(db, mid, personId);
  if (!same) return null;
  const { rows } = await db.query<{ id: string; name: string | null; name_kana: string | null; birth_date: string | null; address: string | null; merged_into_id: string | null; refs: string[]; suspended: boolean }>(
    `SELECT p.id, p.name, p.name_kana, p.birth_date, p.address, p.merged_into_id,
       COALESCE((SELECT array_agg(c.reference ORDER BY c.opened_at) FROM support_case c WHERE c.municipality_id = p.municipality_id AND c.person_id = ANY($3::uuid[])), '{}') AS refs,
       EXISTS (SELECT 1 FROM use_suspension s WHERE s.municipality_id = p.municipality_id AND s.person_id = ANY($3::uuid[]) AND s.lifted_at IS NULL) AS suspended
     FROM person p WHERE p.municipality_id = $1 AND p.id = $2`, [mid, same.rootId, same.ids]);
  const p = rows[0];
  return { id: p.id, name: p.name, nameKana: p.name_kana, birthDate: p.birth_date, address: p.address, mergedIntoId: p.merged_into_id, caseReferences: p.refs, suspended: p.suspended };
}

/** Persons of the municipality whose name or reading contains the query, to register a request for; audited as a search. */
export async function findPersons({ db, clock }: Deps, actor: Actor, q: string): Promise<PersonSummary[]> {
  requireOfficer(actor);
  const g = queryGrams(q);
  if (g.length === 0) throw badRequest('Type part of a name or its reading.', [{ field: 'q', message: 'Type part of a name or its reading.' }]);
  const key = nameKey(q);
  const { rows } = await db.query<{ id: string }>(
    `SELECT p.id FROM person p WHERE p.municipality_id = $1 AND p.merged_into_id IS NULL AND ${municipalGramsSql('$1', '$2')}
       AND (strpos(p.name_key, $3) > 0 OR strpos(p.kana_key, $3) > 0) ORDER BY p.kana_key, p.id LIMIT 20`,
    [actor.municipalityId, g, key]);
  const out = [];
  for (const r of rows) out.push((await personSummary(db, actor.municipalityId!, r.id))!);
  await recordAudit(db, clock, actor, { action: 'person.search', entityType: 'person', reason: 'privacy request', details: { query: q, count: rows.length, ids: rows.map((r) => r.id) } });
  return out;
}

/**
 * Records that name a person but are linked to no person record (訪問相談
 * applications a window recorded without a case), found by the same query: the
 * person's own data all the same, so the officer must know they exist.
 */
export async function findUnlinkedRecords({ db, clock }: Deps, actor: Actor, q: string) {
  requireOfficer(actor);
  const found = await unlinkedHomeVisitApplications(db, actor.municipalityId!, q);
  if (found.length)
    await recordAudit(db, clock, actor, { action: 'record.search', entityType: 'home_visit_application', reason: 'privacy request', details: { query: q, count: found.length, ids: found.map((f) => f.id) } });
  return found.map((f) => ({ kind: 'home_visit_application' as const, id: f.id, recordedAt: f.recordedAt.toISOString(), organization: f.organization, match: f.match }));
}

/**
 * The correction history of a person (訂正の履歴): to the privacy officer, and
 * to staff who may see the person (their read is audited as a person read).
 */
export async function personCorrections(deps: Deps, actor: Actor, personId: string): Promise<Correction[]> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  if (actor.role === 'privacy_officer') {
    const { rows } = await db.query('SELECT 1 FROM person WHERE municipality_id = $1 AND id = $2', [mid, personId]);
    if (!rows[0]) throw notFound('person');
    await recordAudit(db, clock, actor, { action: 'person.corrections', entityType: 'person', entityId: personId, reason: 'privacy request' });
  } else {
    await getPerson(deps, actor, personId);
  }
  const same = await samePerson(db, mid, personId);
  return listCorrections(db, mid, same?.ids ?? [personId]);
}

// ---------------------------------------------------------------- requests

export interface RegisterInput {
  kind: RequestKind;
  personId: string;
  receivedOn: string;
  requesterRelation: 'self' | 'legal_representative' | 'agent';
  requesterName?: string | null;
  identityVerification: string;
  content: string;
  requestedChanges?: Change[];
}

const isRealDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

function checkChanges(changes: Change[], field: string, today: string): FieldError[] {
  const fields: FieldError[] = [];
  const seen = new Set<string>();
  changes.forEach((c, i) => {
    if (seen.has(c.field)) fields.push({ field: `${field}[${i}].field`, message: 'Each field may be corrected once per request.' });
    seen.add(c.field);
    if (c.field === 'birthDate' && c.value !== null) {
      if (!isRealDate(c.value)) fields.push({ field: `${field}[${i}].value`, message: 'Give the birth date as YYYY-MM-DD.' });
      else if (c.value > today) fields.push({ field: `${field}[${i}].value`, message: 'The birth date cannot be in the future.' });
    }
  });
  return fields;
}

/** The amended 個人情報保護法 applies to local governments from 令和5年4月1日. */
const LAW_APPLIES_FROM = '2023-04-01';

/** Registers a request as received (受付), with its legal deadline. */
export async function registerRequest(deps: Deps, actor: Actor, input: RegisterInput): Promise<RequestDetail> {
  requireOfficer(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const today = japanDate(clock.now());
  const fields: FieldError[] = [];
  if (input.receivedOn > today) fields.push({ field: 'receivedOn', message: 'The date received cannot be in the future.' });
  else if (input.receivedOn < LAW_APPLIES_FROM)
    fields.push({ field: 'receivedOn', message: 'The Act on the Protection of Personal Information governs municipalities’ requests from 2023-04-01: a request received before then is not registered here.' });
  if (input.requesterRelation !== 'self' && !input.requesterName?.trim())
    fields.push({ field: 'requesterName', message: 'Give the name of the representative or agent who made the request.' });
  if (input.kind === 'correction' && !input.requestedChanges?.length)
    fields.push({ field: 'requestedChanges', message: 'Say which details the person asks to correct, and to what.' });
  if (input.kind !== 'correction' && input.requestedChanges?.length)
    fields.push({ field: 'requestedChanges', message: 'Only a correction request lists changes.' });
  fields.push(...checkChanges(input.requestedChanges ?? [], 'requestedChanges', today));
  if (fields.length) throw badRequest('The request could not be registered.', fields);
  const same = await samePerson(db, mid, input.personId);
  if (!same) throw notFound('person');
  const id = randomUUID();
  await db.transaction(async (tx) => {
    const now = clock.now();
    const reference = await nextReference(tx, 'privacy_request_counter', mid, now, 'P');
    await tx.query(
      `INSERT INTO privacy_request (municipality_id, id, reference, kind, person_id, requester_relation, requester_name, identity_verification, content,
         requested_changes, received_on, deadline, created_by, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$14)`,
      [mid, id, reference, input.kind, same.rootId, input.requesterRelation, input.requesterName?.trim() || null, input.identityVerification.trim(),
        input.content.trim(), input.requestedChanges?.length ? JSON.stringify(input.requestedChanges) : null, input.receivedOn,
        decisionDeadline(input.receivedOn), actor.userId, now],
    );
    await holdForRequest(tx, clock, actor, { personId: same.rootId, requestId: id, reference });
    await recordAudit(tx, clock, actor, {
      action: 'privacy_request.register', entityType: 'privacy_request', entityId: id, reason: KIND_JA[input.kind], details: { personId: same.rootId, kind: input.kind, reference },
    });
  });
  return getRequest(deps, actor, id, { audit: false });
}

export interface RequestQuery extends PageParams {
  status?: 'open' | 'decided' | 'all';
  kind?: RequestKind;
}

/** The list's order as a cursor: open or not, then the deadline in force (open) or the day decided (decided), then the reference. */
const REQUEST_KEY = ['bool', 'date', 'text'] as const;

/**
 * The officer's list, a page at a time: open requests by deadline (overdue
 * first), then decided ones newest first; `total` counts every page.
 */
export async function listRequests({ db, clock }: Deps, actor: Actor, q: RequestQuery): Promise<Page<RequestSummary> & { total: number }> {
  requireOfficer(actor);
  const status = q.status ?? 'open';
  const limit = q.limit ?? 50;
  const after = decodeKeyset(q.cursor, REQUEST_KEY);
  const filter = `q.municipality_id = $1 AND ($2::text IS NULL OR q.kind = $2)
       AND ($3::text = 'all' OR ($3 = 'open' AND q.decision IS NULL) OR ($3 = 'decided' AND q.decision IS NOT NULL))`;
  const params = [actor.municipalityId, q.kind ?? null, status];
  // open ones ascend by deadline and decided ones descend by day, both then by reference: after the cursor, spelled out per part
  const { rows } = await db.query<RequestRow>(
    `${SELECT_REQUEST} WHERE ${filter}
       AND ($4::boolean IS NULL
         OR ($4 AND (q.decision IS NOT NULL OR (COALESCE(q.extended_to, q.deadline), q.reference) > ($5::date, $6::text)))
         OR (NOT $4 AND q.decision IS NOT NULL AND (q.decided_on < $5 OR (q.decided_on = $5 AND q.reference > $6))))
     ORDER BY (q.decision IS NULL) DESC, CASE WHEN q.decision IS NULL THEN COALESCE(q.extended_to, q.deadline) END, q.decided_on DESC, q.reference
     LIMIT $7`,
    [...params, ...(after ?? [null, null, null]), limit + 1]);
  const { rows: [counted] } = await db.query<{ total: number }>(`SELECT count(*) AS total FROM privacy_request q WHERE ${filter}`, params);
  const page = keysetPage(rows, limit, (r) => (r.decision === null ? [true, r.extended_to ?? r.deadline, r.reference] : [false, r.decided_on!, r.reference]));
  await recordAudit(db, clock, actor, {
    action: 'privacy_request.list', entityType: 'privacy_request', reason: `privacy requests ${status}`,
    details: { count: page.rows.length, ids: [...new Set(page.rows.map((r) => r.person_id).filter(Boolean))] },
  });
  const today = japanDate(clock.now());
  return { items: page.rows.map((r) => summarize(r, today)), nextCursor: page.nextCursor, total: counted!.total };
}

async function releasesOf(db: Db, mid: string, requestId: string): Promise<Release[]> {
  const { rows } = await db.query<{ id: string; released_at: Date; login: string | null; content_sha256: string; sections: Record<string, number>; redactions: RedactionDecision[] }>(
    `SELECT r.*, u.login FROM disclosure_release r LEFT JOIN app_user u ON u.id = r.released_by
     WHERE r.municipality_id = $1 AND r.request_id = $2 ORDER BY r.released_at`, [mid, requestId]);
  return rows.map((r) => ({ id: r.id, releasedAt: new Date(r.released_at).toISOString(), releasedBy: r.login, contentSha256: r.content_sha256, sections: r.sections, redactions: r.redactions }));
}

export async function getRequest({ db, clock }: Deps, actor: Actor, id: string, opts: { audit?: boolean } = {}): Promise<RequestDetail> {
  const r = await loadRequest(db, actor, id);
  const mid = actor.municipalityId!;
  const same = r.person_id ? await samePerson(db, mid, r.person_id) : null;
  const ids = same?.ids ?? [];
  if (opts.audit !== false)
    await recordAudit(db, clock, actor, { action: 'privacy_request.read', entityType: 'privacy_request', entityId: id, reason: KIND_JA[r.kind], details: { personId: r.person_id } });
  return {
    ...summarize(r, japanDate(clock.now())),
    identityVerification: r.identity_verification, content: r.content, requestedChanges: r.requested_changes,
    decisionReason: r.decision_reason, decidedChanges: r.decided_changes, correctionAppliedAt: r.correction_applied_at ? new Date(r.correction_applied_at).toISOString() : null,
    personDetail: r.person_id ? await personSummary(db, mid, r.person_id) : null,
    corrections: await listCorrections(db, mid, ids),
    suspensions: await listSuspensions(db, mid, ids),
    releases: await releasesOf(db, mid, id),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * Extends the deadline once by 30 days (第83条第2項 and the like), within the
 * original period and with the reason the requester is told in writing.
 */
export async function extendRequest(deps: Deps, actor: Actor, id: string, input: { version: number; reason: string; extendedOn?: string }): Promise<RequestDetail> {
  const { db, clock } = deps;
  const today = japanDate(clock.now());
  const on = input.extendedOn ?? today;
  await db.transaction(async (tx) => {
    const r = await loadRequest(tx, actor, id, true);
    checkVersion(r, input.version);
    if (r.decision) throw conflict('This request is already decided.');
    if (r.extended_to) throw conflict('The deadline can be extended only once.');
    const fields: FieldError[] = [];
    if (on > today) fields.push({ field: 'extendedOn', message: 'The date of the extension cannot be in the future.' });
    if (on < r.received_on) fields.push({ field: 'extendedOn', message: 'The extension cannot be before the request was received.' });
    if (on > r.deadline) fields.push({ field: 'extendedOn', message: 'The deadline can only be extended before it has passed.' });
    if (fields.length) throw badRequest('The deadline could not be extended.', fields);
    const to = extendedDeadline(r.deadline);
    await tx.query(
      `UPDATE privacy_request SET extended_on = $3, extended_to = $4, extension_reason = $5, alerted = NULL, updated_at = $6, version = version + 1
       WHERE municipality_id = $1 AND id = $2`, [actor.municipalityId, id, on, to, input.reason.trim(), clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'privacy_request.extend', entityType: 'privacy_request', entityId: id, reason: input.reason, details: { from: r.deadline, to, personId: r.person_id } });
  });
  return getRequest(deps, actor, id, { audit: false });
}

export interface DecideInput {
  version: number;
  decision: Decision;
  decidedOn?: string;
  reason?: string | null;
  /** 訂正する: the changes decided (default: those requested). */
  changes?: Change[];
}

/**
 * Records the decision (開示決定等) with its date. 利用停止する takes effect at
 * once: the person's record is then refused for new cases, referrals and shares.
 */
export async function decideRequest(deps: Deps, actor: Actor, id: string, input: DecideInput): Promise<RequestDetail> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const today = japanDate(clock.now());
  const on = input.decidedOn ?? today;
  await db.transaction(async (tx) => {
    const r = await loadRequest(tx, actor, id, true);
    checkVersion(r, input.version);
    if (r.decision) throw conflict('This request is already decided.');
    const allowed = DECISIONS[r.kind] as readonly string[];
    const fields: FieldError[] = [];
    if (!allowed.includes(input.decision)) fields.push({ field: 'decision', message: `Use one of: ${allowed.join(', ')}.` });
    if (on > today) fields.push({ field: 'decidedOn', message: 'The decision date cannot be in the future.' });
    if (on < r.received_on) fields.push({ field: 'decidedOn', message: 'The decision cannot be before the request was received.' });
    if (NEEDS_REASON.has(input.decision) && !input.reason?.trim())
      fields.push({ field: 'reason', message: 'A refusal, in whole or in part, is notified with its reason. Give the reason.' });
    const changes = input.decision === 'correct' ? (input.changes ?? r.requested_changes ?? []) : null;
    if (input.decision === 'correct' && !changes?.length) fields.push({ field: 'changes', message: 'Say which details are corrected, and to what.' });
    if (input.decision !== 'correct' && input.changes?.length) fields.push({ field: 'changes', message: 'Only a decision to correct lists changes.' });
    fields.push(...checkChanges(changes ?? [], 'changes', today));
    if (fields.length) throw badRequest('The decision could not be recorded.', fields);
    if (input.decision === 'suspend' && !r.person_id) throw notFound('person');
    await tx.query(
      `UPDATE privacy_request SET decision = $3, decided_on = $4, decision_reason = $5, decided_by = $6, decided_changes = $7, updated_at = $8, version = version + 1
       WHERE municipality_id = $1 AND id = $2`,
      [mid, id, input.decision, on, input.reason?.trim() || null, actor.userId, changes ? JSON.stringify(changes) : null, clock.now()]);
    await releaseRequestHold(tx, clock, actor, id);
    if (input.decision === 'suspend')
      await tx.query(
        `INSERT INTO use_suspension (municipality_id, id, person_id, request_id, suspended_on, suspended_at, suspended_by) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [mid, randomUUID(), r.person_id, id, on, clock.now(), actor.userId]);
    await recordAudit(tx, clock, actor, {
      action: 'privacy_request.decide', entityType: 'privacy_request', entityId: id, reason: input.reason ?? input.decision,
      details: { decision: input.decision, decidedOn: on, personId: r.person_id, late: on > (r.extended_to ?? r.deadline) },
    });
  });
  return getRequest(deps, actor, id, { audit: false });
}

/**
 * Carries out a decision to correct (訂正の実施): the person's details change,
 * and each earlier value is kept in the correction history with who, when and
 * under which request. Applied once.
 */
export async function applyCorrection(deps: Deps, actor: Actor, id: string, input: { version: number }): Promise<RequestDetail> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    const r = await loadRequest(tx, actor, id, true);
    checkVersion(r, input.version);
    if (r.kind !== 'correction' || r.decision !== 'correct') throw conflict('Only a decision to correct (訂正する) can be applied.');
    if (r.correction_applied_at) throw conflict('This correction was already applied.');
    if (!r.person_id) throw notFound('person');
    const same = (await samePerson(tx, mid, r.person_id))!;
    const { rows } = await tx.query<Record<string, string | null>>('SELECT * FROM person WHERE municipality_id = $1 AND id = $2 FOR UPDATE', [mid, same.rootId]);
    const cur = rows[0];
    const now = clock.now();
    const next = { ...cur };
    const changed: string[] = [];
    for (const c of r.decided_changes ?? []) {
      const column = CORRECTABLE_FIELDS[c.field];
      const old = cur[column] ?? null;
      const value = c.value?.trim() || null;
      if (old === value) continue;
      next[column] = value;
      changed.push(c.field);
      await tx.query(
        `INSERT INTO person_correction (municipality_id, id, person_id, request_id, field, old_value, new_value, corrected_at, corrected_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`, [mid, randomUUID(), same.rootId, id, c.field, old, value, now, actor.userId]);
    }
    await tx.query(
      `UPDATE person SET name = $3, name_kana = $4, birth_date = $5, gender = $6, phone = $7, email = $8, address = $9,
         name_key = $10, kana_key = $11, search_grams = $12, updated_at = $13, version = version + 1
       WHERE municipality_id = $1 AND id = $2`,
      [mid, same.rootId, next.name, next.name_kana, next.birth_date, next.gender, next.phone, next.email, next.address,
        nameKey(next.name), nameKey(next.name_kana), personGrams(next.name, next.name_kana), now]);
    await tx.query('UPDATE privacy_request SET correction_applied_at = $3, updated_at = $3, version = version + 1 WHERE municipality_id = $1 AND id = $2', [mid, id, now]);
    await recordAudit(tx, clock, actor, {
      action: 'person.correct', entityType: 'person', entityId: same.rootId, reason: `${KIND_JA.correction} ${r.reference}`, details: { requestId: id, fields: changed },
    });
  });
  return getRequest(deps, actor, id, { audit: false });
}

/** Lifts a suspension of use (利用停止の解除): a decision recorded with its date and reason. */
export async function liftSuspension(deps: Deps, actor: Actor, suspensionId: string, input: { reason: string; liftedOn?: string }) {
  requireOfficer(actor);
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  const today = japanDate(clock.now());
  const on = input.liftedOn ?? today;
  let requestId = '';
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ request_id: string; person_id: string; suspended_on: string; lifted_at: Date | null }>(
      'SELECT request_id, person_id, suspended_on, lifted_at FROM use_suspension WHERE municipality_id = $1 AND id = $2 FOR UPDATE', [mid, suspensionId]);
    const s = rows[0];
    if (!s) throw notFound('suspension');
    if (s.lifted_at) throw conflict('This suspension of use was already lifted.');
    const fields: FieldError[] = [];
    if (on > today) fields.push({ field: 'liftedOn', message: 'The date cannot be in the future.' });
    if (on < s.suspended_on) fields.push({ field: 'liftedOn', message: 'The suspension cannot be lifted before it began.' });
    if (fields.length) throw badRequest('The suspension could not be lifted.', fields);
    requestId = s.request_id;
    await tx.query('UPDATE use_suspension SET lifted_on = $3, lifted_at = $4, lifted_by = $5, lift_reason = $6 WHERE municipality_id = $1 AND id = $2',
      [mid, suspensionId, on, clock.now(), actor.userId, input.reason.trim()]);
    await recordAudit(tx, clock, actor, { action: 'privacy.suspension_lift', entityType: 'use_suspension', entityId: suspensionId, reason: input.reason, details: { personId: s.person_id, requestId } });
  });
  return getRequest(deps, actor, requestId, { audit: false });
}

// ---------------------------------------------------------------- the disclosure package

async function overridesOf(db: Db, mid: string, requestId: string): Promise<Map<string, RedactionOverride>> {
  const { rows } = await db.query<{ unit_key: string; redacted: boolean; ground: GroundCode | null; reason: string; decided_at: Date }>(
    'SELECT unit_key, redacted, ground, reason, decided_at FROM disclosure_redaction WHERE municipality_id = $1 AND request_id = $2', [mid, requestId]);
  return new Map(rows.map((o) => [o.unit_key, { key: o.unit_key, redacted: o.redacted, groundCode: o.ground, reason: o.reason, decidedAt: o.decided_at }]));
}

function disclosureOf(r: RequestRow): PackageRequestInfo & { personId: string } {
  if (r.kind !== 'disclosure') throw conflict('Only a disclosure request (開示請求) has a disclosure package.');
  if (!r.person_id) throw notFound('person');
  return { id: r.id, reference: r.reference, kind: r.kind, receivedOn: r.received_on, decision: r.decision, decidedOn: r.decided_on, personId: r.person_id };
}

async function auditExport(db: Db, deps: Deps, actor: Actor, action: string, r: RequestRow, pkg: DisclosurePackage, extra: Record<string, unknown> = {}) {
  await recordAudit(db, deps.clock, actor, {
    action, entityType: 'person', entityId: pkg.persons[0]?.id, reason: `${KIND_JA.disclosure} ${r.reference}`,
    details: { requestId: r.id, ids: pkg.persons.map((p) => p.id), sections: sectionCounts(pkg), redacted: pkg.redactions.filter((d) => d.redacted).length, ...extra },
  });
}

/** Everything held about the request's person, with the redactions decided so far; audited as an export. */
export async function disclosurePackage(deps: Deps, actor: Actor, requestId: string): Promise<DisclosurePackage> {
  const { db, clock } = deps;
  const r = await loadRequest(db, actor, requestId);
  const info = disclosureOf(r);
  const pkg = await buildPackage(db, actor.municipalityId!, info.personId, info, await overridesOf(db, actor.municipalityId!, requestId), clock.now());
  await auditExport(db, deps, actor, 'export.disclosure_package', r, pkg);
  return pkg;
}

export interface RedactionInput {
  key: string;
  redacted: boolean;
  ground?: GroundCode;
  reason: string;
}

/**
 * The officer's decision on one redaction unit, departing from the default
 * or returning to it, always with a written reason; withholding needs its ground.
 */
export async function setRedaction(deps: Deps, actor: Actor, requestId: string, input: RedactionInput): Promise<RedactionDecision> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  return db.transaction(async (tx) => {
    const r = await loadRequest(tx, actor, requestId, true);
    const info = disclosureOf(r);
    const current = await buildPackage(tx, mid, info.personId, info, await overridesOf(tx, mid, requestId), clock.now());
    const unit = current.redactions.find((d) => d.key === input.key);
    if (!unit) throw badRequest('There is no such item to redact in this package.', [{ field: 'key', message: 'Reload the package: this item is not in it.' }]);
    const ground = input.redacted ? (input.ground ?? (unit.defaultGroundCode as GroundCode | null) ?? undefined) : undefined;
    if (input.redacted && !ground) throw badRequest('Give the ground for withholding it.', [{ field: 'ground', message: 'Choose the ground (不開示情報) for withholding this.' }]);
    const now = clock.now();
    await tx.query(
      `INSERT INTO disclosure_redaction (municipality_id, request_id, unit_key, redacted, ground, reason, decided_by, decided_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
       ON CONFLICT (municipality_id, request_id, unit_key) DO UPDATE SET redacted = EXCLUDED.redacted, ground = EXCLUDED.ground, reason = EXCLUDED.reason,
         decided_by = EXCLUDED.decided_by, decided_at = EXCLUDED.decided_at`,
      [mid, requestId, input.key, input.redacted, ground ?? null, input.reason.trim(), actor.userId, now]);
    await recordAudit(tx, clock, actor, {
      action: input.redacted ? 'privacy.redact' : 'privacy.unredact', entityType: 'privacy_request', entityId: requestId, reason: input.reason,
      details: { key: input.key, ground: ground ?? null, personId: info.personId },
    });
    return { ...unit, redacted: input.redacted, groundCode: ground ?? null, ground: ground ? GROUNDS[ground] : null, reason: input.reason.trim(), decidedAt: now.toISOString() };
  });
}

/**
 * Releases the package to the requester: records when, by whom, a SHA-256 of
 * the JSON given, the count of each section and every redaction with its
 * ground — not a copy of the data. A 全部開示 decision releases nothing
 * withheld, and an 一部開示 decision withholds something.
 */
export async function releasePackage(deps: Deps, actor: Actor, requestId: string): Promise<{ release: Release; package: DisclosurePackage }> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  return db.transaction(async (tx) => {
    const r = await loadRequest(tx, actor, requestId, true);
    const info = disclosureOf(r);
    if (r.decision !== 'full' && r.decision !== 'partial') throw conflict('Record the decision (全部開示 or 一部開示) before releasing the package.');
    const pkg = await buildPackage(tx, mid, info.personId, info, await overridesOf(tx, mid, requestId), clock.now());
    const withheld = pkg.redactions.filter((d) => d.redacted).length;
    if (r.decision === 'full' && withheld > 0) throw conflict('The decision is 全部開示 (full disclosure), but items are redacted. Un-redact them, or decide 一部開示.');
    if (r.decision === 'partial' && withheld === 0) throw conflict('The decision is 一部開示 (partial disclosure), but nothing is redacted.');
    const json = JSON.stringify(pkg);
    const release: Release = {
      id: randomUUID(), releasedAt: clock.now().toISOString(), releasedBy: actor.login, contentSha256: createHash('sha256').update(json).digest('hex'),
      sections: sectionCounts(pkg), redactions: pkg.redactions,
    };
    await tx.query(
      `INSERT INTO disclosure_release (municipality_id, id, request_id, released_at, released_by, content_sha256, sections, redactions) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [mid, release.id, requestId, clock.now(), actor.userId, release.contentSha256, JSON.stringify(release.sections), JSON.stringify(release.redactions)]);
    await tx.query('UPDATE privacy_request SET updated_at = $3, version = version + 1 WHERE municipality_id = $1 AND id = $2', [mid, requestId, clock.now()]);
    await auditExport(tx, deps, actor, 'export.disclosure_release', r, pkg, { releaseId: release.id, sha256: release.contentSha256 });
    return { release, package: pkg };
  });
}

// ---------------------------------------------------------------- deadlines

/**
 * The scheduled check (src/server.ts): every open request that is due within
 * DUE_SOON_DAYS, or overdue, alerts the municipality's privacy officers once
 * for each state. The alert names the request's reference and dates only.
 */
export async function checkPrivacyDeadlines({ db, clock }: Deps): Promise<{ dueSoon: number; overdue: number }> {
  const today = japanDate(clock.now());
  const { rows } = await db.query<{ municipality_id: string; id: string; reference: string; kind: RequestKind; received_on: string; deadline: string; extended_to: string | null; alerted: string | null }>(
    `SELECT municipality_id, id, reference, kind, received_on, deadline, extended_to, alerted FROM privacy_request
     WHERE decision IS NULL AND alerted IS DISTINCT FROM 'overdue' ORDER BY municipality_id, deadline`);
  let dueSoon = 0;
  let overdue = 0;
  for (const r of rows) {
    const s = deadlineState({ deadline: r.deadline, extendedTo: r.extended_to }, today);
    const kind = s.overdue ? 'overdue' : s.dueSoon && !r.alerted ? 'due_soon' : null;
    if (!kind) continue;
    await db.transaction(async (tx) => {
      const due = `${wareki(s.due)}${r.extended_to ? '（延長後）' : ''}`;
      await enqueueMessage(tx, clock, {
        municipalityId: r.municipality_id, kind: `privacy_request_${kind}`, toRole: 'privacy_officer',
        subject: kind === 'overdue'
          ? `【期限超過】${KIND_JA[r.kind]} ${r.reference} の決定期限（${due}）を過ぎています`
          : `【期限間近】${KIND_JA[r.kind]} ${r.reference} の決定期限まであと${s.daysLeft}日です`,
        body: [`請求の種類: ${KIND_JA[r.kind]}`, `受付番号: ${r.reference}`, `受付日: ${wareki(r.received_on)}`, `決定期限: ${due}`,
          kind === 'overdue' ? '期限を過ぎています。決定を記録するか、状況を確認してください。' : '延長が必要な場合は、期限内に延長の理由とともに記録してください（延長は1回まで）。',
          '「開示等の請求」画面で確認してください。'].join('\n'),
        entityType: 'privacy_request', entityId: r.id,
      });
      await tx.query('UPDATE privacy_request SET alerted = $3 WHERE municipality_id = $1 AND id = $2', [r.municipality_id, r.id, kind]);
    });
    if (kind === 'overdue') overdue++;
    else dueSoon++;
  }
  return { dueSoon, overdue };
}

