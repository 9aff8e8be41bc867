import type { Db } from '../../db/index.ts';
import type { Clock } from '../../lib/clock.ts';
import type { MunicipalitySnapshot, PublicMunicipality, PublicSnapshotSource } from './crossing.ts';

/**
 * The public side's copy of what the staff side publishes, one snapshot per
 * municipality. The staff side pushes it; the public pages read it.
 */

export interface SnapshotState {
  municipalityId: string;
  code: string;
  hash: string;
  receivedAt: Date;
}

/** Replaces a municipality's snapshot (a municipality whose id changed under the same code replaces the old one). */
export async function storeSnapshot(db: Db, clock: Clock, hash: string, snapshot: MunicipalitySnapshot): Promise<void> {
  const m = snapshot.municipality;
  await db.transaction(async (tx) => {
    await tx.query('DELETE FROM public_snapshot WHERE code = $1 AND municipality_id <> $2', [m.code, m.id]);
    await tx.query(
      `INSERT INTO public_snapshot (municipality_id, code, hash, content, received_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (municipality_id) DO UPDATE SET code = EXCLUDED.code, hash = EXCLUDED.hash, content = EXCLUDED.content, received_at = EXCLUDED.received_at`,
      [m.id, m.code, hash, JSON.stringify(snapshot), clock.now()],
    );
  });
}

/** A municipality the staff side no longer publishes. Removing one that is not held changes nothing. */
export async function removeSnapshot(db: Db, municipalityId: string): Promise<void> {
  await db.query('DELETE FROM public_snapshot WHERE municipality_id = $1', [municipalityId]);
}

export async function snapshotStates(db: Db): Promise<SnapshotState[]> {
  const { rows } = await db.query<{ municipality_id: string; code: string; hash: string; received_at: Date }>(
    'SELECT municipality_id, code, hash, received_at FROM public_snapshot ORDER BY code',
  );
  return rows.map((r) => ({ municipalityId: r.municipality_id, code: r.code, hash: r.hash, receivedAt: r.received_at }));
}

/** The public pages' source on the public side: only what was pushed, never anything else. */
export function storedSnapshots(db: Db): PublicSnapshotSource {
  return {
    async municipalities() {
      const { rows } = await db.query<{ m: PublicMunicipality }>("SELECT content->'municipality' AS m FROM public_snapshot ORDER BY code");
      return rows.map((r) => r.m);
    },
    async snapshot(municipalityId) {
      const { rows } = await db.query<{ content: MunicipalitySnapshot; received_at: Date }>(
        'SELECT content, received_at FROM public_snapshot WHERE municipality_id = $1', [municipalityId],
      );
      return rows[0] ? { ...rows[0].content, updatedAt: rows[0].received_at } : null;
    },
  };
}
