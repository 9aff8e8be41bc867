import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, MUSASHINO_ID, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { deliverOutbox, enqueueMessage, fileSender, type MessageSender } from './service.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-01T01:00:00Z');

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db, clock);
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

describe('message outbox and alerts', () => {
  test('an alert to the privacy officer role reaches each officer in the app and by the sender, once; others never see it', async () => {
    const officer = await buildUser(t.db, { org: 'livelihood-welfare-section', role: 'privacy_officer', clock });
    const staff = await buildUser(t.db, { org: 'soreiyu', role: 'org_staff', clock });
    const id = await enqueueMessage(t.db, clock, { municipalityId: MUSASHINO_ID, kind: 'test', toRole: 'privacy_officer', subject: '緊急閲覧がありました', body: '確認してください' });

    const h = (await signInAs(app, officer.login)).headers;
    const inbox = (await app.inject({ method: 'GET', url: '/api/alerts?unread=true', headers: h })).json();
    assert.deepEqual(inbox.items.map((m: { id: string }) => m.id), [id]);
    const other = (await signInAs(app, staff.login)).headers;
    assert.equal((await app.inject({ method: 'GET', url: '/api/alerts', headers: other })).json().items.length, 0);
    assert.equal((await app.inject({ method: 'POST', url: `/api/alerts/${id}/read`, headers: other })).statusCode, 404);

    assert.equal((await app.inject({ method: 'POST', url: `/api/alerts/${id}/read`, headers: h })).statusCode, 204);
    assert.equal((await app.inject({ method: 'GET', url: '/api/alerts?unread=true', headers: h })).json().items.length, 0);

    const dir = mkdtempSync(join(tmpdir(), 'tsunagu-outbox-'));
    const sender = fileSender(dir);
    assert.deepEqual(await deliverOutbox({ db: t.db, clock }, sender), { sent: 1, failed: 0 });
    assert.deepEqual(await deliverOutbox({ db: t.db, clock }, sender), { sent: 0, failed: 0 });
    const lines = readFileSync(sender.file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.deepEqual(lines[0].to, [officer.login]);
  });

  test('a sender that fails leaves the message to the next run, with the error recorded', async () => {
    const id = await enqueueMessage(t.db, clock, { municipalityId: MUSASHINO_ID, kind: 'test', toRole: 'privacy_officer', subject: 's', body: 'b' });
    const broken: MessageSender = { send: async () => { throw new Error('SMTP server unreachable'); } };
    assert.deepEqual(await deliverOutbox({ db: t.db, clock }, broken), { sent: 0, failed: 1 });
    const row = (await t.db.query<{ last_error: string; sent_at: Date | null }>('SELECT last_error, sent_at FROM message_outbox WHERE id = $1', [id])).rows[0];
    assert.equal(row.sent_at, null);
    assert.match(row.last_error, /unreachable/);
    const sent: string[] = [];
    assert.deepEqual(await deliverOutbox({ db: t.db, clock }, { send: async (m) => { sent.push(m.id); } }), { sent: 1, failed: 0 });
    assert.deepEqual(sent, [id]);
  });

  test('the inbox pages newest first through every alert once, the unread count over all pages, the unread filter on each page', async () => {
    const officer = await buildUser(t.db, { org: 'livelihood-welfare-section', role: 'auditor', clock });
    const other = await buildUser(t.db, { org: 'livelihood-welfare-section', role: 'auditor', clock });
    const sent: { id: string; at: string }[] = [];
    for (let i = 0; i < 57; i++) {
      // three at each moment, to the person or to their role, so the id orders alerts of the same time
      const at = new Date(Date.UTC(2026, 5, 1, 2, Math.floor(i / 3)));
      const to = i % 2 ? { toUserId: officer.id } : { toRole: 'auditor' as const };
      sent.push({ id: await enqueueMessage(t.db, new FakeClock(at.toISOString()), { municipalityId: MUSASHINO_ID, kind: 'test', ...to, subject: `お知らせ${i}`, body: 'b' }), at: at.toISOString() });
    }
    await enqueueMessage(t.db, clock, { municipalityId: MUSASHINO_ID, kind: 'test', toUserId: other.id, subject: '別の人宛て', body: 'b' });
    const h = (await signInAs(app, officer.login)).headers;
    const read = sent.filter((_, i) => i % 5 === 0);
    for (const m of read) assert.equal((await app.inject({ method: 'POST', url: `/api/alerts/${m.id}/read`, headers: h })).statusCode, 204);
    const newestFirst = [...sent].sort((a, b) => b.at.localeCompare(a.at) || (a.id < b.id ? 1 : -1)).map((m) => m.id);

    const walk = async (url: string) => {
      const pages: { items: { id: string; readAt: string | null }[]; nextCursor: string | null; unread: number }[] = [];
      let cursor: string | null = null;
      do {
        const res: { statusCode: number; body: string; json(): never } = await app.inject({ method: 'GET', url: `${url}${cursor ? `&cursor=${cursor}` : ''}`, headers: h });
        assert.equal(res.statusCode, 200, res.body);
        pages.push(res.json());
        cursor = pages.at(-1)!.nextCursor;
      } while (cursor);
      return { ids: pages.flatMap((p) => p.items.map((m) => m.id)), pages };
    };
    const first = (await app.inject({ method: 'GET', url: '/api/alerts', headers: h })).json();
    assert.equal(first.items.length, 50, 'fifty to a page unless asked otherwise');
    const all = await walk('/api/alerts?limit=8');
    assert.deepEqual(all.ids, newestFirst, 'each once, newest first, across pages');
    assert.ok(all.pages.every((p) => p.unread === sent.length - read.length), 'the unread count is of every alert, not of the page');
    const unread = await walk('/api/alerts?unread=true&limit=8');
    assert.deepEqual(unread.ids, newestFirst.filter((id) => !read.some((m) => m.id === id)));
    assert.ok(unread.pages.every((p) => p.items.every((m) => m.readAt === null)));

    const forged = await app.inject({ method: 'GET', url: `/api/alerts?cursor=${Buffer.from('["2026-06-01T02:00:00.000Z","1 OR 1=1"]').toString('base64url')}`, headers: h });
    assert.equal(forged.statusCode, 400);
    assert.equal(forged.json().fields[0].field, 'cursor');
  });

  test('すべて既読 reads every alert up to the newest one shown; what comes after stays unread, and a later time is not taken on trust', async () => {
    const staff = await buildUser(t.db, { org: 'livelihood-welfare-section', role: 'system_admin', clock });
    const colleague = await buildUser(t.db, { org: 'livelihood-welfare-section', role: 'system_admin', clock });
    const at = (minute: number) => new FakeClock(new Date(Date.UTC(2026, 4, 31, 0, minute)).toISOString());
    const ids = [];
    for (let i = 0; i < 4; i++)
      ids.push(await enqueueMessage(t.db, at(i), { municipalityId: MUSASHINO_ID, kind: 'test', ...(i % 2 ? { toUserId: staff.id } : { toRole: 'system_admin' as const }), subject: `管理${i}`, body: 'b' }));
    const h = (await signInAs(app, staff.login)).headers;
    const inbox = async (headers = h) => (await app.inject({ method: 'GET', url: '/api/alerts', headers })).json();
    assert.equal((await app.inject({ method: 'POST', url: `/api/alerts/${ids[0]}/read`, headers: h })).statusCode, 204);
    const shown = await inbox();
    assert.equal(shown.unread, 3);

    const readAll = await app.inject({ method: 'POST', url: '/api/alerts/read-all', headers: h, payload: { through: shown.items[0].createdAt } });
    assert.equal(readAll.statusCode, 200, readAll.body);
    assert.equal(readAll.json().unread, 0);
    const after = await inbox();
    assert.equal(after.unread, 0);
    assert.ok(after.items.every((m: { readAt: string | null }) => m.readAt !== null));
    assert.equal((await app.inject({ method: 'GET', url: '/api/alerts?unread=true', headers: h })).json().items.length, 0);
    // the role's alerts are still unread for a colleague with the same role
    assert.equal((await inbox((await signInAs(app, colleague.login)).headers)).unread, 2);

    const later = await enqueueMessage(t.db, at(10), { municipalityId: MUSASHINO_ID, kind: 'test', toRole: 'system_admin', subject: '後から', body: 'b' });
    const now = await inbox();
    assert.equal(now.unread, 1);
    assert.deepEqual(now.items.filter((m: { readAt: string | null }) => m.readAt === null).map((m: { id: string }) => m.id), [later]);
    // an earlier boundary does not undo a later one
    await app.inject({ method: 'POST', url: '/api/alerts/read-all', headers: h, payload: { through: '2026-05-30T00:00:00Z' } });
    assert.equal((await inbox()).unread, 1);

    // a boundary in the future counts only what exists now
    assert.equal((await app.inject({ method: 'POST', url: '/api/alerts/read-all', headers: h, payload: { through: '2099-01-01T00:00:00Z' } })).json().unread, 0);
    await enqueueMessage(t.db, new FakeClock('2026-06-01T02:00:00Z'), { municipalityId: MUSASHINO_ID, kind: 'test', toUserId: staff.id, subject: '押した後に届いた', body: 'b' });
    assert.equal((await inbox()).unread, 1);

    const bad = await app.inject({ method: 'POST', url: '/api/alerts/read-all', headers: h, payload: { through: '昨日' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().fields[0].field, 'through');
  });
});
