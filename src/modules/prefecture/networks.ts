import type { Actor, Deps } from '../../lib/context.ts';
import { fiscalYearLabel, fiscalYearLabelEn, fiscalYearOf, fiscalYearRange } from '../../lib/fiscal.ts';
import { LEGAL_BASES, NETWORK_ROLES } from '../network/vocabulary.ts';
import { getNetwork, ownNetwork, getRuleSet, listGapRules, type GapRule, type Municipality, type NetworkOverview, type Ref } from '../network/service.ts';
import { countsByOrganization } from '../stats/byOrganization.ts';
import { suppress } from '../stats/figures.ts';
import { networkHealth, type StatsOptions } from '../stats/service.ts';
import { coveredMunicipalities } from './coverage.ts';
import type { GapFinding, MunicipalityNetwork, NetworkPart, NetworksSideBySide } from './types.ts';
import type { VisitHeadingKey } from './visitDocument/types.ts';

/**
 * Networks side by side: for each municipality the prefecture covers, what
 * each part of its network is (from its profile) and what it did in a fiscal
 * year (counts only, small ones suppressed), and the gaps the prefecture's
 * gap rules find. Nothing here is typed by the centre: it is read from the
 * profiles and the records.
 */

export type { GapFinding, MunicipalityNetwork, NetworkPart, NetworksSideBySide, PartFigures } from './types.ts';

/** The heading of a visit record each part of a network is written under. */
export const ROLE_HEADINGS: Record<string, VisitHeadingKey> = {
  hub: 'leadSection', peer_groups: 'peerGroups', private_groups: 'privateSupportGroups', welfare_commissioners: 'welfareCommissioners',
  schools: 'schools', multilayered: 'multilayered', self_reliance: 'selfRelianceSupport', public_health: 'healthCentres',
  children_youth: 'childrenAndYouth', community_care: 'communityCareCentres', social_welfare_council: 'socialWelfareCouncil',
};

/** Which organisations, programs and meeting series make up each part of a network. */
export function networkParts(network: NetworkOverview): NetworkPart[] {
  const orgRoles = new Map(network.organizations.map((o) => {
    const roles = new Set(o.networkRoles);
    if (o.hub) roles.add('hub');
    for (const r of NETWORK_ROLES) if (r.kinds.includes(o.kind)) roles.add(r.code);
    return [o.id, roles];
  }));
  const inRole = (orgId: string | undefined, role: string) => !!orgId && (orgRoles.get(orgId)?.has(role) ?? false);
  return NETWORK_ROLES.map((r) => ({
    role: r.code,
    organizations: network.organizations.filter((o) => inRole(o.id, r.code)).map((o) => ({ id: o.id, name: o.name })),
    programs: network.programs
      .filter((p) => p.networkRoles.includes(r.code) || (r.code === 'peer_groups' && p.kind === 'peer_group')
        || [...p.owners, ...p.contractors].some((o) => inRole(o.id, r.code)))
      .map((p) => ({ id: p.id, name: p.name, status: p.status })),
    meetings: network.meetingSeries
      .filter((s) => s.networkRoles.includes(r.code) || inRole(s.organizer?.id, r.code))
      .map((s) => ({ id: s.id, name: s.name, cadence: s.cadence, legalBasis: s.legalBasis })),
  }));
}

/** Ages in [min, max] that no active program's eligibility covers, as ranges. */
export function uncoveredAges(network: NetworkOverview, min: number, max: number): [number, number][] {
  const covered = (age: number) => network.programs.some((p) => p.status === 'active'
    && (p.eligibility.ageMin ?? 0) <= age && age <= (p.eligibility.ageMax ?? Number.POSITIVE_INFINITY));
  const gaps: [number, number][] = [];
  for (let age = min; age <= max; age++) {
    if (covered(age)) continue;
    const last = gaps.at(-1);
    if (last && last[1] === age - 1) last[1] = age;
    else gaps.push([age, age]);
  }
  return gaps;
}

/** The gap rules applied to one municipality's network; quiet doors need the records, the rest only the profile. */
async function findGaps(deps: Deps, actor: Actor, m: Municipality, network: NetworkOverview, rules: GapRule[], fiscalYear: number, opts: StatsOptions): Promise<GapFinding[]> {
  const findings: GapFinding[] = [];
  const ruleOf = (g: GapRule) => ({ key: g.key, check: g.check, reason: g.reason, reasonEn: g.reasonEn });
  for (const g of rules) {
    const found = (subject: string | null, subjectEn: string | null) => findings.push({ rule: ruleOf(g), subject, subjectEn });
    switch (g.check) {
      case 'quiet_door': {
        const years = g.fiscalYears ?? 3;
        const period = { from: fiscalYearRange(fiscalYear - years + 1).from, to: fiscalYearRange(fiscalYear).to };
        const health = await networkHealth(deps, { ...actor, municipalityId: m.id, organizationId: null, sensitiveAccess: false }, period, opts);
        for (const f of health.findings.filter((x) => x.kind === 'quiet_door'))
          found(`${f.organization!.name}（${fiscalYearLabel(fiscalYear - years + 1)}から${fiscalYearLabel(fiscalYear)}まで相談0件）`,
            `${f.organization!.nameEn} (no consultation from FY${fiscalYear - years + 1} to FY${fiscalYear})`);
        break;
      }
      case 'no_neighbour_window': {
        const rules = (await getRuleSet(deps.db, m.id)).rules;
        if (!rules.some((r) => r.when.consulterRelations?.includes('neighbour'))) found(null, null);
        break;
      }
      case 'uncovered_ages':
        for (const [from, to] of uncoveredAges(network, g.ageMin ?? 0, g.ageMax ?? 130))
          found(from === to ? `${from}歳` : `${from}歳〜${to}歳`, from === to ? `age ${from}` : `ages ${from}–${to}`);
        break;
      case 'no_sharing_meeting':
        if (!network.meetingSeries.some((s) => LEGAL_BASES.find((b) => b.code === s.legalBasis)?.sharesWithoutConsent)) found(null, null);
        break;
      case 'program_not_started':
        for (const p of network.programs.filter((x) => x.status === 'planned')) found(p.name, p.nameEn ?? p.name);
        break;
    }
  }
  return findings;
}

export async function networksSideBySide(deps: Deps, actor: Actor, prefecture: Municipality, q: { fiscalYear?: number }, opts: StatsOptions): Promise<NetworksSideBySide> {
  const fiscalYear = q.fiscalYear ?? fiscalYearOf(deps.clock.now());
  const period = fiscalYearRange(fiscalYear);
  const [municipalities, rules] = await Promise.all([coveredMunicipalities(deps.db, prefecture), listGapRules(deps.db, prefecture.id)]);
  const columns = await Promise.all(municipalities.map(async (m): Promise<MunicipalityNetwork> => {
    const [network, counts] = await Promise.all([getNetwork(deps.db, m.id).then(ownNetwork), countsByOrganization(deps.db, m.id, period)]);
    const sum = (orgs: Ref[], by: Map<string, number>) => suppress(orgs.reduce((n, o) => n + (by.get(o.id) ?? 0), 0), opts.suppressBelow);
    return {
      municipality: { id: m.id, code: m.code, name: m.name, nameEn: m.nameEn },
      parts: networkParts(network).map((p) => ({
        ...p, consultations: sum(p.organizations, counts.consultations), referralsReceived: sum(p.organizations, counts.referralsReceived),
      })),
      findings: await findGaps(deps, actor, m, network, rules, fiscalYear, opts),
    };
  }));
  return {
    fiscalYear, label: fiscalYearLabel(fiscalYear), labelEn: fiscalYearLabelEn(fiscalYear), suppressBelow: opts.suppressBelow,
    roles: NETWORK_ROLES.map(({ code, ja, en }) => ({ code, ja, en })),
    municipalities: columns,
  };
}

