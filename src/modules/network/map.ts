import type { ProfileRoutingRule } from './profile.schema.ts';
import type { NetworkOverview, Organization, Program } from './service.ts';
import type { EdgeKind, MapEdge, MapGroup, MapNode, NetworkMap } from './types.ts';

/**
 * The network map (staff): organisations as nodes grouped by kind, and the
 * relations the profile states as edges — commissioning (委託), co-owned
 * programs, sitting on the same meeting series, and the routes the routing
 * rules lay down — plus, where referrals were sent, their number per pair.
 * Pure: the route reads, this draws the lines.
 */

export { EDGE_KINDS, MAP_GROUPS } from './types.ts';
export type { EdgeKind, MapEdge, MapGroup, MapNode, NetworkMap } from './types.ts';

/** The group of each organisation kind (vocabulary.ts ORGANIZATION_KINDS); a support agency goes with city hall when it is run inside it. */
export function mapGroupOf(o: Pick<Organization, 'kind' | 'internal'>): MapGroup {
  switch (o.kind) {
    case 'internal_section':
      return 'city_hall';
    case 'support_agency':
      return o.internal ? 'city_hall' : 'community';
    case 'commissioned_npo':
      return 'commissioned';
    case 'public_health_centre':
    case 'medical':
      return 'health';
    case 'school_side':
      return 'school';
    case 'community_centre':
    case 'social_welfare_council':
    case 'welfare_commissioners':
    case 'peer_group':
    case 'care_service':
      return 'community';
    case 'prefecture':
    case 'other_municipality':
      return 'wide_area';
    default:
      return 'other';
  }
}

export interface ReferralVolume {
  fromOrganizationId: string;
  toOrganizationId: string;
  count: number;
}

/** Builds the map of one municipality's network. */
export function buildNetworkMap(network: NetworkOverview, rules: readonly ProfileRoutingRule[], volumes: readonly ReferralVolume[]): NetworkMap {
  const nodes: MapNode[] = network.organizations.map((o) => ({
    id: o.id, name: o.name, nameEn: o.nameEn, kind: o.kind, group: mapGroupOf(o), internal: o.internal, hub: o.hub,
  }));
  const known = new Set(nodes.map((n) => n.id));
  const orgByKey = new Map(network.organizations.map((o) => [o.key, o]));
  const programByKey = new Map(network.programs.map((p) => [p.key, p]));

  const edges = new Map<string, MapEdge>();
  const add = (kind: EdgeKind, a: string, b: string, directed: boolean, label: string | null, referrals = 0) => {
    if (a === b || !known.has(a) || !known.has(b)) return;
    // an undirected edge is the same whichever end is named first
    const [source, target] = directed || a < b ? [a, b] : [b, a];
    const id = `${kind}:${source}:${target}`;
    const edge = edges.get(id) ?? { id, kind, source, target, directed, labels: [], referrals: 0 };
    if (label && !edge.labels.includes(label)) edge.labels.push(label);
    edge.referrals += referrals;
    edges.set(id, edge);
  };
  const pairs = <T>(xs: T[], f: (a: T, b: T) => void) => xs.forEach((a, i) => xs.slice(i + 1).forEach((b) => f(a, b)));

  const running = network.programs.filter((p) => p.status !== 'ended');
  for (const p of running) {
    for (const owner of p.owners) for (const contractor of p.contractors) add('commission', owner.id, contractor.id, true, p.name);
    pairs(p.owners, (a, b) => add('co_ownership', a.id, b.id, false, p.name));
  }

  for (const s of network.meetingSeries) {
    const members = [...new Set([...(s.organizer ? [s.organizer.id] : []), ...s.members.map((m) => m.id)])];
    pairs(members, (a, b) => add('meeting', a, b, false, s.name));
  }

  for (const rule of rules) {
    const layers = routeOf(rule, network.organizations, orgByKey, programByKey);
    for (let i = 1; i < layers.length; i++) for (const a of layers[i - 1]) for (const b of layers[i]) add('route', a, b, true, rule.reason);
  }

  for (const v of volumes) add('referral', v.fromOrganizationId, v.toOrganizationId, true, null, v.count);

  return { nodes, edges: [...edges.values()] };
}

/**
 * The organisations a rule sends a consultation through, hop by hop: where
 * it comes from when the rule says (a welfare commissioner's report starts at
 * the commissioners), each organisation it passes (`via`), and where it
 * lands (the organisation, or who delivers the program). A rule that says
 * neither where it comes from nor what it passes draws no line.
 */
function routeOf(
  rule: ProfileRoutingRule, organizations: readonly Organization[],
  orgByKey: Map<string, Organization>, programByKey: Map<string, Program>,
): string[][] {
  const origins = rule.when.consulterRelations?.includes('welfare_commissioner')
    ? organizations.filter((o) => o.kind === 'welfare_commissioners').map((o) => o.id)
    : [];
  const via = (rule.to.via ?? []).map((k) => orgByKey.get(k)?.id).filter((x): x is string => x !== undefined);
  let targets: string[] = [];
  if (rule.to.organization) {
    const o = orgByKey.get(rule.to.organization);
    if (o) targets = [o.id];
  } else if (rule.to.program) {
    const p = programByKey.get(rule.to.program);
    if (p) targets = (p.contractors.length ? p.contractors : p.owners).map((r) => r.id);
  }
  if (targets.length === 0 || (origins.length === 0 && via.length === 0)) return [];
  return [...(origins.length ? [origins] : []), ...via.map((v) => [v]), targets];
}
