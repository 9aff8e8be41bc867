import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db/index.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { municipalityId as municipalityIdOf, profileEntityId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/service.ts';
import { japanDate } from '../../lib/fiscal.ts';
import { partnerServes } from './service.ts';
import type { Profile, ProfilePartnerAgreement } from './profile.schema.ts';

export interface TableChanges {
  created: number;
  updated: number;
  deactivated: number;
}

export interface ImportSummary {
  municipalityId: string;
  code: string;
  name: string;
  revision: number;
  unchanged: boolean;
  changes: Record<string, TableChanges>;
}

type Row = Record<string, unknown>;

const TIMESTAMPED = new Set(['area', 'organization', 'meeting_series', 'program']);

/** Orders items so that each comes after its parent (the profile check rules out cycles). */
function parentsFirst<T extends { id: string; parent?: string }>(items: T[]): T[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  const out: T[] = [];
  const placed = new Set<string>();
  const place = (i: T) => {
    if (placed.has(i.id)) return;
    placed.add(i.id);
    const parent = i.parent ? byId.get(i.parent) : undefined;
    if (parent) place(parent);
    out.push(i);
  };
  items.forEach(place);
  return out;
}

/**
 * Inserts or updates rows by key and deactivates the tenant's rows of the
 * table that are not in `rows`. Only rows whose values differ are rewritten,
 * so re-importing the same profile changes nothing. `scope` limits which of
 * the tenant's rows the profile owns (the others are left alone).
 */
async function sync(tx: Db, table: string, keys: string[], municipalityId: string, rows: Row[], scope = 'true'): Promise<TableChanges> {
  const changes: TableChanges = { created: 0, updated: 0, deactivated: 0 };
  for (const row of rows) {
    const full: Row = { municipality_id: municipalityId, ...row, active: true };
    const cols = Object.keys(full);
    const values = cols.map((c) => {
      const v = full[c];
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v;
    });
    const updatable = cols.filter((c) => !keys.includes(c));
    const setClause = updatable.map((c) => `${c} = EXCLUDED.${c}`).join(', ');
    const differs = updatable.map((c) => `${table}.${c}`).join(', ');
    const incoming = updatable.map((c) => `EXCLUDED.${c}`).join(', ');
    const { rows: out } = await tx.query<{ inserted: boolean }>(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${setClause}${TIMESTAMPED.has(table) ? ', updated_at = now()' : ''}
       WHERE ROW(${differs}) IS DISTINCT FROM ROW(${incoming})
       RETURNING (xmax = 0) AS inserted`,
      values,
    );
    if (out[0]?.inserted) changes.created++;
    else if (out[0]) changes.updated++;
  }
  const ownKeys = keys.filter((k) => k !== 'municipality_id');
  const present = ownKeys.map((k) => rows.map((r) => r[k]));
  const { rowCount } = await tx.query(
    `UPDATE ${table} SET active = false
     WHERE municipality_id = $1 AND active AND (${scope})
       AND (${ownKeys.join(', ')}) NOT IN (SELECT ${ownKeys.map((_, i) => `unnest($${i + 2}::uuid[])`).join(', ')})`,
    [municipalityId, ...present],
  );
  changes.deactivated = rowCount;
  return changes;
}

/**
 * Loads a checked profile into the database. Idempotent: re-importing an edited
 * profile updates what changed, and what was removed is deactivated, never
 * deleted, so records that refer to it stay readable.
 */
export async function importProfile({ db, clock }: Deps, actor: Actor, profile: Profile, sourceText: string): Promise<ImportSummary> {
  const code = profile.municipality.code;
  const mid = municipalityIdOf(code);
  const id = (kind: string, key: string) => profileEntityId(code, kind, key);
  const sha256 = createHash('sha256').update(sourceText).digest('hex');
  const m = profile.municipality;

  return db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO municipality (id, code, kind, name, name_kana, name_en, prefecture_name, population, population_as_of, notes, sources)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
       ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, name = EXCLUDED.name, name_kana = EXCLUDED.name_kana,
         name_en = EXCLUDED.name_en, prefecture_name = EXCLUDED.prefecture_name, population = EXCLUDED.population,
         population_as_of = EXCLUDED.population_as_of, notes = EXCLUDED.notes, sources = EXCLUDED.sources, updated_at = now()`,
      [mid, code, profile.kind, m.name, m.nameKana ?? null, m.nameEn ?? null, m.prefecture, m.population ?? null,
        m.populationAsOf ?? null, profile.notes ?? [], JSON.stringify(profile.sources ?? [])],
    );
    await tx.query('UPDATE municipality SET centre_settings = $2 WHERE id = $1', [mid, profile.centre ? JSON.stringify(profile.centre) : null]);
    const latest = (await tx.query<{ revision: number; sha256: string }>(
      'SELECT revision, sha256 FROM network_profile_revision WHERE municipality_id = $1 ORDER BY revision DESC LIMIT 1', [mid],
    )).rows[0];

    const changes: Record<string, TableChanges> = {};
    const orgs = profile.organizations;
    const programs = profile.programs ?? [];
    const series = profile.meetingSeries ?? [];
    const areas = profile.areas ?? [];

    changes.issue_tag = await syncIssueTags(tx, mid, profile.issueTags ?? []);
    // parents refer to rows of the same table, so they go in first
    changes.area = await sync(tx, 'area', ['municipality_id', 'id'], mid, parentsFirst(areas).map((a) => ({
      id: id('area', a.id), key: a.id, name: a.name, name_en: a.nameEn ?? null, named: a.named ?? true,
      parent_id: a.parent ? id('area', a.parent) : null, address_prefixes: a.addressPrefixes ?? [], notes: a.notes ?? [],
      source: a.source ?? null,
    })));
    changes.organization = await sync(tx, 'organization', ['municipality_id', 'id'], mid, parentsFirst(orgs).map((o) => ({
      id: id('organization', o.id), key: o.id, name: o.name, name_kana: o.nameKana ?? null, name_en: o.nameEn ?? null,
      kind: o.kind, internal: o.internal, parent_id: o.parent ? id('organization', o.parent) : null, hub: o.hub ?? false,
      staff_count: o.staffCount ?? null, opened_on: o.openedOn ?? null, description: o.description ?? null,
      focus: o.focus ?? null, contact: o.contact ?? null, notes: o.notes ?? [], source: o.source ?? null,
      network_roles: o.networkRoles ?? [], partner_agreement: o.partnerAgreement ?? null,
    })), PROFILE_ROWS);
    changes.organization_area = await sync(tx, 'organization_area', ['municipality_id', 'organization_id', 'area_id'], mid,
      orgs.flatMap((o) => (o.areas ?? []).map((a) => ({ organization_id: id('organization', o.id), area_id: id('area', a) }))));

    changes.meeting_series = await sync(tx, 'meeting_series', ['municipality_id', 'id'], mid, series.map((s) => ({
      id: id('meeting_series', s.id), key: s.id, name: s.name, name_en: s.nameEn ?? null, cadence: s.cadence,
      legal_basis: s.legalBasis, purpose: s.purpose, organizer_id: s.organizer ? id('organization', s.organizer) : null,
      member_level: s.memberLevel ?? null, notes: s.notes ?? [], source: s.source ?? null, network_roles: s.networkRoles ?? [],
    })));
    changes.meeting_series_member = await sync(tx, 'meeting_series_member', ['municipality_id', 'series_id', 'organization_id'], mid,
      series.flatMap((s) => s.members.map((o) => ({ series_id: id('meeting_series', s.id), organization_id: id('organization', o) }))));

    changes.program = await sync(tx, 'program', ['municipality_id', 'id'], mid, programs.map((p) => ({
      id: id('program', p.id), key: p.id, name: p.name, name_en: p.nameEn ?? null, kind: p.kind, description: p.description ?? null,
      status: p.status, started_on: p.startedOn ?? null, age_min: p.eligibility?.ageMin ?? null, age_max: p.eligibility?.ageMax ?? null,
      school_stages: p.eligibility?.schoolStages ?? [], issue_tags: p.eligibility?.issueTags ?? [],
      eligibility_description: p.eligibility?.description ?? null, channels: p.channels ?? [], cadence: p.cadence ?? null,
      wide_area: p.wideArea ?? false, reviewed_in_id: p.reviewedIn ? id('meeting_series', p.reviewedIn) : null,
      public: p.public ?? true, contact: p.contact ?? null, notes: p.notes ?? [], source: p.source ?? null,
      network_roles: p.networkRoles ?? [],
    })));
    changes.program_owner = await sync(tx, 'program_owner', ['municipality_id', 'program_id', 'organization_id'], mid,
      programs.flatMap((p) => p.owners.map((o) => ({ program_id: id('program', p.id), organization_id: id('organization', o) }))));
    changes.program_commission = await sync(tx, 'program_commission', ['municipality_id', 'program_id', 'contractor_id'], mid,
      programs.flatMap((p) => (p.commissionedTo ?? []).map((o) => ({
        program_id: id('program', p.id), contractor_id: id('organization', o), ended_on: p.commissionEnds?.find((e) => e.organization === o)?.on ?? null,
      }))));
    changes.program_area = await sync(tx, 'program_area', ['municipality_id', 'program_id', 'area_id'], mid,
      programs.flatMap((p) => (p.eligibility?.areas ?? []).map((a) => ({ program_id: id('program', p.id), area_id: id('area', a) }))));

    changes.gap_rule = await sync(tx, 'gap_rule', ['municipality_id', 'id'], mid, (profile.gapRules ?? []).map((g, i) => ({
      id: id('gap_rule', g.id), key: g.id, check_kind: g.check, position: i, reason: g.reason, reason_en: g.reasonEn ?? null,
      params: { fiscalYears: g.fiscalYears ?? null, ageMin: g.ageMin ?? null, ageMax: g.ageMax ?? null },
    })));
    changes.routing_rule_set = await syncRoutingRules(tx, clock.now(), actor, mid, profile.routingRules ?? []);
    changes.partner_mirror = await syncPartnerMirrors(tx, clock.now(), profile.kind === 'prefecture' ? await coveredTenants(tx, m.name) : [mid]);

    const unchanged = latest?.sha256 === sha256;
    const revision = unchanged ? latest.revision : (latest?.revision ?? 0) + 1;
    const summary: ImportSummary = { municipalityId: mid, code, name: m.name, revision, unchanged, changes };
    if (!unchanged) {
      await tx.query(
        `INSERT INTO network_profile_revision (municipality_id, revision, sha256, source_text, summary, imported_at, imported_by)
         VALUES ($1,$2,$3,$4,$5,$6,$7)`,
        [mid, revision, sha256, sourceText, JSON.stringify(changes), clock.now(), actor.userId],
      );
    }
    await recordAudit(tx, clock, actor, {
      municipalityId: mid, action: 'profile.import', entityType: 'network_profile', entityId: String(revision),
      reason: unchanged ? 'profile unchanged' : 'profile imported', details: { sha256, changes },
    });
    return summary;
  });
}

/** The organisation rows a profile owns: all but the mirrored partner groups. */
const PROFILE_ROWS = 'partner_source_organization_id IS NULL';

async function coveredTenants(tx: Db, prefectureName: string): Promise<string[]> {
  const { rows } = await tx.query<{ id: string }>("SELECT id FROM municipality WHERE kind = 'municipality' AND prefecture_name = $1 ORDER BY code", [prefectureName]);
  return rows.map((r) => r.id);
}

/**
 * 連携団体 (issue 12): mirrors each active partner group of the municipality's
 * prefecture that serves it — its agreement names the municipality, or names
 * none, and has not ended — into the municipality's organisations, pointing
 * to its source. Referrals, consent, case access and the figures then treat
 * it like any organisation, while the prefecture's profile stays the single
 * source: mirrors are rewritten from it on every import of either profile and
 * never edited locally. A group no longer serving the municipality is
 * deactivated, never deleted, so referrals to it stay readable.
 */
async function syncPartnerMirrors(tx: Db, now: Date, municipalityIds: string[]): Promise<TableChanges> {
  const total: TableChanges = { created: 0, updated: 0, deactivated: 0 };
  const today = japanDate(now);
  for (const mid of municipalityIds) {
    const { rows: [m] } = await tx.query<{ code: string; prefecture_name: string; kind: string }>('SELECT code, prefecture_name, kind FROM municipality WHERE id = $1', [mid]);
    if (!m || m.kind !== 'municipality') continue;
    const { rows: partners } = await tx.query<{
      source_mid: string; source_code: string; id: string; key: string; name: string; name_kana: string | null; name_en: string | null; kind: string;
      description: string | null; contact: unknown; partner_agreement: ProfilePartnerAgreement;
    }>(
      `SELECT p.id AS source_mid, p.code AS source_code, o.id, o.key, o.name, o.name_kana, o.name_en, o.kind, o.description, o.contact, o.partner_agreement
       FROM municipality p JOIN organization o ON o.municipality_id = p.id
       WHERE p.kind = 'prefecture' AND p.name = $1 AND o.active AND o.partner_agreement IS NOT NULL ORDER BY p.code, o.key`,
      [m.prefecture_name],
    );
    const serving = partners.filter((p) => partnerServes({ municipalities: p.partner_agreement.municipalities ?? null, agreedOn: p.partner_agreement.agreedOn, endedOn: p.partner_agreement.endedOn ?? null }, m.code, today));
    const c = await sync(tx, 'organization', ['municipality_id', 'id'], mid, serving.map((p) => ({
      id: profileEntityId(m.code, 'partner', `${p.source_code}/${p.key}`), key: `partner:${p.source_code}:${p.key}`,
      name: p.name, name_kana: p.name_kana, name_en: p.name_en, kind: p.kind, internal: false, parent_id: null, hub: false,
      staff_count: null, opened_on: null, description: p.description, focus: null, contact: p.contact, notes: [], source: null,
      network_roles: [], partner_agreement: p.partner_agreement, partner_source_municipality_id: p.source_mid, partner_source_organization_id: p.id,
    })), 'NOT (' + PROFILE_ROWS + ')');
    total.created += c.created;
    total.updated += c.updated;
    total.deactivated += c.deactivated;
  }
  return total;
}

/**
 * Re-syncs every municipality's partner-group mirrors with the agreements in
 * force today: an agreement that starts or ends between imports takes effect
 * here (the scheduler runs it hourly). Changes nothing when nothing changed.
 */
export async function resyncPartnerMirrors({ db, clock }: Deps): Promise<TableChanges> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>("SELECT id FROM municipality WHERE kind = 'municipality' ORDER BY code");
    return syncPartnerMirrors(tx, clock.now(), rows.map((r) => r.id));
  });
}

/** Adds a rule-set version when the profile's rules differ from the rules in force. */
async function syncRoutingRules(tx: Db, now: Date, actor: Actor, mid: string, rules: NonNullable<Profile['routingRules']>): Promise<TableChanges> {
  const current = (await tx.query<{ version: number; rules: unknown }>(
    'SELECT version, rules FROM routing_rule_set WHERE municipality_id = $1 ORDER BY version DESC LIMIT 1', [mid],
  )).rows[0];
  if (current && isDeepStrictEqual(current.rules, JSON.parse(JSON.stringify(rules)))) return { created: 0, updated: 0, deactivated: 0 };
  await tx.query(
    `INSERT INTO routing_rule_set (municipality_id, version, rules, source, note, created_at, created_by)
     VALUES ($1, $2, $3, 'profile', 'profile import', $4, $5)`,
    [mid, (current?.version ?? 0) + 1, JSON.stringify(rules), now, actor.userId],
  );
  return current ? { created: 0, updated: 1, deactivated: 0 } : { created: 1, updated: 0, deactivated: 0 };
}

async function syncIssueTags(tx: Db, mid: string, tags: NonNullable<Profile['issueTags']>): Promise<TableChanges> {
  const changes: TableChanges = { created: 0, updated: 0, deactivated: 0 };
  for (const t of tags) {
    const { rows } = await tx.query<{ inserted: boolean }>(
      `INSERT INTO issue_tag (municipality_id, code, label_ja, label_en, sensitive, active) VALUES ($1,$2,$3,$4,$5,true)
       ON CONFLICT (municipality_id, code) DO UPDATE SET label_ja = EXCLUDED.label_ja, label_en = EXCLUDED.label_en, sensitive = EXCLUDED.sensitive, active = true
       WHERE ROW(issue_tag.label_ja, issue_tag.label_en, issue_tag.sensitive, issue_tag.active) IS DISTINCT FROM ROW(EXCLUDED.label_ja, EXCLUDED.label_en, EXCLUDED.sensitive, true)
       RETURNING (xmax = 0) AS inserted`,
      [mid, t.code, t.ja, t.en, t.sensitive ?? false],
    );
    if (rows[0]?.inserted) changes.created++;
    else if (rows[0]) changes.updated++;
  }
  const { rowCount } = await tx.query('UPDATE issue_tag SET active = false WHERE municipality_id = $1 AND active AND NOT (code = ANY($2))', [mid, tags.map((t) => t.code)]);
  changes.deactivated = rowCount;
  return changes;
}
