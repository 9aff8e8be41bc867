import type { Actor, Deps } from '../../lib/context.ts';
import { fiscalYearLabel, fiscalYearLabelEn, fiscalYearOf, fiscalYearRange } from '../../lib/fiscal.ts';
import { listOrganizations, listPartnerGroups, type Municipality } from '../network/service.ts';
import { countsByOrganization } from '../stats/byOrganization.ts';
import { suppress, type Count } from '../stats/figures.ts';
import { coveredMunicipalities } from './coverage.ts';
import type { PartnerGroupCounts } from './types.ts';

export type { PartnerGroupCounts };

/**
 * 連携団体 as the centre sees them (issue 12): each partner group of its
 * profile with, per municipality it serves, how many referrals that
 * municipality's staff sent it in the fiscal year. Counts only, small ones
 * suppressed as in the figures, and no total that would give a suppressed
 * count away: never which case or person.
 */
export async function partnerGroupCounts(deps: Deps, _actor: Actor, prefecture: Municipality, q: { fiscalYear?: number }, opts: { suppressBelow: number }): Promise<PartnerGroupCounts> {
  const fiscalYear = q.fiscalYear ?? fiscalYearOf(deps.clock.now());
  const period = fiscalYearRange(fiscalYear);
  const [groups, municipalities] = await Promise.all([listPartnerGroups(deps.db, prefecture.id), coveredMunicipalities(deps.db, prefecture)]);
  // per municipality: referrals received by each mirror of one of the centre's groups
  const byGroup = new Map<string, PartnerGroupCounts['groups'][number]['referrals']>();
  for (const m of municipalities) {
    const [orgs, counts] = await Promise.all([listOrganizations(deps.db, m.id, { includeInactive: true }), countsByOrganization(deps.db, m.id, period)]);
    for (const o of orgs) {
      if (!o.partner || o.partner.prefectureCode !== prefecture.code) continue;
      const list = byGroup.get(o.partner.sourceOrganizationId) ?? [];
      list.push({ municipality: { id: m.id, code: m.code, name: m.name }, count: counts.referralsReceived.get(o.id) ?? 0 });
      byGroup.set(o.partner.sourceOrganizationId, list);
    }
  }
  return {
    fiscalYear, label: fiscalYearLabel(fiscalYear), labelEn: fiscalYearLabelEn(fiscalYear), suppressBelow: opts.suppressBelow,
    groups: groups.map((g) => ({
      id: g.id, key: g.key, name: g.name, kind: g.kind, agreedOn: g.agreedOn, endedOn: g.endedOn, public: g.public,
      ageMin: g.ageMin, ageMax: g.ageMax, offers: g.offers, serves: g.municipalities,
      referrals: (byGroup.get(g.id) ?? []).map((r) => ({ ...r, count: suppress(r.count as number, opts.suppressBelow) })),
    })),
  };
}
