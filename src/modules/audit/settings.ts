import type { Db } from '../../db/index.ts';
import { badRequest, type FieldError } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { DEFAULT_INCIDENT_DEADLINE_RULES, type IncidentDeadlineRules } from '../incidents/deadlines.ts';
import { recordAudit } from './service.ts';

/**
 * What the audit review counts as bulk and as out of hours. A city sets its
 * own (its office hours, what is normal for its desks); these are only the
 * demo's defaults: 8:30–17:15 is the common municipal working day.
 */
export interface ReviewSettings {
  /** 'HH:MM', Japan time. */
  workdayStart: string;
  workdayEnd: string;
  /** Count 12/29–1/3 (年末年始) as closed days. */
  yearEndClosure: boolean;
  /** A user's read, list and search events in one day above this are a bulk read. */
  bulkEventsPerDay: number;
  /** A user's records returned in one day (list sizes summed) above this are a bulk read. */
  bulkRecordsPerDay: number;
}

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  workdayStart: '08:30',
  workdayEnd: '17:15',
  yearEndClosure: true,
  bulkEventsPerDay: 200,
  bulkRecordsPerDay: 1000,
};

export interface PrivacySettings {
  review: ReviewSettings;
  incidentDeadlines: IncidentDeadlineRules;
}

export interface PrivacySettingsInput {
  review?: Partial<ReviewSettings>;
  incidentDeadlines?: Partial<IncidentDeadlineRules>;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function merge(stored: PrivacySettingsInput | undefined): PrivacySettings {
  return {
    review: { ...DEFAULT_REVIEW_SETTINGS, ...stored?.review },
    incidentDeadlines: {
      ...DEFAULT_INCIDENT_DEADLINE_RULES, ...stored?.incidentDeadlines,
      preliminaryTargetDays: { ...DEFAULT_INCIDENT_DEADLINE_RULES.preliminaryTargetDays, ...stored?.incidentDeadlines?.preliminaryTargetDays },
    },
  };
}

/** The municipality's settings: its own where set, the defaults elsewhere. */
export async function getPrivacySettings(db: Db, municipalityId: string): Promise<PrivacySettings> {
  const { rows } = await db.query<{ settings: PrivacySettingsInput }>('SELECT settings FROM privacy_setting WHERE municipality_id = $1', [municipalityId]);
  return merge(rows[0]?.settings);
}

function check(s: PrivacySettings): FieldError[] {
  const fields: FieldError[] = [];
  const r = s.review;
  if (!TIME.test(r.workdayStart)) fields.push({ field: 'review.workdayStart', message: 'Use the form HH:MM.' });
  if (!TIME.test(r.workdayEnd)) fields.push({ field: 'review.workdayEnd', message: 'Use the form HH:MM.' });
  if (TIME.test(r.workdayStart) && TIME.test(r.workdayEnd) && minutesOf(r.workdayStart) >= minutesOf(r.workdayEnd))
    fields.push({ field: 'review.workdayEnd', message: 'The working day must end after it starts.' });
  const d = s.incidentDeadlines;
  if (d.preliminaryTargetDays.from > d.preliminaryTargetDays.to)
    fields.push({ field: 'incidentDeadlines.preliminaryTargetDays', message: 'The first day of the window must not come after its last.' });
  if (d.finalDaysUnauthorizedPurpose < d.finalDays)
    fields.push({ field: 'incidentDeadlines.finalDaysUnauthorizedPurpose', message: 'This period must not be shorter than the ordinary one.' });
  return fields;
}

/** Stores the municipality's settings (only the keys given change); audited with the old and new values. */
export async function setPrivacySettings({ db, clock }: Deps, actor: Actor, input: PrivacySettingsInput): Promise<PrivacySettings> {
  const mid = actor.municipalityId!;
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ settings: PrivacySettingsInput }>('SELECT settings FROM privacy_setting WHERE municipality_id = $1 FOR UPDATE', [mid]);
    const before = rows[0]?.settings ?? {};
    const stored: PrivacySettingsInput = {
      review: { ...before.review, ...input.review },
      incidentDeadlines: {
        ...before.incidentDeadlines, ...input.incidentDeadlines,
        ...(input.incidentDeadlines?.preliminaryTargetDays || before.incidentDeadlines?.preliminaryTargetDays
          ? { preliminaryTargetDays: { ...DEFAULT_INCIDENT_DEADLINE_RULES.preliminaryTargetDays, ...before.incidentDeadlines?.preliminaryTargetDays, ...input.incidentDeadlines?.preliminaryTargetDays } }
          : {}),
      },
    };
    const merged = merge(stored);
    const fields = check(merged);
    if (fields.length) throw badRequest('The settings could not be saved.', fields);
    await tx.query(
      `INSERT INTO privacy_setting (municipality_id, settings, updated_at, updated_by) VALUES ($1, $2, $3, $4)
       ON CONFLICT (municipality_id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [mid, JSON.stringify(stored), clock.now(), actor.userId]);
    await recordAudit(tx, clock, actor, { action: 'privacy.settings', reason: 'review and incident settings changed', details: { before, after: stored } });
    return merged;
  });
}
