// Run: node --import tsx --test web/src/lib/privacy.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPeriod, deadlineState, defaultPeriod, detailsSummary, japanInstant, nextDeadline } from './privacy.ts';
import type { AuditEvent, Deadline, IncidentSummary } from '../privacy/types.ts';

const deadline = (over: Partial<Deadline>): Deadline => ({ kind: 'final', target: false, from: null, due: '2026-06-29', reportedOn: null, daysLeft: 10, overdue: false, ...over });

test('the opening period is this month so far, in Japan', () => {
  assert.deepEqual(defaultPeriod(new Date('2026-05-31T16:00:00Z')), { from: '2026-06-01', to: '2026-06-01' });
  assert.deepEqual(defaultPeriod(new Date('2026-06-10T01:00:00Z')), { from: '2026-06-01', to: '2026-06-10' });
});

test('a period needs two dates in order', () => {
  assert.equal(checkPeriod('2026-06-01', '2026-06-10'), null);
  assert.equal(checkPeriod('', '2026-06-10'), 'from');
  assert.equal(checkPeriod('2026-06-10', '2026-06-01'), 'to');
});

test('deadlines: overdue, due within three days, reported in time or late', () => {
  assert.equal(deadlineState(deadline({ daysLeft: -1, overdue: true })), 'overdue');
  assert.equal(deadlineState(deadline({ daysLeft: 3 })), 'soon');
  assert.equal(deadlineState(deadline({ daysLeft: 4 })), 'open');
  assert.equal(deadlineState(deadline({ reportedOn: '2026-06-20', daysLeft: null })), 'done');
  assert.equal(deadlineState(deadline({ reportedOn: '2026-07-01', daysLeft: null, overdue: true })), 'late');
});

test('an incident shows its first unreported deadline', () => {
  const i = { deadlines: { reportable: true, grounds: [], deadlines: [deadline({ kind: 'preliminary', reportedOn: '2026-06-01' }), deadline({ kind: 'final' })] } } as unknown as IncidentSummary;
  assert.equal(nextDeadline(i)?.kind, 'final');
  assert.equal(nextDeadline({ deadlines: { reportable: false, grounds: [], deadlines: [] } } as unknown as IncidentSummary), null);
});

test('event details in brief', () => {
  const e = (details: Record<string, unknown>) => ({ details }) as AuditEvent;
  assert.deepEqual(detailsSummary(e({ count: 12, ids: ['a'] })), { count: 12, query: null, sensitive: false });
  assert.deepEqual(detailsSummary(e({ ids: ['a', 'b'], query: '山田', sensitive: true })), { count: 2, query: '山田', sensitive: true });
  assert.deepEqual(detailsSummary(e({})), { count: null, query: null, sensitive: false });
});

test('a Japan date and time as an instant', () => {
  assert.equal(japanInstant('2026-05-28', '09:05'), '2026-05-28T09:05:00+09:00');
  assert.equal(japanInstant('2026-05-28', ''), null);
});
