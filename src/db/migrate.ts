import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './index.ts';

export interface Migration {
  version: number;
  /** `<module>/<name>`, e.g. `public/public`. */
  name: string;
  sql: string;
  checksum: string;
}

const modulesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'modules');

/**
 * Every module keeps its migrations in `<module>/migrations/NNNN_name.sql`; the
 * number is global across modules and decides the order.
 */
export async function loadMigrations(dir = modulesDir): Promise<Migration[]> {
  const found: Migration[] = [];
  for (const mod of await readdir(dir, { withFileTypes: true })) {
    if (!mod.isDirectory()) continue;
    const migDir = join(dir, mod.name, 'migrations');
    const files = await readdir(migDir).catch(() => [] as string[]);
    for (const file of files) {
      const m = /^(\d{4})_([a-z0-9_]+)\.sql$/.exec(file);
      if (!m) continue;
      const sql = await readFile(join(migDir, file), 'utf8');
      found.push({ version: Number(m[1]), name: `${mod.name}/${m[2]}`, sql, checksum: sha256(sql) });
    }
  }
  found.sort((a, b) => a.version - b.version);
  for (let i = 1; i < found.length; i++) {
    if (found[i].version === found[i - 1].version)
      throw new Error(`Two migrations share number ${found[i].version}: ${found[i - 1].name} and ${found[i].name}. Renumber one.`);
  }
  return found;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Applies pending migrations, each in its own transaction: a failing one
 * leaves the database as it was before it. An advisory lock keeps two
 * instances starting together from applying the same migration twice.
 * `modules` applies only those modules' migrations (the public side's own
 * store holds only the public module's tables); the numbers and checksums
 * stay the global ones, so the same store could later take the rest.
 */
export async function migrate(db: Db, opts: { upTo?: number; migrations?: Migration[]; modules?: readonly string[] } = {}): Promise<Migration[]> {
  const loaded = opts.migrations ?? (await loadMigrations());
  const all = opts.modules ? loaded.filter((m) => opts.modules!.includes(m.name.split('/')[0])) : loaded;
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migration (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied: Migration[] = [];
  for (const m of all) {
    if (opts.upTo !== undefined && m.version > opts.upTo) break;
    const done = await db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(8723001)`);
      const { rows } = await tx.query<{ checksum: string }>('SELECT checksum FROM schema_migration WHERE version = $1', [m.version]);
      if (rows[0]) {
        if (rows[0].checksum !== m.checksum)
          throw new Error(`Migration ${m.version} (${m.name}) was changed after it was applied. Add a new migration instead of editing an applied one.`);
        return false;
      }
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new Error(`Migration ${m.version} (${m.name}) failed and was rolled back: ${(err as Error).message}`);
      }
      await tx.query('INSERT INTO schema_migration (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (done) applied.push(m);
  }
  return applied;
}
