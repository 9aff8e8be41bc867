import type { Db } from '../../db/index.ts';
import { forbidden, notFound } from '../../errors.ts';
import type { Actor } from '../../lib/context.ts';
import { getMunicipality, listMunicipalities, type Municipality } from '../network/service.ts';

/**
 * Which municipalities a prefecture's centre works with: every municipality
 * tenant whose profile names the prefecture. A prefecture's staff reach them
 * only through the prefecture module's views and crossings.
 */
export async function prefectureOf(db: Db, actor: Actor): Promise<Municipality> {
  if (actor.role !== 'prefecture_staff' || !actor.municipalityId) throw forbidden('Only the prefecture centre’s staff work across municipalities.');
  const prefecture = await getMunicipality(db, actor.municipalityId);
  if (prefecture.kind !== 'prefecture') throw forbidden('Only the prefecture centre’s staff work across municipalities.');
  return prefecture;
}

export async function coveredMunicipalities(db: Db, prefecture: Municipality): Promise<Municipality[]> {
  return (await listMunicipalities(db)).filter((m) => m.kind === 'municipality' && m.prefecture === prefecture.name);
}

export async function coveredMunicipality(db: Db, prefecture: Municipality, code: string): Promise<Municipality> {
  const found = (await coveredMunicipalities(db, prefecture)).find((m) => m.code === code);
  if (!found) throw notFound('municipality');
  return found;
}
