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
import { importMusashino, testConfig } from '../helpers/factories.ts';

const skip = browserUnavailable();
const SECRET = 'e2e-pull-secret-0123456789-abcdefghijklmnopq';

describe('a resident uses the public side, running apart, under its security headers', { skip: skip ?? false }, () => {
  let staffDb: TestDb;
  let publicDb: TestDb;
  let staff: App;
  let pub: BaseApp;
  let base: string;
  let browser: Browser;

  before(async () => {
    staffDb = await createTestDb();
    await importMusashino(staffDb.db);
    publicDb = await createTestDb({ migrate: false });
    await migrate(publicDb.db, { modules: ['public'] });
    pub = await buildPublicApp({ db: publicDb.db, clock: systemClock, config: testConfig(), linkSecret: SECRET });
    base = await pub.listen({ port: 0, host: '127.0.0.1' });
    staff = await buildApp({ db: staffDb.db, clock: systemClock, config: testConfig(), role: 'staff', link: httpLink(base, SECRET) });
    await staff.ready();
    await staff.publishPublicSnapshot();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await staff?.close();
    await pub?.close();
    await staffDb?.close();
    await publicDb?.close();
  });

  /** A phone-sized page that records every Content-Security-Policy violation and script error. */
  async function phone(): Promise<{ page: Page; problems: string[] }> {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return { page, problems };
  }

  test('the concern form works on the public side and the report reaches the staff side once', async () => {
    const { page, problems } = await phone();
    await page.goto(`${base}/`);
    await page.getByRole('heading', { level: 1, name: '気になる方のことを市に伝える（気がかり相談）' }).waitFor();
    assert.ok(page.url().endsWith('/public/concern'), page.url());
    // the municipality's name comes with its own request, after the heading
    await page.getByText('武蔵野市').first().waitFor();
    assert.match(await page.textContent('body') ?? '', /武蔵野市/);
    await page.getByLabel('近所の方のこと').check();
    await page.getByLabel('家からほとんど出ない・人と関わらない').check();
    await page.getByLabel('気になっていることを書いてください').fill('向かいの家の若い方を、この一年ほど見かけない。');
    await page.getByRole('button', { name: '市に伝える' }).click();
    const code = (await page.getByTestId('receipt-code').textContent({ timeout: 60_000 }))?.trim() ?? '';
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await page.screenshot({ path: `${ARTIFACTS}public-side-receipt-${engine}.png`, fullPage: true });
    assert.deepEqual(problems, [], 'no script or style was blocked, nothing failed');

    assert.equal(await staff.takeInPublicSubmissions(), 1);
    assert.equal(await staff.takeInPublicSubmissions(), 0);
    const { rows } = await staffDb.db.query<{ concern: string }>('SELECT concern FROM concern_report WHERE receipt_code = $1', [code]);
    assert.deepEqual(rows, [{ concern: '向かいの家の若い方を、この一年ほど見かけない。' }]);
  });

  test('an inline script injected into the page would not run', async () => {
    const { page } = await phone();
    await page.goto(`${base}/public/concern`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // what a stored-XSS payload would try: the policy refuses inline code
    const ran = await page.evaluate(() => {
      (window as unknown as { injected?: boolean }).injected = false;
      const s = document.createElement('script');
      s.textContent = 'window.injected = true;';
      document.body.appendChild(s);
      return (window as unknown as { injected?: boolean }).injected;
    });
    assert.equal(ran, false);
  });
});
