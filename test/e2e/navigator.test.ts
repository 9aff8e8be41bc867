import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser } from '../helpers/factories.ts';
import { systemClock } from '../../src/lib/clock.ts';

const skip = browserUnavailable();

describe('相談先ナビ, the list of windows and the network map in a browser', { skip: skip ?? false }, () => {
  let e: E2e;

  before(async () => {
    e = await startE2e();
  });
  after(async () => {
    await e?.close();
  });

  /** A page that records every Content-Security-Policy refusal and script error. */
  async function watched(viewport?: { width: number; height: number }): Promise<{ page: Page; problems: string[] }> {
    const page = await e.newPage(viewport);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    return { page, problems };
  }

  test('on a phone, a parent asks about a 52-year-old son who stays home and gets the welfare desk with its reason; then a high-school student gets みらいる', async () => {
    const { page, problems } = await watched({ width: 390, height: 844 });
    await page.goto(`${e.base}/public/navigator`);
    await page.getByRole('heading', { level: 1, name: '相談先ナビ' }).waitFor();
    assert.match(await page.textContent('body') ?? '', /ここで選んだ内容は保存されません/);

    await page.getByLabel('子どものこと').check();
    await page.getByLabel('年齢（歳）').fill('52');
    await page.getByLabel('家からほとんど出ない・ひきこもっている').check();
    await page.getByRole('button', { name: '相談先をさがす' }).click();
    const results = page.getByTestId('navigator-results');
    await results.getByRole('heading', { name: 'ご案内できる相談先（1か所）' }).waitFor();
    const windows = results.getByTestId('navigator-window');
    assert.equal(await windows.count(), 1);
    assert.equal(await windows.first().getByRole('heading', { level: 3 }).textContent(), '福祉総合相談窓口');
    assert.equal(await windows.first().getByTestId('navigator-reason').textContent(), '50代・60代の方のひきこもりのご相談は、福祉総合相談窓口がお受けします。');
    // the results heading takes the focus, so a screen reader reads the answer next
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'navigator-results-heading');
    await page.screenshot({ path: `${ARTIFACTS}navigator-welfare-desk-${engine}.png`, fullPage: true });

    // the same page, another resident's question
    await page.getByLabel('年齢（歳）').fill('');
    await page.getByLabel('学校', { exact: true }).selectOption('high_school');
    await page.getByLabel('家からほとんど出ない・ひきこもっている').uncheck();
    await page.getByLabel('学校に行けない・行きづらい').check();
    await page.getByRole('button', { name: '相談先をさがす' }).click();
    await results.getByRole('heading', { name: 'みらいる 相談' }).waitFor();
    assert.equal(await windows.count(), 1);
    assert.equal(await windows.first().getByTestId('navigator-reason').textContent(), '高校生のことは「みらいる」がご相談と居場所でお手伝いします。');
    assert.match(await windows.first().textContent() ?? '', /運営：\s*みらいる/);
    await page.screenshot({ path: `${ARTIFACTS}navigator-mirairu-${engine}.png`, fullPage: true });

    // nothing of it in the address bar, and nothing in the city's inbox
    assert.ok(page.url().endsWith('/public/navigator'), page.url());
    assert.equal((await e.t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM public_inbox')).rows[0].n, 0);

    // wanting the city to call: the concern form, for the same municipality
    await results.getByRole('link', { name: '気がかり相談（市に知らせる）' }).click();
    await page.getByRole('heading', { level: 1, name: '気になる方のことを市に伝える（気がかり相談）' }).waitFor();
    assert.deepEqual(problems, [], 'no script or style was blocked, nothing failed');
  });

  test('the navigator says what is missing, and speaks English when asked', async () => {
    const { page, problems } = await watched();
    await page.goto(`${e.base}/public/132039/navigator`);
    await page.getByRole('heading', { level: 1, name: '相談先ナビ' }).waitFor();
    await page.getByRole('button', { name: '相談先をさがす' }).click();
    await page.getByRole('alert').getByText('どなたのことで相談したいか選んでください。').waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Where to get help' }).waitFor();
    await page.getByLabel('My parent').check();
    await page.getByLabel('Caring for a parent or family member').check();
    await page.getByRole('button', { name: 'Find where to get help' }).click();
    const results = page.getByTestId('navigator-results');
    await results.getByRole('heading', { name: 'Core Community Comprehensive Support Centre' }).waitFor();
    // the area would change the answer: the page says so and leads to the question
    await results.getByRole('link', { name: 'Area where you live' }).click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'navi-area');
    await page.getByRole('button', { name: '日本語' }).click();
    assert.deepEqual(problems, []);
  });

  test('the list of every window, grouped by who it is for, renders each window and prints on A4', async () => {
    const { page, problems } = await watched();
    const api = await (await fetch(`${e.base}/api/public/windows`)).json() as { groups: { windows: { id: string; name: string }[] }[] };
    const expected = api.groups.flatMap((g) => g.windows);
    assert.ok(expected.length >= 25);

    await page.goto(`${e.base}/public/navigator`);
    await page.getByRole('link', { name: '相談窓口の一覧（印刷できます）' }).first().click();
    await page.getByRole('heading', { level: 1, name: '相談窓口の一覧' }).waitFor();
    const cards = page.getByTestId('leaflet-window');
    // the title shows while the list loads: wait for the windows themselves
    await cards.first().waitFor();
    assert.equal(await cards.count(), expected.length);
    const shown = await cards.evaluateAll((els) => els.map((el) => el.getAttribute('data-window-id')));
    assert.deepEqual(shown, expected.map((w) => w.id));
    for (const name of ['子ども・若者', '大人の方（仕事・お金・住まい）', '高齢の家族がいる方', 'どなたでも'])
      assert.ok(await page.getByRole('heading', { level: 2, name }).isVisible(), name);

    const pdf = `${ARTIFACTS}windows-leaflet-${engine}.pdf`;
    const bytes = await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.ok(statSync(pdf).size > 10_000);
    // on paper: the header's language switch and the page links are gone
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('group', { name: '表示言語' }).isVisible().catch(() => false), false);
    await page.screenshot({ path: `${ARTIFACTS}windows-leaflet-print-${engine}.png`, fullPage: true });
    assert.deepEqual(problems, []);
  });

  test('みらいる sets its drop-in opening days on the events page; the navigator shows a high-school student its next dates in 和暦', async () => {
    const login = (await buildUser(e.t.db, { org: 'mirairu', role: 'org_staff', clock: systemClock })).login;
    const { page, problems } = await watched({ width: 1280, height: 1000 });
    await e.signIn(page, login);
    await page.goto(`${e.base}/events`);
    const openings = page.getByRole('heading', { name: '定例の開所日（公開の案内に載ります）' });
    await openings.waitFor();
    const place = page.getByRole('region', { name: '居場所の開所日' });
    await place.getByRole('group', { name: '曜日', exact: true }).getByLabel('火', { exact: true }).check();
    await place.getByRole('group', { name: '曜日', exact: true }).getByLabel('木', { exact: true }).check();
    await place.getByLabel('開始', { exact: true }).fill('13:00');
    await place.getByLabel('終了', { exact: true }).fill('17:00');
    await place.getByRole('button', { name: '開所日を追加' }).click();
    await place.getByTestId('drop-in-openings').getByText('毎週火・木曜日 13:00〜17:00').waitFor();

    const resident = await watched({ width: 390, height: 844 });
    await resident.page.goto(`${e.base}/public/navigator`);
    await resident.page.getByLabel('子どものこと').check();
    await resident.page.getByLabel('学校', { exact: true }).selectOption('high_school');
    await resident.page.getByLabel('学校に行けない・行きづらい').check();
    await resident.page.getByRole('button', { name: '相談先をさがす' }).click();
    const results = resident.page.getByTestId('navigator-results');
    await results.getByRole('heading', { name: 'みらいる 相談' }).waitFor();
    await results.getByRole('heading', { name: '近いうちの行事・居場所の開所日' }).waitFor();
    const dates = await results.getByTestId('navigator-upcoming').allTextContents();
    assert.equal(dates.length, 5, dates.join(' / '));
    for (const d of dates) assert.match(d, /^令和\d+年\d+月\d+日（[火木]）13:00〜17:00 みらいる 居場所$/);
    await resident.page.screenshot({ path: `${ARTIFACTS}navigator-drop-in-days-${engine}.png`, fullPage: true });
    assert.deepEqual([...problems, ...resident.problems], []);
  });

  test('staff see Musashino as a network map with a node for every organisation, and a node opens its organisation', async () => {
    const login = (await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    const { page, problems } = await watched({ width: 1400, height: 1000 });
    await e.signIn(page, login);
    await page.getByRole('link', { name: 'ネットワーク図で見る' }).click();
    await page.getByRole('heading', { level: 1, name: '武蔵野市のネットワーク図' }).waitFor();
    const { rows } = await e.t.db.query<{ name: string }>("SELECT o.name FROM organization o JOIN municipality m ON m.id = o.municipality_id WHERE m.code = '132039' AND o.active");
    assert.equal(rows.length, 32);

    const map = page.getByTestId('network-map');
    await map.getByTestId('map-node').first().waitFor();
    // drawn by the graph library: one node element per organisation, each naming it
    const drawn = await map.locator('.react-flow__node-organization').evaluateAll((els) => els.map((el) => el.textContent?.replace('中心窓口', '') ?? ''));
    assert.deepEqual(drawn.sort(), rows.map((r) => r.name).sort());
    assert.ok(await map.locator('.react-flow__edge').count() > 5, 'the relations are drawn');
    // the same in words beside it
    assert.equal(await page.getByTestId('map-organization').count(), 32);
    await page.screenshot({ path: `${ARTIFACTS}network-map-${engine}.png`, fullPage: true });

    // each node is a link that takes the keyboard (a pointer click depends on where the layout put it on screen)
    const node = map.getByTestId('map-node').filter({ hasText: 'みらいる' });
    await node.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'みらいる' }).waitFor();
    assert.match(page.url(), /\/organizations\/[0-9a-f-]{36}$/);
    assert.deepEqual(problems, [], 'the graph library runs under the strict policy');
  });
});

if (skip) console.log(`# browser tests skipped: ${skip}`);
