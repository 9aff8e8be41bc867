/**
 * sqlmap (Debian's package) against a local instance: the intake, search and
 * list parameters, signed in as the hub. Nothing may be reported injectable.
 *
 * Runs once, on the PGlite pass only: injectability is a property of how the
 * app builds its SQL, which is the same text on both engines (one dialect,
 * parameters always bound), and sqlmap's minutes are better spent once. A
 * deliberately injectable route, added to this test's app only, shows that
 * sqlmap as configured here (session cookie, CSRF header, level, techniques)
 * does find an injection when there is one.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SIGNED_IN } from '../../src/http/access.ts';
import { buildApp, type App } from '../../src/http/app.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import { createTestDb, engine, type TestDb } from '../helpers/db.ts';
import { buildUser, importMusashino, programId, signInAs, TEST_SHARE_BASIS, testConfig } from '../helpers/factories.ts';

const SQLMAP = process.env.SQLMAP_PATH ?? 'sqlmap';

/** Why sqlmap cannot run here, or null. Under CI it is required (installed by .ci/run), so a missing one fails. */
function sqlmapUnavailable(): string | null {
  if (spawnSync(SQLMAP, ['--version'], { encoding: 'utf8' }).status === 0) return null;
  const why = `sqlmap is not installed (${SQLMAP}; apt-get install sqlmap)`;
  if (process.env.CI === 'true') throw new Error(`The sqlmap test is required under CI: ${why}`);
  return why;
}

const skip = engine !== 'pglite' ? 'runs on the PGlite pass only (the SQL text is the same on both engines)' : sqlmapUnavailable();

interface Target {
  name: string;
  url: string;
  /** JSON body: sqlmap then tests each of its values. */
  data?: string;
  /** Parameters to test (GET); all of the body's for POST. */
  params?: string[];
  /** sqlmap's level: 3 (more boundaries, such as inside LIKE patterns) unless told. */
  level?: number;
}

interface Result {
  injectable: boolean;
  output: string;
  seconds: number;
}

describe('sqlmap finds nothing injectable in the intake, search and list parameters', { skip: skip ?? false }, () => {
  const clock = new FakeClock('2026-06-10T01:00:00Z');
  let t: TestDb;
  let app: App;
  let base = '';
  let headers: string[] = [];
  let caseId = '';
  let cursor = '';
  let work = '';

  before(async () => {
    t = await createTestDb();
    await importMusashino(t.db, clock);
    app = await buildApp({ db: t.db, clock, config: testConfig() });
    // The canary: the one route here that builds SQL by pasting text. Only this test's app has it.
    app.get('/api/sqlmap-canary', { config: { access: SIGNED_IN } }, async (req) => {
      const q = String((req.query as { q?: string }).q ?? '');
      const { rows } = await t.db.query(`SELECT name FROM organization WHERE name_en = '${q}' ORDER BY name`);
      return { items: rows };
    });
    await app.ready();
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    const hub = await signInAs(app, (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login, undefined, clock);
    headers = [`Cookie: ${hub.cookie}`, `X-CSRF-Token: ${hub.csrfToken}`];
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${base}${path}`, { method, headers: { cookie: hub.cookie, 'x-csrf-token': hub.csrfToken, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
      const text = await res.text();
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
      return JSON.parse(text);
    };
    // rows to find, so that true and false conditions would show in the answers
    for (const [name, kana] of [['武蔵野 一郎', 'むさしの いちろう'], ['武蔵野 二郎', 'むさしの じろう']]) {
      const consultation = await call('POST', '/api/consultations', CONSULTATION);
      const c = await call('POST', '/api/cases', { consultationIds: [consultation.id], person: { name, nameKana: kana, birthDate: '1974-01-01' } });
      caseId = c.id;
      await call('POST', `/api/cases/${c.id}/referrals`, { toProgramId: programId('work-readiness-support'), reason: '就労準備', sharedSummary: '52歳男性。', urgency: 'normal', firstContactDue: '2026-06-20', legalBasis: TEST_SHARE_BASIS });
    }
    cursor = (await call('GET', '/api/cases?scope=all&limit=1')).nextCursor;
    work = mkdtempSync(join(tmpdir(), 'tsunagu-sqlmap-'));
  });
  after(async () => {
    await app?.close();
    await t?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Runs sqlmap on one target; injectable when it reports an injection point (in its output or its log file). */
  async function sqlmap(target: Target, opts: { timeoutSeconds: number }): Promise<Result> {
    const out = join(work, target.name);
    const args = [
      '-u', `${base}${target.url}`, '--batch', `--level=${target.level ?? 3}`, '--risk=2', '--dbms=PostgreSQL', '--technique=BEUST', '--time-sec=2',
      '--timeout=10', '--retries=0', '--skip-waf', '--flush-session', '--disable-coloring', `--output-dir=${out}`,
      '--headers', (target.data ? [...headers, 'Content-Type: application/json'] : headers).join('\n'),
      ...(target.data ? ['--data', target.data, '--method', 'POST'] : []),
      // the parameters, not the headers that level 3 would add (User-Agent, Referer)
      ...(target.params ? ['-p', target.params.join(',')] : ['--param-exclude', '^(User-Agent|Referer|Host|Cookie)$']),
    ];
    const started = Date.now();
    const child = spawn(SQLMAP, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutSeconds * 1000);
    const code: number | null = await new Promise((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    const seconds = (Date.now() - started) / 1000;
    assert.notEqual(code, null, `sqlmap on ${target.name} did not finish within ${opts.timeoutSeconds} s:\n${output.slice(-3000)}`);
    const logs = existsSync(out) ? readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('log')).map((f) => readFileSync(join(out, f), 'utf8')).join('\n') : '';
    const injectable = /identified the following injection point|is vulnerable|appears to be .* injectable/i.test(output) || /Parameter: /.test(logs);
    return { injectable, output, seconds };
  }

  test('sqlmap, as configured here, does find the canary route injectable (so a clean result below means something)', async () => {
    const r = await sqlmap({ name: 'canary', url: '/api/sqlmap-canary?q=Livelihood%20Welfare%20Section', params: ['q'] }, { timeoutSeconds: 90 });
    assert.ok(r.injectable, `sqlmap did not find the canary's injection in ${r.seconds} s:\n${r.output.slice(-3000)}`);
  });

  const targets = (): Target[] => [
    { name: 'person-search', url: '/api/persons?q=%E6%AD%A6%E8%94%B5%E9%87%8E&limit=20', params: ['q', 'limit'] },
    { name: 'case-list', url: `/api/cases?scope=all&status=open&limit=50&cursor=${encodeURIComponent(cursor)}`, params: ['scope', 'status', 'limit', 'cursor'] },
    { name: 'consultation-list', url: '/api/consultations?status=triage&organizationId=all&limit=50', params: ['status', 'organizationId', 'limit'] },
    { name: 'referral-list', url: `/api/referrals?caseId=${caseId}&open=true&limit=50`, params: ['caseId', 'open', 'limit'] },
    // every probe records a consultation (with its audit row): level 2 keeps this one within its budget
    { name: 'consultation-intake', url: '/api/consultations', data: JSON.stringify(CONSULTATION), level: 2 },
    // per_page is a bounded integer (every probe is a 400); testing it too would pass the route's 600 requests a minute
    { name: 'hsds-search', url: '/hsds/services?search=%E7%9B%B8%E8%AB%87&per_page=10', params: ['search'] },
  ];

  test('the intake, search and list parameters: nothing injectable', async (ctx) => {
    const found: string[] = [];
    const took: string[] = [];
    for (const target of targets()) {
      // the session reaches the handler, so sqlmap's probes test the queries and not the sign-in check
      const check = await fetch(`${base}${target.url}`, {
        method: target.data ? 'POST' : 'GET', body: target.data,
        headers: Object.fromEntries([...headers, ...(target.data ? ['Content-Type: application/json'] : [])].map((h) => h.split(': ') as [string, string])),
      });
      const answer = await check.text();
      assert.ok(check.ok, `${target.name}: ${check.status} ${answer}`);
      const r = await sqlmap(target, { timeoutSeconds: 90 });
      took.push(`${target.name} ${r.seconds.toFixed(0)} s`);
      // throttled probes would test nothing (the HSDS routes allow 600 a minute per address)
      assert.doesNotMatch(r.output, /429 \(Too Many Requests\)/, `${target.name}: sqlmap was rate-limited, so some of its probes were not tested`);
      if (r.injectable) found.push(`${target.name}:\n${r.output.slice(-4000)}`);
    }
    ctx.diagnostic(`sqlmap took ${took.join(', ')}`);
    assert.deepEqual(found, [], `sqlmap reports injection points (${took.join(', ')})`);
  });
});

const CONSULTATION = {
  receivedAt: '2026-06-09T01:00:00Z', channel: 'phone', consulterRelation: 'family', consulterDetail: '母', age: 52,
  issueTags: ['hikikomori', '8050'], mainIssue: 'hikikomori', summary: '52歳の息子が10年ほど家から出ていない。', urgency: 'normal',
};
