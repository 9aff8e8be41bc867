import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../test/helpers/db.ts';
import { FakeClock } from '../lib/clock.ts';
import { systemActor } from '../lib/context.ts';
import { generateSynthetic, GenerateRefused, type GenerateOptions } from './generate.ts';
import { SURNAMES } from './synthetic-names.ts';

/**
 * The synthetic data set is the same for the same seed, whatever the
 * database, so a benchmark or a plan test can be run again on the same data.
 */

const TABLES = ['person', 'support_case', 'case_participant', 'contact_record', 'case_event', 'consultation', 'consultation_step', 'referral', 'referral_event', 'consent', 'meeting_session'];
const clock = new FakeClock('2026-06-10T03:00:00Z');
const run = (seed: number): Omit<GenerateOptions, 'log'> => ({ size: 'small', scale: 0.1, seed, asOf: '2026-06-10' });

/** Each table's rows, every column, in one digest per table (ordered by the row's text, so the order of writing does not count). */
async function digests(t: TestDb): Promise<Record<string, { rows: number; md5: string }>> {
  const out: Record<string, { rows: number; md5: string }> = {};
  for (const table of TABLES) {
    const { rows } = await t.db.query<{ rows: number; md5: string }>(
      `SELECT count(*)::int AS rows, md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) AS md5 FROM ${table} x`);
    out[table] = rows[0];
  }
  return out;
}

let first: TestDb;
let again: TestDb;
let other: TestDb;

before(async () => {
  [first, again, other] = await Promise.all([createTestDb(), createTestDb(), createTestDb()]);
  await generateSynthetic({ db: first.db, clock }, systemActor('test'), run(7));
  await generateSynthetic({ db: again.db, clock }, systemActor('test'), run(7));
  await generateSynthetic({ db: other.db, clock }, systemActor('test'), run(8));
});
after(async () => {
  await Promise.all([first, again, other].map((t) => t?.close()));
});

describe('the synthetic data generator', () => {
  test('the same seed writes the same rows, column for column; another seed writes others', async () => {
    const a = await digests(first);
    for (const table of TABLES) assert.ok(a[table].rows > 0, `${table} has rows`);
    assert.deepEqual(await digests(again), a);
    const b = await digests(other);
    assert.notEqual(b.person.md5, a.person.md5);
    assert.notEqual(b.consultation.md5, a.consultation.md5);
  });

  test('persons carry fictional names from the generator’s own lists, with kana', async () => {
    const { rows } = await first.db.query<{ name: string; name_kana: string | null }>('SELECT name, name_kana FROM person');
    const surnames = new Set(SURNAMES.map(([kanji]) => kanji));
    for (const p of rows) assert.ok(surnames.has(p.name.split(/[\s　]/)[0]), `${p.name} has a surname of the list`);
    assert.ok(rows.filter((p) => p.name_kana).every((p) => /^[\p{Script=Hiragana}\p{Script=Katakana}ー\s　]+$/u.test(p.name_kana!)));
  });

  test('refuses an unknown size, a seed that is not a whole number and a date after today, saying what to give', async () => {
    const refused = (opts: Partial<GenerateOptions>) =>
      assert.rejects(generateSynthetic({ db: other.db, clock }, systemActor('test'), { ...run(1), ...opts } as GenerateOptions), GenerateRefused);
    await refused({ size: 'osaka' as GenerateOptions['size'] });
    await refused({ seed: 1.5 });
    await refused({ asOf: '2026-06-11' });
  });
});
