import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { engine, type TestDb } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, TEST_PASSWORD, TEST_TOTP_SECRET, testConfig } from '../helpers/factories.ts';
import type { App } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { currentCode } from '../../src/modules/auth/mfa.ts';

const skip = browserUnavailable();

/** A six-digit code that is not the current one (nor the one either side of it). */
function wrongCode(secret: string): string {
  const now = Date.now();
  const valid = new Set([-30_000, 0, 30_000].map((d) => currentCode(secret, new Date(now + d))));
  for (let n = 0; ; n++) {
    const code = String(123456 + n * 111).padStart(6, '0').slice(-6);
    if (!valid.has(code)) return code;
  }
}

describe('staff sign in with a second factor', { skip: skip ?? false }, () => {
  let t: TestDb;
  let app: App;
  let e: E2e;
  let base: string;
  let enrolled: string;
  let newcomer: string;

  before(async () => {
    e = await startE2e({ config: testConfig({ requireMfa: true }) });
    ({ t, app, base } = e);
    enrolled = (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    newcomer = (await buildUser(t.db, { org: 'community-support-section', role: 'org_staff', clock: systemClock, enrolled: false })).login;
  });
  after(() => e?.close());

  const newPage = () => e.newPage();

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}mfa-${name}-${engine}.png`, fullPage: true });

  async function password(page: Page, login: string) {
    await page.getByLabel('ログインID').fill(login);
    await page.getByLabel('パスワード').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
  }

  const networkPage = (page: Page) => page.getByTestId('organization-list').waitFor();

  test('an enrolled worker signs in with password and the code from the app; a wrong code is refused in Japanese', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await password(page, enrolled);

    await page.getByRole('heading', { level: 2, name: '確認コード' }).waitFor();
    const code = page.getByRole('textbox', { name: '確認コード' });
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    assert.equal(await code.getAttribute('inputmode'), 'numeric');
    assert.equal(await code.getAttribute('maxlength'), '6');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'totp-code', 'the code field has the focus');
    assert.match(await page.locator('#totp-code-hint').textContent() ?? '', /認証アプリに表示されている6桁の確認コードを入力してください/);
    // The half-open session opens nothing else.
    assert.equal((await page.request.get(`${base}/api/network`)).status(), 401);
    await shot(page, 'a-code');

    await code.fill(wrongCode(TEST_TOTP_SECRET));
    await page.getByRole('button', { name: '確認する' }).click();
    const alert = page.getByRole('alert').filter({ hasText: '確認コードが正しくありません' });
    await alert.waitFor();
    assert.equal(await code.getAttribute('aria-invalid'), 'true');
    assert.equal(await code.inputValue(), '', 'the wrong code is cleared for the next try');
    await shot(page, 'a-wrong-code');

    // Full-width digits, as typed with the IME left on, are read as the code.
    const fullWidth = currentCode(TEST_TOTP_SECRET, new Date()).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    await code.fill(fullWidth);
    await page.getByRole('button', { name: '確認する' }).click();
    await networkPage(page);
    assert.equal(new URL(page.url()).pathname, '/');
    await shot(page, 'a-network');
  });

  test('a newcomer sets up the authenticator, keeps the recovery codes, and later signs in with one of them', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await password(page, newcomer);

    await page.getByRole('heading', { level: 2, name: '認証アプリの設定' }).waitFor();
    const qr = page.getByRole('img', { name: /認証アプリ設定用のQRコード/ });
    await qr.waitFor();
    assert.match(await qr.getAttribute('src') ?? '', /^data:image\/svg\+xml;base64,/);
    assert.ok(await qr.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0), 'the QR code is drawn');
    assert.equal(await page.locator('.enroll-steps svg').count(), 0, 'the SVG is an image, not markup in the page');
    const shown = (await page.getByTestId('totp-secret').textContent()) ?? '';
    assert.match(shown, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, 'the key is shown in groups of four');
    const secret = shown.replace(/\s/g, '');
    await shot(page, 'b-enroll');

    await page.getByRole('textbox', { name: '確認コード' }).fill(currentCode(secret, new Date()));
    await page.getByRole('button', { name: '設定を完了する' }).click();

    await page.getByRole('heading', { level: 2, name: 'リカバリーコード' }).waitFor();
    const codes = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
    assert.equal(codes.length, 10);
    for (const c of codes) assert.match(c, /^[0-9A-F]{5}-[0-9A-F]{5}$/);
    assert.equal(new Set(codes).size, 10);
    await page.getByRole('button', { name: '印刷する' }).waitFor();
    // Continuing needs the box ticked.
    await page.getByRole('button', { name: '続ける' }).click();
    await page.getByRole('alert').filter({ hasText: 'リカバリーコードを保管したら、チェックを入れてください。' }).waitFor();
    await shot(page, 'b-recovery-codes');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('button', { name: '続ける' }).isVisible(), false, 'on paper only the codes');
    await shot(page, 'b-recovery-codes-print');
    await page.emulateMedia({ media: 'screen' });

    await page.getByLabel('リカバリーコードを安全な場所に保管しました').check();
    await page.getByRole('button', { name: '続ける' }).click();
    await networkPage(page);
    const saved = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM recovery_code rc JOIN app_user u ON u.id = rc.user_id WHERE u.login = $1', [newcomer]);
    assert.equal(saved.rows[0]?.n, 10);

    // Signed out, then in again without the phone: one recovery code, once.
    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByText('ログアウトしました。').waitFor();
    await password(page, newcomer);
    await page.getByRole('heading', { level: 2, name: '確認コード' }).waitFor();
    await page.getByRole('button', { name: 'リカバリーコードを使う' }).click();
    await page.getByRole('heading', { level: 2, name: 'リカバリーコード' }).waitFor();
    await page.getByRole('textbox', { name: 'リカバリーコード' }).fill(codes[3]!.toLowerCase());
    await shot(page, 'b-use-recovery-code');
    await page.getByRole('button', { name: '確認する' }).click();
    await networkPage(page);

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await password(page, newcomer);
    await page.getByRole('button', { name: 'リカバリーコードを使う' }).click();
    await page.getByRole('textbox', { name: 'リカバリーコード' }).fill(codes[3]!);
    await page.getByRole('button', { name: '確認する' }).click();
    await page.getByRole('alert').filter({ hasText: 'リカバリーコードが正しくないか、すでに使用済みです。' }).waitFor();
    await shot(page, 'b-used-recovery-code');
  });

  test('a sensitive action asks for the code again, then goes on by itself', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await password(page, enrolled);
    await page.getByRole('textbox', { name: '確認コード' }).fill(currentCode(TEST_TOTP_SECRET, new Date()));
    await page.getByRole('button', { name: '確認する' }).click();
    await networkPage(page);

    // No action asks yet (src/modules/auth/mfa.ts): the server's refusal is played once for the network.
    let refused = 0;
    await page.route('**/api/network', async (route) => {
      if (refused++ > 0) return route.fallback();
      return route.fulfill({
        status: 403, contentType: 'application/json',
        body: JSON.stringify({ error: 'この操作には、認証アプリの確認コードをもう一度入力してください。', code: 'step_up_required', fields: [] }),
      });
    });
    await page.reload();
    const dialog = page.getByRole('dialog', { name: '確認コードの入力' });
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'step-up-code');
    await dialog.getByRole('textbox', { name: '確認コード' }).fill(wrongCode(TEST_TOTP_SECRET));
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    await dialog.getByRole('alert').filter({ hasText: '確認コードが正しくありません' }).waitFor();
    await shot(page, 'c-step-up');
    await dialog.getByRole('textbox', { name: '確認コード' }).fill(currentCode(TEST_TOTP_SECRET, new Date()));
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    await networkPage(page);
    assert.equal(await dialog.isVisible(), false);
    assert.equal(refused, 2, 'the refused call was sent once more, and only once');
    const audited = await t.db.query<{ outcome: string }>(`SELECT outcome FROM audit_event WHERE action = 'session.step_up' ORDER BY seq`);
    assert.deepEqual(audited.rows.map((r) => r.outcome), ['denied', 'success'], 'both attempts are audited');
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
