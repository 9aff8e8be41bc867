// Run: node --import tsx --test web/src/lib/*.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays, assessmentDraftToInput, checkAssessmentDraft, checkContactDraft, checkPlanDraft, checkReferralDraft, chosenConsent, consentsNaming,
  contactDraftToInput, emptyAssessmentDraft, emptyContactDraft, emptyReferralDraft, japanToday, nextCaseStatuses, nextReferralStatuses,
  planDraftToInput, referralDraftToInput, referralFieldOf, referralIsOpen, referralNeedsNote, type BasisNeeds, type PlanDraft,
} from './cases.ts';
import {
  ageOn, caseFieldOf, changedPersonFields, checkMembers, checkPersonDraft, duplicateQuery, emptyPersonDraft, membersToInput, personDraftFrom,
  personDraftToInput, recordedPerson, type PersonDraft,
} from './person.ts';
import type { Consent, Person } from '../types.ts';

const NOW = new Date('2026-06-10T01:00:00Z'); // 10:00 in Japan
const TODAY = '2026-06-10';

test('today is the Japan date, even late in the UTC evening', () => {
  assert.equal(japanToday(NOW), TODAY);
  assert.equal(japanToday(new Date('2026-06-10T15:30:00Z')), '2026-06-11');
});

test('adding days crosses months, years and leap days', () => {
  assert.equal(addDays('2026-06-10', 7), '2026-06-17');
  assert.equal(addDays('2026-06-28', 7), '2026-07-05');
  assert.equal(addDays('2026-12-28', 7), '2027-01-04');
  assert.equal(addDays('2028-02-27', 2), '2028-02-29');
  assert.equal(addDays('not a date', 7), 'not a date');
});

const transitions: [Parameters<typeof nextCaseStatuses>[0], string[]][] = [
  ['intake', ['assessment', 'support', 'closed']],
  ['assessment', ['support', 'closed']],
  ['support', ['monitoring', 'closed']],
  ['monitoring', ['support', 'closed']],
  ['closed', ['assessment', 'support']],
];
for (const [from, to] of transitions) {
  test(`a case in ${from} may move to ${to.join(', ')}`, () => assert.deepEqual([...nextCaseStatuses(from)], to));
}

test('the receiver moves a referral along the loop; declines and returns say why; closed ones stop', () => {
  assert.deepEqual([...nextReferralStatuses('sent')], ['accepted', 'declined']);
  assert.deepEqual([...nextReferralStatuses('accepted')], ['first_contact', 'returned']);
  assert.deepEqual([...nextReferralStatuses('first_contact')], ['ongoing', 'completed', 'returned']);
  for (const s of ['declined', 'completed', 'returned'] as const) {
    assert.deepEqual([...nextReferralStatuses(s)], []);
    assert.equal(referralIsOpen(s), false);
  }
  assert.equal(referralNeedsNote('declined'), true);
  assert.equal(referralNeedsNote('returned'), true);
  assert.equal(referralNeedsNote('accepted'), false);
});

const person = (over: Partial<PersonDraft> = {}): PersonDraft => ({ ...emptyPersonDraft(), ...over });

test('nothing about a person is required: unknown is normal', () => {
  assert.deepEqual(checkPersonDraft(person(), TODAY), {});
});

const personCases: [Partial<PersonDraft>, Record<string, string>][] = [
  [{ ageMode: 'birthDate', birthDate: '' }, { age: 'birthDateRequired' }],
  [{ ageMode: 'birthDate', birthDate: '2026-02-30' }, { age: 'birthDateInvalid' }],
  [{ ageMode: 'birthDate', birthDate: '2026-06-11' }, { age: 'birthDateFuture' }],
  [{ ageMode: 'birthDate', birthDate: '1974-02-11' }, {}],
  [{ ageMode: 'band', ageBand: '' }, { age: 'ageBandRequired' }],
  [{ ageMode: 'band', ageBand: '50-59' }, {}],
  [{ email: 'not-an-address' }, { email: 'emailInvalid' }],
  [{ email: ' ichiro@example.jp ' }, {}],
];
for (const [over, expected] of personCases) {
  test(`person ${JSON.stringify(over)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(checkPersonDraft(person(over), TODAY), expected));
}

test('a person is sent trimmed, with a birth date or a band, never both', () => {
  const both = person({ name: ' 武蔵野 一郎 ', ageMode: 'birthDate', birthDate: '1974-02-11', ageBand: '50-59', gender: '男性' });
  const input = personDraftToInput(both);
  assert.equal(input.name, '武蔵野 一郎');
  assert.equal(input.birthDate, '1974-02-11');
  assert.equal(input.ageBand, null);
  assert.equal(input.nameKana, null);
  assert.deepEqual(personDraftToInput({ ...both, ageMode: 'band' }).ageBand, { min: 50, max: 59 });
  assert.equal(personDraftToInput({ ...both, ageMode: 'band' }).birthDate, null);
});

test('a consultation’s age band and area fill in a new person', () => {
  const d = emptyPersonDraft({ ageBand: { min: 50, max: 59 }, areaId: 'area-1' });
  assert.equal(d.ageMode, 'band');
  assert.equal(d.ageBand, '50-59');
  assert.equal(d.areaId, 'area-1');
});

const recorded: Person = {
  id: 'p1', name: '武蔵野 一郎', nameKana: 'むさしの いちろう', birthDate: '1974-02-11', ageBand: null, gender: '男性',
  phone: null, email: null, address: null, areaId: null, mergedIntoId: null, version: 3,
};

test('a correction sends only what changed; birth date and band go together', () => {
  const draft = personDraftFrom(recorded);
  assert.deepEqual(changedPersonFields(recordedPerson(recorded), personDraftToInput(draft)), {});
  assert.deepEqual(changedPersonFields(recordedPerson(recorded), personDraftToInput({ ...draft, phone: '0422-00-0000' })), { phone: '0422-00-0000' });
  assert.deepEqual(
    changedPersonFields(recordedPerson(recorded), personDraftToInput({ ...draft, ageMode: 'band', ageBand: '50-59' })),
    { birthDate: null, ageBand: { min: 50, max: 59 } },
  );
});

test('the duplicate check asks only with a name or reading, and a whole birth date', () => {
  assert.equal(duplicateQuery(person()), null);
  assert.equal(duplicateQuery(person({ ageMode: 'birthDate', birthDate: '1974-02-11' })), null);
  assert.deepEqual(duplicateQuery(person({ nameKana: 'むさしの ', ageMode: 'birthDate', birthDate: '1974-02-11' })), { nameKana: 'むさしの', birthDate: '1974-02-11' });
  assert.deepEqual(duplicateQuery(person({ name: '武蔵野', ageMode: 'band', birthDate: '1974-02-11' })), { name: '武蔵野' });
});

test('age in whole years, counting the birthday itself', () => {
  assert.equal(ageOn('1974-06-10', TODAY), 52);
  assert.equal(ageOn('1974-06-11', TODAY), 51);
  assert.equal(ageOn('1946-05-01', TODAY), 80);
  assert.equal(ageOn('2024-02-29', '2025-02-28'), 0);
  assert.equal(ageOn(null, TODAY), null);
  assert.equal(ageOn('2027-01-01', TODAY), null);
});

test('a household member needs a relation; the rest may be unknown', () => {
  const rows = [
    { key: 'a', relation: '母', name: '武蔵野 花子', nameKana: '', birthDate: '1946-05-01' },
    { key: 'b', relation: ' ', name: '', nameKana: '', birthDate: '2030-01-01' },
  ];
  assert.deepEqual(checkMembers(rows, TODAY), { b: { relation: 'relationRequired', birthDate: 'birthDateFuture' } });
  assert.deepEqual(membersToInput(rows.slice(0, 1)), [{ relation: '母', person: { name: '武蔵野 花子', nameKana: null, birthDate: '1946-05-01' } }]);
});

test('server field errors land on the field they are about', () => {
  assert.deepEqual(caseFieldOf('person.birthDate'), { kind: 'person', field: 'age' });
  assert.deepEqual(caseFieldOf('/person/email'), { kind: 'person', field: 'email' });
  assert.deepEqual(caseFieldOf('ageBand'), { kind: 'person', field: 'age' });
  assert.deepEqual(caseFieldOf('household.members[1].person.birthDate'), { kind: 'member', index: 1, field: 'birthDate' });
  assert.deepEqual(caseFieldOf('/household/members/0/relation'), { kind: 'member', index: 0, field: 'relation' });
  assert.deepEqual(caseFieldOf('leadOrganizationId'), { kind: 'lead' });
  assert.equal(caseFieldOf('person'), null);
  assert.equal(caseFieldOf('consultationIds'), null);
});

test('a contact record needs when, what kind and notes, and is not in the future', () => {
  const d = emptyContactDraft(NOW);
  assert.deepEqual(checkContactDraft(d, NOW), { kind: 'kindRequired', notes: 'notesRequired' });
  const ok = { ...d, kind: 'home_visit' as const, notes: ' 訪問。母と話せた。 ' };
  assert.deepEqual(checkContactDraft(ok, NOW), {});
  assert.equal(checkContactDraft({ ...ok, time: '10:30' }, NOW).occurredAt, 'occurredAtFuture');
  assert.deepEqual(contactDraftToInput(ok), { occurredAt: '2026-06-10T10:00:00+09:00', kind: 'home_visit', notes: '訪問。母と話せた。', nextStep: null });
});

test('an assessment sends only the areas written about, and needs at least one', () => {
  const d = emptyAssessmentDraft(TODAY);
  assert.deepEqual(checkAssessmentDraft(d, TODAY), { areas: 'areasRequired' });
  d.areas.employment = { situation: '就労経験なし', needsSupport: true };
  d.areas.family.needsSupport = true;
  assert.deepEqual(checkAssessmentDraft(d, TODAY), {});
  assert.deepEqual(assessmentDraftToInput(d).areas, { employment: { situation: '就労経験なし', needsSupport: true }, family: { situation: '', needsSupport: true } });
  assert.equal(checkAssessmentDraft({ ...d, assessedOn: '2026-06-11' }, TODAY).assessedOn, 'dateFuture');
});

test('a plan needs a goal and a review date; untouched action rows are left out', () => {
  const d: PlanDraft = {
    goals: [{ key: 'g1', kind: 'long', text: '' }],
    actions: [
      { key: 'a1', description: '就労準備支援の見学', organizationId: 'org-1', programId: '', dueDate: '2026-07-01' },
      { key: 'a2', description: '', organizationId: '', programId: '', dueDate: '' },
      { key: 'a3', description: '', organizationId: 'org-2', programId: '', dueDate: '' },
    ],
    reviewDate: '', personAgreed: true, agreedOn: '',
  };
  assert.deepEqual(checkPlanDraft(d, TODAY), {
    goals: 'goalsRequired', 'action-a3-description': 'actionDescriptionRequired', reviewDate: 'dateRequired', agreedOn: 'dateRequired',
  });
  const ok = { ...d, goals: [{ key: 'g1', kind: 'long' as const, text: '週1回外出する' }], actions: d.actions.slice(0, 2), reviewDate: '2026-09-10', agreedOn: TODAY };
  assert.deepEqual(checkPlanDraft(ok, TODAY), {});
  assert.deepEqual(planDraftToInput(ok), {
    goals: [{ kind: 'long', text: '週1回外出する' }],
    actions: [{ description: '就労準備支援の見学', organizationId: 'org-1', programId: null, dueDate: '2026-07-01' }],
    reviewDate: '2026-09-10', personAgreed: true, agreedOn: TODAY,
  });
});

test('a referral suggests first contact within a week, and goes to one organisation or one program', () => {
  const d = emptyReferralDraft(TODAY);
  assert.equal(d.firstContactDue, '2026-06-17');
  assert.deepEqual(checkReferralDraft(d, TODAY, null), {
    destination: 'destinationRequired', reason: 'reasonRequired', sharedSummary: 'sharedSummaryRequired', basis: 'basisRequired',
  });
  const ok = { ...d, destination: 'program:p-1', reason: '就労の希望', sharedSummary: '52歳男性。', basis: 'appi_69_2', paragraph: '4', basisReason: '本人の利益が明らか' };
  assert.deepEqual(checkReferralDraft(ok, TODAY, REASON), {});
  assert.equal(checkReferralDraft({ ...ok, firstContactDue: '2026-06-09' }, TODAY, REASON).firstContactDue, 'datePast');
  assert.deepEqual(referralDraftToInput(ok, REASON), {
    toProgramId: 'p-1', reason: '就労の希望', sharedSummary: '52歳男性。', urgency: 'normal', firstContactDue: '2026-06-17',
    legalBasis: { basis: 'appi_69_2', paragraph: 4, reason: '本人の利益が明らか' },
  });
  assert.equal(referralDraftToInput({ ...ok, destination: 'org:o-1' }, REASON).toOrganizationId, 'o-1');
  assert.equal(referralFieldOf('toProgramId'), 'destination');
  assert.equal(referralFieldOf('/firstContactDue'), 'firstContactDue');
  assert.equal(referralFieldOf('urgency'), null);
});

const CONSENT: BasisNeeds = { consent: true, meeting: false, reason: false };
const MEETING: BasisNeeds = { consent: false, meeting: true, reason: false };
const MULTILAYERED: BasisNeeds = { consent: true, meeting: true, reason: false };
const REASON: BasisNeeds = { consent: false, meeting: false, reason: true };

test('a referral asks only for what its legal basis needs, and sends only that', () => {
  const d = { ...emptyReferralDraft(TODAY), destination: 'org:o-1', reason: '就労の希望', sharedSummary: '52歳男性。' };
  assert.deepEqual(checkReferralDraft({ ...d, basis: 'consent' }, TODAY, CONSENT), { consentId: 'consentRequired' });
  // a 支援会議 share points to the session that had the case on its agenda
  assert.deepEqual(checkReferralDraft({ ...d, basis: 'poverty_act_9' }, TODAY, MEETING), { meetingSessionId: 'meetingSessionRequired' });
  assert.deepEqual(referralDraftToInput({ ...d, basis: 'poverty_act_9', meetingSessionId: 's-1', meetingSeriesId: 'm-1' }, MEETING).legalBasis, { basis: 'poverty_act_9', meetingSessionId: 's-1' });
  assert.deepEqual(checkReferralDraft({ ...d, basis: 'multilayered_support_meeting' }, TODAY, MULTILAYERED), {
    consentId: 'consentRequired', meetingSeriesId: 'meetingRequired', meetingDate: 'meetingDateRequired',
  });
  assert.deepEqual(checkReferralDraft({ ...d, basis: 'multilayered_support_meeting', consentId: 'k-1', meetingSeriesId: 'm-1', meetingDate: '2026-13-01' }, TODAY, MULTILAYERED), { meetingDate: 'meetingDateInvalid' });
  assert.deepEqual(checkReferralDraft({ ...d, basis: 'appi_69_2', paragraph: '1', basisReason: '  ' }, TODAY, REASON), {
    paragraph: 'paragraphRequired', basisReason: 'basisReasonRequired',
  });
  // A basis the vocabulary does not know is no basis.
  assert.deepEqual(checkReferralDraft({ ...d, basis: 'hearsay' }, TODAY, null), { basis: 'basisRequired' });

  // Fields filled for another basis stay in the draft but are not sent.
  const switched = { ...d, basis: 'multilayered_support_meeting', consentId: 'k-1', meetingSeriesId: 'm-1', meetingDate: '2026-06-01', paragraph: '3', basisReason: '前の根拠の理由' };
  assert.deepEqual(referralDraftToInput(switched, MULTILAYERED).legalBasis, { basis: 'multilayered_support_meeting', consentId: 'k-1', meetingSeriesId: 'm-1', meetingDate: '2026-06-01' });
  assert.deepEqual(referralDraftToInput({ ...switched, basis: 'consent' }, CONSENT).legalBasis, { basis: 'consent', consentId: 'k-1' });
});

test('the server’s legal basis errors land beside their fields', () => {
  assert.equal(referralFieldOf('legalBasis'), 'basis');
  assert.equal(referralFieldOf('legalBasis.basis'), 'basis');
  assert.equal(referralFieldOf('/legalBasis/basis'), 'basis');
  assert.equal(referralFieldOf('legalBasis.consentId'), 'consentId');
  assert.equal(referralFieldOf('legalBasis.meetingSessionId'), 'meetingSessionId');
  assert.equal(referralFieldOf('legalBasis.meetingSeriesId'), 'meetingSeriesId');
  assert.equal(referralFieldOf('legalBasis.meetingDate'), 'meetingDate');
  assert.equal(referralFieldOf('legalBasis.paragraph'), 'paragraph');
  assert.equal(referralFieldOf('legalBasis.reason'), 'basisReason');
  assert.equal(referralFieldOf('constructor'), null);
});

const consent = (id: string, over: Partial<Consent>): Consent => ({
  id, personId: 'p-1', givenOn: '2026-05-01', scope: '就労支援', method: 'written', organizations: [{ id: 'o-1', name: '自立相談支援機関' }],
  recordedAt: '2026-05-01T01:00:00Z', withdrawnAt: null, withdrawalNote: null, ...over,
});

test('a share on consent may rest only on an active consent naming the receiver; the only one is chosen for you', () => {
  const older = consent('k-1', { givenOn: '2026-04-01' });
  const newer = consent('k-2', { givenOn: '2026-05-20' });
  const withdrawn = consent('k-3', { withdrawnAt: '2026-06-01T00:00:00Z' });
  const elsewhere = consent('k-4', { organizations: [{ id: 'o-2', name: '社会福祉協議会' }] });
  const all = [older, withdrawn, elsewhere, newer];
  assert.deepEqual(consentsNaming(all, 'o-1').map((c) => c.id), ['k-2', 'k-1'], 'newest first, withdrawn and others left out');
  assert.deepEqual(consentsNaming(all, 'o-3'), []);
  assert.deepEqual(consentsNaming(all, null), [], 'no receiver chosen yet');

  assert.equal(chosenConsent('', [older]), 'k-1', 'the only one is pre-selected');
  assert.equal(chosenConsent('k-3', [older]), 'k-1', 'a choice that no longer applies gives way to the only one');
  assert.equal(chosenConsent('', [older, newer]), '', 'with two, the user chooses');
  assert.equal(chosenConsent('k-2', [older, newer]), 'k-2');
  assert.equal(chosenConsent('k-2', []), '', 'another receiver: the old choice does not carry over');
});
