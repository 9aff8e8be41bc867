import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { systemActor } from '../../lib/context.ts';
import { decodeKeyset, keysetPage, type Page, type PageParams } from '../../lib/pagination.ts';
import { recordAudit } from '../audit/service.ts';
import { enqueueMessage } from '../notifications/service.ts';
import { caseAccess } from './service.ts';
import type { BreakGlassUse } from './types.ts';

/**
 * Break-the-glass (緊急時の閲覧): read-only access to one case for a set time,
 * after step-up (checked by the route) and with a reason. Start and end are
 * audited (`break_glass.start` / `break_glass.end`, details.breakGlassId), the
 * privacy officers are alerted at once, and the use stays an open review item
 * until one of them closes it with a finding (`break_glass.review_close`).
 */

export type { BreakGlassUse } from './types.ts';

const REASON_TOO_SHORT = { field: 'reason', message: 'Write the reason (at least 10 characters).' };

export async function startBreakGlass({ db, clock }: Deps, actor: Actor, caseId: string, input: { reason: string; minutes: number }): Promise<BreakGlassUse> {
  const mid = actor.municipalityId!;
  const reason = input.reason.trim();
  if (reason.length < 10) throw badRequest('Say why this emergency needs the case.', [REASON_TOO_SHORT]);
  const { rows } = await db.query<{ reference: string }>('SELECT reference FROM support_case WHERE municipality_id = $1 AND id = $2', [mid, caseId]);
  if (!rows[0]) throw notFound('case');
  if ((await caseAccess({ db, clock }, actor, caseId)) === 'full') throw conflict('You already see this case in full; no emergency access is needed.');
  const id = randomUUID();
  const now = clock.now();
  await db.transaction(async (tx) => {
    await tx.query('UPDATE break_glass SET ended_at = $4 WHERE municipality_id = $1 AND user_id = $2 AND case_id = $3 AND ended_at IS NULL', [mid, actor.userId, caseId, now]);
    await tx.query(
      `INSERT INTO break_glass (municipality_id, id, case_id, user_id, organization_id, reason, started_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [mid, id, caseId, actor.userId, actor.organizationId, reason, now, new Date(now.getTime() + input.minutes * 60_000)],
    );
    await recordAudit(tx, clock, actor, { action: 'break_glass.start', entityType: 'support_case', entityId: caseId, reason, details: { breakGlassId: id, minutes: input.minutes } });
    await enqueueMessage(tx, clock, {
      municipalityId: mid, kind: 'break_glass', toRole: 'privacy_officer', entityType: 'break_glass', entityId: id,
      subject: '緊急時の閲覧（ブレイクグラス）が行われました',
      body: `${actor.login} がケース ${rows[0].reference} を緊急時の閲覧で開きました（${input.minutes}分間）。理由と閲覧内容を確認し、所見を記録してください。`,
    });
  });
  return getBreakGlassUse(db, mid, id);
}

/**
 * A case number as staff type it (全角, lower case, spaces, a dash from the
 * IME) in the stored form: 'ｃ２０２６－０００４２' → 'C2026-00042'.
 */
export function normalizeCaseReference(text: string): string {
  return text.normalize('NFKC').replace(/[\u2010-\u2015\u2212\u30fc]/g, '-').replace(/\s+/g, '').toUpperCase();
}

/**
 * Break-the-glass by case number (ケース番号), as staff know an emergency case.
 * An unknown number answers as an unknown case does, so neither says whether
 * a case exists.
 */
export async function startBreakGlassByReference(deps: Deps, actor: Actor, caseReference: string, input: { reason: string; minutes: number }): Promise<BreakGlassUse> {
  const reference = normalizeCaseReference(caseReference);
  const fields = [
    ...(reference ? [] : [{ field: 'caseReference', message: 'Write the case number (ケース番号).' }]),
    ...(input.reason.trim().length < 10 ? [REASON_TOO_SHORT] : []),
  ];
  if (fields.length > 0) throw badRequest('Give the case number and why this emergency needs the case.', fields);
  const { rows } = await deps.db.query<{ id: string }>('SELECT id FROM support_case WHERE municipality_id = $1 AND reference = $2', [actor.municipalityId, reference]);
  if (!rows[0]) throw notFound('case');
  return startBreakGlass(deps, actor, rows[0].id, input);
}

/** The active grant of this user on this case, if any: reads then see the case in full. */
export async function activeBreakGlass(db: Db, actor: Actor, caseId: string, now: Date): Promise<string | null> {
  if (!actor.userId) return null;
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM break_glass WHERE municipality_id = $1 AND user_id = $2 AND case_id = $3 AND ended_at IS NULL AND expires_at > $4',
    [actor.municipalityId, actor.userId, caseId, now],
  );
  return rows[0]?.id ?? null;
}

/** The active grant of this user on a case of this person: the person's details open with the case. */
export async function activeBreakGlassForPerson(db: Db, actor: Actor, personId: string, now: Date): Promise<string | null> {
  if (!actor.userId) return null;
  const { rows } = await db.query<{ id: string }>(
    `SELECT b.id FROM break_glass b JOIN support_case c ON c.municipality_id = b.municipality_id AND c.id = b.case_id
     WHERE b.municipality_id = $1 AND b.user_id = $2 AND c.person_id = $3 AND b.ended_at IS NULL AND b.expires_at > $4 LIMIT 1`,
    [actor.municipalityId, actor.userId, personId, now],
  );
  return rows[0]?.id ?? null;
}

/** Ends a use early (by its user) or at its expiry (by the job); records the end once. */
export async function endBreakGlass({ db, clock }: Deps, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ case_id: string; expires_at: Date }>(
      `UPDATE break_glass SET ended_at = LEAST($3::timestamptz, expires_at) WHERE municipality_id = $1 AND id = $2 AND ended_at IS NULL AND ($4::uuid IS NULL OR user_id = $4)
       RETURNING case_id, expires_at`,
      [actor.municipalityId, id, clock.now(), actor.userId],
    );
    if (!rows[0]) throw notFound('active emergency access');
    await recordAudit(tx, clock, actor, {
      action: 'break_glass.end', entityType: 'support_case', entityId: rows[0].case_id, reason: actor.userId ? 'ended by the user' : 'time limit reached', details: { breakGlassId: id },
    });
  });
}

/** Ends every use past its time limit; run by the scheduler. */
export async function endExpiredBreakGlass(deps: Deps): Promise<number> {
  const { rows } = await deps.db.query<{ municipality_id: string; id: string; user_id: string }>(
    'SELECT municipality_id, id, user_id FROM break_glass WHERE ended_at IS NULL AND expires_at <= $1', [deps.clock.now()]);
  for (const r of rows) {
    const { rows: u } = await deps.db.query<{ login: string }>('SELECT login FROM app_user WHERE id = $1', [r.user_id]);
    await endBreakGlass(deps, { ...systemActor('break-glass-expiry'), municipalityId: r.municipality_id, userId: null, login: `system:expiry (${u[0]?.login})` }, r.id);
  }
  return rows.length;
}

const USE_COLUMNS = `b.id, b.case_id AS "caseId", c.reference AS "caseReference", json_build_object('id', u.id, 'login', u.login, 'displayName', u.display_name) AS user,
       b.organization_id AS "organizationId", b.reason, b.started_at AS "startedAt", b.expires_at AS "expiresAt", b.ended_at AS "endedAt",
       b.review_finding AS "reviewFinding", b.reviewed_at AS "reviewedAt"
  FROM break_glass b JOIN support_case c ON c.municipality_id = b.municipality_id AND c.id = b.case_id JOIN app_user u ON u.id = b.user_id`;

async function getBreakGlassUse(db: Db, municipalityId: string, id: string): Promise<BreakGlassUse> {
  const { rows } = await db.query<BreakGlassUse>(`SELECT ${USE_COLUMNS} WHERE b.municipality_id = $1 AND b.id = $2`, [municipalityId, id]);
  return rows[0]!;
}

export interface BreakGlassQuery extends PageParams {
  openReview?: boolean;
  userId?: string;
}

/** The review list's order: still to review first, then the newest first. */
const USE_KEY = ['bool', 'timestamp', 'uuid'] as const;

/**
 * Uses still to review first, then the newest first, a page at a time; the
 * totals (all uses, those still to review) count every page.
 */
export async function listBreakGlass(db: Db, municipalityId: string, q: BreakGlassQuery = {}): Promise<Page<BreakGlassUse> & { total: number; openReviews: number }> {
  const limit = q.limit ?? 50;
  const after = decodeKeyset(q.cursor, USE_KEY);
  const filter = 'b.municipality_id = $1 AND ($2::boolean IS NOT TRUE OR b.reviewed_at IS NULL) AND ($3::uuid IS NULL OR b.user_id = $3)';
  const params = [municipalityId, q.openReview ?? false, q.userId ?? null];
  // every key column descends, so one row comparison is "after the cursor"
  const { rows } = await db.query<BreakGlassUse>(
    `SELECT ${USE_COLUMNS}
     WHERE ${filter} AND ($4::boolean IS NULL OR ((b.reviewed_at IS NULL), b.started_at, b.id) < ($4, $5::timestamptz, $6::uuid))
     ORDER BY (b.reviewed_at IS NULL) DESC, b.started_at DESC, b.id DESC LIMIT $7`,
    [...params, ...(after ?? [null, null, null]), limit + 1],
  );
  const { rows: [totals] } = await db.query<{ total: number; open: number }>(
    `SELECT count(*) AS total, count(*) FILTER (WHERE b.reviewed_at IS NULL) AS open FROM break_glass b WHERE ${filter}`, params);
  const page = keysetPage(rows, limit, (u) => [u.reviewedAt === null, u.startedAt, u.id]);
  return { items: page.rows, nextCursor: page.nextCursor, total: totals!.total, openReviews: totals!.open };
}

/** The privacy officer closes the review item with a finding. */
export async function closeBreakGlassReview({ db, clock }: Deps, actor: Actor, id: string, finding: string): Promise<BreakGlassUse> {
  const mid = actor.municipalityId!;
  if (!finding.trim()) throw badRequest('Write the finding.', [{ field: 'finding', message: 'Write what the review found.' }]);
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ case_id: string }>(
      'UPDATE break_glass SET review_finding = $3, reviewed_at = $4, reviewed_by = $5 WHERE municipality_id = $1 AND id = $2 AND reviewed_at IS NULL RETURNING case_id',
      [mid, id, finding.trim(), clock.now(), actor.userId],
    );
    if (!rows[0]) throw notFound('open review item');
    await recordAudit(tx, clock, actor, { action: 'break_glass.review_close', entityType: 'support_case', entityId: rows[0].case_id, reason: finding.trim(), details: { breakGlassId: id } });
  });
  return getBreakGlassUse(db, mid, id);
}
