import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, HOSHINO_CODE, importHoshino, importMusashino, MUSASHINO_ID, orgId, signInAs } from '../../../test/helpers/factories.ts';
import { assertCursorRefused, rowsOfEveryPage, walkPages } from '../../../test/helpers/walkPages.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';
import { openCase } from '../cases/service.ts';

let t: TestDb;
let app: App;
// Monday 1 June 2026, 10:00 in Japan
const clock = new FakeClock('2026-06-01T01:00:00Z');
type H = Record<string, string>;
let officer: H;
let auditor: H;
let staffHeaders: H;
let hoshinoOfficer: H;
let leaker: Actor;
const people: { personId: string; caseId: string }[] = [];

const send = async (h: H, method: 'POST' | 'PATCH' | 'DELETE' | 'GET', url: string, payload?: unknown, status = 201) => {
  const res = await app.inject({ method, url, headers: h, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, res.body);
  return res.json();
};

const incident = (over: Record<string, unknown> = {}) => ({
  title: 'USBメモリの紛失', discoveredAt: '2026-05-29T15:00:00+09:00', occurredFrom: '2026-05-28T09:00:00+09:00', occurredTo: '2026-05-29T12:00:00+09:00',
  description: '支援記録の写しを保存したUSBメモリを庁外で紛失した。', dataKinds: ['氏名', '支援記録'], sensitiveData: true, unauthorizedPurpose: false, personsCount: 3, ...over,
});

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db, clock);
  await importHoshino(t.db, clock);
  app = await buildTestApp(t.db, { clock });
  const sign = async (org: string, role: 'privacy_officer' | 'auditor' | 'org_staff', code?: string) =>
    (await signInAs(app, (await buildUser(t.db, { org, role, clock, code })).login)).headers;
  officer = await sign('livelihood-welfare-section', 'privacy_officer');
  auditor = await sign('livelihood-welfare-section', 'auditor');
  staffHeaders = await sign('welfare-desk', 'org_staff');
  hoshinoOfficer = await sign('shakyo-window', 'privacy_officer', HOSHINO_CODE);
  const hubUser = await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator' });
  const hub: Actor = { userId: hubUser.id, login: hubUser.login, municipalityId: MUSASHINO_ID, organizationId: orgId('welfare-desk'), role: 'hub_coordinator' };
  for (const [name, kana] of [['木村 一', 'きむら はじめ'], ['林 二葉', 'はやし ふたば'], ['森 三千代', 'もり みちよ']]) {
    const c = await openCase({ db: t.db, clock }, hub, { person: { name, nameKana: kana } });
    people.push({ personId: c.person!.id, caseId: c.id });
  }
  const u = await buildUser(t.db, { org: 'soreiyu', role: 'org_staff', login: 'leaker' });
  leaker = { userId: u.id, login: u.login, municipalityId: MUSASHINO_ID, organizationId: orgId('soreiyu'), role: 'org_staff' };
  // the account read two persons' cases on 28 May, one more on 30 May
  await recordAudit(t.db, new FakeClock('2026-05-28T10:00:00+09:00'), leaker, { action: 'case.read', entityType: 'support_case', entityId: people[0].caseId, reason: 'case work' });
  await recordAudit(t.db, new FakeClock('2026-05-28T10:05:00+09:00'), leaker, { action: 'case.list', entityType: 'support_case', reason: 'case list', details: { count: 1, ids: [people[1].caseId] } });
  await recordAudit(t.db, new FakeClock('2026-05-30T10:00:00+09:00'), leaker, { action: 'case.read', entityType: 'support_case', entityId: people[2].caseId, reason: 'case work' });
});
after(async () => {
  await app?.close();
  await t?.close();
});

describe('the incident register', () => {
  test('the privacy officer registers an incident; its deadlines are computed and the privacy officers alerted without personal data', async () => {
    const created = await send(officer, 'POST', '/api/incidents', incident());
    assert.match(created.reference, /^INC-2026-\d{5}$/);
    assert.equal(created.status, 'investigating');
    assert.deepEqual(created.deadlines.grounds, ['sensitive_data']);
    const [pre, fin] = created.deadlines.deadlines;
    // discovered Friday 29 May: 速報 target 1–3 June; 確報 by 28 June (a Sunday) → Monday 29 June
    assert.deepEqual([pre.from, pre.due, pre.target, pre.daysLeft], ['2026-06-01', '2026-06-03', true, 2]);
    assert.deepEqual([fin.due, fin.target, fin.daysLeft, fin.overdue], ['2026-06-29', false, 28, false]);
    const { rows } = await t.db.query<{ to_role: string; subject: string; body: string; entity_id: string }>(
      `SELECT to_role, subject, body, entity_id FROM message_outbox WHERE kind = 'privacy_incident'`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].to_role, 'privacy_officer');
    assert.equal(rows[0].entity_id, created.id);
    assert.ok(rows[0].body.includes(created.reference) && rows[0].body.includes('2026-06-29'));
    for (const text of ['USB', '支援記録の写し', '木村', '氏名']) assert.ok(!`${rows[0].subject}${rows[0].body}`.includes(text), `no ${text} in the alert`);
    const audit = await t.db.query(`SELECT 1 FROM audit_event WHERE action = 'incident.create' AND entity_id = $1`, [created.id]);
    assert.equal(audit.rows.length, 1);
  });

  test('60 days when 不正の目的 is suspected', async () => {
    const created = await send(officer, 'POST', '/api/incidents', incident({ title: '不正な持ち出しの疑い', unauthorizedPurpose: true }));
    const fin = created.deadlines.deadlines.find((d: { kind: string }) => d.kind === 'final');
    assert.equal(fin.due, '2026-07-28', '29 May + 60 days, a Tuesday');
    assert.deepEqual(created.deadlines.grounds, ['sensitive_data', 'unauthorized_purpose']);
  });

  test('a discovery after the year 9999 in Japan is refused with its field, not left computing deadlines without end', async () => {
    const refused = await send(officer, 'POST', '/api/incidents', incident({ discoveredAt: '9999-12-31T23:59:59Z' }), 400);
    assert.deepEqual(refused.fields.map((f: { field: string }) => f.field), ['discoveredAt']);
  });

  test('an incident that meets no ground shows no deadline', async () => {
    const created = await send(officer, 'POST', '/api/incidents', incident({ title: '誤送信（氏名のみ）', sensitiveData: false, personsCount: 1 }));
    assert.deepEqual(created.deadlines, { reportable: false, grounds: [], deadlines: [] });
  });

  test('who may keep and read the register', async () => {
    assert.equal((await app.inject({ method: 'POST', url: '/api/incidents', headers: auditor, payload: incident() })).statusCode, 403);
    assert.equal((await app.inject({ method: 'POST', url: '/api/incidents', headers: staffHeaders, payload: incident() })).statusCode, 403);
    assert.equal((await app.inject({ url: '/api/incidents', headers: staffHeaders })).statusCode, 403);
    const list = await send(auditor, 'GET', '/api/incidents', undefined, 200);
    assert.equal(list.items.length, 3);
    assert.deepEqual((await send(hoshinoOfficer, 'GET', '/api/incidents', undefined, 200)).items, [], 'another municipality sees none');
    assert.equal((await app.inject({ url: `/api/incidents/${list.items[0].id}`, headers: hoshinoOfficer })).statusCode, 404);
    const bad = await app.inject({ method: 'POST', url: '/api/incidents', headers: officer, payload: incident({ title: ' ', occurredFrom: '2026-05-29T00:00:00Z', occurredTo: '2026-05-28T00:00:00Z' }) });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().fields.map((f: { field: string }) => f.field).sort(), ['occurredTo', 'title']);
  });

  test('affected persons from "whose records did this account read", then notified; reports and actions recorded', async () => {
    const created = await send(officer, 'POST', '/api/incidents', incident({ title: 'アカウントの不正利用' }));
    const id = created.id;
    const lookup = await send(officer, 'GET', '/api/audit/accessed-persons?login=LEAKER&from=2026-05-28T00:00:00%2B09:00&to=2026-05-29T00:00:00%2B09:00', undefined, 200);
    assert.equal(lookup.userId, leaker.userId, 'found by login');
    const unknownLogin = await app.inject({ url: '/api/audit/accessed-persons?login=nobody&from=2026-05-28T00:00:00Z&to=2026-05-29T00:00:00Z', headers: officer });
    assert.equal(unknownLogin.statusCode, 400);
    assert.equal(unknownLogin.json().fields[0].field, 'login');
    assert.deepEqual(lookup.persons.map((p: { name: string }) => p.name).sort(), ['木村 一', '林 二葉']);

    const added = await send(officer, 'POST', `/api/incidents/${id}/persons`, { accessedBy: { userId: leaker.userId, from: '2026-05-28T00:00:00+09:00', to: '2026-05-29T00:00:00+09:00' } });
    assert.equal(added.added, 2);
    assert.deepEqual(added.persons.map((p: { name: string; source: string; held: boolean }) => [p.name, p.source, p.held]), [['木村 一', 'access_query', true], ['林 二葉', 'access_query', true]]);
    const again = await send(officer, 'POST', `/api/incidents/${id}/persons`, { personIds: [people[0].personId, people[2].personId] });
    assert.equal(again.added, 1, 'a person already listed stays as they were');
    assert.equal(again.identifiedPersons, 3);
    const unknown = await app.inject({ method: 'POST', url: `/api/incidents/${id}/persons`, headers: officer, payload: { personIds: [crypto.randomUUID()] } });
    assert.equal(unknown.statusCode, 400);
    assert.equal((await app.inject({ method: 'POST', url: `/api/incidents/${id}/persons`, headers: hoshinoOfficer, payload: { personIds: [people[0].personId] } })).statusCode, 404,
      'another municipality does not see the incident');

    const removed = await send(officer, 'DELETE', `/api/incidents/${id}/persons/${people[2].personId}`, undefined, 200);
    assert.equal(removed.identifiedPersons, 2);

    const notified = await send(officer, 'POST', `/api/incidents/${id}/notifications`, { personIds: [people[0].personId], notifiedOn: '2026-06-01', method: '郵送' });
    assert.deepEqual(notified.persons.map((p: { notifiedOn: string | null; notificationMethod: string | null }) => [p.notifiedOn, p.notificationMethod]), [['2026-06-01', '郵送'], [null, null]]);
    const notListed = await app.inject({ method: 'POST', url: `/api/incidents/${id}/notifications`, headers: officer, payload: { personIds: [people[2].personId], notifiedOn: '2026-06-01', method: '郵送' } });
    assert.equal(notListed.statusCode, 400);

    const reported = await send(officer, 'POST', `/api/incidents/${id}/reports`, { kind: 'preliminary', reportedOn: '2026-06-01', note: '電子申請で速報' });
    const pre = reported.deadlines.deadlines.find((d: { kind: string }) => d.kind === 'preliminary');
    assert.deepEqual([pre.reportedOn, pre.daysLeft, pre.overdue], ['2026-06-01', null, false]);
    assert.equal((await app.inject({ method: 'POST', url: `/api/incidents/${id}/reports`, headers: officer, payload: { kind: 'final', reportedOn: '2026-06-02' } })).statusCode, 400, 'not a future date');
    const acted = await send(officer, 'POST', `/api/incidents/${id}/actions`, { takenAt: '2026-05-29T16:00:00+09:00', description: 'アカウントを停止した' });
    assert.deepEqual(acted.actions.map((a: { description: string }) => a.description), ['アカウントを停止した']);

    const detail = await send(auditor, 'GET', `/api/incidents/${id}`, undefined, 200);
    assert.equal(detail.persons.length, 2);
    const read = await t.db.query<{ details: { ids: string[] } }>(`SELECT details FROM audit_event WHERE action = 'incident.read' AND entity_id = $1 ORDER BY seq DESC LIMIT 1`, [id]);
    assert.deepEqual(read.rows[0].details.ids.sort(), [people[0].personId, people[1].personId].sort(), 'reading the register is a read of those persons');

    const stale = await app.inject({ method: 'PATCH', url: `/api/incidents/${id}`, headers: officer, payload: { version: created.version, status: 'contained' } });
    assert.equal(stale.statusCode, 409);
    const closed = await send(officer, 'PATCH', `/api/incidents/${id}`, { version: detail.version, status: 'closed' }, 200);
    assert.equal(closed.status, 'closed');
    assert.ok(closed.closedAt);
  });

  test('the deadlines follow the settings', async () => {
    const put = await app.inject({ method: 'PUT', url: '/api/privacy/settings', headers: officer, payload: { incidentDeadlines: { finalDays: 20, rollOverClosedDays: false } } });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().incidentDeadlines.finalDaysUnauthorizedPurpose, 60, 'other figures keep their defaults');
    const created = await send(officer, 'POST', '/api/incidents', incident({ title: '設定の確認' }));
    assert.equal(created.deadlines.deadlines.find((d: { kind: string }) => d.kind === 'final').due, '2026-06-18');
    const bad = await app.inject({ method: 'PUT', url: '/api/privacy/settings', headers: officer, payload: { incidentDeadlines: { finalDaysUnauthorizedPurpose: 10 } } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().fields[0].field, 'incidentDeadlines.finalDaysUnauthorizedPurpose');
    const unknown = await app.inject({ method: 'PUT', url: '/api/privacy/settings', headers: officer, payload: { review: { workdayStart: '08:30', overtime: true } } });
    assert.equal(unknown.statusCode, 400, 'unknown keys are refused, not dropped');
    assert.equal((await app.inject({ method: 'PUT', url: '/api/privacy/settings', headers: officer, payload: { review: { workdayStart: '18:00' } } })).statusCode, 400, 'the day must end after it starts');
  });

  test('the register pages from the newest discovery back, each incident once, the status filter on every page', async () => {
    // 60 more incidents, three discovered at each moment, a third of them closed
    await t.db.query(
      `INSERT INTO privacy_incident (municipality_id, id, reference, title, discovered_at, description, sensitive_data, unauthorized_purpose, status, created_at, updated_at)
       SELECT $1, gen_random_uuid(), 'T-' || g, '誤送信 ' || g, timestamptz '2026-01-05T00:00:00Z' + (g / 3) * interval '1 day', 'FAXの誤送信', false, false,
              CASE WHEN g % 3 = 0 THEN 'closed' ELSE 'investigating' END, now(), now()
       FROM generate_series(0, 59) g`, [MUSASHINO_ID]);
    type Listed = { items: { id: string; discoveredAt: string; status: string; deadlines: { deadlines: unknown[] } }[]; nextCursor: string | null };
    const newestFirst = (a: Listed['items'][number], b: typeof a) => b.discoveredAt.localeCompare(a.discoveredAt) || b.id.localeCompare(a.id);

    const pages = await walkPages<Listed>(app, auditor, '/api/incidents?limit=6');
    const all = await rowsOfEveryPage(t.db, 'privacy_incident', MUSASHINO_ID, pages, 6);
    assert.ok(all.length > 60);
    assert.deepEqual(all.map((i) => i.id), [...all].sort(newestFirst).map((i) => i.id), 'newest discovery first, ties by id');
    assert.ok(all.some((i) => i.deadlines.deadlines.length > 0), 'the deadlines come with each page');

    const closed = (await walkPages<Listed>(app, auditor, '/api/incidents?status=closed&limit=4')).flatMap((p) => p.items);
    assert.ok(closed.length > 20);
    assert.deepEqual(closed.map((i) => i.id), all.filter((i) => i.status === 'closed').map((i) => i.id));

    const first: Listed = await send(officer, 'GET', '/api/incidents', undefined, 200);
    assert.equal(first.items.length, 50, 'fifty to a page unless asked');
    await assertCursorRefused(app, officer, '/api/incidents');
  });
});
