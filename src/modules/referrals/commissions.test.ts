import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, musashinoText, orgId, signInAs, TEST_SHARE_BASIS } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { systemActor } from '../../lib/context.ts';
import { importProfile } from '../network/importer.ts';
import { parseProfile, ProfileInvalidError } from '../network/profile.ts';
import { handBackEndedCommissions } from './service.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-01T01:00:00Z');
type H = Record<string, string>;
const END = 'commissionEnds: [{ organization: soreiyu, on: 2026-06-30 }]\n    ';
const profileText = (ending: boolean) => musashinoText().replace('commissionedTo: [soreiyu]\n    ', `commissionedTo: [soreiyu]\n    ${ending ? END : ''}`);
const load = (text: string) => importProfile({ db: t.db, clock }, systemActor('test'), parseProfile(text, 'musashino.yaml'), text);

before(async () => {
  t = await createTestDb();
  await load(profileText(false));
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

const as = async (org: string, role: 'hub_coordinator' | 'org_staff' = 'org_staff') => ({
  login: (await buildUser(t.db, { org, role, clock })).login,
});
const headers = async (u: { login: string }): Promise<H> => (await signInAs(app, u.login, undefined, clock)).headers;
const call = async (h: H, method: 'GET' | 'POST', url: string, payload?: Record<string, unknown>) => app.inject({ method, url, headers: h, payload });

describe('when a commission (委託) ends', () => {
  test('a profile may only end a commission it gives', () => {
    const wrong = musashinoText().replace('commissionedTo: [soreiyu]\n    ', 'commissionedTo: [soreiyu]\n    commissionEnds: [{ organization: mirairu, on: 2026-06-30 }]\n    ');
    assert.throws(() => parseProfile(wrong, 'x.yaml'), (e: unknown) => e instanceof ProfileInvalidError && /commissionEnds\[0\]\.organization/.test(e.message));
  });

  test("the day after its last day, the contractor's staff lose access and the cases it led go back to the program's owner", async () => {
    const desk = await headers(await as('welfare-desk', 'hub_coordinator'));
    const soreiyuUser = await as('soreiyu');
    const led = (await call(desk, 'POST', '/api/cases', { person: { name: '委託 主担当' }, leadOrganizationId: orgId('soreiyu') })).json();
    const other = (await call(desk, 'POST', '/api/cases', { person: { name: '委託 参加' } })).json();
    const referral = (await call(desk, 'POST', `/api/cases/${other.id}/referrals`, {
      toOrganizationId: orgId('soreiyu'), reason: '若者支援', sharedSummary: '面談の調整', urgency: 'normal', firstContactDue: '2026-07-31', legalBasis: TEST_SHARE_BASIS,
    })).json();
    let soreiyu = await headers(soreiyuUser);
    assert.equal((await call(soreiyu, 'POST', `/api/referrals/${referral.id}/status`, { version: referral.version, status: 'accepted' })).statusCode, 200);
    assert.equal((await call(soreiyu, 'GET', `/api/cases/${led.id}`)).statusCode, 200);

    await load(profileText(true));
    clock.set('2026-06-30T14:00:00Z'); // 23:00 on the last day, Japan time
    assert.deepEqual(await handBackEndedCommissions({ db: t.db, clock }), { commissions: 0, cases: 0, referrals: 0 });
    clock.set('2026-06-30T15:30:00Z'); // 00:30 on 1 July, Japan time
    assert.deepEqual(await handBackEndedCommissions({ db: t.db, clock }), { commissions: 1, cases: 1, referrals: 1 });
    assert.deepEqual(await handBackEndedCommissions({ db: t.db, clock }), { commissions: 0, cases: 0, referrals: 0 });

    soreiyu = await headers(soreiyuUser);
    assert.equal((await call(soreiyu, 'GET', `/api/cases/${led.id}`)).statusCode, 404);
    assert.equal((await call(soreiyu, 'GET', `/api/cases/${other.id}`)).statusCode, 404);
    const section = await headers(await as('livelihood-welfare-section'));
    const handed = (await call(section, 'GET', `/api/cases/${led.id}`)).json();
    assert.equal(handed.access, 'full');
    assert.equal(handed.lead.id, orgId('livelihood-welfare-section'));
    const deskNow = await headers(await as('welfare-desk', 'hub_coordinator'));
    assert.equal((await call(deskNow, 'GET', `/api/referrals/${referral.id}`)).json().status, 'returned');
    const timeline = (await call(section, 'GET', `/api/cases/${led.id}/timeline`)).json().items;
    assert.ok(timeline.some((e: { kind: string; summary: string }) => e.kind === 'lead_changed' && /委託の終了/.test(e.summary)));
    const audit = await t.db.query("SELECT details FROM audit_event WHERE action = 'commission.ended' AND entity_id = $1", [orgId('soreiyu')]);
    assert.equal(audit.rows.length, 1);
  });
});
