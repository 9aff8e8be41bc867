import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import { openDatabase, type Db } from './db/index.ts';
import { lockDataDir } from './db/lock.ts';
import { migrate } from './db/migrate.ts';
import { DEMO_PASSWORD, seedDemo } from './demo.ts';
import { buildApp } from './http/app.ts';
import { systemClock } from './lib/clock.ts';

/**
 * Opens the configured database: PostgreSQL with DATABASE_URL, else PGlite
 * under the data directory, which this process then holds until it closes.
 */
export async function openConfiguredDatabase(config: Config): Promise<Db> {
  if (config.databaseUrl) return openDatabase({ databaseUrl: config.databaseUrl, postgres: config.db });
  mkdirSync(config.dataDir, { recursive: true });
  const release = lockDataDir(config.dataDir);
  process.once('exit', release);
  try {
    const db = await openDatabase({ dataDir: join(config.dataDir, 'pglite') });
    return { ...db, close: async () => { await db.close(); release(); } };
  } catch (err) {
    release();
    throw err;
  }
}

export async function startServer(config: Config) {
  const db = await openConfiguredDatabase(config);
  const applied = await migrate(db);
  const clock = systemClock;
  const lines: string[] = [];
  if (applied.length) lines.push(`Applied ${applied.length} migration(s).`);
  if (config.demo) {
    const { imported, users } = await seedDemo({ db, clock });
    if (imported) lines.push("Loaded Musashino City's network profile (profiles/musashino.yaml).");
    lines.push('', 'DEMO MODE — sample accounts (never use demo mode with real data):');
    for (const u of users) lines.push(`  ${u.login.padEnd(14)} password: ${DEMO_PASSWORD}   ${u.what}`);
  }
  const app = await buildApp({ db, clock, config, logger: { level: process.env.LOG_LEVEL ?? 'info' } });
  await app.listen({ port: config.port, host: config.host });
  // submissions that arrived while taking in failed (or before a restart) are retried
  const pull = setInterval(() => {
    app.takeInPublicSubmissions().catch((err) => app.log.error({ err }, 'taking in public submissions failed'));
  }, 10_000);
  pull.unref();
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
  console.log([`Tsunagu (つなぐ) is running at ${url}  — database: ${where}`, ...lines, ''].join('\n'));

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    clearInterval(pull);
    app.startDraining();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return { app, db };
}
