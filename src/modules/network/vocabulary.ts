/**
 * National vocabularies every municipality shares. A profile may add its own
 * issue tags; it may not remove these, since statistics are compared across
 * municipalities with them.
 */

export interface Term {
  code: string;
  ja: string;
  en: string;
  /** 要配慮個人情報 (個人情報保護法第2条第3項): only users with the grant see it on a person's record. */
  sensitive?: boolean;
}

/**
 * Issue tags: the 16 相談内容 boxes of the MHLW 相談受付・申込票 (DOMAIN.md §1.1),
 * plus the tags the hikikomori network routes on (GLOSSARY.md).
 */
export const ISSUE_TAGS: readonly Term[] = [
  { code: 'hikikomori', ja: 'ひきこもり', en: 'Social withdrawal (hikikomori)' },
  { code: 'school_non_attendance', ja: '不登校', en: 'School non-attendance' },
  { code: 'mental_health', ja: 'こころの健康', en: 'Mental health', sensitive: true },
  { code: 'health', ja: '病気・健康', en: 'Illness and health', sensitive: true },
  { code: 'disability', ja: '障害', en: 'Disability', sensitive: true },
  { code: 'poverty', ja: '生活困窮', en: 'Poverty' },
  { code: 'income', ja: '収入・生活費', en: 'Income and living costs' },
  { code: 'household_budget', ja: '家計', en: 'Household budget' },
  { code: 'debt', ja: '債務', en: 'Debt' },
  { code: 'rent_loan', ja: '家賃・ローン', en: 'Rent and loans' },
  { code: 'tax_utilities', ja: '税・公共料金', en: 'Taxes and utility bills' },
  { code: 'housing', ja: '住まい', en: 'Housing' },
  { code: 'food', ja: '食べるものがない', en: 'No food' },
  { code: 'employment', ja: '仕事探し・就労', en: 'Finding work' },
  { code: 'work_anxiety', ja: '仕事上の不安', en: 'Worries at work' },
  { code: 'community_relations', ja: '地域との関係', en: 'Relations with the neighbourhood' },
  { code: 'family_relations', ja: '家族との関係', en: 'Family relations' },
  { code: 'child_rearing', ja: '子育て', en: 'Child rearing' },
  { code: 'elderly_care', ja: '介護', en: 'Care of an elderly person' },
  { code: '8050', ja: '8050問題', en: 'Elderly parent supporting a middle-aged child (8050)' },
  { code: 'dv_abuse', ja: 'DV・虐待', en: 'Domestic violence and abuse', sensitive: true },
  { code: 'public_assistance', ja: '生活保護', en: 'Public assistance', sensitive: true },
  { code: 'other', ja: 'その他', en: 'Other' },
];

export const SCHOOL_STAGES: readonly Term[] = [
  { code: 'elementary', ja: '小学生', en: 'Elementary school' },
  { code: 'junior_high', ja: '中学生', en: 'Junior high school' },
  { code: 'high_school', ja: '高校生', en: 'High school' },
  { code: 'not_in_school', ja: '学校に在籍していない', en: 'Not in school' },
];

/** 相談経路 (GLOSSARY). */
export const CHANNELS: readonly Term[] = [
  { code: 'visit', ja: '来所', en: 'Visit' },
  { code: 'phone', ja: '電話', en: 'Phone' },
  { code: 'home_visit', ja: '訪問', en: 'Home visit' },
  { code: 'email', ja: 'メール', en: 'Email' },
  { code: 'online_form', ja: 'ウェブフォーム', en: 'Web form' },
  { code: 'via_organization', ja: '関係機関から', en: 'Via another organisation' },
];

/** 相談者 (GLOSSARY). */
export const CONSULTER_RELATIONS: readonly Term[] = [
  { code: 'self', ja: '本人', en: 'The person' },
  { code: 'family', ja: '家族', en: 'Family' },
  { code: 'organization', ja: '関係機関', en: 'An organisation' },
  { code: 'welfare_commissioner', ja: '民生委員・児童委員', en: 'Welfare commissioner' },
  { code: 'neighbour', ja: '近隣住民', en: 'Neighbour' },
];

export const ORGANIZATION_KINDS: readonly Term[] = [
  { code: 'internal_section', ja: '庁内部署', en: 'City hall section' },
  { code: 'commissioned_npo', ja: '委託先（NPO・事業者）', en: 'Commissioned NPO or provider' },
  { code: 'public_health_centre', ja: '保健所', en: 'Public health centre' },
  { code: 'school_side', ja: '学校連携先', en: 'School-side partner' },
  { code: 'community_centre', ja: '地域の相談拠点', en: 'Community centre' },
  { code: 'social_welfare_council', ja: '社会福祉協議会', en: 'Council of social welfare' },
  { code: 'support_agency', ja: '相談支援機関', en: 'Support agency' },
  { code: 'peer_group', ja: '当事者会・家族会', en: 'Peer or family group' },
  { code: 'medical', ja: '医療機関', en: 'Medical institution' },
  { code: 'care_service', ja: '介護・福祉事業所', en: 'Care service provider' },
  { code: 'welfare_commissioners', ja: '民生委員・児童委員', en: 'Welfare commissioners' },
  { code: 'prefecture', ja: '都道府県の機関', en: 'Prefecture body' },
  { code: 'other_municipality', ja: '他自治体', en: 'Other municipality' },
  { code: 'other', ja: 'その他', en: 'Other' },
];

export const PROGRAM_KINDS: readonly Term[] = [
  { code: 'consultation', ja: '相談', en: 'Consultation' },
  { code: 'outreach', ja: 'アウトリーチ', en: 'Outreach' },
  { code: 'participation', ja: '参加支援・就労支援', en: 'Participation and work support' },
  { code: 'livelihood', ja: '生活支援', en: 'Livelihood support' },
  { code: 'drop_in', ja: '居場所', en: 'Drop-in place' },
  { code: 'peer_group', ja: '当事者会・家族会', en: 'Peer or family group' },
  { code: 'event', ja: '講演会・研修・交流会', en: 'Lecture, training or exchange meeting' },
  { code: 'expert_consultation', ja: '専門家による事例検討', en: 'Expert case consultation' },
  { code: 'other', ja: 'その他', en: 'Other' },
];

/**
 * The parts of a local network, in the headings a prefecture's centre writes
 * its visit records under (the seed's ○ headings) and compares municipalities
 * by. `kinds` are the organisation kinds that belong to a part unless the
 * profile says otherwise (`networkRoles`).
 */
export const NETWORK_ROLES: readonly (Term & { kinds: readonly string[] })[] = [
  { code: 'hub', ja: 'ひきこもり支援の中心部門', en: 'Lead section for hikikomori support', kinds: [] },
  { code: 'peer_groups', ja: '当事者会との連携', en: 'Peer and family groups', kinds: ['peer_group'] },
  { code: 'private_groups', ja: '民間支援団体との連携', en: 'Private support organisations', kinds: ['commissioned_npo'] },
  { code: 'welfare_commissioners', ja: '民生委員・児童委員との連携', en: 'Welfare commissioners', kinds: ['welfare_commissioners'] },
  { code: 'schools', ja: '学校との連携', en: 'Schools', kinds: ['school_side'] },
  { code: 'multilayered', ja: '重層的支援体制整備事業・地域福祉計画', en: 'Multi-layered support and the community welfare plan', kinds: [] },
  { code: 'self_reliance', ja: '生活困窮者自立相談支援機関', en: 'Self-reliance support agency', kinds: ['support_agency'] },
  { code: 'public_health', ja: '保健所・保健センター', en: 'Public health centres', kinds: ['public_health_centre'] },
  { code: 'children_youth', ja: '児童青少年部門・児童福祉部門', en: 'Children and youth departments', kinds: [] },
  { code: 'community_care', ja: '地域包括支援センター', en: 'Community comprehensive support centres', kinds: ['community_centre'] },
  { code: 'social_welfare_council', ja: '社会福祉協議会', en: 'Council of social welfare', kinds: ['social_welfare_council'] },
];

/** The gaps a prefecture's gap rules can look for (profile `gapRules`). */
export const GAP_CHECKS: readonly Term[] = [
  { code: 'quiet_door', ja: '相談の入らない窓口', en: 'A door with no consultation' },
  { code: 'no_neighbour_window', ja: '住民が近隣の気がかりを相談できる窓口がない', en: 'No window for a worry about a neighbour' },
  { code: 'uncovered_ages', ja: 'どの事業も対象としない年齢', en: 'Ages no program covers' },
  { code: 'no_sharing_meeting', ja: '情報共有の法的根拠をもつ会議体がない', en: 'No meeting with a legal basis for sharing' },
  { code: 'program_not_started', ja: '予定のまま始まっていない事業', en: 'A program planned but not started' },
];

/**
 * Legal basis of a meeting series, which decides what may be shared in it
 * without the person's consent (DOMAIN.md §3).
 */
export const LEGAL_BASES: readonly (Term & { sharesWithoutConsent: boolean })[] = [
  { code: 'social_welfare_act_106_6', ja: '社会福祉法第106条の6（支援会議）', en: 'Social Welfare Act art. 106-6 support meeting', sharesWithoutConsent: true },
  { code: 'poverty_act_9', ja: '生活困窮者自立支援法第9条（支援会議）', en: 'Act on Self-Reliance Support art. 9 support meeting', sharesWithoutConsent: true },
  { code: 'poverty_act_support_coordination', ja: '生活困窮者自立支援法に基づく支援調整会議（本人同意による）', en: 'Support coordination meeting under the Act on Self-Reliance Support (with consent)', sharesWithoutConsent: false },
  { code: 'multilayered_support_meeting', ja: '重層的支援会議（本人同意が必要）', en: 'Multi-layered support meeting (consent required)', sharesWithoutConsent: false },
  { code: 'liaison', ja: '連絡会議（事業の情報交換。個別ケースは扱わない）', en: 'Liaison meeting (programs only, no individual cases)', sharesWithoutConsent: false },
  { code: 'unstated', ja: '根拠未記載（本人同意による）', en: 'Basis not stated (consent required)', sharesWithoutConsent: false },
];

/**
 * The legal bases a share of a person's information to another organisation
 * may rest on (DOMAIN.md §3). `consent` and `meeting` say what the share must
 * point to; `reason`, that a written reason is required.
 */
export const SHARE_BASES: readonly (Term & { consent: boolean; meeting: boolean; reason: boolean })[] = [
  { code: 'consent', ja: '本人同意（個人情報保護法第69条第2項第1号）', en: "The person's consent (APPI art. 69(2)(i))", consent: true, meeting: false, reason: false },
  { code: 'poverty_act_9', ja: '支援会議（生活困窮者自立支援法第9条）', en: 'Support meeting (Act on Self-Reliance Support art. 9)', consent: false, meeting: true, reason: false },
  { code: 'social_welfare_act_106_6', ja: '支援会議（社会福祉法第106条の6）', en: 'Support meeting (Social Welfare Act art. 106-6)', consent: false, meeting: true, reason: false },
  { code: 'multilayered_support_meeting', ja: '重層的支援会議（本人同意が必要）', en: 'Multi-layered support meeting (consent required)', consent: true, meeting: true, reason: false },
  { code: 'appi_69_2', ja: '個人情報保護法第69条第2項第2〜4号（理由を記録）', en: 'APPI art. 69(2)(ii)–(iv), with a written reason', consent: false, meeting: false, reason: true },
];

/**
 * 連携団体: what kind of group a prefecture centre's partner is (issue 12).
 * The organisation kind stays the network's own vocabulary; this is how the
 * centre describes the group in its agreement and its public list.
 */
export const PARTNER_KINDS: readonly (Term & { organizationKind: string })[] = [
  { code: 'family_group', ja: '家族会', en: 'Family group', organizationKind: 'peer_group' },
  { code: 'peer_group', ja: '当事者団体', en: 'Peer group', organizationKind: 'peer_group' },
  { code: 'npo', ja: 'NPO', en: 'NPO', organizationKind: 'commissioned_npo' },
  { code: 'other', ja: 'その他', en: 'Other', organizationKind: 'other' },
];

export const PROGRAM_STATUSES = ['active', 'planned', 'ended'] as const;
export const CADENCE_UNITS = ['week', 'month', 'year'] as const;

export const codes = (terms: readonly Term[]) => terms.map((t) => t.code);
