/**
 * 緊急時の閲覧 (break-the-glass) and the in-app alerts, as the pages read
 * them. Pure apart from the storage passed in: tested with tables and a fake
 * storage.
 */
import type * as Server from '../../../src/modules/cases/types.ts';
import type { Wire } from '../../../src/lib/wire.ts';
import { formatDate } from './dates.ts';

/** A use as GET /api/break-glass and POST /api/break-glass answer it (src/modules/cases/breakGlassRoutes.ts). */
export type BreakGlassUse = Wire<Server.BreakGlassUse>;

/** A page of the review list, with the totals over every page. */
export interface BreakGlassUsePage {
  items: BreakGlassUse[];
  nextCursor: string | null;
  total: number;
  openReviews: number;
}

/** The server's minimum (src/modules/cases/breakGlass.ts), counted the same way. */
export const MIN_REASON_LENGTH = 10;
export const MAX_REASON_LENGTH = 1000;

export type EmergencyFormErrors = Partial<Record<'caseReference' | 'reason', 'required' | 'tooShort'>>;

/** The emergency form's own checks, before anything is sent. */
export function checkEmergencyForm(input: { caseReference: string; reason: string }): EmergencyFormErrors {
  const errors: EmergencyFormErrors = {};
  if (!input.caseReference.trim()) errors.caseReference = 'required';
  const reason = input.reason.trim();
  if (!reason) errors.reason = 'required';
  else if (reason.length < MIN_REASON_LENGTH) errors.reason = 'tooShort';
  return errors;
}

/** Where a use stands: still open, ended by its user, or closed by the time limit. */
export type UseState = 'active' | 'ended' | 'timeLimit';

export function stateOfUse(use: Pick<BreakGlassUse, 'expiresAt' | 'endedAt'>, now: Date): UseState {
  const expires = Date.parse(use.expiresAt);
  if (use.endedAt === null) return expires > now.getTime() ? 'active' : 'timeLimit';
  // The server ends a use at LEAST(now, expiresAt): an end at the limit is the time limit's.
  return Date.parse(use.endedAt) >= expires ? 'timeLimit' : 'ended';
}

// Japan has kept UTC+9 all year since 1951.
const JAPAN_OFFSET_MS = 9 * 3_600_000;

/**
 * Until when, for the banner: the time of day in Japan time (「14時05分」,
 * "14:05"), with the date in front when it is not today in Japan.
 */
export function untilText(expiresAt: string, now: Date, language: string): string {
  const at = new Date(Date.parse(expiresAt) + JAPAN_OFFSET_MS).toISOString();
  const today = new Date(now.getTime() + JAPAN_OFFSET_MS).toISOString().slice(0, 10);
  const [hours, minutes] = [at.slice(11, 13), at.slice(14, 16)];
  const japanese = language === 'ja' || language.startsWith('ja-');
  const time = japanese ? `${Number(hours)}時${minutes}分` : `${hours}:${minutes}`;
  if (at.slice(0, 10) === today) return time;
  const date = formatDate(at.slice(0, 10), language);
  return japanese ? `${date}${time}` : `${date}, ${time}`;
}

/** The part of the Web Storage API used here. */
export interface UseStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * What this tab remembers of a use it started, so the case page can say that
 * the case is open through 緊急時の閲覧 and end it: only the use's id and its
 * time limit, per user and case (never anything about the person).
 */
export interface RememberedUse {
  id: string;
  expiresAt: string;
}

const key = (userId: string, caseId: string) => `tsunagu.breakGlass:${userId}:${caseId}`;

export function rememberUse(storage: UseStorage | null, userId: string, use: Pick<BreakGlassUse, 'id' | 'caseId' | 'expiresAt'>): void {
  try {
    storage?.setItem(key(userId, use.caseId), JSON.stringify({ id: use.id, expiresAt: use.expiresAt } satisfies RememberedUse));
  } catch {
    // Storage full or blocked: the case still opens; the banner cannot be shown.
  }
}

/** The remembered use of this case while its time lasts; one past its limit is forgotten. */
export function rememberedUse(storage: UseStorage | null, userId: string, caseId: string, now: Date): RememberedUse | null {
  const text = storage?.getItem(key(userId, caseId));
  if (!text) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const use = value as Partial<RememberedUse> | null;
  if (!use || typeof use.id !== 'string' || typeof use.expiresAt !== 'string' || !(Date.parse(use.expiresAt) > now.getTime())) {
    storage?.removeItem(key(userId, caseId));
    return null;
  }
  return { id: use.id, expiresAt: use.expiresAt };
}

export function forgetUse(storage: UseStorage | null, userId: string, caseId: string): void {
  storage?.removeItem(key(userId, caseId));
}

/** How often the header asks for the unread count. */
export const ALERT_POLL_MS = 60_000;
/** A navigation asks again only when the last answer is older than this. */
export const ALERT_NAVIGATION_MS = 15_000;

/**
 * Whether the header asks for the unread count now. A timer tick asks only
 * when the tab is visible and the user did something since the last answer:
 * the server counts every request as activity, so a tab left open must not
 * keep a shared desk PC's session alive past its idle time-out.
 */
export function shouldAskForAlerts(reason: 'tick' | 'navigation', s: { now: number; lastAsked: number | null; lastActivity: number; visible: boolean }): boolean {
  if (s.lastAsked === null) return true;
  if (reason === 'navigation') return s.now - s.lastAsked >= ALERT_NAVIGATION_MS;
  return s.visible && s.lastActivity > s.lastAsked && s.now - s.lastAsked >= ALERT_POLL_MS;
}

/**
 * Where an alert leads: a break-the-glass use to the review page, a change of
 * a 要配慮 grant to the users page, an incident or a request's deadline to its
 * register; null when it is only to read.
 */
export function alertLink(alert: { kind: string; entityType: string | null }): string | null {
  if (alert.entityType === 'break_glass') return '/break-glass';
  if (alert.entityType === 'app_user') return '/users';
  if (alert.kind === 'privacy_incident') return '/incidents';
  if (alert.kind.startsWith('privacy_request_')) return '/privacy/requests';
  // 支援者交流会・研修: the centre is asked to tell partner groups; a municipality's staff are invited or told of a cancellation
  if (alert.kind === 'supporter_meeting_partners_to_tell') return '/prefecture/supporter-meetings';
  if (alert.entityType === 'supporter_meeting') return '/supporter-meetings';
  return null;
}
