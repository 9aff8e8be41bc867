import type { Db } from '../../db/index.ts';
import { AppError } from '../../errors.ts';

/**
 * 利用停止 (個人情報保護法第98条・第100条): while a suspension of use is in force
 * for a person, their record is not used for anything new: no new case is
 * opened for them, no case of theirs is referred on, and no consent-based
 * share is recorded. The cases and referrals services call these before such
 * a change. Reading what is already held stays possible for the lead
 * organisation (and the hub) as the legal minimum — to answer the person, to
 * keep records the law requires, and to act where life or safety is at stake —
 * so the suspension does not hide the case; lifting it is a recorded decision
 * of the privacy officer (privacy/service.ts liftSuspension).
 *
 * Merged duplicates count as one person: a suspension on either blocks both.
 */
export const SUSPENDED_MESSAGE =
  "This person's record is under 利用停止 (suspension of use): it may not be used for new cases, referrals or shares. Ask your municipality's privacy officer (保護管理者).";

/** The persons that are one person with `personId`: the one kept and every duplicate merged into it. */
const SAME_PERSON = `WITH RECURSIVE up AS (
    SELECT id, merged_into_id FROM person WHERE municipality_id = $1 AND id = $2
    UNION ALL SELECT p.id, p.merged_into_id FROM person p JOIN up ON p.municipality_id = $1 AND p.id = up.merged_into_id
  ), root AS (SELECT id FROM up WHERE merged_into_id IS NULL),
  down AS (
    SELECT id FROM root
    UNION ALL SELECT p.id FROM person p JOIN down ON p.municipality_id = $1 AND p.merged_into_id = down.id
  )`;

/** Whether a suspension of use is in force for the person (or one merged with them). */
export async function isSuspended(db: Db, municipalityId: string, personId: string): Promise<boolean> {
  const { rows } = await db.query(
    `${SAME_PERSON} SELECT 1 FROM use_suspension s WHERE s.municipality_id = $1 AND s.lifted_at IS NULL AND s.person_id IN (SELECT id FROM down UNION SELECT $2::uuid) LIMIT 1`,
    [municipalityId, personId],
  );
  return rows.length > 0;
}

/** Refuses (409 use_suspended) when the person's record is under 利用停止. */
export async function assertUsable(db: Db, municipalityId: string, personId: string): Promise<void> {
  if (await isSuspended(db, municipalityId, personId)) throw new AppError('use_suspended', 409, SUSPENDED_MESSAGE);
}

/** The same check for the person of a case. */
export async function assertCaseUsable(db: Db, municipalityId: string, caseId: string): Promise<void> {
  const { rows } = await db.query<{ person_id: string }>('SELECT person_id FROM support_case WHERE municipality_id = $1 AND id = $2', [municipalityId, caseId]);
  if (rows[0]) await assertUsable(db, municipalityId, rows[0].person_id);
}
