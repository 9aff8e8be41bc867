import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { engine } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, MUSASHINO_ID, orgId, TEST_TOTP_SECRET } from '../helpers/factories.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { currentCode } from '../../src/modules/auth/mfa.ts';
import { openCase } from '../../src/modules/cases/service.ts';

const skip = browserUnavailable();

describe('the privacy officer sees a staff member’s read of a case in the audit review', { skip: skip ?? false }, () => {
  let e: E2e;
  let staff: string;
  let officer: string;
  let caseId: string;

  before(async () => {
    e = await startE2e();
    const hub = await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock });
    const c = await openCase({ db: e.t.db, clock: systemClock },
      { userId: hub.id, login: hub.login, municipalityId: MUSASHINO_ID, organizationId: orgId('welfare-desk'), role: 'hub_coordinator' },
      { person: { name: '監査 確認子', nameKana: 'かんさ かくにんこ' } });
    caseId = c.id;
    staff = (await buildUser(e.t.db, { org: 'welfare-desk', role: 'org_staff', clock: systemClock, login: 'staff-reader' })).login;
    officer = (await buildUser(e.t.db, { org: 'livelihood-welfare-section', role: 'privacy_officer', clock: systemClock })).login;
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}audit-review-${name}-${engine}.png`, fullPage: true });

  test('a staff member reads a case; the privacy officer finds the read, narrows to the user, and saves the CSV after the code', async () => {
    const staffPage = await e.newPage();
    await e.signIn(staffPage, staff);
    await staffPage.goto(`${e.base}/cases/${caseId}`);
    await staffPage.getByRole('heading', { level: 1 }).waitFor();
    assert.ok((await staffPage.textContent('body'))?.includes('監査 確認子'));

    const page = await e.newPage();
    await e.signIn(page, officer);
    const menu = page.getByRole('navigation', { name: 'メインメニュー' });
    assert.equal(await menu.getByRole('link', { name: 'ケース一覧' }).count(), 0, 'the privacy officer does not work with cases');
    await menu.getByRole('link', { name: '監査記録の確認' }).click();
    await page.getByRole('heading', { name: '監査記録の確認', level: 1 }).waitFor();
    const events = page.getByTestId('audit-events');
    await events.waitFor();
    const row = events.locator('tr', { hasText: 'case.read' }).filter({ hasText: staff });
    await row.first().waitFor();
    assert.ok((await row.first().textContent())?.includes(caseId), 'the row names the case read');
    await shot(page, 'events');

    await events.getByRole('link', { name: staff }).first().click();
    await page.waitForURL(/login=staff-reader/);
    // The URL changes before the narrowed list replaces the old one (router transition, then loading):
    // wait for the list that answers the new address rather than reading whichever table is up.
    const onlyStaff = (login: string) => {
      const cells = [...document.querySelectorAll('[data-testid="audit-events"] tbody tr td:nth-child(2) a')];
      return cells.length > 0 && cells.every((c) => c.textContent === login);
    };
    const narrowed = await page.waitForFunction(onlyStaff, staff, { timeout: 15_000 }).then(() => true, () => false);
    const logins = await events.locator('tbody tr td:nth-child(2) a').allTextContents();
    assert.ok(narrowed, `only the staff member's events: ${logins.join(', ')}`);

    // the CSV asks for the authenticator code first, then downloads
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'この期間の記録をCSVで保存' }).click();
    const dialog = page.getByTestId('step-up');
    await dialog.waitFor();
    await dialog.getByLabel('確認コード', { exact: false }).fill(currentCode(TEST_TOTP_SECRET, new Date()));
    await dialog.getByRole('button', { name: '確認して続ける' }).click();
    const file = await download;
    const path = `${ARTIFACTS}audit-review-${engine}.csv`;
    await file.saveAs(path);
    const csv = readFileSync(path, 'utf8');
    assert.ok(csv.startsWith('\uFEFF日時,ログインID'));
    assert.ok(csv.includes(staff) && csv.includes(caseId));

    await page.getByRole('link', { name: '時間外' }).click();
    await page.getByText('勤務時間: 08:30〜17:15（日本時間）').waitFor();
    await shot(page, 'out-of-hours');
  });
});
