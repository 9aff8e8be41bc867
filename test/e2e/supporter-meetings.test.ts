/**
 * 支援者交流会・研修 in the browser (issue #12): the centre plans an exchange
 * meeting inviting Musashino and Hoshino; a Musashino hub user finds the
 * invitation in お知らせ, follows it and registers a colleague; after the
 * day the centre marks the colleague attended and sees Musashino with one
 * registered and one attended.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { systemClock } from '../../src/lib/clock.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, MUSASHINO_CODE, TOKYO_CODE } from '../helpers/factories.ts';

const skip = browserUnavailable();
const inDays = (n: number) => new Date(Date.now() + 9 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

describe('支援者交流会: invitation, registration of a colleague, attendance', { skip: skip ?? false }, () => {
  let e: E2e;
  let centre = '';
  let hub = '';

  before(async () => {
    e = await startE2e({ prefecture: true });
    centre = (await buildUser(e.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock, login: 'centre-exchange' })).login;
    hub = (await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', code: MUSASHINO_CODE, clock: systemClock, login: 'musashino-hub-exchange' })).login;
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}supporter-meetings-${name}-${engine}.png`, fullPage: true });
  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });

  test('the centre plans a 交流会 inviting Musashino and Hoshino', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await menu(page).getByRole('link', { name: '支援者交流会・研修' }).click();
    const form = page.getByRole('form', { name: '交流会・研修を登録する' });
    await form.getByLabel('種別').selectOption({ label: '支援者交流会' });
    await form.getByLabel('名称').fill('多摩地域 支援者交流会');
    await form.getByLabel('開催日').fill(inDays(14));
    await form.getByLabel('開始時刻').fill('14:00');
    await form.getByLabel('会場').fill('都庁第一本庁舎 会議室');
    await form.getByLabel('定員').fill('20');
    await form.getByLabel('申込期限').fill(inDays(7));
    await form.getByLabel('選んだ区市町村').check();
    await form.getByLabel('武蔵野市').check();
    await form.getByLabel('星野町').check();
    await form.getByRole('button', { name: '交流会・研修を登録する' }).click();
    const meeting = page.getByTestId('supporter-meeting');
    await meeting.waitFor();
    assert.match(await meeting.locator('h2').innerText(), /支援者交流会：多摩地域 支援者交流会/);
    assert.match(await meeting.innerText(), /令和\d+年\d+月\d+日/, 'the date in 和暦');
    const invitees = await meeting.getByTestId('meeting-invitees').locator('tbody tr').allInnerTexts();
    assert.deepEqual(invitees.map((r) => r.split('\t')[0].trim()), ['武蔵野市', '星野町']);
  });

  test('a Musashino hub user sees the alert, follows it and registers a colleague', async () => {
    const page = await e.newPage();
    await e.signIn(page, hub);
    await page.goto(`${e.base}/alerts`);
    const alert = page.getByTestId('alert').filter({ hasText: '多摩地域 支援者交流会' });
    await alert.waitFor();
    assert.match(await alert.innerText(), /支援者交流会のご案内/);
    await alert.getByRole('link', { name: '確認する' }).click();
    const row = page.getByTestId('supporter-meeting-row').filter({ hasText: '多摩地域 支援者交流会' });
    await row.waitFor();
    assert.match(await row.innerText(), /空き 20席（定員20名）/);
    assert.match(await row.innerText(), /受付中/);
    await row.getByRole('button', { name: /開く/ }).click();
    const form = page.getByRole('form', { name: '参加を申し込む' });
    await form.getByLabel('氏名').fill('武蔵野 花子');
    await form.getByLabel('所属（課・係）').fill('地域支援課');
    await form.getByLabel('職種・役職').fill('社会福祉士');
    await form.getByRole('button', { name: '参加を申し込む' }).click();
    await page.getByTestId('our-registrations').getByTestId('registration').filter({ hasText: '武蔵野 花子' }).waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="supporter-meeting"]')?.textContent?.includes('空き 19席'));
    await shot(page, 'registered');
  });

  test('after the day the centre marks the colleague attended: Musashino registered 1, attended 1', async () => {
    // the meeting took place: move its day into the past (the clock of a browser test is the real one)
    await e.t.db.query('UPDATE supporter_meeting SET held_on = $1, registration_deadline = $2', [inDays(-1), inDays(-3)]);
    const page = await e.newPage();
    await e.signIn(page, centre);
    await page.goto(`${e.base}/prefecture/supporter-meetings`);
    const row = page.getByTestId('supporter-meeting-row').filter({ hasText: '多摩地域 支援者交流会' });
    await row.getByRole('button', { name: /開く/ }).click();
    const meeting = page.getByTestId('supporter-meeting');
    const registrant = meeting.getByTestId('registration').filter({ hasText: '武蔵野 花子' });
    await registrant.waitFor();
    await shot(page, 'before-attendance');
    await registrant.getByRole('button', { name: /^出席/ }).click();
    const musashino = meeting.getByTestId('meeting-invitees').locator(`tr[data-invitee="${MUSASHINO_CODE}"]`);
    await page.waitForFunction((code) => {
      const cells = document.querySelectorAll(`[data-testid="meeting-invitees"] tr[data-invitee="${code}"] td`);
      return cells.length === 2 && cells[1].textContent === '1';
    }, MUSASHINO_CODE);
    assert.deepEqual((await musashino.locator('td').allInnerTexts()).map((s) => s.trim()), ['1', '1']);
    assert.match(await registrant.innerText(), /出席/);
    // the year's figures count it too
    const figures = page.getByTestId('supporter-meeting-figures').locator(`tr[data-invitee="${MUSASHINO_CODE}"]`);
    await page.waitForFunction((code) => document.querySelector(`[data-testid="supporter-meeting-figures"] tr[data-invitee="${code}"] td:nth-of-type(3)`)?.textContent === '1', MUSASHINO_CODE);
    assert.deepEqual((await figures.locator('td').allInnerTexts()).slice(0, 3), ['1', '1', '1']);
    await shot(page, 'attended');
  });
});
