/**
 * Query plans at a realistic size: the main lists and searches use indexes,
 * not a sequential scan of a large table.
 *
 * One municipality of synthetic data (Musashino's network, about half the
 * `musashino` size: 2,500 cases, 50,000 contact records), analysed, on PGlite and
 * on PostgreSQL. Each check runs the real service function through a Db that
 * records the SQL it sends, then EXPLAINs that exact statement with the same
 * parameters, so the test follows the services' SQL when it changes.
 *
 * Two things are checked for each query:
 * - as planned, it does not scan sequentially a table that is large here
 *   (10,000 rows or more: contact records, the timeline, consultations, …);
 * - with sequential scans switched off, none remains on any table that grows
 *   with the work (persons, cases, referrals, … too), and no index is read
 *   whole either (an index scan without an index condition, which is what the
 *   planner falls back to): an index serves the query.
 *   At this size a few thousand persons or cases fit in a few dozen pages and
 *   the planner rightly reads them whole; what matters is that it has an index
 *   to turn to when they are 60 times larger (the Tokyo size), and this is how
 *   the test tells a missing index from a small table.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Db, Prepared, QueryResult } from '../../src/db/index.ts';
import { FakeClock } from '../../src/lib/clock.ts';
import type { Actor } from '../../src/lib/context.ts';
import { systemActor } from '../../src/lib/context.ts';
import { encodeCursor } from '../../src/lib/pagination.ts';
import { listCases, listContactRecords, readsCaseByCase, searchPersons } from '../../src/modules/cases/service.ts';
import { listConsultations } from '../../src/modules/intake/service.ts';
import { listInbox } from '../../src/modules/notifications/service.ts';
import { listReferrals } from '../../src/modules/referrals/service.ts';
import { generateSynthetic } from '../../src/tools/generate.ts';
import { createTestDb, engine, type TestDb } from '../helpers/db.ts';
import { buildUser, HOSHINO_CODE, importHoshino, MUSASHINO_CODE, MUSASHINO_ID, orgId } from '../helpers/factories.ts';
import { municipalityId } from '../../src/lib/ids.ts';
import { municipalGramsSql, nameKey, personGrams, queryGrams } from '../../src/modules/cases/names.ts';

/** Tables that grow with the work done. */
const GROWING = ['person', 'support_case', 'contact_record', 'consultation', 'referral', 'referral_event', 'case_participant', 'case_event', 'consultation_step',
  'consent', 'consent_organization', 'message_outbox', 'message_read'];
/** Those of them that hold 10,000 rows or more in this data set (filled in before the tests). */
let large = new Set<string>();

let t: TestDb;
const clock = new FakeClock('2026-06-10T03:00:00Z');

interface Sent {
  sql: string;
  params: unknown[];
}

/** A Db that passes everything through and remembers each statement. */
function recording(db: Db, sent: Sent[]): Db {
  const wrap = (inner: Db): Db => ({
    engine: inner.engine,
    inTransaction: inner.inTransaction,
    query: <T,>(sql: string | Prepared, params?: unknown[]): Promise<QueryResult<T>> => {
      sent.push({ sql: typeof sql === 'string' ? sql : sql.text, params: params ?? [] });
      return inner.query<T>(sql, params);
    },
    transaction: (fn) => inner.transaction((tx) => fn(wrap(tx))),
    exec: (sql) => inner.exec(sql),
    close: () => inner.close(),
  });
  return wrap(db);
}

/** The statement among those sent that reads the given table first (the list query, not the audit or name look-ups). */
async function captured(run: (db: Db) => Promise<unknown>, pattern: RegExp): Promise<Sent> {
  const sent: Sent[] = [];
  await run(recording(t.db, sent));
  const found = sent.find((s) => pattern.test(s.sql));
  assert.ok(found, `no statement matching ${pattern} was sent:\n${sent.map((s) => s.sql.slice(0, 120)).join('\n')}`);
  return found;
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Actual Rows'?: number;
  'Parent Relationship'?: string;
  Filter?: string;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, out: PlanNode[] = []): PlanNode[] {
  out.push(node);
  for (const child of node.Plans ?? []) walk(child, out);
  return out;
}

/**
 * The plan of a statement (optionally with sequential scans switched off, or as run: ANALYZE): the
 * tables it reads whole, by a sequential scan or by an index scan without an
 * index condition (a hashed subplan that lost its correlated municipality_id
 * reads a whole index when the table cannot be read sequentially).
 */
async function planNodes(s: Sent, seqScansOff = false, analyze = false): Promise<PlanNode[]> {
  const json = await t.db.transaction(async (tx) => {
    if (seqScansOff) await tx.query('SET LOCAL enable_seqscan = off');
    const { rows } = await tx.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (${analyze ? 'ANALYZE, ' : ''}FORMAT JSON) ${s.sql}`, s.params);
    const raw = rows[0]['QUERY PLAN'];
    return (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  });
  return walk(json[0].Plan);
}

async function planOf(s: Sent, seqScansOff: boolean): Promise<{ seqScans: string[]; summary: string }> {
  const nodes = await planNodes(s, seqScansOff);
  const whole = (n: PlanNode) => n['Node Type'] === 'Seq Scan' || ((n['Node Type'] === 'Index Scan' || n['Node Type'] === 'Index Only Scan') && !n['Index Cond']);
  const seqScans = nodes.filter(whole).map((n) => n['Relation Name'] ?? '?');
  const summary = nodes.map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}${whole(n) && n['Index Name'] ? ' (whole index)' : ''}`).join(' / ');
  return { seqScans, summary };
}

async function assertIndexed(what: string, s: Sent) {
  const planned = await planOf(s, false);
  const onLarge = planned.seqScans.filter((r) => large.has(r));
  assert.deepEqual(onLarge, [], `${what} scans ${onLarge.join(', ')} sequentially. Plan: ${planned.summary}`);
  const forced = await planOf(s, true);
  const noIndex = forced.seqScans.filter((r) => GROWING.includes(r));
  assert.deepEqual(noIndex, [], `no index serves ${what} on ${noIndex.join(', ')}: even with sequential scans off the plan is ${forced.summary}`);
}

const actor = (org: string, role: 'hub_coordinator' | 'org_staff'): Actor => ({
  userId: null, login: `plans-${org}`, municipalityId: MUSASHINO_ID, organizationId: orgId(org), role,
});
const desk = actor('welfare-desk', 'hub_coordinator');
const soreiyu = actor('soreiyu', 'org_staff');
const agency = actor('self-reliance-agency', 'org_staff');

before(async () => {
  t = await createTestDb();
  // the generator ANALYZEs what it wrote: PGlite has no autovacuum to do it
  await generateSynthetic({ db: t.db, clock }, systemActor('test'), {
    size: 'musashino', scale: 0.5, seed: 42, asOf: '2026-06-10',
    featured: { triage: [{ organization: 'welfare-desk', count: 5 }] },
  });
  const { rows } = await t.db.query<{ relname: string; reltuples: number }>(
    'SELECT relname, reltuples FROM pg_class WHERE relkind = $1 AND relname = ANY($2::text[])', ['r', GROWING]);
  large = new Set(rows.filter((r) => Number(r.reltuples) >= 10_000).map((r) => r.relname));
}, { timeout: 180_000 });
after(async () => {
  await t?.close();
});

describe(`query plans with a municipality of synthetic data (${engine})`, () => {
  test('the data set is of the intended size', async () => {
    const { rows } = await t.db.query<{ cases: number; contacts: number; persons: number }>(
      `SELECT (SELECT count(*) FROM support_case) AS cases, (SELECT count(*) FROM contact_record) AS contacts, (SELECT count(*) FROM person) AS persons`);
    assert.equal(Number(rows[0].cases), 2_500);
    assert.ok(Number(rows[0].contacts) > 45_000, `contacts: ${rows[0].contacts}`);
    assert.ok(Number(rows[0].persons) > 2_500);
    assert.ok(large.has('contact_record') && large.has('case_event'), `large tables: ${[...large].join(', ')}`);
  });

  const deepCursor = async () => {
    // the case the 400th row of the organisation's list ends with
    const { rows } = await t.db.query<{ opened_at: Date; id: string }>(
      `SELECT c.opened_at, c.id FROM support_case c WHERE c.municipality_id = $1 AND EXISTS (SELECT 1 FROM case_participant cp
         WHERE cp.municipality_id = c.municipality_id AND cp.case_id = c.id AND cp.organization_id = $2 AND cp.until IS NULL)
       ORDER BY c.opened_at DESC, c.id DESC OFFSET 400 LIMIT 1`, [MUSASHINO_ID, soreiyu.organizationId]);
    const cursor = rows[0] ? encodeCursor({ at: new Date(rows[0].opened_at).toISOString(), id: rows[0].id }) : undefined;
    assert.ok(cursor, 'それいゆ takes part in more than 400 cases');
    return cursor;
  };

  test("an organisation's case list, first page, reads indexes", async () => {
    await assertIndexed('the case list', await captured((db) => listCases({ db, clock }, soreiyu, {}), /FROM support_case c JOIN person/));
  });

  test("an organisation's case list, a deep page by keyset cursor, reads indexes", async () => {
    const cursor = await deepCursor();
    await assertIndexed('a deep page of the case list', await captured((db) => listCases({ db, clock }, soreiyu, { cursor }), /FROM support_case c JOIN person/));
    await assertIndexed("a deep page of the hub's whole list", await captured((db) => listCases({ db, clock }, desk, { scope: 'all', cursor }), /FROM support_case c JOIN person/));
  });

  test("an organisation's own case list looks up its participations for the page's rows, not all of them", async () => {
    // hashing or joining them reads every participation of the organisation before the first row (25 ms a page at the tokyo size)
    const cursor = await deepCursor();
    for (const [what, run] of [['first page', {}], ['deep page', { cursor }]] as const) {
      const s = await captured((db) => listCases({ db, clock }, soreiyu, run), /FROM support_case c JOIN person/);
      const nodes = await planNodes(s);
      const summary = nodes.map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n.Filter ? ` [${n.Filter}]` : ''}`).join(' / ');
      assert.ok(!nodes.some((n) => /hashed SubPlan/.test(n.Filter ?? '')), `the ${what} hashes a subplan: ${summary}`);
      const perRow = new Set(nodes.filter((n) => n['Parent Relationship'] === 'SubPlan').flatMap((n) => walk(n)));
      const joined = nodes.filter((n) => n['Relation Name'] === 'case_participant' && !perRow.has(n));
      assert.deepEqual(joined.map((n) => n['Node Type']), [], `the ${what} joins the participations: ${summary}`);
    }
  });

  test('an organisation in few cases reads its own list from its participations, not case after case', async () => {
    // case after case, an organisation in few of the municipality's cases checks most of them to fill a page
    const healthCentre = actor('health-centre', 'org_staff');
    assert.equal(await readsCaseByCase({ db: t.db, clock }, MUSASHINO_ID, healthCentre.organizationId!, 'mine', 50), false);
    assert.equal(await readsCaseByCase({ db: t.db, clock }, MUSASHINO_ID, soreiyu.organizationId!, 'mine', 50), true);
    const nodes = await planNodes(await captured((db) => listCases({ db, clock }, healthCentre, {}), /FROM support_case c JOIN person/));
    const perRow = nodes.filter((n) => n['Parent Relationship'] === 'SubPlan').flatMap((n) => walk(n)).filter((n) => n['Relation Name'] === 'case_participant');
    assert.deepEqual(perRow.map((n) => n['Node Type']), [], 'the participations are looked up case by case');
  });

  test('person search by kanji and by kana uses the gram index', async () => {
    for (const q of ['佐藤', 'さとう', 'ヤマダ ハナ']) {
      await assertIndexed(`search "${q}" by the hub`, await captured((db) => searchPersons({ db, clock }, desk, q), /FROM person p/));
      await assertIndexed(`search "${q}" by an organisation`, await captured((db) => searchPersons({ db, clock }, soreiyu, q), /FROM person p/));
    }
  });

  test("the search's name condition reads only its own municipality's entries of the gram index", async () => {
    // a name Hoshino's residents share with three of Musashino's
    await importHoshino(t.db, clock);
    const add = (code: string, n: number) => t.db.query(
      `INSERT INTO person (municipality_id, id, name, name_kana, name_key, kana_key, search_grams, created_at, updated_at)
       SELECT $1, gen_random_uuid(), '星野 つなぐ', 'ほしの つなぐ', $2, $3, $4::text[], now(), now() FROM generate_series(1, $5)`,
      [municipalityId(code), nameKey('星野 つなぐ'), nameKey('ほしの つなぐ'), personGrams('星野 つなぐ', 'ほしの つなぐ'), n]);
    await add(MUSASHINO_CODE, 3);
    await add(HOSHINO_CODE, 300);
    await t.db.exec('ANALYZE person');
    // the condition alone, as the searches write it: at this size the planner may rightly read the
    // municipality's few thousand persons by the primary key instead, which says nothing of the index
    const probe: Sent = { sql: `SELECT p.id FROM person p WHERE ${municipalGramsSql('$1', '$2')}`, params: [MUSASHINO_ID, queryGrams('つなぐ')] };
    const nodes = await planNodes(probe, true, true);
    const gramScan = nodes.find((n) => n['Index Name'] === 'person_search_by_municipality');
    assert.ok(gramScan, `the gram index serves the condition: ${nodes.map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`).join(' / ')}`);
    assert.equal(gramScan['Actual Rows'], 3, "the index gives Musashino's three persons named つなぐ, not Hoshino's 300 too");
    const found = await searchPersons({ db: t.db, clock }, desk, 'つなぐ');
    assert.deepEqual(found.map((p) => p.name), ['星野 つなぐ', '星野 つなぐ', '星野 つなぐ']);
  });

  test("the desk's triage queue reads the queue index", async () => {
    const s = await captured((db) => listConsultations({ db, clock }, desk, { status: 'triage' }), /FROM consultation c/);
    await assertIndexed('the triage queue', s);
    const { rows } = await t.db.query(s.sql, s.params);
    assert.ok(rows.length >= 5, 'the desk has consultations waiting');
  });

  test("the contact records of a case read the case's index", async () => {
    const { rows } = await t.db.query<{ case_id: string }>('SELECT case_id FROM contact_record GROUP BY case_id ORDER BY count(*) DESC LIMIT 1');
    await assertIndexed('contact records of a case', await captured((db) => listContactRecords({ db, clock }, desk, rows[0].case_id), /FROM contact_record/));
  });

  test("an organisation's incoming referrals read the referral index", async () => {
    for (const who of [soreiyu, agency])
      await assertIndexed(`incoming referrals of ${who.login}`, await captured((db) => listReferrals({ db, clock }, who, { box: 'incoming' }), /FROM referral r/));
  });

  test("a box of referrals and the desk's newest consultations read a page's rows, not all of the organisation's", async () => {
    // reading and sorting all of them cost 10 to 35 ms a page at the tokyo size (the hub's 7,400 referrals sent, 10,000 consultations held)
    const pages: [string, Sent][] = [
      ["the hub's outgoing referrals", await captured((db) => listReferrals({ db, clock }, desk, { box: 'outgoing' }), /FROM referral r/)],
      ["それいゆ's incoming referrals", await captured((db) => listReferrals({ db, clock }, soreiyu, { box: 'incoming' }), /FROM referral r/)],
      ["the desk's newest consultations", await captured((db) => listConsultations({ db, clock }, desk, {}), /FROM consultation c/)],
    ];
    for (const [what, s] of pages) {
      const nodes = await planNodes(s, false, true);
      const summary = nodes.map((n) => `${n['Node Type']}${n['Relation Name'] ? ` on ${n['Relation Name']}` : ''}${n['Actual Rows'] !== undefined ? ` (${n['Actual Rows']} rows)` : ''}`).join(' / ');
      const scan = nodes.find((n) => n['Relation Name'] === 'referral' || n['Relation Name'] === 'consultation');
      assert.ok(scan && scan['Actual Rows']! <= 60, `${what} reads more rows than a page: ${summary}`);
    }
  });

  test('the planner knows that an organisation belongs to one municipality', async () => {
    // else, with many municipalities in one database, it multiplies the two shares and expects a hub's
    // 10,000 consultations to be 188 (tokyo size), and sorts them all for a page
    const { rows } = await t.db.query<{ tablename: string; dependencies: string | null }>(
      `SELECT tablename, dependencies::text AS dependencies FROM pg_stats_ext WHERE tablename = ANY($1::text[])`,
      [['consultation', 'consultation_step', 'referral', 'support_case', 'case_participant', 'contact_record']]);
    assert.deepEqual(rows.filter((r) => r.dependencies).map((r) => r.tablename).sort(),
      ['case_participant', 'consultation', 'consultation_step', 'contact_record', 'referral', 'support_case']);
  });

  test('お知らせ and their unread count read only the alerts to the user and to their role', async () => {
    // years of alerts: 30,000 in the municipality, spread over five roles and three people, a tenth of them read
    const users = await Promise.all(['welfare-desk', 'soreiyu', 'self-reliance-agency'].map((org) => buildUser(t.db, { org, role: 'org_staff', clock })));
    await t.db.query(
      `INSERT INTO message_outbox (municipality_id, id, kind, to_role, to_user_id, subject, body, created_at, sent_at)
       SELECT $1, gen_random_uuid(), 'test',
              CASE WHEN i % 4 <> 0 THEN (ARRAY['hub_coordinator','org_staff','privacy_officer','auditor','system_admin'])[1 + i % 5] END,
              CASE WHEN i % 4 = 0 THEN ($2::uuid[])[1 + i % 3] END,
              'お知らせ', '本文', timestamptz '2022-04-01' + i * interval '1 hour', timestamptz '2022-04-01' + i * interval '1 hour'
       FROM generate_series(1, 30000) i`, [MUSASHINO_ID, users.map((u) => u.id)]);
    await t.db.query(
      `INSERT INTO message_read (municipality_id, message_id, user_id, read_at)
       SELECT o.municipality_id, o.id, $2, o.created_at FROM message_outbox o
       WHERE o.municipality_id = $1 AND (o.to_user_id = $2 OR o.to_role = 'org_staff') AND random() < 0.1`, [MUSASHINO_ID, users[0].id]);
    await t.db.query('ANALYZE message_outbox');
    await t.db.query('ANALYZE message_read');
    const who = { municipalityId: MUSASHINO_ID, userId: users[0].id, role: 'org_staff' };
    const statements: Sent[] = [];
    await listInbox(recording(t.db, statements), who, { unreadOnly: true });
    const [list, count] = statements.filter((s) => /FROM message_outbox o/.test(s.sql));
    assert.ok(list && count, 'the page and the count were read');
    for (const [what, s] of [['the inbox', list], ['the unread count', count]] as const) {
      await assertIndexed(what, s);
      const nodes = await planNodes(s);
      const used = new Set(nodes.map((n) => n['Index Name']).filter((n): n is string => Boolean(n?.startsWith('message_outbox'))));
      assert.deepEqual([...used].sort(), ['message_outbox_to_role', 'message_outbox_to_user'], `${what} reads ${[...used].join(', ')}`);
    }
  });
});
