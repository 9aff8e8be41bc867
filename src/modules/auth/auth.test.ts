import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, MUSASHINO_ID, orgId, signInAs, testConfig, TEST_PASSWORD } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-01T09:00:00Z');
before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock, config: testConfig({ lockoutThreshold: 3, lockoutMinutes: 15, idleTimeoutMinutes: 30 }) });
});
after(async () => {
  await app.close();
  await t.close();
});

const signIn = (login: string, password: string) => app.inject({ method: 'POST', url: '/api/session', payload: { login, password } });

describe('signing in', () => {
  test('a staff member signs in and sees their organisation, role and a CSRF token; the cookie is httpOnly and SameSite', async () => {
    const user = await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator' });
    const res = await signIn(user.login, TEST_PASSWORD);
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.organization.name, '福祉総合相談窓口');
    assert.equal(body.municipality.code, '132039');
    assert.equal(body.role, 'hub_coordinator');
    assert.ok(body.csrfToken.length > 20);
    const cookie = res.cookies.find((c) => c.name === 'tsunagu_session');
    assert.ok(cookie?.httpOnly);
    assert.equal(cookie?.sameSite, 'Strict');
  });

  test('an unknown login and a wrong password get the same answer, and both are audited', async () => {
    const user = await buildUser(t.db);
    const unknown = await signIn('nobody-here', 'whatever-password');
    const wrong = await signIn(user.login, 'not the password');
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(unknown.json(), wrong.json());
    const { rows } = await t.db.query<{ reason: string }>(
      "SELECT reason FROM audit_event WHERE action = 'session.sign_in' AND outcome = 'denied' ORDER BY occurred_at, seq");
    assert.deepEqual(rows.map((r) => r.reason).slice(-2), ['unknown login', 'wrong password']);
  });

  test('repeated failures lock the account for a while, even with the right password, then it opens again', async () => {
    const user = await buildUser(t.db);
    for (let i = 0; i < 3; i++) assert.equal((await signIn(user.login, 'wrong')).statusCode, 401);
    const locked = await signIn(user.login, TEST_PASSWORD);
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    clock.advance(16 * 60_000);
    assert.equal((await signIn(user.login, TEST_PASSWORD)).statusCode, 200);
  });

  test('missing or unexpected fields get a field-level 400', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { login: 'x', remember: true } });
    assert.equal(res.statusCode, 400);
    const fields = res.json().fields.map((f: { field: string }) => f.field).sort();
    assert.deepEqual(fields, ['password', 'remember']);
  });
});

describe('sessions', () => {
  test('without a session the API answers 401', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/network' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.json().code, 'unauthenticated');
  });

  test('a session ends after the idle time-out', async () => {
    const user = await buildUser(t.db);
    const s = await signInAs(app, user.login);
    clock.advance(29 * 60_000);
    assert.equal((await app.inject({ url: '/api/session', headers: s.headers })).statusCode, 200);
    clock.advance(31 * 60_000);
    assert.equal((await app.inject({ url: '/api/session', headers: s.headers })).statusCode, 401);
  });

  test('a state-changing request without the CSRF token is refused', async () => {
    const user = await buildUser(t.db);
    const s = await signInAs(app, user.login);
    const res = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: s.cookie } });
    assert.equal(res.statusCode, 403);
    assert.equal((await app.inject({ url: '/api/session', headers: s.headers })).statusCode, 200);
  });

  test('signing out ends the session', async () => {
    const user = await buildUser(t.db);
    const s = await signInAs(app, user.login);
    assert.equal((await app.inject({ method: 'DELETE', url: '/api/session', headers: s.headers })).statusCode, 204);
    assert.equal((await app.inject({ url: '/api/session', headers: s.headers })).statusCode, 401);
  });

  test('deactivating a user ends their sessions at their next request', async () => {
    const user = await buildUser(t.db);
    const s = await signInAs(app, user.login);
    await t.db.query('UPDATE app_user SET active = false WHERE id = $1', [user.id]);
    assert.equal((await app.inject({ url: '/api/network', headers: s.headers })).statusCode, 401);
  });

  test("a session lists every membership, and ends when the membership or the organisation it acts for is deactivated", async () => {
    for (const ending of ['membership', 'organisation']) {
      const user = await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator' });
      await t.db.query(`INSERT INTO membership (municipality_id, organization_id, user_id, role) VALUES ($1, $2, $3, 'org_staff')`, [MUSASHINO_ID, orgId('soreiyu'), user.id]);
      const s = await signInAs(app, user.login);
      const body = (await app.inject({ url: '/api/session', headers: s.headers })).json();
      assert.deepEqual(body.memberships.map((m: { organizationId: string; role: string }) => [m.organizationId, m.role]).sort(),
        [[orgId('soreiyu'), 'org_staff'], [orgId('welfare-desk'), 'hub_coordinator']].sort());
      const acting = body.organization.id as string;
      const other = acting === orgId('soreiyu') ? orgId('welfare-desk') : orgId('soreiyu');
      // the other membership's deactivation leaves this session be
      await t.db.query('UPDATE membership SET active = false WHERE user_id = $1 AND organization_id = $2', [user.id, other]);
      assert.equal((await app.inject({ url: '/api/network', headers: s.headers })).statusCode, 200);
      if (ending === 'membership') await t.db.query('UPDATE membership SET active = false WHERE user_id = $1 AND organization_id = $2', [user.id, acting]);
      else await t.db.query('UPDATE organization SET active = false WHERE id = $1', [acting]);
      try {
        assert.equal((await app.inject({ url: '/api/network', headers: s.headers })).statusCode, 401, ending);
      } finally {
        await t.db.query('UPDATE organization SET active = true WHERE id = $1', [acting]);
      }
    }
  });

  test('a session started on one app instance works on another instance sharing the database', async () => {
    const other = await buildTestApp(t.db, { clock });
    try {
      const user = await buildUser(t.db);
      const s = await signInAs(app, user.login);
      const res = await other.inject({ url: '/api/organizations', headers: s.headers });
      assert.equal(res.statusCode, 200);
      assert.ok(res.json().items.length > 30);
    } finally {
      await other.close();
    }
  });

  test('passwords are stored as argon2id hashes', async () => {
    const user = await buildUser(t.db);
    const { rows } = await t.db.query<{ password_hash: string }>('SELECT password_hash FROM app_user WHERE id = $1', [user.id]);
    assert.match(rows[0].password_hash, /^\$argon2id\$/);
  });
});

test('many sign-in attempts from one address are slowed down with 429 and Retry-After', async () => {
  const limited = await buildTestApp(t.db, { clock, config: testConfig({ signInAttemptsPerMinute: 3 }) });
  try {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await limited.inject({ method: 'POST', url: '/api/session', payload: { login: `nobody${i}`, password: 'x' } })).statusCode);
    assert.deepEqual(codes, [401, 401, 401, 429]);
  } finally {
    await limited.close();
  }
});

test('with Redis configured, instances share the per-address sign-in limit', async (ctx) => {
  const url = process.env.TSUNAGU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const { Redis } = await import('ioredis');
  const probe = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0 });
  try {
    await probe.connect();
  } catch {
    probe.disconnect();
    if (process.env.CI === 'true') throw new Error(`Redis at ${url} is needed for this test under CI`);
    ctx.skip(`no Redis at ${url}`);
    return;
  }
  probe.disconnect();
  const config = { ...testConfig({ signInAttemptsPerMinute: 4 }), redisUrl: url };
  const a = await buildTestApp(t.db, { clock, config });
  const b = await buildTestApp(t.db, { clock, config });
  try {
    const ip = `198.51.100.${Math.floor(Math.random() * 250)}`;
    const attempt = (app: App) => app.inject({ method: 'POST', url: '/api/session', payload: { login: 'nobody', password: 'x' }, remoteAddress: ip });
    const codes = [(await attempt(a)).statusCode, (await attempt(b)).statusCode, (await attempt(a)).statusCode, (await attempt(b)).statusCode, (await attempt(a)).statusCode];
    assert.deepEqual(codes, [401, 401, 401, 401, 429]);
  } finally {
    await a.close();
    await b.close();
  }
});
