/**
 * Figures dashboard benchmark (issue #6: "renders in under a second at
 * Musashino scale on PGlite"): the time the dashboard's API takes to answer
 * the three calls the page makes at once (GET /api/stats, /api/stats/years,
 * /api/stats/health), through a real listening server, for the hub and for
 * the staff of the busiest organisation (whose figures pass the access rule
 * on every row), one client at a time.
 *
 *   node --import tsx bench/stats.ts                           # PGlite, musashino size (generated on first use)
 *   DATABASE_URL=postgres://… node --import tsx bench/stats.ts --size musashino
 *   node --import tsx bench/stats.ts --size small --seconds 3  # a quick look
 *
 * The fiscal year measured is the one with the most consultations. Also
 * shown: each call alone, and the figures for publication. Where the data set
 * has a prefecture's centre (the `tokyo` size), its figures for every
 * municipality at once: the networks side by side, a column per municipality
 * with the fiscal year's counts and gap findings.
 */
import { fiscalYearOf } from '../src/lib/fiscal.ts';
import { call, ensureData, figures, line, municipalities, openBenchDb, parseArgs, runFor, signedIn, startServer, type Municipal, type Signed } from './support.ts';

const args = parseArgs();
const { db, config, label } = await openBenchDb(args);
console.log(`engine: ${label}`);
await ensureData(db, args);
const [m] = await municipalities(db, 1);
const { rows } = await db.query<{ at: Date; n: number }>(
  `SELECT min(received_at) AS at, count(*)::int AS n FROM consultation WHERE municipality_id = $1
   GROUP BY extract(year from ((received_at AT TIME ZONE 'UTC') + interval '9 hours' - interval '3 months')) ORDER BY 2 DESC LIMIT 1`, [m.mid]);
const fy = fiscalYearOf(rows[0].at);
console.log(`${m.name}: fiscal year ${fy} (${rows[0].n.toLocaleString('en-US')} consultations in it)`);
const { app, baseUrl } = await startServer(db, config);

async function get(s: Signed, path: string) {
  const res = await call(baseUrl, 'GET', path, s.headers);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text.slice(0, 200)}`);
  return res.text;
}

const users: [string, Signed][] = [
  ['hub', await signedIn(db, baseUrl, m, m.hubId, 'hub_coordinator')],
  [`org staff (${m.busiestOrgName})`, await signedIn(db, baseUrl, m, m.busiestOrgId, 'org_staff')],
];
for (const [who, s] of users) {
  const dashboard = (view = '') => () => Promise.all([
    get(s, `/api/stats?fiscalYear=${fy}${view}`), get(s, `/api/stats/years?until=${fy}&count=5${view}`), get(s, `/api/stats/health?fiscalYear=${fy}`),
  ]).then(() => {});
  await dashboard()(); // warm up: the network context, plans
  console.log(`${who}:`);
  console.log(`  dashboard (the three calls at once): ${line(figures(await runFor(1, args.seconds, dashboard())))}`);
  console.log(`  dashboard, publication view:         ${line(figures(await runFor(1, args.seconds, dashboard('&view=publication'))))}`);
  for (const path of [`/api/stats?fiscalYear=${fy}`, `/api/stats/years?until=${fy}&count=5`, `/api/stats/health?fiscalYear=${fy}`])
    console.log(`  ${path.padEnd(36)} ${line(figures(await runFor(1, Math.max(1, args.seconds / 2), async () => { await get(s, path); })))}`);
}
const { rows: [prefecture] } = await db.query<{ id: string; code: string; name: string; hub: string }>(
  `SELECT m.id, m.code, m.name, o.id AS hub FROM municipality m JOIN organization o ON o.municipality_id = m.id AND o.hub
   WHERE m.kind = 'prefecture' ORDER BY m.code LIMIT 1`);
if (prefecture) {
  const centre: Municipal = { mid: prefecture.id, code: prefecture.code, name: prefecture.name, hubId: prefecture.hub, busiestOrgId: prefecture.hub, busiestOrgName: prefecture.name };
  const s = await signedIn(db, baseUrl, centre, prefecture.hub, 'prefecture_staff');
  const path = `/api/prefecture/networks?fiscalYear=${fy}`;
  const columns = (JSON.parse(await get(s, path)) as { municipalities: unknown[] }).municipalities.length;
  console.log(`the centre of ${prefecture.name}, every municipality at once (${columns} columns):`);
  console.log(`  ${path.padEnd(36)} ${line(figures(await runFor(1, args.seconds, async () => { await get(s, path); })))}`);
}
await app.close();
await db.close();
