import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, HOSHINO_CODE, importHoshino, importMusashino, MUSASHINO_CODE, orgId, programId, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { municipalityId } from '../../lib/ids.ts';
import { encodeKeyset } from '../../lib/pagination.ts';
import { deliverOutbox, fileSender } from '../notifications/service.ts';
import { solveChallenge } from '../public/concerns.ts';

type H = Record<string, string>;
let t: TestDb;
let app: App;
const clock = new FakeClock('2026-07-01T00:00:00Z');
let hub: H;

const as = async (org: string, role: 'hub_coordinator' | 'org_staff' = 'org_staff', code = MUSASHINO_CODE) =>
  (await signInAs(app, (await buildUser(t.db, { org, role, clock, code })).login)).headers;

const call = async (headers: H, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, status = method === 'POST' ? 201 : 200) => {
  const res = await app.inject({ method, url, headers, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res.body ? res.json() : null;
};

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  await importHoshino(t.db);
  app = await buildTestApp(t.db, { clock });
  hub = await as('welfare-desk', 'hub_coordinator');
});
after(async () => {
  await app.close();
  await t.close();
});

const lecture = (over: Record<string, unknown> = {}) => ({
  programId: programId('public-lecture'), kind: 'public_lecture', title: 'ひきこもり講演会', description: '家族のための講演会です。',
  startsAt: '2026-08-01T05:00:00Z', endsAt: '2026-08-01T07:00:00Z', place: '武蔵野市役所 西棟', online: false, capacity: 2,
  organizerOrgIds: [orgId('livelihood-welfare-section')], published: true, ...over,
});

/** Every page of a list, following nextCursor: the items in the order the pages gave them. */
async function walk<T>(headers: H, url: string): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let pages = 0;
  let cursor: string | null = null;
  do {
    const page: { items: T[]; nextCursor: string | null } = await call(headers, 'GET', `${url}${url.includes('?') ? '&' : '?'}${cursor ? `cursor=${cursor}` : ''}`);
    items.push(...page.items);
    pages++;
    cursor = page.nextCursor;
  } while (cursor);
  return { items, pages };
}

async function refusesForgedCursors(headers: H, url: string, key: string[]) {
  for (const cursor of ['not-ours', encodeKeyset(key)]) {
    const res = await app.inject({ url: `${url}${url.includes('?') ? '&' : '?'}cursor=${cursor}`, headers });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['cursor']);
  }
}

const newestFirst = <T extends { id: string }>(at: (x: T) => string) => (a: T, b: T) => (at(b).localeCompare(at(a))) || b.id.localeCompare(a.id);

async function register(eventId: string, over: Record<string, unknown> = {}, ip = '203.0.113.9') {
  const ch = await app.inject({ url: `/api/public/concerns/challenge?municipality=${MUSASHINO_CODE}` });
  clock.advance(10_000);
  const token = ch.json().token as string;
  return app.inject({
    method: 'POST', url: `/api/public/events/${eventId}/registrations`, remoteAddress: ip,
    payload: { municipality: MUSASHINO_CODE, nickname: 'みどり', email: 'midori@example.jp', challenge: token, solution: solveChallenge(token), ...over },
  });
}

describe('events with public registration', () => {
  test('a published lecture reaches the public page; residents register without signing in; the organiser sees counts, never names', async () => {
    const section = await as('livelihood-welfare-section');
    const e = await call(section, 'POST', '/api/events', lecture());
    const pub = await call({}, 'GET', `/api/public/events?municipality=${MUSASHINO_CODE}`);
    const seen = pub.items.find((x: { id: string }) => x.id === e.id);
    assert.equal(seen.title, 'ひきこもり講演会');
    assert.equal(seen.keepDays, 30);
    assert.deepEqual(seen.organizers, ['生活福祉課']);

    const a = await register(e.id, { fromMunicipality: '武蔵野市' }, '203.0.113.10');
    assert.equal(a.statusCode, 201, a.body);
    assert.equal(a.json().status, 'registered');
    const b = await register(e.id, { nickname: 'あお', email: null, phone: '090-0000-0000' }, '203.0.113.11');
    assert.equal(b.json().status, 'registered');
    // full: a third is offered the waiting list
    const c = await register(e.id, { nickname: 'そら' }, '203.0.113.12');
    assert.equal(c.statusCode, 409);
    const w = await register(e.id, { nickname: 'そら', waitingList: true }, '203.0.113.12');
    assert.deepEqual([w.json().status, w.json().position], ['waiting', 1]);

    const got = await call(section, 'GET', `/api/events/${e.id}`);
    assert.deepEqual([got.registered, got.waiting], [2, 1]);
    assert.deepEqual(got.registeredByMunicipality, { '': 1, 武蔵野市: 1 });
    assert.ok(!JSON.stringify(got).includes('みどり') && !JSON.stringify(got).includes('midori'));

    // cancelling by code moves the waiting list up
    const cancel = await app.inject({ method: 'POST', url: `/api/public/events/${e.id}/registrations/cancel`, payload: { municipality: MUSASHINO_CODE, code: a.json().cancelCode } });
    assert.equal(cancel.statusCode, 200, cancel.body);
    const again = await app.inject({ method: 'POST', url: `/api/public/events/${e.id}/registrations/cancel`, payload: { municipality: MUSASHINO_CODE, code: a.json().cancelCode } });
    assert.equal(again.statusCode, 404);
    const after1 = await call(section, 'GET', `/api/events/${e.id}`);
    assert.deepEqual([after1.registered, after1.waiting], [2, 0]);
  });

  test('registration needs an email or phone, the form check, and an open event; a filled honeypot keeps nothing', async () => {
    const e = await call(hub, 'POST', '/api/events', lecture({ capacity: null }));
    const none = await register(e.id, { email: null }, '203.0.113.20');
    assert.equal(none.statusCode, 400);
    const bad = await app.inject({ method: 'POST', url: `/api/public/events/${e.id}/registrations`, payload: { municipality: MUSASHINO_CODE, nickname: 'x', email: 'x@example.jp', challenge: 'a.b.c.d', solution: '1' }, remoteAddress: '203.0.113.21' });
    assert.equal(bad.statusCode, 400);
    const bot = await register(e.id, { website: 'http://spam.example' }, '203.0.113.22');
    assert.equal(bot.statusCode, 201);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM public_event_registration WHERE event_id = $1', [e.id]);
    assert.equal(rows[0].n, 0);
    // unpublished events are not on the public side
    const hidden = await call(hub, 'POST', '/api/events', lecture({ published: false }));
    assert.equal((await register(hidden.id, {}, '203.0.113.23')).statusCode, 404);
  });

  test('registrations are deleted the set number of days after the event', async () => {
    const local = new FakeClock('2026-09-01T00:00:00Z');
    await call(hub, 'PUT', '/api/events/settings', { registrationKeepDays: 10 });
    const e = await call(hub, 'POST', '/api/events', lecture({ startsAt: '2026-07-10T05:00:00Z', endsAt: '2026-07-10T07:00:00Z', capacity: null }));
    assert.equal((await register(e.id, {}, '203.0.113.30')).statusCode, 201);
    const { eventRegistrationCounts } = await import('../public/events.ts');
    const kept = await eventRegistrationCounts(t.db, clock);
    assert.ok(kept.some((c) => c.eventId === e.id));
    await eventRegistrationCounts(t.db, local);
    const { rows } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM public_event_registration WHERE event_id = $1', [e.id]);
    assert.equal(rows[0].n, 0);
    await call(hub, 'PUT', '/api/events/settings', { registrationKeepDays: 30 });
  });

  test('an event that becomes full tells the hub through the outbox (file sender)', async () => {
    const e = await call(hub, 'POST', '/api/events', lecture({ capacity: 1, title: '民生委員研修', kind: 'commissioner_training' }));
    assert.equal((await register(e.id, {}, '203.0.113.40')).statusCode, 201);
    await app.pullEventCounts();
    const dir = await mkdtemp(join(tmpdir(), 'tsunagu-events-'));
    try {
      const sender = fileSender(dir);
      await deliverOutbox({ db: t.db, clock }, sender);
      const lines = (await readFile(sender.file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
      assert.ok(lines.some((m) => m.kind === 'event_full' && m.subject.includes('民生委員研修')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('only the hub and organising organisations manage an event', async () => {
    const other = await as('self-reliance-agency');
    await call(other, 'POST', '/api/events', lecture(), 403);
    const e = await call(hub, 'POST', '/api/events', lecture());
    await call(other, 'PUT', `/api/events/${e.id}/attendance`, { sessionOn: '2026-08-01', rows: [] }, 403);
    await call(hub, 'POST', '/api/events', lecture({ organizerOrgIds: [] }), 400);
    await call(hub, 'POST', '/api/events', lecture({ place: null, online: false }), 400);
  });
});

describe('a wide-area peer group: attendance without names', () => {
  test('three municipalities; per-municipality figures with small counts suppressed; the co-organiser sees counts only', async () => {
    const hoshinoId = municipalityId(HOSHINO_CODE);
    const e = await call(hub, 'POST', '/api/events', {
      programId: programId('ux-joshikai'), kind: 'peer_group', title: 'ひきこもりUX女子会', startsAt: '2026-06-20T04:00:00Z', endsAt: '2026-06-20T06:00:00Z',
      place: null, online: true, organizerOrgIds: [orgId('livelihood-welfare-section')], published: true,
      coMunicipalities: [{ municipalityId: hoshinoId, name: '星野市' }, { municipalityId: null, name: '三鷹市' }],
    });
    await call(hub, 'PUT', `/api/events/${e.id}/attendance`, {
      sessionOn: '2026-06-20', rows: [{ fromMunicipality: '武蔵野市', came: 6, firstTimers: 2 }, { fromMunicipality: '星野市', came: 4, firstTimers: 1 }, { fromMunicipality: '三鷹市', came: 1, firstTimers: 0 }],
    }, 204);
    await call(hub, 'PUT', `/api/events/${e.id}/attendance`, { sessionOn: '2026-06-21', rows: [{ fromMunicipality: 'x', came: 1, firstTimers: 2 }] }, 400);
    const f = await call(hub, 'GET', `/api/events/${e.id}/attendance`);
    assert.equal(f.suppressBelow, 3);
    // 11 − 4 − 6 would give 三鷹市's 1 away: the next-smallest, 星野市's 4, is hidden too (in the session's row as well)
    assert.deepEqual(f.byMunicipality, [
      { municipality: '三鷹市', came: '<3', firstTimers: 0 },
      { municipality: '星野市', came: '—', firstTimers: '<3' },
      { municipality: '武蔵野市', came: 6, firstTimers: '<3' },
    ]);
    assert.deepEqual(f.sessions[0].byMunicipality.map((m: { came: unknown }) => m.came), ['<3', '—', 6]);
    assert.deepEqual(f.total, { came: 11, firstTimers: 3 }, 'first-timers 1 + 2 = 3 could be 2 + 1: nothing more to hide');
    assert.equal(f.secondarySuppression, true);

    const hoshino = await as('welfare-section', 'hub_coordinator', HOSHINO_CODE);
    {
      const list = await call(hoshino, 'GET', '/api/events');
      assert.ok(list.coOrganised.some((x: { id: string }) => x.id === e.id));
      assert.ok(!list.items.some((x: { id: string }) => x.id === e.id));
      await call(hoshino, 'GET', `/api/events/${e.id}`, undefined, 404);
      const seen = await call(hoshino, 'GET', `/api/events/${e.id}/attendance`);
      assert.equal(seen.byMunicipality.length, 3);
    }
  });
});

describe('the events list comes in keyset pages', () => {
  test('every event of the municipality once, latest start first (same start: by id), and co-organised events of the last 365 days beside them', async () => {
    const hoshinoId = municipalityId(HOSHINO_CODE);
    const hoshino = await as('welfare-section', 'hub_coordinator', HOSHINO_CODE);
    const before = (await walk<{ id: string }>(hoshino, '/api/events')).items.length;
    // seven events, three of them starting at the same moment
    for (let i = 0; i < 7; i++) {
      const at = new Date(Date.parse('2026-09-01T01:00:00Z') + (i % 4) * 86_400_000);
      await t.db.query(
        `INSERT INTO program_event (municipality_id, id, kind, title, starts_at, ends_at, online, created_at) VALUES ($1, gen_random_uuid(), 'peer_group', $2, $3, $3, true, $4)`,
        [hoshinoId, `星野の会 ${i}`, at, clock.now()]);
    }
    const all = await walk<{ id: string; startsAt: string }>(hoshino, '/api/events?limit=3');
    assert.equal(all.items.length, before + 7);
    assert.equal(new Set(all.items.map((e) => e.id)).size, all.items.length, 'each event once');
    assert.ok(all.pages >= 3);
    assert.deepEqual(all.items, [...all.items].sort(newestFirst((e) => e.startsAt)));
    await refusesForgedCursors(hoshino, '/api/events', ['2026-09-01', '00000000-0000-4000-8000-000000000000']);
    assert.equal((await app.inject({ url: '/api/events?limit=201', headers: hoshino })).statusCode, 400);

    // a wide-area event that ended more than 365 days ago has no counts left to show its co-organisers
    const old = await call(hub, 'POST', '/api/events', lecture({
      title: '昔の合同講演会', startsAt: '2025-06-01T05:00:00Z', endsAt: '2025-06-01T07:00:00Z', coMunicipalities: [{ municipalityId: hoshinoId, name: '星野市' }],
    }));
    const recent = await call(hub, 'POST', '/api/events', lecture({ title: '今年の合同講演会', coMunicipalities: [{ municipalityId: hoshinoId, name: '星野市' }] }));
    const page = await call(hoshino, 'GET', '/api/events?limit=1');
    const co = page.coOrganised.map((e: { id: string }) => e.id);
    assert.ok(co.includes(recent.id) && !co.includes(old.id));
  });
});

describe('drop-in days (居場所)', () => {
  test('the running organisation records a day; a visitor with a case who agreed becomes a contact record of the case', async () => {
    const place = programId('mirairu-drop-in');
    const mirairu = await as('mirairu');
    const places = await call(mirairu, 'GET', '/api/drop-in-places');
    assert.ok(places.items.some((p: { id: string }) => p.id === place));
    const c = await call(hub, 'POST', '/api/cases', { person: { name: '居場所 花子', nameKana: 'いばしょ はなこ', birthDate: '2009-04-01' } });
    // mirairu is not on the case: the case's access rules refuse the link
    await call(mirairu, 'POST', '/api/drop-in-days', { programId: place, day: '2026-06-29', visitors: 5, firstTimers: 1, caseVisits: [{ caseId: c.id, consented: true }] }, 404);
    const d = await call(hub, 'POST', '/api/drop-in-days', { programId: place, day: '2026-06-30', visitors: 5, firstTimers: 1, caseVisits: [{ caseId: c.id, consented: true }] });
    assert.equal(d.linkedCases, 1);
    await call(hub, 'POST', '/api/drop-in-days', { programId: place, day: '2026-06-30', visitors: 5, firstTimers: 1 }, 409);
    await call(mirairu, 'POST', '/api/drop-in-days', { programId: place, day: '2026-06-28', visitors: 3, firstTimers: 0, caseVisits: [{ caseId: c.id, consented: false }] }, 400);
    await call(mirairu, 'POST', '/api/drop-in-days', { programId: place, day: '2026-06-28', visitors: 3, firstTimers: 0 });
    await call(await as('self-reliance-agency'), 'POST', '/api/drop-in-days', { programId: place, day: '2026-06-27', visitors: 3, firstTimers: 0 }, 403);
    await call(hub, 'POST', '/api/drop-in-days', { programId: programId('public-lecture'), day: '2026-06-27', visitors: 3, firstTimers: 0 }, 400);
    const days = await call(mirairu, 'GET', `/api/drop-in-days?programId=${place}`);
    assert.deepEqual(days.items.map((x: { day: string; visitors: number }) => [x.day, x.visitors]), [['2026-06-30', 5], ['2026-06-28', 3]]);
    const contacts = await call(hub, 'GET', `/api/cases/${c.id}/contact-records`);
    assert.ok(JSON.stringify(contacts).includes('みらいる 居場所'));
  });

  test('figures for the fiscal year: sessions and attendance by kind, drop-in days and visitors', async () => {
    const { eventFigures } = await import('./events.ts');
    const f = await eventFigures(t.db, municipalityId(MUSASHINO_CODE), '2026-04-01', '2027-03-31');
    assert.deepEqual(f.events.find((e) => e.kind === 'peer_group'), { kind: 'peer_group', sessions: 1, came: 11, firstTimers: 3 });
    assert.deepEqual(f.dropIn, { days: 2, visitors: 8, firstTimers: 1 });
  });

  test('days come in keyset pages of 50 by default, latest first, and the place and period filters hold on every page', async () => {
    const mid = municipalityId(MUSASHINO_CODE);
    const place = programId('mirairu-drop-in');
    const otherPlace = '00000000-0000-4000-8000-0000000000d1';
    // fiscal 2025 (before the figures above): 55 days at the place, and the same days at another place
    for (const program of [place, otherPlace])
      await t.db.query(
        `INSERT INTO drop_in_day (municipality_id, id, program_id, day, visitors, first_timers, recorded_at)
         SELECT $1, gen_random_uuid(), $2, date '2026-01-01' + d, 4, 1, $3 FROM generate_series(0, 54) d`, [mid, program, clock.now()]);
    const period = 'from=2026-01-01&to=2026-03-31';
    const atPlace = await walk<{ id: string; day: string; programId: string }>(hub, `/api/drop-in-days?programId=${place}&${period}`);
    assert.equal(atPlace.pages, 2);
    assert.equal(atPlace.items.length, 55);
    assert.ok(atPlace.items.every((d) => d.programId === place));
    assert.deepEqual(atPlace.items.map((d) => d.day), [...atPlace.items.map((d) => d.day)].sort().reverse());

    // both places: each day twice, once per place, by id within the day
    const both = await walk<{ id: string; day: string }>(hub, `/api/drop-in-days?${period}&limit=7`);
    assert.equal(both.items.length, 110);
    assert.equal(new Set(both.items.map((d) => d.id)).size, 110);
    assert.deepEqual(both.items, [...both.items].sort(newestFirst((d) => d.day)));
    const february = await walk<{ day: string }>(hub, `/api/drop-in-days?programId=${place}&from=2026-02-01&to=2026-02-10&limit=4`);
    assert.deepEqual(february.items.map((d) => d.day), Array.from({ length: 10 }, (_, i) => `2026-02-${String(10 - i).padStart(2, '0')}`));
    await refusesForgedCursors(hub, `/api/drop-in-days?programId=${place}`, ['2026-02-30', '00000000-0000-4000-8000-000000000000']);
  });
});
