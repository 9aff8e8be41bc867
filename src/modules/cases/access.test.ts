import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, HOSHINO_CODE, importHoshino, importMusashinoWithSupportMeeting, meetingSeriesId, MUSASHINO_ID, orgId, signInAs, TEST_SHARE_BASIS } from '../../../test/helpers/factories.ts';
import { FakeClock } from '../../lib/clock.ts';
import type { App } from '../../http/app.ts';
import type { Role } from '../auth/roles.ts';
import { accessLevel, type AccessLevel } from './access.ts';
import { LIST_CASES_SQL } from './service.ts';

// Who may see what: the matrix of role × relation to the case × case state,
// through every channel a case could leak by (read, list, search, timeline, records).

test('the access rule, as a table', () => {
  const c = { leadOrganizationId: 'lead', participants: ['p-no-consent', 'p-consent', 'receiver'], consented: ['p-consent'] };
  const rows: [string, string, AccessLevel][] = [
    ['hub_coordinator', 'anyone', 'full'],
    ['org_staff', 'lead', 'full'],
    ['org_staff', 'p-consent', 'full'],
    ['org_staff', 'p-no-consent', 'referral'],
    ['org_staff', 'receiver', 'referral'],
    ['org_staff', 'stranger', 'none'],
    ['auditor', 'lead', 'none'],
    ['system_admin', 'lead', 'none'],
    ['prefecture_staff', 'lead', 'none'],
  ];
  for (const [role, org, expected] of rows) assert.equal(accessLevel({ municipalityId: 'm', organizationId: org, role }, c), expected, `${role}@${org}`);
  // a 支援会議 member organisation while an open session has the case on its agenda
  const shared = { ...c, meetingShared: ['stranger', 'p-no-consent', 'p-consent', 'lead'] };
  const meetingRows: [string, string, AccessLevel][] = [
    ['org_staff', 'stranger', 'meeting'],
    ['org_staff', 'p-no-consent', 'meeting'],
    ['org_staff', 'p-consent', 'full'],
    ['org_staff', 'lead', 'full'],
    ['org_staff', 'another', 'none'],
    ['auditor', 'stranger', 'none'],
  ];
  for (const [role, org, expected] of meetingRows) assert.equal(accessLevel({ municipalityId: 'm', organizationId: org, role }, shared), expected, `${role}@${org} in a meeting`);
});

let t: TestDb;
let app: App;
type H = Record<string, string>;
const cases: Record<'open' | 'closed', { id: string; personName: string }> = {} as never;
const clock = new FakeClock('2026-06-10T01:00:00Z');

before(async () => {
  t = await createTestDb();
  // 総合支援調整会議 held as a 支援会議 whose member クレスコール has no part in the cases
  await importMusashinoWithSupportMeeting(t.db, ['crescole']);
  await importHoshino(t.db);
  app = await buildTestApp(t.db, { clock });
  const desk = await sign('welfare-desk', 'hub_coordinator');
  const call = async (h: H, url: string, payload: unknown, status = 201) => {
    const res = await app.inject({ method: 'POST', url, headers: h, payload: payload as Record<string, unknown> });
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  };
  for (const state of ['open', 'closed'] as const) {
    const personName = `行列 ${state === 'open' ? '開' : '閉'}`;
    const c = await call(desk, '/api/cases', { person: { name: personName, nameKana: `ぎょうれつ ${state}`, birthDate: '1970-01-01' } });
    const refer = (org: string) => call(desk, `/api/cases/${c.id}/referrals`, { toOrganizationId: orgId(org), reason: 'r', sharedSummary: 's', urgency: 'normal', firstContactDue: '2099-01-01', legalBasis: TEST_SHARE_BASIS });
    const accept = async (org: string, r: { id: string; version: number }) => call(await sign(org, 'org_staff'), `/api/referrals/${r.id}/status`, { version: r.version, status: 'accepted' }, 200);
    await accept('soreiyu', await refer('soreiyu'));
    await accept('health-section', await refer('health-section'));
    await refer('mirairu');
    await call(desk, `/api/cases/${c.id}/consents`, { givenOn: '2026-01-05', scope: '支援に必要な情報', method: 'written', organizationIds: [orgId('health-section')] });
    if (state === 'closed') {
      const cur = (await app.inject({ url: `/api/cases/${c.id}`, headers: desk })).json();
      await call(desk, `/api/cases/${c.id}/status`, { version: cur.version, status: 'closed', closureReason: '終結' }, 200);
    }
    cases[state] = { id: c.id, personName };
  }
});
after(async () => {
  await app.close();
  await t.close();
});

async function sign(org: string, role: Role, code?: string): Promise<H> {
  return (await signInAs(app, (await buildUser(t.db, { org, role, code, clock })).login, undefined, clock)).headers;
}

interface Viewer {
  who: string;
  org: string;
  role: Role;
  code?: string;
  /** What the viewer should get: a level, or 'forbidden' when the role may not open cases at all. */
  expect: 'full' | 'referral' | 'none' | 'forbidden';
}

const viewers: Viewer[] = [
  { who: 'the hub coordinator', org: 'welfare-desk', role: 'hub_coordinator', expect: 'full' },
  { who: 'staff of the lead organisation', org: 'welfare-desk', role: 'org_staff', expect: 'full' },
  { who: 'a participant the person consented to', org: 'health-section', role: 'org_staff', expect: 'full' },
  { who: 'a participant without consent', org: 'soreiyu', role: 'org_staff', expect: 'referral' },
  { who: 'the receiver of an open referral', org: 'mirairu', role: 'org_staff', expect: 'referral' },
  { who: 'an organisation with no part', org: 'crescole', role: 'org_staff', expect: 'none' },
  { who: 'the auditor', org: 'livelihood-welfare-section', role: 'auditor', expect: 'forbidden' },
  { who: 'a system administrator', org: 'livelihood-welfare-section', role: 'system_admin', expect: 'forbidden' },
  { who: "another municipality's hub", org: 'shakyo-window', role: 'hub_coordinator', code: HOSHINO_CODE, expect: 'none' },
];

describe('who may see a case', () => {
  for (const v of viewers) {
    for (const state of ['open', 'closed'] as const) {
      test(`${v.who} — ${state} case`, async () => {
        const h = await sign(v.org, v.role, v.code);
        const c = cases[state];
        const read = await app.inject({ url: `/api/cases/${c.id}`, headers: h });
        const list = await app.inject({ url: '/api/cases?scope=all', headers: h });
        // every viewer who may see the case takes part in it, so it is on their own list too
        const mine = await app.inject({ url: '/api/cases', headers: h });
        const search = await app.inject({ url: `/api/persons?q=${encodeURIComponent(c.personName)}`, headers: h });
        const timeline = await app.inject({ url: `/api/cases/${c.id}/timeline`, headers: h });
        const records = await app.inject({ url: `/api/cases/${c.id}/contact-records`, headers: h });
        const plans = await app.inject({ url: `/api/cases/${c.id}/plans`, headers: h });
        const referrals = await app.inject({ url: `/api/referrals?box=incoming&caseId=${c.id}`, headers: h });
        const everything = [read, list, mine, search, timeline, records, plans, referrals].map((r) => r.body).join('\n');

        if (v.expect === 'forbidden') {
          for (const r of [read, list, mine, search, timeline, records, plans, referrals]) assert.equal(r.statusCode, 403);
          assert.ok(!everything.includes(c.personName));
          return;
        }
        if (v.expect === 'none') {
          assert.equal(read.statusCode, 404);
          assert.equal(timeline.statusCode, 404);
          assert.equal(records.statusCode, 404);
          assert.equal(plans.statusCode, 404);
          assert.ok(![list, mine].some((l) => l.json().items.some((x: { id: string }) => x.id === c.id)), 'not in lists');
          assert.deepEqual(search.json().items, [], 'not found by search');
          assert.ok(!everything.includes(c.personName) && !everything.includes(c.id), 'nothing leaks');
          return;
        }
        assert.equal(read.statusCode, 200);
        assert.equal(read.json().access, v.expect);
        const listed = list.json().items.find((x: { id: string }) => x.id === c.id);
        assert.ok(listed, 'listed');
        assert.deepEqual(mine.json().items.find((x: { id: string }) => x.id === c.id), listed, 'on their own list as on the whole list');
        assert.equal(timeline.statusCode, 200);
        assert.equal(records.statusCode, 200);
        if (v.expect === 'full') {
          assert.equal(read.json().person.name, c.personName);
          assert.equal(listed.person.name, c.personName);
          assert.ok(search.json().items.some((p: { name: string }) => p.name === c.personName), 'found by search');
          assert.equal(plans.statusCode, 200);
        } else {
          assert.equal(read.json().person, null);
          assert.equal(listed.person, null);
          assert.deepEqual(search.json().items, [], 'the person is not found by name');
          assert.equal(plans.statusCode, 403);
          assert.ok(!everything.includes(c.personName), 'the name never appears');
        }
      });
    }
  }

  test('a list gives the same cases read case by case or from the participations', async () => {
    // which way a list is read depends on how many cases the organisation is in (readsCaseByCase)
    for (const v of viewers.filter((x) => !x.code && (x.role === 'hub_coordinator' || x.role === 'org_staff'))) {
      const ids = async (sql: typeof LIST_CASES_SQL.mine.caseByCase) =>
        (await t.db.query<{ id: string }>(sql, [MUSASHINO_ID, v.role, orgId(v.org), null, null, null, 51])).rows.map((r) => r.id);
      for (const ways of Object.values(LIST_CASES_SQL)) {
        const listed = await ids(ways.caseByCase);
        assert.deepEqual(await ids(ways.participationsFirst), listed, v.who);
        assert.equal(listed.includes(cases.open.id), v.expect !== 'none', v.who);
      }
    }
  });

  test('withdrawing consent ends the full view at once', async () => {
    const desk = await sign('welfare-desk', 'hub_coordinator');
    const health = await sign('health-section', 'org_staff');
    const c = cases.open;
    const consent = (await app.inject({ url: `/api/cases/${c.id}`, headers: desk })).json().consents[0];
    const res = await app.inject({ method: 'POST', url: `/api/cases/${c.id}/consents/${consent.id}/withdraw`, headers: desk, payload: { note: '本人が撤回' } });
    assert.equal(res.statusCode, 200);
    assert.ok(res.json().withdrawnAt);
    const after = (await app.inject({ url: `/api/cases/${c.id}`, headers: health })).json();
    assert.equal(after.access, 'referral');
    assert.equal(after.person, null);
  });
});

describe('who may see a case through a meeting', () => {
  const call = async (h: H, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, status = 200) => {
    const res = await app.inject({ method, url, headers: h, payload: payload as Record<string, unknown> });
    assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
    return res.json();
  };
  const channels = async (h: H, c: { id: string; personName: string }) => {
    const get = (url: string) => app.inject({ url, headers: h });
    return {
      read: await get(`/api/cases/${c.id}`), list: await get('/api/cases?scope=all'), search: await get(`/api/persons?q=${encodeURIComponent(c.personName)}`),
      timeline: await get(`/api/cases/${c.id}/timeline`), records: await get(`/api/cases/${c.id}/contact-records`), plans: await get(`/api/cases/${c.id}/plans`),
    };
  };

  test('a 支援会議 member with no part reads the case on an open session’s agenda (person and plan, not lists or search), and not before acknowledging or after the window', async () => {
    const desk = await sign('welfare-desk', 'hub_coordinator');
    const c = cases.open;
    const s = await call(desk, 'POST', '/api/meetings/sessions', { seriesId: meetingSeriesId('comprehensive-support-coordination-meeting'), date: '2026-06-10', start: '09:30', minutes: 120 }, 201);
    await call(desk, 'POST', `/api/meetings/sessions/${s.id}/agenda`, { items: [{ kind: 'case', caseId: c.id }] });
    const closed = await app.inject({ method: 'POST', url: `/api/meetings/sessions/${s.id}/agenda`, headers: desk, payload: { items: [{ kind: 'case', caseId: cases.closed.id }] } });
    assert.equal(closed.statusCode, 400, 'a closed case is not reviewed');

    const crescole = await sign('crescole', 'org_staff');
    let seen = await channels(crescole, c);
    assert.equal(seen.read.statusCode, 404, 'not before acknowledging');

    await call(crescole, 'POST', `/api/meetings/series/${meetingSeriesId('comprehensive-support-coordination-meeting')}/acknowledgement`, {}, 201);
    seen = await channels(crescole, c);
    assert.equal(seen.read.statusCode, 200);
    assert.equal(seen.read.json().access, 'meeting');
    assert.equal(seen.read.json().person.name, c.personName);
    assert.deepEqual(seen.read.json().consents, [], 'not the consents');
    assert.equal(seen.read.json().household, null, 'not the household');
    assert.equal(seen.plans.statusCode, 200);
    assert.equal(seen.timeline.statusCode, 200);
    assert.deepEqual(seen.timeline.json().items, [], 'no other organisation’s entries');
    assert.deepEqual(seen.records.json().items, [], 'no other organisation’s records');
    assert.ok(!seen.list.json().items.some((x: { id: string }) => x.id === c.id), 'not in lists');
    assert.deepEqual(seen.search.json().items, [], 'not found by search');
    // another organisation of the municipality, not a member, sees nothing
    assert.equal((await channels(await sign('community-support-section', 'org_staff'), c)).read.statusCode, 404);

    const cur = await call(desk, 'GET', `/api/meetings/sessions/${s.id}`);
    await call(desk, 'PATCH', `/api/meetings/sessions/${s.id}`, { version: cur.version, shareFrom: '2026-06-10T00:00:00.000Z', shareUntil: '2026-06-10T00:30:00.000Z' });
    seen = await channels(crescole, c);
    for (const r of [seen.read, seen.timeline, seen.records, seen.plans]) assert.equal(r.statusCode, 404, 'the window has closed');
    assert.ok(!Object.values(seen).map((r) => r.body).join('').includes(c.personName));
  });
});
