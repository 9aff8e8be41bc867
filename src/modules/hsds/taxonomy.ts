import { CHANNELS, ISSUE_TAGS, ORGANIZATION_KINDS, PROGRAM_KINDS, SCHOOL_STAGES, type Term } from '../network/vocabulary.ts';
import { hsdsId, type HsdsTaxonomy, type HsdsTaxonomyTerm } from './types.ts';

/**
 * Tsunagu's vocabularies as HSDS taxonomies. Terms carry the Japanese label as
 * `name` (the directory is Japanese first), the English label as
 * `description` and the vocabulary code as `code`.
 */

export type TaxonomyKey = 'issue_tags' | 'target_groups' | 'channels' | 'service_types' | 'organization_types';

interface TaxonomyDefinition {
  key: TaxonomyKey;
  name: string;
  description: string;
}

export const TAXONOMIES: readonly TaxonomyDefinition[] = [
  {
    key: 'issue_tags', name: 'つなぐ 相談内容',
    description: '相談内容（困りごと）の分類。厚生労働省の相談受付・申込票の相談内容に、ひきこもり支援で使う分類を加えたもの。Tsunagu issue tags: what a consultation is about.',
  },
  {
    key: 'target_groups', name: 'つなぐ 対象者',
    description: '事業の対象となる学齢と年齢層。Tsunagu target groups: school stages and age bands a service is meant for.',
  },
  {
    key: 'channels', name: 'つなぐ 相談方法',
    description: '相談の受け方（来所・電話・訪問など）。Tsunagu channels: how a service can be reached.',
  },
  {
    key: 'service_types', name: 'つなぐ 事業の種類',
    description: '事業の種類（相談・アウトリーチ・居場所など）。Tsunagu program kinds.',
  },
  {
    key: 'organization_types', name: 'つなぐ 機関の種類',
    description: '関係機関の種類（庁内部署・委託先・保健所など）。Tsunagu organisation kinds.',
  },
];

/**
 * Age bands for target groups. The Cabinet Office's hikikomori surveys count
 * people aged 15–39 and 40–64 separately (若者 / 中高年); the bands below and
 * above complete the range. A program is in every band its age range touches.
 */
export const AGE_BANDS: readonly (Term & { min: number; max: number })[] = [
  { code: 'age_under_15', ja: '15歳未満', en: 'Under 15', min: 0, max: 14 },
  { code: 'age_15_39', ja: '若者（15〜39歳）', en: 'Young people (15 to 39)', min: 15, max: 39 },
  { code: 'age_40_64', ja: '中高年（40〜64歳）', en: 'Middle-aged (40 to 64)', min: 40, max: 64 },
  { code: 'age_65_plus', ja: '高齢者（65歳以上）', en: 'Older people (65 and over)', min: 65, max: Number.POSITIVE_INFINITY },
];

/** Parent terms of the target-group taxonomy. */
const TARGET_GROUP_PARENTS = {
  school_stage: { code: 'school_stage', ja: '学齢', en: 'School stage' },
  age_band: { code: 'age_band', ja: '年齢層', en: 'Age band' },
} as const;

/** The age bands a range touches; an open range counts from 0 or to any age. */
export function ageBandsFor(min: number | null | undefined, max: number | null | undefined): string[] {
  if ((min === null || min === undefined) && (max === null || max === undefined)) return [];
  const lo = min ?? 0;
  const hi = max ?? Number.POSITIVE_INFINITY;
  return AGE_BANDS.filter((b) => b.min <= hi && lo <= b.max).map((b) => b.code);
}

export interface TaxonomySet {
  taxonomies: HsdsTaxonomy[];
  terms: HsdsTaxonomyTerm[];
  /** The term of a vocabulary code, if there is one. */
  term(taxonomy: TaxonomyKey, code: string): HsdsTaxonomyTerm | undefined;
}

/**
 * Every taxonomy with its terms for one municipality: the national
 * vocabularies (ids shared by all municipalities) plus the issue tags the
 * municipality's profile adds (ids scoped by its code).
 */
export function buildTaxonomies(municipalityCode: string, issueTags: readonly Term[]): TaxonomySet {
  const taxonomies = new Map<TaxonomyKey, HsdsTaxonomy>(
    TAXONOMIES.map((t) => [t.key, { id: hsdsId('taxonomy', t.key), name: t.name, description: t.description, version: '1' }]),
  );
  const terms: HsdsTaxonomyTerm[] = [];
  const byCode = new Map<string, HsdsTaxonomyTerm>();
  const national = new Set(ISSUE_TAGS.map((t) => t.code));

  const add = (key: TaxonomyKey, t: Term, opts: { scopedTo?: string; parentId?: string } = {}) => {
    const taxonomy = taxonomies.get(key)!;
    const id = opts.scopedTo ? hsdsId(opts.scopedTo, 'taxonomy_term', key, t.code) : hsdsId('taxonomy_term', key, t.code);
    const term: HsdsTaxonomyTerm = {
      id, code: t.code, name: t.ja, description: t.en, parent_id: opts.parentId,
      taxonomy: taxonomy.name, taxonomy_id: taxonomy.id, language: 'ja', taxonomy_detail: taxonomy,
    };
    terms.push(term);
    byCode.set(`${key}/${t.code}`, term);
    return term;
  };

  for (const t of issueTags) add('issue_tags', t, national.has(t.code) ? {} : { scopedTo: municipalityCode });
  const stage = add('target_groups', TARGET_GROUP_PARENTS.school_stage);
  for (const t of SCHOOL_STAGES) add('target_groups', t, { parentId: stage.id });
  const band = add('target_groups', TARGET_GROUP_PARENTS.age_band);
  for (const t of AGE_BANDS) add('target_groups', t, { parentId: band.id });
  for (const t of CHANNELS) add('channels', t);
  for (const t of PROGRAM_KINDS) add('service_types', t);
  for (const t of ORGANIZATION_KINDS) add('organization_types', t);

  return { taxonomies: [...taxonomies.values()], terms, term: (key, code) => byCode.get(`${key}/${code}`) };
}
