import { PGlite, parse as liteResults, protocol, type messages } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import pg from 'pg';

export type Engine = 'pglite' | 'postgresql';

export interface QueryResult<T> {
  rows: T[];
  rowCount: number;
}

/**
 * A statement PostgreSQL parses and plans once per connection rather than on
 * every call: for the hot statements of every request (the session lookup, the
 * intake's insert, the audit chain's). Its result columns must be named:
 * a prepared `SELECT *` or `RETURNING *` fails on an older instance once a
 * release adds a column ("cached plan must not change result type").
 * On PGlite too the statement is parsed once (see `litePrepared`).
 */
export interface Prepared {
  readonly name: string;
  readonly text: string;
}

const STAR_COLUMNS = /\b(SELECT|RETURNING)\s+(DISTINCT\s+)?([a-z_][a-z0-9_]*\.)?\*/i;

const preparedTexts = new Map<string, string>();

export function prepared(name: string, text: string): Prepared {
  if (STAR_COLUMNS.test(text)) throw new Error(`Prepared statement ${name}: name its result columns instead of *.`);
  // a connection keeps one statement per name
  if ((preparedTexts.get(name) ?? text) !== text) throw new Error(`Prepared statement ${name} exists with another text: give this one its own name.`);
  preparedTexts.set(name, text);
  return { name, text };
}

/**
 * The one database interface every module uses: plain PostgreSQL SQL with $n
 * parameters. The same code runs on embedded PGlite and on a PostgreSQL server.
 * `transaction` inside a transaction joins the outer one, so a service can be
 * called on its own or as part of a larger unit of work.
 */
export interface Db {
  readonly engine: Engine;
  /** True for the handle a `transaction` callback gets. */
  readonly inTransaction?: boolean;
  query<T = Record<string, unknown>>(sql: string | Prepared, params?: unknown[]): Promise<QueryResult<T>>;
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Runs a script of several statements (migrations). No parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

const keepAsText = (v: string) => v;

export async function openPglite(dataDir?: string): Promise<Db> {
  const lite = await PGlite.create({
    dataDir,
    extensions: { pg_trgm },
    // dates stay 'YYYY-MM-DD' (no time-zone shift); bigint counts become numbers
    parsers: { 1082: keepAsText, 20: (v: string) => Number(v) },
  });
  return pgliteDb(lite);
}

/**
 * Named statements on PGlite, through its wire-protocol interface: `query`
 * parses, describes and plans its text on every call, and PGlite has no named
 * statements of its own (SQL `EXECUTE` refuses bind parameters). A statement
 * is parsed and described once; each call then binds, executes and syncs, under
 * the same locks `query` takes, and keeps `query`'s type handling.
 */
function litePrepared(lite: PGlite) {
  interface Statement { paramTypes: number[]; columns: messages.BackendMessage[] }
  const statements = new Map<string, Statement>();
  const send = (message: Uint8Array) => lite.execProtocolStream(message, { syncToFs: false });
  const { serialize } = protocol;

  async function describe(p: Prepared): Promise<Statement> {
    // closing first: a parse whose describe failed leaves the name taken (closing an unknown name is no error)
    await send(serialize.close({ type: 'S', name: p.name }));
    await send(serialize.parse({ name: p.name, text: p.text }));
    const described = await send(serialize.describe({ type: 'S', name: p.name }));
    const statement = {
      paramTypes: liteResults.parseDescribeStatementResults(described),
      columns: described.filter((m) => m.name === 'rowDescription'),
    };
    statements.set(p.name, statement);
    return statement;
  }

  async function run<T>(p: Prepared, params: unknown[] = []): Promise<{ rows: T[]; affectedRows?: number }> {
    const replies: messages.BackendMessage[] = [];
    try {
      const statement = statements.get(p.name) ?? (await describe(p));
      const values = params.map((v, i) => {
        if (v === null || v === undefined) return null;
        const write = lite.serializers[statement.paramTypes[i]];
        return write ? write(v) : String(v);
      });
      replies.push(...statement.columns);
      replies.push(...(await send(serialize.bind({ statement: p.name, values }))));
      replies.push(...(await send(serialize.execute({}))));
    } finally {
      // after an error too: the server ignores everything until the sync
      replies.push(...(await send(serialize.sync())));
    }
    return liteResults.parseResults(replies, lite.parsers)[0] as unknown as { rows: T[]; affectedRows?: number };
  }

  return {
    /** In a transaction: its lock is already held. */
    inTransaction: <T>(p: Prepared, params?: unknown[]) => lite._runExclusiveQuery(() => run<T>(p, params)),
    alone: async <T>(p: Prepared, params?: unknown[]) => {
      await lite._checkReady();
      const r = await lite._runExclusiveTransaction(() => lite._runExclusiveQuery(() => run<T>(p, params)));
      await lite.syncToFs();
      return r;
    },
  };
}

function pgliteDb(lite: PGlite): Db {
  const named = litePrepared(lite);
  const run = async <T>(q: { query: PGlite['query'] } | null, sql: string | Prepared, params?: unknown[]) => {
    const r = typeof sql === 'string'
      ? await (q ?? lite).query<T>(sql, params as never[])
      : await (q ? named.inTransaction<T>(sql, params) : named.alone<T>(sql, params));
    return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
  };
  const asTx = (tx: { query: PGlite['query']; exec: PGlite['exec'] }): Db => {
    const self: Db = {
      engine: 'pglite',
      inTransaction: true,
      query: (sql, params) => run(tx, sql, params),
      transaction: (fn) => fn(self),
      exec: async (sql) => {
        await tx.exec(sql);
      },
      close: async () => {},
    };
    return self;
  };
  return {
    engine: 'pglite',
    query: (sql, params) => run(null, sql, params),
    transaction: (fn) => lite.transaction((tx) => fn(asTx(tx as never))),
    exec: async (sql) => {
      await lite.exec(sql);
    },
    close: () => lite.close(),
  };
}

pg.types.setTypeParser(1082, keepAsText);
pg.types.setTypeParser(20, (v: string) => Number(v));

export interface PostgresOptions {
  maxConnections?: number;
  statementTimeoutMs?: number;
  connectionTimeoutMs?: number;
}

export async function openPostgres(url: string, opts: PostgresOptions = {}): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? 10,
    statement_timeout: opts.statementTimeoutMs ?? 30_000,
    connectionTimeoutMillis: opts.connectionTimeoutMs ?? 5_000,
  });
  // An idle client losing its server must not crash the process.
  pool.on('error', () => {});
  // pg copies a config object property by property; a plain statement goes as its text
  const run = (q: pg.Pool | pg.PoolClient, sql: string | Prepared, params?: unknown[]) =>
    typeof sql === 'string' ? q.query(sql, params) : q.query({ name: sql.name, text: sql.text, values: params });
  const clientDb = (client: pg.PoolClient): Db => {
    // A connection runs one statement at a time; callers in a transaction may still start several at
    // once (Promise.all), so they queue here rather than in pg, which is dropping its own queue.
    let last: Promise<unknown> = Promise.resolve();
    const inTurn = <T>(f: () => Promise<T>): Promise<T> => {
      const r = last.then(f);
      last = r.catch(() => {});
      return r;
    };
    const self: Db = {
      engine: 'postgresql',
      inTransaction: true,
      query: async (sql, params) => {
        const { rows, rowCount } = await inTurn(() => run(client, sql, params));
        return { rows, rowCount: rowCount ?? rows.length };
      },
      transaction: (fn) => fn(self),
      exec: async (sql) => {
        await inTurn(() => client.query(sql));
      },
      close: async () => {},
    };
    return self;
  };
  return {
    engine: 'postgresql',
    query: async (sql, params) => {
      const r = await run(pool, sql, params);
      return { rows: r.rows, rowCount: r.rowCount ?? r.rows.length };
    },
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(clientDb(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

export interface DatabaseConfig {
  databaseUrl?: string;
  dataDir?: string;
  postgres?: PostgresOptions;
}

/** PostgreSQL when a URL is given, otherwise PGlite in `dataDir` (in memory when absent). */
export function openDatabase(cfg: DatabaseConfig): Promise<Db> {
  return cfg.databaseUrl ? openPostgres(cfg.databaseUrl, cfg.postgres) : openPglite(cfg.dataDir);
}

/** A unique violation (SQLSTATE 23505), on the named constraint or index when one is given; both engines report it alike. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && (!constraint || e.constraint === constraint);
}
