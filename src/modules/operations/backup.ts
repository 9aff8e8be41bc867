import { createCipheriv, createDecipheriv, createHash, randomBytes, scryptSync } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Db } from '../../db/index.ts';
import { loadMigrations, migrate } from '../../db/migrate.ts';
import type { Clock } from '../../lib/clock.ts';
import { systemActor } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';

/**
 * Logical backups in one format for both engines (PGlite runs a newer
 * PostgreSQL than the server, so neither a data-directory copy nor pg_dump
 * moves between them): every table's rows as JSON lines, gzipped, encrypted
 * with AES-256-GCM under a key from configuration, with a SHA-256 checksum of
 * the content. Taken inside one REPEATABLE READ transaction, so it is
 * consistent while the app keeps writing.
 */

const MAGIC = 'TSUNAGU-BACKUP-1\n';
/** Rebuilt by migrations, or not worth keeping across a restore (sessions, one-time tokens, retries). */
const SKIP = new Set(['schema_migration', 'user_session', 'idempotency_key', 'public_challenge_used']);
const BATCH = 2000;

export class BackupError extends Error {}

interface Envelope {
  format: 'tsunagu-backup';
  version: 1;
  kdf: { salt: string; N: number; r: number; p: number };
  iv: string;
}

interface Header {
  createdAt: string;
  engine: string;
  schemaVersion: number;
  tables: { name: string; rows: number }[];
}

function deriveKey(secret: string, salt: Buffer, kdf: Envelope['kdf']): Buffer {
  return scryptSync(secret, salt, 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * 1024 * 1024 });
}

export function requireBackupKey(env: NodeJS.ProcessEnv = process.env): string {
  const key = env.TSUNAGU_BACKUP_KEY;
  if (!key || key.length < 16)
    throw new BackupError('Set TSUNAGU_BACKUP_KEY (at least 16 characters) to the secret that encrypts backups, since they hold 要配慮 data. Keep it apart from the backups.');
  return key;
}

/** Tables in an order that satisfies foreign keys between tables (parents first). */
async function tablesInOrder(db: Db): Promise<string[]> {
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const { rows: deps } = await db.query<{ child: string; parent: string }>(
    `SELECT DISTINCT tc.relname AS child, tp.relname AS parent FROM pg_constraint c
     JOIN pg_class tc ON tc.oid = c.conrelid JOIN pg_class tp ON tp.oid = c.confrelid
     JOIN pg_namespace n ON n.oid = tc.relnamespace
     WHERE c.contype = 'f' AND n.nspname = 'public' AND tc.relname <> tp.relname`);
  const names = tables.map((t) => t.name).filter((n) => !SKIP.has(n));
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string) => {
    if (seen.has(n)) return;
    seen.add(n);
    deps.filter((d) => d.child === n).forEach((d) => visit(d.parent));
    if (names.includes(n)) out.push(n);
  };
  names.forEach(visit);
  return out;
}

/** Columns that refer to the same table (a parent organisation, a merged person): filled in a second pass. */
async function selfReferences(db: Db, table: string): Promise<string[]> {
  const { rows } = await db.query<{ col: string }>(
    `SELECT a.attname AS col FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'f' AND c.conrelid = c.confrelid AND t.relname = $1 AND a.attname <> 'municipality_id'`, [table]);
  return [...new Set(rows.map((r) => r.col))];
}

async function primaryKey(db: Db, table: string): Promise<string[]> {
  const { rows } = await db.query<{ col: string }>(
    `SELECT a.attname AS col FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (i.indkey)
     WHERE i.indisprimary AND t.relname = $1 ORDER BY array_position(i.indkey::int2[], a.attnum::int2)`, [table]);
  return rows.map((r) => r.col);
}

/** Writes an encrypted backup of every table to `file` (atomically: a partial file never takes its name). */
export async function backup(db: Db, clock: Clock, file: string, secret: string): Promise<Header> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kdf = { salt: salt.toString('base64'), N: 2 ** 15, r: 8, p: 1 };
  const key = deriveKey(secret, salt, kdf);
  const envelope: Envelope = { format: 'tsunagu-backup', version: 1, kdf, iv: iv.toString('base64') };
  const tmp = `${file}.partial-${process.pid}`;
  const header: Header = { createdAt: clock.now().toISOString(), engine: db.engine, schemaVersion: 0, tables: [] };

  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const checksum = createHash('sha256');
  const out = createWriteStream(tmp, { mode: 0o600 });
  out.write(`${MAGIC}${JSON.stringify(envelope)}\n`);
  const gzip = createGzip();
  const done = pipeline(gzip, cipher, out as Writable);
  const write = (line: string) => new Promise<void>((resolve, reject) => {
    checksum.update(line);
    gzip.write(line, (err) => (err ? reject(err) : resolve()));
  });
  try {
    await db.transaction(async (tx) => {
      if (db.engine === 'postgresql') await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
      header.schemaVersion = Number((await tx.query<{ v: number }>('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migration')).rows[0].v);
      const tables = await tablesInOrder(tx);
      for (const t of tables) header.tables.push({ name: t, rows: Number((await tx.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)).rows[0].n) });
      await write(`${JSON.stringify(header)}\n`);
      for (const t of tables) {
        await write(`${JSON.stringify({ table: t })}\n`);
        await tx.query(`DECLARE backup_cursor NO SCROLL CURSOR FOR SELECT row_to_json(x)::text AS j FROM ${t} x`);
        for (;;) {
          const { rows } = await tx.query<{ j: string }>(`FETCH ${BATCH} FROM backup_cursor`);
          for (const r of rows) await write(`${r.j}\n`);
          if (rows.length < BATCH) break;
        }
        await tx.query('CLOSE backup_cursor');
      }
    });
    await write(`${JSON.stringify({ end: true, sha256: checksum.copy().digest('hex') })}\n`);
    gzip.end();
    await done;
    const fh = await open(tmp, 'a');
    await fh.write(cipher.getAuthTag());
    await fh.sync();
    await fh.close();
    await rename(tmp, file);
  } catch (err) {
    gzip.destroy();
    await rm(tmp, { force: true });
    throw err;
  }
  return header;
}

/** Reads and authenticates a backup, yielding its decrypted, decompressed lines. */
async function* readBackup(file: string, secret: string): AsyncGenerator<string> {
  const fh = await open(file, 'r');
  const { size } = await fh.stat();
  const head = Buffer.alloc(Math.min(4096, size));
  await fh.read(head, 0, head.length, 0);
  const text = head.toString('utf8');
  if (!text.startsWith(MAGIC)) {
    await fh.close();
    throw new BackupError(`${file} is not a Tsunagu backup.`);
  }
  const envEnd = text.indexOf('\n', MAGIC.length);
  const envelope = JSON.parse(text.slice(MAGIC.length, envEnd)) as Envelope;
  const start = Buffer.byteLength(text.slice(0, envEnd + 1));
  const tag = Buffer.alloc(16);
  await fh.read(tag, 0, 16, size - 16);
  await fh.close();
  const key = deriveKey(secret, Buffer.from(envelope.kdf.salt, 'base64'), envelope.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(envelope.iv, 'base64'));
  decipher.setAuthTag(tag);
  const source = createReadStream(file, { start, end: size - 17 });
  const gunzip = createGunzip();
  // GCM authenticates at the end: every error (a wrong key, a changed byte)
  // must reach the reader, which restores inside one transaction
  let failure: Error | null = null;
  const fail = (err: Error) => {
    failure ??= err;
    for (const s of [source, decipher, gunzip]) s.destroy();
  };
  for (const s of [source, decipher, gunzip]) s.on('error', fail);
  source.pipe(decipher).pipe(gunzip);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip) {
      const parts = (rest + decoder.write(chunk as Buffer)).split('\n');
      rest = parts.pop()!;
      for (const line of parts) yield line;
    }
  } catch (err) {
    failure ??= err as Error;
  }
  if (rest && !failure) yield rest;
  if (!failure) await finished(decipher).catch(fail);
  if (failure) throw new BackupError(`The backup could not be read: wrong TSUNAGU_BACKUP_KEY, or the file is damaged (${(failure as Error).message}).`);
}

export interface RestoreResult {
  header: Header;
  rows: number;
}

/**
 * Rebuilds an empty database from a backup: migrations up to the backup's
 * schema, its rows, then the remaining migrations. Refuses a database that
 * already holds data unless forced (then its tables are emptied first).
 */
export async function restore(db: Db, clock: Clock, file: string, secret: string, opts: { force?: boolean } = {}): Promise<RestoreResult> {
  const lines = readBackup(file, secret);
  const first = await lines.next();
  if (first.done) throw new BackupError('The backup is empty.');
  const header = JSON.parse(first.value) as Header;
  const latest = (await loadMigrations()).at(-1)?.version ?? 0;
  if (header.schemaVersion > latest) throw new BackupError(`The backup is from a newer Tsunagu (schema ${header.schemaVersion}; this one knows ${latest}). Upgrade first.`);

  await migrate(db, { upTo: header.schemaVersion });
  const { rows: existing } = await db.query<{ n: number }>('SELECT count(*) AS n FROM municipality');
  if (Number(existing[0].n) > 0 && !opts.force) throw new BackupError('The database is not empty. Restore into a fresh database, or give --force to replace its contents.');

  const checksum = createHash('sha256');
  checksum.update(`${first.value}\n`);
  let total = 0;
  let complete = false;
  await db.transaction(async (tx) => {
    if (opts.force) {
      const tables = await tablesInOrder(tx);
      await tx.query('ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only');
      for (const t of [...tables].reverse()) await tx.query(`DELETE FROM ${t}`);
      await tx.query('ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only');
    }
    let table = '';
    let selfRefs: string[] = [];
    let pk: string[] = [];
    let batch: string[] = [];
    let columns: string[] = [];
    const flush = async () => {
      if (!batch.length) return;
      const json = `[${batch.join(',')}]`;
      // self-references (a parent organisation, a merged person) are filled in
      // once the table's rows are all in, so row order does not matter
      await tx.query(
        `INSERT INTO ${table} (${columns.join(', ')})
         SELECT ${columns.map((c) => (selfRefs.includes(c) ? 'NULL' : `r.${c}`)).join(', ')} FROM json_populate_recordset(null::${table}, $1::json) r`,
        [json],
      );
      if (selfRefs.length) pendingSelfRefs.push(json);
      total += batch.length;
      batch = [];
    };
    const fillSelfRefs = async () => {
      if (selfRefs.length)
        for (const json of pendingSelfRefs)
          await tx.query(
            `UPDATE ${table} t SET ${selfRefs.map((c) => `${c} = r.${c}`).join(', ')} FROM json_populate_recordset(null::${table}, $1::json) r
             WHERE ${pk.map((c) => `t.${c} = r.${c}`).join(' AND ')} AND (${selfRefs.map((c) => `r.${c} IS NOT NULL`).join(' OR ')})`,
            [json],
          );
      pendingSelfRefs = [];
    };
    let pendingSelfRefs: string[] = [];
    for await (const line of lines) {
      const obj = line.startsWith('{"table":') || line.startsWith('{"end":') ? JSON.parse(line) : null;
      if (complete) throw new BackupError('The backup has data after its end: the file is damaged.');
      if (obj?.end) {
        if (obj.sha256 !== checksum.digest('hex')) throw new BackupError('The backup’s checksum does not match its content: the file is damaged.');
        // read on to the end of the file, so the encryption's own check runs
        complete = true;
        continue;
      }
      checksum.update(`${line}\n`);
      if (obj?.table) {
        await flush();
        await fillSelfRefs();
        table = obj.table;
        if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new BackupError(`Unexpected table name in backup: ${table}`);
        selfRefs = await selfReferences(tx, table);
        pk = await primaryKey(tx, table);
        columns = (await tx.query<{ c: string }>(
          `SELECT column_name AS c FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position`, [table],
        )).rows.map((r) => r.c);
        continue;
      }
      batch.push(line);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await fillSelfRefs();
    if (!complete) throw new BackupError('The backup ends early: the file is incomplete.');
  });
  await migrate(db);
  await recordAudit(db, clock, systemActor('restore'), { action: 'backup.restore', reason: `restored from a backup of ${header.createdAt}`, details: { engine: header.engine, schemaVersion: header.schemaVersion, rows: total } });
  return { header, rows: total };
}

/** A hash of every table's content, in a stable order, to compare two databases. */
export async function contentHashes(db: Db): Promise<Record<string, { rows: number; sha256: string }>> {
  const out: Record<string, { rows: number; sha256: string }> = {};
  for (const t of await tablesInOrder(db)) {
    const pk = await primaryKey(db, t);
    const { rows } = await db.query<{ j: string }>(`SELECT row_to_json(x)::text AS j FROM ${t} x ORDER BY ${pk.map((c) => `x.${c}`).join(', ') || '1'}`);
    const h = createHash('sha256');
    for (const r of rows) h.update(canonicalJson(r.j));
    out[t] = { rows: rows.length, sha256: h.digest('hex') };
  }
  return out;
}

/** Normalises a row's JSON so both engines hash the same content the same way (timestamps as instants). */
function canonicalJson(j: string): string {
  const o = JSON.parse(j) as Record<string, unknown>;
  const norm = (v: unknown): unknown => {
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/.test(v)) return new Date(v).toISOString();
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, norm((v as Record<string, unknown>)[k])]));
    return v;
  };
  return JSON.stringify(norm(o));
}

