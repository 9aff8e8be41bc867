/**
 * The meetings issue's browser journey: the coordinator schedules the next
 * 総合支援調整会議 by a recurrence (second Tuesday of odd months), accepts the
 * proposed agenda and invites a section; that section's chief sees the case
 * summaries only while the session's sharing window is open (the shipped
 * profile states no legal basis for this meeting, so a summary needs the
 * person's consent to the section; the case without it stays pseudonymised);
 * the minutes record a decision with two action items; one is closed from the
 * responsible section's queue, the other, overdue, returns on the next
 * session's agenda by the scheduled job.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { ARTIFACTS, browserUnavailable } from '../helpers/browser.ts';
import { engine } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, orgId, signInAs } from '../helpers/factories.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { returnOverdueActions } from '../../src/modules/meetings/service.ts';
import holidayJp from '@holiday-jp/holiday_jp';

const skip = browserUnavailable();

const JAPAN = 9 * 3_600_000;
const japanDate = (at: Date) => new Date(at.getTime() + JAPAN).toISOString().slice(0, 10);
const japanInputs = (at: Date) => { const iso = new Date(at.getTime() + JAPAN).toISOString(); return { date: iso.slice(0, 10), time: iso.slice(11, 16) }; };
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** The second Tuesday of a month, as the rule gives it before any holiday move. */
const secondTuesday = (date: string) => {
  const first = new Date(`${date.slice(0, 7)}-01T00:00:00Z`);
  return new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), 1 + ((2 - first.getUTCDay() + 7) % 7) + 7)).toISOString().slice(0, 10);
};

describe('the coordinator runs a 総合支援調整会議 from schedule to action items', { skip: skip ?? false }, () => {
  let e: E2e;
  let hub = '';
  let chief = '';
  let guest = { id: '', login: '' };
  let caseA = { id: '', reference: '' };
  let caseB = { id: '', reference: '' };
  let firstSession = '';
  let secondSession = '';
  const today = japanDate(new Date());

  before(async () => {
    e = await startE2e();
    hub = (await buildUser(e.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock, login: 'coordinator' })).login;
    chief = (await buildUser(e.t.db, { org: 'disability-welfare-section', role: 'org_staff', clock: systemClock, login: 'section-chief' })).login;
    const g = await buildUser(e.t.db, { org: 'welfare-commissioners', role: 'meeting_guest', clock: systemClock, login: 'commissioner' });
    guest = { id: g.id, login: g.login };
    const h = await signInAs(e.app, hub);
    const post = async (url: string, payload: object) => {
      const res = await e.app.inject({ method: 'POST', url, headers: h.headers, payload: payload as Record<string, unknown> });
      assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const consultation = await post('/api/consultations', {
      receivedAt: new Date(Date.now() - 3_600_000).toISOString(), channel: 'phone', consulterRelation: 'family', consulterDetail: '母', age: 45,
      issueTags: ['hikikomori', '8050'], mainIssue: 'hikikomori', summary: '45歳の息子が長く家から出ていない。', urgency: 'normal',
    });
    // A: compound needs, with the person's consent to share with the disability welfare section
    const a = await post('/api/cases', { consultationIds: [consultation.id], complex: true, person: { name: '会議 一郎', nameKana: 'かいぎ いちろう', ageBand: { min: 40, max: 49 } } });
    await post(`/api/cases/${a.id}/consents`, { givenOn: today, scope: '総合支援調整会議での検討のため', method: 'written', organizationIds: [orgId('disability-welfare-section')] });
    // B: a support plan due for review, no consent to the section
    const b = await post('/api/cases', { person: { name: '会議 花子', nameKana: 'かいぎ はなこ', birthDate: '1990-06-01' } });
    await post(`/api/cases/${b.id}/plans`, { goals: [{ kind: 'long', text: '週1回外出する' }], actions: [], reviewDate: today, personAgreed: false });
    caseA = { id: a.id, reference: a.reference };
    caseB = { id: b.id, reference: b.reference };
  });
  after(() => e?.close());

  const shot = (page: Page, name: string) => page.screenshot({ path: `${ARTIFACTS}meetings-${name}-${engine}.png`, fullPage: true });
  const agendaItem = (page: Page, text: string) => page.getByTestId('agenda-item').filter({ hasText: text });
  const sessionUrl = (id: string) => `${e.base}/meetings/sessions/${id}`;

  test('the coordinator schedules the series on the second Tuesday of odd months and gives calendars its feed', async () => {
    const page = await e.newPage();
    await e.signIn(page, hub);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '会議', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '会議' }).waitFor();
    await page.getByTestId('meeting-calendar').waitFor();
    const card = page.locator('[data-series="comprehensive-support-coordination-meeting"]');
    await card.getByRole('button', { name: '定例の開催を設定する' }).click();
    const form = card.getByTestId('recurrence-form');
    await form.getByRole('button', { name: '偶数月' }).click();
    assert.equal(await form.getByLabel('2月', { exact: true }).isChecked(), true);
    await form.getByRole('button', { name: '奇数月' }).click();
    assert.equal(await form.getByLabel('2月', { exact: true }).isChecked(), false);
    assert.equal(await form.getByLabel('3月', { exact: true }).isChecked(), true);
    await form.getByLabel('週', { exact: true }).selectOption('2');
    await form.getByLabel('曜日', { exact: true }).selectOption('2');
    await form.getByLabel('開始時刻').fill('14:00');
    await form.getByLabel('時間（分）').fill('90');
    await form.getByLabel('場所').fill('市役所西棟 会議室');
    await form.getByLabel('予定する回数').fill('3');
    const preview = form.getByTestId('recurrence-preview').locator('li');
    assert.equal(await preview.count(), 3);
    assert.match(await preview.first().textContent() ?? '', /（火） 14:00$/);
    await shot(page, 'a-recurrence');
    await form.getByRole('button', { name: '開催予定を作成する' }).click();
    const created = form.getByTestId('recurrence-created');
    await created.getByText('3回の開催予定を作成しました。').waitFor();
    assert.match(await card.textContent() ?? '', /奇数月の第2火曜日 14:00（90分）/);

    const { rows } = await e.t.db.query<{ id: string; d: string; moved_from: string | null; t: string }>(
      `SELECT ms.id, (ms.starts_at AT TIME ZONE 'Asia/Tokyo')::date::text AS d, ms.moved_from::text, to_char(ms.starts_at AT TIME ZONE 'Asia/Tokyo', 'HH24:MI') AS t
       FROM meeting_session ms JOIN meeting_series s ON s.municipality_id = ms.municipality_id AND s.id = ms.series_id
       WHERE s.key = 'comprehensive-support-coordination-meeting' ORDER BY ms.starts_at`);
    assert.equal(rows.length, 3);
    for (const r of rows) {
      const ruled = r.moved_from ?? r.d;
      assert.equal(Number(ruled.slice(5, 7)) % 2, 1, `${ruled} is in an odd month`);
      assert.equal(ruled, secondTuesday(ruled), `${ruled} is the month's second Tuesday`);
      assert.equal(r.t, '14:00');
    }
    [firstSession, secondSession] = [rows[0]!.id, rows[1]!.id];

    // the calendar shows the next session in its month
    await page.goto(`${e.base}/meetings?month=${rows[0]!.d.slice(0, 7)}`);
    const onCalendar = page.getByTestId('meeting-calendar').locator(`td[data-date="${rows[0]!.d}"]`).getByTestId('calendar-session');
    assert.match(await onCalendar.textContent() ?? '', /14:00 総合支援調整会議/);

    // the iCalendar feed: created once, fetched without signing in, no personal data
    await card.getByRole('button', { name: '配信URLを作成する' }).click();
    const url = await card.getByLabel('配信URL').inputValue();
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/api\/meetings\/feeds\/[A-Za-z0-9_-]+\.ics$/);
    const ics = await (await fetch(url)).text();
    assert.match(ics, /^BEGIN:VCALENDAR/);
    assert.ok(ics.includes('総合支援調整会議') && !ics.includes('会議 一郎'), 'the feed names the meeting, no person');
    await shot(page, 'a-series');
  });

  test('a date the rule puts on a public holiday moves to the next working day, and the calendar says from which day', async () => {
    // the next weekday holiday (not in the year-end closure), as the nth weekday of its month
    const holiday = holidayJp.between(new Date(`${addDays(today, 1)}T00:00:00Z`), new Date(`${addDays(today, 400)}T00:00:00Z`))
      .map((h) => h.date.toISOString().slice(0, 10))
      .find((d) => { const w = new Date(`${d}T00:00:00Z`).getUTCDay(); return w >= 1 && w <= 5 && Number(d.slice(8, 10)) <= 28 && !d.endsWith('-01-02') && !d.endsWith('-01-03'); })!;
    const weekday = new Date(`${holiday}T00:00:00Z`).getUTCDay();
    const nth = Math.ceil(Number(holiday.slice(8, 10)) / 7);
    const page = await e.newPage();
    await e.signIn(page, hub);
    await page.goto(`${e.base}/meetings`);
    const card = page.locator('[data-series="support-coordination-meeting"]');
    await card.getByRole('button', { name: '定例の開催を設定する' }).click();
    const form = card.getByTestId('recurrence-form');
    for (const box of await form.locator('input[name$="-month"]').all()) await box.uncheck();
    await form.getByLabel(`${Number(holiday.slice(5, 7))}月`, { exact: true }).check();
    await form.getByLabel('週', { exact: true }).selectOption(String(nth));
    await form.getByLabel('曜日', { exact: true }).selectOption(String(weekday));
    await form.getByLabel('予定する回数').fill('1');
    await form.getByRole('button', { name: '開催予定を作成する' }).click();
    const created = form.getByTestId('recurrence-created');
    await created.getByText('1回の開催予定を作成しました。').waitFor();
    assert.match(await created.locator('li').textContent() ?? '', /祝日のため令和\d+年\d+月\d+日から変更/);
    const { rows } = await e.t.db.query<{ d: string; moved_from: string }>(
      `SELECT (ms.starts_at AT TIME ZONE 'Asia/Tokyo')::date::text AS d, ms.moved_from::text FROM meeting_session ms
       JOIN meeting_series s ON s.municipality_id = ms.municipality_id AND s.id = ms.series_id WHERE s.key = 'support-coordination-meeting'`);
    assert.equal(rows[0]!.moved_from, holiday);
    assert.ok(rows[0]!.d > holiday);
    await page.goto(`${e.base}/meetings?month=${rows[0]!.d.slice(0, 7)}`);
    const cell = page.getByTestId('meeting-calendar').locator(`td[data-date="${rows[0]!.d}"]`);
    assert.match(await cell.textContent() ?? '', new RegExp(`支援調整会議.*祝日のため${Number(holiday.slice(8, 10))}日から変更`));
    await shot(page, 'a-moved');
  });

  test('the coordinator accepts the proposed agenda, reorders it from the keyboard and invites the disability welfare section', async () => {
    const page = await e.newPage();
    await e.signIn(page, hub);
    await page.goto(sessionUrl(firstSession));
    await page.getByRole('heading', { level: 1, name: /総合支援調整会議/ }).waitFor();
    const proposals = page.getByTestId('proposals');
    await proposals.waitFor();
    assert.match(await proposals.locator('tr', { hasText: caseA.reference }).textContent() ?? '', /複合課題/);
    assert.match(await proposals.locator('tr', { hasText: caseB.reference }).textContent() ?? '', /見直し期限/);
    await page.getByRole('button', { name: '提案をすべて議題に追加（2件）' }).click();
    await page.getByRole('status').filter({ hasText: '2件を議題に追加しました。' }).waitFor();
    const items = page.getByTestId('agenda-item');
    assert.equal(await items.count(), 2);
    // plan reviews come first: B, then A; A is moved up with the keyboard and keeps the focus
    assert.match(await items.nth(0).textContent() ?? '', new RegExp(caseB.reference));
    const up = page.getByRole('button', { name: new RegExp(`${caseA.reference}）を上へ移動`) });
    await up.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction((ref) => document.querySelector('[data-testid="agenda-item"]')?.textContent?.includes(ref), caseA.reference);
    assert.match(await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? ''), /を下へ移動$/, 'the focus stays on the moved item');
    assert.match(await agendaItem(page, caseA.reference).textContent() ?? '', /会議 一郎/, 'the coordinator sees the whole summary');

    const invite = page.getByTestId('invite-organizations');
    await invite.getByLabel('障害者福祉課').check();
    await invite.getByRole('button', { name: '選んだ機関を招待する' }).click();
    await invite.getByRole('status').filter({ hasText: '1機関を招待しました。' }).waitFor();
    await page.getByTestId('attendance').getByText('障害者福祉課').waitFor();
    await shot(page, 'b-agenda');
  });

  /** The coordinator sets the sharing window from the session page. */
  async function setWindow(page: Page, from: Date, until: Date) {
    await page.goto(sessionUrl(firstSession));
    await page.getByRole('button', { name: '開催情報を変更する' }).click();
    const form = page.getByTestId('session-settings');
    const f = japanInputs(from);
    const u = japanInputs(until);
    await form.getByLabel('共有開始日').fill(f.date);
    await form.getByLabel('共有開始時刻').fill(f.time);
    await form.getByLabel('共有終了日').fill(u.date);
    await form.getByLabel('共有終了時刻').fill(u.time);
    await form.getByRole('button', { name: '変更を保存する' }).click();
    await form.waitFor({ state: 'detached' });
  }

  test('the section chief sees the case summaries only while the sharing window is open', async () => {
    const coordinator = await e.newPage();
    await e.signIn(coordinator, hub);
    const page = await e.newPage();
    await e.signIn(page, chief);

    // before the window: pseudonyms only
    await page.goto(sessionUrl(firstSession));
    await page.getByTestId('agenda').waitFor();
    assert.equal(await page.getByTestId('window-state').textContent(), '共有開始前');
    assert.deepEqual(await page.getByTestId('agenda-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-view'))), ['pseudonymised', 'pseudonymised']);
    let body = await page.textContent('main') ?? '';
    assert.ok(!body.includes('会議 一郎') && !body.includes('会議 花子') && !body.includes(caseA.reference), 'no name and no case number');
    assert.match(body, /事例1.*年代.*課題/s);
    assert.equal(await page.getByTestId('agenda-editor').count(), 0, 'members do not edit the agenda');
    await shot(page, 'c-before-window');

    // the window opens: A's summary (consent names the section); B stays pseudonymised
    await setWindow(coordinator, new Date(Date.now() - 5 * 60_000), new Date(Date.now() + 60 * 60_000));
    await coordinator.getByTestId('window-state').filter({ hasText: '現在共有中' }).waitFor();
    await page.reload();
    await page.getByTestId('agenda').waitFor();
    assert.equal(await page.getByTestId('window-state').textContent(), '現在共有中');
    const a = agendaItem(page, '会議 一郎');
    assert.equal(await a.getAttribute('data-view'), 'summary');
    assert.match(await a.textContent() ?? '', /40代.*ひきこもり/s);
    assert.equal(await a.getByRole('link', { name: /を開く$/ }).count(), 0, 'no case page: the section takes no part in the case');
    assert.equal(await page.getByTestId('agenda-item').nth(1).getAttribute('data-view'), 'pseudonymised');
    assert.match(await page.getByTestId('agenda-item').nth(1).textContent() ?? '', /本人の同意がこの機関に及ばないため/);
    body = await page.textContent('main') ?? '';
    assert.ok(!body.includes('会議 花子'));
    await shot(page, 'c-window-open');

    // the window closes: pseudonyms again
    await setWindow(coordinator, new Date(Date.now() - 10 * 60_000), new Date(Date.now() - 60_000));
    await page.reload();
    await page.getByTestId('agenda').waitFor();
    assert.equal(await page.getByTestId('window-state').textContent(), '共有期間終了');
    body = await page.textContent('main') ?? '';
    assert.ok(!body.includes('会議 一郎'), 'the summary is gone with the window');

    const { rows } = await e.t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_event WHERE action = 'meeting.agenda_read' AND entity_id = $1`, [firstSession]);
    assert.ok(rows[0]!.n >= 3, 'every view of the agenda is audited with the session');
  });

  test('a welfare commissioner invited as a guest sees the cases pseudonymised, while the window is open too', async () => {
    const coordinator = await e.newPage();
    await e.signIn(coordinator, hub);
    await coordinator.goto(sessionUrl(firstSession));
    const guests = coordinator.getByTestId('guests');
    await guests.getByLabel('招待するゲスト').selectOption(guest.id);
    await guests.getByLabel('区分').selectOption({ label: '民生委員' });
    await guests.getByLabel('閲覧できる範囲').selectOption({ label: '事例は仮名で表示' });
    await guests.getByRole('button', { name: '招待する' }).click();
    await guests.getByText(/民生委員・事例は仮名で表示/).waitFor();
    await setWindow(coordinator, new Date(Date.now() - 5 * 60_000), new Date(Date.now() + 60 * 60_000));

    const page = await e.newPage();
    await e.signIn(page, guest.login);
    const menu = page.getByRole('navigation', { name: 'メインメニュー' });
    assert.equal(await menu.getByRole('link', { name: '対応事項' }).count(), 0);
    await menu.getByRole('link', { name: '会議', exact: true }).click();
    await page.getByText('開催予定の一覧は職員向けです。', { exact: false }).first().waitFor();
    await page.goto(sessionUrl(firstSession));
    await page.getByTestId('agenda').waitFor();
    assert.deepEqual(await page.getByTestId('agenda-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-view'))), ['pseudonymised', 'pseudonymised']);
    const body = await page.textContent('main') ?? '';
    assert.ok(!body.includes('会議 一郎') && !body.includes(caseA.reference), 'no name, no case number');
    assert.match(body, /ゲストには、事例を仮名/);
    assert.equal(await page.getByTestId('attendance').count(), 0, 'guests do not see the attendance');
    await shot(page, 'c-guest');

    await setWindow(coordinator, new Date(Date.now() - 10 * 60_000), new Date(Date.now() - 60_000));
  });

  test('the minutes record a decision with two action items, confirm B’s plan and agree a rule; a stale edit of the minutes is merged', async () => {
    const page = await e.newPage();
    await e.signIn(page, hub);
    await page.goto(sessionUrl(firstSession));
    // the session was brought forward and held yesterday
    await page.getByRole('button', { name: '開催情報を変更する' }).click();
    const settings = page.getByTestId('session-settings');
    await settings.getByLabel('開催日').fill(addDays(today, -1));
    await settings.getByLabel('状態').selectOption({ label: '開催済み' });
    await settings.getByRole('button', { name: '変更を保存する' }).click();
    await settings.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1, name: /総合支援調整会議/ }).waitFor();
    const a = agendaItem(page, caseA.reference);
    await a.getByRole('button', { name: '議事録を書く' }).click();
    await a.getByRole('textbox', { name: /の議事録$/ }).fill('母と面談。本人は外出の意欲あり。');
    // someone else saves the minutes of the same item first
    const h = await signInAs(e.app, hub);
    const session = (await e.app.inject({ method: 'GET', url: `/api/meetings/sessions/${firstSession}`, headers: h.headers })).json();
    const item = session.agenda.find((i: { case: { id: string } | null }) => i.case?.id === caseA.id);
    const other = await e.app.inject({ method: 'POST', url: `/api/meetings/agenda-items/${item.id}/minutes`, headers: h.headers, payload: { version: item.version, minutes: '（書記）母と面談した。' } });
    assert.equal(other.statusCode, 200, other.body);
    await a.getByRole('button', { name: '議事録を保存する' }).click();
    const merge = a.getByTestId('merge');
    await merge.getByRole('heading', { name: '他の人が先に更新しました' }).waitFor();
    await merge.getByLabel(/自分の入力を残す/).check();
    await shot(page, 'd-minutes-merge');
    await merge.getByRole('button', { name: '統合して保存' }).click();
    await a.getByRole('status').filter({ hasText: '議事録を保存しました。' }).waitFor();
    assert.match(await a.getByTestId('minutes').textContent() ?? '', /母と面談。本人は外出の意欲あり。/);

    const form = page.getByTestId('decision-form');
    // the confirmation stays from one decision to the next: wait for the decision itself
    const decisionsRecorded = (n: number) => page.waitForFunction((count) => document.querySelectorAll('[data-testid="decisions"] > li').length === count, n);
    // A is the first item since it was moved up
    await form.getByLabel('議題', { exact: true }).selectOption({ label: `1. ${item.label}（${caseA.reference}）` });
    // an empty decision says what is missing
    await form.getByRole('button', { name: '決定を記録する' }).click();
    await form.getByRole('alert').filter({ hasText: '決定した内容を入力してください。' }).waitFor();
    await form.getByLabel('決定した内容').fill('障害者福祉課と連携して家族面談を行い、就労準備支援につなぐ。');
    await form.getByRole('button', { name: '対応事項を追加' }).click();
    await form.getByRole('button', { name: '対応事項を追加' }).click();
    const rows = form.getByTestId('action-row');
    await rows.nth(0).getByLabel('担当機関').selectOption({ label: '障害者福祉課' });
    await rows.nth(0).getByLabel('期限').fill(addDays(today, 14));
    await rows.nth(0).getByLabel('内容').fill('家族面談の日程を調整する');
    await rows.nth(1).getByLabel('担当機関').selectOption({ label: '生活困窮者自立相談支援機関' });
    await rows.nth(1).getByLabel('期限').fill(addDays(today, -1));
    await rows.nth(1).getByLabel('内容').fill('就労準備支援の案内を送る');
    await shot(page, 'd-decision');
    await form.getByRole('button', { name: '決定を記録する' }).click();
    await form.getByRole('status').filter({ hasText: '決定を記録しました。' }).waitFor();
    await decisionsRecorded(1);
    const actions = page.getByTestId('session-action-items');
    assert.equal(await actions.locator('tbody tr').count(), 2);
    assert.match(await actions.locator('tr', { hasText: '就労準備支援の案内を送る' }).textContent() ?? '', /期限超過/);

    // B's plan is confirmed by the meeting
    await form.getByLabel('議題', { exact: true }).selectOption({ index: 2 });
    await form.getByLabel('決定した内容').fill('支援プランを確認した。');
    await form.getByLabel('支援プラン（第1版）を確認').check();
    await form.getByRole('button', { name: '決定を記録する' }).click();
    await form.getByRole('status').filter({ hasText: '決定を記録しました。' }).waitFor();
    await decisionsRecorded(2);

    // a general decision becomes 統一見解 第1号, linked to a routing rule
    await form.getByLabel('議題', { exact: true }).selectOption({ index: 0 });
    await form.getByLabel('決定した内容').fill('民生委員からの相談の扱いを統一する。');
    await form.getByLabel('統一見解として記録').check();
    await form.getByLabel('題名').fill('民生委員からの相談は地域支援課が一度回収する');
    await form.getByLabel(/^内容/).fill('民生委員からの相談は、地域支援課が回収したうえで福祉総合相談窓口につなぐ。');
    await form.getByLabel('関連するつなぎのルール').fill('welfare-commissioner-report');
    await form.getByRole('button', { name: '決定を記録する' }).click();
    await form.getByRole('status').filter({ hasText: '決定を記録しました。' }).waitFor();
    await decisionsRecorded(3);
    // and is changed by a later decision, never edited: 第2号 replaces 第1号
    await form.getByLabel('決定した内容').fill('民生委員からの相談の扱いを改める。');
    await form.getByLabel('統一見解として記録').check();
    await form.getByLabel('題名').fill('民生委員からの相談は福祉総合相談窓口が直接受ける');
    await form.getByLabel(/^内容/).fill('民生委員からの相談は、福祉総合相談窓口が直接受け、地域支援課に共有する。');
    await form.getByLabel('改正前の見解').selectOption({ label: '第1号 民生委員からの相談は地域支援課が一度回収する' });
    await form.getByRole('button', { name: '決定を記録する' }).click();
    await form.getByRole('status').filter({ hasText: '決定を記録しました。' }).waitFor();
    await decisionsRecorded(4);

    await page.goto(`${e.base}/cases/${caseB.id}`);
    await page.getByTestId('plans').waitFor();
    assert.match(await page.getByTestId('plan-confirmed').textContent() ?? '', /^令和\d+年\d+月\d+日 総合支援調整会議で確認$/);

    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '統一見解' }).click();
    const rules = page.getByTestId('agreed-rule');
    await rules.first().waitFor();
    assert.equal(await rules.count(), 1, 'only the rule in force');
    assert.match(await rules.first().textContent() ?? '', /第2号.*福祉総合相談窓口が直接受ける.*適用中.*総合支援調整会議.*改正前の見解第1号/s);
    await page.getByLabel('効力を失ったものも表示').check();
    const first = page.locator('#agreed-rule-1');
    await first.waitFor();
    assert.match(await first.textContent() ?? '', /効力なし.*第2号により改正/s);
    assert.equal(await first.getByRole('link', { name: 'welfare-commissioner-report' }).getAttribute('href'), '/routing/rules#rule-welfare-commissioner-report');
    await page.getByRole('searchbox', { name: '統一見解を検索' }).fill('該当しない語');
    await page.getByRole('button', { name: '検索', exact: true }).click();
    await page.getByText('該当する統一見解はありません。').waitFor();
    await shot(page, 'd-rules');
  });

  test('the agenda and the minutes print on A4 without the navigation', async () => {
    const page = await e.newPage();
    await e.signIn(page, hub);
    await page.goto(sessionUrl(firstSession));
    await page.getByRole('link', { name: '議事録を印刷用に表示' }).click();
    const doc = page.getByTestId('meeting-document');
    await doc.waitFor();
    assert.match(await doc.textContent() ?? '', /総合支援調整会議 議事録.*出席.*議題.*母と面談。本人は外出の意欲あり。.*この回の対応事項/s);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.getByRole('navigation', { name: 'メインメニュー' }).isVisible(), false);
    assert.equal(await page.getByRole('button', { name: '印刷（A4）' }).isVisible(), false);
    assert.equal(await doc.isVisible(), true);
    await page.pdf({ path: `${ARTIFACTS}meetings-minutes-${engine}.pdf`, format: 'A4' });
    await page.emulateMedia({ media: 'screen' });
  });

  test('the section closes its action item from its queue; the overdue one returns on the next session’s agenda', async () => {
    const page = await e.newPage();
    await e.signIn(page, chief);
    await page.getByRole('navigation', { name: 'メインメニュー' }).getByRole('link', { name: '対応事項' }).click();
    await page.getByRole('heading', { level: 1, name: '対応事項' }).waitFor();
    const mine = page.getByTestId('action-item');
    await mine.first().waitFor();
    assert.equal(await mine.count(), 1, 'only the section’s own item');
    assert.equal(await page.locator('.queue-count').textContent(), 'このページに1件（全1件）');
    const item = mine.filter({ hasText: '家族面談の日程を調整する' });
    await item.getByLabel('完了メモ').fill('12月3日に面談を設定した。');
    await item.getByRole('button', { name: '完了にする' }).click();
    await item.getByRole('status').filter({ hasText: '完了にしました。' }).waitFor();
    assert.equal(await item.getAttribute('data-status'), 'done');
    await shot(page, 'e-queue');

    // the scheduled job puts the overdue item on the next session's agenda
    assert.deepEqual(await returnOverdueActions({ db: e.t.db, clock: systemClock }), { returned: 1 });
    const hubPage = await e.newPage();
    await e.signIn(hubPage, hub);
    await hubPage.goto(`${e.base}/action-items`);
    const overdue = hubPage.getByTestId('action-item').filter({ hasText: '就労準備支援の案内を送る' });
    await overdue.waitFor();
    assert.match(await overdue.textContent() ?? '', /期限超過.*生活困窮者自立相談支援機関/s);
    assert.match(await overdue.getAttribute('class') ?? '', /action-item--overdue/);
    assert.equal(await hubPage.getByTestId('action-item').first().textContent().then((t) => t?.includes('就労準備支援の案内を送る')), true, 'overdue first');

    await hubPage.goto(sessionUrl(secondSession));
    const returned = hubPage.getByTestId('agenda-item').filter({ hasText: '就労準備支援の案内を送る' });
    await returned.waitFor();
    assert.match(await returned.textContent() ?? '', /対応事項の確認.*対応事項の期限超過/s);
    await shot(hubPage, 'e-next-agenda');
  });
});
