import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { LineCounter, isMap, isSeq, parseDocument, type Node } from 'yaml';
import { createAjv, errorField, errorMessage } from '../../lib/ajv.ts';
import { ProfileSchema, type Profile, type ProfileRoutingRule } from './profile.schema.ts';
import { ISSUE_TAGS } from './vocabulary.ts';

/** One problem in a profile, located for the person editing the file. */
export interface ProfileIssue {
  file: string;
  line: number;
  column: number;
  key: string;
  messageJa: string;
  messageEn: string;
}

export class ProfileInvalidError extends Error {
  constructor(readonly issues: ProfileIssue[]) {
    super(formatProfileIssues(issues));
    this.name = 'ProfileInvalidError';
  }
}

export function formatProfileIssues(issues: ProfileIssue[]): string {
  return issues
    .map((i) => `${i.file}:${i.line}:${i.column} ${i.key || '(top)'}: ${i.messageJa} / ${i.messageEn}`)
    .join('\n');
}

const validateSchema = createAjv().compile(ProfileSchema);

type Path = (string | number)[];

function parsePath(key: string): Path {
  const out: Path = [];
  for (const m of key.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/**
 * Parses and checks a profile. Every problem found is reported at once, each
 * with the line of the YAML it concerns.
 */
export function parseProfile(text: string, file = 'profile.yaml'): Profile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const at = (key: string, messageJa: string, messageEn: string): ProfileIssue => {
    const path = parsePath(key);
    // the deepest node that exists on the path; for a missing key, its parent map
    let node: Node | null = null;
    for (let n = path.length; n >= 0 && !node; n--) {
      const found = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (found && typeof found === 'object' && 'range' in found) node = found as Node;
    }
    // for a key, point at the key itself rather than its value
    let offset = node?.range?.[0] ?? 0;
    const last = path.at(-1);
    const parent = path.length > 0 ? (path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)) : null;
    if (typeof last === 'string' && isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown })?.value === last);
      const keyRange = (pair?.key as Node | undefined)?.range;
      if (keyRange) offset = keyRange[0];
    }
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, column: pos.col, key, messageJa, messageEn };
  };

  if (doc.errors.length > 0) {
    throw new ProfileInvalidError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, key: '', messageJa: `YAMLの書式エラー: ${e.message}`, messageEn: `YAML syntax error: ${e.message}` };
      }),
    );
  }
  const data = doc.toJS() as unknown;
  if (!validateSchema(data)) {
    const seen = new Set<string>();
    const issues = (validateSchema.errors ?? [])
      // anyOf/if wrappers repeat what their branches said
      .filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'if')
      .map((e) => at(errorField(e), errorMessage(e, 'ja'), errorMessage(e, 'en')))
      .filter((i) => !seen.has(i.key + i.messageEn) && seen.add(i.key + i.messageEn));
    throw new ProfileInvalidError(issues);
  }
  const profile = data as Profile;
  const issues = checkReferences(profile).map((p) => at(p.key, p.ja, p.en));
  if (issues.length > 0) throw new ProfileInvalidError(issues);
  return profile;
}

export async function readProfileFile(path: string): Promise<{ profile: Profile; text: string }> {
  const text = await readFile(path, 'utf8');
  return { profile: parseProfile(text, basename(path)), text };
}

export interface RefProblem {
  key: string;
  ja: string;
  en: string;
}

/** Checks what a schema cannot: unique ids, references between sections, ranges. */
export function checkReferences(p: Profile): RefProblem[] {
  const problems: RefProblem[] = [];
  const ids = (section: string, items: { id: string }[] | undefined) => {
    const set = new Set<string>();
    (items ?? []).forEach((item, i) => {
      if (set.has(item.id)) problems.push({ key: `${section}[${i}].id`, ja: `id「${item.id}」が重複しています`, en: `duplicate id "${item.id}"` });
      set.add(item.id);
    });
    return set;
  };
  const orgs = ids('organizations', p.organizations);
  const programs = ids('programs', p.programs);
  const areas = ids('areas', p.areas);
  const series = ids('meetingSeries', p.meetingSeries);
  const sources = new Set((p.sources ?? []).map((s) => s.id));
  const tags = new Set([...ISSUE_TAGS.map((t) => t.code), ...(p.issueTags ?? []).map((t) => t.code)]);

  const ref = (key: string, value: string | undefined, set: Set<string>, what: [string, string]) => {
    if (value !== undefined && !set.has(value))
      problems.push({ key, ja: `${what[0]}「${value}」が定義されていません`, en: `unknown ${what[1]} "${value}"` });
  };
  const refs = (key: string, values: string[] | undefined, set: Set<string>, what: [string, string]) =>
    values?.forEach((v, i) => ref(`${key}[${i}]`, v, set, what));
  const ORG: [string, string] = ['組織', 'organization'];
  const AREA: [string, string] = ['地域', 'area'];
  const TAG: [string, string] = ['課題タグ', 'issue tag'];
  const range = (key: string, min?: number, max?: number) => {
    if (min !== undefined && max !== undefined && min > max)
      problems.push({ key, ja: `年齢の下限（${min}）が上限（${max}）を超えています`, en: `ageMin ${min} is greater than ageMax ${max}` });
  };
  const source = (key: string, s?: { ref: string }) => ref(`${key}.source.ref`, s?.ref, sources, ['出典', 'source']);

  p.areas?.forEach((a, i) => {
    ref(`areas[${i}].parent`, a.parent, areas, AREA);
    source(`areas[${i}]`, a.source);
  });
  const hubs = p.organizations.filter((o) => o.hub);
  if (p.kind === 'municipality' && hubs.length !== 1)
    problems.push({ key: 'organizations', ja: `中心となる窓口（hub: true）はちょうど1つ必要です（現在${hubs.length}件）`, en: `exactly one organization must have hub: true (found ${hubs.length})` });
  if (p.kind === 'municipality' && p.centre)
    problems.push({ key: 'centre', ja: 'centre は都道府県のプロファイル（kind: prefecture）にだけ書けます', en: 'centre belongs in a prefecture profile (kind: prefecture)' });
  if (p.kind === 'municipality' && p.gapRules?.length)
    problems.push({ key: 'gapRules', ja: 'gapRules は都道府県のプロファイル（kind: prefecture）にだけ書けます', en: 'gapRules belong in a prefecture profile (kind: prefecture)' });
  const gapKeys = new Set<string>();
  p.gapRules?.forEach((g, i) => {
    if (gapKeys.has(g.id)) problems.push({ key: `gapRules[${i}].id`, ja: `gapRules の id「${g.id}」が重複しています`, en: `duplicate gap rule id "${g.id}"` });
    gapKeys.add(g.id);
    if (g.check === 'uncovered_ages' && (g.ageMin === undefined || g.ageMax === undefined))
      problems.push({ key: `gapRules[${i}]`, ja: 'uncovered_ages には ageMin と ageMax が必要です', en: 'uncovered_ages needs ageMin and ageMax' });
    range(`gapRules[${i}]`, g.ageMin, g.ageMax);
    source(`gapRules[${i}]`, g.source);
  });
  p.organizations.forEach((o, i) => {
    const a = o.partnerAgreement;
    if (a) {
      const k = `organizations[${i}].partnerAgreement`;
      if (p.kind === 'municipality')
        problems.push({ key: k, ja: '連携団体（partnerAgreement）は都道府県のプロファイル（kind: prefecture）にだけ書けます', en: 'partnerAgreement belongs in a prefecture profile (kind: prefecture)' });
      if (o.internal || o.hub)
        problems.push({ key: k, ja: '連携団体は庁外の団体です（internal: false、hub なし）', en: 'a partner group is outside the administration (internal: false, no hub)' });
      range(k, a.ageMin, a.ageMax);
      if (a.endedOn && a.endedOn < a.agreedOn)
        problems.push({ key: `${k}.endedOn`, ja: `協定の終了日（${a.endedOn}）が締結日（${a.agreedOn}）より前です`, en: `endedOn ${a.endedOn} is before agreedOn ${a.agreedOn}` });
      if (a.municipalities?.includes(p.municipality.code))
        problems.push({ key: `${k}.municipalities`, ja: 'municipalities には区市町村のコードを書いてください（都道府県自身のコードは書けません）', en: "municipalities lists the municipalities served, not the prefecture's own code" });
    }
    ref(`organizations[${i}].parent`, o.parent, orgs, ORG);
    refs(`organizations[${i}].areas`, o.areas, areas, AREA);
    source(`organizations[${i}]`, o.source);
  });
  // a parent chain must end
  const parentOf = new Map(p.organizations.map((o) => [o.id, o.parent]));
  p.organizations.forEach((o, i) => {
    const seen = new Set<string>([o.id]);
    for (let cur = o.parent; cur; cur = parentOf.get(cur)) {
      if (seen.has(cur)) {
        problems.push({ key: `organizations[${i}].parent`, ja: '親組織の関係が循環しています', en: 'parent links form a cycle' });
        break;
      }
      seen.add(cur);
    }
  });
  p.programs?.forEach((g, i) => {
    const k = `programs[${i}]`;
    refs(`${k}.owners`, g.owners, orgs, ORG);
    refs(`${k}.commissionedTo`, g.commissionedTo, orgs, ORG);
    g.commissionEnds?.forEach((e, j) => {
      if (!g.commissionedTo?.includes(e.organization))
        problems.push({ key: `${k}.commissionEnds[${j}].organization`, ja: `「${e.organization}」は commissionedTo にない委託先です`, en: `"${e.organization}" is not among commissionedTo` });
    });
    refs(`${k}.eligibility.areas`, g.eligibility?.areas, areas, AREA);
    refs(`${k}.eligibility.issueTags`, g.eligibility?.issueTags, tags, TAG);
    range(`${k}.eligibility`, g.eligibility?.ageMin, g.eligibility?.ageMax);
    ref(`${k}.reviewedIn`, g.reviewedIn, series, ['会議体', 'meeting series']);
    if (g.cadence) cadenceProblem(`${k}.cadence`, g.cadence, problems);
    source(k, g.source);
  });
  p.meetingSeries?.forEach((m, i) => {
    const k = `meetingSeries[${i}]`;
    refs(`${k}.members`, m.members, orgs, ORG);
    ref(`${k}.organizer`, m.organizer, orgs, ORG);
    cadenceProblem(`${k}.cadence`, m.cadence, problems);
    source(k, m.source);
  });
  problems.push(...checkRoutingRules(p.routingRules ?? [], { orgs, programs, areas, tags }));
  p.routingRules?.forEach((r, i) => source(`routingRules[${i}]`, r.source));
  return problems;
}

export interface RuleReferences {
  orgs: Set<string>;
  programs: Set<string>;
  areas: Set<string>;
  tags: Set<string>;
}

/** Checks routing rules against the network they route to (profile import and the rule editor alike). */
export function checkRoutingRules(rules: ProfileRoutingRule[], known: RuleReferences): RefProblem[] {
  const problems: RefProblem[] = [];
  const keys = new Set<string>();
  const ref = (key: string, value: string | undefined, set: Set<string>, what: [string, string]) => {
    if (value !== undefined && !set.has(value))
      problems.push({ key, ja: `${what[0]}「${value}」が定義されていません`, en: `unknown ${what[1]} "${value}"` });
  };
  const refs = (key: string, values: string[] | undefined, set: Set<string>, what: [string, string]) =>
    values?.forEach((v, i) => ref(`${key}[${i}]`, v, set, what));
  rules.forEach((r, i) => {
    const k = `routingRules[${i}]`;
    if (keys.has(r.id)) problems.push({ key: `${k}.id`, ja: `id「${r.id}」が重複しています`, en: `duplicate id "${r.id}"` });
    keys.add(r.id);
    if (r.when.ageMin !== undefined && r.when.ageMax !== undefined && r.when.ageMin > r.when.ageMax)
      problems.push({ key: `${k}.when`, ja: `年齢の下限（${r.when.ageMin}）が上限（${r.when.ageMax}）を超えています`, en: `ageMin ${r.when.ageMin} is greater than ageMax ${r.when.ageMax}` });
    refs(`${k}.when.issueTagsAny`, r.when.issueTagsAny, known.tags, ['課題タグ', 'issue tag']);
    refs(`${k}.when.issueTagsAll`, r.when.issueTagsAll, known.tags, ['課題タグ', 'issue tag']);
    refs(`${k}.when.areas`, r.when.areas, known.areas, ['地域', 'area']);
    ref(`${k}.to.organization`, r.to.organization, known.orgs, ['組織', 'organization']);
    ref(`${k}.to.program`, r.to.program, known.programs, ['事業', 'program']);
    refs(`${k}.to.via`, r.to.via, known.orgs, ['組織', 'organization']);
    if (!r.to.organization && !r.to.program)
      problems.push({ key: `${k}.to`, ja: 'つなぎ先（organization または program）を指定してください', en: 'give a destination: organization or program' });
  });
  return problems;
}

function cadenceProblem(key: string, c: { every?: number; unit?: string; timesPerYear?: number }, problems: RefProblem[]) {
  const everyForm = c.every !== undefined && c.unit !== undefined;
  const perYearForm = c.timesPerYear !== undefined;
  if (everyForm === perYearForm || (!everyForm && (c.every !== undefined || c.unit !== undefined)))
    problems.push({
      key,
      ja: '開催頻度は every と unit（例: 2か月ごと）か、timesPerYear（年の回数）のどちらか一方で書いてください',
      en: 'write the cadence either as every + unit (e.g. every 2 months) or as timesPerYear, not both',
    });
}
