import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Role as ServeRole } from './config.ts';
import type { Db } from './db/index.ts';
import { DataDirLockedError } from './db/lock.ts';
import { openDatabase } from './db/index.ts';
import { runRetention } from './modules/retention/service.ts';
import { AppError } from './errors.ts';
import { systemClock } from './lib/clock.ts';
import { systemActor } from './lib/context.ts';
import { ROLES, type Role } from './modules/auth/roles.ts';
import { currentCode } from './modules/auth/mfa.ts';
import { createUser } from './modules/auth/service.ts';
import { importProfile } from './modules/network/importer.ts';
import { ProfileInvalidError, readProfileFile } from './modules/network/profile.ts';
import { ProfileSchema } from './modules/network/profile.schema.ts';
import { listMunicipalities } from './modules/network/service.ts';
import { migrateAsOwner, openConfiguredDatabase, readControlFile, startServer } from './server.ts';
import { backup, BackupError, requireBackupKey, restore } from './modules/operations/backup.ts';
import { recordAudit, verifyAuditChain } from './modules/audit/service.ts';
import { describeSummary, generateSynthetic, GenerateRefused, SIZE_NAMES, type SizeName } from './tools/generate.ts';

const program = new Command('tsunagu')
  .description('Tsunagu (つなぐ) operator commands. The database is DATABASE_URL, or PGlite under TSUNAGU_DATA_DIR (./data).')
  .showHelpAfterError();

/** Opens the database with migrations applied, runs `fn`, and closes it. */
async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openConfiguredDatabase(config);
  try {
    await migrateAsOwner(config, db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

program.command('migrate').description('apply pending database migrations (as TSUNAGU_OWNER_DATABASE_URL when set)').action(async () => {
  const config = loadConfig();
  const db = await openConfiguredDatabase(config);
  try {
    const applied = await migrateAsOwner(config, db);
    console.log(applied.length ? applied.map((m) => `applied ${m.version} ${m.name}`).join('\n') : 'The database is up to date.');
  } finally {
    await db.close();
  }
});

const profile = program.command('profile').description('network profiles (YAML)');

profile.command('validate').argument('<file>', 'profile YAML').description('check a profile and list every problem with its line')
  .action(async (file: string) => {
    const { profile: p } = await readProfileFile(file);
    console.log(`${file}: OK — ${p.municipality.name} (${p.municipality.code}): ${p.organizations.length} organizations, ${p.programs?.length ?? 0} programs, ${p.meetingSeries?.length ?? 0} meeting series, ${p.areas?.length ?? 0} areas, ${p.routingRules?.length ?? 0} routing rules`);
  });

profile.command('import').argument('<file>', 'profile YAML').description('load a profile; re-importing updates and deactivates, never deletes')
  .action(async (file: string) => {
    const { profile: p, text } = await readProfileFile(file);
    const summary = await withDb((db) => importProfile({ db, clock: systemClock }, systemActor('cli'), p, text));
    console.log(`${summary.name} (${summary.code}): ${summary.unchanged ? 'unchanged, revision' : 'imported as revision'} ${summary.revision}`);
    for (const [table, c] of Object.entries(summary.changes))
      if (c.created || c.updated || c.deactivated) console.log(`  ${table}: ${c.created} created, ${c.updated} updated, ${c.deactivated} deactivated`);
  });

profile.command('schema').description('print the profile JSON Schema (for editors)')
  .action(() => console.log(JSON.stringify(ProfileSchema, null, 2)));

program.command('user').description('staff accounts').command('create')
  .description('create a staff account with a membership; prints a generated password unless --password-stdin')
  .requiredOption('--login <login>', 'sign-in id')
  .requiredOption('--name <name>', 'display name')
  .requiredOption('--org <key>', "organization key from the profile (e.g. welfare-desk)")
  .addOption(new Option('--role <role>', 'role in that organization').choices([...ROLES]).makeOptionMandatory())
  .option('--municipality <code>', '全国地方公共団体コード; may be left out when the database holds one municipality')
  .option('--password-stdin', 'read the password from standard input')
  .option('--totp-secret <base32>', 'enrol this authenticator secret now (otherwise the first sign-in enrols one)')
  .action(async (o: { login: string; name: string; org: string; role: Role; municipality?: string; passwordStdin?: boolean; totpSecret?: string }) => {
    const password = o.passwordStdin ? (await readStdin()).trimEnd() : randomBytes(12).toString('base64url');
    await withDb(async (db) => {
      const all = await listMunicipalities(db);
      const m = o.municipality ? all.find((x) => x.code === o.municipality) : all.length === 1 ? all[0] : undefined;
      if (!m) throw new CliError(o.municipality ? `No municipality with code ${o.municipality}. Import its profile first.` : `Give --municipality (one of: ${all.map((x) => x.code).join(', ') || 'none imported yet'}).`);
      const org = await db.query<{ id: string }>('SELECT id FROM organization WHERE municipality_id = $1 AND key = $2 AND active', [m.id, o.org]);
      if (!org.rows[0]) throw new CliError(`No active organization "${o.org}" in ${m.name}. Check the key in its profile.`);
      const user = await createUser({ db, clock: systemClock }, systemActor('cli'), {
        login: o.login, displayName: o.name, password, totpSecret: o.totpSecret, memberships: [{ municipalityId: m.id, organizationId: org.rows[0].id, role: o.role }],
      });
      console.log(`Created ${user.login} (${o.role}) in ${m.name}.`);
      if (!o.passwordStdin) console.log(`Password (shown once): ${password}`);
    });
  });

program.command('audit').description('the audit trail').command('verify')
  .description('recompute every hash chain and report any change')
  .option('--json <file>', 'also write the result as JSON')
  .action(async (o: { json?: string }) => {
    const result = await withDb((db) => verifyAuditChain(db));
    if (o.json) await writeFile(o.json, JSON.stringify(result, null, 2));
    if (result.ok) console.log(`Audit trail intact: ${result.events} events in ${result.chains} chain(s).`);
    else {
      console.error(`AUDIT TRAIL ALTERED: ${result.problems.length} problem(s) in ${result.events} events:`);
      for (const p of result.problems) console.error(`  chain ${p.municipalityId} event ${p.seq}: ${p.problem}`);
      process.exitCode = 1;
    }
  });

program.command('backup').argument('<file>', 'where to write the backup').description('write an encrypted, consistent backup while the app keeps serving (key: TSUNAGU_BACKUP_KEY)')
  .action(async (file: string) => {
    const target = resolve(file);
    const key = requireBackupKey();
    const config = loadConfig();
    let db: Db;
    try {
      db = await openConfiguredDatabase(config);
    } catch (err) {
      if (!(err instanceof DataDirLockedError)) throw err;
      // a server holds the embedded database: it takes the backup for us
      const control = readControlFile(config.dataDir);
      if (!control || control.pid !== err.pid) throw err;
      const res = await fetch(`${control.url}/api/internal/backup`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'x-tsunagu-control': control.token }, body: JSON.stringify({ file: target }),
      });
      const body = (await res.json()) as { tables?: { rows: number }[]; error?: string };
      if (!res.ok) throw new CliError(`The running server could not take the backup: ${body.error}`);
      console.log(`Backup written by the running server to ${target}: ${body.tables!.length} tables, ${body.tables!.reduce((n, t) => n + t.rows, 0)} rows.`);
      return;
    }
    try {
      const header = await backup(db, systemClock, target, key);
      await recordAudit(db, systemClock, systemActor('cli'), { action: 'backup.create', reason: 'operator backup', details: { file: target, tables: header.tables.length } });
      console.log(`Backup written to ${target}: ${header.tables.length} tables, ${header.tables.reduce((n, t) => n + t.rows, 0)} rows (schema ${header.schemaVersion}, ${header.engine}).`);
    } finally {
      await db.close();
    }
  });

program.command('restore').argument('<file>', 'a backup written by `backup`').option('--force', 'replace the contents of a database that is not empty')
  .description('rebuild a database from a backup (stop the server first); works across PGlite and PostgreSQL')
  .action(async (file: string, o: { force?: boolean }) => {
    const key = requireBackupKey();
    const db = await openConfiguredDatabase(loadConfig());
    try {
      const result = await restore(db, systemClock, resolve(file), key, { force: o.force });
      console.log(`Restored ${result.rows} rows from a backup of ${result.header.createdAt} (${result.header.engine}, schema ${result.header.schemaVersion}).`);
    } finally {
      await db.close();
    }
  });

program.command('retention').description('retention of records').command('purge')
  .description('dispose of what has passed its retention period (as TSUNAGU_OWNER_DATABASE_URL when set, which may also purge old audit events)')
  .option('--dry-run', 'only count what would be disposed of')
  .action(async (o: { dryRun?: boolean }) => {
    const config = loadConfig();
    const lines = await withDb(async (db) => {
      // audit events may only be removed by the owner role on PostgreSQL; on PGlite the one user owns all
      const owner = config.databaseUrl && config.ownerDatabaseUrl ? await openDatabase({ databaseUrl: config.ownerDatabaseUrl }) : null;
      try {
        return await runRetention({ db: owner ?? db, clock: systemClock }, { dryRun: Boolean(o.dryRun), includeAudit: !config.databaseUrl || Boolean(owner) });
      } finally {
        await owner?.close();
      }
    });
    if (lines.length === 0) console.log('No municipality has retention periods set: nothing is disposed of.');
    for (const l of lines)
      console.log(`${l.municipality} ${l.recordClass.padEnd(15)} before ${l.cutoff.toISOString().slice(0, 10)}: ${l.count} ${o.dryRun ? 'would be disposed of' : 'disposed of'}${l.note ? ` (${l.note})` : ''}`);
  });

program.command('generate')
  .description('fill the database with SYNTHETIC data (fictional persons) for demos and benchmarks; refuses a database with cases unless --force')
  .addOption(new Option('--size <size>', 'musashino: Musashino, ~5,000 cases; tokyo: 62 municipalities, ~300,000 cases; small and demo for quick runs')
    .choices(SIZE_NAMES).makeOptionMandatory())
  .requiredOption('--seed <n>', 'the same seed gives the same data (use another one to add more)')
  .option('--scale <factor>', 'multiply every count, e.g. 0.1 for a tenth of the size')
  .option('--as-of <date>', 'the day the data leads up to (YYYY-MM-DD, Japan date); default today')
  .option('--force', 'add to a database that already holds (synthetic) cases')
  .action(async (o: { size: SizeName; seed: string; scale?: string; asOf?: string; force?: boolean }) => {
    const seed = Number(o.seed);
    const scale = o.scale === undefined ? 1 : Number(o.scale);
    if (!Number.isSafeInteger(seed)) throw new CliError('--seed must be a whole number.');
    if (!(scale > 0)) throw new CliError('--scale must be a number above 0.');
    const config = loadConfig();
    const target = config.databaseUrl
      ? `PostgreSQL ${config.databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:…@')}`
      : `PGlite in ${config.dataDir}`;
    await withDb(async (db) => {
      try {
        const summary = await generateSynthetic({ db, clock: systemClock }, systemActor('cli'), {
          size: o.size, seed, scale, asOf: o.asOf, force: o.force, target, log: (line) => console.log(line),
        });
        for (const line of describeSummary(summary)) console.log(line);
      } catch (err) {
        if (err instanceof GenerateRefused) throw new CliError(err.message);
        throw err;
      }
    });
  });

program.command('totp-code').argument('<secret>', 'a base32 authenticator secret').description('print the current authenticator code of a secret (for the demo accounts and scripts)')
  .action((secret: string) => console.log(currentCode(secret, new Date())));

program.command('serve').description('start the web server')
  .option('--demo', 'demo mode: load Musashino and create demo users (off when TSUNAGU_DEMO=false or NODE_ENV=production)')
  .addOption(new Option('--role <role>', 'all: staff and resident pages in one process; staff: the staff side, linked to a public side by TSUNAGU_PUBLIC_URL and TSUNAGU_PULL_SECRET; public: the resident pages apart, with their own store (TSUNAGU_PUBLIC_DATA_DIR)')
    .choices(['all', 'staff', 'public']).default('all'))
  .action(async (o: { demo?: boolean; role: ServeRole }) => {
    if (o.role === 'public') {
      // bin/tsunagu.mjs starts the public side without loading this file; this path is for callers of cli.ts itself
      const { startPublicServer } = await import('./modules/public/server.ts');
      await startPublicServer(loadConfig(process.env, { demo: false }));
      return;
    }
    const demo = Boolean(o.demo) && process.env.TSUNAGU_DEMO !== 'false' && process.env.NODE_ENV !== 'production';
    await startServer(loadConfig(process.env, { demo }), o.role);
  });

class CliError extends Error {}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof ProfileInvalidError) {
    console.error(`The profile has ${err.issues.length} problem(s) / プロファイルに${err.issues.length}件の問題があります:\n${err.message}`);
  } else if (err instanceof CliError || err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof BackupError) {
    console.error(err.message);
  } else if (err instanceof AppError) {
    console.error([err.message, ...err.fields.map((f) => `  ${f.field}: ${f.message}`)].join('\n'));
  } else if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
    console.error(`File not found: ${(err as NodeJS.ErrnoException).path}`);
  } else {
    throw err;
  }
  process.exitCode = 1;
}
