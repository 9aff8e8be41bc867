import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { MunicipalitySnapshot } from './crossing.ts';
import { audienceOf, groupWindows, type AudienceFacts } from './leaflet.ts';

const facts = (over: Partial<AudienceFacts>): AudienceFacts => ({ minAge: null, maxAge: null, schoolStages: [], issueTags: [], serviceTypes: [], ...over });

describe('who a window is for', () => {
  const cases: [string, Partial<AudienceFacts>, string][] = [
    ['a consultation for high-school students', { schoolStages: ['high_school'] }, 'children'],
    ['youth support from 15 to 49', { minAge: 15, maxAge: 49, issueTags: ['hikikomori'] }, 'children'],
    ['a program up to 17', { maxAge: 17 }, 'children'],
    ['help with school non-attendance', { issueTags: ['school_non_attendance'] }, 'children'],
    ['work-readiness support', { issueTags: ['employment', 'poverty'] }, 'adults'],
    ['a program from 18', { minAge: 18 }, 'adults'],
    ['care of an older family member', { issueTags: ['elderly_care'] }, 'older_family'],
    ['the 8050 problem, whatever else', { issueTags: ['8050', 'employment'], minAge: 40 }, 'older_family'],
    ['a program from 65', { minAge: 65 }, 'older_family'],
    ['expert case consultation', { serviceTypes: ['expert_consultation'] }, 'professionals'],
    ['mental health, any age', { issueTags: ['mental_health'] }, 'everyone'],
    ['not in school is no school stage', { schoolStages: ['not_in_school'], issueTags: ['hikikomori'] }, 'everyone'],
    ['nothing said', {}, 'everyone'],
  ];
  for (const [what, f, audience] of cases) test(`${what}: ${audience}`, () => assert.equal(audienceOf(facts(f)), audience));
});

describe('the leaflet groups every window', () => {
  const term = (linkType: string, code: string) => ({ link_type: linkType, taxonomy_term: { code } });
  const org = (name: string) => ({ id: randomUUID(), name, description: `${name}です。`, phones: [], contacts: [], locations: [], programs: [], attributes: [] });
  const desk = org('総合相談窓口');
  const npo = org('NPOわかば');
  const careCentre = org('北地区地域包括支援センター');
  const health = org('保健センター');
  const service = (name: string, runner: { id: string }, over: Record<string, unknown> = {}) => ({
    id: randomUUID(), organization_id: runner.id, name, status: 'active', last_modified: '2026-04-01T00:00:00Z',
    phones: [], schedules: [], service_areas: [], service_at_locations: [], contacts: [], attributes: [], ...over,
  });
  const youth = service('若者の居場所', npo, { minimum_age: 15, maximum_age: 39, eligibility_description: '15歳〜39歳\n39歳までの方は「わかば」へ。', attributes: [term('issue', 'hikikomori'), term('channel', 'visit'), term('channel', 'phone')] });
  const general = service('まるごと相談', desk, { phones: [{ number: '0422-00-0000', description: '受付時間：平日9時〜17時' }] });
  const ended = service('終わった教室', health, { status: 'defunct' });
  const planned = service('就労体験', desk, { status: 'inactive', alert: '開始予定の事業です。', attributes: [term('issue', 'employment')] });
  const rules: MunicipalitySnapshot['rules'] = [
    { id: 'youth', priority: 10, when: { ageMin: 15, ageMax: 39, issueTagsAny: ['hikikomori'] }, to: { serviceId: youth.id }, publicReason: '39歳までの方は「わかば」へ。' },
    { id: 'care-north', priority: 40, when: { issueTagsAny: ['elderly_care'], areas: ['north'] }, to: { organizationId: careCentre.id }, publicReason: '北地区の介護のご相談はこちらへ。' },
    // an organisation that runs a listed program appears through its programs, not on its own
    { id: 'everyone', priority: 90, when: { minDistinctIssues: 3 }, to: { organizationId: desk.id }, publicReason: '困りごとが重なるときはこちらへ。' },
  ];
  const snapshot = {
    directory: { organizations: [desk, npo, careCentre, health], services: [youth, general, ended, planned], taxonomies: [], taxonomyTerms: [] },
    rules,
  } as unknown as Pick<MunicipalitySnapshot, 'directory' | 'rules'>;

  test('in the order children, adults, older family, everyone; ended programs left out; rule-only organisations listed', () => {
    const groups = groupWindows(snapshot);
    assert.deepEqual(groups.map((g) => [g.audience, g.windows.map((w) => w.name)]), [
      ['children', ['若者の居場所']],
      ['adults', ['就労体験']],
      ['older_family', ['北地区地域包括支援センター']],
      ['everyone', ['まるごと相談']],
    ]);
  });

  test('each window says how to reach it and when to contact it, its own eligibility apart from the rules’ reasons', () => {
    const all = groupWindows(snapshot).flatMap((g) => g.windows);
    const w = all.find((x) => x.name === '若者の居場所')!;
    assert.equal(w.organization?.name, 'NPOわかば');
    assert.deepEqual(w.channels, ['phone', 'visit']);
    assert.equal(w.eligibility, '15歳〜39歳');
    assert.deepEqual(w.whenToContact, ['39歳までの方は「わかば」へ。']);
    const g = all.find((x) => x.name === 'まるごと相談')!;
    assert.deepEqual(g.contact.phones, [{ number: '0422-00-0000', note: '受付時間：平日9時〜17時' }]);
    const c = all.find((x) => x.name === '北地区地域包括支援センター')!;
    assert.equal(c.kind, 'organization');
    assert.deepEqual(c.whenToContact, ['北地区の介護のご相談はこちらへ。']);
    assert.equal(all.find((x) => x.name === '就労体験')!.notice, '開始予定の事業です。');
  });
});
