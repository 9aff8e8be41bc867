import type { Db } from '../../db/index.ts';
import { badRequest, notFound } from '../../errors.ts';
import { getNetwork, ownNetwork, getRuleSet, getVocabularies, listMunicipalities, listOrganizations as listNetworkOrganizations, listPartnerGroups, type Municipality } from '../network/service.ts';
import { dropInOpenings } from '../programs/dropInOpenings.ts';
import { directoryEvents } from '../programs/events.ts';
import { buildDirectory, normalizeForSearch, type ContactInfo, type DirectoryPartners, type HsdsDirectory, type PublicationFacts } from './mapping.ts';
import type {
  HsdsOrganization, HsdsOrganizationBrief, HsdsPage, HsdsService, HsdsServiceAtLocation, HsdsServiceAtLocationBrief,
  HsdsServiceBrief, HsdsTaxonomy, HsdsTaxonomyTerm,
} from './types.ts';

/**
 * The HSDS module's interface: a municipality's public directory as HSDS 3.0
 * API responses. With one municipality loaded it answers for that one; with
 * several, lists need `municipality` (its 6-digit code) and look-ups by id
 * search every municipality, since ids are unique across them.
 */

export const PER_PAGE_DEFAULT = 50;
export const PER_PAGE_MAX = 100;

/** `GET /hsds`: the specification's base endpoint. Tsunagu publishes base HSDS, with no profile of its own. */
export const HSDS_ABOUT = {
  version: '3.0',
  profile: 'https://github.com/openreferral/specification/tree/3.0',
  openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json',
} as const;

export interface ListQuery {
  municipality?: string;
  search?: string;
  page?: number;
  per_page?: number;
}

export interface ServiceQuery extends ListQuery {
  taxonomy_term_id?: string;
  taxonomy_id?: string;
  organization_id?: string;
  modified_after?: string;
}

export interface OrganizationQuery extends ListQuery {
  modified_after?: string;
}

export interface TaxonomyTermQuery extends ListQuery {
  taxonomy_id?: string;
  parent_id?: string;
  top_only?: boolean;
}

export interface ByIdQuery {
  municipality?: string;
}

/** What only the network service knows beyond the overview: publication flag, contact, last change. */
function publicationFacts(network: Awaited<ReturnType<typeof getNetwork>>): PublicationFacts {
  return {
    programs: new Map(network.programs.map((p) => [p.id, { public: p.public, contact: p.contact as ContactInfo | null, updatedAt: new Date(p.updatedAt) }])),
    organizations: new Map(network.organizations.map((o) => [o.id, { updatedAt: new Date(o.updatedAt) }])),
  };
}

/** Everything one municipality publishes, built from its network as it is now. */
export async function loadDirectory(db: Db, municipality: Municipality): Promise<HsdsDirectory> {
  const [network, vocabularies, ruleSet, events, openings] = await Promise.all([
    getNetwork(db, municipality.id).then(ownNetwork),
    getVocabularies(db, municipality.id),
    getRuleSet(db, municipality.id),
    directoryEvents(db, municipality.id),
    dropInOpenings(db, municipality.id),
  ]);
  return buildDirectory({
    network, issueTags: vocabularies.issueTags, ruleSet, facts: publicationFacts(network), sessions: { events, openings },
    partners: await directoryPartners(db, municipality),
  });
}

/**
 * The public partner groups (連携団体) of the municipality's prefecture that
 * serve it — those mirrored into its organisations when the profiles were
 * imported — as the prefecture's profile states them: the prefecture is
 * their source, not the municipality.
 */
export async function directoryPartners(db: Db, municipality: Municipality): Promise<DirectoryPartners | undefined> {
  const all = await listMunicipalities(db);
  const prefecture = all.find((x) => x.kind === 'prefecture' && x.name === municipality.prefecture);
  if (!prefecture) return undefined;
  const serving = new Set((await listNetworkOrganizations(db, municipality.id)).flatMap((o) => (o.partner?.prefectureCode === prefecture.code ? [o.partner.sourceOrganizationId] : [])));
  const groups = (await listPartnerGroups(db, prefecture.id)).filter((g) => g.public && serving.has(g.id));
  const municipalityNames = new Map(all.filter((x) => x.kind === 'municipality' && x.prefecture === prefecture.name).map((x) => [x.code, x.name]));
  return { prefecture: { code: prefecture.code, name: prefecture.name }, groups, municipalityNames };
}

/** Prefectures run their own view, not a resident directory (as the public pages). */
const directoryMunicipalities = async (db: Db) => (await listMunicipalities(db)).filter((m) => m.kind === 'municipality');

/** The directory a list answers from: one municipality's, or with no code every municipality's together. */
async function directoryFor(db: Db, code: string | undefined): Promise<HsdsDirectory> {
  const all = await directoryMunicipalities(db);
  if (!code) {
    if (all.length === 0) throw notFound('municipality');
    if (all.length === 1) return loadDirectory(db, all[0]);
    return mergeDirectories(await Promise.all(all.map((m) => loadDirectory(db, m))));
  }
  const m = all.find((x) => x.code === code);
  if (!m) throw notFound('municipality');
  return loadDirectory(db, m);
}

/** Several municipalities' directories as one; shared taxonomies (the national vocabularies) appear once. */
function mergeDirectories(dirs: HsdsDirectory[]): HsdsDirectory {
  const once = <T>(items: T[], id: (x: T) => string) => [...new Map(items.map((x) => [id(x), x])).values()];
  return {
    municipality: dirs[0].municipality,
    // a prefecture's partner group serving several municipalities appears once
    services: once(dirs.flatMap((d) => d.services), (s) => s.service.id),
    organizations: once(dirs.flatMap((d) => d.organizations), (o) => o.organization.id),
    serviceAtLocations: dirs.flatMap((d) => d.serviceAtLocations),
    taxonomies: once(dirs.flatMap((d) => d.taxonomies), (t) => t.taxonomy.id),
    terms: once(dirs.flatMap((d) => d.terms), (t) => t.term.id),
  };
}

/** Looks an id up in the given municipality, or in each until found. */
async function findById<T>(db: Db, code: string | undefined, what: string, pick: (dir: HsdsDirectory) => T | undefined): Promise<T> {
  const all = await directoryMunicipalities(db);
  const candidates = code ? all.filter((m) => m.code === code) : all;
  if (code && !candidates.length) throw notFound('municipality');
  for (const m of candidates) {
    const found = pick(await loadDirectory(db, m));
    if (found !== undefined) return found;
  }
  throw notFound(what);
}

/** One page of a list; a page past the end is empty, not an error. */
export function paginate<T>(items: readonly T[], page = 1, perPage = PER_PAGE_DEFAULT): HsdsPage<T> {
  const totalPages = Math.ceil(items.length / perPage);
  const contents = items.slice((page - 1) * perPage, page * perPage);
  return {
    total_items: items.length,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

/** Every word of the query must appear (any width, case or kana). */
function matcher(search: string | undefined): (text: string) => boolean {
  const words = (search ?? '').split(/[\s\u3000]+/).map(normalizeForSearch).filter(Boolean);
  return (text) => words.every((w) => text.includes(w));
}

const since = (modifiedAfter: string | undefined) => (modifiedAfter ? new Date(modifiedAfter).getTime() : Number.NEGATIVE_INFINITY);

export async function listServices(db: Db, q: ServiceQuery): Promise<HsdsPage<HsdsServiceBrief>> {
  const dir = await directoryFor(db, q.municipality);
  const matches = matcher(q.search);
  const after = since(q.modified_after);
  const items = dir.services.filter((s) =>
    matches(s.text)
    && (!q.taxonomy_term_id || s.termIds.has(q.taxonomy_term_id))
    && (!q.taxonomy_id || s.taxonomyIds.has(q.taxonomy_id))
    && (!q.organization_id || s.organizationIds.has(q.organization_id))
    && s.modifiedAt.getTime() >= after);
  return paginate(items.map((s) => s.brief), q.page, q.per_page);
}

export async function getService(db: Db, id: string, q: ByIdQuery): Promise<HsdsService> {
  return findById(db, q.municipality, 'service', (dir) => dir.services.find((s) => s.service.id === id)?.service);
}

export async function listOrganizations(db: Db, q: OrganizationQuery): Promise<HsdsPage<HsdsOrganizationBrief>> {
  const dir = await directoryFor(db, q.municipality);
  const matches = matcher(q.search);
  const after = since(q.modified_after);
  const items = dir.organizations.filter((o) => matches(o.text) && o.modifiedAt.getTime() >= after);
  return paginate(items.map((o) => o.brief), q.page, q.per_page);
}

/** An organisation with its services: their one-to-one fields, or in full with `full_service`. */
export async function getOrganization(db: Db, id: string, q: ByIdQuery & { full_service?: boolean }): Promise<HsdsOrganization> {
  return findById(db, q.municipality, 'organization', (dir) => {
    const entry = dir.organizations.find((o) => o.organization.id === id);
    if (!entry) return undefined;
    const services = entry.serviceIds.map((sid) => dir.services.find((s) => s.service.id === sid)!);
    return { ...entry.organization, services: services.map((s) => (q.full_service ? s.service : s.brief)) };
  });
}

export async function listServiceAtLocations(db: Db, q: ServiceQuery): Promise<HsdsPage<HsdsServiceAtLocationBrief>> {
  const dir = await directoryFor(db, q.municipality);
  const matches = matcher(q.search);
  const after = since(q.modified_after);
  const items = dir.serviceAtLocations.filter(({ service: s, text, modifiedAt }) =>
    matches(text)
    && (!q.taxonomy_term_id || s.termIds.has(q.taxonomy_term_id))
    && (!q.taxonomy_id || s.taxonomyIds.has(q.taxonomy_id))
    && (!q.organization_id || s.organizationIds.has(q.organization_id))
    && modifiedAt.getTime() >= after);
  return paginate(items.map((x) => x.brief), q.page, q.per_page);
}

export async function getServiceAtLocation(db: Db, id: string, q: ByIdQuery): Promise<HsdsServiceAtLocation> {
  return findById(db, q.municipality, 'service at location', (dir) => dir.serviceAtLocations.find((x) => x.full.id === id)?.full);
}

export async function listTaxonomies(db: Db, q: ListQuery): Promise<HsdsPage<HsdsTaxonomy>> {
  const dir = await directoryFor(db, q.municipality);
  const matches = matcher(q.search);
  return paginate(dir.taxonomies.filter((t) => matches(t.text)).map((t) => t.taxonomy), q.page, q.per_page);
}

export async function getTaxonomy(db: Db, id: string, q: ByIdQuery): Promise<HsdsTaxonomy> {
  return findById(db, q.municipality, 'taxonomy', (dir) => dir.taxonomies.find((t) => t.taxonomy.id === id)?.taxonomy);
}

export async function listTaxonomyTerms(db: Db, q: TaxonomyTermQuery): Promise<HsdsPage<HsdsTaxonomyTerm>> {
  const dir = await directoryFor(db, q.municipality);
  const matches = matcher(q.search);
  const items = dir.terms.filter(({ term, text }) =>
    matches(text)
    && (!q.taxonomy_id || term.taxonomy_id === q.taxonomy_id)
    && (!q.parent_id || term.parent_id === q.parent_id)
    && (!q.top_only || term.parent_id === undefined));
  return paginate(items.map((t) => t.term), q.page, q.per_page);
}

export async function getTaxonomyTerm(db: Db, id: string, q: ByIdQuery): Promise<HsdsTaxonomyTerm> {
  return findById(db, q.municipality, 'taxonomy term', (dir) => dir.terms.find((t) => t.term.id === id)?.term);
}
