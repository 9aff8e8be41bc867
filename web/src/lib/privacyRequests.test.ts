// Run: node --import tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changesToInput, checkRequestDraft, deadlineTone, decisionNeedsReason, decisionsFor, emptyRequestDraft, mayExtend } from './privacyRequests.ts';

const TODAY = '2026-06-10';

test('a request needs its kind, person, a date not in the future, how identity was checked and what is asked', () => {
  assert.deepEqual(checkRequestDraft(emptyRequestDraft(TODAY), TODAY), {
    kind: 'kindRequired', personId: 'personRequired', identityVerification: 'identityRequired', content: 'contentRequired',
  });
  const d = { ...emptyRequestDraft(TODAY), kind: 'disclosure' as const, personId: 'p', receivedOn: '2026-06-11', requesterRelation: 'agent' as const, identityVerification: '委任状', content: '全部' };
  assert.deepEqual(checkRequestDraft(d, TODAY), { receivedOn: 'dateFuture', requesterName: 'requesterNameRequired' });
  assert.deepEqual(checkRequestDraft({ ...d, receivedOn: '2026-05-01', requesterName: '代理 人' }, TODAY), {}, 'a request received earlier is registered late, not refused');
});

test('a correction lists each field once, with a real birth date', () => {
  const base = { ...emptyRequestDraft(TODAY), kind: 'correction' as const, personId: 'p', identityVerification: '免許証', content: '訂正' };
  assert.deepEqual(checkRequestDraft(base, TODAY), { changes: 'changesRequired' });
  const changes = [
    { key: 'a', field: 'address' as const, value: '武蔵野市' },
    { key: 'b', field: 'address' as const, value: '三鷹市' },
    { key: 'c', field: 'birthDate' as const, value: '2026-02-30' },
    { key: 'd', field: '' as const, value: 'x' },
  ];
  assert.deepEqual(checkRequestDraft({ ...base, changes }, TODAY), { 'change-b-field': 'fieldTwice', 'change-c-value': 'birthDateInvalid', 'change-d-field': 'fieldRequired' });
  assert.deepEqual(changesToInput([{ key: 'a', field: 'phone', value: '  ' }, { key: 'b', field: 'address', value: ' 武蔵野市 ' }]),
    [{ field: 'phone', value: null }, { field: 'address', value: '武蔵野市' }]);
});

test('decisions by kind; refusals in whole or in part need the reason', () => {
  assert.deepEqual(decisionsFor('disclosure'), ['full', 'partial', 'none']);
  assert.deepEqual(decisionsFor('suspension'), ['suspend', 'not_suspend']);
  assert.equal(decisionNeedsReason('partial'), true);
  assert.equal(decisionNeedsReason('full'), false);
  assert.equal(decisionNeedsReason('suspend'), false);
});

test('deadline badges, and the one extension before the deadline passes', () => {
  assert.equal(deadlineTone({ decision: null, overdue: true, dueSoon: false, decidedLate: false }), 'overdue');
  assert.equal(deadlineTone({ decision: null, overdue: false, dueSoon: true, decidedLate: false }), 'dueSoon');
  assert.equal(deadlineTone({ decision: 'full', overdue: false, dueSoon: false, decidedLate: true }), 'decidedLate');
  assert.equal(mayExtend({ decision: null, extendedTo: null, deadline: TODAY }, TODAY), true, 'on the deadline day itself');
  assert.equal(mayExtend({ decision: null, extendedTo: null, deadline: '2026-06-09' }, TODAY), false);
  assert.equal(mayExtend({ decision: null, extendedTo: '2026-07-09', deadline: TODAY }, TODAY), false, 'once only');
});
