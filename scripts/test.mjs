#!/usr/bin/env node
// The whole test suite: type check, web build, the dependency audit (a known
// high or critical vulnerability fails the run; an unreachable audit endpoint
// is a warning: scripts/audit.ts), then every test file on embedded PGlite
// and again on PostgreSQL (TEST_DATABASE_URL, or the local server at
// 127.0.0.1:5432/test when one answers). Under CI=true an unreachable
// PostgreSQL fails the run instead of being skipped. With file filters
// (npm test -- cases) only those files run, without the audit.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const ci = process.env.CI === 'true';
const filter = process.argv.slice(2);

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : findTests(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

if (run('npx', ['tsc', '-p', '.']) !== 0) {
  console.error('Type check failed.');
  process.exit(1);
}
if (run('node', ['scripts/build-web.mjs']) !== 0) process.exit(1);

// the audit's failure fails the run at the end, after the tests have said what they have to say
const auditFailed = filter.length === 0 && run('node', ['--import', 'tsx', 'scripts/audit.ts']) !== 0;

const files = [...findTests('src'), ...findTests('test'), ...findTests('web/src')].filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))).sort();
const tapDir = mkdtempSync(join(tmpdir(), 'tsunagu-tap-'));
const totals = { pass: 0, fail: 0, skipped: 0 };

function pass(label, env) {
  console.log(`\n=== Tests on ${label} (${files.length} files) ===\n`);
  const tap = join(tapDir, `${label}.tap`);
  const status = run('node', [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ], env);
  const text = readFileSync(tap, 'utf8');
  const count = (k) => Number(text.match(new RegExp(`^# ${k} (\\d+)$`, 'm'))?.[1] ?? 0);
  totals.pass += count('pass');
  totals.fail += count('fail') + count('cancelled');
  totals.skipped += count('skipped');
  return status;
}

let failed = pass('PGlite', { TSUNAGU_TEST_DB: 'pglite' }) !== 0 || auditFailed;

const pgUrl = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
let pgReachable = false;
try {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  await c.connect();
  await c.end();
  pgReachable = true;
} catch (err) {
  const msg = `PostgreSQL at ${pgUrl.replace(/\/\/[^@]*@/, '//…@')} is not reachable (${err.message}).`;
  if (ci) {
    console.error(`\n${msg} Under CI=true the PostgreSQL run is required: failing.`);
    failed = true;
  } else {
    console.log(`\n*** SKIPPED the PostgreSQL run: ${msg} Set TEST_DATABASE_URL to run the suite on PostgreSQL too. ***`);
  }
}
if (pgReachable) failed = pass('PostgreSQL', { TSUNAGU_TEST_DB: 'postgres', TEST_DATABASE_URL: pgUrl }) !== 0 || failed;

rmSync(tapDir, { recursive: true, force: true });
console.log(`\n${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`);
if (auditFailed) console.error('The dependency audit failed (see above): failing the run.');
process.exit(failed || totals.fail > 0 ? 1 : 0);
