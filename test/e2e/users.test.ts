import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { engine, type TestDb } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, signInAs, TEST_TOTP_SECRET } from '../helpers/factories.ts';
import type { App } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { currentCode } from '../../src/modules/auth/mfa.ts';

const skip = browserUnavailable();
const NOTE = '要配慮個人情報（心身の健康・障害・生活保護など）は表示されていません。閲覧には権限が必要です。';

describe('利用者と権限: the 要配慮 grant is given with a reason, and without it the pages say what is left out', { skip: skip ?? false }, () => {
  let t: TestDb;
  let app: App;
  let e: E2e;
  let base: string;
  let admin: { login: string; displayName: string };
  let officer: string;
  let worker: { id: string; login: string };
  let granted: string;
  let caseUrl = '';
  let consultationUrl = '';

  before(async () => {
    e = await startE2e();
    ({ t, app, base } = e);
    const a = await buildUser(t.db, { org: 'welfare-desk', role: 'system_admin', clock: systemClock, sensitive: false });
    admin = { login: a.login, displayName: `テスト ${a.login}` };
    officer = (await buildUser(t.db, { org: 'welfare-desk', role: 'privacy_officer', clock: systemClock, sensitive: false })).login;
    const w = await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock, sensitive: false });
    worker = { id: w.id, login: w.login };
    granted = (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;

    const { headers } = await signInAs(app, granted);
    const c = await app.inject({ method: 'POST', url: '/api/cases', headers, payload: { person: { name: '武蔵野 四郎', gender: '男性' } } });
    assert.equal(c.statusCode, 201, c.body);
    caseUrl = `${base}/cases/${c.json().id}`;
    const k = await app.inject({
      method: 'POST', url: '/api/consultations', headers,
      payload: {
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(), channel: 'phone', consulterRelation: 'family',
        consulterDetail: '母', issueTags: ['hikikomori'], summary: '息子が家から出ていない。', urgency: 'normal',
      },
    });
    assert.equal(k.statusCode, 201, k.body);
    consultationUrl = `${base}/consultations/${k.json().id}`;
  });
  after(() => e?.close());

  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });
  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}users-${name}-${engine}.png`, fullPage: true });
  const membershipOf = (page: Page, login: string) => page.locator(`[data-testid="user"][data-login="${login}"]`).getByTestId('membership');

  test('without the grant, the case and the consultation say quietly that sensitive information is not shown; with it, they do not', async () => {
    const page = await e.newPage();
    await e.signIn(page, worker.login);
    await page.goto(caseUrl);
    await page.getByTestId('sensitive-note').getByText(NOTE).waitFor();
    await shot(page, 'a-case-without-grant');
    await page.goto(consultationUrl);
    await page.getByTestId('sensitive-note').getByText(NOTE).waitFor();
    // A worker is not offered the users page, and is told so at its address.
    assert.equal(await menu(page).getByRole('link', { name: '利用者と権限' }).count(), 0);
    await page.goto(`${base}/users`);
    await page.getByRole('heading', { level: 1, name: '表示できません' }).waitFor();

    const other = await e.newPage();
    await e.signIn(other, granted);
    await other.goto(caseUrl);
    await other.getByTestId('case-person-name').waitFor();
    assert.equal(await other.getByTestId('sensitive-note').count(), 0);
  });

  test('the privacy officer reads the users, their roles and grants, and changes nothing', async () => {
    const page = await e.newPage();
    await e.signIn(page, officer);
    await menu(page).getByRole('link', { name: '利用者と権限' }).click();
    await page.getByRole('heading', { level: 1, name: '利用者と権限' }).waitFor();
    await page.getByTestId('users-read-only').waitFor();
    const mine = membershipOf(page, worker.login);
    assert.match(await mine.textContent() ?? '', /福祉総合相談窓口.*中心窓口コーディネーター.*要配慮個人情報の閲覧：なし/);
    assert.equal(await mine.getByTestId('grant').getAttribute('data-granted'), 'false');
    assert.equal(await membershipOf(page, granted).getByTestId('grant').getAttribute('data-granted'), 'true');
    assert.equal(await page.getByRole('button', { name: /閲覧権限を/ }).count(), 0, 'no grant can be changed from here');
    await shot(page, 'b-officer');
  });

  test('the administrator gives the grant with a reason after entering the code again; the worker then sees no note', async () => {
    const page = await e.newPage();
    await e.signIn(page, admin.login);
    await menu(page).getByRole('link', { name: '利用者と権限' }).click();
    const membership = membershipOf(page, worker.login);
    await membership.getByRole('button', { name: '閲覧権限を付与する' }).click();
    const form = membership.getByRole('form');
    await form.getByRole('button', { name: '付与する' }).click();
    await form.getByRole('alert').getByText('理由を入力してください。').waitFor();
    await form.getByLabel(/^理由/).fill('生活保護受給世帯の支援を担当するため（課長決裁 第12号）');
    await form.getByRole('button', { name: '付与する' }).click();

    // The server asks for the code again; once given, the change goes on by itself.
    const dialog = page.getByRole('dialog', { name: '確認コードの入力' });
    await dialog.waitFor();
    await shot(page, 'c-step-up');
    await dialog.getByRole('textbox', { name: '確認コード' }).fill(currentCode(TEST_TOTP_SECRET, new Date()));
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    await membership.getByText(/要配慮個人情報の閲覧権限を付与しました。/).waitFor();
    const grant = membership.getByTestId('grant');
    assert.equal(await grant.getAttribute('data-granted'), 'true');
    assert.match(await grant.textContent() ?? '', new RegExp(`あり.*${admin.displayName}が付与（令和\\d+年\\d+月\\d+日`));
    assert.equal(await membership.getByRole('button', { name: '閲覧権限を取り消す' }).count(), 1);
    await shot(page, 'c-granted');

    const audited = await t.db.query<{ reason: string; outcome: string }>(
      "SELECT reason, outcome FROM audit_event WHERE action = 'membership.sensitive_grant' AND entity_id = $1", [worker.id]);
    assert.deepEqual(audited.rows, [{ reason: '生活保護受給世帯の支援を担当するため（課長決裁 第12号）', outcome: 'success' }]);

    const workerPage = await e.newPage();
    await e.signIn(workerPage, worker.login);
    await workerPage.goto(caseUrl);
    await workerPage.getByTestId('case-person-name').waitFor();
    assert.equal(await workerPage.getByTestId('sensitive-note').count(), 0);
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
