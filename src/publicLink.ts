import { createHash } from 'node:crypto';
import type { Db } from './db/index.ts';
import { directoryPartners, loadDirectory } from './modules/hsds/service.ts';
import { publicEvents } from './modules/programs/events.ts';
import { getNetwork, getRuleSet, listMunicipalities, type Municipality } from './modules/network/service.ts';
import { plainText, type MunicipalitySnapshot, type PublicPartnerGroup, type PublicRule, type PublicSnapshotSource } from './modules/public/crossing.ts';
import type { PublicLink } from './modules/public/linkClient.ts';

/**
 * The staff side's end of the link to the public side: what it publishes
 * (the public snapshot, built from the network) and what it takes in (the
 * residents' submissions, through the pull interface). Used over HTTP when
 * the public side runs apart, and in one process by `serve --role all`.
 */

/** Prefectures run their own view, not resident pages. */
const publishedMunicipalities = async (db: Db) => (await listMunicipalities(db)).filter((m) => m.kind === 'municipality');

const WHEN_KEYS = ['ageMin', 'ageMax', 'schoolStages', 'issueTagsAny', 'issueTagsAll', 'areas', 'channels', 'consulterRelations', 'minDistinctIssues', 'minOrganizationsInvolved', 'cannotVisit'] as const;

/**
 * Everything a municipality publishes for residents: its public directory as
 * the HSDS module builds it, and its routing rules' public part (when a rule
 * applies, where it leads and the reason residents may read; never the
 * staff-facing reason or the path through city hall), and its areas, which
 * those rules may name (the navigator asks for one). And its published
 * events (never a registration), and the prefecture's public partner groups
 * (連携団体) that serve it, as plain text with the prefecture as source.
 */
export async function buildMunicipalitySnapshot(db: Db, m: Municipality): Promise<MunicipalitySnapshot> {
  const [dir, network, ruleSet, events, partners] = await Promise.all([
    loadDirectory(db, m), getNetwork(db, m.id), getRuleSet(db, m.id), publicEvents(db, m.id), directoryPartners(db, m),
  ]);
  const serviceIds = new Set(dir.services.map((s) => s.service.id));
  const organizationIds = new Set(dir.organizations.map((o) => o.organization.id));
  const programByKey = new Map(network.programs.map((p) => [p.key, p]));
  const orgByKey = new Map(network.organizations.map((o) => [o.key, o]));
  const rules: PublicRule[] = [];
  for (const r of ruleSet.rules) {
    if (!r.publicReason) continue;
    const serviceId = r.to.program ? programByKey.get(r.to.program)?.id : undefined;
    const organizationId = r.to.organization ? orgByKey.get(r.to.organization)?.id : undefined;
    const to = {
      ...(serviceId && serviceIds.has(serviceId) ? { serviceId } : {}),
      ...(organizationId && organizationIds.has(organizationId) ? { organizationId } : {}),
    };
    // a rule that leads somewhere unpublished says nothing residents can follow
    if (!to.serviceId && !to.organizationId) continue;
    const when = Object.fromEntries(WHEN_KEYS.filter((k) => r.when[k] !== undefined).map((k) => [k, r.when[k]])) as PublicRule['when'];
    rules.push({ id: r.id, priority: r.priority, when, to, publicReason: r.publicReason });
  }
  return {
    municipality: { id: m.id, code: m.code, name: m.name, nameEn: m.nameEn },
    directory: {
      organizations: dir.organizations.map((o) => o.organization),
      services: dir.services.map((s) => s.service),
      taxonomies: dir.taxonomies.map((t) => t.taxonomy),
      taxonomyTerms: dir.terms.map((t) => t.term),
    } as unknown as MunicipalitySnapshot['directory'],
    rules,
    areas: network.areas.map((a) => ({ key: a.key, name: a.name })),
    events,
    partnerGroups: (partners?.groups ?? []).map((g) => ({
      id: g.id, name: plainText(g.name), kind: g.kind as PublicPartnerGroup['kind'], prefecture: partners!.prefecture.name, offers: plainText(g.offers),
      description: g.description ? plainText(g.description) || null : null, ageMin: g.ageMin, ageMax: g.ageMax,
      phone: g.contact?.phone ?? null, email: g.contact?.email ?? null, website: g.contact?.url ?? null, hours: g.contact?.hours ?? null,
    })),
  };
}

/** The hash the public side keeps beside a snapshot; the same content always gives the same hash. */
export function snapshotHash(s: MunicipalitySnapshot): string {
  return createHash('sha256').update(JSON.stringify(s)).digest('hex');
}

/** In one process the public pages read the network as it is now, through the same snapshot shape. */
export function liveSnapshots(db: Db): PublicSnapshotSource {
  return {
    async municipalities() {
      return (await publishedMunicipalities(db)).map((m) => ({ id: m.id, code: m.code, name: m.name, nameEn: m.nameEn }));
    },
    async snapshot(municipalityId) {
      const m = (await publishedMunicipalities(db)).find((x) => x.id === municipalityId);
      return m ? { ...(await buildMunicipalitySnapshot(db, m)), updatedAt: null } : null;
    },
  };
}

/**
 * Brings the public side's snapshots up to date: pushes each municipality
 * whose snapshot differs from what the public side holds (or that it lost),
 * and withdraws those no longer published. Safe to run at any time.
 */
export async function publishSnapshots(db: Db, link: PublicLink): Promise<{ pushed: number; removed: number }> {
  const held = new Map((await link.snapshotStates()).map((s) => [s.municipalityId, s.hash]));
  const municipalities = await publishedMunicipalities(db);
  let pushed = 0;
  for (const m of municipalities) {
    const snapshot = await buildMunicipalitySnapshot(db, m);
    const hash = snapshotHash(snapshot);
    if (held.get(m.id) === hash) continue;
    await link.pushSnapshot(hash, snapshot);
    pushed++;
  }
  const current = new Set(municipalities.map((m) => m.id));
  let removed = 0;
  for (const id of held.keys()) {
    if (current.has(id)) continue;
    await link.removeSnapshot(id);
    removed++;
  }
  return { pushed, removed };
}
