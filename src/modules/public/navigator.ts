import { badRequest } from '../../errors.ts';
import { SCHOOL_STAGES, codes } from '../network/vocabulary.ts';
import { compileRules } from '../routing/evaluate.ts';
import type { RoutingIntake, RoutingRule } from '../routing/types.ts';
import { AGE_BANDS, type MunicipalitySnapshot, type PublicPartnerGroup, type PublicRule } from './crossing.ts';
import { upcomingSessions, type UpcomingSession } from './sessions.ts';
import { indexWindows, windowOf, type PublicWindow } from './windows.ts';

/**
 * 相談先ナビ: a resident answers a few questions and is shown the windows the
 * city's routing rules lead to, each with the rules' public reasons — the
 * same rules and the same evaluator as staff intake, run here on the public
 * snapshot, so that it also works on the public side running apart.
 *
 * Nothing of the answers is kept: this is a pure function of the answers and
 * the snapshot; the route writes nothing and logs nothing of the body.
 */

/** About whom the resident asks, in the words of the page. */
export const NAVIGATOR_ABOUT = ['self', 'child', 'parent', 'other_family', 'neighbour', 'welfare_commissioner'] as const;
export type NavigatorAbout = (typeof NAVIGATOR_ABOUT)[number];

/** 相談者 (consulterRelation) of the routing intake for each answer. */
const CONSULTER: Record<NavigatorAbout, string> = {
  self: 'self', child: 'family', parent: 'family', other_family: 'family', neighbour: 'neighbour', welfare_commissioner: 'welfare_commissioner',
};

/**
 * What is hard, in plain words, and the one issue tag each stands for. One
 * tag per choice, so the number of distinct issues the compound-needs rule
 * counts is the number of things the resident ticked.
 */
export const NAVIGATOR_WORRIES = {
  staying_home: 'hikikomori',
  school: 'school_non_attendance',
  mental_health: 'mental_health',
  health: 'health',
  money: 'poverty',
  debt: 'household_budget',
  food: 'food',
  work: 'employment',
  caring: 'elderly_care',
  housing: 'housing',
  family: 'family_relations',
  child_rearing: 'child_rearing',
} as const;
export type NavigatorWorry = keyof typeof NAVIGATOR_WORRIES;

export const NAVIGATOR_SCHOOL_STAGES = codes(SCHOOL_STAGES);
export const GOING_OUT = ['yes', 'no'] as const;

export interface NavigatorAnswers {
  about: NavigatorAbout;
  age?: number | null;
  ageBand?: (typeof AGE_BANDS)[number] | null;
  schoolStage?: string | null;
  worries: NavigatorWorry[];
  /** Can the person go out to a window? 'no' asks for the rules meant for people who cannot (home visits). */
  canGoOut?: (typeof GOING_OUT)[number] | null;
  area?: string | null;
}

export interface NavigatorReason {
  ruleId: string;
  /** The reason residents may read, as the city wrote it. */
  text: string;
  /** Which of the answers made the rule apply, in Japanese and English. */
  because: { ja: string; en: string }[];
}

export interface NavigatorWindow extends PublicWindow {
  reasons: NavigatorReason[];
  /** The next events and drop-in opening days of the window's organisation (from the directory's schedules). */
  upcoming: UpcomingSession[];
}

/** A question left unanswered whose answer could change the windows shown. */
export type NavigatorQuestion = 'age' | 'schoolStage' | 'area' | 'canGoOut';

export interface NavigatorAnswer {
  windows: NavigatorWindow[];
  couldAsk: NavigatorQuestion[];
  /**
   * The prefecture's partner groups (連携団体) serving the municipality whose
   * ages fit the answer (all of them when the age is not given), shown beside
   * the municipality's own windows and labelled as the prefecture's.
   */
  partnerGroups: PublicPartnerGroup[];
}

/** 50s → [50, 59]; 80plus → [80, 130]. */
function bandRange(band: (typeof AGE_BANDS)[number]): [number, number] {
  if (band === '80plus') return [80, 130];
  const lo = Number(band.slice(0, -1));
  return [lo, lo + 9];
}

/** The routing intake the answers describe. What the resident did not say stays unknown, never guessed. */
export function intakeOf(a: NavigatorAnswers): RoutingIntake {
  return {
    age: a.age ?? null,
    ageBand: a.age == null && a.ageBand ? bandRange(a.ageBand) : null,
    schoolStage: a.schoolStage ?? null,
    issueTags: a.worries.map((w) => NAVIGATOR_WORRIES[w]),
    area: a.area ?? null,
    consulterRelation: CONSULTER[a.about],
    cannotVisit: a.canGoOut == null ? null : a.canGoOut === 'no',
  };
}

/** The public rules as the evaluator takes them; their reason is the public one, the only one published. */
function asRoutingRules(rules: readonly PublicRule[]): RoutingRule[] {
  return rules.map((r) => ({
    id: r.id, priority: r.priority, when: r.when,
    to: { organization: r.to.organizationId, program: r.to.serviceId },
    reason: r.publicReason, publicReason: r.publicReason,
  }));
}

const QUESTION_OF: Partial<Record<string, NavigatorQuestion>> = {
  ageMin: 'age', ageMax: 'age', schoolStages: 'schoolStage', areas: 'area', cannotVisit: 'canGoOut',
};

/** Checks what the schema cannot: the area is one of the municipality's, and age and band are not both given. */
export function checkAnswers(a: NavigatorAnswers, snapshot: Pick<MunicipalitySnapshot, 'areas'>): void {
  const fields: { field: string; message: string }[] = [];
  if (a.age != null && a.ageBand != null) fields.push({ field: 'ageBand', message: 'Give either the age or an age band, not both.' });
  if (a.area != null && !(snapshot.areas ?? []).some((x) => x.key === a.area))
    fields.push({ field: 'area', message: 'Choose one of the areas of this municipality, or leave the area out.' });
  if (fields.length) throw badRequest(fields[0].message, fields);
}

/**
 * The windows for the answers: every rule that applies, in the rules' order,
 * rules leading to the same window merged, each with its public reasons.
 */
export function navigate(a: NavigatorAnswers, snapshot: Pick<MunicipalitySnapshot, 'directory' | 'rules' | 'areas' | 'partnerGroups'>, today: string): NavigatorAnswer {
  checkAnswers(a, snapshot);
  const areas = (snapshot.areas ?? []).map((x) => ({ code: x.key, ja: x.name, en: x.name }));
  const result = compileRules(asRoutingRules(snapshot.rules), { areas }).evaluate(intakeOf(a));
  const index = indexWindows(snapshot);

  const windows = new Map<string, NavigatorWindow>();
  for (const s of result.suggestions) {
    const to = { serviceId: s.to.program, organizationId: s.to.organization };
    const key = to.serviceId ?? to.organizationId;
    if (!key) continue;
    let w = windows.get(key);
    if (!w) {
      const window = windowOf(to, index);
      if (!window) continue;
      w = { ...window, reasons: [], upcoming: upcomingSessions(window, index, today) };
      windows.set(key, w);
    }
    w.reasons.push({ ruleId: s.ruleKey, text: s.publicReason ?? s.reason, because: s.matched.map(({ ja, en }) => ({ ja, en })) });
  }

  // An unanswered question matters when a rule that something the resident
  // said already fits would apply if its answer fitted too, and only when the
  // resident can answer everything that rule still needs (not, say, how many
  // organisations are involved).
  const couldAsk = new Set<NavigatorQuestion>();
  for (const u of result.undecided) {
    const questions = u.needs.map((n) => QUESTION_OF[n.condition]);
    if (u.matched.length > 0 && questions.every((q) => q !== undefined)) questions.forEach((q) => couldAsk.add(q!));
  }
  const order: NavigatorQuestion[] = ['age', 'schoolStage', 'area', 'canGoOut'];
  return { windows: [...windows.values()], couldAsk: order.filter((q) => couldAsk.has(q)), partnerGroups: partnersFor(a, snapshot.partnerGroups ?? []) };
}

/** Partner groups whose ages meet the person's age (or age band); with no age given, every one. */
export function partnersFor(a: Pick<NavigatorAnswers, 'age' | 'ageBand'>, groups: readonly PublicPartnerGroup[]): PublicPartnerGroup[] {
  const [lo, hi] = a.age != null ? [a.age, a.age] : a.ageBand ? bandRange(a.ageBand) : [null, null];
  if (lo === null || hi === null) return [...groups];
  return groups.filter((g) => (g.ageMin ?? 0) <= hi && lo <= (g.ageMax ?? 130));
}
