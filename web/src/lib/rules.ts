import type { FieldError, RoutingRule, RuleConditions } from '../types.ts';
import { parseWholeNumber, type TriState } from './intake.ts';

/**
 * The rule editor's draft: ordering rules, turning the edit form into a rule
 * the server's schema accepts, and placing the server's 'rules[3].to.organization'
 * errors on the rule they are about. Pure, tested with tables.
 */

const KEY = /^[a-z0-9][a-z0-9-]*$/;
const compareKeys = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Rules in the order routing tries them: priority, then key (as the server sorts). */
export function sortRules(rules: readonly RoutingRule[]): RoutingRule[] {
  return [...rules].sort((a, b) => a.priority - b.priority || compareKeys(a.id, b.id));
}

/** Priorities 10, 20, 30 … in the current order, leaving room to insert between. */
export function renumber(rules: readonly RoutingRule[]): RoutingRule[] {
  return rules.map((rule, i) => (rule.priority === (i + 1) * 10 ? rule : { ...rule, priority: (i + 1) * 10 }));
}

/** Moves the rule at `index` one place up (-1) or down (+1), renumbering the priorities. */
export function moveRule(rules: readonly RoutingRule[], index: number, delta: -1 | 1): RoutingRule[] {
  const to = index + delta;
  if (index < 0 || index >= rules.length || to < 0 || to >= rules.length) return [...rules];
  const next = [...rules];
  [next[index], next[to]] = [next[to]!, next[index]!];
  return renumber(next);
}

/** True when the rule has no condition at all, so it matches every consultation. */
export const matchesEverything = (rule: RoutingRule) => Object.keys(rule.when).length === 0;

/** The edit form for one rule, as typed. */
export interface RuleDraft {
  id: string;
  priority: string;
  ageMin: string;
  ageMax: string;
  schoolStages: string[];
  issueTagsAny: string[];
  issueTagsAll: string[];
  areas: string[];
  channels: string[];
  consulterRelations: string[];
  minDistinctIssues: string;
  minOrganizationsInvolved: string;
  /** '' either, 'yes' only people who cannot come to a window, 'no' only people who can. */
  cannotVisit: TriState;
  targetKind: 'organization' | 'program';
  organization: string;
  program: string;
  /** Organisations passed through first, in order (keys). */
  via: string[];
  reason: string;
  reasonEn: string;
  publicReason: string;
  /** Kept as it was: where the rule comes from (the profile's source note). */
  source?: RoutingRule['source'];
}

export type RuleDraftField =
  | 'id' | 'priority' | 'age' | 'schoolStages' | 'issueTagsAny' | 'issueTagsAll' | 'areas' | 'channels' | 'consulterRelations'
  | 'minDistinctIssues' | 'minOrganizationsInvolved' | 'cannotVisit' | 'destination' | 'via' | 'reason' | 'reasonEn' | 'publicReason';

export const RULE_DRAFT_FIELDS: readonly RuleDraftField[] = [
  'id', 'priority', 'age', 'schoolStages', 'issueTagsAny', 'issueTagsAll', 'areas', 'channels', 'consulterRelations',
  'minDistinctIssues', 'minOrganizationsInvolved', 'cannotVisit', 'destination', 'via', 'reason', 'reasonEn', 'publicReason',
];

export type RuleErrorCode =
  | 'idRequired' | 'idPattern' | 'idDuplicate' | 'priorityInvalid' | 'ageInvalid' | 'ageOrder' | 'countInvalid'
  | 'destinationRequired' | 'reasonRequired' | 'textTooLong';

const text = (value: number | undefined) => (value === undefined ? '' : String(value));

export function ruleToDraft(rule: RoutingRule): RuleDraft {
  const w = rule.when;
  return {
    id: rule.id, priority: String(rule.priority), ageMin: text(w.ageMin), ageMax: text(w.ageMax),
    schoolStages: w.schoolStages ?? [], issueTagsAny: w.issueTagsAny ?? [], issueTagsAll: w.issueTagsAll ?? [], areas: w.areas ?? [],
    channels: w.channels ?? [], consulterRelations: w.consulterRelations ?? [],
    minDistinctIssues: text(w.minDistinctIssues), minOrganizationsInvolved: text(w.minOrganizationsInvolved),
    cannotVisit: w.cannotVisit === undefined ? '' : w.cannotVisit ? 'yes' : 'no',
    targetKind: rule.to.program ? 'program' : 'organization',
    organization: rule.to.organization ?? '', program: rule.to.program ?? '', via: rule.to.via ?? [],
    reason: rule.reason, reasonEn: rule.reasonEn ?? '', publicReason: rule.publicReason ?? '', source: rule.source,
  };
}

/** A new rule after the others, with a key not yet used. */
export function newRuleDraft(rules: readonly RoutingRule[]): RuleDraft {
  const ids = new Set(rules.map((r) => r.id));
  let n = 1;
  while (ids.has(`new-rule-${n}`)) n++;
  const last = Math.max(0, ...rules.map((r) => r.priority));
  return {
    id: `new-rule-${n}`, priority: String(Math.min(1000, last + 10)), ageMin: '', ageMax: '', schoolStages: [], issueTagsAny: [],
    issueTagsAll: [], areas: [], channels: [], consulterRelations: [], minDistinctIssues: '', minOrganizationsInvolved: '',
    cannotVisit: '', targetKind: 'organization', organization: '', program: '', via: [], reason: '', reasonEn: '', publicReason: '',
  };
}

/** What must be corrected before the rule can go into the draft; `otherIds` are the other rules' keys. */
export function checkRuleDraft(d: RuleDraft, otherIds: readonly string[]): Partial<Record<RuleDraftField, RuleErrorCode>> {
  const errors: Partial<Record<RuleDraftField, RuleErrorCode>> = {};
  const id = d.id.trim();
  if (!id) errors.id = 'idRequired';
  else if (!KEY.test(id) || id.length > 80) errors.id = 'idPattern';
  else if (otherIds.includes(id)) errors.id = 'idDuplicate';
  if (parseWholeNumber(d.priority, 0, 1000) === null) errors.priority = 'priorityInvalid';
  const min = d.ageMin.trim() ? parseWholeNumber(d.ageMin, 0, 130) : undefined;
  const max = d.ageMax.trim() ? parseWholeNumber(d.ageMax, 0, 130) : undefined;
  if (min === null || max === null) errors.age = 'ageInvalid';
  else if (min !== undefined && max !== undefined && min > max) errors.age = 'ageOrder';
  if (d.minDistinctIssues.trim() && parseWholeNumber(d.minDistinctIssues, 1, 100) === null) errors.minDistinctIssues = 'countInvalid';
  if (d.minOrganizationsInvolved.trim() && parseWholeNumber(d.minOrganizationsInvolved, 1, 100) === null) errors.minOrganizationsInvolved = 'countInvalid';
  if (!(d.targetKind === 'organization' ? d.organization : d.program)) errors.destination = 'destinationRequired';
  if (!d.reason.trim()) errors.reason = 'reasonRequired';
  else if (d.reason.trim().length > 500) errors.reason = 'textTooLong';
  if (d.reasonEn.trim().length > 500) errors.reasonEn = 'textTooLong';
  if (d.publicReason.trim().length > 500) errors.publicReason = 'textTooLong';
  return errors;
}

/**
 * The rule a checked draft describes, in the shape the server's schema takes:
 * conditions left empty are left out (an empty list would be refused, and
 * would mean something else than "any").
 */
export function draftToRule(d: RuleDraft): RoutingRule {
  const when: RuleConditions = {};
  const num = (s: string, min: number, max: number) => (s.trim() ? parseWholeNumber(s, min, max) ?? undefined : undefined);
  const ageMin = num(d.ageMin, 0, 130);
  const ageMax = num(d.ageMax, 0, 130);
  if (ageMin !== undefined) when.ageMin = ageMin;
  if (ageMax !== undefined) when.ageMax = ageMax;
  const lists = ['schoolStages', 'issueTagsAny', 'issueTagsAll', 'areas', 'channels', 'consulterRelations'] as const;
  for (const key of lists) if (d[key].length > 0) when[key] = [...new Set(d[key])];
  const distinct = num(d.minDistinctIssues, 1, 100);
  if (distinct !== undefined) when.minDistinctIssues = distinct;
  const orgs = num(d.minOrganizationsInvolved, 1, 100);
  if (orgs !== undefined) when.minOrganizationsInvolved = orgs;
  if (d.cannotVisit !== '') when.cannotVisit = d.cannotVisit === 'yes';
  const target = d.targetKind === 'organization' ? { organization: d.organization } : { program: d.program };
  return {
    id: d.id.trim(),
    priority: parseWholeNumber(d.priority, 0, 1000) ?? 0,
    when,
    to: d.via.length > 0 ? { ...target, via: [...d.via] } : target,
    reason: d.reason.trim(),
    ...(d.reasonEn.trim() ? { reasonEn: d.reasonEn.trim() } : {}),
    ...(d.publicReason.trim() ? { publicReason: d.publicReason.trim() } : {}),
    ...(d.source ? { source: d.source } : {}),
  };
}

export interface RuleError {
  /** The form field it is about, when one is. */
  field: RuleDraftField | null;
  message: string;
}

/**
 * The server's field errors on a save, by the index of the rule they name
 * ('rules[3].to.organization' → rule 3, destination); the rest stay general.
 */
export function ruleErrorsByIndex(fields: readonly FieldError[]): { byRule: Map<number, RuleError[]>; other: FieldError[] } {
  const byRule = new Map<number, RuleError[]>();
  const other: FieldError[] = [];
  for (const f of fields) {
    const m = /^\/?rules(?:\[(\d+)\]|\/(\d+))(?:[./](.*))?$/.exec(f.field);
    if (!m) {
      other.push(f);
      continue;
    }
    const index = Number(m[1] ?? m[2]);
    const list = byRule.get(index) ?? [];
    list.push({ field: ruleFieldOf(m[3] ?? ''), message: f.message });
    byRule.set(index, list);
  }
  return { byRule, other };
}

/** 'to.organization' → destination, 'when.areas[0]' → areas, 'when.ageMin' → age. */
export function ruleFieldOf(path: string): RuleDraftField | null {
  const parts = path.split(/[./[\]]+/).filter(Boolean);
  const [head, sub] = parts;
  if (head === 'to') return sub === 'via' ? 'via' : 'destination';
  if (head === 'when') {
    if (sub === 'ageMin' || sub === 'ageMax') return 'age';
    return (RULE_DRAFT_FIELDS as readonly string[]).includes(sub ?? '') ? (sub as RuleDraftField) : null;
  }
  return (RULE_DRAFT_FIELDS as readonly string[]).includes(head ?? '') ? (head as RuleDraftField) : null;
}

/** True when two rule lists say the same thing (to tell whether the draft has unsaved changes). */
export function sameRules(a: readonly RoutingRule[], b: readonly RoutingRule[]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
