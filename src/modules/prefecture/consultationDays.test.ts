import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestDb } from '../../../test/helpers/db.ts';
import { HOSHINO_CODE, MUSASHINO_CODE, orgId, prefectureWorld, TOKYO_CODE } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestSmtp } from '../../../test/helpers/smtp.ts';
import { registrantSender } from '../../lib/sender.ts';
import { deliverConsultationDayReminders, sessionTimes, sendConsultationDayReminders } from './consultationDays.ts';
const outDir = mkdtempSync(join(tmpdir(), 'tsunagu-cday-'));

const clock = new FakeClock('2026-06-10T01:00:00Z');
let t: TestDb;
let app: App;
type H = Record<string, string>;
let centre: H;
let hoshinoWindow: H;
let hoshinoWindow2: H;
let hoshinoHub: H;
let musashinoWindow: H;
let hoshinoWindowUserId: string;
/** Signs everyone in again after the clock moved past the sessions' lifetime. */
let signInAgain: () => Promise<void>;
let close: () => Promise<void>;

before(async () => {
  const world = await prefectureWorld(clock);
  ({ t, app, signInAgain, close } = world);
  const { user } = world;
  centre = (await user('support-net', 'prefecture_staff', TOKYO_CODE)).headers;
  const w = await user('welfare-section', 'municipal_window', HOSHINO_CODE);
  hoshinoWindow = w.headers;
  hoshinoWindowUserId = w.id;
  hoshinoWindow2 = (await user('shakyo-window', 'municipal_window', HOSHINO_CODE)).headers;
  hoshinoHub = (await user('shakyo-window', 'hub_coordinator', HOSHINO_CODE)).headers;
  musashinoWindow = (await user('welfare-desk', 'municipal_window', MUSASHINO_CODE)).headers;
  // these tests plan many days in one municipality; the plan's own test lowers it
  await setPlan('daysPerMunicipality', 20);
});
after(() => close?.());

/** Changes one number of the centre's consultation-day plan (the profile's `centre.consultationDays`). */
async function setPlan(key: 'municipalitiesPerYear' | 'daysPerMunicipality', n: number) {
  await t.db.query(`UPDATE municipality SET centre_settings = jsonb_set(centre_settings, $1::text[], $2::jsonb) WHERE kind = 'prefecture'`,
    [`{consultationDays,${key}}`, String(n)]);
}

const call = async (headers: H, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, headers: { ...headers, 'accept-language': 'ja' }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() };
};

interface Session { id: string; startsAt: string; endsAt: string; booking: null | Record<string, unknown>; outcome: null | Record<string, unknown> }

describe('巡回相談 (consultation days)', () => {
  let dayId: string;
  let sessions: Session[];
  let bookingId: string;

  test('sessions follow one another from the start time', () => {
    assert.deepEqual(sessionTimes('13:30', 3, 45), [
      { startsAt: '13:30', endsAt: '14:15' }, { startsAt: '14:15', endsAt: '15:00' }, { startsAt: '15:00', endsAt: '15:45' },
    ]);
  });

  test('the centre plans a day from the profile’s defaults; its sessions are made from them', async () => {
    const list = await call(centre, 'GET', '/api/prefecture/consultation-days');
    assert.equal(list.status, 200);
    assert.deepEqual({ n: list.body.defaults.sessionsPerDay, m: list.body.defaults.sessionMinutes }, { n: 6, m: 45 });
    const res = await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-06-20', staff: ['相談員A', '相談員B'], place: '星野町役場 2階相談室' });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    dayId = res.body.id;
    sessions = res.body.sessions;
    assert.equal(sessions.length, 6);
    assert.deepEqual([sessions[0].startsAt, sessions[5].endsAt], ['10:00', '14:30']);
    assert.equal(res.body.dateLabel, '令和8年6月20日');
    // a plan of its own: four sessions of an hour
    const other = await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-06-21', startTime: '13:00', sessionCount: 4, sessionMinutes: 60, staff: [] });
    assert.deepEqual(other.body.sessions.map((s: Session) => s.startsAt), ['13:00', '14:00', '15:00', '16:00']);
    const again = await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-06-20', staff: [] });
    assert.equal(again.status, 400);
    assert.equal(again.body.fields[0].field, 'date');
  });

  test('the window sees its own municipality’s days; another municipality’s window does not', async () => {
    const mine = await call(hoshinoWindow, 'GET', '/api/prefecture/consultation-days?fiscalYear=2026');
    assert.deepEqual(mine.body.items.map((d: { date: string }) => d.date), ['2026-06-20', '2026-06-21']);
    assert.equal(mine.body.defaults, null);
    const theirs = await call(musashinoWindow, 'GET', '/api/prefecture/consultation-days');
    assert.deepEqual(theirs.body.items, []);
    assert.equal((await call(musashinoWindow, 'GET', `/api/prefecture/consultation-days/${dayId}`)).status, 404);
    assert.equal((await call(musashinoWindow, 'POST', '/api/prefecture/consultation-days/bookings', { sessionId: sessions[0].id, who: 'self', nickname: 'X', consentScope: [] })).status, 400);
    assert.equal((await call(hoshinoWindow, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-07-01', staff: [] })).status, 403);
  });

  test('the window books a session; the centre sees only what the consent covers', async () => {
    const res = await call(hoshinoWindow, 'POST', '/api/prefecture/consultation-days/bookings', {
      sessionId: sessions[0].id, who: 'family', nickname: 'みどりさん', phone: '090-1234-5678', consentScope: ['nickname'],
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const booked = res.body.sessions[0].booking;
    bookingId = booked.id;
    assert.deepEqual([booked.nickname, booked.who, booked.phone], ['みどりさん', 'family', '090-1234-5678']);
    const seen = (await call(centre, 'GET', `/api/prefecture/consultation-days/${dayId}`)).body.sessions[0].booking;
    assert.deepEqual([seen.nickname, seen.who, seen.phone, seen.email], ['みどりさん', null, null, null], 'who comes and the contact are not in the consent');
    const hub = (await call(hoshinoHub, 'GET', `/api/prefecture/consultation-days/${dayId}`)).body.sessions[0].booking;
    assert.equal(hub.phone, '090-1234-5678', 'the municipality keeps the contact');
  });

  test('a booked session cannot be booked again, even by two windows at once', async () => {
    const again = await call(hoshinoWindow2, 'POST', '/api/prefecture/consultation-days/bookings', { sessionId: sessions[0].id, who: 'self', nickname: 'B', consentScope: [] });
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'その枠はすでに予約されています。別の枠を選んでください。');
    const both = await Promise.all([hoshinoWindow, hoshinoWindow2].map((h, i) =>
      call(h, 'POST', '/api/prefecture/consultation-days/bookings', { sessionId: sessions[1].id, who: 'self', nickname: `同時${i}`, consentScope: ['nickname', 'who'] })));
    assert.deepEqual(both.map((r) => r.status).sort(), [201, 409]);
    const { rows } = await t.db.query('SELECT 1 FROM consultation_day_booking WHERE session_id = $1 AND cancelled_at IS NULL', [sessions[1].id]);
    assert.equal(rows.length, 1);
  });

  test('a booking moves to a free session and not onto a booked one; a cancelled session is free again', async () => {
    const onto = await call(hoshinoWindow, 'PATCH', `/api/prefecture/consultation-days/bookings/${bookingId}`, { sessionId: sessions[1].id });
    assert.equal(onto.status, 409);
    const moved = await call(hoshinoWindow, 'PATCH', `/api/prefecture/consultation-days/bookings/${bookingId}`, { sessionId: sessions[2].id });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.sessions[0].booking, null);
    assert.equal(moved.body.sessions[2].booking.nickname, 'みどりさん');
    const second = (await call(hoshinoWindow2, 'POST', '/api/prefecture/consultation-days/bookings', { sessionId: sessions[0].id, who: 'both', nickname: 'C', consentScope: [] })).body;
    const cancelled = await call(hoshinoWindow2, 'DELETE', `/api/prefecture/consultation-days/bookings/${second.sessions[0].booking.id}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.sessions[0].booking, null);
    assert.equal((await call(hoshinoWindow2, 'DELETE', `/api/prefecture/consultation-days/bookings/${second.sessions[0].booking.id}`)).status, 404);
  });

  test('the day before, an email contact gets one reminder through the outside sender; a phone contact becomes a call task for the window', async () => {
    // an email booking, and one that is cancelled after its reminder was queued
    const mail = await call(hoshinoWindow, 'POST', '/api/prefecture/consultation-days/bookings', {
      sessionId: sessions[3].id, who: 'self', nickname: 'そらさん', email: 'sora@example.jp', phone: '080-5555-6666', consentScope: [], note: '母が同席の予定',
    });
    assert.equal(mail.status, 201, JSON.stringify(mail.body));
    const gone = await call(hoshinoWindow, 'POST', '/api/prefecture/consultation-days/bookings', { sessionId: sessions[4].id, who: 'self', nickname: 'うみさん', email: 'umi@example.jp', consentScope: [] });
    assert.equal(gone.status, 201);
    const smtp = await startTestSmtp();
    const sender = registrantSender({ dir: outDir, smtp: { url: smtp.url, from: '相談窓口 <soudan@city.example.jp>' } });
    try {
      const none = { reminded: 0, email: 0, call: 0 };
      assert.deepEqual(await sendConsultationDayReminders({ db: t.db, clock }), none, 'ten days before: none yet');
      clock.set('2026-06-18T16:30:00Z'); // 01:30 on the 19th in Japan
      assert.deepEqual(await sendConsultationDayReminders({ db: t.db, clock }, { fromHour: 10 }), none, 'not in the night');
      clock.set('2026-06-19T01:30:00Z');
      const runs = await Promise.all([sendConsultationDayReminders({ db: t.db, clock }, { fromHour: 10 }), sendConsultationDayReminders({ db: t.db, clock }, { fromHour: 10 })]);
      assert.deepEqual({ reminded: runs[0].reminded + runs[1].reminded, email: runs[0].email + runs[1].email, call: runs[0].call + runs[1].call }, { reminded: 3, email: 2, call: 1 },
        'the three bookings with a contact, once each however the job runs');
      assert.deepEqual(await sendConsultationDayReminders({ db: t.db, clock }), none, 'once');

      // the phone-only booking: a call task in the booking staff member's お知らせ, by the booking's day and time: neither the nickname nor the number
      const { rows } = await t.db.query<{ to_user_id: string; subject: string; body: string }>(`SELECT to_user_id, subject, body FROM message_outbox WHERE kind = 'consultation_day_reminder_call'`);
      assert.equal(rows.length, 1);
      assert.equal(rows[0].to_user_id, hoshinoWindowUserId);
      assert.match(rows[0].subject, /令和8年6月20日 11:30〜の予約の方に電話でリマインドしてください/);
      assert.doesNotMatch(rows[0].subject + rows[0].body, /090|みどり/, 'who it is and the number stay on the booking screen');
      await signInAgain();
      const alerts = await call(hoshinoWindow, 'GET', '/api/alerts');
      assert.ok(JSON.stringify(alerts.body).includes('電話でリマインド'), JSON.stringify(alerts.body));

      // うみさん is cancelled before the sender runs: her reminder is dropped, not sent
      assert.equal((await call(hoshinoWindow, 'DELETE', `/api/prefecture/consultation-days/bookings/${gone.body.sessions[4].booking.id}`)).status, 200);
      const deliveries = await Promise.all([deliverConsultationDayReminders({ db: t.db, clock }, sender), deliverConsultationDayReminders({ db: t.db, clock }, sender)]);
      assert.equal(deliveries[0].sent + deliveries[1].sent, 1, JSON.stringify(deliveries));
      assert.deepEqual(await deliverConsultationDayReminders({ db: t.db, clock }, sender), { sent: 0, failed: 0, dropped: 0 }, 'sent once');
      assert.equal(smtp.received.length, 1);
      const [m] = smtp.received;
      assert.deepEqual(m.to, ['sora@example.jp']);
      assert.equal(m.subject, '【巡回相談】明日のご予約（令和8年6月20日（土）12:15〜13:00）');
      assert.match(m.text, /そらさん さん/);
      assert.match(m.text, /日時: 令和8年6月20日（土）12:15〜13:00/);
      assert.match(m.text, /場所: 星野町役場 2階相談室/);
      // the nickname, the date and time and the place; nothing more of the booking
      assert.doesNotMatch(m.text, /080|母が同席|本人|相談員/);

      // the window sees how each reminder went; the centre does not
      const day = (await call(hoshinoWindow, 'GET', `/api/prefecture/consultation-days/${dayId}`)).body;
      assert.deepEqual(day.sessions[2].booking.reminder.channel, 'phone');
      assert.deepEqual([day.sessions[3].booking.reminder.channel, day.sessions[3].booking.reminder.state], ['email', 'sent']);
      assert.equal((await call(centre, 'GET', `/api/prefecture/consultation-days/${dayId}`)).body.sessions[3].booking.reminder, null);
    } finally {
      await smtp.close();
    }
  });

  test('an email the mail server keeps refusing is retried, then becomes a call task for the window', async () => {
    await signInAgain();
    const day = (await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-06-22', staff: [] })).body;
    const booked = await call(hoshinoWindow, 'POST', '/api/prefecture/consultation-days/bookings', { sessionId: day.sessions[0].id, who: 'family', nickname: 'かぜさん', email: 'kaze@example.jp', consentScope: [] });
    assert.equal(booked.status, 201, JSON.stringify(booked.body));
    const at = clock.now();
    clock.set('2026-06-21T02:00:00Z');
    assert.equal((await sendConsultationDayReminders({ db: t.db, clock })).email, 1);
    const refusing = registrantSender({ dir: outDir, smtp: { url: 'smtp://127.0.0.1:1', from: 'soudan@city.example.jp' } });
    for (let i = 0; i < 10; i++) assert.deepEqual(await deliverConsultationDayReminders({ db: t.db, clock }, refusing), { sent: 0, failed: 1, dropped: 0 });
    assert.deepEqual(await deliverConsultationDayReminders({ db: t.db, clock }, refusing), { sent: 0, failed: 0, dropped: 0 }, 'not after the last attempt');
    const { rows } = await t.db.query<{ subject: string; body: string }>(`SELECT subject, body FROM message_outbox WHERE kind = 'consultation_day_reminder_call' AND entity_id = $1`, [booked.body.sessions[0].booking.id]);
    assert.equal(rows.length, 1);
    assert.match(rows[0].body, /メールを送れませんでした/);
    await signInAgain();
    const seen = (await call(hoshinoWindow, 'GET', `/api/prefecture/consultation-days/${day.id}`)).body.sessions[0].booking.reminder;
    assert.deepEqual([seen.channel, seen.state], ['email', 'failed']);
    assert.equal((await call(hoshinoWindow, 'DELETE', `/api/prefecture/consultation-days/bookings/${booked.body.sessions[0].booking.id}`)).status, 200);
    clock.set(at.toISOString());
  });

  test('after the day, the centre records outcomes; an agreed referral lands in the local organisation’s queue, audited in both tenants', async () => {
    await signInAgain();
    const early = await call(centre, 'PUT', `/api/prefecture/consultation-days/sessions/${sessions[2].id}/outcome`, { attended: true, came: 'family' });
    assert.equal(early.status, 400, 'not before the day');
    clock.set('2026-06-20T08:00:00Z');
    await signInAgain();
    assert.equal((await call(hoshinoWindow, 'PUT', `/api/prefecture/consultation-days/sessions/${sessions[2].id}/outcome`, { attended: false })).status, 403);
    const noConsent = await call(centre, 'PUT', `/api/prefecture/consultation-days/sessions/${sessions[2].id}/outcome`, {
      attended: true, came: 'family', referral: { organizationId: orgId('youth-npo', HOSHINO_CODE), summary: '息子のこと', consent: false },
    });
    assert.equal(noConsent.status, 400);
    assert.ok(noConsent.body.fields.some((f: { field: string }) => f.field === 'referral.consent'));
    const res = await call(centre, 'PUT', `/api/prefecture/consultation-days/sessions/${sessions[2].id}/outcome`, {
      attended: true, came: 'family', mainConcern: '息子が半年ほど外出していない',
      referral: { organizationId: orgId('youth-npo', HOSHINO_CODE), summary: '20代の息子が半年ほど外出していない。母が相談。', consent: true },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const outcome = res.body.sessions[2].outcome;
    assert.equal(outcome.referral.organizationId, orgId('youth-npo', HOSHINO_CODE));
    const { rows } = await t.db.query<{ channel: string; door_organization_id: string; consulter_relation: string; status: string; summary: string; municipality_id: string }>(
      'SELECT channel, door_organization_id, consulter_relation, status, summary, municipality_id FROM consultation WHERE id = $1', [outcome.referral.consultationId]);
    assert.deepEqual({ ...rows[0], municipality_id: undefined }, {
      channel: 'via_organization', door_organization_id: orgId('youth-npo', HOSHINO_CODE), consulter_relation: 'family', status: 'triage',
      summary: '20代の息子が半年ほど外出していない。母が相談。', municipality_id: undefined,
    });
    const audit = await t.db.query<{ municipality_id: string; details: { legalBasis?: string } }>(
      `SELECT municipality_id, details FROM audit_event WHERE action = 'consultation_day.refer' AND entity_id = $1`, [outcome.referral.consultationId]);
    assert.equal(new Set(audit.rows.map((r) => r.municipality_id)).size, 2, 'in the centre’s tenant and the municipality’s');
    assert.ok(audit.rows.every((r) => r.details.legalBasis === 'consent'));
    const absent = await call(centre, 'PUT', `/api/prefecture/consultation-days/sessions/${sessions[1].id}/outcome`, { attended: false });
    assert.equal(absent.status, 200);
    const twice = await call(centre, 'PUT', `/api/prefecture/consultation-days/sessions/${sessions[2].id}/outcome`, {
      attended: true, came: 'family', referral: { organizationId: orgId('youth-npo', HOSHINO_CODE), summary: 'もう一度', consent: true },
    });
    assert.equal(twice.status, 400, 'one referral for a session');
  });

  test('figures per municipality and fiscal year, small counts suppressed', async () => {
    const res = await call(centre, 'GET', '/api/prefecture/consultation-days/figures?fiscalYear=2026');
    assert.equal(res.status, 200);
    const hoshino = res.body.items.find((i: { municipality: { code: string } }) => i.municipality.code === HOSHINO_CODE);
    const below = res.body.suppressBelow;
    assert.equal(hoshino.offered, 16);
    assert.deepEqual([hoshino.booked, hoshino.used, hoshino.referrals], [3, 1, 1].map((n) => (n < below ? `<${below}` : n)));
    const musashino = res.body.items.find((i: { municipality: { code: string } }) => i.municipality.code === MUSASHINO_CODE);
    assert.deepEqual([musashino.offered, musashino.booked], [0, 0]);
    assert.equal((await call(hoshinoWindow, 'GET', '/api/prefecture/consultation-days/figures')).status, 403);
  });
});

describe('巡回相談: the centre re-plans, deletes and keeps to its yearly plan', () => {
  const book = (h: H, sessionId: string, nickname: string, contact: Record<string, string>) =>
    call(h, 'POST', '/api/prefecture/consultation-days/bookings', { sessionId, who: 'self', nickname, consentScope: [], ...contact });

  test('re-planning a day moves its bookings with it, never loses one, tells the windows that booked, and reminds again for the new time', async () => {
    clock.set('2026-07-01T01:00:00Z');
    await signInAgain();
    const day = (await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-07-10', staff: ['相談員A'] })).body;
    const s = day.sessions as Session[];
    assert.equal((await book(hoshinoWindow, s[0].id, 'はるさん', { phone: '090-7777-8888' })).status, 201);
    assert.equal((await book(hoshinoWindow2, s[5].id, 'あきさん', { email: 'aki@example.jp' })).status, 201);
    const cancelled = await book(hoshinoWindow, s[4].id, 'ふゆさん', { phone: '090-1111-0000' });
    assert.equal((await call(hoshinoWindow, 'DELETE', `/api/prefecture/consultation-days/bookings/${cancelled.body.sessions[4].booking.id}`)).status, 200);

    const tooFew = await call(centre, 'PATCH', `/api/prefecture/consultation-days/${day.id}`, { sessionCount: 1 });
    assert.equal(tooFew.status, 400);
    assert.deepEqual(tooFew.body.fields.map((f: { field: string }) => f.field), ['sessionCount']);
    assert.equal(tooFew.body.fields[0].message, '2枠に予約があります。枠の数は2以上にするか、先に窓口で予約を取り消してもらってください。');
    assert.equal((await call(hoshinoWindow, 'PATCH', `/api/prefecture/consultation-days/${day.id}`, { sessionCount: 4 })).status, 403);

    const moved = await call(centre, 'PATCH', `/api/prefecture/consultation-days/${day.id}`, { date: '2026-07-11', startTime: '13:00', sessionCount: 4 });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.date, '2026-07-11');
    assert.deepEqual(moved.body.sessions.map((x: Session) => x.startsAt), ['13:00', '13:45', '14:30', '15:15']);
    const seen = (await call(hoshinoWindow, 'GET', `/api/prefecture/consultation-days/${day.id}`)).body.sessions as Session[];
    assert.deepEqual(seen.map((x) => x.booking?.nickname ?? null), ['はるさん', 'あきさん', null, null], 'the first follows its session; the one on a session that went takes the first free one');

    const { rows } = await t.db.query<{ to_user_id: string; body: string }>(`SELECT to_user_id, body FROM message_outbox WHERE kind = 'consultation_day_replanned' AND entity_id = $1`, [day.id]);
    assert.equal(rows.length, 2, 'each window staff member who booked');
    const toFirst = rows.find((r) => r.to_user_id === hoshinoWindowUserId)!;
    assert.match(toFirst.body, /令和8年7月10日 10:00 からの予約 → 令和8年7月11日 13:00/);
    assert.doesNotMatch(toFirst.body, /はるさん|あきさん|090/, 'their own bookings by time, no name or contact');

    // the day before the new date, each is reminded; moved again, each is reminded again for the newer time
    clock.set('2026-07-10T02:00:00Z');
    assert.equal((await sendConsultationDayReminders({ db: t.db, clock })).reminded, 2);
    await signInAgain();
    assert.equal((await call(centre, 'PATCH', `/api/prefecture/consultation-days/${day.id}`, { date: '2026-07-12' })).status, 200);
    assert.equal((await sendConsultationDayReminders({ db: t.db, clock })).reminded, 0, 'not yet: the day before the new date');
    clock.set('2026-07-11T02:00:00Z');
    assert.deepEqual(await sendConsultationDayReminders({ db: t.db, clock }), { reminded: 2, email: 1, call: 1 });
  });

  test('a day nobody is booked on can be deleted (the windows are told); a day with bookings cannot', async () => {
    clock.set('2026-07-13T01:00:00Z');
    await signInAgain();
    const empty = (await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-07-20', staff: [] })).body;
    const withOne = (await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-07-21', staff: [] })).body;
    assert.equal((await book(hoshinoWindow, withOne.sessions[2].id, 'なつさん', {})).status, 201);
    const once = await book(hoshinoWindow, empty.sessions[0].id, 'いちどさん', {});
    await call(hoshinoWindow, 'DELETE', `/api/prefecture/consultation-days/bookings/${once.body.sessions[0].booking.id}`);

    const refused = await call(centre, 'DELETE', `/api/prefecture/consultation-days/${withOne.id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.error, 'この相談日には住民の予約があります。日程の変更（予約は新しい枠に移ります）をするか、先に窓口で予約を取り消してもらってください。');
    assert.equal((await call(hoshinoWindow, 'DELETE', `/api/prefecture/consultation-days/${empty.id}`)).status, 403);
    const res = await app.inject({ method: 'DELETE', url: `/api/prefecture/consultation-days/${empty.id}`, headers: centre });
    assert.equal(res.statusCode, 204, res.body);
    assert.equal((await call(centre, 'GET', `/api/prefecture/consultation-days/${empty.id}`)).status, 404);
    assert.equal((await call(hoshinoWindow, 'GET', `/api/prefecture/consultation-days/${withOne.id}`)).body.sessions[2].booking.nickname, 'なつさん');
    const alerts = await call(hoshinoWindow, 'GET', '/api/alerts');
    assert.ok(JSON.stringify(alerts.body).includes('令和8年7月20日の相談日は取りやめになりました'));
  });

  test('more municipalities in a year than the profile’s plan is a warning the centre confirms', async () => {
    await setPlan('municipalitiesPerYear', 1);
    try {
      const warned = await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: MUSASHINO_CODE, date: '2026-08-03', staff: [] });
      assert.equal(warned.status, 400);
      assert.equal(warned.body.fields[0].field, 'confirmMoreMunicipalities');
      assert.equal(warned.body.fields[0].message, '年間の計画は1市区町村です。この相談日で2市区町村になります。計画より多く実施する場合は、確認のうえ計画してください。');
      assert.equal((await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2026-08-04', staff: [] })).status, 201, 'a municipality already in the year’s plan');
      const confirmed = await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: MUSASHINO_CODE, date: '2026-08-03', staff: [], confirmMoreMunicipalities: true });
      assert.equal(confirmed.status, 201);
      const nextYear = await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: MUSASHINO_CODE, date: '2027-04-05', staff: [] });
      assert.equal(nextYear.status, 201, 'a fiscal year of its own');
    } finally {
      await setPlan('municipalitiesPerYear', 3);
    }
  });

  test('more days in a municipality in a year than the profile’s plan is a warning the centre confirms', async () => {
    await setPlan('daysPerMunicipality', 1);
    try {
      const first = await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2027-06-07', staff: [] });
      assert.equal(first.status, 201, 'the first day of fiscal 2027 in 星野町');
      const warned = await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2027-06-08', staff: [] });
      assert.equal(warned.status, 400);
      assert.deepEqual(warned.body.fields.map((f: { field: string }) => f.field), ['confirmMoreDays']);
      assert.match(warned.body.fields[0].message, /^1市区町村あたりの年間の計画は1日です。この相談日で.+は2日になります。/);
      assert.equal((await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2027-06-08', staff: [], confirmMoreDays: true })).status, 201);
      assert.equal((await call(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: HOSHINO_CODE, date: '2028-06-08', staff: [] })).status, 201, 'a fiscal year of its own');
    } finally {
      await setPlan('daysPerMunicipality', 20);
    }
  });
});
