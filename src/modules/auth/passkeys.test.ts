import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, testConfig, TEST_PASSWORD, TEST_TOTP_SECRET } from '../../../test/helpers/factories.ts';
import { SoftAuthenticator } from '../../../test/helpers/webauthn.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { currentCode } from './mfa.ts';
import { relyingParty } from './passkeys.ts';

const ORIGIN = 'https://tsunagu.example.lg.jp';
const RP_ID = 'tsunagu.example.lg.jp';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-01T01:00:00Z');

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, {
    clock, config: testConfig({ requireMfa: true, lockoutThreshold: 3, stepUpMinutes: 10, webauthn: { rpId: RP_ID, origin: ORIGIN, fromRequestHost: false } }),
  });
});
after(async () => {
  await app.close();
  await t.close();
});

type H = Record<string, string>;

/** The password step: a half-open session waiting for its second factor. */
async function password(login: string): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { login, password: TEST_PASSWORD } });
  assert.equal(res.statusCode, 200, res.body);
  return `tsunagu_session=${res.cookies.find((c) => c.name === 'tsunagu_session')!.value}`;
}

/** Password and authenticator code: a full session's headers. */
async function signedIn(login: string): Promise<H> {
  const cookie = await password(login);
  const res = await app.inject({ method: 'POST', url: '/api/session/second-factor', headers: { cookie }, payload: { code: currentCode(TEST_TOTP_SECRET, clock.now()) } });
  assert.equal(res.statusCode, 200, res.body);
  return { cookie, 'x-csrf-token': res.json().csrfToken };
}

const call = (headers: H, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown) =>
  app.inject({ method, url, headers, payload: payload as Record<string, unknown> | undefined });

async function addPasskey(h: H, key: SoftAuthenticator, name: string) {
  const options = await call(h, 'POST', '/api/account/passkeys/options');
  assert.equal(options.statusCode, 200, options.body);
  const res = await call(h, 'POST', '/api/account/passkeys', { name, credential: key.create(options.json()) });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; name: string; lastUsedAt: string | null };
}

/** A user with the authenticator app and one passkey on a security key. */
async function userWithPasskey(opts: { counter?: number } = {}) {
  const user = await buildUser(t.db, { clock });
  const key = new SoftAuthenticator(ORIGIN, RP_ID, opts);
  const h = await signedIn(user.login);
  const passkey = await addPasskey(h, key, '青いセキュリティキー');
  await call(h, 'DELETE', '/api/session');
  return { user, key, passkey };
}

/** After the password: a challenge, then the authenticator's answer to it. */
async function passkeySignIn(cookie: string, answer: (options: { challenge: string }) => unknown) {
  const options = await call({ cookie }, 'POST', '/api/session/webauthn/options');
  assert.equal(options.statusCode, 200, options.body);
  return call({ cookie }, 'POST', '/api/session/webauthn', answer(options.json()));
}

const audit = async (userId: string, actions: string[]) =>
  (await t.db.query<{ action: string; outcome: string; reason: string | null }>(
    `SELECT action, outcome, reason FROM audit_event WHERE actor_user_id = $1 AND action = ANY($2::text[]) ORDER BY occurred_at, seq`, [userId, actions])).rows;

const failedAttempts = async (userId: string) =>
  (await t.db.query<{ failed_attempts: number }>('SELECT failed_attempts FROM app_user WHERE id = $1', [userId])).rows[0].failed_attempts;

describe('adding passkeys', () => {
  test('a signed-in user adds passkeys under names and sees them listed; each addition is audited', async () => {
    const user = await buildUser(t.db, { clock });
    const h = await signedIn(user.login);
    const empty = await call(h, 'GET', '/api/account/passkeys');
    assert.deepEqual(empty.json(), { available: true, items: [] });

    const options = await call(h, 'POST', '/api/account/passkeys/options');
    const body = options.json();
    assert.equal(body.rp.id, RP_ID);
    assert.equal(body.attestation, 'none');
    assert.equal(body.user.name, user.login);
    await addPasskey(h, new SoftAuthenticator(ORIGIN, RP_ID), '青いセキュリティキー');
    clock.advance(1000);
    const phone = new SoftAuthenticator(ORIGIN, RP_ID);
    const again = await call(h, 'POST', '/api/account/passkeys/options');
    assert.equal(again.json().excludeCredentials.length, 1, 'the key already added is excluded');
    await call(h, 'POST', '/api/account/passkeys', { name: '  職場のPC  ', credential: phone.create(again.json()) });

    const list = (await call(h, 'GET', '/api/account/passkeys')).json();
    assert.deepEqual(list.items.map((k: { name: string; lastUsedAt: null; deviceType: string }) => [k.name, k.lastUsedAt, k.deviceType]),
      [['職場のPC', null, 'singleDevice'], ['青いセキュリティキー', null, 'singleDevice']]);
    assert.deepEqual((await audit(user.id, ['passkey.register'])).map((r) => r.outcome), ['success', 'success']);
  });

  test('a registration from another origin, for another RP ID, or with a used challenge is refused with the field', async () => {
    const user = await buildUser(t.db, { clock });
    const h = await signedIn(user.login);
    const key = new SoftAuthenticator(ORIGIN, RP_ID);
    for (const lies of [{ origin: 'https://tsunagu.example.com' }, { rpId: 'example.com' }, { challenge: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }]) {
      const options = (await call(h, 'POST', '/api/account/passkeys/options')).json();
      const res = await call(h, 'POST', '/api/account/passkeys', { name: 'キー', credential: key.create(options, lies) });
      assert.equal(res.statusCode, 400, JSON.stringify(lies));
      assert.equal(res.json().fields[0].field, 'credential');
    }
    // the challenge was used by the last (refused) answer: the honest answer to it comes too late
    const options = (await call(h, 'POST', '/api/account/passkeys/options')).json();
    assert.equal((await call(h, 'POST', '/api/account/passkeys', { name: 'キー', credential: key.create(options) })).statusCode, 201);
    const replay = await call(h, 'POST', '/api/account/passkeys', { name: 'キー', credential: key.create(options) });
    assert.equal(replay.statusCode, 400);
    assert.match(replay.json().error, /expired or was already used/);
    assert.deepEqual((await audit(user.id, ['passkey.register'])).map((r) => r.outcome), ['denied', 'denied', 'denied', 'success', 'denied']);
    assert.equal((await call(h, 'GET', '/api/account/passkeys')).json().items.length, 1);
  });

  test('adding one needs a recent second factor', async () => {
    const user = await buildUser(t.db, { clock });
    const h = await signedIn(user.login);
    clock.advance(11 * 60_000);
    const res = await call(h, 'POST', '/api/account/passkeys/options');
    assert.equal(res.statusCode, 403);
    assert.equal(res.json().code, 'step_up_required');
    assert.equal((await call(h, 'POST', '/api/session/step-up', { code: currentCode(TEST_TOTP_SECRET, clock.now()) })).statusCode, 204);
    assert.equal((await call(h, 'POST', '/api/account/passkeys/options')).statusCode, 200);
  });

  test('bad input answers 400 with the field', async () => {
    const user = await buildUser(t.db, { clock });
    const h = await signedIn(user.login);
    const key = new SoftAuthenticator(ORIGIN, RP_ID);
    const options = (await call(h, 'POST', '/api/account/passkeys/options')).json();
    const noName = await call(h, 'POST', '/api/account/passkeys', { name: '', credential: key.create(options) });
    assert.equal(noName.statusCode, 400);
    assert.deepEqual(noName.json().fields.map((f: { field: string }) => f.field), ['name']);
    const blank = await call(h, 'POST', '/api/account/passkeys', { name: '   ', credential: key.create(options) });
    assert.equal(blank.statusCode, 400);
    assert.equal(blank.json().fields[0].field, 'name');
    const broken = await call(h, 'POST', '/api/account/passkeys', { name: 'キー', credential: { id: 'not base64!', type: 'public-key' } });
    assert.equal(broken.statusCode, 400);
    assert.ok(broken.json().fields.length > 0);
    const cookie = await password(user.login);
    const assertion = await call({ cookie }, 'POST', '/api/session/webauthn', { id: 'abc', rawId: 'abc', type: 'public-key', response: {}, clientExtensionResults: {}, extra: 1 });
    assert.equal(assertion.statusCode, 400);
    assert.ok(assertion.json().fields.some((f: { field: string }) => /response|extra/.test(f.field)));
  });
});

describe('signing in with a passkey', () => {
  test('after the password, a passkey completes the session exactly as a code does', async () => {
    const { user, key } = await userWithPasskey();
    const withoutKey = await buildUser(t.db, { clock });
    assert.deepEqual((await call({ cookie: await password(withoutKey.login) }, 'GET', '/api/session/webauthn')).json(), { passkey: false });
    assert.equal((await call({ cookie: await password(withoutKey.login) }, 'POST', '/api/session/webauthn/options')).statusCode, 400);

    const cookie = await password(user.login);
    assert.deepEqual((await call({ cookie }, 'GET', '/api/session/webauthn')).json(), { passkey: true });
    // one wrong code first: the passkey forgets it, as a right code would
    assert.equal((await call({ cookie }, 'POST', '/api/session/second-factor', { code: '000000' })).statusCode, 401);
    assert.equal(await failedAttempts(user.id), 1);
    const options = (await call({ cookie }, 'POST', '/api/session/webauthn/options')).json();
    assert.equal(options.rpId, RP_ID);
    assert.deepEqual(options.allowCredentials.map((c: { id: string }) => c.id), [key.id]);
    const res = await call({ cookie }, 'POST', '/api/session/webauthn', key.get(options));
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().user.login, user.login);
    assert.ok(res.json().csrfToken);
    assert.equal((await call({ cookie }, 'GET', '/api/network')).statusCode, 200);

    const { rows } = await t.db.query<{ stage: string; mfa_at: Date | null }>(`SELECT stage, mfa_at FROM user_session WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`, [user.id]);
    assert.equal(rows[0].stage, 'full');
    assert.deepEqual(rows[0].mfa_at, clock.now());
    assert.equal(await failedAttempts(user.id), 0);
    const list = (await call({ cookie, 'x-csrf-token': res.json().csrfToken }, 'GET', '/api/account/passkeys')).json();
    assert.equal(list.items[0].lastUsedAt, clock.now().toISOString(), 'the list says when it was last used');
    assert.deepEqual((await audit(user.id, ['session.mfa'])).map((r) => `${r.outcome}:${r.reason}`), ['success:totp', 'denied:wrong code', 'success:passkey']);
  });

  test('an assertion for another origin, another RP ID, another challenge or with a bad signature is refused, audited and counted towards the lock-out', async () => {
    const { user, key } = await userWithPasskey();
    const cookie = await password(user.login);
    const refusals = [];
    for (const lies of [{ origin: 'https://tsunagu.example.lg.jp.evil.example' }, { challenge: 'bm90IHRoZSBjaGFsbGVuZ2Ugd2UgZ2F2ZQ' }]) {
      const res = await passkeySignIn(cookie, (o) => key.get(o, lies));
      refusals.push(`${res.statusCode}:${res.json().code}:${res.json().fields[0]?.field}`);
    }
    assert.deepEqual(refusals, ['401:invalid_passkey:credential', '401:invalid_passkey:credential']);
    assert.equal(await failedAttempts(user.id), 2);
    // the third refusal reaches the threshold: the account locks and the half-open session ends
    const forged = await passkeySignIn(cookie, (o) => {
      const answer = key.get(o);
      return { ...answer, response: { ...answer.response, signature: key.get({ challenge: 'b3RoZXI' }).response.signature } };
    });
    assert.equal(forged.statusCode, 401);
    assert.equal((await app.inject({ method: 'POST', url: '/api/session', payload: { login: user.login, password: TEST_PASSWORD } })).statusCode, 429);
    assert.equal((await call({ cookie }, 'POST', '/api/session/webauthn/options')).statusCode, 401);
    const denied = await audit(user.id, ['session.mfa']);
    assert.deepEqual(denied.filter((r) => r.outcome === 'denied').map((r) => r.reason?.replace(/:.*?(; account locked)?$/, ':…$1')), [
      'passkey not verified:…', 'passkey not verified:…', 'passkey not verified:…; account locked',
    ]);
    assert.match(denied.at(-3)!.reason!, /origin/);
    assert.match(denied.at(-2)!.reason!, /challenge/);
  });

  test('a challenge works once and for five minutes: a replayed answer is refused', async () => {
    const { user, key } = await userWithPasskey();
    const code = (cookie: string) => call({ cookie }, 'POST', '/api/session/second-factor', { code: currentCode(TEST_TOTP_SECRET, clock.now()) });
    const first = await password(user.login);
    const options = (await call({ cookie: first }, 'POST', '/api/session/webauthn/options')).json();
    const answer = key.get(options);
    assert.equal((await call({ cookie: first }, 'POST', '/api/session/webauthn', answer)).statusCode, 200);

    // any answer uses the challenge up: after a refused one, the right answer to the same challenge comes too late
    const second = await password(user.login);
    const open = (await call({ cookie: second }, 'POST', '/api/session/webauthn/options')).json();
    assert.equal((await call({ cookie: second }, 'POST', '/api/session/webauthn', key.get(open, { origin: 'https://evil.example' }))).statusCode, 401);
    assert.equal((await call({ cookie: second }, 'POST', '/api/session/webauthn', key.get(open))).statusCode, 401);
    assert.equal((await code(second)).statusCode, 200);

    // the first answer, captured, on another half-open session: with no challenge, then with a fresh one
    const third = await password(user.login);
    const noChallenge = await call({ cookie: third }, 'POST', '/api/session/webauthn', answer);
    assert.equal(noChallenge.statusCode, 401);
    assert.equal(noChallenge.json().code, 'invalid_passkey');
    assert.equal((await passkeySignIn(third, () => answer)).statusCode, 401);
    assert.equal((await code(third)).statusCode, 200);

    // a challenge older than five minutes is refused even with a right answer
    const fourth = await password(user.login);
    const late = (await call({ cookie: fourth }, 'POST', '/api/session/webauthn/options')).json();
    clock.advance(5 * 60_000 + 1000);
    assert.equal((await call({ cookie: fourth }, 'POST', '/api/session/webauthn', key.get(late))).statusCode, 401);
    const reasons = (await audit(user.id, ['session.mfa'])).filter((r) => r.outcome === 'denied').map((r) => r.reason);
    assert.equal(reasons.length, 5);
    assert.match(reasons[0]!, /origin/);
    assert.match(reasons[1]!, /no open challenge/);
    assert.match(reasons[2]!, /no open challenge/);
    assert.match(reasons[3]!, /challenge/);
    assert.match(reasons[4]!, /no open challenge/);
  });

  test('a cloned authenticator whose counter does not increase is refused; one that keeps no counter is not', async () => {
    const { user, key } = await userWithPasskey({ counter: 5 });
    const clone = key.clone();
    assert.equal((await passkeySignIn(await password(user.login), (o) => key.get(o))).statusCode, 200);
    const replayed = await passkeySignIn(await password(user.login), (o) => clone.get(o));
    assert.equal(replayed.statusCode, 401, 'the clone reports the counter the original already used');
    const lower = await passkeySignIn(await password(user.login), (o) => key.get(o, { counter: 2 }));
    assert.equal(lower.statusCode, 401);
    const reasons = (await audit(user.id, ['session.mfa'])).filter((r) => r.outcome === 'denied').map((r) => r.reason);
    assert.equal(reasons.length, 2);
    for (const r of reasons) assert.match(r!, /counter/);

    const plain = await userWithPasskey();
    const noCounter = plain.key;
    noCounter.keepsNoCounter = true;
    for (let i = 0; i < 2; i++) assert.equal((await passkeySignIn(await password(plain.user.login), (o) => noCounter.get(o))).statusCode, 200);
  });

  test("another user's passkey is refused at sign-in, and another user cannot remove it", async () => {
    const a = await userWithPasskey();
    const b = await userWithPasskey();
    const cookie = await password(a.user.login);
    const res = await passkeySignIn(cookie, (o) => b.key.get(o));
    assert.equal(res.statusCode, 401);
    assert.match((await audit(a.user.id, ['session.mfa'])).at(-1)!.reason!, /not one of this user's passkeys/);
    assert.equal(await failedAttempts(a.user.id), 1);

    const h = await signedIn(a.user.login);
    const removal = await call(h, 'DELETE', `/api/account/passkeys/${b.passkey.id}`);
    assert.equal(removal.statusCode, 404);
    const hb = await signedIn(b.user.login);
    assert.equal((await call(hb, 'GET', '/api/account/passkeys')).json().items.length, 1);
    assert.equal((await call(h, 'GET', '/api/account/passkeys')).json().items.length, 1, 'each sees only their own');
  });
});

describe('step-up and removal', () => {
  test('removing a passkey asks for the second factor again, which a passkey can give; the authenticator app stays', async () => {
    const { user, key, passkey } = await userWithPasskey();
    const h = await signedIn(user.login);
    clock.advance(11 * 60_000);
    const refused = await call(h, 'DELETE', `/api/account/passkeys/${passkey.id}`);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'step_up_required');

    // a wrong answer to the step-up counts like a wrong code
    const options = (await call(h, 'POST', '/api/session/webauthn/step-up/options')).json();
    const wrong = await call(h, 'POST', '/api/session/webauthn/step-up', key.get(options, { origin: 'https://evil.example' }));
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().code, 'invalid_passkey');
    assert.equal(await failedAttempts(user.id), 1);
    const again = (await call(h, 'POST', '/api/session/webauthn/step-up/options')).json();
    assert.equal((await call(h, 'POST', '/api/session/webauthn/step-up', key.get(again))).statusCode, 204);
    assert.equal(await failedAttempts(user.id), 0);

    assert.equal((await call(h, 'DELETE', `/api/account/passkeys/${passkey.id}`)).statusCode, 204);
    assert.equal((await call(h, 'DELETE', `/api/account/passkeys/${passkey.id}`)).statusCode, 404);
    assert.deepEqual((await call(h, 'GET', '/api/account/passkeys')).json().items, []);
    assert.deepEqual((await audit(user.id, ['session.step_up', 'passkey.remove'])).map((r) => `${r.action}:${r.outcome}`),
      ['session.step_up:denied', 'session.step_up:success', 'passkey.remove:success']);

    // without the passkey, sign-in offers the code, which still works
    const cookie = await password(user.login);
    assert.deepEqual((await call({ cookie }, 'GET', '/api/session/webauthn')).json(), { passkey: false });
    assert.equal((await call({ cookie }, 'POST', '/api/session/second-factor', { code: currentCode(TEST_TOTP_SECRET, clock.now()) })).statusCode, 200);
  });

  test('a sign-in challenge does not answer a step-up, nor a step-up challenge a registration', async () => {
    const { user, key } = await userWithPasskey();
    const h = await signedIn(user.login);
    const stepUp = (await call(h, 'POST', '/api/session/webauthn/step-up/options')).json();
    const asRegistration = await call(h, 'POST', '/api/account/passkeys', { name: 'キー', credential: new SoftAuthenticator(ORIGIN, RP_ID).create(stepUp) });
    assert.equal(asRegistration.statusCode, 400);
    const reg = (await call(h, 'POST', '/api/account/passkeys/options')).json();
    assert.equal((await call(h, 'POST', '/api/session/webauthn/step-up', key.get(reg))).statusCode, 400);
    assert.equal(await failedAttempts(user.id), 1);
  });
});

describe('where passkeys are bound', () => {
  test('the RP ID and origin come from configuration; bad values stop the start naming the variable', () => {
    const env = (e: Record<string, string>) => loadConfig({ TSUNAGU_DATA_DIR: '/x', ...e } as NodeJS.ProcessEnv).auth.webauthn;
    assert.deepEqual(env({ TSUNAGU_WEBAUTHN_ORIGIN: 'https://staff.tsunagu.example.lg.jp' }), { rpId: 'staff.tsunagu.example.lg.jp', origin: 'https://staff.tsunagu.example.lg.jp', fromRequestHost: false });
    assert.deepEqual(env({ TSUNAGU_WEBAUTHN_RP_ID: 'tsunagu.example.lg.jp', TSUNAGU_WEBAUTHN_ORIGIN: 'https://staff.tsunagu.example.lg.jp/' }),
      { rpId: 'tsunagu.example.lg.jp', origin: 'https://staff.tsunagu.example.lg.jp', fromRequestHost: false });
    assert.deepEqual(env({ TSUNAGU_WEBAUTHN_RP_ID: 'tsunagu.example.lg.jp' }).origin, 'https://tsunagu.example.lg.jp');
    assert.deepEqual(env({}), { rpId: null, origin: null, fromRequestHost: false });
    assert.throws(() => env({ TSUNAGU_WEBAUTHN_ORIGIN: 'http://tsunagu.example.lg.jp' }), (e: Error) => e instanceof ConfigError && /TSUNAGU_WEBAUTHN_ORIGIN/.test(e.message));
    assert.throws(() => env({ TSUNAGU_WEBAUTHN_ORIGIN: 'https://tsunagu.example.lg.jp/staff' }), /TSUNAGU_WEBAUTHN_ORIGIN/);
    assert.throws(() => env({ TSUNAGU_WEBAUTHN_RP_ID: 'https://tsunagu.example.lg.jp' }), /TSUNAGU_WEBAUTHN_RP_ID/);
    assert.throws(() => env({ TSUNAGU_WEBAUTHN_RP_ID: 'example.com', TSUNAGU_WEBAUTHN_ORIGIN: 'https://tsunagu.example.lg.jp' }), /must be on the domain/);
  });

  test("without configuration, the request's host is used on localhost and in demo mode, and nowhere else", async () => {
    const off = { rpId: null, origin: null, fromRequestHost: false };
    assert.deepEqual(relyingParty(off, { protocol: 'http', host: 'localhost:3000' }), { id: 'localhost', origin: 'http://localhost:3000' });
    assert.equal(relyingParty(off, { protocol: 'https', host: 'staff.example.lg.jp' }), null);
    assert.deepEqual(relyingParty({ ...off, fromRequestHost: true }, { protocol: 'https', host: 'demo.example.jp:443' }), { id: 'demo.example.jp', origin: 'https://demo.example.jp' });
    assert.deepEqual(relyingParty({ rpId: RP_ID, origin: ORIGIN, fromRequestHost: false }, { protocol: 'http', host: 'localhost' }), { id: RP_ID, origin: ORIGIN });

    const plain = await buildTestApp(t.db, { clock, config: testConfig({ requireMfa: true }) });
    try {
      const user = await buildUser(t.db, { clock });
      const res = await plain.inject({ method: 'POST', url: '/api/session', payload: { login: user.login, password: TEST_PASSWORD } });
      const cookie = `tsunagu_session=${res.cookies.find((c) => c.name === 'tsunagu_session')!.value}`;
      const session = (await plain.inject({ method: 'POST', url: '/api/session/second-factor', headers: { cookie }, payload: { code: currentCode(TEST_TOTP_SECRET, clock.now()) } })).json();
      const h = { cookie, 'x-csrf-token': session.csrfToken };
      const local = await plain.inject({ url: '/api/account/passkeys', headers: { ...h, host: 'localhost:3000' } });
      assert.equal(local.json().available, true);
      const key = new SoftAuthenticator('http://localhost:3000', 'localhost');
      const options = await plain.inject({ method: 'POST', url: '/api/account/passkeys/options', headers: { ...h, host: 'localhost:3000' } });
      assert.equal(options.json().rp.id, 'localhost');
      const added = await plain.inject({ method: 'POST', url: '/api/account/passkeys', headers: { ...h, host: 'localhost:3000' }, payload: { name: 'キー', credential: key.create(options.json()) } });
      assert.equal(added.statusCode, 201, added.body);

      const elsewhere = { ...h, host: 'staff.example.lg.jp' };
      assert.equal((await plain.inject({ url: '/api/account/passkeys', headers: elsewhere })).json().available, false);
      const refused = await plain.inject({ method: 'POST', url: '/api/account/passkeys/options', headers: elsewhere });
      assert.equal(refused.statusCode, 409);
      assert.equal(refused.json().code, 'passkeys_unavailable');
    } finally {
      await plain.close();
    }
  });
});
