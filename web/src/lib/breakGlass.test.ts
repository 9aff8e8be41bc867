// Run: node --import tsx --test web/src/lib/breakGlass.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  alertLink, checkEmergencyForm, forgetUse, rememberUse, rememberedUse, shouldAskForAlerts, stateOfUse, untilText, type UseStorage,
} from './breakGlass.ts';

class FakeStorage implements UseStorage {
  readonly items = new Map<string, string>();
  getItem(k: string) { return this.items.get(k) ?? null; }
  setItem(k: string, v: string) { this.items.set(k, v); }
  removeItem(k: string) { this.items.delete(k); }
}

test('the emergency form needs a case number and a reason of at least ten characters', () => {
  assert.deepEqual(checkEmergencyForm({ caseReference: ' ', reason: '' }), { caseReference: 'required', reason: 'required' });
  assert.deepEqual(checkEmergencyForm({ caseReference: 'C2026-00001', reason: '　緊急のため　' }), { reason: 'tooShort' });
  assert.deepEqual(checkEmergencyForm({ caseReference: 'C2026-00001', reason: '訪問先で本人が倒れていた' }), {});
  assert.deepEqual(checkEmergencyForm({ caseReference: 'C2026-00001', reason: '  123456789  ' }), { reason: 'tooShort' }, 'spaces do not count');
});

test('a use is active until its limit; an end at the limit is the time limit, an earlier one its user', () => {
  const now = new Date('2026-06-01T03:00:00Z');
  assert.equal(stateOfUse({ expiresAt: '2026-06-01T04:00:00.000Z', endedAt: null }, now), 'active');
  assert.equal(stateOfUse({ expiresAt: '2026-06-01T02:59:00.000Z', endedAt: null }, now), 'timeLimit', 'past its limit before the job ends it');
  assert.equal(stateOfUse({ expiresAt: '2026-06-01T04:00:00.000Z', endedAt: '2026-06-01T02:30:00.000Z' }, now), 'ended');
  assert.equal(stateOfUse({ expiresAt: '2026-06-01T02:00:00.000Z', endedAt: '2026-06-01T02:00:00.000Z' }, now), 'timeLimit');
});

test('until when: the time in Japan, with the date when it is not today there', () => {
  const now = new Date('2026-06-01T03:00:00Z'); // 12:00 in Japan
  assert.equal(untilText('2026-06-01T05:05:00.000Z', now, 'ja'), '14時05分');
  assert.equal(untilText('2026-06-01T05:05:00.000Z', now, 'en'), '14:05');
  // 23:30 UTC is already the next day in Japan
  assert.equal(untilText('2026-06-01T23:30:00.000Z', now, 'ja'), '令和8年6月2日8時30分');
  assert.equal(untilText('2026-06-01T23:30:00.000Z', now, 'en'), '2 June 2026, 08:30');
});

test('the tab remembers a use per user and case, only while its time lasts', () => {
  const storage = new FakeStorage();
  const now = new Date('2026-06-01T03:00:00Z');
  rememberUse(storage, 'u1', { id: 'bg1', caseId: 'c1', expiresAt: '2026-06-01T05:00:00.000Z' });
  assert.deepEqual(rememberedUse(storage, 'u1', 'c1', now), { id: 'bg1', expiresAt: '2026-06-01T05:00:00.000Z' });
  assert.equal(rememberedUse(storage, 'u2', 'c1', now), null, 'another user of the same tab does not see it');
  assert.equal(rememberedUse(storage, 'u1', 'c2', now), null);
  assert.equal(rememberedUse(storage, 'u1', 'c1', new Date('2026-06-01T05:00:00Z')), null, 'at its limit it is gone');
  assert.equal(storage.items.size, 0, 'and forgotten');

  rememberUse(storage, 'u1', { id: 'bg2', caseId: 'c1', expiresAt: '2026-06-01T05:00:00.000Z' });
  forgetUse(storage, 'u1', 'c1');
  assert.equal(rememberedUse(storage, 'u1', 'c1', now), null);

  storage.setItem('tsunagu.breakGlass:u1:c1', '{not json');
  assert.equal(rememberedUse(storage, 'u1', 'c1', now), null);
  assert.equal(storage.items.size, 0);
  assert.equal(rememberedUse(null, 'u1', 'c1', now), null, 'without storage nothing is remembered');
});

test('the unread count is asked at once, on navigation now and then, and on the timer only for a user who is there', () => {
  const t0 = 1_000_000;
  assert.equal(shouldAskForAlerts('tick', { now: t0, lastAsked: null, lastActivity: 0, visible: false }), true, 'the first time');
  assert.equal(shouldAskForAlerts('navigation', { now: t0 + 5_000, lastAsked: t0, lastActivity: t0 + 5_000, visible: true }), false, 'not on every click');
  assert.equal(shouldAskForAlerts('navigation', { now: t0 + 15_000, lastAsked: t0, lastActivity: t0 + 15_000, visible: true }), true);
  assert.equal(shouldAskForAlerts('tick', { now: t0 + 60_000, lastAsked: t0, lastActivity: t0 + 30_000, visible: true }), true);
  assert.equal(shouldAskForAlerts('tick', { now: t0 + 50_000, lastAsked: t0, lastActivity: t0 + 30_000, visible: true }), false, 'a minute apart at most once');
  assert.equal(shouldAskForAlerts('tick', { now: t0 + 600_000, lastAsked: t0, lastActivity: t0 - 1, visible: true }), false, 'an idle tab lets the session time out');
  assert.equal(shouldAskForAlerts('tick', { now: t0 + 600_000, lastAsked: t0, lastActivity: t0 + 30_000, visible: false }), false, 'a hidden tab waits');
});

test('an alert leads to where it is dealt with: a break-the-glass use to the review page', () => {
  assert.equal(alertLink({ kind: 'break_glass', entityType: 'break_glass' }), '/break-glass');
  assert.equal(alertLink({ kind: 'sensitive_access', entityType: 'app_user' }), '/users');
  assert.equal(alertLink({ kind: 'privacy_incident', entityType: null }), '/incidents');
  assert.equal(alertLink({ kind: 'privacy_request_overdue', entityType: null }), '/privacy/requests');
  assert.equal(alertLink({ kind: 'something_else', entityType: null }), null);
});
