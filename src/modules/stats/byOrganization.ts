import type { Db } from '../../db/index.ts';
import { addDays, japanDayStart } from '../../lib/fiscal.ts';

export interface OrganizationCounts {
  /** Consultations received, by the organisation that was their door. */
  consultations: Map<string, number>;
  /** Referrals sent to the organisation. */
  referralsReceived: Map<string, number>;
}

/**
 * Counts per organisation over a period of Japan dates, for views that show
 * counts only (the prefecture's networks side by side). Raw counts: the
 * caller sums them by what it groups and suppresses small counts after.
 */
export async function countsByOrganization(db: Db, municipalityId: string, period: { from: string; to: string }): Promise<OrganizationCounts> {
  const args = [municipalityId, japanDayStart(period.from), japanDayStart(addDays(period.to, 1))];
  const [consultations, referrals] = await Promise.all([
    db.query<{ id: string; n: number }>(
      `SELECT door_organization_id AS id, count(*)::int AS n FROM consultation
       WHERE municipality_id = $1 AND received_at >= $2 AND received_at < $3 GROUP BY 1`, args),
    db.query<{ id: string; n: number }>(
      `SELECT to_organization_id AS id, count(*)::int AS n FROM referral
       WHERE municipality_id = $1 AND sent_at >= $2 AND sent_at < $3 GROUP BY 1`, args),
  ]);
  const map = (rows: { id: string; n: number }[]) => new Map(rows.map((r) => [r.id, r.n]));
  return { consultations: map(consultations.rows), referralsReceived: map(referrals.rows) };
}
