import type { NetworkOverview, Organization, PartnerGroup, Program, RuleSet } from '../network/service.ts';
import type { Cadence, ProfileRoutingRule } from '../network/profile.schema.ts';
import { CHANNELS, ORGANIZATION_KINDS, PARTNER_KINDS, SCHOOL_STAGES, type Term } from '../network/vocabulary.ts';
import { japanDate, japanTime, warekiDate, warekiTimeRange } from '../../lib/fiscal.ts';
import { ageBandsFor, buildTaxonomies, type TaxonomyKey } from './taxonomy.ts';
import {
  hsdsId,
  type HsdsAttribute, type HsdsContact, type HsdsLocation, type HsdsOrganization, type HsdsOrganizationBrief,
  type HsdsPhone, type HsdsProgram, type HsdsSchedule, type HsdsService, type HsdsServiceArea, type HsdsServiceAtLocation,
  type HsdsServiceAtLocationBrief, type HsdsServiceBrief, type HsdsTaxonomy, type HsdsTaxonomyTerm,
} from './types.ts';

/**
 * The pure mapping from a municipality's network (as the network module's
 * service reads it) to the HSDS 3.0 objects of its public directory. No I/O:
 * service.ts reads, this decides what goes out and in which shape.
 *
 * Only the network's public face is published: organisations, the programs
 * not marked `public: false`, the routing rules' `publicReason`s and the
 * vocabularies. Never notes (caveats for the city, 要確認), staff counts,
 * the staff-facing rule reasons, meeting series, or anything about people.
 */

export interface ContactInfo {
  phone?: string;
  email?: string;
  url?: string;
  address?: string;
  hours?: string;
}

/** What the network service does not (yet) expose: whether a program is public, its contact, and when rows changed. */
export interface PublicationFacts {
  programs: Map<string, { public: boolean; contact: ContactInfo | null; updatedAt: Date }>;
  organizations: Map<string, { updatedAt: Date }>;
}

/** Published events and drop-in opening days, each published as a schedule of its program's service. */
export interface DirectorySessions {
  events: { id: string; programId: string; title: string; startsAt: string; endsAt: string; place: string | null; online: boolean }[];
  openings: { id: string; programId: string; freq: 'WEEKLY' | 'MONTHLY'; byday: string; opensAt: string; closesAt: string; validFrom: string | null; validTo: string | null; description: string | null; summary: string }[];
}

/**
 * The prefecture's 連携団体 (partner groups, issue 12) that serve this
 * municipality and are public: published beside its own services with the
 * prefecture named as their source.
 */
export interface DirectoryPartners {
  prefecture: { code: string; name: string };
  groups: PartnerGroup[];
  /** Names of the prefecture's municipalities by code, for the areas a group serves. */
  municipalityNames: Map<string, string>;
}

export interface DirectorySource {
  network: NetworkOverview;
  partners?: DirectoryPartners;
  sessions?: DirectorySessions;
  /** The national issue tags plus the municipality's own (getVocabularies). */
  issueTags: readonly Term[];
  ruleSet: RuleSet;
  facts: PublicationFacts;
}

export interface ServiceEntry {
  service: HsdsService;
  brief: HsdsServiceBrief;
  termIds: Set<string>;
  taxonomyIds: Set<string>;
  /** Owners and contractors: `organization_id` finds a service through any of them. */
  organizationIds: Set<string>;
  modifiedAt: Date;
  text: string;
}

export interface OrganizationEntry {
  organization: Omit<HsdsOrganization, 'services'>;
  brief: HsdsOrganizationBrief;
  /** Services it owns or runs, in directory order. */
  serviceIds: string[];
  modifiedAt: Date;
  text: string;
}

export interface ServiceAtLocationEntry {
  full: HsdsServiceAtLocation;
  brief: HsdsServiceAtLocationBrief;
  service: ServiceEntry;
  modifiedAt: Date;
  text: string;
}

export interface HsdsDirectory {
  municipality: { id: string; code: string; name: string };
  services: ServiceEntry[];
  organizations: OrganizationEntry[];
  serviceAtLocations: ServiceAtLocationEntry[];
  taxonomies: { taxonomy: HsdsTaxonomy; text: string }[];
  terms: { term: HsdsTaxonomyTerm; text: string }[];
}

/** Japan Standard Time as the UTC offset HSDS schedules carry. */
const JST = 9;

const label = (terms: readonly Term[], code: string) => terms.find((t) => t.code === code)?.ja ?? code;

/** Folds what a searcher should not have to match exactly: width (NFKC), case, katakana/hiragana, spaces. */
export function normalizeForSearch(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u30a1-\u30f6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/\s+/g, '');
}

const searchText = (...parts: (string | null | undefined)[]) => normalizeForSearch(parts.filter(Boolean).join('\n'));

const latest = (...dates: (Date | undefined)[]) =>
  new Date(Math.max(...dates.filter((d): d is Date => d instanceof Date).map((d) => d.getTime()), 0));

/**
 * A cadence (`{ every: 2, unit: month }`, `{ timesPerYear: 4 }`) as an HSDS
 * schedule's RRULE parts and a Japanese description. HSDS 3.0 knows only
 * WEEKLY and MONTHLY, so a year is 12 months; a count per year that divides
 * neither 12 months nor 52 weeks keeps only its description.
 */
export function cadenceSchedule(c: Cadence): { freq?: 'WEEKLY' | 'MONTHLY'; interval?: number; description: string } | null {
  const about = c.approximate ? 'おおむね' : '';
  if (c.every && c.unit) {
    const n = c.every;
    if (c.unit === 'week') return { freq: 'WEEKLY', interval: n, description: about + (n === 1 ? '毎週' : `${n}週間に1回`) };
    if (c.unit === 'month') return { freq: 'MONTHLY', interval: n, description: about + (n === 1 ? '毎月' : `${n}か月に1回`) };
    return { freq: 'MONTHLY', interval: 12 * n, description: about + (n === 1 ? '年1回' : `${n}年に1回`) };
  }
  if (c.timesPerYear) {
    const k = c.timesPerYear;
    const description = `${about}年${k}回`;
    if (12 % k === 0) return { freq: 'MONTHLY', interval: 12 / k, description };
    if (52 % k === 0) return { freq: 'WEEKLY', interval: 52 / k, description };
    return { description };
  }
  return null;
}

/** "15歳〜49歳", "65歳以上", "39歳以下". */
function ageText(min: number | null, max: number | null): string | null {
  if (min !== null && max !== null) return `${min}歳〜${max}歳`;
  if (min !== null) return `${min}歳以上`;
  if (max !== null) return `${max}歳以下`;
  return null;
}

function overlaps(aMin?: number | null, aMax?: number | null, bMin?: number | null, bMax?: number | null) {
  return (aMin ?? 0) <= (bMax ?? Number.POSITIVE_INFINITY) && (bMin ?? 0) <= (aMax ?? Number.POSITIVE_INFINITY);
}

const intersects = (a: readonly string[], b: readonly string[]) => a.some((x) => b.includes(x));

/**
 * Whether a routing rule's conditions could describe people a program takes:
 * where both state tags, school stages or ages, they must meet.
 */
function compatible(when: ProfileRoutingRule['when'], p: Program): boolean {
  const tags = [...(when.issueTagsAny ?? []), ...(when.issueTagsAll ?? [])];
  if (tags.length && p.eligibility.issueTags.length && !intersects(tags, p.eligibility.issueTags)) return false;
  if (when.schoolStages?.length && p.eligibility.schoolStages.length && !intersects(when.schoolStages, p.eligibility.schoolStages)) return false;
  const ruleHasAge = when.ageMin !== undefined || when.ageMax !== undefined;
  const programHasAge = p.eligibility.ageMin !== null || p.eligibility.ageMax !== null;
  if (ruleHasAge && programHasAge && !overlaps(when.ageMin, when.ageMax, p.eligibility.ageMin, p.eligibility.ageMax)) return false;
  return true;
}

interface RuleContribution {
  reasons: string[];
  issueTags: string[];
  schoolStages: string[];
  ageBands: string[];
}

/** Builds the directory of one municipality. */
/** An event as a one-off schedule: its dates and hours in Japan. */
export function eventSchedule(code: string, serviceId: string, e: DirectorySessions['events'][number]): HsdsSchedule {
  const from = japanDate(new Date(e.startsAt));
  const to = japanDate(new Date(e.endsAt));
  return {
    id: hsdsId(code, 'schedule', 'event', e.id), service_id: serviceId, timezone: JST,
    valid_from: from, valid_to: to, dtstart: from, until: to,
    opens_at: `${japanTime(new Date(e.startsAt))}+09:00`, closes_at: `${japanTime(new Date(e.endsAt))}+09:00`,
    description: `${e.title}：${warekiTimeRange(e.startsAt, e.endsAt)}`,
    notes: e.title,
    attending_type: [e.place, e.online ? 'オンライン' : null].filter(Boolean).join('・') || undefined,
  };
}

/** A drop-in place's regular opening as a recurring schedule. */
export function openingSchedule(code: string, serviceId: string, o: DirectorySessions['openings'][number]): HsdsSchedule {
  return {
    id: hsdsId(code, 'schedule', 'drop_in_opening', o.id), service_id: serviceId, timezone: JST,
    ...(o.validFrom ? { valid_from: o.validFrom, dtstart: o.validFrom } : {}), ...(o.validTo ? { valid_to: o.validTo, until: o.validTo } : {}),
    freq: o.freq, byday: o.byday, opens_at: `${o.opensAt}+09:00`, closes_at: `${o.closesAt}+09:00`,
    description: o.description ? `${o.summary}（${o.description}）` : o.summary,
  };
}

export function buildDirectory({ network, issueTags, ruleSet, facts, sessions, partners }: DirectorySource): HsdsDirectory {
  const m = network.municipality;
  const code = m.code;
  const orgById = new Map(network.organizations.map((o) => [o.id, o]));
  const orgByKey = new Map(network.organizations.map((o) => [o.key, o]));
  const areaById = new Map(network.areas.map((a) => [a.id, a]));
  const keyOf = (id: string) => orgById.get(id)?.key ?? id;
  const tax = buildTaxonomies(code, issueTags);

  // default deny: a program without publication facts is not published
  const programs = network.programs.filter((p) => facts.programs.get(p.id)?.public === true);
  const programByKey = new Map(programs.map((p) => [p.key, p]));
  const activeRefs = (refs: { id: string }[]) => refs.map((r) => orgById.get(r.id)).filter((o): o is Organization => o !== undefined);
  const owners = (p: Program) => activeRefs(p.owners);
  /** Who delivers a program: its contractors under commission (委託), else its owners. */
  const deliverers = (p: Program) => (p.contractors.length ? activeRefs(p.contractors) : owners(p));
  const primaryOwner = (p: Program) => {
    const o = owners(p);
    return o.find((x) => x.hub) ?? o[0];
  };
  const names = (orgs: Organization[]) => orgs.map((o) => o.name).join('・');
  const namesEn = (orgs: Organization[]) => (orgs.every((o) => o.nameEn) ? orgs.map((o) => o.nameEn).join(', ') : undefined);

  // ---- routing rules: public reasons and the target groups they name
  const contributions = new Map<string, RuleContribution>();
  const touchedByRules = new Set<string>();
  for (const rule of ruleSet.rules) {
    let targets: Program[] = [];
    if (rule.to.program) {
      const p = programByKey.get(rule.to.program);
      if (p) targets = [p];
    } else if (rule.to.organization) {
      const org = orgByKey.get(rule.to.organization);
      if (org) targets = programs.filter((p) => deliverers(p).some((d) => d.id === org.id) && compatible(rule.when, p));
    }
    for (const p of targets) {
      const c = contributions.get(p.id) ?? { reasons: [], issueTags: [], schoolStages: [], ageBands: [] };
      contributions.set(p.id, c);
      if (rule.publicReason && !c.reasons.includes(rule.publicReason)) c.reasons.push(rule.publicReason);
      touchedByRules.add(p.id);
      // a rule that names several of an organisation's services says where
      // consultations go, not what each service is for: it classifies none
      if (targets.length !== 1) continue;
      c.issueTags.push(...(rule.when.issueTagsAny ?? []), ...(rule.when.issueTagsAll ?? []));
      c.schoolStages.push(...(rule.when.schoolStages ?? []));
      c.ageBands.push(...ageBandsFor(rule.when.ageMin, rule.when.ageMax));
    }
  }

  // ---- HSDS programs: a commission (owners → contractors) or a co-owned set of services
  const groupKey = (p: Program) =>
    p.contractors.length || p.owners.length > 1
      ? `${p.owners.map((o) => keyOf(o.id)).sort().join('+')}>${p.contractors.map((o) => keyOf(o.id)).sort().join('+')}`
      : null;
  const groups = new Map<string, Program[]>();
  for (const p of programs) {
    const k = groupKey(p);
    if (k) groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  const hsdsPrograms = new Map<string, HsdsProgram>();
  for (const [k, members] of groups) {
    const first = members[0];
    const owner = primaryOwner(first);
    if (!owner) continue;
    const own = owners(first);
    const contractors = activeRefs(first.contractors);
    const serviceNames = members.map((p) => p.name).join('、');
    hsdsPrograms.set(k, contractors.length
      ? {
          id: hsdsId(code, 'program', k), organization_id: owner.id,
          name: `${names(own)}の委託事業（${names(contractors)}）`,
          alternate_name: namesEn(own) && namesEn(contractors) ? `Commissioned by ${namesEn(own)} to ${namesEn(contractors)}` : undefined,
          description: `${names(own)}が${names(contractors)}に委託して実施する事業：${serviceNames}`,
        }
      : {
          id: hsdsId(code, 'program', k), organization_id: owner.id,
          name: `${names(own)}の共管事業`,
          alternate_name: namesEn(own) ? `Run jointly by ${namesEn(own)}` : undefined,
          description: `${names(own)}が共同で所管する事業：${serviceNames}`,
        });
  }

  // ---- organisations: brief form, phones, contacts, locations
  const contactOf = (o: Organization) => (o.contact ?? null) as ContactInfo | null;
  const orgBrief = new Map<string, HsdsOrganizationBrief>();
  for (const o of network.organizations) {
    const c = contactOf(o);
    orgBrief.set(o.id, {
      id: o.id, name: o.name, alternate_name: o.nameEn ?? undefined,
      description: [o.description ?? `${label(ORGANIZATION_KINDS, o.kind)}（${o.internal ? '庁内' : '庁外'}）`, o.focus].filter(Boolean).join('\n'),
      email: c?.email, website: c?.url,
      parent_organization_id: o.parentId && orgById.has(o.parentId) ? o.parentId : undefined,
    });
  }

  const locations = new Map<string, HsdsLocation>();
  const locationOf = (o: Organization): HsdsLocation => {
    const existing = locations.get(o.id);
    if (existing) return existing;
    const id = hsdsId(code, 'location', o.key);
    const c = contactOf(o);
    const location: HsdsLocation = {
      id, location_type: 'physical', organization_id: o.id, name: o.name, alternate_name: o.nameEn ?? undefined,
      addresses: c?.address ? [address(id, c.address, m.name, m.prefecture)] : [],
      schedules: c?.hours ? [{ id: hsdsId(code, 'schedule', 'organization', o.key, 'hours'), location_id: id, timezone: JST, description: `受付時間：${c.hours}` }] : [],
    };
    locations.set(o.id, location);
    return location;
  };
  for (const p of programs) deliverers(p).forEach(locationOf);
  for (const o of network.organizations) if (contactOf(o)?.address) locationOf(o);

  // ---- services
  const attribute = (linkId: string, entity: 'service' | 'organization', linkType: string, term: HsdsTaxonomyTerm): HsdsAttribute => ({
    id: hsdsId('attribute', linkId, term.id), link_id: linkId, link_type: linkType, link_entity: entity, taxonomy_term_id: term.id, taxonomy_term: term,
  });
  const LINK_TYPES: Record<TaxonomyKey, string> = {
    issue_tags: 'issue', target_groups: 'target_group', channels: 'channel', service_types: 'service_type', organization_types: 'organization_type',
  };

  const services: ServiceEntry[] = [];
  for (const p of programs) {
    const fact = facts.programs.get(p.id)!;
    const contact = fact.contact;
    const rules = contributions.get(p.id);
    const delivering = deliverers(p);
    const provider = delivering[0];
    const group = groupKey(p);
    const program = group ? hsdsPrograms.get(group) : undefined;
    const e = p.eligibility;

    const eligibility = [
      e.description ?? ([ageText(e.ageMin, e.ageMax), e.schoolStages.map((s) => label(SCHOOL_STAGES, s)).join('・')].filter(Boolean).join('、') || null),
      ...(rules?.reasons ?? []),
    ].filter(Boolean).join('\n');
    const provision = p.contractors.length
      ? `${names(owners(p))}が${names(delivering)}に委託して実施する事業です。`
      : `${names(owners(p))}の事業です。`;

    const brief: HsdsServiceBrief = {
      id: p.id,
      organization_id: provider?.id,
      program_id: program?.id,
      name: p.name,
      alternate_name: p.nameEn ?? undefined,
      description: p.description ?? provision,
      url: contact?.url,
      email: contact?.email,
      status: p.status === 'active' ? 'active' : p.status === 'planned' ? 'inactive' : 'defunct',
      application_process: p.channels.length ? `相談方法：${p.channels.map((c) => label(CHANNELS, c)).join('・')}` : undefined,
      eligibility_description: eligibility || undefined,
      minimum_age: e.ageMin ?? undefined,
      maximum_age: e.ageMax ?? undefined,
      alert: p.status === 'planned' ? '開始予定の事業です。' : p.status === 'ended' ? '終了した事業です。' : undefined,
      last_modified: '',
      organization: provider ? orgBrief.get(provider.id) : undefined,
      program,
    };

    const phone: HsdsPhone | undefined = contact?.phone
      ? { id: hsdsId(code, 'phone', 'program', p.key), service_id: p.id, number: contact.phone, type: 'voice', description: contact.hours ? `受付時間：${contact.hours}` : undefined }
      : undefined;
    const contacts: HsdsContact[] = contact && (contact.phone || contact.email)
      ? [{ id: hsdsId(code, 'contact', 'program', p.key), service_id: p.id, department: provider?.name, email: contact.email, phones: phone ? [phone] : [] }]
      : [];

    const schedules: HsdsSchedule[] = [];
    const cadence = p.cadence ? cadenceSchedule(p.cadence as Cadence) : null;
    if (cadence) {
      schedules.push({
        id: hsdsId(code, 'schedule', 'program', p.key, 'cadence'), service_id: p.id, timezone: JST, ...cadence,
        attending_type: p.channels.length ? p.channels.map((c) => label(CHANNELS, c)).join('・') : undefined,
      });
    }
    if (contact?.hours) schedules.push({ id: hsdsId(code, 'schedule', 'program', p.key, 'hours'), service_id: p.id, timezone: JST, description: `受付時間：${contact.hours}` });
    for (const e of sessions?.events ?? []) if (e.programId === p.id) schedules.push(eventSchedule(code, p.id, e));
    for (const o of sessions?.openings ?? []) if (o.programId === p.id) schedules.push(openingSchedule(code, p.id, o));

    const areas = e.areaIds.map((id) => areaById.get(id)).filter((a) => a !== undefined);
    const serviceAreas: HsdsServiceArea[] = areas.length
      ? areas.map((a) => ({ id: hsdsId(code, 'service_area', p.key, a.key), service_id: p.id, name: `${m.name}${a.name}` }))
      : [{
          id: hsdsId(code, 'service_area', p.key, 'municipality'), service_id: p.id, name: m.name,
          description: p.wideArea ? `${m.name}と近隣の自治体（広域連携で共催）` : `${m.name}全域`,
        }];

    // taxonomy terms, in taxonomy order, each once
    const terms: [TaxonomyKey, HsdsTaxonomyTerm][] = [];
    const addTerm = (key: TaxonomyKey, termCode: string) => {
      const t = tax.term(key, termCode);
      if (t && !terms.some(([, x]) => x.id === t.id)) terms.push([key, t]);
    };
    [...e.issueTags, ...(rules?.issueTags ?? [])].forEach((t) => addTerm('issue_tags', t));
    [...e.schoolStages, ...(rules?.schoolStages ?? [])].forEach((s) => addTerm('target_groups', s));
    [...ageBandsFor(e.ageMin, e.ageMax), ...(rules?.ageBands ?? [])].forEach((b) => addTerm('target_groups', b));
    p.channels.forEach((c) => addTerm('channels', c));
    addTerm('service_types', p.kind);

    const related = [...owners(p), ...activeRefs(p.contractors)];
    const modifiedAt = latest(
      fact.updatedAt, ...related.map((o) => facts.organizations.get(o.id)?.updatedAt), touchedByRules.has(p.id) ? ruleSet.createdAt : undefined,
    );
    brief.last_modified = modifiedAt.toISOString();

    const service: HsdsService = {
      ...brief,
      phones: phone ? [phone] : [],
      schedules,
      service_areas: serviceAreas,
      service_at_locations: delivering.map((o) => {
        const location = locationOf(o);
        return { id: hsdsId(code, 'service_at_location', p.key, o.key), service_id: p.id, location_id: location.id, location };
      }),
      contacts,
      attributes: terms.map(([key, t]) => attribute(p.id, 'service', LINK_TYPES[key], t)),
    };
    services.push({
      service, brief,
      termIds: new Set(terms.map(([, t]) => t.id)),
      taxonomyIds: new Set(terms.map(([, t]) => t.taxonomy_id)),
      organizationIds: new Set(related.map((o) => o.id)),
      modifiedAt,
      text: searchText(p.name, p.nameEn, brief.description, brief.eligibility_description),
    });
  }

  // ---- organisations in full
  const organizations: OrganizationEntry[] = network.organizations.map((o) => {
    const c = contactOf(o);
    const phone: HsdsPhone | undefined = c?.phone
      ? { id: hsdsId(code, 'phone', 'organization', o.key), organization_id: o.id, number: c.phone, type: 'voice', description: c.hours ? `受付時間：${c.hours}` : undefined }
      : undefined;
    const kind = tax.term('organization_types', o.kind);
    const brief = orgBrief.get(o.id)!;
    return {
      brief,
      organization: {
        ...brief,
        phones: phone ? [phone] : [],
        contacts: c && (c.phone || c.email) ? [{ id: hsdsId(code, 'contact', 'organization', o.key), organization_id: o.id, department: o.name, email: c.email, phones: phone ? [phone] : [] }] : [],
        locations: locations.has(o.id) ? [locations.get(o.id)!] : [],
        programs: [...hsdsPrograms.values()].filter((hp) => hp.organization_id === o.id),
        attributes: kind ? [attribute(o.id, 'organization', LINK_TYPES.organization_types, kind)] : [],
      },
      serviceIds: services.filter((s) => s.organizationIds.has(o.id)).map((s) => s.service.id),
      modifiedAt: facts.organizations.get(o.id)?.updatedAt ?? new Date(0),
      text: searchText(o.name, o.nameEn, brief.description),
    };
  });

  // ---- services at locations
  const serviceAtLocations: ServiceAtLocationEntry[] = services.flatMap((entry) =>
    entry.service.service_at_locations.map((sal) => {
      const { service_at_locations: _omit, ...serviceWithoutLocations } = entry.service;
      const { addresses: _a, schedules: _s, ...locationBrief } = sal.location;
      return {
        full: { id: sal.id, service_id: sal.service_id, location_id: sal.location_id, location: sal.location, service: serviceWithoutLocations },
        brief: { id: sal.id, service_id: sal.service_id, location_id: sal.location_id, location: locationBrief, service: entry.brief },
        service: entry,
        modifiedAt: entry.modifiedAt,
        text: `${entry.text}\n${searchText(sal.location.name, sal.location.alternate_name)}`,
      };
    }),
  );

  // ---- the prefecture's partner groups (連携団体), with the prefecture as their source
  for (const g of partners?.groups ?? []) {
    if (!g.public) continue;
    const pref = partners!.prefecture;
    const c = g.contact as ContactInfo | null;
    const kindJa = label(PARTNER_KINDS, g.kind);
    const sourceNote = `${pref.name}の連携団体（${kindJa}。${warekiDate(g.agreedOn)}に協定）。この団体の情報は${pref.name}が提供しています。`;
    const orgDescription = [g.description, sourceNote].filter(Boolean).join('\n');
    const orgBriefP: HsdsOrganizationBrief = { id: g.id, name: g.name, alternate_name: g.nameEn ?? undefined, description: orgDescription, email: c?.email, website: c?.url };
    const serviceId = hsdsId(pref.code, 'service', 'partner', g.key);
    const phone = (owner: { service_id: string } | { organization_id: string }, what: string): HsdsPhone | undefined => c?.phone
      ? { id: hsdsId(pref.code, 'phone', what, g.key), ...owner, number: c.phone, type: 'voice', description: c.hours ? `受付時間：${c.hours}` : undefined }
      : undefined;
    const servicePhone = phone({ service_id: serviceId }, 'partner-service');
    const orgPhone = phone({ organization_id: g.id }, 'partner');
    const terms: [TaxonomyKey, HsdsTaxonomyTerm][] = [];
    const addTerm = (key: TaxonomyKey, termCode: string) => {
      const t = tax.term(key, termCode);
      if (t && !terms.some(([, x]) => x.id === t.id)) terms.push([key, t]);
    };
    if (g.kind === 'family_group' || g.kind === 'peer_group') addTerm('service_types', 'peer_group');
    ageBandsFor(g.ageMin, g.ageMax).forEach((b) => addTerm('target_groups', b));
    const served = g.municipalities
      ? g.municipalities.filter((mc) => partners!.municipalityNames.has(mc)).map((mc) => ({ code: mc, name: partners!.municipalityNames.get(mc)! }))
      : null;
    const brief: HsdsServiceBrief = {
      id: serviceId, organization_id: g.id, name: g.name, alternate_name: g.nameEn ?? undefined,
      description: g.offers, url: c?.url, email: c?.email, status: 'active',
      eligibility_description: [ageText(g.ageMin, g.ageMax), sourceNote].filter(Boolean).join('\n'),
      minimum_age: g.ageMin ?? undefined, maximum_age: g.ageMax ?? undefined,
      last_modified: g.updatedAt.toISOString(), organization: orgBriefP,
    };
    const service: HsdsService = {
      ...brief,
      phones: servicePhone ? [servicePhone] : [],
      schedules: c?.hours ? [{ id: hsdsId(pref.code, 'schedule', 'partner', g.key, 'hours'), service_id: serviceId, timezone: JST, description: `受付時間：${c.hours}` }] : [],
      service_areas: served
        ? served.map((x) => ({ id: hsdsId(pref.code, 'service_area', 'partner', g.key, x.code), service_id: serviceId, name: x.name }))
        : [{ id: hsdsId(pref.code, 'service_area', 'partner', g.key, 'prefecture'), service_id: serviceId, name: pref.name, description: `${pref.name}全域` }],
      service_at_locations: [],
      contacts: c && (c.phone || c.email) ? [{ id: hsdsId(pref.code, 'contact', 'partner-service', g.key), service_id: serviceId, department: g.name, email: c.email, phones: servicePhone ? [servicePhone] : [] }] : [],
      attributes: terms.map(([key, t]) => attribute(serviceId, 'service', LINK_TYPES[key], t)),
    };
    services.push({
      service, brief, termIds: new Set(terms.map(([, t]) => t.id)), taxonomyIds: new Set(terms.map(([, t]) => t.taxonomy_id)),
      organizationIds: new Set([g.id]), modifiedAt: g.updatedAt, text: searchText(g.name, g.nameEn, g.offers, kindJa, pref.name, '連携団体'),
    });
    organizations.push({
      brief: orgBriefP,
      organization: {
        ...orgBriefP,
        phones: orgPhone ? [orgPhone] : [],
        contacts: c && (c.phone || c.email) ? [{ id: hsdsId(pref.code, 'contact', 'partner', g.key), organization_id: g.id, department: g.name, email: c.email, phones: orgPhone ? [orgPhone] : [] }] : [],
        locations: [], programs: [], attributes: [],
        organization_identifiers: [{
          id: hsdsId(pref.code, 'organization_identifier', 'partner', g.key), organization_id: g.id,
          identifier_scheme: `${pref.code}-partner-groups`, identifier_type: `${pref.name}の連携団体`, identifier: g.key,
        }],
      },
      serviceIds: [serviceId], modifiedAt: g.updatedAt, text: searchText(g.name, g.nameEn, orgDescription),
    });
  }

  return {
    municipality: { id: m.id, code, name: m.name },
    services,
    organizations,
    serviceAtLocations,
    taxonomies: tax.taxonomies.map((t) => ({ taxonomy: t, text: searchText(t.name, t.description) })),
    terms: tax.terms.map((t) => ({ term: t, text: searchText(t.code, t.name, t.description) })),
  };
}

/**
 * A free-text address as an HSDS address: the postal code when it is written
 * (〒180-8777), the rest as the first line. The profile has no structured
 * address, so the city and prefecture are the municipality's.
 */
export function address(locationId: string, text: string, city: string, prefecture: string) {
  const postal = text.match(/〒?\s*(\d{3})[-‐－ー−]?(\d{4})/);
  const rest = postal ? text.replace(postal[0], '').trim() : text.trim();
  return {
    id: hsdsId('address', locationId), location_id: locationId, address_1: rest || text, city, state_province: prefecture,
    postal_code: postal ? `${postal[1]}-${postal[2]}` : '', country: 'JP', address_type: 'physical' as const,
  };
}

