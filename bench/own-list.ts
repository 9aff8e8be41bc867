/**
 * An organisation's case list read both ways, for every organisation of the municipality with the most
 * cases, from the busiest to those in none: case by case in the list's order, checking each case's
 * participation, and with the participations read first (the own list joins them, the whole list hashes
 * them). Prints the median time of each, and the way the list chooses (readsCaseByCase), so the rule
 * can be checked against what it saves.
 *
 *   DATABASE_URL=postgres://… node --import tsx bench/own-list.ts      # PostgreSQL, tokyo size
 *   node --import tsx bench/own-list.ts --scope all                    # PGlite, musashino size, the whole list
 *
 * Options: --scope mine|all (mine), --size, --scale, --seed (used only when the database is empty and
 * the data set is generated first), --runs N: reads of each page and way (25), first page and a page 500
 * rows deep.
 */
import { systemClock } from '../src/lib/clock.ts';
import { LIST_CASES_SQL, readsCaseByCase } from '../src/modules/cases/service.ts';
import { ensureData, ms, openBenchDb, ownListRow, parseArgs, percentile } from './support.ts';

const args = parseArgs();
const option = (name: string) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined);
const runs = Number(option('runs') ?? 25);
const scope = option('scope') === 'all' ? 'all' : 'mine';
const ways = LIST_CASES_SQL[scope];
const otherWay = scope === 'mine' ? 'from participations' : 'participations hashed';
const { db, label } = await openBenchDb(args);
console.log(`own-list bench: ${label}, node ${process.version}`);
await ensureData(db, args);

const { rows: [largest] } = await db.query<{ id: string; name: string; cases: number }>(
  `SELECT m.id, m.name, count(*)::int AS cases FROM support_case c JOIN municipality m ON m.id = c.municipality_id GROUP BY m.id, m.name ORDER BY cases DESC LIMIT 1`);
const { rows: orgs } = await db.query<{ id: string; name: string; taking_part: number }>(
  `SELECT o.id, o.name, count(cp.case_id)::int AS taking_part
   FROM organization o LEFT JOIN case_participant cp ON cp.municipality_id = o.municipality_id AND cp.organization_id = o.id AND cp.until IS NULL
   WHERE o.municipality_id = $1 GROUP BY o.id, o.name ORDER BY taking_part DESC, o.name`, [largest.id]);
console.log(`${largest.name}: ${largest.cases.toLocaleString()} cases, ${orgs.length} organisations; ${scope === 'mine' ? 'own' : 'whole'} list, median of ${runs} reads, ms\n`);

const params = (orgId: string, cursor: { at: Date; id: string } | null) => [largest.id, 'org_staff', orgId, null, cursor?.at ?? null, cursor?.id ?? null, 51];

async function median(sql: typeof ways.caseByCase, p: unknown[]): Promise<number> {
  await db.query(sql, p);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await db.query(sql, p);
    times.push(performance.now() - start);
  }
  return percentile(times.sort((a, b) => a - b), 50);
}

console.log(`| organisation | taking part in | page | case by case | ${otherWay} | chosen | chosen ÷ faster |`);
console.log('|---|---:|---|---:|---:|---|---:|');
for (const o of orgs) {
  const perRowChosen = await readsCaseByCase({ db, clock: systemClock }, largest.id, o.id, scope, 50);
  const deep = await ownListRow(db, largest.id, o.id, 500);
  for (const [page, cursor] of [['first', null], ['deep', deep ? { at: deep.opened_at, id: deep.id } : undefined]] as const) {
    if (cursor === undefined) continue;
    const perRow = await median(ways.caseByCase, params(o.id, cursor));
    const fromParticipations = await median(ways.participationsFirst, params(o.id, cursor));
    const chosen = perRowChosen ? perRow : fromParticipations;
    console.log(`| ${o.name} | ${o.taking_part} | ${page} | ${ms(perRow)} | ${ms(fromParticipations)} | ${perRowChosen ? 'case by case' : otherWay} | ${(chosen / Math.min(perRow, fromParticipations)).toFixed(2)} |`);
  }
}
await db.close();
