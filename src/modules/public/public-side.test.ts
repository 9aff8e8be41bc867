import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildUser, importMusashino, MUSASHINO_ID, orgId, programId, signInAs, testConfig } from '../../../test/helpers/factories.ts';
import { checkRole, loadConfig } from '../../config.ts';
import { migrate } from '../../db/migrate.ts';
import { buildApp, type App } from '../../http/app.ts';
import type { BaseApp } from '../../http/base.ts';
import { FakeClock } from '../../lib/clock.ts';
import { fileSender } from '../../lib/sender.ts';
import { takeInConcerns } from '../intake/concerns.ts';
import { buildPublicApp } from './app.ts';
import { solveChallenge } from './concerns.ts';
import { checkedInbox, type Refusal } from './crossing.ts';
import { httpLink, LinkError, type PublicLink } from './linkClient.ts';
import { deliverRegistrantMessages } from './registrantMessages.ts';
import { storedSnapshots } from './snapshots.ts';

const SECRET = 'test-pull-secret-0123456789-abcdefghijklmnop';
const root = new URL('../../../', import.meta.url).pathname;
const clock = new FakeClock('2026-07-01T00:00:00Z');

/** Every source file the bundler reaches from these entries, as tsx would load them (type-only imports are erased). */
async function reachable(entryPoints: string[]): Promise<string[]> {
  const r = await build({
    entryPoints, absWorkingDir: root, bundle: true, write: false, metafile: true,
    platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'silent', outdir: '/nonexistent',
  });
  return Object.keys(r.metafile.inputs);
}

const caseSide = readdirSync(join(root, 'src/modules'), { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== 'public').map((d) => `src/modules/${d.name}/`);
// the staff side's composition: whoever imports these can reach everything
const staffComposition = ['src/http/app.ts', 'src/server.ts', 'src/cli.ts', 'src/demo.ts', 'src/publicLink.ts', 'src/main.ts', 'src/tools/'];
/**
 * Pure files of other modules the public side may run: the routing evaluator
 * (the navigator applies the same rules as staff intake, to the public
 * snapshot) and the national vocabularies it labels with. Neither touches a
 * database; the first test below proves they reach nothing else.
 */
const pureShared = ['src/modules/routing/evaluate.ts', 'src/modules/network/vocabulary.ts'];
const offendingIn = (files: string[]) =>
  files.filter((f) => !pureShared.includes(f) && [...caseSide, ...staffComposition].some((p) => f.startsWith(p)));

describe('the public side has no code path to case data', () => {
  test('the pure files the public side shares import nothing but each other', async () => {
    assert.deepEqual((await reachable(pureShared)).sort(), [...pureShared].sort());
  });

  test('nothing the public entry imports, directly or not, is a case-side module', async () => {
    const files = await reachable(['src/modules/public/main.ts']);
    assert.ok(files.includes('src/modules/public/routes.ts') && files.includes('src/http/base.ts'), 'the walk follows imports');
    assert.ok(files.includes('src/modules/routing/evaluate.ts'), 'the navigator runs the routing evaluator on the public side');
    assert.deepEqual(offendingIn(files), []);
  });

  test('no file of the public module imports a case-side module', async () => {
    const dir = join(root, 'src/modules/public');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => `src/modules/public/${f}`);
    assert.ok(sources.length >= 8);
    for (const file of sources) {
      assert.deepEqual(offendingIn(await reachable([file])), [], file);
    }
  });

  test('the check would see a case module imported from the public side', async () => {
    // the walk itself is trusted only if it finds what it must refuse
    const files = await reachable(['src/publicLink.ts']);
    assert.ok(files.some((f) => f.startsWith('src/modules/network/')));
  });
});

describe('configuring the two roles', () => {
  test('a short pull secret, a bad public URL, or a role without what it needs stops the start, naming the variable', () => {
    assert.throws(() => loadConfig({ TSUNAGU_PULL_SECRET: 'short' } as NodeJS.ProcessEnv), /TSUNAGU_PULL_SECRET must be at least 32 characters/);
    assert.throws(() => loadConfig({ TSUNAGU_PUBLIC_URL: 'ftp://x' } as NodeJS.ProcessEnv), /TSUNAGU_PUBLIC_URL must be an http/);
    assert.throws(() => checkRole(loadConfig({ TSUNAGU_PULL_SECRET: SECRET } as NodeJS.ProcessEnv), 'staff'), /TSUNAGU_PUBLIC_URL/);
    assert.throws(() => checkRole(loadConfig({} as NodeJS.ProcessEnv), 'public'), /TSUNAGU_PULL_SECRET/);
    const both = loadConfig({ TSUNAGU_PULL_SECRET: SECRET, TSUNAGU_PUBLIC_URL: 'https://soudan.example.jp' } as NodeJS.ProcessEnv);
    assert.doesNotThrow(() => checkRole(both, 'staff'));
    assert.doesNotThrow(() => checkRole(both, 'public'));
    assert.match(both.publicDataDir, /data-public$/);
  });
});

describe('the staff side and the public side as two apps', () => {
  let staffDb: TestDb;
  let publicDb: TestDb;
  let staff: App;
  let pub: BaseApp;
  let publicBase: string;
  let port: number;
  let link: PublicLink;
  let desk: Record<string, string>;
  const refusals: Refusal[] = [];

  const startPublic = async () => {
    pub = await buildPublicApp({ db: publicDb.db, clock, config: testConfig(), linkSecret: SECRET });
    publicBase = await pub.listen({ port: port ?? 0, host: '127.0.0.1' });
    port = (pub.server.address() as { port: number }).port;
  };

  before(async () => {
    staffDb = await createTestDb();
    await importMusashino(staffDb.db);
    // the public side's own store: another database, with the public module's tables only
    publicDb = await createTestDb({ migrate: false });
    await migrate(publicDb.db, { modules: ['public'] });
    await startPublic();
    link = httpLink(publicBase, SECRET, { backoffMs: 5 });
    staff = await buildApp({ db: staffDb.db, clock, config: testConfig(), role: 'staff', link });
    await staff.ready();
    desk = (await signInAs(staff, (await buildUser(staffDb.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
  });
  after(async () => {
    await staff?.close();
    await pub?.close();
    await staffDb?.close();
    await publicDb?.close();
  });

  const inboxCount = async () => (await publicDb.db.query<{ n: number }>('SELECT count(*)::int AS n FROM public_inbox')).rows[0].n;
  const reports = async (receiptCode: string) => (await staffDb.db.query('SELECT 1 FROM concern_report WHERE receipt_code = $1', [receiptCode])).rows.length;
  const takeIn = () => takeInConcerns({ db: staffDb.db, clock }, checkedInbox(link.inbox, (r) => refusals.push(r)));

  let ip = 0;
  /** A resident sends the concern form on the public side, from an address of their own. */
  async function submit(over: Record<string, unknown> = {}) {
    const from = `203.0.113.${++ip}`;
    const ch = await pub.inject({ url: '/api/public/concerns/challenge', remoteAddress: from });
    assert.equal(ch.statusCode, 200, ch.body);
    clock.advance(10_000);
    const token = ch.json().token;
    const res = await pub.inject({
      method: 'POST', url: '/api/public/concerns', remoteAddress: from,
      payload: { aboutRelation: 'neighbour', aboutAgeBand: '50s', worries: ['hikikomori'], concern: '隣の息子さんを半年見かけない。', anonymous: true, challenge: token, solution: solveChallenge(token), ...over },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().receiptCode as string;
  }

  test('every route of either side declares who may call it; the link alone needs the secret', () => {
    for (const app of [pub, staff]) {
      const undeclared = app.registeredRoutes.filter((r) => !r.config || !('access' in (r.config as object)));
      assert.deepEqual(undeclared.map((r) => `${r.method} ${r.url}`), []);
    }
    const kinds = new Set(pub.registeredRoutes.map((r) => `${(r.config as { access: { kind: string } }).access.kind} ${r.url.startsWith('/api/link/') ? 'link' : 'other'}`));
    assert.deepEqual([...kinds].sort(), ['link link', 'public other']);
  });

  test("the public side's store holds only the public module's tables", async () => {
    const { rows } = await publicDb.db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");
    assert.deepEqual(rows.map((r) => r.table_name), ['public_challenge_used', 'public_event_message', 'public_event_registration', 'public_inbox', 'public_secret', 'public_snapshot', 'schema_migration']);
  });

  test('before the staff side publishes, the public side knows no municipality', async () => {
    assert.deepEqual((await pub.inject({ url: '/api/public/municipalities' })).json(), { items: [] });
    assert.equal((await pub.inject({ url: '/api/public/concerns/challenge', remoteAddress: '198.51.100.1' })).statusCode, 404);
  });

  test('the staff side pushes the public snapshot; the public side serves its pages from it', async () => {
    assert.deepEqual(await staff.publishPublicSnapshot(), { pushed: 1, removed: 0 });
    assert.deepEqual(await staff.publishPublicSnapshot(), { pushed: 0, removed: 0 }, 'nothing changed: nothing is sent again');
    assert.deepEqual((await pub.inject({ url: '/api/public/municipalities' })).json().items, [{ code: '132039', name: '武蔵野市', nameEn: 'Musashino City' }]);

    const dir = await pub.inject({ url: '/api/public/directory' });
    assert.equal(dir.statusCode, 200);
    const body = dir.json();
    assert.equal(body.municipality.name, '武蔵野市');
    assert.ok(body.services.length > 10 && body.organizations.length > 10 && body.taxonomyTerms.length > 10);
    assert.ok(body.rules.some((r: { publicReason: string }) => r.publicReason === '高校生のことは「みらいる」がご相談と居場所でお手伝いします。'));
    const text = dir.body;
    // the staff-facing reasons and the city's notes stay on the staff side
    assert.ok(!text.includes('民生委員を束ねる地域支援課が一度回収し'), 'a staff-facing rule reason was published');
    assert.ok(!/"(notes|staffCount|reason|via)"/.test(text));
    assert.deepEqual((await pub.inject({ url: '/api/public/events' })).json().items, []);
  });

  test('the navigator and the list of windows work on the public side, from the snapshot alone', async () => {
    const res = await pub.inject({ method: 'POST', url: '/api/public/navigator', remoteAddress: '198.51.100.40', payload: { about: 'child', age: 52, worries: ['staying_home'] } });
    assert.equal(res.statusCode, 200, res.body);
    const windows = res.json().windows as { name: string; reasons: { text: string }[] }[];
    assert.deepEqual(windows.map((w) => [w.name, w.reasons.map((r) => r.text)]), [['福祉総合相談窓口', ['50代・60代の方のひきこもりのご相談は、福祉総合相談窓口がお受けします。']]]);
    const area = await pub.inject({ method: 'POST', url: '/api/public/navigator', remoteAddress: '198.51.100.40', payload: { about: 'parent', worries: ['caring'], area: 'area-2' } });
    assert.equal(area.json().windows[0].name, '在宅介護・地域包括支援センター（第2圏域）', 'the areas crossed with the snapshot');
    const leaflet = await pub.inject({ url: '/api/public/windows' });
    assert.equal(leaflet.statusCode, 200);
    assert.ok(leaflet.json().groups.length >= 4);
    assert.equal(await inboxCount(), 0, 'nothing of the answers waits for the staff side');
  });

  test('a change in the rule editor reaches the public side at once', async () => {
    const current = (await staff.inject({ url: '/api/routing/rules', headers: desk })).json();
    const rules = current.rules.map((r: { publicReason?: string }) =>
      r.publicReason === '高校生のことは「みらいる」がご相談と居場所でお手伝いします。' ? { ...r, publicReason: '高校生のことは「みらいる」にご相談ください。' } : r);
    const saved = await staff.inject({ method: 'PUT', url: '/api/routing/rules', headers: desk, payload: { expectedVersion: current.version, note: '公開文言の変更', rules } });
    assert.equal(saved.statusCode, 200, saved.body);
    let published = false;
    for (let i = 0; i < 100 && !published; i++) {
      published = (await pub.inject({ url: '/api/public/directory' })).body.includes('高校生のことは「みらいる」にご相談ください。');
      if (!published) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(published);
  });

  test("the public side reminds its registrants from its own outbox and store; no contact reaches the staff side", async () => {
    // tomorrow in Japan, so the reminder (today 10:00 in Japan) falls due within the hour
    const created = await staff.inject({
      method: 'POST', url: '/api/events', headers: desk, payload: {
        programId: programId('public-lecture'), kind: 'public_lecture', title: '公開講座（二つの側）', startsAt: '2026-07-02T05:00:00Z', endsAt: '2026-07-02T07:00:00Z',
        place: '市民会館', online: false, capacity: 10, organizerOrgIds: [orgId('livelihood-welfare-section')], published: true,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    await staff.publishPublicSnapshot();
    const from = '203.0.113.90';
    const ch = await pub.inject({ url: '/api/public/concerns/challenge?municipality=132039', remoteAddress: from });
    clock.advance(10_000);
    const token = ch.json().token;
    const reg = await pub.inject({
      method: 'POST', url: `/api/public/events/${created.json().id}/registrations`, remoteAddress: from,
      payload: { municipality: '132039', nickname: 'ふたば', email: 'futaba@example.jp', challenge: token, solution: solveChallenge(token) },
    });
    assert.equal(reg.statusCode, 201, reg.body);
    const dir = mkdtempSync(join(tmpdir(), 'tsunagu-public-outbox-'));
    try {
      const sender = fileSender(dir, 'registrants.jsonl');
      const later = new FakeClock('2026-07-01T01:30:00Z');
      const opts = { siteUrl: 'https://soudan.example.lg.jp', reminderHour: 10 };
      assert.deepEqual(await deliverRegistrantMessages({ db: publicDb.db, clock: later }, storedSnapshots(publicDb.db), sender, opts), { sent: 1, failed: 0 });
      const [m] = readFileSync(sender.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(m.to, ['futaba@example.jp']);
      assert.match(m.body, /公開講座（二つの側）[\s\S]*令和8年7月2日（木）14:00〜16:00[\s\S]*https:\/\/soudan\.example\.lg\.jp\/public\/132039\/events\?event=/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { rows } = await staffDb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM message_outbox WHERE body LIKE '%futaba%' OR subject LIKE '%futaba%'");
    assert.equal(rows[0].n, 0);
    const staffTables = (await staffDb.db.query<{ n: number }>("SELECT count(*)::int AS n FROM public_event_registration")).rows[0].n;
    assert.equal(staffTables, 0, 'the registration is held on the public side only');
  });

  test('a public side that lost its store gets the snapshot again at the next run', async () => {
    await publicDb.db.query('DELETE FROM public_snapshot');
    assert.deepEqual(await staff.publishPublicSnapshot(), { pushed: 1, removed: 0 });
    assert.equal((await pub.inject({ url: '/api/public/municipalities' })).json().items.length, 1);
  });

  test("a resident's concern crosses to the hub's triage queue once, and leaves the public side", async () => {
    const code = await submit({ concern: '<img src=x onerror=alert(1)>ご近所の<b>方</b>が心配です' });
    assert.equal(await inboxCount(), 1);
    assert.equal(await staff.takeInPublicSubmissions(), 1);
    assert.equal(await staff.takeInPublicSubmissions(), 0);
    assert.equal(await reports(code), 1);
    assert.equal(await inboxCount(), 0);
    const { rows } = await staffDb.db.query<{ summary: string }>(
      'SELECT c.summary FROM concern_report r JOIN consultation c ON c.municipality_id = r.municipality_id AND c.id = r.consultation_id WHERE r.receipt_code = $1', [code]);
    assert.equal(rows[0].summary, 'ご近所の方が心配です');
  });

  test('pulling survives the public side being stopped and started again', async () => {
    const code = await submit();
    await pub.close();
    await assert.rejects(staff.takeInPublicSubmissions(), (err: Error) => err instanceof LinkError && /cannot be reached/.test(err.message));
    await assert.rejects(staff.publishPublicSnapshot(), LinkError);
    await startPublic();
    assert.equal(await staff.takeInPublicSubmissions(), 1);
    assert.equal(await staff.takeInPublicSubmissions(), 0);
    assert.equal(await reports(code), 1);
    assert.equal(await inboxCount(), 0);
  });

  test('a staff side that fails between taking in and confirming takes nothing in twice', async () => {
    const code = await submit();
    const crashing = checkedInbox({ fetch: link.inbox.fetch, confirm: async () => { throw new Error('the staff side went down before confirming'); } });
    await assert.rejects(takeInConcerns({ db: staffDb.db, clock }, crashing), /went down/);
    assert.equal(await reports(code), 1, 'taken in before the crash');
    assert.equal(await inboxCount(), 1, 'still waiting on the public side');
    assert.equal(await takeIn(), 1, 'the next run confirms what it already holds');
    assert.equal(await reports(code), 1);
    assert.equal(await inboxCount(), 0);
  });

  test('confirming twice, or confirming what was never held, is harmless and answers the same', async () => {
    const headers = { authorization: `Bearer ${SECRET}` };
    const held = await pub.inject({ method: 'POST', url: '/api/link/submissions/confirm', headers, payload: { items: [{ municipalityId: MUSASHINO_ID, id: randomUUID() }] } });
    const again = await pub.inject({ method: 'POST', url: '/api/link/submissions/confirm', headers, payload: { items: [{ municipalityId: MUSASHINO_ID, id: randomUUID() }] } });
    assert.equal(held.statusCode, 204);
    assert.equal(again.statusCode, 204);
    assert.equal(held.body, again.body);
  });

  test('the link needs the shared secret: none is 401, a wrong one 403, and the staff side does not retry a refusal', async () => {
    assert.equal((await pub.inject({ url: '/api/link/submissions' })).statusCode, 401);
    for (const wrong of ['x', SECRET.slice(0, -1), `${SECRET}x`, SECRET.toUpperCase()]) {
      const res = await pub.inject({ url: '/api/link/submissions', headers: { authorization: `Bearer ${wrong}` } });
      assert.equal(res.statusCode, 403, wrong);
      assert.equal(res.json().code, 'forbidden');
    }
    assert.equal((await pub.inject({ url: '/api/link/submissions', headers: { authorization: `Bearer ${SECRET}` } })).statusCode, 200);
    assert.equal((await pub.inject({ method: 'PUT', url: `/api/link/snapshots/${MUSASHINO_ID}`, payload: {} })).statusCode, 401);
    const refusedPulls = async () => {
      const line = (await pub.inject({ url: '/metrics' })).body.split('\n')
        .find((l) => l.startsWith('tsunagu_http_requests_total') && l.includes('route="/api/link/submissions"') && l.includes('status="403"'));
      return line ? Number(line.split(' ').pop()) : 0;
    };
    const before = await refusedPulls();
    const wrong = httpLink(publicBase, 'a-wrong-secret-of-enough-length-000000000', { backoffMs: 5 });
    await assert.rejects(wrong.inbox.fetch(10), (err: Error) => err instanceof LinkError && err.status === 403);
    assert.equal(await refusedPulls(), before + 1, 'asked once, not again');
  });

  test('what crosses is checked again on the staff side: markup stripped, oversize and unknown fields refused', async () => {
    const raw = async (payload: Record<string, unknown>) => {
      const id = randomUUID();
      await publicDb.db.query(
        `INSERT INTO public_inbox (municipality_id, id, kind, payload, receipt_code, received_at) VALUES ($1, $2, 'concern', $3, $4, $5)`,
        [MUSASHINO_ID, id, JSON.stringify({ aboutRelation: 'family', aboutAgeBand: null, worries: [], anonymous: true, name: null, phone: null, email: null, ...payload }), `T${String(ip++).padStart(3, '0')}-ABCD`, clock.now()],
      );
      return id;
    };
    // written straight into the public store, as a compromised public side could
    const stripped = await raw({ concern: '<script>steal()</script>息子のことで相談したい' });
    const oversize = await raw({ concern: 'あ'.repeat(2001) });
    const unknown = await raw({ concern: '相談', attachment: 'data:application/pdf;base64,AAAA' });
    const empty = await raw({ concern: '<b></b>' });
    refusals.length = 0;
    assert.equal(await takeIn(), 1, JSON.stringify(refusals));
    assert.equal(await inboxCount(), 0, 'refused submissions leave the public side too');
    assert.deepEqual(refusals.map((r) => r.id).sort(), [oversize, unknown, empty].sort());
    assert.ok(refusals.find((r) => r.id === unknown)!.problems.some((p) => p.includes('attachment')));
    assert.ok(!JSON.stringify(refusals).includes('data:application/pdf'), 'a refusal reports the fields, not their content');
    const { rows } = await staffDb.db.query<{ concern: string }>('SELECT concern FROM concern_report WHERE id = $1', [stripped]);
    assert.deepEqual(rows, [{ concern: 'steal()息子のことで相談したい' }]);
  });

  test('the public API refuses unknown and oversize fields before anything is kept', async () => {
    const ch = (await pub.inject({ url: '/api/public/concerns/challenge', remoteAddress: '198.51.100.20' })).json().token;
    clock.advance(10_000);
    const base = { aboutRelation: 'self', worries: [], anonymous: true, challenge: ch, solution: solveChallenge(ch) };
    const unknown = await pub.inject({ method: 'POST', url: '/api/public/concerns', remoteAddress: '198.51.100.20', payload: { ...base, concern: '相談', attachment: 'x' } });
    assert.equal(unknown.statusCode, 400);
    assert.equal(unknown.json().fields[0].field, 'attachment');
    const oversize = await pub.inject({ method: 'POST', url: '/api/public/concerns', remoteAddress: '198.51.100.20', payload: { ...base, concern: 'あ'.repeat(2001) } });
    assert.equal(oversize.statusCode, 400);
    assert.equal(oversize.json().fields[0].field, 'concern');
    assert.equal(await inboxCount(), 0);
  });

  test('a snapshot for another municipality than the path, or with fields beyond the schema, is refused', async () => {
    const headers = { authorization: `Bearer ${SECRET}` };
    const states = (await pub.inject({ url: '/api/link/snapshots', headers })).json().items;
    assert.equal(states.length, 1);
    const snapshot = { municipality: { id: MUSASHINO_ID, code: '132039', name: '武蔵野市', nameEn: null }, directory: { organizations: [], services: [], taxonomies: [], taxonomyTerms: [] }, rules: [], events: [] };
    const hash = 'a'.repeat(64);
    const other = await pub.inject({ method: 'PUT', url: `/api/link/snapshots/${randomUUID()}`, headers, payload: { hash, snapshot } });
    assert.equal(other.statusCode, 400);
    const extra = await pub.inject({ method: 'PUT', url: `/api/link/snapshots/${MUSASHINO_ID}`, headers, payload: { hash, snapshot: { ...snapshot, cases: [] } } });
    assert.equal(extra.statusCode, 400);
    const events = await pub.inject({ method: 'PUT', url: `/api/link/snapshots/${MUSASHINO_ID}`, headers, payload: { hash, snapshot: { ...snapshot, events: [{}] } } });
    assert.equal(events.statusCode, 400, 'no event may cross until events have their schema');
    assert.deepEqual((await pub.inject({ url: '/api/link/snapshots', headers })).json().items, states, 'nothing was stored');
  });

  test('the concern endpoint of the public side slows one address down with 429 and Retry-After', async () => {
    let last = { statusCode: 0, headers: {} as Record<string, unknown> };
    for (let i = 0; i < 7; i++)
      last = await pub.inject({ method: 'POST', url: '/api/public/concerns', remoteAddress: '198.51.100.99', payload: { aboutRelation: 'self', worries: [], concern: 'x', anonymous: true, challenge: 'x', solution: '0' } });
    assert.equal(last.statusCode, 429);
    assert.ok(Number(last.headers['retry-after']) > 0);
  });

  test('the staff side serves no resident pages of its own', async () => {
    assert.equal((await staff.inject({ url: '/api/public/municipalities' })).statusCode, 404);
    assert.equal((await staff.inject({ method: 'POST', url: '/api/public/concerns', payload: {} })).statusCode, 404);
  });
});
