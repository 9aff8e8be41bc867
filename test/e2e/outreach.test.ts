import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { engine } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, orgId, programId, signInAs } from '../helpers/factories.ts';
import { systemClock } from '../../src/lib/clock.ts';

const skip = browserUnavailable();

/** Today in Japan, as date inputs give it; the app runs on the real clock here. */
const japanToday = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('a nurse of the commissioned station records outreach visits, and the desk sees the stage over time', { skip: skip ?? false }, () => {
  let e: E2e;
  let desk: string;
  let nurse: string;
  let caseId: string;
  let reference: string;
  const today = japanToday();

  before(async () => {
    e = await startE2e();
    desk = (await buildUser(e.t.db, { org: 'welfare-desk', clock: systemClock })).login;
    nurse = (await buildUser(e.t.db, { org: 'home-visit-nursing-station', clock: systemClock })).login;
    const h = (await signInAs(e.app, desk)).headers;
    const call = async (url: string, payload: object) => {
      const res = await e.app.inject({ method: 'POST', url, headers: h, payload: payload as Record<string, unknown> });
      assert.ok(res.statusCode < 300, `${url}: ${res.body}`);
      return res.json();
    };
    // the desk opens the case, records the family's consent naming the station, and enrols the person
    const c = await call('/api/cases', { person: { name: '訪問 次郎', nameKana: 'ほうもん じろう', birthDate: '1985-03-03' } });
    caseId = c.id;
    reference = c.reference;
    const consent = await call(`/api/cases/${c.id}/consents`, { givenOn: today, scope: '精神保健アウトリーチ', method: 'written', organizationIds: [orgId('home-visit-nursing-station')] });
    const enrolment = await call(`/api/programs/${programId('mental-health-outreach')}/enrolments`, { caseId: c.id, legalBasis: { basis: 'consent', consentId: consent.id }, intervalDays: 14 });
    // enrolled five weeks ago, so the visits can fall on past dates (the app runs on the real clock)
    await e.t.db.query('UPDATE outreach_enrolment SET enrolled_on = $2 WHERE id = $1', [enrolment.id, addDays(today, -35)]);
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}outreach-${name}-${engine}.png`, fullPage: true });

  async function recordVisit(page: Page, v: { on: string; met: string; stage: string; text: string }) {
    await page.getByRole('button', { name: '訪問を記録する' }).click();
    const form = page.getByRole('form', { name: '訪問を記録する' });
    await form.getByLabel(/^訪問日/).fill(v.on);
    await form.getByLabel('訪問者の職種').fill('看護師');
    await form.getByLabel('訪問時間（分）').fill('40');
    await form.getByLabel(v.met === '本人' ? '自宅内' : '玄関先', { exact: true }).check();
    await form.getByLabel(v.met, { exact: true }).check();
    await form.getByLabel('訪問の内容').fill(v.text);
    await form.getByLabel(/^段階/).selectOption({ label: v.stage });
    await form.getByRole('button', { name: '訪問を保存' }).click();
    await page.getByTestId('outreach-visits').getByRole('row', { name: new RegExp(v.text) }).waitFor();
  }

  test('three visits move the person from family only to meeting the visitor; the desk reads the chart', async () => {
    const page = await e.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await e.signIn(page, nurse);
    // the station's queue lists the person, overdue: no visit for longer than the plan
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: 'アウトリーチ' }).click();
    const queue = page.getByTestId('outreach-queue');
    await queue.getByRole('row', { name: new RegExp(`${reference}.*訪問が遅れています`) }).waitFor();
    await shot(page, 'queue');
    await queue.getByRole('link', { name: reference }).click();
    await page.getByRole('heading', { name: 'アウトリーチ（訪問支援）', level: 2 }).waitFor();

    await recordVisit(page, { on: addDays(today, -28), met: '家族のみ', stage: '家族を通じた接触', text: '母親と玄関先で話した。本人は部屋にいる。' });
    await recordVisit(page, { on: addDays(today, -14), met: '家族のみ', stage: '家族を通じた接触', text: '母親に手紙を託した。' });
    await recordVisit(page, { on: today, met: '本人', stage: '訪問者と会える', text: '本人が居間に出てきて少し話せた。' });
    assert.equal(await page.getByTestId('outreach-current-stage').textContent(), '訪問者と会える');
    await shot(page, 'nurse-case');

    // the station ends outreach: the person went to medical care, handed over to 健康課 by a referral
    await page.getByRole('button', { name: 'アウトリーチを終了する' }).click();
    const end = page.getByRole('form', { name: 'アウトリーチを終了する' });
    await end.getByLabel('医療', { exact: true }).check();
    await end.getByLabel('他の機関へ引き継ぐ（紹介を送る）').check();
    await end.getByLabel(/^引継ぎ先の機関/).selectOption({ label: '健康課' });
    await end.getByLabel(/^紹介の理由/).fill('通院開始後の見守りをお願いしたい。');
    await end.getByLabel(/^共有の根拠(必須)?$/).selectOption({ label: '個人情報保護法第69条第2項第2〜4号（理由を記録）' });
    await end.getByLabel(/^第3号/).check();
    await end.getByLabel(/^共有してよい理由/).fill('本人の健康の保護に必要で、本人の同意を得ることが困難なため。');
    await end.getByLabel(/^紹介先に伝える内容/).fill('訪問で本人と会えるようになり、精神科の受診につながった。');
    await end.getByRole('button', { name: '終了する', exact: true }).click();
    await page.getByTestId('outreach-enrolment').getByText('終了（行き先）').waitFor();
    assert.equal(await page.getByRole('button', { name: '訪問を記録する' }).count(), 0, 'no visits after the end');
    await page.reload();
    await page.locator('#case-referrals').getByText(/健康課/).first().waitFor();
    await shot(page, 'nurse-ended');

    const deskPage = await e.newPage();
    deskPage.on('pageerror', (err) => errors.push(err.message));
    await e.signIn(deskPage, desk);
    await deskPage.goto(`${e.base}/cases/${caseId}`);
    const chart = deskPage.getByTestId('outreach-stage-chart');
    await chart.locator('canvas').waitFor();
    assert.match((await chart.getAttribute('aria-label')) ?? '', /訪問3回、現在: 訪問者と会える/);
    const rows = deskPage.getByTestId('outreach-visits').locator('tbody tr');
    assert.equal(await rows.count(), 3);
    assert.match((await rows.nth(0).textContent()) ?? '', /家族のみ.*家族を通じた接触/);
    assert.match((await rows.nth(2).textContent()) ?? '', /本人.*訪問者と会える/);
    await deskPage.getByTestId('outreach-enrolment').scrollIntoViewIfNeeded();
    await shot(deskPage, 'desk-chart');
    assert.deepEqual(errors, []);
  });

  test('the desk enrols a person in the outreach program on the consent naming the station', async () => {
    const h = (await signInAs(e.app, desk)).headers;
    const post = async (url: string, payload: object) => (await e.app.inject({ method: 'POST', url, headers: h, payload: payload as Record<string, unknown> })).json();
    const c = await post('/api/cases', { person: { name: '訪問 三郎', nameKana: 'ほうもん さぶろう', birthDate: '1990-01-01' } });
    await post(`/api/cases/${c.id}/consents`, { givenOn: today, scope: '精神保健アウトリーチ', method: 'written', organizationIds: [orgId('home-visit-nursing-station')] });
    const page = await e.newPage();
    await e.signIn(page, desk);
    await page.goto(`${e.base}/cases/${c.id}`);
    await page.getByRole('button', { name: 'アウトリーチに登録する' }).click();
    const form = page.getByRole('form', { name: 'アウトリーチに登録する' });
    await form.getByLabel(/^共有の根拠(必須)?$/).selectOption({ label: '本人同意（個人情報保護法第69条第2項第1号）' });
    const only = form.getByRole('group', { name: /根拠とする本人の同意/ }).getByRole('radio');
    assert.ok(await only.isChecked(), 'the only consent naming the station is pre-selected');
    await form.getByLabel(/^訪問の間隔/).fill('21');
    await form.getByRole('button', { name: '登録する', exact: true }).click();
    const enrolment = page.getByTestId('outreach-enrolment');
    await enrolment.getByText('21日ごと').waitFor();
    await enrolment.getByText('接触なし').waitFor();
    await shot(page, 'desk-enrolled');
  });
});
