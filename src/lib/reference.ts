import type { Db } from '../db/index.ts';
import { fiscalYearOf } from './fiscal.ts';

/**
 * The statement that takes the next human-readable reference (`2026-00042`,
 * at least five digits) from a module's counter table, numbered per
 * municipality and fiscal year, and returns it as `reference`. The row lock of
 * the upsert keeps concurrent transactions from taking the same number; a
 * caller that writes its row in the same statement (the intake) holds it for
 * one round trip only. `municipality` and `fiscalYear` are SQL expressions,
 * usually parameters; `prefix` is one of the modules' fixed prefixes.
 */
export function takeReferenceSql(counterTable: string, municipality: string, fiscalYear: string, prefix = ''): string {
  if (!/^[A-Z]*-?$/.test(prefix)) throw new Error(`reference prefix ${prefix} is not capitals and an optional hyphen`);
  return `INSERT INTO ${counterTable} (municipality_id, fiscal_year, last_number) VALUES (${municipality}, ${fiscalYear}, 1)
    ON CONFLICT (municipality_id, fiscal_year) DO UPDATE SET last_number = ${counterTable}.last_number + 1
    RETURNING '${prefix}' || fiscal_year || '-' || lpad(last_number::text, greatest(5, length(last_number::text)), '0') AS reference`;
}

/** The next reference of a module whose row is written in a statement of its own, in the fiscal year of `at`. */
export async function nextReference(tx: Db, counterTable: string, municipalityId: string, at: Date, prefix = ''): Promise<string> {
  const { rows } = await tx.query<{ reference: string }>(takeReferenceSql(counterTable, '$1', '$2::int', prefix), [municipalityId, fiscalYearOf(at)]);
  return rows[0].reference;
}
