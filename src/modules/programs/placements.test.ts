import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, HOSHINO_CODE, importHoshino, importMusashino, MUSASHINO_ID, orgId, programId, signInAs, TEST_SHARE_BASIS } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { profileEntityId } from '../../lib/ids.ts';
import type { Role } from '../auth/roles.ts';
import { runRetention } from '../retention/service.ts';
import { placementFigures } from './placements.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-10T01:00:00Z');
type H = Record<string, string>;
const area = (key: string) => profileEntityId('132039', 'area', key);

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  await importHoshino(t.db);
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

/** Signs in afresh (tests move the clock past the idle time-out). */
async function sign(org: string, role: Role = 'org_staff', opts: { code?: string; sensitive?: boolean } = {}): Promise<H> {
  return (await signInAs(app, (await buildUser(t.db, { org, role, clock, code: opts.code, sensitive: opts.sensitive })).login, undefined, clock)).headers;
}

async function call(h: H, method: 'GET' | 'POST' | 'PATCH' | 'PUT', url: string, payload?: unknown, status = method === 'POST' ? 201 : 200) {
  const res = await app.inject({ method, url, headers: h, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res.json();
}

const bakery = {
  name: 'むさしのベーカリー', kind: 'trial', programId: programId('work-readiness-support'), tasks: ['パンの袋詰め', '清掃'], hoursMin: 4, hoursMax: 12, days: ['mon', 'wed', 'fri'],
  areaId: area('area-2'), place: '駅北口から徒歩5分', travelNotes: 'バス停が近い', supportOffered: ['job_coach', 'fixed_mentor'], capacity: 2, contact: '店長 0422-00-0000',
};

describe('placements (受け入れ先)', () => {
  test('the OpenAPI document describes the placement routes', async () => {
    const doc = (await app.inject({ url: '/api/openapi.json' })).json();
    for (const path of ['/api/placements', '/api/placements/{id}', '/api/cases/{id}/placement-matches', '/api/cases/{id}/work-preferences', '/api/placement-records',
      '/api/placement-records/{id}', '/api/placement-records/check-ins', '/api/placement-records/{id}/check-ins/{months}'])
      assert.ok(doc.paths[path], `${path} is documented`);
  });

  test('staff of an organisation running a work program and the hub add and edit placements; others only read them', async () => {
    const agency = await sign('self-reliance-agency');
    const community = await sign('community-support-section');
    const desk = await sign('welfare-desk', 'hub_coordinator');
    const soreiyu = await sign('soreiyu');
    const p = await call(agency, 'POST', '/api/placements', bakery);
    assert.equal(p.program.name, '就労準備支援');
    assert.equal(p.area.name, '第2圏域');
    assert.equal(p.placesLeft, 2);
    await call(community, 'POST', '/api/placements', { ...bakery, name: '市内清掃', programId: programId('integrated-work-program'), kind: 'intermediate' });
    await call(desk, 'POST', '/api/placements', { ...bakery, name: 'ハブの受け入れ先', programId: null });
    await call(soreiyu, 'POST', '/api/placements', bakery, 403);
    assert.ok((await call(soreiyu, 'GET', '/api/placements')).items.some((x: { id: string }) => x.id === p.id), 'anyone on staff reads placements');

    const edited = await call(desk, 'PATCH', `/api/placements/${p.id}`, { version: p.version, capacity: 3, tasks: ['パンの袋詰め', '清掃', '値札付け'] });
    assert.equal(edited.capacity, 3);
    const stale = await app.inject({ method: 'PATCH', url: `/api/placements/${p.id}`, headers: agency, payload: { version: p.version, capacity: 1 } });
    assert.equal(stale.statusCode, 409);
    await call(soreiyu, 'PATCH', `/api/placements/${p.id}`, { version: edited.version, capacity: 1 }, 403);
    const bad = await app.inject({ method: 'POST', url: '/api/placements', headers: agency, payload: { ...bakery, hoursMin: 10, hoursMax: 2, programId: programId('youth-support') } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().fields.map((f: { field: string }) => f.field).sort(), ['hoursMax', 'programId']);
    const unknown = await app.inject({ method: 'POST', url: '/api/placements', headers: agency, payload: { ...bakery, secret: 1 } });
    assert.equal(unknown.statusCode, 400);
  });
});

describe('matching, placement records and 職場定着 check-ins', () => {
  test('a 42-year-old is matched, tries a placement, starts a job, and the check-ins come due at 1, 3 and 6 months', async () => {
    clock.set('2026-06-10T01:00:00Z');
    let agency = await sign('self-reliance-agency');
    const c = await call(agency, 'POST', '/api/cases', { person: { name: '就労 太郎', nameKana: 'しゅうろう たろう', birthDate: '1984-01-01' } });
    const near = await call(agency, 'POST', '/api/placements', { ...bakery, name: '隣の圏域の作業所', areaId: area('area-3'), tasks: ['データ入力'] });
    const far = await call(agency, 'POST', '/api/placements', { ...bakery, name: '遠くの工場', areaId: area('area-6'), tasks: ['データ入力'], hoursMin: 30, hoursMax: 40 });
    const best = await call(agency, 'POST', '/api/placements', { ...bakery, name: '図書館の補助', areaId: area('area-2'), tasks: ['データ入力', '配架'] });
    await call(agency, 'PUT', '/api/placements/area-neighbours', { pairs: [{ areaId: area('area-2'), neighbourId: area('area-3') }] });

    const prefs = await call(agency, 'PUT', `/api/cases/${c.id}/work-preferences`, {
      version: 0, hoursMin: 4, hoursMax: 10, days: ['mon', 'tue'], tasks: ['データ入力'], areaId: area('area-2'), maxTravelMinutes: 30,
      supportNeeded: ['job_coach'], notes: '午前は苦手', healthNotes: '通院は月1回',
    });
    assert.equal(prefs.version, 1);
    const stale = await app.inject({ method: 'PUT', url: `/api/cases/${c.id}/work-preferences`, headers: agency, payload: { version: 0, hoursMax: 8 } });
    assert.equal(stale.statusCode, 409);

    const { matches } = await call(agency, 'GET', `/api/cases/${c.id}/placement-matches`);
    const order = matches.map((m: { placement: { name: string } }) => m.placement.name);
    assert.ok(order.indexOf('図書館の補助') < order.indexOf('隣の圏域の作業所') && order.indexOf('隣の圏域の作業所') < order.indexOf('遠くの工場'), order.join(' > '));
    const nearMatch = matches.find((m: { placementId: string }) => m.placementId === near.id);
    assert.deepEqual(nearMatch.reasons.find((r: { aspect: string }) => r.aspect === 'place'), { aspect: 'place', verdict: 'partly', detail: { why: 'neighbouring_area' } });
    const farMatch = matches.find((m: { placementId: string }) => m.placementId === far.id);
    assert.equal(farMatch.fits, false);
    assert.equal(farMatch.reasons.find((r: { aspect: string }) => r.aspect === 'hours').verdict, 'misses');

    const rec = await call(agency, 'POST', '/api/placement-records', { caseId: c.id, placementId: best.id, trialFrom: '2026-06-15', trialTo: '2026-06-30' });
    assert.equal(rec.placement.name, '図書館の補助');
    assert.equal((await call(agency, 'GET', `/api/placements/${best.id}`)).placesLeft, 1);
    clock.set('2026-07-01T01:00:00Z');
    agency = await sign('self-reliance-agency');
    const trial = await call(agency, 'PATCH', `/api/placement-records/${rec.id}`, { version: rec.version, daysAttended: 6, outcome: 'continued', outcomeOn: '2026-06-30' });
    assert.equal(trial.daysAttended, 6);
    const job = await call(agency, 'PATCH', `/api/placement-records/${rec.id}`, { version: trial.version, outcome: 'employed', outcomeOn: '2026-07-01' });
    assert.equal(job.jobStartedOn, '2026-07-01');
    assert.deepEqual(job.checkIns.map((k: { months: number; dueOn: string }) => [k.months, k.dueOn]), [[1, '2026-08-01'], [3, '2026-10-01'], [6, '2027-01-01']]);
    const noReason = await app.inject({ method: 'PATCH', url: `/api/placement-records/${rec.id}`, headers: agency, payload: { version: job.version, outcome: 'ended' } });
    assert.equal(noReason.statusCode, 400);

    const queue = async (h: H) => (await call(h, 'GET', '/api/placement-records/check-ins')).items.filter((x: { recordId: string }) => x.recordId === rec.id);
    assert.deepEqual(await queue(agency), [], 'nothing is due on the day the job starts');
    clock.set('2026-07-31T14:59:00Z'); // 23:59 on 31 July in Japan
    assert.deepEqual(await queue(await sign('self-reliance-agency')), []);
    clock.set('2026-07-31T15:00:00Z'); // 1 August in Japan
    const h = await sign('self-reliance-agency');
    const due = await queue(h);
    assert.deepEqual(due.map((x: { months: number; caseReference: string }) => [x.months, x.caseReference]), [[1, c.reference]]);
    assert.deepEqual(await queue(await sign('soreiyu')), [], 'an organisation with no part in the case does not see its check-ins');
    await call(h, 'POST', `/api/placement-records/${rec.id}/check-ins/1`, { doneOn: '2026-08-01', stillWorking: true, note: '元気に通っている' });
    await call(h, 'POST', `/api/placement-records/${rec.id}/check-ins/2`, { doneOn: '2026-08-01', stillWorking: true }, 404);
    assert.deepEqual(await queue(h), []);

    const timeline = (await call(h, 'GET', `/api/cases/${c.id}/timeline`)).items;
    const texts = timeline.map((e: { summary: string }) => e.summary).join('\n');
    assert.match(texts, /受け入れ先につなぐ: 図書館の補助（参加体験）/);
    assert.match(texts, /就職（2026-07-01）/);
    assert.match(texts, /職場定着の確認（1か月）: 図書館の補助 — 就労継続/);

    clock.set('2027-01-02T01:00:00Z');
    const figures = await placementFigures(t.db, MUSASHINO_ID, '2026-04-01', '2027-03-31', '2027-01-02');
    assert.equal(figures.jobsStarted, 1);
    assert.deepEqual(figures.retention, [{ months: 1, due: 1, checked: 1, stillWorking: 1 }, { months: 3, due: 1, checked: 0, stillWorking: 0 }, { months: 6, due: 1, checked: 0, stillWorking: 0 }]);
  });

  test('health notes in the work preferences reach only users with the 要配慮 grant', async () => {
    const agency = await sign('self-reliance-agency');
    const c = await call(agency, 'POST', '/api/cases', { person: { name: '配慮 花子', nameKana: 'はいりょ はなこ', birthDate: '1990-02-02' } });
    await call(agency, 'PUT', `/api/cases/${c.id}/work-preferences`, { version: 0, healthNotes: 'MARKER服薬中', tasks: ['清掃'] });
    const without = await sign('self-reliance-agency', 'org_staff', { sensitive: false });
    const seen = await call(without, 'GET', `/api/cases/${c.id}/work-preferences`);
    assert.deepEqual(seen.tasks, ['清掃']);
    assert.ok(!JSON.stringify(seen).includes('MARKER'));
    assert.ok(!(await app.inject({ url: `/api/cases/${c.id}/placement-matches`, headers: without })).body.includes('MARKER'));
    assert.equal((await call(agency, 'GET', `/api/cases/${c.id}/work-preferences`)).healthNotes, 'MARKER服薬中');
  });

  test('a placement with no place left takes no new record', async () => {
    const agency = await sign('self-reliance-agency');
    const p = await call(agency, 'POST', '/api/placements', { ...bakery, name: '一人だけの受け入れ先', capacity: 1 });
    const c1 = await call(agency, 'POST', '/api/cases', { person: { name: '定員 一', nameKana: 'ていいん いち' } });
    const c2 = await call(agency, 'POST', '/api/cases', { person: { name: '定員 二', nameKana: 'ていいん に' } });
    const r1 = await call(agency, 'POST', '/api/placement-records', { caseId: c1.id, placementId: p.id });
    const full = await call(agency, 'POST', '/api/placement-records', { caseId: c2.id, placementId: p.id }, 409);
    assert.match(full.error, /一人だけの受け入れ先 has no place left/);
    // the first ends; the place goes to the second; taking the first up again finds the place gone
    const ended = await call(agency, 'PATCH', `/api/placement-records/${r1.id}`, { version: r1.version, outcome: 'ended', endedReason: '体調' }, 200);
    await call(agency, 'POST', '/api/placement-records', { caseId: c2.id, placementId: p.id });
    await call(agency, 'PATCH', `/api/placement-records/${r1.id}`, { version: ended.version, outcome: 'continued' }, 409);
  });

  test('two records taking the last place at once: one is saved, the other is told the placement is full', async () => {
    const agency = await sign('self-reliance-agency');
    const p = await call(agency, 'POST', '/api/placements', { ...bakery, name: '残り一枠の受け入れ先', capacity: 2 });
    const cases = [];
    for (const n of ['一', '二', '三']) cases.push(await call(agency, 'POST', '/api/cases', { person: { name: `同時 ${n}`, nameKana: 'どうじ' } }));
    await call(agency, 'POST', '/api/placement-records', { caseId: cases[0].id, placementId: p.id });
    const both = await Promise.all(cases.slice(1).map((c) =>
      app.inject({ method: 'POST', url: '/api/placement-records', headers: { ...agency, 'accept-language': 'ja' }, payload: { caseId: c.id, placementId: p.id } })));
    assert.deepEqual(both.map((r) => r.statusCode).sort(), [201, 409], both.map((r) => r.body).join('\n'));
    assert.match(both.find((r) => r.statusCode === 409)!.json().error, /残り一枠の受け入れ先は定員（2人）に達しています/);
    const after = await call(agency, 'GET', `/api/placements/${p.id}`);
    assert.equal(after.occupied, 2);
    assert.equal(after.placesLeft, 0);
  });
});

// ---------------------------------------------------------------- access matrix

interface Viewer { who: string; org: string; role: Role; code?: string; expect: 200 | 403 | 404 }

/** Placement records belong to the case: the access rules of the cases issue (full access reads and writes; referral 403; none 404). */
const viewers: Viewer[] = [
  { who: 'the hub coordinator', org: 'welfare-desk', role: 'hub_coordinator', expect: 200 },
  { who: 'staff of the lead organisation', org: 'self-reliance-agency', role: 'org_staff', expect: 200 },
  { who: 'a participant the person consented to', org: 'health-section', role: 'org_staff', expect: 200 },
  { who: 'a participant without consent', org: 'soreiyu', role: 'org_staff', expect: 403 },
  { who: 'an organisation with no part', org: 'crescole', role: 'org_staff', expect: 404 },
  { who: 'the auditor', org: 'livelihood-welfare-section', role: 'auditor', expect: 403 },
  { who: "another municipality's hub", org: 'shakyo-window', role: 'hub_coordinator', code: HOSHINO_CODE, expect: 404 },
];

describe('who may see and write placement records', () => {
  let caseId = '';
  let recordId = '';
  before(async () => {
    clock.set('2026-06-10T01:00:00Z');
    const agency = await sign('self-reliance-agency');
    const c = await call(agency, 'POST', '/api/cases', { person: { name: '行列 就労', nameKana: 'ぎょうれつ しゅうろう', birthDate: '1984-05-05' } });
    const refer = (org: string) => call(agency, 'POST', `/api/cases/${c.id}/referrals`, { toOrganizationId: orgId(org), reason: 'r', sharedSummary: 's', urgency: 'normal', firstContactDue: '2099-01-01', legalBasis: TEST_SHARE_BASIS });
    for (const org of ['soreiyu', 'health-section']) {
      const r = await refer(org);
      await call(await sign(org), 'POST', `/api/referrals/${r.id}/status`, { version: r.version, status: 'accepted' }, 200);
    }
    await call(agency, 'POST', `/api/cases/${c.id}/consents`, { givenOn: '2026-06-01', scope: '就労支援', method: 'written', organizationIds: [orgId('health-section')] });
    const p = await call(agency, 'POST', '/api/placements', { ...bakery, name: '行列の受け入れ先', capacity: 50 });
    const rec = await call(agency, 'POST', '/api/placement-records', { caseId: c.id, placementId: p.id, trialFrom: '2026-06-01', trialTo: '2026-06-05' });
    await call(agency, 'PATCH', `/api/placement-records/${rec.id}`, { version: rec.version, outcome: 'employed', outcomeOn: '2026-05-01' });
    caseId = c.id;
    recordId = rec.id;
  });

  for (const v of viewers) {
    test(`${v.who}: ${v.expect}`, async () => {
      const h = await sign(v.org, v.role, { code: v.code });
      const status = (url: string, method: 'GET' | 'PATCH' | 'POST' | 'PUT' = 'GET', payload?: unknown) =>
        app.inject({ method, url, headers: h, payload: payload as Record<string, unknown> }).then((r) => r.statusCode);
      const reads = [`/api/placement-records/${recordId}`, `/api/cases/${caseId}/placement-records`, `/api/cases/${caseId}/placement-matches`, `/api/cases/${caseId}/work-preferences`];
      for (const url of reads) assert.equal(await status(url), v.expect, url);
      const current = (await app.inject({ url: `/api/placement-records/${recordId}`, headers: await sign('welfare-desk', 'hub_coordinator') })).json();
      const writes: number[] = [
        await status(`/api/placement-records/${recordId}`, 'PATCH', { version: current.version, daysAttended: 3 }),
        await status(`/api/cases/${caseId}/work-preferences`, 'PUT', { version: 999, tasks: ['x'] }),
      ];
      // a write that passes the access check meets the stale version (409) for work preferences
      assert.deepEqual(writes, v.expect === 200 ? [200, 409] : [v.expect, v.expect]);
      const queue = await app.inject({ url: '/api/placement-records/check-ins', headers: h });
      const listed = queue.statusCode === 200 && queue.json().items.some((x: { recordId: string }) => x.recordId === recordId);
      assert.equal(listed, v.expect === 200, 'the check-in queue lists the record only for those with full access');
    });
  }
});

describe('retention', () => {
  test('a closed case past its retention period goes with its work preferences, placement records and check-ins', async () => {
    clock.set('2026-06-10T01:00:00Z');
    const agency = await sign('self-reliance-agency');
    const c = await call(agency, 'POST', '/api/cases', { person: { name: '保存 期間', nameKana: 'ほぞん きかん' } });
    await call(agency, 'PUT', `/api/cases/${c.id}/work-preferences`, { version: 0, tasks: ['清掃'] });
    const p = await call(agency, 'POST', '/api/placements', { ...bakery, name: '保存期間の受け入れ先' });
    const rec = await call(agency, 'POST', '/api/placement-records', { caseId: c.id, placementId: p.id });
    await call(agency, 'PATCH', `/api/placement-records/${rec.id}`, { version: rec.version, outcome: 'employed', outcomeOn: '2026-06-10' });
    const desk = await sign('welfare-desk', 'hub_coordinator');
    const cur = await call(desk, 'GET', `/api/cases/${c.id}`);
    await call(desk, 'POST', `/api/cases/${c.id}/status`, { version: cur.version, status: 'closed', closureReason: '就職により終結' }, 200);
    const admin = await sign('livelihood-welfare-section', 'system_admin');
    await call(admin, 'PUT', '/api/retention/policies', { items: [{ recordClass: 'case', years: 1 }] });
    clock.set('2028-06-10T01:00:00Z');
    await runRetention({ db: t.db, clock }, { dryRun: false, includeAudit: false });
    const n = async (sql: string) => Number((await t.db.query<{ n: number }>(sql, [c.id])).rows[0].n);
    assert.equal(await n('SELECT count(*)::int AS n FROM support_case WHERE id = $1'), 0);
    assert.equal(await n('SELECT count(*)::int AS n FROM placement_record WHERE case_id = $1'), 0);
    assert.equal(await n('SELECT count(*)::int AS n FROM work_preference WHERE case_id = $1'), 0);
  });
});
