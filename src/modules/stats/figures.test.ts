import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageBandOf, median, previousPeriod, resolvePeriod, suppress, suppressMedian } from './figures.ts';

const bands: [number | null, number | null, number | null, string][] = [
  [19, null, null, 'under20'], [20, null, null, '20s'], [39, null, null, '30s'], [40, null, null, '40s'], [59, null, null, '50s'], [60, null, null, '60plus'],
  [null, 40, 49, '40s'], [null, 42, 45, '40s'], [null, 15, 39, 'unknown'], [null, 60, 130, '60plus'], [null, null, null, 'unknown'],
];
for (const [age, min, max, band] of bands)
  test(`age ${age ?? '–'} (band ${min ?? '–'}–${max ?? '–'}) counts as ${band}`, () => assert.equal(ageBandOf(age, min, max), band));

test('publication shows 1 and 2 as "<3", keeps 0 and 3; a threshold of 1 suppresses nothing', () => {
  assert.deepEqual([0, 1, 2, 3, 10].map((n) => suppress(n, 3)), [0, '<3', '<3', 3, 10]);
  assert.deepEqual([0, 1, 4, 5].map((n) => suppress(n, 5)), [0, '<5', '<5', 5]);
  assert.deepEqual([1, 2].map((n) => suppress(n, 1)), [1, 2]);
  assert.equal(suppressMedian(4, 2, 3), null);
  assert.equal(suppressMedian(4, 3, 3), 4);
});

test('medians of odd and even counts', () => {
  assert.equal(median([]), null);
  assert.equal(median([5]), 5);
  assert.equal(median([3, 1]), 2);
  assert.equal(median([10, 5, 1]), 5);
});

test('a period is a fiscal year, a range, or this fiscal year in Japan', () => {
  // 23:30 on 31 March 2025 in Japan is FY2024; 00:30 on 1 April is FY2025
  assert.equal((resolvePeriod({}, new Date('2025-03-31T14:30:00Z')) as { fiscalYear: number }).fiscalYear, 2024);
  assert.equal((resolvePeriod({}, new Date('2025-03-31T15:30:00Z')) as { fiscalYear: number }).fiscalYear, 2025);
  assert.deepEqual(resolvePeriod({ from: '2024-04-01', to: '2025-03-31' }, new Date()), resolvePeriod({ fiscalYear: 2024 }, new Date()));
  assert.deepEqual(resolvePeriod({ from: '2024-05-01' }, new Date()), [{ field: 'to', message: 'A range of dates needs both from and to.' }]);
  assert.equal((resolvePeriod({ from: '2010-01-01', to: '2024-01-01' }, new Date()) as { field: string }[])[0].field, 'to');
  assert.deepEqual(previousPeriod({ from: '2024-02-29', to: '2024-03-31', fiscalYear: null, label: '', labelEn: '' }).from, '2023-02-28');
  assert.equal(previousPeriod(resolvePeriod({ fiscalYear: 2019 }, new Date()) as never).label, '平成30年度');
});

test('the suppression threshold and the no-contact days are settings, checked at start', async () => {
  const { loadConfig } = await import('../../config.ts');
  const env = (extra: Record<string, string>) => ({ TSUNAGU_DATA_DIR: '/nonexistent', ...extra }) as NodeJS.ProcessEnv;
  assert.deepEqual(loadConfig(env({})).stats, { suppressBelow: 3, noContactDays: 90 });
  assert.deepEqual(loadConfig(env({ TSUNAGU_STATS_SUPPRESS_BELOW: '5', TSUNAGU_STATS_NO_CONTACT_DAYS: '60' })).stats, { suppressBelow: 5, noContactDays: 60 });
  assert.throws(() => loadConfig(env({ TSUNAGU_STATS_SUPPRESS_BELOW: '0' })), /TSUNAGU_STATS_SUPPRESS_BELOW must be a whole number between 1 and 100/);
});
