import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';

let t: TestDb;
let app: App;
let other: App;
let headers: Record<string, string>;
const clock = new FakeClock('2026-06-01T01:00:00Z');

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock });
  other = await buildTestApp(t.db, { clock });
  headers = (await signInAs(app, (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
});
after(async () => {
  await app.close();
  await other.close();
  await t.close();
});

const body = (summary: string) => ({ receivedAt: '2026-05-31T10:00:00+09:00', channel: 'phone', consulterRelation: 'self', issueTags: [], summary, urgency: 'normal' });
const count = async (summary: string) => (await t.db.query('SELECT 1 FROM consultation WHERE summary = $1', [summary])).rows.length;
const post = (a: App, key: string, payload: Record<string, unknown>) =>
  a.inject({ method: 'POST', url: '/api/consultations', headers: { ...headers, 'idempotency-key': key }, payload });

describe('retries with an Idempotency-Key', () => {
  test('a retry returns the first answer and records nothing twice', async () => {
    const first = await post(app, 'key-1', body('再送テスト'));
    const retry = await post(app, 'key-1', body('再送テスト'));
    assert.equal(first.statusCode, 201);
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.json().id, first.json().id);
    assert.equal(await count('再送テスト'), 1);
  });

  test('the same key arriving at the same moment on two instances writes once', async () => {
    const [a, b] = await Promise.all([post(app, 'key-2', body('同時テスト')), post(other, 'key-2', body('同時テスト'))]);
    assert.equal(a.statusCode, 201);
    assert.equal(b.statusCode, 201);
    assert.equal(a.json().id, b.json().id);
    assert.equal(await count('同時テスト'), 1);
  });

  test('a key reused for a different request is refused', async () => {
    await post(app, 'key-3', body('一つ目'));
    const res = await post(app, 'key-3', body('二つ目'));
    assert.equal(res.statusCode, 422);
    assert.equal(await count('二つ目'), 0);
  });

  test('a refused request (400) is answered the same again, and a bad key is a 400', async () => {
    const bad = { ...body('x'), urgency: 'someday' };
    const first = await post(app, 'key-4', bad);
    const again = await post(app, 'key-4', bad);
    assert.equal(first.statusCode, 400);
    assert.equal(again.statusCode, 400);
    const res = await post(app, 'ключ', body('x'));
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().fields[0].field, 'Idempotency-Key');
  });

  test('keys are per user: another user with the same key makes their own record', async () => {
    const h2 = (await signInAs(app, (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
    await post(app, 'shared-key', body('利用者別'));
    const res = await app.inject({ method: 'POST', url: '/api/consultations', headers: { ...h2, 'idempotency-key': 'shared-key' }, payload: body('利用者別') });
    assert.equal(res.statusCode, 201);
    assert.equal(res.headers['idempotent-replayed'], undefined);
    assert.equal(await count('利用者別'), 2);
  });
});
