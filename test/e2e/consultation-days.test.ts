/**
 * 巡回相談 in the browser (issue #12): the centre plans a consultation day in
 * Hoshino from its page; two of Hoshino's window staff open the day at the
 * same time; one books the last free session, the other tries the same
 * session and is told, in words, that it is already booked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { systemClock } from '../../src/lib/clock.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, HOSHINO_CODE, TOKYO_CODE } from '../helpers/factories.ts';

const skip = browserUnavailable();
const inDays = (n: number) => new Date(Date.now() + 9 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

describe('巡回相談: two windows and the last free session', { skip: skip ?? false }, () => {
  let e: E2e;
  let centre = '';
  let windowA = '';
  let windowB = '';

  before(async () => {
    e = await startE2e({ prefecture: true });
    centre = (await buildUser(e.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock, login: 'centre-days' })).login;
    windowA = (await buildUser(e.t.db, { org: 'welfare-section', role: 'municipal_window', code: HOSHINO_CODE, clock: systemClock, login: 'hoshino-window-a' })).login;
    windowB = (await buildUser(e.t.db, { org: 'shakyo-window', role: 'municipal_window', code: HOSHINO_CODE, clock: systemClock, login: 'hoshino-window-b' })).login;
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}consultation-days-${name}-${engine}.png`, fullPage: true });
  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });

  test('the centre plans a day of two sessions in Hoshino from its page', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await menu(page).getByRole('link', { name: '巡回相談', exact: true }).click();
    const form = page.getByRole('form', { name: '相談日を計画する' });
    await form.getByLabel('市区町村').selectOption({ label: '星野町' });
    await form.getByLabel('日付').fill(inDays(14));
    await form.getByLabel('開始時刻').fill('13:00');
    await form.getByLabel('枠の数').fill('2');
    await form.getByLabel('担当職員（読点で区切る）').fill('相談員A、相談員B');
    await form.getByRole('button', { name: '相談日を計画する' }).click();
    const day = page.getByTestId('consultation-day');
    await day.waitFor();
    assert.equal(await day.getByTestId('day-session').count(), 2);
    assert.match(await day.locator('h2').innerText(), /星野町\s*令和\d+年\d+月\d+日/, 'the date in 和暦');
  });

  test('one window books the last free session; the other, trying the same session, is told it is taken', async () => {
    const [a, b] = [await e.newPage(), await e.newPage()];
    await e.signIn(a, windowA);
    await e.signIn(b, windowB);
    for (const page of [a, b]) {
      await menu(page).getByRole('link', { name: '巡回相談の予約' }).click();
      await page.getByTestId('consultation-days').getByRole('button').first().click();
      await page.getByTestId('consultation-day').waitFor();
    }
    // window A books the first session, leaving one free; window B's page still shows both free
    const first = a.getByTestId('day-session').first();
    await first.getByRole('button', { name: '予約する' }).click();
    await first.getByLabel('呼び名（ニックネーム可）').fill('そらさん');
    await first.getByRole('button', { name: '予約する' }).click();
    await a.locator('[data-testid="day-session"][data-state="booked"]').waitFor();

    // both open the form of the last free session
    const lastA = a.getByTestId('day-session').nth(1);
    const lastB = b.getByTestId('day-session').nth(1);
    for (const [last, name] of [[lastA, 'うみさん'], [lastB, 'やまさん']] as const) {
      await last.getByRole('button', { name: '予約する' }).click();
      await last.getByLabel('呼び名（ニックネーム可）').fill(name);
    }
    await lastA.getByRole('button', { name: '予約する' }).click();
    await a.locator('[data-testid="day-session"][data-state="booked"]').nth(1).waitFor();
    assert.match(await lastA.innerText(), /予約あり：うみさん/);

    await lastB.getByRole('button', { name: '予約する' }).click();
    const refusal = b.getByTestId('booking-conflict');
    await refusal.waitFor();
    assert.equal((await refusal.innerText()).trim(), 'その枠はすでに予約されています。別の枠を選んでください。');
    await shot(b, 'taken');
    // on refreshing, window B sees the day fully booked, with A's booking
    await b.getByRole('button', { name: '最新の空き状況を表示する' }).click();
    await b.locator('[data-testid="day-session"][data-state="booked"]').nth(1).waitFor();
    assert.equal(await b.locator('[data-testid="day-session"][data-state="free"]').count(), 0);
    const { rows } = await e.t.db.query(`SELECT nickname FROM consultation_day_booking WHERE cancelled_at IS NULL ORDER BY nickname`);
    assert.deepEqual(rows.map((r) => (r as { nickname: string }).nickname), ['うみさん', 'そらさん']);
  });

  test('the centre sees its year against the plan, and re-plans the day: the bookings follow to the new time', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await menu(page).getByRole('link', { name: '巡回相談', exact: true }).click();
    await page.getByTestId('year-plan').waitFor();
    assert.match(await page.getByTestId('year-plan').innerText(), /今年度の実施市区町村：1（計画 3）/);
    await page.getByTestId('consultation-days').getByRole('button', { name: '開く' }).first().click();
    const day = page.getByTestId('consultation-day');
    await day.getByRole('button', { name: '日程を変更する' }).click();
    const form = day.getByRole('form', { name: '日程を変更する' });
    await form.getByLabel('開始時刻').fill('14:00');
    await form.getByRole('button', { name: '変更を保存する' }).click();
    await page.waitForFunction(() => document.querySelector('[data-testid="day-session"] strong')?.textContent?.startsWith('14:00'));
    assert.equal(await day.getByRole('button', { name: 'この相談日を削除する' }).count(), 0, 'a day with bookings is not deleted');
    const { rows } = await e.t.db.query(`SELECT to_char(s.starts_at, 'HH24:MI') AS t FROM consultation_day_booking b JOIN consultation_day_session s ON s.id = b.session_id WHERE b.cancelled_at IS NULL ORDER BY 1`);
    assert.deepEqual(rows.map((r) => (r as { t: string }).t), ['14:00', '14:45']);
    // window A booked both: one alert to them, naming each booking's new time
    const told = await e.t.db.query(`SELECT body FROM message_outbox WHERE kind = 'consultation_day_replanned'`);
    assert.equal(told.rows.length, 1);
    assert.match((told.rows[0] as { body: string }).body, /13:00 からの予約 → .*14:00[\s\S]*13:45 からの予約 → .*14:45/);
  });

  test('a third day in Hoshino in one year is more than the plan of two: the centre confirms it first', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await menu(page).getByRole('link', { name: '巡回相談', exact: true }).click();
    const form = page.getByRole('form', { name: '相談日を計画する' });
    const plan = async (days: number) => {
      await form.getByLabel('市区町村').selectOption({ label: '星野町' });
      await form.getByLabel('日付').fill(inDays(days));
      await form.getByRole('button', { name: '相談日を計画する' }).click();
    };
    // two more days in the fiscal year of the first (14 days ahead), whatever today is
    const fiscalYear = (iso: string) => Number(iso.slice(0, 4)) - (iso.slice(5) < '04-01' ? 1 : 0);
    const [second, third] = fiscalYear(inDays(16)) === fiscalYear(inDays(14)) ? [15, 16] : [12, 13];
    await plan(second);
    await page.getByTestId('consultation-day').waitFor();
    await plan(third);
    const warning = form.getByTestId('over-days');
    await warning.getByText('1市区町村あたりの年間の計画は2日です。この相談日で星野町は3日になります。').waitFor();
    assert.equal(await form.getByRole('button', { name: '相談日を計画する' }).isDisabled(), true, 'not planned until confirmed');
    await warning.getByRole('checkbox').check();
    await form.getByRole('button', { name: '相談日を計画する' }).click();
    await page.getByTestId('consultation-days').getByText('星野町').nth(2).waitFor();
  });
});
