/**
 * axe-core in Chromium on the pages people meet first: the sign-in page, a
 * case page, the meeting pages and the resident's concern page. No serious or critical
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
import { buildUser, MUSASHINO_CODE, orgId, signInAs, TOKYO_CODE } from '../helpers/factories.ts';
import { readFileSync } from 'node:fs';

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
  async function newPage(on: E2e = e): Promise<Page> {
    const context = await on.browser.newContext({ locale: 'ja-JP', timezoneId: 'Asia/Tokyo', viewport: { width: 1280, height: 900 }, bypassCSP: true });
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

  /**
   * Checks page after page and keeps what it finds, so one test reports every
   * page's violations at once: `check` opens `path` (or stays where the page
   * is), waits for `ready`, then runs axe; `found` ends empty when all pass.
   */
  function violationsOf(base: string) {
    const found: string[] = [];
    const check = async (page: Page, path: string | null, ready: (page: Page) => Promise<unknown>) => {
      if (path) await page.goto(`${base}${path}`);
      await ready(page);
      await page.waitForLoadState('networkidle');
      const vs = await seriousViolations(page);
      if (vs.length) found.push(`${path ?? page.url()}:\n${describeViolations(vs)}`);
    };
    return { found, check };
  }

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
    const { found, check } = violationsOf(e.base);
    for (const path of ['/consultations/new', `/consultations/${consultationId}`, '/cases', '/referrals', '/network'])
      await check(page, path, (p) => p.getByRole('heading', { level: 1 }).first().waitFor());
    assert.deepEqual(found, []);
    await page.context().close();
  });

  test('the other resident pages: the chooser, the navigator with its answer, the list of windows, the events', async () => {
    const page = await newPage();
    const { found, check } = violationsOf(e.base);
    for (const path of ['/public/', '/public/windows', '/public/events', '/public/navigator'])
      await check(page, path, (p) => p.getByRole('heading', { level: 1 }).waitFor());
    // the navigator's answer, as a resident gets it
    await page.getByLabel('子どものこと').check();
    await page.getByLabel('年齢（歳）').fill('52');
    await page.getByLabel('家からほとんど出ない・ひきこもっている').check();
    await page.getByRole('button', { name: '相談先をさがす' }).click();
    await check(page, null, (p) => p.getByTestId('navigator-window').first().waitFor());
    assert.deepEqual(found, []);
    await page.context().close();
  });
  test('the meeting pages: the calendar and series, a session (coordinator and invited organisation), its printed minutes, action items and agreed rules', async () => {
    const hub = await signInAs(e.app, desk);
    const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
      const res = await e.app.inject({ method, url, headers: hub.headers, payload: payload as Record<string, unknown> });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const today = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
    const series = (await call('GET', '/api/meetings/series')).items.find((s: { key: string }) => s.key === 'comprehensive-support-coordination-meeting');
    const scheduled = await call('POST', `/api/meetings/series/${series.id}/recurrence`, {
      rule: { months: [1, 3, 5, 7, 9, 11], weekday: 2, nth: 2, start: '14:00', minutes: 90 }, holidayShift: 'next_weekday', place: '市役所 会議室', count: 2,
    });
    const sessionId: string = scheduled.sessions[0].id;
    const session = await call('POST', `/api/meetings/sessions/${sessionId}/agenda`, { items: [{ kind: 'case', caseId, reason: 'complex' }, { kind: 'topic', title: '地域の居場所づくり' }] });
    await call('POST', `/api/meetings/sessions/${sessionId}/organizations`, { organizationIds: [orgId('self-reliance-agency')] });
    const item = session.agenda[0];
    await call('POST', `/api/meetings/agenda-items/${item.id}/minutes`, { version: item.version, minutes: '母と面談した。' });
    await call('POST', `/api/meetings/sessions/${sessionId}/decisions`, {
      agendaItemId: item.id, text: '就労準備支援につなぐ。', actionItems: [{ organizationId: orgId('self-reliance-agency'), description: '就労準備支援の案内を送る', dueOn: today }],
      rule: { title: '相談の受け方', body: '民生委員からの相談は地域支援課が一度回収する。', routingRuleKey: 'welfare-commissioner-report' },
    });
    const member = (await buildUser(e.t.db, { org: 'self-reliance-agency', role: 'org_staff', clock: systemClock })).login;

    const { found, check } = violationsOf(e.base);
    const page = await newPage();
    await e.signIn(page, desk);
    await check(page, `/meetings?month=${scheduled.sessions[0].date.slice(0, 7)}`, (p) => p.getByTestId('calendar-session').first().waitFor());
    // with the recurrence form open
    await page.locator('[data-series="comprehensive-support-coordination-meeting"]').getByRole('button', { name: '定例の開催を設定する' }).click();
    await page.getByTestId('recurrence-form').waitFor();
    const withForm = await seriousViolations(page);
    if (withForm.length) found.push(`/meetings (recurrence form):\n${describeViolations(withForm)}`);
    await check(page, `/meetings/sessions/${sessionId}`, (p) => p.getByTestId('proposals').or(p.getByText('提案はありません。')).first().waitFor());
    // with the minutes editor and a decision's action item row open
    await page.getByTestId('agenda-item').nth(1).getByRole('button', { name: '議事録を書く' }).click();
    await page.getByTestId('decision-form').getByRole('button', { name: '対応事項を追加' }).click();
    await page.getByTestId('decision-form').getByLabel('統一見解として記録').check();
    const withEditors = await seriousViolations(page);
    if (withEditors.length) found.push(`/meetings/sessions (editors open):\n${describeViolations(withEditors)}`);
    await check(page, `/meetings/sessions/${sessionId}/print?what=minutes`, (p) => p.getByTestId('meeting-document').waitFor());
    await check(page, '/action-items', (p) => p.getByTestId('action-items').waitFor());
    await check(page, '/rules', (p) => p.getByTestId('agreed-rules').waitFor());
    await page.context().close();

    const memberPage = await newPage();
    await e.signIn(memberPage, member);
    await check(memberPage, `/meetings/sessions/${sessionId}`, (p) => p.getByTestId('agenda').waitFor());
    await check(memberPage, '/action-items', (p) => p.getByTestId('action-items').waitFor());
    await memberPage.context().close();
    assert.deepEqual(found, []);
  });
  // The prefecture's pages need Hoshino and Tokyo's centre loaded: a database of their own, so the pages above keep a single municipality.
  describe('the prefecture’s pages', () => {
    let p: E2e;
    let hubLogin = '';
    before(async () => {
      p = await startE2e({ prefecture: true });
      hubLogin = (await buildUser(p.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    });
    after(() => p?.close());

    test('the prefecture pages: visit records (list, new record, one record), networks side by side, proposals (centre and hub) and 巡回相談 (the centre’s plan and day, the window’s bookings)', async () => {
      const centre = (await buildUser(p.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock })).login;
      const session = await signInAs(p.app, centre);
      const post = async (url: string, payload: object) => {
        const res = await p.app.inject({ method: 'POST', url, headers: session.headers, payload: payload as Record<string, unknown> });
        assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };
      const seed = readFileSync(new URL('../../profiles/visits/musashino-2024-12-03.txt', import.meta.url), 'utf8');
      const visit = await post('/api/prefecture/visits/import', { text: seed });
      await post('/api/prefecture/proposals', { municipalityCode: MUSASHINO_CODE, gapRuleKey: 'neighbour-window', heading: '近隣の気がかりを相談できる窓口', text: '住民の誰もが相談できる窓口の設置を提案。' });

      const { found, check } = violationsOf(p.base);
      const page = await newPage(p);
      await p.signIn(page, centre);
      await check(page, '/prefecture/visits', (p) => p.getByTestId('visits').waitFor());
      await page.getByRole('button', { name: '新しい訪問記録' }).click();
      await page.getByLabel('訪問する自治体').selectOption({ label: '武蔵野市' });
      await page.getByRole('button', { name: '下書きを作る' }).click();
      await check(page, null, (p) => p.getByTestId('open-proposals').waitFor());
      await check(page, `/prefecture/visits/${visit.id}`, (p) => p.getByTestId('visit-document').waitFor());
      await check(page, '/prefecture/networks', (p) => p.getByTestId('networks').waitFor());
      await page.getByTestId('finding').filter({ has: page.getByRole('button', { name: '提案にする' }) }).first().getByRole('button', { name: '提案にする' }).click();
      await check(page, null, (p) => p.getByLabel('提案の文').waitFor());
      await check(page, '/prefecture/proposals', (p) => p.getByTestId('proposals').waitFor());
      await check(page, '/prefecture/partner-groups', (p) => p.getByTestId('partner-groups').waitFor());
      // 巡回相談: a day in Musashino, its plan, figures and sessions
      const inAWeek = new Date(Date.now() + 9 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
      await post('/api/prefecture/consultation-days', { municipalityCode: MUSASHINO_CODE, date: inAWeek, staff: ['相談員'] });
      await check(page, '/prefecture/consultation-days', (p) => p.getByTestId('consultation-day-figures').waitFor());
      await page.getByTestId('consultation-days').getByRole('button', { name: '開く' }).first().click();
      await check(page, null, (p) => p.getByTestId('consultation-day').waitFor());
      // the form that re-plans the day
      await page.getByTestId('consultation-day').getByRole('button', { name: '日程を変更する' }).click();
      await check(page, null, (p) => p.getByRole('form', { name: '日程を変更する' }).waitFor());
      await page.context().close();

      const hubPage = await newPage(p);
      await p.signIn(hubPage, hubLogin);
      await check(hubPage, '/prefecture/proposals', (p) => p.getByRole('button', { name: '回答を記録する' }).first().waitFor());
      await check(hubPage, `/prefecture/visits/${visit.id}`, (p) => p.getByTestId('visit-document').waitFor());
      await check(hubPage, '/consultation-days', (p) => p.getByTestId('consultation-days').waitFor());
      await hubPage.getByTestId('consultation-days').getByRole('button').first().click();
      await hubPage.getByTestId('day-session').first().getByRole('button', { name: '予約する' }).click();
      await check(hubPage, null, (p) => p.getByLabel('呼び名（ニックネーム可）').waitFor());
      await hubPage.context().close();
      assert.deepEqual(found, []);
    });

    test('the home-visit pages: the window’s form with its eligibility answer and list, the centre’s list and application', async () => {
      const centre = (await buildUser(p.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock })).login;
      const inject = async (login: string, url: string, payload?: object) => {
        const res = await p.app.inject({ method: 'POST', url, headers: (await signInAs(p.app, login)).headers, ...(payload ? { payload: payload as Record<string, unknown> } : {}) });
        assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };
      const application = await inject(hubLogin, '/api/prefecture/home-visit-applications', {
        age: 30, pastCompulsorySchooling: true, livesInMunicipality: true, monthsWithdrawn: 24, consent: { by: 'person', on: '2026-01-05', method: 'phone', fields: ['age'] },
      });
      await inject(centre, `/api/prefecture/home-visit-applications/centre/${application.id}/accept`);

      const { found, check } = violationsOf(p.base);
      const hubPage = await newPage(p);
      await p.signIn(hubPage, hubLogin);
      await check(hubPage, '/home-visit-applications', (p) => p.getByTestId('applications').waitFor());
      await hubPage.getByRole('textbox', { name: '年齢', exact: true }).fill('12');
      await hubPage.getByRole('textbox', { name: 'ひきこもりの期間（月数）', exact: true }).fill('2');
      await hubPage.getByRole('button', { name: '対象要件を確認する' }).click();
      await check(hubPage, null, (p) => p.getByTestId('eligibility').waitFor());
      await hubPage.context().close();

      const page = await newPage(p);
      await p.signIn(page, centre);
      await check(page, '/prefecture/home-visits', (p) => p.getByTestId('centre-applications').waitFor());
      await check(page, `/prefecture/home-visits/${application.id}`, (p) => p.getByRole('form', { name: '地域へつなぐ' }).waitFor());
      await page.context().close();
      assert.deepEqual(found, []);
    });

    test('the supporters’ meetings pages: the centre’s plan, meeting (invitees, registrations, forms) and figures; a municipality’s list and meeting with its registration form', async () => {
      const centre = (await buildUser(p.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock })).login;
      const session = await signInAs(p.app, centre);
      const inAWeek = new Date(Date.now() + 9 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
      const res = await p.app.inject({
        method: 'POST', url: '/api/prefecture/supporter-meetings', headers: session.headers,
        payload: {
          kind: 'training', title: 'ひきこもり支援研修', date: inAWeek, startTime: '14:00', endTime: '16:00', place: '都庁', online: true, capacity: 30, registrationDeadline: inAWeek,
          description: '事例をもとに学びます。', allMunicipalities: true, municipalityCodes: [], partnerIds: [],
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const hubSession = await signInAs(p.app, hubLogin);
      const reg = await p.app.inject({ method: 'POST', url: `/api/prefecture/supporter-meetings/${res.json().id}/registrations`, headers: hubSession.headers, payload: { name: '武蔵野 花子', section: '地域支援課', job: '保健師' } });
      assert.equal(reg.statusCode, 201, reg.body);

      const { found, check } = violationsOf(p.base);
      const page = await newPage(p);
      await p.signIn(page, centre);
      await check(page, '/prefecture/supporter-meetings', (p) => p.getByTestId('supporter-meeting-figures').waitFor());
      await page.getByTestId('supporter-meetings').getByRole('button', { name: /開く/ }).first().click();
      await check(page, null, (p) => p.getByTestId('meeting-registrations').waitFor());
      await page.getByRole('button', { name: '内容を変更する' }).click();
      await check(page, null, (p) => p.getByTestId('meeting-edit-form').waitFor());
      await page.context().close();

      const hubPage = await newPage(p);
      await p.signIn(hubPage, hubLogin);
      await check(hubPage, '/supporter-meetings', (p) => p.getByTestId('supporter-meetings').waitFor());
      await hubPage.getByTestId('supporter-meetings').getByRole('button', { name: /開く/ }).first().click();
      await check(hubPage, null, (p) => p.getByTestId('register-form').waitFor());
      await hubPage.context().close();
      assert.deepEqual(found, []);
    });
  });
});
