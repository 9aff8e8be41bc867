import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, orgId, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';

let t: TestDb;
let app: App;
let headers: Record<string, string>;
before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db);
  const user = await buildUser(t.db, { org: 'soreiyu' });
  headers = (await signInAs(app, user.login)).headers;
});
after(async () => {
  await app.close();
  await t.close();
});

describe('network API', () => {
  test('the network lists organisations, programs with their owners and contractors, meeting series and areas', async () => {
    const res = await app.inject({ url: '/api/network', headers });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.municipality.name, '武蔵野市');
    assert.equal(body.organizations.length, 32);
    const outreach = body.programs.find((p: { key: string }) => p.key === 'mental-health-outreach');
    assert.equal(outreach.owners.length, 3);
    assert.equal(body.meetingSeries.length, 4);
    assert.equal(body.areas.length, 6);
  });

  test("an organisation's page shows its parent, children, programs and meetings", async () => {
    const res = await app.inject({ url: `/api/organizations/${orgId('children-youth-section')}`, headers });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.deepEqual(body.programsOwned.map((p: { key: string }) => p.key).sort(), ['mirairu-consultation', 'mirairu-drop-in']);
    assert.deepEqual(body.meetingSeries.map((s: { name: string }) => s.name), ['若者サポート推進連絡会議']);
  });

  test('an unknown organisation is 404 and a malformed id is a field-level 400', async () => {
    const missing = await app.inject({ url: '/api/organizations/00000000-0000-4000-8000-000000000000', headers });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'not_found');
    const bad = await app.inject({ url: '/api/organizations/not-a-uuid', headers });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().fields.map((f: { field: string }) => f.field), ['id']);
  });

  test('field errors come in Japanese when the client asks for it', async () => {
    const res = await app.inject({ url: '/api/organizations/x', headers: { ...headers, 'accept-language': 'ja,en;q=0.5' } });
    assert.equal(res.json().error, '入力内容を確認してください。');
    assert.match(res.json().fields[0].message, /uuid/);
  });

  test('vocabularies give Japanese and English labels for every code', async () => {
    const body = (await app.inject({ url: '/api/vocabularies', headers })).json();
    const kinds = body.organizationKinds.map((k: { code: string }) => k.code);
    assert.ok(kinds.includes('commissioned_npo'));
    assert.ok(body.issueTags.some((t: { code: string; ja: string }) => t.code === 'hikikomori' && t.ja === 'ひきこもり'));
  });
});

describe('the API as a whole', () => {
  test('every route declares who may call it', () => {
    const undeclared = app.registeredRoutes.filter((r) => !r.config || !('access' in (r.config as object)));
    assert.deepEqual(undeclared.map((r) => `${r.method} ${r.url}`), []);
  });

  test('the OpenAPI document describes the API routes', async () => {
    const res = await app.inject({ url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.match(doc.openapi, /^3\./);
    for (const path of ['/api/health', '/api/session', '/api/network', '/api/organizations', '/api/organizations/{id}', '/api/programs'])
      assert.ok(doc.paths[path], `${path} is documented`);
  });

  test('health reports the database engine', async () => {
    const res = await app.inject({ url: '/api/health' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'ok');
    assert.equal(res.json().database, t.db.engine);
    assert.equal((await app.inject({ url: '/api/ready' })).statusCode, 200);
  });

  test('an unknown API path is a JSON 404', async () => {
    const res = await app.inject({ url: '/api/nothing-here', headers });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().code, 'not_found');
  });

  test('a body that is not JSON gets a 400, not a 500', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"login": ' });
    assert.equal(res.statusCode, 400);
    assert.ok(res.json().error);
  });

  // The cases below were 500s or answers in Fastify's own format, found by the fuzzer (test/security/fuzz.test.ts).
  test('text holding a NUL character or an unpaired surrogate, which PostgreSQL cannot store, is a field-level 400', async () => {
    const broken = await app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"login":"a","password":"x\\ud800"}' });
    assert.equal(broken.statusCode, 400, broken.body);
    assert.deepEqual(broken.json().fields.map((f: { field: string }) => f.field), ['password']);
    // a character outside the BMP is a valid pair, not a broken one
    assert.equal((await app.inject({ method: 'POST', url: '/api/session', payload: { login: '𠮷野', password: 'x' } })).statusCode, 401);
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { login: 'a\u0000b', password: 'x' } });
    assert.equal(signIn.statusCode, 400, signIn.body);
    assert.deepEqual(signIn.json().fields.map((f: { field: string }) => f.field), ['login']);
    const search = await app.inject({ url: '/api/persons?q=a%00b', headers });
    assert.equal(search.statusCode, 400, search.body);
    assert.deepEqual(search.json().fields.map((f: { field: string }) => f.field), ['q']);
    // where a route reads no query string, a NUL in one is ignored like the rest of it
    assert.equal((await app.inject({ url: '/api/network?x=%00', headers })).statusCode, 200);
  });

  test('an address the router cannot read (bad percent-encoding, an over-long id) is a 400 in the API\'s error format', async () => {
    for (const url of ['/api/organizations/%ff', `/api/organizations/${'x'.repeat(300)}`]) {
      const res = await app.inject({ url, headers });
      assert.equal(res.statusCode, 400, url);
      assert.deepEqual(Object.keys(res.json()).sort(), ['code', 'error', 'fields'], url);
      assert.equal(res.json().fields[0].field, 'path');
    }
  });

  test('a version beyond what the database counts is a field-level 400', async () => {
    const res = await app.inject({ url: '/api/routing/rules?version=9007199254740991', headers });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['version']);
  });
});
