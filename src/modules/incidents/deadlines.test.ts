import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_INCIDENT_DEADLINE_RULES as RULES, incidentDeadlines, lastDayOf, type IncidentFacts } from './deadlines.ts';

const facts = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  discoveredOn: '2026-01-31', sensitiveData: true, financialHarmRisk: false, unauthorizedPurpose: false, persons: 1, ...over,
});
const final = (f: IncidentFacts, today = f.discoveredOn, reports: { kind: 'preliminary' | 'final'; reportedOn: string }[] = [], rules = RULES) =>
  incidentDeadlines(f, reports, today, rules).deadlines.find((d) => d.kind === 'final')!;

describe('incident reporting deadlines (要確認 figures, src/modules/incidents/deadlines.ts)', () => {
  test('確報: 30 days from the day after discovery, across a month end', () => {
    assert.equal(final(facts({ discoveredOn: '2026-01-31' })).due, '2026-03-02', 'February has 28 days in 2026; 2 March is a Monday');
    assert.equal(final(facts({ discoveredOn: '2028-01-31' })).due, '2028-03-01', 'and 29 in 2028');
    assert.equal(final(facts({ discoveredOn: '2026-06-10' })).due, '2026-07-10');
  });

  test('確報: 60 days when an unauthorized purpose (不正の目的) is suspected', () => {
    assert.equal(final(facts({ discoveredOn: '2026-01-31', unauthorizedPurpose: true })).due, '2026-04-01');
    assert.equal(final(facts({ discoveredOn: '2026-01-31', unauthorizedPurpose: true, sensitiveData: true })).due, '2026-04-01', '60 days also when 要配慮 is involved');
  });

  test('a last day on a weekend, a public holiday or 年末年始 moves to the next open day', () => {
    assert.equal(final(facts({ discoveredOn: '2026-04-04' })).due, '2026-05-07', '4 May (みどりの日), 5 (こどもの日), 6 (振替休日)');
    assert.equal(final(facts({ discoveredOn: '2026-11-29' })).due, '2027-01-04', '29 December to 3 January');
    assert.equal(final(facts({ discoveredOn: '2026-02-05' })).due, '2026-03-09', '7 March is a Saturday');
    assert.equal(lastDayOf('2026-04-04', 30, { rollOverClosedDays: false }), '2026-05-04', 'unless the setting is off');
  });

  test('速報 is a target window of 3–5 days, not a legal last day', () => {
    const pre = incidentDeadlines(facts({ discoveredOn: '2026-05-01' }), [], '2026-05-01', RULES).deadlines[0];
    assert.deepEqual(pre, { kind: 'preliminary', target: true, from: '2026-05-04', due: '2026-05-06', reportedOn: null, daysLeft: 5, overdue: false });
  });

  test('days left, overdue, and done once reported', () => {
    const f = facts({ discoveredOn: '2026-06-10' });
    assert.equal(final(f, '2026-07-08').daysLeft, 2);
    assert.equal(final(f, '2026-07-10').overdue, false, 'the last day itself is in time');
    assert.deepEqual([final(f, '2026-07-11').daysLeft, final(f, '2026-07-11').overdue], [-1, true]);
    const done = final(f, '2026-08-01', [{ kind: 'final', reportedOn: '2026-07-09' }]);
    assert.deepEqual([done.reportedOn, done.daysLeft, done.overdue], ['2026-07-09', null, false]);
    assert.equal(final(f, '2026-08-01', [{ kind: 'final', reportedOn: '2026-07-20' }]).overdue, true, 'reported late');
  });

  test('which incidents must be reported: 要配慮, financial harm, 不正の目的, or more than 100 persons', () => {
    const none = { sensitiveData: false, financialHarmRisk: false, unauthorizedPurpose: false };
    assert.deepEqual(incidentDeadlines(facts({ ...none, persons: 100 }), [], '2026-02-01', RULES), { reportable: false, grounds: [], deadlines: [] });
    assert.deepEqual(incidentDeadlines(facts({ ...none, persons: 101 }), [], '2026-02-01', RULES).grounds, ['many_persons']);
    assert.deepEqual(incidentDeadlines(facts({ ...none, financialHarmRisk: true }), [], '2026-02-01', RULES).grounds, ['financial_harm_risk']);
    assert.deepEqual(incidentDeadlines(facts({ sensitiveData: true, unauthorizedPurpose: true }), [], '2026-02-01', RULES).grounds, ['sensitive_data', 'unauthorized_purpose']);
  });

  test('the figures are settings: a city may correct them', () => {
    const rules = { ...RULES, finalDays: 20, rollOverClosedDays: false };
    assert.equal(final(facts({ discoveredOn: '2026-06-10' }), '2026-06-10', [], rules).due, '2026-06-30');
  });
});
