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
const REASON = '訪問先で本人が倒れており、緊急連絡先の確認が必要なため';
const FINDING = '救急搬送に伴う連絡先の確認で、必要な範囲の閲覧だった';

describe('緊急時の閲覧: an NPO worker opens a case in an emergency, and the privacy officer reviews it', { skip: skip ?? false }, () => {
  let t: TestDb;
  let app: App;
  let e: E2e;
  let base: string;
  let worker: string;
  let officer: string;
  let auditor: string;
  let kase: { id: string; reference: string };

  before(async () => {
    e = await startE2e();
    ({ t, app, base } = e);
    worker = (await buildUser(t.db, { org: 'bunka-gakushu-kyodo-network', role: 'org_staff', clock: systemClock })).login;
    officer = (await buildUser(t.db, { org: 'welfare-desk', role: 'privacy_officer', clock: systemClock })).login;
    auditor = (await buildUser(t.db, { org: 'welfare-desk', role: 'auditor', clock: systemClock })).login;
    const hub = (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    const { headers } = await signInAs(app, hub);
    const c = await app.inject({ method: 'POST', url: '/api/cases', headers, payload: { person: { name: '武蔵野 緊急', phone: '0422-11-2233' } } });
    assert.equal(c.statusCode, 201, c.body);
    kase = { id: c.json().id, reference: c.json().reference };
  });
  after(() => e?.close());

  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });
  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}break-glass-${name}-${engine}.png`, fullPage: true });

  test('the worker cannot open the case; with its number, a reason and the code again, it opens read only under a red banner until it is ended', async () => {
    const page = await e.newPage();
    await e.signIn(page, worker);
    await page.goto(`${base}/cases/${kase.id}`);
    await page.getByRole('heading', { level: 1, name: '見つかりません' }).waitFor();
    assert.equal(await menu(page).getByRole('link', { name: '緊急時の閲覧の確認' }).count(), 0);

    await menu(page).getByRole('link', { name: '緊急時の閲覧', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '緊急時の閲覧' }).waitFor();
    const rules = await page.getByRole('region', { name: '使う前に確認してください' }).textContent() ?? '';
    for (const said of ['閲覧のみ', '時間', '保護管理者に通知', '監査記録に残ります']) assert.ok(rules.includes(said), said);

    const start = page.getByRole('button', { name: '緊急時の閲覧を始める' });
    await start.click();
    const summary = page.getByRole('alert');
    await summary.getByText('ケース番号を入力してください。').waitFor();
    await summary.getByText('理由を入力してください。').waitFor();
    await page.getByLabel(/^理由/).fill('急ぎのため');
    await start.click();
    await summary.getByText('理由は10文字以上で書いてください。').waitFor();
    assert.equal(await page.getByLabel(/^理由/).getAttribute('aria-invalid'), 'true');
    await page.getByLabel(/^理由/).fill(REASON);
    const number = page.getByLabel(/^ケース番号/);
    await number.fill(kase.reference.replace(/\d{5}$/, '99999'));
    await start.click();

    // The server asks for the code again first (before it says anything about the number)…
    const dialog = page.getByRole('dialog', { name: '確認コードの入力' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: '確認コード' }).fill(currentCode(TEST_TOTP_SECRET, new Date()));
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    // …then an unknown number is said beside the number
    await summary.getByText('このケース番号のケースは見つかりませんでした。番号を確認してください。').waitFor();
    assert.equal(await number.getAttribute('aria-invalid'), 'true');
    await number.fill(kase.reference.toLowerCase());
    await shot(page, 'a-form');
    await start.click();

    const banner = page.getByTestId('break-glass-banner');
    await banner.waitFor();
    assert.equal(new URL(page.url()).pathname, `/cases/${kase.id}`);
    assert.match(await banner.getByRole('paragraph').first().textContent() ?? '', /^緊急時の閲覧中（閲覧のみ・(令和\d+年\d{1,2}月\d{1,2}日)?\d{1,2}時\d{2}分まで）$/);
    await page.getByTestId('case-person-name').getByText('武蔵野 緊急').waitFor();
    await page.getByText('0422-11-2233').waitFor();
    // read only: none of the case's forms is offered
    for (const name of ['支援記録を追加する', '本人の情報を修正する']) assert.equal(await page.getByRole('button', { name }).count(), 0, name);
    await shot(page, 'b-case');

    await banner.getByRole('button', { name: '閲覧を終了する' }).click();
    await page.getByRole('heading', { level: 1, name: '緊急時の閲覧' }).waitFor();
    await page.getByTestId('notice').getByText(`ケース ${kase.reference} の緊急時の閲覧を終了しました。`).waitFor();
    await page.goto(`${base}/cases/${kase.id}`);
    await page.getByRole('heading', { level: 1, name: '見つかりません' }).waitFor();

    const audited = await t.db.query<{ action: string; reason: string }>(
      "SELECT action, reason FROM audit_event WHERE entity_id = $1 AND action LIKE 'break_glass.%' ORDER BY seq", [kase.id]);
    assert.deepEqual(audited.rows, [{ action: 'break_glass.start', reason: REASON }, { action: 'break_glass.end', reason: 'ended by the user' }]);
  });

  test('the privacy officer sees the alert in the header, opens the review and closes it with a finding', async () => {
    const page = await e.newPage();
    await e.signIn(page, officer);
    const alerts = page.getByTestId('alerts-link');
    await page.waitForFunction(() => document.querySelector('[data-testid="alerts-link"]')?.getAttribute('data-unread') === '1');
    assert.equal(await alerts.getAttribute('aria-current'), null);
    assert.match(await alerts.textContent() ?? '', /お知らせ.*未読 1件/);
    await alerts.click();

    await page.getByRole('heading', { level: 1, name: 'お知らせ' }).waitFor();
    const alert = page.getByTestId('alert').filter({ hasText: '緊急時の閲覧（ブレイクグラス）が行われました' });
    assert.match(await alert.textContent() ?? '', new RegExp(`ケース ${kase.reference}`));
    assert.ok(!(await alert.textContent() ?? '').includes('武蔵野 緊急'), 'no personal data in the alert');
    await shot(page, 'c-alerts');
    const count = page.locator('p.count');
    assert.match(await count.textContent() ?? '', /^このページに\d+件（未読は全体で1件）$/);
    await alert.getByRole('button', { name: '既読にする' }).click();
    await alert.getByText('既読にしました。').waitFor();
    assert.match(await count.textContent() ?? '', /（未読は全体で0件）$/);
    await page.waitForFunction(() => !document.querySelector('[data-testid="alerts-link"]')?.hasAttribute('data-unread')
      || document.querySelector('[data-testid="alerts-link"]')?.getAttribute('data-unread') === '0');
    await alert.getByRole('link', { name: '確認する' }).click();

    await page.getByRole('heading', { level: 1, name: '緊急時の閲覧の確認' }).waitFor();
    await page.getByText('全1件（未確認 1件）').waitFor();
    const use = page.getByTestId('break-glass-use').filter({ hasText: `ケース ${kase.reference}` });
    const text = await use.textContent() ?? '';
    for (const said of [REASON, '文化学習協同ネットワーク', worker, '利用者が終了', '未確認']) assert.ok(text.includes(said), said);
    assert.match(text, /開始令和\d+年\d+月\d+日 \d{2}:\d{2}/);
    const close = use.getByRole('button', { name: '確認を完了する' });
    await close.click();
    await use.getByRole('alert').getByText('所見を入力してください。').waitFor();
    await use.getByLabel(/^所見/).fill(FINDING);
    await shot(page, 'd-review');
    await close.click();
    await use.getByText(`ケース ${kase.reference} の確認を完了しました。`).waitFor();
    assert.equal(await use.getAttribute('data-reviewed'), 'true');
    await page.getByText('全1件（未確認 0件）').waitFor();
    assert.ok((await use.textContent() ?? '').includes(FINDING));
    assert.equal(await use.getByRole('button', { name: '確認を完了する' }).count(), 0);

    const closed = await t.db.query<{ reason: string }>("SELECT reason FROM audit_event WHERE action = 'break_glass.review_close' AND entity_id = $1", [kase.id]);
    assert.deepEqual(closed.rows, [{ reason: FINDING }]);
  });

  test('the auditor reads the uses and their findings, and changes nothing', async () => {
    const page = await e.newPage();
    await e.signIn(page, auditor);
    await menu(page).getByRole('link', { name: '緊急時の閲覧の確認' }).click();
    await page.getByTestId('break-glass-read-only').waitFor();
    const use = page.getByTestId('break-glass-use').filter({ hasText: `ケース ${kase.reference}` });
    assert.ok((await use.textContent() ?? '').includes(FINDING));
    assert.equal(await page.getByRole('textbox').count(), 0);
    assert.equal(await menu(page).getByRole('link', { name: '緊急時の閲覧', exact: true }).count(), 0);
  });

  test('with more uses than a page, the officer goes on to the next page and back to the first; the totals stay those of every use', async () => {
    // 55 earlier uses, already reviewed: with the one above, two pages of 50
    await t.db.query(
      `INSERT INTO break_glass (municipality_id, id, case_id, user_id, organization_id, reason, started_at, expires_at, ended_at, reviewed_at, review_finding)
       SELECT b.municipality_id, gen_random_uuid(), b.case_id, b.user_id, b.organization_id, b.reason, at, at + interval '2 hours', at + interval '2 hours', at + interval '1 day', '必要な範囲の閲覧だった'
       FROM break_glass b, (SELECT timestamptz '2026-04-01T00:00:00Z' + g * interval '1 hour' AS at FROM generate_series(1, 55) g) s
       WHERE b.case_id = $1`, [kase.id]);
    const page = await e.newPage();
    await e.signIn(page, officer);
    await page.goto(`${base}/break-glass`);
    await page.getByText('全56件（未確認 0件）').waitFor();
    const uses = page.getByTestId('break-glass-use');
    assert.equal(await uses.count(), 50);
    const pager = page.getByRole('navigation', { name: 'ページ' });
    await pager.getByRole('link', { name: '次へ' }).click();
    await page.waitForURL(/\/break-glass\?cursor=/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="break-glass-use"]').length === 6);
    await page.getByText('全56件（未確認 0件）').waitFor();
    assert.equal(await pager.getByRole('link', { name: '次へ' }).count(), 0, 'the last page');
    await shot(page, 'e-second-page');
    await pager.getByRole('link', { name: '最初のページへ' }).click();
    await page.waitForURL(/\/break-glass$/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="break-glass-use"]').length === 50);
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
