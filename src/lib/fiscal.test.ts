import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addDays, eraOf, fiscalYearLabel, fiscalYearLabelEn, fiscalYearOf, fiscalYearOfDate, fiscalYearRange, fiscalYearShortLabel, japanDate, japanDayStart,
  monthsBetween, warekiDate, warekiMonth,
} from './fiscal.ts';

const labels: [number, string, string][] = [
  [2024, '令和6年度', 'R6'],
  [2021, '令和3年度', 'R3'],
  [2020, '令和2年度', 'R2'],
  // April 2019 was still 平成31年, but the year is 令和元年度 (DOMAIN.md §6)
  [2019, '令和元年度', 'R1'],
  [2018, '平成30年度', 'H30'],
  [2015, '平成27年度', 'H27'],
  [1989, '平成元年度', 'H1'],
  // 平成 began on 1989-01-08, in the calendar year after this 年度 started
  [1988, '昭和63年度', 'S63'],
];
for (const [fy, ja, short] of labels) {
  test(`fiscal year ${fy} is ${ja} (${short})`, () => {
    assert.equal(fiscalYearLabel(fy), ja);
    assert.equal(fiscalYearShortLabel(fy), short);
  });
}

test('the English label names the months', () => assert.equal(fiscalYearLabelEn(2024), 'FY2024 (April 2024 – March 2025)'));

test('a fiscal year runs from 1 April to 31 March', () => {
  assert.deepEqual(fiscalYearRange(2024), { from: '2024-04-01', to: '2025-03-31' });
  assert.equal(fiscalYearOfDate('2025-03-31'), 2024);
  assert.equal(fiscalYearOfDate('2025-04-01'), 2025);
  assert.equal(fiscalYearOfDate('2025-01-01'), 2024);
});

test('an instant belongs to the fiscal year of its date in Japan', () => {
  // 2025-03-31 23:30 in Japan is still FY2024; 15:00 UTC on 31 March is already 1 April in Japan
  assert.equal(fiscalYearOf(new Date('2025-03-31T14:30:00Z')), 2024);
  assert.equal(fiscalYearOf(new Date('2025-03-31T15:00:00Z')), 2025);
  assert.equal(japanDate(japanDayStart('2025-04-01')), '2025-04-01');
  assert.equal(japanDayStart('2025-04-01').toISOString(), '2025-03-31T15:00:00.000Z');
});

test('the era changes on 1 May 2019', () => {
  assert.deepEqual(eraOf('2019-04-30'), { name: '平成', nameEn: 'Heisei', letter: 'H', year: 31 });
  assert.deepEqual(eraOf('2019-05-01'), { name: '令和', nameEn: 'Reiwa', letter: 'R', year: 1 });
  assert.equal(warekiMonth('2019-04'), '平成31年4月');
  assert.equal(warekiMonth('2019-05'), '令和元年5月');
  assert.equal(warekiMonth('2025-03'), '令和7年3月');
  assert.equal(warekiDate('2019-04-30'), '平成31年4月30日');
  assert.equal(warekiDate('2019-05-01'), '令和元年5月1日');
});

test('days and months across the year end and leap days', () => {
  assert.equal(addDays('2025-03-31', 1), '2025-04-01');
  assert.equal(addDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addDays('2024-04-01', -1), '2024-03-31');
  assert.deepEqual(monthsBetween('2024-04-01', '2025-03-31'), [
    '2024-04', '2024-05', '2024-06', '2024-07', '2024-08', '2024-09', '2024-10', '2024-11', '2024-12', '2025-01', '2025-02', '2025-03',
  ]);
  assert.deepEqual(monthsBetween('2024-12-15', '2025-01-02'), ['2024-12', '2025-01']);
});
