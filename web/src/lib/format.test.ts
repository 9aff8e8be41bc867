// Run: npx tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatCadence } from './cadence.ts';
import { matchesQuery } from './search.ts';
import { parseRetryAfter } from '../api.ts';

const cadences: [Parameters<typeof formatCadence>[0], string | null, string | null][] = [
  [{ every: 2, unit: 'month' }, '2か月に1回', 'every 2 months'],
  [{ every: 1, unit: 'month' }, '月1回', 'once a month'],
  [{ unit: 'week' }, '週1回', 'once a week'],
  [{ every: 2, unit: 'week' }, '2週間に1回', 'every 2 weeks'],
  [{ timesPerYear: 2 }, '年2回', 'twice a year'],
  [{ timesPerYear: 4 }, '年4回', '4 times a year'],
  [{ timesPerYear: 1, approximate: true }, '年1回程度', 'about once a year'],
  [{ every: 1, unit: 'year', approximate: true }, '年1回程度', 'about once a year'],
  [{ every: 3, unit: 'year' }, '3年に1回', 'every 3 years'],
  [{}, null, null],
  [null, null, null],
];
for (const [cadence, ja, en] of cadences) {
  test(`cadence ${JSON.stringify(cadence)} reads ${ja} / ${en}`, () => {
    assert.equal(formatCadence(cadence, 'ja'), ja);
    assert.equal(formatCadence(cadence, 'en'), en);
  });
}

test('the name filter ignores kana type, width and case', () => {
  assert.ok(matchesQuery('ソレイユ', ['それいゆ']));
  assert.ok(matchesQuery('ｿﾚｲﾕ', ['それいゆ']));
  assert.ok(matchesQuery('youth', [null, 'Soleil Youth Support']));
  assert.ok(matchesQuery('  ', ['anything']));
  assert.ok(!matchesQuery('保健所', ['健康課', null]));
});

test('Retry-After is read as seconds or as a date', () => {
  assert.equal(parseRetryAfter('120'), 120);
  assert.equal(parseRetryAfter(null), null);
  assert.equal(parseRetryAfter('soon'), null);
  const now = Date.parse('2024-12-03T05:00:00Z');
  assert.equal(parseRetryAfter('Tue, 03 Dec 2024 05:05:00 GMT', now), 300);
});
