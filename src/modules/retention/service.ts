import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, conflict, forbidden, notFound } from '../../errors.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { systemActor } from '../../lib/context.ts';
import { purgeAuditBefore, recordAudit } from '../audit/service.ts';
import { purgeCaseRecords, purgeClosedCases } from '../cases/service.ts';
import { deleteConsultationsOfCases, purgeStaleConsultations } from '../intake/service.ts';
import { deleteReferralsOfCases } from '../referrals/service.ts';
import { deletePlacementDataOfCases } from '../programs/placements.ts';
import { deleteExpertRecordsOfCases } from '../prefecture/experts.ts';

/**
 * Retention (保存期間) and disposal. Each municipality sets how many years each
 * class of record is kept — counted from case closure, or from last activity for
 * consultations that never became a case. No national figure is built in: a
 * class without a policy is never disposed of. Legal holds stop disposal.
 */
export const RECORD_CLASSES = ['consultation', 'contact_record', 'assessment', 'support_plan', 'case', 'audit'] as const;
export type RecordClass = (typeof RECORD_CLASSES)[number];

export interface Policy {
  recordClass: RecordClass;
  years: number;
}

const ADMINS = new Set(['system_admin']);

export async function listPolicies(db: Db, municipalityId: string): Promise<Policy[]> {
  const { rows } = await db.query<Policy>(
    'SELECT record_class AS "recordClass", years FROM retention_policy WHERE municipality_id = $1 ORDER BY record_class', [municipalityId]);
  return rows;
}

export async function setPolicies({ db, clock }: Deps, actor: Actor, policies: Policy[]): Promise<Policy[]> {
  if (!actor.role || !ADMINS.has(actor.role)) throw forbidden();
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    for (const p of policies)
      await tx.query(
        `INSERT INTO retention_policy (municipality_id, record_class, years, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (municipality_id, record_class) DO UPDATE SET years = EXCLUDED.years, updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
        [mid, p.recordClass, p.years, clock.now(), actor.userId]);
    await recordAudit(tx, clock, actor, { action: 'retention.policy', reason: 'retention periods set', details: { policies } });
  });
  return listPolicies(db, mid);
}

export interface Hold {
  id: string;
  caseId: string | null;
  personId: string | null;
  reason: string;
  placedAt: Date;
  releasedAt: Date | null;
}

export async function placeHold({ db, clock }: Deps, actor: Actor, input: { caseId?: string; personId?: string; reason: string }): Promise<Hold> {
  if (!actor.role || !ADMINS.has(actor.role)) throw forbidden();
  if (!input.caseId === !input.personId) throw badRequest('Hold one case or one person.', [{ field: 'caseId', message: 'Hold one case or one person.' }]);
  const mid = actor.municipalityId!;
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await tx.query(
      'INSERT INTO legal_hold (municipality_id, id, case_id, person_id, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [mid, id, input.caseId ?? null, input.personId ?? null, input.reason.trim(), actor.userId, clock.now()]);
    await recordAudit(tx, clock, actor, { action: 'retention.hold', entityType: input.caseId ? 'support_case' : 'person', entityId: input.caseId ?? input.personId, reason: input.reason });
  });
  return (await listHolds(db, mid)).find((h) => h.id === id)!;
}

/**
 * The hold an open request of the person places on their records (the privacy
 * module calls these in its own transaction): placed when the request is
 * registered, released when it is decided.
 */
export async function holdForRequest(tx: Db, clock: Clock, actor: Actor, r: { personId: string; requestId: string; reference: string }): Promise<void> {
  await tx.query(
    'INSERT INTO legal_hold (municipality_id, id, person_id, privacy_request_id, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [actor.municipalityId, randomUUID(), r.personId, r.requestId, `本人からの請求 ${r.reference} の対応中（決定まで保存）`, actor.userId, clock.now()]);
}

export async function releaseRequestHold(tx: Db, clock: Clock, actor: Actor, requestId: string): Promise<void> {
  await tx.query('UPDATE legal_hold SET released_at = $3, released_by = $4 WHERE municipality_id = $1 AND privacy_request_id = $2 AND released_at IS NULL',
    [actor.municipalityId, requestId, clock.now(), actor.userId]);
}

export async function releaseHold({ db, clock }: Deps, actor: Actor, id: string): Promise<void> {
  if (!actor.role || !ADMINS.has(actor.role)) throw forbidden();
  await db.transaction(async (tx) => {
    const { rows } = await tx.query<{ privacy_request_id: string | null }>('SELECT privacy_request_id FROM legal_hold WHERE municipality_id = $1 AND id = $2 AND released_at IS NULL', [actor.municipalityId, id]);
    if (!rows[0]) throw notFound('active hold');
    if (rows[0].privacy_request_id) throw conflict('This hold keeps the records while the person’s request is open; it ends when the privacy officer decides the request.');
    await tx.query('UPDATE legal_hold SET released_at = $3, released_by = $4 WHERE municipality_id = $1 AND id = $2', [actor.municipalityId, id, clock.now(), actor.userId]);
    await recordAudit(tx, clock, actor, { action: 'retention.release', entityType: 'legal_hold', entityId: id });
  });
}

export async function listHolds(db: Db, municipalityId: string): Promise<Hold[]> {
  const { rows } = await db.query<Hold>(
    `SELECT id, case_id AS "caseId", person_id AS "personId", reason, placed_at AS "placedAt", released_at AS "releasedAt"
     FROM legal_hold WHERE municipality_id = $1 ORDER BY placed_at DESC`, [municipalityId]);
  return rows;
}

export interface DisposalLine {
  municipality: string;
  recordClass: RecordClass;
  cutoff: Date;
  count: number;
  note?: string;
}

const yearsBefore = (now: Date, years: number) => {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
};

/**
 * Disposes of (or, in a dry run, counts) what has passed its retention period,
 * in every municipality with policies. Each disposal is written to
 * disposal_record and audited. Audit events themselves are purged only when
 * `includeAudit` (the owner's connection on PostgreSQL).
 */
export async function runRetention({ db, clock }: Deps, opts: { dryRun: boolean; includeAudit: boolean }): Promise<DisposalLine[]> {
  const lines: DisposalLine[] = [];
  const { rows: municipalities } = await db.query<{ id: string; code: string }>('SELECT id, code FROM municipality ORDER BY code');
  const now = clock.now();
  for (const m of municipalities) {
    const policies = new Map((await listPolicies(db, m.id)).map((p) => [p.recordClass, p.years]));
    if (policies.size === 0) continue;
    await db.transaction(async (tx) => {
      const record = async (recordClass: RecordClass, cutoff: Date, count: number, detail: Record<string, unknown> = {}) => {
        lines.push({ municipality: m.code, recordClass, cutoff, count });
        if (opts.dryRun || count === 0) return;
        await tx.query('INSERT INTO disposal_record (municipality_id, id, run_at, record_class, cutoff, disposed, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)',
          [m.id, randomUUID(), now, recordClass, cutoff, count, JSON.stringify(detail)]);
      };
      for (const cls of ['contact_record', 'assessment', 'support_plan'] as const) {
        const years = policies.get(cls);
        if (years) await record(cls, yearsBefore(now, years), await purgeCaseRecords(tx, m.id, cls, yearsBefore(now, years), opts.dryRun));
      }
      const caseYears = policies.get('case');
      if (caseYears) {
        const cutoff = yearsBefore(now, caseYears);
        const r = await purgeClosedCases(tx, m.id, cutoff, opts.dryRun, {
          deleteConsultations: (ids) => deleteConsultationsOfCases(tx, m.id, ids),
          deleteReferrals: (ids) => deleteReferralsOfCases(tx, m.id, ids),
          deleteProgramRecords: async (ids) => (await deletePlacementDataOfCases(tx, m.id, ids)) + (await deleteExpertRecordsOfCases(tx, m.id, ids)),
        });
        await record('case', cutoff, r.cases.length, { caseReferences: r.cases, persons: r.persons });
      }
      const consultationYears = policies.get('consultation');
      if (consultationYears) {
        const cutoff = yearsBefore(now, consultationYears);
        const refs = await purgeStaleConsultations(tx, m.id, cutoff, opts.dryRun);
        await record('consultation', cutoff, refs.length, { references: refs });
      }
      const auditYears = policies.get('audit');
      if (auditYears && opts.includeAudit) {
        const cutoff = yearsBefore(now, auditYears);
        await record('audit', cutoff, await purgeAuditBefore(tx, clock, m.id, cutoff, opts.dryRun));
      } else if (auditYears) {
        lines.push({ municipality: m.code, recordClass: 'audit', cutoff: yearsBefore(now, auditYears), count: 0, note: 'audit events are purged only by `npx tsunagu retention purge` as the owner' });
      }
      const disposed = lines.filter((l) => l.municipality === m.code && l.count > 0);
      if (!opts.dryRun && disposed.length)
        await recordAudit(tx, clock, { ...systemActor('retention'), municipalityId: m.id }, {
          action: 'retention.purge', reason: 'retention periods passed', details: { disposed: disposed.map((l) => ({ recordClass: l.recordClass, count: l.count, cutoff: l.cutoff })) },
        });
    });
  }
  return lines;
}
