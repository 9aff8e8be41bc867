// Run: npx tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  changedFields, checkDraft, draftFromRecord, fieldsChanged, draftToFields, draftToNewConsultation, draftToRoutingIntake, emptyDraft,
  intakeFieldOf, parseWholeNumber, toggleIssueTag, type IntakeDraft,
} from './intake.ts';

const NOW = new Date('2026-05-12T01:30:00Z'); // 10:30 in Japan
const filled = (over: Partial<IntakeDraft> = {}): IntakeDraft => ({
  ...emptyDraft(NOW, 'desk'), channel: 'phone', consulterRelation: 'family', summary: '息子が家から出ない', ...over,
});

test('a new form is received now in Japan time, at the acting organisation, with the age unknown', () => {
  const d = emptyDraft(NOW, 'desk');
  assert.equal(d.receivedDate, '2026-05-12');
  assert.equal(d.receivedTime, '10:30');
  assert.equal(d.doorOrganizationId, 'desk');
  assert.equal(d.ageMode, 'unknown');
  assert.equal(d.urgency, 'normal');
});

test('the channel, who consulted and the summary are required; the age is not', () => {
  assert.deepEqual(checkDraft(emptyDraft(NOW, 'desk'), NOW), {
    channel: 'channelRequired', consulterRelation: 'consulterRelationRequired', summary: 'summaryRequired',
  });
  assert.deepEqual(checkDraft(filled(), NOW), {});
});

const ageCases: [Partial<IntakeDraft>, string | undefined][] = [
  [{ ageMode: 'exact', age: '' }, 'ageRequired'],
  [{ ageMode: 'exact', age: '52' }, undefined],
  [{ ageMode: 'exact', age: '５２' }, undefined],
  [{ ageMode: 'exact', age: '52.5' }, 'ageInvalid'],
  [{ ageMode: 'exact', age: '131' }, 'ageInvalid'],
  [{ ageMode: 'band', ageBand: '' }, 'ageBandRequired'],
  [{ ageMode: 'band', ageBand: '50-59' }, undefined],
  [{ ageMode: 'unknown', age: 'garbage left from before' }, undefined],
];
for (const [over, expected] of ageCases) {
  test(`age ${JSON.stringify(over)} → ${expected ?? 'fine'}`, () => assert.equal(checkDraft(filled(over), NOW).age, expected));
}

test('a consultation received in the future is refused, a few minutes of clock difference is not', () => {
  assert.equal(checkDraft(filled({ receivedTime: '10:34' }), NOW).receivedAt, undefined);
  assert.equal(checkDraft(filled({ receivedTime: '10:40' }), NOW).receivedAt, 'receivedAtFuture');
  assert.equal(checkDraft(filled({ receivedDate: '2026-02-30' }), NOW).receivedAt, 'receivedAtInvalid');
});

test('the age is sent as an age, a band, or neither — never both', () => {
  assert.deepEqual(pickAge(draftToFields(filled({ ageMode: 'exact', age: '52', ageBand: '50-59' }))), { age: 52, ageBand: null });
  assert.deepEqual(pickAge(draftToFields(filled({ ageMode: 'band', age: '52', ageBand: '80-130' }))), { age: null, ageBand: { min: 80, max: 130 } });
  assert.deepEqual(pickAge(draftToFields(filled({ ageMode: 'unknown', age: '52' }))), { age: null, ageBand: null });
});
const pickAge = ({ age, ageBand }: { age: unknown; ageBand: unknown }) => ({ age, ageBand });

test('the body names the door only for the hub, and the time with its Japan offset', () => {
  const body = draftToNewConsultation(filled({ doorOrganizationId: 'other' }), true);
  assert.equal(body.receivedAt, '2026-05-12T10:30:00+09:00');
  assert.equal(body.doorOrganizationId, 'other');
  assert.equal('doorOrganizationId' in draftToNewConsultation(filled(), false), false);
});

test('unticking the tag of the 主訴 clears the 主訴; tags keep the vocabulary order', () => {
  const order = ['hikikomori', 'mental_health', '8050'];
  let d = toggleIssueTag(filled(), '8050', true, order);
  d = toggleIssueTag(d, 'hikikomori', true, order);
  assert.deepEqual(d.issueTags, ['hikikomori', '8050']);
  d = { ...d, mainIssue: '8050' };
  assert.equal(toggleIssueTag(d, 'hikikomori', false, order).mainIssue, '8050');
  assert.equal(toggleIssueTag(d, '8050', false, order).mainIssue, '');
});

test('routing reads a half-filled form: what is not valid yet is unknown', () => {
  const intake = draftToRoutingIntake(filled({ ageMode: 'exact', age: '5x', areaId: 'a1', cannotVisit: 'yes' }), (id) => (id === 'a1' ? 'area-1' : undefined));
  assert.equal('age' in intake, false);
  assert.equal(intake.area, 'area-1');
  assert.equal(intake.cannotVisit, true);
  assert.equal(draftToRoutingIntake(filled({ channel: '' }), () => undefined).channel, null);
});

test('a correction sends only what changed, and age with band together', () => {
  const record = { ...draftToFields(filled({ ageMode: 'band', ageBand: '50-59' })), receivedAt: NOW.toISOString(), door: { id: 'desk' } };
  const draft = draftFromRecord(record);
  assert.equal(draft.ageMode, 'band');
  assert.deepEqual(changedFields(record, draftToFields(draft)), {});
  const changes = changedFields(record, draftToFields({ ...draft, ageMode: 'exact', age: '52', summary: '追記' }));
  assert.deepEqual(changes, { age: 52, ageBand: null, summary: '追記' });
});

test('server field names map to the form field', () => {
  assert.equal(intakeFieldOf('issueTags[2]'), 'issueTags');
  assert.equal(intakeFieldOf('ageBand.min'), 'age');
  assert.equal(intakeFieldOf('/summary'), 'summary');
  assert.equal(intakeFieldOf('version'), null);
});

test('whole numbers accept full-width digits and refuse the rest', () => {
  assert.equal(parseWholeNumber('１２', 0, 50), 12);
  assert.equal(parseWholeNumber('-1', 0, 50), null);
  assert.equal(parseWholeNumber('51', 0, 50), null);
});

test('changing an input names the field whose error no longer applies', () => {
  const before = filled();
  assert.deepEqual(fieldsChanged(before, { ...before, receivedTime: '09:00' }), ['receivedAt']);
  assert.deepEqual(fieldsChanged(before, { ...before, ageMode: 'band' }), ['age']);
  assert.deepEqual(fieldsChanged(before, before), []);
});
