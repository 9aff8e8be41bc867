import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, meetingSeriesId, MUSASHINO_ID, orgId, programId, signInAs, TEST_SHARE_BASIS } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { outreachContactRecords, outreachFigures, visitDue } from './outreach.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-10T01:00:00Z');
type H = Record<string, string>;
const OUTREACH = programId('mental-health-outreach');

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

async function as(org: string, role: 'hub_coordinator' | 'org_staff' = 'org_staff', sensitive = true): Promise<H> {
  return (await signInAs(app, (await buildUser(t.db, { org, role, clock, sensitive })).login, undefined, clock)).headers;
}

const call = async (headers: H, method: 'GET' | 'POST', url: string, payload?: unknown, status = method === 'POST' ? 201 : 200) => {
  const res = await app.inject({ method, url, headers, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res.json();
};

const visit = (enrolmentId: string, visitedOn: string, met: string, stage: string, whatHappened: string) => ({
  enrolmentId, visitedOn, visitors: [{ organizationId: orgId('home-visit-nursing-station'), profession: '看護師' }, { organizationId: orgId('health-section'), profession: '保健師' }],
  durationMinutes: 40, place: met === 'person' ? 'home' : 'door', met, whatHappened, stage,
});

describe('outreach visits are due on the plan', () => {
  for (const [name, e, today, overdue] of [
    ['no visit yet, within the interval', { enrolledOn: '2026-06-01', lastVisitOn: null, intervalDays: 14 }, '2026-06-15', false],
    ['no visit yet, past the interval', { enrolledOn: '2026-06-01', lastVisitOn: null, intervalDays: 14 }, '2026-06-16', true],
    ['visited, then quiet for longer than the plan', { enrolledOn: '2026-04-01', lastVisitOn: '2026-05-01', intervalDays: 30 }, '2026-06-01', true],
  ] as const) test(name, () => assert.equal(visitDue(e, today).overdue, overdue));
});

describe('mental-health outreach (精神保健アウトリーチ支援事業)', () => {
  test('the desk enrols a person with consent; the station visits three times; the stage moves; the access matrix holds; overdue outreach reaches the queue and the 支援調整会議 agenda; ending hands over by referral', async () => {
    clock.set('2026-06-10T01:00:00Z');
    const desk = await as('welfare-desk');
    const c = await call(desk, 'POST', '/api/cases', { person: { name: '訪問 太郎', nameKana: 'ほうもん たろう', birthDate: '1980-05-05' } });

    // a consent naming another organisation is not enough: the station that visits must be named
    const wrong = await call(desk, 'POST', `/api/cases/${c.id}/consents`, { givenOn: '2026-06-09', scope: '訪問支援', method: 'written', organizationIds: [orgId('soreiyu')] });
    const bad = await call(desk, 'POST', `/api/programs/${OUTREACH}/enrolments`, { caseId: c.id, legalBasis: { basis: 'consent', consentId: wrong.id }, intervalDays: 14 }, 400);
    assert.equal(bad.fields[0].field, 'legalBasis.consentId');
    const consent = await call(desk, 'POST', `/api/cases/${c.id}/consents`, {
      givenOn: '2026-06-09', scope: '精神保健アウトリーチ', method: 'written', organizationIds: [orgId('home-visit-nursing-station'), orgId('health-section')],
    });

    // an organisation that does not own the program cannot enrol (refused before the case is looked up)
    await call(await as('self-reliance-agency'), 'POST', `/api/programs/${OUTREACH}/enrolments`, { caseId: c.id, legalBasis: TEST_SHARE_BASIS, intervalDays: 14 }, 403);
    // a program that is not outreach is not found here
    await call(desk, 'POST', `/api/programs/${programId('youth-support')}/enrolments`, { caseId: c.id, legalBasis: TEST_SHARE_BASIS, intervalDays: 14 }, 404);

    const e = await call(desk, 'POST', `/api/programs/${OUTREACH}/enrolments`, { caseId: c.id, legalBasis: { basis: 'consent', consentId: consent.id }, intervalDays: 14, nextVisitOn: '2026-06-12' });
    assert.equal(e.stage, 'no_contact');
    assert.equal(e.plan.intervalDays, 14);
    await call(desk, 'POST', `/api/programs/${OUTREACH}/enrolments`, { caseId: c.id, legalBasis: TEST_SHARE_BASIS, intervalDays: 14 }, 409);
    const participants = (await call(desk, 'GET', `/api/cases/${c.id}`)).participants.map((p: { organization: { id: string } }) => p.organization.id);
    for (const o of ['disability-welfare-section', 'health-section', 'home-visit-nursing-station']) assert.ok(participants.includes(orgId(o)), `${o} takes part in the case`);

    // the commissioned station's nurse records three visits: family only → family only → meets the visitor
    clock.set('2026-06-12T06:00:00Z');
    let nurse = await as('home-visit-nursing-station');
    const v1 = await call(nurse, 'POST', '/api/outreach-visits', visit(e.id, '2026-06-12', 'family_only', 'family_contact', '母親と玄関先で話した。本人は部屋から出てこない。'));
    clock.set('2026-06-26T06:00:00Z');
    nurse = await as('home-visit-nursing-station');
    await call(nurse, 'POST', '/api/outreach-visits', visit(e.id, '2026-06-26', 'family_only', 'family_contact', '母親に手紙を託した。'));
    clock.set('2026-07-08T06:00:00Z');
    nurse = await as('home-visit-nursing-station');
    const deskNow = await as('welfare-desk');
    await call(nurse, 'POST', '/api/outreach-visits', { ...visit(e.id, '2026-07-08', 'person', 'meets_visitor', '本人が居間に出てきて5分ほど話せた。'), nextVisitOn: '2026-07-22' });
    await call(nurse, 'POST', '/api/outreach-visits', visit(e.id, '2026-07-09', 'person', 'meets_visitor', '未来'), 400);
    const now = await call(nurse, 'GET', `/api/programs/enrolments/${e.id}`);
    assert.equal(now.stage, 'meets_visitor');
    assert.equal(now.lastVisitOn, '2026-07-08');
    assert.equal(now.plan.nextVisitOn, '2026-07-22');
    assert.equal(now.overdue, false);
    const timeline = (await call(deskNow, 'GET', `/api/cases/${c.id}/timeline`)).items;
    assert.equal(timeline.filter((x: { kind: string }) => x.kind === 'outreach_visit').length, 3);
    assert.ok(timeline.some((x: { summary: string }) => x.summary.includes('訪問者と会える')), 'the desk with the grant reads the stage on the timeline');

    // access matrix for visit records
    const items = async (h: H, status = 200) => {
      const res = await app.inject({ method: 'GET', url: `/api/outreach-visits?caseId=${c.id}`, headers: h });
      assert.equal(res.statusCode, status, res.body);
      return status === 200 ? res.json().items : null;
    };
    const full = await items(deskNow);
    assert.deepEqual(full.map((v: { stage: string }) => v.stage), ['family_contact', 'family_contact', 'meets_visitor']);
    assert.equal(full[2].whatHappened, '本人が居間に出てきて5分ほど話せた。');
    assert.equal((await items(nurse)).length, 3, 'the station, consented, sees all visits');
    assert.equal((await items(await as('welfare-desk', 'hub_coordinator'))).length, 3, 'the hub sees all');
    // a participant the consent does not name (障害者福祉課): only what its own organisation recorded, and no stage
    const disability = await as('disability-welfare-section');
    assert.deepEqual(await items(disability), []);
    await call(disability, 'GET', `/api/outreach-visits/${v1.id}`, undefined, 404);
    const queueRow = (await call(disability, 'GET', `/api/programs/${OUTREACH}/enrolments`)).items.find((x: { id: string }) => x.id === e.id);
    assert.ok(queueRow, 'an owner sees the enrolment in its queue');
    assert.equal(queueRow.stage, undefined, 'without the consent naming it, no stage');
    // without the 要配慮 grant: the visits, but none of their sensitive fields
    const plain = await items(await as('home-visit-nursing-station', 'org_staff', false));
    assert.equal(plain.length, 3);
    for (const v of plain) for (const k of ['whatHappened', 'stage', 'met', 'place', 'visitors', 'durationMinutes']) assert.ok(!(k in v), `${k} reached a user without the grant`);
    assert.equal((await call(await as('health-section', 'org_staff', false), 'GET', `/api/programs/enrolments/${e.id}`)).stage, undefined);
    // another organisation: 404 everywhere
    const other = await as('self-reliance-agency');
    await items(other, 404);
    await call(other, 'GET', `/api/outreach-visits/${v1.id}`, undefined, 404);
    await call(other, 'GET', `/api/programs/enrolments/${e.id}`, undefined, 404);
    await call(other, 'GET', `/api/cases/${c.id}/outreach-enrolments`, undefined, 404);
    await call(other, 'GET', `/api/programs/${OUTREACH}/enrolments`, undefined, 404);
    await call(other, 'POST', '/api/outreach-visits', visit(e.id, '2026-07-08', 'nobody', 'meets_visitor', 'x'), 404);

    // no visit for longer than the plan: the queue and the next 支援調整会議 show it
    clock.set('2026-07-30T01:00:00Z');
    const overdue = (await call(await as('home-visit-nursing-station'), 'GET', `/api/programs/${OUTREACH}/enrolments?overdue=true`)).items;
    assert.deepEqual(overdue.map((x: { id: string }) => x.id), [e.id]);
    assert.equal(overdue[0].dueBy, '2026-07-22');
    const hub = await as('welfare-desk', 'hub_coordinator');
    const session = await call(hub, 'POST', '/api/meetings/sessions', { seriesId: meetingSeriesId('support-coordination-meeting'), date: '2026-08-05', start: '14:00', minutes: 90 });
    const proposals = (await call(hub, 'GET', `/api/meetings/sessions/${session.id}/proposals`)).items;
    const mine = proposals.find((p: { caseId: string }) => p.caseId === c.id);
    assert.equal(mine?.reason, 'outreach_overdue');
    assert.match(mine.reasonDetail, /2026-07-08/);
    const other_series = await call(hub, 'POST', '/api/meetings/sessions', { seriesId: meetingSeriesId('comprehensive-support-coordination-meeting'), date: '2026-08-06', start: '14:00', minutes: 90 });
    assert.ok(!(await call(hub, 'GET', `/api/meetings/sessions/${other_series.id}/proposals`)).items.some((p: { reason: string }) => p.reason === 'outreach_overdue'), 'only the series named for reviewing the program');

    // ending: the person was connected to medical care; the hand-over is a referral
    const station = await as('home-visit-nursing-station');
    const cur = await call(station, 'GET', `/api/programs/enrolments/${e.id}`);
    const ended = await call(station, 'POST', `/api/programs/enrolments/${e.id}/end`, {
      version: cur.version, destination: 'medical', note: '精神科クリニックへの通院を開始',
      referral: { toOrganizationId: orgId('health-section'), reason: '通院開始後の見守り', sharedSummary: '訪問で本人と会えるようになり、受診につながった。', urgency: 'normal', firstContactDue: '2026-08-10', legalBasis: TEST_SHARE_BASIS },
    }, 200);
    assert.equal(ended.ended.destination, 'medical');
    assert.ok(ended.ended.referralId);
    const referral = await call(station, 'GET', `/api/referrals/${ended.ended.referralId}`);
    assert.equal(referral.to.id, orgId('health-section'));
    await call(station, 'POST', '/api/outreach-visits', visit(e.id, '2026-07-30', 'person', 'connected', 'x'), 409);
    assert.deepEqual((await call(station, 'GET', `/api/programs/${OUTREACH}/enrolments?overdue=true`)).items, []);
    assert.ok((await call(hub, 'GET', `/api/cases/${c.id}/timeline`)).items.some((x: { kind: string }) => x.kind === 'outreach_ended'));

    // the fiscal year's figures for the program (令和8年度)
    const figures = await outreachFigures(t.db, MUSASHINO_ID, '2026-04-01', '2027-03-31');
    assert.equal(figures.enrolled, 1);
    assert.equal(figures.visits, 3);
    assert.equal(figures.reached.family_contact, 1);
    assert.equal(figures.reached.meets_visitor, 1);
    assert.equal(figures.ended.medical, 1);
    assert.equal((await outreachFigures(t.db, MUSASHINO_ID, '2025-04-01', '2026-03-31')).visits, 0);

    // the disclosure package (開示) holds the enrolment and every visit with its fields
    const disclosed = await outreachContactRecords(t.db, MUSASHINO_ID, [c.id]);
    assert.deepEqual(disclosed.map((x) => x.kind), ['outreach_enrolment', 'outreach_visit', 'outreach_visit', 'outreach_visit']);
    assert.match(disclosed[0].notes, /行き先: 医療/);
    assert.match(disclosed[3].notes, /本人が居間に出てきて5分ほど話せた。/);
  });
});

describe('a double-submitted enrolment', () => {
  test('answers 409 naming the enrolment already open, in Japanese when asked, also when both requests arrive at once', async () => {
    clock.set('2026-06-10T01:00:00Z');
    const desk = await as('welfare-desk');
    const enrol = (caseId: string, headers: H = desk) =>
      app.inject({ method: 'POST', url: `/api/programs/${OUTREACH}/enrolments`, headers, payload: { caseId, legalBasis: TEST_SHARE_BASIS, intervalDays: 14 } });

    const c = await call(desk, 'POST', '/api/cases', { person: { name: '二重 登録', nameKana: 'にじゅう とうろく', birthDate: '1985-02-02' } });
    const first = await enrol(c.id);
    assert.equal(first.statusCode, 201, first.body);
    const again = await enrol(c.id);
    assert.equal(again.statusCode, 409);
    assert.match(again.json().error, new RegExp(`already enrolled.*${first.json().id}.*2026-06-10`));
    const ja = await enrol(c.id, { ...desk, 'accept-language': 'ja' });
    assert.equal(ja.json().error, `この方はすでにこの事業に登録されています（登録 ${first.json().id}、令和8年6月10日から）。その登録を開いてください。`);

    const c2 = await call(desk, 'POST', '/api/cases', { person: { name: '同時 登録', nameKana: 'どうじ とうろく', birthDate: '1986-03-03' } });
    const both = await Promise.all([enrol(c2.id), enrol(c2.id)]);
    assert.deepEqual(both.map((r) => r.statusCode).sort(), [201, 409], both.map((r) => r.body).join('\n'));
    const made = both.find((r) => r.statusCode === 201)!.json();
    assert.match(both.find((r) => r.statusCode === 409)!.json().error, new RegExp(made.id));
    const open = (await call(desk, 'GET', `/api/cases/${c2.id}/outreach-enrolments`)).items;
    assert.deepEqual(open.map((x: { id: string }) => x.id), [made.id]);
  });
});
