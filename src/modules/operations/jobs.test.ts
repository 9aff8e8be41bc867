import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { FakeClock } from '../../lib/clock.ts';
import { runJobSlot, type Job } from './jobs.ts';

let t: TestDb;
before(async () => {
  t = await createTestDb();
});
after(() => t.close());

test('a scheduled job runs once per period, however many instances try it at the same moment', async () => {
  const clock = new FakeClock('2026-06-01T00:00:10Z');
  let runs = 0;
  const job: Job = { name: 'test-job', everyMs: 60_000, run: async () => { runs++; return { n: runs }; } };
  const outcomes = await Promise.all([runJobSlot(t.db, clock, job), runJobSlot(t.db, clock, job), runJobSlot(t.db, clock, job)]);
  assert.equal(runs, 1);
  assert.deepEqual(outcomes.sort(), ['ran', 'skipped', 'skipped']);
  clock.advance(30_000);
  assert.equal(await runJobSlot(t.db, clock, job), 'skipped', 'still the same minute');
  clock.advance(30_000);
  assert.equal(await runJobSlot(t.db, clock, job), 'ran', 'the next minute runs again');
  const failing: Job = { name: 'failing', everyMs: 60_000, run: async () => { throw new Error('boom'); } };
  assert.equal(await runJobSlot(t.db, clock, failing), 'failed');
  const { rows } = await t.db.query<{ outcome: string; detail: { error: string } }>("SELECT outcome, detail FROM job_run WHERE job = 'failing'");
  assert.deepEqual(rows, [{ outcome: 'failed', detail: { error: 'boom' } }]);
});
