/**
 * Case list and person search benchmark: the API against the same SQL issued
 * directly, at 1, 10 and 50 concurrent clients.
 *
 *   node --import tsx bench/case-list.ts                                  # PGlite, musashino size
 *   DATABASE_URL=postgres://… node --import tsx bench/case-list.ts        # PostgreSQL, tokyo size
 *   node --import tsx bench/case-list.ts --size small --seconds 3         # a quick look
 *
 * Options: --size demo|small|musashino|tokyo, --scale F, --seed N (used only
 * when the database is empty and the data set is generated first), --seconds T
 * per measurement (8) in --slices N turns alternating with the peers' (4), --spread K municipalities the clients are spread over
 * (10 for tokyo, else 1), --clients 1,10,50, --think-ms 1000,250,100 (0 to skip), --only TEXT (only the
 * measured queries whose name holds TEXT, e.g. "search", and not the one-user calls).
 *
 * Measured, for an organisation's staff (the organisation, not the hub, that
 * takes part in the most cases) and the hub:
 * - GET /api/cases (first page) and a deep page by keyset cursor (row 500 on);
 * - GET /api/persons?q= by kana and by kanji (the hub's search);
 * each through a real listening server with concurrent node:http clients in a
 * worker thread (bench/clients.ts; "api"), then as the service's own SQL statement ("direct"), then the
 * same SQL plus the audit event the service writes for every list and search
 * ("direct + audit"). Then the same calls through the API from as many clients
 * as the most measured, each pausing between calls for the mean time given
 * ("people at work": the closed loops above call again at once, so they
 * measure the most a second, not what people at work wait). Then, at one
 * client, every other call the screens make, through the API (the "one user"
 * goal).
 */
import type { Db } from '../src/db/index.ts';
import { systemClock } from '../src/lib/clock.ts';
import type { Actor } from '../src/lib/context.ts';
import { encodeCursor } from '../src/lib/pagination.ts';
import { recordAudit } from '../src/modules/audit/service.ts';
import { nameKey, queryGrams } from '../src/modules/cases/names.ts';
import { LIST_CASES_SQL, SEARCH_PERSONS_SQL } from '../src/modules/cases/service.ts';
import { runApiFor, stopClients, type ApiCall } from './clients.ts';
import {
  call, ensureData, figures, inTurns, line, listOption, municipalities, ms, openBenchDb, ownListRow, parseArgs, runFor, signedIn, startServer, type Figures, type Signed,
} from './support.ts';

const args = parseArgs();
const clientCounts = listOption('clients', '1,10,50');
const thinkTimes = listOption('think-ms', '1000,250,100').filter((ms) => ms > 0);
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

/** Queries a desk types: surnames and given names, kanji and kana (either script, either width). */
const KANA = ['さとう', 'スズキ', 'たかはし', 'タナカ', 'わたなべ', 'ヤマモト', 'ｺﾊﾞﾔｼ', 'はなこ', 'サトウ ヒロ', 'いのうえ'];
const KANJI = ['佐藤', '鈴木', '高橋 健', '田中', '渡辺', '山本 花子', '小林', '中村', '佐々木', '井上'];

// ---- set up

const { db, config, label } = await openBenchDb(args);
console.log(`case-list bench: ${label}, node ${process.version}`);
await ensureData(db, args);
const munis = await municipalities(db, args.spread);
const { app, baseUrl } = await startServer(db, config);
const orgUsers: Signed[] = [];
const hubUsers: Signed[] = [];
for (const m of munis) {
  orgUsers.push(await signedIn(db, baseUrl, m, m.busiestOrgId, 'org_staff'));
  hubUsers.push(await signedIn(db, baseUrl, m, m.hubId, 'hub_coordinator'));
}
console.log(`clients spread over ${munis.length} municipalit${munis.length === 1 ? 'y' : 'ies'}: ${munis.map((m) => `${m.name} (case list of ${m.busiestOrgName})`).slice(0, 3).join(', ')}${munis.length > 3 ? ', …' : ''}`);

const actorOf = (s: Signed): Actor => ({ userId: null, login: 'bench', municipalityId: s.municipality.mid, organizationId: s.organizationId, role: s.role });

/** A cursor 500 rows into the organisation's list (or 80% in, for a short list): a deep page. */
async function deepCursor(s: Signed): Promise<{ at: string; id: string; cursor: string }> {
  const { rows: n } = await db.query<{ n: number }>(
    `SELECT count(*) AS n FROM case_participant WHERE municipality_id = $1 AND organization_id = $2 AND until IS NULL`, [s.municipality.mid, s.organizationId]);
  const offset = Math.min(500, Math.floor(Number(n[0].n) * 0.8));
  const row = (await ownListRow(db, s.municipality.mid, s.organizationId, offset))!;
  const at = new Date(row.opened_at).toISOString();
  return { at, id: row.id, cursor: encodeCursor({ at, id: row.id }) };
}
const deep = await Promise.all(orgUsers.map(deepCursor));

/** One call from this thread (the warm-up, and the one-user figures, where no client shares the loop with another). */
async function send(c: ApiCall): Promise<void> {
  const res = await call(baseUrl, c.method, c.path, c.headers);
  if (res.status !== c.status) throw new Error(`${c.path}: ${res.status} ${res.text.slice(0, 200)}`);
}

const get = (s: Signed, path: string): ApiCall => ({ method: 'GET', path, headers: s.headers, status: 200 });
/** Every user with every query: the clients' loops take them in turn. */
const callsOf = (op: Op) => Array.from({ length: munis.length * KANA.length }, (_, i) => op.api(i));

interface Op {
  name: string;
  api: (i: number) => ApiCall;
  direct: (db: Db, i: number) => Promise<unknown>;
  audit: (db: Db, i: number) => Promise<void>;
}

const pick = <T,>(xs: T[], i: number) => xs[i % xs.length];
const listParams = (s: Signed, cursor: { at: string; id: string } | null) =>
  [s.municipality.mid, s.role, s.organizationId, null, cursor?.at ?? null, cursor?.id ?? null, 51];
const searchParams = (s: Signed, q: string) => [s.municipality.mid, s.role, s.organizationId, queryGrams(q), nameKey(q), 20];
// the audit events exactly as the services write them: the ids of what was returned
const listed = async (d: Db, s: Signed, cursor: { at: string; id: string } | null) => {
  const { rows } = await d.query<{ id: string }>(LIST_CASES_SQL.mine.caseByCase, listParams(s, cursor));
  const page = rows.slice(0, 50);
  await recordAudit(d, systemClock, actorOf(s), {
    action: 'case.list', entityType: 'support_case', reason: 'case list', details: { scope: 'mine', status: null, count: page.length, ids: page.map((r) => r.id) } });
};
const searched = async (d: Db, s: Signed, q: string) => {
  const { rows } = await d.query<{ id: string }>(SEARCH_PERSONS_SQL, searchParams(s, q));
  await recordAudit(d, systemClock, actorOf(s), { action: 'person.search', entityType: 'person', reason: 'search', details: { query: q, count: rows.length, ids: rows.map((r) => r.id) } });
};

const allOps: Op[] = [
  {
    name: "case list of an organisation, first page",
    api: (i) => get(pick(orgUsers, i), '/api/cases'),
    direct: (d, i) => d.query(LIST_CASES_SQL.mine.caseByCase, listParams(pick(orgUsers, i), null)),
    audit: (d, i) => listed(d, pick(orgUsers, i), null),
  },
  {
    name: 'case list of an organisation, deep page (keyset cursor, row 500 on)',
    api: (i) => get(pick(orgUsers, i), `/api/cases?cursor=${pick(deep, i).cursor}`),
    direct: (d, i) => d.query(LIST_CASES_SQL.mine.caseByCase, listParams(pick(orgUsers, i), pick(deep, i))),
    audit: (d, i) => listed(d, pick(orgUsers, i), pick(deep, i)),
  },
  {
    name: 'person search by kana (the hub)',
    api: (i) => get(pick(hubUsers, i), `/api/persons?q=${encodeURIComponent(pick(KANA, i))}`),
    direct: (d, i) => d.query(SEARCH_PERSONS_SQL, searchParams(pick(hubUsers, i), pick(KANA, i))),
    audit: (d, i) => searched(d, pick(hubUsers, i), pick(KANA, i)),
  },
  {
    name: 'person search by kanji (the hub)',
    api: (i) => get(pick(hubUsers, i), `/api/persons?q=${encodeURIComponent(pick(KANJI, i))}`),
    direct: (d, i) => d.query(SEARCH_PERSONS_SQL, searchParams(pick(hubUsers, i), pick(KANJI, i))),
    audit: (d, i) => searched(d, pick(hubUsers, i), pick(KANJI, i)),
  },
];
const ops = allOps.filter((op) => !only || op.name.includes(only));
if (ops.length === 0) throw new Error(`--only ${only}: no measured query is named so (${allOps.map((op) => op.name).join('; ')})`);

// ---- measure

// warm up every path once (plans, caches, JIT)
for (const op of ops) for (let i = 0; i < 20; i++) {
  await send(op.api(i));
  await op.direct(db, i);
}

console.log(`${args.seconds} s per measurement, in ${args.slices} turns alternating with the peers'; latencies in ms from request to full response`);
const summary: string[] = [];
for (const clients of clientCounts) {
  for (const op of ops) {
    const slice = args.seconds / args.slices;
    const [a, d, da] = (await inTurns(args.slices, [
      () => runApiFor(baseUrl, clients, slice, callsOf(op)),
      () => runFor(clients, slice, (i) => op.direct(db, i).then(() => {})),
      () => runFor(clients, slice, (i) => op.audit(db, i)),
    ])).map(figures);
    console.log(`${op.name} — ${clients} client${clients === 1 ? '' : 's'}`);
    console.log(`  api:            ${line(a)}`);
    console.log(`  direct SQL:     ${line(d)}`);
    console.log(`  direct + audit: ${line(da)}`);
    console.log(`  ratio api/direct: p95 ${(a.p95 / d.p95).toFixed(1)}x, throughput ${(a.perSecond / d.perSecond).toFixed(2)}x; api/(direct + audit): p95 ${(a.p95 / da.p95).toFixed(1)}x, throughput ${(a.perSecond / da.perSecond).toFixed(2)}x`);
    summary.push(`| ${op.name} | ${clients} | ${ms(a.p50)} / ${ms(a.p95)} / ${ms(a.p99)} | ${ms(d.p50)} / ${ms(d.p95)} / ${ms(d.p99)} | ${ms(da.p50)} / ${ms(da.p95)} / ${ms(da.p99)} | ${Math.round(a.perSecond)} / ${Math.round(d.perSecond)} / ${Math.round(da.perSecond)} | ${(a.perSecond / d.perSecond).toFixed(2)}x / ${(a.perSecond / da.perSecond).toFixed(2)}x |`);
  }
}

// ---- people at work: as many clients, each pausing between calls as staff read a page before the next click
const busiest = Math.max(...clientCounts);
const atWork: string[] = [];
for (const thinkMs of thinkTimes) {
  for (const op of ops) {
    const a = figures(await runApiFor(baseUrl, busiest, args.seconds, callsOf(op), thinkMs));
    console.log(`${op.name} — ${busiest} clients, ${thinkMs} ms between calls on average: api ${line(a)}`);
    atWork.push(`| ${op.name} | ${busiest} | ${thinkMs} | ${Math.round(a.perSecond)} | ${ms(a.p50)} / ${ms(a.p95)} / ${ms(a.p99)} |`);
  }
}

// ---- one user: every call the screens make, through the API
console.log('one user, the calls of the other screens (api, 1 client):');
const hub = hubUsers[0];
const org = orgUsers[0];
const { rows: someCases } = await db.query<{ id: string }>(
  `SELECT c.id FROM support_case c WHERE c.municipality_id = $1 ORDER BY c.opened_at DESC LIMIT 40`, [hub.municipality.mid]);
const { rows: someConsultations } = await db.query<{ id: string }>(
  `SELECT id FROM consultation WHERE municipality_id = $1 ORDER BY received_at DESC LIMIT 40`, [hub.municipality.mid]);
const { rows: someReferrals } = await db.query<{ id: string }>(
  `SELECT id FROM referral WHERE municipality_id = $1 AND (from_organization_id = $2 OR (to_organization_id = $2 AND share_ended_at IS NULL)) ORDER BY sent_at DESC LIMIT 40`, [hub.municipality.mid, org.organizationId]);
const { rows: somePersons } = await db.query<{ id: string }>(
  `SELECT person_id AS id FROM support_case WHERE municipality_id = $1 ORDER BY opened_at DESC LIMIT 40`, [hub.municipality.mid]);
const pages: [string, Signed, (i: number) => string][] = [
  ['GET /api/cases (hub, mine)', hub, () => '/api/cases'],
  ['GET /api/cases?scope=all (hub)', hub, () => '/api/cases?scope=all'],
  ['GET /api/cases/:id', hub, (i) => `/api/cases/${pick(someCases, i).id}`],
  ['GET /api/cases/:id/timeline', hub, (i) => `/api/cases/${pick(someCases, i).id}/timeline`],
  ['GET /api/cases/:id/contact-records', hub, (i) => `/api/cases/${pick(someCases, i).id}/contact-records`],
  ['GET /api/cases/:id/plans', hub, (i) => `/api/cases/${pick(someCases, i).id}/plans`],
  ['GET /api/cases/:id/assessments', hub, (i) => `/api/cases/${pick(someCases, i).id}/assessments`],
  ['GET /api/persons/:id', hub, (i) => `/api/persons/${pick(somePersons, i).id}`],
  ['GET /api/consultations?status=triage (hub queue)', hub, () => '/api/consultations?status=triage'],
  ['GET /api/consultations (hub, newest)', hub, () => '/api/consultations'],
  ['GET /api/consultations?status=triage (organisation queue)', org, () => '/api/consultations?status=triage'],
  ['GET /api/consultations/:id', hub, (i) => `/api/consultations/${pick(someConsultations, i).id}`],
  ['GET /api/referrals?box=incoming (organisation)', org, () => '/api/referrals?box=incoming'],
  ['GET /api/referrals?box=outgoing (hub)', hub, () => '/api/referrals?box=outgoing'],
  ['GET /api/referrals?box=overdue (hub)', hub, () => '/api/referrals?box=overdue'],
  ['GET /api/referrals/:id', org, (i) => `/api/referrals/${pick(someReferrals, i).id}`],
  ['GET /api/network', hub, () => '/api/network'],
  ['GET /api/vocabularies', hub, () => '/api/vocabularies'],
];
const pageFigures: [string, Figures][] = [];
for (const [name, who, path] of only ? [] : pages) {
  if ((name.includes(':id') && path(0).includes('undefined'))) continue;
  const f = figures(await runFor(1, Math.min(3, args.seconds), (i) => send(get(who, path(i)))));
  pageFigures.push([name, f]);
  console.log(`  ${name.padEnd(58)} ${line(f)}${f.p95 >= 50 ? '  <-- p95 at or above 50 ms' : ''}`);
}

console.log('summary (p50 / p95 / p99 ms; throughput per s; api throughput as a share of direct SQL, and of direct SQL with the same audit event):');
console.log('| query | clients | api | direct SQL | direct + audit | throughput api / direct / direct + audit | api ÷ direct / api ÷ (direct + audit) |');
console.log('|---|---|---|---|---|---|---|');
for (const s of summary) console.log(s);
if (atWork.length > 0) {
  console.log('people at work (api; p50 / p95 / p99 ms):');
  console.log('| query | clients | mean pause between calls (ms) | calls/s | p50 / p95 / p99 |');
  console.log('|---|---|---|---|---|');
  for (const s of atWork) console.log(s);
}
const [worstName, worstFigures] = [...pageFigures].sort((x, y) => y[1].p95 - x[1].p95)[0] ?? [];
if (worstFigures) console.log(`slowest screen call at one user: ${worstName} p95 ${ms(worstFigures.p95)} ms`);

await stopClients();
await app.close();
await db.close();
