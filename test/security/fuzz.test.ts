import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDb, engine, type TestDb } from '../helpers/db.ts';
import { describeFigures, fuzz, prepareTarget, type Target } from './fuzzer.ts';

// The short profile, on both engines (a query that PGlite accepts may fail on PostgreSQL 15, or the reverse).
// The long run is bench/fuzz.ts. Replay a failure with FUZZ_SEED=<seed printed>; FUZZ_RUNS changes the count;
// FUZZ_LOG=1 prints the server's error log (the stack of a 500).
const SEED = Number(process.env.FUZZ_SEED ?? 20260610);
const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

let t: TestDb;
let target: Target;
before(async () => {
  t = await createTestDb();
  target = await prepareTarget(t.db);
});
after(async () => {
  await target?.close();
  await t?.close();
});

test(`every route of the OpenAPI document, fuzzed as every role (${RUNS} requests, seed ${SEED}, ${engine}): no 5xx, and every answer matches the schema declared for its status`, async () => {
  const figures = await fuzz(target, { runs: RUNS, seed: SEED });
  const report = describeFigures(figures);
  assert.equal(figures.failures.length, 0, `${report}\nReplay with FUZZ_SEED=${SEED} node --import tsx --test test/security/fuzz.test.ts`);
  // a fuzzer that only ever hears 400 and 401 tests nothing: half the routes at least must have been reached for
  // real (those that need a state built first — a request, an incident, a passkey challenge — rarely are by chance)
  assert.ok(figures.reached2xx >= Math.floor(figures.operations * 0.5), `too few routes answered 2xx:\n${report}`);
  for (const status of ['200', '201', '400', '401', '403', '404']) assert.ok(figures.byStatus[status] > 0, `no ${status} at all:\n${report}`);
});
