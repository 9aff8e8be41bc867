// Run: node --import tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeRows, mergeValues, suggestedChoices, unchosen, type MergeGroup } from './merge.ts';

interface Fields {
  phone: string | null;
  address: string | null;
  birthDate: string | null;
  ageBand: { min: number; max: number } | null;
  email: string | null;
}
const GROUPS: MergeGroup<Fields>[] = [
  { key: 'age', fields: ['birthDate', 'ageBand'] },
  { key: 'phone', fields: ['phone'] },
  { key: 'address', fields: ['address'] },
  { key: 'email', fields: ['email'] },
];
const base: Fields = { phone: null, address: null, birthDate: null, ageBand: { min: 50, max: 59 }, email: 'a@example.jp' };

test('each side changed a different field: both changes are suggested, nothing is left to choose', () => {
  const mine = { ...base, address: '武蔵野市中町1-1-1' };
  const theirs = { ...base, phone: '0422-00-0001' };
  const rows = mergeRows(base, mine, theirs, GROUPS);
  assert.deepEqual(rows, [
    { key: 'phone', mineChanged: false, theirsChanged: true, suggested: 'theirs' },
    { key: 'address', mineChanged: true, theirsChanged: false, suggested: 'mine' },
  ]);
  const choices = suggestedChoices(rows);
  assert.deepEqual(unchosen(rows, choices), []);
  assert.deepEqual(mergeValues(mine, theirs, GROUPS, choices), { ...base, phone: '0422-00-0001', address: '武蔵野市中町1-1-1' });
});

test('both changed the same field differently: the user chooses; the same change twice is no difference', () => {
  const mine = { ...base, phone: '090-1111-2222', email: 'b@example.jp' };
  const theirs = { ...base, phone: '0422-00-0001', email: 'b@example.jp' };
  const rows = mergeRows(base, mine, theirs, GROUPS);
  assert.deepEqual(rows, [{ key: 'phone', mineChanged: true, theirsChanged: true, suggested: null }]);
  assert.deepEqual(unchosen(rows, suggestedChoices(rows)), ['phone']);
  assert.equal(mergeValues(mine, theirs, GROUPS, { phone: 'mine' }).phone, '090-1111-2222');
  assert.equal(mergeValues(mine, theirs, GROUPS, { phone: 'theirs' }).phone, '0422-00-0001');
});

test('fields that change together are one row and are taken together', () => {
  const mine = { ...base, birthDate: '1973-01-01', ageBand: null };
  const theirs = { ...base, ageBand: { min: 60, max: 69 } };
  const rows = mergeRows(base, mine, theirs, GROUPS);
  assert.deepEqual(rows.map((r) => [r.key, r.suggested]), [['age', null]]);
  const kept = mergeValues(mine, theirs, GROUPS, { age: 'mine' });
  assert.deepEqual([kept.birthDate, kept.ageBand], ['1973-01-01', null]);
  const taken = mergeValues(mine, theirs, GROUPS, { age: 'theirs' });
  assert.deepEqual([taken.birthDate, taken.ageBand], [null, { min: 60, max: 69 }]);
});
