import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, testConfig, TEST_PASSWORD, TEST_TOTP_SECRET } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { currentCode, requireRecentSecondFactor } from './mfa.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-01T01:00:00Z');

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock, config: testConfig({ requireMfa: true, lockoutThreshold: 3 }) });
});
after(async () => {
  await app.close();
  await t.close();
});

async function password(login: string) {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { login, password: TEST_PASSWORD } });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = `tsunagu_session=${res.cookies.find((c) => c.name === 'tsunagu_session')!.value}`;
  return { body: res.json(), cookie };
}
const post = (cookie: string, url: string, payload: Record<string, unknown>) => app.inject({ method: 'POST', url, headers: { cookie }, payload });

describe('the second factor', () => {
  test('after the password alone the session opens nothing; the authenticator code completes the sign-in', async () => {
    const user = await buildUser(t.db, { clock });
    const { body, cookie } = await password(user.login);
    assert.deepEqual(body, { secondFactor: 'verify' });
    assert.equal((await app.inject({ url: '/api/network', headers: { cookie } })).statusCode, 401);
    const wrong = await post(cookie, '/api/session/second-factor', { code: '000000' });
    assert.equal(wrong.statusCode, 401);
    assert.equal(wrong.json().fields[0].field, 'code');
    const ok = await post(cookie, '/api/session/second-factor', { code: currentCode(TEST_TOTP_SECRET, clock.now()) });
    assert.equal(ok.statusCode, 200);
    assert.equal((await app.inject({ url: '/api/network', headers: { cookie } })).statusCode, 200);
    const { rows } = await t.db.query<{ action: string; outcome: string }>(`SELECT action, outcome FROM audit_event WHERE entity_id = $1 ORDER BY seq`, [user.id]);
    assert.deepEqual(rows.map((r) => `${r.action}:${r.outcome}`).slice(-3), ['session.sign_in:success', 'session.mfa:denied', 'session.mfa:success']);
  });

  test('the first sign-in enrols an authenticator from a QR code; recovery codes are given once and work once', async () => {
    const user = await buildUser(t.db, { clock, enrolled: false });
    const { body, cookie } = await password(user.login);
    assert.deepEqual(body, { secondFactor: 'enroll' });
    const enrollment = (await app.inject({ url: '/api/session/enrollment', headers: { cookie } })).json();
    assert.match(enrollment.otpauthUrl, /^otpauth:\/\/totp\/Tsunagu:.+secret=/);
    assert.match(enrollment.qrSvg, /^<svg/);
    assert.equal((await post(cookie, '/api/session/enrollment', { code: '123456' })).statusCode, 401);
    const done = await post(cookie, '/api/session/enrollment', { code: currentCode(enrollment.secret, clock.now()) });
    assert.equal(done.statusCode, 200);
    const { recoveryCodes } = done.json();
    assert.equal(recoveryCodes.length, 10);
    assert.equal((await app.inject({ url: '/api/network', headers: { cookie } })).statusCode, 200);

    // a lost phone: a recovery code signs in once, never twice
    const again = await password(user.login);
    assert.equal((await post(again.cookie, '/api/session/second-factor', { recoveryCode: recoveryCodes[0] })).statusCode, 200);
    const third = await password(user.login);
    assert.equal((await post(third.cookie, '/api/session/second-factor', { recoveryCode: recoveryCodes[0] })).statusCode, 401);
  });

  test('wrong codes count towards the lock-out like wrong passwords', async () => {
    const user = await buildUser(t.db, { clock });
    const { cookie } = await password(user.login);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await post(cookie, '/api/session/second-factor', { code: '111111' })).statusCode);
    assert.deepEqual(codes, [401, 401, 401]);
    const locked = await app.inject({ method: 'POST', url: '/api/session', payload: { login: user.login, password: TEST_PASSWORD } });
    assert.equal(locked.statusCode, 429, 'the account is locked, even with the right password');
    assert.equal((await post(cookie, '/api/session/second-factor', { code: currentCode(TEST_TOTP_SECRET, clock.now()) })).statusCode, 401, 'and the half-open session was ended');
  });

  test('step-up: sensitive actions ask for the code again once the last one is older than the limit', async () => {
    const user = await buildUser(t.db, { clock });
    const { cookie } = await password(user.login);
    const session = (await post(cookie, '/api/session/second-factor', { code: currentCode(TEST_TOTP_SECRET, clock.now()) })).json();
    const headers = { cookie, 'x-csrf-token': session.csrfToken };
    assert.equal((await app.inject({ method: 'POST', url: '/api/session/step-up', headers, payload: { code: '000000' } })).statusCode, 400);
    clock.advance(60_000);
    assert.equal((await app.inject({ method: 'POST', url: '/api/session/step-up', headers, payload: { code: currentCode(TEST_TOTP_SECRET, clock.now()) } })).statusCode, 204);
    const at = clock.now();
    assert.doesNotThrow(() => requireRecentSecondFactor({ mfaAt: at } as never, new Date(at.getTime() + 9 * 60_000), 10));
    assert.throws(() => requireRecentSecondFactor({ mfaAt: at } as never, new Date(at.getTime() + 11 * 60_000), 10), /authenticator code again/);
  });
});
