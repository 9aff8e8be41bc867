import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page, Route } from 'playwright-core';
import { engine, type TestDb } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, signInAs } from '../helpers/factories.ts';
import type { App } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';

const skip = browserUnavailable();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('nothing a person typed is lost', { skip: skip ?? false }, () => {
  let t: TestDb;
  let app: App;
  let e: E2e;
  let base: string;
  let deskA: string;
  let deskB: string;

  before(async () => {
    e = await startE2e();
    ({ t, app, base } = e);
    deskA = (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    deskB = (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
  });
  after(() => e?.close());

  const newPage = (viewport?: { width: number; height: number }) => e.newPage(viewport);

  const signIn = (page: Page, login: string) => e.signIn(page, login);

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}edits-${name}-${engine}.png`, fullPage: true });

  /** A consultation recorded through the API, as another desk worker would have. */
  async function consultation(summary: string) {
    const { headers } = await signInAs(app, deskA);
    const res = await app.inject({
      method: 'POST', url: '/api/consultations', headers,
      payload: {
        receivedAt: new Date(Date.now() - 3_600_000).toISOString(), channel: 'phone', consulterRelation: 'family',
        consulterDetail: '母', issueTags: ['hikikomori'], summary, urgency: 'normal',
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string };
  }

  async function supportCase(name: string) {
    const { headers } = await signInAs(app, deskA);
    const res = await app.inject({ method: 'POST', url: '/api/cases', headers, payload: { person: { name, gender: '男性' } } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; person: { id: string } };
  }

  const consultationsWith = async (summary: string) =>
    (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM consultation WHERE summary = $1', [summary])).rows[0]?.n;

  /** Fills the 相談受付 form with a family phone call. */
  async function fillIntake(page: Page, summary: string) {
    await page.goto(`${base}/consultations/new`);
    await page.getByLabel('電話', { exact: true }).check();
    await page.getByLabel('家族', { exact: true }).check();
    await page.getByLabel('相談者について（続柄・名前など）').fill('母');
    await page.getByLabel('ひきこもり', { exact: true }).check();
    await page.getByLabel('相談の概要').fill(summary);
  }

  /**
   * POST /api/consultations through `first` for the first `times` requests,
   * then on to the server; every Idempotency-Key sent is kept.
   */
  async function interceptIntake(page: Page, first: (route: Route) => Promise<void>, times = 1) {
    const keys: string[] = [];
    let n = 0;
    await page.route('**/api/consultations', async (route) => {
      if (route.request().method() !== 'POST') return route.fallback();
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (n++ < times) return first(route);
      return route.fallback();
    });
    return keys;
  }

  const unavailable = (route: Route) => route.fulfill({
    status: 503, headers: { 'retry-after': '1' }, contentType: 'application/json',
    body: JSON.stringify({ error: 'サービスが一時的に利用できません。', code: 'unavailable', fields: [] }),
  });

  test('two desk workers correct the same consultation at once; the second sees the other’s change, merges, and both are kept', async () => {
    const { id } = await consultation('マージの確認：母からの電話。息子が家から出ていない。');
    const [a, b] = [await newPage(), await newPage()];
    await signIn(a, deskA);
    await signIn(b, deskB);
    for (const page of [a, b]) {
      await page.goto(`${base}/consultations/${id}`);
      await page.getByRole('button', { name: '記録内容を修正する' }).click();
    }
    await a.locator('#edit-form').getByLabel('至急', { exact: true }).check();
    await a.getByRole('button', { name: '修正を保存する' }).click();
    await a.getByTestId('notice').getByText('修正を保存しました。').waitFor();

    await b.locator('#edit-form').getByLabel('相談者について（続柄・名前など）').fill('母（80代）');
    await b.getByRole('button', { name: '修正を保存する' }).click();
    const merge = b.getByTestId('merge');
    await merge.getByRole('heading', { name: '他の人が先に更新しました' }).waitFor();
    assert.deepEqual(await merge.locator('thead th').allTextContents(), ['項目', 'あなたの入力', '現在の内容（他の人の変更）']);
    assert.deepEqual(await merge.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field'))), ['urgency', 'consulterDetail']);
    const urgency = merge.locator('tr[data-field="urgency"]');
    assert.match(await urgency.locator('td').nth(0).textContent() ?? '', /通常/);
    assert.match(await urgency.locator('td').nth(1).textContent() ?? '', /至急/);
    assert.ok(await urgency.getByRole('radio', { name: /現在の内容にする/ }).isChecked(), 'the other’s change is taken');
    const detail = merge.locator('tr[data-field="consulterDetail"]');
    assert.ok(await detail.getByRole('radio', { name: /自分の入力を残す/ }).isChecked(), 'my change is kept');
    assert.match(await detail.textContent() ?? '', /母（80代）/);
    assert.equal(await b.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'merge', 'the merge view is read out');
    await shot(b, 'a-merge-consultation');

    await merge.getByRole('button', { name: '統合して保存' }).click();
    await b.getByTestId('notice').getByText('修正を保存しました。').waitFor();
    const { rows } = await t.db.query<{ urgency: string; consulter_detail: string }>('SELECT urgency, consulter_detail FROM consultation WHERE id = $1', [id]);
    assert.deepEqual(rows[0], { urgency: 'urgent', consulter_detail: '母（80代）' });
    await b.reload();
    assert.match(await b.locator('.facts').first().textContent() ?? '', /母（80代）.*至急/s);
  });

  test('two desk workers correct the same person; where both changed the phone, the second chooses before saving', async () => {
    const created = await supportCase('武蔵野 次郎');
    const [a, b] = [await newPage(), await newPage()];
    await signIn(a, deskA);
    await signIn(b, deskB);
    for (const page of [a, b]) {
      await page.goto(`${base}/cases/${created.id}`);
      await page.getByRole('button', { name: '本人の情報を修正する' }).click();
    }
    const formA = a.locator('#person-edit-form');
    await formA.getByLabel('電話').fill('0422-00-0001');
    await formA.getByLabel('性別').fill('その他');
    await formA.getByRole('button', { name: '修正を保存する' }).click();
    await a.getByText('本人の情報を保存しました。').waitFor();

    const formB = b.locator('#person-edit-form');
    await formB.getByLabel('電話').fill('090-1111-2222');
    await formB.getByLabel('住所').fill('武蔵野市中町1-1-1');
    await formB.getByRole('button', { name: '修正を保存する' }).click();
    const merge = b.getByTestId('merge');
    await merge.waitFor();
    assert.deepEqual(await merge.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field'))), ['gender', 'phone', 'address']);
    const phone = merge.locator('tr[data-field="phone"]');
    assert.match(await phone.textContent() ?? '', /両方が変更/);
    assert.equal(await phone.getByRole('radio', { checked: true }).count(), 0, 'a field both changed is left to choose');

    await merge.getByRole('button', { name: '統合して保存' }).click();
    await merge.getByRole('alert').getByText('両方が変更した項目は、どちらを残すか選んでください。').waitFor();
    await shot(b, 'a-merge-person');
    await phone.getByRole('radio', { name: /自分の入力を残す/ }).check();
    await merge.getByRole('button', { name: '統合して保存' }).click();
    await b.getByText('本人の情報を保存しました。').waitFor();
    const { rows } = await t.db.query<{ phone: string; gender: string; address: string }>('SELECT phone, gender, address FROM person WHERE id = $1', [created.person.id]);
    assert.deepEqual(rows[0], { phone: '090-1111-2222', gender: 'その他', address: '武蔵野市中町1-1-1' });

    // Discarding instead shows the record as it is now.
    await a.reload();
    await a.getByRole('button', { name: '本人の情報を修正する' }).click();
    await b.getByRole('button', { name: '本人の情報を修正する' }).click();
    await b.locator('#person-edit-form').getByLabel('住所').fill('武蔵野市中町2-2-2');
    await b.locator('#person-edit-form').getByRole('button', { name: '修正を保存する' }).click();
    await b.getByText('本人の情報を保存しました。').waitFor();
    await a.locator('#person-edit-form').getByLabel('住所').fill('武蔵野市中町3-3-3');
    await a.locator('#person-edit-form').getByRole('button', { name: '修正を保存する' }).click();
    await a.getByTestId('merge').getByRole('button', { name: '自分の入力を破棄' }).click();
    await a.getByText('入力を破棄し、最新の内容を表示しています。').waitFor();
    assert.match(await a.getByTestId('person-box').textContent() ?? '', /武蔵野市中町2-2-2/);
  });

  test('the intake form survives a reload, and a 503 on the first send still records exactly one consultation', async () => {
    const summary = `下書きと再送の確認（503）${Date.now()}`;
    const page = await newPage();
    await signIn(page, deskA);
    await fillIntake(page, summary);
    await page.reload();
    const notice = page.getByTestId('draft-notice');
    await notice.getByText('入力途中の内容を復元しました').waitFor();
    assert.equal(await page.getByLabel('相談の概要').inputValue(), summary);
    assert.ok(await page.getByLabel('電話', { exact: true }).isChecked());
    assert.equal(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('draft')).length), 0, 'never in localStorage');
    await shot(page, 'b-draft-restored');

    const keys = await interceptIntake(page, unavailable);
    await page.getByRole('button', { name: '受付を記録する' }).click();
    await page.getByTestId('send-status').getByText('接続を再試行しています…').waitFor();
    await shot(page, 'b-retrying');
    await page.getByTestId('notice').getByText(/相談を記録しました/).waitFor();
    assert.equal(keys.length, 2);
    assert.match(keys[0]!, UUID);
    assert.equal(keys[1], keys[0], 'the retry carries the same Idempotency-Key');
    assert.equal(await consultationsWith(summary), 1);

    // Saved: the draft is gone.
    await page.goto(`${base}/consultations/new`);
    await page.getByLabel('相談の概要').waitFor();
    assert.equal(await page.getByLabel('相談の概要').inputValue(), '');
    assert.equal(await page.getByTestId('draft-notice').count(), 0);
  });

  test('a connection dropped before the server, or after it saved, still records exactly one consultation', async () => {
    const page = await newPage();
    await signIn(page, deskA);

    const lost = `接続断（送信前）${Date.now()}`;
    await fillIntake(page, lost);
    const keysLost = await interceptIntake(page, (route) => route.abort('connectionreset'));
    await page.getByRole('button', { name: '受付を記録する' }).click();
    await page.getByTestId('notice').getByText(/相談を記録しました/).waitFor();
    assert.equal(keysLost.length, 2);
    assert.equal(keysLost[1], keysLost[0]);
    assert.equal(await consultationsWith(lost), 1);
    await page.unrouteAll({ behavior: 'wait' });

    // The worst case: the server saved it, and the answer never came back.
    const unanswered = `接続断（保存後）${Date.now()}`;
    await fillIntake(page, unanswered);
    const replayed: (string | null)[] = [];
    page.on('response', (r) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/consultations') replayed.push(r.headers()['idempotent-replayed'] ?? null);
    });
    const keysUnanswered = await interceptIntake(page, async (route) => {
      const answer = await route.fetch();
      assert.equal(answer.status(), 201, 'the server did record it');
      await route.abort('connectionreset');
    });
    await page.getByRole('button', { name: '受付を記録する' }).click();
    await page.getByTestId('notice').getByText(/相談を記録しました/).waitFor();
    assert.equal(keysUnanswered.length, 2);
    assert.equal(keysUnanswered[1], keysUnanswered[0]);
    assert.deepEqual(replayed, ['true'], 'the retry was answered with the first result');
    assert.equal(await consultationsWith(unanswered), 1);
  });

  test('when sending keeps failing, the draft is kept and sent again later with the same key, even after a reload', async () => {
    const summary = `再送ボタンの確認 ${Date.now()}`;
    const page = await newPage();
    await signIn(page, deskA);
    await fillIntake(page, summary);
    const keys = await interceptIntake(page, unavailable, 100);
    await page.getByRole('button', { name: '受付を記録する' }).click();
    const failed = page.getByTestId('send-failed');
    await failed.getByText('送信できませんでした。入力内容は下書きとして保存されています。もう一度送信してください。').waitFor({ timeout: 25_000 });
    assert.ok(keys.length >= 2 && keys.length <= 4, `a few attempts, not endless (${keys.length})`);
    assert.equal(new Set(keys).size, 1);
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'send-failed', 'the failure is read out');
    await shot(page, 'c-send-failed');

    await page.reload();
    await page.getByTestId('draft-notice').waitFor();
    await page.unrouteAll({ behavior: 'wait' });
    const after = await interceptIntake(page, (route) => route.fallback(), 0);
    await page.getByRole('button', { name: '受付を記録する' }).click();
    await page.getByTestId('notice').getByText(/相談を記録しました/).waitFor();
    assert.deepEqual(after, [keys[0]], 'the key was kept with the draft');
    assert.equal(await consultationsWith(summary), 1);
  });

  test('the case forms keep their drafts across a reload; 破棄 forgets one; signing out forgets them all', async () => {
    const created = await supportCase('武蔵野 三郎');
    const page = await newPage();
    await signIn(page, deskA);
    await page.goto(`${base}/cases/${created.id}`);
    await page.getByRole('button', { name: '支援記録を追加する' }).click();
    await page.locator('#contact-form').getByLabel(/^内容(必須)?$/).fill('電話で母と話した。下書きの確認。');
    await page.getByRole('button', { name: '紹介を送る' }).click();
    await page.locator('#referral-form').getByLabel('紹介の理由').fill('就労準備の相談をしたい。');
    await page.locator('#referral-form').getByLabel(/^共有の根拠(必須)?$/).selectOption('appi_69_2');
    await page.locator('#referral-form').getByLabel(/^第3号/).check();
    await page.goto(`${base}/cases/new`);
    await page.getByLabel('氏名', { exact: true }).fill('下書き 花子');

    await page.goto(`${base}/cases/${created.id}`);
    const contact = page.locator('#contact-form');
    const referral = page.locator('#referral-form');
    await contact.getByTestId('draft-notice').waitFor();
    await referral.getByTestId('draft-notice').waitFor();
    assert.equal(await contact.getByLabel(/^内容(必須)?$/).inputValue(), '電話で母と話した。下書きの確認。');
    assert.equal(await referral.getByLabel('紹介の理由').inputValue(), '就労準備の相談をしたい。');
    assert.equal(await referral.getByLabel(/^共有の根拠(必須)?$/).inputValue(), 'appi_69_2', 'the legal basis is kept with the draft');
    assert.ok(await referral.getByLabel(/^第3号/).isChecked());
    await shot(page, 'd-case-drafts');

    await contact.getByRole('button', { name: '破棄' }).click();
    assert.equal(await contact.getByLabel(/^内容(必須)?$/).inputValue(), '');
    assert.equal(await contact.getByTestId('draft-notice').count(), 0);
    const drafts = () => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('tsunagu.draft:')).map((k) => k.split(':').slice(2).join(':')).sort());
    assert.deepEqual(await drafts(), ['case-new:', `referral:${created.id}`]);

    await page.goto(`${base}/cases/new`);
    await page.getByTestId('draft-notice').waitFor();
    assert.equal(await page.getByLabel('氏名', { exact: true }).inputValue(), '下書き 花子');

    await page.getByRole('button', { name: 'ログアウト' }).click();
    await page.getByText('ログアウトしました。').waitFor();
    assert.deepEqual(await drafts(), []);
    await signIn(page, deskA);
    await page.goto(`${base}/cases/${created.id}`);
    await page.getByRole('button', { name: '紹介を送る' }).waitFor();
    assert.equal(await page.locator('#referral-form').count(), 0, 'no draft opens the form');
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
