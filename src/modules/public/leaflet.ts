import type { MunicipalitySnapshot, PublicRule } from './crossing.ts';
import { indexWindows, organizationWindow, reasonsIn, serviceWindow, termCodes, type PublicWindow, type Service } from './windows.ts';

/**
 * The list of every window and program, grouped by who it is for: the
 * public page residents print as an A4 leaflet. Pure: derived from the public
 * snapshot's directory (ages, target groups, issue tags, service types) and
 * the routing rules that lead to organisations without a listed program of
 * their own (in Musashino, the six area centres and the core centre).
 */

export const AUDIENCES = ['children', 'adults', 'older_family', 'everyone', 'professionals'] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface AudienceFacts {
  minAge: number | null;
  maxAge: number | null;
  /** School stages (elementary, junior_high, high_school, not_in_school). */
  schoolStages: readonly string[];
  issueTags: readonly string[];
  /** Program kinds (consultation, drop_in, expert_consultation …). */
  serviceTypes: readonly string[];
}

const OLDER_FAMILY_TAGS = ['elderly_care', '8050'];
const CHILDREN_TAGS = ['school_non_attendance', 'child_rearing'];
const IN_SCHOOL = ['elementary', 'junior_high', 'high_school'];
/** Work, money and housing: matters of adult life. */
const ADULT_TAGS = ['employment', 'work_anxiety', 'poverty', 'income', 'household_budget', 'debt', 'rent_loan', 'tax_utilities', 'housing', 'food', 'public_assistance'];
/** Adulthood (成年) under the Civil Code art. 4 since 2022. */
const ADULT_AGE = 18;
/** 高齢者 as the Long-Term Care Insurance Act counts first-category insured persons. */
const OLDER_AGE = 65;

const any = (have: readonly string[], wanted: readonly string[]) => have.some((x) => wanted.includes(x));

/**
 * The one group a window is listed under, the first that fits of: families
 * with an older member (care, 8050, or 65 and over), expert help for
 * professionals, children and young people (in school, under-18s admitted, or
 * school and child-rearing matters), adults (18 and over only, or work, money
 * and housing), and everyone else.
 */
export function audienceOf(f: AudienceFacts): Audience {
  if (any(f.issueTags, OLDER_FAMILY_TAGS) || (f.minAge !== null && f.minAge >= OLDER_AGE)) return 'older_family';
  if (f.serviceTypes.includes('expert_consultation')) return 'professionals';
  const admitsMinors = (f.minAge !== null && f.minAge < ADULT_AGE) || (f.maxAge !== null && f.maxAge < ADULT_AGE);
  if (any(f.schoolStages, IN_SCHOOL) || admitsMinors || any(f.issueTags, CHILDREN_TAGS)) return 'children';
  if ((f.minAge !== null && f.minAge >= ADULT_AGE) || any(f.issueTags, ADULT_TAGS)) return 'adults';
  return 'everyone';
}

export interface LeafletWindow extends PublicWindow {
  audience: Audience;
  /** When to contact it: the public reasons of the routing rules that lead to it. */
  whenToContact: string[];
}

export interface LeafletGroup {
  audience: Audience;
  windows: LeafletWindow[];
}

function serviceFacts(s: Service): AudienceFacts {
  return {
    minAge: s.minimum_age ?? null,
    maxAge: s.maximum_age ?? null,
    // target groups also hold age bands, which the HSDS module derives from the ages and from rules; the ages themselves decide here
    schoolStages: termCodes(s, 'target_group'),
    issueTags: termCodes(s, 'issue'),
    serviceTypes: termCodes(s, 'service_type'),
  };
}

/** What the rules leading to an organisation say about the people they send there. */
function ruleFacts(rules: readonly PublicRule[]): AudienceFacts {
  const mins = rules.map((r) => r.when.ageMin).filter((x): x is number => x !== undefined);
  return {
    // the group is for the youngest any rule sends; a rule without an age bound sends anyone
    minAge: mins.length === rules.length && mins.length > 0 ? Math.min(...mins) : null,
    maxAge: null,
    schoolStages: rules.flatMap((r) => r.when.schoolStages ?? []),
    issueTags: rules.flatMap((r) => [...(r.when.issueTagsAny ?? []), ...(r.when.issueTagsAll ?? [])]),
    serviceTypes: [],
  };
}

/**
 * Every window in its group, groups in the order of AUDIENCES, windows in
 * the directory's order. Programs that ended are left out; planned ones are
 * listed with their notice. An organisation appears on its own when a rule
 * leads to it and it runs no listed program.
 */
export function groupWindows(snapshot: Pick<MunicipalitySnapshot, 'directory' | 'rules'>): LeafletGroup[] {
  const index = indexWindows(snapshot);
  const entries: LeafletWindow[] = [];
  for (const s of index.services) {
    if (s.status === 'defunct') continue;
    entries.push({ ...serviceWindow(s, index), audience: audienceOf(serviceFacts(s)), whenToContact: reasonsIn(s.eligibility_description, index.publicReasons) });
  }

  const rulesTo = new Map<string, PublicRule[]>();
  for (const r of [...snapshot.rules].sort((a, b) => a.priority - b.priority)) {
    const id = r.to.organizationId;
    if (!id || r.to.serviceId) continue;
    rulesTo.set(id, [...(rulesTo.get(id) ?? []), r]);
  }
  for (const [id, rules] of rulesTo) {
    const o = index.organizationById.get(id);
    if (!o || (index.servicesRunBy.get(id) ?? []).some((s) => s.status !== 'defunct')) continue;
    entries.push({
      ...organizationWindow(o, index), audience: audienceOf(ruleFacts(rules)),
      whenToContact: [...new Set(rules.map((r) => r.publicReason))],
    });
  }

  return AUDIENCES.map((audience) => ({ audience, windows: entries.filter((e) => e.audience === audience) })).filter((g) => g.windows.length > 0);
}
