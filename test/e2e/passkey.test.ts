import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { engine, type TestDb } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, TEST_PASSWORD, TEST_TOTP_SECRET, testConfig } from '../helpers/factories.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { currentCode } from '../../src/modules/auth/mfa.ts';

const skip = browserUnavailable();

describe('a passkey as the second factor', { skip: skip ?? false }, () => {
  let t: TestDb;
  let e: E2e;
  let base: string;
  let login: string;
  let userId: string;

  before(async () => {
    e = await startE2e({ config: testConfig({ requireMfa: true }) });
    t = e.t;
    // WebAuthn binds passkeys to a domain, never to an IP address; without configuration the server takes localhost from the request
    base = e.base.replace('127.0.0.1', 'localhost');
    const user = await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock });
    login = user.login;
    userId = user.id;
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}passkey-${name}-${engine}.png`, fullPage: true });

  /** The password step; resolves once the page knows whether a passkey is offered. */
  async function password(page: Page) {
    await page.getByLabel('ログインID').fill(login);
    await page.getByLabel('パスワード').fill(TEST_PASSWORD);
    const offered = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/session/webauthn' && r.request().method() === 'GET');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.getByRole('heading', { level: 2, name: '確認コード' }).waitFor();
    return (await (await offered).json()) as { passkey: boolean };
  }

  const networkPage = (page: Page) => page.getByTestId('organization-list').waitFor();

  test('a worker signs in with the code, adds a passkey on the account page, and signs in with password and passkey; removing it asks again, by passkey', async () => {
    const page = await e.newPage();
    // Chromium's virtual authenticator: a platform authenticator that verifies the user at once
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });

    await page.goto(`${base}/login`);
    assert.deepEqual(await password(page), { passkey: false });
    assert.equal(await page.getByRole('button', { name: 'パスキーで確認' }).count(), 0, 'no passkey yet: only the code is asked');
    await page.getByRole('textbox', { name: '確認コード' }).fill(currentCode(TEST_TOTP_SECRET, new Date()));
    await page.getByRole('button', { name: '確認する' }).click();
    await networkPage(page);

    await page.getByRole('link', { name: 'アカウント設定' }).click();
    await page.getByRole('heading', { level: 1, name: 'アカウント設定' }).waitFor();
    const section = page.getByTestId('passkeys');
    await section.getByText('登録されたパスキーはありません。').waitFor();
    assert.match(await page.locator('main').textContent() ?? '', /認証アプリは引き続き使え、無効にはできません/);

    // a name is needed first
    await section.getByRole('button', { name: 'パスキーを登録する' }).click();
    await section.getByRole('alert').filter({ hasText: 'パスキーの名前を入力してください。' }).waitFor();
    await section.getByRole('textbox', { name: /名前/ }).fill('職場のパソコン');
    await section.getByRole('button', { name: 'パスキーを登録する' }).click();
    await section.getByRole('status').filter({ hasText: 'パスキー「職場のパソコン」を登録しました。' }).waitFor();
    const item = section.getByTestId('passkey').filter({ hasText: '職場のパソコン' });
    await item.getByText('まだ使われていません').waitFor();
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1, 'the authenticator made one credential');
    const stored = await t.db.query<{ credential_id: string }>('SELECT credential_id FROM passkey WHERE user_id = $1', [userId]);
    assert.equal(stored.rows[0]?.credential_id, Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url'));
    await shot(page, 'a-added');

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByText('ログアウトしました。').waitFor();
    assert.deepEqual(await password(page), { passkey: true });
    const withPasskey = page.getByRole('button', { name: 'パスキーで確認' });
    await withPasskey.waitFor();
    assert.ok(await page.getByRole('textbox', { name: '確認コード' }).isVisible(), 'the code field stays beside it');
    await shot(page, 'b-verify');
    await withPasskey.click();
    await networkPage(page);

    const audited = await t.db.query<{ reason: string }>(`SELECT reason FROM audit_event WHERE action = 'session.mfa' AND actor_user_id = $1 AND outcome = 'success' ORDER BY seq`, [userId]);
    assert.deepEqual(audited.rows.map((r) => r.reason), ['totp', 'passkey']);
    const used = await t.db.query<{ counter: string; last_used_at: Date | null }>('SELECT counter, last_used_at FROM passkey WHERE user_id = $1', [userId]);
    assert.ok(used.rows[0]!.last_used_at, 'the passkey was used');

    // later: removing it asks for the second factor again, and the passkey gives it
    await page.getByRole('link', { name: 'アカウント設定' }).click();
    await item.waitFor();
    assert.equal(await item.getByText('まだ使われていません').count(), 0, 'the list says when it was last used');
    await t.db.query(`UPDATE user_session SET mfa_at = now() - interval '1 hour' WHERE user_id = $1 AND ended_at IS NULL`, [userId]);
    await item.getByRole('button', { name: 'パスキー「職場のパソコン」を削除する' }).click();
    await item.getByRole('button', { name: '削除する', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: '確認コードの入力' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'パスキーで確認' }).click();
    await section.getByRole('status').filter({ hasText: 'パスキー「職場のパソコン」を削除しました。' }).waitFor();
    await section.getByText('登録されたパスキーはありません。').waitFor();
    await shot(page, 'c-removed');
    const steps = await t.db.query<{ action: string; reason: string | null }>(
      `SELECT action, reason FROM audit_event WHERE actor_user_id = $1 AND action IN ('session.step_up', 'passkey.register', 'passkey.remove') ORDER BY seq`, [userId]);
    assert.deepEqual(steps.rows.map((r) => `${r.action}:${r.reason}`), ['passkey.register:passkey added', 'session.step_up:passkey', 'passkey.remove:passkey removed']);
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
