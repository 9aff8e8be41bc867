import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createTestDb, type TestDb } from '../../test/helpers/db.ts';
import { buildUser, importMusashino, signInAs, testConfig } from '../../test/helpers/factories.ts';
import { migrate } from '../db/migrate.ts';
import { FakeClock } from '../lib/clock.ts';
import { buildPublicApp } from '../modules/public/app.ts';
import { buildApp, type App } from './app.ts';
import type { BaseApp } from './base.ts';

const root = new URL('../../', import.meta.url).pathname;
const SECRET = 'header-test-pull-secret-0123456789abcdefghij';
const clock = new FakeClock('2026-07-01T00:00:00Z');

type Headers = Record<string, string | string[] | number | undefined>;

/** The directives of a Content-Security-Policy header, by name. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0]).map(([name, ...values]) => [name, values]));
}

/** Every header a response of either role must carry, whatever it answers. */
function assertStrictHeaders(what: string, h: Headers) {
  const csp = String(h['content-security-policy'] ?? '');
  assert.ok(csp, `${what}: Content-Security-Policy`);
  const d = directives(csp);
  const scripts = d.get('script-src') ?? d.get('default-src') ?? [];
  assert.deepEqual(scripts, ["'self'"], `${what}: scripts from this origin only`);
  assert.ok(!csp.includes("'unsafe-inline'") && !csp.includes("'unsafe-eval'"), `${what}: no unsafe-inline or unsafe-eval anywhere`);
  assert.deepEqual(d.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors`);
  assert.deepEqual(d.get('object-src'), ["'none'"], `${what}: object-src`);
  assert.deepEqual(d.get('base-uri'), ["'none'"], `${what}: base-uri`);
  assert.deepEqual(d.get('form-action'), ["'self'"], `${what}: form-action`);
  assert.deepEqual(d.get('img-src'), ["'self'", 'data:'], `${what}: img-src`);
  assert.match(String(h['strict-transport-security']), /^max-age=31536000; includeSubDomains$/, `${what}: HSTS`);
  assert.equal(h['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(h['referrer-policy'], 'no-referrer', `${what}: Referrer-Policy`);
  assert.equal(h['x-frame-options'], 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h['cross-origin-opener-policy'], 'same-origin', `${what}: COOP`);
  assert.equal(h['cross-origin-resource-policy'], 'same-origin', `${what}: CORP`);
  assert.match(String(h['permissions-policy']), /camera=\(\)/, `${what}: Permissions-Policy`);
}

describe('strict security headers on every response', () => {
  let staffDb: TestDb;
  let publicDb: TestDb;
  let app: App;
  let pub: BaseApp;
  let signedIn: Record<string, string>;
  const webDir = mkdtempSync(join(tmpdir(), 'tsunagu-web-'));

  before(async () => {
    // a web app of two files: the page and a script asset
    writeFileSync(join(webDir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>');
    mkdirSync(join(webDir, 'assets'));
    writeFileSync(join(webDir, 'assets', 'app.js'), 'document.getElementById("root").textContent = "つなぐ";');
    const config = { ...testConfig(), webDir };
    staffDb = await createTestDb();
    await importMusashino(staffDb.db);
    app = await buildApp({ db: staffDb.db, clock, config });
    await app.ready();
    signedIn = (await signInAs(app, (await buildUser(staffDb.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
    publicDb = await createTestDb({ migrate: false });
    await migrate(publicDb.db, { modules: ['public'] });
    pub = await buildPublicApp({ db: publicDb.db, clock, config, linkSecret: SECRET });
    await pub.ready();
  });
  after(async () => {
    await app?.close();
    await pub?.close();
    await staffDb?.close();
    await publicDb?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  test('the staff app (role all): API answers, errors, pages, assets, documents and metrics', async () => {
    const cases: [string, InjectOptions, number, RegExp][] = [
      ['JSON API 200', { url: '/api/network', headers: signedIn }, 200, /application\/json/],
      ['health', { url: '/api/health' }, 200, /application\/json/],
      ['401 not signed in', { url: '/api/network' }, 401, /application\/json/],
      ['400 bad input', { method: 'POST', url: '/api/session', payload: { login: 1 } }, 400, /application\/json/],
      ['400 broken JSON', { method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"login": ' }, 400, /application\/json/],
      ['404 unknown API path', { url: '/api/nothing-here' }, 404, /application\/json/],
      ['404 unknown HSDS record', { url: '/hsds/services/00000000-0000-4000-8000-000000000000' }, 404, /application\/json/],
      ['the single-page app', { url: '/cases' }, 200, /text\/html/],
      ['the resident page (one process)', { url: '/public/concern' }, 200, /text\/html/],
      ['a static asset', { url: '/assets/app.js' }, 200, /javascript/],
      ['OpenAPI document', { url: '/api/openapi.json' }, 200, /application\/json/],
      ['HSDS', { url: '/hsds' }, 200, /application\/json/],
      ['metrics', { url: '/metrics' }, 200, /text\/plain/],
      ['public API', { url: '/api/public/municipalities' }, 200, /application\/json/],
    ];
    for (const [what, req, status, type] of cases) {
      const res = await app.inject(req);
      assert.equal(res.statusCode, status, `${what}: ${res.body.slice(0, 200)}`);
      assert.match(String(res.headers['content-type']), type, what);
      assertStrictHeaders(what, res.headers);
    }
  });

  test('API answers are not kept in caches; the page is checked on every load, its hashed assets kept for good', async () => {
    for (const url of ['/api/network', '/api/health', '/api/nothing-here'])
      assert.equal((await app.inject({ url, headers: signedIn })).headers['cache-control'], 'no-store', url);
    for (const server of [app, pub]) {
      assert.equal((await server.inject({ url: '/public/concern' })).headers['cache-control'], 'no-cache');
      assert.equal((await server.inject({ url: '/assets/app.js' })).headers['cache-control'], 'public, max-age=31536000, immutable');
      // an earlier release's file is gone: not found, rather than the page served as a script
      const gone = await server.inject({ url: '/assets/CaseListPage-0ld0ne.js' });
      assert.equal(gone.statusCode, 404);
      assert.match(String(gone.headers['content-type']), /text\/plain/);
    }
  });

  test('a 429 from the rate limit carries them too', async () => {
    let res;
    for (let i = 0; i < 7; i++)
      res = await app.inject({ method: 'POST', url: '/api/public/concerns', remoteAddress: '192.0.2.50', payload: { aboutRelation: 'self', worries: [], concern: 'x', anonymous: true, challenge: 'x', solution: '0' } });
    assert.equal(res!.statusCode, 429);
    assert.ok(Number(res!.headers['retry-after']) > 0);
    assertStrictHeaders('429', res!.headers);
  });

  test('the public side: its pages, assets, API, link and errors', async () => {
    const cases: [string, InjectOptions, number][] = [
      ['resident page', { url: '/public/concern' }, 200],
      ['a static asset', { url: '/assets/app.js' }, 200],
      ['the root leads to the concern form', { url: '/' }, 302],
      ['a staff page is not served', { url: '/cases' }, 404],
      ['public API', { url: '/api/public/municipalities' }, 200],
      ['nothing published yet', { url: '/api/public/directory' }, 404],
      ['400 bad query', { url: '/api/public/concerns/challenge?municipality=abc' }, 400],
      ['link without the secret', { url: '/api/link/submissions' }, 401],
      ['link with a wrong secret', { url: '/api/link/submissions', headers: { authorization: 'Bearer wrong' } }, 403],
      ['link with the secret', { url: '/api/link/submissions', headers: { authorization: `Bearer ${SECRET}` } }, 200],
      ['unknown API path', { url: '/api/cases' }, 404],
      ['health', { url: '/api/health' }, 200],
      ['OpenAPI document', { url: '/api/openapi.json' }, 200],
    ];
    for (const [what, req, status] of cases) {
      const res = await pub.inject(req);
      assert.equal(res.statusCode, status, `${what}: ${res.body.slice(0, 200)}`);
      assertStrictHeaders(`public side: ${what}`, res.headers);
    }
  });

  test('the built web app has no inline script, so the policy lets it run', () => {
    const index = join(root, 'dist/web/index.html');
    if (!existsSync(index)) {
      const built = spawnSync('node', ['scripts/build-web.mjs'], { cwd: root, encoding: 'utf8' });
      assert.equal(built.status, 0, built.stderr);
    }
    const html = readFileSync(index, 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length >= 1);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, /\bsrc="\/assets\/[^"]+\.js"/, 'every script is a file of this origin');
      assert.equal(body.trim(), '', 'no inline script');
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'no inline event handler');
    assert.doesNotMatch(html, /<style\b/i, 'no inline style element');
  });
});
