import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importHoshino, importMusashino, orgId, programId, signInAs, TEST_SHARE_BASIS } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { mapGroupOf } from './map.ts';

const clock = new FakeClock('2026-06-10T01:00:00Z');
let t: TestDb;
let app: App;
let desk: Record<string, string>;

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  await importHoshino(t.db);
  app = await buildTestApp(t.db, { clock });
  desk = (await signInAs(app, (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
});
after(async () => {
  await app?.close();
  await t?.close();
});

interface Edge { kind: string; source: string; target: string; directed: boolean; labels: string[]; referrals: number }
interface MapBody { groups: string[]; nodes: { id: string; name: string; group: string }[]; edges: Edge[] }

const getMap = async (headers: Record<string, string>): Promise<MapBody> => {
  const res = await app.inject({ url: '/api/network/map', headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};
const edge = (map: MapBody, kind: string, a: string, b: string) =>
  map.edges.find((e) => e.kind === kind && ((e.source === a && e.target === b) || (!e.directed && e.source === b && e.target === a)));

describe('the network map (staff)', () => {
  test('every organisation of Musashino is a node, grouped by kind', async () => {
    const map = await getMap(desk);
    const { rows } = await t.db.query<{ id: string }>('SELECT id FROM organization WHERE municipality_id = (SELECT municipality_id FROM organization WHERE id = $1) AND active', [orgId('welfare-desk')]);
    assert.equal(map.nodes.length, rows.length);
    assert.equal(map.nodes.length, 32);
    const group = (key: string) => map.nodes.find((n) => n.id === orgId(key))!.group;
    assert.equal(group('welfare-desk'), 'city_hall');
    assert.equal(group('mirairu'), 'commissioned');
    assert.equal(group('tama-fuchu-public-health-centre'), 'health');
    assert.equal(group('crescole'), 'school');
    assert.equal(group('area-centre-3'), 'community');
    assert.equal(group('tokyo-hikikomori-support-net'), 'wide_area');
    assert.deepEqual(map.groups, ['city_hall', 'commissioned', 'health', 'school', 'community', 'wide_area', 'other']);
  });

  test('commissioning, co-owned programs, meetings and the rules’ routes are edges', async () => {
    const map = await getMap(desk);
    const commission = edge(map, 'commission', orgId('children-youth-section'), orgId('mirairu'))!;
    assert.ok(commission.directed);
    assert.deepEqual(commission.labels.sort(), ['みらいる 居場所', 'みらいる 相談']);
    // the outreach program is owned by three sections together
    for (const [a, b] of [['welfare-desk', 'disability-welfare-section'], ['welfare-desk', 'health-section'], ['disability-welfare-section', 'health-section']])
      assert.deepEqual(edge(map, 'co_ownership', orgId(a), orgId(b))?.labels, ['精神保健アウトリーチ支援事業'], `${a}–${b}`);
    assert.deepEqual(edge(map, 'meeting', orgId('children-youth-section'), orgId('child-family-support-centre'))?.labels, ['若者サポート推進連絡会議']);
    // a welfare commissioner's report: the commissioners → the community support section → the welfare desk
    assert.ok(edge(map, 'route', orgId('welfare-commissioners'), orgId('community-support-section')));
    assert.ok(edge(map, 'route', orgId('community-support-section'), orgId('welfare-desk')));
    assert.ok(edge(map, 'route', orgId('child-family-support-centre'), orgId('mirairu')), 'a rule to a program reaches who runs it');
    assert.ok(!map.edges.some((e) => e.kind === 'referral'), 'no referral yet');
    const ids = new Set(map.nodes.map((n) => n.id));
    assert.ok(map.edges.every((e) => ids.has(e.source) && ids.has(e.target) && e.source !== e.target));
  });

  test('referrals sent weigh the edge between the two organisations by their number', async () => {
    const c = (await app.inject({ method: 'POST', url: '/api/cases', headers: desk, payload: { person: { name: '地図 太郎', nameKana: 'ちず たろう', birthDate: '1974-04-01' } } })).json();
    for (let i = 0; i < 2; i++) {
      const r = await app.inject({
        method: 'POST', url: `/api/cases/${c.id}/referrals`, headers: desk,
        payload: { toProgramId: programId('work-readiness-support'), reason: '就労準備', sharedSummary: '就労の準備を希望', urgency: 'normal', firstContactDue: '2026-06-20', legalBasis: TEST_SHARE_BASIS },
      });
      assert.equal(r.statusCode, 201, r.body);
    }
    const map = await getMap(desk);
    const referral = edge(map, 'referral', orgId('welfare-desk'), orgId('self-reliance-agency'))!;
    assert.equal(referral.referrals, 2);
    assert.ok(referral.directed);
    assert.ok(!JSON.stringify(map).includes('地図 太郎'), 'counts only, nobody named');
  });

  test('staff only: without a session 401; each municipality sees its own network', async () => {
    assert.equal((await app.inject({ url: '/api/network/map' })).statusCode, 401);
    const hoshino = (await signInAs(app, (await buildUser(t.db, { org: 'shakyo-window', role: 'hub_coordinator', code: '990001', clock })).login)).headers;
    const map = await getMap(hoshino);
    assert.deepEqual(map.nodes.map((n) => n.name).sort(), ['北地区地域包括支援センター', '南地区地域包括支援センター', '星野町保健センター', '星野町社会福祉協議会 まるごと相談窓口', 'NPOほしぞら', '福祉課'].sort());
    // its statutory support meeting has six members: every pair sits together
    assert.equal(map.edges.filter((e) => e.kind === 'meeting').length, 15);
  });

  test('the kinds fall in the groups of the legend', () => {
    assert.equal(mapGroupOf({ kind: 'support_agency', internal: true }), 'city_hall');
    assert.equal(mapGroupOf({ kind: 'support_agency', internal: false }), 'community');
    assert.equal(mapGroupOf({ kind: 'peer_group', internal: false }), 'community');
    assert.equal(mapGroupOf({ kind: 'other_municipality', internal: false }), 'wide_area');
    assert.equal(mapGroupOf({ kind: 'other', internal: false }), 'other');
  });
});
