import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { FILES } from '../../src/modules/privacy/register.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, MUSASHINO_ID, signInAs, TEST_TOTP_SECRET } from '../helpers/factories.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { currentCode } from '../../src/modules/auth/mfa.ts';
import { takeInConcerns } from '../../src/modules/intake/concerns.ts';

const skip = browserUnavailable();

describe('the privacy officer answers a disclosure request', { skip: skip ?? false }, () => {
  let e: E2e;
  let officer: string;
  let receipt = '';

  before(async () => {
    e = await startE2e();
    officer = (await buildUser(e.t.db, { org: 'livelihood-welfare-section', role: 'privacy_officer', clock: systemClock })).login;
    // A neighbour's concern report, taken in by the hub, becomes the case of the person who later asks for their record.
    receipt = `PRIV-${randomUUID().slice(0, 4).toUpperCase()}`;
    await takeInConcerns({ db: e.t.db, clock: systemClock }, {
      fetch: async () => [{
        municipalityId: MUSASHINO_ID, id: randomUUID(), receiptCode: receipt, receivedAt: new Date(),
        payload: { aboutRelation: 'neighbour', aboutAgeBand: '40s', worries: ['hikikomori'], concern: '隣の息子さんを半年以上見かけない。', anonymous: false, name: '近所 花子', phone: '0422-11-2222' },
      }],
      confirm: async () => {},
    });
    const { rows } = await e.t.db.query<{ consultation_id: string }>('SELECT consultation_id FROM concern_report WHERE receipt_code = $1', [receipt]);
    const desk = (await signInAs(e.app, (await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login)).headers;
    const opened = await e.app.inject({
      method: 'POST', url: '/api/cases', headers: desk,
      payload: { person: { name: '開示 太郎', nameKana: 'かいじ たろう', birthDate: '1982-05-05' }, consultationIds: [rows[0].consultation_id] },
    });
    assert.equal(opened.statusCode, 201, opened.body);
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}privacy-${name}-${engine}.png`, fullPage: true });

  test('registers the request, opens the package after the code again, and the reporter is withheld with its ground', async () => {
    const page = await e.newPage();
    await e.signIn(page, officer);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '開示等の請求' }).click();
    await page.getByRole('heading', { level: 1, name: '開示・訂正・利用停止の請求' }).waitFor();
    await page.getByRole('link', { name: '請求を受け付ける' }).click();

    // Sending the empty form says what is missing, and the summary takes the focus.
    await page.getByRole('button', { name: '受け付ける', exact: true }).click();
    const summary = page.getByRole('alert').filter({ hasText: '入力内容を確認してください' });
    await summary.waitFor();
    assert.match(await summary.textContent() ?? '', /請求の種類を選んでください/);

    await page.getByLabel('開示請求', { exact: true }).check();
    await page.getByLabel('氏名・ふりがなで検索').fill('かいじ');
    await page.getByLabel('氏名・ふりがなで検索').press('Enter');
    await page.getByTestId('privacy-person-results').getByRole('button', { name: 'この方を選ぶ' }).click();
    await page.getByTestId('chosen-person').getByText('開示 太郎').waitFor();
    await page.getByLabel('本人確認の方法').fill('運転免許証');
    await page.getByLabel('請求の内容').fill('私に関して市が保有している記録の全部');
    await shot(page, 'a-register');
    await page.getByRole('button', { name: '受け付ける', exact: true }).click();
    await page.getByRole('status').filter({ hasText: /請求 P\d{4}-\d{5} を受け付けました/ }).waitFor();
    assert.match(await page.locator('body').textContent() ?? '', /あと30日/);

    // The package asks for the authenticator code again (step-up), then opens.
    await page.getByRole('link', { name: '開示資料を開く' }).click();
    const dialog = page.getByRole('dialog', { name: '確認コードの入力' });
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: '確認コード' }).fill(currentCode(TEST_TOTP_SECRET, new Date()));
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    await page.getByRole('heading', { level: 1, name: '保有個人情報開示資料' }).waitFor();

    const doc = page.getByTestId('disclosure-document');
    const text = await doc.textContent() ?? '';
    assert.ok(text.includes('開示 太郎'), "the person's own record is there");
    assert.ok(!text.includes('近所 花子') && !text.includes('0422-11-2222'), 'the reporter is withheld');
    assert.match(await page.getByTestId('doc-concern').textContent() ?? '', /■■■（不開示 ※1）/);
    assert.match(await page.getByTestId('doc-withheld').textContent() ?? '', /※1.*気がかり相談の通報者.*個人情報保護法第78条第1項第2号（開示請求者以外の個人に関する情報）/);
    const panel = page.getByTestId('redaction-panel');
    assert.match(await panel.textContent() ?? '', /不開示.*気がかり相談の通報者/);
    await shot(page, 'b-package');

    // On paper the redaction panel and the buttons are gone; the document stays.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await panel.isVisible(), false);
    assert.equal(await doc.isVisible(), true);
    await page.pdf({ path: `${ARTIFACTS}privacy-package-${engine}.pdf`, format: 'A4' }).catch(() => {});
    await page.emulateMedia({ media: 'screen' });

    const { rows } = await e.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'export.disclosure_package'`);
    assert.equal(rows[0].n, 1, 'opening the package is recorded as an export');

    // The decision (一部開示, with its reason), then the release is recorded: digest and redactions, not the data.
    await page.getByRole('link', { name: /請求 P\d{4}-\d{5} に戻る/ }).click();
    await page.getByRole('button', { name: '決定を記録する' }).click();
    await page.getByLabel('一部開示', { exact: true }).check();
    await page.getByRole('button', { name: '決定を記録する' }).click();
    await page.getByRole('alert').filter({ hasText: '全部又は一部を認めない決定には理由を入力してください' }).waitFor();
    await page.getByLabel('理由', { exact: false }).first().fill('第三者（通報者）の個人に関する情報を含むため（第78条第1項第2号）');
    await page.getByRole('button', { name: '決定を記録する' }).click();
    await page.getByRole('status').filter({ hasText: '決定を記録しました。' }).waitFor();
    await shot(page, 'c-decided');
    await page.getByRole('link', { name: '開示資料を開く' }).click();
    await page.getByRole('button', { name: '開示の実施を記録する' }).click();
    const record = page.getByTestId('release-record');
    await record.waitFor();
    assert.match(await record.textContent() ?? '', /[0-9a-f]{64}/);
    await shot(page, 'd-released');
  });

  test('the file register lists each file with its purpose, items and regular recipients, ready to print', async () => {
    const page = await e.newPage();
    await e.signIn(page, officer);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '個人情報ファイル簿' }).click();
    await page.getByRole('heading', { level: 1, name: '個人情報ファイル簿' }).waitFor();
    const files = page.getByTestId('register-file');
    await files.first().waitFor();
    // one entry per file the register defines (src/modules/privacy/register.ts)
    assert.equal(await files.count(), FILES.length);
    const first = await files.first().textContent() ?? '';
    assert.match(first, /相談支援ケース記録ファイル.*利用目的.*記録項目.*要配慮個人情報含む.*経常的提供先.*それいゆ/s);
    await shot(page, 'e-register');
  });
});
