/**
 * The prefecture's support centre in the browser (issue #12): a centre worker
 * imports its record of the visit to Musashino (the seed) through the page,
 * reads it in the centre's own layout and prints it on A4; Musashino's hub
 * answers one of the three proposals from the centre's proposals page and the
 * centre sees the answer; the centre compares Musashino and Hoshino side by
 * side and turns Musashino's missing neighbour window into a proposal.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { systemClock } from '../../src/lib/clock.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, HOSHINO_CODE, MUSASHINO_CODE, TOKYO_CODE } from '../helpers/factories.ts';

const skip = browserUnavailable();
const SEED = new URL('../../profiles/visits/musashino-2024-12-03.txt', import.meta.url).pathname;
const ADOPTED = 'サポートネットの多職種専門チームの活用を提案。';
const japanToday = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
/** The comparison: whitespace and the extraction's leading "- " removed. */
const words = (text: string) => text.split('\n').map((l) => l.replace(/^- /, '').replace(/\s+/g, '')).join('');

describe('the prefecture’s centre: visit records, proposals and networks side by side', { skip: skip ?? false }, () => {
  let e: E2e;
  let centre = '';
  let hub = '';
  let visitUrl = '';

  before(async () => {
    e = await startE2e({ prefecture: true });
    centre = (await buildUser(e.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock, login: 'centre-worker' })).login;
    hub = (await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock, login: 'musashino-hub' })).login;
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}prefecture-${name}-${engine}.png`, fullPage: true });
  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });

  test('the centre worker lands on the networks, without the municipal menus', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await page.waitForURL(/\/prefecture\/networks$/);
    for (const name of ['訪問記録', 'ネットワーク比較', 'センターからの提案']) await menu(page).getByRole('link', { name, exact: true }).waitFor();
    assert.equal(await menu(page).getByRole('link', { name: '支援ネットワーク' }).count(), 0);
    assert.equal(await menu(page).getByRole('link', { name: '相談を受け付ける' }).count(), 0);
  });

  test('the centre imports the seed through the page, reads it in the seed’s layout, prints it on A4 and sees three open proposals', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await menu(page).getByRole('link', { name: '訪問記録', exact: true }).click();
    await page.getByRole('button', { name: 'テキストから取り込む' }).click();
    await page.getByLabel('テキストファイル（.txt）を選ぶ').setInputFiles(SEED);
    await assert.doesNotReject(page.getByLabel('記録のテキスト（貼り付けるか、ファイルを選ぶ）').evaluate((el: HTMLTextAreaElement) => {
      if (!el.value.includes('【武蔵野市】')) throw new Error('the file was not read into the text area');
    }));
    await page.getByRole('button', { name: '記録する' }).click();
    const doc = page.getByTestId('visit-document');
    await doc.waitFor();
    visitUrl = page.url();

    const shown = await doc.innerText();
    const lines = shown.split('\n').filter((l) => l.trim());
    assert.equal(lines[0], '【武蔵野市】');
    assert.equal(lines[1], '■実施日時：令和6年12月3日 14:00～16:00');
    assert.ok(lines.includes('○武蔵野市の動き'), 'the {市区町村} heading prints with the municipality’s name');
    assert.ok(lines.includes('⇒サポートネットの多職種専門チームの活用を提案。'));
    assert.equal(words(shown), words(readFileSync(SEED, 'utf8')), 'the page shows the record word for word');

    const proposals = page.getByTestId('centre-item').filter({ has: page.locator('.badge', { hasText: /^提案$/ }) });
    assert.equal(await proposals.count(), 3);
    assert.equal(await page.getByTestId('unplaced').count(), 0);
    await shot(page, 'visit');

    await page.emulateMedia({ media: 'print' });
    assert.equal(await menu(page).isVisible(), false, 'no navigation on paper');
    assert.equal(await page.getByRole('button', { name: 'Word（.docx）で保存' }).isVisible(), false);
    const pdf = `${ARTIFACTS}prefecture-visit-${engine}.pdf`;
    await page.pdf({ path: pdf, format: 'A4' });
    assert.ok(statSync(pdf).size > 10_000);
    await page.emulateMedia({ media: 'screen' });

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'テキスト（.txt）で保存' }).click();
    const file = await (await download).path();
    assert.equal(words(readFileSync(file!, 'utf8')), words(readFileSync(SEED, 'utf8')));

    const docx = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Word（.docx）で保存' }).click();
    const word = await docx;
    assert.match(word.suggestedFilename(), /武蔵野市.*\.docx$/);
    assert.equal(readFileSync((await word.path())!).subarray(0, 2).toString(), 'PK');

    await menu(page).getByRole('link', { name: '訪問記録', exact: true }).click();
    await page.getByTestId('visits').getByRole('row', { name: /武蔵野市/ }).getByText('未完了 3件・採用 0件・見送り 0件').waitFor();
  });

  test('the centre corrects an item’s kind; the record keeps the rest as it was', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await page.goto(visitUrl);
    const item = page.getByTestId('centre-item').filter({ hasText: '支援者交流会への参加をご案内。' });
    await item.getByLabel('種別').selectOption({ label: '情報提供' });
    await item.getByRole('button', { name: '種別を直す' }).click();
    await item.getByText('（職員が設定）').waitFor();
    await page.reload();
    await page.getByTestId('centre-item').filter({ hasText: '支援者交流会への参加をご案内。' }).locator('strong', { hasText: '情報提供' }).waitFor();
    assert.equal(await page.getByTestId('centre-item').filter({ has: page.locator('.badge', { hasText: /^提案$/ }) }).count(), 3);
  });

  test('a new record starts from the municipality’s profile in the centre’s text and records as written', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await page.goto(`${e.base}/prefecture/visits`);
    await page.getByRole('button', { name: '新しい訪問記録' }).click();
    await page.getByLabel('訪問する自治体').selectOption({ label: '星野町' });
    await page.getByRole('button', { name: '下書きを作る' }).click();
    const text = page.getByLabel('記録（星野町）');
    const draft = await text.inputValue();
    assert.match(draft, /^【星野町】\n\n■実施日時：令和\d+年\d+月\d+日/);
    assert.ok(draft.includes('○ひきこもり支援の中心部門'), draft.slice(0, 400));
    await text.fill(draft.replace(/■実施日時：(\S+)/, '■実施日時：$1 10:00～11:30').replace('○ひきこもり支援の中心部門\n', '○ひきこもり支援の中心部門\n\n・まるごと相談窓口で話を伺った。\n'));
    await page.getByRole('button', { name: '記録する' }).click();
    const doc = page.getByTestId('visit-document');
    await doc.getByText('・まるごと相談窓口で話を伺った。').waitFor();
    await doc.getByText(/10:00～11:30/).waitFor();

    // a text the centre's format cannot place is refused next to the text area, in Japanese
    await page.goto(`${e.base}/prefecture/visits`);
    await page.getByRole('button', { name: 'テキストから取り込む' }).click();
    await page.getByLabel('記録のテキスト（貼り付けるか、ファイルを選ぶ）').fill('○ひきこもり支援の中心部門\n・窓口が中心。');
    await page.getByRole('button', { name: '記録する' }).click();
    const error = page.locator('#import-text-error');
    await error.waitFor();
    assert.match(await error.innerText(), /[ぁ-んァ-ン一-龥]/, 'the message is in Japanese');
    await shot(page, 'import-refused');
  });

  test('Musashino’s hub adopts a proposal from センターからの提案; the centre sees it adopted', async () => {
    const page = await e.newPage();
    await e.signIn(page, hub);
    await menu(page).getByRole('link', { name: 'センターからの提案', exact: true }).click();
    const proposal = page.getByTestId('proposal').filter({ hasText: ADOPTED });
    await proposal.getByLabel('回答', { exact: true }).selectOption({ label: '採用' });
    await proposal.getByLabel('日付').fill(japanToday());
    await proposal.getByLabel('メモ（任意）').fill('次回の総合支援調整会議から活用する。');
    await proposal.getByRole('button', { name: '回答を記録する' }).click();
    await proposal.locator('.badge', { hasText: '採用' }).waitFor();
    await proposal.getByText('次回の総合支援調整会議から活用する。').waitFor();
    await shot(page, 'hub-proposals');

    const centrePage = await e.newPage();
    await e.signIn(centrePage, centre);
    await menu(centrePage).getByRole('link', { name: 'センターからの提案', exact: true }).click();
    const seen = centrePage.getByTestId('proposal').filter({ hasText: ADOPTED });
    await seen.locator('.badge', { hasText: '採用' }).waitFor();
    await seen.getByText('次回の総合支援調整会議から活用する。').waitFor();
    await seen.getByText('武蔵野市').waitFor();
    await centrePage.getByLabel('未完了のものだけ').check();
    await centrePage.getByTestId('proposal').first().waitFor();
    assert.equal(await centrePage.getByTestId('proposal').filter({ hasText: ADOPTED }).count(), 0, 'an adopted proposal is no longer open');
    await centrePage.goto(visitUrl);
    await centrePage.getByTestId('centre-item').filter({ hasText: ADOPTED }).locator('.badge', { hasText: '採用' }).waitFor();
  });

  test('the centre compares Musashino and Hoshino and turns Musashino’s missing neighbour window into a proposal', async () => {
    const page = await e.newPage();
    await e.signIn(page, centre);
    await menu(page).getByRole('link', { name: 'ネットワーク比較', exact: true }).click();
    const table = page.getByTestId('networks');
    await table.waitFor();
    assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['部門', '武蔵野市', '星野町']);
    await table.getByText('総合支援調整会議（2か月に1回）').waitFor();
    const musashino = page.getByTestId(`findings-${MUSASHINO_CODE}`);
    const hoshino = page.getByTestId(`findings-${HOSHINO_CODE}`);
    await musashino.locator('[data-rule="sharing-meeting"]').waitFor();
    await musashino.locator('[data-rule="neighbour-window"]').waitFor();
    assert.equal(await hoshino.locator('[data-rule="sharing-meeting"], [data-rule="neighbour-window"]').count(), 0);
    await shot(page, 'networks');

    const finding = musashino.locator('[data-rule="neighbour-window"]');
    await finding.getByText('近隣の気がかりを相談できる窓口').waitFor();
    await finding.getByRole('button', { name: '提案にする' }).click();
    const text = finding.getByLabel('提案の文');
    assert.match(await text.inputValue(), /窓口の設置を提案。$/);
    await finding.getByRole('button', { name: '提案する' }).click();
    await finding.locator('.badge', { hasText: /^提案$/ }).waitFor();
    assert.equal(await finding.getByRole('button', { name: '提案にする' }).count(), 0);

    await menu(page).getByRole('link', { name: 'センターからの提案', exact: true }).click();
    const made = page.getByTestId('proposal').filter({ hasText: '近隣の気になることを相談できる窓口の設置を提案。' });
    await made.getByText('点検結果から').waitFor();
  });
});
