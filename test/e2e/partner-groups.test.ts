/**
 * 連携団体 (issue 12) in a browser: a Musashino desk refers a case to one of
 * the prefecture's partner groups on the person's consent naming it, and
 * records the group's acceptance on its behalf; a resident using the
 * navigator is shown the group beside the city's windows, labelled as the
 * prefecture's; the centre reads only the counts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { systemClock } from '../../src/lib/clock.ts';
import { profileEntityId } from '../../src/lib/ids.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, MUSASHINO_CODE, signInAs, TOKYO_CODE } from '../helpers/factories.ts';

const skip = browserUnavailable();
const GROUP = '（例）ひきこもり家族会つばめの会';
const groupId = profileEntityId(MUSASHINO_CODE, 'partner', `${TOKYO_CODE}/example-family-group`);

describe('a referral to a partner group, and the group in the navigator', { skip: skip ?? false }, () => {
  let e: E2e;
  let deskLogin = '';
  let caseId = '';
  let caseReference = '';

  before(async () => {
    e = await startE2e({ prefecture: true });
    deskLogin = (await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    // the case and the person's consent naming the family group, as the desk recorded them earlier
    const desk = await signInAs(e.app, deskLogin);
    const post = async (url: string, payload: object) => {
      const res = await e.app.inject({ method: 'POST', url, headers: desk.headers, payload: payload as Record<string, unknown> });
      assert.equal(res.statusCode, 201, `${url}: ${res.body}`);
      return res.json();
    };
    const c = await post('/api/cases', { person: { name: '連携 次郎', nameKana: 'れんけい じろう', birthDate: '1988-02-01' } });
    caseId = c.id;
    caseReference = c.reference;
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    await post(`/api/cases/${caseId}/consents`, { givenOn: today, scope: '家族会への紹介（母親の参加）', method: 'written', organizationIds: [groupId] });
  });
  after(async () => {
    await e?.close();
  });

  test('the desk refers the case to the family group on the consent naming it, then records the group’s acceptance', async () => {
    const page = await e.newPage();
    await e.signIn(page, deskLogin);
    await page.goto(`${e.base}/cases/${caseId}`);
    await page.getByRole('button', { name: '紹介を送る' }).click();
    const form = page.locator('#referral-form');
    await form.getByLabel('紹介先（事業または機関）').selectOption({ label: `${GROUP}［連携団体（東京都）］` });
    await form.getByLabel('紹介の理由').fill('母親が同じ立場の家族と話したいと希望。');
    await form.getByLabel('紹介先に伝える内容').fill('母親からの相談。本人は30代で、家からほとんど出ない。');
    await form.getByLabel(/^共有の根拠(必須)?$/).selectOption({ label: '本人同意（個人情報保護法第69条第2項第1号）' });
    assert.equal(await form.getByTestId('no-consent').count(), 0, 'the consent names the group');
    await form.getByRole('button', { name: '紹介を送る' }).click();
    const card = page.getByTestId('case-referrals').getByTestId('referral');
    await card.waitFor();
    assert.match(await card.textContent() ?? '', /連携団体（東京都）/);
    // the group has no accounts: the desk records its answer, and is told why it may
    await card.getByText('連携団体はつなぐのアカウントを持たないため').waitFor();
    await card.getByLabel('メモ').fill('団体の代表から電話で受諾の連絡');
    await card.getByRole('button', { name: '受諾する' }).click();
    await card.getByText('「受諾」にしました。').waitFor();
    assert.equal(await card.getAttribute('data-status'), 'accepted');
    assert.match(await card.locator('.referral-history').textContent() ?? '', /連携団体の回答を代理で記録: 団体の代表から電話で受諾の連絡/);
    await page.screenshot({ path: `${ARTIFACTS}partner-referral-accepted-${engine}.png`, fullPage: true });
    assert.ok(caseReference);
    await page.context().close();
  });

  test('the centre sees the referral as a count for Musashino, small counts suppressed', async () => {
    const centre = (await buildUser(e.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock })).login;
    const page = await e.newPage();
    await e.signIn(page, centre);
    await page.goto(`${e.base}/prefecture/partner-groups`);
    const row = page.getByTestId('partner-group').filter({ hasText: GROUP });
    await row.waitFor();
    assert.match(await row.textContent() ?? '', /<3/);
    assert.doesNotMatch(await page.textContent('body') ?? '', /連携 次郎|れんけい/);
    await page.context().close();
  });

  test('a parent asking in the navigator about a 35-year-old who stays home sees the family group as the prefecture’s', async () => {
    const page = await e.newPage({ width: 390, height: 844 });
    await page.goto(`${e.base}/public/${MUSASHINO_CODE}/navigator`);
    await page.getByRole('heading', { level: 1, name: '相談先ナビ' }).waitFor();
    await page.getByLabel('子どものこと').check();
    await page.getByLabel('年齢（歳）').fill('35');
    await page.getByLabel('家からほとんど出ない・ひきこもっている').check();
    await page.getByRole('button', { name: '相談先をさがす' }).click();
    const partners = page.getByTestId('navigator-partners');
    await partners.getByRole('heading', { name: '東京都の連携団体' }).waitFor();
    const names = await partners.getByTestId('navigator-partner').locator('h4').allTextContents();
    assert.ok(names.includes(GROUP), names.join(', '));
    assert.ok(!names.some((n) => n.includes('非公開')), 'a group that is not public is never shown');
    assert.match(await partners.textContent() ?? '', /この情報は東京都が提供しています/);
    await page.screenshot({ path: `${ARTIFACTS}partner-navigator-${engine}.png`, fullPage: true });
    await page.context().close();
  });
});
