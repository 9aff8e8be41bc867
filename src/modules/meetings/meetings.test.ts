import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ICAL from 'ical.js';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashinoWithSupportMeeting, meetingSeriesId, orgId, signInAs, TEST_SHARE_BASIS } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import type { Role } from '../auth/roles.ts';
import { returnOverdueActions } from './service.ts';

/**
 * Meetings on Musashino's network, with its 総合支援調整会議 held as a 支援会議
 * (社会福祉法第106条の6) whose standing member is それいゆ; 支援調整会議 keeps the
 * seed's consent-based basis.
 */
let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-10T01:00:00Z'); // 10:00 JST, Wednesday
type H = Record<string, string>;
const SUPPORT_MEETING = meetingSeriesId('comprehensive-support-coordination-meeting');
const COORDINATION = meetingSeriesId('support-coordination-meeting');
const LIAISON = meetingSeriesId('youth-support-liaison-meeting');

before(async () => {
  t = await createTestDb();
  await importMusashinoWithSupportMeeting(t.db, ['soreiyu']);
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

type User = H & { userId: string; login: string };
async function as(org: string, role: Role = 'org_staff', sensitive = true): Promise<User> {
  const u = await buildUser(t.db, { org, role, clock, sensitive });
  return { ...(await signInAs(app, u.login, undefined, clock)).headers, userId: u.id, login: u.login };
}
/** The same user signed in again (after the clock moved past the idle time-out). */
const again = async (u: User): Promise<User> => ({ ...(await signInAs(app, u.login, undefined, clock)).headers, userId: u.userId, login: u.login });

const call = async (h: H, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, status = method === 'POST' ? 201 : 200) => {
  const { userId: _, login: __, ...headers } = h as H & { userId?: string; login?: string };
  const res = await app.inject({ method, url, headers, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res.headers['content-type']?.toString().startsWith('text/calendar') ? res.body : res.json();
};

async function caseWith(desk: H, name: string, tags: string[], extra: Record<string, unknown> = {}) {
  const consultation = await call(desk, 'POST', '/api/consultations', {
    receivedAt: clock.now().toISOString(), channel: 'phone', consulterRelation: 'family', issueTags: tags, mainIssue: tags[0], summary: `${name}さんの家族から相談`, urgency: 'normal',
  });
  return call(desk, 'POST', '/api/cases', { person: { name, nameKana: 'てすと', birthDate: '1974-05-01' }, consultationIds: [consultation.id], ...extra });
}

const session = (desk: H, seriesId: string, date: string, start = '14:00', minutes = 90) =>
  call(desk, 'POST', '/api/meetings/sessions', { seriesId, date, start, minutes });

describe('scheduling', () => {
  test('a recurrence schedules the next sessions, moved off public holidays, and the feed lists them for a calendar program without personal data', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    // the second Monday of every month: January's is 成人の日 (2027-01-11)
    const res = await call(desk, 'POST', `/api/meetings/series/${COORDINATION}/recurrence`, {
      rule: { months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], weekday: 1, nth: 2, start: '10:00', minutes: 60 }, holidayShift: 'next_weekday', place: '市役所 西棟', count: 8,
    });
    // June's (the 8th) has passed; October's is スポーツの日 (the 12th)
    assert.deepEqual(res.sessions.map((s: { date: string }) => s.date),
      ['2026-07-13', '2026-08-10', '2026-09-14', '2026-10-13', '2026-11-09', '2026-12-14', '2027-01-12', '2027-02-08']);
    const january = res.sessions.find((s: { date: string }) => s.date === '2027-01-12');
    assert.equal(january.movedFrom, '2027-01-11');
    assert.equal(january.startsAt, '2027-01-12T01:00:00.000Z');
    assert.equal(res.series.recurrence.description.ja, '毎月の第2月曜日 10:00（60分）');
    assert.equal(res.sessions.find((s: { date: string }) => s.date === '2026-10-13').movedFrom, '2026-10-12');

    // scheduling again does not double the sessions already there
    const again = await call(desk, 'POST', `/api/meetings/series/${COORDINATION}/recurrence`, {
      rule: { months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], weekday: 1, nth: 2, start: '10:00', minutes: 60 }, holidayShift: 'next_weekday', count: 8,
    });
    assert.equal(again.sessions.length, 0);

    const bad = await app.inject({ method: 'POST', url: `/api/meetings/series/${COORDINATION}/recurrence`, headers: desk, payload: { rule: { months: [], weekday: 9, nth: 2, start: '25:00', minutes: 60 }, holidayShift: 'next_weekday', count: 3 } });
    assert.equal(bad.statusCode, 400);
    assert.ok(bad.json().fields.length > 0);

    // a case on an agenda, to show the feed leaves it out
    const c = await caseWith(desk, '暦 一郎', ['hikikomori']);
    await call(desk, 'POST', `/api/meetings/sessions/${res.sessions[0].id}/agenda`, { items: [{ kind: 'case', caseId: c.id }] }, 200);
    await call(desk, 'PATCH', `/api/meetings/sessions/${res.sessions[1].id}`, { version: res.sessions[1].version, status: 'cancelled' });
    const { url } = await call(desk, 'POST', `/api/meetings/series/${COORDINATION}/feed`, {});
    const ics = await app.inject({ method: 'GET', url }); // no sign-in
    assert.equal(ics.statusCode, 200);
    assert.match(ics.headers['content-type'] as string, /^text\/calendar/);
    assert.ok(!ics.body.includes('暦 一郎') && !ics.body.includes(c.reference));
    const cal = new ICAL.Component(ICAL.parse(ics.body));
    const events = cal.getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    assert.equal(events.length, 8);
    assert.ok(events.every((e) => e.summary === '支援調整会議' && e.location === '市役所 西棟'));
    const jan = events.find((e) => e.startDate.toJSDate().toISOString() === '2027-01-12T01:00:00.000Z');
    assert.ok(jan, 'the moved January session');
    assert.equal(events.filter((e) => e.component.getFirstPropertyValue('status') === 'CANCELLED').length, 1);
    assert.equal((await app.inject({ method: 'GET', url: '/api/meetings/feeds/notarealtokennotarealtoken.ics' })).statusCode, 404);

    const calendar = await call(desk, 'GET', '/api/meetings/sessions?from=2026-07-01&to=2026-07-31');
    assert.deepEqual(calendar.items.map((s: { date: string }) => s.date), ['2026-07-13']);
  });
});

describe('agenda and statutory sharing', () => {
  test('the proposal names the cases due; a 支援会議 member sees them only in the window, after acknowledging, audited with the meeting; never the 要配慮 tags without the grant', async () => {
    let desk = await as('welfare-desk', 'hub_coordinator');
    const planned = await caseWith(desk, '見直 太郎', ['hikikomori', 'mental_health']);
    await call(desk, 'POST', `/api/cases/${planned.id}/plans`, { goals: [{ kind: 'long', text: '週1回外出する' }], actions: [], reviewDate: '2026-06-30', personAgreed: true, agreedOn: '2026-06-10' });
    const referred = await caseWith(desk, '紹介 次郎', ['debt']);
    await call(desk, 'POST', `/api/cases/${referred.id}/referrals`, {
      toOrganizationId: orgId('self-reliance-agency'), reason: '家計相談', sharedSummary: '家計の見直し', urgency: 'normal', firstContactDue: '2026-06-20', legalBasis: TEST_SHARE_BASIS,
    });
    const complex = await caseWith(desk, '複合 三郎', ['hikikomori', 'debt'], { complex: true });
    const s = await session(desk, SUPPORT_MEETING, '2026-07-14');
    clock.set(new Date('2026-06-25T01:00:00Z')); // the referral's first contact is overdue
    desk = await as('welfare-desk', 'hub_coordinator'); // signed in afresh after the clock moved

    const proposals = (await call(desk, 'GET', `/api/meetings/sessions/${s.id}/proposals`)).items;
    const reasonOf = (caseId: string) => proposals.find((p: { caseId: string }) => p.caseId === caseId)?.reason;
    assert.equal(reasonOf(planned.id), 'plan_review');
    assert.equal(reasonOf(referred.id), 'referral_overdue');
    assert.equal(reasonOf(complex.id), 'complex');
    const agenda = await call(desk, 'POST', `/api/meetings/sessions/${s.id}/agenda`, {
      items: [planned, referred, complex].map((c) => ({ kind: 'case', caseId: c.id, reason: reasonOf(c.id) })).concat([{ kind: 'topic', title: '地域の居場所の情報共有' } as never]),
    }, 200);
    assert.deepEqual(agenda.agenda.map((i: { label: string }) => i.label), ['事例1', '事例2', '事例3', '議題4']);
    assert.ok((await call(desk, 'GET', `/api/meetings/sessions/${s.id}/proposals`)).items.filter((p: { caseId: string }) => [planned.id, referred.id, complex.id].includes(p.caseId)).every((p: { onAgenda: boolean }) => p.onAgenda));

    // それいゆ (member) without the 要配慮 grant; 地域支援課 (not invited)
    const soreiyu = await as('soreiyu', 'org_staff', false);
    const outsider = await as('community-support-section');
    await call(outsider, 'GET', `/api/meetings/sessions/${s.id}`, undefined, 404);

    // before the window: pseudonymised, and the case itself is hidden
    let seen = await call(soreiyu, 'GET', `/api/meetings/sessions/${s.id}`);
    assert.equal(seen.windowOpen, false);
    assert.ok(seen.agenda.filter((i: { kind: string }) => i.kind === 'case').every((i: { view: string; case: unknown; pseudonym: { ageBand: unknown } }) => i.view === 'pseudonymised' && i.case === null && i.pseudonym.ageBand));
    assert.ok(!JSON.stringify(seen).includes('見直 太郎'));
    await call(soreiyu, 'GET', `/api/cases/${planned.id}`, undefined, 404);

    // in the window, before acknowledging: still pseudonymised, and asked to acknowledge
    clock.set(new Date('2026-07-14T05:30:00Z'));
    const soreiyuNow = await as('soreiyu', 'org_staff', false);
    seen = await call(soreiyuNow, 'GET', `/api/meetings/sessions/${s.id}`);
    assert.equal(seen.windowOpen, true);
    assert.equal(seen.viewer.needsAcknowledgement, true);
    assert.ok(!JSON.stringify(seen).includes('見直 太郎'));
    await call(soreiyuNow, 'GET', `/api/cases/${planned.id}`, undefined, 404);

    const series = await call(soreiyuNow, 'POST', `/api/meetings/series/${SUPPORT_MEETING}/acknowledgement`, {});
    const onFile = (await call(await as('livelihood-welfare-section', 'privacy_officer'), 'GET', `/api/meetings/series/${SUPPORT_MEETING}/acknowledgements`)).items;
    assert.ok(onFile.some((a: { user: { login: string }; organizations: { name: string }[] }) => a.user.login === soreiyuNow.login && a.organizations[0].name === 'それいゆ'), 'on file for the privacy officer');
    await call(soreiyuNow, 'GET', `/api/meetings/series/${SUPPORT_MEETING}/acknowledgements`, undefined, 403);
    assert.ok(series.acknowledgedAt);
    assert.match(series.confidentialityStatement, /秘密を正当な理由なく漏らしません/);
    seen = await call(soreiyuNow, 'GET', `/api/meetings/sessions/${s.id}`);
    const item = seen.agenda.find((i: { case: { id: string } | null }) => i.case?.id === planned.id);
    assert.equal(item.view, 'summary');
    assert.equal(item.case.person.name, '見直 太郎');
    assert.equal(item.case.plan.reviewDate, '2026-06-30');
    assert.deepEqual(item.case.issueTags, ['hikikomori'], 'the 要配慮 tag is not shown without the grant');
    const viaCase = await call(soreiyuNow, 'GET', `/api/cases/${planned.id}`);
    assert.equal(viaCase.access, 'meeting');
    assert.deepEqual(viaCase.meeting, { sessionId: s.id, seriesName: '総合支援調整会議', date: '2026-07-14' });
    assert.equal(viaCase.person.name, '見直 太郎');
    assert.equal((await call(soreiyuNow, 'GET', `/api/cases/${planned.id}/plans`)).items.length, 1);
    // read only: no writes through the meeting
    const write = await app.inject({ method: 'POST', url: `/api/cases/${planned.id}/contact-records`, headers: { cookie: soreiyuNow.cookie, 'x-csrf-token': soreiyuNow['x-csrf-token'] }, payload: { occurredAt: clock.now().toISOString(), kind: 'phone', notes: '会議中に記録しようとした' } });
    assert.equal(write.statusCode, 404);

    const { rows: audit } = await t.db.query<{ reason: string; details: { meetingSessionId?: string } }>(
      `SELECT reason, details FROM audit_event WHERE action = 'case.read' AND entity_id = $1 AND actor_user_id = $2`, [planned.id, soreiyuNow.userId]);
    assert.ok(audit.length >= 2 && audit.every((a) => a.reason === 'meeting' && a.details.meetingSessionId === s.id), JSON.stringify(audit));

    // an organisation invited to this session only (not a standing member) shares it the same way
    const deskNow = await as('welfare-desk', 'hub_coordinator');
    await call(deskNow, 'POST', `/api/meetings/sessions/${s.id}/organizations`, { organizationIds: [orgId('health-section')] }, 200);
    const health = await as('health-section', 'org_staff', false);
    await call(health, 'GET', `/api/cases/${planned.id}`, undefined, 404);
    await call(health, 'POST', `/api/meetings/series/${SUPPORT_MEETING}/acknowledgement`, {});
    assert.equal((await call(health, 'GET', `/api/cases/${planned.id}`)).access, 'meeting');

    // after the window the share is over
    clock.set(new Date('2026-07-14T07:00:00Z'));
    const soreiyuAfter = await again(soreiyuNow);
    await call(soreiyuAfter, 'GET', `/api/cases/${planned.id}`, undefined, 404);
    seen = await call(soreiyuAfter, 'GET', `/api/meetings/sessions/${s.id}`);
    assert.ok(!JSON.stringify(seen).includes('見直 太郎'));
    clock.set(new Date('2026-06-10T01:00:00Z'));
  });

  test('outside a 支援会議 a case shows only where the person consented; guests see what the invitation allows; liaison meetings take no cases', async () => {
    clock.set(new Date('2026-06-10T01:00:00Z'));
    const desk = await as('welfare-desk', 'hub_coordinator');
    const consented = await caseWith(desk, '同意 花子', ['hikikomori']);
    await call(desk, 'POST', `/api/cases/${consented.id}/consents`, { givenOn: '2026-06-10', scope: '支援調整会議での共有', method: 'written', organizationIds: [orgId('self-reliance-agency')] });
    const other = await caseWith(desk, '非同意 四郎', ['hikikomori']);
    const s = await session(desk, COORDINATION, '2026-06-10', '09:30', 120); // open now
    await call(desk, 'POST', `/api/meetings/sessions/${s.id}/agenda`, { items: [{ kind: 'case', caseId: consented.id }, { kind: 'case', caseId: other.id }, { kind: 'topic', title: '就労準備の事業説明' }] }, 200);
    await call(desk, 'POST', `/api/meetings/sessions/${s.id}/organizations`, { organizationIds: [orgId('self-reliance-agency')] }, 200);
    const agency = await as('self-reliance-agency');
    const seen = await call(agency, 'GET', `/api/meetings/sessions/${s.id}`);
    const view = (caseId: string, label: string) => seen.agenda.find((i: { case: { id: string } | null; label: string }) => i.case?.id === caseId || i.label === label);
    assert.equal(view(consented.id, '事例1').view, 'summary');
    assert.equal(view(other.id, '事例2').view, 'pseudonymised');
    assert.ok(!JSON.stringify(seen).includes('非同意 四郎'));
    await call(agency, 'GET', `/api/cases/${other.id}`, undefined, 404);

    const commissioner = await as('welfare-desk', 'meeting_guest');
    await call(commissioner, 'GET', `/api/meetings/sessions/${s.id}`, undefined, 404);
    await call(desk, 'POST', `/api/meetings/sessions/${s.id}/guests`, { userId: commissioner.userId, kind: 'welfare_commissioner', sees: 'topics' });
    const guestView = await call(commissioner, 'GET', `/api/meetings/sessions/${s.id}`);
    assert.equal(guestView.viewer.mode, 'guest');
    assert.deepEqual(guestView.agenda.map((i: { view: string }) => i.view), ['hidden', 'hidden', 'full']);
    assert.ok(!JSON.stringify(guestView).includes('同意 花子'));
    await call(desk, 'POST', `/api/meetings/sessions/${s.id}/guests`, { userId: commissioner.userId, kind: 'welfare_commissioner', sees: 'pseudonymised' });
    assert.deepEqual((await call(commissioner, 'GET', `/api/meetings/sessions/${s.id}`)).agenda.map((i: { view: string }) => i.view), ['pseudonymised', 'pseudonymised', 'full']);
    assert.ok((await call(desk, 'GET', '/api/meetings/guest-accounts')).items.some((g: { id: string }) => g.id === commissioner.userId), 'the coordinator picks guests from a list');
    const notAGuest = await as('welfare-desk', 'org_staff');
    const refused = await app.inject({ method: 'POST', url: `/api/meetings/sessions/${s.id}/guests`, headers: { cookie: desk.cookie, 'x-csrf-token': desk['x-csrf-token'] }, payload: { userId: notAGuest.userId, kind: 'other', sees: 'topics' } });
    assert.equal(refused.statusCode, 400);

    const liaison = await session(desk, LIAISON, '2026-09-01');
    const res = await app.inject({ method: 'POST', url: `/api/meetings/sessions/${liaison.id}/agenda`, headers: { cookie: desk.cookie, 'x-csrf-token': desk['x-csrf-token'] }, payload: { items: [{ kind: 'case', caseId: other.id }] } });
    assert.equal(res.statusCode, 400);
    assert.match(res.json().fields[0].message, /liaison/);
  });
});

describe('a share on a 支援会議 basis', () => {
  test('points to the session whose agenda held the case, with the receiver taking part', async () => {
    clock.set(new Date('2026-06-10T01:00:00Z'));
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = await caseWith(desk, '会議 紹介', ['hikikomori']);
    const s = await session(desk, SUPPORT_MEETING, '2026-06-12');
    const refer = (sessionId: string, to = 'soreiyu') => app.inject({
      method: 'POST', url: `/api/cases/${c.id}/referrals`, headers: { cookie: desk.cookie, 'x-csrf-token': desk['x-csrf-token'] },
      payload: { toOrganizationId: orgId(to), reason: '支援会議で協議', sharedSummary: '居場所の利用を検討', urgency: 'normal', firstContactDue: '2026-06-30', legalBasis: { basis: 'social_welfare_act_106_6', meetingSessionId: sessionId } },
    });
    const problem = async (sessionId: string, to?: string) => { const r = await refer(sessionId, to); assert.equal(r.statusCode, 400, r.body); return r.json().fields[0].message as string; };
    assert.match(await problem(s.id), /not on that session’s agenda/);
    await call(desk, 'POST', `/api/meetings/sessions/${s.id}/agenda`, { items: [{ kind: 'case', caseId: c.id }] }, 200);
    assert.match(await problem(s.id, 'mirairu'), /does not take part/);
    const other = await session(desk, COORDINATION, '2026-06-12');
    assert.match(await problem(other.id), /held on this legal basis/);
    assert.deepEqual((await call(desk, 'GET', `/api/meetings/sessions?caseId=${c.id}`)).items.map((x: { id: string }) => x.id), [s.id]);
    await call(await as('mirairu'), 'GET', `/api/meetings/sessions?caseId=${c.id}`, undefined, 404);
    const ok = await refer(s.id);
    assert.equal(ok.statusCode, 201, ok.body);
    assert.deepEqual(ok.json().legalBasis.meeting, { seriesId: SUPPORT_MEETING, name: '総合支援調整会議', date: '2026-06-12', sessionId: s.id });
  });
});

describe('minutes, decisions and action items', () => {
  test('a decision with two action items: one closed from the queue, the other returns on the next agenda when overdue; the plan is confirmed; a rule is made and later replaced', async () => {
    clock.set(new Date('2026-06-10T01:00:00Z'));
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = await caseWith(desk, '決定 五郎', ['hikikomori']);
    const plan = await call(desk, 'POST', `/api/cases/${c.id}/plans`, { goals: [{ kind: 'short', text: '面談を続ける' }], actions: [], reviewDate: '2026-07-31', personAgreed: true, agreedOn: '2026-06-10' });
    const first = await session(desk, COORDINATION, '2026-06-16');
    let s = await call(desk, 'POST', `/api/meetings/sessions/${first.id}/agenda`, { items: [{ kind: 'case', caseId: c.id }] }, 200);
    const item = s.agenda[0];
    s = await call(desk, 'POST', `/api/meetings/agenda-items/${item.id}/minutes`, { version: item.version, minutes: '本人は週1回の面談に来ている。' }, 200);
    const stale = await app.inject({ method: 'POST', url: `/api/meetings/agenda-items/${item.id}/minutes`, headers: { cookie: desk.cookie, 'x-csrf-token': desk['x-csrf-token'] }, payload: { version: item.version, minutes: '古い版' } });
    assert.equal(stale.statusCode, 409);

    s = await call(desk, 'POST', `/api/meetings/sessions/${first.id}/decisions`, {
      agendaItemId: item.id, text: 'プランを確認し、就労準備支援につなぐ。', confirmPlanId: plan.id,
      actionItems: [
        { organizationId: orgId('self-reliance-agency'), description: '就労準備支援の見学を調整する', dueOn: '2026-06-30' },
        { organizationId: orgId('soreiyu'), description: '居場所の案内を届ける', dueOn: '2026-07-10' },
      ],
    });
    assert.equal(s.actionItems.length, 2);
    assert.equal(s.decisions[0].confirmedPlanId, plan.id);
    const plans = (await call(desk, 'GET', `/api/cases/${c.id}/plans`)).items;
    assert.equal(plans[0].confirmedOn, '2026-06-16');
    assert.equal(plans[0].confirmedIn, '支援調整会議');

    // the agency closes its item from its queue
    const agency = await as('self-reliance-agency');
    const queue = (await call(agency, 'GET', '/api/meetings/action-items')).items;
    const mine = queue.find((a: { description: string }) => a.description === '就労準備支援の見学を調整する');
    assert.ok(mine && queue.every((a: { organization: { id: string } }) => a.organization.id === orgId('self-reliance-agency')));
    assert.equal(mine.case.reference, null, 'the agency does not see the case, so not its number');
    const done = await call(agency, 'POST', `/api/meetings/action-items/${mine.id}/complete`, { version: mine.version, note: '6/25に見学済み' }, 200);
    assert.equal(done.status, 'done');
    const soreiyu = await as('soreiyu');
    const theirs = (await call(soreiyu, 'GET', '/api/meetings/action-items')).items.find((a: { description: string }) => a.description === '居場所の案内を届ける');
    await call(agency, 'POST', `/api/meetings/action-items/${theirs.id}/complete`, { version: theirs.version }, 404);

    // July 11th: それいゆ's item is overdue and comes back on the next session by itself
    clock.set(new Date('2026-07-11T00:00:00Z'));
    assert.equal((await returnOverdueActions({ db: t.db, clock })).returned, 1);
    assert.equal((await returnOverdueActions({ db: t.db, clock })).returned, 0, 'once only');
    const desk2 = await as('welfare-desk', 'hub_coordinator');
    const next = (await call(desk2, 'GET', `/api/meetings/sessions?seriesId=${COORDINATION}&from=2026-07-11`)).items[0];
    const nextSeen = await call(desk2, 'GET', `/api/meetings/sessions/${next.id}`);
    const back = nextSeen.agenda.find((i: { kind: string }) => i.kind === 'action_review');
    assert.equal(back.actionItemId, theirs.id);
    assert.equal(back.reason, 'action_overdue');
    assert.equal(back.title, '居場所の案内を届ける');

    const timeline = (await call(desk2, 'GET', `/api/cases/${c.id}/timeline`)).items.map((e: { kind: string }) => e.kind);
    for (const k of ['meeting_agenda', 'meeting_decision', 'meeting_action', 'meeting_action_done', 'plan_confirmed']) assert.ok(timeline.includes(k), `timeline has ${k}`);

    // a rule agreed in the session, then replaced by a later decision
    await call(desk2, 'POST', `/api/meetings/sessions/${first.id}/decisions`, {
      text: '8050世帯の相談は地域包括支援センターと同行訪問する。', rule: { title: '8050世帯への同行訪問', body: '親が高齢の世帯の相談は、地域包括支援センターと福祉総合相談窓口が同行訪問する。', routingRuleKey: 'elderly-parent-8050' },
    });
    let rules = (await call(desk2, 'GET', '/api/meetings/rules?q=同行')).items;
    assert.equal(rules.length, 1);
    assert.equal(rules[0].source.date, '2026-06-16');
    assert.equal(rules[0].routingRuleKey, 'elderly-parent-8050');
    await call(desk2, 'POST', `/api/meetings/sessions/${next.id}/decisions`, { text: '同行訪問の対象を広げる。', rule: { title: '8050世帯への同行訪問（改定）', body: '親が70歳以上の世帯は同行訪問する。', supersedesId: rules[0].id } });
    rules = (await call(desk2, 'GET', '/api/meetings/rules?q=同行訪問')).items;
    assert.deepEqual(rules.map((r: { number: number }) => r.number), [2]);
    assert.equal(rules[0].supersedes.number, 1);
    const all = (await call(desk2, 'GET', '/api/meetings/rules?include=ended')).items;
    assert.equal(all.find((r: { number: number }) => r.number === 1).endedBy.date, next.date);
    assert.ok((await call(await as('self-reliance-agency'), 'GET', '/api/meetings/rules')).items.length >= 1, 'every staff member reads the rules');
    clock.set(new Date('2026-06-10T01:00:00Z'));
  });
});

describe('paged lists', () => {
  /** Every page of a list, following nextCursor, with the pages' other fields. */
  async function walk(h: H, url: string) {
    type Item = { id: string; overdue?: boolean; description?: string };
    const items: Item[] = [];
    const pages: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Item[]; nextCursor: string | null } = await call(h, 'GET', `${url}${url.includes('?') ? '&' : '?'}${cursor ? `cursor=${cursor}` : ''}`);
      items.push(...page.items);
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor);
    return { items, pages };
  }
  const forged = async (h: H, url: string) => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: h.cookie } });
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().fields[0].field, 'cursor');
  };

  test('the action item queue pages through every item once, open ones first by due date, with totals over all pages', async () => {
    clock.set(new Date('2026-06-10T01:00:00Z'));
    const desk = await as('welfare-desk', 'hub_coordinator');
    const s = await session(desk, COORDINATION, '2026-06-09');
    const dues = ['2026-06-05', '2026-07-01', '2026-06-20'];
    // three decisions a minute apart; within one, items share their creation time and some their due date
    const seeded: { id: string; dueOn: string; decision: number }[] = [];
    for (const [decision, n] of [15, 20, 20].entries()) {
      clock.set(new Date(Date.UTC(2026, 5, 10, 1, decision)));
      const d = await call(await as('welfare-desk', 'hub_coordinator'), 'POST', `/api/meetings/sessions/${s.id}/decisions`, {
        text: `対応事項の割り振り${decision + 1}`,
        actionItems: Array.from({ length: n }, (_, i) => ({ organizationId: orgId('mirairu'), description: `課題${decision + 1}-${i + 1}`, dueOn: dues[i % 3] })),
      });
      const ids = new Set(seeded.map((x) => x.id));
      for (const a of d.actionItems) if (!ids.has(a.id) && a.organization.id === orgId('mirairu')) seeded.push({ id: a.id, dueOn: a.dueOn, decision });
    }
    await call(desk, 'POST', `/api/meetings/sessions/${s.id}/decisions`, { text: '他機関の分', actionItems: [{ organizationId: orgId('soreiyu'), description: '別の機関の課題', dueOn: '2026-06-01' }] });
    assert.equal(seeded.length, 55);
    const mirairu = await as('mirairu');
    const closed = new Set<string>();
    for (const x of seeded.filter((_, i) => i % 9 === 0)) {
      await call(mirairu, 'POST', `/api/meetings/action-items/${x.id}/complete`, { version: 1 }, 200);
      closed.add(x.id);
    }
    const expected = [...seeded].sort((a, b) => Number(closed.has(a.id)) - Number(closed.has(b.id)) || a.dueOn.localeCompare(b.dueOn) || a.decision - b.decision || (a.id < b.id ? -1 : 1));

    const first = await call(mirairu, 'GET', '/api/meetings/action-items?status=all');
    assert.equal(first.items.length, 50, 'fifty to a page unless asked otherwise');
    assert.ok(first.nextCursor);
    const all = await walk(mirairu, '/api/meetings/action-items?status=all&limit=7');
    assert.deepEqual(all.items.map((a) => a.id), expected.map((x) => x.id), 'each once, in the queue’s order, across pages');
    const overdue = expected.filter((x) => !closed.has(x.id) && x.dueOn < '2026-06-10').length;
    assert.ok(overdue > 7, 'more overdue items than one page holds');
    assert.ok(all.pages.every((p) => p.total === 55 && p.overdue === overdue), 'totals count every page, not this one');

    const open = await walk(mirairu, '/api/meetings/action-items?limit=6');
    assert.deepEqual(open.items.map((a) => a.id), expected.filter((x) => !closed.has(x.id)).map((x) => x.id), 'the status filter holds on every page');
    assert.ok(open.pages.every((p) => p.total === 55 - closed.size && p.overdue === overdue), 'totals count every page, not this one');
    assert.ok(open.items.slice(0, overdue).every((a) => a.overdue), 'overdue ones first');

    // the coordinator's view of every organisation pages too, and keeps the other organisation's item
    const everyone = await walk(desk, '/api/meetings/action-items?scope=all&status=all&limit=20');
    assert.equal(new Set(everyone.items.map((a) => a.id)).size, everyone.items.length);
    assert.ok(everyone.items.some((a) => a.description === '別の機関の課題'));
    assert.equal(everyone.items.length, everyone.pages[0].total);

    await forged(mirairu, '/api/meetings/action-items?cursor=bm90LWEtY3Vyc29y');
    await forged(mirairu, `/api/meetings/action-items?cursor=${(await call(desk, 'GET', '/api/meetings/sessions?limit=1')).nextCursor}`);
    clock.set(new Date('2026-06-10T01:00:00Z'));
  });

  test('sessions page by start time, the same start ordered by id, within the date range and series asked for', async () => {
    clock.set(new Date('2026-06-10T01:00:00Z'));
    const desk = await as('welfare-desk', 'hub_coordinator');
    const made: { id: string; startsAt: string; series: { id: string } }[] = [];
    for (const [date, start] of [['2028-03-02', '10:00'], ['2028-03-01', '14:00'], ['2028-03-01', '10:00'], ['2028-03-03', '10:00'], ['2028-03-01', '14:00'], ['2028-03-02', '10:00']] as const) {
      made.push(await session(desk, COORDINATION, date, start));
      made.push(await session(desk, SUPPORT_MEETING, date, start));
    }
    await session(desk, COORDINATION, '2028-04-01'); // outside the range
    const byStart = (a: { startsAt: string; id: string }, b: { startsAt: string; id: string }) => a.startsAt.localeCompare(b.startsAt) || (a.id < b.id ? -1 : 1);

    const march = await walk(desk, '/api/meetings/sessions?from=2028-03-01&to=2028-03-31&limit=5');
    assert.equal(march.pages.length, 3);
    assert.deepEqual(march.items.map((x) => x.id), [...made].sort(byStart).map((x) => x.id));
    const one = await walk(desk, `/api/meetings/sessions?from=2028-03-01&to=2028-03-31&seriesId=${SUPPORT_MEETING}&limit=2`);
    assert.deepEqual(one.items.map((x) => x.id), made.filter((x) => x.series.id === SUPPORT_MEETING).sort(byStart).map((x) => x.id));
    await forged(desk, '/api/meetings/sessions?cursor=WyIyMDI4LTAzLTAxIiwieCJd');
  });
});
