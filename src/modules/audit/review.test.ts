import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import {
  buildTestApp, buildUser, HOSHINO_CODE, importHoshino, importMusashino, MUSASHINO_ID, orgId, signInAs, TEST_TOTP_SECRET,
} from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import type { Actor } from '../../lib/context.ts';
import { municipalityId } from '../../lib/ids.ts';
import { currentCode } from '../auth/mfa.ts';
import { mergePersons, openCase } from '../cases/service.ts';
import { eventsToCsv, neutraliseFormula, type ReviewedEvent } from './review.ts';
import { recordAudit, type AuditEntry } from './service.ts';
import { ACCESSED_RECORDS_SQL } from './subjects.ts';

let t: TestDb;
let app: App;
// the app's clock stays put (sessions stay fresh); crafted events carry their own times
const appClock = new FakeClock('2026-06-01T01:00:00Z');
const HOSHINO_ID = municipalityId(HOSHINO_CODE);
type H = Record<string, string>;

let officer: H;
let auditor: H;
let hoshinoOfficer: H;
const staff: Record<'a' | 'b' | 'c', Actor> = {} as never;
let hub: Actor;
const persons: Record<string, { personId: string; caseId: string }> = {};

const actorFor = (u: { id: string; login: string }, org: string, role: string, mid = MUSASHINO_ID): Actor =>
  ({ userId: u.id, login: u.login, municipalityId: mid, organizationId: orgId(org), role });

/** Records an audit event as `who` at a Japan local time ('2026-05-07T10:00'). */
async function at(jst: string, who: Actor, entry: AuditEntry) {
  await recordAudit(t.db, new FakeClock(`${jst}:00+09:00`), who, entry);
}

async function signIn(org: string, role: 'privacy_officer' | 'auditor' | 'org_staff' | 'hub_coordinator' | 'system_admin', code?: string) {
  const u = await buildUser(t.db, { org, role, clock: appClock, code });
  return { user: u, headers: (await signInAs(app, u.login)).headers };
}

const get = (h: H, url: string) => app.inject({ method: 'GET', url, headers: h });
const ok = async (h: H, url: string) => {
  const res = await get(h, url);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db, appClock);
  await importHoshino(t.db, appClock);
  app = await buildTestApp(t.db, { clock: appClock });
  officer = (await signIn('livelihood-welfare-section', 'privacy_officer')).headers;
  auditor = (await signIn('livelihood-welfare-section', 'auditor')).headers;
  hoshinoOfficer = (await signIn('shakyo-window', 'privacy_officer', HOSHINO_CODE)).headers;
  for (const k of ['a', 'b', 'c'] as const) staff[k] = actorFor(await buildUser(t.db, { org: 'welfare-desk', role: 'org_staff', login: `staff-${k}` }), 'welfare-desk', 'org_staff');
  hub = actorFor(await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', login: 'hub-review' }), 'welfare-desk', 'hub_coordinator');
  for (const [key, name, kana] of [['p1', '山田 太郎', 'やまだ たろう'], ['p2', '佐藤 花子', 'さとう はなこ'], ['p3', '鈴木 一郎', 'すずき いちろう'], ['p4', '高橋 二郎', 'たかはし じろう'], ['p5', '田中 三郎', 'たなか さぶろう'], ['p6', '伊藤 四郎', 'いとう しろう'], ['dup', '山田 太朗', 'やまだ たろう']]) {
    const c = await openCase({ db: t.db, clock: appClock }, hub, { person: { name, nameKana: kana } });
    persons[key] = { personId: c.person!.id, caseId: c.id };
  }
  // May 2026: 4–6 are public holidays (みどりの日, こどもの日, 振替休日), 9 is a Saturday, 7 a Thursday
  const { a, b, c } = staff;
  // staff a: four case reads on Thursday — passes 3 events a day
  for (const [i, p] of ['p1', 'p2', 'p3', 'p4'].entries())
    await at(`2026-05-07T10:0${i}`, a, { action: 'case.read', entityType: 'support_case', entityId: persons[p].caseId, reason: 'case work' });
  // staff b: one list that returned twelve records — passes 10 records a day
  await at('2026-05-07T11:00', b, { action: 'case.list', entityType: 'support_case', reason: 'case list', details: { count: 12, ids: [persons.p3.caseId] } });
  // staff c: exactly at the thresholds (3 reads, 10 records), plus writes and a denied read, which are not reads
  await at('2026-05-07T09:00', c, { action: 'person.search', entityType: 'person', reason: 'search', details: { query: '田中', count: 8, ids: [persons.p5.personId] } });
  await at('2026-05-07T09:05', c, { action: 'person.read', entityType: 'person', entityId: persons.p5.personId, reason: 'case work', details: { sensitive: true } });
  await at('2026-05-07T09:06', c, { action: 'case.read', entityType: 'support_case', entityId: persons.p5.caseId, reason: 'case work' });
  for (let i = 0; i < 5; i++) await at(`2026-05-07T09:1${i}`, c, { action: 'contact_record.create', entityType: 'contact_record', entityId: crypto.randomUUID(), reason: 'case work', details: { caseId: persons.p5.caseId } });
  await at('2026-05-07T09:30', c, { action: 'case.read', entityType: 'support_case', entityId: persons.p6.caseId, outcome: 'denied', reason: 'no access' });
  // out of hours
  await at('2026-05-07T20:00', a, { action: 'person.read', entityType: 'person', entityId: persons.p1.personId, reason: 'case work' });
  await at('2026-05-08T08:29', b, { action: 'case.read', entityType: 'support_case', entityId: persons.p2.caseId, reason: 'case work' });
  await at('2026-05-08T08:30', c, { action: 'case.read', entityType: 'support_case', entityId: persons.p2.caseId, reason: 'case work' });
  await at('2026-05-08T17:15', c, { action: 'case.read', entityType: 'support_case', entityId: persons.p2.caseId, reason: 'case work' });
  await at('2026-05-04T10:00', b, { action: 'case.read', entityType: 'support_case', entityId: persons.p4.caseId, reason: 'case work' });
  await at('2026-05-09T11:00', a, { action: 'case.read', entityType: 'support_case', entityId: persons.p4.caseId, reason: 'case work', details: { sensitive: true } });
  // break-the-glass: one closed after 45 minutes, one still open, one before the period
  await at('2026-05-08T10:00', b, { action: 'break_glass.start', entityType: 'support_case', entityId: persons.p6.caseId, reason: '緊急: 本人と連絡が取れない' });
  await at('2026-05-08T10:30', a, { action: 'break_glass.end', entityType: 'support_case', entityId: persons.p6.caseId });
  await at('2026-05-08T10:45', b, { action: 'break_glass.end', entityType: 'support_case', entityId: persons.p6.caseId });
  await at('2026-05-08T14:00', a, { action: 'break_glass.start', entityType: 'support_case', entityId: persons.p1.caseId, reason: '夜間の安否確認' });
  await at('2026-04-20T14:00', a, { action: 'break_glass.start', entityType: 'support_case', entityId: persons.p3.caseId, reason: '前月' });
  // another municipality's event: never shown to Musashino
  const hoshinoStaff = await buildUser(t.db, { org: 'shakyo-window', role: 'org_staff', code: HOSHINO_CODE, login: 'hoshino-staff' });
  await at('2026-05-07T10:00', { ...actorFor(hoshinoStaff, 'shakyo-window', 'org_staff', HOSHINO_ID), organizationId: null }, { action: 'case.read', entityType: 'support_case', entityId: crypto.randomUUID(), reason: 'case work', details: { sensitive: true } });

  const put = await app.inject({ method: 'PUT', url: '/api/privacy/settings', headers: officer, payload: { review: { bulkEventsPerDay: 3, bulkRecordsPerDay: 10 } } });
  assert.equal(put.statusCode, 200, put.body);
});
after(async () => {
  await app?.close();
  await t?.close();
});

const MAY = 'from=2026-05-01&to=2026-05-31';
const logins = (items: { user: { login: string | null } }[]) => items.map((i) => i.user.login);

describe('who may review the audit', () => {
  const urls = [`/api/audit/events?${MAY}`, `/api/audit/reports/bulk-reads?${MAY}`, `/api/audit/reports/out-of-hours?${MAY}`, `/api/audit/reports/break-glass?${MAY}`,
    `/api/audit/export?${MAY}`, '/api/privacy/settings'];
  for (const [org, role] of [['welfare-desk', 'org_staff'], ['welfare-desk', 'hub_coordinator'], ['livelihood-welfare-section', 'system_admin']] as const) {
    test(`${role} is refused every review route (403)`, async () => {
      const { headers } = await signIn(org, role);
      for (const url of urls) assert.equal((await get(headers, url)).statusCode, 403, url);
      const u = await buildUser(t.db, { role: 'org_staff' });
      assert.equal((await get(headers, `/api/audit/accessed-persons?userId=${u.id}&from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z`)).statusCode, 403);
    });
  }

  test('the privacy officer and the auditor may review; only the privacy officer changes the settings', async () => {
    for (const h of [officer, auditor]) for (const url of urls.filter((u) => !u.includes('export'))) assert.equal((await get(h, url)).statusCode, 200, url);
    const put = await app.inject({ method: 'PUT', url: '/api/privacy/settings', headers: auditor, payload: { review: { bulkEventsPerDay: 1 } } });
    assert.equal(put.statusCode, 403);
  });

  test('another municipality’s events never appear, whatever the filter', async () => {
    const mine = await ok(officer, `/api/audit/events?${MAY}&limit=200`);
    assert.ok(!logins(mine.items).includes('hoshino-staff'));
    const theirs = await ok(hoshinoOfficer, `/api/audit/events?${MAY}&limit=200`);
    assert.deepEqual(logins(theirs.items.filter((e: ReviewedEvent) => e.action === 'case.read')), ['hoshino-staff']);
    assert.ok(!logins(theirs.items).some((l: string | null) => l?.startsWith('staff-')));
    assert.deepEqual((await ok(hoshinoOfficer, `/api/audit/events?personId=${persons.p1.personId}`)).items.filter((e: ReviewedEvent) => e.action !== 'audit.review'), []);
    assert.deepEqual((await ok(hoshinoOfficer, `/api/audit/events?userId=${staff.a.userId}`)).items.filter((e: ReviewedEvent) => e.action !== 'audit.review'), []);
    const sensitive = await ok(officer, `/api/audit/events?${MAY}&sensitive=true`);
    assert.ok(!logins(sensitive.items).includes('hoshino-staff'));
    assert.equal((await ok(hoshinoOfficer, `/api/audit/reports/out-of-hours?${MAY}`)).items.length, 0);
  });
});

describe('the events, filtered', () => {
  test('by user, organisation, action prefix, outcome, entity and period', async () => {
    const byUser = await ok(officer, `/api/audit/events?${MAY}&userId=${staff.a.userId}&limit=200`);
    assert.ok(byUser.items.length >= 6 && byUser.items.every((e: ReviewedEvent) => e.user.login === 'staff-a'));
    const byLogin = await ok(officer, `/api/audit/events?${MAY}&login=STAFF-A&limit=200`);
    assert.equal(byLogin.items.length, byUser.items.length, 'login matches without regard to case');
    const byOrg = await ok(officer, `/api/audit/events?${MAY}&organizationId=${orgId('welfare-desk')}&limit=200`);
    assert.ok(byOrg.items.length > 0 && byOrg.items.every((e: ReviewedEvent) => e.organization?.id === orgId('welfare-desk') && e.organization.name));
    const breakGlass = await ok(officer, `/api/audit/events?${MAY}&action=break_glass.`);
    assert.equal(breakGlass.items.length, 4, 'the April start is outside the period');
    assert.ok(breakGlass.items.every((e: ReviewedEvent) => e.action.startsWith('break_glass.')));
    const denied = await ok(officer, `/api/audit/events?${MAY}&outcome=denied`);
    assert.deepEqual(denied.items.map((e: ReviewedEvent) => [e.user.login, e.entityId]), [['staff-c', persons.p6.caseId]]);
    const entity = await ok(officer, `/api/audit/events?${MAY}&entityType=support_case&entityId=${persons.p2.caseId}`);
    assert.deepEqual(entity.items.map((e: ReviewedEvent) => e.user.login).sort(), ['staff-a', 'staff-b', 'staff-c', 'staff-c']);
    const oneDay = await ok(officer, `/api/audit/events?from=2026-05-09&to=2026-05-09`);
    assert.deepEqual(oneDay.items.map((e: ReviewedEvent) => e.action), ['case.read'], 'Saturday 9 May, Japan time');
    const bad = await get(officer, '/api/audit/events?from=2026-05-09&to=2026-05-01');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().fields[0].field, 'to');
  });

  test('about a person: their record, their cases and the lists and searches that returned them', async () => {
    const p5 = await ok(officer, `/api/audit/events?${MAY}&personId=${persons.p5.personId}&limit=200`);
    assert.deepEqual(p5.items.map((e: ReviewedEvent) => e.action).sort(),
      ['case.read', 'contact_record.create', 'contact_record.create', 'contact_record.create', 'contact_record.create', 'contact_record.create', 'person.read', 'person.search']);
    const p3 = await ok(officer, `/api/audit/events?${MAY}&personId=${persons.p3.personId}`);
    assert.deepEqual(p3.items.map((e: ReviewedEvent) => [e.user.login, e.action]).sort(), [['staff-a', 'case.read'], ['staff-b', 'case.list']], 'the list returned their case; the April break-glass is outside the period');
    const p6 = await ok(officer, `/api/audit/events?${MAY}&personId=${persons.p6.personId}&outcome=denied`);
    assert.equal(p6.items.length, 1);
  });

  test('pages are keyset pages: every event once, newest first', async () => {
    const all = await ok(officer, `/api/audit/events?${MAY}&userId=${staff.c.userId}&limit=200`);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: ReviewedEvent[]; nextCursor: string | null } = await ok(officer, `/api/audit/events?${MAY}&userId=${staff.c.userId}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, all.items.map((e: ReviewedEvent) => e.id));
    assert.equal(new Set(seen).size, seen.length);
    const times = all.items.map((e: ReviewedEvent) => Date.parse(e.occurredAt as unknown as string));
    assert.deepEqual(times, [...times].sort((x, y) => y - x));
    assert.equal((await get(officer, `/api/audit/events?cursor=nonsense`)).statusCode, 400);
  });

  test('reading the audit is itself audited, with the filters', async () => {
    await ok(auditor, `/api/audit/events?${MAY}&action=case.&outcome=denied`);
    const { rows } = await t.db.query<{ role: string; details: { report: string; filters: Record<string, string> } }>(
      `SELECT role, details FROM audit_event WHERE action = 'audit.review' ORDER BY seq DESC LIMIT 1`);
    assert.equal(rows[0].role, 'auditor');
    assert.deepEqual(rows[0].details.filters, { from: '2026-05-01', to: '2026-05-31', action: 'case.', outcome: 'denied' });
    await ok(officer, `/api/audit/reports/out-of-hours?${MAY}`);
    const last = await t.db.query<{ details: { report: string } }>(`SELECT details FROM audit_event WHERE action = 'audit.review' ORDER BY seq DESC LIMIT 1`);
    assert.equal(last.rows[0].details.report, 'out_of_hours');
  });
});

describe('reports', () => {
  test('bulk reads: passing the events or the records threshold in a day, and not at it', async () => {
    const r = await ok(officer, `/api/audit/reports/bulk-reads?${MAY}`);
    assert.deepEqual(r.thresholds, { eventsPerDay: 3, recordsPerDay: 10 });
    assert.deepEqual(r.items.map((i: { user: { login: string }; day: string; exceeded: string[] }) => [i.user.login, i.day, i.exceeded]),
      [['staff-a', '2026-05-07', ['events']], ['staff-b', '2026-05-07', ['records']]]);
    const a = r.items.find((i: { user: { login: string } }) => i.user.login === 'staff-a');
    assert.equal(a.events, 5, 'four case reads and an evening read');
    assert.equal(r.items.find((i: { user: { login: string } }) => i.user.login === 'staff-b').records, 12);
    // staff c read 3 times and got 8 + 1 + 1 = 10 records: at the thresholds, not over them
    const lower = await ok(officer, `/api/audit/reports/bulk-reads?${MAY}&eventsPerDay=2&recordsPerDay=100`);
    assert.deepEqual(lower.items.map((i: { user: { login: string } }) => i.user.login), ['staff-a', 'staff-c']);
  });

  test('out of hours: before 8:30 and from 17:15, weekends and public holidays, in Japan time', async () => {
    const r = await ok(officer, `/api/audit/reports/out-of-hours?${MAY}`);
    assert.deepEqual(r.workday, { start: '08:30', end: '17:15' });
    const rows = r.items.filter((i: { user: { login: string } }) => i.user.login.startsWith('staff-'))
      .map((i: { user: { login: string }; day: string; kind: string; holidayName: string | null; events: number }) => [i.day, i.user.login, i.kind, i.holidayName, i.events]);
    assert.deepEqual(rows, [
      ['2026-05-04', 'staff-b', 'holiday', 'みどりの日', 1],
      ['2026-05-07', 'staff-a', 'outside_hours', null, 1],
      ['2026-05-08', 'staff-b', 'outside_hours', null, 1],
      ['2026-05-08', 'staff-c', 'outside_hours', null, 1],
      ['2026-05-09', 'staff-a', 'weekend', null, 1],
    ]);
    const c = r.items.find((i: { user: { login: string }; day: string }) => i.user.login === 'staff-c' && i.day === '2026-05-08');
    assert.equal(c.firstAt, '2026-05-08T08:15:00.000Z', 'the 17:15 read; the 8:30 one is within hours');
  });

  test('break-the-glass: start and end paired per user and case, with duration and reason', async () => {
    const r = await ok(officer, `/api/audit/reports/break-glass?${MAY}`);
    assert.deepEqual(r.items.map((i: { user: { login: string }; caseId: string; minutes: number | null; reason: string; endedAt: string | null; reviewClosed: boolean | null }) =>
      [i.user.login, i.caseId, i.minutes, i.reason, i.reviewClosed]), [
      ['staff-b', persons.p6.caseId, 45, '緊急: 本人と連絡が取れない', null],
      ['staff-a', persons.p1.caseId, null, '夜間の安否確認', null],
    ]);
    assert.deepEqual((await ok(officer, '/api/audit/reports/break-glass?from=2026-03-01&to=2026-03-31')).items, []);
  });

  test('要配慮 access and denied attempts', async () => {
    const sensitive = await ok(officer, `/api/audit/events?${MAY}&sensitive=true`);
    assert.deepEqual(sensitive.items.map((e: ReviewedEvent) => [e.user.login, e.action]), [['staff-a', 'case.read'], ['staff-c', 'person.read']]);
    const denied = await ok(officer, `/api/audit/events?${MAY}&outcome=denied`);
    assert.ok(denied.items.every((e: ReviewedEvent) => e.outcome === 'denied'));
  });

  test('a report needs a period of at most a year', async () => {
    const missing = await get(officer, '/api/audit/reports/bulk-reads?from=2026-05-01');
    assert.equal(missing.statusCode, 400);
    const long = await get(officer, '/api/audit/reports/out-of-hours?from=2025-01-01&to=2026-05-01');
    assert.equal(long.statusCode, 400);
    assert.equal(long.json().fields[0].field, 'to');
  });
});

describe('CSV export', () => {
  test('cells that a spreadsheet would run as formulas are made text', () => {
    assert.equal(neutraliseFormula('=1+2'), "'=1+2");
    assert.equal(neutraliseFormula('+81 3'), "'+81 3");
    assert.equal(neutraliseFormula('-1'), "'-1");
    assert.equal(neutraliseFormula('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(neutraliseFormula('山田'), '山田');
    const csv = eventsToCsv([{
      seq: 1, id: '00000000-0000-0000-0000-000000000001', occurredAt: new Date('2026-05-07T01:00:00Z'), user: { id: null, login: 'x' }, organization: null,
      role: null, action: 'person.search', entityType: null, entityId: null, reason: '=HYPERLINK("http://evil.example","開く")', outcome: 'success',
      ip: null, requestId: null, details: { query: '山田, 太郎\n次の行' },
    }], true);
    assert.ok(csv.startsWith('\uFEFF日時,ログインID,'));
    assert.ok(csv.includes(`"'=HYPERLINK(""http://evil.example"",""開く"")"`), csv);
    assert.ok(csv.includes('"{""query"":""山田, 太郎\\n次の行""}"'), 'JSON escapes the newline; the comma is quoted');
    assert.ok(csv.includes('2026-05-07 10:00:00'), 'Japan time');
    assert.ok(csv.endsWith('\r\n'));
  });

  test('needs a recent second factor, then gives UTF-8 with BOM and is audited', async () => {
    const refused = await get(officer, `/api/audit/export?${MAY}`);
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'step_up_required');
    const up = await app.inject({ method: 'POST', url: '/api/session/step-up', headers: officer, payload: { code: currentCode(TEST_TOTP_SECRET, appClock.now()) } });
    assert.equal(up.statusCode, 204, up.body);
    const res = await get(officer, `/api/audit/export?${MAY}`);
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
    assert.match(res.headers['content-disposition'] as string, /attachment; filename="audit-2026-05-01-2026-05-31\.csv"/);
    const body = res.rawPayload.toString('utf8');
    assert.ok(body.startsWith('\uFEFF'));
    const lines = body.trimEnd().split('\r\n');
    assert.ok(lines.some((l) => l.includes('staff-c') && l.includes('denied')));
    assert.ok(!body.includes('hoshino-staff'));
    const { rows } = await t.db.query<{ details: { rows: number; filters: object } }>(`SELECT details FROM audit_event WHERE action = 'audit.export' ORDER BY seq DESC LIMIT 1`);
    assert.equal(rows[0].details.rows, lines.length - 1);
    assert.deepEqual(rows[0].details.filters, { from: '2026-05-01', to: '2026-05-31' });
  });

  test('per person, without a period', async () => {
    const res = await get(officer, `/api/audit/export?personId=${persons.p3.personId}`);
    assert.equal(res.statusCode, 200, res.body);
    const lines = res.rawPayload.toString('utf8').trimEnd().split('\r\n').slice(1);
    assert.ok(lines.some((l) => l.includes('case.list')) && lines.some((l) => l.includes('break_glass.start')));
    assert.ok(!lines.some((l) => l.includes(persons.p1.caseId)));
    assert.equal((await get(officer, '/api/audit/export?from=2026-05-01')).statusCode, 400, 'a period needs both ends');
  });
});

describe('whose records an account read', () => {
  test('persons from reads, lists, searches and records of their cases, within the window only', async () => {
    const d = actorFor(await buildUser(t.db, { org: 'welfare-desk', role: 'org_staff', login: 'staff-d' }), 'welfare-desk', 'org_staff');
    const consultation = crypto.randomUUID();
    await at('2026-05-12T09:59', d, { action: 'person.read', entityType: 'person', entityId: persons.p6.personId, reason: 'before the window' });
    await at('2026-05-12T10:00', d, { action: 'person.read', entityType: 'person', entityId: persons.p1.personId, reason: 'case work' });
    await at('2026-05-12T10:01', d, { action: 'case.read', entityType: 'support_case', entityId: persons.p2.caseId, reason: 'case work' });
    await at('2026-05-12T10:02', d, { action: 'case.list', entityType: 'support_case', reason: 'case list', details: { count: 2, ids: [persons.p3.caseId, persons.p2.caseId] } });
    await at('2026-05-12T10:03', d, { action: 'person.search', entityType: 'person', reason: 'search', details: { query: '高橋', count: 1, ids: [persons.p4.personId] } });
    await at('2026-05-12T10:04', d, { action: 'contact_record.list', entityType: 'support_case', entityId: persons.p5.caseId, reason: 'case work', details: { count: 3 } });
    await at('2026-05-12T10:05', d, { action: 'consultation.read', entityType: 'consultation', entityId: consultation, reason: 'triage' });
    await at('2026-05-12T10:06', d, { action: 'case.read', entityType: 'support_case', entityId: persons.p6.caseId, outcome: 'denied', reason: 'no access' });
    await at('2026-05-12T10:07', d, { action: 'person.read', entityType: 'person', entityId: persons.dup.personId, reason: 'case work' });
    await at('2026-05-12T10:08', staff.a, { action: 'person.read', entityType: 'person', entityId: persons.p6.personId, reason: 'another account' });
    await at('2026-05-12T12:00', d, { action: 'person.read', entityType: 'person', entityId: persons.p6.personId, reason: 'after the window' });
    // the duplicate is merged into p1: its read is p1's now
    await mergePersons({ db: t.db, clock: appClock }, hub, persons.p1.personId, persons.dup.personId);

    const r = await ok(officer, `/api/audit/accessed-persons?userId=${d.userId}&from=2026-05-12T01:00:00Z&to=2026-05-12T02:00:00Z`);
    const byId = new Map(r.persons.map((p: { personId: string }) => [p.personId, p]));
    assert.deepEqual([...byId.keys()].sort(), [persons.p1.personId, persons.p2.personId, persons.p3.personId, persons.p4.personId, persons.p5.personId].sort());
    assert.deepEqual(byId.get(persons.p1.personId), { personId: persons.p1.personId, name: '山田 太郎', nameKana: 'やまだ たろう', records: 2, accesses: 2, firstAt: '2026-05-12T01:00:00.000Z', lastAt: '2026-05-12T01:07:00.000Z' });
    assert.equal((byId.get(persons.p2.personId) as { accesses: number }).accesses, 2, 'read once, listed once');
    assert.deepEqual(r.unresolved, [{ entityType: 'consultation', records: 1 }], 'a consultation that is no case names no person');
    const audited = await t.db.query<{ details: { report: string; ids: string[] } }>(`SELECT details FROM audit_event WHERE action = 'audit.review' ORDER BY seq DESC LIMIT 1`);
    assert.equal(audited.rows[0].details.report, 'accessed_persons');
    assert.equal(audited.rows[0].details.ids.length, 5);
    const other = await ok(hoshinoOfficer, `/api/audit/accessed-persons?userId=${d.userId}&from=2026-05-12T01:00:00Z&to=2026-05-12T02:00:00Z`);
    assert.deepEqual(other.persons, [], 'another municipality sees none of it');
  });

  test('the query is served by the (municipality, actor, time) index', async () => {
    // enough events of many accounts that a scan would cost more than the index
    const fakeMunicipality = crypto.randomUUID();
    await t.db.query(
      `INSERT INTO audit_event (municipality_id, seq, id, occurred_at, actor_user_id, action, entity_type, entity_id, outcome, details, prev_hash, hash)
       SELECT $1, g, gen_random_uuid(), timestamptz '2026-01-01' + g * interval '1 minute', ('00000000-0000-0000-0000-' || lpad((g % 500)::text, 12, '0'))::uuid,
              'case.read', 'support_case', gen_random_uuid()::text, 'success', '{}'::jsonb, 'x', 'x'
       FROM generate_series(1, 30000) g`, [fakeMunicipality]);
    await t.db.query('ANALYZE audit_event');
    const { rows } = await t.db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${ACCESSED_RECORDS_SQL}`,
      [fakeMunicipality, '00000000-0000-0000-0000-000000000007', new Date('2026-01-02'), new Date('2026-01-03'), ['person', 'support_case']]);
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    assert.match(plan, /audit_event_by_municipality_actor/, plan);
  });
});
