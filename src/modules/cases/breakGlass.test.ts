import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, HOSHINO_CODE, importHoshino, importMusashino, MUSASHINO_ID, orgId, signInAs, TEST_TOTP_SECRET } from '../../../test/helpers/factories.ts';
import { assertCursorRefused, rowsOfEveryPage, walkPages } from '../../../test/helpers/walkPages.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { currentCode } from '../auth/mfa.ts';
import { endExpiredBreakGlass, normalizeCaseReference } from './breakGlass.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-01T01:00:00Z');
type H = Record<string, string>;

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db, clock);
  await importHoshino(t.db, clock);
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

const as = async (org: string, role: 'hub_coordinator' | 'org_staff' | 'privacy_officer'): Promise<H> =>
  (await signInAs(app, (await buildUser(t.db, { org, role, clock })).login, undefined, clock)).headers;
const req = (h: H, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => app.inject({ method, url, headers: h, payload });
const stepUp = async (h: H) => assert.equal((await req(h, 'POST', '/api/session/step-up', { code: currentCode(TEST_TOTP_SECRET, clock.now()) })).statusCode, 204);
const actions = async (caseId: string) =>
  (await t.db.query<{ action: string; reason: string | null }>('SELECT action, reason FROM audit_event WHERE entity_id = $1 ORDER BY seq', [caseId])).rows;

describe('break-the-glass', () => {
  test('after the code again and with a reason, one case opens read-only for two hours; the officer is alerted and reviews it', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = (await req(desk, 'POST', '/api/cases', { person: { name: '緊急 一郎', nameKana: 'きんきゅう いちろう' } })).json();
    const nurseUser = await buildUser(t.db, { org: 'home-visit-nursing-station', role: 'org_staff', clock });
    let nurse = (await signInAs(app, nurseUser.login, undefined, clock)).headers;
    assert.equal((await req(nurse, 'GET', `/api/cases/${c.id}`)).statusCode, 404);

    const reason = '訪問先で本人が倒れており、既往歴と連絡先の確認が必要';
    const refused = await req(nurse, 'POST', `/api/cases/${c.id}/break-glass`, { reason });
    assert.equal(refused.json().code, 'step_up_required');
    await stepUp(nurse);
    assert.equal((await req(nurse, 'POST', `/api/cases/${c.id}/break-glass`, { reason: '緊急' })).statusCode, 400, 'a reason of a word is not enough');
    const use = await req(nurse, 'POST', `/api/cases/${c.id}/break-glass`, { reason });
    assert.equal(use.statusCode, 201, use.body);

    const seen = await req(nurse, 'GET', `/api/cases/${c.id}`);
    assert.equal(seen.statusCode, 200);
    assert.equal(seen.json().person.name, '緊急 一郎');
    // read-only: writing is still refused
    const write = await req(nurse, 'POST', `/api/cases/${c.id}/contact-records`, { occurredAt: clock.now().toISOString(), kind: 'home_visit', notes: '訪問' });
    assert.ok(write.statusCode >= 400 && write.statusCode < 500);
    assert.deepEqual((await actions(c.id)).filter((a) => a.action.startsWith('break_glass') || a.reason === 'break-the-glass').map((a) => a.action),
      ['break_glass.start', 'case.read']);
    const alert = await t.db.query<{ body: string }>("SELECT body FROM message_outbox WHERE kind = 'break_glass' AND entity_id = $1", [use.json().id]);
    assert.equal(alert.rows.length, 1);
    assert.ok(!alert.rows[0].body.includes('緊急 一郎'), 'no personal data in the alert');

    // the hub already sees the case: nothing to break
    await stepUp(desk);
    assert.equal((await req(desk, 'POST', `/api/cases/${c.id}/break-glass`, { reason })).statusCode, 409);

    clock.advance(121 * 60_000);
    nurse = (await signInAs(app, nurseUser.login, undefined, clock)).headers;
    assert.equal((await req(nurse, 'GET', `/api/cases/${c.id}`)).statusCode, 404, 'the time limit closes it again');
    assert.equal(await endExpiredBreakGlass({ db: t.db, clock }), 1);
    assert.equal(await endExpiredBreakGlass({ db: t.db, clock }), 0);
    assert.ok((await actions(c.id)).some((a) => a.action === 'break_glass.end' && a.reason === 'time limit reached'));

    const officer = await as('livelihood-welfare-section', 'privacy_officer');

    const open = (await req(officer, 'GET', '/api/break-glass?openReview=true')).json().items;
    assert.deepEqual(open.map((u: { id: string }) => u.id), [use.json().id]);
    assert.equal(open[0].reason, reason);
    assert.equal((await req(nurse, 'GET', '/api/break-glass')).statusCode, 403);
    const closed = await req(officer, 'POST', `/api/break-glass/${use.json().id}/review`, { finding: '救急搬送に伴う確認で、必要な範囲の閲覧だった' });
    assert.equal(closed.statusCode, 200, closed.body);
    assert.equal((await req(officer, 'GET', '/api/break-glass?openReview=true')).json().items.length, 0);
    assert.equal((await req(officer, 'POST', `/api/break-glass/${use.json().id}/review`, { finding: '二度目' })).statusCode, 404);
  });

  test('its user may end it early; the end is audited once', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = (await req(desk, 'POST', '/api/cases', { person: { name: '早期 終了' } })).json();
    const staff = await as('soreiyu', 'org_staff');
    await stepUp(staff);
    const use = (await req(staff, 'POST', `/api/cases/${c.id}/break-glass`, { reason: '夜間に家族から緊急の連絡があったため' })).json();
    assert.equal((await req(staff, 'POST', `/api/break-glass/${use.id}/end`)).statusCode, 204);
    assert.equal((await req(staff, 'POST', `/api/break-glass/${use.id}/end`)).statusCode, 404);
    assert.equal((await req(staff, 'GET', `/api/cases/${c.id}`)).statusCode, 404);
    assert.equal((await actions(c.id)).filter((a) => a.action === 'break_glass.end').length, 1);
  });
  test('staff start it by the case number they were told; who has not given the code again learns nothing about which numbers exist', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = (await req(desk, 'POST', '/api/cases', { person: { name: '番号 花子', phone: '0422-00-0000' } })).json();
    const staff = await as('soreiyu', 'org_staff');
    const reason = '本人の家族から深夜に緊急の連絡があったため';

    const unknown = c.reference.replace(/\d{5}$/, '99999');
    for (const caseReference of [c.reference, unknown]) {
      const refused = await req(staff, 'POST', '/api/break-glass', { caseReference, reason });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.json().code, 'step_up_required', 'the same refusal whether or not the case exists');
    }
    await stepUp(staff);

    const empty = await req(staff, 'POST', '/api/break-glass', { caseReference: '　', reason: '短い' });
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(empty.json().fields.map((f: { field: string }) => f.field).sort(), ['caseReference', 'reason']);
    const missing = await req(staff, 'POST', '/api/break-glass', { caseReference: unknown, reason });
    const byId = await req(staff, 'POST', '/api/cases/00000000-0000-4000-8000-000000000000/break-glass', { reason });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error, byId.json().error, 'an unknown number reads as an unknown case');

    // typed as staff might: full-width, lower case, the IME's long dash
    const typed = c.reference.toLowerCase().replace(/[0-9a-z]/g, (ch: string) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0)).replace('-', 'ー');
    assert.equal(normalizeCaseReference(typed), c.reference);
    const use = await req(staff, 'POST', '/api/break-glass', { caseReference: ` ${typed} `, reason });
    assert.equal(use.statusCode, 201, use.body);
    assert.equal(use.json().caseId, c.id);
    assert.equal(use.json().caseReference, c.reference);
    assert.equal((await req(staff, 'GET', `/api/cases/${c.id}`)).json().person.name, '番号 花子');
    assert.ok((await actions(c.id)).some((a) => a.action === 'break_glass.start' && a.reason === reason));

    // the person's details (how to reach them) open with the case, read only, and the read says why
    const person = await req(staff, 'GET', `/api/persons/${c.person.id}`);
    assert.equal(person.statusCode, 200, person.body);
    assert.equal(person.json().phone, '0422-00-0000');
    assert.deepEqual(await actions(c.person.id), [{ action: 'person.read', reason: 'break-the-glass' }]);
    const patch = await app.inject({ method: 'PATCH', url: `/api/persons/${c.person.id}`, headers: staff, payload: { version: person.json().version, name: '変更' } });
    assert.equal(patch.statusCode, 404, 'nothing can be changed');
    assert.equal((await req(staff, 'POST', `/api/break-glass/${use.json().id}/end`)).statusCode, 204);
    assert.equal((await req(staff, 'GET', `/api/persons/${c.person.id}`)).statusCode, 404, 'ended, the person closes again');

    await stepUp(desk);
    assert.equal((await req(desk, 'POST', '/api/break-glass', { caseReference: c.reference, reason })).statusCode, 409, 'the hub sees it already');

    // the number is looked up in the user's own municipality only
    const elsewhere = (await signInAs(app, (await buildUser(t.db, { org: 'shakyo-window', role: 'org_staff', code: HOSHINO_CODE, clock })).login, undefined, clock)).headers;
    await stepUp(elsewhere);
    assert.equal((await req(elsewhere, 'POST', '/api/break-glass', { caseReference: c.reference, reason })).statusCode, 404);
  });

  test('the officer pages through every use, those still to review first, then the newest first; the totals count every page', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = (await req(desk, 'POST', '/api/cases', { person: { name: '頁 送る' } })).json();
    const user = await buildUser(t.db, { org: 'soreiyu', role: 'org_staff', clock });
    // 65 uses over 13 days, five starting at the same moment each day; one in four still to review
    await t.db.query(
      `INSERT INTO break_glass (municipality_id, id, case_id, user_id, organization_id, reason, started_at, expires_at, ended_at, reviewed_at, review_finding)
       SELECT $1, gen_random_uuid(), $2, $3, $4, '夜間に家族から緊急の連絡があったため', at, at + interval '2 hours', at + interval '2 hours',
              CASE WHEN g % 4 <> 0 THEN at + interval '1 day' END, CASE WHEN g % 4 <> 0 THEN '必要な範囲の閲覧だった' END
       FROM (SELECT g, timestamptz '2026-04-01T00:00:00Z' + (g / 5) * interval '1 day' AS at FROM generate_series(0, 64) g) s`,
      [MUSASHINO_ID, c.id, user.id, orgId('soreiyu')]);
    const officer = await as('livelihood-welfare-section', 'privacy_officer');
    type Listed = { items: { id: string; startedAt: string; reviewedAt: string | null }[]; nextCursor: string | null; total: number; openReviews: number };
    const stillOpen = (u: { reviewedAt: unknown }) => u.reviewedAt === null;
    const inReviewOrder = (a: { reviewedAt: unknown; startedAt: string; id: string }, b: typeof a) =>
      Number(stillOpen(b)) - Number(stillOpen(a)) || b.startedAt.localeCompare(a.startedAt) || b.id.localeCompare(a.id);

    const pages = await walkPages<Listed>(app, officer, '/api/break-glass?limit=7');
    const uses = await rowsOfEveryPage(t.db, 'break_glass', MUSASHINO_ID, pages, 7);
    assert.ok(uses.length > 65);
    assert.deepEqual(uses.map((u) => u.id), [...uses].sort(inReviewOrder).map((u) => u.id), 'those still to review first, then the newest first, ties by id');
    const open = uses.filter(stillOpen).length;
    assert.ok(open >= 17 && open < uses.length);
    for (const p of pages) assert.deepEqual([p.total, p.openReviews], [uses.length, open], 'the totals count every page, on every page');

    const first: Listed = (await req(officer, 'GET', '/api/break-glass')).json();
    assert.equal(first.items.length, 50, 'fifty to a page unless asked');
    assert.ok(first.nextCursor);

    const openPages = await walkPages<Listed>(app, officer, '/api/break-glass?openReview=true&limit=4');
    assert.ok(openPages.length > 4);
    assert.deepEqual(openPages.flatMap((p) => p.items).map((u) => u.id), uses.filter(stillOpen).map((u) => u.id), 'only those still to review, on every page');
    assert.deepEqual([openPages[0]!.total, openPages[0]!.openReviews], [open, open]);

    await assertCursorRefused(app, officer, '/api/break-glass');
    assert.equal((await req(officer, 'GET', '/api/break-glass?limit=201')).statusCode, 400);
    const hoshino = (await signInAs(app, (await buildUser(t.db, { org: 'shakyo-window', role: 'privacy_officer', code: HOSHINO_CODE, clock })).login, undefined, clock)).headers;
    assert.deepEqual((await req(hoshino, 'GET', '/api/break-glass')).json(), { items: [], nextCursor: null, total: 0, openReviews: 0 }, 'another municipality sees none');
  });
});
