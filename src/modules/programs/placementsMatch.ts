/**
 * Matching a person to placements (programs issue #11, 参加支援・就労): pure
 * ranking of placements against the case's work preferences, each with why it
 * fits or not. No I/O; the service loads what it needs and calls rankPlacements.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Kinds of support a placement can give and a person may need (none of them is 要配慮 by itself). */
export const SUPPORT_KINDS = ['job_coach', 'accompaniment', 'short_hours_start', 'quiet_space', 'written_instructions', 'fixed_mentor', 'flexible_schedule'] as const;

export interface MatchPlacement {
  id: string;
  name: string;
  tasks: string[];
  hoursMin: number | null;
  hoursMax: number | null;
  days: string[];
  areaId: string | null;
  supportOffered: string[];
  capacity: number;
  /** Placement records still running (no outcome, or continued/employed). */
  occupied: number;
}

export interface MatchPreferences {
  hoursMin: number | null;
  hoursMax: number | null;
  days: string[];
  tasks: string[];
  areaId: string | null;
  maxTravelMinutes: number | null;
  /** Travel minutes staff entered per placement id. */
  travelMinutes: Record<string, number>;
  supportNeeded: string[];
}

export type Aspect = 'hours' | 'days' | 'tasks' | 'place' | 'support' | 'places';
export type Verdict = 'fits' | 'partly' | 'misses' | 'unknown';

export interface Reason {
  aspect: Aspect;
  verdict: Verdict;
  /** What the verdict rests on, for the UI to phrase (codes and numbers, no prose). */
  detail: Record<string, string | number | string[]>;
}

export interface RankedPlacement {
  placementId: string;
  /** 0–100: share of the points of the aspects. */
  score: number;
  /** False when any aspect misses. */
  fits: boolean;
  reasons: Reason[];
}

const POINTS: Record<Verdict, number> = { fits: 2, partly: 1, unknown: 1, misses: 0 };
const norm = (s: string) => s.normalize('NFKC').trim().toLowerCase();

function hours(p: MatchPlacement, w: MatchPreferences): Reason {
  if ((w.hoursMin === null && w.hoursMax === null) || (p.hoursMin === null && p.hoursMax === null)) return { aspect: 'hours', verdict: 'unknown', detail: {} };
  const wantMin = w.hoursMin ?? 0;
  const wantMax = w.hoursMax ?? Infinity;
  const offerMin = p.hoursMin ?? 0;
  const offerMax = p.hoursMax ?? Infinity;
  const detail = { wantMin, wantMax: w.hoursMax ?? -1, offerMin, offerMax: p.hoursMax ?? -1 };
  // the placement asks more hours than the person can give: the one real obstacle
  if (offerMin > wantMax) return { aspect: 'hours', verdict: 'misses', detail: { ...detail, why: 'too_many' } };
  if (offerMax < wantMin) return { aspect: 'hours', verdict: 'partly', detail: { ...detail, why: 'fewer' } };
  return { aspect: 'hours', verdict: 'fits', detail };
}

function days(p: MatchPlacement, w: MatchPreferences): Reason {
  if (w.days.length === 0 || p.days.length === 0) return { aspect: 'days', verdict: 'unknown', detail: {} };
  const common = WEEKDAYS.filter((d) => w.days.includes(d) && p.days.includes(d));
  return { aspect: 'days', verdict: common.length ? 'fits' : 'misses', detail: { common } };
}

function tasks(p: MatchPlacement, w: MatchPreferences): Reason {
  if (w.tasks.length === 0) return { aspect: 'tasks', verdict: 'unknown', detail: {} };
  const offered = new Set(p.tasks.map(norm));
  const common = w.tasks.filter((t) => offered.has(norm(t)));
  return { aspect: 'tasks', verdict: common.length ? 'fits' : 'misses', detail: { common } };
}

function place(p: MatchPlacement, w: MatchPreferences, neighbours: ReadonlyMap<string, ReadonlySet<string>>): Reason {
  const minutes = w.travelMinutes[p.id];
  // minutes entered by staff say more than areas do
  if (minutes !== undefined && w.maxTravelMinutes !== null)
    return { aspect: 'place', verdict: minutes <= w.maxTravelMinutes ? 'fits' : 'misses', detail: { why: 'minutes', minutes, max: w.maxTravelMinutes } };
  if (!w.areaId || !p.areaId) return { aspect: 'place', verdict: 'unknown', detail: minutes !== undefined ? { why: 'minutes', minutes } : {} };
  if (w.areaId === p.areaId) return { aspect: 'place', verdict: 'fits', detail: { why: 'same_area' } };
  if (neighbours.get(w.areaId)?.has(p.areaId) || neighbours.get(p.areaId)?.has(w.areaId)) return { aspect: 'place', verdict: 'partly', detail: { why: 'neighbouring_area' } };
  return { aspect: 'place', verdict: 'misses', detail: { why: 'other_area' } };
}

function support(p: MatchPlacement, w: MatchPreferences): Reason {
  if (w.supportNeeded.length === 0) return { aspect: 'support', verdict: 'fits', detail: { missing: [] } };
  const missing = w.supportNeeded.filter((s) => !p.supportOffered.includes(s));
  const verdict: Verdict = missing.length === 0 ? 'fits' : missing.length < w.supportNeeded.length ? 'partly' : 'misses';
  return { aspect: 'support', verdict, detail: { missing } };
}

function places(p: MatchPlacement): Reason {
  const left = Math.max(0, p.capacity - p.occupied);
  return { aspect: 'places', verdict: left > 0 ? 'fits' : 'misses', detail: { left, capacity: p.capacity } };
}

/**
 * Ranks placements for a person: those without a miss first, then by score,
 * then by name. Every placement is returned with its reasons, so staff also
 * see why one does not fit.
 */
export function rankPlacements(
  placements: readonly MatchPlacement[],
  w: MatchPreferences,
  neighbours: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): RankedPlacement[] {
  const ranked = placements.map((p) => {
    const reasons = [hours(p, w), days(p, w), tasks(p, w), place(p, w, neighbours), support(p, w), places(p)];
    const points = reasons.reduce((n, r) => n + POINTS[r.verdict], 0);
    return { placementId: p.id, name: p.name, score: Math.round((points / (reasons.length * 2)) * 100), fits: reasons.every((r) => r.verdict !== 'misses'), reasons };
  });
  ranked.sort((a, b) => Number(b.fits) - Number(a.fits) || b.score - a.score || a.name.localeCompare(b.name, 'ja'));
  return ranked.map(({ name: _name, ...r }) => r);
}

/** The date n months after an ISO date (the last day of the month when it is shorter). */
export function addMonths(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const month = m - 1 + n;
  const year = y + Math.floor(month / 12);
  const mm = ((month % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, mm + 1, 0)).getUTCDate();
  return `${year}-${String(mm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export const CHECK_IN_MONTHS = [1, 3, 6] as const;
