import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { address, cadenceSchedule, normalizeForSearch } from './mapping.ts';
import { paginate } from './service.ts';
import { ageBandsFor } from './taxonomy.ts';

describe('HSDS mapping, pure parts', () => {
  test('a cadence becomes an HSDS schedule: WEEKLY or MONTHLY with an interval, and a Japanese description', () => {
    const cases: [Parameters<typeof cadenceSchedule>[0], ReturnType<typeof cadenceSchedule>][] = [
      [{ every: 1, unit: 'month' }, { freq: 'MONTHLY', interval: 1, description: '毎月' }],
      [{ every: 2, unit: 'month' }, { freq: 'MONTHLY', interval: 2, description: '2か月に1回' }],
      [{ every: 1, unit: 'week' }, { freq: 'WEEKLY', interval: 1, description: '毎週' }],
      [{ every: 2, unit: 'week' }, { freq: 'WEEKLY', interval: 2, description: '2週間に1回' }],
      [{ every: 1, unit: 'year' }, { freq: 'MONTHLY', interval: 12, description: '年1回' }],
      [{ every: 2, unit: 'year' }, { freq: 'MONTHLY', interval: 24, description: '2年に1回' }],
      [{ timesPerYear: 1 }, { freq: 'MONTHLY', interval: 12, description: '年1回' }],
      [{ timesPerYear: 2 }, { freq: 'MONTHLY', interval: 6, description: '年2回' }],
      [{ timesPerYear: 1, approximate: true }, { freq: 'MONTHLY', interval: 12, description: 'おおむね年1回' }],
      [{ timesPerYear: 26 }, { freq: 'WEEKLY', interval: 2, description: '年26回' }],
      // divides neither 12 months nor 52 weeks: the description alone
      [{ timesPerYear: 5 }, { description: '年5回' }],
      [{}, null],
    ];
    for (const [cadence, expected] of cases) assert.deepEqual(cadenceSchedule(cadence), expected, JSON.stringify(cadence));
  });

  test('an age range falls in every age band it touches; no range is no band', () => {
    assert.deepEqual(ageBandsFor(15, 49), ['age_15_39', 'age_40_64']);
    assert.deepEqual(ageBandsFor(15, 39), ['age_15_39']);
    assert.deepEqual(ageBandsFor(50, 69), ['age_40_64', 'age_65_plus']);
    assert.deepEqual(ageBandsFor(65, null), ['age_65_plus']);
    assert.deepEqual(ageBandsFor(null, 12), ['age_under_15']);
    assert.deepEqual(ageBandsFor(null, null), []);
  });

  test('search ignores width, case, kana and spaces', () => {
    assert.equal(normalizeForSearch('ソレイユ'), normalizeForSearch('それいゆ'));
    assert.equal(normalizeForSearch('ｿﾚｲﾕ'), normalizeForSearch('それいゆ'));
    assert.equal(normalizeForSearch('ＳＯＲＥＩＹＵ'), 'soreiyu');
    assert.equal(normalizeForSearch('みらいる 相談'), 'みらいる相談');
  });

  test('pages carry the counts and flags of the API reference', () => {
    const items = Array.from({ length: 21 }, (_, i) => i);
    assert.deepEqual({ ...paginate(items, 1, 5), contents: undefined }, {
      total_items: 21, total_pages: 5, page_number: 1, size: 5, first_page: true, last_page: false, empty: false, contents: undefined,
    });
    assert.deepEqual(paginate(items, 5, 5).contents, [20]);
    assert.equal(paginate(items, 5, 5).last_page, true);
    const past = paginate(items, 6, 5);
    assert.deepEqual([past.size, past.empty, past.last_page, past.contents], [0, true, true, []]);
    const none = paginate([], 1, 5);
    assert.deepEqual([none.total_items, none.total_pages, none.empty, none.first_page, none.last_page], [0, 0, true, true, true]);
  });

  test('a written address keeps its postal code apart', () => {
    const a = address('3f6d0a4e-0000-4000-8000-000000000000', '〒180-8777 東京都武蔵野市緑町2-2-28', '武蔵野市', '東京都');
    assert.equal(a.postal_code, '180-8777');
    assert.equal(a.address_1, '東京都武蔵野市緑町2-2-28');
    assert.equal(a.country, 'JP');
  });
});
