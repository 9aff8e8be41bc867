import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { eraOf, fiscalYearLabel, fiscalYearOf, japanDate } from '../../lib/fiscal.ts';
import { recordAudit } from '../audit/service.ts';
import { getMunicipality, getNetwork, ownNetwork, type Municipality } from '../network/service.ts';
import { cadenceSchedule } from '../hsds/mapping.ts';
import { countsByOrganization } from '../stats/byOrganization.ts';
import { suppress } from '../stats/figures.ts';
import { coveredMunicipalities, coveredMunicipality, prefectureOf } from './coverage.ts';
import { networkParts, ROLE_HEADINGS } from './networks.ts';
import { newVisitDocument } from './visitDocument/document.ts';
import { visitDocumentDocxFile, visitDocumentFileName } from './visitDocument/docx.ts';
import { renderVisitDocument } from './visitDocument/layout.ts';
import { parseVisitDocument } from './visitDocument/parse.ts';
import { VISIT_ITEM_KINDS } from './visitDocument/itemKinds.ts';
import type { VisitDocument, VisitHeading, VisitItemKind, VisitItemKindSetBy, VisitOtherField } from './visitDocument/types.ts';
import { PROPOSAL_STATUSES, type MunicipalityRef, type ProposalStatus, type StatusChange, type Visit, type VisitItem, type VisitItemInput, type VisitSummary } from './types.ts';

export { PROPOSAL_STATUSES, type MunicipalityRef, type ProposalStatus, type StatusChange, type Visit, type VisitItem, type VisitItemInput, type VisitSummary };

/**
 * Network-building visits (ネットワーク構築支援事業): what the centre saw of a
 * municipality's network under the standard headings, and its points to the
 * municipality — information, case examples, proposals, guidance. Proposals
 * are followed to their end: the municipality's hub says whether it is
 * considering, adopted or declined each, and the next visit shows every one
 * still open. Both tenants read the record; only the centre edits it.
 */

/** The kinds of the centre's points, as the document layer defines them. */
export const ITEM_KINDS: readonly VisitItemKind[] = VISIT_ITEM_KINDS.map((k) => k.kind);
/** 提案 → 検討中 → 採用 or 見送り; an answer once given is final. */
const NEXT: Record<ProposalStatus, readonly ProposalStatus[]> = {
  proposed: ['considering', 'adopted', 'declined'],
  considering: ['adopted', 'declined'],
  adopted: [],
  declined: [],
};

export interface VisitInput {
  municipalityCode: string;
  date: string;
  startTime?: string | null;
  endTime?: string | null;
  participants: string[];
  purpose: string;
  headings: VisitHeading[];
  items: VisitItemInput[];
  centreTitle?: string | null;
  otherFields?: VisitOtherField[];
}

const ref = (m: Municipality): MunicipalityRef => ({ id: m.id, code: m.code, name: m.name, nameEn: m.nameEn });

/** Who may read visits to a municipality: the prefecture's staff for those it covers, the municipality's hub and auditors for their own. */
async function readerScope(db: Db, actor: Actor): Promise<{ prefecture: Municipality } | { municipality: Municipality }> {
  if (actor.role === 'prefecture_staff') return { prefecture: await prefectureOf(db, actor) };
  if ((actor.role === 'hub_coordinator' || actor.role === 'auditor') && actor.municipalityId) return { municipality: await getMunicipality(db, actor.municipalityId) };
  throw forbidden();
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function check(input: Omit<VisitInput, 'municipalityCode'>, today: string): FieldError[] {
  const problems: FieldError[] = [];
  if (input.date > today) problems.push({ field: 'date', message: 'A visit is recorded after it took place: the date cannot be in the future.' });
  for (const f of ['startTime', 'endTime'] as const) {
    const v = input[f];
    if (v != null && !TIME.test(v)) problems.push({ field: f, message: 'Give the time as HH:MM (24 hours).' });
  }
  if (input.startTime && input.endTime && TIME.test(input.startTime) && TIME.test(input.endTime) && input.endTime <= input.startTime)
    problems.push({ field: 'endTime', message: 'The end time must be after the start time.' });
  input.items.forEach((it, i) => {
    if (!it.text.trim()) problems.push({ field: `items[${i}].text`, message: 'Write the text of the item.' });
  });
  return problems;
}

async function audit(tx: Db, clock: Clock, actor: Actor, tenants: string[], action: string, entityId: string, details: Record<string, unknown>) {
  // a visit record is shared by two tenants: the change shows in both audits
  for (const municipalityId of new Set(tenants))
    await recordAudit(tx, clock, actor, { municipalityId, action, entityType: 'network_visit', entityId, reason: 'network-building visit', details });
}

/** A visit's proposals are made on the day of the visit. */
async function writeItems(tx: Db, now: Date, municipalityId: string, prefectureId: string, visitId: string, visitDate: string, items: VisitItemInput[]): Promise<void> {
  const existing = new Map((await tx.query<{ id: string; kind: VisitItemKind; kindSetBy: VisitItemKindSetBy; answered: boolean }>(
    `SELECT i.id, i.kind, i.kind_set_by AS "kindSetBy", EXISTS (SELECT 1 FROM proposal_status_change c WHERE c.municipality_id = i.municipality_id AND c.item_id = i.id AND c.seq > 1) AS answered
     FROM visit_item i WHERE i.municipality_id = $1 AND i.visit_id = $2`, [municipalityId, visitId])).rows.map((r) => [r.id, r]));
  const kept = new Set(items.filter((i) => i.id).map((i) => i.id!));
  items.forEach((it, i) => {
    if (it.id && !existing.has(it.id)) throw badRequest('The record is not valid.', [{ field: `items[${i}].id`, message: 'No item with that id in this visit.' }]);
    const before = it.id ? existing.get(it.id) : undefined;
    if (before?.answered && before.kind === 'proposal' && it.kind !== 'proposal')
      throw badRequest('The record is not valid.', [{ field: `items[${i}].kind`, message: 'The municipality has answered this proposal: it stays a proposal.' }]);
  });
  for (const [id, row] of existing) {
    if (kept.has(id)) continue;
    if (row.answered) throw conflict('The municipality has answered a proposal of this visit: it cannot be removed.');
    await tx.query('DELETE FROM proposal_status_change WHERE municipality_id = $1 AND item_id = $2', [municipalityId, id]);
    await tx.query('DELETE FROM visit_item WHERE municipality_id = $1 AND id = $2', [municipalityId, id]);
  }
  for (const [position, it] of items.entries()) {
    const addressedTo = it.addressedTo?.trim() || null;
    if (it.id) {
      const before = existing.get(it.id)!;
      await tx.query(
        `UPDATE visit_item SET position = $3, heading = $4, kind = $5, body = $6, addressed_to = $7, kind_set_by = $9,
           status = CASE WHEN $5 = 'proposal' THEN COALESCE(status, 'proposed') END,
           status_on = CASE WHEN $5 = 'proposal' THEN COALESCE(status_on, $8) END
         WHERE municipality_id = $1 AND id = $2`,
        [municipalityId, it.id, position, it.heading?.trim() || null, it.kind, it.text.trim(), addressedTo, visitDate,
          before.kind === it.kind ? (it.kindSetBy ?? before.kindSetBy) : 'staff']);
      if (it.kind === 'proposal' && before.kind !== 'proposal') await firstStatus(tx, now, municipalityId, it.id, visitDate);
      if (it.kind !== 'proposal' && before.kind === 'proposal') await tx.query('DELETE FROM proposal_status_change WHERE municipality_id = $1 AND item_id = $2', [municipalityId, it.id]);
    } else {
      await insertItem(tx, now, { municipalityId, prefectureId, visitId, position, heading: it.heading, kind: it.kind, kindSetBy: it.kindSetBy ?? 'staff', text: it.text, addressedTo, gapRuleKey: null, on: visitDate });
    }
  }
}

async function firstStatus(tx: Db, now: Date, municipalityId: string, itemId: string, on: string) {
  await tx.query(
    `INSERT INTO proposal_status_change (municipality_id, item_id, seq, status, status_on, note, recorded_at, recorded_by)
     VALUES ($1, $2, 1, 'proposed', $3, NULL, $4, NULL)`, [municipalityId, itemId, on, now]);
}

async function insertItem(tx: Db, now: Date, it: {
  municipalityId: string; prefectureId: string; visitId: string | null; position: number; heading: string | null; kind: VisitItemKind; kindSetBy: VisitItemKindSetBy; text: string;
  addressedTo: string | null; gapRuleKey: string | null; on: string;
}): Promise<string> {
  const id = randomUUID();
  const proposal = it.kind === 'proposal';
  await tx.query(
    `INSERT INTO visit_item (municipality_id, id, prefecture_id, visit_id, position, heading, kind, kind_set_by, body, addressed_to, gap_rule_key, status, status_on, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)`,
    [it.municipalityId, id, it.prefectureId, it.visitId, it.position, it.heading?.trim() || null, it.kind, it.kindSetBy, it.text.trim(), it.addressedTo, it.gapRuleKey,
      proposal ? 'proposed' : null, proposal ? it.on : null, now]);
  if (proposal) await firstStatus(tx, now, it.municipalityId, id, it.on);
  return id;
}

export async function createVisit({ db, clock }: Deps, actor: Actor, input: VisitInput, imported?: { sourceText: string; unplaced: string[] }): Promise<Visit> {
  const prefecture = await prefectureOf(db, actor);
  const m = await coveredMunicipality(db, prefecture, input.municipalityCode);
  const now = clock.now();
  const problems = check(input, japanDate(now));
  if (problems.length) throw badRequest('The record is not valid.', problems);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO network_visit (municipality_id, id, prefecture_id, visit_date, starts_at, ends_at, purpose, participants, headings,
         centre_title, other_fields, unplaced, source_text, created_at, created_by, updated_at, updated_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$14,$15)`,
      [m.id, id, prefecture.id, input.date, input.startTime ?? null, input.endTime ?? null, input.purpose.trim(),
        JSON.stringify(input.participants.map((p) => p.trim()).filter(Boolean)), JSON.stringify(input.headings), input.centreTitle ?? null,
        JSON.stringify(input.otherFields ?? []), JSON.stringify(imported?.unplaced ?? []), imported?.sourceText ?? null, now, actor.userId]);
    await writeItems(tx, now, m.id, prefecture.id, id, input.date, input.items);
    await audit(tx, clock, actor, [m.id, prefecture.id], imported ? 'visit.import' : 'visit.create', id, { municipality: m.code, date: input.date });
  });
  return getVisit({ db, clock }, actor, id);
}

export async function updateVisit({ db, clock }: Deps, actor: Actor, id: string, input: Omit<VisitInput, 'municipalityCode'> & { version: number }): Promise<Visit> {
  const prefecture = await prefectureOf(db, actor);
  const now = clock.now();
  const problems = check(input, japanDate(now));
  if (problems.length) throw badRequest('The record is not valid.', problems);
  await db.transaction(async (tx) => {
    const row = (await tx.query<{ municipality_id: string; version: number }>(
      'SELECT municipality_id, version FROM network_visit WHERE prefecture_id = $1 AND id = $2 FOR UPDATE', [prefecture.id, id])).rows[0];
    if (!row) throw notFound('visit');
    if (row.version !== input.version) throw conflict(`Someone changed this visit record since you opened it (now version ${row.version}). Reload it and make your change again.`);
    await tx.query(
      `UPDATE network_visit SET visit_date = $3, starts_at = $4, ends_at = $5, purpose = $6, participants = $7, headings = $8,
         centre_title = COALESCE($11, centre_title), other_fields = COALESCE($12, other_fields), version = version + 1, updated_at = $9, updated_by = $10
       WHERE municipality_id = $1 AND id = $2`,
      [row.municipality_id, id, input.date, input.startTime ?? null, input.endTime ?? null, input.purpose.trim(),
        JSON.stringify(input.participants.map((p) => p.trim()).filter(Boolean)), JSON.stringify(input.headings), now, actor.userId,
        input.centreTitle ?? null, input.otherFields ? JSON.stringify(input.otherFields) : null]);
    await writeItems(tx, now, row.municipality_id, prefecture.id, id, input.date, input.items);
    await audit(tx, clock, actor, [row.municipality_id, prefecture.id], 'visit.update', id, { version: input.version + 1 });
  });
  return getVisit({ db, clock }, actor, id);
}

interface ItemRow {
  id: string; visit_id: string | null; visit_date: string | null; position: number; heading: string | null; kind: VisitItemKind; kind_set_by: VisitItemKindSetBy; body: string;
  addressed_to: string | null; gap_rule_key: string | null; status: ProposalStatus | null; status_on: string | null; history: StatusChange[];
}

const ITEM_SELECT = `
  SELECT i.id, i.visit_id, to_char(v.visit_date, 'YYYY-MM-DD') AS visit_date, i.position, i.heading, i.kind, i.kind_set_by, i.body, i.addressed_to, i.gap_rule_key,
         i.status, to_char(i.status_on, 'YYYY-MM-DD') AS status_on,
         COALESCE((SELECT json_agg(json_build_object('status', c.status, 'on', to_char(c.status_on, 'YYYY-MM-DD'), 'note', c.note, 'recordedAt', c.recorded_at) ORDER BY c.seq)
                   FROM proposal_status_change c WHERE c.municipality_id = i.municipality_id AND c.item_id = i.id), '[]'::json) AS history
  FROM visit_item i LEFT JOIN network_visit v ON v.municipality_id = i.municipality_id AND v.id = i.visit_id`;

const toItem = (r: ItemRow): VisitItem => ({
  id: r.id, visitId: r.visit_id, visitDate: r.visit_date, position: r.position, heading: r.heading, kind: r.kind, kindSetBy: r.kind_set_by, text: r.body,
  addressedTo: r.addressed_to, gapRuleKey: r.gap_rule_key, status: r.status, statusOn: r.status_on,
  history: r.history.map((h) => ({ ...h, recordedAt: new Date(h.recordedAt) })),
});

export async function getVisit({ db }: Deps, actor: Actor, id: string): Promise<Visit> {
  const scope = await readerScope(db, actor);
  const { rows } = await db.query<{
    municipality_id: string; prefecture_id: string; visit_date: string; starts_at: string | null; ends_at: string | null; purpose: string;
    participants: string[]; headings: VisitHeading[]; centre_title: string | null; other_fields: VisitOtherField[]; unplaced: string[];
    imported: boolean; version: number; created_at: Date; updated_at: Date;
  }>(
    `SELECT municipality_id, prefecture_id, to_char(visit_date, 'YYYY-MM-DD') AS visit_date, to_char(starts_at, 'HH24:MI') AS starts_at,
            to_char(ends_at, 'HH24:MI') AS ends_at, purpose, participants, headings, centre_title, other_fields, unplaced, source_text IS NOT NULL AS imported, version, created_at, updated_at
     FROM network_visit WHERE id = $1 AND ${'prefecture' in scope ? 'prefecture_id' : 'municipality_id'} = $2`,
    [id, 'prefecture' in scope ? scope.prefecture.id : scope.municipality.id]);
  const v = rows[0];
  if (!v) throw notFound('visit');
  const [m, prefecture, items, earlier] = await Promise.all([
    getMunicipality(db, v.municipality_id),
    getMunicipality(db, v.prefecture_id),
    db.query<ItemRow>(`${ITEM_SELECT} WHERE i.municipality_id = $1 AND i.visit_id = $2 ORDER BY i.position`, [v.municipality_id, id]),
    openProposalsBefore(db, v.municipality_id, v.visit_date, id),
  ]);
  const list = items.rows.map(toItem);
  return {
    id, municipality: ref(m), prefecture: ref(prefecture), date: v.visit_date, startTime: v.starts_at, endTime: v.ends_at, purpose: v.purpose,
    participants: v.participants, headings: v.headings, centreTitle: v.centre_title, otherFields: v.other_fields, unplaced: v.unplaced, items: list, earlierOpenProposals: earlier, imported: v.imported, version: v.version,
    createdAt: v.created_at, updatedAt: v.updated_at, proposals: tallyProposals(list),
  };
}

function tallyProposals(items: { status: ProposalStatus | null }[]) {
  return {
    open: items.filter((i) => i.status === 'proposed' || i.status === 'considering').length,
    adopted: items.filter((i) => i.status === 'adopted').length,
    declined: items.filter((i) => i.status === 'declined').length,
  };
}

/** Proposals made before a date (at earlier visits or from findings) that were still open then and are still open now. */
async function openProposalsBefore(db: Db, municipalityId: string, date: string, exceptVisit: string | null): Promise<VisitItem[]> {
  const { rows } = await db.query<ItemRow>(
    `${ITEM_SELECT} WHERE i.municipality_id = $1 AND i.status IN ('proposed', 'considering') AND ($3::uuid IS NULL OR i.visit_id IS DISTINCT FROM $3)
       AND COALESCE(v.visit_date, i.created_at::date) <= $2::date
     ORDER BY COALESCE(v.visit_date, i.created_at::date), i.position`, [municipalityId, date, exceptVisit]);
  return rows.map(toItem);
}

export async function listVisits({ db }: Deps, actor: Actor, q: { municipality?: string }): Promise<VisitSummary[]> {
  const scope = await readerScope(db, actor);
  let where: string;
  let args: unknown[];
  if ('prefecture' in scope) {
    where = 'v.prefecture_id = $1';
    args = [scope.prefecture.id];
    if (q.municipality) {
      where += ' AND v.municipality_id = $2';
      args.push((await coveredMunicipality(db, scope.prefecture, q.municipality)).id);
    }
  } else {
    where = 'v.municipality_id = $1';
    args = [scope.municipality.id];
  }
  const { rows } = await db.query<{
    id: string; municipality_id: string; code: string; name: string; name_en: string | null; visit_date: string; starts_at: string | null; ends_at: string | null;
    purpose: string; open: number; adopted: number; declined: number;
  }>(
    `SELECT v.id, v.municipality_id, mu.code, mu.name, mu.name_en, to_char(v.visit_date, 'YYYY-MM-DD') AS visit_date,
            to_char(v.starts_at, 'HH24:MI') AS starts_at, to_char(v.ends_at, 'HH24:MI') AS ends_at, v.purpose,
            count(i.id) FILTER (WHERE i.status IN ('proposed', 'considering'))::int AS open,
            count(i.id) FILTER (WHERE i.status = 'adopted')::int AS adopted,
            count(i.id) FILTER (WHERE i.status = 'declined')::int AS declined
     FROM network_visit v JOIN municipality mu ON mu.id = v.municipality_id
     LEFT JOIN visit_item i ON i.municipality_id = v.municipality_id AND i.visit_id = v.id
     WHERE ${where}
     GROUP BY v.id, v.municipality_id, mu.code, mu.name, mu.name_en, v.visit_date, v.starts_at, v.ends_at, v.purpose
     ORDER BY v.visit_date DESC, v.id`, args);
  return rows.map((r) => ({
    id: r.id, municipality: { id: r.municipality_id, code: r.code, name: r.name, nameEn: r.name_en }, date: r.visit_date,
    startTime: r.starts_at, endTime: r.ends_at, purpose: r.purpose, proposals: { open: r.open, adopted: r.adopted, declined: r.declined },
  }));
}

/** Proposals of the reader's scope, open ones first; `open` keeps only those not yet answered with adopted or declined. */
export async function listProposals({ db }: Deps, actor: Actor, q: { municipality?: string; open?: boolean }): Promise<(VisitItem & { municipality: MunicipalityRef })[]> {
  const scope = await readerScope(db, actor);
  const ms = 'prefecture' in scope
    ? (q.municipality ? [await coveredMunicipality(db, scope.prefecture, q.municipality)] : null)
    : [scope.municipality];
  const { rows } = await db.query<ItemRow & { municipality_id: string; code: string; name: string; name_en: string | null }>(
    `SELECT x.*, mu.code, mu.name, mu.name_en FROM (${ITEM_SELECT.replace('SELECT i.id,', 'SELECT i.municipality_id, i.prefecture_id, i.created_at, i.id,')}) x
     JOIN municipality mu ON mu.id = x.municipality_id
     WHERE x.kind = 'proposal' AND ($1::uuid[] IS NULL OR x.municipality_id = ANY($1)) AND ($2::uuid IS NULL OR x.prefecture_id = $2)
       AND (NOT $3 OR x.status IN ('proposed', 'considering'))
     ORDER BY (x.status IN ('proposed', 'considering')) DESC, mu.code, COALESCE(x.visit_date, x.created_at::date::text) DESC, x.position`,
    [ms?.map((m) => m.id) ?? null, 'prefecture' in scope ? scope.prefecture.id : null, q.open ?? false]);
  return rows.map((r) => ({ ...toItem(r), municipality: { id: r.municipality_id, code: r.code, name: r.name, nameEn: r.name_en } }));
}

/** The municipality's hub answers a proposal. */
export async function setProposalStatus({ db, clock }: Deps, actor: Actor, itemId: string, input: { status: ProposalStatus; on: string; note?: string | null }): Promise<VisitItem> {
  if (actor.role !== 'hub_coordinator' || !actor.municipalityId) throw forbidden('The municipality’s hub answers the centre’s proposals.');
  const now = clock.now();
  if (input.on > japanDate(now)) throw badRequest('The answer is not valid.', [{ field: 'on', message: 'The date cannot be in the future.' }]);
  return db.transaction(async (tx) => {
    const row = (await tx.query<{ status: ProposalStatus | null; prefecture_id: string; seq: number; status_on: string }>(
      `SELECT i.status, i.prefecture_id, to_char(i.status_on, 'YYYY-MM-DD') AS status_on,
              (SELECT max(seq) FROM proposal_status_change c WHERE c.municipality_id = i.municipality_id AND c.item_id = i.id)::int AS seq
       FROM visit_item i WHERE i.municipality_id = $1 AND i.id = $2 FOR UPDATE`, [actor.municipalityId, itemId])).rows[0];
    if (!row || row.status === null) throw notFound('proposal');
    if (!NEXT[row.status].includes(input.status))
      throw conflict(row.status === 'adopted' || row.status === 'declined'
        ? 'This proposal has already been answered.'
        : 'A proposal being considered is answered with adopted or declined.');
    if (input.on < row.status_on) throw badRequest('The answer is not valid.', [{ field: 'on', message: 'The date is before the proposal’s last change.' }]);
    const note = input.note?.trim() || null;
    await tx.query(
      `INSERT INTO proposal_status_change (municipality_id, item_id, seq, status, status_on, note, recorded_at, recorded_by)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`, [actor.municipalityId, itemId, row.seq + 1, input.status, input.on, note, now, actor.userId]);
    await tx.query('UPDATE visit_item SET status = $3, status_on = $4 WHERE municipality_id = $1 AND id = $2', [actor.municipalityId, itemId, input.status, input.on]);
    await audit(tx, clock, actor, [actor.municipalityId!, row.prefecture_id], 'proposal.status', itemId, { status: input.status, on: input.on });
    const item = (await tx.query<ItemRow>(`${ITEM_SELECT} WHERE i.municipality_id = $1 AND i.id = $2`, [actor.municipalityId, itemId])).rows[0];
    return toItem(item);
  });
}

/** The centre turns a gap finding into a proposal to the municipality, between visits. */
export async function proposeFromFinding({ db, clock }: Deps, actor: Actor, input: { municipalityCode: string; gapRuleKey: string; heading: string; text: string }): Promise<VisitItem> {
  const prefecture = await prefectureOf(db, actor);
  const m = await coveredMunicipality(db, prefecture, input.municipalityCode);
  const rule = (await db.query('SELECT 1 FROM gap_rule WHERE municipality_id = $1 AND key = $2 AND active', [prefecture.id, input.gapRuleKey])).rows[0];
  if (!rule) throw badRequest('The proposal is not valid.', [{ field: 'gapRuleKey', message: 'No gap rule with that key in the prefecture’s profile.' }]);
  const now = clock.now();
  return db.transaction(async (tx) => {
    const open = (await tx.query(
      `SELECT 1 FROM visit_item WHERE municipality_id = $1 AND prefecture_id = $2 AND gap_rule_key = $3 AND visit_id IS NULL AND status IN ('proposed', 'considering')`,
      [m.id, prefecture.id, input.gapRuleKey])).rows[0];
    if (open) throw conflict('A proposal from this finding is already open for this municipality.');
    const id = await insertItem(tx, now, {
      municipalityId: m.id, prefectureId: prefecture.id, visitId: null, position: 0, heading: input.heading, kind: 'proposal', text: input.text,
      kindSetBy: 'staff', addressedTo: null, gapRuleKey: input.gapRuleKey, on: japanDate(now),
    });
    await audit(tx, clock, actor, [m.id, prefecture.id], 'proposal.create', id, { gapRule: input.gapRuleKey });
    return toItem((await tx.query<ItemRow>(`${ITEM_SELECT} WHERE i.municipality_id = $1 AND i.id = $2`, [m.id, id])).rows[0]);
  });
}

/**
 * A new visit, filled in from what Tsunagu knows: every heading from the
 * municipality's profile, the fiscal year's counts, and the proposals still
 * open, for the centre's staff to confirm or correct.
 */
export async function draftVisit({ db, clock }: Deps, actor: Actor, code: string, suppressBelow: number): Promise<Omit<VisitInput, 'municipalityCode'> & { municipality: MunicipalityRef; openProposals: VisitItem[] }> {
  const prefecture = await prefectureOf(db, actor);
  const m = await coveredMunicipality(db, prefecture, code);
  const today = japanDate(clock.now());
  const fy = fiscalYearOf(clock.now());
  const [network, counts, openProposals] = await Promise.all([
    getNetwork(db, m.id).then(ownNetwork), countsByOrganization(db, m.id, { from: `${fy}-04-01`, to: today }), openProposalsBefore(db, m.id, today, null),
  ]);
  const count = (n: number) => suppress(n, suppressBelow);
  const orgs = new Map(network.organizations.map((o) => [o.id, o]));
  const parts = new Map(networkParts(network).map((p) => [ROLE_HEADINGS[p.role], p]));
  const doc = newVisitDocument(m.name, today);
  for (const heading of doc.headings) {
    const part = heading.key && parts.get(heading.key);
    if (!part) continue;
    for (const o of part.organizations) {
      const org = orgs.get(o.id)!;
      const sub = [
        org.openedOn ? `${wareki(org.openedOn)}に開設。` : null,
        org.staffCount !== null ? `現在${org.staffCount}名体制。` : null,
        org.focus ?? org.description,
      ].filter((x): x is string => !!x);
      const received = counts.consultations.get(o.id) ?? 0;
      if (received) sub.push(`${fiscalYearLabel(fy)}の相談受付 ${count(received)}件（${today}現在）。`);
      heading.points.push({ text: part.role === 'hub' ? `${org.name}が中心となっている。` : org.name, subPoints: sub });
    }
    for (const p of part.programs) heading.points.push({ text: `${p.name}${p.status === 'planned' ? '（予定）' : ''}`, subPoints: [] });
    for (const s of part.meetings) heading.points.push({ text: `${s.name}を${cadenceSchedule(s.cadence)?.description ?? ''}開催。`, subPoints: [] });
  }
  const hub = network.organizations.find((o) => o.hub);
  return {
    municipality: ref(m), date: today, startTime: null, endTime: null,
    participants: hub ? [hub.name] : [], purpose: '取組状況の共有・情報交換', headings: doc.headings, centreTitle: doc.centre?.title ?? null, items: [], openProposals,
  };
}

/** A profile's partial date (2021-04, 2021) in 和暦: 令和3年4月, 令和3年. */
function wareki(partial: string): string {
  const [y, mo] = partial.split('-');
  const era = eraOf(mo ? `${y}-${mo}-28` : `${y}-12-31`);
  return `${era.name}${era.year === 1 ? '元' : era.year}年${mo ? `${Number(mo)}月` : ''}`;
}

/** A visit as the document the centre prints, files and sends. */
export function visitDocument(v: Visit): VisitDocument {
  return {
    municipalityName: v.municipality.name, date: v.date, startTime: v.startTime, endTime: v.endTime, sections: v.participants, purpose: v.purpose,
    otherFields: v.otherFields, headings: v.headings,
    centre: v.items.length || v.centreTitle
      ? { title: v.centreTitle ?? newVisitDocument(v.municipality.name).centre!.title, items: v.items.map((i) => ({ heading: i.heading, kind: i.kind, kindSetBy: i.kindSetBy, text: i.text })) }
      : null,
    unplaced: v.unplaced,
  };
}

export const visitText = (v: Visit) => renderVisitDocument(visitDocument(v));
export const visitDocx = async (v: Visit) => ({ fileName: visitDocumentFileName(visitDocument(v)), body: await visitDocumentDocxFile(visitDocument(v)) });

/**
 * A record the centre wrote as plain text (it has years of them) becomes a
 * structured visit: the municipality is the one named in 【】 among those the
 * prefecture covers; lines that fit nowhere are kept with the visit.
 */
export async function importVisit(deps: Deps, actor: Actor, text: string): Promise<Visit> {
  const prefecture = await prefectureOf(deps.db, actor);
  const { document: doc, problems } = parseVisitDocument(text);
  const blocking = problems.filter((p) => p.field !== 'line');
  if (blocking.length) throw badRequest('The record could not be read.', blocking.map((p) => ({ field: `text.${p.field}`, message: p.message })));
  const m = (await coveredMunicipalities(deps.db, prefecture)).find((x) => x.name === doc.municipalityName);
  if (!m) throw badRequest('The record could not be read.', [{ field: 'text.municipalityName', message: 'No municipality of this prefecture has the name in 【】. Import its profile first, or correct the name.' }]);
  return createVisit(deps, actor, {
    municipalityCode: m.code, date: doc.date!, startTime: doc.startTime, endTime: doc.endTime, participants: doc.sections, purpose: doc.purpose ?? '',
    headings: doc.headings, centreTitle: doc.centre?.title ?? null, otherFields: doc.otherFields,
    items: (doc.centre?.items ?? []).map((i) => ({ heading: i.heading, kind: i.kind, kindSetBy: i.kindSetBy, text: i.text })),
  }, { sourceText: text, unplaced: doc.unplaced });
}
