import type { Db } from '../../db/index.ts';

/**
 * Whose records an audit event is about. Audit events name a record (a
 * person, a case, a consultation, a contact record…) or, for lists and
 * searches, carry the ids returned in `details.ids`; the privacy officer needs
 * the persons behind them. This is the one place where the audit review reads
 * the tables of other modules (cases, intake, referrals), read-only and by
 * primary key, so the mapping from record to person is written down once.
 */

/** Record types that belong to a person, directly or through their support case. */
export const PERSON_RECORD_TYPES = ['person', 'support_case', 'consultation', 'contact_record', 'assessment', 'support_plan', 'referral', 'consent'] as const;

const UUID_RE = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

/**
 * Every record id that is about a person: the person (and anyone merged into
 * them), their cases and the consultations, contact records, assessments,
 * plans, referrals and consents of those. For the review's person filter.
 */
export async function recordIdsOfPerson(db: Db, municipalityId: string, personId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH ps AS (SELECT id FROM person WHERE municipality_id = $1 AND (id = $2 OR merged_into_id = $2)),
          cs AS (SELECT id FROM support_case WHERE municipality_id = $1 AND person_id IN (SELECT id FROM ps))
     SELECT $2::text AS id
     UNION SELECT id::text FROM ps
     UNION SELECT id::text FROM cs
     UNION SELECT id::text FROM consultation WHERE municipality_id = $1 AND case_id IN (SELECT id FROM cs)
     UNION SELECT consultation_id::text FROM case_consultation WHERE municipality_id = $1 AND case_id IN (SELECT id FROM cs)
     UNION SELECT id::text FROM contact_record WHERE municipality_id = $1 AND case_id IN (SELECT id FROM cs)
     UNION SELECT id::text FROM assessment WHERE municipality_id = $1 AND case_id IN (SELECT id FROM cs)
     UNION SELECT id::text FROM support_plan WHERE municipality_id = $1 AND case_id IN (SELECT id FROM cs)
     UNION SELECT id::text FROM referral WHERE municipality_id = $1 AND case_id IN (SELECT id FROM cs)
     UNION SELECT id::text FROM consent WHERE municipality_id = $1 AND person_id IN (SELECT id FROM ps)`,
    [municipalityId, personId],
  );
  return rows.map((r) => r.id);
}

export interface AccessedRecord {
  entityType: string;
  entityId: string;
  /** The person the record is about, or null when it names none (a consultation not yet a case) or is no longer held. */
  personId: string | null;
  events: number;
  firstAt: Date;
  lastAt: Date;
}

/** $1 municipality, $2 account, $3–$4 the window [from, to), $5 the record types: one row per record touched. */
export const ACCESSED_RECORDS_SQL = `WITH ev AS (
       SELECT seq, occurred_at, entity_type, entity_id, details FROM audit_event
       WHERE municipality_id = $1 AND actor_user_id = $2 AND occurred_at >= $3 AND occurred_at < $4 AND outcome = 'success'
     ), raw AS (
       SELECT seq, occurred_at, entity_type AS t, entity_id AS id FROM ev WHERE entity_id IS NOT NULL
       UNION ALL
       SELECT seq, occurred_at, entity_type, x.id FROM ev
         CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN jsonb_typeof(details->'ids') = 'array' THEN details->'ids' ELSE '[]'::jsonb END) AS x(id)
       UNION ALL
       SELECT seq, occurred_at, 'support_case', details->>'caseId' FROM ev WHERE jsonb_typeof(details->'caseId') = 'string'
       UNION ALL
       SELECT seq, occurred_at, 'person', details->>'personId' FROM ev WHERE jsonb_typeof(details->'personId') = 'string'
     ), refs AS (
       SELECT t, CASE WHEN id ~ '${UUID_RE}' THEN id::uuid END AS uid, count(DISTINCT seq) AS events, min(occurred_at) AS first_at, max(occurred_at) AS last_at
       FROM raw WHERE t = ANY($5::text[]) GROUP BY 1, 2
     )
     SELECT r.t, r.uid, r.events, r.first_at, r.last_at,
            CASE r.t WHEN 'person' THEN p.id WHEN 'consent' THEN cn.person_id ELSE c.person_id END AS person_id
     FROM refs r
     LEFT JOIN person p ON r.t = 'person' AND p.municipality_id = $1 AND p.id = r.uid
     LEFT JOIN consent cn ON r.t = 'consent' AND cn.municipality_id = $1 AND cn.id = r.uid
     LEFT JOIN consultation co ON r.t = 'consultation' AND co.municipality_id = $1 AND co.id = r.uid
     LEFT JOIN contact_record cr ON r.t = 'contact_record' AND cr.municipality_id = $1 AND cr.id = r.uid
     LEFT JOIN assessment a ON r.t = 'assessment' AND a.municipality_id = $1 AND a.id = r.uid
     LEFT JOIN support_plan sp ON r.t = 'support_plan' AND sp.municipality_id = $1 AND sp.id = r.uid
     LEFT JOIN referral rf ON r.t = 'referral' AND rf.municipality_id = $1 AND rf.id = r.uid
     LEFT JOIN support_case c ON c.municipality_id = $1 AND c.id = CASE r.t
       WHEN 'support_case' THEN r.uid WHEN 'consultation' THEN co.case_id WHEN 'contact_record' THEN cr.case_id
       WHEN 'assessment' THEN a.case_id WHEN 'support_plan' THEN sp.case_id WHEN 'referral' THEN rf.case_id END
     WHERE r.uid IS NOT NULL`;

/**
 * The records one account touched in a time window, from its successful audit
 * events (reads, lists, searches and writes alike: a write shows the record
 * too), each with the person it is about. Served by the index
 * audit_event_by_municipality_actor (municipality_id, actor_user_id, occurred_at).
 */
export async function recordsAccessedBy(db: Db, municipalityId: string, userId: string, from: Date, to: Date): Promise<AccessedRecord[]> {
  const { rows } = await db.query<{ t: string; uid: string; person_id: string | null; events: number; first_at: Date; last_at: Date }>(
    ACCESSED_RECORDS_SQL,
    [municipalityId, userId, from, to, PERSON_RECORD_TYPES],
  );
  return rows.map((r) => ({ entityType: r.t, entityId: r.uid, personId: r.person_id, events: Number(r.events), firstAt: r.first_at, lastAt: r.last_at }));
}

export interface PersonName {
  id: string;
  /** The person this record was merged into, if it was. */
  mergedIntoId: string | null;
  name: string | null;
  nameKana: string | null;
}

/** Names of persons by id, for notifying them; ids no longer held are absent. */
export async function personNames(db: Db, municipalityId: string, ids: string[]): Promise<Map<string, PersonName>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; merged_into_id: string | null; name: string | null; name_kana: string | null }>(
    'SELECT id, merged_into_id, name, name_kana FROM person WHERE municipality_id = $1 AND id = ANY($2::uuid[])', [municipalityId, ids]);
  return new Map(rows.map((r) => [r.id, { id: r.id, mergedIntoId: r.merged_into_id, name: r.name, nameKana: r.name_kana }]));
}

/** The account with this login that belongs to the municipality (for the privacy officer, who knows logins, not ids). */
export async function userIdByLogin(db: Db, municipalityId: string, login: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT u.id FROM app_user u WHERE lower(u.login) = lower($2)
       AND EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id AND m.municipality_id = $1)`, [municipalityId, login]);
  return rows[0]?.id ?? null;
}
