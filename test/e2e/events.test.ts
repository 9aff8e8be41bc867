import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { migrate } from '../../src/db/migrate.ts';
import { buildApp, type App } from '../../src/http/app.ts';
import type { BaseApp } from '../../src/http/base.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { buildPublicApp } from '../../src/modules/public/app.ts';
import { httpLink } from '../../src/modules/public/linkClient.ts';
import { ARTIFACTS, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { createTestDb, engine, type TestDb } from '../helpers/db.ts';
import { buildUser, importMusashino, MUSASHINO_ID, orgId, programId, signInAs, TEST_PASSWORD, testConfig } from '../helpers/factories.ts';

const skip = browserUnavailable();
const SECRET = 'e2e-pull-secret-events-0123456789-abcdefghijk';

/**
 * Events across the two sides: the staff side publishes the lecture, a
 * resident registers on the public side running apart, the staff side pulls
 * the count; a wide-area UX女子会 records attendance from three municipalities.
 */
describe('events: a resident registers; the organiser sees the count; wide-area attendance without names', { skip: skip ?? false }, () => {
  let staffDb: TestDb;
  let publicDb: TestDb;
  let staff: App;
  let pub: BaseApp;
  let publicBase: string;
  let staffBase: string;
  let browser: Browser;
  let login: string;

  before(async () => {
    staffDb = await createTestDb();
    await importMusashino(staffDb.db);
    publicDb = await createTestDb({ migrate: false });
    await migrate(publicDb.db, { modules: ['public'] });
    pub = await buildPublicApp({ db: publicDb.db, clock: systemClock, config: testConfig(), linkSecret: SECRET });
    publicBase = await pub.listen({ port: 0, host: '127.0.0.1' });
    staff = await buildApp({ db: staffDb.db, clock: systemClock, config: testConfig(), role: 'staff', link: httpLink(publicBase, SECRET) });
    staffBase = await staff.listen({ port: 0, host: '127.0.0.1' });
    login = (await buildUser(staffDb.db, { org: 'livelihood-welfare-section', role: 'hub_coordinator' })).login;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await staff?.close();
    await pub?.close();
    await staffDb?.close();
    await publicDb?.close();
  });

  async function page(width = 1280): Promise<Page> {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width, height: 900 } });
    return context.newPage();
  }
  async function signIn(p: Page) {
    await p.goto(`${staffBase}/login`);
    await p.getByLabel('ログインID').fill(login);
    await p.getByLabel('パスワード').fill(TEST_PASSWORD);
    await p.getByRole('button', { name: 'ログイン', exact: true }).click();
    await p.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
  }

  test('a resident registers for the public lecture on the public page and the organiser sees the count', async () => {
    const { headers } = await signInAs(staff, login);
    const start = new Date(Date.now() + 14 * 86_400_000);
    const created = await staff.inject({
      method: 'POST', url: '/api/events', headers,
      payload: {
        programId: programId('public-lecture'), kind: 'public_lecture', title: 'ひきこもり講演会（市民向け）', startsAt: start.toISOString(),
        endsAt: new Date(start.getTime() + 2 * 3_600_000).toISOString(), place: '武蔵野スイングホール', online: false, capacity: 80,
        organizerOrgIds: [orgId('livelihood-welfare-section')], published: true,
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    await staff.publishPublicSnapshot();

    const resident = await page(390);
    await resident.goto(`${publicBase}/public/events`);
    await resident.getByRole('heading', { level: 2, name: 'ひきこもり講演会（市民向け）' }).waitFor();
    await resident.getByRole('button', { name: '申し込む' }).first().click();
    await resident.getByLabel('ニックネーム').fill('みどり');
    await resident.getByLabel('メールアドレス').fill('midori@example.jp');
    await resident.getByLabel('お住まいの自治体（任意）').fill('武蔵野市');
    await resident.locator('form[aria-labelledby="register-title"] button[type="submit"]').click();
    const code = (await resident.getByTestId('cancel-code').textContent({ timeout: 30_000 }))?.trim() ?? '';
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await resident.screenshot({ path: `${ARTIFACTS}events-registered-${engine}.png`, fullPage: true });

    // the staff side pulls counts (never the registrant) and the organiser sees them
    assert.equal(await staff.pullEventCounts(), 1);
    const organiser = await page();
    await signIn(organiser);
    await organiser.goto(`${staffBase}/events`);
    const row = organiser.locator(`tr[data-event-id="${created.json().id}"]`);
    await row.waitFor();
    assert.equal((await row.getByTestId('registered').textContent())?.trim(), '1');
    assert.ok(!((await organiser.textContent('body')) ?? '').includes('midori@example.jp'));
  });

  test('a wide-area UX女子会 session records attendance from three municipalities; the figures suppress small counts', async () => {
    const { headers } = await signInAs(staff, login);
    const created = await staff.inject({
      method: 'POST', url: '/api/events', headers,
      payload: {
        programId: programId('ux-joshikai'), kind: 'peer_group', title: 'ひきこもりUX女子会', startsAt: '2026-06-20T04:00:00Z', endsAt: '2026-06-20T06:00:00Z',
        place: null, online: true, organizerOrgIds: [orgId('livelihood-welfare-section')], published: false,
        coMunicipalities: [{ municipalityId: null, name: '三鷹市' }, { municipalityId: null, name: '小金井市' }],
      },
    });
    assert.equal(created.statusCode, 201, created.body);
    const p = await page();
    await signIn(p);
    await p.goto(`${staffBase}/events`);
    const row = p.locator(`tr[data-event-id="${created.json().id}"]`);
    await row.getByRole('button', { name: '参加者数' }).click();
    await p.getByLabel('開催日').fill('2026-06-20');
    const rows: [string, string, string][] = [['武蔵野市', '5', '2'], ['三鷹市', '4', '1'], ['小金井市', '1', '1']];
    for (let i = 0; i < rows.length; i++) {
      if (i > 0) await p.getByRole('button', { name: '行を追加' }).click();
      await p.locator(`input[name="from-${i}"]`).fill(rows[i][0]);
      await p.locator(`input[name="came-${i}"]`).fill(rows[i][1]);
      await p.locator(`input[name="first-${i}"]`).fill(rows[i][2]);
    }
    await p.getByRole('button', { name: '参加者数を保存' }).click();
    const figures = p.getByTestId('attendance-figures');
    await figures.getByRole('rowheader', { name: '小金井市' }).waitFor();
    const text = (name: string) => figures.getByRole('row', { name: new RegExp(`^${name}`) }).textContent();
    assert.match((await text('武蔵野市')) ?? '', /武蔵野市5<3/);
    // 10 − 5 − 4 would give 小金井市's 1 away: 三鷹市's 4 is hidden too
    assert.match((await text('三鷹市')) ?? '', /三鷹市—<3/);
    assert.match((await text('小金井市')) ?? '', /小金井市<3<3/);
    assert.match((await text('合計')) ?? '', /合計104/);
    await p.screenshot({ path: `${ARTIFACTS}events-attendance-${engine}.png`, fullPage: true });
  });

  test('the events list and a place’s drop-in days page apart: each its own pager and its own page in the address', async () => {
    // 51 unpublished events in 2025 and 55 opening days of みらいる's drop-in place
    await staffDb.db.query(
      `INSERT INTO program_event (municipality_id, id, kind, title, starts_at, ends_at, online, created_at)
       SELECT $1, gen_random_uuid(), 'supporters_exchange', '支援者交流会 ' || i, timestamptz '2025-01-06T01:00:00Z' + i * interval '1 day',
         timestamptz '2025-01-06T03:00:00Z' + i * interval '1 day', true, now() FROM generate_series(1, 51) i`, [MUSASHINO_ID]);
    await staffDb.db.query(
      `INSERT INTO drop_in_day (municipality_id, id, program_id, day, visitors, first_timers, recorded_at)
       SELECT $1, gen_random_uuid(), $2, date '2025-04-01' + i, 3, 0, now() FROM generate_series(1, 55) i`, [MUSASHINO_ID, programId('mirairu-drop-in')]);
    const { rows: [{ events, days }] } = await staffDb.db.query<{ events: number; days: number }>(
      `SELECT (SELECT count(*)::int FROM program_event WHERE municipality_id = $1) AS events,
              (SELECT count(*)::int FROM drop_in_day WHERE municipality_id = $1 AND program_id = $2) AS days`, [MUSASHINO_ID, programId('mirairu-drop-in')]);
    const p = await page();
    await signIn(p);
    await p.goto(`${staffBase}/events`);
    const rowsOf = (testid: string, n: number) => p.waitForFunction(([id, n]) => document.querySelectorAll(`[data-testid=${id}] tbody tr`).length === n, [testid, n] as const);
    await p.getByRole('region', { name: '居場所の開所日' }).getByRole('combobox').filter({ has: p.getByRole('option', { name: 'みらいる 居場所' }) })
      .selectOption({ label: 'みらいる 居場所' });
    await rowsOf('events-table', 50);
    await rowsOf('drop-in-days', 50);

    await p.getByRole('navigation', { name: '開所日のページ' }).getByRole('link', { name: '次へ' }).click();
    await p.waitForURL(/dayCursor=/);
    await rowsOf('drop-in-days', days - 50);
    await rowsOf('events-table', 50);
    await p.getByRole('navigation', { name: '催しの一覧のページ' }).getByRole('link', { name: '次へ' }).click();
    await p.waitForURL(/[?&]cursor=.*dayCursor=|dayCursor=.*[?&]cursor=/);
    await rowsOf('events-table', events - 50);
    await rowsOf('drop-in-days', days - 50);
    await p.screenshot({ path: `${ARTIFACTS}events-pages-${engine}.png`, fullPage: true });
  });
});
