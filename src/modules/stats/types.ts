/**
 * The figures' API shapes (routes.ts), declared once for the server and the
 * web app (web/src/stats/api.ts reads them through Wire). Types and plain
 * data only: the web bundle imports this file as it is.
 */
/** A count in the figures: a number, or "<3" where a small count is suppressed for publication. */
export type Count = number | string;

export interface Period {
  /** First and last calendar day (Japan dates), inclusive. */
  from: string;
  to: string;
  /** Set when the period is exactly one fiscal year. */
  fiscalYear: number | null;
  label: string;
  labelEn: string;
}

/** A labelled count; `count` is a string only in figures for publication ("<3"). */
export interface Row {
  key: string;
  label: string;
  labelEn: string;
  count: Count;
}

export interface Funnel {
  sent: number;
  accepted: number;
  firstContact: number;
  completed: number;
  declined: number;
  returned: number;
}

/**
 * What the programs did in the period (the programs issue's figures):
 * outreach, participation and work, events and drop-in places, as labelled
 * rows per program kind, counted by each program's own figures function.
 * Municipality-wide counts: only viewers who count the whole municipality get them.
 */
export interface ProgramActivity {
  outreach: Row[];
  work: Row[];
  events: Row[];
}

export type View = 'internal' | 'publication';

export interface Ref {
  id: string;
  name: string;
  nameEn: string;
}

export interface MeetingFigures {
  sessionsHeld: Count;
  casesReviewed: Count;
  decisions: Count;
  actionItemsDue: Count;
  actionItemsDoneOnTime: Count;
}

export interface ReferralOrgFigures {
  organization: Ref;
  sent: Count; accepted: Count; firstContact: Count; completed: Count; declined: Count; returned: Count;
  medianDaysToAcceptance: number | null;
  medianDaysToFirstContact: number | null;
}

export interface Figures {
  municipality: { id: string; name: string };
  period: Period;
  previousPeriod: Period;
  scope: { kind: 'municipality' | 'organization'; organization: Ref | null };
  view: View;
  /** In publication: counts from 1 to this minus one are shown as "<N". */
  suppressBelow: number | null;
  /** In publication: whether some counts are shown as SECONDARY ("—"), hidden so that no small count can be worked out from a total. */
  secondarySuppression: boolean;
  consultations: {
    total: Count;
    byDoor: Row[]; byChannel: Row[]; byRelation: Row[]; byAgeBand: Row[]; byIssue: Row[]; byArea: Row[]; byMonth: Row[];
    /** Tags of 要配慮 left out for a user without the grant. */
    sensitiveIssuesHidden: boolean;
  };
  /** plans: first plans and re-plans together (in publication it may be hidden where the two are not). */
  cases: { opened: Count; plansInitial: Count; plansRevised: Count; plans: Count; closed: Count; closuresByReason: Row[]; openedByMonth: Row[] };
  referrals: {
    funnel: { [K in keyof Funnel]: Count };
    bySender: Row[]; byReceiver: Row[]; byMonth: Row[];
    flows: { from: Ref; to: Ref; count: Count }[];
    perOrganization: ReferralOrgFigures[];
  };
  meetings: MeetingFigures;
  programs: { program: Ref; referrals: Count }[];
  /** What the programs did (outreach, participation and work, events, drop-in places): for those who count the whole municipality. */
  programActivity: ProgramActivity | null;
  /** Per 100,000 population per month (the national survey's unit, DOMAIN.md §2), when the profile gives the population. */
  rates: { population: number; months: number; consultationsPer100kPerMonth: number; plansPer100kPerMonth: number } | null;
  previous: { consultations: Count; casesOpened: Count; plans: Count; closed: Count; referralsSent: Count; consultationsByMonth: Row[] };
}

export interface YearTotals {
  fiscalYear: number;
  label: string;
  labelEn: string;
  consultations: Count;
  casesOpened: Count;
  plans: Count;
  closed: Count;
  referralsSent: Count;
}

export interface Years {
  /** Fiscal years with records, from the first to the current one, newest first (for the switcher). */
  available: { fiscalYear: number; label: string; labelEn: string }[];
  /** Totals of the last `count` fiscal years up to `until`, oldest first. */
  totals: YearTotals[];
}

export type FindingKind = 'quiet_door' | 'overdue_referrals' | 'no_contact' | 'program_without_referrals';

export interface Finding {
  kind: FindingKind;
  organization: Ref | null;
  program: Ref | null;
  count: number;
  /** quiet_door: when the last consultation came through this door (before the period ended), if ever. */
  lastAt: Date | null;
  /** no_contact: the number of days. */
  days: number | null;
  /** Where the records it counts are listed (a page of the web app). */
  link: string;
}

export interface Health {
  period: Period;
  asOf: string;
  noContactDays: number;
  findings: Finding[];
}

export const DRILL_FIGURES = ['consultations', 'cases_opened', 'plans', 'closures', 'referrals', 'overdue_referrals', 'no_contact', 'reviewed_cases'] as const;

export type DrillFigure = (typeof DRILL_FIGURES)[number];

export interface DrillRecord {
  type: 'consultation' | 'case' | 'referral' | 'plan';
  id: string;
  reference: string;
  at: Date;
  organization: Ref | null;
  status: string | null;
  caseId: string | null;
  /** The record's page in the web app. */
  link: string;
}

export interface Drill {
  figure: DrillFigure;
  by: string | null;
  key: string | null;
  period: Period | null;
  /** How many records match and the user may open; `items` holds the first `limit` of them. */
  total: number;
  items: DrillRecord[];
}
