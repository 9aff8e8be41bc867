import type { Db } from '../db/index.ts';
import { fiscalYearOf } from './fiscal.ts';

/**
 * The next human-readable reference (`2026-00042`) from a module's counter
 * table, numbered per municipality and fiscal year. The row lock of the upsert
 * keeps concurrent transactions from taking the same number.
 */
export async function nextReference(tx: Db, counterTable: string, municipalityId: string, at: Date, prefix = ''): Promise<string> {
  const fy = fiscalYearOf(at);
  const { rows } = await tx.query<{ last_number: number }>(
    `INSERT INTO ${counterTable} (municipality_id, fiscal_year, last_number) VALUES ($1, $2, 1)
     ON CONFLICT (municipality_id, fiscal_year) DO UPDATE SET last_number = ${counterTable}.last_number + 1
     RETURNING last_number`,
    [municipalityId, fy],
  );
  return `${prefix}${fy}-${String(rows[0].last_number).padStart(5, '0')}`;
}
