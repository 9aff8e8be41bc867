import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../test/helpers/db.ts';
import { buildUser, importMusashino, signInAs, testConfig } from '../../test/helpers/factories.ts';
import { FakeClock } from '../lib/clock.ts';
import { buildApp, type App } from './app.ts';

let t: TestDb;
let app: App;
const lines: string[] = [];

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  const stream = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  app = await buildApp({ db: t.db, clock: new FakeClock(), config: testConfig(), logger: { level: 'info', stream } });
  await app.ready();
});
after(async () => {
  await app.close();
  await t.close();
});

describe('operations', () => {
  test('one log line per request with route, status, duration and user — never the query string or a name searched for', async () => {
    const user = await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator' });
    const s = await signInAs(app, user.login);
    await app.inject({ url: `/api/persons?q=${encodeURIComponent('山田太郎')}`, headers: s.headers });
    const entries = lines.map((l) => JSON.parse(l)).filter((e) => e.msg === 'request');
    const search = entries.find((e) => e.route === '/api/persons');
    assert.ok(search, 'the search request is logged');
    assert.equal(search.status, 200);
    assert.equal(search.userId, user.id);
    assert.equal(typeof search.durationMs, 'number');
    assert.ok(!lines.join('').includes('山田'), 'the searched name is not in the logs');
    assert.ok(!lines.join('').includes('correct horse'), 'no password in the logs');
  });

  test('GET /metrics serves Prometheus text with request counts', async () => {
    await app.inject({ url: '/api/health' });
    const res = await app.inject({ url: '/metrics' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/plain/);
    assert.match(res.body, /tsunagu_http_requests_total\{method="GET",route="\/api\/health",status="200"\} \d+/);
    assert.match(res.body, /tsunagu_http_request_duration_seconds_bucket/);
  });

  test('while draining for shutdown, new requests get 503 with Retry-After', async () => {
    app.startDraining();
    const res = await app.inject({ url: '/api/health' });
    assert.equal(res.statusCode, 503);
    assert.equal(res.headers['retry-after'], '5');
    assert.equal(res.json().code, 'unavailable');
  });
});
