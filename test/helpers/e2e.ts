import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Config } from '../../src/config.ts';
import type { App } from '../../src/http/app.ts';
import { systemClock, type Clock } from '../../src/lib/clock.ts';
import { launchBrowser } from './browser.ts';
import { createTestDb, type TestDb } from './db.ts';
import { buildTestApp, importHoshino, importMusashino, importMusashinoWithSupportMeeting, importTokyoPrefecture, TEST_PASSWORD } from './factories.ts';

/** What a browser journey needs: Musashino loaded, the app listening, Chromium, fresh profiles, and sign-in. */
export interface E2e {
  t: TestDb;
  app: App;
  base: string;
  browser: Browser;
  /** A fresh browser profile (its own cookies and session storage), in Japanese, desk-sized unless told. */
  newPage(viewport?: { width: number; height: number }): Promise<Page>;
  /** Signs in through the sign-in page with the test password (the second factor is off unless the config turns it on). */
  signIn(page: Page, login: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * `supportMeetingMembers`: Musashino with its 総合支援調整会議 held as a 支援会議
 * with these member organisations (importMusashinoWithSupportMeeting).
 * `clock`: the app's clock, for journeys that move time (a clock that follows real time with an offset: see test/e2e/placements.test.ts).
 * `prefecture`: also the fictional Hoshino (in 東京都 too) and Tokyo's support centre (profiles/tokyo-prefecture.yaml), for the prefecture's pages.
 */
export async function startE2e(opts: { config?: Config; supportMeetingMembers?: string[]; clock?: Clock; prefecture?: boolean } = {}): Promise<E2e> {
  const t = await createTestDb();
  if (opts.supportMeetingMembers) await importMusashinoWithSupportMeeting(t.db, opts.supportMeetingMembers);
  else await importMusashino(t.db);
  if (opts.prefecture) {
    await importHoshino(t.db);
    await importTokyoPrefecture(t.db);
  }
  const app = await buildTestApp(t.db, { clock: opts.clock ?? systemClock, config: opts.config });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    t, app, base, browser,
    async newPage(viewport = { width: 1280, height: 900 }) {
      const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport });
      contexts.push(context);
      return context.newPage();
    },
    async signIn(page, login) {
      await page.goto(`${base}/login`);
      await page.getByLabel('ログインID').fill(login);
      await page.getByLabel('パスワード').fill(TEST_PASSWORD);
      await page.getByRole('button', { name: 'ログイン', exact: true }).click();
      await page.getByRole('navigation', { name: 'メインメニュー' }).waitFor();
      // The first page's heading: the centre's staff land on '/' and are sent on by an effect, which
      // on a busy machine can run after a click the test made in between and take the page back.
      await page.locator('#main h1').first().waitFor();
    },
    async close() {
      for (const c of contexts) await c.close();
      await browser.close();
      await app.close();
      await t.close();
    },
  };
}
