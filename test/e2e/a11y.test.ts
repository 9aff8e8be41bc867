/**
 * axe-core in Chromium on the pages people meet first: the sign-in page, a
 * case page and the resident's concern page. No serious or critical
 * violation (WCAG 2.1 A and AA rules, and axe's best practices).
 *
 * Runs on the PGlite pass only: the pages do not depend on the engine behind
 * the API. axe's source is injected with page.addScriptTag, which adds an
 * inline script: the browser context bypasses the page's CSP for that (and
 * only that), so these checks hold under the strict CSP the app sends.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { systemClock } from '../../src/lib/clock.ts';
import { browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, orgId, signInAs } from '../helpers/factories.ts';

const skip = engine !== 'pglite' ? 'runs on the PGlite pass only (the pages do not depend on the engine)' : browserUnavailable();
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

describe('no serious or critical accessibility violation (axe-core)', { skip: skip ?? false }, () => {
  let e: E2e;
  let desk = '';
  let caseId = '';
  let consultationId = '';

  before(async () => {
    e = await startE2e();
    desk = (await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    const hub = await signInAs(e.app, desk);
    const post = async (url: string, payload: object) => {
      const res = await e.app.inject({ method: 'POST', url, headers: hub.headers, payload: payload as Record<string, unknown> });
      assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const c = await post('/api/consultations', {
      receivedAt: new Date(Date.now() - 3_600_000).toISOString(), channel: 'phone', consulterRelation: 'family', consulterDetail: '母', age: 52,
      issueTags: ['hikikomori', '8050'], mainIssue: 'hikikomori', summary: '52歳の息子が10年ほど家から出ていない。', urgency: 'normal',
    });
    const kase = await post('/api/cases', {
      consultationIds: [c.id], complex: true, person: { name: '武蔵野 一郎', nameKana: 'むさしの いちろう', birthDate: '1974-01-01', address: '武蔵野市緑町' },
      household: { members: [{ relation: '母', person: { name: '武蔵野 花子', nameKana: 'むさしの はなこ', birthDate: '1946-01-01' } }] },
    });
    caseId = kase.id;
    consultationId = c.id;
    await post(`/api/cases/${caseId}/contact-records`, { occurredAt: new Date(Date.now() - 1_800_000).toISOString(), kind: 'phone', notes: '母と電話で話した。' });
    await post(`/api/cases/${caseId}/assessments`, { assessedOn: today, areas: { employment: { situation: '就労経験なし', needsSupport: true } }, summary: '外出は週1回' });
    await post(`/api/cases/${caseId}/consents`, { givenOn: today, scope: '就労支援のため', method: 'written', organizationIds: [orgId('self-reliance-agency')] });
  });
  after(() => e?.close());

  /** A fresh profile whose pages accept axe's injected script whatever their CSP. */
  async function newPage(): Promise<Page> {
    const context = await e.browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 900 }, bypassCSP: true });
    return context.newPage();
  }

  async function seriousViolations(page: Page): Promise<Violation[]> {
    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Violation[] }> } }).axe;
      const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }, resultTypes: ['violations'] });
      return result.violations;
    });
    return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  }

  const describeViolations = (vs: Violation[]) =>
    vs.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} ${n.failureSummary?.replace(/\n/g, ' ') ?? ''}`).join('\n')}`).join('\n');

  test('the sign-in page', async () => {
    const page = await newPage();
    await page.goto(`${e.base}/login`);
    await page.getByLabel('ログインID').waitFor();
    const vs = await seriousViolations(page);
    assert.deepEqual(vs.map((v) => v.id), [], describeViolations(vs));
    // and with the error a wrong password gives
    await page.getByLabel('ログインID').fill(desk);
    await page.getByLabel('パスワード').fill('wrong password');
    await page.getByRole('button', { name: 'ログイン', exact: true }).click();
    await page.getByRole('alert').first().waitFor();
    const withError = await seriousViolations(page);
    assert.deepEqual(withError.map((v) => v.id), [], describeViolations(withError));
    await page.context().close();
  });

  test('a case page, with its person, household, records, assessment and consent', async () => {
    const page = await newPage();
    await e.signIn(page, desk);
    await page.goto(`${e.base}/cases/${caseId}`);
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('person-box').getByText('武蔵野 一郎').waitFor();
    const vs = await seriousViolations(page);
    assert.deepEqual(vs.map((v) => v.id), [], describeViolations(vs));
    await page.context().close();
  });

  test('the public concern page (気がかり相談)', async () => {
    const page = await newPage();
    await page.goto(`${e.base}/public/concern`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.getByLabel('名前と連絡先を書いて送る').check();
    const vs = await seriousViolations(page);
    assert.deepEqual(vs.map((v) => v.id), [], describeViolations(vs));
    // and with the field errors an empty form gets
    await page.getByRole('button', { name: '市に伝える' }).click();
    await page.getByRole('alert').first().waitFor();
    const withErrors = await seriousViolations(page);
    assert.deepEqual(withErrors.map((v) => v.id), [], describeViolations(withErrors));
    await page.context().close();
  });

  test('the staff pages around a case: the intake form, a consultation, the case list, referrals and the network', async () => {
    const page = await newPage();
    await e.signIn(page, desk);
    const found: string[] = [];
    for (const [path, ready] of [
      ['/consultations/new', 'heading'], [`/consultations/${consultationId}`, 'heading'], ['/cases', 'heading'], ['/referrals', 'heading'], ['/network', 'heading'],
    ] as const) {
      await page.goto(`${e.base}${path}`);
      await page.getByRole(ready, { level: 1 }).first().waitFor();
      await page.waitForLoadState('networkidle');
      const vs = await seriousViolations(page);
      if (vs.length) found.push(`${path}:\n${describeViolations(vs)}`);
    }
    assert.deepEqual(found, []);
    await page.context().close();
  });

  test.todo('the navigator page — it does not exist yet');
  test.todo('a meeting page — meetings do not exist yet');
});
