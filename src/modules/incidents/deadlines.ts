import { addDays, closedDay, daysBetween } from '../audit/calendar.ts';
import type { Deadline, IncidentDeadlines, ReportableGround } from './types.ts';

export type { Deadline, IncidentDeadlines, ReportableGround } from './types.ts';

/*
 * 漏えい等の報告期限 — the one place these figures live.
 *
 * 要確認 (to be confirmed by the city's legal section before relying on them):
 * they were written from the 個人情報保護委員会's rules for 行政機関等 as we
 * understand them, and are NOT in /work/shared/DOMAIN.md:
 *
 * - 個人情報保護法第68条第1項: the head of a 行政機関等 reports to the PPC a
 *   漏えい・滅失・毀損 (or a suspected one) that the PPC's rules name;
 *   第2項: and notifies the persons concerned (本人通知).
 * - 施行規則第43条 (which incidents): 要配慮個人情報 involved (第1号), risk of
 *   financial harm from misuse (第2号), suspected 不正の目的 (第3号), more
 *   than 100 persons (第4号); for 地方公共団体 also 条例要配慮個人情報 (第5号,
 *   counted here with 要配慮).
 * - 施行規則第44条: 速報 "promptly" after knowing (第1項) — the PPC guideline
 *   gives 概ね3〜5日 as a guide, so it is shown as a target, not a deadline;
 *   確報 within 30 days of knowing, 60 days for 第43条第3号 (第2項).
 * - Counting: the day of knowing is not counted (民法第140条, 初日不算入), and
 *   the PPC's Q&A moves a last day that falls on a Saturday, Sunday, public
 *   holiday or 年末年始 (12/29–1/3) to the next open day.
 *
 * Every figure is configurable per municipality (PUT /api/privacy/settings,
 * key incidentDeadlines), so a correction needs no code change.
 */
export interface IncidentDeadlineRules {
  /** 速報: the guide's window for "promptly", in days after the day of knowing. */
  preliminaryTargetDays: { from: number; to: number };
  /** 確報: days after the day of knowing. */
  finalDays: number;
  /** 確報 when 不正の目的 is suspected (施行規則第43条第3号). */
  finalDaysUnauthorizedPurpose: number;
  /** More persons than this makes an incident reportable on its own (第43条第4号). */
  reportablePersonsOver: number;
  /** Move a last day on a closed day (土日祝・年末年始) to the next open day. */
  rollOverClosedDays: boolean;
}

export const DEFAULT_INCIDENT_DEADLINE_RULES: IncidentDeadlineRules = {
  preliminaryTargetDays: { from: 3, to: 5 },
  finalDays: 30,
  finalDaysUnauthorizedPurpose: 60,
  reportablePersonsOver: 100,
  rollOverClosedDays: true,
};

export interface IncidentFacts {
  /** The day the city knew of it, in Japan time ('YYYY-MM-DD'). */
  discoveredOn: string;
  sensitiveData: boolean;
  financialHarmRisk: boolean;
  unauthorizedPurpose: boolean;
  /** The number of persons affected (the larger of the stated count and those identified). */
  persons: number;
}

/** Which grounds of 施行規則第43条 an incident meets. */
export function reportableGrounds(f: IncidentFacts, rules: IncidentDeadlineRules): ReportableGround[] {
  const grounds: ReportableGround[] = [];
  if (f.sensitiveData) grounds.push('sensitive_data');
  if (f.financialHarmRisk) grounds.push('financial_harm_risk');
  if (f.unauthorizedPurpose) grounds.push('unauthorized_purpose');
  if (f.persons > rules.reportablePersonsOver) grounds.push('many_persons');
  return grounds;
}

/** The last day of a period of `days` counted from the day after `start`, rolled over closed days when the rules say so. */
export function lastDayOf(start: string, days: number, rules: Pick<IncidentDeadlineRules, 'rollOverClosedDays'>): string {
  let due = addDays(start, days);
  if (rules.rollOverClosedDays) while (closedDay(due, { yearEnd: true })) due = addDays(due, 1);
  return due;
}

/**
 * The reporting deadlines of an incident as of `today` (Japan date), given the
 * reports already made (the earliest of each kind counts).
 */
export function incidentDeadlines(
  f: IncidentFacts, reports: { kind: 'preliminary' | 'final'; reportedOn: string }[], today: string, rules: IncidentDeadlineRules,
): IncidentDeadlines {
  const grounds = reportableGrounds(f, rules);
  if (grounds.length === 0) return { reportable: false, grounds, deadlines: [] };
  const reportedOn = (kind: Deadline['kind']) => reports.filter((r) => r.kind === kind).map((r) => r.reportedOn).sort()[0] ?? null;
  const make = (kind: Deadline['kind'], target: boolean, from: string | null, due: string): Deadline => {
    const done = reportedOn(kind);
    return {
      kind, target, from, due, reportedOn: done,
      daysLeft: done ? null : daysBetween(today, due),
      overdue: done ? done > due : today > due,
    };
  };
  const finalDays = f.unauthorizedPurpose ? rules.finalDaysUnauthorizedPurpose : rules.finalDays;
  return {
    reportable: true,
    grounds,
    deadlines: [
      make('preliminary', true, addDays(f.discoveredOn, rules.preliminaryTargetDays.from), addDays(f.discoveredOn, rules.preliminaryTargetDays.to)),
      make('final', false, null, lastDayOf(f.discoveredOn, finalDays, rules)),
    ],
  };
}
