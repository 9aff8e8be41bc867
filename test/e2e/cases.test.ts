import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { engine, type TestDb } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser } from '../helpers/factories.ts';
import type { App } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';

const skip = browserUnavailable();

/** Today in Japan, as date inputs give it; the app runs on the real clock here. */
const japanToday = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const year = Number(japanToday().slice(0, 4));
// 1 January: the son is 52 and his mother 80 on any day of this year.
const SON_BIRTH = `${year - 52}-01-01`;
const MOTHER_BIRTH = `${year - 80}-01-01`;
/** What must never reach an organisation that only received the referral. */
const IDENTITY = /一郎|花子|むさしの|ムサシノ|武蔵野 /;

describe('a case opened from a consultation is referred on, and the loop closes', { skip: skip ?? false }, () => {
  let t: TestDb;
  let app: App;
  let e: E2e;
  let base: string;
  let desk: string;
  let agency: string;
  let crescole: string;
  let caseUrl = '';
  let caseReference = '';

  before(async () => {
    e = await startE2e();
    ({ t, app, base } = e);
    desk = (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    agency = (await buildUser(t.db, { org: 'self-reliance-agency', role: 'org_staff', clock: systemClock })).login;
    crescole = (await buildUser(t.db, { org: 'crescole', role: 'org_staff', clock: systemClock })).login;
  });
  after(() => e?.close());

  const newPage = (viewport?: { width: number; height: number }) => e.newPage(viewport);

  const signIn = (page: Page, login: string) => e.signIn(page, login);

  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });
  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}cases-${name}-${engine}.png`, fullPage: true });
  const bodyText = async (page: Page) => (await page.textContent('body')) ?? '';
  /** Lists load on their own after an action: wait until the texts are as expected (or fail showing them). */
  async function texts(locator: Locator, expected: string[]) {
    for (let i = 0; i < 100; i++) {
      if (JSON.stringify(await locator.allTextContents()) === JSON.stringify(expected)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(await locator.allTextContents(), expected);
  }

  test('the desk opens a case for a 52-year-old son with his 80-year-old mother, and refers him to work-readiness support', async () => {
    const page = await newPage();
    await signIn(page, desk);
    await menu(page).getByRole('link', { name: '相談を受け付ける' }).click();
    await page.getByLabel('電話', { exact: true }).check();
    await page.getByLabel('家族', { exact: true }).check();
    await page.getByLabel('相談者について（続柄・名前など）').fill('母');
    await page.getByLabel('年齢がわかる').check();
    await page.getByLabel('年齢（歳）').fill('52');
    await page.getByLabel('ひきこもり', { exact: true }).check();
    await page.getByLabel('8050問題', { exact: true }).check();
    await page.getByLabel('相談の概要').fill('52歳の息子が10年ほど家から出ていない。80歳の母の年金で暮らしている。母からの電話。');
    await page.getByRole('button', { name: '受付を記録する' }).click();
    await page.getByTestId('notice').getByText(/相談を記録しました/).waitFor();

    // Held by the desk and still in triage: the desk may open a case from it.
    await page.getByRole('link', { name: 'ケースを開始する' }).click();
    await page.getByRole('heading', { level: 1, name: 'ケースを開始する' }).waitFor();
    assert.match(await page.locator('.from-consultation').textContent() ?? '', /52歳の息子/);
    // The consultation's age starts the person's age group.
    assert.equal(await page.getByLabel('年代', { exact: true }).inputValue(), '50-59');

    await page.getByLabel('氏名', { exact: true }).fill('武蔵野 一郎');
    await page.getByLabel('ふりがな', { exact: true }).fill('むさしの いちろう');
    await page.getByLabel('生年月日がわかる').check();
    await page.getByLabel('生年月日', { exact: true }).fill(SON_BIRTH);
    await page.getByLabel('性別').fill('男性');
    // Nobody is known yet: the duplicate check says so.
    await page.getByTestId('duplicates').getByText('一致する登録済みの方はいません。').waitFor();

    await page.getByRole('button', { name: '世帯員を追加' }).click();
    const mother = page.getByTestId('member-row').first();
    await mother.getByLabel('続柄').fill('母');
    await mother.getByLabel('氏名').fill('武蔵野 花子');
    await mother.getByLabel('ふりがな').fill('むさしの はなこ');
    await mother.getByLabel('生年月日').fill(MOTHER_BIRTH);
    await page.getByLabel('複合的な課題がある（複数の機関の連携が必要）').check();
    await shot(page, 'a-new-case');

    await page.getByRole('button', { name: 'ケースを開始する' }).click();
    const notice = page.getByTestId('notice');
    await notice.getByText(/ケース C\d{4}-\d+ を開始しました。/).waitFor();
    caseUrl = page.url();
    caseReference = /ケース (C\d{4}-\d+)/.exec(await notice.textContent() ?? '')?.[1] ?? '';
    assert.ok(caseReference, 'the case has a reference');
    assert.match(caseUrl, /\/cases\/[0-9a-f-]{36}$/);
    await page.getByTestId('person-box').getByText('武蔵野 一郎').waitFor();
    const household = page.getByTestId('household');
    assert.match(await household.textContent() ?? '', /母武蔵野 花子むさしの はなこ.*（80歳）/);
    assert.match(await page.getByTestId('person-box').textContent() ?? '', /（52歳）/);
    assert.match(await page.locator('.badges').first().textContent() ?? '', /受付.*複合的な課題/);
    await texts(page.getByTestId('timeline').locator('.trail__what strong'), ['ケース開始', '相談']);

    // Refer him on: what the receiver will read is said to be so.
    await page.getByRole('button', { name: '紹介を送る' }).click();
    await page.getByText('紹介先に伝わる内容です。本人の同意の範囲で記載してください').waitFor();
    assert.equal(await page.getByLabel('初回接触の期限').inputValue(), addDays(japanToday(), 7));
    await page.getByLabel('紹介先（事業または機関）').selectOption({ label: '就労準備支援（生活困窮者自立相談支援機関）' });
    await page.getByLabel('紹介の理由').fill('本人が就労に向けた準備を希望している。');
    await page.getByLabel('紹介先に伝える内容').fill('52歳男性。就労経験なし。週1回なら外出できる。');
    // Not without a legal basis (DOMAIN.md §3).
    const form = page.locator('#referral-form');
    await form.getByRole('button', { name: '紹介を送る' }).click();
    await form.getByRole('alert').getByText('共有の法的根拠を選んでください。').waitFor();
    // No consent is recorded yet: the form says so, and where to record one.
    const basis = form.getByLabel(/^共有の根拠(必須)?$/);
    await basis.selectOption({ label: '本人同意（個人情報保護法第69条第2項第1号）' });
    await form.getByTestId('no-consent').getByText('生活困窮者自立相談支援機関を共有してよい機関に含む、有効な本人の同意が記録されていません。').waitFor();
    await form.getByTestId('no-consent').getByRole('link', { name: '同意の記録へ' }).waitFor();
    // Only what the chosen basis needs is asked.
    assert.equal(await form.getByLabel('会議体').count(), 0);
    await basis.selectOption({ label: '個人情報保護法第69条第2項第2〜4号（理由を記録）' });
    assert.equal(await form.getByTestId('no-consent').count(), 0);
    await form.getByRole('button', { name: '紹介を送る' }).click();
    await form.getByRole('alert').getByText('第69条第2項の何号に当たるかを選んでください。').waitFor();
    await form.getByLabel(/^第4号/).check();
    await form.getByLabel('共有してよい理由').fill('本人が就労準備支援の利用を希望しており、紹介は明らかに本人の利益になる。');
    await shot(page, 'a-referral-form');
    await form.getByRole('button', { name: '紹介を送る' }).click();
    await page.getByText('就労準備支援へ紹介を送りました。').waitFor();
    const sent = page.getByTestId('case-referrals').getByTestId('referral');
    await sent.waitFor();
    assert.equal(await sent.getAttribute('data-status'), 'sent');
    assert.match(await sent.textContent() ?? '', /福祉総合相談窓口→紹介先：生活困窮者自立相談支援機関事業：就労準備支援/);
    // The basis is recorded with the referral and shown on it.
    assert.equal(await sent.getByTestId('legal-basis').getAttribute('data-basis'), 'appi_69_2');
    assert.match(await sent.getByTestId('legal-basis').textContent() ?? '',
      /共有の法的根拠：個人情報保護法第69条第2項第2〜4号（理由を記録）第4号：本人が就労準備支援の利用を希望しており/);
    await shot(page, 'a-case-desk');

    // The consultation now says where it went.
    await page.getByRole('link', { name: /^相談 / }).first().click();
    await page.getByTestId('case-link').getByRole('link', { name: 'ケースを開く' }).waitFor();
    assert.match(await page.locator('ol.trail').textContent() ?? '', /福祉総合相談窓口でケース開始/);
  });

  test('the self-reliance agency sees the referral, not the person; accepts it, makes first contact and completes it', async () => {
    const page = await newPage();
    await signIn(page, agency);
    await menu(page).getByRole('link', { name: 'つなぎ（紹介）' }).click();
    await page.getByRole('link', { name: '受け取った紹介' }).waitFor();
    const item = page.getByTestId('referral').filter({ hasText: caseReference });
    await item.waitFor();
    assert.match(await item.textContent() ?? '', /送付済/);
    assert.match(await item.textContent() ?? '', /52歳男性。就労経験なし。/);
    // The receiver reads what the share rests on.
    assert.match(await item.getByTestId('legal-basis').textContent() ?? '', /第4号：本人が就労準備支援の利用を希望/);
    assert.doesNotMatch(await bodyText(page), IDENTITY);
    await shot(page, 'b-incoming');

    await item.getByRole('link', { name: `ケース ${caseReference}` }).click();
    await page.getByTestId('referral-notice').getByText('この機関は紹介を受けた範囲のみ閲覧できます（本人の同意があると全体を閲覧できます）').waitFor();
    await page.getByTestId('timeline').waitFor();
    assert.doesNotMatch(await bodyText(page), IDENTITY);
    // Only what referral-level access allows: no person, consent, assessment or plan sections.
    for (const heading of ['本人・世帯', '同意', 'アセスメント', '支援プラン']) {
      assert.equal(await page.getByRole('heading', { level: 2, name: heading, exact: true }).count(), 0, heading);
    }
    await shot(page, 'b-case-agency');

    const card = page.getByTestId('case-referrals').getByTestId('referral');
    await card.getByRole('button', { name: '受諾する' }).click();
    await card.getByText('「受諾」にしました。').waitFor();
    assert.equal(await card.getAttribute('data-status'), 'accepted');
    assert.doesNotMatch(await bodyText(page), IDENTITY);

    // First contact and completion from the queue.
    await menu(page).getByRole('link', { name: 'つなぎ（紹介）' }).click();
    const queued = page.getByTestId('referral').filter({ hasText: caseReference });
    await queued.getByLabel('メモ').fill('来所面談。本人と母が来所した。');
    await queued.getByRole('button', { name: '初回接触を記録する' }).click();
    await queued.getByText('「初回接触済」にしました。').waitFor();
    // Declining is no longer offered; returning needs a reason.
    await queued.getByRole('button', { name: '差し戻す' }).click();
    await queued.getByRole('alert').getByText('差し戻す理由をメモに書いてください。').waitFor();
    await queued.getByRole('button', { name: '完了にする' }).click();
    await queued.getByText('「完了」にしました。').waitFor();
    assert.equal(await queued.getAttribute('data-status'), 'completed');
    assert.equal(await queued.getByRole('button').count(), 0, 'a completed referral has nothing left to do');
    await texts(queued.locator('.referral-history li strong'), ['送付済', '受諾', '初回接触済', '完了']);
    await shot(page, 'b-completed');
  });

  test('the desk sees on the timeline that the referral was accepted, first contact made and completed', async () => {
    const page = await newPage();
    await signIn(page, desk);
    await page.goto(caseUrl);
    const timeline = page.getByTestId('timeline');
    await timeline.waitFor();
    const kinds = await timeline.locator('.trail__what strong').allTextContents();
    assert.equal(kinds[0], 'つなぎ完了', 'the loop closing is the newest entry');
    for (const k of ['紹介の受諾', '初回接触', '紹介の送付', 'ケース開始']) assert.ok(kinds.includes(k), k);
    assert.match(await timeline.locator('[data-kind="referral_first_contact"]').textContent() ?? '', /来所面談/);
    const card = page.getByTestId('case-referrals').getByTestId('referral');
    assert.equal(await card.getAttribute('data-status'), 'completed');
    assert.match(await card.locator('.badges').textContent() ?? '', /完了/);
    // The sender does not move the receiver's referral.
    assert.equal(await card.getByRole('button').count(), 0);
    await shot(page, 'c-timeline-desk');
    // On paper: the record without the forms and buttons.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('button', { name: '紹介を送る' }).isVisible(), false);
    await shot(page, 'c-print');
    await page.emulateMedia({ media: 'screen' });
  });

  test('the desk records a home visit, an assessment, a plan and its 再プラン, moves the case on, and consent opens the case to the agency until withdrawn', async () => {
    const page = await newPage();
    await signIn(page, desk);
    await page.goto(caseUrl);
    await page.getByTestId('timeline').waitFor();

    // Two desk workers correct his details at once: the second sees the colleague's change beside hers and merges both.
    const colleague = await newPage();
    await signIn(colleague, desk);
    await colleague.goto(caseUrl);
    await page.getByRole('button', { name: '本人の情報を修正する' }).click();
    await colleague.getByRole('button', { name: '本人の情報を修正する' }).click();
    await colleague.locator('#person-edit-form').getByLabel('電話').fill('0422-00-0001');
    await colleague.getByRole('button', { name: '修正を保存する' }).click();
    await colleague.getByText('本人の情報を保存しました。').waitFor();
    const edit = page.locator('#person-edit-form');
    await edit.getByLabel('住所').fill('武蔵野市中町1-1-1');
    await edit.getByRole('button', { name: '修正を保存する' }).click();
    const merge = edit.getByTestId('merge');
    await merge.getByRole('heading', { name: '他の人が先に更新しました' }).waitFor();
    assert.ok(await merge.locator('tr[data-field="phone"]').getByRole('radio', { name: /現在の内容にする/ }).isChecked(), 'the colleague’s phone is taken');
    assert.ok(await merge.locator('tr[data-field="address"]').getByRole('radio', { name: /自分の入力を残す/ }).isChecked(), 'her address is kept');
    await merge.getByRole('button', { name: '統合して保存' }).click();
    await page.getByText('本人の情報を保存しました。').waitFor();
    assert.match(await page.getByTestId('person-box').textContent() ?? '', /0422-00-0001.*武蔵野市中町1-1-1/);

    // 支援記録: sending it empty says what is missing, in Japanese.
    await page.getByRole('button', { name: '支援記録を追加する' }).click();
    const contact = page.locator('#contact-form');
    await contact.getByRole('button', { name: '記録する' }).click();
    const missing = contact.getByRole('alert');
    await missing.getByText('種類を選んでください。').waitFor();
    await missing.getByText('内容を入力してください。').waitFor();
    await shot(page, 'c2-contact-errors');
    await contact.getByLabel('訪問', { exact: true }).check();
    await contact.getByLabel(/^内容(必須)?$/).fill('自宅を訪問。本人は自室から出てこなかったが、母と30分話した。');
    await contact.getByLabel('次の対応').fill('来週、母に電話する。');
    await contact.getByRole('button', { name: '記録する' }).click();
    await page.getByText('支援記録を追加しました。').waitFor();
    assert.match(await page.getByTestId('contact-records').textContent() ?? '', /訪問.*自宅を訪問。/);
    await page.getByTestId('timeline').locator('[data-kind="contact"]').waitFor();

    // アセスメント across the life areas.
    await page.getByRole('button', { name: 'アセスメントを記録する' }).click();
    const employment = page.getByRole('group', { name: '就労', exact: true });
    await employment.getByLabel('就労の状況').fill('就労経験なし。本人は働きたい気持ちがある。');
    await employment.getByLabel('支援が必要').check();
    await page.getByRole('group', { name: '家族関係', exact: true }).getByLabel('支援が必要').check();
    await page.locator('#assessment-form').getByRole('button', { name: '記録する' }).click();
    await page.getByText('アセスメントを記録しました。').waitFor();

    // 支援プラン, then a 再プラン from it.
    const today = japanToday();
    await page.getByRole('button', { name: '支援プランを作成する' }).click();
    const plan = page.locator('#plan-form');
    await plan.getByLabel('目標1', { exact: true }).fill('就労に向けて、生活のリズムを整える。');
    await plan.getByLabel('目標2', { exact: true }).fill('週1回、就労準備支援に通う。');
    await plan.getByRole('button', { name: '支援内容を追加' }).click();
    await plan.getByLabel(/^内容(必須)?$/).fill('就労準備支援の見学に同行する。');
    await plan.getByLabel('担当機関').selectOption({ label: '生活困窮者自立相談支援機関' });
    await plan.getByLabel('事業', { exact: true }).selectOption({ label: '就労準備支援' });
    await plan.getByLabel('期限').fill(addDays(today, 14));
    await plan.getByLabel('見直し予定日').fill(addDays(today, 90));
    await plan.getByLabel('本人がこのプランに同意した').check();
    await plan.getByRole('button', { name: 'プランを保存する' }).click();
    await page.getByText('支援プランを作成しました。').waitFor();
    await page.getByRole('button', { name: '再プランを作成する' }).click();
    await page.locator('#plan-form').getByText('第2版として保存してください').waitFor();
    await page.locator('#plan-form').getByLabel('見直し予定日').fill(addDays(today, 60));
    await page.locator('#plan-form').getByRole('button', { name: 'プランを保存する' }).click();
    await page.getByText('再プラン（第2版）を作成しました。').waitFor();
    const plans = page.getByTestId('plans');
    await texts(plans.locator('.record__title'), ['再プラン（第2版）現在のプラン', '支援プラン（第1版）以前の版']);
    assert.match(await plans.locator('li').first().textContent() ?? '', /就労準備支援の見学に同行する。生活困窮者自立相談支援機関就労準備支援/);

    // Only the moves the case may take; closing needs its reason.
    const status = page.locator('#case-status');
    assert.deepEqual(await status.getByRole('radio').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['assessment', 'support', 'closed']);
    await status.getByLabel('終結', { exact: true }).check();
    await status.getByRole('button', { name: '状態を変更する' }).click();
    await status.getByRole('alert').getByText('終結理由を入力してください。').waitFor();
    await status.getByLabel('アセスメント', { exact: true }).check();
    await status.getByRole('button', { name: '状態を変更する' }).click();
    await page.getByText('状態を「アセスメント」に変更しました。').waitFor();
    assert.deepEqual(await status.getByRole('radio').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), ['support', 'closed']);

    // Consent to share with the agency: it then sees the whole case.
    await page.getByRole('button', { name: '同意を記録する' }).click();
    const consent = page.locator('#consent-form');
    await consent.getByLabel('書面', { exact: true }).check();
    await consent.getByLabel(/^生活困窮者自立相談支援機関/).check();
    await consent.getByLabel('同意の範囲').fill('就労準備支援のために、生活状況と家族の状況を共有する。');
    await consent.getByRole('button', { name: '同意を記録する' }).click();
    await page.getByText('同意を記録しました。').waitFor();
    await shot(page, 'c2-desk-full');
    // A referral to the agency may now rest on that consent: the only one naming it is chosen already.
    await page.getByRole('button', { name: '紹介を送る' }).click();
    const referral = page.locator('#referral-form');
    await referral.getByLabel('紹介先（事業または機関）').selectOption({ label: '生活困窮者自立相談支援機関' });
    await referral.getByLabel(/^共有の根拠(必須)?$/).selectOption({ label: '本人同意（個人情報保護法第69条第2項第1号）' });
    const only = referral.getByRole('group', { name: /根拠とする本人の同意/ }).getByRole('radio');
    assert.equal(await only.count(), 1);
    assert.ok(await only.isChecked(), 'the only consent naming the agency is pre-selected');
    await referral.getByRole('button', { name: 'キャンセル' }).click();

    const agencyPage = await newPage();
    await signIn(agencyPage, agency);
    await agencyPage.goto(caseUrl);
    await agencyPage.getByTestId('case-person-name').getByText('武蔵野 一郎').waitFor();
    assert.equal(await agencyPage.getByTestId('referral-notice').count(), 0);

    // Withdrawn: struck through with its date, and the agency is back to the referral view.
    await page.getByTestId('consent').getByRole('button', { name: '撤回を記録する' }).click();
    await page.getByLabel('撤回の内容').fill('本人から電話で、母以外には知られたくないとの申し出。');
    await page.getByTestId('consent').getByRole('button', { name: '撤回を記録する' }).click();
    await page.getByText('同意の撤回を記録しました。').waitFor();
    const withdrawn = page.getByTestId('consent');
    await withdrawn.getByText('撤回済み').waitFor();
    assert.match(await withdrawn.textContent() ?? '', /撤回済み.*撤回：令和\d+年\d+月\d+日.*母以外には知られたくない/);
    assert.equal(await withdrawn.locator('.consent__body').evaluate((e) => getComputedStyle(e).textDecorationLine), 'line-through');
    await agencyPage.reload();
    await agencyPage.getByTestId('referral-notice').waitFor();
    assert.doesNotMatch(await bodyText(agencyPage), IDENTITY);

    // The same page in English, for the record.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: `Case ${caseReference}` }).waitFor();
    await page.getByTestId('timeline').getByText('Consent withdrawn').waitFor();
    await shot(page, 'c2-english');
  });

  test('on a phone, the agency’s received referrals read in one column', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await signIn(page, agency);
    await page.goto(`${base}/referrals`);
    await page.getByTestId('referral').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    await shot(page, 'c3-phone-referrals');
  });

  test('an organisation with no part in the case gets the ordinary 見つかりません, and no name', async () => {
    const page = await newPage();
    await signIn(page, crescole);
    await page.goto(caseUrl);
    await page.getByRole('heading', { level: 1, name: '見つかりません' }).waitFor();
    const text = await bodyText(page);
    assert.doesNotMatch(text, IDENTITY);
    assert.ok(!text.includes(caseReference), 'not even the case reference');
    await shot(page, 'd-not-found');
  });

  test('the desk finds him by kana and by kanji', async () => {
    const page = await newPage();
    await signIn(page, desk);
    await menu(page).getByRole('link', { name: 'ケース一覧' }).click();
    const row = page.getByTestId('case-row').filter({ hasText: caseReference });
    await row.waitFor();
    assert.match(await row.textContent() ?? '', /武蔵野 一郎.*アセスメント.*福祉総合相談窓口/);

    const search = page.getByRole('search');
    await search.getByLabel('氏名・ふりがなで検索').fill('むさしの');
    await search.getByRole('button', { name: '検索', exact: true }).click();
    const results = page.getByTestId('person-results');
    await results.waitFor();
    const names = await results.locator('.person-result__name strong').allTextContents();
    assert.ok(names.includes('武蔵野 一郎') && names.includes('武蔵野 花子'), names.join(','));
    // His case is on the page shown: linked from the result.
    await results.getByTestId('person-result').filter({ hasText: '武蔵野 一郎' }).getByRole('link', { name: caseReference }).waitFor();

    await search.getByLabel('氏名・ふりがなで検索').fill('一郎');
    await search.getByRole('button', { name: '検索', exact: true }).click();
    await page.getByRole('status').getByText('1人が見つかりました。').waitFor();
    await texts(results.locator('.person-result__name strong'), ['武蔵野 一郎']);
    // The name typed stays out of the address bar.
    assert.ok(!decodeURIComponent(page.url()).includes('一郎'), page.url());
    await shot(page, 'e-search');
  });

  test('typing a known person’s name another way offers him, and the new case opens for him', async () => {
    const page = await newPage();
    await signIn(page, desk);
    await page.goto(`${base}/cases/new`);
    await page.getByLabel('氏名', { exact: true }).fill('武蔵野　一郎');
    await page.getByLabel('ふりがな', { exact: true }).fill('ﾑｻｼﾉ ｲﾁﾛｳ');
    await page.getByLabel('生年月日がわかる').check();
    await page.getByLabel('生年月日', { exact: true }).fill(SON_BIRTH);
    // offered once name and reading match; the birth date joins the matches when its check answers
    const candidate = page.getByTestId('duplicates').getByTestId('candidate').filter({ hasText: /武蔵野 一郎.*一致：氏名・ふりがな・生年月日/ });
    await candidate.waitFor();
    await shot(page, 'f-duplicate');
    await candidate.getByRole('button', { name: /この方で開始/ }).click();
    await page.getByTestId('chosen-person').getByText('登録済みの方でケースを開始します').waitFor();
    await page.getByRole('button', { name: 'ケースを開始する' }).click();
    await page.getByTestId('notice').getByText(/を開始しました。/).waitFor();
    assert.equal(await page.getByTestId('case-person-name').locator('span').first().textContent(), '武蔵野 一郎');
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
