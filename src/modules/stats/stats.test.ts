import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, MUSASHINO_ID, orgId, programId, signInAs, TEST_SHARE_BASIS, TEST_TOTP_SECRET } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/context.ts';
import { currentCode } from '../auth/mfa.ts';
import { caseAccess, changeCaseStatus, createPlan, openCase } from '../cases/service.ts';
import { recordConsultation, type ConsultationInput } from '../intake/service.ts';
import { advanceReferral, sendReferral } from '../referrals/service.ts';
import { recordDropInDay } from '../programs/events.ts';

/**
 * A known set of consultations, cases, plans, referrals and meetings across
 * FY2023 (令和5年度) and FY2024 (令和6年度), with records on the last minutes
 * of 31 March and the first of 1 April in Japan, and every figure checked
 * against what was counted by hand.
 */

let t: TestDb;
let app: App;
const clock = new FakeClock('2023-06-01T00:00:00Z');
const deps = () => ({ db: t.db, clock });
type H = Record<string, string>;

const actorAt = (org: string, role: 'hub_coordinator' | 'org_staff', userId: string): Actor =>
  ({ userId, login: null, municipalityId: MUSASHINO_ID, organizationId: orgId(org), role, sensitiveAccess: true });

const ids: Record<string, string> = {};
let areaA: string;
let areaB: string;
let hub: Actor;
let soreiyuStaff: Actor;
let mirairuStaff: Actor;
let headers: { hub: H; hubPlain: H; auditor: H; soreiyu: H; mirairu: H; officer: H };

async function consult(at: string, input: Partial<ConsultationInput>) {
  clock.set(new Date(new Date(at).getTime() + 60_000));
  const c = await recordConsultation(deps(), hub, {
    receivedAt: at, channel: 'phone', consulterRelation: 'family', issueTags: [], summary: '統計テスト', urgency: 'normal', ...input,
  });
  return c.id;
}

async function caseAt(at: string, consultationId: string, lead: string) {
  clock.set(at);
  return (await openCase(deps(), hub, { person: { name: `統計 ${Object.keys(ids).length}`, nameKana: 'とうけい' }, consultationIds: [consultationId], leadOrganizationId: orgId(lead) })).id;
}

async function refer(at: string, caseId: string, to: { org?: string; program?: string }, due: string) {
  clock.set(at);
  return sendReferral(deps(), hub, caseId, {
    toOrganizationId: to.org ? orgId(to.org) : undefined, toProgramId: to.program ? programId(to.program) : undefined,
    reason: 'テスト', sharedSummary: 'テスト', urgency: 'normal', firstContactDue: due, legalBasis: TEST_SHARE_BASIS,
  });
}

async function move(at: string, actor: Actor, referral: { id: string }, status: 'accepted' | 'declined' | 'first_contact' | 'completed', note?: string) {
  clock.set(at);
  const { rows } = await t.db.query<{ version: number }>('SELECT version FROM referral WHERE id = $1', [referral.id]);
  await advanceReferral(deps(), actor, referral.id, { version: rows[0].version, status, note });
}

async function plan(at: string, caseId: string) {
  clock.set(at);
  await createPlan(deps(), hub, caseId, { goals: [{ kind: 'long', text: '目標' }], actions: [], reviewDate: '2026-01-01', personAgreed: false });
}

async function close(at: string, caseId: string, reason: string) {
  clock.set(at);
  const { rows } = await t.db.query<{ version: number }>('SELECT version FROM support_case WHERE id = $1', [caseId]);
  await changeCaseStatus(deps(), hub, caseId, { version: rows[0].version, status: 'closed', closureReason: reason });
}

/** Meetings have no service yet: sessions, agenda items, decisions and action items written as migration 0024 holds them. */
async function meetings() {
  const { rows: [series] } = await t.db.query<{ id: string }>("SELECT id FROM meeting_series WHERE municipality_id = $1 AND key = 'support-coordination-meeting'", [MUSASHINO_ID]);
  const session = async (startsAt: string, status: string) => {
    const id = randomUUID();
    const s = new Date(startsAt);
    await t.db.query(
      `INSERT INTO meeting_session (municipality_id, id, series_id, starts_at, ends_at, status, share_from, share_until, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $4, $5, $4)`, [MUSASHINO_ID, id, series.id, s, new Date(s.getTime() + 3_600_000), status]);
    return id;
  };
  let position = 0;
  const agenda = async (sessionId: string, kind: 'case' | 'topic', caseId: string | null) => t.db.query(
    `INSERT INTO meeting_agenda_item (municipality_id, id, session_id, position, kind, case_id, reason, title, label, added_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'added', $7, $8, now())`, [MUSASHINO_ID, randomUUID(), sessionId, ++position, kind, caseId, kind === 'topic' ? '議題' : null, `事例${position}`]);
  const action = async (sessionId: string, due: string, status: string, doneAt: string | null) => t.db.query(
    `INSERT INTO meeting_action_item (municipality_id, id, session_id, organization_id, description, due_on, status, done_at, created_at)
     VALUES ($1, $2, $3, $4, '対応', $5, $6, $7, now())`, [MUSASHINO_ID, randomUUID(), sessionId, orgId('welfare-desk'), due, status, doneAt]);
  // FY2023: one session held, reviewing K1
  const s3 = await session('2024-03-10T01:00:00Z', 'held');
  await agenda(s3, 'case', ids.K1);
  // FY2024: one held session (K1, K2 twice, a topic; two decisions; action items), one only scheduled
  const s1 = await session('2024-06-15T01:00:00Z', 'held');
  await agenda(s1, 'case', ids.K1);
  await agenda(s1, 'case', ids.K2);
  await agenda(s1, 'case', ids.K2);
  await agenda(s1, 'topic', null);
  for (const text of ['決定1', '決定2'])
    await t.db.query('INSERT INTO meeting_decision (municipality_id, id, session_id, text, recorded_at) VALUES ($1, $2, $3, $4, now())', [MUSASHINO_ID, randomUUID(), s1, text]);
  await action(s1, '2024-07-01', 'done', '2024-07-01T14:00:00Z'); // 23:00 on 1 July in Japan: on time
  await action(s1, '2024-07-01', 'done', '2024-07-01T15:30:00Z'); // 00:30 on 2 July in Japan: late
  await action(s1, '2024-07-10', 'open', null);
  await action(s1, '2024-07-10', 'cancelled', null); // not counted
  await action(s1, '2025-04-01', 'open', null); // due in FY2025
  const s2 = await session('2024-07-15T01:00:00Z', 'scheduled');
  await agenda(s2, 'case', ids.K3);
}

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db, clock);
  app = await buildTestApp(t.db, { clock });
  const u = async (org: string, role: 'hub_coordinator' | 'org_staff' | 'auditor' | 'privacy_officer', sensitive = true) => buildUser(t.db, { org, role, clock, sensitive });
  const hubUser = await u('welfare-desk', 'hub_coordinator');
  const soreiyuUser = await u('soreiyu', 'org_staff');
  const mirairuUser = await u('mirairu', 'org_staff');
  hub = actorAt('welfare-desk', 'hub_coordinator', hubUser.id);
  soreiyuStaff = actorAt('soreiyu', 'org_staff', soreiyuUser.id);
  mirairuStaff = actorAt('mirairu', 'org_staff', mirairuUser.id);
  const { rows } = await t.db.query<{ id: string }>('SELECT id FROM area WHERE municipality_id = $1 ORDER BY key LIMIT 2', [MUSASHINO_ID]);
  [areaA, areaB] = rows.map((r) => r.id);
  await t.db.query('UPDATE municipality SET population = 150000 WHERE id = $1', [MUSASHINO_ID]);

  // consultations
  ids.c1 = await consult('2023-06-10T01:00:00Z', { doorOrganizationId: orgId('welfare-desk'), channel: 'phone', consulterRelation: 'family', age: 45, issueTags: ['hikikomori', '8050'], areaId: areaA });
  // 23:30 on 31 March 2024 in Japan: the last of FY2023
  ids.c2 = await consult('2024-03-31T14:30:00Z', { doorOrganizationId: orgId('community-support-section'), channel: 'visit', consulterRelation: 'welfare_commissioner', ageBand: { min: 40, max: 49 }, issueTags: ['hikikomori'] });
  // 00:10 on 1 April 2024 in Japan: the first of FY2024
  ids.c3 = await consult('2024-03-31T15:10:00Z', { doorOrganizationId: orgId('welfare-desk'), channel: 'phone', consulterRelation: 'self', age: 19, issueTags: ['school_non_attendance'], areaId: areaA });
  ids.c4 = await consult('2024-07-15T01:00:00Z', { doorOrganizationId: orgId('health-centre'), channel: 'email', consulterRelation: 'family', ageBand: { min: 15, max: 39 }, issueTags: ['hikikomori', 'mental_health'], areaId: areaB });
  // 23:59:59 on 31 March 2025 in Japan: still FY2024
  ids.c5 = await consult('2025-03-31T14:59:59Z', { doorOrganizationId: orgId('welfare-desk'), channel: 'via_organization', consulterRelation: 'organization', age: 62 });
  // midnight on 1 April 2025 in Japan: FY2025
  ids.c6 = await consult('2025-03-31T15:00:00Z', { doorOrganizationId: orgId('welfare-desk'), channel: 'phone', consulterRelation: 'self' });

  // cases, referrals, plans and closures, in time order
  clock.set('2023-06-10T02:00:00Z');
  ids.K1 = await caseAt('2023-06-10T02:00:00Z', ids.c1, 'welfare-desk');
  const r1 = await refer('2024-03-20T01:00:00Z', ids.K1, { org: 'soreiyu' }, '2024-04-30');
  await move('2024-03-22T01:00:00Z', soreiyuStaff, r1, 'accepted');
  await plan('2024-03-31T10:00:00Z', ids.K1); // FY2023
  await move('2024-04-05T01:00:00Z', soreiyuStaff, r1, 'first_contact');
  ids.K2 = await caseAt('2024-03-31T15:30:00Z', ids.c2, 'welfare-desk'); // 00:30 on 1 April in Japan: FY2024
  const r2 = await refer('2024-04-10T01:00:00Z', ids.K2, { org: 'soreiyu' }, '2024-05-31');
  await move('2024-04-13T01:00:00Z', soreiyuStaff, r2, 'accepted');
  await move('2024-04-20T01:00:00Z', soreiyuStaff, r2, 'first_contact');
  await plan('2024-05-01T01:00:00Z', ids.K1); // re-plan
  const r3 = await refer('2024-05-01T02:00:00Z', ids.K2, { org: 'mirairu' }, '2024-05-31');
  await move('2024-05-02T01:00:00Z', mirairuStaff, r3, 'declined', '対象外');
  await move('2024-06-01T01:00:00Z', soreiyuStaff, r1, 'completed');
  await plan('2024-06-01T02:00:00Z', ids.K2);
  ids.K3 = await caseAt('2024-08-01T01:00:00Z', ids.c3, 'self-reliance-agency');
  ids.r4 = (await refer('2024-09-01T01:00:00Z', ids.K3, { program: 'work-readiness-support' }, '2024-09-10')).id; // never accepted: overdue
  const r5 = await refer('2024-10-01T01:00:00Z', ids.K3, { org: 'soreiyu' }, '2024-10-31');
  await move('2024-10-02T01:00:00Z', soreiyuStaff, r5, 'accepted');
  await move('2024-10-06T01:00:00Z', soreiyuStaff, r5, 'first_contact');
  await close('2024-12-01T01:00:00Z', ids.K3, '転居');
  await close('2025-03-31T14:00:00Z', ids.K1, '就労により終結'); // 23:00 on 31 March 2025 in Japan
  Object.assign(ids, { r1: r1.id, r2: r2.id, r3: r3.id, r5: r5.id });
  await meetings();

  clock.set('2025-05-01T01:00:00Z');
  const sign = async (login: string) => (await signInAs(app, login, undefined, clock)).headers;
  headers = {
    hub: await sign(hubUser.login), hubPlain: await sign((await u('welfare-desk', 'hub_coordinator', false)).login), auditor: await sign((await u('welfare-desk', 'auditor')).login),
    soreiyu: await sign(soreiyuUser.login), mirairu: await sign(mirairuUser.login), officer: await sign((await u('livelihood-welfare-section', 'privacy_officer')).login),
  };
});
after(async () => {
  await app?.close();
  await t?.close();
});

async function get(h: H, url: string, status = 200) {
  const res = await app.inject({ method: 'GET', url, headers: h });
  assert.equal(res.statusCode, status, `${url}: ${res.body}`);
  return res;
}
const json = async (h: H, url: string) => (await get(h, url)).json();
type R = { key: string; label: string; count: number | string };
const counts = (rows: R[], opts: { zeros?: boolean } = {}) => Object.fromEntries(rows.filter((r) => opts.zeros || r.count !== 0).map((r) => [r.key, r.count]));

describe('figures by fiscal year', () => {
  test('令和6年度 as the hub counts every record of FY2024, the boundaries in Japan time included', async () => {
    const f = await json(headers.hub, '/api/stats?fiscalYear=2024');
    assert.deepEqual(f.period, { from: '2024-04-01', to: '2025-03-31', fiscalYear: 2024, label: '令和6年度', labelEn: 'FY2024 (April 2024 – March 2025)' });
    const c = f.consultations;
    assert.equal(c.total, 3, 'c3 (00:10 on 1 April), c4, c5 (23:59:59 on 31 March); not c2 (31 March 2024) nor c6 (1 April 2025)');
    assert.deepEqual(counts(c.byDoor), { [orgId('welfare-desk')]: 2, [orgId('health-centre')]: 1 });
    assert.deepEqual(counts(c.byChannel), { phone: 1, email: 1, via_organization: 1 });
    assert.equal(c.byChannel.length, 6, 'every channel is listed, zeros included');
    assert.deepEqual(counts(c.byRelation), { self: 1, family: 1, organization: 1 });
    assert.equal(counts(c.byRelation, { zeros: true }).welfare_commissioner, 0);
    assert.deepEqual(counts(c.byAgeBand), { under20: 1, '60plus': 1, unknown: 1 }, '19 → 19 and under; 62 → 60 and over; a band of 15–39 → unknown');
    assert.deepEqual(counts(c.byIssue), { school_non_attendance: 1, hikikomori: 1, mental_health: 1, unknown: 1 });
    assert.deepEqual(counts(c.byArea), { [areaA]: 1, [areaB]: 1, unknown: 1 });
    assert.deepEqual(counts(c.byMonth), { '2024-04': 1, '2024-07': 1, '2025-03': 1 });
    assert.equal(c.byMonth.length, 12);
    assert.equal(c.byMonth[0].label, '令和6年4月');

    assert.deepEqual({ ...f.cases, closuresByReason: counts(f.cases.closuresByReason), openedByMonth: counts(f.cases.openedByMonth) }, {
      opened: 2, plansInitial: 1, plansRevised: 1, plans: 2, closed: 2,
      closuresByReason: { 就労により終結: 1, 転居: 1 }, openedByMonth: { '2024-04': 1, '2024-08': 1 },
    }, 'K2 (00:30 on 1 April) and K3 opened; K2’s first plan and K1’s re-plan; K3 and K1 (23:00 on 31 March 2025) closed');

    const r = f.referrals;
    assert.deepEqual(r.funnel, { sent: 4, accepted: 2, firstContact: 2, completed: 0, declined: 1, returned: 0 }, 'the FY2024 cohort: r2, r3, r4, r5');
    assert.deepEqual(counts(r.bySender), { [orgId('welfare-desk')]: 4 });
    assert.deepEqual(counts(r.byReceiver), { [orgId('soreiyu')]: 2, [orgId('mirairu')]: 1, [orgId('self-reliance-agency')]: 1 });
    const soreiyu = r.perOrganization.find((o: { organization: { id: string } }) => o.organization.id === orgId('soreiyu'));
    assert.deepEqual(soreiyu, {
      organization: soreiyu.organization, sent: 2, accepted: 2, firstContact: 2, completed: 0, declined: 0, returned: 0,
      medianDaysToAcceptance: 2, medianDaysToFirstContact: 7.5,
    }, 'accepted after 3 and 1 days, first contact after 10 and 5');
    const flows = r.flows.map((x: { from: { id: string }; to: { id: string }; count: number }) => [x.from.id, x.to.id, x.count]);
    assert.deepEqual(flows[0], [orgId('welfare-desk'), orgId('soreiyu'), 2], 'the largest flow first');
    assert.equal(flows.length, 3);

    assert.deepEqual(f.meetings, { sessionsHeld: 1, casesReviewed: 2, decisions: 2, actionItemsDue: 3, actionItemsDoneOnTime: 1 });
    const programs = Object.fromEntries(f.programs.map((p: { program: { id: string }; referrals: number }) => [p.program.id, p.referrals]));
    assert.equal(programs[programId('work-readiness-support')], 1);
    assert.equal(programs[programId('mirairu-drop-in')], 0, 'programs nobody was referred to are listed with 0');
    assert.deepEqual(
      { consultations: f.previous.consultations, casesOpened: f.previous.casesOpened, plans: f.previous.plans, closed: f.previous.closed, referralsSent: f.previous.referralsSent },
      { consultations: 2, casesOpened: 1, plans: 1, closed: 0, referralsSent: 1 },
    );
    assert.equal(f.previousPeriod.label, '令和5年度');
    // per 100,000 population per month (DOMAIN.md §2), with the population the test gave Musashino
    assert.deepEqual(f.rates, { population: 150_000, months: 12, consultationsPer100kPerMonth: 0.2, plansPer100kPerMonth: 0.1 });
  });

  test('what the programs did in the year is counted municipality-wide, with small counts suppressed for publication', async () => {
    await recordDropInDay(deps(), mirairuStaff, { programId: programId('mirairu-drop-in'), day: '2024-06-01', visitors: 5, firstTimers: 2 });
    await recordDropInDay(deps(), mirairuStaff, { programId: programId('mirairu-drop-in'), day: '2023-06-01', visitors: 9, firstTimers: 9 }); // FY2023
    const rows = (f: { programActivity: { events: { key: string; count: number | string }[] } }) => Object.fromEntries(f.programActivity.events.map((r) => [r.key, r.count]));
    const f = await json(headers.hub, '/api/stats?fiscalYear=2024');
    assert.deepEqual([rows(f)['dropin:days'], rows(f)['dropin:visitors'], rows(f)['dropin:first']], [1, 5, 2]);
    assert.equal(f.programActivity.outreach.find((r: { key: string }) => r.key === 'enrolled').count, 0);
    const pub = await json(headers.hub, '/api/stats?fiscalYear=2024&view=publication');
    assert.deepEqual([rows(pub)['dropin:days'], rows(pub)['dropin:visitors']], ['<3', 5]);
    assert.equal((await json(headers.soreiyu, '/api/stats?fiscalYear=2024')).programActivity, null, 'an organisation counts only its own');
  });

  test('令和5年度 counts what happened up to 23:59 on 31 March 2024 in Japan', async () => {
    const f = await json(headers.hub, '/api/stats?fiscalYear=2023');
    assert.equal(f.consultations.total, 2);
    assert.deepEqual(counts(f.consultations.byRelation), { family: 1, welfare_commissioner: 1 });
    assert.deepEqual(counts(f.consultations.byAgeBand), { '40s': 2 }, 'age 45, and the band 40–49');
    assert.deepEqual({ opened: f.cases.opened, plansInitial: f.cases.plansInitial, plansRevised: f.cases.plansRevised, closed: f.cases.closed }, { opened: 1, plansInitial: 1, plansRevised: 0, closed: 0 });
    assert.deepEqual(f.referrals.funnel, { sent: 1, accepted: 1, firstContact: 1, completed: 1, declined: 0, returned: 0 }, 'r1, followed into the next year');
    const soreiyu = f.referrals.perOrganization[0];
    assert.equal(soreiyu.medianDaysToAcceptance, 2);
    assert.equal(soreiyu.medianDaysToFirstContact, 16);
    assert.deepEqual(f.meetings, { sessionsHeld: 1, casesReviewed: 1, decisions: 0, actionItemsDue: 0, actionItemsDoneOnTime: 0 });
  });

  test('a range of dates counts its days inclusive; the whole fiscal year as a range is that fiscal year', async () => {
    const f = await json(headers.hub, '/api/stats?from=2024-03-31&to=2024-04-01');
    assert.equal(f.consultations.total, 2, 'c2 and c3, on either side of midnight');
    assert.equal(f.period.fiscalYear, null);
    assert.equal((await json(headers.hub, '/api/stats?from=2024-04-01&to=2025-03-31')).period.label, '令和6年度');
    assert.equal((await get(headers.hub, '/api/stats?from=2024-05-01&to=2024-04-01', 400)).json().fields[0].field, 'to');
    assert.equal((await get(headers.hub, '/api/stats?fiscalYear=2024&from=2024-05-01&to=2024-06-01', 400)).json().fields[0].field, 'fiscalYear');
  });

  test('year over year: totals per fiscal year and the years with records for the switcher', async () => {
    const y = await json(headers.hub, '/api/stats/years?until=2025&count=3');
    assert.deepEqual(y.totals.map((x: Record<string, unknown>) => [x.label, x.consultations, x.casesOpened, x.plans, x.closed, x.referralsSent]), [
      ['令和5年度', 2, 1, 1, 0, 1], ['令和6年度', 3, 2, 2, 2, 4], ['令和7年度', 1, 0, 0, 0, 0],
    ]);
    assert.deepEqual(y.available.map((x: { fiscalYear: number }) => x.fiscalYear), [2025, 2024, 2023]);
  });

  test('users without the 要配慮 grant do not see figures by a sensitive issue, nor list records by it', async () => {
    const f = await json(headers.hubPlain, '/api/stats?fiscalYear=2024');
    assert.equal(counts(f.consultations.byIssue).mental_health, undefined);
    assert.equal(f.consultations.sensitiveIssuesHidden, true);
    await get(headers.hubPlain, '/api/stats/records?figure=consultations&by=issue&key=mental_health&fiscalYear=2024', 403);
    const d = await json(headers.hub, '/api/stats/records?figure=consultations&by=issue&key=mental_health&fiscalYear=2024');
    assert.deepEqual(d.items.map((i: { id: string }) => i.id), [ids.c4]);
  });
});

describe('network health', () => {
  test('quiet doors, the welfare commissioners’ route, overdue referrals, cases without contact, programs nobody was referred to', async () => {
    const h = await json(headers.hub, '/api/stats/health?fiscalYear=2024');
    const find = (kind: string, org: string) => h.findings.find((f: { kind: string; organization: { id: string } | null }) => f.kind === kind && f.organization?.id === orgId(org));
    const commissioners = find('quiet_door', 'welfare-commissioners');
    assert.ok(commissioners, 'no consultation brought by a welfare commissioner in FY2024');
    assert.equal(commissioners.lastAt, '2024-03-31T14:30:00.000Z', 'the last one: c2, on 31 March 2024');
    assert.ok(find('quiet_door', 'community-support-section'));
    assert.equal(find('quiet_door', 'welfare-desk'), undefined);
    assert.equal(find('quiet_door', 'health-centre'), undefined);
    const overdue = find('overdue_referrals', 'self-reliance-agency');
    assert.equal(overdue.count, 1);
    assert.equal(h.findings.filter((f: { kind: string }) => f.kind === 'overdue_referrals').length, 1);
    const quiet = find('no_contact', 'welfare-desk');
    assert.equal(quiet.count, 1, 'K2 has had no contact since it opened');
    const unreferred = h.findings.filter((f: { kind: string }) => f.kind === 'program_without_referrals').map((f: { program: { id: string } }) => f.program.id);
    assert.ok(unreferred.includes(programId('mirairu-drop-in')));
    assert.ok(!unreferred.includes(programId('work-readiness-support')));
    // each links to what it counts
    const listed = await json(headers.hub, overdue.link.replace('/stats/records', '/api/stats/records'));
    assert.deepEqual(listed.items.map((i: { id: string }) => i.id), [ids.r4]);
    const cases = await json(headers.hub, quiet.link.replace('/stats/records', '/api/stats/records'));
    assert.deepEqual(cases.items.map((i: { id: string }) => i.id), [ids.K2]);
    assert.equal(commissioners.link, `/organizations/${orgId('welfare-commissioners')}`);
  });

  test('organisation staff see the findings about their own organisation only', async () => {
    const h = await json(headers.soreiyu, '/api/stats/health?fiscalYear=2024');
    assert.ok(h.findings.every((f: { organization: { id: string } | null }) => f.organization?.id === orgId('soreiyu')));
  });
});

describe('who counts what', () => {
  test('organisation staff count only what their organisation may see', async () => {
    const f = await json(headers.soreiyu, '/api/stats?fiscalYear=2024');
    assert.equal(f.scope.kind, 'organization');
    assert.equal(f.consultations.total, 0, 'no consultation passed through soreiyu');
    assert.deepEqual(f.referrals.funnel, { sent: 2, accepted: 2, firstContact: 2, completed: 0, declined: 0, returned: 0 }, 'the referrals it received');
    assert.equal(f.cases.opened, 2, 'K2 and K3, where it takes part');
    assert.equal(f.rates, null);
    assert.deepEqual(f.meetings.actionItemsDue, 0);

    const m = await json(headers.mirairu, '/api/stats?fiscalYear=2024');
    assert.equal(m.referrals.funnel.sent, 0, 'mirairu declined r3 and no longer sees K2: not counted');
    assert.equal(m.cases.opened, 0);
  });

  test('a drill-down never lists a case the user may not see', async () => {
    // mirairu declined the referral of K2: K2 is hidden from it in every list
    assert.equal(await caseAccess(deps(), mirairuStaff, ids.K2), 'none');
    for (const url of ['figure=referrals', 'figure=cases_opened', 'figure=closures', 'figure=plans', 'figure=reviewed_cases', 'figure=no_contact', 'figure=overdue_referrals']) {
      const d = await json(headers.mirairu, `/api/stats/records?${url}&fiscalYear=2024`);
      assert.ok(d.items.every((i: { caseId: string | null }) => i.caseId !== ids.K2), `${url} listed a hidden case`);
      assert.equal(d.total, d.items.length);
    }
    // soreiyu sees exactly the cases where it takes part, as the case list would
    const d = await json(headers.soreiyu, '/api/stats/records?figure=cases_opened&fiscalYear=2024');
    for (const i of d.items) assert.notEqual(await caseAccess(deps(), soreiyuStaff, i.caseId), 'none');
    assert.deepEqual(d.items.map((i: { id: string }) => i.id).sort(), [ids.K2, ids.K3].sort());
    // the drill-down is audited with the records it returned
    const { rows } = await t.db.query<{ details: { ids: string[] } }>("SELECT details FROM audit_event WHERE action = 'stats.drilldown' AND actor_user_id = $1 ORDER BY seq DESC LIMIT 1", [soreiyuStaff.userId]);
    assert.deepEqual(rows[0].details.ids.sort(), [ids.K2, ids.K3].sort());
  });

  test('the hub’s drill-down lists exactly the records a figure counts', async () => {
    const f = await json(headers.hub, '/api/stats?fiscalYear=2024');
    for (const row of f.consultations.byDoor as R[]) {
      const d = await json(headers.hub, `/api/stats/records?figure=consultations&by=door&key=${row.key}&fiscalYear=2024`);
      assert.equal(d.total, row.count);
    }
    const accepted = await json(headers.hub, '/api/stats/records?figure=referrals&by=stage&key=accepted&fiscalYear=2024');
    assert.deepEqual(accepted.items.map((i: { id: string }) => i.id).sort(), [ids.r2, ids.r5].sort());
    const reviewed = await json(headers.hub, '/api/stats/records?figure=reviewed_cases&fiscalYear=2024');
    assert.deepEqual(reviewed.items.map((i: { id: string }) => i.id).sort(), [ids.K1, ids.K2].sort());
  });

  test('auditors count the municipality but open no records; privacy officers see no figures', async () => {
    assert.equal((await json(headers.auditor, '/api/stats?fiscalYear=2024')).consultations.total, 3);
    await get(headers.auditor, '/api/stats/records?figure=consultations&fiscalYear=2024', 403);
    await get(headers.officer, '/api/stats?fiscalYear=2024', 403);
  });

  test('figures for publication show counts of 1 and 2 as "<3", keep 0, and drop medians over few and free-text reasons', async () => {
    const f = await json(headers.hub, '/api/stats?fiscalYear=2024&view=publication');
    assert.equal(f.suppressBelow, 3);
    assert.deepEqual(counts(f.consultations.byDoor), { [orgId('welfare-desk')]: '<3', [orgId('health-centre')]: '<3' });
    assert.equal(counts(f.consultations.byRelation, { zeros: true }).welfare_commissioner, 0);
    assert.equal(f.referrals.funnel.accepted, '<3');
    assert.ok(f.referrals.perOrganization.every((o: { medianDaysToAcceptance: number | null }) => o.medianDaysToAcceptance === null));
    assert.deepEqual(f.cases.closuresByReason, []);
  });

  test('figures for publication hide a total that would give the small counts away, everywhere it is shown', async () => {
    const f = await json(headers.hub, '/api/stats?fiscalYear=2024&view=publication');
    // three consultations by three channels: "3" beside 「<3」「<3」「<3」 says each is 1
    assert.deepEqual(counts(f.consultations.byChannel), { phone: '<3', email: '<3', via_organization: '<3' });
    assert.equal(f.consultations.total, '—');
    // four referrals in four months, and the one sender's count is that total again: both hidden
    assert.deepEqual(counts(f.referrals.byMonth), { '2024-04': '<3', '2024-05': '<3', '2024-09': '<3', '2024-10': '<3' });
    assert.equal(f.referrals.funnel.sent, '—');
    assert.deepEqual(counts(f.referrals.bySender), { [orgId('welfare-desk')]: '—' });
    assert.ok(f.referrals.flows.every((x: { count: unknown }) => x.count === '<3'));
    // two consultations by two doors could be 1 + 1 only, but nothing is left to hide: the total stays "<3"
    assert.equal(f.previous.consultations, '<3');
    assert.equal(f.rates, null, 'a rate would give the hidden total away');
    assert.equal(f.secondarySuppression, true);
    const y = await json(headers.hub, '/api/stats/years?until=2024&count=2&view=publication');
    assert.deepEqual(y.totals.map((x: { consultations: unknown; referralsSent: unknown }) => [x.consultations, x.referralsSent]), [['<3', '<3'], ['—', '—']],
      'the years show the totals as each year’s figures do');
    const internal = await json(headers.hub, '/api/stats?fiscalYear=2024');
    assert.equal(internal.secondarySuppression, false);
    assert.equal(internal.consultations.total, 3);
  });
});

describe('exports', () => {
  let stepped = false;
  async function stepUp() {
    if (stepped) return;
    const res = await app.inject({ method: 'POST', url: '/api/session/step-up', headers: headers.hub, payload: { code: currentCode(TEST_TOTP_SECRET, clock.now()) } });
    assert.equal(res.statusCode, 204, res.body);
    stepped = true;
  }

  test('an export asks for the second factor again first', async () => {
    const res = await get(headers.soreiyu, '/api/stats/export.xlsx?fiscalYear=2024', 403);
    assert.equal(res.json().code, 'step_up_required');
  });

  test('the xlsx opens, has a sheet per breakdown with Japanese headers and the 年度 in 和暦, and its numbers equal the API’s', async () => {
    await stepUp();
    const api = await json(headers.hub, '/api/stats?fiscalYear=2024');
    const res = await get(headers.hub, '/api/stats/export.xlsx?fiscalYear=2024');
    assert.match(String(res.headers['content-type']), /spreadsheetml/);
    assert.match(String(res.headers['content-disposition']), /tsunagu-figures-FY2024\.xlsx/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = (name: string) => {
      const ws = wb.getWorksheet(name);
      assert.ok(ws, `sheet ${name}`);
      const rows = ws.getSheetValues().slice(1) as unknown[][];
      return rows.map((r) => r.slice(1));
    };
    const summary = sheet('概要');
    assert.deepEqual(summary[0], ['年度（和暦）', '年度', '期間（開始）', '期間（終了）', '指標', '件数', '前年度']);
    assert.deepEqual(summary[1].slice(0, 7), ['令和6年度', 2024, '2024-04-01', '2025-03-31', '新規相談件数', 3, 2]);
    const doors = sheet('相談_受付窓口別');
    assert.deepEqual(doors.slice(1).map((r) => [r[4], r[5]]), api.consultations.byDoor.map((r: R) => [r.label, r.count]));
    const ages = sheet('相談_年代別');
    assert.deepEqual(ages.slice(1).map((r) => [r[4], r[5]]), api.consultations.byAgeBand.map((r: R) => [r.label, r.count]));
    const months = sheet('月別');
    assert.deepEqual(months.slice(1).map((r) => [r[4], r[6]]), api.consultations.byMonth.map((r: R) => [r.label, r.count]));
    const perOrg = sheet('つなぎ_受け手別');
    const soreiyu = perOrg.find((r) => r[4] === 'NPO法人文化学習協同ネットワーク' || r[4] === api.referrals.perOrganization[0].organization.name)!;
    assert.deepEqual(soreiyu.slice(5), [2, 2, 2, 0, 0, 0, 2, 7.5]);
    const meetings = sheet('会議');
    assert.deepEqual(meetings.slice(1).map((r) => r[5]), [1, 2, 2, 3, 1]);
    // what the programs did: a sheet per kind, the same rows as the API's (and the dashboard's)
    for (const [name, kind] of [['事業実績_アウトリーチ', 'outreach'], ['事業実績_参加・就労', 'work'], ['事業実績_イベント・居場所', 'events']] as const) {
      const ws = sheet(name);
      assert.deepEqual(ws[0], ['年度（和暦）', '年度', '期間（開始）', '期間（終了）', '項目', '件数']);
      assert.deepEqual(ws.slice(1).map((r) => [r[0], r[4], r[5]]), api.programActivity[kind].map((r: R) => ['令和6年度', r.label, r.count]), name);
    }
    const events = Object.fromEntries(sheet('事業実績_イベント・居場所').slice(1).map((r) => [r[4], r[5]]));
    assert.deepEqual([events['居場所：開所日数'], events['居場所：来所者'], events['居場所：初めての来所']], [1, 5, 2], 'the drop-in day of June 2024');
    const { rows } = await t.db.query("SELECT 1 FROM audit_event WHERE action = 'stats.export' AND details->>'format' = 'xlsx'");
    assert.equal(rows.length, 1, 'the export is audited');
  });

  test('the CSV is UTF-8 with a BOM, or Shift_JIS on request, with the same figures', async () => {
    await stepUp();
    const utf8 = await get(headers.hub, '/api/stats/export.csv?fiscalYear=2024');
    assert.match(String(utf8.headers['content-type']), /text\/csv; charset=utf-8/);
    const bytes = utf8.rawPayload;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.trim().split('\r\n');
    assert.equal(lines[0], '年度（和暦）,年度,期間（開始）,期間（終了）,表,項目,指標,値');
    assert.ok(lines.includes('令和6年度,2024,2024-04-01,2025-03-31,概要,新規相談件数,件数,3'));
    assert.ok(lines.includes('令和6年度,2024,2024-04-01,2025-03-31,相談_年代別,19歳以下,件数,1'));
    assert.ok(lines.includes('令和6年度,2024,2024-04-01,2025-03-31,事業実績_イベント・居場所,居場所：来所者,件数,5'));

    const sjis = await get(headers.hub, '/api/stats/export.csv?fiscalYear=2024&encoding=shift_jis');
    assert.match(String(sjis.headers['content-type']), /charset=Shift_JIS/);
    assert.notEqual(sjis.rawPayload[0], 0xef, 'no BOM in Shift_JIS');
    assert.equal(iconv.decode(sjis.rawPayload, 'Shift_JIS'), text);
    assert.ok(!sjis.rawPayload.equals(bytes.subarray(3)), 'the bytes are Shift_JIS, not UTF-8');
  });

  test('figures for publication export with "<3" and "—", as the publication view shows them, programs included', async () => {
    await stepUp();
    const res = await get(headers.hub, '/api/stats/export.csv?fiscalYear=2024&view=publication');
    const text = res.rawPayload.toString('utf8');
    assert.ok(text.includes('相談_年代別,19歳以下,件数,<3'));
    assert.ok(text.includes('概要,新規相談件数,件数,—'), 'the total that would give the channels away');
    assert.ok(text.includes('事業実績_イベント・居場所,居場所：開所日数,件数,<3'));
    assert.ok(text.includes('事業実績_イベント・居場所,居場所：来所者,件数,5'));
    const sjis = iconv.decode((await get(headers.hub, '/api/stats/export.csv?fiscalYear=2024&view=publication&encoding=shift_jis')).rawPayload, 'Shift_JIS');
    assert.ok(sjis.includes('概要,新規相談件数,件数,―'), 'Shift_JIS has no "—": its dash (0x815C), not "?"');
    assert.ok(!sjis.includes('?'));

    const api = await json(headers.hub, '/api/stats?fiscalYear=2024&view=publication');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await get(headers.hub, '/api/stats/export.xlsx?fiscalYear=2024&view=publication')).rawPayload as unknown as ArrayBuffer);
    const rows = (name: string) => (wb.getWorksheet(name)!.getSheetValues().slice(2) as unknown[][]).map((r) => [r[5], r[6]]);
    assert.deepEqual(rows('事業実績_イベント・居場所'), api.programActivity.events.map((r: R) => [r.label, r.count]));
    assert.deepEqual(rows('相談_相談経路別'), api.consultations.byChannel.map((r: R) => [r.label, r.count]));
    const notes = wb.getWorksheet('注記')!.getSheetValues().slice(2) as unknown[][];
    assert.equal(notes.find((r) => r[1] === '「—」')?.[2], '他の数値からの逆算を防ぐため非表示（合計や他の内訳から「<3」の件数が分からないよう、ほかの件数も伏せています）');
  });
});
