import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRole, type Config } from './config.ts';
import { openDatabase, type Db } from './db/index.ts';
import { openLockedDatabase } from './db/lock.ts';
import { migrate } from './db/migrate.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, seedDemo } from './demo.ts';
import { buildApp } from './http/app.ts';
import { systemClock } from './lib/clock.ts';
import { createMetrics } from './http/operations.ts';
import { purgeIdempotencyKeys } from './modules/operations/idempotency.ts';
import { purgeJobRuns, startScheduler } from './modules/operations/jobs.ts';
import { deliverOutbox, fileSender } from './modules/notifications/service.ts';
import { registrantSender } from './lib/sender.ts';
import { checkPrivacyDeadlines } from './modules/privacy/service.ts';
import { endExpiredBreakGlass } from './modules/cases/breakGlass.ts';
import { handBackEndedCommissions } from './modules/referrals/service.ts';
import { resyncPartnerMirrors } from './modules/network/importer.ts';
import { returnOverdueActions } from './modules/meetings/service.ts';
import { sendConsultationDayReminders, deliverConsultationDayReminders } from './modules/prefecture/consultationDays.ts';
import { runRetention } from './modules/retention/service.ts';
import { httpLink } from './modules/public/linkClient.ts';
import { deliverRegistrantMessages } from './modules/public/registrantMessages.ts';
import { liveSnapshots } from './publicLink.ts';

/**
 * Opens the configured database: PostgreSQL with DATABASE_URL, else PGlite
 * under the data directory, which this process then holds until it closes.
 */
export function openConfiguredDatabase(config: Config): Promise<Db> {
  return openLockedDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, postgres: config.db });
}

/** Applies migrations with the owner's connection when one is configured (the app role may not change the schema). */
export async function migrateAsOwner(config: Config, db: Db) {
  if (!config.databaseUrl || !config.ownerDatabaseUrl) return migrate(db);
  const owner = await openDatabase({ databaseUrl: config.ownerDatabaseUrl });
  try {
    return await migrate(owner);
  } finally {
    await owner.close();
  }
}

/**
 * Starts the staff app: `all` (the default) also serves the resident pages in
 * this process; `staff` leaves them to a public side apart, pulling
 * submissions from it and pushing it the public snapshot.
 */
export async function startServer(config: Config, role: 'all' | 'staff' = 'all') {
  checkRole(config, role);
  const db = await openConfiguredDatabase(config);
  const applied = await migrateAsOwner(config, db);
  const clock = systemClock;
  const lines: string[] = [];
  if (applied.length) lines.push(`Applied ${applied.length} migration(s).`);
  if (config.demo) {
    const { imported, users } = await seedDemo({ db, clock });
    if (imported) lines.push("Loaded Musashino City's network profile (profiles/musashino.yaml).");
    lines.push('', 'DEMO MODE — sample accounts (never use demo mode with real data):');
    for (const u of users) lines.push(`  ${u.login.padEnd(14)} password: ${DEMO_PASSWORD}   ${u.what}`);
    lines.push(
      `  Second factor (all demo accounts): authenticator secret ${DEMO_TOTP_SECRET}`,
      `  — add it to an authenticator app, or print the current code with: npx tsunagu totp-code ${DEMO_TOTP_SECRET}`,
    );
  }
  // on PGlite only this process may open the data directory, so the CLI's
  // `backup` asks it through a token in a file only this user can read
  const controlToken = config.databaseUrl ? undefined : randomBytes(32).toString('base64url');
  const metrics = createMetrics();
  const link = role === 'staff' ? httpLink(config.publicLink.url!, config.publicLink.secret!) : undefined;
  const app = await buildApp({ db, clock, config, controlToken, metrics, role, link, logger: { level: process.env.LOG_LEVEL ?? 'info' } });
  await app.listen({ port: config.port, host: config.host });
  if (controlToken) writeControlFile(config.dataDir, { pid: process.pid, url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, token: controlToken });
  const outboxDir = process.env.TSUNAGU_OUTBOX_DIR || join(config.dataDir, 'outbox');
  const outboxSender = fileSender(outboxDir);
  const registrants = registrantSender({ dir: config.registrantMessages.dir ?? outboxDir, smtp: config.registrantMessages.smtp });
  const stopJobs = startScheduler(db, clock, [
    // submissions that arrived while taking in failed (or before a restart)
    { name: 'take-in-public-submissions', everyMs: 10_000, run: async () => ({ taken: await app.takeInPublicSubmissions() }) },
    // profile imports (from the CLI) reach the public side within a minute; the rule editor's changes at once
    ...(role === 'staff' ? [{ name: 'publish-public-snapshot', everyMs: 60_000, run: () => app.publishPublicSnapshot() }] : []),
    // registration counts of events (counts only; the public side deletes expired registrations as it answers)
    { name: 'pull-event-counts', everyMs: 60_000, run: async () => ({ changed: await app.pullEventCounts() }) },
    { name: 'purge-idempotency-keys', everyMs: 3_600_000, run: async () => ({ purged: await purgeIdempotencyKeys(db, clock) }) },
    // alerts and reminders; a city without a mail server reads them in the app and in this file
    { name: 'deliver-messages', everyMs: 30_000, run: async () => deliverOutbox({ db, clock }, outboxSender) },
    // reminders and notices to event registrants, from the public side's outbox (this process holds both sides)
    ...(role === 'all' ? [{ name: 'deliver-registrant-messages', everyMs: 60_000, run: () => deliverRegistrantMessages({ db, clock }, liveSnapshots(db), registrants, config.registrantMessages) }] : []),
    // the person's requests nearly due or overdue alert the privacy officer (once for each)
    { name: 'privacy-request-deadlines', everyMs: 3_600_000, run: async () => checkPrivacyDeadlines({ db, clock }) },
    // 巡回相談: the day before, one reminder for each booking with a contact (marked when queued, so once)
    { name: 'consultation-day-reminders', everyMs: 3_600_000, run: async () => sendConsultationDayReminders({ db, clock }, { fromHour: config.registrantMessages.reminderHour }) },
    // …an email one to the resident through the outside sender (a phone one is a call task for the window, in its お知らせ)
    { name: 'deliver-consultation-day-reminders', everyMs: 60_000, run: async () => deliverConsultationDayReminders({ db, clock }, registrants) },
    // overdue action items come back on the next session's agenda by themselves
    { name: 'return-overdue-actions', everyMs: 3_600_000, run: async () => returnOverdueActions({ db, clock }) },
    { name: 'hand-back-ended-commissions', everyMs: 3_600_000, run: async () => handBackEndedCommissions({ db, clock }) },
    { name: 'partner-group-mirrors', everyMs: 3_600_000, run: async () => ({ ...(await resyncPartnerMirrors({ db, clock })) }) },
    { name: 'end-expired-break-glass', everyMs: 60_000, run: async () => ({ ended: await endExpiredBreakGlass({ db, clock }) }) },
    { name: 'purge-job-runs', everyMs: 86_400_000, run: async () => ({ purged: await purgeJobRuns(db, clock) }) },
    // audit events are left to `npx tsunagu retention purge` as the owner; PGlite's one user may do it here
    { name: 'retention-purge', everyMs: 86_400_000, run: async () => ({ disposed: (await runRetention({ db, clock }, { dryRun: false, includeAudit: !config.databaseUrl })).reduce((n, l) => n + l.count, 0) }) },
  ], (job, outcome) => {
    metrics.jobRuns.inc({ job, outcome });
    if (outcome === 'failed') app.log.error({ job }, 'scheduled job failed');
  });
  if (role === 'staff') {
    lines.push(`Staff role: resident submissions are pulled from, and the public snapshot pushed to, ${config.publicLink.url}.`);
    app.publishPublicSnapshot().catch((err) => app.log.warn({ err: (err as Error).message }, 'publishing the public snapshot failed; the next run retries'));
  }
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  const url = `http://${config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host}:${config.port}`;
  console.log([`Tsunagu (つなぐ) is running at ${url}  — database: ${where}`, ...lines, ''].join('\n'));

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    stopJobs();
    app.startDraining();
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return { app, db };
}

export interface ControlFile {
  pid: number;
  url: string;
  token: string;
}

const controlPath = (dataDir: string) => join(dataDir, 'control.json');

function writeControlFile(dataDir: string, c: ControlFile) {
  writeFileSync(controlPath(dataDir), JSON.stringify(c), { mode: 0o600 });
  process.once('exit', () => rmSync(controlPath(dataDir), { force: true }));
}

/** How to reach the server that holds this data directory, if it left word. */
export function readControlFile(dataDir: string): ControlFile | null {
  try {
    return JSON.parse(readFileSync(controlPath(dataDir), 'utf8')) as ControlFile;
  } catch {
    return null;
  }
}
