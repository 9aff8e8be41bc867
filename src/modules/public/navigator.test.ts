import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { importMusashino, MUSASHINO_ID, orgId, programId, testConfig } from '../../../test/helpers/factories.ts';
import { buildApp, type App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { intakeOf } from './navigator.ts';

const clock = new FakeClock('2026-07-01T00:00:00Z');
let t: TestDb;
let app: App;
/** Every line the app logs, to prove none carries what a resident answered. */
const logLines: string[] = [];

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  const stream = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  app = await buildApp({ db: t.db, clock, config: testConfig(), logger: { level: 'trace', stream } });
  await app.ready();
});
after(async () => {
  await app?.close();
  await t?.close();
});

let ip = 0;
/** One resident's answers, from an address of their own (the endpoint is rate-limited per address). */
async function ask(answers: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/api/public/navigator', remoteAddress: `192.0.2.${++ip}`, headers, payload: answers });
}

interface Window { kind: string; id: string; name: string; reasons: { ruleId: string; text: string; because: { ja: string }[] }[]; services: { name: string }[] }

describe('相談先ナビ: the navigator answers with the windows the routing rules give', () => {
  test('a parent worried about a 52-year-old son who stays home is sent to the welfare desk, with its public reason', async () => {
    const res = await ask({ about: 'child', age: 52, worries: ['staying_home'] });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.municipality.name, '武蔵野市');
    const windows: Window[] = body.windows;
    assert.deepEqual(windows.map((w) => w.name), ['福祉総合相談窓口']);
    const desk = windows[0];
    assert.equal(desk.kind, 'organization');
    assert.equal(desk.id, orgId('welfare-desk'));
    assert.deepEqual(desk.reasons.map((r) => r.text), ['50代・60代の方のひきこもりのご相談は、福祉総合相談窓口がお受けします。']);
    assert.deepEqual(desk.reasons[0].because.map((b) => b.ja), ['年齢52歳は50〜69歳の範囲内', '課題にひきこもりを含む']);
    assert.deepEqual(desk.services.map((s) => s.name), ['福祉総合相談']);
    // the staff-facing reason stays on the staff side
    assert.ok(!res.body.includes('中高年層のひきこもり相談を中心に受けている。」') && !res.body.includes('reasonEn'));
    assert.deepEqual(body.couldAsk, [], 'nothing left to ask that would change the answer');
  });

  test('at 25 the same worry goes to それいゆ, the youth support', async () => {
    const windows: Window[] = (await ask({ about: 'child', age: 25, worries: ['staying_home'] })).json().windows;
    assert.deepEqual(windows.map((w) => w.id), [programId('youth-support')]);
    assert.match(windows[0].reasons[0].text, /それいゆ/);
  });

  test('a high-school student is sent to みらいる', async () => {
    const res = await ask({ about: 'child', schoolStage: 'high_school', worries: ['school'] });
    assert.equal(res.statusCode, 200, res.body);
    const windows: (Window & { organization: { name: string } })[] = res.json().windows;
    assert.deepEqual(windows.map((w) => w.name), ['みらいる 相談']);
    assert.equal(windows[0].organization.name, 'みらいる');
    assert.deepEqual(windows[0].reasons.map((r) => r.text), ['高校生のことは「みらいる」がご相談と居場所でお手伝いします。']);
  });

  test("each window shows the next events and opening days of its organisation's programs, in 和暦", async () => {
    const dropIn = programId('mirairu-drop-in');
    for (const [freq, byday] of [['WEEKLY', 'TU,TH'], ['MONTHLY', '2SA']])
      await t.db.query(
        `INSERT INTO drop_in_opening (municipality_id, id, program_id, freq, byday, opens_at, closes_at, updated_at) VALUES ($1, gen_random_uuid(), $2, $3, $4, '13:00', '17:00', now())`,
        [MUSASHINO_ID, dropIn, freq, byday]);
    for (const [title, day, published] of [['居場所の夏まつり', '2026-07-05', true], ['終わった会', '2026-06-20', true], ['準備中の会', '2026-07-03', false]] as const)
      await t.db.query(
        `INSERT INTO program_event (municipality_id, id, program_id, kind, title, starts_at, ends_at, published, created_at) VALUES ($1, gen_random_uuid(), $2, 'peer_group', $3, $4, $5, $6, now())`,
        [MUSASHINO_ID, dropIn, title, `${day}T05:00:00Z`, `${day}T07:00:00Z`, published]);
    const res = await ask({ about: 'child', schoolStage: 'high_school', worries: ['school'] });
    const [mirairu] = res.json().windows as { name: string; upcoming: { date: string; when: string; service: { name: string }; title: string | null }[]; contact: { hours: string[] } }[];
    assert.equal(mirairu.name, 'みらいる 相談');
    assert.deepEqual(mirairu.upcoming.map((u) => [u.when, u.service.name, u.title]), [
      ['令和8年7月2日（木）13:00〜17:00', 'みらいる 居場所', null],
      ['令和8年7月5日（日）14:00〜16:00', 'みらいる 居場所', '居場所の夏まつり'],
      ['令和8年7月7日（火）13:00〜17:00', 'みらいる 居場所', null],
      ['令和8年7月9日（木）13:00〜17:00', 'みらいる 居場所', null],
      ['令和8年7月11日（土）13:00〜17:00', 'みらいる 居場所', null],
    ]);
    assert.ok(!mirairu.contact.hours.some((h) => h.includes('夏まつり')), 'sessions are not reception hours');
  });

  test('an age band that straddles a rule asks for the age instead of guessing', async () => {
    const body = (await ask({ about: 'self', ageBand: '10s', worries: ['staying_home'] })).json();
    assert.ok(!body.windows.some((w: Window) => w.id === programId('youth-support')), 'a teenager may be under 15');
    assert.ok(body.couldAsk.includes('age'));
  });

  test('care of a parent goes to the area centre of the area given, and to the core centre when the area is not known', async () => {
    const known: Window[] = (await ask({ about: 'parent', worries: ['caring'], area: 'area-3' })).json().windows;
    assert.deepEqual(known.map((w) => w.id), [orgId('area-centre-3'), orgId('core-community-support-centre')]);
    const unknown = (await ask({ about: 'parent', worries: ['caring'] })).json();
    assert.deepEqual(unknown.windows.map((w: Window) => w.id), [orgId('core-community-support-centre')]);
    assert.deepEqual(unknown.couldAsk, ['area']);
  });

  test('three worries at once go to the welfare desk, which coordinates; each rule that applies adds its window', async () => {
    const windows: Window[] = (await ask({ about: 'self', age: 40, worries: ['money', 'work', 'mental_health'], canGoOut: 'no' })).json().windows;
    const ids = windows.map((w) => w.id);
    assert.equal(ids[0], orgId('welfare-desk'), 'the lowest priority number first');
    for (const id of [programId('mental-health-outreach'), programId('public-health-individual-consultation'), programId('work-readiness-support'), orgId('self-reliance-agency')])
      assert.ok(ids.includes(id), id);
    assert.equal(new Set(ids).size, ids.length, 'each window once');
  });

  test('a welfare commissioner is told the report goes to the welfare desk through the community support section', async () => {
    const windows: Window[] = (await ask({ about: 'welfare_commissioner', worries: [] })).json().windows;
    assert.deepEqual(windows.map((w) => w.reasons[0].text), ['民生委員からのご相談は、地域支援課を通じて福祉総合相談窓口がお受けします。']);
  });
});

describe('nothing the resident answers is kept', () => {
  async function rowCounts(): Promise<Record<string, number>> {
    const { rows } = await t.db.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");
    const counts: Record<string, number> = {};
    for (const { table_name } of rows) counts[table_name] = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table_name}"`)).rows[0].n;
    return counts;
  }

  test('after navigator queries, with or without an Idempotency-Key, no table has a row more: not the public inbox, not the audit', async () => {
    const before = await rowCounts();
    assert.ok('public_inbox' in before && 'audit_event' in before && 'idempotency_key' in before);
    logLines.length = 0;
    const answers = { about: 'neighbour', age: 87, worries: ['caring', 'food', 'housing'], canGoOut: 'no', area: 'area-5' };
    assert.equal((await ask(answers)).statusCode, 200);
    assert.equal((await ask(answers, { 'idempotency-key': 'navigator-key-1' })).statusCode, 200);
    assert.equal((await ask({ ...answers, age: 'eighty-seven' })).statusCode, 400);
    assert.deepEqual(await rowCounts(), before);
    // the request lines are logged (route and status), never the answers
    assert.ok(logLines.some((l) => l.includes('/api/public/navigator')), 'requests are logged');
    const logged = logLines.join('');
    // (the age itself is a number that a request id or a duration may contain by chance: its field and its explanation are looked for)
    for (const said of ['"age"', '87歳', 'eighty-seven', 'caring', 'area-5', 'neighbour', 'housing', 'worries']) assert.ok(!logged.includes(said), `the log holds ${said}`);
  });

  test('the answer is not kept by a cache either', async () => {
    const res = await ask({ about: 'self', worries: ['money'] });
    assert.equal(res.headers['cache-control'], 'no-store');
  });
});

describe('what the navigator refuses', () => {
  test('unknown, out-of-range and contradictory answers are 400 with the field named', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ about: 'cat', worries: [] }, 'about'],
      [{ about: 'self', worries: ['boredom'] }, 'worries[0]'],
      [{ about: 'self', worries: [], age: 200 }, 'age'],
      [{ about: 'self', worries: [], age: 52, ageBand: '50s' }, 'ageBand'],
      [{ about: 'self', worries: [], area: 'area-99' }, 'area'],
      [{ about: 'self', worries: [], schoolStage: 'university' }, 'schoolStage'],
      [{ about: 'self', worries: [], name: '武蔵野 太郎' }, 'name'],
      [{ worries: [] }, 'about'],
    ];
    for (const [answers, field] of cases) {
      const res = await ask(answers);
      assert.equal(res.statusCode, 400, JSON.stringify(answers));
      assert.ok(res.json().fields.some((f: { field: string }) => f.field.replace(/^\//, '') === field), `${JSON.stringify(answers)}: ${res.body}`);
    }
    const ja = await app.inject({ method: 'POST', url: '/api/public/navigator', remoteAddress: '192.0.2.250', headers: { 'accept-language': 'ja' }, payload: { about: 'self', worries: [], area: 'nowhere' } });
    assert.equal(ja.json().fields[0].message, 'この市区町村の地域から選ぶか、「わからない」のままにしてください。');
  });

  test('a municipality this site does not serve answers 404', async () => {
    assert.equal((await ask({ municipality: '990001', about: 'self', worries: [] })).statusCode, 404);
  });

  test('one address asking too often is slowed down with 429 and Retry-After', async () => {
    let last = await app.inject({ method: 'POST', url: '/api/public/navigator', remoteAddress: '198.51.100.7', payload: { about: 'self', worries: [] } });
    let n = 1;
    while (last.statusCode === 200 && n < 100) {
      last = await app.inject({ method: 'POST', url: '/api/public/navigator', remoteAddress: '198.51.100.7', payload: { about: 'self', worries: [] } });
      n++;
    }
    assert.equal(last.statusCode, 429);
    assert.equal(n, 31, 'thirty a minute');
    assert.ok(Number(last.headers['retry-after']) > 0);
    // another address is not affected
    assert.equal((await ask({ about: 'self', worries: [] })).statusCode, 200);
  });
});

describe('the questions and the list of every window', () => {
  test('the navigator offers the municipality’s areas', async () => {
    const res = await app.inject({ url: '/api/public/navigator/questions' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().areas.map((a: { key: string }) => a.key), ['area-1', 'area-2', 'area-3', 'area-4', 'area-5', 'area-6']);
  });

  test('the leaflet lists every published program that runs or will, once, and the area centres the rules lead to', async () => {
    const res = await app.inject({ url: '/api/public/windows' });
    assert.equal(res.statusCode, 200, res.body);
    const groups: { audience: string; windows: { id: string; name: string; whenToContact: string[] }[] }[] = res.json().groups;
    assert.deepEqual(groups.map((g) => g.audience), ['children', 'adults', 'older_family', 'everyone', 'professionals']);
    const listed = groups.flatMap((g) => g.windows.map((w) => w.id));
    assert.equal(new Set(listed).size, listed.length, 'each window once');
    const { rows } = await t.db.query<{ id: string }>("SELECT id FROM program WHERE active AND public AND status <> 'ended'");
    for (const { id } of rows) assert.ok(listed.includes(id), `program ${id} is listed`);
    const of = (audience: string) => groups.find((g) => g.audience === audience)!.windows.map((w) => w.name);
    assert.ok(of('children').includes('みらいる 相談') && of('children').includes('若者支援（それいゆ）'));
    assert.ok(of('older_family').includes('在宅介護・地域包括支援センター（第3圏域）'));
    assert.ok(of('adults').includes('家計改善支援'));
    assert.ok(of('everyone').includes('福祉総合相談'));
    const desk = groups.flatMap((g) => g.windows).find((w) => w.name === '福祉総合相談')!;
    assert.ok(desk.whenToContact.includes('いくつもの困りごとが重なっているときは、福祉総合相談窓口がまとめてお受けします。'));
  });
});

test('the answers become a routing intake without guessing what was not said', () => {
  assert.deepEqual(intakeOf({ about: 'child', age: 52, worries: ['staying_home'] }), {
    age: 52, ageBand: null, schoolStage: null, issueTags: ['hikikomori'], area: null, consulterRelation: 'family', cannotVisit: null,
  });
  assert.deepEqual(intakeOf({ about: 'neighbour', ageBand: '80plus', worries: ['caring', 'money'], canGoOut: 'no' }), {
    age: null, ageBand: [80, 130], schoolStage: null, issueTags: ['elderly_care', 'poverty'], area: null, consulterRelation: 'neighbour', cannotVisit: true,
  });
});
