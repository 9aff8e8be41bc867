import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/index.ts';
import { badRequest, forbidden, notFound, type FieldError } from '../../errors.ts';
import type { Actor, Deps } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';
import { getProgram } from '../network/service.ts';

/**
 * A drop-in place's (居場所) regular opening days: every week on given
 * weekdays, or on given weeks of the month (RFC 5545 BYDAY, as HSDS
 * schedules carry them), with the hours and the dates they hold for. They are
 * published with the place's service in the HSDS directory and the public
 * snapshot, where the navigator shows the next opening days. Not personal.
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
const WEEKDAY_JA: Record<string, string> = { MO: '月', TU: '火', WE: '水', TH: '木', FR: '金', SA: '土', SU: '日' };

export interface DropInOpeningInput {
  freq: 'WEEKLY' | 'MONTHLY';
  /** 'TU,TH' every week; '2SA,4SA' (or '-1FR', the last Friday) for MONTHLY. */
  byday: string;
  opensAt: string;
  closesAt: string;
  validFrom?: string | null;
  validTo?: string | null;
  description?: string | null;
}

export interface DropInOpening extends Required<DropInOpeningInput> {
  id: string;
  programId: string;
  /** In words: 毎週火・木曜日 13:00〜17:00. */
  summary: string;
}

const PART = /^([1-4]|-1)?(MO|TU|WE|TH|FR|SA|SU)$/;

/** The BYDAY's parts, or null when it does not fit the frequency (weekly: weekdays; monthly: each with its week, 1–4 or -1 for the last). */
export function parseByday(freq: 'WEEKLY' | 'MONTHLY', byday: string): { nth: number | null; day: string }[] | null {
  const parts = byday.split(',').map((p) => p.trim().toUpperCase().match(PART));
  if (!parts.length || parts.some((m) => !m)) return null;
  const out = parts.map((m) => ({ nth: m![1] ? Number(m![1]) : null, day: m![2] }));
  if (freq === 'WEEKLY' ? out.some((p) => p.nth !== null) : out.some((p) => p.nth === null)) return null;
  return out;
}

/** 毎週火・木曜日 13:00〜17:00, 毎月第2土曜日・第4土曜日 13:00〜16:00, 毎月最終金曜日 … */
export function openingSummary(o: Pick<DropInOpeningInput, 'freq' | 'byday' | 'opensAt' | 'closesAt'>): string {
  const parts = parseByday(o.freq, o.byday) ?? [];
  const hours = `${o.opensAt}〜${o.closesAt}`;
  if (o.freq === 'WEEKLY') return `毎週${parts.map((p) => WEEKDAY_JA[p.day]).join('・')}曜日 ${hours}`;
  const days = parts.map((p) => `${p.nth === -1 ? '最終' : `第${p.nth}`}${WEEKDAY_JA[p.day]}曜日`).join('・');
  return `毎月${days} ${hours}`;
}

interface Row { id: string; program_id: string; freq: 'WEEKLY' | 'MONTHLY'; byday: string; opens_at: string; closes_at: string; valid_from: string | null; valid_to: string | null; description: string | null }

const present = (r: Row): DropInOpening => {
  const o = { freq: r.freq, byday: r.byday, opensAt: r.opens_at.slice(0, 5), closesAt: r.closes_at.slice(0, 5) };
  return { id: r.id, programId: r.program_id, ...o, validFrom: r.valid_from, validTo: r.valid_to, description: r.description, summary: openingSummary(o) };
};

const SELECT = `SELECT id, program_id, freq, byday, opens_at::text, closes_at::text, valid_from::text, valid_to::text, description FROM drop_in_opening`;

/** Every drop-in place's openings in the municipality (for the directory), or one place's. */
export async function dropInOpenings(db: Db, mid: string, programId?: string): Promise<DropInOpening[]> {
  const { rows } = await db.query<Row>(`${SELECT} WHERE municipality_id = $1 AND ($2::uuid IS NULL OR program_id = $2) ORDER BY program_id, freq DESC, opens_at, byday, id`, [mid, programId ?? null]);
  return rows.map(present);
}

/** A drop-in place of the actor's municipality (404 otherwise); `write` also asks that the actor runs it or is the hub. */
async function dropInPlace(db: Db, actor: Actor, programId: string, write: boolean) {
  const p = await getProgram(db, actor.municipalityId!, programId).catch(() => null);
  if (!p || p.kind !== 'drop_in') throw notFound('drop-in place');
  if (write && actor.role !== 'hub_coordinator' && ![...p.owners, ...p.contractors].some((o) => o.id === actor.organizationId))
    throw forbidden('Only the hub or the organisations running the place set its opening days.');
  return p;
}

export async function listDropInOpenings({ db }: Deps, actor: Actor, programId: string): Promise<DropInOpening[]> {
  await dropInPlace(db, actor, programId, false);
  return dropInOpenings(db, actor.municipalityId!, programId);
}

/** Replaces a place's openings (the hub or the organisations running it). */
export async function setDropInOpenings({ db, clock }: Deps, actor: Actor, programId: string, input: DropInOpeningInput[]): Promise<DropInOpening[]> {
  await dropInPlace(db, actor, programId, true);
  const fields: FieldError[] = [];
  input.forEach((o, i) => {
    if (!parseByday(o.freq, o.byday))
      fields.push({ field: `openings/${i}/byday`, message: o.freq === 'WEEKLY' ? 'Give the weekdays, such as TU,TH.' : 'Give the weeks and weekdays, such as 2SA,4SA (-1FR for the last Friday).' });
    if (o.closesAt <= o.opensAt) fields.push({ field: `openings/${i}/closesAt`, message: 'The place closes after it opens.' });
    if (o.validFrom && o.validTo && o.validTo < o.validFrom) fields.push({ field: `openings/${i}/validTo`, message: 'The last day is before the first.' });
  });
  if (fields.length) throw badRequest('The opening days could not be saved.', fields);
  const mid = actor.municipalityId!;
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM drop_in_opening WHERE municipality_id = $1 AND program_id = $2', [mid, programId]);
    for (const o of input)
      await tx.query(
        `INSERT INTO drop_in_opening (municipality_id, id, program_id, freq, byday, opens_at, closes_at, valid_from, valid_to, description, updated_by, updated_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12)`,
        [mid, randomUUID(), programId, o.freq, o.byday.toUpperCase().replace(/\s/g, ''), o.opensAt, o.closesAt, o.validFrom ?? null, o.validTo ?? null, o.description?.trim() || null, actor.userId, clock.now()],
      );
    await recordAudit(tx, clock, actor, { action: 'drop_in_opening.set', entityType: 'program', entityId: programId, reason: 'drop-in place', details: { count: input.length } });
  });
  return dropInOpenings(db, mid, programId);
}
