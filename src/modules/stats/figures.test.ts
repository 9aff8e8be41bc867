import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageBandOf, median, previousPeriod, protectCells, resolvePeriod, SECONDARY, suppress, suppressMedian, type SumGroup } from './figures.ts';

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

// ---- secondary suppression ----------------------------------------------------------

/** A breakdown a, b, c… with its total, protected; the counts as published, total last. */
function breakdown(cells: number[], below = 3): (number | string)[] {
  const values = new Map<string, number>(cells.map((n, i) => [`c${i}`, n]));
  values.set('total', cells.reduce((a, b) => a + b, 0));
  const out = protectCells(values, [{ total: 'total', parts: cells.map((_, i) => `c${i}`) }], below);
  return [...cells.map((_, i) => out.get(`c${i}`)!), out.get('total')!];
}

test('one small count in a breakdown with its total: the next-smallest count is hidden too', () => {
  // 10 − 4 − 5 would give the 1 away
  assert.deepEqual(breakdown([4, 5, 1]), [SECONDARY, 5, '<3', 10]);
});

test('the count hidden with a small one must leave it open: 3 + 1 = 4 would give the 1 away, so the 6 is hidden instead', () => {
  // a reader knows a hidden "—" is at least 3: 10 − 6 = 4 = 3 + 1 pins the small count to 1
  assert.deepEqual(breakdown([3, 6, 1]), [3, SECONDARY, '<3', 10]);
});

test('two small counts: hidden together when their sum leaves each open, with a third when the sum pins them', () => {
  assert.deepEqual(breakdown([1, 2, 7]), ['<3', '<3', 7, 10], '1 + 2 = 3 could be 2 + 1: nothing more to hide');
  assert.deepEqual(breakdown([1, 1, 8]), ['<3', '<3', SECONDARY, 10], '2 = 1 + 1 only: the 8 is hidden');
  assert.deepEqual(breakdown([2, 2, 0, 5]), ['<3', '<3', 0, SECONDARY, 9], 'zeros are never hidden: they give nothing away');
});

test('every count of a breakdown small and their sum pins them: the total is hidden', () => {
  assert.deepEqual(breakdown([1, 1, 1, 0]), ['<3', '<3', '<3', 0, SECONDARY]);
});

test('nothing small, or suppression off: nothing changes', () => {
  assert.deepEqual(breakdown([4, 0, 9]), [4, 0, 9, 13]);
  assert.deepEqual(breakdown([4, 1, 9], 1), [4, 1, 9, 14]);
});

test('a table with row and column sums: a small count is kept from both, by hiding a rectangle', () => {
  //        c1  c2 | row
  //  r1     1   5 |  6
  //  r2     4   6 | 10
  //  col    5  11 | 16
  const values = new Map(Object.entries({ a: 1, b: 5, c: 4, d: 6, r1: 6, r2: 10, k1: 5, k2: 11, all: 16 }));
  const groups: SumGroup[] = [
    { total: 'r1', parts: ['a', 'b'] }, { total: 'r2', parts: ['c', 'd'] }, { total: 'k1', parts: ['a', 'c'] }, { total: 'k2', parts: ['b', 'd'] },
    { total: 'all', parts: ['r1', 'r2'] }, { total: 'all', parts: ['k1', 'k2'] },
  ];
  const out = Object.fromEntries(protectCells(values, groups, 3));
  assert.deepEqual(out, { a: '<3', b: SECONDARY, c: SECONDARY, d: SECONDARY, r1: 6, r2: 10, k1: 5, k2: 11, all: 16 },
    'hiding only b leaves 5 − 4 in the column; only c leaves 6 − 5 in the row; b and c alone leave d = 6, so b = 11 − 6 = 5');
});

test('a total shared by two breakdowns: once hidden for one, the other must not give it back', () => {
  // channels 1 + 1 + 1 pin each to 1, so the total is hidden; a door breakdown of that total with one door would show it again
  const values = new Map(Object.entries({ total: 3, ch1: 1, ch2: 1, ch3: 1, door: 3 }));
  const out = Object.fromEntries(protectCells(values, [{ total: 'total', parts: ['ch1', 'ch2', 'ch3'] }, { total: 'total', parts: ['door'] }], 3));
  assert.deepEqual(out, { total: SECONDARY, ch1: '<3', ch2: '<3', ch3: '<3', door: SECONDARY });
});

test('issues cover a total (one consultation may have several): a single issue with every consultation gives the total away', () => {
  // channels 1 + 1 + 1 hide the total; 「ひきこもり」 on all three would show it again (3 ≤ total ≤ 3)
  const values = new Map(Object.entries({ total: 3, ch1: 1, ch2: 1, ch3: 1, hikikomori: 3 }));
  const cover = (parts: string[]): SumGroup => ({ total: 'total', parts, cover: true });
  const out = Object.fromEntries(protectCells(values, [{ total: 'total', parts: ['ch1', 'ch2', 'ch3'] }, cover(['hikikomori'])], 3));
  assert.equal(out.hikikomori, SECONDARY);
  // issues of 3, 4 and a small one over a total of 5: the small one is at least 5 − 7, so anything: nothing more to hide
  const two = Object.fromEntries(protectCells(new Map(Object.entries({ total: 5, a: 3, b: 4, c: 1 })), [cover(['a', 'b', 'c'])], 3));
  assert.deepEqual(two, { total: 5, a: 3, b: 4, c: '<3' });
});
