// Run: npx tsx --test web/src/lib/meetings.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AgreedRule } from '../types.ts';
import {
  checkDecisionDraft, checkRecurrenceDraft, decisionInput, monthGrid, moveItem, nthWeekday, parseMonth, ruleDates, shiftMonth, shortcutOf,
  supersededBy, windowState, japanClock, type DecisionDraft,
} from './meetings.ts';

const nth: [string, number, number, number, number, string][] = [
  ['the second Tuesday of January 2026', 2026, 1, 2, 2, '2026-01-13'],
  ['the second Tuesday of March 2026', 2026, 3, 2, 2, '2026-03-10'],
  ['the first Monday of June 2026 (the 1st itself)', 2026, 6, 1, 1, '2026-06-01'],
  ['the last Friday of January 2026', 2026, 1, 5, -1, '2026-01-30'],
  ['the last Saturday of January 2026 (the 31st itself)', 2026, 1, 6, -1, '2026-01-31'],
  ['the fourth Thursday of February 2024 (a leap year)', 2024, 2, 4, 4, '2024-02-22'],
];
for (const [what, y, m, weekday, n, expected] of nth) test(`${what} is ${expected}`, () => assert.equal(nthWeekday(y, m, weekday, n), expected));

test('the second Tuesday of odd months, from 2026-04-01: May, July, September… into the next year', () => {
  assert.deepEqual(ruleDates({ months: [1, 3, 5, 7, 9, 11], weekday: 2, nth: 2 }, '2026-04-01', 5),
    ['2026-05-12', '2026-07-14', '2026-09-08', '2026-11-10', '2027-01-12']);
});

test('a date on the first day counts; one already past in the month does not', () => {
  assert.deepEqual(ruleDates({ months: [5], weekday: 2, nth: 2 }, '2026-05-12', 2), ['2026-05-12', '2027-05-11']);
  assert.deepEqual(ruleDates({ months: [5], weekday: 2, nth: 2 }, '2026-05-13', 1), ['2027-05-11']);
});

test('no dates for a rule without months or with a bad nth', () => {
  assert.deepEqual(ruleDates({ months: [], weekday: 2, nth: 2 }, '2026-04-01', 3), []);
  assert.deepEqual(ruleDates({ months: [1], weekday: 2, nth: 5 }, '2026-04-01', 3), []);
});

test('month shortcuts are recognised whatever the order', () => {
  assert.equal(shortcutOf([11, 9, 7, 5, 3, 1]), 'odd');
  assert.equal(shortcutOf([2, 4, 6, 8, 10, 12]), 'even');
  assert.equal(shortcutOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), 'all');
  assert.equal(shortcutOf([1, 3]), null);
});

test('the calendar grid of May 2026 runs from Sunday 26 April to Saturday 6 June, in whole weeks', () => {
  const g = monthGrid('2026-05');
  assert.equal(g.from, '2026-04-26');
  assert.equal(g.to, '2026-06-06');
  assert.equal(g.weeks.length, 6);
  assert.ok(g.weeks.every((w) => w.length === 7));
  assert.equal(g.weeks[0]![5], '2026-05-01');
});

test('February 2026 fits four weeks exactly (1st a Sunday, 28th a Saturday)', () => {
  const g = monthGrid('2026-02');
  assert.equal(g.weeks.length, 4);
  assert.equal(g.from, '2026-02-01');
  assert.equal(g.to, '2026-02-28');
});

test('months shift across years; bad months from the URL are refused', () => {
  assert.equal(shiftMonth('2026-12', 1), '2027-01');
  assert.equal(shiftMonth('2026-01', -1), '2025-12');
  assert.equal(parseMonth('2026-13'), null);
  assert.equal(parseMonth('2026-05'), '2026-05');
  assert.equal(parseMonth(null), null);
});

test('an instant is shown at its Japan time of day', () => assert.equal(japanClock('2026-05-12T05:00:00.000Z'), '14:00'));

test('the sharing window: before, open, after, and a cancelled session never open', () => {
  const w = { shareFrom: '2026-05-12T05:00:00Z', shareUntil: '2026-05-12T06:30:00Z' };
  assert.equal(windowState(w, new Date('2026-05-12T04:59:59Z')), 'before');
  assert.equal(windowState(w, new Date('2026-05-12T05:00:00Z')), 'open');
  assert.equal(windowState(w, new Date('2026-05-12T06:30:00Z')), 'after');
  assert.equal(windowState({ ...w, status: 'cancelled' }, new Date('2026-05-12T05:30:00Z')), 'cancelled');
});

test('moving an agenda item swaps it with its neighbour, and does nothing at either end', () => {
  assert.deepEqual(moveItem(['a', 'b', 'c'], 1, -1), ['b', 'a', 'c']);
  assert.deepEqual(moveItem(['a', 'b', 'c'], 1, 1), ['a', 'c', 'b']);
  assert.deepEqual(moveItem(['a', 'b', 'c'], 0, -1), ['a', 'b', 'c']);
  assert.deepEqual(moveItem(['a', 'b', 'c'], 2, 1), ['a', 'b', 'c']);
});

test('the recurrence form wants months, a time, a length of 15–600 minutes and 1–24 sessions', () => {
  assert.deepEqual(checkRecurrenceDraft({ months: [1], weekday: 2, nth: 2, start: '14:00', minutes: '90', count: '6' }), {});
  assert.deepEqual(checkRecurrenceDraft({ months: [], weekday: 2, nth: 2, start: '25:00', minutes: '5', count: '30' }),
    { months: 'monthsRequired', start: 'startInvalid', minutes: 'minutesRange', count: 'countRange' });
});

const draft = (over: Partial<DecisionDraft> = {}): DecisionDraft => ({
  agendaItemId: '', text: '', actions: [], confirmPlan: false, asRule: false, ruleTitle: '', ruleBody: '', routingRuleKey: '', supersedesId: '', ...over,
});

test('a decision needs its text; each action item its organisation, description and due date; a rule its title and wording', () => {
  assert.deepEqual(checkDecisionDraft(draft({
    actions: [{ key: 'a', organizationId: '', description: ' ', dueOn: '', caseId: '' }], asRule: true,
  })), {
    text: 'textRequired', 'action-a-organization': 'organizationRequired', 'action-a-description': 'descriptionRequired', 'action-a-due': 'dueRequired',
    ruleTitle: 'ruleTitleRequired', ruleBody: 'ruleBodyRequired',
  });
});

test('the decision sent has only what was filled in, and the plan only when asked to confirm it', () => {
  const d = draft({ agendaItemId: 'i1', text: ' 継続支援 ', actions: [{ key: 'a', organizationId: 'o1', description: ' 訪問 ', dueOn: '2026-06-01', caseId: '' }], confirmPlan: true });
  assert.deepEqual(decisionInput(d, 'p1'), {
    agendaItemId: 'i1', text: '継続支援', actionItems: [{ organizationId: 'o1', description: '訪問', dueOn: '2026-06-01' }], confirmPlanId: 'p1',
  });
  assert.deepEqual(decisionInput(draft({ text: 'x', asRule: true, ruleTitle: 't', ruleBody: 'b', supersedesId: 'r1' }), null),
    { text: 'x', rule: { title: 't', body: 'b', supersedesId: 'r1' } });
});

test('a rule knows the later rule that replaced it', () => {
  const rule = (id: string, number: number, supersedes: AgreedRule['supersedes']): AgreedRule => ({
    id, number, title: id, body: '', inForceFrom: '2026-05-12', source: { sessionId: 's', date: '2026-05-12', seriesName: '会議', decisionId: 'd' },
    routingRuleKey: null, supersedes, endedAt: null, endedBy: null,
  });
  const by = supersededBy([rule('r1', 1, null), rule('r2', 2, { id: 'r1', number: 1 })]);
  assert.deepEqual(by.get('r1'), { id: 'r2', number: 2 });
  assert.equal(by.get('r2'), undefined);
});
