/**
 * Figures by fiscal year (issue #6): counts of consultations, cases, plans,
 * closures, referrals, meetings and programs for one municipality, network
 * health findings, and the drill-down from a figure to its records.
 *
 * The statistics are a read model over the other modules' tables: they read
 * those tables directly, with the owning modules' own visibility rules
 * (caseVisibleSql, consultationVisibleSql, referralVisibleSql), because no
 * service of theirs counts by fiscal year. Nothing here writes to them.
 *
 * Who counts what (docs in README "Figures"):
 * - hub_coordinator: the whole municipality; drills down to records (the hub sees every case).
 * - auditor: the whole municipality's counts, never records.
 * - org_staff: only what their organisation may see — consultations that passed
 *   through it, cases it leads or takes part in, referrals it sent or received,
 *   meetings of series it belongs to, its own action items — and drills down
 *   only to records it may open.
 * - anyone of these may ask for the figures for publication (view=publication):
 *   counts of 1–2 become "<3" (TSUNAGU_STATS_SUPPRESS_BELOW), counts that would
 *   let a total give one of those away are hidden too ("—", protectBody), medians
 *   over fewer than that many are left out, and free-text closure reasons are not listed.
 * Counts are not personal data and are not audited; the drill-down lists
 * records and is audited like any list, and so are exports.
 */
import type { Db } from '../../db/index.ts';
import { programActivity } from './programActivity.ts';
import { DRILL_FIGURES, type Drill, type DrillFigure, type DrillRecord, type Figures, type Finding, type FindingKind, type Health, type MeetingFigures, type ProgramActivity, type Ref, type ReferralOrgFigures, type View, type YearTotals, type Years } from './types.ts';

export { DRILL_FIGURES };
export type { Drill, DrillFigure, DrillRecord, Figures, Finding, FindingKind, Health, MeetingFigures, ProgramActivity, Ref, ReferralOrgFigures, View, YearTotals, Years };
import { badRequest, forbidden } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { addDays, fiscalYearLabel, fiscalYearLabelEn, fiscalYearOfDate, japanDate, japanDayStart, monthsBetween, warekiMonth } from '../../lib/fiscal.ts';
import { recordAudit } from '../audit/service.ts';
import { caseVisibleSql } from '../cases/access.ts';
import { consultationVisibleSql } from '../intake/service.ts';
import { getMunicipality, getVocabularies, listAreas, listOrganizations, listPrograms, type Program } from '../network/service.ts';
import { referralVisibleSql } from '../referrals/service.ts';
import {
  AGE_BAND_KEYS, AGE_BANDS, byCount, consultationKeys, flowsOf, funnelOf, fiscalYearPeriod, monthRows, previousPeriod, receiverFigures, referralKeys, resolvePeriod,
  protectCells, SECONDARY, suppress, suppressMedian, tally, UNKNOWN, type SumGroup, type ConsultationRow, type Count, type Funnel, type Labels, type Period, type PeriodQuery,
  type ReferralRow, type Row,
} from './figures.ts';


export interface StatsOptions {
  /** From config.stats.suppressBelow. */
  suppressBelow: number;
  /** From config.stats.noContactDays. */
  noContactDays: number;
}


type Scope = { kind: 'municipality' } | { kind: 'organization'; organizationId: string };

/** Roles that see figures; org_staff only for their own organisation. */
export const STATS_ROLES = ['hub_coordinator', 'org_staff', 'auditor'] as const;
/** Roles that drill down from a figure to records (those that work with records). */
export const DRILL_ROLES = ['hub_coordinator', 'org_staff'] as const;

function scopeOf(actor: Actor): Scope {
  // prefecture staff reach a municipality's counts only through the prefecture's views, which publish them suppressed
  if (actor.role === 'hub_coordinator' || actor.role === 'auditor' || actor.role === 'prefecture_staff') return { kind: 'municipality' };
  if (actor.role === 'org_staff' && actor.organizationId) return { kind: 'organization', organizationId: actor.organizationId };
  throw forbidden('Your role does not see the figures.');
}

/**
 * The SQL conditions that keep a query to what the scope may count. Queries
 * take $1 municipality, $2 and $3 the period's first instant and the instant
 * after it; an organisation's scope adds $4 role and $5 organisation.
 */
function predicates(scope: Scope) {
  if (scope.kind === 'municipality')
    return { consultation: 'TRUE', kase: 'TRUE', referral: 'TRUE', session: 'TRUE', action: 'TRUE' };
  return {
    consultation: consultationVisibleSql('$4', '$5'),
    kase: `${caseVisibleSql('$4', '$5')}`,
    // a referral counts for its sender and receiver, and only while the case is theirs to see
    referral: `(${referralVisibleSql('$4', '$5::uuid')} AND ${caseVisibleSql('$4', '$5')})`,
    session: `($4::text = 'org_staff' AND (EXISTS (SELECT 1 FROM meeting_series_member m WHERE m.municipality_id = s.municipality_id AND m.series_id = s.series_id
                 AND m.organization_id = $5::uuid AND m.active)
               OR EXISTS (SELECT 1 FROM meeting_series ms WHERE ms.municipality_id = s.municipality_id AND ms.id = s.series_id AND ms.organizer_id = $5::uuid)))`,
    action: '($4::text = \'org_staff\' AND i.organization_id = $5::uuid)',
  };
}

function params(actor: Actor, scope: Scope, from: Date, until: Date): unknown[] {
  const base = [actor.municipalityId, from, until];
  return scope.kind === 'municipality' ? base : [...base, actor.role, scope.organizationId];
}

// ---- names ----------------------------------------------------------------------

interface Context {
  municipality: { id: string; name: string; population: number | null };
  orgs: Map<string, { ref: Ref; kind: string; hub: boolean; active: boolean }>;
  programs: Map<string, Program>;
  areas: Map<string, string>;
  channels: Map<string, Labels>;
  relations: Map<string, Labels>;
  issues: Map<string, Labels & { sensitive: boolean }>;
}

async function loadContext(db: Db, mid: string): Promise<Context> {
  const [m, orgs, programs, areas, vocab] = await Promise.all([
    getMunicipality(db, mid), listOrganizations(db, mid, { includeInactive: true }), listPrograms(db, mid, { includeInactive: true }),
    listAreas(db, mid), getVocabularies(db, mid),
  ]);
  return {
    municipality: { id: m.id, name: m.name, population: m.population },
    orgs: new Map(orgs.map((o) => [o.id, { ref: { id: o.id, name: o.name, nameEn: o.nameEn ?? o.name }, kind: o.kind, hub: o.hub, active: o.active }])),
    programs: new Map(programs.map((p) => [p.id, p])),
    areas: new Map(areas.map((a) => [a.id, a.name])),
    channels: new Map(vocab.channels.map((t) => [t.code, { ja: t.ja, en: t.en }])),
    relations: new Map(vocab.consulterRelations.map((t) => [t.code, { ja: t.ja, en: t.en }])),
    issues: new Map(vocab.issueTags.map((t) => [t.code, { ja: t.ja, en: t.en, sensitive: !!t.sensitive }])),
  };
}

const UNKNOWN_LABEL: Labels = { ja: '不明', en: 'Unknown' };
const orgRef = (ctx: Context, id: string): Ref => ctx.orgs.get(id)?.ref ?? { id, name: id, nameEn: id };
const programRef = (ctx: Context, id: string): Ref => {
  const p = ctx.programs.get(id);
  return p ? { id, name: p.name, nameEn: p.nameEn ?? p.name } : { id, name: id, nameEn: id };
};

function labeller(ctx: Context) {
  return {
    door: (k: string): Labels => ({ ja: orgRef(ctx, k).name, en: orgRef(ctx, k).nameEn }),
    channel: (k: string) => ctx.channels.get(k) ?? { ja: k, en: k },
    relation: (k: string) => ctx.relations.get(k) ?? { ja: k, en: k },
    ageBand: (k: string) => AGE_BANDS.find((b) => b.key === k) ?? UNKNOWN_LABEL,
    issue: (k: string) => (k === UNKNOWN ? { ja: '記録なし', en: 'None recorded' } : ctx.issues.get(k) ?? { ja: k, en: k }),
    area: (k: string) => (k === UNKNOWN ? UNKNOWN_LABEL : { ja: ctx.areas.get(k) ?? k, en: ctx.areas.get(k) ?? k }),
    month: (k: string): Labels => ({ ja: warekiMonth(k), en: new Date(`${k}-01T00:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }) }),
  };
}

// ---- reading ----------------------------------------------------------------------

const JST = (col: string) => `((${col} AT TIME ZONE 'UTC') + interval '9 hours')`;

/** The instants a period of Japan dates covers: from its first midnight up to (not including) the midnight after its last day. */
function instants(p: { from: string; to: string }) {
  return { from: japanDayStart(p.from), until: japanDayStart(addDays(p.to, 1)) };
}

async function readConsultations(db: Db, actor: Actor, scope: Scope, p: { from: string; to: string }): Promise<ConsultationRow[]> {
  const { from, until } = instants(p);
  const { rows } = await db.query<ConsultationRow>(
    `SELECT c.id, c.received_at, c.door_organization_id, c.channel, c.consulter_relation, c.age, c.age_band_min, c.age_band_max, c.area_id, c.issue_tags
     FROM consultation c WHERE c.municipality_id = $1 AND c.received_at >= $2 AND c.received_at < $3 AND ${predicates(scope).consultation}
     ORDER BY c.received_at, c.id`,
    params(actor, scope, from, until),
  );
  return rows;
}

async function readReferrals(db: Db, actor: Actor, scope: Scope, p: { from: string; to: string }): Promise<ReferralRow[]> {
  const { from, until } = instants(p);
  const { rows } = await db.query<ReferralRow>(
    `SELECT r.id, r.case_id, r.from_organization_id, r.to_organization_id, r.to_program_id, r.sent_at, r.accepted_at, r.first_contact_at,
            r.completed_at, r.declined_at, r.returned_at
     FROM referral r JOIN support_case c ON c.municipality_id = r.municipality_id AND c.id = r.case_id
     WHERE r.municipality_id = $1 AND r.sent_at >= $2 AND r.sent_at < $3 AND ${predicates(scope).referral}
     ORDER BY r.sent_at, r.id`,
    params(actor, scope, from, until),
  );
  return rows;
}

interface CaseRow { id: string; at: Date; lead_organization_id: string; closure_reason: string | null }

async function readCasesOpened(db: Db, actor: Actor, scope: Scope, p: { from: string; to: string }): Promise<CaseRow[]> {
  const { from, until } = instants(p);
  return (await db.query<CaseRow>(
    `SELECT c.id, c.opened_at AS at, c.lead_organization_id, NULL AS closure_reason FROM support_case c
     WHERE c.municipality_id = $1 AND c.opened_at >= $2 AND c.opened_at < $3 AND ${predicates(scope).kase} ORDER BY c.opened_at, c.id`,
    params(actor, scope, from, until))).rows;
}

async function readCasesClosed(db: Db, actor: Actor, scope: Scope, p: { from: string; to: string }): Promise<CaseRow[]> {
  const { from, until } = instants(p);
  return (await db.query<CaseRow>(
    `SELECT c.id, c.closed_at AS at, c.lead_organization_id, c.closure_reason FROM support_case c
     WHERE c.municipality_id = $1 AND c.closed_at >= $2 AND c.closed_at < $3 AND ${predicates(scope).kase} ORDER BY c.closed_at, c.id`,
    params(actor, scope, from, until))).rows;
}

interface PlanRow { id: string; case_id: string; plan_no: number; at: Date }

async function readPlans(db: Db, actor: Actor, scope: Scope, p: { from: string; to: string }): Promise<PlanRow[]> {
  const { from, until } = instants(p);
  return (await db.query<PlanRow>(
    `SELECT sp.id, sp.case_id, sp.plan_no, sp.created_at AS at FROM support_plan sp
     JOIN support_case c ON c.municipality_id = sp.municipality_id AND c.id = sp.case_id
     WHERE sp.municipality_id = $1 AND sp.created_at >= $2 AND sp.created_at < $3 AND ${predicates(scope).kase} ORDER BY sp.created_at, sp.id`,
    params(actor, scope, from, until))).rows;
}


/**
 * Meetings (migration 0024): sessions held; distinct cases on the agenda of
 * held sessions; decisions recorded in sessions of the period; action items
 * due in the period (cancelled ones left out) and how many were done by
 * their due date (the Japan date of done_at).
 */
async function readMeetings(db: Db, actor: Actor, scope: Scope, p: { from: string; to: string }): Promise<{ [K in keyof MeetingFigures]: number }> {
  const { from, until } = instants(p);
  const pr = predicates(scope);
  const args = params(actor, scope, from, until);
  const inPeriod = 's.municipality_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3';
  const [held, reviewed, decisions, actions] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM meeting_session s WHERE ${inPeriod} AND s.status = 'held' AND ${pr.session}`, args),
    db.query<{ n: number }>(
      `SELECT count(DISTINCT a.case_id)::int AS n FROM meeting_agenda_item a
       JOIN meeting_session s ON s.municipality_id = a.municipality_id AND s.id = a.session_id
       JOIN support_case c ON c.municipality_id = a.municipality_id AND c.id = a.case_id
       WHERE ${inPeriod} AND s.status = 'held' AND a.kind = 'case' AND ${pr.session} AND ${pr.kase}`, args),
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM meeting_decision d JOIN meeting_session s ON s.municipality_id = d.municipality_id AND s.id = d.session_id
       WHERE ${inPeriod} AND s.status <> 'cancelled' AND ${pr.session}`, args),
    db.query<{ due: number; on_time: number }>(
      `SELECT count(*)::int AS due,
              count(*) FILTER (WHERE i.status = 'done' AND ${JST('i.done_at')}::date <= i.due_on)::int AS on_time
       FROM meeting_action_item i
       WHERE i.municipality_id = $1 AND i.due_on >= ${JST('$2::timestamptz')}::date AND i.due_on < ${JST('$3::timestamptz')}::date
         AND i.status <> 'cancelled' AND ${pr.action}`, args),
  ]);
  return {
    sessionsHeld: held.rows[0].n, casesReviewed: reviewed.rows[0].n, decisions: decisions.rows[0].n,
    actionItemsDue: actions.rows[0].due, actionItemsDoneOnTime: actions.rows[0].on_time,
  };
}

// ---- the figures ------------------------------------------------------------------



export interface FiguresQuery extends PeriodQuery {
  view?: View;
}

export function periodOf(q: PeriodQuery, now: Date): Period {
  const p = resolvePeriod(q, now);
  if (Array.isArray(p)) throw badRequest('The period is not valid.', p);
  return p;
}

/** Whether the actor may see figures by a 要配慮 issue tag (the grant of their membership). */
const seesSensitive = (actor: Actor) => actor.sensitiveAccess === true;

/** The figures of a period that add up to totals (the breakdowns and their totals): what publication protects together. */
interface Body {
  consultations: Figures['consultations'];
  cases: Figures['cases'];
  referrals: Figures['referrals'];
  programs: Figures['programs'];
  /** Counts for the median columns (how many values each median is over). */
  medians: { acceptedMeasured: number; firstContactMeasured: number }[];
}

/** Reads a period's consultations, cases, plans and referrals for what the scope may count, and counts them (nothing suppressed yet). */
async function readBody(db: Db, actor: Actor, scope: Scope, ctx: Context, period: Period, view: View): Promise<Body> {
  const L = labeller(ctx);
  const [consultations, referrals, opened, closed, plans] = await Promise.all([
    readConsultations(db, actor, scope, period), readReferrals(db, actor, scope, period), readCasesOpened(db, actor, scope, period),
    readCasesClosed(db, actor, scope, period), readPlans(db, actor, scope, period),
  ]);
  const keys = consultations.map(consultationKeys);
  const hideSensitive = !seesSensitive(actor);
  const isHidden = (tag: string) => hideSensitive && ctx.issues.get(tag)?.sensitive === true;

  const funnel = funnelOf(referrals);
  const receivers = receiverFigures(referrals);
  const referredPrograms = new Map<string, number>();
  for (const r of referrals) if (r.to_program_id) referredPrograms.set(r.to_program_id, (referredPrograms.get(r.to_program_id) ?? 0) + 1);
  const mine = (p: Program) => scope.kind === 'municipality' || [...p.owners, ...p.contractors].some((o) => o.id === scope.organizationId);
  const programs = [...ctx.programs.values()]
    .filter((p) => referredPrograms.has(p.id) || (p.active && p.status === 'active' && mine(p)))
    .map((p) => ({ program: programRef(ctx, p.id), referrals: referredPrograms.get(p.id) ?? 0 }))
    .sort((a, b) => b.referrals - a.referrals || a.program.name.localeCompare(b.program.name, 'ja'));
  const closures = byCount(tally(closed.map((r) => r.closure_reason?.trim() || UNKNOWN), [], (k) => (k === UNKNOWN ? { ja: '理由の記録なし', en: 'No reason recorded' } : { ja: k, en: k })), [UNKNOWN]);
  const plansInitial = plans.filter((p) => p.plan_no === 1).length;

  return {
    consultations: {
      total: consultations.length,
      byDoor: byCount(tally(keys.map((k) => k.door), [], L.door)),
      byChannel: tally(keys.map((k) => k.channel), [...ctx.channels.keys()], L.channel),
      byRelation: tally(keys.map((k) => k.relation), [...ctx.relations.keys()], L.relation),
      byAgeBand: tally(keys.map((k) => k.ageBand), AGE_BAND_KEYS, L.ageBand),
      byIssue: byCount(tally(keys.flatMap((k) => k.issue).filter((t) => !isHidden(t)), [], L.issue), [UNKNOWN]),
      byArea: byCount(tally(keys.map((k) => k.area), [...ctx.areas.keys()], L.area), [UNKNOWN]),
      byMonth: monthRows(keys.map((k) => k.month), period.from, period.to, L.month),
      sensitiveIssuesHidden: hideSensitive,
    },
    cases: {
      opened: opened.length, plansInitial, plansRevised: plans.length - plansInitial, plans: plans.length, closed: closed.length,
      // free-text reasons could name someone: not in figures for publication
      closuresByReason: view === 'publication' ? [] : closures,
      openedByMonth: monthRows(opened.map((r) => japanDate(r.at).slice(0, 7)), period.from, period.to, L.month),
    },
    referrals: {
      funnel,
      bySender: byCount(tally(referrals.map((r) => r.from_organization_id), [], L.door)),
      byReceiver: byCount(tally(referrals.map((r) => r.to_organization_id), [], L.door)),
      byMonth: monthRows(referrals.map((r) => referralKeys(r).month), period.from, period.to, L.month),
      flows: flowsOf(referrals).map((f) => ({ from: orgRef(ctx, f.from), to: orgRef(ctx, f.to), count: f.count })),
      perOrganization: receivers.map((r) => ({
        organization: orgRef(ctx, r.organizationId),
        sent: r.sent, accepted: r.accepted, firstContact: r.firstContact, completed: r.completed, declined: r.declined, returned: r.returned,
        medianDaysToAcceptance: r.medianDaysToAcceptance, medianDaysToFirstContact: r.medianDaysToFirstContact,
      })),
    },
    programs,
    medians: receivers.map((r) => ({ acceptedMeasured: r.acceptedMeasured, firstContactMeasured: r.firstContactMeasured })),
  };
}

const STAGES = ['sent', 'accepted', 'firstContact', 'completed', 'declined', 'returned'] as const;

/**
 * The body as published: every count of 1 to `below - 1` shown as "<below",
 * and, where a total would let a reader work such a count out by subtraction,
 * more counts hidden (SECONDARY). The sums it knows: each breakdown of
 * consultations adds up to their total (issues only cover it: one consultation
 * may have several, so each is at most the total and together at least it); cases opened by month to cases opened; first plans and
 * re-plans to plans; referrals by sender, by receiver and by month to those
 * sent; the flows between organisations to each sender's and each receiver's
 * count (a table with both margins); each stage of the funnel per receiving
 * organisation to the stage's total. A receiver's count is one cell, in the
 * breakdown and in its funnel row alike.
 */
function protectBody(b: Body, below: number): { body: Body; secondary: boolean } {
  const values = new Map<string, number>();
  const groups: SumGroup[] = [];
  const cell = (k: string, n: Count) => {
    values.set(k, n as number);
    return k;
  };
  const breakdown = (prefix: string, rows: Row[], total: string | null, cover = false) => {
    const parts = rows.map((r) => cell(`${prefix}:${r.key}`, r.count));
    if (total) groups.push({ total, parts, cover });
  };
  const c = b.consultations;
  const ct = cell('consultations', c.total);
  for (const [name, rows] of [['door', c.byDoor], ['channel', c.byChannel], ['relation', c.byRelation], ['ageBand', c.byAgeBand], ['area', c.byArea], ['month', c.byMonth]] as const)
    breakdown(`consultations.${name}`, rows, ct);
  // every consultation counts under each of its issues (or 記録なし): together they cover the total, unless 要配慮 ones are left out
  breakdown('consultations.issue', c.byIssue, c.sensitiveIssuesHidden ? null : ct, true);
  const k = b.cases;
  breakdown('cases.openedByMonth', k.openedByMonth, cell('cases.opened', k.opened));
  groups.push({ total: cell('cases.plans', k.plans), parts: [cell('cases.plansInitial', k.plansInitial), cell('cases.plansRevised', k.plansRevised)] });
  breakdown('cases.closure', k.closuresByReason, cell('cases.closed', k.closed));
  const r = b.referrals;
  for (const s of STAGES) cell(`funnel.${s}`, r.funnel[s]);
  breakdown('sender', r.bySender, 'funnel.sent');
  breakdown('receiver', r.byReceiver, 'funnel.sent');
  breakdown('referrals.month', r.byMonth, 'funnel.sent');
  const flows = r.flows.map((f) => cell(`flow:${f.from.id}>${f.to.id}`, f.count));
  for (const [side, prefix] of [['from', 'sender'], ['to', 'receiver']] as const)
    for (const id of new Set(r.flows.map((f) => f[side].id)))
      groups.push({ total: `${prefix}:${id}`, parts: flows.filter((_, i) => r.flows[i][side].id === id) });
  for (const s of STAGES.slice(1))
    groups.push({ total: `funnel.${s}`, parts: r.perOrganization.map((o) => cell(`${s}:${o.organization.id}`, o[s])) });
  b.programs.forEach((p) => cell(`program:${p.program.id}`, p.referrals));

  const out = protectCells(values, groups, below);
  const v = (key: string) => out.get(key)!;
  const rows = (prefix: string, xs: Row[]) => xs.map((x) => ({ ...x, count: v(`${prefix}:${x.key}`) }));
  return {
    secondary: [...out.values()].includes(SECONDARY),
    body: {
      consultations: {
        total: v(ct), byDoor: rows('consultations.door', c.byDoor), byChannel: rows('consultations.channel', c.byChannel),
        byRelation: rows('consultations.relation', c.byRelation), byAgeBand: rows('consultations.ageBand', c.byAgeBand),
        byIssue: rows('consultations.issue', c.byIssue), byArea: rows('consultations.area', c.byArea), byMonth: rows('consultations.month', c.byMonth),
        sensitiveIssuesHidden: c.sensitiveIssuesHidden,
      },
      cases: {
        opened: v('cases.opened'), plansInitial: v('cases.plansInitial'), plansRevised: v('cases.plansRevised'), plans: v('cases.plans'), closed: v('cases.closed'),
        closuresByReason: rows('cases.closure', k.closuresByReason), openedByMonth: rows('cases.openedByMonth', k.openedByMonth),
      },
      referrals: {
        funnel: Object.fromEntries(STAGES.map((s) => [s, v(`funnel.${s}`)])) as Body['referrals']['funnel'],
        bySender: rows('sender', r.bySender), byReceiver: rows('receiver', r.byReceiver), byMonth: rows('referrals.month', r.byMonth),
        flows: r.flows.map((f, i) => ({ ...f, count: v(flows[i]) })),
        perOrganization: r.perOrganization.map((o, i) => ({
          ...o, sent: v(`receiver:${o.organization.id}`),
          ...Object.fromEntries(STAGES.slice(1).map((s) => [s, v(`${s}:${o.organization.id}`)])) as Omit<ReferralOrgFigures, 'organization' | 'sent' | 'medianDaysToAcceptance' | 'medianDaysToFirstContact'>,
          medianDaysToAcceptance: suppressMedian(o.medianDaysToAcceptance, b.medians[i].acceptedMeasured, below),
          medianDaysToFirstContact: suppressMedian(o.medianDaysToFirstContact, b.medians[i].firstContactMeasured, below),
        })),
      },
      programs: b.programs.map((p) => ({ ...p, referrals: v(`program:${p.program.id}`) })),
      medians: b.medians,
    },
  };
}

/** The body of a period as the view shows it: in publication, protected; the flag says whether any count was hidden to protect another. */
async function viewBody(db: Db, actor: Actor, scope: Scope, ctx: Context, period: Period, view: View, opts: StatsOptions): Promise<{ body: Body; secondary: boolean }> {
  const body = await readBody(db, actor, scope, ctx, period, view);
  return view === 'publication' ? protectBody(body, opts.suppressBelow) : { body, secondary: false };
}

/** The figures of a period for what the actor may count. */
export async function figuresFor({ db, clock }: Deps, actor: Actor, q: FiguresQuery, opts: StatsOptions): Promise<Figures> {
  const scope = scopeOf(actor);
  const mid = actor.municipalityId!;
  const period = periodOf(q, clock.now());
  const prev = previousPeriod(period);
  const view = q.view ?? 'internal';
  const below = view === 'publication' ? opts.suppressBelow : 1;
  const c = (n: number): Count => suppress(n, below);
  const ctx = await loadContext(db, mid);

  // the previous year is protected on its own, so that its totals here are the ones its own figures (and the years) show
  const [current, previous, meetings, activity] = await Promise.all([
    viewBody(db, actor, scope, ctx, period, view, opts), viewBody(db, actor, scope, ctx, prev, view, opts), readMeetings(db, actor, scope, period),
    scope.kind === 'municipality' ? programActivity(db, mid, period, c) : null,
  ]);
  const f = current.body;
  const p = previous.body;

  // whole calendar months count as such (a fiscal year is 12); other ranges by their days
  const wholeMonths = period.from.endsWith('-01') && addDays(period.to, 1).endsWith('-01');
  const months = wholeMonths
    ? monthsBetween(period.from, period.to).length
    : Math.round(((japanDayStart(addDays(period.to, 1)).getTime() - japanDayStart(period.from).getTime()) / 86_400_000 / (365.25 / 12)) * 100) / 100;
  const population = ctx.municipality.population;
  const per100k = (n: number) => (population && months > 0 ? Math.round((n / (population / 100_000) / months) * 10) / 10 : 0);
  const consultations = f.consultations.total;
  const plansInitial = f.cases.plansInitial;
  // a rate gives its count away (in a small town to the unit): none where the count is not shown
  const rates = population && scope.kind === 'municipality' && typeof consultations === 'number' && typeof plansInitial === 'number'
    ? { population, months, consultationsPer100kPerMonth: per100k(consultations), plansPer100kPerMonth: per100k(plansInitial) }
    : null;

  return {
    municipality: { id: ctx.municipality.id, name: ctx.municipality.name },
    period, previousPeriod: prev,
    scope: { kind: scope.kind, organization: scope.kind === 'organization' ? orgRef(ctx, scope.organizationId) : null },
    view, suppressBelow: view === 'publication' ? opts.suppressBelow : null,
    secondarySuppression: current.secondary || previous.secondary,
    consultations: f.consultations,
    cases: f.cases,
    referrals: f.referrals,
    meetings: {
      sessionsHeld: c(meetings.sessionsHeld), casesReviewed: c(meetings.casesReviewed), decisions: c(meetings.decisions),
      actionItemsDue: c(meetings.actionItemsDue), actionItemsDoneOnTime: c(meetings.actionItemsDoneOnTime),
    },
    programs: f.programs,
    programActivity: activity,
    rates,
    previous: {
      consultations: p.consultations.total, casesOpened: p.cases.opened, plans: p.cases.plans, closed: p.cases.closed, referralsSent: p.referrals.funnel.sent,
      consultationsByMonth: p.consultations.byMonth,
    },
  };
}

// ---- year over year -------------------------------------------------------------



const FY_OF = (col: string) => `extract(year from (${JST(col)} - interval '3 months'))::int`;

/** Totals per fiscal year, for the year-over-year chart and the fiscal-year switcher. */
export async function yearTotals({ db, clock }: Deps, actor: Actor, q: { until?: number; count?: number; view?: View }, opts: StatsOptions): Promise<Years> {
  const scope = scopeOf(actor);
  const mid = actor.municipalityId!;
  const current = fiscalYearOfDate(japanDate(clock.now()));
  const until = q.until ?? current;
  const count = q.count ?? 5;
  const first = until - count + 1;
  const below = q.view === 'publication' ? opts.suppressBelow : 1;
  const pr = predicates(scope);
  const args = params(actor, scope, japanDayStart(`${first}-04-01`), japanDayStart(`${until + 1}-04-01`));
  const grouped = async (sql: string) => {
    const { rows } = await db.query<{ fy: number; n: number }>(sql, args);
    return new Map(rows.map((r) => [Number(r.fy), Number(r.n)]));
  };
  const inRange = (col: string) => `${col} >= $2 AND ${col} < $3`;
  const [consultations, opened, plans, closed, referrals, earliest] = await Promise.all([
    grouped(`SELECT ${FY_OF('c.received_at')} AS fy, count(*)::int AS n FROM consultation c WHERE c.municipality_id = $1 AND ${inRange('c.received_at')} AND ${pr.consultation} GROUP BY 1`),
    grouped(`SELECT ${FY_OF('c.opened_at')} AS fy, count(*)::int AS n FROM support_case c WHERE c.municipality_id = $1 AND ${inRange('c.opened_at')} AND ${pr.kase} GROUP BY 1`),
    grouped(`SELECT ${FY_OF('sp.created_at')} AS fy, count(*)::int AS n FROM support_plan sp JOIN support_case c ON c.municipality_id = sp.municipality_id AND c.id = sp.case_id
             WHERE sp.municipality_id = $1 AND ${inRange('sp.created_at')} AND ${pr.kase} GROUP BY 1`),
    grouped(`SELECT ${FY_OF('c.closed_at')} AS fy, count(*)::int AS n FROM support_case c WHERE c.municipality_id = $1 AND ${inRange('c.closed_at')} AND ${pr.kase} GROUP BY 1`),
    grouped(`SELECT ${FY_OF('r.sent_at')} AS fy, count(*)::int AS n FROM referral r JOIN support_case c ON c.municipality_id = r.municipality_id AND c.id = r.case_id
             WHERE r.municipality_id = $1 AND ${inRange('r.sent_at')} AND ${pr.referral} GROUP BY 1`),
    // the switcher offers every year the municipality has records for (counts of none are shown)
    db.query<{ at: Date | null }>(
      'SELECT LEAST((SELECT min(received_at) FROM consultation WHERE municipality_id = $1), (SELECT min(opened_at) FROM support_case WHERE municipality_id = $1)) AS at', [mid]),
  ]);
  const firstWithRecords = earliest.rows[0].at ? fiscalYearOfDate(japanDate(earliest.rows[0].at)) : current;
  // in publication a year's totals are those its own figures show, protected with its breakdowns (a total may be hidden there)
  const published = new Map<number, YearTotals>();
  if (q.view === 'publication') {
    const ctx = await loadContext(db, mid);
    const years = Array.from({ length: until - first + 1 }, (_, i) => first + i);
    const bodies = await Promise.all(years.map((fy) => viewBody(db, actor, scope, ctx, fiscalYearPeriod(fy), 'publication', opts)));
    for (const [i, fy] of years.entries()) {
      const { body } = bodies[i];
      published.set(fy, {
        fiscalYear: fy, label: fiscalYearLabel(fy), labelEn: fiscalYearLabelEn(fy), consultations: body.consultations.total,
        casesOpened: body.cases.opened, plans: body.cases.plans, closed: body.cases.closed, referralsSent: body.referrals.funnel.sent,
      });
    }
  }
  const available = [];
  for (let fy = Math.max(current, until); fy >= Math.max(Math.min(firstWithRecords, until), current - 30); fy--)
    available.push({ fiscalYear: fy, label: fiscalYearLabel(fy), labelEn: fiscalYearLabelEn(fy) });
  const totals: YearTotals[] = [];
  for (let fy = first; fy <= until; fy++) {
    if (published.has(fy)) {
      totals.push(published.get(fy)!);
      continue;
    }
    const c = (m: Map<number, number>) => suppress(m.get(fy) ?? 0, below);
    totals.push({
      fiscalYear: fy, label: fiscalYearLabel(fy), labelEn: fiscalYearLabelEn(fy),
      consultations: c(consultations), casesOpened: c(opened), plans: c(plans), closed: c(closed), referralsSent: c(referrals),
    });
  }
  return { available, totals };
}

// ---- network health -------------------------------------------------------------




/**
 * Findings a coordinator can act on (issue #6 "Network health"):
 * - doors that brought no consultation in the period: the hub, organisations
 *   that own or run an active consultation or outreach program, any
 *   organisation that has ever been a door, and the welfare commissioners,
 *   whose route counts consultations by a welfare commissioner wherever they
 *   were recorded (the seed: none since 令和3年度);
 * - organisations holding referrals overdue today (not accepted, or no first contact, by the due date);
 * - organisations leading open cases with no contact for `noContactDays` days;
 * - active programs (events left out) nobody was referred to in the period.
 * Organisation staff see the findings about their own organisation only.
 */
export async function networkHealth({ db, clock }: Deps, actor: Actor, q: PeriodQuery & { noContactDays?: number }, opts: StatsOptions): Promise<Health> {
  const scope = scopeOf(actor);
  const mid = actor.municipalityId!;
  const now = clock.now();
  const period = periodOf(q, now);
  const days = q.noContactDays ?? opts.noContactDays;
  const today = japanDate(now);
  const ctx = await loadContext(db, mid);
  const { from, until } = instants(period);
  const fyQuery = period.fiscalYear !== null ? `fiscalYear=${period.fiscalYear}` : `from=${period.from}&to=${period.to}`;

  const [doors, overdue, quiet, unreferred] = await Promise.all([
    // one pass over the municipality's consultations, grouped by door, instead of a look-up per organisation
    db.query<{ id: string; kind: string; n: number; last_at: Date | null }>(
      `WITH per_door AS (
         SELECT c.door_organization_id AS id, count(*) FILTER (WHERE c.received_at >= $2)::int AS n, max(c.received_at) AS last_at
         FROM consultation c WHERE c.municipality_id = $1 AND c.received_at < $3 GROUP BY 1),
       by_commissioners AS (
         SELECT count(*) FILTER (WHERE c.received_at >= $2)::int AS n, max(c.received_at) AS last_at
         FROM consultation c WHERE c.municipality_id = $1 AND c.received_at < $3 AND c.consulter_relation = 'welfare_commissioner'),
       ever AS (SELECT DISTINCT c.door_organization_id AS id FROM consultation c WHERE c.municipality_id = $1)
       SELECT o.id, o.kind,
              COALESCE(d.n, 0) + CASE WHEN o.kind = 'welfare_commissioners' THEN w.n ELSE 0 END AS n,
              GREATEST(d.last_at, CASE WHEN o.kind = 'welfare_commissioners' THEN w.last_at END) AS last_at
       FROM organization o LEFT JOIN per_door d ON d.id = o.id CROSS JOIN by_commissioners w
       WHERE o.municipality_id = $1 AND o.active AND (
         o.hub OR o.kind = 'welfare_commissioners' OR o.id IN (SELECT id FROM ever)
         OR EXISTS (SELECT 1 FROM program p JOIN program_owner po ON po.municipality_id = p.municipality_id AND po.program_id = p.id AND po.active
                    WHERE p.municipality_id = o.municipality_id AND po.organization_id = o.id AND p.active AND p.status = 'active' AND p.kind IN ('consultation', 'outreach'))
         OR EXISTS (SELECT 1 FROM program p JOIN program_commission pc ON pc.municipality_id = p.municipality_id AND pc.program_id = p.id AND pc.active
                    WHERE p.municipality_id = o.municipality_id AND pc.contractor_id = o.id AND p.active AND p.status = 'active' AND p.kind IN ('consultation', 'outreach')))`,
      [mid, from, until]),
    db.query<{ id: string; n: number }>(
      `SELECT r.to_organization_id AS id, count(*)::int AS n FROM referral r
       WHERE r.municipality_id = $1 AND r.status IN ('sent', 'accepted') AND r.first_contact_due < $2::date GROUP BY 1`, [mid, today]),
    db.query<{ id: string; n: number }>(
      `SELECT c.lead_organization_id AS id, count(*)::int AS n FROM support_case c
       WHERE c.municipality_id = $1 AND c.status <> 'closed' AND COALESCE(c.last_contact_at, c.opened_at) < $2 GROUP BY 1`,
      [mid, new Date(now.getTime() - days * 86_400_000)]),
    db.query<{ id: string }>(
      `SELECT p.id FROM program p WHERE p.municipality_id = $1 AND p.active AND p.status = 'active' AND p.kind <> 'event'
         AND NOT EXISTS (SELECT 1 FROM referral r WHERE r.municipality_id = p.municipality_id AND r.to_program_id = p.id AND r.sent_at >= $2 AND r.sent_at < $3)
       ORDER BY p.key`, [mid, from, until]),
  ]);

  const findings: Finding[] = [];
  const base = { organization: null, program: null, lastAt: null, days: null };
  for (const d of doors.rows.filter((x) => x.n === 0).sort((a, b) => orgRef(ctx, a.id).name.localeCompare(orgRef(ctx, b.id).name, 'ja')))
    findings.push({ ...base, kind: 'quiet_door', organization: orgRef(ctx, d.id), count: 0, lastAt: d.last_at, link: `/organizations/${d.id}` });
  for (const o of overdue.rows.sort((a, b) => b.n - a.n))
    findings.push({ ...base, kind: 'overdue_referrals', organization: orgRef(ctx, o.id), count: o.n, link: `/stats/records?figure=overdue_referrals&by=receiver&key=${o.id}` });
  for (const o of quiet.rows.sort((a, b) => b.n - a.n))
    findings.push({ ...base, kind: 'no_contact', organization: orgRef(ctx, o.id), count: o.n, days, link: `/stats/records?figure=no_contact&by=lead&key=${o.id}&noContactDays=${days}` });
  for (const p of unreferred.rows) {
    const program = ctx.programs.get(p.id)!;
    const owner = program.contractors[0] ?? program.owners[0];
    findings.push({
      ...base, kind: 'program_without_referrals', program: programRef(ctx, p.id), organization: owner ? orgRef(ctx, owner.id) : null, count: 0,
      link: owner ? `/organizations/${owner.id}` : `/stats?${fyQuery}`,
    });
  }
  const visible = scope.kind === 'municipality'
    ? findings
    : findings.filter((f) => f.kind === 'program_without_referrals'
      ? [...ctx.programs.get(f.program!.id)!.owners, ...ctx.programs.get(f.program!.id)!.contractors].some((o) => o.id === scope.organizationId)
      : f.organization?.id === scope.organizationId);
  return { period, asOf: today, noContactDays: days, findings: visible };
}

// ---- drill-down -----------------------------------------------------------------


/** The dimension each figure may be narrowed by (`by` and `key`). */
export const DRILL_DIMENSIONS: Record<DrillFigure, readonly string[]> = {
  consultations: ['door', 'channel', 'relation', 'ageBand', 'issue', 'area', 'month'],
  cases_opened: ['lead', 'month'],
  plans: ['kind'],
  closures: ['reason'],
  referrals: ['sender', 'receiver', 'program', 'stage', 'flow', 'month'],
  overdue_referrals: ['receiver'],
  no_contact: ['lead'],
  reviewed_cases: [],
};

export interface DrillQuery extends PeriodQuery {
  figure: DrillFigure;
  by?: string;
  key?: string;
  noContactDays?: number;
  limit?: number;
}



/**
 * The records behind a figure, only those the actor may open: consultations
 * by the intake rule, cases at any access level but none (caseVisibleSql),
 * referrals that are theirs and whose case they see. A hidden case is never
 * listed, whatever the figure. The list is audited as a read of those records.
 */
export async function drillDown({ db, clock }: Deps, actor: Actor, q: DrillQuery, opts: StatsOptions): Promise<Drill> {
  if (actor.role !== 'hub_coordinator' && actor.role !== 'org_staff') throw forbidden('Only staff who work with records may open the records behind a figure.');
  const mid = actor.municipalityId!;
  const by = q.by ?? null;
  const key = q.key ?? null;
  if ((by === null) !== (key === null))
    throw badRequest('Give both by and key, or neither.', [{ field: by === null ? 'by' : 'key', message: 'Narrow a figure with a dimension (by) and its value (key).' }]);
  if (by !== null && !DRILL_DIMENSIONS[q.figure].includes(by))
    throw badRequest('This figure cannot be narrowed that way.', [{ field: 'by', message: `Use one of: ${DRILL_DIMENSIONS[q.figure].join(', ') || '(none)'}.` }]);
  const now = clock.now();
  const asOfNow = q.figure === 'overdue_referrals' || q.figure === 'no_contact';
  const period = asOfNow ? null : periodOf(q, now);
  const ctx = await loadContext(db, mid);
  if (by === 'issue' && key && ctx.issues.get(key)?.sensitive && !seesSensitive(actor))
    throw forbidden('Listing records by a 要配慮 issue needs the 要配慮 grant of your membership.');
  // the drill-down is always the actor's own: an organisation's staff see only what they may open
  const scope: Scope = actor.role === 'hub_coordinator' ? { kind: 'municipality' } : { kind: 'organization', organizationId: actor.organizationId! };
  const limit = q.limit ?? 200;
  const match = (v: string | string[]) => key === null || (Array.isArray(v) ? v.includes(key) : v === key);

  let records: DrillRecord[] = [];
  const caseLink = (id: string) => `/cases/${id}`;
  if (q.figure === 'consultations') {
    const rows = await readConsultations(db, actor, scope, period!);
    const refs = await references(db, mid, 'consultation', rows.map((r) => r.id));
    records = rows.filter((r) => by === null || match(consultationKeys(r)[by as keyof ReturnType<typeof consultationKeys>]))
      .map((r) => ({ type: 'consultation', id: r.id, reference: refs.get(r.id) ?? '', at: r.received_at, organization: orgRef(ctx, r.door_organization_id), status: null, caseId: null, link: `/consultations/${r.id}` }));
  } else if (q.figure === 'referrals') {
    const rows = await readReferrals(db, actor, scope, period!);
    const refs = await references(db, mid, 'case', rows.map((r) => r.case_id));
    records = rows.filter((r) => by === null || match(referralKeys(r)[by as keyof ReturnType<typeof referralKeys>]))
      .map((r) => ({ type: 'referral', id: r.id, reference: refs.get(r.case_id) ?? '', at: r.sent_at, organization: orgRef(ctx, r.to_organization_id), status: referralKeys(r).stage.at(-1)!, caseId: r.case_id, link: caseLink(r.case_id) }));
  } else if (q.figure === 'cases_opened' || q.figure === 'closures') {
    const rows = q.figure === 'cases_opened' ? await readCasesOpened(db, actor, scope, period!) : await readCasesClosed(db, actor, scope, period!);
    const refs = await references(db, mid, 'case', rows.map((r) => r.id));
    const keyOf = (r: CaseRow) => (by === 'lead' ? r.lead_organization_id : by === 'month' ? japanDate(r.at).slice(0, 7) : r.closure_reason?.trim() || UNKNOWN);
    records = rows.filter((r) => by === null || keyOf(r) === key)
      .map((r) => ({ type: 'case', id: r.id, reference: refs.get(r.id) ?? '', at: r.at, organization: orgRef(ctx, r.lead_organization_id), status: q.figure === 'closures' ? 'closed' : null, caseId: r.id, link: caseLink(r.id) }));
  } else if (q.figure === 'plans') {
    const rows = await readPlans(db, actor, scope, period!);
    const refs = await references(db, mid, 'case', rows.map((r) => r.case_id));
    records = rows.filter((r) => by === null || (r.plan_no === 1 ? 'initial' : 'revised') === key)
      .map((r) => ({ type: 'plan', id: r.id, reference: refs.get(r.case_id) ?? '', at: r.at, organization: null, status: r.plan_no === 1 ? 'initial' : 'revised', caseId: r.case_id, link: caseLink(r.case_id) }));
  } else {
    records = await drillNow(db, actor, scope, ctx, q.figure, key, q.noContactDays ?? opts.noContactDays, now, period);
  }
  const items = records.slice(0, limit);
  await recordAudit(db, clock, actor, {
    action: 'stats.drilldown', entityType: items[0]?.type === 'consultation' ? 'consultation' : items[0]?.type === 'referral' ? 'referral' : 'support_case',
    reason: 'figures: records behind a figure',
    details: { figure: q.figure, by, key, period: period ? { from: period.from, to: period.to } : null, count: items.length, total: records.length, ids: items.map((r) => r.id) },
  });
  return { figure: q.figure, by, key, period, total: records.length, items };
}

async function references(db: Db, mid: string, kind: 'consultation' | 'case', ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const table = kind === 'consultation' ? 'consultation' : 'support_case';
  const { rows } = await db.query<{ id: string; reference: string }>(`SELECT id, reference FROM ${table} WHERE municipality_id = $1 AND id = ANY($2::uuid[])`, [mid, [...new Set(ids)]]);
  return new Map(rows.map((r) => [r.id, r.reference]));
}

/** Figures counted as of today (overdue referrals, cases without contact) and the cases reviewed in meetings. */
async function drillNow(db: Db, actor: Actor, scope: Scope, ctx: Context, figure: DrillFigure, key: string | null, days: number, now: Date, period: Period | null): Promise<DrillRecord[]> {
  const pr = predicates(scope);
  const extra = scope.kind === 'organization' ? [actor.role, scope.organizationId] : [];
  if (figure === 'overdue_referrals') {
    const { rows } = await db.query<{ id: string; case_id: string; reference: string; sent_at: Date; to_organization_id: string; status: string }>(
      `SELECT r.id, r.case_id, c.reference, r.sent_at, r.to_organization_id, r.status FROM referral r
       JOIN support_case c ON c.municipality_id = r.municipality_id AND c.id = r.case_id
       WHERE r.municipality_id = $1 AND r.status IN ('sent', 'accepted') AND r.first_contact_due < $2::date AND ($3::uuid IS NULL OR r.to_organization_id = $3::uuid)
         AND ${pr.referral} ORDER BY r.first_contact_due, r.id`,
      [actor.municipalityId, japanDate(now), key && isUuid(key) ? key : null, ...extra]);
    return rows.map((r) => ({ type: 'referral', id: r.id, reference: r.reference, at: r.sent_at, organization: orgRef(ctx, r.to_organization_id), status: r.status, caseId: r.case_id, link: `/cases/${r.case_id}` }));
  }
  if (figure === 'no_contact') {
    const { rows } = await db.query<{ id: string; reference: string; at: Date; lead_organization_id: string; status: string }>(
      `SELECT c.id, c.reference, COALESCE(c.last_contact_at, c.opened_at) AS at, c.lead_organization_id, c.status FROM support_case c
       WHERE c.municipality_id = $1 AND c.status <> 'closed' AND COALESCE(c.last_contact_at, c.opened_at) < $2 AND ($3::uuid IS NULL OR c.lead_organization_id = $3::uuid)
         AND ${pr.kase} ORDER BY COALESCE(c.last_contact_at, c.opened_at), c.id`,
      [actor.municipalityId, new Date(now.getTime() - days * 86_400_000), key && isUuid(key) ? key : null, ...extra]);
    return rows.map((r) => ({ type: 'case', id: r.id, reference: r.reference, at: r.at, organization: orgRef(ctx, r.lead_organization_id), status: r.status, caseId: r.id, link: `/cases/${r.id}` }));
  }
  // reviewed_cases: distinct cases on the agenda of sessions held in the period
  const { from, until } = instants(period!);
  const { rows } = await db.query<{ id: string; reference: string; at: Date; lead_organization_id: string; status: string }>(
    `SELECT c.id, c.reference, max(s.starts_at) AS at, c.lead_organization_id, c.status FROM meeting_agenda_item a
     JOIN meeting_session s ON s.municipality_id = a.municipality_id AND s.id = a.session_id
     JOIN support_case c ON c.municipality_id = a.municipality_id AND c.id = a.case_id
     WHERE s.municipality_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 AND s.status = 'held' AND a.kind = 'case' AND ${pr.session} AND ${pr.kase}
     GROUP BY c.id, c.reference, c.lead_organization_id, c.status ORDER BY max(s.starts_at), c.id`,
    [actor.municipalityId, from, until, ...extra]);
  return rows.map((r) => ({ type: 'case', id: r.id, reference: r.reference, at: r.at, organization: orgRef(ctx, r.lead_organization_id), status: r.status, caseId: r.id, link: `/cases/${r.id}` }));
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);

/** Records an export of figures in the audit (no personal data, but who took which figures out is kept). */
export async function auditExport({ db, clock }: Deps, actor: Actor, f: Figures, format: string): Promise<void> {
  await recordAudit(db, clock, actor, {
    action: 'stats.export', entityType: 'statistics', reason: 'figures export',
    details: { format, view: f.view, period: { from: f.period.from, to: f.period.to }, scope: f.scope.kind, organizationId: f.scope.organization?.id ?? null },
  });
}
