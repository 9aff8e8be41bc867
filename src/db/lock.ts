import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type DatabaseConfig, type Db } from './index.ts';

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`The data directory ${dataDir} is in use by another Tsunagu process (pid ${pid}). Stop that one first, or give this one another TSUNAGU_DATA_DIR. Nothing was changed.`);
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the embedded database's directory for this process. PGlite must be
 * opened by one process at a time; a second start gets a clear message and
 * touches nothing. A lock left by a killed process (its pid no longer runs) is
 * taken over, so a SIGKILL never blocks the next start.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, 'tsunagu.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (Number(readFileSync(path, 'utf8')) === process.pid) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(path, 'utf8').trim());
      } catch {
        continue; // removed meanwhile: try again
      }
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) throw new DataDirLockedError(dataDir, holder);
      try {
        unlinkSync(path); // stale: its process is gone
      } catch {
        // another starter removed it first
      }
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}; try again.`);
}

/**
 * PostgreSQL when a URL is given, else PGlite under `dataDir`, which this
 * process then holds (the lock goes with the process or with `close`).
 */
export async function openLockedDatabase(opts: { databaseUrl?: string; dataDir: string; postgres: DatabaseConfig['postgres'] }): Promise<Db> {
  if (opts.databaseUrl) return openDatabase({ databaseUrl: opts.databaseUrl, postgres: opts.postgres });
  mkdirSync(opts.dataDir, { recursive: true });
  const release = lockDataDir(opts.dataDir);
  process.once('exit', release);
  try {
    const db = await openDatabase({ dataDir: join(opts.dataDir, 'pglite') });
    return { ...db, close: async () => { await db.close(); release(); } };
  } catch (err) {
    release();
    throw err;
  }
}
