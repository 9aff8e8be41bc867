import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { createTestDb, engine, type TestDb } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable, launchBrowser } from '../helpers/browser.ts';
import { buildTestApp, buildUser, importMusashino, TEST_PASSWORD } from '../helpers/factories.ts';
import type { App } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';

const skip = browserUnavailable();

describe('a newcomer signs in and sees the network', { skip: skip ?? false }, () => {
  let t: TestDb;
  let app: App;
  let browser: Browser;
  let base: string;
  let login: string;

  before(async () => {
    t = await createTestDb();
    await importMusashino(t.db);
    login = (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    app = await buildTestApp(t.db, { clock: systemClock });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await t?.close();
  });

  test('sign in with the printed account and see every organisation of Musashino in Japanese', async () => {
    const page = await browser.newPage({ locale: 'ja-JP' });
    await page.goto(`${base}/`);
    // not signed in: the app sends the user to the sign-in page
    await page.getByLabel('ログインID').waitFor();
    await page.getByLabel('ログインID').fill(login);
    await page.getByLabel('パスワード').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();

    const list = page.getByTestId('organization-list');
    await list.waitFor();
    assert.equal(await list.getByTestId('organization-item').count(), 32);
    for (const name of ['福祉総合相談窓口', '多摩府中保健所', 'それいゆ', 'みらいる', '東京都ひきこもりサポートネット'])
      assert.ok(await list.getByText(name, { exact: true }).first().isVisible(), `${name} is shown`);
    // the outreach program is co-owned by three sections and commissioned to the nursing station
    const body = await page.textContent('body');
    assert.match(body ?? '', /精神保健アウトリーチ支援事業/);
    assert.match(body ?? '', /総合支援調整会議/);
    await page.screenshot({ path: `${ARTIFACTS}network-${engine}.png`, fullPage: true });
  });

  test('a wrong password shows a message in Japanese', async () => {
    const page = await browser.newPage({ locale: 'ja-JP' });
    await page.goto(`${base}/login`);
    await page.getByLabel('ログインID').fill(login);
    await page.getByLabel('パスワード').fill('wrong password');
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByText('ログインIDまたはパスワードが正しくありません。').waitFor();
  });

  async function signedInPage() {
    const context = await browser.newContext({ locale: 'ja-JP' });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByLabel('ログインID').fill(login);
    await page.getByLabel('パスワード').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'ログイン' }).click();
    await page.getByTestId('organization-list').waitFor();
    return page;
  }

  test('a page whose code cannot be fetched says so and keeps the menu; reloading brings the page', async () => {
    const page = await signedInPage();
    const caseListCode = '**/assets/CaseListPage-*.js';
    await page.route(caseListCode, (route) => route.abort('connectionrefused'));
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'ケース一覧', exact: true }).click();
    await page.getByRole('alert').getByText('このページを読み込めませんでした。ネットワークの状態を確認して、ページを再読み込みしてください。').waitFor();
    assert.ok(await page.getByRole('navigation', { name: 'メインメニュー' }).isVisible(), 'the menu stays, so the user can go elsewhere');

    await page.unroute(caseListCode);
    await page.getByRole('button', { name: 'ページを再読み込み' }).click();
    await page.getByRole('heading', { level: 1, name: 'ケース一覧' }).waitFor();
    await page.context().close();
  });

  test('English is fetched only when chosen, and a reload opens in it', async () => {
    const page = await signedInPage();
    const fetched: string[] = [];
    page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'ja');
    assert.ok(!fetched.some((p) => /\/assets\/en-/.test(p)), 'no English texts before English is chosen');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: /support network$/ }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: /support network$/ }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.context().close();
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
