// Run: npx tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatDate, formatDateTime, formatWareki, formatWestern, fromJapanDateTimeInputs, japanDateTimeInputs, parseIsoDate, toGannen,
} from './dates.ts';

const wareki: [string, string][] = [
  ['2021-04-01', '令和3年4月1日'],
  ['2021-04', '令和3年4月'],
  ['2021', '令和3年'],
  ['2019-04-30', '平成31年4月30日'],
  ['2019-05-01', '令和元年5月1日'],
  ['2019-04', '平成31年4月'],
  ['2019-05', '令和元年5月'],
  ['2019', '平成31年（令和元年）'],
  ['2020', '令和2年'],
  ['1989-01-07', '昭和64年1月7日'],
  ['1989-01-08', '平成元年1月8日'],
  ['2011-11-11', '平成23年11月11日'],
  ['2024-12-03T05:00:00Z', '令和6年12月3日'],
  // 23:30 UTC on 31 March is already 1 April in Japan.
  ['2024-03-31T23:30:00Z', '令和6年4月1日'],
];
for (const [iso, expected] of wareki) {
  test(`${iso} is ${expected} in 和暦`, () => assert.equal(formatWareki(iso), expected));
}

const western: [string, string][] = [
  ['2021-04-01', '1 April 2021'],
  ['2021-04', 'April 2021'],
  ['2021', '2021'],
  ['2024-03-31T23:30:00Z', '1 April 2024'],
];
for (const [iso, expected] of western) {
  test(`${iso} is ${expected} in English`, () => assert.equal(formatWestern(iso), expected));
}

test('the UI language picks the calendar', () => {
  assert.equal(formatDate('2021-04-01', 'ja'), '令和3年4月1日');
  assert.equal(formatDate('2021-04-01', 'en'), '1 April 2021');
});

test('a timestamp shows its time in Japan time', () => {
  assert.equal(formatDateTime('2024-12-03T05:00:00Z', 'ja'), '令和6年12月3日 14:00');
  assert.equal(formatDateTime('2024-12-03T05:00:00Z', 'en'), '3 December 2024, 14:00');
  assert.equal(formatDateTime('2024-12', 'ja'), '令和6年12月');
});

test('text that is not a stored date is shown as it is', () => {
  for (const bad of ['', 'R3.4', '2021-13', '2021-02-30', '2021/04/01']) {
    assert.equal(parseIsoDate(bad), null, bad);
    assert.equal(formatDate(bad, 'ja'), bad);
  }
});

test('元年 replaces only a lone 1年', () => {
  assert.equal(toGannen('令和1年5月1日'), '令和元年5月1日');
  assert.equal(toGannen('平成11年1月1日'), '平成11年1月1日');
  assert.equal(toGannen('平成21年'), '平成21年');
});

test('date and time inputs are read and written in Japan time', () => {
  assert.deepEqual(japanDateTimeInputs(new Date('2024-03-31T23:30:00Z')), { date: '2024-04-01', time: '08:30' });
  assert.equal(fromJapanDateTimeInputs('2024-04-01', '08:30'), '2024-04-01T08:30:00+09:00');
  assert.equal(new Date(fromJapanDateTimeInputs('2024-04-01', '08:30')!).toISOString(), '2024-03-31T23:30:00.000Z');
  for (const [date, time] of [['', '08:30'], ['2024-02-30', '08:30'], ['2024-04-01', '24:00'], ['2024-04-01', '8:30']]) {
    assert.equal(fromJapanDateTimeInputs(date!, time!), null, `${date} ${time}`);
  }
});
