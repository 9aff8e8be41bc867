import type { ProfileRoutingRule } from '../network/profile.schema.ts';

/**
 * What routing knows about a consultation. Everything is optional except the
 * issue tags: an intake is often incomplete, and age unknown is normal.
 */
export interface RoutingIntake {
  /** Exact age in years, when known. */
  age?: number | null;
  /** Age band when only that is known: [min, max] inclusive, e.g. [50, 59] for 50代. */
  ageBand?: [number, number] | null;
  schoolStage?: string | null;
  issueTags: string[];
  /** Area key from the profile (e.g. 'area-3'), when known. */
  area?: string | null;
  channel?: string | null;
  consulterRelation?: string | null;
  /** How many organisations are already involved or needed. */
  organizationsInvolved?: number | null;
  /** The person cannot come to a window (outreach needed). */
  cannotVisit?: boolean | null;
}

/** A rule as the profile (or the rule editor) defines it. */
export type RoutingRule = ProfileRoutingRule;

export type Condition = keyof RoutingRule['when'];

export interface Explanation {
  condition: Condition;
  ja: string;
  en: string;
}

export interface Suggestion {
  ruleKey: string;
  priority: number;
  /** Organisation key, or program key, the consultation should reach. */
  to: RoutingRule['to'];
  reason: string;
  reasonEn: string | null;
  publicReason: string | null;
  /** Why each condition of the rule held. */
  matched: Explanation[];
}

export interface NearMiss {
  ruleKey: string;
  priority: number;
  to: RoutingRule['to'];
  reason: string;
  /** Conditions that held. */
  matched: Explanation[];
  /** The one condition that failed (near misses fail exactly one). */
  failed: Explanation;
}

export interface Undecided {
  ruleKey: string;
  priority: number;
  to: RoutingRule['to'];
  reason: string;
  /** What must be known to decide, e.g. the age when only a band or nothing is known. */
  needs: Explanation[];
  matched: Explanation[];
}

export interface RoutingResult {
  /** Rules that matched, in priority order (lowest number first); the first is the main suggestion. */
  suggestions: Suggestion[];
  /** Rules that would match if what is unknown turned out to fit (never matched silently). */
  undecided: Undecided[];
  /** Rules that failed on exactly one condition, for the "why not" view. */
  nearMisses: NearMiss[];
}
