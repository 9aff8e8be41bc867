/**
 * The long run of the API fuzzer (test/security/fuzzer.ts): requests
 * generated from the OpenAPI document, sent as every role to a fresh
 * database with Musashino and a little data, every answer checked against the
 * schema declared for its status. The test command runs a short profile of
 * the same (test/security/fuzz.test.ts).
 *
 *   node --import tsx bench/fuzz.ts                                  # 10,000 requests on PGlite
 *   node --import tsx bench/fuzz.ts --runs 50000 --seed 7
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/fuzz.ts
 *     (a fresh database is created on that server and dropped afterwards)
 *
 * Prints the engine, seed, requests, answers per status, failures (each with
 * a request that shows it) and duration; exits 1 when anything failed.
 */
const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const runs = Number(arg('runs', '10000'));
const seed = Number(arg('seed', String(Date.now() % 1_000_000_000)));
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) throw new Error('--runs and --seed take whole numbers');

if (process.env.DATABASE_URL) {
  process.env.TSUNAGU_TEST_DB = 'postgres';
  process.env.TEST_DATABASE_URL = process.env.DATABASE_URL;
}
const { createTestDb, engine } = await import('../test/helpers/db.ts');
const { describeFigures, fuzz, prepareTarget } = await import('../test/security/fuzzer.ts');

const t = await createTestDb();
try {
  const target = await prepareTarget(t.db);
  console.log(`Fuzzing ${target.ops.length} operations on ${engine}: ${runs} requests, seed ${seed}`);
  const figures = await fuzz(target, { runs, seed, onProgress: (n) => n % 5000 === 0 && console.log(`  ${n} sent`) });
  console.log(describeFigures(figures));
  console.log(`${(figures.requests / (figures.durationMs / 1000)).toFixed(0)} requests/s`);
  await target.close();
  process.exitCode = figures.failures.length ? 1 : 0;
} finally {
  await t.close();
}
