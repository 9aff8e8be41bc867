/**
 * Coordination meetings in the browser: the calendar's month grid, the dates
 * a recurrence gives (before the server moves them off holidays), agenda
 * reordering, and the checks of the recurrence and decision forms. Pure
 * functions on 'YYYY-MM-DD' strings, tested with tables (meetings.test.ts).
 */
import type { AgreedRule, RecurrenceRule } from '../types.ts';
import { parseIsoDate } from './dates.ts';

export const ODD_MONTHS: readonly number[] = [1, 3, 5, 7, 9, 11];
export const EVEN_MONTHS: readonly number[] = [2, 4, 6, 8, 10, 12];
export const ALL_MONTHS: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

export type MonthShortcut = 'odd' | 'even' | 'all';

const MONTH_SETS: Record<MonthShortcut, readonly number[]> = { odd: ODD_MONTHS, even: EVEN_MONTHS, all: ALL_MONTHS };

export const monthsOf = (shortcut: MonthShortcut): number[] => [...MONTH_SETS[shortcut]];

/** Which shortcut (奇数月・偶数月・毎月) the chosen months are, if any. */
export function shortcutOf(months: readonly number[]): MonthShortcut | null {
  const key = [...new Set(months)].sort((a, b) => a - b).join(',');
  for (const s of ['odd', 'even', 'all'] as const) if (MONTH_SETS[s].join(',') === key) return s;
  return null;
}

const utc = (date: string): Date | null => {
  const p = parseIsoDate(date);
  return p && p.precision === 'day' ? p.date : null;
};
const iso = (d: Date) => d.toISOString().slice(0, 10);

/** The nth (1–4, or -1 for the last) weekday (0 = Sunday) of a month, as 'YYYY-MM-DD'. */
export function nthWeekday(year: number, month: number, weekday: number, nth: number): string {
  if (nth === -1) {
    const last = new Date(Date.UTC(year, month, 0));
    last.setUTCDate(last.getUTCDate() - ((last.getUTCDay() - weekday + 7) % 7));
    return iso(last);
  }
  const first = new Date(Date.UTC(year, month - 1, 1));
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  first.setUTCDate(1 + offset + (nth - 1) * 7);
  return iso(first);
}

/**
 * The next `count` dates the rule gives on or after `from`, as the rule says
 * them: a date on a public holiday is moved by the server when it schedules
 * (and the session then says which date it was moved from).
 */
export function ruleDates(rule: Pick<RecurrenceRule, 'months' | 'weekday' | 'nth'>, from: string, count: number): string[] {
  const start = utc(from);
  const months = [...new Set(rule.months)].filter((m) => m >= 1 && m <= 12).sort((a, b) => a - b);
  if (!start || months.length === 0 || count < 1 || rule.weekday < 0 || rule.weekday > 6 || ![1, 2, 3, 4, -1].includes(rule.nth)) return [];
  const out: string[] = [];
  let year = start.getUTCFullYear();
  // at most count years ahead: one month a year is the sparsest rule
  for (let guard = 0; out.length < count && guard <= count + 1; guard++, year++) {
    for (const m of months) {
      const d = nthWeekday(year, m, rule.weekday, rule.nth);
      if (d >= from && out.length < count) out.push(d);
    }
  }
  return out;
}

/** 'YYYY-MM' of a date. */
export const monthOf = (date: string) => date.slice(0, 7);

/** 'YYYY-MM' moved by n months. */
export function shiftMonth(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return iso(d).slice(0, 7);
}

/** A month as the calendar shows it: weeks from Sunday to Saturday, with the days of the months either side. */
export function monthGrid(month: string): { from: string; to: string; weeks: string[][] } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const first = new Date(Date.UTC(y, m - 1, 1));
  const start = new Date(first);
  start.setUTCDate(1 - first.getUTCDay());
  const last = new Date(Date.UTC(y, m, 0));
  const end = new Date(last);
  end.setUTCDate(last.getUTCDate() + (6 - last.getUTCDay()));
  const weeks: string[][] = [];
  for (const d = new Date(start); d <= end;) {
    const week: string[] = [];
    for (let i = 0; i < 7; i++) {
      week.push(iso(d));
      d.setUTCDate(d.getUTCDate() + 1);
    }
    weeks.push(week);
  }
  return { from: iso(start), to: iso(end), weeks };
}

/** A valid 'YYYY-MM' from the page's URL, or null. */
export function parseMonth(value: string | null): string | null {
  if (!value || !/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) return null;
  return value;
}

// Japan has kept UTC+9 all year since 1951.
const JAPAN_OFFSET_MS = 9 * 3_600_000;

/** An instant's time of day in Japan: '14:00'. */
export function japanClock(instant: string): string {
  const t = Date.parse(instant);
  return Number.isNaN(t) ? '' : new Date(t + JAPAN_OFFSET_MS).toISOString().slice(11, 16);
}

/** Minutes between two instants. */
export const minutesBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 60_000);

/** Where now is against a session's sharing window. */
export function windowState(window: { shareFrom: string; shareUntil: string; status?: string }, now: Date): 'before' | 'open' | 'after' | 'cancelled' {
  if (window.status === 'cancelled') return 'cancelled';
  const t = now.getTime();
  if (t < Date.parse(window.shareFrom)) return 'before';
  if (t >= Date.parse(window.shareUntil)) return 'after';
  return 'open';
}

/** The ids in a new order: the item at `index` moved up (-1) or down (+1); unchanged at either end. */
export function moveItem<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  const out = [...items];
  if (index < 0 || index >= items.length || to < 0 || to >= items.length) return out;
  [out[index], out[to]] = [out[to]!, out[index]!];
  return out;
}

export type RecurrenceField = 'months' | 'start' | 'minutes' | 'count';
export type RecurrenceError = 'monthsRequired' | 'startInvalid' | 'minutesRange' | 'countRange';

export interface RecurrenceDraft {
  months: number[];
  weekday: number;
  nth: number;
  start: string;
  minutes: string;
  count: string;
}

/** The recurrence form's own checks (the server checks the same). */
export function checkRecurrenceDraft(d: RecurrenceDraft): Partial<Record<RecurrenceField, RecurrenceError>> {
  const out: Partial<Record<RecurrenceField, RecurrenceError>> = {};
  if (d.months.length === 0) out.months = 'monthsRequired';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(d.start)) out.start = 'startInvalid';
  const minutes = Number(d.minutes);
  if (!/^\d+$/.test(d.minutes.trim()) || minutes < 15 || minutes > 600) out.minutes = 'minutesRange';
  const count = Number(d.count);
  if (!/^\d+$/.test(d.count.trim()) || count < 1 || count > 24) out.count = 'countRange';
  return out;
}

/** The most action items one decision records (the form's rows). */
export const MAX_ACTION_ITEMS = 10;

export interface ActionDraftRow {
  key: string;
  organizationId: string;
  description: string;
  dueOn: string;
  caseId: string;
}

export interface DecisionDraft {
  agendaItemId: string;
  text: string;
  actions: ActionDraftRow[];
  confirmPlan: boolean;
  asRule: boolean;
  ruleTitle: string;
  ruleBody: string;
  routingRuleKey: string;
  supersedesId: string;
}

export type DecisionError = 'textRequired' | 'organizationRequired' | 'descriptionRequired' | 'dueRequired' | 'ruleTitleRequired' | 'ruleBodyRequired' | 'tooManyActions';

/** The decision form's own checks, by field key ('text', 'action-<key>-organization', 'ruleTitle'…). */
export function checkDecisionDraft(d: DecisionDraft): Record<string, DecisionError> {
  const out: Record<string, DecisionError> = {};
  if (!d.text.trim()) out.text = 'textRequired';
  if (d.actions.length > MAX_ACTION_ITEMS) out.actions = 'tooManyActions';
  for (const a of d.actions) {
    if (!a.organizationId) out[`action-${a.key}-organization`] = 'organizationRequired';
    if (!a.description.trim()) out[`action-${a.key}-description`] = 'descriptionRequired';
    if (!parseIsoDate(a.dueOn) || a.dueOn.length !== 10) out[`action-${a.key}-due`] = 'dueRequired';
  }
  if (d.asRule) {
    if (!d.ruleTitle.trim()) out.ruleTitle = 'ruleTitleRequired';
    if (!d.ruleBody.trim()) out.ruleBody = 'ruleBodyRequired';
  }
  return out;
}

/** The request body of a decision draft: only what was filled in. */
export function decisionInput(d: DecisionDraft, planId: string | null) {
  return {
    ...(d.agendaItemId ? { agendaItemId: d.agendaItemId } : {}),
    text: d.text.trim(),
    ...(d.actions.length > 0
      ? { actionItems: d.actions.map((a) => ({ organizationId: a.organizationId, description: a.description.trim(), dueOn: a.dueOn, ...(a.caseId ? { caseId: a.caseId } : {}) })) }
      : {}),
    ...(d.confirmPlan && planId ? { confirmPlanId: planId } : {}),
    ...(d.asRule
      ? { rule: { title: d.ruleTitle.trim(), body: d.ruleBody.trim(), ...(d.routingRuleKey.trim() ? { routingRuleKey: d.routingRuleKey.trim() } : {}), ...(d.supersedesId ? { supersedesId: d.supersedesId } : {}) } }
      : {}),
  };
}

/** For each rule, the later rule that replaced it (統一見解 change only by a later decision). */
export function supersededBy(rules: readonly AgreedRule[]): Map<string, { id: string; number: number }> {
  const out = new Map<string, { id: string; number: number }>();
  for (const r of rules) if (r.supersedes) out.set(r.supersedes.id, { id: r.id, number: r.number });
  return out;
}
