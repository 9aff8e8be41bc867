import { randomUUID } from 'node:crypto';
import { prepared, type Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { fiscalYearOf } from '../../lib/fiscal.ts';
import { decodeCursor, encodeCursor } from '../../lib/pagination.ts';
import { takeReferenceSql } from '../../lib/reference.ts';
import { recordAudit } from '../audit/service.ts';
import { getRuleSet, getVocabularies, ruleSetAt, listAreas, listOrganizations, listPrograms, type Organization, type Program, type RuleSet } from '../network/service.ts';
import { compileRules, type CompiledRules } from '../routing/evaluate.ts';
import type { RoutingIntake, RoutingResult, Suggestion } from '../routing/types.ts';
import { URGENCIES } from './types.ts';
import type { Consultation, ConsultationInput, ConsultationStep, OrgRef, QueueQuery, Reporter, Urgency } from './types.ts';

export { URGENCIES };
export type { Consultation, ConsultationInput, ConsultationStep, IntakeFields, OrgRef, QueueQuery, Reporter, Urgency } from './types.ts';

/** A routing suggestion made concrete: where the consultation goes next, and where it ends. */
export interface RouteSuggestion {
  ruleKey: string;
  reason: string;
  reasonEn: string | null;
  matched: Suggestion['matched'];
  destination: { organization: OrgRef; program: OrgRef | null };
  via: OrgRef[];
  /** The organisation to pass it to now; the holder itself when this is the last step. */
  nextHop: OrgRef;
  takesIn: boolean;
}

export interface ConsultationDetail extends Consultation {
  reporter: Reporter | null;
  steps: ConsultationStep[];
  routing: { version: number; suggestions: RouteSuggestion[]; undecided: RoutingResult['undecided']; nearMisses: RoutingResult['nearMisses'] };
}

interface Row {
  id: string; reference: string; received_at: Date; door_organization_id: string; channel: string; consulter_relation: string;
  consulter_detail: string | null; age: number | null; age_band_min: number | null; age_band_max: number | null;
  school_stage: string | null; area_id: string | null; issue_tags: string[]; main_issue: string | null;
  organizations_involved: number | null; cannot_visit: boolean | null; family_only: boolean; summary: string; urgency: Urgency;
  source: 'staff' | 'concern_report'; status: 'triage' | 'routed'; holder_organization_id: string;
  destination_organization_id: string | null; destination_program_id: string | null; case_id: string | null; version: number;
  routing_version: number | null;
}
/** Row's columns, for statements that must name theirs (prepared ones). */
const ROW_COLUMNS = `id, reference, received_at, door_organization_id, channel, consulter_relation, consulter_detail, age, age_band_min, age_band_max,
  school_stage, area_id, issue_tags, main_issue, organizations_involved, cannot_visit, family_only, summary, urgency, source, status,
  holder_organization_id, destination_organization_id, destination_program_id, case_id, version, routing_version`;

/** Everything about the network a consultation's routing needs, loaded once per request. */
interface NetworkContext {
  orgs: Map<string, Organization>;
  orgByKey: Map<string, Organization>;
  programs: Map<string, Program>;
  programByKey: Map<string, Program>;
  areaKeyById: Map<string, string>;
  tags: Set<string>;
  channels: Set<string>;
  relations: Set<string>;
  stages: Set<string>;
}

// The network changes only by a profile import, which adds a revision: a cached
// context is reused while the municipality's latest revision is the one it was
// built from: the revision read with the session, else one indexed lookup.
const networkCache = new WeakMap<Db, Map<string, { revision: number; net: NetworkContext }>>();

async function loadNetwork(db: Db, mid: string, knownRevision?: number): Promise<NetworkContext> {
  const revision = knownRevision ?? Number((await db.query<{ revision: number }>(
    'SELECT COALESCE(max(revision), 0) AS revision FROM network_profile_revision WHERE municipality_id = $1', [mid])).rows[0].revision);
  let cache = networkCache.get(db);
  if (!cache) networkCache.set(db, (cache = new Map()));
  const hit = cache.get(mid);
  if (hit && hit.revision === revision) return hit.net;
  const net = await buildNetwork(db, mid);
  cache.set(mid, { revision, net });
  return net;
}

async function buildNetwork(db: Db, mid: string): Promise<NetworkContext> {
  const [orgs, programs, areas, vocab] = await Promise.all([
    listOrganizations(db, mid, { includeInactive: true }), listPrograms(db, mid, { includeInactive: true }), listAreas(db, mid), getVocabularies(db, mid),
  ]);
  return {
    orgs: new Map(orgs.map((o) => [o.id, o])),
    orgByKey: new Map(orgs.map((o) => [o.key, o])),
    programs: new Map(programs.map((p) => [p.id, p])),
    programByKey: new Map(programs.map((p) => [p.key, p])),
    areaKeyById: new Map(areas.map((a) => [a.id, a.key])),
    tags: new Set(vocab.issueTags.map((t) => t.code)),
    channels: new Set(vocab.channels.map((t) => t.code)),
    relations: new Set(vocab.consulterRelations.map((t) => t.code)),
    stages: new Set(vocab.schoolStages.map((t) => t.code)),
  };
}

const ref = (o: { id: string; name: string } | undefined | null): OrgRef | null => (o ? { id: o.id, name: o.name } : null);

function present(r: Row, net: NetworkContext): Consultation {
  return {
    id: r.id, reference: r.reference, receivedAt: r.received_at, door: ref(net.orgs.get(r.door_organization_id))!,
    channel: r.channel, consulterRelation: r.consulter_relation, consulterDetail: r.consulter_detail, age: r.age,
    ageBand: r.age_band_min !== null && r.age_band_max !== null ? { min: r.age_band_min, max: r.age_band_max } : null,
    schoolStage: r.school_stage, areaId: r.area_id, issueTags: r.issue_tags, mainIssue: r.main_issue,
    organizationsInvolved: r.organizations_involved, cannotVisit: r.cannot_visit, familyOnly: r.family_only, summary: r.summary,
    urgency: r.urgency, source: r.source, status: r.status, holder: ref(net.orgs.get(r.holder_organization_id))!,
    destination: { organization: ref(net.orgs.get(r.destination_organization_id ?? '')), program: ref(net.programs.get(r.destination_program_id ?? '')) },
    caseId: r.case_id,
    version: r.version,
  };
}

function routingIntakeOf(r: Row, net: NetworkContext): RoutingIntake {
  return {
    age: r.age, ageBand: r.age_band_min !== null && r.age_band_max !== null ? [r.age_band_min, r.age_band_max] : null,
    schoolStage: r.school_stage, issueTags: r.issue_tags, area: r.area_id ? net.areaKeyById.get(r.area_id) ?? null : null,
    channel: r.channel, consulterRelation: r.consulter_relation, organizationsInvolved: r.organizations_involved, cannotVisit: r.cannot_visit,
  };
}

/** The organisation that serves a program: its contractor if commissioned, else its first owner. */
function programOrganization(p: Program, holderId: string): string {
  const serving = [...p.contractors, ...p.owners];
  return serving.find((o) => o.id === holderId)?.id ?? serving[0].id;
}

/**
 * Turns the routing result into steps from where the consultation is now: a
 * rule's path is its `via` organisations, then its destination. A holder on the
 * path passes it to the next one; a holder off the path starts at the first.
 */
export function concreteSuggestions(result: RoutingResult, holderId: string, net: Pick<NetworkContext, 'orgs' | 'orgByKey' | 'programByKey'>): RouteSuggestion[] {
  const out: RouteSuggestion[] = [];
  for (const s of result.suggestions) {
    const program = s.to.program ? net.programByKey.get(s.to.program) : undefined;
    const finalOrgId = program ? programOrganization(program, holderId) : net.orgByKey.get(s.to.organization ?? '')?.id;
    if (!finalOrgId || !net.orgs.has(finalOrgId)) continue;
    const via = (s.to.via ?? []).map((k) => net.orgByKey.get(k)).filter((o): o is Organization => Boolean(o));
    const path = [...via.map((o) => o.id), finalOrgId];
    const at = path.indexOf(holderId);
    const next = at === -1 ? path[0] : path[Math.min(at + 1, path.length - 1)];
    out.push({
      ruleKey: s.ruleKey, reason: s.reason, reasonEn: s.reasonEn, matched: s.matched,
      destination: { organization: ref(net.orgs.get(finalOrgId))!, program: ref(program) },
      via: via.map((o) => ref(o)!), nextHop: ref(net.orgs.get(next))!, takesIn: next === holderId,
    });
  }
  return out;
}

/** Checks what JSON Schema cannot: codes against the municipality's vocabularies and network. */
function checkInput(input: Partial<ConsultationInput>, net: NetworkContext, now: Date) {
  const fields: { field: string; message: string }[] = [];
  if (input.receivedAt !== undefined && Date.parse(input.receivedAt) > now.getTime() + 5 * 60_000)
    fields.push({ field: 'receivedAt', message: 'The time received cannot be in the future.' });
  if (input.channel !== undefined && !net.channels.has(input.channel)) fields.push({ field: 'channel', message: `Unknown channel. Use one of: ${[...net.channels].join(', ')}.` });
  if (input.consulterRelation !== undefined && !net.relations.has(input.consulterRelation))
    fields.push({ field: 'consulterRelation', message: `Unknown relation. Use one of: ${[...net.relations].join(', ')}.` });
  if (input.schoolStage && !net.stages.has(input.schoolStage)) fields.push({ field: 'schoolStage', message: `Unknown school stage. Use one of: ${[...net.stages].join(', ')}.` });
  input.issueTags?.forEach((t, i) => {
    if (!net.tags.has(t)) fields.push({ field: `issueTags[${i}]`, message: `Unknown issue tag "${t}". See GET /api/vocabularies.` });
  });
  if (input.mainIssue && !(input.issueTags ?? []).includes(input.mainIssue))
    fields.push({ field: 'mainIssue', message: 'The main issue (主訴) must be one of the issue tags.' });
  if (input.age != null && input.ageBand != null) fields.push({ field: 'ageBand', message: 'Give either the age or an age band, not both.' });
  if (input.ageBand && input.ageBand.min > input.ageBand.max) fields.push({ field: 'ageBand', message: 'The band’s lower age is above its upper age.' });
  if (input.areaId && !net.areaKeyById.has(input.areaId)) fields.push({ field: 'areaId', message: 'No area with that id in this municipality.' });
  if (input.doorOrganizationId) {
    const door = net.orgs.get(input.doorOrganizationId);
    if (!door || !door.active) fields.push({ field: 'doorOrganizationId', message: 'No active organisation with that id in this municipality.' });
  }
  if (fields.length) throw badRequest('Some fields are not valid. Correct them and send again.', fields);
}

/**
 * Who may see a consultation aliased `c` (role and organisation at the given
 * parameters): the hub sees all of its municipality; others what passed
 * through their organisation. The statistics count and list with the same rule.
 */
export const consultationVisibleSql = (role: string, org: string) => `(
  ${role}::text = 'hub_coordinator'
  OR c.door_organization_id = ${org}::uuid OR c.holder_organization_id = ${org}::uuid OR c.destination_organization_id = ${org}::uuid
  OR EXISTS (SELECT 1 FROM consultation_step s WHERE s.municipality_id = c.municipality_id AND s.consultation_id = c.id
             AND (s.to_organization_id = ${org}::uuid OR s.from_organization_id = ${org}::uuid)))`;
const VISIBLE = consultationVisibleSql('$2', '$3');

const CAN_RECORD = new Set(['hub_coordinator', 'org_staff']);

function requireStaff(actor: Actor) {
  if (!actor.role || !CAN_RECORD.has(actor.role)) throw forbidden('Only staff of an organisation or the hub work with consultations.');
}

async function loadRow(db: Db, actor: Actor, id: string, lock = false): Promise<Row> {
  const { rows } = await db.query<Row>(
    `SELECT c.* FROM consultation c WHERE c.municipality_id = $1 AND c.id = $4 AND ${VISIBLE}${lock ? ' FOR UPDATE' : ''}`,
    [actor.municipalityId, actor.role, actor.organizationId, id],
  );
  if (!rows[0]) throw notFound('consultation');
  return rows[0];
}

async function addStep(tx: Db, mid: string, consultationId: string, step: {
  kind: ConsultationStep['kind']; from: string | null; to: string; programId?: string | null; reason?: string | null; ruleKey?: string | null;
  followed?: boolean | null; routingVersion?: number | null; suggestion?: unknown; at: Date; by: string | null;
}) {
  await tx.query(
    `INSERT INTO consultation_step (municipality_id, consultation_id, seq, kind, from_organization_id, to_organization_id, program_id,
       reason, rule_key, followed_suggestion, routing_version, suggestion, at, by_user)
     SELECT $1, $2, COALESCE(MAX(seq), 0) + 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
     FROM consultation_step WHERE municipality_id = $1 AND consultation_id = $2`,
    [mid, consultationId, step.kind, step.from, step.to, step.programId ?? null, step.reason ?? null, step.ruleKey ?? null,
      step.followed ?? null, step.routingVersion ?? null, step.suggestion === undefined ? null : JSON.stringify(step.suggestion), step.at, step.by],
  );
}

export interface NewConsultationOptions {
  source?: 'staff' | 'concern_report';
}

/**
 * Numbers, writes and starts the trail of a new consultation in one statement,
 * so the municipality's reference counter row stays locked for as short a
 * time as possible (only until the transaction's audit event and commit).
 * The routing version stamped is the one in force when the row is written.
 * Exported so the intake benchmark's direct-SQL peer runs exactly this SQL.
 */
export const INSERT_NEW_CONSULTATION = prepared('intake-new-consultation', `WITH counter AS (
    ${takeReferenceSql('intake_counter', '$1', '$23::int')}
  ), inserted AS (
    INSERT INTO consultation (municipality_id, id, reference, received_at, door_organization_id, channel, consulter_relation, consulter_detail,
      age, age_band_min, age_band_max, school_stage, area_id, issue_tags, main_issue, organizations_involved, cannot_visit, family_only,
      summary, urgency, source, status, holder_organization_id, routing_version, recorded_by, created_at, updated_at)
    SELECT $1, $2, counter.reference, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
      $18, $19, $20, 'triage', $4, (SELECT COALESCE(max(version), 0) FROM routing_rule_set WHERE municipality_id = $1), $21, $22, $22
    FROM counter
    RETURNING ${ROW_COLUMNS}, municipality_id, recorded_by
  ), step AS (
    INSERT INTO consultation_step (municipality_id, consultation_id, seq, kind, to_organization_id, routing_version, at, by_user)
    SELECT municipality_id, id, 1, 'received', door_organization_id, routing_version, received_at, recorded_by FROM inserted
  )
  SELECT ${ROW_COLUMNS} FROM inserted`);

/** The parameters of INSERT_NEW_CONSULTATION, in its order. */
export function newConsultationParams(mid: string, id: string, door: string, receivedAt: Date, input: ConsultationInput,
  source: 'staff' | 'concern_report', recordedBy: string | null, now: Date): unknown[] {
  return [mid, id, receivedAt, door, input.channel, input.consulterRelation, input.consulterDetail ?? null, input.age ?? null,
    input.ageBand?.min ?? null, input.ageBand?.max ?? null, input.schoolStage ?? null, input.areaId ?? null, uniq(input.issueTags),
    input.mainIssue ?? null, input.organizationsInvolved ?? null, input.cannotVisit ?? null, input.familyOnly ?? false,
    input.summary.trim(), input.urgency, source, recordedBy, now, fiscalYearOf(receivedAt)];
}

/** Records a consultation received at a door; it enters that organisation's triage queue. */
export async function recordConsultation({ db, clock }: Deps, actor: Actor, input: ConsultationInput, opts: NewConsultationOptions = {}): Promise<ConsultationDetail> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const net = await loadNetwork(db, mid, actor.networkRevision);
  const now = clock.now();
  checkInput(input, net, now);
  if (input.doorOrganizationId && input.doorOrganizationId !== actor.organizationId && actor.role !== 'hub_coordinator')
    throw badRequest('Some fields are not valid. Correct them and send again.', [{ field: 'doorOrganizationId', message: 'You can record consultations received by your own organisation only.' }]);
  const door = input.doorOrganizationId ?? actor.organizationId!;
  const id = randomUUID();
  const receivedAt = new Date(input.receivedAt);
  const row = await db.transaction(async (tx) => {
    const { rows } = await tx.query<Row>(INSERT_NEW_CONSULTATION, newConsultationParams(mid, id, door, receivedAt, input, opts.source ?? 'staff', actor.userId, now));
    await recordAudit(tx, clock, actor, { action: 'consultation.create', entityType: 'consultation', entityId: id, reason: `recorded at ${net.orgs.get(door)?.key}` });
    return rows[0];
  });
  const received: StepRow = {
    seq: 1, kind: 'received', from_organization_id: null, to_organization_id: door, program_id: null, reason: null, rule_key: null,
    followed_suggestion: null, routing_version: row.routing_version, at: receivedAt,
  };
  return detailOf(row, [received], null, net, await ruleSetAt(db, mid, row.routing_version));
}

const uniq = (xs: string[]) => [...new Set(xs)];

// Saved rule sets are cached (ruleSetAt), so their compiled form can be too.
const compiledRules = new WeakMap<RuleSet, CompiledRules>();
function compiledRulesOf(ruleSet: RuleSet): CompiledRules {
  let compiled = compiledRules.get(ruleSet);
  if (!compiled) compiledRules.set(ruleSet, (compiled = compileRules(ruleSet.rules)));
  return compiled;
}

type StepRow = {
  seq: number; kind: ConsultationStep['kind']; from_organization_id: string | null; to_organization_id: string; program_id: string | null;
  reason: string | null; rule_key: string | null; followed_suggestion: boolean | null; routing_version: number | null; at: Date;
};

/** One consultation with its trail and the routing suggested from where it is now. */
export async function getConsultation({ db, clock }: Deps, actor: Actor, id: string, opts: { audit?: boolean } = {}): Promise<ConsultationDetail> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const row = await loadRow(db, actor, id);
  const [net, ruleSet] = await Promise.all([loadNetwork(db, mid, actor.networkRevision), getRuleSet(db, mid)]);
  const { rows: steps } = await db.query<StepRow>('SELECT * FROM consultation_step WHERE municipality_id = $1 AND consultation_id = $2 ORDER BY seq', [mid, id]);
  let reporter: Reporter | null = null;
  if (row.source === 'concern_report' && actor.role === 'hub_coordinator') {
    const { rows } = await db.query<Reporter>(
      `SELECT receipt_code AS "receiptCode", reporter_anonymous AS anonymous, reporter_name AS name, reporter_phone AS phone, reporter_email AS email
       FROM concern_report WHERE municipality_id = $1 AND consultation_id = $2`, [mid, id]);
    reporter = rows[0] ?? null;
  }
  if (opts.audit !== false)
    await recordAudit(db, clock, actor, { action: 'consultation.read', entityType: 'consultation', entityId: id, reason: 'triage', details: { reporterShown: reporter !== null } });
  return detailOf(row, steps, reporter, net, ruleSet);
}

function detailOf(row: Row, steps: StepRow[], reporter: Reporter | null, net: NetworkContext, ruleSet: RuleSet): ConsultationDetail {
  const result = compiledRulesOf(ruleSet).evaluate(routingIntakeOf(row, net));
  return {
    ...present(row, net),
    reporter,
    steps: steps.map((s) => ({
      seq: s.seq, kind: s.kind, from: ref(net.orgs.get(s.from_organization_id ?? '')), to: ref(net.orgs.get(s.to_organization_id))!,
      program: ref(net.programs.get(s.program_id ?? '')), reason: s.reason, ruleKey: s.rule_key, followedSuggestion: s.followed_suggestion,
      routingVersion: s.routing_version, at: s.at,
    })),
    routing: {
      version: ruleSet.version,
      suggestions: row.status === 'triage' ? concreteSuggestions(result, row.holder_organization_id, net) : [],
      undecided: row.status === 'triage' ? result.undecided : [],
      nearMisses: row.status === 'triage' ? result.nearMisses : [],
    },
  };
}

/** A page of consultations, newest first, that the actor may see. */
export async function listConsultations({ db, clock }: Deps, actor: Actor, q: QueueQuery): Promise<{ items: Consultation[]; nextCursor: string | null }> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const limit = q.limit ?? 50;
  const holder = q.organizationId === 'all' ? null : q.organizationId ?? actor.organizationId;
  if (q.organizationId && q.organizationId !== actor.organizationId && actor.role !== 'hub_coordinator')
    throw forbidden("Only the hub can look at another organisation's queue.");
  const cursor = decodeCursor(q.cursor);
  const { rows } = await db.query<Row>(
    `SELECT c.* FROM consultation c
     WHERE c.municipality_id = $1 AND ${VISIBLE}
       AND ($4::uuid IS NULL OR c.holder_organization_id = $4)
       AND ($5::text IS NULL OR c.status = $5)
       AND ($6::timestamptz IS NULL OR (c.received_at, c.id) < ($6, $7::uuid))
     ORDER BY c.received_at DESC, c.id DESC LIMIT $8`,
    [mid, actor.role, actor.organizationId, holder, q.status ?? null, cursor?.at ?? null, cursor?.id ?? null, limit + 1],
  );
  const net = await loadNetwork(db, mid, actor.networkRevision);
  const page = rows.slice(0, limit);
  await recordAudit(db, clock, actor, {
    action: 'consultation.list', entityType: 'consultation', reason: 'triage queue',
    details: { organizationId: holder, status: q.status ?? null, count: page.length, ids: page.map((r) => r.id) },
  });
  const last = page.at(-1);
  return {
    items: page.map((r) => present(r, net)),
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.received_at.toISOString(), id: last.id }) : null,
  };
}

/** Corrects or completes what was recorded (triage often learns the age later). Refuses a stale version. */
export async function updateConsultation({ db, clock }: Deps, actor: Actor, id: string, version: number, patch: Partial<ConsultationInput>): Promise<ConsultationDetail> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const net = await loadNetwork(db, mid, actor.networkRevision);
  await db.transaction(async (tx) => {
    const row = await loadRow(tx, actor, id, true);
    if (row.version !== version) throw conflict(`Someone changed this consultation since you opened it (now version ${row.version}). Reload it and apply your change again.`);
    if (row.holder_organization_id !== actor.organizationId && actor.role !== 'hub_coordinator')
      throw forbidden('Only the organisation that holds the consultation can change it.');
    const merged = {
      issueTags: patch.issueTags ?? row.issue_tags,
      mainIssue: patch.mainIssue !== undefined ? patch.mainIssue : patch.issueTags && row.main_issue && !patch.issueTags.includes(row.main_issue) ? null : row.main_issue,
      age: patch.age !== undefined ? patch.age : patch.ageBand ? null : row.age,
      ageBand: patch.ageBand !== undefined ? patch.ageBand : patch.age != null ? null : row.age_band_min !== null ? { min: row.age_band_min, max: row.age_band_max! } : null,
    };
    checkInput({ ...patch, ...merged }, net, clock.now());
    const set = (v: unknown, current: unknown) => (v === undefined ? current : v);
    await tx.query(
      `UPDATE consultation SET channel = $3, consulter_relation = $4, consulter_detail = $5, age = $6, age_band_min = $7, age_band_max = $8,
         school_stage = $9, area_id = $10, issue_tags = $11, main_issue = $12, organizations_involved = $13, cannot_visit = $14,
         family_only = $15, summary = $16, urgency = $17, updated_at = $18, version = version + 1
       WHERE municipality_id = $1 AND id = $2`,
      [mid, id, set(patch.channel, row.channel), set(patch.consulterRelation, row.consulter_relation), set(patch.consulterDetail, row.consulter_detail),
        merged.age, merged.ageBand?.min ?? null, merged.ageBand?.max ?? null, set(patch.schoolStage, row.school_stage), set(patch.areaId, row.area_id),
        uniq(merged.issueTags), merged.mainIssue, set(patch.organizationsInvolved, row.organizations_involved), set(patch.cannotVisit, row.cannot_visit),
        set(patch.familyOnly, row.family_only), set(patch.summary?.trim(), row.summary), set(patch.urgency, row.urgency), clock.now()],
    );
    await recordAudit(tx, clock, actor, { action: 'consultation.update', entityType: 'consultation', entityId: id, reason: 'triage', details: { fields: Object.keys(patch) } });
  });
  return getConsultation({ db, clock }, actor, id, { audit: false });
}

export interface RouteInput {
  version: number;
  /** Follow this suggestion (its rule key). */
  ruleKey?: string;
  /** Or choose another destination, with a reason. */
  organizationId?: string;
  programId?: string;
  reason?: string;
}

/**
 * Decides where a consultation goes from the organisation holding it: following
 * a suggestion, or elsewhere with a reason. Passing it to another organisation
 * puts it in that organisation's queue; keeping it (the holder is the
 * destination) takes it in.
 */
export async function routeConsultation({ db, clock }: Deps, actor: Actor, id: string, input: RouteInput): Promise<ConsultationDetail> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const net = await loadNetwork(db, mid, actor.networkRevision);
  await db.transaction(async (tx) => {
    const row = await loadRow(tx, actor, id, true);
    if (row.version !== input.version) throw conflict(`Someone changed this consultation since you opened it (now version ${row.version}). Reload it and decide again.`);
    if (row.status !== 'triage') throw conflict('This consultation has already been taken in.');
    if (row.holder_organization_id !== actor.organizationId && actor.role !== 'hub_coordinator')
      throw forbidden('Only the organisation that holds the consultation can route it.');
    const ruleSet = await getRuleSet(tx, mid);
    const suggestions = concreteSuggestions(compiledRulesOf(ruleSet).evaluate(routingIntakeOf(row, net)), row.holder_organization_id, net);

    let targetOrg: string;
    let programId: string | null = null;
    let reason: string;
    let followed: boolean;
    let ruleKey: string | null = null;
    let suggestion: RouteSuggestion | undefined;
    if (input.ruleKey) {
      suggestion = suggestions.find((s) => s.ruleKey === input.ruleKey);
      if (!suggestion) throw badRequest('That rule does not suggest a destination for this consultation now.', [{ field: 'ruleKey', message: 'Choose one of the current suggestions, or another destination with a reason.' }]);
      targetOrg = suggestion.nextHop.id;
      programId = suggestion.takesIn || suggestion.nextHop.id === suggestion.destination.organization.id ? suggestion.destination.program?.id ?? null : null;
      reason = input.reason?.trim() || suggestion.reason;
      followed = true;
      ruleKey = suggestion.ruleKey;
    } else {
      const fields = [];
      if (!input.organizationId && !input.programId) fields.push({ field: 'organizationId', message: 'Choose a destination: an organisation or a program.' });
      if (!input.reason || input.reason.trim().length < 2) fields.push({ field: 'reason', message: 'Say why this destination, since it is not a suggestion.' });
      const program = input.programId ? net.programs.get(input.programId) : undefined;
      if (input.programId && (!program || !program.active)) fields.push({ field: 'programId', message: 'No active program with that id.' });
      const org = input.organizationId ? net.orgs.get(input.organizationId) : undefined;
      if (input.organizationId && (!org || !org.active)) fields.push({ field: 'organizationId', message: 'No active organisation with that id.' });
      if (fields.length) throw badRequest('Choose where the consultation goes.', fields);
      programId = program?.id ?? null;
      targetOrg = org?.id ?? programOrganization(program!, row.holder_organization_id);
      reason = input.reason!.trim();
      followed = false;
    }
    const takesIn = targetOrg === row.holder_organization_id;
    const now = clock.now();
    await tx.query(
      `UPDATE consultation SET status = $3, holder_organization_id = $4, destination_organization_id = $5, destination_program_id = $6,
         routing_version = $7, updated_at = $8, version = version + 1
       WHERE municipality_id = $1 AND id = $2`,
      [mid, id, takesIn ? 'routed' : 'triage', targetOrg, takesIn ? targetOrg : null, programId, ruleSet.version, now],
    );
    await addStep(tx, mid, id, {
      kind: takesIn ? 'routed' : 'forwarded', from: row.holder_organization_id, to: targetOrg, programId, reason, ruleKey, followed,
      routingVersion: ruleSet.version, suggestion: suggestion ?? suggestions[0] ?? null, at: now, by: actor.userId,
    });
    await recordAudit(tx, clock, actor, {
      action: takesIn ? 'consultation.take_in' : 'consultation.forward', entityType: 'consultation', entityId: id, reason,
      details: { to: targetOrg, programId, ruleKey, followedSuggestion: followed, routingVersion: ruleSet.version },
    });
  });
  return getConsultation({ db, clock }, actor, id, { audit: false });
}

/**
 * Called by the cases module when a case is opened from a consultation: the
 * case's lead takes it in, and the trail says so.
 */
export async function attachConsultationToCase({ db, clock }: Deps, actor: Actor, consultationId: string, caseId: string, caseReference: string, leadOrganizationId: string): Promise<void> {
  requireStaff(actor);
  const mid = actor.municipalityId!;
  const row = await loadRow(db, actor, consultationId, true);
  if (row.case_id) throw conflict(`This consultation already belongs to a case.`);
  if (row.holder_organization_id !== actor.organizationId && actor.role !== 'hub_coordinator')
    throw badRequest('Only the organisation holding a consultation can open a case from it.', [{ field: 'consultationIds', message: 'This consultation is held by another organisation.' }]);
  const now = clock.now();
  await db.query(
    `UPDATE consultation SET status = 'routed', case_id = $3, destination_organization_id = $4, updated_at = $5, version = version + 1
     WHERE municipality_id = $1 AND id = $2`,
    [mid, consultationId, caseId, leadOrganizationId, now],
  );
  await addStep(db, mid, consultationId, { kind: 'case_opened', from: row.holder_organization_id, to: leadOrganizationId, reason: `ケース ${caseReference} を開始`, at: now, by: actor.userId });
}

/** What the cases module needs of a consultation to open a case from it. */
export async function consultationForCase({ db }: Deps, actor: Actor, consultationId: string) {
  requireStaff(actor);
  const r = await loadRow(db, actor, consultationId);
  return { id: r.id, reference: r.reference, receivedAt: r.received_at, summary: r.summary, issueTags: r.issue_tags, age: r.age, areaId: r.area_id };
}

/**
 * Retention: deletes consultations that never became a case and have had no
 * activity since `before`, with their trail and concern reports (or only
 * counts them). Cases' consultations go with their case (deleteConsultationsOfCases).
 */
export async function purgeStaleConsultations(tx: Db, municipalityId: string, before: Date, dryRun: boolean): Promise<string[]> {
  const { rows } = await tx.query<{ id: string; reference: string }>(
    'SELECT id, reference FROM consultation WHERE municipality_id = $1 AND case_id IS NULL AND updated_at < $2', [municipalityId, before]);
  const ids = rows.map((r) => r.id);
  if (!dryRun && ids.length) await deleteConsultations(tx, municipalityId, ids);
  return rows.map((r) => r.reference);
}

async function deleteConsultations(tx: Db, municipalityId: string, ids: string[]) {
  await tx.query('DELETE FROM concern_report WHERE municipality_id = $1 AND consultation_id = ANY($2::uuid[])', [municipalityId, ids]);
  await tx.query('DELETE FROM consultation_step WHERE municipality_id = $1 AND consultation_id = ANY($2::uuid[])', [municipalityId, ids]);
  await tx.query('DELETE FROM consultation WHERE municipality_id = $1 AND id = ANY($2::uuid[])', [municipalityId, ids]);
}

/** Deletes the consultations of cases being disposed of (called by the cases module, after it unlinks them). */
export async function deleteConsultationsOfCases(tx: Db, municipalityId: string, caseIds: string[]): Promise<number> {
  const { rows } = await tx.query<{ id: string }>('SELECT id FROM consultation WHERE municipality_id = $1 AND case_id = ANY($2::uuid[])', [municipalityId, caseIds]);
  if (rows.length) await deleteConsultations(tx, municipalityId, rows.map((r) => r.id));
  return rows.length;
}
