import { CHANNELS, CONSULTER_RELATIONS, ISSUE_TAGS, SCHOOL_STAGES, type Term } from '../network/vocabulary.ts';
import type {
  Condition, Explanation, NearMiss, RoutingIntake, RoutingResult, RoutingRule, Suggestion, Undecided,
} from './types.ts';

/**
 * Routing: where a consultation should go, and why, by the rules of the
 * municipality's network profile (`routingRules`).
 *
 * A rule matches when every condition of its `when` holds. What the intake does
 * not say is never taken to fit: a rule whose known conditions hold but which
 * tests something unknown is *undecided*, with what must be asked to decide it.
 * A rule that fails on exactly one condition, with nothing unknown, is a *near
 * miss* (the "why not" view). Every other rule is left out.
 *
 * Pure: no I/O, no clock. `compileRules` prepares a rule set once for many
 * intakes; `evaluateRouting` is the one-off form.
 */

/** Labels for codes the national vocabulary does not know: a profile's own issue tags, its areas. */
export interface RoutingVocabulary {
  issueTags?: readonly Term[];
  areas?: readonly Term[];
}

export type ConditionStatus = 'holds' | 'fails' | 'unknown';

export interface ConditionOutcome {
  status: ConditionStatus;
  explanation: Explanation;
}

/** Decides where one consultation should go under `rules`. */
export function evaluateRouting(intake: RoutingIntake, rules: readonly RoutingRule[], vocabulary?: RoutingVocabulary): RoutingResult {
  return new CompiledRules(rules, vocabulary).evaluate(intake);
}

/**
 * Prepares a rule set for evaluating many intakes (rules sorted once,
 * conditions turned into checks, explanation texts built on first use and
 * reused). Throws on a condition this engine does not know rather than
 * ignoring it, which would make the rule match more than its author meant.
 */
export function compileRules(rules: readonly RoutingRule[], vocabulary?: RoutingVocabulary): CompiledRules {
  return new CompiledRules(rules, vocabulary);
}

/**
 * How each condition of one rule fares for an intake, whatever the rule's
 * overall outcome: to explain a rule that is neither suggested nor a near miss.
 * Conditions come in a fixed order: age, school stage, issues, area, channel,
 * consulter, counts, visiting.
 */
export function explainConditions(rule: RoutingRule, intake: RoutingIntake, vocabulary?: RoutingVocabulary): ConditionOutcome[] {
  const { checks } = compileRule(rule, labelsOf(vocabulary));
  const facts: Facts = { intake, distinctIssues: countDistinct(intake.issueTags) };
  return checks.map((c) => ({ status: STATUS_NAMES[testCheck(c, facts)], explanation: explainCheck(c, facts) }));
}

/** The ten-year band an age falls in (52 → [50, 59]): how 50代 is recorded when only that is known. */
export function ageBandOf(age: number): [number, number] {
  const lo = Math.floor(age / 10) * 10;
  return [lo, lo + 9];
}

/**
 * A rule set ready to evaluate. Results share the (frozen) explanation objects
 * and `to` of the rule set; copy them before changing anything.
 */
export class CompiledRules {
  /** The rules in result order: priority ascending, then rule key. */
  readonly rules: readonly RoutingRule[];
  readonly #compiled: CompiledRule[];
  readonly #usesDistinctIssues: boolean;
  /** Per-check outcomes of the rule being evaluated; reused, as evaluate is synchronous. */
  readonly #status: Uint8Array;

  constructor(rules: readonly RoutingRule[], vocabulary?: RoutingVocabulary) {
    const labels = labelsOf(vocabulary);
    const sorted = [...rules].sort((a, b) => a.priority - b.priority || compareKeys(a.id, b.id));
    this.rules = sorted;
    this.#compiled = sorted.map((rule) => compileRule(rule, labels));
    this.#usesDistinctIssues = this.#compiled.some((r) => r.checks.some((c) => c.kind === 'distinctIssues'));
    this.#status = new Uint8Array(Math.max(0, ...this.#compiled.map((r) => r.checks.length)));
  }

  evaluate(intake: RoutingIntake): RoutingResult {
    const facts: Facts = { intake, distinctIssues: this.#usesDistinctIssues ? countDistinct(intake.issueTags) : 0 };
    const status = this.#status;
    const suggestions: Suggestion[] = [];
    const undecided: Undecided[] = [];
    const nearMisses: NearMiss[] = [];

    for (const rule of this.#compiled) {
      const checks = rule.checks;
      let fails = 0;
      let unknowns = 0;
      let failedAt = -1;
      let leftOut = false;
      for (let i = 0; i < checks.length; i++) {
        const s = testCheck(checks[i], facts);
        status[i] = s;
        if (s === FAILS) {
          fails++;
          failedAt = i;
        } else if (s === UNKNOWN) {
          unknowns++;
        }
        // Two failures, or a failure beside something unknown: neither a near miss nor undecided.
        if (fails > 1 || (fails === 1 && unknowns > 0)) {
          leftOut = true;
          break;
        }
      }
      if (leftOut) continue;

      const matched: Explanation[] = [];
      if (fails === 0 && unknowns === 0) {
        for (let i = 0; i < checks.length; i++) matched.push(explainCheck(checks[i], facts));
        suggestions.push({
          ruleKey: rule.key, priority: rule.priority, to: rule.to, reason: rule.reason,
          reasonEn: rule.reasonEn, publicReason: rule.publicReason, matched,
        });
      } else if (fails === 0) {
        const needs: Explanation[] = [];
        for (let i = 0; i < checks.length; i++) (status[i] === UNKNOWN ? needs : matched).push(explainCheck(checks[i], facts));
        undecided.push({ ruleKey: rule.key, priority: rule.priority, to: rule.to, reason: rule.reason, needs, matched });
      } else {
        for (let i = 0; i < checks.length; i++) if (i !== failedAt) matched.push(explainCheck(checks[i], facts));
        nearMisses.push({
          ruleKey: rule.key, priority: rule.priority, to: rule.to, reason: rule.reason,
          matched, failed: explainCheck(checks[failedAt], facts),
        });
      }
    }
    return { suggestions, undecided, nearMisses };
  }
}

// ---------------------------------------------------------------------------
// Checks: one per condition of a rule; an age range (ageMin and/or ageMax)
// counts as one condition. Checks are plain data, tested and explained by the
// two switches below, so that compiling a rule set stays cheap.

const HOLDS = 0;
const FAILS = 1;
const UNKNOWN = 2;
type Status = typeof HOLDS | typeof FAILS | typeof UNKNOWN;
const STATUS_NAMES: Record<Status, ConditionStatus> = { [HOLDS]: 'holds', [FAILS]: 'fails', [UNKNOWN]: 'unknown' };

interface Facts {
  intake: RoutingIntake;
  /** Number of distinct issue tags, counted once per intake when some rule needs it. */
  distinctIssues: number;
}

type ValueField = 'schoolStage' | 'area' | 'channel' | 'consulterRelation';

/** Explanations already written, keyed by what decides them (an age, a code, a count; null: unknown). */
type ExplanationCache = Map<string | number | boolean | null, Explanation>;

type CheckSpec =
  | { kind: 'age'; min: number | undefined; max: number | undefined }
  | { kind: 'value'; condition: Condition; field: ValueField; allowed: readonly string[]; label: Label }
  | { kind: 'issueTagsAny'; tags: readonly string[]; label: Label }
  | { kind: 'issueTagsAll'; tags: readonly string[]; label: Label }
  | { kind: 'distinctIssues'; min: number }
  | { kind: 'organizations'; min: number }
  | { kind: 'cannotVisit'; wanted: boolean };

type Check = CheckSpec & { cache: ExplanationCache | undefined };

/**
 * Every check gets the same fields in the same order, so V8 sees one object
 * shape and the switches below stay fast (about a third faster than one shape
 * per kind, measured with bench/routing.ts).
 */
function makeCheck(spec: CheckSpec): Check {
  const s = spec as Partial<{ kind: string; condition: Condition; field: ValueField; allowed: readonly string[]; tags: readonly string[]; label: Label; min: number; max: number; wanted: boolean }>;
  return {
    kind: s.kind, condition: s.condition, field: s.field, allowed: s.allowed, tags: s.tags, label: s.label,
    min: s.min, max: s.max, wanted: s.wanted, cache: undefined,
  } as Check;
}

interface CompiledRule {
  key: string;
  priority: number;
  to: RoutingRule['to'];
  reason: string;
  reasonEn: string | null;
  publicReason: string | null;
  checks: Check[];
}

const KNOWN_CONDITIONS = new Set<string>([
  'ageMin', 'ageMax', 'schoolStages', 'issueTagsAny', 'issueTagsAll', 'areas', 'channels',
  'consulterRelations', 'minDistinctIssues', 'minOrganizationsInvolved', 'cannotVisit',
]);

function compileRule(rule: RoutingRule, labels: Labels): CompiledRule {
  const w = rule.when ?? {};
  for (const k in w) {
    if (!KNOWN_CONDITIONS.has(k)) throw new Error(`Routing rule ${rule.id}: unknown condition "${k}" in when.`);
  }
  // A condition set to null (as JSON from the rule editor might say) is absent.
  const checks: Check[] = [];
  if (w.ageMin != null || w.ageMax != null) checks.push(makeCheck({ kind: 'age', min: w.ageMin ?? undefined, max: w.ageMax ?? undefined }));
  if (w.schoolStages != null) checks.push(makeCheck({ kind: 'value', condition: 'schoolStages', field: 'schoolStage', allowed: w.schoolStages, label: labels.schoolStage }));
  if (w.issueTagsAny != null) checks.push(makeCheck({ kind: 'issueTagsAny', tags: w.issueTagsAny, label: labels.issueTag }));
  if (w.issueTagsAll != null) checks.push(makeCheck({ kind: 'issueTagsAll', tags: w.issueTagsAll, label: labels.issueTag }));
  if (w.areas != null) checks.push(makeCheck({ kind: 'value', condition: 'areas', field: 'area', allowed: w.areas, label: labels.area }));
  if (w.channels != null) checks.push(makeCheck({ kind: 'value', condition: 'channels', field: 'channel', allowed: w.channels, label: labels.channel }));
  if (w.consulterRelations != null)
    checks.push(makeCheck({ kind: 'value', condition: 'consulterRelations', field: 'consulterRelation', allowed: w.consulterRelations, label: labels.consulterRelation }));
  if (w.minDistinctIssues != null) checks.push(makeCheck({ kind: 'distinctIssues', min: w.minDistinctIssues }));
  if (w.minOrganizationsInvolved != null) checks.push(makeCheck({ kind: 'organizations', min: w.minOrganizationsInvolved }));
  if (w.cannotVisit != null) checks.push(makeCheck({ kind: 'cannotVisit', wanted: w.cannotVisit }));
  const via = rule.to.via;
  return {
    key: rule.id,
    priority: rule.priority,
    to: Object.freeze(via ? { ...rule.to, via: Object.freeze([...via]) as string[] } : { ...rule.to }),
    reason: rule.reason,
    reasonEn: rule.reasonEn ?? null,
    publicReason: rule.publicReason ?? null,
    checks,
  };
}

function testCheck(c: Check, { intake, distinctIssues }: Facts): Status {
  switch (c.kind) {
    case 'age': {
      // An exact age decides; a band decides only when wholly inside or wholly outside the range.
      const age = intake.age;
      if (age != null) return inAgeRange(c, age, age) ? HOLDS : FAILS;
      const band = intake.ageBand;
      if (!band) return UNKNOWN;
      if (inAgeRange(c, band[0], band[1])) return HOLDS;
      return outsideAgeRange(c, band[0], band[1]) ? FAILS : UNKNOWN;
    }
    case 'value': {
      const v = intake[c.field];
      if (v == null) return UNKNOWN;
      return c.allowed.includes(v) ? HOLDS : FAILS;
    }
    case 'issueTagsAny': {
      const have = intake.issueTags;
      for (let i = 0; i < c.tags.length; i++) if (have.includes(c.tags[i])) return HOLDS;
      return FAILS;
    }
    case 'issueTagsAll': {
      const have = intake.issueTags;
      for (let i = 0; i < c.tags.length; i++) if (!have.includes(c.tags[i])) return FAILS;
      return HOLDS;
    }
    case 'distinctIssues':
      return distinctIssues >= c.min ? HOLDS : FAILS;
    case 'organizations': {
      const n = intake.organizationsInvolved;
      if (n == null) return UNKNOWN;
      return n >= c.min ? HOLDS : FAILS;
    }
    case 'cannotVisit': {
      const v = intake.cannotVisit;
      if (v == null) return UNKNOWN;
      return v === c.wanted ? HOLDS : FAILS;
    }
  }
}

const inAgeRange = (c: { min?: number; max?: number }, lo: number, hi: number) =>
  (c.min === undefined || lo >= c.min) && (c.max === undefined || hi <= c.max);
const outsideAgeRange = (c: { min?: number; max?: number }, lo: number, hi: number) =>
  (c.min !== undefined && hi < c.min) || (c.max !== undefined && lo > c.max);

/** The explanation for the outcome `testCheck` gives on the same facts; written once per key. */
function explainCheck(c: Check, facts: Facts): Explanation {
  const key = explanationKey(c, facts);
  const cache = (c.cache ??= new Map());
  let e = cache.get(key);
  if (e === undefined) {
    e = Object.freeze(writeExplanation(c, facts));
    if (cache.size < CACHE_LIMIT) cache.set(key, e);
  }
  return e;
}

/** Enough for every age, band and code a municipality uses; beyond it texts are written each time. */
const CACHE_LIMIT = 512;

function explanationKey(c: Check, facts: Facts): string | number | boolean | null {
  const { intake } = facts;
  switch (c.kind) {
    case 'age': {
      if (intake.age != null) return intake.age;
      const band = intake.ageBand;
      return band ? -(band[0] * 1000 + band[1]) - 1 : null;
    }
    case 'value':
      return intake[c.field] ?? null;
    case 'issueTagsAny':
      // which of the rule's tags are present ('' when none: the failure)
      if (testCheck(c, facts) === FAILS) return '';
      return c.tags.length === 1 ? c.tags[0] : presentTags(c.tags, intake.issueTags).join(' ');
    case 'issueTagsAll':
      // which of the rule's tags are missing ('' when none: it holds)
      if (testCheck(c, facts) === HOLDS) return '';
      return c.tags.filter((t) => !intake.issueTags.includes(t)).join(' ');
    case 'distinctIssues':
      return facts.distinctIssues;
    case 'organizations':
      return intake.organizationsInvolved ?? null;
    case 'cannotVisit':
      return intake.cannotVisit ?? null;
  }
}

const presentTags = (tags: readonly string[], have: readonly string[]) => tags.filter((t) => have.includes(t));

// --- the texts ----------------------------------------------------------------

function writeExplanation(c: Check, facts: Facts): Explanation {
  const { intake } = facts;
  switch (c.kind) {
    case 'age':
      return ageExplanation(c.min, c.max, intake);
    case 'value':
      return valueExplanation(c.condition, SUBJECTS[c.field], c.allowed, intake[c.field], c.label);
    case 'issueTagsAny': {
      const present = presentTags(c.tags, intake.issueTags);
      const listJa = c.tags.map(c.label.ja).join('、');
      const listEn = c.tags.map(c.label.en).join(', ');
      if (present.length > 0)
        return { condition: 'issueTagsAny', ja: `課題に${present.map(c.label.ja).join('、')}を含む`, en: `issues include ${present.map(c.label.en).join(', ')}` };
      return c.tags.length === 1
        ? { condition: 'issueTagsAny', ja: `課題に${listJa}を含まない`, en: `issues do not include ${listEn}` }
        : { condition: 'issueTagsAny', ja: `課題に${listJa}のいずれも含まない`, en: `issues include none of ${listEn}` };
    }
    case 'issueTagsAll': {
      const missing = c.tags.filter((t) => !intake.issueTags.includes(t));
      const listJa = c.tags.map(c.label.ja).join('、');
      const listEn = c.tags.map(c.label.en).join(', ');
      if (c.tags.length === 1)
        return missing.length === 0
          ? { condition: 'issueTagsAll', ja: `課題に${listJa}を含む`, en: `issues include ${listEn}` }
          : { condition: 'issueTagsAll', ja: `課題に${listJa}を含まない`, en: `issues do not include ${listEn}` };
      return missing.length === 0
        ? { condition: 'issueTagsAll', ja: `課題に${listJa}をすべて含む`, en: `issues include all of ${listEn}` }
        : {
            condition: 'issueTagsAll',
            ja: `課題に${listJa}のすべては含まない（${missing.map(c.label.ja).join('、')}がない）`,
            en: `issues do not include all of ${listEn} (missing: ${missing.map(c.label.en).join(', ')})`,
          };
    }
    case 'distinctIssues': {
      const n = facts.distinctIssues;
      return n >= c.min
        ? { condition: 'minDistinctIssues', ja: `課題が${n}種類あり、${c.min}種類以上`, en: `${plural(n, 'distinct issue')} (${c.min} or more)` }
        : { condition: 'minDistinctIssues', ja: `課題が${n}種類で、${c.min}種類未満`, en: `${plural(n, 'distinct issue')}, fewer than ${c.min}` };
    }
    case 'organizations': {
      const n = intake.organizationsInvolved;
      if (n == null)
        return {
          condition: 'minOrganizationsInvolved',
          ja: `関わる機関の数が分かりません。${c.min}機関以上か確認してください`,
          en: `the number of organisations involved is unknown; it is needed to decide whether it is ${c.min} or more`,
        };
      return n >= c.min
        ? { condition: 'minOrganizationsInvolved', ja: `関わる機関が${n}機関で、${c.min}機関以上`, en: `${plural(n, 'organisation')} involved (${c.min} or more)` }
        : { condition: 'minOrganizationsInvolved', ja: `関わる機関が${n}機関で、${c.min}機関未満`, en: `${plural(n, 'organisation')} involved, fewer than ${c.min}` };
    }
    case 'cannotVisit': {
      const v = intake.cannotVisit;
      if (v == null)
        return { condition: 'cannotVisit', ja: '本人が来所できるかどうか分かりません。確認してください', en: 'whether the person can come to a window is unknown; it is needed to decide' };
      const ja = v ? '本人は来所が難しい' : '本人は来所できる';
      const en = v ? 'the person cannot come to a window' : 'the person can come to a window';
      if (v === c.wanted) return { condition: 'cannotVisit', ja, en };
      return c.wanted
        ? { condition: 'cannotVisit', ja: `${ja}（来所が難しい人が対象）`, en: `${en} (the rule is for people who cannot)` }
        : { condition: 'cannotVisit', ja: `${ja}（来所できる人が対象）`, en: `${en} (the rule is for people who can)` };
    }
  }
}

/**
 * Age against ageMin and/or ageMax. The explanation names the bound in
 * question: the one failed or straddled, else ageMin when the rule has one.
 */
function ageExplanation(min: number | undefined, max: number | undefined, intake: RoutingIntake): Explanation {
  const range = { min, max };
  const both = min !== undefined && max !== undefined;
  const insideJa = both ? `${min}〜${max}歳の範囲内` : min !== undefined ? `${min}歳以上` : `${max}歳以下`;
  const outsideJa = both ? `${min}〜${max}歳の範囲外` : min !== undefined ? `${min}歳未満` : `${max}歳を超える`;
  const insideEn = both ? `within ${min}–${max}` : min !== undefined ? `${min} or over` : `${max} or under`;
  const outsideEn = both ? `outside ${min}–${max}` : min !== undefined ? `under ${min}` : `over ${max}`;
  const mainBound: Condition = min !== undefined ? 'ageMin' : 'ageMax';
  const boundBelow = (lo: number): Condition => (min !== undefined && lo < min ? 'ageMin' : 'ageMax');

  const age = intake.age;
  if (age != null)
    return inAgeRange(range, age, age)
      ? { condition: mainBound, ja: `年齢${age}歳は${insideJa}`, en: `age ${age} is ${insideEn}` }
      : { condition: boundBelow(age), ja: `年齢${age}歳は${outsideJa}`, en: `age ${age} is ${outsideEn}` };
  const band = intake.ageBand;
  if (!band)
    return {
      condition: mainBound,
      ja: `年齢が分かりません。${insideJa}か判断するため、年齢を確認してください`,
      en: `the age is unknown; it is needed to decide whether it is ${insideEn}`,
    };
  const [lo, hi] = band;
  const bandJa = bandLabelJa(lo, hi);
  const bandEn = `the age band ${lo}–${hi}`;
  if (inAgeRange(range, lo, hi)) return { condition: mainBound, ja: `年齢層（${bandJa}）は${insideJa}`, en: `${bandEn} is ${insideEn}` };
  if (outsideAgeRange(range, lo, hi)) return { condition: boundBelow(hi), ja: `年齢層（${bandJa}）は${outsideJa}`, en: `${bandEn} is ${outsideEn}` };
  return {
    condition: boundBelow(lo),
    ja: `年齢（${bandJa}）だけでは${insideJa}か判断できません。年齢を確認してください`,
    en: `${bandEn} does not decide whether the age is ${insideEn}; the exact age is needed`,
  };
}

/** 50代 for a ten-year band from 10 up, otherwise 45〜54歳. */
function bandLabelJa(lo: number, hi: number): string {
  return lo >= 10 && lo % 10 === 0 && hi === lo + 9 ? `${lo}代` : `${lo}〜${hi}歳`;
}

interface Subject {
  ja: string;
  en: string;
  /** What staff should do to find out, in Japanese. */
  askJa: string;
}

const SUBJECTS: Record<ValueField, Subject> = {
  schoolStage: { ja: '学校段階', en: 'school stage', askJa: '学校段階を確認してください' },
  area: { ja: '圏域', en: 'area', askJa: '住所から圏域を確認してください' },
  channel: { ja: '相談経路', en: 'channel', askJa: '相談経路を確認してください' },
  consulterRelation: { ja: '相談者', en: 'consulter', askJa: '誰からの相談か確認してください' },
};

/** One recorded value against the rule's list: school stage, area, channel, consulter. */
function valueExplanation(
  condition: Condition, subject: Subject, allowed: readonly string[], value: string | null | undefined, label: Label,
): Explanation {
  const one = allowed.length === 1;
  const listJa = allowed.map(label.ja).join('、');
  const listEn = allowed.map(label.en).join(', ');
  if (value == null)
    return {
      condition,
      ja: `${subject.ja}が分かりません。${one ? `${listJa}かどうか` : `${listJa}のいずれかに当たるか`}判断するため、${subject.askJa}`,
      en: `the ${subject.en} is unknown; it is needed to decide whether it is ${one ? listEn : `one of ${listEn}`}`,
    };
  if (allowed.includes(value)) return { condition, ja: `${subject.ja}は${label.ja(value)}`, en: `${subject.en} is ${label.en(value)}` };
  return {
    condition,
    ja: `${subject.ja}（${label.ja(value)}）は${one ? `${listJa}ではない` : `${listJa}のいずれでもない`}`,
    en: `${subject.en} ${label.en(value)} ${one ? `is not ${listEn}` : `is none of ${listEn}`}`,
  };
}

// --- labels ------------------------------------------------------------------

interface Label {
  ja: (code: string) => string;
  en: (code: string) => string;
}

interface Labels {
  issueTag: Label;
  schoolStage: Label;
  area: Label;
  channel: Label;
  consulterRelation: Label;
}

/** Japanese label, and the English one starting lower-case for use inside a sentence; unknown codes as they are. */
function labelOf(...lists: (readonly Term[] | undefined)[]): Label {
  const byCode = new Map<string, Term>();
  for (const list of lists) for (const t of list ?? []) byCode.set(t.code, t);
  return {
    ja: (code) => byCode.get(code)?.ja ?? code,
    en: (code) => {
      const en = byCode.get(code)?.en;
      return en ? en.charAt(0).toLowerCase() + en.slice(1) : code;
    },
  };
}

const NATIONAL_LABELS: Labels = {
  issueTag: labelOf(ISSUE_TAGS),
  schoolStage: labelOf(SCHOOL_STAGES),
  area: labelOf(),
  channel: labelOf(CHANNELS),
  consulterRelation: labelOf(CONSULTER_RELATIONS),
};

function labelsOf(vocabulary: RoutingVocabulary | undefined): Labels {
  if (!vocabulary) return NATIONAL_LABELS;
  return {
    ...NATIONAL_LABELS,
    issueTag: vocabulary.issueTags ? labelOf(ISSUE_TAGS, vocabulary.issueTags) : NATIONAL_LABELS.issueTag,
    area: vocabulary.areas ? labelOf(vocabulary.areas) : NATIONAL_LABELS.area,
  };
}

// --- small helpers -----------------------------------------------------------

function countDistinct(tags: readonly string[]): number {
  if (tags.length < 2) return tags.length;
  if (tags.length > 16) return new Set(tags).size;
  let n = 0;
  for (let i = 0; i < tags.length; i++) if (tags.indexOf(tags[i]) === i) n++;
  return n;
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** Code-point order, so the tie-break does not depend on the locale. */
const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
