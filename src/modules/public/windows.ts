import type { HsdsOrganization, HsdsService } from '../hsds/types.ts';
import type { MunicipalitySnapshot } from './crossing.ts';
import type { PublicWindow, WindowContact, WindowRef } from './types.ts';

/**
 * Windows (窓口) as residents read them: a service (事業) or an organisation
 * a routing rule leads to, with what it does and how to reach it. Built from
 * the public snapshot's HSDS directory only, so it works the same on the
 * public side running apart and in one process. Pure: no I/O.
 */

export type { PublicWindow, WindowContact, WindowRef } from './types.ts';

export type Service = HsdsService;
export type Organization = Omit<HsdsOrganization, 'services'>;

/** The snapshot's directory as typed HSDS objects (they crossed as objects with an id, built by the HSDS module). */
export function directoryOf(snapshot: Pick<MunicipalitySnapshot, 'directory'>): { services: Service[]; organizations: Organization[] } {
  const d = snapshot.directory as unknown as { services: Service[]; organizations: Organization[] };
  return { services: d.services ?? [], organizations: d.organizations ?? [] };
}

const ref = (x: { id: string; name: string; alternate_name?: string }): WindowRef => ({ id: x.id, name: x.name, nameEn: x.alternate_name ?? null });

const CHANNEL_ORDER = ['phone', 'visit', 'home_visit', 'email', 'online_form', 'via_organization'];

/** The channel codes a service lists, in a fixed order (phone first: it is what people try first). */
export function channelsOf(s: Service): string[] {
  const codes = new Set((s.attributes ?? []).filter((a) => a.link_type === 'channel').map((a) => a.taxonomy_term?.code).filter(Boolean));
  return CHANNEL_ORDER.filter((c) => codes.has(c));
}

/** The codes of one kind of taxonomy term a service carries ('issue', 'target_group', 'service_type'). */
export function termCodes(s: Service, linkType: string): string[] {
  return (s.attributes ?? []).filter((a) => a.link_type === linkType).map((a) => a.taxonomy_term?.code).filter((c): c is string => Boolean(c));
}

function addressLine(a: { postal_code?: string; address_1?: string } | undefined): string | null {
  if (!a?.address_1) return null;
  return a.postal_code ? `〒${a.postal_code} ${a.address_1}` : a.address_1;
}

function uniquePhones(lists: { number: string; description?: string }[][]): WindowContact['phones'] {
  const seen = new Map<string, string | null>();
  for (const list of lists) for (const p of list) if (p?.number && !seen.has(p.number)) seen.set(p.number, p.description ?? null);
  return [...seen].map(([number, note]) => ({ number, note }));
}

function organizationContact(o: Organization | undefined): WindowContact {
  if (!o) return { phones: [], email: null, website: null, address: null, hours: [] };
  const location = o.locations?.[0];
  return {
    phones: uniquePhones([o.phones ?? [], ...(o.contacts ?? []).map((c) => c.phones ?? [])]),
    email: o.email ?? null,
    website: o.website ?? null,
    address: addressLine(location?.addresses?.[0]),
    hours: (location?.schedules ?? []).map((s) => s.description).filter(Boolean),
  };
}

/**
 * How to reach a service: its own contact where the profile gives one, and
 * for what it lacks, the contact of the organisation that runs it.
 */
function serviceContact(s: Service, runner: Organization | undefined): WindowContact {
  const fallback = organizationContact(runner);
  const phones = uniquePhones([s.phones ?? [], ...(s.contacts ?? []).map((c) => c.phones ?? [])]);
  const location = s.service_at_locations?.[0]?.location;
  // events and opening days (schedules with hours) are shown as sessions, not as reception hours
  const hours = (s.schedules ?? []).filter((x) => !x.opens_at).map((x) => x.description).filter(Boolean);
  return {
    phones: phones.length ? phones : fallback.phones,
    email: s.email ?? fallback.email,
    website: s.url ?? fallback.website,
    address: addressLine(location?.addresses?.[0]) ?? fallback.address,
    hours: hours.length ? hours : fallback.hours,
  };
}

/** The routing rules' public reasons the HSDS module appended to a service's eligibility (the rules that lead to it). */
export function reasonsIn(text: string | undefined, publicReasons: ReadonlySet<string>): string[] {
  return (text ?? '').split('\n').filter((l) => publicReasons.has(l));
}

/** Eligibility without the routing rules' public reasons (HSDS appends them; they are shown as reasons instead). */
function ownEligibility(text: string | undefined, publicReasons: ReadonlySet<string>): string | null {
  if (!text) return null;
  const lines = text.split('\n').filter((l) => l.trim() && !publicReasons.has(l));
  return lines.length ? lines.join('\n') : null;
}

export interface WindowIndex {
  services: Service[];
  organizations: Organization[];
  serviceById: Map<string, Service>;
  organizationById: Map<string, Organization>;
  /** Services each organisation runs (delivers), in directory order. */
  servicesRunBy: Map<string, Service[]>;
  publicReasons: Set<string>;
}

export function indexWindows(snapshot: Pick<MunicipalitySnapshot, 'directory' | 'rules'>): WindowIndex {
  const { services, organizations } = directoryOf(snapshot);
  const servicesRunBy = new Map<string, Service[]>();
  for (const s of services) {
    const runners = new Set([s.organization_id, ...(s.service_at_locations ?? []).map((x) => x.location?.organization_id)].filter((x): x is string => Boolean(x)));
    for (const id of runners) servicesRunBy.set(id, [...(servicesRunBy.get(id) ?? []), s]);
  }
  return {
    services, organizations,
    serviceById: new Map(services.map((s) => [s.id, s])),
    organizationById: new Map(organizations.map((o) => [o.id, o])),
    servicesRunBy,
    publicReasons: new Set(snapshot.rules.map((r) => r.publicReason)),
  };
}

export function serviceWindow(s: Service, index: WindowIndex): PublicWindow {
  const runner = s.organization_id ? index.organizationById.get(s.organization_id) : undefined;
  return {
    kind: 'service', id: s.id, name: s.name, nameEn: s.alternate_name ?? null,
    description: s.description ?? null,
    organization: runner ? ref(runner) : null,
    eligibility: ownEligibility(s.eligibility_description, index.publicReasons),
    channels: channelsOf(s),
    notice: s.alert ?? null,
    contact: serviceContact(s, runner),
    services: [],
  };
}

export function organizationWindow(o: Organization, index: WindowIndex): PublicWindow {
  const runs = (index.servicesRunBy.get(o.id) ?? []).filter((s) => s.status === 'active');
  return {
    kind: 'organization', id: o.id, name: o.name, nameEn: o.alternate_name ?? null,
    description: o.description || null,
    organization: null,
    eligibility: null,
    channels: CHANNEL_ORDER.filter((c) => runs.some((s) => channelsOf(s).includes(c))),
    notice: null,
    contact: organizationContact(o),
    services: runs.map(ref),
  };
}

/** The window a rule's destination names: its service when it names one, else its organisation. */
export function windowOf(to: { serviceId?: string; organizationId?: string }, index: WindowIndex): PublicWindow | null {
  const s = to.serviceId ? index.serviceById.get(to.serviceId) : undefined;
  if (s) return serviceWindow(s, index);
  const o = to.organizationId ? index.organizationById.get(to.organizationId) : undefined;
  return o ? organizationWindow(o, index) : null;
}
