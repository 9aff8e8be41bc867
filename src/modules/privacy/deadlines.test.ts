import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addDays, daysBetween, deadlineState, decisionDeadline, extendedDeadline } from './deadlines.ts';

describe('deadline arithmetic (第83条: 30 days from the day after receipt, once extendable by 30)', () => {
  test('a decision is due 30 days after the day received, across month ends and leap years', () => {
    const cases: [received: string, due: string, why: string][] = [
      ['2026-04-01', '2026-05-01', 'a 30-day month'],
      ['2026-05-01', '2026-05-31', 'a 31-day month'],
      ['2026-01-31', '2026-03-02', 'February of a common year has 28 days'],
      ['2028-01-31', '2028-03-01', 'February of a leap year has 29 days'],
      ['2028-02-01', '2028-03-02', 'across the leap day'],
      ['2100-02-01', '2100-03-03', '2100 is not a leap year (divisible by 100)'],
      ['2000-02-01', '2000-03-02', '2000 was a leap year (divisible by 400)'],
      ['2026-12-15', '2027-01-14', 'across the year end'],
      ['2019-04-20', '2019-05-20', 'across the change of era (平成31年 → 令和元年)'],
    ];
    for (const [received, due, why] of cases) assert.equal(decisionDeadline(received), due, `${received}: ${why}`);
  });

  test('the extension adds 30 days to the original deadline', () => {
    assert.equal(extendedDeadline('2026-05-01'), '2026-05-31');
    assert.equal(extendedDeadline('2028-02-10'), '2028-03-11');
    assert.equal(extendedDeadline('2027-02-10'), '2027-03-12');
    assert.equal(extendedDeadline(decisionDeadline('2026-12-31')), '2027-03-01', '60 days from 31 December: 1 March in a common year');
    assert.equal(extendedDeadline(decisionDeadline('2027-12-31')), '2028-02-29', 'and 29 February in a leap year');
  });

  test('days left count to the deadline in force; the deadline day itself is still in time', () => {
    assert.deepEqual(deadlineState({ deadline: '2026-05-01', extendedTo: null }, '2026-04-01'), { due: '2026-05-01', daysLeft: 30, overdue: false, dueSoon: false });
    assert.deepEqual(deadlineState({ deadline: '2026-05-01', extendedTo: null }, '2026-04-24'), { due: '2026-05-01', daysLeft: 7, overdue: false, dueSoon: true });
    assert.deepEqual(deadlineState({ deadline: '2026-05-01', extendedTo: null }, '2026-05-01'), { due: '2026-05-01', daysLeft: 0, overdue: false, dueSoon: true });
    assert.deepEqual(deadlineState({ deadline: '2026-05-01', extendedTo: null }, '2026-05-02'), { due: '2026-05-01', daysLeft: -1, overdue: true, dueSoon: false });
    assert.deepEqual(deadlineState({ deadline: '2026-05-01', extendedTo: '2026-05-31' }, '2026-05-02'), { due: '2026-05-31', daysLeft: 29, overdue: false, dueSoon: false });
  });

  test('calendar arithmetic refuses what is not a date', () => {
    assert.throws(() => addDays('2026-02-30', 1), /not a date/);
    assert.throws(() => addDays('2026-2-3', 1), /not a date/);
    assert.equal(daysBetween('2028-02-28', '2028-03-01'), 2);
    assert.equal(daysBetween('2027-02-28', '2027-03-01'), 1);
    assert.equal(addDays('2028-03-01', -1), '2028-02-29');
    assert.equal(addDays('0001-01-01', 30), '0001-01-31', 'years below 100 are years, not 1900 + year');
  });
});
