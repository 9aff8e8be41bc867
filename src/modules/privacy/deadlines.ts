/**
 * Legal deadlines of the person's requests, as pure date arithmetic on Japan
 * dates ('YYYY-MM-DD').
 *
 * 個人情報保護法第83条: a decision on a disclosure request within 30 days of the
 * day it was received; once, for 事務処理上の困難その他正当な理由, extendable by up
 * to 30 days, with the requester told of the new period and the reason. The
 * same 30 + 30 days apply to correction (第94条, 要確認) and suspension of use
 * (第102条). The day of receipt is not counted (民法第140条), so a request
 * received on 1 April is due on 1 May. A city may shorten these by ordinance
 * (法第108条); the periods are therefore parameters with the statutory default.
 * No shift for holidays: 地方自治法第4条の2第4項 moves deadlines of what residents
 * must do, not the city's own (要確認 with the city's 法規担当).
 */
export const DECISION_PERIOD_DAYS = 30;
export const EXTENSION_DAYS = 30;
/** An open request this many days or fewer before its deadline raises an alert. */
export const DUE_SOON_DAYS = 7;

const DAY_MS = 86_400_000;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtc(date: string): number {
  const m = ISO.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3])); // Date.UTC would read years 0–99 as 1900–1999
  const t = d.getTime();
  if (new Date(t).toISOString().slice(0, 10) !== date) throw new Error(`not a date: ${date}`);
  return t;
}

/** The date `days` days after `date` (calendar days, across month ends and leap days). */
export function addDays(date: string, days: number): string {
  return new Date(toUtc(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((toUtc(to) - toUtc(from)) / DAY_MS);
}

/** The decision is due by this date for a request received on `receivedOn`. */
export const decisionDeadline = (receivedOn: string, periodDays = DECISION_PERIOD_DAYS) => addDays(receivedOn, periodDays);

/** The deadline after the one extension allowed. */
export const extendedDeadline = (deadline: string, extensionDays = EXTENSION_DAYS) => addDays(deadline, extensionDays);

export interface DeadlineState {
  /** The deadline in force: the extended one once extended. */
  due: string;
  /** Days from today to the deadline; 0 on the day itself, negative when overdue. */
  daysLeft: number;
  overdue: boolean;
  dueSoon: boolean;
}

/** Where an undecided request stands on `today`. */
export function deadlineState(r: { deadline: string; extendedTo: string | null }, today: string): DeadlineState {
  const due = r.extendedTo ?? r.deadline;
  const daysLeft = daysBetween(today, due);
  return { due, daysLeft, overdue: daysLeft < 0, dueSoon: daysLeft >= 0 && daysLeft <= DUE_SOON_DAYS };
}
