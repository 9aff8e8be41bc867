import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createTestDb, type TestDb } from '../../test/helpers/db.ts';
import { buildTestApp, buildUser, musashinoText, orgId, signInAs, TEST_SHARE_BASIS, TEST_TOTP_SECRET } from '../../test/helpers/factories.ts';
import { currentCode } from '../modules/auth/mfa.ts';
import { importProfile } from '../modules/network/importer.ts';
import { parseProfile } from '../modules/network/profile.ts';
import { ISSUE_TAGS } from '../modules/network/vocabulary.ts';
import { FakeClock } from '../lib/clock.ts';
import { systemActor } from '../lib/context.ts';
import { profileEntityId } from '../lib/ids.ts';
import type { App } from './app.ts';

/**
 * 要配慮 fields never reach a user without the grant, on any route. Records are
 * filled with markers in every sensitive place; users of each kind, with and
 * without the grant, then read every GET route of the app.
 */

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-01T01:00:00Z');
type H = Record<string, string>;

// a profile's own tag marked sensitive, beside the national ones
const CUSTOM = { code: 'gambling_addiction', ja: 'ギャンブル依存', en: 'Gambling addiction', sensitive: true };
// a profile's own tag that a later revision marks sensitive
const LATER = { code: 'hoarding', ja: 'ため込み', en: 'Hoarding', sensitive: false };
const SENSITIVE_CODES = [...ISSUE_TAGS.filter((x) => x.sensitive).map((x) => x.code), CUSTOM.code];
const OPEN_CODES = ['hikikomori', 'debt', 'housing', 'employment'];
const COMPREHENSIVE = profileEntityId('132039', 'meeting_series', 'comprehensive-support-coordination-meeting');
const OUTREACH = profileEntityId('132039', 'program', 'mental-health-outreach');
// what the timeline says of sensitive life areas
const SENSITIVE_AREA_TEXT = ['こころの健康', '健康、', '健康）'];

before(async () => {
  t = await createTestDb();
  const text = musashinoText();
  const profile = parseProfile(text, 'musashino.yaml');
  profile.issueTags = [...(profile.issueTags ?? []), CUSTOM, LATER];
  await importProfile({ db: t.db, clock }, systemActor('test'), profile, text);
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

async function call(h: H, method: string, url: string, payload?: unknown, status = 201) {
  const res = await app.inject({ method: method as 'POST', url, headers: h, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res.body ? res.json() : null;
}

let seq = 0;
/** A consultation, a case from it with an assessment, and a referral to another organisation that the person consented to. */
async function record(desk: H, tags: string[], sensitiveAreas: string[], marker: string) {
  const consultation = await call(desk, 'POST', '/api/consultations', {
    receivedAt: clock.now().toISOString(), channel: 'phone', consulterRelation: 'family', issueTags: tags, mainIssue: tags[0] ?? null, summary: `相談 ${++seq}`, urgency: 'normal',
  });
  const c = await call(desk, 'POST', '/api/cases', { person: { name: `配慮 ${seq}`, nameKana: 'はいりょ' }, consultationIds: [consultation.id] });
  const areas: Record<string, { situation: string; needsSupport: boolean }> = { housing: { situation: '住まいは安定', needsSupport: true } };
  for (const a of sensitiveAreas) areas[a] = { situation: `${marker} ${a}`, needsSupport: true };
  await call(desk, 'POST', `/api/cases/${c.id}/assessments`, { assessedOn: '2026-05-30', areas });
  const referral = await call(desk, 'POST', `/api/cases/${c.id}/referrals`, {
    toOrganizationId: orgId('soreiyu'), reason: '若者支援', sharedSummary: '面談の調整をお願いします', urgency: 'normal', firstContactDue: '2026-07-01', legalBasis: TEST_SHARE_BASIS,
  });
  await call(desk, 'POST', `/api/cases/${c.id}/consents`, { givenOn: '2026-05-30', scope: '支援に必要な情報', method: 'written', organizationIds: [orgId('soreiyu')] });
  const soreiyu = await userHeaders('soreiyu', 'org_staff', true);
  await call(soreiyu, 'POST', `/api/referrals/${referral.id}/status`, { version: referral.version, status: 'accepted' }, 200);
  // the case on the agenda of an open session both organisations are invited to
  const session = await call(desk, 'POST', '/api/meetings/sessions', { seriesId: COMPREHENSIVE, date: '2026-06-01', start: '09:00', minutes: 120 });
  await call(desk, 'POST', `/api/meetings/sessions/${session.id}/agenda`, { items: [{ kind: 'case', caseId: c.id }] }, 200);
  await call(desk, 'POST', `/api/meetings/sessions/${session.id}/organizations`, { organizationIds: [orgId('soreiyu'), orgId('self-reliance-agency')] }, 200);
  // outreach: the hub enrols the person and records a visit whose record is 要配慮 as a whole
  const enrolment = await call(desk, 'POST', `/api/programs/${OUTREACH}/enrolments`, { caseId: c.id, legalBasis: TEST_SHARE_BASIS, intervalDays: 14 });
  const visit = await call(desk, 'POST', '/api/outreach-visits', {
    enrolmentId: enrolment.id, visitedOn: '2026-06-01', visitors: [{ organizationId: orgId('welfare-desk'), profession: '精神保健福祉士' }],
    durationMinutes: 30, place: 'door', met: 'family_only', whatHappened: `${marker} 母親と玄関先で話した`, stage: 'family_contact',
  });
  return { consultationId: consultation.id, caseId: c.id, personId: c.person.id, referralId: referral.id, sessionId: session.id, enrolmentId: enrolment.id, visitId: visit.id };
}

async function userHeaders(org: string, role: 'hub_coordinator' | 'org_staff', sensitive: boolean): Promise<H> {
  const u = await buildUser(t.db, { org, role, clock, sensitive });
  return (await signInAs(app, u.login, undefined, clock)).headers;
}

/** Every GET route of the app with its path parameters filled from the record; a route this test cannot fill fails it. */
function getUrls(ids: { consultationId: string; caseId: string; personId: string; referralId: string; sessionId: string; enrolmentId: string; visitId: string }): string[] {
  const fill: Record<string, (path: string) => string | null> = {
    '/api/meetings/sessions/': () => ids.sessionId, '/api/meetings/series/': () => COMPREHENSIVE,
    '/api/cases/': () => ids.caseId, '/api/consultations/': () => ids.consultationId, '/api/persons/': () => ids.personId, '/api/referrals/': () => ids.referralId,
    // the privacy officer's registers: staff viewers are refused them whatever the id
    '/api/incidents/': () => ids.caseId, '/api/privacy/': () => ids.caseId,
    // placements hold no personal data; placement records answer 404 for an id that is not one
    '/api/placements/': () => ids.caseId, '/api/placement-records/': () => ids.caseId,
    // events hold counts, never a person: any id will do (an unknown one answers 404)
    '/api/events/': () => ids.caseId,
    // a drop-in place's opening days hold no person's data: any id will do
    '/api/drop-in-places/': () => ids.caseId,
    '/api/programs/:id/enrolments': () => OUTREACH, '/api/programs/enrolments/': () => ids.enrolmentId, '/api/outreach-visits/': () => ids.visitId,
    // the prefecture's visit records are about organisations, never a person: any id will do (an unknown one answers 404)
    '/api/prefecture/visits/': () => ids.caseId,
    // home-visit applications: the window's (staff viewers are not the window that applied) and the centre's (prefecture staff only) answer 404 or 403
    '/api/prefecture/home-visit-applications/': () => ids.caseId,
    // a consultation day that is not one answers 404 (the day's main concerns are marked x-sensitive in its schema)
    '/api/prefecture/consultation-days/': () => ids.caseId,
    // expert-team conferences and submissions: municipal staff are refused a conference; an id that is not a submission answers 404
    '/api/prefecture/expert-conferences/': () => ids.caseId, '/api/prefecture/expert-submissions/': () => ids.caseId,
    // supporters' meetings hold staff registrations, never a resident: an id that is not a meeting answers 404
    '/api/prefecture/supporter-meetings/': () => ids.caseId,
  };
  const urls: string[] = [];
  for (const r of app.registeredRoutes) {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (!methods.includes('GET') || !r.url.startsWith('/api/') || r.url.includes('*')) continue;
    if (!r.url.includes(':')) {
      urls.push(r.url);
      continue;
    }
    const prefix = Object.keys(fill).find((p) => r.url.startsWith(p));
    // routes of the network (programs, organisations, profile versions) hold no person's data
    // (and a meeting series' calendar feed, times and places only)
    if (!prefix && /^\/api\/(organizations|programs|routing|public|meetings\/feeds)\//.test(r.url)) continue;
    assert.ok(prefix, `the 要配慮 property test does not know how to fill ${r.url}: add it to getUrls`);
    urls.push(r.url.replace(/:id\b/, fill[prefix]!(r.url)!));
  }
  return urls;
}

describe('要配慮 fields', () => {
  test('reach users with the grant, and never users without it, on any route', async () => {
    const desk = await userHeaders('welfare-desk', 'hub_coordinator', true);
    // the runner shows only fast-check's summary; the assertion that failed is its cause
    await fc.assert(
      fc.asyncProperty(
        fc.subarray(SENSITIVE_CODES, { minLength: 1 }),
        fc.subarray(OPEN_CODES),
        fc.subarray(['health', 'mental_health'], { minLength: 1 }),
        fc.constantFrom(['welfare-desk', 'hub_coordinator'] as const, ['self-reliance-agency', 'org_staff'] as const, ['soreiyu', 'org_staff'] as const),
        fc.boolean(),
        async (sensitiveTags, openTags, areas, [org, role], granted) => {
          const marker = `MARK${++seq}X`;
          const tags = fc.sample(fc.shuffledSubarray([...sensitiveTags, ...openTags], { minLength: sensitiveTags.length + openTags.length }), 1)[0];
          const ids = await record(desk, tags, areas, marker);
          const viewer = await userHeaders(org, role, granted);
          const seen: string[] = [];
          for (const url of getUrls(ids)) {
            const res = await app.inject({ method: 'GET', url, headers: viewer });
            assert.ok(res.statusCode < 500, `${url} answered ${res.statusCode}: ${res.body}`);
            if (res.statusCode !== 200) continue;
            const body = res.body;
            seen.push(body);
            if (granted) continue;
            assert.ok(!body.includes(marker), `${url} leaked a sensitive assessment area to a user without the grant`);
            if (/^\/api\/(cases|consultations|persons|referrals|alerts|meetings)/.test(url)) {
              for (const code of SENSITIVE_CODES) assert.ok(!body.includes(`"${code}"`), `${url} leaked the sensitive tag ${code}`);
              for (const words of SENSITIVE_AREA_TEXT) assert.ok(!body.includes(words), `${url} named a sensitive life area (${words})`);
            }
          }
          // the filter must not hide what the grant allows: a viewer with it, who sees the case, reads the markers
          const seesCase = (await app.inject({ method: 'GET', url: `/api/cases/${ids.caseId}`, headers: viewer })).statusCode === 200;
          if (!seesCase) assert.ok(!seen.some((b) => b.includes(marker) || b.includes('住まいは安定')), `${org} does not take part in the case and read its assessment`);
          else if (granted) assert.ok(seen.some((b) => b.includes(marker)), `a user with the grant (${org}) did not see the assessment`);
          else assert.ok(seen.some((b) => b.includes('住まいは安定')), `a user without the grant (${org}) lost the open life areas too`);
        },
      ),
      { numRuns: 8, seed: Number(process.env.FC_SEED ?? Date.now() % 100_000) },
    ).catch((e: Error & { cause?: Error }) => {
      throw new Error(`${e.message}\n${e.cause?.message ?? ''}`);
    });
  });

  test('a tag a new profile revision marks sensitive is held back from the next response', async () => {
    const desk = (await signInAs(app, (await buildUser(t.db, { role: 'hub_coordinator', clock })).login, undefined, clock)).headers;
    const ungranted = (await signInAs(app, (await buildUser(t.db, { role: 'hub_coordinator', clock, sensitive: false })).login, undefined, clock)).headers;
    const c = await call(desk, 'POST', '/api/consultations', {
      receivedAt: clock.now().toISOString(), channel: 'phone', consulterRelation: 'neighbour', issueTags: ['hikikomori', LATER.code], summary: '庭に物があふれている', urgency: 'normal',
    });
    const tagsSeen = async () => (await call(ungranted, 'GET', `/api/consultations/${c.id}`, undefined, 200)).issueTags;
    assert.deepEqual(await tagsSeen(), ['hikikomori', LATER.code]);

    const text = `${musashinoText()}\n# ため込みを要配慮とする\n`;
    const profile = parseProfile(text, 'musashino.yaml');
    profile.issueTags = [...(profile.issueTags ?? []), CUSTOM, { ...LATER, sensitive: true }];
    await importProfile({ db: t.db, clock }, systemActor('test'), profile, text);
    assert.deepEqual(await tagsSeen(), ['hikikomori']);
    assert.deepEqual((await call(desk, 'GET', `/api/consultations/${c.id}`, undefined, 200)).issueTags, ['hikikomori', LATER.code]);
  });

  test('routing advice that names a sensitive tag is held back, the rest of the advice kept', async () => {
    const desk = (await signInAs(app, (await buildUser(t.db, { role: 'hub_coordinator', clock })).login, undefined, clock)).headers;
    const ungranted = (await signInAs(app, (await buildUser(t.db, { role: 'hub_coordinator', clock, sensitive: false })).login, undefined, clock)).headers;
    const c = await call(desk, 'POST', '/api/consultations', {
      receivedAt: clock.now().toISOString(), channel: 'phone', consulterRelation: 'family', age: 55, issueTags: ['hikikomori', 'mental_health', 'employment'],
      cannotVisit: true, summary: '外に出られず通院も途切れている', urgency: 'normal',
    });
    type Advice = { ruleKey: string };
    const routing = async (h: H) => {
      const res = await app.inject({ method: 'GET', url: `/api/consultations/${c.id}`, headers: h });
      return { body: res.body, routing: res.json().routing as Record<'suggestions' | 'undecided' | 'nearMisses', Advice[]> };
    };
    const full = await routing(desk);
    const held = await routing(ungranted);
    const keys = (xs: Advice[]) => xs.map((x) => x.ruleKey);
    assert.ok(keys(full.routing.suggestions).includes('mental-health-outreach'), 'the desk with the grant reads the mental-health advice');
    // the filter looks for every sensitive tag's code and names, as substrings
    const words = [...ISSUE_TAGS.filter((x) => x.sensitive), CUSTOM].flatMap((x) => [x.code, x.ja, x.en]);
    for (const part of ['suggestions', 'undecided', 'nearMisses'] as const) {
      const open = full.routing[part].filter((x) => !words.some((w) => JSON.stringify(x).includes(w)));
      assert.deepEqual(keys(held.routing[part]), keys(open), `${part}: only the advice naming a sensitive tag is held back`);
    }
    assert.ok(held.routing.suggestions.length > 0, 'the advice about the open tags stays');
    for (const w of ['"mental_health"', 'こころの健康', 'Mental health']) assert.ok(!held.body.includes(w), `the consultation named ${w} to a user without the grant`);
  });

  test('an admin gives the grant only after the code again; it applies at the next request and is audited', async () => {
    const admin = await buildUser(t.db, { org: 'livelihood-welfare-section', role: 'system_admin', clock });
    const adminH = (await signInAs(app, admin.login, undefined, clock)).headers;
    const staff = await buildUser(t.db, { org: 'soreiyu', role: 'org_staff', clock, sensitive: false });
    const staffH = (await signInAs(app, staff.login, undefined, clock)).headers;
    assert.equal((await call(staffH, 'GET', '/api/session', undefined, 200)).sensitiveAccess, false);

    const url = `/api/users/${staff.id}/memberships/${orgId('soreiyu')}/sensitive-access`;
    const refused = await app.inject({ method: 'PUT', url, headers: adminH, payload: { granted: true, reason: '精神保健の担当になったため' } });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().code, 'step_up_required');
    await call(adminH, 'POST', '/api/session/step-up', { code: currentCode(TEST_TOTP_SECRET, clock.now()) }, 204);
    await call(adminH, 'PUT', url, { granted: true, reason: '精神保健の担当になったため' }, 204);
    assert.equal((await call(staffH, 'GET', '/api/session', undefined, 200)).sensitiveAccess, true);

    const listed = (await call(adminH, 'GET', '/api/users', undefined, 200)).items.find((u: { id: string }) => u.id === staff.id);
    assert.equal(listed.memberships[0].sensitiveAccess, true);
    const audit = await t.db.query<{ reason: string }>("SELECT reason FROM audit_event WHERE action = 'membership.sensitive_grant' AND entity_id = $1", [staff.id]);
    assert.deepEqual(audit.rows.map((r) => r.reason), ['精神保健の担当になったため']);
    const alerts = await t.db.query("SELECT 1 FROM message_outbox WHERE kind = 'sensitive_access' AND entity_id = $1", [staff.id]);
    assert.equal(alerts.rows.length, 1);

    // staff cannot give it to themselves
    assert.equal((await app.inject({ method: 'PUT', url, headers: staffH, payload: { granted: true, reason: 'x' } })).statusCode, 403);
  });
});
