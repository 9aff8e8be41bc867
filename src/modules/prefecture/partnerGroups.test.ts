import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import {
  buildTestApp, buildUser, HOSHINO_CODE, importHoshino, importMusashino, importTokyoPrefecture, MUSASHINO_CODE, MUSASHINO_ID, orgId, signInAs, TEST_SHARE_BASIS,
  TOKYO_CODE, TOKYO_PROFILE,
} from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { systemActor } from '../../lib/context.ts';
import { municipalityId, profileEntityId } from '../../lib/ids.ts';
import { importProfile, resyncPartnerMirrors } from '../network/importer.ts';
import { parseProfile, ProfileInvalidError } from '../network/profile.ts';
import { listOrganizations } from '../network/service.ts';

/** 連携団体 (issue 12): the centre's partner groups, from its profile to a municipality's referral and the centre's counts. */

const clock = new FakeClock('2026-06-10T01:00:00Z');
const tokyoText = () => readFileSync(TOKYO_PROFILE, 'utf8');
/** The id a partner group of the prefecture has among a municipality's organisations. */
const mirrorId = (key: string, code = MUSASHINO_CODE) => profileEntityId(code, 'partner', `${TOKYO_CODE}/${key}`);

const invalid = (text: string): { key: string; messageJa: string }[] => {
  try {
    parseProfile(text, 'tokyo-prefecture.yaml');
  } catch (e) {
    if (e instanceof ProfileInvalidError) return e.issues;
    throw e;
  }
  assert.fail('the profile should not validate');
};

describe('partner groups in the prefecture profile', () => {
  test('the shipped prefecture profile validates with its example groups, all marked as examples', () => {
    const p = parseProfile(tokyoText());
    const groups = p.organizations.filter((o) => o.partnerAgreement);
    assert.ok(groups.length >= 3);
    for (const g of groups) assert.match(g.name, /（例）/, 'fictional groups say so in their name');
  });

  test('a bad partner block is refused field by field, in Japanese', () => {
    const text = tokyoText()
      .replace('kind: family_group', 'kind: club')
      .replace('agreedOn: 2024-06-01', 'agreedOn: 2024-13-45')
      .replace('municipalities: ["132039"]', 'municipalities: ["1320"]');
    const issues = invalid(text);
    const keys = issues.map((i) => i.key);
    assert.ok(keys.some((k) => /organizations\[\d+\]\.partnerAgreement\.kind/.test(k)), keys.join(', '));
    assert.ok(keys.some((k) => /partnerAgreement\.agreedOn/.test(k)), keys.join(', '));
    assert.ok(keys.some((k) => /partnerAgreement\.municipalities\[0\]/.test(k)), keys.join(', '));
    assert.ok(issues.every((i) => /[ぁ-んァ-ヶ一-龠]/.test(i.messageJa)), 'messages in Japanese');
  });

  test('ages the wrong way round, an end before the start, or a partner in a municipality profile are refused', () => {
    const reversed = invalid(tokyoText().replace('ageMin: 18\n      ageMax: 39', 'ageMin: 40\n      ageMax: 39'));
    assert.ok(reversed.some((i) => /partnerAgreement$/.test(i.key) && /年齢の下限/.test(i.messageJa)));
    const ended = invalid(tokyoText().replace('agreedOn: 2025-10-01', 'agreedOn: 2025-10-01\n      endedOn: 2025-01-01'));
    assert.ok(ended.some((i) => /partnerAgreement\.endedOn$/.test(i.key) && /終了日/.test(i.messageJa)));
    const inMunicipality = invalid(readFileSync(new URL('../../../profiles/musashino.yaml', import.meta.url), 'utf8')
      .replace(/(organizations:\n(?:.*\n)*?    internal: false\n)/, '$1    partnerAgreement: { kind: npo, agreedOn: 2024-04-01, offers: 訪問, public: true }\n'));
    assert.ok(inMunicipality.some((i) => /partnerAgreement$/.test(i.key) && /都道府県のプロファイル/.test(i.messageJa)), JSON.stringify(inMunicipality));
  });
});

describe('partner groups mirrored into the municipalities they serve', () => {
  let t: TestDb;
  before(async () => {
    t = await createTestDb();
  });
  after(async () => t?.close());

  test('imported in either order, each municipality lists the groups serving it, labelled with their prefecture; re-imports keep them in step', async () => {
    // the prefecture first: Musashino not yet there
    await importTokyoPrefecture(t.db, clock);
    await importMusashino(t.db, clock);
    await importHoshino(t.db, clock);
    const partnersOf = async (mid: string) => (await listOrganizations(t.db, mid)).filter((o) => o.partner).map((o) => o.key).sort();
    assert.deepEqual(await partnersOf(MUSASHINO_ID), ['partner:130001:example-family-group', 'partner:130001:example-npo', 'partner:130001:example-peer-place']);
    const hoshino = await listOrganizations(t.db, municipalityId(HOSHINO_CODE));
    assert.deepEqual(hoshino.filter((o) => o.partner).map((o) => o.key).sort(), ['partner:130001:example-closed-group', 'partner:130001:example-family-group', 'partner:130001:example-npo']);
    const npo = (await listOrganizations(t.db, MUSASHINO_ID)).find((o) => o.id === mirrorId('example-npo'))!;
    assert.equal(npo.partner?.prefectureName, '東京都');
    assert.equal(npo.partner?.kind, 'npo');
    assert.equal(npo.internal, false);

    // re-importing Musashino's own profile leaves the mirrors alone
    const again = await importMusashino(t.db, clock);
    assert.equal(again.changes.organization.deactivated, 0);
    assert.equal(await partnersOf(MUSASHINO_ID).then((x) => x.length), 3);

    // the centre renames one group and stops serving Musashino with another
    const edited = tokyoText().replace('（例）NPO法人あしたの扉', '（例）NPO法人あしたの扉（新）').replace('municipalities: ["132039"]', 'municipalities: ["990001"]');
    const summary = await importProfile({ db: t.db, clock }, systemActor('test'), parseProfile(edited), edited);
    assert.ok(summary.changes.partner_mirror.updated >= 1);
    assert.ok(summary.changes.partner_mirror.deactivated >= 1);
    const now = await listOrganizations(t.db, MUSASHINO_ID, { includeInactive: true });
    assert.equal(now.find((o) => o.id === mirrorId('example-npo'))?.name, '（例）NPO法人あしたの扉（新）');
    assert.equal(now.find((o) => o.id === mirrorId('example-peer-place'))?.active, false, 'deactivated, never deleted');
    // and back
    await importTokyoPrefecture(t.db, clock);
    assert.equal((await listOrganizations(t.db, MUSASHINO_ID)).find((o) => o.id === mirrorId('example-peer-place'))?.active, true);
  });

  test('an agreement that starts or ends between imports takes effect when the hourly re-sync runs', async () => {
    const later = tokyoText().replace('agreedOn: 2025-04-01', 'agreedOn: 2026-07-01').replace('agreedOn: 2024-04-01', 'agreedOn: 2024-04-01\n      endedOn: 2026-06-30');
    await importProfile({ db: t.db, clock }, systemActor('test'), parseProfile(later), later);
    const active = async () => (await listOrganizations(t.db, MUSASHINO_ID)).filter((o) => o.partner).map((o) => o.key.split(':')[2]).sort();
    assert.deepEqual(await active(), ['example-family-group', 'example-peer-place'], 'the NPO’s agreement has not started on 10 June');
    const july = new FakeClock('2026-07-02T01:00:00Z');
    const changes = await resyncPartnerMirrors({ db: t.db, clock: july });
    assert.deepEqual(await active(), ['example-npo', 'example-peer-place'], 'the NPO’s agreement started, the family group’s ended');
    assert.ok(changes.created + changes.updated >= 1 && changes.deactivated >= 1);
    assert.deepEqual(await resyncPartnerMirrors({ db: t.db, clock: july }), { created: 0, updated: 0, deactivated: 0 }, 'nothing changes twice');
  });
});

describe('referring a case to a partner group, and what the centre sees', () => {
  let t: TestDb;
  let app: App;
  type H = Record<string, string>;
  let desk: H;
  let other: H;
  let centre: H;
  const call = async (headers: H, method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await app.inject({ method, url, headers: { ...headers, 'accept-language': 'ja' }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.json() };
  };

  before(async () => {
    t = await createTestDb();
    await importMusashino(t.db, clock);
    await importHoshino(t.db, clock);
    await importTokyoPrefecture(t.db, clock);
    app = await buildTestApp(t.db, { clock });
    const user = async (org: string, role: 'hub_coordinator' | 'org_staff' | 'prefecture_staff', code = MUSASHINO_CODE) =>
      (await signInAs(app, (await buildUser(t.db, { org, role, code, clock })).login)).headers as H;
    desk = await user('welfare-desk', 'hub_coordinator');
    other = await user('self-reliance-agency', 'org_staff');
    centre = await user('support-net', 'prefecture_staff', TOKYO_CODE);
  });
  after(async () => {
    await app?.close();
    await t?.close();
  });

  test('staff see the group among their organisations, marked as the prefecture’s; the centre’s comparison keeps to each municipality’s own', async () => {
    const orgs = (await call(desk, 'GET', '/api/organizations')).body.items;
    const group = orgs.find((o: { id: string }) => o.id === mirrorId('example-family-group'));
    assert.equal(group.partner.prefectureName, '東京都');
    assert.ok((await call(desk, 'GET', '/api/network')).body.organizations.some((o: { id: string; partner: unknown }) => o.id === mirrorId('example-family-group') && o.partner));
    assert.ok(!(await call(desk, 'GET', '/api/organizations')).body.items.some((o: { id: string }) => o.id === mirrorId('example-peer-place', HOSHINO_CODE)));
    const networks = JSON.stringify((await call(centre, 'GET', '/api/prefecture/networks?fiscalYear=2026')).body);
    assert.ok(!networks.includes('（例）'), 'partner groups are not counted as part of a municipality’s own network');
  });

  test('consent must name the group; the sender records its answers; the referral counts in the figures and for the centre', async () => {
    const c = (await call(desk, 'POST', '/api/cases', { person: { name: '連携 一郎', nameKana: 'れんけい いちろう', birthDate: '1990-05-01' } })).body;
    const to = mirrorId('example-family-group');
    const send = (legalBasis: unknown) => call(desk, 'POST', `/api/cases/${c.id}/referrals`, {
      toOrganizationId: to, reason: '家族が同じ立場の人と話したい', sharedSummary: '母親が相談。本人は30代。', urgency: 'normal', firstContactDue: '2026-06-30', legalBasis,
    });
    // a consent naming someone else is not enough
    const elsewhere = (await call(desk, 'POST', `/api/cases/${c.id}/consents`, { givenOn: '2026-06-10', scope: '生活困窮の相談', method: 'written', organizationIds: [orgId('self-reliance-agency')] })).body;
    const refused = await send({ basis: 'consent', consentId: elsewhere.id });
    assert.equal(refused.status, 400);
    assert.ok(refused.body.fields.some((f: { field: string }) => f.field === 'legalBasis.consentId'));
    const consent = (await call(desk, 'POST', `/api/cases/${c.id}/consents`, { givenOn: '2026-06-10', scope: '家族会への紹介', method: 'written', organizationIds: [to] }));
    assert.equal(consent.status, 201, JSON.stringify(consent.body));
    const sent = await send({ basis: 'consent', consentId: consent.body.id });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.deepEqual(sent.body.receiverPartner, { prefectureName: '東京都' });

    // another organisation that is neither sender nor hub cannot answer for the group
    const stranger = await call(other, 'POST', `/api/referrals/${sent.body.id}/status`, { version: sent.body.version, status: 'accepted' });
    assert.equal(stranger.status, 404);
    let cur = (await call(desk, 'POST', `/api/referrals/${sent.body.id}/status`, { version: sent.body.version, status: 'accepted', note: '電話で受諾' })).body;
    assert.equal(cur.status, 'accepted');
    assert.match(cur.history.at(-1).note, /連携団体の回答を代理で記録: 電話で受諾/);
    cur = (await call(desk, 'POST', `/api/referrals/${cur.id}/status`, { version: cur.version, status: 'first_contact' })).body;
    cur = (await call(desk, 'POST', `/api/referrals/${cur.id}/status`, { version: cur.version, status: 'completed', note: '家族会に参加' })).body;
    assert.equal(cur.status, 'completed');

    // a second referral refused without a basis naming the group, then with a written reason
    const withReason = await send(TEST_SHARE_BASIS);
    assert.equal(withReason.status, 201);
    const declined = await call(desk, 'POST', `/api/referrals/${withReason.body.id}/status`, { version: withReason.body.version, status: 'declined' });
    assert.equal(declined.status, 400, 'a decline needs its reason, for a partner group too');

    const stats = (await call(desk, 'GET', '/api/stats?fiscalYear=2026')).body;
    assert.ok(stats.referrals.funnel.completed === 1 || stats.referrals.funnel.completed === '<3', JSON.stringify(stats.referrals.funnel));
    assert.ok(stats.referrals.byReceiver.some((r: { label: string }) => r.label === '（例）ひきこもり家族会つばめの会'), JSON.stringify(stats.referrals.byReceiver));

    // the centre: counts per group and municipality, small ones suppressed, nothing of the case
    const counts = await call(centre, 'GET', '/api/prefecture/partner-groups?fiscalYear=2026');
    assert.equal(counts.status, 200);
    const family = counts.body.groups.find((g: { key: string }) => g.key === 'example-family-group');
    assert.deepEqual(family.referrals.find((r: { municipality: { code: string } }) => r.municipality.code === MUSASHINO_CODE).count, '<3');
    assert.deepEqual(family.referrals.find((r: { municipality: { code: string } }) => r.municipality.code === HOSHINO_CODE).count, 0);
    const body = JSON.stringify(counts.body);
    assert.ok(!body.includes('連携 一郎') && !body.includes(c.id) && !body.includes(sent.body.id), 'no case, person or referral');
    // municipal staff do not reach the centre's view
    assert.equal((await call(desk, 'GET', '/api/prefecture/partner-groups')).status, 403);
  });

  test('the resident navigator suggests the groups whose ages fit, labelled as the prefecture’s', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/public/navigator', payload: { municipality: MUSASHINO_CODE, about: 'child', age: 45, worries: ['staying_home'] } });
    assert.equal(res.statusCode, 200, res.body);
    const names = res.json().partnerGroups.map((g: { name: string; prefecture: string }) => `${g.prefecture}:${g.name}`);
    assert.ok(names.includes('東京都:（例）ひきこもり家族会つばめの会'));
    assert.ok(names.includes('東京都:（例）NPO法人あしたの扉'));
    assert.ok(!names.some((n: string) => n.includes('こもれび')), '18–39 only');
    assert.ok(!names.some((n: string) => n.includes('非公開')), 'a group that is not public never crosses');
    const young = (await app.inject({ method: 'POST', url: '/api/public/navigator', payload: { municipality: MUSASHINO_CODE, about: 'self', age: 20, worries: [] } })).json();
    assert.ok(young.partnerGroups.some((g: { name: string }) => g.name.includes('こもれび')));
  });
});
