import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, orgId, programId, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-01T01:00:00Z');
type Headers = Record<string, string>;
let desk: Headers;
let community: Headers;
let soreiyu: Headers;
let health: Headers;

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock });
  const as = async (org: string, role: 'hub_coordinator' | 'org_staff') => (await signInAs(app, (await buildUser(t.db, { org, role, clock })).login)).headers;
  desk = await as('welfare-desk', 'hub_coordinator');
  community = await as('community-support-section', 'org_staff');
  soreiyu = await as('soreiyu', 'org_staff');
  health = await as('health-section', 'org_staff');
});
after(async () => {
  await app.close();
  await t.close();
});

const phoneCall = (over: Record<string, unknown> = {}) => ({
  receivedAt: '2026-05-31T10:00:00+09:00', channel: 'phone', consulterRelation: 'family', consulterDetail: '母',
  issueTags: ['hikikomori'], summary: '息子が何年も家から出ていない', urgency: 'normal', ...over,
});

async function record(headers: Headers, body: Record<string, unknown>) {
  const res = await app.inject({ method: 'POST', url: '/api/consultations', headers, payload: body });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}
const route = (headers: Headers, id: string, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: `/api/consultations/${id}/route`, headers, payload });

describe('recording a consultation', () => {
  test('a phone call about a 52-year-old staying home suggests the welfare desk, with its reason', async () => {
    const c = await record(desk, phoneCall({ age: 52, issueTags: ['hikikomori', '8050'], mainIssue: 'hikikomori' }));
    assert.equal(c.status, 'triage');
    assert.equal(c.holder.name, '福祉総合相談窓口');
    const [first] = c.routing.suggestions;
    assert.equal(first.ruleKey, 'middle-aged-hikikomori');
    assert.equal(first.reason, '福祉総合相談窓口は50代・60代の中高年層のひきこもり相談を中心に受けている。');
    assert.equal(first.takesIn, true);
    assert.deepEqual(c.steps.map((s: { kind: string; to: { name: string } }) => [s.kind, s.to.name]), [['received', '福祉総合相談窓口']]);
  });

  test('with the age unknown, no age rule is suggested: the desk is told the age is needed to decide', async () => {
    const c = await record(desk, phoneCall());
    assert.ok(!c.routing.suggestions.some((s: { ruleKey: string }) => ['youth-hikikomori', 'middle-aged-hikikomori'].includes(s.ruleKey)));
    const undecided = c.routing.undecided.map((u: { ruleKey: string }) => u.ruleKey);
    assert.ok(undecided.includes('youth-hikikomori') && undecided.includes('middle-aged-hikikomori'));
  });

  test('references are numbered per fiscal year by the Japan date: 31 March and 1 April fall in different years', async () => {
    const march = await record(desk, phoneCall({ receivedAt: '2026-03-31T23:30:00+09:00' }));
    const april = await record(desk, phoneCall({ receivedAt: '2026-03-31T15:30:00Z' })); // 00:30 on 1 April in Japan
    assert.match(march.reference, /^2025-\d{5}$/);
    assert.match(april.reference, /^2026-\d{5}$/);
  });

  test('the answer to recording is what a later read shows, and references run past 99999 without losing a digit', async () => {
    await t.db.query('UPDATE intake_counter SET last_number = 99999 WHERE fiscal_year = 2026');
    const c = await record(desk, phoneCall({ age: 52, issueTags: ['hikikomori', '8050'] }));
    assert.equal(c.reference, '2026-100000');
    const read = await app.inject({ url: `/api/consultations/${c.id}`, headers: desk });
    assert.deepEqual(read.json(), c);
    assert.equal((await record(desk, phoneCall())).reference, '2026-100001');
  });

  test('bad input gets field-level 400s: missing fields, impossible ages, unknown tags, oversized text, wrong types', async () => {
    const cases: [Record<string, unknown>, string[]][] = [
      [{ channel: 'phone' }, ['consulterRelation', 'issueTags', 'receivedAt', 'summary', 'urgency']],
      [phoneCall({ age: 200 }), ['age']],
      [phoneCall({ age: -1 }), ['age']],
      [phoneCall({ age: 30, ageBand: { min: 30, max: 39 } }), ['ageBand']],
      [phoneCall({ issueTags: ['hikikomori', 'astrology'] }), ['issueTags[1]']],
      [phoneCall({ summary: 'あ'.repeat(4001) }), ['summary']],
      [phoneCall({ age: '52' }), ['age']],
      [phoneCall({ issueTags: 'hikikomori' }), ['issueTags']],
      [phoneCall({ urgency: 'whenever' }), ['urgency']],
      [phoneCall({ channel: 'fax' }), ['channel']],
      [phoneCall({ mainIssue: 'poverty' }), ['mainIssue']],
      [phoneCall({ receivedAt: '2027-01-01T00:00:00Z' }), ['receivedAt']],
      [phoneCall({ colour: 'red' }), ['colour']],
    ];
    for (const [body, fields] of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/consultations', headers: desk, payload: body });
      assert.equal(res.statusCode, 400, JSON.stringify(body).slice(0, 80));
      assert.deepEqual([...new Set(res.json().fields.map((f: { field: string }) => f.field))].sort(), fields, JSON.stringify(body).slice(0, 80));
    }
  });

  test('staff record consultations for their own door only; the hub may record for another', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/consultations', headers: soreiyu, payload: phoneCall({ doorOrganizationId: orgId('welfare-desk') }) });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().fields[0].field, 'doorOrganizationId');
    const c = await record(desk, phoneCall({ doorOrganizationId: orgId('health-section'), channel: 'phone' }));
    assert.equal(c.door.name, '健康課');
    assert.equal(c.holder.name, '健康課');
  });
});

describe('triage', () => {
  test("each organisation's queue holds what it holds; others cannot see it", async () => {
    const c = await record(health, phoneCall({ age: 40, issueTags: ['health'] }));
    const queue = (await app.inject({ url: '/api/consultations?status=triage', headers: health })).json();
    assert.ok(queue.items.some((x: { id: string }) => x.id === c.id));
    const other = (await app.inject({ url: '/api/consultations?status=triage', headers: soreiyu })).json();
    assert.ok(!other.items.some((x: { id: string }) => x.id === c.id));
    assert.equal((await app.inject({ url: `/api/consultations/${c.id}`, headers: soreiyu })).statusCode, 404);
    assert.equal((await app.inject({ url: `/api/consultations?organizationId=${orgId('health-section')}`, headers: soreiyu })).statusCode, 403);
    // the hub sees every queue
    const all = (await app.inject({ url: '/api/consultations?organizationId=all', headers: desk })).json();
    assert.ok(all.items.some((x: { id: string }) => x.id === c.id));
  });

  test('following a suggestion elsewhere puts it in that queue; the receiver takes it in', async () => {
    const c = await record(desk, phoneCall({ age: 25 }));
    const sug = c.routing.suggestions[0];
    assert.equal(sug.ruleKey, 'youth-hikikomori');
    assert.equal(sug.nextHop.name, 'それいゆ');
    const sent = (await route(desk, c.id, { version: c.version, ruleKey: sug.ruleKey })).json();
    assert.equal(sent.status, 'triage');
    assert.equal(sent.holder.name, 'それいゆ');
    const queue = (await app.inject({ url: '/api/consultations?status=triage', headers: soreiyu })).json();
    assert.ok(queue.items.some((x: { id: string }) => x.id === c.id));
    const detail = (await app.inject({ url: `/api/consultations/${c.id}`, headers: soreiyu })).json();
    assert.equal(detail.routing.suggestions[0].takesIn, true);
    const taken = (await route(soreiyu, c.id, { version: detail.version, ruleKey: 'youth-hikikomori' })).json();
    assert.equal(taken.status, 'routed');
    assert.equal(taken.destination.program.name, '若者支援（それいゆ）');
    assert.deepEqual(taken.steps.map((s: { kind: string; to: { name: string } }) => `${s.kind}:${s.to.name}`), ['received:福祉総合相談窓口', 'forwarded:それいゆ', 'routed:それいゆ']);
  });

  test('choosing another destination needs a reason, which is kept on the trail', async () => {
    const c = await record(desk, phoneCall({ age: 52 }));
    const noReason = await route(desk, c.id, { version: c.version, programId: programId('public-health-individual-consultation') });
    assert.equal(noReason.statusCode, 400);
    assert.deepEqual(noReason.json().fields.map((f: { field: string }) => f.field), ['reason']);
    const res = await route(desk, c.id, { version: c.version, programId: programId('public-health-individual-consultation'), reason: '本人が保健師との面談を希望' });
    assert.equal(res.statusCode, 200);
    const last = res.json().steps.at(-1);
    assert.equal(last.to.name, '多摩府中保健所');
    assert.equal(last.followedSuggestion, false);
    assert.equal(last.reason, '本人が保健師との面談を希望');
  });

  test('the service says what is wrong in Japanese when the client asks for Japanese', async () => {
    const c = await record(desk, phoneCall({ age: 52 }));
    const res = await app.inject({ method: 'POST', url: `/api/consultations/${c.id}/route`, headers: { ...desk, 'accept-language': 'ja' }, payload: { version: c.version, organizationId: orgId('soreiyu') } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().error, '相談の行き先を選んでください。');
    assert.deepEqual(res.json().fields, [{ field: 'reason', message: '提案以外の行き先を選ぶ理由を入力してください。' }]);
  });

  test('a decision based on a stale version is refused with 409', async () => {
    const c = await record(desk, phoneCall({ age: 52 }));
    const edited = await app.inject({ method: 'PATCH', url: `/api/consultations/${c.id}`, headers: desk, payload: { version: c.version, issueTags: ['hikikomori', 'mental_health'] } });
    assert.equal(edited.statusCode, 200);
    assert.equal(edited.json().version, c.version + 1);
    const stale = await route(desk, c.id, { version: c.version, ruleKey: 'middle-aged-hikikomori' });
    assert.equal(stale.statusCode, 409);
    const staleEdit = await app.inject({ method: 'PATCH', url: `/api/consultations/${c.id}`, headers: desk, payload: { version: c.version, urgency: 'urgent' } });
    assert.equal(staleEdit.statusCode, 409);
  });

  test("a welfare commissioner's report goes to 地域支援課 first, then to the desk; both hops are recorded", async () => {
    const c = await record(community, phoneCall({ channel: 'visit', consulterRelation: 'welfare_commissioner', consulterDetail: '担当地区の民生委員', summary: '近所の50代の男性を見かけなくなった' }));
    assert.equal(c.door.name, '地域支援課');
    const sug = c.routing.suggestions[0];
    assert.equal(sug.ruleKey, 'welfare-commissioner-report');
    assert.equal(sug.nextHop.name, '福祉総合相談窓口');
    const sent = (await route(community, c.id, { version: c.version, ruleKey: sug.ruleKey })).json();
    assert.equal(sent.holder.name, '福祉総合相談窓口');
    const seen = (await app.inject({ url: `/api/consultations/${c.id}`, headers: desk })).json();
    assert.deepEqual(seen.steps.map((s: { kind: string; from: { name: string } | null; to: { name: string } }) => [s.kind, s.from?.name ?? null, s.to.name]), [
      ['received', null, '地域支援課'],
      ['forwarded', '地域支援課', '福祉総合相談窓口'],
    ]);
    assert.match(seen.steps[1].reason, /地域支援課が一度回収し/);
  });

  test('every read and list of consultations is audited with its reason', async () => {
    const c = await record(desk, phoneCall());
    await app.inject({ url: `/api/consultations/${c.id}`, headers: desk });
    const { rows } = await t.db.query<{ action: string; reason: string }>(
      `SELECT action, reason FROM audit_event WHERE entity_id = $1 ORDER BY seq`, [c.id]);
    assert.deepEqual(rows.map((r) => r.action), ['consultation.create', 'consultation.read']);
    const lists = await t.db.query("SELECT 1 FROM audit_event WHERE action = 'consultation.list'");
    assert.ok(lists.rows.length > 0);
  });
});

describe('routing rules as data', () => {
  test('a past routing is explained with the rules as they were then', async () => {
    const c = await record(desk, phoneCall({ age: 52 }));
    const routed = (await route(desk, c.id, { version: c.version, ruleKey: 'middle-aged-hikikomori' })).json();
    const usedVersion = routed.steps.at(-1).routingVersion;
    const current = (await app.inject({ url: '/api/routing/rules', headers: desk })).json();
    const rules = current.rules.map((r: { id: string; reason: string }) => (r.id === 'middle-aged-hikikomori' ? { ...r, reason: '変更後の理由' } : r));
    const saved = await app.inject({ method: 'PUT', url: '/api/routing/rules', headers: desk, payload: { expectedVersion: current.version, note: '理由の文言を更新', rules } });
    assert.equal(saved.statusCode, 200);
    assert.equal(saved.json().version, current.version + 1);
    const then = (await app.inject({ url: `/api/routing/rules?version=${usedVersion}`, headers: desk })).json();
    assert.equal(then.rules.find((r: { id: string }) => r.id === 'middle-aged-hikikomori').reason, '福祉総合相談窓口は50代・60代の中高年層のひきこもり相談を中心に受けている。');
    const { rows } = await t.db.query("SELECT reason FROM audit_event WHERE action = 'routing.rules.save'");
    assert.equal(rows.length, 1);
  });

  test('only the hub edits the rules; a stale save is 409 and a rule pointing nowhere is a field-level 400', async () => {
    const current = (await app.inject({ url: '/api/routing/rules', headers: desk })).json();
    const put = (headers: Headers, payload: unknown) => app.inject({ method: 'PUT', url: '/api/routing/rules', headers, payload: payload as Record<string, unknown> });
    assert.equal((await put(soreiyu, { expectedVersion: current.version, note: 'x', rules: current.rules })).statusCode, 403);
    assert.equal((await put(desk, { expectedVersion: current.version - 1, note: 'x', rules: current.rules })).statusCode, 409);
    const broken = current.rules.map((r: { id: string }, i: number) => (i === 2 ? { ...r, to: { organization: 'no-such-desk' } } : r));
    const res = await put(desk, { expectedVersion: current.version, note: 'x', rules: broken });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['rules[2].to.organization']);
    // a rule no intake could meet (an intake records at most 50 organisations) is refused, not published to the public side
    const unmeetable = current.rules.map((r: { when: object }, i: number) => (i === 0 ? { ...r, when: { ...r.when, minOrganizationsInvolved: 51 } } : r));
    const refused = await put(desk, { expectedVersion: current.version, note: 'x', rules: unmeetable });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.json().fields[0].field, /minOrganizationsInvolved/);
  });

  test('POST /api/routing/evaluate tests a sample intake against the rules in force or a draft', async () => {
    const inForce = (await app.inject({ method: 'POST', url: '/api/routing/evaluate', headers: desk, payload: { intake: { schoolStage: 'high_school', issueTags: [] } } })).json();
    assert.equal(inForce.suggestions[0].ruleKey, 'high-school-students');
    const draft = [{ id: 'all-to-desk', priority: 1, when: {}, to: { organization: 'welfare-desk' }, reason: 'まず窓口へ' }];
    const res = (await app.inject({ method: 'POST', url: '/api/routing/evaluate', headers: desk, payload: { intake: { issueTags: [] }, rules: draft } })).json();
    assert.deepEqual(res.suggestions.map((s: { ruleKey: string }) => s.ruleKey), ['all-to-desk']);
    assert.equal(res.version, null);
  });
});
