import type { Db } from '../../db/index.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import type { ProfileCentreSettings, ProfilePartnerAgreement, ProfileRoutingRule } from './profile.schema.ts';
import { badRequest, conflict, notFound } from '../../errors.ts';
import { recordAudit } from '../audit/service.ts';
import { checkRoutingRules } from './profile.ts';
import { ROLE_LABELS, ROLES } from '../auth/roles.ts';
import type { Area, MeetingSeries, Municipality, NetworkOverview, Organization, OrganizationDetail, Program, Ref, Vocabularies } from './types.ts';
import { CHANNELS, CONSULTER_RELATIONS, ISSUE_TAGS, LEGAL_BASES, ORGANIZATION_KINDS, PROGRAM_KINDS, SCHOOL_STAGES, SHARE_BASES, type Term } from './vocabulary.ts';

/**
 * The network module's read interface: a municipality's organisations,
 * programs, meeting series and areas as loaded from its profile. Network data
 * is not personal data, so reads are not audited.
 */

export type { Area, Cadence, Contact, Eligibility, MeetingSeries, Municipality, NetworkOverview, Organization, OrganizationDetail, PartnerOf, Program, ProgramStatus, Ref, Vocabularies } from './types.ts';

export async function getMunicipality(db: Db, municipalityId: string): Promise<Municipality> {
  const { rows } = await db.query<Municipality>(
    `SELECT id, code, kind, name, name_en AS "nameEn", prefecture_name AS prefecture, population
     FROM municipality WHERE id = $1`,
    [municipalityId],
  );
  if (!rows[0]) throw notFound('municipality');
  return rows[0];
}

export async function findMunicipalityByCode(db: Db, code: string): Promise<Municipality | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM municipality WHERE code = $1', [code]);
  return rows[0] ? getMunicipality(db, rows[0].id) : null;
}

export async function listMunicipalities(db: Db): Promise<Municipality[]> {
  const { rows } = await db.query<Municipality>(
    `SELECT id, code, kind, name, name_en AS "nameEn", prefecture_name AS prefecture, population FROM municipality ORDER BY code`,
  );
  return rows;
}

export async function listOrganizations(db: Db, municipalityId: string, opts: { includeInactive?: boolean } = {}): Promise<Organization[]> {
  const { rows } = await db.query<Organization>(
    `SELECT o.id, o.key, o.name, o.name_kana AS "nameKana", o.name_en AS "nameEn", o.kind, o.internal,
            o.parent_id AS "parentId", o.hub, o.staff_count AS "staffCount", o.opened_on AS "openedOn",
            o.description, o.focus, o.contact, o.notes, o.network_roles AS "networkRoles", o.active, o.updated_at AS "updatedAt",
            COALESCE((SELECT array_agg(oa.area_id ORDER BY a.key) FROM organization_area oa
                      JOIN area a ON a.municipality_id = oa.municipality_id AND a.id = oa.area_id
                      WHERE oa.municipality_id = o.municipality_id AND oa.organization_id = o.id AND oa.active), '{}') AS "areaIds",
            CASE WHEN o.partner_source_organization_id IS NULL THEN NULL ELSE json_build_object(
              'prefectureCode', pm.code, 'prefectureName', pm.name, 'sourceOrganizationId', o.partner_source_organization_id,
              'kind', o.partner_agreement->>'kind', 'agreedOn', o.partner_agreement->>'agreedOn',
              'ageMin', (o.partner_agreement->>'ageMin')::int, 'ageMax', (o.partner_agreement->>'ageMax')::int,
              'offers', o.partner_agreement->>'offers', 'public', (o.partner_agreement->>'public')::boolean) END AS partner
     FROM organization o LEFT JOIN municipality pm ON pm.id = o.partner_source_municipality_id
     WHERE o.municipality_id = $1 AND (o.active OR $2)
     ORDER BY o.hub DESC, o.internal DESC, (o.partner_source_organization_id IS NOT NULL), o.kind, o.key`,
    [municipalityId, opts.includeInactive ?? false],
  );
  return rows;
}

const PROGRAM_SELECT = `
  SELECT p.id, p.key, p.name, p.name_en AS "nameEn", p.kind, p.status, p.description, p.started_on AS "startedOn",
         json_build_object('ageMin', p.age_min, 'ageMax', p.age_max, 'schoolStages', p.school_stages,
           'issueTags', p.issue_tags, 'description', p.eligibility_description,
           'areaIds', COALESCE((SELECT json_agg(pa.area_id) FROM program_area pa
                                WHERE pa.municipality_id = p.municipality_id AND pa.program_id = p.id AND pa.active), '[]'::json)) AS eligibility,
         p.channels, p.cadence, p.wide_area AS "wideArea", p.notes, p.network_roles AS "networkRoles", p.active, p.public, p.contact, p.updated_at AS "updatedAt",
         COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.key)
                   FROM program_owner po JOIN organization o ON o.municipality_id = po.municipality_id AND o.id = po.organization_id
                   WHERE po.municipality_id = p.municipality_id AND po.program_id = p.id AND po.active), '[]'::json) AS owners,
         COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.key)
                   FROM program_commission pc JOIN organization o ON o.municipality_id = pc.municipality_id AND o.id = pc.contractor_id
                   WHERE pc.municipality_id = p.municipality_id AND pc.program_id = p.id AND pc.active), '[]'::json) AS contractors,
         (SELECT json_build_object('id', s.id, 'name', s.name) FROM meeting_series s
          WHERE s.municipality_id = p.municipality_id AND s.id = p.reviewed_in_id) AS "reviewedIn"
  FROM program p`;

export async function listPrograms(db: Db, municipalityId: string, opts: { includeInactive?: boolean } = {}): Promise<Program[]> {
  const { rows } = await db.query<Program>(
    `${PROGRAM_SELECT} WHERE p.municipality_id = $1 AND (p.active OR $2) ORDER BY p.status, p.kind, p.key`,
    [municipalityId, opts.includeInactive ?? false],
  );
  return rows;
}

export async function getProgram(db: Db, municipalityId: string, programId: string): Promise<Program> {
  const { rows } = await db.query<Program>(`${PROGRAM_SELECT} WHERE p.municipality_id = $1 AND p.id = $2`, [municipalityId, programId]);
  if (!rows[0]) throw notFound('program');
  return rows[0];
}

export async function listMeetingSeries(db: Db, municipalityId: string): Promise<MeetingSeries[]> {
  const { rows } = await db.query<MeetingSeries>(
    `SELECT s.id, s.key, s.name, s.name_en AS "nameEn", s.cadence, s.legal_basis AS "legalBasis", s.purpose,
            s.member_level AS "memberLevel", s.notes, s.network_roles AS "networkRoles", s.active,
            (SELECT json_build_object('id', o.id, 'name', o.name) FROM organization o
             WHERE o.municipality_id = s.municipality_id AND o.id = s.organizer_id) AS organizer,
            COALESCE((SELECT json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY o.key)
                      FROM meeting_series_member m JOIN organization o ON o.municipality_id = m.municipality_id AND o.id = m.organization_id
                      WHERE m.municipality_id = s.municipality_id AND m.series_id = s.id AND m.active), '[]'::json) AS members
     FROM meeting_series s WHERE s.municipality_id = $1 AND s.active ORDER BY s.key`,
    [municipalityId],
  );
  return rows;
}

/** A prefecture's `centre` settings from its profile (null for a municipality, or a prefecture that gives none). */
export async function getCentreSettings(db: Db, prefectureId: string): Promise<ProfileCentreSettings | null> {
  const { rows } = await db.query<{ centre_settings: ProfileCentreSettings | null }>('SELECT centre_settings FROM municipality WHERE id = $1', [prefectureId]);
  return rows[0]?.centre_settings ?? null;
}

export interface GapRule {
  id: string;
  key: string;
  check: string;
  fiscalYears: number | null;
  ageMin: number | null;
  ageMax: number | null;
  reason: string;
  reasonEn: string | null;
}

/** A prefecture's checks of its municipalities' networks, in the profile's order. */
export async function listGapRules(db: Db, municipalityId: string): Promise<GapRule[]> {
  const { rows } = await db.query<GapRule>(
    `SELECT id, key, check_kind AS "check", (params->>'fiscalYears')::int AS "fiscalYears", (params->>'ageMin')::int AS "ageMin",
            (params->>'ageMax')::int AS "ageMax", reason, reason_en AS "reasonEn"
     FROM gap_rule WHERE municipality_id = $1 AND active ORDER BY position, key`,
    [municipalityId],
  );
  return rows;
}

export async function listAreas(db: Db, municipalityId: string): Promise<Area[]> {
  const { rows } = await db.query<Area>(
    `SELECT id, key, name, named, parent_id AS "parentId", notes FROM area WHERE municipality_id = $1 AND active ORDER BY key`,
    [municipalityId],
  );
  return rows;
}

/**
 * A municipality's network as staff work with it: its profile's
 * organisations, programs, meeting series and areas, and the prefecture's
 * partner groups serving it (organisations with `partner`), which staff
 * refer to and name in consents like any organisation.
 */
export async function getNetwork(db: Db, municipalityId: string): Promise<NetworkOverview> {
  const [municipality, organizations, programs, meetingSeries, areas] = await Promise.all([
    getMunicipality(db, municipalityId),
    listOrganizations(db, municipalityId),
    listPrograms(db, municipalityId),
    listMeetingSeries(db, municipalityId),
    listAreas(db, municipalityId),
  ]);
  return { municipality, organizations, programs, meetingSeries, areas };
}

/**
 * The network as the municipality's own profile describes it, without the
 * prefecture's partner groups: what the public directory publishes as the
 * municipality's, and what the centre compares across municipalities.
 */
export const ownNetwork = (n: NetworkOverview): NetworkOverview => ({ ...n, organizations: n.organizations.filter((o) => !o.partner) });

/** 連携団体 as a prefecture's profile states them (issue 12). */
export interface PartnerGroup {
  id: string;
  key: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  contact: Record<string, string> | null;
  kind: string;
  agreedOn: string;
  endedOn: string | null;
  /** Codes of the municipalities served; null: every municipality of the prefecture. */
  municipalities: string[] | null;
  ageMin: number | null;
  ageMax: number | null;
  offers: string;
  public: boolean;
  updatedAt: Date;
}

/** The active partner groups of a prefecture tenant, in profile key order. */
export async function listPartnerGroups(db: Db, prefectureId: string): Promise<PartnerGroup[]> {
  const { rows } = await db.query<{ id: string; key: string; name: string; name_en: string | null; description: string | null; contact: Record<string, string> | null; a: ProfilePartnerAgreement; updated_at: Date }>(
    `SELECT id, key, name, name_en, description, contact, partner_agreement AS a, updated_at FROM organization
     WHERE municipality_id = $1 AND active AND partner_agreement IS NOT NULL ORDER BY key`, [prefectureId]);
  return rows.map((r) => ({
    id: r.id, key: r.key, name: r.name, nameEn: r.name_en, description: r.description, contact: r.contact, kind: r.a.kind, agreedOn: r.a.agreedOn,
    endedOn: r.a.endedOn ?? null, municipalities: r.a.municipalities ?? null, ageMin: r.a.ageMin ?? null, ageMax: r.a.ageMax ?? null,
    offers: r.a.offers, public: r.a.public, updatedAt: r.updated_at,
  }));
}

/** Whether a partner group serves a municipality on a day (its agreement names it or names none, and is in force). */
export function partnerServes(g: Pick<PartnerGroup, 'municipalities' | 'agreedOn' | 'endedOn'>, code: string, today: string): boolean {
  return (!g.municipalities || g.municipalities.includes(code)) && g.agreedOn <= today && (!g.endedOn || g.endedOn >= today);
}

export async function getOrganization(db: Db, municipalityId: string, organizationId: string): Promise<OrganizationDetail> {
  const orgs = await listOrganizations(db, municipalityId, { includeInactive: true });
  const organization = orgs.find((o) => o.id === organizationId);
  if (!organization) throw notFound('organization');
  const ref = (o: Organization): Ref => ({ id: o.id, name: o.name });
  const parent = orgs.find((o) => o.id === organization.parentId);
  const programs = await listPrograms(db, municipalityId);
  const series = await listMeetingSeries(db, municipalityId);
  return {
    organization,
    parent: parent ? ref(parent) : null,
    children: orgs.filter((o) => o.parentId === organizationId && o.active).map(ref),
    programsOwned: programs.filter((p) => p.owners.some((o) => o.id === organizationId)),
    programsRun: programs.filter((p) => p.contractors.some((o) => o.id === organizationId)),
    meetingSeries: series
      .filter((s) => s.members.some((m) => m.id === organizationId) || s.organizer?.id === organizationId)
      .map((s) => ({ id: s.id, name: s.name })),
  };
}

/** The national vocabularies plus the municipality's own issue tags. */
export async function getVocabularies(db: Db, municipalityId: string): Promise<Vocabularies> {
  const { rows } = await db.query<Term>(
    'SELECT code, label_ja AS ja, label_en AS en, sensitive FROM issue_tag WHERE municipality_id = $1 AND active ORDER BY code',
    [municipalityId],
  );
  return {
    organizationKinds: [...ORGANIZATION_KINDS],
    programKinds: [...PROGRAM_KINDS],
    legalBases: [...LEGAL_BASES],
    shareBases: [...SHARE_BASES],
    channels: [...CHANNELS],
    schoolStages: [...SCHOOL_STAGES],
    consulterRelations: [...CONSULTER_RELATIONS],
    issueTags: [...ISSUE_TAGS, ...rows],
    roles: ROLES.map((code) => ({ code, ...ROLE_LABELS[code] })),
  };
}

export interface RuleSet {
  version: number;
  rules: ProfileRoutingRule[];
  source: 'profile' | 'editor';
  note: string | null;
  createdAt: Date;
}

/** The routing rules in force (or at a past version, to explain an old decision). */
export async function getRuleSet(db: Db, municipalityId: string, version?: number): Promise<RuleSet> {
  const { rows } = await db.query<RuleSet>(
    `SELECT version, rules, source, note, created_at AS "createdAt" FROM routing_rule_set
     WHERE municipality_id = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
    [municipalityId, version ?? null],
  );
  return rows[0] ?? { version: 0, rules: [], source: 'profile', note: null, createdAt: new Date(0) };
}

const savedRuleSets = new WeakMap<Db, Map<string, RuleSet>>();

/** A saved version of the rules: saved versions never change, so each is read once per database handle. */
export async function ruleSetAt(db: Db, municipalityId: string, version: number | null): Promise<RuleSet> {
  let cache = savedRuleSets.get(db);
  if (!cache) savedRuleSets.set(db, (cache = new Map()));
  const key = `${municipalityId}:${version ?? 0}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const ruleSet = await getRuleSet(db, municipalityId, version ?? 0);
  if (ruleSet.version === (version ?? 0)) cache.set(key, ruleSet);
  return ruleSet;
}

/**
 * Saves an edited rule set as a new version (the rule editor). Refuses rules
 * that point at unknown organisations, programs, areas or tags, and a save
 * based on a version that is no longer current.
 */
export async function saveRuleSet(
  { db, clock }: Deps,
  actor: Actor,
  input: { expectedVersion: number; rules: ProfileRoutingRule[]; note: string },
): Promise<RuleSet> {
  const mid = actor.municipalityId!;
  const [orgs, programs, areas, vocab] = await Promise.all([listOrganizations(db, mid), listPrograms(db, mid), listAreas(db, mid), getVocabularies(db, mid)]);
  const problems = checkRoutingRules(input.rules, {
    orgs: new Set(orgs.map((o) => o.key)), programs: new Set(programs.map((p) => p.key)),
    areas: new Set(areas.map((a) => a.key)), tags: new Set(vocab.issueTags.map((t) => t.code)),
  });
  if (problems.length)
    throw badRequest('Some rules point at something this network does not have.', problems.map((p) => ({ field: p.key.replace(/^routingRules/, 'rules'), message: p.en })));
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`routing_rule_set:${mid}`]);
    const current = await getRuleSet(tx, mid);
    if (current.version !== input.expectedVersion)
      throw conflict(`The rules were changed since you opened them (now version ${current.version}). Reload, then apply your change again.`);
    const version = current.version + 1;
    await tx.query(
      `INSERT INTO routing_rule_set (municipality_id, version, rules, source, note, created_at, created_by) VALUES ($1, $2, $3, 'editor', $4, $5, $6)`,
      [mid, version, JSON.stringify(input.rules), input.note, clock.now(), actor.userId],
    );
    await recordAudit(tx, clock, actor, {
      action: 'routing.rules.save', entityType: 'routing_rule_set', entityId: String(version), reason: input.note,
      details: { previousVersion: current.version, ruleKeys: input.rules.map((r) => r.id) },
    });
    return getRuleSet(tx, mid, version);
  });
}

export async function listRuleSetVersions(db: Db, municipalityId: string) {
  const { rows } = await db.query<{ version: number; source: string; note: string | null; createdAt: Date; createdBy: string | null; createdByName: string | null; ruleCount: number }>(
    `SELECT r.version, r.source, r.note, r.created_at AS "createdAt", r.created_by AS "createdBy", u.display_name AS "createdByName",
            jsonb_array_length(r.rules) AS "ruleCount"
     FROM routing_rule_set r LEFT JOIN app_user u ON u.id = r.created_by WHERE r.municipality_id = $1 ORDER BY r.version DESC`,
    [municipalityId],
  );
  return rows;
}
