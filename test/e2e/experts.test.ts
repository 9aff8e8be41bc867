/**
 * 多職種専門チーム in the browser (issue #12, Done means): the centre
 * schedules a conference; Musashino's hub submits a case from its page and is
 * refused while the text still holds the person's name (written with a
 * full-width space), with the place marked; rewritten, it is sent; the seated
 * expert answers; the advice appears in the case's timeline, and an
 * organisation with no part in the case gets 見つかりません.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { systemClock } from '../../src/lib/clock.ts';
import { openCase } from '../../src/modules/cases/service.ts';
import { browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, MUSASHINO_ID, orgId, TOKYO_CODE } from '../helpers/factories.ts';

const skip = browserUnavailable();
const inDays = (n: number) => new Date(Date.now() + 9 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
const ADVICE = '家族の休息を優先し、本人への働きかけは急がない。';

describe('多職種専門チーム: a case submitted, refused while it names the person, sent, answered, and the advice on the case', { skip: skip ?? false }, () => {
  let e: E2e;
  let caseId = '';
  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });

  before(async () => {
    e = await startE2e({ prefecture: true });
    await buildUser(e.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock, login: 'centre-worker' });
    await buildUser(e.t.db, { org: 'support-net', role: 'expert_member', code: TOKYO_CODE, clock: systemClock, login: 'psychologist' });
    await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock, login: 'musashino-hub' });
    await buildUser(e.t.db, { org: 'health-centre', role: 'org_staff', clock: systemClock, login: 'outsider' });
    const hub = { userId: null, login: null, municipalityId: MUSASHINO_ID, organizationId: orgId('welfare-desk'), role: 'hub_coordinator', sensitiveAccess: true };
    caseId = (await openCase({ db: e.t.db, clock: systemClock }, hub, { person: { name: '森川 花子', nameKana: 'もりかわ はなこ', birthDate: '2001-04-02' } })).id;
  });
  after(() => e?.close());

  test('the centre schedules a conference and seats the psychologist', async () => {
    const page = await e.newPage();
    await e.signIn(page, 'centre-worker');
    await menu(page).getByRole('link', { name: '多職種専門チーム' }).click();
    await page.getByLabel('開催日').fill(inDays(20));
    await page.getByLabel('会議名').fill('事例検討会');
    await page.getByLabel('心理').selectOption({ label: 'テスト psychologist' });
    await page.getByRole('button', { name: '予定する' }).click();
    await page.getByTestId('expert-conferences').getByText('事例検討会').waitFor();
  });

  test('the hub’s submission is refused while it names the person, with the place marked; rewritten, it is sent', async () => {
    const page = await e.newPage();
    await e.signIn(page, 'musashino-hub');
    await page.goto(`${e.base}/cases/${caseId}`);
    await page.getByRole('link', { name: '多職種専門チームに相談する' }).click();
    await page.getByTestId('expert-conference').selectOption({ index: 1 });
    await page.getByTestId('expert-background').fill('森川　花子さんは高校卒業後から自宅に閉じこもっている。');
    await page.getByTestId('expert-question-0').fill('家族への関わり方について助言がほしい。');
    await page.getByTestId('expert-send').click();
    const hit = page.getByTestId('expert-hit');
    await hit.waitFor();
    assert.equal(await hit.innerText(), '森川　花子');
    await page.getByTestId('expert-error-background').getByText(/氏名/).waitFor();

    await page.getByTestId('expert-background').fill('本人は高校卒業後から自宅に閉じこもっている。');
    await page.getByTestId('expert-send').click();
    await page.getByText('送りました。').waitFor();
    await page.getByTestId('expert-submission').getByText(/^E-/).waitFor();
  });

  test('the seated expert reads the case code, never the name, and answers', async () => {
    const page = await e.newPage();
    await e.signIn(page, 'psychologist');
    await menu(page).getByRole('link', { name: '多職種専門チーム' }).click();
    const submission = page.getByTestId('expert-submission');
    await submission.waitFor();
    const text = await page.locator('main, body').first().innerText();
    assert.ok(!text.includes('森川') && !text.includes('もりかわ'), 'no name reaches the expert');
    assert.ok(text.includes('20代'));
    await page.getByTestId('expert-advice-1').fill(ADVICE);
    await page.getByTestId('expert-advice-save').click();
    await page.getByText('記録しました。').waitFor();
    await page.getByTestId('expert-advice').getByText(ADVICE).waitFor();
  });

  test('the advice is on the case for its participants; an organisation with no part gets 見つかりません', async () => {
    const page = await e.newPage();
    await e.signIn(page, 'musashino-hub');
    await page.goto(`${e.base}/cases/${caseId}`);
    await page.getByText(`多職種専門チームの助言（心理・質問1）: ${ADVICE}`).waitFor();

    const other = await e.newPage();
    await e.signIn(other, 'outsider');
    await other.goto(`${e.base}/cases/${caseId}`);
    await other.getByRole('heading', { level: 1, name: '見つかりません' }).waitFor();
  });
});
