import { join } from 'node:path';
import { checkRole, type Config } from '../../config.ts';
import { openLockedDatabase } from '../../db/lock.ts';
import { migrate } from '../../db/migrate.ts';
import { systemClock } from '../../lib/clock.ts';
import { registrantSender } from '../../lib/sender.ts';
import { buildPublicApp } from './app.ts';
import { deliverRegistrantMessages } from './registrantMessages.ts';
import { storedSnapshots } from './snapshots.ts';

/**
 * `npx tsunagu serve --role public`: the resident pages as their own process,
 * with their own small store (PGlite in TSUNAGU_PUBLIC_DATA_DIR, or the
 * database of DATABASE_URL, which must be its own) holding only the public
 * module's tables. This is the public side's entry module: nothing it
 * imports, directly or not, reaches case data (public-side.test.ts checks).
 */
export async function startPublicServer(config: Config) {
  checkRole(config, 'public');
  const db = await openLockedDatabase({ databaseUrl: config.databaseUrl, dataDir: config.publicDataDir, postgres: config.db });
  const applied = await migrate(db, { modules: ['public'] });
  const app = await buildPublicApp({ db, clock: systemClock, config, linkSecret: config.publicLink.secret!, logger: { level: process.env.LOG_LEVEL ?? 'info' } });
  await app.listen({ port: config.port, host: config.host });
  // reminders and notices to event registrants go from here: their contacts never leave this store
  const sender = registrantSender({ dir: config.registrantMessages.dir ?? join(config.publicDataDir, 'outbox'), smtp: config.registrantMessages.smtp });
  const snapshots = storedSnapshots(db);
  let delivering = false;
  const deliver = setInterval(() => {
    if (delivering) return;
    delivering = true;
    deliverRegistrantMessages({ db, clock: systemClock }, snapshots, sender, config.registrantMessages)
      .catch((err) => app.log.error({ err: (err as Error).message }, 'sending registrant messages failed; the next run retries'))
      .finally(() => { delivering = false; });
  }, 60_000);
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.publicDataDir}`;
  const port = (app.server.address() as { port: number }).port;
  console.log([
    `Tsunagu (つなぐ) public side is running at http://${config.host}:${port}/public/concern  — store: ${where}`,
    ...(applied.length ? [`Applied ${applied.length} migration(s) of the public module.`] : []),
    'The staff side pulls submissions from here and pushes the public snapshot (serve --role staff with TSUNAGU_PUBLIC_URL).',
    '',
  ].join('\n'));

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    clearInterval(deliver);
    app.startDraining();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return { app, db };
}

