/**
 * 訪問相談 in the browser (issue #12): Musashino's window checks a person
 * against the centre's rules (an ineligible one shows why and the
 * alternatives), applies for an eligible one with the consent covering age and
 * situation; the centre sees the application without the name, accepts it,
 * records a visit and hands the person back to a local organisation; the
 * window sees the outcome.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { systemClock } from '../../src/lib/clock.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { municipalityId } from '../../src/lib/ids.ts';
import { buildUser, MUSASHINO_ID, orgId, TOKYO_CODE } from '../helpers/factories.ts';

const skip = browserUnavailable();
const NAME = '訪問 一郎';
const SITUATION = '昼夜逆転で自室から出ない';

describe('訪問相談: from the window to the centre and back as a local consultation', { skip: skip ?? false }, () => {
  let e: E2e;
  let centre = '';
  let window = '';

  before(async () => {
    e = await startE2e({ prefecture: true });
    centre = (await buildUser(e.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock, login: 'centre-visits', sensitive: true })).login;
    window = (await buildUser(e.t.db, { org: 'welfare-desk', role: 'municipal_window', clock: systemClock, login: 'musashino-window', sensitive: true })).login;
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}home-visits-${name}-${engine}.png`, fullPage: true });
  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });

  test('the application goes to the centre with only the consented fields and comes back handed to a local organisation', async () => {
    const page = await e.newPage();
    await e.signIn(page, window);
    await menu(page).getByRole('link', { name: '訪問相談', exact: true }).click();
    const form = page.getByRole('form', { name: '訪問相談の申込み' });

    // too young and not withdrawn long enough: the reasons and the alternatives, before anything is sent
    await form.getByRole('textbox', { name: '年齢', exact: true }).fill('14');
    await form.getByLabel('ひきこもりの期間（月数）').fill('3');
    await form.getByRole('button', { name: '対象要件を確認する' }).click();
    const result = page.getByTestId('eligibility');
    await result.getByText('訪問相談の対象外です').waitFor();
    await result.getByText('訪問相談の対象は15歳以上の方です。').waitFor();
    await result.getByText('東京都ひきこもりサポートネットの電話相談').waitFor();
    await form.getByRole('button', { name: '送付せずに記録する' }).waitFor();

    await form.getByRole('textbox', { name: '氏名', exact: true }).fill(NAME);
    await form.getByRole('textbox', { name: '年齢', exact: true }).fill('24');
    await form.getByRole('textbox', { name: '状況', exact: true }).fill(SITUATION);
    await form.getByLabel('ひきこもりの期間（月数）').fill('18');
    await form.getByRole('checkbox', { name: '状況', exact: true }).check();
    await form.getByRole('button', { name: '対象要件を確認する' }).click();
    await result.getByText('訪問相談の対象です').waitFor();
    await form.getByRole('button', { name: 'センターへ申し込む' }).click();
    await page.getByText('センターへ申し込みました。').waitFor();
    await page.getByTestId('applications').getByText('センターの受理待ち').waitFor();
    await shot(page, 'window');

    const c = await e.newPage();
    await e.signIn(c, centre);
    await menu(c).getByRole('link', { name: '訪問相談', exact: true }).click();
    await c.getByTestId('centre-applications').getByRole('link').first().click();
    const app = c.getByTestId('application');
    await app.getByText(SITUATION).waitFor();
    assert.equal(await c.getByText(NAME).count(), 0, 'the consent does not cover the name');
    await c.getByRole('button', { name: '受理する' }).click();
    await app.getByText('センターが対応中').waitFor();

    const visit = c.getByRole('form', { name: '訪問を記録する' });
    await visit.getByLabel('訪問者').fill('相談員A、相談員B');
    await visit.getByLabel('場所').fill('自宅');
    await visit.getByLabel('会えた人').fill('母');
    await visit.getByLabel('内容').fill('母と面談。本人はドア越しに返事をした。');
    await visit.getByRole('button', { name: '訪問を記録する' }).click();
    await c.getByTestId('visits').getByText('母と面談。本人はドア越しに返事をした。').waitFor();

    const back = c.getByRole('form', { name: '地域へつなぐ' });
    await back.getByLabel('つなぎ先の機関').selectOption({ label: 'それいゆ' });
    await back.getByLabel('つなぎ先に伝える内容').fill('居場所の利用を本人が希望');
    await back.getByRole('button', { name: '地域へつなぐ' }).click();
    await c.getByTestId('hand-back').getByText(/それいゆ（相談として受付/).waitFor();
    await app.getByText('地域へつなぎ済み').waitFor();
    await shot(c, 'centre');

    await page.reload();
    const row = page.getByTestId('applications').getByRole('row').filter({ hasText: NAME });
    await row.getByText('地域へつなぎ済み').waitFor();
    await row.getByText(/それいゆ（相談として受付/).waitFor();
  });

  test('the centre pages through its applications: fifty a page, the next from the link under the list, the page kept on reload', async () => {
    // 55 applications passed to the centre in January, before the one above
    await e.t.db.query(
      `INSERT INTO home_visit_application (municipality_id, id, prefecture_id, age, past_compulsory_schooling, lives_in_municipality, months_withdrawn, consent_by,
         consented_on, consent_method, consent_fields, eligible, status, legal_basis, passed_at, applied_organization_id, applied_role, created_at)
       SELECT $1, gen_random_uuid(), $2, 20 + i % 30, true, true, 12, 'person', '2026-01-01', 'phone', '["age"]', true, 'passed', 'consent',
         timestamptz '2026-01-05T00:00:00Z' + i * interval '1 hour', $3, 'municipal_window', timestamptz '2026-01-05T00:00:00Z' + i * interval '1 hour'
       FROM generate_series(1, 55) i`, [MUSASHINO_ID, municipalityId(TOKYO_CODE), orgId('welfare-desk')]);
    const { rows: [{ n: total }] } = await e.t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM home_visit_application WHERE status <> 'not_passed'`);
    const c = await e.newPage();
    await e.signIn(c, centre);
    await menu(c).getByRole('link', { name: '訪問相談', exact: true }).click();
    const rows = (n: number) => c.waitForFunction((n) => document.querySelectorAll('[data-testid=centre-applications] tbody tr').length === n, n);
    const links = () => c.getByTestId('centre-applications').getByRole('link').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    await rows(50);
    const first = await links();
    const pages = c.getByRole('navigation', { name: 'ページ' });
    await pages.getByRole('link', { name: '次へ' }).click();
    await c.waitForURL(/cursor=/);
    await rows(total - 50);
    const second = await links();
    assert.equal(new Set([...first, ...second]).size, total, 'every application on one of the two pages, once');
    await c.reload();
    await rows(total - 50);
    assert.deepEqual(await links(), second);
    await shot(c, 'centre-second-page');
    await pages.getByRole('link', { name: '最初のページへ' }).click();
    await rows(50);
    assert.deepEqual(await links(), first);
  });
});
