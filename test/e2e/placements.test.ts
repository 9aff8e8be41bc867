import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { engine } from '../helpers/db.ts';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, MUSASHINO_ID, orgId } from '../helpers/factories.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { openCase } from '../../src/modules/cases/service.ts';
import { addMonths } from '../../src/modules/programs/placementsMatch.ts';

const skip = browserUnavailable();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The app's clock: real time moved by an offset, so the journey can jump to the day a check-in is due. */
class OffsetClock implements Clock {
  offsetMs = 0;
  now() {
    return new Date(Date.now() + this.offsetMs);
  }
}
const japanDate = (at: Date) => new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
const year = Number(japanDate(new Date()).slice(0, 4));

describe('a program coordinator places a 42-year-old and follows up the job', { skip: skip ?? false }, () => {
  let e: E2e;
  const clock = new OffsetClock();
  let coordinator: string;
  let caseId = '';
  let caseReference = '';

  before(async () => {
    e = await startE2e({ clock });
    // 就労準備支援 is run by the 自立相談支援機関: its staff keep the placements
    const user = await buildUser(e.t.db, { org: 'self-reliance-agency', role: 'org_staff', clock });
    coordinator = user.login;
    const c = await openCase({ db: e.t.db, clock },
      { userId: user.id, login: user.login, municipalityId: MUSASHINO_ID, organizationId: orgId('self-reliance-agency'), role: 'org_staff' },
      // 1 January: 42 on any day of this year
      { person: { name: '就労 一郎', nameKana: 'しゅうろう いちろう', birthDate: `${year - 42}-01-01` } });
    caseId = c.id;
    caseReference = c.reference;
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}placements-${name}-${engine}.png`, fullPage: true });
  const menu = (page: Page) => page.getByRole('navigation', { name: 'メインメニュー' });

  test('adds a placement, matches the person, records a trial and a job start; the 1-month check-in appears on its day', async () => {
    let page = await e.newPage();
    await e.signIn(page, coordinator);
    await menu(page).getByRole('link', { name: '受け入れ先' }).click();
    await page.getByRole('heading', { name: '受け入れ先と職場定着', level: 1 }).waitFor();

    // the placement (受け入れ先)
    await page.getByRole('button', { name: '受け入れ先を追加' }).click();
    await page.getByLabel('名称', { exact: true }).fill('市立図書館 配架補助');
    await page.getByLabel('種類', { exact: true }).selectOption({ label: '参加体験' });
    await page.getByLabel('作業内容').fill('配架、データ入力');
    await page.getByLabel('週あたりの時間（最小）').fill('4');
    await page.getByLabel('週あたりの時間（最大）').fill('10');
    for (const d of ['月', '水', '金']) await page.getByLabel(d, { exact: true }).check();
    await page.getByLabel('圏域', { exact: true }).selectOption({ label: '第2圏域' });
    await page.getByLabel('交通・アクセス').fill('バス停から徒歩3分');
    await page.getByLabel('ジョブコーチ').check();
    await page.getByLabel('受け入れ人数').fill('2');
    await page.getByLabel('連絡先').fill('館長 0422-00-0000');
    await page.getByRole('button', { name: '保存' }).click();
    await page.getByTestId('placements').getByRole('cell', { name: '市立図書館 配架補助', exact: true }).waitFor();
    await shot(page, 'list');

    // matching from the case
    await page.goto(`${e.base}/cases/${caseId}`);
    await page.getByRole('link', { name: '受け入れ先のマッチング' }).click();
    await page.getByRole('heading', { name: '受け入れ先のマッチング', level: 1 }).waitFor();
    await page.getByLabel('週あたりの希望時間（最小）').fill('4');
    await page.getByLabel('週あたりの希望時間（最大）').fill('8');
    await page.getByLabel('月', { exact: true }).check();
    await page.getByLabel('関心のある作業').fill('データ入力');
    await page.getByLabel('希望する圏域').selectOption({ label: '第2圏域' });
    await page.getByLabel('ジョブコーチ').check();
    await page.getByRole('button', { name: '希望を保存' }).click();
    const match = page.getByTestId('placement-matches').getByRole('listitem', { name: '市立図書館 配架補助' });
    await match.getByText('同じ圏域').waitFor();
    assert.equal(await page.getByLabel('希望する圏域').locator('option:checked').textContent(), '第2圏域', 'the saved area stays chosen');
    const reasons = await match.textContent();
    for (const words of ['合う', '関心のある作業: データ入力', '月曜日が合う', '必要な支援を受けられる', '空き 2 / 2人']) assert.ok(reasons?.includes(words), `${words} in ${reasons}`);
    await shot(page, 'match');

    // the match becomes a placement record with a trial
    const today = japanDate(clock.now());
    await match.getByLabel('体験の開始日').fill(today);
    await match.getByLabel('体験の終了日').fill(today);
    await match.getByRole('button', { name: '市立図書館 配架補助につなぐ' }).click();
    const record = page.getByTestId('placement-records').getByRole('listitem', { name: '市立図書館 配架補助' });
    await record.waitFor();
    await record.getByLabel('参加日数').fill('1');
    await record.getByLabel('結果', { exact: true }).selectOption({ label: '継続' });
    await record.getByRole('button', { name: '記録を保存' }).click();
    await record.getByText('結果: 継続').waitFor();
    // the job starts
    await record.getByLabel('結果', { exact: true }).selectOption({ label: '就職' });
    await record.getByLabel('結果の日付').fill(today);
    await record.getByRole('button', { name: '記録を保存' }).click();
    await record.getByTestId('check-ins').waitFor();
    assert.match((await record.getByTestId('check-ins').textContent()) ?? '', /1か月後の確認.*未確認/);
    await shot(page, 'record');

    await page.goto(`${e.base}/placements`);
    await page.getByText('期日が来た確認はありません。').waitFor();

    // a month later (the day the 1-month check-in is due)
    const due = addMonths(today, 1);
    clock.offsetMs = Date.parse(`${due}T00:00:00+09:00`) - Date.now() + 60 * 60_000;
    assert.equal(japanDate(clock.now()), due);
    page = await e.newPage();
    await e.signIn(page, coordinator);
    await page.goto(`${e.base}/placements`);
    const queue = page.getByTestId('check-in-queue');
    await queue.getByText(caseReference).waitFor();
    assert.match((await queue.textContent()) ?? '', /市立図書館 配架補助：就職後1か月の確認/);
    await shot(page, 'queue');
    await queue.getByRole('button', { name: '就労継続' }).click();
    await page.getByText('期日が来た確認はありません。').waitFor();
  });
  test('the placements page and the matching view have no serious accessibility violation (axe)', { skip: engine !== 'pglite' }, async () => {
    // a profile that accepts axe's injected script whatever the page's CSP (as in a11y.test.ts)
    const context = await e.browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await e.signIn(page, coordinator);
    const found: string[] = [];
    for (const path of ['/placements', `/cases/${caseId}/placements`]) {
      await page.goto(`${e.base}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      await page.addScriptTag({ path: AXE });
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown }[] }[] }> } }).axe;
        return (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] })).violations;
      });
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      if (serious.length) found.push(`${path}: ${serious.map((v) => `${v.id} ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`).join('; ')}`);
    }
    assert.deepEqual(found, []);
    await context.close();
  });
});
