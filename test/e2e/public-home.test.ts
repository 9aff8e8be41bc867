import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { HOSHINO_CODE, importHoshino } from '../helpers/factories.ts';

const skip = browserUnavailable();

describe('the residents’ front page with several municipalities', { skip: skip ?? false }, () => {
  let e: E2e;

  before(async () => {
    e = await startE2e();
    await importHoshino(e.t.db);
  });
  after(async () => {
    await e?.close();
  });

  test('/public/ asks for the municipality; its page leads to its navigator; an unknown code is not found', async () => {
    const page = await e.newPage({ width: 390, height: 844 });
    await page.goto(`${e.base}/public/`);
    await page.getByRole('heading', { level: 1, name: 'ひきこもり・暮らしの相談' }).waitFor();
    const choices = page.getByTestId('public-municipalities').getByRole('link');
    assert.deepEqual(await choices.allTextContents(), ['武蔵野市', '星野町']);
    await page.screenshot({ path: `${ARTIFACTS}public-home-choose-${engine}.png`, fullPage: true });

    await choices.filter({ hasText: '星野町' }).click();
    await page.getByRole('heading', { level: 1, name: '星野町の相談窓口' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/public/${HOSHINO_CODE}/`);
    await page.getByTestId('public-pages').getByRole('link', { name: '相談先をさがす（相談先ナビ）' }).click();
    await page.getByRole('heading', { level: 1, name: '相談先ナビ' }).waitFor();
    assert.equal(new URL(page.url()).pathname, `/public/${HOSHINO_CODE}/navigator`);

    await page.goto(`${e.base}/public/999999/`);
    await page.getByRole('heading', { level: 1, name: '見つかりません' }).waitFor();
  });
});
