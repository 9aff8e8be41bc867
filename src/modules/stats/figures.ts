/**
 * Statistics folding: plain functions over rows already read, no I/O
 * (STYLE.md "Pure logic"). The service reads the rows a user may count; the
 * same functions classify each row for a figure and for its drill-down, so a
 * figure and the records behind it never disagree.
 */
import { addDays, fiscalYearLabel, fiscalYearLabelEn, fiscalYearOfDate, fiscalYearRange, japanDate, monthsBetween } from '../../lib/fiscal.ts';
import type { Count, Funnel, Period, Row } from './types.ts';
export type { Count, Funnel, Period, Row };

// ---- periods ------------------------------------------------------------------


export interface PeriodQuery {
  fiscalYear?: number;
  from?: string;
  to?: string;
}

export type PeriodProblem = { field: string; message: string };

/**
 * The period a query asks for: a fiscal year, or a range of dates (both
 * ends, at most ten years), or else the fiscal year of today in Japan.
 */
export function resolvePeriod(q: PeriodQuery, now: Date): Period | PeriodProblem[] {
  const problems: PeriodProblem[] = [];
  if (q.fiscalYear !== undefined && (q.from !== undefined || q.to !== undefined))
    problems.push({ field: 'fiscalYear', message: 'Give either a fiscal year or a range of dates (from and to), not both.' });
  if ((q.from === undefined) !== (q.to === undefined))
    problems.push({ field: q.from === undefined ? 'from' : 'to', message: 'A range of dates needs both from and to.' });
  if (q.from !== undefined && q.to !== undefined) {
    if (q.from > q.to) problems.push({ field: 'to', message: 'The end of the range is before its start.' });
    else if (q.to > addDays(q.from, 3660)) problems.push({ field: 'to', message: 'A range may span at most ten years.' });
  }
  if (problems.length) return problems;
  if (q.from !== undefined && q.to !== undefined) {
    const fy = fiscalYearOfDate(q.from);
    const whole = fiscalYearRange(fy);
    if (whole.from === q.from && whole.to === q.to) return fiscalYearPeriod(fy);
    return { from: q.from, to: q.to, fiscalYear: null, label: `${q.from}〜${q.to}`, labelEn: `${q.from} to ${q.to}` };
  }
  return fiscalYearPeriod(q.fiscalYear ?? fiscalYearOfDate(japanDate(now)));
}

export function fiscalYearPeriod(fy: number): Period {
  return { ...fiscalYearRange(fy), fiscalYear: fy, label: fiscalYearLabel(fy), labelEn: fiscalYearLabelEn(fy) };
}

/** The same period one year earlier, for year-over-year comparison. */
export function previousPeriod(p: Period): Period {
  if (p.fiscalYear !== null) return fiscalYearPeriod(p.fiscalYear - 1);
  const back = (d: string) => {
    const y = Number(d.slice(0, 4)) - 1;
    // 29 February has no twin a year earlier: take the 28th
    return d.slice(5) === '02-29' ? `${y}-02-28` : `${y}${d.slice(4)}`;
  };
  const from = back(p.from);
  const to = back(p.to);
  return { from, to, fiscalYear: null, label: `${from}〜${to}`, labelEn: `${from} to ${to}` };
}

// ---- counting -----------------------------------------------------------------


export interface Labels {
  ja: string;
  en: string;
}

/** Counts keys in first-seen order of `order` (every known key, zeros included), then unknown keys as they come. */
export function tally(keys: Iterable<string>, order: readonly string[], label: (key: string) => Labels, opts: { dropZeros?: boolean } = {}): Row[] {
  const counts = new Map<string, number>(order.map((k) => [k, 0]));
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  const rows: Row[] = [];
  for (const [key, count] of counts) {
    if (opts.dropZeros && count === 0) continue;
    const l = label(key);
    rows.push({ key, label: l.ja, labelEn: l.en, count });
  }
  return rows;
}

/** Sorts rows by count, largest first (ties by label), keeping `last` keys (unknown, other) at the end. */
export function byCount(rows: Row[], last: readonly string[] = []): Row[] {
  const n = (r: Row) => (typeof r.count === 'number' ? r.count : 0);
  return [...rows].sort((a, b) => Number(last.includes(a.key)) - Number(last.includes(b.key)) || n(b) - n(a) || a.label.localeCompare(b.label, 'ja'));
}

export const UNKNOWN = 'unknown';

/** The median of numbers, or null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const DAY_MS = 86_400_000;
/** Days from one instant to another, to one decimal. */
export const daysBetween = (a: Date, b: Date) => Math.round(((b.getTime() - a.getTime()) / DAY_MS) * 10) / 10;

/** The calendar month in Japan of an instant, 'YYYY-MM'. */
export const japanMonth = (at: Date) => japanDate(at).slice(0, 7);

// ---- age bands ----------------------------------------------------------------

/** Age bands of the city's report (年代別): under 20, each decade to the 50s, 60 and over, unknown. */
export const AGE_BANDS: readonly { key: string; min: number; max: number; ja: string; en: string }[] = [
  { key: 'under20', min: 0, max: 19, ja: '19歳以下', en: '19 and under' },
  { key: '20s', min: 20, max: 29, ja: '20代', en: '20s' },
  { key: '30s', min: 30, max: 39, ja: '30代', en: '30s' },
  { key: '40s', min: 40, max: 49, ja: '40代', en: '40s' },
  { key: '50s', min: 50, max: 59, ja: '50代', en: '50s' },
  { key: '60plus', min: 60, max: 130, ja: '60歳以上', en: '60 and over' },
];
export const AGE_BAND_KEYS = [...AGE_BANDS.map((b) => b.key), UNKNOWN];

/**
 * The band of a consultation: by its age when known; by the age band staff
 * recorded when that band lies within one of ours (40–49 → 40s); otherwise
 * unknown (a band of 15–39 says too little). Age unknown is normal at intake.
 */
export function ageBandOf(age: number | null, bandMin: number | null, bandMax: number | null): string {
  if (age !== null) return AGE_BANDS.find((b) => age >= b.min && age <= b.max)?.key ?? UNKNOWN;
  if (bandMin !== null && bandMax !== null) return AGE_BANDS.find((b) => bandMin >= b.min && bandMax <= b.max)?.key ?? UNKNOWN;
  return UNKNOWN;
}

// ---- consultations ------------------------------------------------------------

export interface ConsultationRow {
  id: string;
  received_at: Date;
  door_organization_id: string;
  channel: string;
  consulter_relation: string;
  age: number | null;
  age_band_min: number | null;
  age_band_max: number | null;
  area_id: string | null;
  issue_tags: string[];
}

/** The dimensions a consultation is counted by; `issue` holds every tag (one consultation counts once per tag). */
export interface ConsultationKeys {
  door: string;
  channel: string;
  relation: string;
  ageBand: string;
  issue: string[];
  area: string;
  month: string;
}

export function consultationKeys(r: ConsultationRow): ConsultationKeys {
  return {
    door: r.door_organization_id, channel: r.channel, relation: r.consulter_relation,
    ageBand: ageBandOf(r.age, r.age_band_min, r.age_band_max), issue: r.issue_tags.length ? r.issue_tags : [UNKNOWN],
    area: r.area_id ?? UNKNOWN, month: japanMonth(r.received_at),
  };
}
export const CONSULTATION_DIMENSIONS = ['door', 'channel', 'relation', 'ageBand', 'issue', 'area', 'month'] as const;

// ---- referrals ----------------------------------------------------------------

export interface ReferralRow {
  id: string;
  case_id: string;
  from_organization_id: string;
  to_organization_id: string;
  to_program_id: string | null;
  sent_at: Date;
  accepted_at: Date | null;
  first_contact_at: Date | null;
  completed_at: Date | null;
  declined_at: Date | null;
  returned_at: Date | null;
}

/** The funnel's stages, in order: of the referrals sent in a period, how many got how far (and how many ended otherwise). */
export const REFERRAL_STAGES = ['sent', 'accepted', 'first_contact', 'completed', 'declined', 'returned'] as const;
export type ReferralStage = (typeof REFERRAL_STAGES)[number];

export function stagesReached(r: ReferralRow): ReferralStage[] {
  const s: ReferralStage[] = ['sent'];
  if (r.accepted_at) s.push('accepted');
  if (r.first_contact_at) s.push('first_contact');
  if (r.completed_at) s.push('completed');
  if (r.declined_at) s.push('declined');
  if (r.returned_at) s.push('returned');
  return s;
}

export interface ReferralKeys {
  sender: string;
  receiver: string;
  program: string;
  stage: ReferralStage[];
  flow: string;
  month: string;
}

export function referralKeys(r: ReferralRow): ReferralKeys {
  return {
    sender: r.from_organization_id, receiver: r.to_organization_id, program: r.to_program_id ?? UNKNOWN, stage: stagesReached(r),
    flow: `${r.from_organization_id}>${r.to_organization_id}`, month: japanMonth(r.sent_at),
  };
}
export const REFERRAL_DIMENSIONS = ['sender', 'receiver', 'program', 'stage', 'flow', 'month'] as const;


export function funnelOf(rows: ReferralRow[]): Funnel {
  const f: Funnel = { sent: 0, accepted: 0, firstContact: 0, completed: 0, declined: 0, returned: 0 };
  for (const r of rows) {
    f.sent++;
    if (r.accepted_at) f.accepted++;
    if (r.first_contact_at) f.firstContact++;
    if (r.completed_at) f.completed++;
    if (r.declined_at) f.declined++;
    if (r.returned_at) f.returned++;
  }
  return f;
}

export interface ReceiverFigures extends Funnel {
  organizationId: string;
  /** Median days from sending to acceptance, and to first contact, over those that got there. */
  medianDaysToAcceptance: number | null;
  medianDaysToFirstContact: number | null;
  /** How many referrals each median is taken over. */
  acceptedMeasured: number;
  firstContactMeasured: number;
}

/** The funnel and the medians per receiving organisation, busiest first. */
export function receiverFigures(rows: ReferralRow[]): ReceiverFigures[] {
  const groups = new Map<string, ReferralRow[]>();
  for (const r of rows) groups.set(r.to_organization_id, [...(groups.get(r.to_organization_id) ?? []), r]);
  return [...groups].map(([organizationId, rs]) => {
    const toAccept = rs.filter((r) => r.accepted_at).map((r) => daysBetween(r.sent_at, r.accepted_at!));
    const toContact = rs.filter((r) => r.first_contact_at).map((r) => daysBetween(r.sent_at, r.first_contact_at!));
    return {
      organizationId, ...funnelOf(rs),
      medianDaysToAcceptance: median(toAccept), medianDaysToFirstContact: median(toContact),
      acceptedMeasured: toAccept.length, firstContactMeasured: toContact.length,
    };
  }).sort((a, b) => b.sent - a.sent || a.organizationId.localeCompare(b.organizationId));
}

/** Referrals per sender → receiver pair, largest first. */
export function flowsOf(rows: ReferralRow[]): { from: string; to: string; count: number }[] {
  const m = new Map<string, number>();
  for (const r of rows) m.set(`${r.from_organization_id}>${r.to_organization_id}`, (m.get(`${r.from_organization_id}>${r.to_organization_id}`) ?? 0) + 1);
  return [...m].map(([k, count]) => {
    const [from, to] = k.split('>');
    return { from, to, count };
  }).sort((a, b) => b.count - a.count || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}

// ---- suppression for publication --------------------------------------------------

/**
 * Small counts in figures for publication: 1 up to `below - 1` become
 * "<below" (1 and 2 → "<3" by default); 0 stays 0, since an empty cell
 * identifies no one. `below` 1 suppresses nothing.
 */
export function suppress(count: number, below: number): Count {
  return count > 0 && count < below ? `<${below}` : count;
}

/**
 * A count hidden in publication so that a small count cannot be worked out
 * from a total by subtraction (secondary, or complementary, suppression).
 */
export const SECONDARY = '—';

/** Cells whose counts add up to a total that is published too (a breakdown and its total; a row or column of a table and its sum). */
export interface SumGroup {
  total: string;
  parts: string[];
  /**
   * The parts cover the total rather than add up to it: each is at most the
   * total, and together at least it (issues, where one consultation may have several).
   */
  cover?: boolean;
}

/**
 * Primary and secondary suppression of cells that add up to totals.
 * Counts from 1 to `below - 1` become "<below" (primary); then, while any of
 * them could be recovered exactly from what is still shown — a total minus
 * the shown parts, across every group a cell belongs to, rows and columns
 * alike — the next-smallest shown count near it is hidden as well (SECONDARY),
 * a part before a total. A reader knows a primary cell lies in 1..below-1 and
 * a secondary one is at least `below` (only shown non-zero counts are taken,
 * never zeros); a cell counts as recovered when those bounds, narrowed by
 * every sum, leave it one value. Groups naming unknown cells are a bug.
 */
export function protectCells(values: ReadonlyMap<string, number>, groups: readonly SumGroup[], below: number): Map<string, Count> {
  const keys = [...values.keys()];
  const index = new Map(keys.map((k, i) => [k, i]));
  const at = (k: string) => {
    const i = index.get(k);
    if (i === undefined) throw new Error(`protectCells: no value for ${k}`);
    return i;
  };
  const value = Float64Array.from(keys.map((k) => values.get(k)!));
  const gs: Group[] = groups.map((g) => ({ total: at(g.total), parts: Int32Array.from(g.parts.map(at)), cover: g.cover === true }));
  // 0 shown, 1 primary, 2 secondary
  const state = Uint8Array.from(value, (n) => (n > 0 && n < below ? 1 : 0));
  const primaries = [...state.keys()].filter((i) => state[i] === 1);
  const groupsOf: Group[][] = keys.map(() => []);
  for (const g of gs) for (const i of [g.total, ...g.parts]) groupsOf[i].push(g);
  const lo = new Float64Array(keys.length);
  const hi = new Float64Array(keys.length);
  const narrowAll = () => bounds(value, state, gs, below, lo, hi);
  const recovered = () => {
    narrowAll();
    return primaries.filter((i) => lo[i] === hi[i]);
  };
  /** Shown non-zero cells in the groups reachable from `start` through hidden cells, nearest first; parts before totals, then smallest. */
  const candidates = (start: number): number[] => {
    const seen = new Set([start]);
    const out: number[] = [];
    let frontier = [start];
    while (frontier.length) {
      const found: { i: number; total: boolean }[] = [];
      const next: number[] = [];
      for (const h of frontier)
        for (const g of groupsOf[h])
          for (const i of [...g.parts, g.total]) {
            if (seen.has(i)) continue;
            seen.add(i);
            if (state[i]) next.push(i);
            else if (value[i] > 0) found.push({ i, total: i === g.total });
          }
      found.sort((a, b) => Number(a.total) - Number(b.total) || value[a.i] - value[b.i]);
      out.push(...found.map((f) => f.i));
      frontier = next;
    }
    return out;
  };

  if (below > 1) {
    // first each group on its own (cheap, and enough for most breakdowns)
    const single = (g: Group) => {
      let l = 0, h = 0;
      for (const i of g.parts) {
        l += state[i] === 1 ? 1 : state[i] === 2 ? below : value[i];
        h += state[i] === 1 ? below - 1 : state[i] === 2 ? Infinity : value[i];
      }
      const t = value[g.total];
      return g.parts.some((i) => {
        if (state[i] !== 1) return false;
        const restHi = h === Infinity ? Infinity : h - (below - 1);
        return Math.max(1, t - restHi) === Math.min(below - 1, t - (l - 1));
      });
    };
    for (let changed = true; changed;) {
      changed = false;
      for (const g of gs) {
        if (g.cover || state[g.total] || !single(g)) continue;
        const options = [...g.parts].filter((i) => !state[i] && value[i] > 0).sort((a, b) => value[a] - value[b]);
        const chosen = options.find((i) => {
          state[i] = 2;
          const ok = !single(g);
          state[i] = 0;
          return ok;
        }) ?? options[0] ?? g.total;
        state[chosen] = 2;
        changed = true;
      }
    }
    // then every sum together, until none gives a small count away
    for (let exposed = recovered(); exposed.length; exposed = recovered()) {
      let chosen: number | null = null;
      for (const cell of exposed) {
        const options = candidates(cell);
        if (!options.length) continue;
        // the first of the nearest few that makes this cell unrecoverable on its own, else the nearest smallest (more will follow)
        chosen = options.slice(0, 4).find((i) => {
          state[i] = 2;
          narrowAll();
          state[i] = 0;
          return lo[cell] !== hi[cell];
        }) ?? options[0];
        break;
      }
      // what is left recoverable cannot be helped by hiding more (every count around it is hidden or zero)
      if (chosen === null) break;
      state[chosen] = 2;
    }
  }
  return new Map(keys.map((k, i) => [k, state[i] === 1 ? `<${below}` : state[i] === 2 ? SECONDARY : value[i]]));
}

interface Group {
  total: number;
  parts: Int32Array;
  cover: boolean;
}

/** What a reader can tell of each cell (into lo and hi): shown ones exactly, hidden ones narrowed by every sum until nothing changes. */
function bounds(value: Float64Array, state: Uint8Array, groups: readonly Group[], below: number, lo: Float64Array, hi: Float64Array): void {
  for (let i = 0; i < value.length; i++) {
    lo[i] = state[i] === 1 ? 1 : state[i] === 2 ? below : value[i];
    hi[i] = state[i] === 1 ? below - 1 : state[i] === 2 ? Infinity : value[i];
  }
  const narrow = (i: number, l: number, h: number) => {
    let changed = false;
    if (l > lo[i]) { lo[i] = l; changed = true; }
    if (h < hi[i]) { hi[i] = h; changed = true; }
    return changed;
  };
  for (let pass = 0, changed = true; changed && pass < 200; pass++) {
    changed = false;
    for (const g of groups) {
      let sumLo = 0, sumHi = 0, open = 0;
      for (const i of g.parts) {
        sumLo += lo[i];
        if (hi[i] === Infinity) open++;
        else sumHi += hi[i];
      }
      // a cover: the total is at least its largest part and at most their sum; each part at most the total
      const maxLo = g.cover ? g.parts.reduce((m, i) => Math.max(m, lo[i]), 0) : sumLo;
      if (narrow(g.total, maxLo, open ? Infinity : sumHi)) changed = true;
      const tl = lo[g.total];
      const th = hi[g.total];
      for (const i of g.parts) {
        if (lo[i] === hi[i]) continue;
        const restHi = open - (hi[i] === Infinity ? 1 : 0) > 0 ? Infinity : sumHi - (hi[i] === Infinity ? 0 : hi[i]);
        if (narrow(i, tl - restHi, g.cover ? th : th - (sumLo - lo[i]))) changed = true;
      }
    }
  }
}

/** A median is shown only over at least `below` values in publication. */
export function suppressMedian(value: number | null, measured: number, below: number): number | null {
  return measured < below ? null : value;
}

// ---- months -------------------------------------------------------------------

/** Every month of a period, zeros included, labelled in 和暦 and in English. */
export function monthRows(keys: Iterable<string>, from: string, to: string, label: (month: string) => Labels): Row[] {
  return tally(keys, monthsBetween(from, to), label);
}
