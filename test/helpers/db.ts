import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openPglite, openPostgres, type Db } from '../../src/db/index.ts';
import { migrate } from '../../src/db/migrate.ts';

/** Which engine this test run uses: set by scripts/test.mjs, PGlite by default. */
export const engine = process.env.TSUNAGU_TEST_DB === 'postgres' ? 'postgresql' : 'pglite';

export interface TestDb {
  db: Db;
  /** The database's URL on PostgreSQL runs, for tools started in another process. */
  url?: string;
  close(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: in-memory PGlite, or a new
 * database on the PostgreSQL server of TEST_DATABASE_URL, dropped afterwards.
 */
export async function createTestDb(opts: { migrate?: boolean } = {}): Promise<TestDb> {
  let testDb: TestDb;
  if (engine === 'postgresql') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TSUNAGU_TEST_DB=postgres needs TEST_DATABASE_URL');
    const name = `tsunagu_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    const db = await openPostgres(dbUrl.toString(), { maxConnections: 5 });
    testDb = {
      db,
      url: dbUrl.toString(),
      close: async () => {
        await db.close();
        const a = new pg.Client({ connectionString: url });
        await a.connect();
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await a.end();
      },
    };
  } else {
    const db = await openPglite();
    testDb = { db, close: () => db.close() };
  }
  if (opts.migrate !== false) await migrate(testDb.db);
  return testDb;
}
