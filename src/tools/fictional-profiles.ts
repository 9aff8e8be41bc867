import { stringify } from 'yaml';
import type { Profile } from '../modules/network/profile.schema.ts';
import type { Rng } from './rng.ts';
import { fictionalPlaceNames } from './synthetic-names.ts';

/**
 * Network profiles of FICTIONAL municipalities for the synthetic data set,
 * made in memory from one template (the shape of profiles/hoshino-fictional.yaml):
 * a hub, the usual city-hall sections, a commissioned youth NPO, the public
 * health centre, one community comprehensive support centre per area, the
 * self-reliance support agency, the council of social welfare and the welfare
 * commissioners, with routing rules of the same kind as Musashino's. Names are
 * made up (synthetic-names.ts) and codes are 99xxxx, which no real
 * municipality has. What varies between them: the number of areas, whether the
 * hub is a city-hall desk or the council of social welfare (as in Hoshino),
 * the youth program's upper age, and the population.
 */

/**
 * The `tokyo` size stands for Tokyo's 62 municipalities, so its fictional ones
 * sit in 東京都 beside Musashino (as Hoshino does), and the prefecture centre's
 * views cover all 62.
 */
export const SYNTHETIC_PREFECTURE = '東京都';

/** Codes of the fictional municipalities: 990101, 990102, … (990001 is Hoshino's). */
export const fictionalCode = (i: number) => String(990101 + i);

export function fictionalProfiles(rng: Rng, count: number): { profile: Profile; text: string }[] {
  const names = fictionalPlaceNames(rng, count);
  return names.map((n, i) => {
    const kind = rng.weighted([['市', 6], ['町', 3], ['村', 1]] as const);
    const profile = fictionalProfile(rng, fictionalCode(i), `${n.name}${kind}`, `${n.kana}${kind === '市' ? 'し' : kind === '町' ? 'まち' : 'むら'}`);
    const text = `# FICTIONAL municipality generated for synthetic data (npx tsunagu generate). Every name is made up.\n${stringify(profile)}`;
    return { profile, text };
  });
}

function fictionalProfile(rng: Rng, code: string, name: string, nameKana: string): Profile {
  const areaCount = rng.int(2, 6);
  const areas = Array.from({ length: areaCount }, (_, i) => ({ id: `area-${i + 1}`, name: `第${i + 1}地区` }));
  const shakyoHub = rng.chance(0.25);
  const youthMax = rng.pick([39, 39, 49]);
  const hub = shakyoHub ? 'shakyo' : 'consultation-desk';
  const town = name.replace(/[市町村]$/, '');
  const org = (id: string, n: string, kind: string, internal: boolean, extra: Record<string, unknown> = {}) => ({ id, name: n, kind, internal, ...extra });

  const organizations = [
    org('welfare-section', '福祉課', 'internal_section', true),
    org('consultation-desk', '福祉まるごと相談窓口', 'internal_section', true, { parent: 'welfare-section', hub: !shakyoHub, staffCount: rng.int(2, 5) }),
    org('community-section', '地域福祉課', 'internal_section', true, { description: '民生委員・児童委員を束ねる。' }),
    org('health-section', '健康課', 'internal_section', true),
    org('children-section', '子ども家庭課', 'internal_section', true),
    org('self-reliance-agency', `${town}自立相談支援センター`, 'support_agency', false),
    org('youth-npo', `NPO法人${town}ユースサポート`, 'commissioned_npo', false),
    org('shakyo', `${name}社会福祉協議会`, 'social_welfare_council', false, shakyoHub ? { hub: true, staffCount: rng.int(2, 4) } : {}),
    org('public-health-centre', `${town}保健所`, 'public_health_centre', false),
    org('visiting-nurse', `${town}訪問看護ステーション`, 'medical', false),
    org('welfare-commissioners', '民生委員・児童委員', 'welfare_commissioners', false),
    ...areas.map((a, i) => org(`care-centre-${i + 1}`, `${a.name}地域包括支援センター`, 'community_centre', false, { areas: [a.id] })),
  ];
  const programs = [
    { id: 'general-window', name: 'まるごと相談', kind: 'consultation', owners: ['welfare-section'], ...(shakyoHub ? { commissionedTo: ['shakyo'] } : {}), status: 'active' },
    {
      id: 'youth-support', name: `若者サポート（${town}）`, kind: 'consultation', owners: ['welfare-section'], commissionedTo: ['youth-npo'], status: 'active',
      eligibility: { ageMin: 15, ageMax: youthMax, issueTags: ['hikikomori'] },
    },
    { id: 'mental-health-consultation', name: '保健師によるこころの相談', kind: 'consultation', owners: ['public-health-centre'], status: 'active', channels: ['phone', 'visit', 'home_visit'] },
    { id: 'outreach', name: '訪問支援（アウトリーチ）', kind: 'outreach', owners: ['health-section'], commissionedTo: ['visiting-nurse'], status: 'active', channels: ['home_visit'] },
    { id: 'work-readiness', name: '就労準備支援', kind: 'participation', owners: ['self-reliance-agency'], status: 'active', eligibility: { issueTags: ['employment', 'poverty'] } },
    { id: 'household-budget', name: '家計改善支援', kind: 'livelihood', owners: ['self-reliance-agency'], status: 'active', eligibility: { issueTags: ['household_budget', 'debt'] } },
  ];
  const rule = (id: string, priority: number, when: Record<string, unknown>, to: Record<string, unknown>, reason: string) => ({ id, priority, when, to, reason });
  const routingRules = [
    rule('welfare-commissioner-report', 10, { consulterRelations: ['welfare_commissioner'] }, { organization: hub, via: ['community-section'] },
      '民生委員からの相談は地域福祉課が受け、まるごと相談につなぐ。'),
    rule('compound-needs', 20, { minDistinctIssues: 3 }, { organization: hub }, '複合的な課題は総合相談の窓口が受けて調整する。'),
    rule('multi-agency', 21, { minOrganizationsInvolved: 2 }, { organization: hub }, '複数の機関が関わるときは総合相談の窓口が調整する。'),
    rule('school-age', 30, { schoolStages: ['junior_high', 'high_school'] }, { organization: 'children-section' }, '中高生は子ども家庭課が受ける。'),
    rule('youth-hikikomori', 40, { ageMin: 15, ageMax: youthMax, issueTagsAny: ['hikikomori'] }, { program: 'youth-support' }, `${youthMax}歳までのひきこもりは若者サポートへ。`),
    rule('middle-aged-hikikomori', 41, { ageMin: youthMax + 1, issueTagsAny: ['hikikomori'] }, { organization: hub }, '中高年のひきこもりは総合相談の窓口が受ける。'),
    rule('outreach', 50, { issueTagsAny: ['mental_health'], cannotVisit: true }, { program: 'outreach' }, '来所が難しい方は訪問支援へ。'),
    rule('mental-health', 51, { issueTagsAny: ['mental_health'] }, { program: 'mental-health-consultation' }, 'こころの健康は保健所の保健師へ。'),
    rule('work-readiness', 60, { issueTagsAny: ['employment'] }, { program: 'work-readiness' }, '就労の相談は自立相談支援センターへ。'),
    rule('household-budget', 61, { issueTagsAny: ['household_budget', 'debt'] }, { program: 'household-budget' }, '家計の相談は自立相談支援センターへ。'),
    rule('poverty', 64, { issueTagsAny: ['poverty', 'income', 'public_assistance', 'housing', 'food'] }, { organization: 'self-reliance-agency' }, '生活困窮の相談は自立相談支援センターへ。'),
    ...areas.map((a, i) => rule(`elderly-care-${a.id}`, 70 + i, { issueTagsAny: ['elderly_care'], areas: [a.id] }, { organization: `care-centre-${i + 1}` }, '介護の相談は地区の地域包括支援センターへ。')),
  ];
  return {
    formatVersion: 1,
    kind: 'municipality',
    municipality: { code, name, nameKana, nameEn: `${name} (fictional)`, prefecture: SYNTHETIC_PREFECTURE, population: rng.int(8, 400) * 1000 },
    notes: ['架空の自治体（合成データ用）。実在の自治体・人物とは関係ありません。'],
    areas,
    organizations,
    programs,
    meetingSeries: [{
      id: 'support-meeting', name: `${name}支援会議`, cadence: { every: 1, unit: 'month' }, legalBasis: 'social_welfare_act_106_6',
      purpose: '支援が必要な方の情報を共有し支援を検討する。', organizer: 'welfare-section', members: ['welfare-section', hub, 'youth-npo', 'self-reliance-agency'].filter((x, i, xs) => xs.indexOf(x) === i),
    }],
    routingRules,
  } as Profile;
}
