import type { Db } from '../../db/index.ts';
import { notFound } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';
import { enqueueMessage } from '../notifications/service.ts';

export interface UserListing {
  id: string;
  login: string;
  displayName: string;
  active: boolean;
  mfaEnrolled: boolean;
  memberships: {
    organizationId: string; organizationName: string; role: string; active: boolean;
    sensitiveAccess: boolean; sensitiveGrantedAt: Date | null; sensitiveGrantedBy: string | null;
  }[];
}

/** The staff accounts with a membership in the municipality, and what each may do there. */
export async function listUsers(db: Db, municipalityId: string): Promise<UserListing[]> {
  const { rows } = await db.query<{
    id: string; login: string; display_name: string; active: boolean; mfa: boolean; organization_id: string; organization_name: string;
    role: string; m_active: boolean; sensitive_access: boolean; sensitive_granted_at: Date | null; granted_by: string | null;
  }>(
    `SELECT u.id, u.login, u.display_name, u.active, u.mfa_enrolled_at IS NOT NULL AS mfa, m.organization_id, o.name AS organization_name,
            m.role, m.active AS m_active, m.sensitive_access, m.sensitive_granted_at, g.display_name AS granted_by
     FROM membership m JOIN app_user u ON u.id = m.user_id
     JOIN organization o ON o.municipality_id = m.municipality_id AND o.id = m.organization_id
     LEFT JOIN app_user g ON g.id = m.sensitive_granted_by
     WHERE m.municipality_id = $1 ORDER BY lower(u.login), o.key`,
    [municipalityId],
  );
  const users = new Map<string, UserListing>();
  for (const r of rows) {
    const u = users.get(r.id) ?? { id: r.id, login: r.login, displayName: r.display_name, active: r.active, mfaEnrolled: r.mfa, memberships: [] };
    u.memberships.push({
      organizationId: r.organization_id, organizationName: r.organization_name, role: r.role, active: r.m_active,
      sensitiveAccess: r.sensitive_access, sensitiveGrantedAt: r.sensitive_granted_at, sensitiveGrantedBy: r.granted_by,
    });
    users.set(r.id, u);
  }
  return [...users.values()];
}

/**
 * Gives or takes back the 要配慮 grant of one membership. The change applies
 * from the user's next request; it is audited with its reason, and the
 * privacy officers are told.
 */
export async function setSensitiveAccess(
  { db, clock }: Deps, actor: Actor, input: { userId: string; organizationId: string; granted: boolean; reason: string },
): Promise<void> {
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ login: string }>(
      `UPDATE membership m SET sensitive_access = $4, sensitive_granted_at = CASE WHEN $4 THEN $5::timestamptz END, sensitive_granted_by = CASE WHEN $4 THEN $6::uuid END
       FROM app_user u WHERE u.id = m.user_id AND m.municipality_id = $1 AND m.organization_id = $2 AND m.user_id = $3
       RETURNING u.login`,
      [mid, input.organizationId, input.userId, input.granted, clock.now(), actor.userId],
    );
    if (rows.length === 0) throw notFound('membership');
    await recordAudit(tx, clock, actor, {
      action: input.granted ? 'membership.sensitive_grant' : 'membership.sensitive_revoke', entityType: 'app_user', entityId: input.userId,
      reason: input.reason, details: { organizationId: input.organizationId },
    });
    await enqueueMessage(tx, clock, {
      municipalityId: mid, kind: 'sensitive_access', toRole: 'privacy_officer', entityType: 'app_user', entityId: input.userId,
      subject: input.granted ? '要配慮個人情報の閲覧権限が付与されました' : '要配慮個人情報の閲覧権限が取り消されました',
      body: `利用者 ${rows[0].login} の権限が変更されました（変更者: ${actor.login}）。理由: ${input.reason}`,
    });
  });
}
