import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import {
  buildTestApp, buildUser, HOSHINO_CODE, importHoshino, importMusashino, importTokyoPrefecture, MUSASHINO_CODE, orgId, signInAs, TOKYO_CODE,
} from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { sessionTimes, sendConsultationDayReminders } from './consultationDays.ts';

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
const logins = new Map<H, string>();
/** Signs everyone in again after the clock moved past the sessions' lifetime. */
async function signInAgain() {
  for (const [h, login] of logins) Object.assign(h, (await signInAs(app, login)).headers);
}

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  await importHoshino(t.db);
  await importTokyoPrefecture(t.db);
  app = await buildTestApp(t.db, { clock });
  const user = async (org: string, role: 'prefecture_staff' | 'hub_coordinator' | 'municipal_window', code: string) => {
    const u = await buildUser(t.db, { org, role, code, clock });
    const headers = (await signInAs(app, u.login)).headers as H;
    logins.set(headers, u.login);
    return { id: u.id as string, headers };
  };
  centre = (await user('support-net', 'prefecture_staff', TOKYO_CODE)).headers;
  const w = await user('welfare-section', 'municipal_window', HOSHINO_CODE);
  hoshinoWindow = w.headers;
  hoshinoWindowUserId = w.id;
  hoshinoWindow2 = (await user('shakyo-window', 'municipal_window', HOSHINO_CODE)).headers;
  hoshinoHub = (await user('shakyo-window', 'hub_coordinator', HOSHINO_CODE)).headers;
  musashinoWindow = (await user('welfare-desk', 'municipal_window', MUSASHINO_CODE)).headers;
});
after(async () => {
  await app?.close();
  await t?.close();
});

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

  test('a booking with a contact gets one reminder the day before, to the window staff who booked it', async () => {
    assert.deepEqual(await sendConsultationDayReminders({ db: t.db, clock }), { reminded: 0 }, 'ten days before: none yet');
    clock.set('2026-06-19T00:30:00Z');
    assert.deepEqual(await sendConsultationDayReminders({ db: t.db, clock }), { reminded: 1 }, 'only the booking with a contact');
    assert.deepEqual(await sendConsultationDayReminders({ db: t.db, clock }), { reminded: 0 }, 'once');
    const { rows } = await t.db.query<{ to_user_id: string; subject: string; body: string }>(`SELECT to_user_id, subject, body FROM message_outbox WHERE kind = 'consultation_day_reminder'`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].to_user_id, hoshinoWindowUserId);
    assert.match(rows[0].subject, /令和8年6月20日/);
    assert.doesNotMatch(rows[0].subject + rows[0].body, /みどり|090/, 'no name or contact in the message');
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
    assert.equal(hoshino.offered, 10);
    assert.deepEqual([hoshino.booked, hoshino.used, hoshino.referrals], [2, 1, 1].map((n) => (n < below ? `<${below}` : n)));
    const musashino = res.body.items.find((i: { municipality: { code: string } }) => i.municipality.code === MUSASHINO_CODE);
    assert.deepEqual([musashino.offered, musashino.booked], [0, 0]);
    assert.equal((await call(hoshinoWindow, 'GET', '/api/prefecture/consultation-days/figures')).status, 403);
  });
});
