import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { engine, type TestDb } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, MUSASHINO_ID } from '../helpers/factories.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { enqueueMessage } from '../../src/modules/notifications/service.ts';

const skip = browserUnavailable();

describe('お知らせ: a desk worker back from leave marks everything read at once', { skip: skip ?? false }, () => {
  let t: TestDb;
  let e: E2e;
  let base: string;
  let desk: { id: string; login: string };

  before(async () => {
    e = await startE2e();
    ({ t, base } = e);
    desk = await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock });
    for (const [i, to] of [{ toRole: 'hub_coordinator' as const }, { toUserId: desk.id }, { toRole: 'hub_coordinator' as const }].entries())
      await enqueueMessage(t.db, systemClock, { municipalityId: MUSASHINO_ID, kind: 'test', ...to, subject: `休暇中のお知らせ${i + 1}`, body: '対応事項の期限が近づいています。' });
  });
  after(() => e?.close());

  const unreadInHeader = (page: Page, n: number) => page.waitForFunction((n) => {
    const link = document.querySelector('[data-testid="alerts-link"]');
    return (link?.getAttribute('data-unread') ?? '0') === String(n);
  }, n);

  test('すべて既読にする reads every alert shown; one that arrives later is unread', async () => {
    const page = await e.newPage();
    await e.signIn(page, desk.login);
    await unreadInHeader(page, 3);
    await page.getByTestId('alerts-link').click();
    await page.getByRole('heading', { level: 1, name: 'お知らせ' }).waitFor();
    // the heading comes before the list has loaded: wait for the list's own count
    await page.getByText('このページに3件（未読は全体で3件）').waitFor();
    assert.equal(await page.locator('[data-testid="alert"][data-unread="true"]').count(), 3);

    await page.getByRole('button', { name: 'すべて既読にする' }).click();
    await page.getByText('すべて既読にしました。').waitFor();
    assert.equal(await page.locator('[data-testid="alert"][data-unread="true"]').count(), 0);
    await page.getByText('このページに3件（未読は全体で0件）').waitFor();
    assert.equal(await page.getByRole('button', { name: 'すべて既読にする' }).count(), 0, 'nothing left to mark');
    await unreadInHeader(page, 0);
    await page.screenshot({ path: `${ARTIFACTS}alerts-all-read-${engine}.png`, fullPage: true });

    await enqueueMessage(t.db, systemClock, { municipalityId: MUSASHINO_ID, kind: 'test', toRole: 'hub_coordinator', subject: '戻った後のお知らせ', body: '新しい相談があります。' });
    await page.reload();
    await page.getByText('このページに4件（未読は全体で1件）').waitFor();
    const fresh = page.locator('[data-testid="alert"][data-unread="true"]');
    assert.equal(await fresh.count(), 1);
    assert.match(await fresh.textContent() ?? '', /戻った後のお知らせ/);
  });
});
