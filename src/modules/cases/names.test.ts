import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { grams, nameKey, personGrams, queryGrams } from './names.ts';

describe('name matching', () => {
  const same: [string, string][] = [
    ['山田 太郎', '山田太郎'],
    ['山田\u3000太郎', '山田 太郎'],
    ['ヤマダ タロウ', 'やまだたろう'],
    ['ﾔﾏﾀﾞ ﾀﾛｳ', 'やまだ たろう'],
    ['ＹＡＭＡＤＡ', 'yamada'],
  ];
  for (const [a, b] of same) test(`"${a}" and "${b}" are the same name`, () => assert.equal(nameKey(a), nameKey(b)));

  test('a query matches when all its bigrams are among the name\'s', () => {
    const indexed = new Set(personGrams('武蔵野 一郎', 'むさしの いちろう'));
    for (const q of ['武蔵野', '一郎', 'ムサシノ', 'いちろう', 'ｲﾁﾛｳ', '郎']) assert.ok(queryGrams(q).every((g) => indexed.has(g)), q);
    assert.ok(!queryGrams('次郎').every((g) => indexed.has(g)));
  });

  test('grams include single characters and adjacent pairs', () => {
    assert.deepEqual(grams('abc').sort(), ['a', 'ab', 'b', 'bc', 'c']);
  });
});
