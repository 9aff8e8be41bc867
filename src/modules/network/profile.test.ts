import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { musashinoText } from '../../../test/helpers/factories.ts';
import { parseProfile, ProfileInvalidError, type ProfileIssue } from './profile.ts';

const base = `formatVersion: 1
kind: municipality
municipality:
  code: "999990"
  name: 架空市
  prefecture: 架空県
organizations:
  - id: desk
    name: 総合相談窓口
    kind: internal_section
    internal: true
    hub: true
`;

function issuesOf(text: string): ProfileIssue[] {
  try {
    parseProfile(text, 'test.yaml');
  } catch (err) {
    assert.ok(err instanceof ProfileInvalidError);
    return err.issues;
  }
  assert.fail('expected the profile to be refused');
}

describe('profile validation', () => {
  test("Musashino's profile is valid", () => {
    const p = parseProfile(musashinoText(), 'musashino.yaml');
    assert.equal(p.municipality.code, '132039');
  });

  test('a minimal profile with one hub is valid', () => {
    assert.equal(parseProfile(base).organizations.length, 1);
  });

  test('an unknown organisation kind names the file, line, key and the allowed values, in Japanese and English', () => {
    const [issue, ...rest] = issuesOf(base.replace('kind: internal_section', 'kind: city_office'));
    assert.equal(rest.length, 0);
    assert.equal(issue.file, 'test.yaml');
    assert.equal(issue.line, 10);
    assert.equal(issue.key, 'organizations[0].kind');
    assert.match(issue.messageEn, /allowed values: internal_section, commissioned_npo/);
    assert.match(issue.messageJa, /いずれか/);
  });

  test('a municipality code written as a number is refused at its line', () => {
    const [issue] = issuesOf(base.replace('code: "999990"', 'code: 999990'));
    assert.equal(issue.key, 'municipality.code');
    assert.equal(issue.line, 4);
    assert.match(issue.messageEn, /must be string/);
  });

  test('a missing required field is reported on the object that lacks it', () => {
    const [issue] = issuesOf(base.replace('    internal: true\n', ''));
    assert.equal(issue.key, 'organizations[0].internal');
    assert.equal(issue.line, 8);
    assert.match(issue.messageEn, /required property 'internal'/);
  });

  test('an organisation\'s web address must be http or https (staff see it as a link, where javascript: would run)', () => {
    const [issue] = issuesOf(`${base}    contact:\n      url: "javascript:alert(1)"\n`);
    assert.equal(issue.key, 'organizations[0].contact.url');
  });

  test('an unknown field is refused rather than ignored', () => {
    const [issue] = issuesOf(`${base}    colour: blue\n`);
    assert.equal(issue.key, 'organizations[0].colour');
    assert.equal(issue.line, 13);
    assert.match(issue.messageJa, /この項目は使えません/);
  });

  test('references to organisations that do not exist are reported where they are made', () => {
    const text = `${base}programs:
  - id: p1
    name: 事業
    kind: consultation
    owners: [desk, nowhere]
    status: active
`;
    const [issue] = issuesOf(text);
    assert.equal(issue.key, 'programs[0].owners[1]');
    assert.equal(issue.line, 17);
    assert.match(issue.messageEn, /unknown organization "nowhere"/);
    assert.match(issue.messageJa, /組織「nowhere」が定義されていません/);
  });

  test('duplicate ids, an inverted age range and an ambiguous cadence are each reported', () => {
    const text = `${base}  - id: desk
    name: 重複
    kind: other
    internal: false
programs:
  - id: p1
    name: 事業
    kind: consultation
    owners: [desk]
    status: active
    eligibility: { ageMin: 50, ageMax: 15 }
    cadence: { every: 2, unit: month, timesPerYear: 6 }
`;
    const keys = issuesOf(text).map((i) => i.key);
    assert.deepEqual(keys.sort(), ['organizations[1].id', 'programs[0].cadence', 'programs[0].eligibility'].sort());
  });

  test('a municipality needs exactly one hub', () => {
    const [issue] = issuesOf(base.replace('    hub: true\n', ''));
    assert.equal(issue.key, 'organizations');
    assert.match(issue.messageEn, /exactly one organization must have hub: true/);
  });

  test('a routing rule needs a destination and known issue tags', () => {
    const text = `${base}routingRules:
  - id: r1
    priority: 1
    when: { issueTagsAny: [hikikomori, made_up_tag] }
    to: {}
    reason: 理由
`;
    const keys = issuesOf(text).map((i) => i.key).sort();
    assert.deepEqual(keys, ['routingRules[0].to', 'routingRules[0].when.issueTagsAny[1]']);
  });

  test('a profile may add its own issue tags and use them', () => {
    const text = `${base}issueTags:
  - { code: gambling, ja: ギャンブル, en: Gambling }
routingRules:
  - id: r1
    priority: 1
    when: { issueTagsAny: [gambling] }
    to: { organization: desk }
    reason: 理由
`;
    assert.equal(parseProfile(text).routingRules?.length, 1);
  });

  test('broken YAML is reported with its line', () => {
    const [issue] = issuesOf(`${base}  - id: [unclosed\n`);
    // the parser notices the unclosed bracket at the end of the file
    assert.ok(issue.line >= 13 && issue.line <= 14, `line ${issue.line}`);
    assert.match(issue.messageEn, /YAML syntax error/);
  });
});

test('profiles/profile.schema.json, which editors read, is the schema the app checks with (regenerate: npx tsunagu profile schema > profiles/profile.schema.json)', async () => {
  const { readFile } = await import('node:fs/promises');
  const { ProfileSchema } = await import('./profile.schema.ts');
  const onDisk = JSON.parse(await readFile(new URL('../../../profiles/profile.schema.json', import.meta.url), 'utf8'));
  assert.deepEqual(onDisk, JSON.parse(JSON.stringify(ProfileSchema)));
});
