// Run: npx tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RoutingRule } from '../types.ts';
import {
  checkRuleDraft, draftToRule, moveRule, newRuleDraft, renumber, ruleErrorsByIndex, ruleFieldOf, ruleToDraft, sortRules,
} from './rules.ts';

const rule = (id: string, priority: number, over: Partial<RoutingRule> = {}): RoutingRule => ({
  id, priority, when: {}, to: { organization: 'welfare-desk' }, reason: `${id}の理由`, ...over,
});

test('rules are tried by priority, then by key', () => {
  assert.deepEqual(sortRules([rule('b', 20), rule('c', 10), rule('a', 20)]).map((r) => r.id), ['c', 'a', 'b']);
});

test('moving a rule swaps it with its neighbour and renumbers priorities by tens', () => {
  const rules = [rule('a', 10), rule('b', 21), rule('c', 40)];
  assert.deepEqual(moveRule(rules, 2, -1).map((r) => [r.id, r.priority]), [['a', 10], ['c', 20], ['b', 30]]);
  assert.deepEqual(moveRule(rules, 0, -1).map((r) => r.id), ['a', 'b', 'c']);
  assert.deepEqual(moveRule(rules, 2, 1).map((r) => r.id), ['a', 'b', 'c']);
  const same = renumber([rule('a', 10)]);
  assert.equal(same[0]!.priority, 10);
});

test('a rule survives the edit form unchanged', () => {
  const original = rule('middle-aged-hikikomori', 41, {
    when: { ageMin: 50, ageMax: 69, issueTagsAny: ['hikikomori'], cannotVisit: false },
    to: { organization: 'welfare-desk', via: ['community-support-section'] },
    reasonEn: 'The desk takes people in their 50s and 60s.',
    source: { ref: 'seed', section: '○武蔵野市の動き' },
  });
  assert.deepEqual(draftToRule(ruleToDraft(original)), original);
  const program = rule('youth', 40, { to: { program: 'youth-support' } });
  assert.deepEqual(draftToRule(ruleToDraft(program)), program);
});

test('conditions left empty are left out, not sent as empty lists', () => {
  const d = { ...ruleToDraft(rule('a', 10)), issueTagsAny: [], ageMin: ' ', reasonEn: '  ' };
  const r = draftToRule(d);
  assert.deepEqual(r.when, {});
  assert.equal('reasonEn' in r, false);
});

test('the edit form says what to correct', () => {
  const d = { ...newRuleDraft([rule('new-rule-1', 30)]), reason: '' };
  assert.equal(d.id, 'new-rule-2');
  assert.equal(d.priority, '40');
  assert.deepEqual(checkRuleDraft(d, ['new-rule-1']), { destination: 'destinationRequired', reason: 'reasonRequired' });
  assert.equal(checkRuleDraft({ ...d, id: 'Bad Key' }, []).id, 'idPattern');
  assert.equal(checkRuleDraft({ ...d, id: 'new-rule-1' }, ['new-rule-1']).id, 'idDuplicate');
  assert.equal(checkRuleDraft({ ...d, ageMin: '60', ageMax: '50' }, []).age, 'ageOrder');
  assert.equal(checkRuleDraft({ ...d, priority: '1001' }, []).priority, 'priorityInvalid');
});

test("the server's errors land on the rule and field they name", () => {
  const { byRule, other } = ruleErrorsByIndex([
    { field: 'rules[3].to.organization', message: 'unknown organisation' },
    { field: 'rules[3].when.areas[0]', message: 'unknown area' },
    { field: '/rules/1/reason', message: 'too long' },
    { field: 'note', message: 'required' },
  ]);
  assert.deepEqual(byRule.get(3), [{ field: 'destination', message: 'unknown organisation' }, { field: 'areas', message: 'unknown area' }]);
  assert.deepEqual(byRule.get(1), [{ field: 'reason', message: 'too long' }]);
  assert.deepEqual(other, [{ field: 'note', message: 'required' }]);
  assert.equal(ruleFieldOf('when.ageMax'), 'age');
  assert.equal(ruleFieldOf('to.via[1]'), 'via');
  assert.equal(ruleFieldOf(''), null);
});
