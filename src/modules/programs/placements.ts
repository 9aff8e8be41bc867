/**
 * Participation and work (参加支援・就労, programs issue #11): placements
 * (受け入れ先), work preferences of a case, matching, placement records and
 * retention check-ins (職場定着) at 1, 3 and 6 months after a job starts.
 *
 * Placements hold no personal data; staff of the organisations that own or run
 * a work or participation program, and the hub, edit them. Work preferences,
 * placement records and check-ins belong to a case: the access rules of the
 * cases issue apply (cases service caseAccess; 404 when the case is not theirs
 * to see, full access to read or write them).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { systemClock } from '../../lib/clock.ts';
import { japanDate } from '../../lib/fiscal.ts';
import { recordAudit } from '../audit/service.ts';
import { accessLevelSql } from '../cases/access.ts';
import { appendCaseEvent, caseAccess } from '../cases/service.ts';
import { listAreas, listPrograms } from '../network/service.ts';
import { addMonths, CHECK_IN_MONTHS, rankPlacements, type MatchPreferences, type RankedPlacement } from './placementsMatch.ts';

export const PLACEMENT_KINDS = ['trial', 'intermediate', 'job'] as const;
export type PlacementKind = (typeof PLACEMENT_KINDS)[number];
export const OUTCOMES = ['continued', 'employed', 'ended'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** Program kinds whose staff keep placements (Musashino: participation — 就労準備支援, the integrated work program). */
export const WORK_PROGRAM_KINDS = ['work', 'participation'];

const KIND_JA: Record<PlacementKind, string> = { trial: '参加体験', intermediate: '中間的就労', job: '就労' };
const OUTCOME_JA: Record<Outcome, string> = { continued: '継続', employed: '就職', ended: '終了' };

export interface PlacementInput {
  name: string;
  kind: PlacementKind;
  programId?: string | null;
  tasks: string[];
  hoursMin?: number | null;
  hoursMax?: number | null;
  days?: string[];
  areaId?: string | null;
  place?: string | null;
  travelNotes?: string | null;
  supportOffered?: string[];
  supportNotes?: string | null;
  capacity: number;
  contact?: string | null;
  active?: boolean;
}

export interface Placement extends Required<Omit<PlacementInput, 'programId' | 'areaId'>> {
  id: string;
  program: { id: string; name: string } | null;
  area: { id: string; name: string } | null;
  organization: { id: string; name: string };
  /** Records running now (no outcome yet, continued or employed). */
  occupied: number;
  placesLeft: number;
  updatedAt: Date;
  version: number;
}

interface PlacementRow {
  id: string; name: string; kind: PlacementKind; program_id: string | null; tasks: string[]; hours_min: number | null; hours_max: number | null; days: string[];
  area_id: string | null; place: string | null; travel_notes: string | null; support_offered: string[]; support_notes: string | null; capacity: number;
  contact: string | null; active: boolean; organization_id: string; updated_at: Date; version: number; occupied: number;
}

const RUNNING = `(r.outcome IS NULL OR r.outcome IN ('continued', 'employed'))`;
const PLACEMENT_SELECT = `SELECT p.*, (SELECT count(*)::int FROM placement_record r WHERE r.municipality_id = p.municipality_id AND r.placement_id = p.id AND ${RUNNING}) AS occupied
  FROM placement p`;

function requireStaff(actor: Actor) {
  if (actor.role !== 'hub_coordinator' && actor.role !== 'org_staff') throw forbidden('Only staff of an organisation or the hub work with placements.');
}

/** Whether the actor's organisation owns or runs a work or participation program (or is the hub). */
export async function runsWorkProgram(db: Db, actor: Actor, today: string): Promise<boolean> {
  if (actor.role === 'hub_coordinator') return true;
  if (actor.role !== 'org_staff') return false;
  const { rows } = await db.query(
    `SELECT 1 FROM program p WHERE p.municipality_id = $1 AND p.active AND p.status <> 'ended' AND p.kind = ANY($3::text[])
       AND (EXISTS (SELECT 1 FROM program_owner o WHERE o.municipality_id = p.municipality_id AND o.program_id = p.id AND o.active AND o.organization_id = $2)
         OR EXISTS (SELECT 1 FROM program_commission c WHERE c.municipality_id = p.municipality_id AND c.program_id = p.id AND c.active
                      AND (c.ended_on IS NULL OR c.ended_on >= $4::date) AND c.contractor_id = $2))
     LIMIT 1`,
    [actor.municipalityId, actor.organizationId, WORK_PROGRAM_KINDS, today],
  );
  return rows.length > 0;
}

async function requireWorkStaff({ db, clock }: Deps, actor: Actor) {
  requireStaff(actor);
  if (!(await runsWorkProgram(db, actor, japanDate(clock.now())))) throw forbidden('Only staff of an organisation that runs a work or participation program, or the hub, edit placements.');
}

async function lookups(db: Db, mid: string) {
  const [areas, programs, orgs] = await Promise.all([
    listAreas(db, mid), listPrograms(db, mid, { includeInactive: true }),
    db.query<{ id: string; name: string }>('SELECT id, name FROM organization WHERE municipality_id = $1', [mid]),
  ]);
  return {
    areas: new Map(areas.map((a) => [a.id, a.name])), programs: new Map(programs.map((p) => [p.id, p])),
    orgs: new Map(orgs.rows.map((o) => [o.id, o.name])),
  };
}
type Lookups = Awaited<ReturnType<typeof lookups>>;

const present = (r: PlacementRow, l: Lookups): Placement => ({
  id: r.id, name: r.name, kind: r.kind, tasks: r.tasks, hoursMin: r.hours_min, hoursMax: r.hours_max, days: r.days, place: r.place, travelNotes: r.travel_notes,
  supportOffered: r.support_offered, supportNotes: r.support_notes, capacity: r.capacity, contact: r.contact, active: r.active,
  program: r.program_id ? { id: r.program_id, name: l.programs.get(r.program_id)?.name ?? '' } : null,
  area: r.area_id ? { id: r.area_id, name: l.areas.get(r.area_id) ?? '' } : null,
  organization: { id: r.organization_id, name: l.orgs.get(r.organization_id) ?? '' },
  occupied: r.occupied, placesLeft: Math.max(0, r.capacity - r.occupied), updatedAt: r.updated_at, version: r.version,
});

function checkPlacement(input: Partial<PlacementInput>, l: Lookups) {
  const fields = [];
  if (input.hoursMin != null && input.hoursMax != null && input.hoursMin > input.hoursMax) fields.push({ field: 'hoursMax', message: 'The most hours are fewer than the least.' });
  if (input.areaId && !l.areas.has(input.areaId)) fields.push({ field: 'areaId', message: 'No area with that id in this municipality.' });
  if (input.programId) {
    const p = l.programs.get(input.programId);
    if (!p) fields.push({ field: 'programId', message: 'No program with that id.' });
    else if (!WORK_PROGRAM_KINDS.includes(p.kind)) fields.push({ field: 'programId', message: 'Choose a work or participation program.' });
  }
  if (fields.length) throw badRequest('The placement could not be saved.', fields);
}

export async function listPlacements({ db }: Deps, actor: Actor, q: { active?: boolean } = {}): Promise<Placement[]> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const { rows } = await db.query<PlacementRow>(`${PLACEMENT_SELECT} WHERE p.municipality_id = $1 AND ($2::boolean IS NULL OR p.active = $2) ORDER BY p.active DESC, p.name, p.id`, [mid, q.active ?? null]);
  const l = await lookups(db, mid);
  return rows.map((r) => present(r, l));
}

export async function getPlacement({ db }: Deps, actor: Actor, id: string): Promise<Placement> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const { rows } = await db.query<PlacementRow>(`${PLACEMENT_SELECT} WHERE p.municipality_id = $1 AND p.id = $2`, [mid, id]);
  if (!rows[0]) throw notFound('placement');
  return present(rows[0], await lookups(db, mid));
}

export async function createPlacement(deps: Deps, actor: Actor, input: PlacementInput): Promise<Placement> {
  const { db, clock } = deps;
  await requireWorkStaff(deps, actor);
  const mid = actor.municipalityId!;
  checkPlacement(input, await lookups(db, mid));
  const id = randomUUID();
  const now = clock.now();
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO placement (municipality_id, id, name, kind, program_id, tasks, hours_min, hours_max, days, area_id, place, travel_notes, support_offered, support_notes,
         capacity, contact, active, organization_id, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$19)`,
      [mid, id, input.name.trim(), input.kind, input.programId ?? null, input.tasks.map((t) => t.trim()).filter(Boolean), input.hoursMin ?? null, input.hoursMax ?? null,
        input.days ?? [], input.areaId ?? null, input.place?.trim() || null, input.travelNotes?.trim() || null, input.supportOffered ?? [], input.supportNotes?.trim() || null,
        input.capacity, input.contact?.trim() || null, input.active ?? true, actor.organizationId, now],
    );
    await recordAudit(tx, clock, actor, { action: 'placement.create', entityType: 'placement', entityId: id, reason: 'program work' });
  });
  return getPlacement(deps, actor, id);
}

const PLACEMENT_COLUMNS: Record<keyof PlacementInput, string> = {
  name: 'name', kind: 'kind', programId: 'program_id', tasks: 'tasks', hoursMin: 'hours_min', hoursMax: 'hours_max', days: 'days', areaId: 'area_id', place: 'place',
  travelNotes: 'travel_notes', supportOffered: 'support_offered', supportNotes: 'support_notes', capacity: 'capacity', contact: 'contact', active: 'active',
};

/** Changes a placement; refuses a stale version (409). */
export async function updatePlacement(deps: Deps, actor: Actor, id: string, input: Partial<PlacementInput> & { version: number }): Promise<Placement> {
  const { db, clock } = deps;
  await requireWorkStaff(deps, actor);
  const mid = actor.municipalityId!;
  const { version, ...changes } = input;
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<PlacementRow>('SELECT p.*, 0 AS occupied FROM placement p WHERE municipality_id = $1 AND id = $2 FOR UPDATE', [mid, id]);
    const cur = rows[0];
    if (!cur) throw notFound('placement');
    if (cur.version !== version) throw conflict(`Someone changed this placement since you opened it (now version ${cur.version}). Reload it and apply your change again.`);
    checkPlacement({ hoursMin: cur.hours_min, hoursMax: cur.hours_max, ...changes }, await lookups(tx, mid));
    const keys = Object.keys(changes) as (keyof PlacementInput)[];
    if (keys.length) {
      const text = (v: unknown) => (typeof v === 'string' ? v.trim() || null : v);
      await tx.query(
        `UPDATE placement SET ${keys.map((k, i) => `${PLACEMENT_COLUMNS[k]} = $${i + 4}`).join(', ')}, updated_at = $3, version = version + 1 WHERE municipality_id = $1 AND id = $2`,
        [mid, id, clock.now(), ...keys.map((k) => (k === 'name' ? String(changes[k]).trim() : text(changes[k] ?? null)))],
      );
    } else await tx.query('UPDATE placement SET updated_at = $3, version = version + 1 WHERE municipality_id = $1 AND id = $2', [mid, id, clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'placement.update', entityType: 'placement', entityId: id, reason: 'program work', details: { fields: keys } });
  });
  return getPlacement(deps, actor, id);
}

// ---------------------------------------------------------------- area neighbours

/** Pairs of neighbouring areas (symmetric), from this module's configuration. */
export async function areaNeighbours(db: Db, mid: string): Promise<Map<string, Set<string>>> {
  const { rows } = await db.query<{ area_id: string; neighbour_id: string }>('SELECT area_id, neighbour_id FROM placement_area_neighbour WHERE municipality_id = $1', [mid]);
  const m = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const [a, b] of [[r.area_id, r.neighbour_id], [r.neighbour_id, r.area_id]]) m.set(a, (m.get(a) ?? new Set()).add(b));
  }
  return m;
}

export async function listAreaNeighbours({ db }: Deps, actor: Actor): Promise<{ areaId: string; neighbourId: string }[]> {
  requireStaff(actor);
  const { rows } = await db.query<{ area_id: string; neighbour_id: string }>('SELECT area_id, neighbour_id FROM placement_area_neighbour WHERE municipality_id = $1 ORDER BY 1, 2', [actor.municipalityId]);
  return rows.map((r) => ({ areaId: r.area_id, neighbourId: r.neighbour_id }));
}

/** Replaces the neighbouring pairs (the hub or work-program staff). */
export async function setAreaNeighbours({ db, clock }: Deps, actor: Actor, pairs: { areaId: string; neighbourId: string }[]) {
  await requireWorkStaff({ db, clock }, actor);
  const mid = actor.municipalityId!;
  const areas = new Set((await listAreas(db, mid)).map((a) => a.id));
  const fields = pairs.flatMap((p, i) => [
    ...(areas.has(p.areaId) ? [] : [{ field: `pairs[${i}].areaId`, message: 'No area with that id in this municipality.' }]),
    ...(areas.has(p.neighbourId) ? [] : [{ field: `pairs[${i}].neighbourId`, message: 'No area with that id in this municipality.' }]),
    ...(p.areaId === p.neighbourId ? [{ field: `pairs[${i}].neighbourId`, message: 'An area is not its own neighbour.' }] : []),
  ]);
  if (fields.length) throw badRequest('The neighbouring areas could not be saved.', fields);
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM placement_area_neighbour WHERE municipality_id = $1', [mid]);
    for (const p of pairs) {
      const [a, b] = p.areaId < p.neighbourId ? [p.areaId, p.neighbourId] : [p.neighbourId, p.areaId];
      await tx.query('INSERT INTO placement_area_neighbour (municipality_id, area_id, neighbour_id) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING', [mid, a, b]);
    }
    await recordAudit(tx, clock, actor, { action: 'placement.neighbours', entityType: 'placement_area_neighbour', reason: 'program work', details: { pairs: pairs.length } });
  });
  return listAreaNeighbours({ db, clock }, actor);
}

// ---------------------------------------------------------------- case side

/** Full access to the case, or 404 (not theirs to see) / 403 (referral or meeting access only). */
async function requireFullCase(db: Db, actor: Actor, caseId: string) {
  requireStaff(actor);
  const access = await caseAccess({ db, clock: systemClock }, actor, caseId);
  if (access === 'none') throw notFound('case');
  if (access !== 'full') throw forbidden('Work preferences and placement records need full access to the case (the person’s consent to share with your organisation).');
}

export interface WorkPreferencesInput {
  hoursMin?: number | null;
  hoursMax?: number | null;
  days?: string[];
  tasks?: string[];
  areaId?: string | null;
  maxTravelMinutes?: number | null;
  travelMinutes?: Record<string, number>;
  supportNeeded?: string[];
  notes?: string | null;
  /** 要配慮: what the person's health means for work; only users with the grant see it. */
  healthNotes?: string | null;
}

export interface WorkPreferences extends Required<Omit<WorkPreferencesInput, 'healthNotes'>> {
  healthNotes?: string | null;
  updatedAt: Date | null;
  version: number;
}

interface PrefRow {
  hours_min: number | null; hours_max: number | null; days: string[]; tasks: string[]; area_id: string | null; max_travel_minutes: number | null;
  travel_minutes: Record<string, number>; support_needed: string[]; notes: string | null; health_notes: string | null; updated_at: Date; version: number;
}

const EMPTY_PREFS: WorkPreferences = {
  hoursMin: null, hoursMax: null, days: [], tasks: [], areaId: null, maxTravelMinutes: null, travelMinutes: {}, supportNeeded: [], notes: null, healthNotes: null,
  updatedAt: null, version: 0,
};

async function loadPrefs(db: Db, mid: string, caseId: string): Promise<WorkPreferences> {
  const { rows } = await db.query<PrefRow>('SELECT * FROM work_preference WHERE municipality_id = $1 AND case_id = $2', [mid, caseId]);
  const r = rows[0];
  if (!r) return { ...EMPTY_PREFS };
  return {
    hoursMin: r.hours_min, hoursMax: r.hours_max, days: r.days, tasks: r.tasks, areaId: r.area_id, maxTravelMinutes: r.max_travel_minutes, travelMinutes: r.travel_minutes,
    supportNeeded: r.support_needed, notes: r.notes, healthNotes: r.health_notes, updatedAt: r.updated_at, version: r.version,
  };
}

export async function getWorkPreferences({ db, clock }: Deps, actor: Actor, caseId: string): Promise<WorkPreferences> {
  await requireFullCase(db, actor, caseId);
  const p = await loadPrefs(db, actor.municipalityId!, caseId);
  await recordAudit(db, clock, actor, { action: 'work_preferences.read', entityType: 'support_case', entityId: caseId, reason: 'case work' });
  return p;
}

/** Saves the case's work preferences (version 0 for the first save); refuses a stale version. */
export async function saveWorkPreferences(deps: Deps, actor: Actor, caseId: string, input: WorkPreferencesInput & { version: number }): Promise<WorkPreferences> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await requireFullCase(db, actor, caseId);
  const fields = [];
  if (input.hoursMin != null && input.hoursMax != null && input.hoursMin > input.hoursMax) fields.push({ field: 'hoursMax', message: 'The most hours are fewer than the least.' });
  if (input.areaId && !(await listAreas(db, mid)).some((a) => a.id === input.areaId)) fields.push({ field: 'areaId', message: 'No area with that id in this municipality.' });
  if (fields.length) throw badRequest('The work preferences could not be saved.', fields);
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM work_preference WHERE municipality_id = $1 AND case_id = $2 FOR UPDATE', [mid, caseId]);
    const current = rows[0]?.version ?? 0;
    if (current !== input.version) throw conflict(`Someone changed these work preferences since you opened them (now version ${current}). Reload and apply your change again.`);
    const cur = await loadPrefs(tx, mid, caseId);
    const v = <T>(x: T | undefined, c: T) => (x === undefined ? c : x);
    const values = [mid, caseId, v(input.hoursMin, cur.hoursMin), v(input.hoursMax, cur.hoursMax), v(input.days, cur.days), v(input.tasks?.map((t) => t.trim()).filter(Boolean), cur.tasks),
      v(input.areaId, cur.areaId), v(input.maxTravelMinutes, cur.maxTravelMinutes), JSON.stringify(v(input.travelMinutes, cur.travelMinutes)), v(input.supportNeeded, cur.supportNeeded),
      v(input.notes === undefined ? undefined : input.notes?.trim() || null, cur.notes), v(input.healthNotes === undefined ? undefined : input.healthNotes?.trim() || null, cur.healthNotes ?? null),
      actor.organizationId, clock.now()];
    await tx.query(
      `INSERT INTO work_preference (municipality_id, case_id, hours_min, hours_max, days, tasks, area_id, max_travel_minutes, travel_minutes, support_needed, notes, health_notes,
         organization_id, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14)
       ON CONFLICT (municipality_id, case_id) DO UPDATE SET hours_min = $3, hours_max = $4, days = $5, tasks = $6, area_id = $7, max_travel_minutes = $8, travel_minutes = $9,
         support_needed = $10, notes = $11, health_notes = $12, organization_id = $13, updated_at = $14, version = work_preference.version + 1`,
      values,
    );
    await appendCaseEvent(tx, mid, caseId, { at: clock.now(), kind: 'work_preferences', organizationId: actor.organizationId, scope: 'case', summary: '就労・参加の希望を更新', byUser: actor.userId });
    await recordAudit(tx, clock, actor, { action: 'work_preferences.save', entityType: 'support_case', entityId: caseId, reason: 'case work', details: { fields: Object.keys(input).filter((k) => k !== 'version') } });
  });
  return loadPrefs(db, mid, caseId);
}

export interface PlacementMatch extends RankedPlacement {
  placement: Placement;
}

/** Active placements ranked for the person on a case, each with why it fits or not. */
export async function matchPlacements({ db, clock }: Deps, actor: Actor, caseId: string): Promise<{ preferences: WorkPreferences; matches: PlacementMatch[] }> {
  await requireFullCase(db, actor, caseId);
  const mid = actor.municipalityId!;
  const prefs = await loadPrefs(db, mid, caseId);
  const placements = await listPlacements({ db, clock }, actor, { active: true });
  const byId = new Map(placements.map((p) => [p.id, p]));
  const w: MatchPreferences = {
    hoursMin: prefs.hoursMin, hoursMax: prefs.hoursMax, days: prefs.days, tasks: prefs.tasks, areaId: prefs.areaId, maxTravelMinutes: prefs.maxTravelMinutes,
    travelMinutes: prefs.travelMinutes, supportNeeded: prefs.supportNeeded,
  };
  const ranked = rankPlacements(placements.map((p) => ({ ...p, areaId: p.area?.id ?? null })), w, await areaNeighbours(db, mid));
  await recordAudit(db, clock, actor, { action: 'placement.match', entityType: 'support_case', entityId: caseId, reason: 'case work', details: { count: ranked.length } });
  return { preferences: prefs, matches: ranked.map((r) => ({ ...r, placement: byId.get(r.placementId)! })) };
}

// ---------------------------------------------------------------- placement records

export interface CheckIn {
  months: number;
  dueOn: string;
  doneOn: string | null;
  stillWorking: boolean | null;
  note: string | null;
}

export interface PlacementRecord {
  id: string;
  caseId: string;
  placement: { id: string; name: string; kind: PlacementKind };
  organization: { id: string; name: string };
  trialFrom: string | null;
  trialTo: string | null;
  daysAttended: number;
  jobStartedOn: string | null;
  outcome: Outcome | null;
  outcomeOn: string | null;
  endedReason: string | null;
  note: string | null;
  checkIns: CheckIn[];
  createdAt: Date;
  version: number;
}

interface RecordRow {
  id: string; case_id: string; placement_id: string; placement_name: string; placement_kind: PlacementKind; organization_id: string; trial_from: string | null;
  trial_to: string | null; days_attended: number; job_started_on: string | null; outcome: Outcome | null; outcome_on: string | null; ended_reason: string | null;
  note: string | null; created_at: Date; version: number;
}

const RECORD_SELECT = `SELECT r.*, p.name AS placement_name, p.kind AS placement_kind FROM placement_record r
  JOIN placement p ON p.municipality_id = r.municipality_id AND p.id = r.placement_id`;

async function presentRecords(db: Db, mid: string, rows: RecordRow[]): Promise<PlacementRecord[]> {
  if (rows.length === 0) return [];
  const { rows: checks } = await db.query<{ record_id: string; months: number; due_on: string; done_on: string | null; still_working: boolean | null; note: string | null }>(
    'SELECT * FROM retention_check_in WHERE municipality_id = $1 AND record_id = ANY($2::uuid[]) ORDER BY months', [mid, rows.map((r) => r.id)]);
  const l = await lookups(db, mid);
  return rows.map((r) => ({
    id: r.id, caseId: r.case_id, placement: { id: r.placement_id, name: r.placement_name, kind: r.placement_kind },
    organization: { id: r.organization_id, name: l.orgs.get(r.organization_id) ?? '' }, trialFrom: r.trial_from, trialTo: r.trial_to, daysAttended: r.days_attended,
    jobStartedOn: r.job_started_on, outcome: r.outcome, outcomeOn: r.outcome_on, endedReason: r.ended_reason, note: r.note, createdAt: r.created_at, version: r.version,
    checkIns: checks.filter((c) => c.record_id === r.id).map((c) => ({ months: c.months, dueOn: c.due_on, doneOn: c.done_on, stillWorking: c.still_working, note: c.note })),
  }));
}

/** Loads a record whose case the actor has full access to; 404 when the case is not theirs to see. */
async function loadRecord(db: Db, actor: Actor, id: string, lock = false): Promise<RecordRow> {
  requireStaff(actor);
  const { rows } = await db.query<RecordRow>(`${RECORD_SELECT} WHERE r.municipality_id = $1 AND r.id = $2${lock ? ' FOR UPDATE OF r' : ''}`, [actor.municipalityId, id]);
  if (!rows[0]) throw notFound('placement record');
  const access = await caseAccess({ db, clock: systemClock }, actor, rows[0].case_id);
  if (access === 'none') throw notFound('placement record');
  if (access !== 'full') throw forbidden('Placement records need full access to the case (the person’s consent to share with your organisation).');
  return rows[0];
}

export interface PlacementRecordInput {
  caseId: string;
  placementId: string;
  trialFrom?: string | null;
  trialTo?: string | null;
  note?: string | null;
}

function checkDates(from: string | null | undefined, to: string | null | undefined) {
  if (from && to && from > to) throw badRequest('The trial ends before it starts.', [{ field: 'trialTo', message: 'The trial ends before it starts.' }]);
}

/**
 * Checks, inside the writing transaction, that the placement has a place left.
 * The placement row is locked first, so of two records taking the last place
 * at once the second waits, counts the first and is refused.
 */
async function holdPlace(tx: Db, mid: string, placementId: string): Promise<void> {
  const { rows: [p] } = await tx.query<{ name: string; capacity: number }>('SELECT name, capacity FROM placement WHERE municipality_id = $1 AND id = $2 FOR UPDATE', [mid, placementId]);
  const { rows: [{ occupied }] } = await tx.query<{ occupied: number }>(`SELECT count(*)::int AS occupied FROM placement_record r WHERE r.municipality_id = $1 AND r.placement_id = $2 AND ${RUNNING}`, [mid, placementId]);
  if (occupied >= p.capacity) throw conflict(`${p.name} has no place left (${p.capacity} taken). Choose another placement or free a place first.`);
}

/** A match becomes a placement record of the case (a timeline event of the case). */
export async function createPlacementRecord(deps: Deps, actor: Actor, input: PlacementRecordInput): Promise<PlacementRecord> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await requireFullCase(db, actor, input.caseId);
  checkDates(input.trialFrom, input.trialTo);
  const placement = await getPlacement(deps, actor, input.placementId).catch(() => {
    throw badRequest('The placement record could not be saved.', [{ field: 'placementId', message: 'No placement with that id.' }]);
  });
  if (!placement.active) throw badRequest('The placement record could not be saved.', [{ field: 'placementId', message: 'This placement no longer takes people.' }]);
  const id = randomUUID();
  const now = clock.now();
  await db.transaction(async (tx) => {
    await holdPlace(tx, mid, input.placementId);
    await tx.query(
      `INSERT INTO placement_record (municipality_id, id, case_id, placement_id, organization_id, trial_from, trial_to, note, by_user, created_at, updated_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$10)`,
      [mid, id, input.caseId, input.placementId, actor.organizationId, input.trialFrom ?? null, input.trialTo ?? null, input.note?.trim() || null, actor.userId, now],
    );
    const period = input.trialFrom ? `（${input.trialFrom}〜${input.trialTo ?? ''}）` : '';
    await appendCaseEvent(tx, mid, input.caseId, {
      at: now, kind: 'placement', organizationId: actor.organizationId, scope: 'case', summary: `受け入れ先につなぐ: ${placement.name}（${KIND_JA[placement.kind]}）${period}`,
      entityType: 'placement_record', entityId: id, byUser: actor.userId,
    });
    await recordAudit(tx, clock, actor, { action: 'placement_record.create', entityType: 'placement_record', entityId: id, reason: 'case work', details: { caseId: input.caseId, placementId: input.placementId } });
  });
  return getPlacementRecord(deps, actor, id, { audit: false });
}

export async function getPlacementRecord({ db, clock }: Deps, actor: Actor, id: string, opts: { audit?: boolean } = {}): Promise<PlacementRecord> {
  const row = await loadRecord(db, actor, id);
  if (opts.audit !== false) await recordAudit(db, clock, actor, { action: 'placement_record.read', entityType: 'placement_record', entityId: id, reason: 'case work', details: { caseId: row.case_id } });
  return (await presentRecords(db, actor.municipalityId!, [row]))[0];
}

export async function listCasePlacementRecords({ db, clock }: Deps, actor: Actor, caseId: string): Promise<PlacementRecord[]> {
  await requireFullCase(db, actor, caseId);
  const mid = actor.municipalityId!;
  const { rows } = await db.query<RecordRow>(`${RECORD_SELECT} WHERE r.municipality_id = $1 AND r.case_id = $2 ORDER BY r.created_at DESC, r.id`, [mid, caseId]);
  await recordAudit(db, clock, actor, { action: 'placement_record.list', entityType: 'support_case', entityId: caseId, reason: 'case work', details: { count: rows.length } });
  return presentRecords(db, mid, rows);
}

export interface PlacementRecordUpdate {
  version: number;
  trialFrom?: string | null;
  trialTo?: string | null;
  daysAttended?: number;
  note?: string | null;
  /** Recording the outcome: continued, employed (the job starts on outcomeOn) or ended (with the reason). */
  outcome?: Outcome | null;
  outcomeOn?: string | null;
  endedReason?: string | null;
}

/**
 * Records attendance, trial dates and the outcome. An outcome of 'employed'
 * starts the job on its date and schedules the 職場定着 check-ins at 1, 3 and 6 months.
 */
export async function updatePlacementRecord(deps: Deps, actor: Actor, id: string, input: PlacementRecordUpdate): Promise<PlacementRecord> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    const cur = await loadRecord(tx, actor, id, true);
    if (cur.version !== input.version) throw conflict(`Someone changed this placement record since you opened it (now version ${cur.version}). Reload it and apply your change again.`);
    const v = <T>(x: T | undefined, c: T) => (x === undefined ? c : x);
    const trialFrom = v(input.trialFrom, cur.trial_from);
    const trialTo = v(input.trialTo, cur.trial_to);
    checkDates(trialFrom, trialTo);
    const outcome = v(input.outcome, cur.outcome);
    const outcomeChanged = input.outcome !== undefined && input.outcome !== cur.outcome;
    const outcomeOn = v(input.outcomeOn, cur.outcome_on) ?? (outcomeChanged && outcome ? japanDate(clock.now()) : null);
    const endedReason = v(input.endedReason === undefined ? undefined : input.endedReason?.trim() || null, cur.ended_reason);
    if (outcome === 'ended' && !endedReason) throw badRequest('Say why the placement ended.', [{ field: 'endedReason', message: 'An ended placement needs its reason.' }]);
    if (cur.job_started_on && outcomeChanged && outcome !== 'employed' && outcome !== 'ended')
      throw badRequest('A job that started can only end.', [{ field: 'outcome', message: 'A job that started can only end.' }]);
    // an ended record taken up again needs its place back
    if (cur.outcome === 'ended' && outcome !== 'ended') await holdPlace(tx, mid, cur.placement_id);
    const jobStartedOn = cur.job_started_on ?? (outcome === 'employed' ? outcomeOn : null);
    await tx.query(
      `UPDATE placement_record SET trial_from = $3, trial_to = $4, days_attended = $5, note = $6, outcome = $7, outcome_on = $8, ended_reason = $9, job_started_on = $10,
         updated_at = $11, version = version + 1 WHERE municipality_id = $1 AND id = $2`,
      [mid, id, trialFrom, trialTo, v(input.daysAttended, cur.days_attended), v(input.note === undefined ? undefined : input.note?.trim() || null, cur.note), outcome,
        outcome ? outcomeOn : null, outcome === 'ended' ? endedReason : null, jobStartedOn, clock.now()],
    );
    if (jobStartedOn && !cur.job_started_on)
      for (const months of CHECK_IN_MONTHS)
        await tx.query('INSERT INTO retention_check_in (municipality_id, record_id, months, due_on) VALUES ($1,$2,$3,$4) ON CONFLICT DO NOTHING', [mid, id, months, addMonths(jobStartedOn, months)]);
    if (outcomeChanged && outcome)
      await appendCaseEvent(tx, mid, cur.case_id, {
        at: clock.now(), kind: 'placement', organizationId: actor.organizationId, scope: 'case', entityType: 'placement_record', entityId: id, byUser: actor.userId,
        summary: `${cur.placement_name}: ${OUTCOME_JA[outcome]}（${outcomeOn}）${outcome === 'employed' ? '。職場定着の確認を1・3・6か月後に予定' : ''}${outcome === 'ended' ? `。理由: ${endedReason!.slice(0, 200)}` : ''}`,
      });
    await recordAudit(tx, clock, actor, { action: 'placement_record.update', entityType: 'placement_record', entityId: id, reason: 'case work', details: { caseId: cur.case_id, fields: Object.keys(input).filter((k) => k !== 'version') } });
  });
  return getPlacementRecord(deps, actor, id, { audit: false });
}

/** Records the outcome of a 職場定着 check-in. */
export async function recordCheckIn(deps: Deps, actor: Actor, id: string, months: number, input: { doneOn: string; stillWorking: boolean; note?: string | null }): Promise<PlacementRecord> {
  const { db, clock } = deps;
  const mid = actor.municipalityId!;
  if (input.doneOn > japanDate(clock.now())) throw badRequest('The check-in cannot be in the future.', [{ field: 'doneOn', message: 'The check-in cannot be in the future.' }]);
  await db.transaction(async (tx) => {
    const cur = await loadRecord(tx, actor, id, true);
    const { rowCount } = await tx.query(
      'UPDATE retention_check_in SET done_on = $4, still_working = $5, note = $6, by_user = $7 WHERE municipality_id = $1 AND record_id = $2 AND months = $3',
      [mid, id, months, input.doneOn, input.stillWorking, input.note?.trim() || null, actor.userId]);
    if (!rowCount) throw notFound('check-in');
    await appendCaseEvent(tx, mid, cur.case_id, {
      at: clock.now(), kind: 'placement', organizationId: actor.organizationId, scope: 'case', entityType: 'placement_record', entityId: id, byUser: actor.userId,
      summary: `職場定着の確認（${months}か月）: ${cur.placement_name} — ${input.stillWorking ? '就労継続' : '離職'}`,
    });
    await recordAudit(tx, clock, actor, { action: 'placement_record.check_in', entityType: 'placement_record', entityId: id, reason: 'case work', details: { caseId: cur.case_id, months } });
  });
  return getPlacementRecord(deps, actor, id, { audit: false });
}

export interface DueCheckIn {
  recordId: string;
  caseId: string;
  caseReference: string;
  placement: { id: string; name: string };
  jobStartedOn: string;
  months: number;
  dueOn: string;
  overdueDays: number;
}

/**
 * The staff queue of 職場定着 check-ins due today or earlier (Japan time) and
 * not yet recorded, on cases the actor has full access to.
 */
export async function dueCheckIns({ db, clock }: Deps, actor: Actor): Promise<DueCheckIn[]> {
  requireStaff(actor);
  const today = japanDate(clock.now());
  const { rows } = await db.query<{ record_id: string; case_id: string; reference: string; placement_id: string; placement_name: string; job_started_on: string; months: number; due_on: string }>(
    `SELECT k.record_id, r.case_id, c.reference, r.placement_id, p.name AS placement_name, r.job_started_on, k.months, k.due_on
     FROM retention_check_in k
     JOIN placement_record r ON r.municipality_id = k.municipality_id AND r.id = k.record_id
     JOIN placement p ON p.municipality_id = r.municipality_id AND p.id = r.placement_id
     JOIN support_case c ON c.municipality_id = r.municipality_id AND c.id = r.case_id
     WHERE k.municipality_id = $1 AND k.done_on IS NULL AND k.due_on <= $4::date AND ${accessLevelSql('$2', '$3')} = 'full'
     ORDER BY k.due_on, c.reference, k.months`,
    [actor.municipalityId, actor.role, actor.organizationId, today],
  );
  await recordAudit(db, clock, actor, { action: 'placement_record.queue', entityType: 'placement_record', reason: 'case work', details: { count: rows.length, ids: rows.map((r) => r.record_id) } });
  return rows.map((r) => ({
    recordId: r.record_id, caseId: r.case_id, caseReference: r.reference, placement: { id: r.placement_id, name: r.placement_name }, jobStartedOn: r.job_started_on,
    months: r.months, dueOn: r.due_on, overdueDays: Math.round((Date.parse(today) - Date.parse(r.due_on)) / 86_400_000),
  }));
}

/** Retention: deletes the work preferences, placement records and check-ins of cases being disposed of (called by the cases purge). */
export async function deletePlacementDataOfCases(tx: Db, mid: string, caseIds: string[]): Promise<number> {
  await tx.query(
    `DELETE FROM retention_check_in k USING placement_record r WHERE k.municipality_id = r.municipality_id AND k.record_id = r.id
       AND r.municipality_id = $1 AND r.case_id = ANY($2::uuid[])`, [mid, caseIds]);
  const { rowCount } = await tx.query('DELETE FROM placement_record WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])', [mid, caseIds]);
  await tx.query('DELETE FROM work_preference WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])', [mid, caseIds]);
  return rowCount;
}

// ---------------------------------------------------------------- figures

export interface PlacementFigures {
  placements: number;
  records: number;
  trials: number;
  jobsStarted: number;
  /** Per check-in point: people whose point has come, checked, and still in work. */
  retention: { months: number; due: number; checked: number; stillWorking: number }[];
  ended: number;
}

/**
 * Figures for the fiscal-year figures (stats module): placement records opened
 * and jobs started in [from, to] (ISO dates, Japan), and of those jobs, people
 * still in work at 1, 3 and 6 months, counting the points reached by asOf
 * (default: the end of the period). No person is named.
 */
export async function placementFigures(db: Db, mid: string, from: string, to: string, asOf: string = to): Promise<PlacementFigures> {
  const { rows: [n] } = await db.query<{ placements: number; records: number; trials: number; ended: number }>(
    `SELECT (SELECT count(*)::int FROM placement WHERE municipality_id = $1 AND active) AS placements,
            count(*)::int AS records, count(*) FILTER (WHERE trial_from IS NOT NULL)::int AS trials,
            count(*) FILTER (WHERE outcome = 'ended')::int AS ended
     FROM placement_record WHERE municipality_id = $1 AND (created_at AT TIME ZONE 'Asia/Tokyo')::date BETWEEN $2::date AND $3::date`,
    [mid, from, to]);
  const { rows: [j] } = await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM placement_record WHERE municipality_id = $1 AND job_started_on BETWEEN $2::date AND $3::date', [mid, from, to]);
  const { rows } = await db.query<{ months: number; due: number; checked: number; still: number }>(
    `SELECT k.months, count(*)::int AS due, count(k.done_on)::int AS checked, count(*) FILTER (WHERE k.still_working)::int AS still
     FROM retention_check_in k JOIN placement_record r ON r.municipality_id = k.municipality_id AND r.id = k.record_id
     WHERE k.municipality_id = $1 AND r.job_started_on BETWEEN $2::date AND $3::date AND k.due_on <= $4::date
     GROUP BY k.months`, [mid, from, to, asOf]);
  return {
    placements: n.placements, records: n.records, trials: n.trials, jobsStarted: j.n, ended: n.ended,
    retention: CHECK_IN_MONTHS.map((months) => {
      const r = rows.find((x) => x.months === months);
      return { months, due: r?.due ?? 0, checked: r?.checked ?? 0, stillWorking: r?.still ?? 0 };
    }),
  };
}
