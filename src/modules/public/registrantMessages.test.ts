import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, MUSASHINO_CODE, MUSASHINO_ID, orgId, programId, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { fileSender, type MessageSender } from '../../lib/sender.ts';
import { liveSnapshots } from '../../publicLink.ts';
import { solveChallenge } from './concerns.ts';
import { purgeEventRegistrations } from './events.ts';
import { deliverRegistrantMessages, eventWhen, reminderTime } from './registrantMessages.ts';

let t: TestDb;
let app: App;
let dir: string;
const clock = new FakeClock('2026-07-01T00:00:00Z');
const OPTS = { siteUrl: 'https://soudan.example.lg.jp', reminderHour: 10 };

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock });
  dir = await mkdtemp(join(tmpdir(), 'tsunagu-registrants-'));
});
after(async () => {
  await app.close();
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

async function register(eventId: string, over: Record<string, unknown>) {
  const ch = await app.inject({ url: `/api/public/concerns/challenge?municipality=${MUSASHINO_CODE}` });
  clock.advance(10_000);
  const token = ch.json().token as string;
  const res = await app.inject({
    method: 'POST', url: `/api/public/events/${eventId}/registrations`, remoteAddress: `203.0.113.${Math.floor(Math.random() * 200) + 1}`,
    payload: { municipality: MUSASHINO_CODE, challenge: token, solution: solveChallenge(token), ...over },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { cancelCode: string; status: string };
}

const lines = async (sender: { file: string }) =>
  (await readFile(sender.file, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { id: string; kind: string; subject: string; body: string; to: string[] });

describe('reminders and notices to event registrants (the public side’s outbox)', () => {
  test('the time and the wording: the day before, at the set hour in Japan; the date in 和暦 with the weekday', () => {
    assert.equal(reminderTime({ startsAt: '2026-08-01T05:00:00Z' }, 10).toISOString(), '2026-07-31T01:00:00.000Z');
    // 08:30 on 1 August in Japan is still 31 July in UTC: the reminder is on 31 July in Japan all the same
    assert.equal(reminderTime({ startsAt: '2026-07-31T23:30:00Z' }, 10).toISOString(), '2026-07-31T01:00:00.000Z');
    assert.equal(eventWhen({ startsAt: '2026-08-01T05:00:00Z', endsAt: '2026-08-01T07:00:00Z' }), '令和8年8月1日（土）14:00〜16:00');
  });

  test('a reminder is sent once, across runs and instances, with the event, its 和暦 date and the cancel link; moving up is told; all goes with the registration', async () => {
    const hub = (await signInAs(app, (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock })).login)).headers;
    const created = await app.inject({
      method: 'POST', url: '/api/events', headers: hub, payload: {
        programId: programId('public-lecture'), kind: 'public_lecture', title: 'ひきこもり講演会（家族向け）', startsAt: '2026-08-01T05:00:00Z', endsAt: '2026-08-01T07:00:00Z',
        place: '武蔵野市役所 西棟', online: false, capacity: 2, organizerOrgIds: [orgId('livelihood-welfare-section')], published: true,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const event = created.json() as { id: string };
    const sender = fileSender(dir, 'registrants.jsonl');
    const deliver = (s: MessageSender = sender) => deliverRegistrantMessages({ db: t.db, clock }, liveSnapshots(t.db), s, OPTS);

    const midori = await register(event.id, { nickname: 'みどり', email: 'midori@example.jp' });
    const ao = await register(event.id, { nickname: 'あお', phone: '090-1111-2222' });
    const kiiro = await register(event.id, { nickname: 'きいろ', email: 'kiiro@example.jp', waitingList: true });
    assert.equal(kiiro.status, 'waiting');
    assert.deepEqual(await deliver(), { sent: 0, failed: 0 }, 'nothing is due weeks before the event');

    // あお cancels: きいろ moves up and is told at once, with her own cancel link
    clock.set('2026-07-25T03:00:00Z');
    const cancelled = await app.inject({ method: 'POST', url: `/api/public/events/${event.id}/registrations/cancel`, payload: { municipality: MUSASHINO_CODE, code: ao.cancelCode } });
    assert.equal(cancelled.statusCode, 200, cancelled.body);
    assert.deepEqual(await deliver(), { sent: 1, failed: 0 });
    const [movedUp] = await lines(sender);
    assert.equal(movedUp.kind, 'event_moved_up');
    assert.deepEqual(movedUp.to, ['kiiro@example.jp']);
    assert.match(movedUp.body, /きいろ さん/);
    assert.ok(movedUp.body.includes(`cancel=${kiiro.cancelCode}`));

    // the reminder hour the day before: not a minute early; then two instances at once send each reminder once
    clock.set('2026-07-31T00:59:00Z');
    assert.deepEqual(await deliver(), { sent: 0, failed: 0 });
    clock.set('2026-07-31T01:05:00Z');
    const late = await register(event.id, { nickname: 'あか', email: 'aka@example.jp', waitingList: true });
    assert.equal(late.status, 'waiting');
    const other = fileSender(dir, 'registrants.jsonl');
    const runs = await Promise.all([deliver(), deliver(other)]);
    assert.equal(runs[0].sent + runs[1].sent, 2, JSON.stringify(runs));
    assert.deepEqual(await deliver(), { sent: 0, failed: 0 }, 'a second run sends nothing again');
    const reminders = (await lines(sender)).filter((m) => m.kind === 'event_reminder');
    assert.deepEqual(reminders.map((m) => m.to[0]).sort(), ['kiiro@example.jp', 'midori@example.jp'], 'once each; not to the waiting list, nor to one who cancelled');
    const toMidori = reminders.find((m) => m.to[0] === 'midori@example.jp')!;
    assert.match(toMidori.subject, /ひきこもり講演会（家族向け）/);
    assert.match(toMidori.body, /日時: 令和8年8月1日（土）14:00〜16:00/);
    assert.match(toMidori.body, /場所: 武蔵野市役所 西棟/);
    const link = `https://soudan.example.lg.jp/public/${MUSASHINO_CODE}/events?event=${event.id}&cancel=${midori.cancelCode}`;
    assert.ok(toMidori.body.includes(link), toMidori.body);

    // the link's code cancels (no sign-in); the contacts never reached the staff side's outbox
    const viaLink = new URL(link).searchParams;
    const byLink = await app.inject({ method: 'POST', url: `/api/public/events/${viaLink.get('event')}/registrations/cancel`, payload: { municipality: MUSASHINO_CODE, code: viaLink.get('cancel') } });
    assert.equal(byLink.statusCode, 200, byLink.body);
    const { rows: staff } = await t.db.query<{ n: number }>("SELECT count(*)::int AS n FROM message_outbox WHERE body LIKE '%example.jp%' OR body LIKE '%090-1111%' OR body LIKE '%' || $1 || '%'", [midori.cancelCode]);
    assert.equal(staff[0].n, 0);

    // the set days after the event the registrations go, and their messages with them
    const kept = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM public_event_message WHERE municipality_id = $1 AND event_id = $2', [MUSASHINO_ID, event.id]);
    assert.ok(kept.rows[0].n > 0);
    clock.set('2026-09-01T00:00:00Z');
    await purgeEventRegistrations(t.db, clock);
    const gone = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM public_event_message WHERE municipality_id = $1 AND event_id = $2', [MUSASHINO_ID, event.id]);
    assert.equal(gone.rows[0].n, 0);
  });
});
