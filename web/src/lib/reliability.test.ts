// Run: node --import tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../api.ts';
import {
  clearDrafts, clearOtherUsersDrafts, draftKey, newIdempotencyKey, readDraft, removeDraft, restoreValue, writeDraft, type DraftStorage,
} from './drafts.ts';
import { keyIsSpent, nextDelay, outcomeUnknown, SEND_RETRY, withRetries } from './retry.ts';

/** sessionStorage as a Map. */
function fakeStorage(): DraftStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get length() { return map.size; },
    key: (i) => [...map.keys()][i] ?? null,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => { map.set(k, v); },
    removeItem: (k) => { map.delete(k); },
  };
}

const USER = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

test('a draft is kept per user and form, and read back with its key', () => {
  const s = fakeStorage();
  writeDraft(s, USER, 'consultation-new', { value: { summary: '母からの電話' }, savedAt: '2025-04-01T00:00:00Z', idempotencyKey: 'k-1' });
  assert.deepEqual(readDraft(s, USER, 'consultation-new'), { value: { summary: '母からの電話' }, savedAt: '2025-04-01T00:00:00Z', idempotencyKey: 'k-1' });
  assert.equal(readDraft(s, OTHER, 'consultation-new'), null, 'another user does not see it');
  assert.equal(readDraft(s, USER, 'contact:abc'), null, 'another form does not see it');
  removeDraft(s, USER, 'consultation-new');
  assert.equal(s.map.size, 0);
});

test('what cannot be read is no draft: another format, broken JSON, blocked storage', () => {
  const s = fakeStorage();
  s.setItem(draftKey(USER, 'a'), '{"value":1}');
  s.setItem(draftKey(USER, 'b'), '{not json');
  assert.equal(readDraft(s, USER, 'a'), null);
  assert.equal(readDraft(s, USER, 'b'), null);
  assert.equal(readDraft(null, USER, 'a'), null);
  const blocked: DraftStorage = { length: 0, key: () => null, getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => {} };
  assert.equal(readDraft(blocked, USER, 'a'), null);
  assert.equal(writeDraft(blocked, USER, 'a', { value: 1, savedAt: '', idempotencyKey: null }), false);
});

test('signing out clears all of that user’s drafts; another user signing in clears everyone else’s', () => {
  const s = fakeStorage();
  const d = { value: 'x', savedAt: '2025-04-01T00:00:00Z', idempotencyKey: null };
  writeDraft(s, USER, 'consultation-new', d);
  writeDraft(s, USER, `contact:${OTHER}`, d);
  writeDraft(s, OTHER, 'consultation-new', d);
  s.setItem('tsunagu.language', 'ja');
  clearDrafts(s, USER);
  assert.deepEqual([...s.map.keys()].sort(), [draftKey(OTHER, 'consultation-new'), 'tsunagu.language'].sort());
  writeDraft(s, USER, 'case-new:', d);
  clearOtherUsersDrafts(s, USER);
  assert.deepEqual([...s.map.keys()].sort(), [draftKey(USER, 'case-new:'), 'tsunagu.language'].sort());
});

test('a stored draft fills only the fields the form has, of the same kind', () => {
  const fresh = { summary: '', issueTags: [] as string[], familyOnly: false, chosen: null as null | { id: string } };
  assert.deepEqual(
    restoreValue(fresh, { summary: 'a', issueTags: ['hikikomori'], familyOnly: 'yes', chosen: { id: 'p' }, gone: 1 }),
    { summary: 'a', issueTags: ['hikikomori'], familyOnly: false, chosen: { id: 'p' } },
  );
  assert.deepEqual(restoreValue(fresh, { summary: null, issueTags: 'x' }), fresh);
  assert.deepEqual(restoreValue(fresh, 'text'), fresh);
});

test('an idempotency key is a version-4 UUID, also without crypto.randomUUID (plain http)', () => {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  assert.match(newIdempotencyKey(), uuid);
  // What a page served over plain http has: getRandomValues, but no randomUUID.
  const insecure = { getRandomValues: crypto.getRandomValues.bind(crypto) };
  const a = newIdempotencyKey(insecure);
  assert.match(a, uuid);
  assert.notEqual(a, newIdempotencyKey(insecure));
});

const e = (status: number, retryAfter: number | null = null, code: string | null = null) => new ApiError(status, 'x', [], retryAfter, code);

const outcomes: [string, unknown, boolean, boolean][] = [
  // error, outcome unknown (retry with the same key), key spent (use a new one next time)
  ['no answer', e(0), true, false],
  ['server unavailable', e(503, 5), true, false],
  ['bad gateway', e(502), true, false],
  ['gateway timeout', e(504), true, false],
  ['same key still in progress', e(409, 2), true, false],
  ['a stale version', e(409), false, true],
  ['field errors', e(400), false, true],
  ['forbidden', e(403), false, true],
  ['key used for other content', e(422, null, 'idempotency_mismatch'), false, true],
  ['session expired', e(401), false, false],
  ['too many requests', e(429, 30), false, false],
  ['a bug', e(500), false, false],
  ['not an API error', new Error('x'), false, false],
];
for (const [name, error, unknown, spent] of outcomes) {
  test(`${name}: outcome ${unknown ? 'unknown' : 'known'}, key ${spent ? 'spent' : 'kept'}`, () => {
    assert.equal(outcomeUnknown(error), unknown);
    assert.equal(keyIsSpent(error), spent);
  });
}

test('retries wait as Retry-After says, else 1 s, 2 s, 4 s, and stop at four attempts or the budget', () => {
  assert.equal(nextDelay(1, 1, 0), 1000);
  assert.equal(nextDelay(1, null, 0), 1000);
  assert.equal(nextDelay(2, null, 1000), 2000);
  assert.equal(nextDelay(3, null, 3000), 4000);
  assert.equal(nextDelay(4, null, 7000), null, 'four attempts in all');
  assert.equal(nextDelay(1, 30, 0), null, 'a Retry-After beyond the budget is not waited for');
  assert.equal(nextDelay(2, 5, SEND_RETRY.budgetMs - 4000), null);
  assert.equal(nextDelay(2, 5, SEND_RETRY.budgetMs - 5000), 5000);
});

test('a send whose outcome is unknown is repeated until it succeeds, and a refusal is not repeated', async () => {
  const waits: number[] = [];
  const told: number[] = [];
  let calls = 0;
  const value = await withRetries(async () => {
    calls++;
    if (calls === 1) throw e(503, 1);
    if (calls === 2) throw e(0);
    return 'saved';
  }, { sleep: async (ms) => { waits.push(ms); }, onRetry: (n) => told.push(n), now: () => 0 });
  assert.equal(value, 'saved');
  assert.deepEqual(waits, [1000, 2000]);
  assert.deepEqual(told, [2, 3]);

  calls = 0;
  await assert.rejects(withRetries(async () => { calls++; throw e(400); }, { sleep: async () => {} }), (err: ApiError) => err.status === 400);
  assert.equal(calls, 1);

  calls = 0;
  await assert.rejects(withRetries(async () => { calls++; throw e(0); }, { sleep: async () => {}, now: () => 0 }), (err: ApiError) => err.status === 0);
  assert.equal(calls, SEND_RETRY.maxAttempts);
});
