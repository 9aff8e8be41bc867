/**
 * Stored XSS: markup entered in every free-text field of a concern (through
 * the public form), a consultation, a case, a meeting and the prefecture's
 * visit records and proposals renders as text in
 * Chromium on the pages that show it, and no script runs.
 *
 * Runs on the PGlite pass only: what is checked is how the web app renders
 * text, which does not depend on the engine that stored it (the fuzzer checks
 * on both engines that such text is stored and answered unchanged).
 * Nothing here relies on inline scripts, so it holds under a strict CSP; and
 * it checks the DOM for injected elements, so it would fail even where a CSP
 * stopped the injected script from running.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { App } from '../../src/http/app.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { browserUnavailable } from '../helpers/browser.ts';
import { engine, type TestDb } from '../helpers/db.ts';
import { startE2e, type E2e } from '../helpers/e2e.ts';
import { buildUser, MUSASHINO_CODE, orgId, signInAs, TEST_SHARE_BASIS, TOKYO_CODE, TOKYO_PROFILE } from '../helpers/factories.ts';
import { readFileSync } from 'node:fs';
import { systemActor } from '../../src/lib/context.ts';
import { importProfile } from '../../src/modules/network/importer.ts';
import { parseProfile } from '../../src/modules/network/profile.ts';

const skip = engine !== 'pglite' ? 'runs on the PGlite pass only (rendering does not depend on the engine)' : browserUnavailable();

/** What an attacker would type: an element with a handler, and a script. */
const MARKUP = '<img src=x onerror=window.__xss=1><script>window.__xss=1</script>';
/** For fields of at most 30 characters. */
const SHORT = '<svg/onload=__xss=1>';
/** Each field gets its own marker, so the test can say which field a page shows. */
const entered = (field: string, markup = MARKUP) => `《${field}》${markup}`;

const japanToday = () => new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

describe('markup entered in a concern, a consultation, a case and a meeting renders as text, and no script runs', { skip: skip ?? false }, () => {
  let e: E2e;
  let t: TestDb;
  let app: App;
  let base: string;
  let desk: string;
  let agency: string;
  let concernConsultation = '';
  let consultation = '';
  let caseId = '';

  before(async () => {
    e = await startE2e();
    ({ t, app, base } = e);
    desk = (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    agency = (await buildUser(t.db, { org: 'self-reliance-agency', role: 'org_staff', clock: systemClock })).login;
  });
  after(() => e?.close());

  /** A page that records any dialog and any script that sets window.__xss. */
  async function watchedPage(on: E2e = e) {
    const page = await on.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    return { page, dialogs };
  }

  /** No script ran, no dialog opened, and no element carries the injected handler or script. */
  async function assertNothingRan(page: Page, dialogs: string[], where: string) {
    assert.equal(await page.evaluate(() => (window as { __xss?: unknown }).__xss), undefined, `${where}: an injected script ran`);
    assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
    const injected = await page.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((el) => {
        const attrs = [...el.attributes].filter((a) => (a.name.startsWith('on') || ['src', 'href', 'srcdoc', 'style'].includes(a.name)) && a.value.includes('__xss'));
        const script = el.tagName === 'SCRIPT' && (el.textContent ?? '').includes('__xss');
        return attrs.length || script || (el.tagName === 'IMG' && el.getAttribute('src') === 'x') ? [el.outerHTML.slice(0, 200)] : [];
      }));
    assert.deepEqual(injected, [], `${where}: markup became elements`);
  }

  /**
   * Every field's text is shown as typed, markup included, as text. What a resident sends through the public
   * side may arrive with its tags stripped (the public side passes plain text inward): that form is accepted there.
   */
  async function assertShownAsText(page: Page, fields: [string, string?][], where: string, opts: { stripped?: boolean } = {}) {
    const text = (await page.textContent('body')) ?? '';
    const shown = (typed: string) => text.includes(typed) || (opts.stripped === true && text.includes(typed.replace(/<[^>]*>/g, '')));
    const missing = fields.filter(([f, markup]) => !shown(entered(f, markup)));
    assert.deepEqual(missing.map(([f]) => f), [], `${where}: these fields are not shown as typed`);
  }

  test('a resident sends a concern with markup in its text and their name, through the public form', async () => {
    const { page, dialogs } = await watchedPage();
    await page.goto(`${base}/public/concern`);
    await page.getByLabel('近所の方のこと').check();
    await page.getByLabel('気になっていることを書いてください').fill(entered('concern'));
    await page.getByLabel('名前と連絡先を書いて送る').check();
    await page.getByLabel('お名前（任意）').fill(entered('reporter'));
    await page.getByLabel('電話番号').fill('0422-00-0000');
    await page.getByRole('button', { name: '市に伝える' }).click();
    const code = (await page.getByTestId('receipt-code').textContent({ timeout: 60_000 }))?.trim() ?? '';
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    await assertNothingRan(page, dialogs, 'the public receipt');
    await app.takeInPublicSubmissions();
    const { rows } = await t.db.query<{ consultation_id: string }>('SELECT consultation_id FROM concern_report WHERE receipt_code = $1', [code]);
    concernConsultation = rows[0]?.consultation_id;
    assert.ok(concernConsultation, 'the concern became a consultation');
  });

  test('staff enter markup in every free-text field of a consultation and of a case (person, household, records, assessment, plan, consent, status, referral)', async () => {
    const hub = await signInAs(app, desk);
    const receiver = await signInAs(app, agency);
    const call = async (who: typeof hub, method: 'POST' | 'GET', url: string, payload?: object) => {
      const res = await app.inject({ method, url, headers: who.headers, payload: payload as Record<string, unknown> });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const today = japanToday();

    const concern = await call(hub, 'GET', `/api/consultations/${concernConsultation}`);
    await call(hub, 'POST', `/api/consultations/${concernConsultation}/route`, { version: concern.version, organizationId: orgId('community-support-section'), reason: entered('route') });

    const c = await call(hub, 'POST', '/api/consultations', {
      receivedAt: new Date(Date.now() - 3_600_000).toISOString(), channel: 'phone', consulterRelation: 'family', consulterDetail: entered('consulter'),
      age: 52, issueTags: ['hikikomori'], summary: entered('summary'), urgency: 'normal',
    });
    consultation = c.id;
    const kase = await call(hub, 'POST', '/api/cases', {
      consultationIds: [c.id],
      person: { name: entered('name'), nameKana: entered('kana'), gender: SHORT, address: entered('address') },
      household: { label: entered('household'), members: [{ relation: entered('relation', SHORT), person: { name: entered('member'), nameKana: entered('memberKana') } }] },
    });
    caseId = kase.id;
    await call(hub, 'POST', `/api/cases/${caseId}/contact-records`, { occurredAt: new Date(Date.now() - 1_800_000).toISOString(), kind: 'phone', notes: entered('notes'), nextStep: entered('nextStep') });
    await call(hub, 'POST', `/api/cases/${caseId}/assessments`, { assessedOn: today, areas: { employment: { situation: entered('situation'), needsSupport: true } }, summary: entered('assessment') });
    await call(hub, 'POST', `/api/cases/${caseId}/plans`, {
      goals: [{ kind: 'long', text: entered('goal') }], actions: [{ description: entered('action'), organizationId: orgId('welfare-desk') }], reviewDate: addDays(today, 90), personAgreed: false,
    });
    await call(hub, 'POST', `/api/cases/${caseId}/consents`, { givenOn: today, scope: entered('scope'), method: 'written', organizationIds: [orgId('crescole')] });
    const withdrawn = await call(hub, 'POST', `/api/cases/${caseId}/consents`, { givenOn: today, scope: entered('withdrawnScope'), method: 'verbal', organizationIds: [orgId('crescole')] });
    await call(hub, 'POST', `/api/cases/${caseId}/consents/${withdrawn.id}/withdraw`, { note: entered('withdrawal') });
    const current = await call(hub, 'GET', `/api/cases/${caseId}`);
    await call(hub, 'POST', `/api/cases/${caseId}/status`, { version: current.version, status: 'assessment', reason: entered('statusReason') });
    const referral = await call(hub, 'POST', `/api/cases/${caseId}/referrals`, {
      toOrganizationId: orgId('self-reliance-agency'), reason: entered('referralReason'), sharedSummary: entered('shared'), urgency: 'normal', firstContactDue: addDays(today, 7), legalBasis: TEST_SHARE_BASIS,
    });
    await call(receiver, 'POST', `/api/referrals/${referral.id}/status`, { version: referral.version, status: 'accepted', note: entered('acceptNote') });
  });

  test('the desk reads the concern, the consultation and their queue: all text, no script', async () => {
    const { page, dialogs } = await watchedPage();
    await e.signIn(page, desk);
    await page.goto(`${base}/consultations/${concernConsultation}`);
    await page.getByRole('heading', { name: '気がかり相談の送り主' }).waitFor();
    await assertShownAsText(page, [['concern'], ['reporter']], 'the concern', { stripped: true });
    await assertShownAsText(page, [['route']], 'the concern');
    await assertNothingRan(page, dialogs, 'the concern');

    await page.goto(`${base}/consultations/${consultation}`);
    await page.getByText(entered('summary')).first().waitFor();
    await assertShownAsText(page, [['consulter'], ['summary']], 'the consultation');
    await assertNothingRan(page, dialogs, 'the consultation');

    await page.goto(`${base}/consultations?status=routed`);
    await page.getByTestId('queue-item').first().waitFor();
    await assertNothingRan(page, dialogs, 'the consultation list');
  });

  test('the desk reads the case and the case list: every field shows its markup as text, no script runs', async () => {
    const { page, dialogs } = await watchedPage();
    await e.signIn(page, desk);
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByTestId('timeline').waitFor();
    await page.getByTestId('person-box').getByText(entered('name')).waitFor();
    await page.getByTestId('case-referrals').getByTestId('referral').waitFor();
    // folded parts (earlier records, history) are opened so that what they hold is rendered too
    for (const d of await page.locator('details:not([open]) > summary').all()) await d.click().catch(() => {});
    await assertShownAsText(page, [
      // (the household's label is entered above but no page shows it)
      ['name'], ['kana'], ['address'], ['relation', SHORT], ['member'], ['memberKana'], ['notes'], ['nextStep'],
      ['situation'], ['assessment'], ['goal'], ['action'], ['scope'], ['withdrawnScope'], ['withdrawal'], ['referralReason'], ['shared'],
    ], 'the case');
    assert.match((await page.getByTestId('person-box').textContent()) ?? '', /<svg\/onload=__xss=1>/, 'the gender is shown as typed');
    await assertNothingRan(page, dialogs, 'the case');

    await page.goto(`${base}/cases`);
    await page.getByText(entered('name')).first().waitFor();
    await assertNothingRan(page, dialogs, 'the case list');
  });

  test('the receiving organisation reads the referral: the reason and what was shared as text, no script', async () => {
    const { page, dialogs } = await watchedPage();
    await e.signIn(page, agency);
    await page.goto(`${base}/referrals`);
    const item = page.getByTestId('referral').first();
    await item.waitFor();
    await assertShownAsText(page, [['referralReason'], ['shared']], 'the referrals page');
    await assertNothingRan(page, dialogs, 'the referrals page');
    await page.goto(`${base}/cases/${caseId}`);
    await page.getByTestId('case-referrals').getByTestId('referral').waitFor();
    await assertShownAsText(page, [['referralReason'], ['shared']], 'the case as the receiver sees it');
    await assertNothingRan(page, dialogs, 'the case as the receiver sees it');
  });

  test('markup entered in every free-text field of a meeting renders as text on the meeting pages, and no script runs', async () => {
    const hub = await signInAs(app, desk);
    const receiver = await signInAs(app, agency);
    const call = async (who: typeof hub, method: 'POST' | 'GET', url: string, payload?: object) => {
      const res = await app.inject({ method, url, headers: who.headers, payload: payload as Record<string, unknown> });
      assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return res.json();
    };
    const series = (await call(hub, 'GET', '/api/meetings/series')).items.find((s: { key: string }) => s.key === 'comprehensive-support-coordination-meeting');
    const scheduled = await call(hub, 'POST', `/api/meetings/series/${series.id}/recurrence`, {
      rule: { months: [1, 3, 5, 7, 9, 11], weekday: 2, nth: 2, start: '14:00', minutes: 90 }, holidayShift: 'next_weekday', place: entered('place'), count: 1,
    });
    const sessionId: string = scheduled.sessions[0].id;
    let session = await call(hub, 'POST', `/api/meetings/sessions/${sessionId}/agenda`, {
      items: [{ kind: 'topic', title: entered('topic') }, { kind: 'case', caseId, reason: 'added', reasonDetail: entered('reasonDetail') }],
    });
    await call(hub, 'POST', `/api/meetings/sessions/${sessionId}/organizations`, { organizationIds: [orgId('self-reliance-agency')] });
    await call(hub, 'POST', `/api/meetings/sessions/${sessionId}/attendance`, { entries: [{ organizationId: orgId('self-reliance-agency'), present: true, attendeeNames: entered('attendees') }] });
    const topic = session.agenda.find((i: { kind: string }) => i.kind === 'topic');
    await call(hub, 'POST', `/api/meetings/agenda-items/${topic.id}/minutes`, { version: topic.version, minutes: entered('minutes') });
    session = await call(hub, 'POST', `/api/meetings/sessions/${sessionId}/decisions`, {
      agendaItemId: topic.id, text: entered('decision'),
      actionItems: [
        { organizationId: orgId('self-reliance-agency'), description: entered('action'), dueOn: addDays(japanToday(), 7) },
        { organizationId: orgId('self-reliance-agency'), description: entered('openAction'), dueOn: addDays(japanToday(), 7) },
      ],
      rule: { title: entered('ruleTitle'), body: entered('ruleBody'), routingRuleKey: entered('routingKey', SHORT) },
    });
    const done = session.actionItems.find((a: { description: string }) => a.description === entered('action'));
    await call(receiver, 'POST', `/api/meetings/action-items/${done.id}/complete`, { version: done.version, note: entered('doneNote') });

    const { page, dialogs } = await watchedPage();
    await e.signIn(page, desk);
    await page.goto(`${base}/meetings/sessions/${sessionId}`);
    await page.getByTestId('agenda').waitFor();
    await page.getByTestId('session-action-items').waitFor();
    await assertShownAsText(page, [['place'], ['topic'], ['reasonDetail'], ['minutes'], ['decision'], ['action'], ['openAction'], ['name']], 'the session page');
    // the coordinator's attendance form holds who attended as the value of its field
    assert.equal(await page.getByTestId('attendance').locator('input[type=text]').inputValue(), entered('attendees'));
    await assertNothingRan(page, dialogs, 'the session page');

    await page.goto(`${base}/meetings/sessions/${sessionId}/print?what=minutes`);
    await page.getByTestId('meeting-document').waitFor();
    await assertShownAsText(page, [['place'], ['topic'], ['minutes'], ['decision'], ['action'], ['attendees']], 'the printed minutes');
    await assertNothingRan(page, dialogs, 'the printed minutes');

    await page.goto(`${base}/meetings`);
    await page.getByTestId('meeting-series-list').waitFor();
    await assertShownAsText(page, [['place']], 'the meetings page');
    await assertNothingRan(page, dialogs, 'the meetings page');

    await page.goto(`${base}/rules`);
    await page.getByTestId('agreed-rule').first().waitFor();
    await assertShownAsText(page, [['ruleTitle'], ['ruleBody'], ['routingKey', SHORT]], 'the agreed rules');
    await assertNothingRan(page, dialogs, 'the agreed rules');

    const { page: agencyPage, dialogs: agencyDialogs } = await watchedPage();
    await e.signIn(agencyPage, agency);
    await agencyPage.goto(`${base}/action-items?status=all`);
    await agencyPage.getByTestId('action-items').waitFor();
    await assertShownAsText(agencyPage, [['action'], ['openAction'], ['doneNote']], 'the action item queue');
    await assertNothingRan(agencyPage, agencyDialogs, 'the action item queue');
    await agencyPage.goto(`${base}/meetings/sessions/${sessionId}`);
    await agencyPage.getByTestId('agenda').waitFor();
    await assertShownAsText(agencyPage, [['topic'], ['minutes'], ['decision'], ['attendees']], 'the session as an invited organisation sees it');
    await assertNothingRan(agencyPage, agencyDialogs, 'the session as an invited organisation sees it');
  });
  // The prefecture's pages need Hoshino and Tokyo's centre loaded: a database of their own, so the pages above keep a single municipality.
  describe('the prefecture’s visit records and proposals', () => {
    let p: E2e;
    let hubLogin = '';
    before(async () => {
      p = await startE2e({ prefecture: true });
      hubLogin = (await buildUser(p.t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock: systemClock })).login;
    });
    after(() => p?.close());

    test('markup entered in every free-text field of a visit record and the centre’s proposals renders as text on the prefecture pages, and no script runs', async () => {
      const centre = await signInAs(p.app, (await buildUser(p.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock, login: 'xss-centre' })).login);
      const hub = await signInAs(p.app, hubLogin);
      const call = async (who: typeof hub, method: 'POST' | 'GET', url: string, payload?: object) => {
        const res = await p.app.inject({ method, url, headers: who.headers, payload: payload as Record<string, unknown> });
        assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };
      const visit = await call(centre, 'POST', '/api/prefecture/visits', {
        municipalityCode: MUSASHINO_CODE, date: japanToday(), startTime: '14:00', endTime: '16:00',
        participants: [entered('participant')], purpose: entered('purpose'),
        headings: [{ key: null, title: entered('headingTitle'), points: [{ text: entered('point'), subPoints: [entered('subPoint')] }] }],
        items: [
          { heading: entered('itemHeading'), kind: 'information', text: entered('itemText') },
          { heading: null, kind: 'proposal', text: entered('proposalText') },
        ],
        centreTitle: entered('centreTitle'), otherFields: [{ label: entered('fieldLabel'), lines: [entered('fieldLine')] }],
      });
      const proposal = visit.items.find((i: { kind: string }) => i.kind === 'proposal');
      await call(hub, 'POST', `/api/prefecture/proposals/${proposal.id}/status`, { status: 'considering', on: japanToday(), note: entered('answerNote') });
      await call(centre, 'POST', '/api/prefecture/proposals', { municipalityCode: MUSASHINO_CODE, gapRuleKey: 'neighbour-window', heading: entered('findingHeading'), text: entered('findingText') });

      const { page, dialogs } = await watchedPage(p);
      await p.signIn(page, 'xss-centre');
      await page.goto(`${p.base}/prefecture/visits`);
      await page.getByTestId('visits').waitFor();
      await assertShownAsText(page, [['purpose']], 'the visit records');
      await assertNothingRan(page, dialogs, 'the visit records');

      const record: [string][] = [['participant'], ['purpose'], ['headingTitle'], ['point'], ['subPoint'], ['itemHeading'], ['itemText'], ['proposalText'], ['centreTitle'], ['fieldLabel'], ['fieldLine'], ['answerNote']];
      await page.goto(`${p.base}/prefecture/visits/${visit.id}`);
      await page.getByTestId('visit-document').waitFor();
      await assertShownAsText(page, [...record, ['findingText']], 'a visit record');
      await assertNothingRan(page, dialogs, 'a visit record');

      await page.goto(`${p.base}/prefecture/proposals`);
      await page.getByTestId('proposals').waitFor();
      await assertShownAsText(page, [['proposalText'], ['answerNote'], ['findingHeading'], ['findingText']], 'the centre’s proposals');
      await assertNothingRan(page, dialogs, 'the centre’s proposals');

      await page.goto(`${p.base}/prefecture/networks`);
      await page.getByTestId('networks').waitFor();
      await assertNothingRan(page, dialogs, 'the networks side by side');

      // 連携団体: a partner group's name and offer as the prefecture's profile states them
      const tokyo = readFileSync(TOKYO_PROFILE, 'utf8')
        .replace('name: （例）ひきこもり家族会つばめの会', `name: ${JSON.stringify(entered('partnerName'))}`)
        .replace('offers: 月1回の家族の集い、家族向けの電話相談、学習会。', `offers: ${JSON.stringify(entered('partnerOffers'))}`);
      await importProfile({ db: p.t.db, clock: systemClock }, systemActor('xss'), parseProfile(tokyo), tokyo);
      await page.goto(`${p.base}/prefecture/partner-groups`);
      await page.getByTestId('partner-groups').waitFor();
      await assertShownAsText(page, [['partnerName'], ['partnerOffers']], 'the centre’s partner groups');
      await assertNothingRan(page, dialogs, 'the centre’s partner groups');

      const { page: hubPage, dialogs: hubDialogs } = await watchedPage(p);
      await p.signIn(hubPage, hubLogin);
      await hubPage.goto(`${p.base}/prefecture/proposals`);
      await hubPage.getByTestId('proposals').waitFor();
      await assertShownAsText(hubPage, [['proposalText'], ['answerNote'], ['findingHeading'], ['findingText']], 'the proposals as the hub sees them');
      await assertNothingRan(hubPage, hubDialogs, 'the proposals as the hub sees them');
      await hubPage.goto(`${p.base}/prefecture/visits/${visit.id}`);
      await hubPage.getByTestId('visit-document').waitFor();
      await assertShownAsText(hubPage, record, 'a visit record as the hub sees it');
      await assertNothingRan(hubPage, hubDialogs, 'a visit record as the hub sees it');
    });

    test('markup entered in a supporters’ meeting and its registrations renders as text on the centre’s and the municipality’s pages and in the invitation, and no script runs', async () => {
      const centre = await signInAs(p.app, (await buildUser(p.t.db, { org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE, clock: systemClock, login: 'xss-centre-meetings' })).login);
      const hub = await signInAs(p.app, hubLogin);
      const call = async (who: typeof hub, method: 'POST' | 'GET', url: string, payload?: object) => {
        const res = await p.app.inject({ method, url, headers: who.headers, payload: payload as Record<string, unknown> });
        assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
        return res.json();
      };
      const inAWeek = new Date(Date.now() + 9 * 3_600_000 + 7 * 86_400_000).toISOString().slice(0, 10);
      const meeting = (title: string) => ({
        kind: 'exchange', title: entered(title), date: inAWeek, startTime: '14:00', place: entered('meetingPlace'), online: false, capacity: 10, registrationDeadline: inAWeek,
        description: entered('meetingDescription'), allMunicipalities: false, municipalityCodes: [MUSASHINO_CODE], partnerIds: [],
      });
      const m = await call(centre, 'POST', '/api/prefecture/supporter-meetings', meeting('meetingTitle'));
      await call(hub, 'POST', `/api/prefecture/supporter-meetings/${m.id}/registrations`, { name: entered('registrantName'), section: entered('registrantSection'), job: entered('registrantJob') });
      const cancelled = await call(centre, 'POST', '/api/prefecture/supporter-meetings', meeting('cancelledTitle'));
      await call(centre, 'POST', `/api/prefecture/supporter-meetings/${cancelled.id}/cancel`, { reason: entered('cancelReason') });
      const shownOnMeeting: [string][] = [['meetingTitle'], ['meetingPlace'], ['meetingDescription'], ['registrantName'], ['registrantSection'], ['registrantJob']];

      const { page, dialogs } = await watchedPage(p);
      await p.signIn(page, 'xss-centre-meetings');
      await page.goto(`${p.base}/prefecture/supporter-meetings`);
      await page.getByTestId('supporter-meetings').waitFor();
      await assertShownAsText(page, [['meetingTitle'], ['meetingPlace'], ['cancelledTitle']], 'the centre’s meetings');
      await page.getByTestId('supporter-meeting-row').filter({ hasText: '《meetingTitle》' }).getByRole('button', { name: /開く/ }).click();
      await page.getByTestId('meeting-registrations').waitFor();
      await assertShownAsText(page, shownOnMeeting, 'a meeting as the centre sees it');
      await assertNothingRan(page, dialogs, 'the centre’s meetings');

      const { page: hubPage, dialogs: hubDialogs } = await watchedPage(p);
      await p.signIn(hubPage, hubLogin);
      await hubPage.goto(`${p.base}/alerts`);
      await hubPage.getByTestId('alerts').waitFor();
      await assertShownAsText(hubPage, [['meetingTitle'], ['cancelReason']], 'the invitation and the cancellation in お知らせ');
      await assertNothingRan(hubPage, hubDialogs, 'お知らせ');
      await hubPage.goto(`${p.base}/supporter-meetings`);
      await hubPage.getByTestId('supporter-meetings').waitFor();
      await hubPage.getByTestId('supporter-meeting-row').filter({ hasText: '《cancelledTitle》' }).getByRole('button', { name: /開く/ }).click();
      await hubPage.getByTestId('supporter-meeting').waitFor();
      await assertShownAsText(hubPage, [['cancelledTitle'], ['cancelReason']], 'a cancelled meeting as the municipality sees it');
      await hubPage.getByTestId('supporter-meeting-row').filter({ hasText: '《meetingTitle》' }).getByRole('button', { name: /開く/ }).click();
      await hubPage.getByTestId('our-registrations').waitFor();
      await assertShownAsText(hubPage, shownOnMeeting, 'a meeting as the municipality sees it');
      await assertNothingRan(hubPage, hubDialogs, 'the municipality’s meetings');
    });
  });
});
