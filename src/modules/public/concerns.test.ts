import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { takeInConcerns } from '../intake/concerns.ts';
import { localInbox, solveChallenge } from './concerns.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-07-01T00:00:00Z');
let desk: Record<string, string>;
let staff: Record<string, string>;

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock });
  desk = (await signInAs(app, (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
});
after(async () => {
  await app.close();
  await t.close();
});

async function challenge() {
  const res = await app.inject({ url: '/api/public/concerns/challenge' });
  assert.equal(res.statusCode, 200);
  return res.json() as { token: string; difficulty: number; municipality: { name: string } };
}

const concern = (token: string, over: Record<string, unknown> = {}) => ({
  aboutRelation: 'neighbour', aboutAgeBand: '50s', worries: ['hikikomori'], concern: '隣の家の息子さんを半年以上見かけない。',
  anonymous: true, challenge: token, solution: solveChallenge(token), ...over,
});

const send = (payload: Record<string, unknown>, ip = '203.0.113.1') =>
  app.inject({ method: 'POST', url: '/api/public/concerns', payload, remoteAddress: ip });

describe('the resident concern window', () => {
  test('needs no sign-in, serves the only municipality, and gives a receipt code that leads nowhere', async () => {
    const ch = await challenge();
    assert.equal(ch.municipality.name, '武蔵野市');
    clock.advance(10_000);
    const res = await send(concern(ch.token));
    assert.equal(res.statusCode, 201);
    assert.match(res.json().receiptCode, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.deepEqual(Object.keys(res.json()), ['receiptCode']);
  });

  test("it lands in the hub's triage queue once, as a consultation; the reporter's details are the hub's only", async () => {
    const ch = await challenge();
    clock.advance(10_000);
    const sent = await send(concern(ch.token, {
      anonymous: false, name: '近所 太郎', phone: '0422-00-0000', concern: '<script>alert(1)</script>ご近所の<b>方</b>が心配です', worries: ['hikikomori', 'elderly_care'],
    }), '203.0.113.2');
    assert.equal(sent.statusCode, 201);
    const code = sent.json().receiptCode;
    await app.takeInPublicSubmissions();
    // taking in again (a retry after a crash) makes nothing twice
    await takeInConcerns({ db: t.db, clock }, localInbox(t.db));
    const { rows } = await t.db.query<{ consultation_id: string }>('SELECT consultation_id FROM concern_report WHERE receipt_code = $1', [code]);
    assert.equal(rows.length, 1);
    assert.equal((await t.db.query('SELECT 1 FROM public_inbox')).rows.length, 0, 'the public side keeps nothing once taken in');

    const queue = (await app.inject({ url: '/api/consultations?status=triage', headers: desk })).json();
    const item = queue.items.find((x: { id: string }) => x.id === rows[0].consultation_id);
    assert.equal(item.source, 'concern_report');
    assert.equal(item.holder.name, '福祉総合相談窓口');
    assert.equal(item.summary, 'alert(1)ご近所の方が心配です', 'markup is stripped before it crosses');
    assert.deepEqual(item.ageBand, { min: 50, max: 59 });
    const detail = (await app.inject({ url: `/api/consultations/${item.id}`, headers: desk })).json();
    assert.deepEqual(detail.reporter, { receiptCode: code, anonymous: false, name: '近所 太郎', phone: '0422-00-0000', email: null });
  });

  test('a form sent too fast, replayed, or without solving the challenge is refused', async () => {
    const ch = await challenge();
    const tooFast = await send(concern(ch.token), '203.0.113.3');
    assert.equal(tooFast.statusCode, 400);
    assert.match(tooFast.json().error, /too quickly/);
    clock.advance(10_000);
    assert.equal((await send(concern(ch.token, { solution: 'x' }), '203.0.113.3')).statusCode, 400);
    assert.equal((await send(concern(ch.token), '203.0.113.3')).statusCode, 201);
    const replay = await send(concern(ch.token), '203.0.113.3');
    assert.equal(replay.statusCode, 400);
    assert.match(replay.json().error, /already sent/);
    const forged = await send(concern(`${ch.token.slice(0, -3)}abc`), '203.0.113.4');
    assert.equal(forged.statusCode, 400);
    clock.advance(3 * 3_600_000);
    assert.equal((await send(concern((await challenge()).token), '203.0.113.4')).statusCode, 400, 'fresh challenge but sent instantly');
  });

  test('a filled honeypot looks accepted but keeps nothing', async () => {
    // counted by its own text: an earlier report may be taken in (and leave the inbox) meanwhile
    const text = '蜜壺に引っかかった自動送信の本文。';
    const ch = await challenge();
    clock.advance(10_000);
    const res = await send(concern(ch.token, { website: 'http://spam.example', concern: text }), '203.0.113.5');
    assert.equal(res.statusCode, 201);
    await app.takeInPublicSubmissions();
    assert.equal((await t.db.query(`SELECT count(*)::int AS n FROM public_inbox WHERE payload::text LIKE '%' || $1 || '%'`, [text])).rows[0].n, 0);
    assert.equal((await t.db.query('SELECT count(*)::int AS n FROM concern_report WHERE concern = $1', [text])).rows[0].n, 0);
  });

  test('contact details are needed unless the resident stays anonymous', async () => {
    const ch = await challenge();
    clock.advance(10_000);
    const res = await send(concern(ch.token, { anonymous: false }), '203.0.113.6');
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().fields[0].field, 'phone');
  });

  test('one address sending many reports is slowed down with 429 and Retry-After', async () => {
    let last = 0;
    let retryAfter: unknown;
    for (let i = 0; i < 7; i++) {
      const res = await send({ aboutRelation: 'self', worries: [], concern: 'x', anonymous: true, challenge: 'x', solution: '0' }, '198.51.100.9');
      last = res.statusCode;
      retryAfter = res.headers['retry-after'];
    }
    assert.equal(last, 429);
    assert.ok(Number(retryAfter) > 0);
  });

  test('bad input gets field-level 400s', async () => {
    const ch = await challenge();
    const res = await send({ aboutRelation: 'stranger', worries: ['ufo'], concern: '', anonymous: 'yes', challenge: ch.token, solution: '1' }, '203.0.113.7');
    assert.equal(res.statusCode, 400);
    const fields = [...new Set(res.json().fields.map((f: { field: string }) => f.field))].sort();
    assert.deepEqual(fields, ['aboutRelation', 'anonymous', 'concern', 'worries[0]']);
  });

  test('staff other than the hub do not see concern reports', async () => {
    // earlier tests moved the clock past the idle time-out
    staff = (await signInAs(app, (await buildUser(t.db, { org: 'health-section', role: 'org_staff', clock })).login)).headers;
    const queue = (await app.inject({ url: '/api/consultations?status=triage', headers: staff })).json();
    assert.ok(!queue.items.some((x: { source: string }) => x.source === 'concern_report'));
  });
});
