/**
 * The standard headings of a network-building visit record, in the order the
 * centre writes them (the seed; issue #12's side-by-side rows), and how a
 * heading as written is read as one of them. No imports beyond types: the web
 * bundle can use it.
 */
import type { VisitHeadingKey } from './types.ts';

/** Stands for the municipality's name in a heading's title; put back when printed. */
export const MUNICIPALITY_PLACEHOLDER = '{市区町村}';

export interface VisitHeadingDefinition {
  key: VisitHeadingKey;
  /** Short Japanese title, as a row label. */
  ja: string;
  en: string;
  /** The heading as the centre prints it on a new record. */
  printTitle: string;
  /**
   * Regular expressions tried on the heading's core (see headingCore): the title
   * without spaces and without the endings 「について」「での対応」「との連携状況」….
   */
  patterns: readonly string[];
}

export const VISIT_HEADINGS: readonly VisitHeadingDefinition[] = [
  { key: 'leadSection', ja: '中心部門', en: 'Lead section', printTitle: 'ひきこもり支援の中心部門', patterns: ['中心(部門|部署|となる(部門|部署))$'] },
  {
    key: 'municipalityMoves',
    ja: `${MUNICIPALITY_PLACEHOLDER}の動き`,
    en: 'What the municipality is doing',
    printTitle: `${MUNICIPALITY_PLACEHOLDER}の動き`,
    // Tokyo's municipalities all end in 市, 区, 町 or 村; the name is matched against 【】 when it is put back.
    patterns: ['^(\\{市区町村\\}|.+[都道府県市区町村])の(動き|動向|取組|取り組み)$'],
  },
  { key: 'peerGroups', ja: '当事者会との連携', en: 'Working with peer groups', printTitle: '当事者会との連携状況について', patterns: ['^(当事者(会|団体)|家族会)'] },
  { key: 'privateSupportGroups', ja: '民間支援団体との連携', en: 'Working with private support groups', printTitle: '民間支援団体との連携状況について', patterns: ['^民間(支援)?団体'] },
  { key: 'welfareCommissioners', ja: '民生委員・児童委員との連携', en: 'Working with welfare commissioners', printTitle: '民生委員・児童委員との連携状況について', patterns: ['^民生(・児童)?委員'] },
  { key: 'schools', ja: '学校との連携', en: 'Working with schools', printTitle: '学校との連携状況について', patterns: ['^学校', '^教育委員会'] },
  {
    key: 'multilayered',
    ja: '重層的支援体制整備事業・地域福祉計画',
    en: 'Multi-layered support system program and community welfare plan',
    printTitle: '重層的支援体制整備事業・地域福祉計画について',
    patterns: ['^重層的支援', '^地域福祉計画'],
  },
  {
    key: 'selfRelianceSupport',
    ja: '生活困窮者自立相談支援機関',
    en: 'Self-reliance support agency for people in need',
    printTitle: '生活困窮者自立相談支援機関での対応について',
    patterns: ['^生活困窮者', '^自立相談支援'],
  },
  { key: 'healthCentres', ja: '保健所・保健センター', en: 'Public health centre and municipal health centre', printTitle: '保健所・保健センターでの対応について', patterns: ['^保健(所|センター)'] },
  {
    key: 'childrenAndYouth',
    ja: '児童青少年部門・児童福祉部門',
    en: 'Children and youth, child welfare sections',
    printTitle: '児童青少年部門・児童福祉部門での対応について',
    patterns: ['^児童(青少年|福祉)', '^青少年', '^子ども'],
  },
  { key: 'communityCareCentres', ja: '地域包括支援センター', en: 'Community comprehensive support centres', printTitle: '地域包括支援センターでの対応について', patterns: ['^地域包括支援'] },
  { key: 'socialWelfareCouncil', ja: '社会福祉協議会', en: 'Council of social welfare', printTitle: '社会福祉協議会での対応について', patterns: ['^(社会福祉協議会|社協)'] },
  {
    key: 'supportNet',
    ja: 'ひきこもりサポートネットからの情報提供・事例紹介・提案等',
    en: 'Information, examples and proposals from the support centre',
    printTitle: 'ひきこもりサポートネットからの情報提供・事例紹介・提案等',
    patterns: ['^(東京都)?(ひきこもり)?サポートネット(から|より)'],
  },
];

const COMPILED = VISIT_HEADINGS.map((d) => ({ key: d.key, patterns: d.patterns.map((p) => new RegExp(p)) }));

/**
 * A heading's words reduced to what names it: NFKC, no spaces, no ○, and without
 * the endings the centre varies (「…との連携状況について」「…での対応について」「…について」).
 */
export function headingCore(title: string): string {
  return title
    .normalize('NFKC')
    .replace(/[\s○〇◯]/g, '')
    .replace(/(について|に関して|に関すること)$/, '')
    .replace(/(での|における|の|への)?(対応|取組|取り組み)状況$|(での|における|への)(対応|取組|取り組み)$/, '')
    .replace(/との(連携|関係)(の)?(状況)?$/, '')
    .replace(/の?状況$/, '');
}

/** The standard heading a title is read as, or null for a heading of the record's own. */
export function visitHeadingKeyOf(title: string): VisitHeadingKey | null {
  const core = headingCore(title);
  if (!core) return null;
  for (const { key, patterns } of COMPILED) if (patterns.some((p) => p.test(core))) return key;
  return null;
}

/** A definition by key. */
export function visitHeading(key: VisitHeadingKey): VisitHeadingDefinition {
  const found = VISIT_HEADINGS.find((d) => d.key === key);
  if (!found) throw new RangeError(`No visit heading ${key}.`);
  return found;
}

/** A heading's title as printed: the placeholder gives way to the municipality's name. */
export function printedHeadingTitle(title: string, municipalityName: string | null): string {
  return title.split(MUNICIPALITY_PLACEHOLDER).join(municipalityName ?? '市区町村');
}
