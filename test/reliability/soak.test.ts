import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSoak } from '../../reliability/soak.ts';
import { engine } from '../helpers/db.ts';

// The short version of reliability/soak.ts: two instances on one PostgreSQL
// behind a proxy, one restarted halfway, mixed traffic; the long run's figures
// are in bench/README.md.
test('two instances under mixed load, one restarted halfway: no 500s, every acknowledged write present', { skip: engine !== 'postgresql' ? 'two instances share a PostgreSQL: runs in that pass' : false }, async () => {
  const report = await runSoak(20, 10, process.env.TEST_DATABASE_URL!, (s) => console.log(`# ${s}`));
  console.log(`# soak: ${JSON.stringify(report)}`);
  assert.ok(report.requests > 100);
  assert.equal(report.errors5xx, 0, JSON.stringify(report.byStatus));
  assert.equal(report.withoutRetryAfter, 0, 'every 503 says when to retry');
  assert.ok(report.writesAcknowledged > 0);
  assert.equal(report.writesFound, report.writesAcknowledged);
});
