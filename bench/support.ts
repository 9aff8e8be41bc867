/**
 * What the database benchmarks share: the engine (PostgreSQL from
 * DATABASE_URL, else PGlite in a directory of its own), a synthetic data set
 * generated on first use, staff accounts signed in through the API, and
 * percentile arithmetic. Not a benchmark itself.
 */
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig, type Config } from '../src/config.ts';
import type { Db } from '../src/db/index.ts';
import { migrate } from '../src/db/migrate.ts';
import { buildApp, type App } from '../src/http/app.ts';
import { systemClock } from '../src/lib/clock.ts';
import { systemActor } from '../src/lib/context.ts';
import { currentCode } from '../src/modules/auth/mfa.ts';
import { createUser } from '../src/modules/auth/service.ts';
import { openConfiguredDatabase } from '../src/server.ts';
import { describeSummary, generateSynthetic, SIZE_NAMES, type SizeName } from '../src/tools/generate.ts';

export interface BenchArgs {
  size: SizeName;
  scale: number;
  seed: number;
  /** Seconds each measurement runs. */
  seconds: number;
  /** Where peers are compared, each runs its seconds in this many turns, alternating with the others (inTurns). */
  slices: number;
  /** Spread the clients over this many municipalities (at most those in the database). */
  spread: number;
  engine: 'pglite' | 'postgresql';
}

/** A comma-separated list of numbers given as `--name 1,10,50`, or the fallback. */
export function listOption(name: string, fallback: string, argv = process.argv.slice(2)): number[] {
  const i = argv.indexOf(`--${name}`);
  return (i === -1 ? fallback : argv[i + 1]).split(',').map(Number);
}

/** `--size S --scale F --seed N --seconds T --spread K`; musashino on PGlite and tokyo on PostgreSQL unless told. */
export function parseArgs(argv = process.argv.slice(2)): BenchArgs {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i === -1 ? undefined : argv[i + 1];
  };
  const engine = process.env.DATABASE_URL ? 'postgresql' : 'pglite';
  const size = (get('size') ?? (engine === 'postgresql' ? 'tokyo' : 'musashino')) as SizeName;
  if (!SIZE_NAMES.includes(size)) throw new Error(`--size must be one of ${SIZE_NAMES.join(', ')}`);
  return {
    size, engine,
    scale: Number(get('scale') ?? 1),
    seed: Number(get('seed') ?? 20260401),
    seconds: Number(get('seconds') ?? 8),
    slices: Number(get('slices') ?? 4),
    spread: Number(get('spread') ?? (size === 'tokyo' ? 10 : 1)),
  };
}

export interface BenchDb {
  db: Db;
  config: Config;
  label: string;
}

/** PostgreSQL from DATABASE_URL, else PGlite in TSUNAGU_DATA_DIR or a directory per size under the system's temp dir. */
export async function openBenchDb(args: BenchArgs): Promise<BenchDb> {
  const dataDir = process.env.TSUNAGU_DATA_DIR || join(tmpdir(), `tsunagu-bench-${args.size}${args.scale !== 1 ? `-x${args.scale}` : ''}`);
  const base = loadConfig({ ...process.env, TSUNAGU_DATA_DIR: dataDir }, { demo: false });
  // plain HTTP on 127.0.0.1, and many sign-ins from one address; no load shedding: the clients run in this
  // process (and PGlite too), so event-loop delay is the benchmark's own, and a 503 would hide the latency measured
  const config: Config = {
    ...base, auth: { ...base.auth, secureCookies: false, signInAttemptsPerMinute: 10_000 }, load: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 },
  };
  const db = await openConfiguredDatabase(config);
  await migrate(db);
  const label = config.databaseUrl ? `PostgreSQL (${config.databaseUrl.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:…@')})` : `PGlite in ${dataDir}`;
  return { db, config, label };
}

/** Generates the data set when the database has no case yet; says what is there. */
export async function ensureData(db: Db, args: BenchArgs): Promise<void> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM support_case');
  if (Number(rows[0].n) === 0) {
    console.log(`The database is empty: generating the ${args.size} data set (seed ${args.seed}${args.scale !== 1 ? `, scale ${args.scale}` : ''}) first.`);
    const t0 = performance.now();
    const summary = await generateSynthetic({ db, clock: systemClock }, systemActor('bench'), {
      size: args.size, scale: args.scale, seed: args.seed, log: (line) => console.log(line),
    });
    for (const line of describeSummary(summary)) console.log(line);
    console.log(`generation: ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  }
  const { rows: counts } = await db.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM municipality) AS municipalities, (SELECT count(*) FROM person) AS persons, (SELECT count(*) FROM support_case) AS cases,
            (SELECT count(*) FROM consultation) AS consultations, (SELECT count(*) FROM contact_record) AS contact_records,
            (SELECT count(*) FROM referral) AS referrals, (SELECT count(*) FROM case_event) AS case_events`);
  console.log(`data: ${Object.entries(counts[0]).map(([k, v]) => `${Number(v).toLocaleString('en-US')} ${k.replace('_', ' ')}`).join(', ')}`);
}

export interface Municipal {
  mid: string;
  code: string;
  name: string;
  hubId: string;
  /** The organisation (not the hub) taking part in the most cases: whose case list is measured. */
  busiestOrgId: string;
  busiestOrgName: string;
}

/** The municipalities with the most cases, with their hub and busiest organisation. */
export async function municipalities(db: Db, count: number): Promise<Municipal[]> {
  const { rows } = await db.query<{ id: string; code: string; name: string; n: number }>(
    `SELECT m.id, m.code, m.name, (SELECT count(*) FROM support_case c WHERE c.municipality_id = m.id) AS n
     FROM municipality m ORDER BY m.code = '132039' DESC, n DESC LIMIT $1`, [count]);
  const out: Municipal[] = [];
  for (const m of rows.filter((r) => Number(r.n) > 0)) {
    const hub = (await db.query<{ id: string }>('SELECT id FROM organization WHERE municipality_id = $1 AND hub AND active LIMIT 1', [m.id])).rows[0];
    const busiest = (await db.query<{ id: string; name: string }>(
      `SELECT o.id, o.name FROM case_participant cp JOIN organization o ON o.municipality_id = cp.municipality_id AND o.id = cp.organization_id
       WHERE cp.municipality_id = $1 AND cp.until IS NULL AND NOT o.hub GROUP BY o.id, o.name ORDER BY count(*) DESC LIMIT 1`, [m.id])).rows[0];
    out.push({ mid: m.id, code: m.code, name: m.name, hubId: hub.id, busiestOrgId: busiest.id, busiestOrgName: busiest.name });
  }
  return out;
}

export interface Signed {
  headers: Record<string, string>;
  municipality: Municipal;
  organizationId: string;
  role: 'hub_coordinator' | 'org_staff' | 'prefecture_staff';
}

/**
 * A new staff account signed in through the API of the running server
 * (password, then the authenticator enrolment the first sign-in asks for).
 */
export async function signedIn(db: Db, baseUrl: string, m: Municipal, organizationId: string, role: Signed['role']): Promise<Signed> {
  const login = `bench-${role.split('_')[0]}-${m.code}-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('base64url');
  await createUser({ db, clock: systemClock }, systemActor('bench'), {
    login, displayName: `ベンチ ${login}`, password, memberships: [{ municipalityId: m.mid, organizationId, role }],
  });
  let cookie = '';
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(baseUrl + path, { method, headers: { 'content-type': 'application/json', cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  let session = await call('POST', '/api/session', { login, password });
  if (session.secondFactor === 'enroll') {
    const e = await call('GET', '/api/session/enrollment');
    session = (await call('POST', '/api/session/enrollment', { code: currentCode(e.secret as string, new Date()) })).session as Record<string, unknown>;
  } else if (session.secondFactor) throw new Error(`unexpected second factor step ${String(session.secondFactor)}`);
  return { headers: { cookie, 'x-csrf-token': session.csrfToken as string }, municipality: m, organizationId, role };
}

export async function startServer(db: Db, config: Config): Promise<{ app: App; baseUrl: string }> {
  const app = await buildApp({ db, clock: systemClock, config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, baseUrl: `http://127.0.0.1:${(app.server.address() as { port: number }).port}` };
}

export { call, runFor, type Run } from './clients.ts';
import { CORES, type Run } from './clients.ts';

/** The case `offset` rows into an organisation's own list, newest first: where a deep page starts. */
export async function ownListRow(db: Db, mid: string, organizationId: string, offset: number): Promise<{ opened_at: Date; id: string } | undefined> {
  const { rows } = await db.query<{ opened_at: Date; id: string }>(
    `SELECT c.opened_at, c.id FROM support_case c WHERE c.municipality_id = $1 AND EXISTS (SELECT 1 FROM case_participant cp
       WHERE cp.municipality_id = c.municipality_id AND cp.case_id = c.id AND cp.organization_id = $2 AND cp.until IS NULL)
     ORDER BY c.opened_at DESC, c.id DESC OFFSET $3 LIMIT 1`, [mid, organizationId, offset]);
  return rows[0];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Figures {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  n: number;
  errors: number;
  firstError: string | null;
  /** Share of the machine's CPU (all cores) busy meanwhile, and of the main thread's time. */
  machineBusy: number;
  mainThreadBusy: number;
  /** CPU time a call took, machine-wide (server, clients and database together), ms. */
  cpuPerCall: number;
}

/** The database as a client that prepares nothing: every statement goes as its text, parsed and planned each time. */
export function plainStatements(db: Db): Db {
  return {
    ...db,
    query: (sql, params) => db.query(typeof sql === 'string' ? sql : sql.text, params),
    transaction: (fn) => db.transaction((tx) => fn(plainStatements(tx))),
  };
}

/**
 * Runs the peers in turn, `slices` times each, and adds up each peer's calls: on a shared host, a busy
 * moment then weighs on every peer alike rather than on whichever happened to run through it.
 */
export async function inTurns(slices: number, peers: (() => Promise<Run>)[]): Promise<Run[]> {
  const totals: Run[] = peers.map(() => ({ latencies: [], errors: 0, firstError: null, ms: 0, machineCpuMs: 0, mainThreadMs: 0 }));
  for (let s = 0; s < slices; s++) {
    for (const [i, peer] of peers.entries()) {
      const r = await peer();
      const t = totals[i];
      for (const l of r.latencies) t.latencies.push(l);
      t.errors += r.errors;
      t.firstError ??= r.firstError;
      t.ms += r.ms;
      t.machineCpuMs += r.machineCpuMs;
      t.mainThreadMs += r.mainThreadMs;
    }
  }
  return totals;
}

export function figures(r: Run): Figures {
  const s = [...r.latencies].sort((a, b) => a - b);
  return {
    p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), perSecond: (s.length / r.ms) * 1000, n: s.length, errors: r.errors, firstError: r.firstError,
    machineBusy: r.machineCpuMs / (r.ms * CORES), mainThreadBusy: r.mainThreadMs / r.ms, cpuPerCall: r.machineCpuMs / s.length,
  };
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
export const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));

export function line(f: Figures): string {
  return `p50 ${ms(f.p50)} ms, p95 ${ms(f.p95)} ms, p99 ${ms(f.p99)} ms, ${Math.round(f.perSecond)}/s (${f.n} calls${f.errors ? `, ${f.errors} ERRORS, the first: ${f.firstError}` : ''}); `
    + `CPU ${ms(f.cpuPerCall)} ms a call, machine ${pct(f.machineBusy)} busy, main thread ${pct(f.mainThreadBusy)}`;
}
