import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { musashinoText } from '../../../test/helpers/factories.ts';
import { parseProfile } from '../network/profile.ts';
import { ageBandOf, compileRules, evaluateRouting, explainConditions } from './evaluate.ts';
import type { RoutingIntake, RoutingResult, RoutingRule } from './types.ts';

const musashinoRules: RoutingRule[] = parseProfile(musashinoText(), 'musashino.yaml').routingRules ?? [];
const routeInMusashino = (intake: RoutingIntake) => evaluateRouting(intake, musashinoRules);

/**
 * A consultation where everything the rules ask about is known and nothing
 * special: a family member phones about someone not in school, one
 * organisation is involved, the person can come to a window. Age and area are
 * left unknown (as is common); rows set what their sentence is about.
 */
const aConsultation = (over: Partial<RoutingIntake> = {}): RoutingIntake => ({
  issueTags: [],
  schoolStage: 'not_in_school',
  channel: 'phone',
  consulterRelation: 'family',
  organizationsInvolved: 1,
  cannotVisit: false,
  ...over,
});

const keys = (items: { ruleKey: string }[]) => items.map((i) => i.ruleKey);
const find = <T extends { ruleKey: string }>(items: T[], key: string): T => {
  const found = items.find((i) => i.ruleKey === key);
  assert.ok(found, `${key} is among ${keys(items).join(', ') || '(none)'}`);
  return found;
};

// --- Musashino: every rule of profiles/musashino.yaml, with its reason --------

interface MusashinoRow {
  sentence: string;
  intake: RoutingIntake;
  rule: string;
  to: RoutingRule['to'];
  reason: string;
  also?: (result: RoutingResult) => void;
}

const AREA_CENTRE_REASON = '高齢者の介護の相談は、住まいの圏域の在宅介護・地域包括支援センターが受ける。';

const musashinoRows: MusashinoRow[] = [
  {
    sentence: 'a report from a welfare commissioner goes to the welfare desk via the community support section',
    intake: aConsultation({ consulterRelation: 'welfare_commissioner', issueTags: ['hikikomori'] }),
    rule: 'welfare-commissioner-report',
    to: { organization: 'welfare-desk', via: ['community-support-section'] },
    reason: '民生委員からの相談は、民生委員を束ねる地域支援課が一度回収し、その後福祉総合相談窓口につなぐ。',
  },
  {
    sentence: 'three distinct issues are compound needs, which the welfare desk takes and coordinates',
    intake: aConsultation({ issueTags: ['family_relations', 'community_relations', 'other'] }),
    rule: 'compound-needs',
    to: { organization: 'welfare-desk' },
    reason: '複合的な課題がある場合は福祉総合相談窓口が相談を受け取り、調整を図る。',
  },
  {
    sentence: 'when two organisations are involved the welfare desk takes the case and coordinates',
    intake: aConsultation({ organizationsInvolved: 2 }),
    rule: 'multi-agency',
    to: { organization: 'welfare-desk' },
    reason: '他機関連携が必要な場合は福祉総合相談窓口が相談を受け取り、調整を図る。',
  },
  {
    sentence: 'a junior-high student goes to Crescole via the child and family support centre',
    intake: aConsultation({ age: 14, schoolStage: 'junior_high', issueTags: ['school_non_attendance'] }),
    rule: 'junior-high-students',
    to: { organization: 'crescole', via: ['child-family-support-centre'] },
    reason: '中学生は子ども家庭支援センター・SSWが対応し、情報共有してクレスコーレにつなぐ。',
  },
  {
    sentence: 'a high-school student goes to the Mirairu consultation via the child and family support centre',
    intake: aConsultation({ age: 16, schoolStage: 'high_school', issueTags: ['hikikomori'] }),
    rule: 'high-school-students',
    to: { program: 'mirairu-consultation', via: ['child-family-support-centre'] },
    reason: '高校生は子ども家庭支援センター・SSWが対応し、みらいる（児童青少年課の委託）につなぐ。',
    also: (r) => assert.deepEqual(keys(r.suggestions), ['high-school-students', 'youth-hikikomori']),
  },
  {
    sentence: 'a 25-year-old in hikikomori goes to the youth support program (それいゆ)',
    intake: aConsultation({ age: 25, schoolStage: 'not_in_school', issueTags: ['hikikomori'] }),
    rule: 'youth-hikikomori',
    to: { program: 'youth-support' },
    reason: '15歳〜49歳の若者のひきこもり支援は「それいゆ」が行っている。',
  },
  {
    sentence: 'a 52-year-old in hikikomori goes to the welfare desk, which focuses on people in their 50s and 60s',
    intake: aConsultation({ age: 52, schoolStage: 'not_in_school', issueTags: ['hikikomori'] }),
    rule: 'middle-aged-hikikomori',
    to: { organization: 'welfare-desk' },
    reason: '福祉総合相談窓口は50代・60代の中高年層のひきこもり相談を中心に受けている。',
    also: (r) => {
      assert.deepEqual(r.suggestions[0].matched, [
        { condition: 'ageMin', ja: '年齢52歳は50〜69歳の範囲内', en: 'age 52 is within 50–69' },
        { condition: 'issueTagsAny', ja: '課題にひきこもりを含む', en: 'issues include social withdrawal (hikikomori)' },
      ]);
      assert.equal(r.suggestions.length, 1);
    },
  },
  {
    sentence: 'a person with mental-health difficulties who cannot come out gets the outreach program before the public health centre',
    intake: aConsultation({ issueTags: ['mental_health'], cannotVisit: true }),
    rule: 'mental-health-outreach',
    to: { program: 'mental-health-outreach' },
    reason: '精神保健に課題があり来所が難しい方には、精神保健アウトリーチ支援事業で訪問看護ステーションが在宅生活を支援する。',
    also: (r) => {
      assert.deepEqual(keys(r.suggestions), ['mental-health-outreach', 'mental-health']);
      assert.deepEqual(r.suggestions[0].matched.map((m) => m.ja), ['課題にこころの健康を含む', '本人は来所が難しい']);
    },
  },
  {
    sentence: 'mental health alone goes to the public health nurses, and outreach stays undecided while visiting is unknown',
    intake: aConsultation({ issueTags: ['mental_health'], cannotVisit: null }),
    rule: 'mental-health',
    to: { program: 'public-health-individual-consultation' },
    reason: '多摩府中保健所の保健師が、精神保健の課題を抱える家族・当事者の相談（電話・面接・訪問）を受ける。',
    also: (r) => {
      assert.deepEqual(keys(r.suggestions), ['mental-health']);
      const outreach = find(r.undecided, 'mental-health-outreach');
      assert.deepEqual(outreach.needs.map((n) => n.condition), ['cannotVisit']);
      assert.deepEqual(outreach.matched.map((m) => m.condition), ['issueTagsAny']);
    },
  },
  {
    sentence: 'finding work goes to work-readiness support',
    intake: aConsultation({ issueTags: ['employment'] }),
    rule: 'work-readiness',
    to: { program: 'work-readiness-support' },
    reason: '生活困窮者自立相談支援機関が就労準備支援を行う。',
  },
  {
    sentence: 'a household budget problem goes to household budget support',
    intake: aConsultation({ issueTags: ['household_budget'] }),
    rule: 'household-budget',
    to: { program: 'household-budget-support' },
    reason: '生活困窮者自立相談支援機関が家計改善支援を行う。',
  },
  {
    sentence: 'debt also goes to household budget support',
    intake: aConsultation({ issueTags: ['debt'] }),
    rule: 'household-budget',
    to: { program: 'household-budget-support' },
    reason: '生活困窮者自立相談支援機関が家計改善支援を行う。',
    also: (r) => assert.equal(r.suggestions[0].matched[0].ja, '課題に債務を含む'),
  },
  {
    sentence: 'housing goes to relocation support',
    intake: aConsultation({ issueTags: ['housing'] }),
    rule: 'housing-move',
    to: { program: 'relocation-support' },
    reason: '生活困窮者自立相談支援機関が転宅支援を行う（住宅対策課と連携）。',
  },
  {
    sentence: 'having no food goes to food support',
    intake: aConsultation({ issueTags: ['food'] }),
    rule: 'food',
    to: { program: 'food-support' },
    reason: '生活困窮者自立相談支援機関が食糧支援を行う。',
  },
  {
    sentence: 'poverty goes to the self-reliance support agency',
    intake: aConsultation({ issueTags: ['poverty'] }),
    rule: 'poverty',
    to: { organization: 'self-reliance-agency' },
    reason: '生活困窮の相談は生活困窮者自立相談支援機関が受け、必要に応じて生活保護につなぐ。',
  },
  ...[1, 2, 3, 4, 5, 6].map((n): MusashinoRow => ({
    sentence: `care of an elderly person in area ${n} goes to that area's centre, with the core centre as the fallback`,
    intake: aConsultation({ issueTags: ['elderly_care'], area: `area-${n}` }),
    rule: `elderly-care-area-${n}`,
    to: { organization: `area-centre-${n}` },
    reason: AREA_CENTRE_REASON,
    also: (r) => {
      assert.deepEqual(keys(r.suggestions), [`elderly-care-area-${n}`, 'elderly-care-area-unknown']);
      assert.equal(r.suggestions[0].matched[1].ja, `圏域はarea-${n}`);
      assert.deepEqual(r.undecided, []);
    },
  })),
  {
    sentence: 'care of an elderly person with no known area goes to the core centre, and the six area rules wait for the area',
    intake: aConsultation({ issueTags: ['elderly_care'], area: null }),
    rule: 'elderly-care-area-unknown',
    to: { organization: 'core-community-support-centre' },
    reason: '圏域が分からないときは、6圏域のセンターを統括する基幹型地域包括支援センターが受ける。',
    also: (r) => {
      assert.deepEqual(keys(r.suggestions), ['elderly-care-area-unknown']);
      assert.deepEqual(keys(r.undecided), [1, 2, 3, 4, 5, 6].map((n) => `elderly-care-area-${n}`));
      for (const u of r.undecided) {
        assert.equal(u.needs.length, 1);
        assert.equal(u.needs[0].condition, 'areas');
        assert.match(u.needs[0].ja, /圏域が分かりません/);
      }
    },
  },
];

describe("Musashino's routing rules, each with its reason", () => {
  for (const row of musashinoRows) {
    test(row.sentence, () => {
      const result = routeInMusashino(row.intake);
      const first = result.suggestions[0];
      assert.ok(first, 'there is a suggestion');
      assert.equal(first.ruleKey, row.rule);
      assert.deepEqual(first.to, row.to);
      assert.equal(first.reason, row.reason);
      row.also?.(result);
    });
  }

  test('every rule in the profile is pinned by a row above', () => {
    const pinned = new Set(musashinoRows.map((r) => r.rule));
    assert.deepEqual(musashinoRules.map((r) => r.id).filter((id) => !pinned.has(id)), []);
  });

  test('a suggestion carries the English and public reasons too', () => {
    const [first] = routeInMusashino(aConsultation({ consulterRelation: 'welfare_commissioner' })).suggestions;
    assert.equal(first.reasonEn, "Welfare commissioners' reports are collected by the Community Support Section first, then passed to the welfare desk.");
    assert.equal(first.publicReason, '民生委員からのご相談は、地域支援課を通じて福祉総合相談窓口がお受けします。');
  });
});

// --- what is not known is never taken to fit ----------------------------------

describe('unknown information in Musashino', () => {
  test('with the age unknown, no age rule is suggested and both wait for the age', () => {
    const r = routeInMusashino(aConsultation({ issueTags: ['hikikomori'] }));
    assert.deepEqual(keys(r.suggestions), []);
    for (const key of ['youth-hikikomori', 'middle-aged-hikikomori']) {
      const u = find(r.undecided, key);
      assert.equal(u.needs.length, 1);
      assert.match(u.needs[0].condition, /^age(Min|Max)$/);
      assert.match(u.needs[0].ja, /年齢が分かりません/);
      assert.match(u.needs[0].en, /age is unknown; it is needed/);
      assert.deepEqual(u.matched.map((m) => m.condition), ['issueTagsAny']);
    }
    assert.deepEqual(r.undecided.find((u) => u.ruleKey === 'youth-hikikomori')?.needs[0].ja,
      '年齢が分かりません。15〜49歳の範囲内か判断するため、年齢を確認してください');
  });

  test('an age band of 40–49 is enough for the youth rule, and rules out the middle-aged one', () => {
    const r = routeInMusashino(aConsultation({ ageBand: [40, 49], issueTags: ['hikikomori'] }));
    assert.deepEqual(keys(r.suggestions), ['youth-hikikomori']);
    assert.deepEqual(r.suggestions[0].matched[0], { condition: 'ageMin', ja: '年齢層（40代）は15〜49歳の範囲内', en: 'the age band 40–49 is within 15–49' });
    const miss = find(r.nearMisses, 'middle-aged-hikikomori');
    assert.deepEqual(miss.failed, { condition: 'ageMin', ja: '年齢層（40代）は50〜69歳の範囲外', en: 'the age band 40–49 is outside 50–69' });
    assert.ok(!keys(r.undecided).includes('middle-aged-hikikomori'));
  });

  test('an age band of 45–54 straddles both age rules, so both wait for the exact age', () => {
    const r = routeInMusashino(aConsultation({ ageBand: [45, 54], issueTags: ['hikikomori'] }));
    assert.deepEqual(keys(r.suggestions), []);
    assert.deepEqual(find(r.undecided, 'youth-hikikomori').needs, [{
      condition: 'ageMax',
      ja: '年齢（45〜54歳）だけでは15〜49歳の範囲内か判断できません。年齢を確認してください',
      en: 'the age band 45–54 does not decide whether the age is within 15–49; the exact age is needed',
    }]);
    assert.equal(find(r.undecided, 'middle-aged-hikikomori').needs[0].condition, 'ageMin');
  });

  test('an exact age wins over a band recorded beside it', () => {
    const r = routeInMusashino(aConsultation({ age: 52, ageBand: [40, 49], issueTags: ['hikikomori'] }));
    assert.deepEqual(keys(r.suggestions), ['middle-aged-hikikomori']);
  });

  test('a 45-year-old in hikikomori is a near miss for the middle-aged rule, on age alone', () => {
    const r = routeInMusashino(aConsultation({ age: 45, issueTags: ['hikikomori'] }));
    assert.equal(r.suggestions[0].ruleKey, 'youth-hikikomori');
    const miss = find(r.nearMisses, 'middle-aged-hikikomori');
    assert.deepEqual(miss.failed, { condition: 'ageMin', ja: '年齢45歳は50〜69歳の範囲外', en: 'age 45 is outside 50–69' });
    assert.deepEqual(miss.matched.map((m) => m.ja), ['課題にひきこもりを含む']);
    assert.equal(miss.reason, '福祉総合相談窓口は50代・60代の中高年層のひきこもり相談を中心に受けている。');
  });

  test('a 75-year-old fails the middle-aged rule on its upper bound', () => {
    const miss = find(routeInMusashino(aConsultation({ age: 75, issueTags: ['hikikomori'] })).nearMisses, 'middle-aged-hikikomori');
    assert.equal(miss.failed.condition, 'ageMax');
  });

  test('an unknown consulter leaves the welfare commissioner rule undecided, asking who consulted', () => {
    const r = routeInMusashino(aConsultation({ consulterRelation: null }));
    assert.deepEqual(find(r.undecided, 'welfare-commissioner-report').needs, [{
      condition: 'consulterRelations',
      ja: '相談者が分かりません。民生委員・児童委員かどうか判断するため、誰からの相談か確認してください',
      en: 'the consulter is unknown; it is needed to decide whether it is welfare commissioner',
    }]);
  });

  test('an unknown school stage leaves the school rules undecided; a known one that does not fit is a near miss', () => {
    const unknown = routeInMusashino(aConsultation({ age: 15, schoolStage: null }));
    assert.deepEqual(keys(unknown.undecided), ['junior-high-students', 'high-school-students']);
    const known = routeInMusashino(aConsultation({ age: 15, schoolStage: 'high_school' }));
    assert.deepEqual(find(known.nearMisses, 'junior-high-students').failed, {
      condition: 'schoolStages', ja: '学校段階（高校生）は中学生ではない', en: 'school stage high school is not junior high school',
    });
  });

  test('an unknown number of organisations leaves the multi-agency rule undecided', () => {
    const r = routeInMusashino(aConsultation({ organizationsInvolved: undefined }));
    assert.deepEqual(find(r.undecided, 'multi-agency').needs.map((n) => n.condition), ['minOrganizationsInvolved']);
  });

  test('a rule that fails a known condition is not undecided for what is unknown (nor a near miss)', () => {
    // no mental-health issue, visiting unknown: outreach fails on the issue, so asking about visiting is pointless
    const r = routeInMusashino(aConsultation({ issueTags: ['food'], cannotVisit: null }));
    assert.ok(!keys(r.undecided).includes('mental-health-outreach'));
    assert.ok(!keys(r.nearMisses).includes('mental-health-outreach'));
  });

  test('a rule failing two conditions is not a near miss', () => {
    const r = routeInMusashino(aConsultation({ age: 30, issueTags: ['food'] }));
    assert.ok(!keys(r.nearMisses).includes('middle-aged-hikikomori'));
    assert.ok(keys(r.nearMisses).includes('youth-hikikomori'));
  });

  test('with everything known, nothing is undecided', () => {
    const r = routeInMusashino(aConsultation({ age: 30, schoolStage: 'not_in_school', area: 'area-2', issueTags: ['hikikomori', 'debt'] }));
    assert.deepEqual(r.undecided, []);
    assert.deepEqual(keys(r.suggestions), ['youth-hikikomori', 'household-budget']);
  });

  test('someone who can come to a window is a near miss for outreach', () => {
    const miss = find(routeInMusashino(aConsultation({ issueTags: ['mental_health'], cannotVisit: false })).nearMisses, 'mental-health-outreach');
    assert.deepEqual(miss.failed, {
      condition: 'cannotVisit', ja: '本人は来所できる（来所が難しい人が対象）', en: 'the person can come to a window (the rule is for people who cannot)',
    });
  });

  test('counts explain themselves', () => {
    const r = routeInMusashino(aConsultation({ issueTags: ['food', 'debt', 'housing', 'food'], organizationsInvolved: 3 }));
    assert.deepEqual(find(r.suggestions, 'compound-needs').matched, [
      { condition: 'minDistinctIssues', ja: '課題が3種類あり、3種類以上', en: '3 distinct issues (3 or more)' },
    ]);
    assert.deepEqual(find(r.suggestions, 'multi-agency').matched, [
      { condition: 'minOrganizationsInvolved', ja: '関わる機関が3機関で、2機関以上', en: '3 organisations involved (2 or more)' },
    ]);
  });
});

// --- small rule sets for the edges ----------------------------------------------

let seq = 0;
const rule = (when: RoutingRule['when'], over: Partial<RoutingRule> = {}): RoutingRule => ({
  id: `rule-${++seq}`,
  priority: 100,
  when,
  to: { organization: 'somewhere' },
  reason: 'テスト用の規則。',
  ...over,
});

describe('rule semantics on small rule sets', () => {
  test('a rule with an empty `when` matches any consultation, even one where nothing is known', () => {
    const everyone = rule({}, { id: 'everyone' });
    for (const intake of [{ issueTags: [] }, aConsultation({ age: 3, issueTags: ['other'] })]) {
      const r = evaluateRouting(intake, [everyone]);
      assert.deepEqual(keys(r.suggestions), ['everyone']);
      assert.deepEqual(r.suggestions[0].matched, []);
      assert.deepEqual(r.undecided, []);
    }
  });

  test('no rules, no suggestions', () => {
    assert.deepEqual(evaluateRouting(aConsultation({ issueTags: ['hikikomori'] }), []), { suggestions: [], undecided: [], nearMisses: [] });
  });

  const seniors = rule({ ageMin: 65 }, { id: 'seniors' });
  const under18 = rule({ ageMax: 17 }, { id: 'under-18' });
  const ageRows: { sentence: string; rule: RoutingRule; intake: RoutingIntake; outcome: 'suggested' | 'nearMiss' | 'undecided'; ja: string; en: string }[] = [
    { sentence: 'at 65 one is 65 or over', rule: seniors, intake: { age: 65, issueTags: [] }, outcome: 'suggested', ja: '年齢65歳は65歳以上', en: 'age 65 is 65 or over' },
    { sentence: 'at 64 one is under 65', rule: seniors, intake: { age: 64, issueTags: [] }, outcome: 'nearMiss', ja: '年齢64歳は65歳未満', en: 'age 64 is under 65' },
    { sentence: 'in one’s 70s one is 65 or over', rule: seniors, intake: { ageBand: [70, 79], issueTags: [] }, outcome: 'suggested', ja: '年齢層（70代）は65歳以上', en: 'the age band 70–79 is 65 or over' },
    { sentence: 'in one’s 60s it depends', rule: seniors, intake: { ageBand: [60, 69], issueTags: [] }, outcome: 'undecided', ja: '年齢（60代）だけでは65歳以上か判断できません。年齢を確認してください', en: 'the age band 60–69 does not decide whether the age is 65 or over; the exact age is needed' },
    { sentence: 'in one’s 50s one is under 65', rule: seniors, intake: { ageBand: [50, 59], issueTags: [] }, outcome: 'nearMiss', ja: '年齢層（50代）は65歳未満', en: 'the age band 50–59 is under 65' },
    { sentence: 'at 17 one is 17 or under', rule: under18, intake: { age: 17, issueTags: [] }, outcome: 'suggested', ja: '年齢17歳は17歳以下', en: 'age 17 is 17 or under' },
    { sentence: 'at 18 one is over 17', rule: under18, intake: { age: 18, issueTags: [] }, outcome: 'nearMiss', ja: '年齢18歳は17歳を超える', en: 'age 18 is over 17' },
    { sentence: 'with no age the upper bound is asked about', rule: under18, intake: { issueTags: [] }, outcome: 'undecided', ja: '年齢が分かりません。17歳以下か判断するため、年齢を確認してください', en: 'the age is unknown; it is needed to decide whether it is 17 or under' },
  ];
  for (const row of ageRows) {
    test(`a rule with only one age bound: ${row.sentence}`, () => {
      const r = evaluateRouting(row.intake, [row.rule]);
      const explanation =
        row.outcome === 'suggested' ? r.suggestions[0]?.matched[0]
        : row.outcome === 'nearMiss' ? r.nearMisses[0]?.failed
        : r.undecided[0]?.needs[0];
      assert.deepEqual(explanation && { ja: explanation.ja, en: explanation.en }, { ja: row.ja, en: row.en });
      assert.equal(r.suggestions.length + r.nearMisses.length + r.undecided.length, 1);
    });
  }

  test('issueTagsAll needs every tag; missing one is a near miss naming it', () => {
    const both = rule({ issueTagsAll: ['8050', 'hikikomori'] }, { id: 'both' });
    const held = evaluateRouting({ issueTags: ['hikikomori', 'other', '8050'], age: 52 }, [both]);
    assert.deepEqual(held.suggestions[0].matched, [
      { condition: 'issueTagsAll', ja: '課題に8050問題、ひきこもりをすべて含む', en: 'issues include all of elderly parent supporting a middle-aged child (8050), social withdrawal (hikikomori)' },
    ]);
    const missed = evaluateRouting({ issueTags: ['hikikomori'] }, [both]);
    assert.deepEqual(keys(missed.nearMisses), ['both']);
    assert.equal(missed.nearMisses[0].failed.ja, '課題に8050問題、ひきこもりのすべては含まない（8050問題がない）');
  });

  test('issueTagsAny names the tags that are present', () => {
    const money = rule({ issueTagsAny: ['debt', 'household_budget', 'poverty'] }, { id: 'money' });
    const r = evaluateRouting({ issueTags: ['poverty', 'debt'] }, [money]);
    assert.equal(r.suggestions[0].matched[0].ja, '課題に債務、生活困窮を含む');
    const none = evaluateRouting({ issueTags: [] }, [money]);
    assert.equal(none.nearMisses[0].failed.ja, '課題に債務、家計、生活困窮のいずれも含まない');
  });

  test('channels and areas test the one value recorded', () => {
    const phoneInArea1 = rule({ channels: ['phone', 'email'], areas: ['area-1'] }, { id: 'phone-area-1' });
    const r = evaluateRouting({ issueTags: [], channel: 'visit', area: 'area-1' }, [phoneInArea1]);
    assert.deepEqual(r.nearMisses[0].failed, { condition: 'channels', ja: '相談経路（来所）は電話、メールのいずれでもない', en: 'channel visit is none of phone, email' });
    assert.deepEqual(r.nearMisses[0].matched, [{ condition: 'areas', ja: '圏域はarea-1', en: 'area is area-1' }]);
  });

  test('a rule for people who can come to a window does not take those who cannot', () => {
    const windowOnly = rule({ cannotVisit: false }, { id: 'window-only' });
    assert.deepEqual(keys(evaluateRouting({ issueTags: [], cannotVisit: false }, [windowOnly]).suggestions), ['window-only']);
    assert.deepEqual(keys(evaluateRouting({ issueTags: [], cannotVisit: true }, [windowOnly]).nearMisses), ['window-only']);
    assert.deepEqual(keys(evaluateRouting({ issueTags: [] }, [windowOnly]).undecided), ['window-only']);
  });

  test('suggestions come in priority order, ties by rule key, whatever the order of the rule list', () => {
    const any = { issueTagsAny: ['hikikomori'] };
    const rules = [
      rule(any, { id: 'zeta', priority: 5 }),
      rule(any, { id: 'beta', priority: 5 }),
      rule(any, { id: 'late', priority: 9 }),
      rule(any, { id: 'alpha', priority: 5 }),
      rule(any, { id: 'early', priority: 1 }),
    ];
    const expected = ['early', 'alpha', 'beta', 'zeta', 'late'];
    assert.deepEqual(keys(evaluateRouting({ issueTags: ['hikikomori'] }, rules).suggestions), expected);
    assert.deepEqual(keys(evaluateRouting({ issueTags: ['hikikomori'] }, [...rules].reverse()).suggestions), expected);
    assert.deepEqual(keys(evaluateRouting({ issueTags: [] }, rules).nearMisses), expected);
  });

  test('codes without a label are shown as they are, and a profile may label its own', () => {
    const local = rule({ issueTagsAny: ['pet_hoarding'], areas: ['north'] }, { id: 'local' });
    const plain = evaluateRouting({ issueTags: ['pet_hoarding'], area: 'north' }, [local]);
    assert.deepEqual(plain.suggestions[0].matched.map((m) => m.ja), ['課題にpet_hoardingを含む', '圏域はnorth']);
    const labelled = evaluateRouting({ issueTags: ['pet_hoarding'], area: 'north' }, [local], {
      issueTags: [{ code: 'pet_hoarding', ja: '多頭飼育', en: 'Animal hoarding' }],
      areas: [{ code: 'north', ja: '北部圏域', en: 'North area' }],
    });
    assert.deepEqual(labelled.suggestions[0].matched.map((m) => [m.ja, m.en]), [
      ['課題に多頭飼育を含む', 'issues include animal hoarding'],
      ['圏域は北部圏域', 'area is north area'],
    ]);
  });

  test('a condition the engine does not know is refused, not ignored', () => {
    const odd = rule({ ageMin: 20 }, { id: 'odd' });
    (odd.when as Record<string, unknown>).gender = 'any';
    assert.throws(() => evaluateRouting({ issueTags: [] }, [odd]), /Routing rule odd: unknown condition "gender"/);
  });

  test('a compiled rule set gives the same answers as one-off evaluation, call after call', () => {
    const compiled = compileRules(musashinoRules);
    const intakes: RoutingIntake[] = [
      aConsultation({ age: 52, issueTags: ['hikikomori'] }),
      aConsultation({ ageBand: [45, 54], issueTags: ['hikikomori', 'elderly_care'] }),
      { issueTags: ['mental_health', 'debt', 'food'] },
      aConsultation({ age: 52, issueTags: ['hikikomori'] }),
    ];
    for (const intake of intakes) assert.deepEqual(compiled.evaluate(intake), evaluateRouting(intake, musashinoRules));
    assert.deepEqual(compiled.rules.map((r) => r.priority), [...musashinoRules.map((r) => r.priority)].sort((a, b) => a - b));
  });

  test('evaluation leaves the intake and the rules as they were', () => {
    const intake = aConsultation({ age: 52, issueTags: ['hikikomori'] });
    const before = structuredClone({ intake, musashinoRules });
    routeInMusashino(intake);
    assert.deepEqual({ intake, musashinoRules }, before);
  });

  test('explainConditions says how each condition fares, even for a rule that is left out', () => {
    const middleAged = musashinoRules.find((r) => r.id === 'middle-aged-hikikomori')!;
    const outcomes = explainConditions(middleAged, { age: 30, issueTags: ['food'] });
    assert.deepEqual(outcomes.map((o) => [o.status, o.explanation.ja]), [
      ['fails', '年齢30歳は50〜69歳の範囲外'],
      ['fails', '課題にひきこもりを含まない'],
    ]);
  });

  test('ageBandOf gives the ten-year band an age is recorded in', () => {
    assert.deepEqual(ageBandOf(52), [50, 59]);
    assert.deepEqual(ageBandOf(50), [50, 59]);
    assert.deepEqual(ageBandOf(49), [40, 49]);
    assert.deepEqual(ageBandOf(7), [0, 9]);
  });
});
