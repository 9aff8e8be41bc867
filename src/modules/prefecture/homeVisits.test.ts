import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestDb } from '../../../test/helpers/db.ts';
import type { Role } from '../auth/roles.ts';
import {
  buildUser, HOSHINO_CODE, MUSASHINO_CODE, MUSASHINO_ID, orgId, prefectureWorld, signInAs, TEST_TOTP_SECRET, TOKYO_CODE,
} from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { municipalityId } from '../../lib/ids.ts';
import { encodeKeyset } from '../../lib/pagination.ts';
import { currentCode } from '../auth/mfa.ts';

const clock = new FakeClock('2026-06-10T01:00:00Z');
let t: TestDb;
let app: App;
type H = Record<string, string>;
let centre: H;
let musashinoHub: H;
let musashinoWindow: H;
let hoshinoHub: H;

before(async () => {
  const world = await prefectureWorld(clock);
  ({ t, app } = world);
  const user = async (org: string, role: Role, code: string) => (await world.user(org, role, code, { sensitive: true })).headers;
  centre = await user('support-net', 'prefecture_staff', TOKYO_CODE);
  musashinoHub = await user('welfare-desk', 'hub_coordinator', MUSASHINO_CODE);
  musashinoWindow = await user('welfare-desk', 'municipal_window', MUSASHINO_CODE);
  hoshinoHub = await user('shakyo-window', 'hub_coordinator', HOSHINO_CODE);
});
after(async () => {
  await app?.close();
  await t?.close();
});

const call = async (headers: H, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, headers: { ...headers, 'accept-language': 'ja' }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json(), text: res.body };
};

const BASE = '/api/prefecture/home-visit-applications';
const consent = (fields: string[]) => ({ by: 'family', relation: '母', on: '2026-06-08', method: 'in_person', fields });
const eligible = { age: 24, pastCompulsorySchooling: true, livesInMunicipality: true, monthsWithdrawn: 18 };

async function auditTenants(action: string, entityId: string): Promise<string[]> {
  const { rows } = await t.db.query<{ municipality_id: string }>('SELECT DISTINCT municipality_id FROM audit_event WHERE action = $1 AND entity_id = $2 ORDER BY 1', [action, entityId]);
  return rows.map((r) => r.municipality_id);
}

describe('訪問相談 (home visits by the centre)', () => {
  test('an ineligible person gets every failed rule and the alternatives, and can be recorded as not passed; the centre never sees it', async () => {
    const check = await call(musashinoWindow, 'POST', `${BASE}/eligibility`, { age: 14, pastCompulsorySchooling: false, livesInMunicipality: true, monthsWithdrawn: 3 });
    assert.equal(check.status, 200);
    assert.equal(check.body.eligible, false);
    assert.deepEqual(check.body.reasons.map((r: { rule: string }) => r.rule), ['age', 'schooling', 'months_withdrawn']);
    assert.deepEqual(check.body.alternatives, ['東京都ひきこもりサポートネットの電話相談', '東京都ひきこもりサポートネットのメール相談']);
    const created = await call(musashinoWindow, 'POST', BASE, {
      personName: '対象外 花子', age: 14, pastCompulsorySchooling: false, livesInMunicipality: true, monthsWithdrawn: 3, consent: consent(['name', 'age']),
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'not_passed');
    assert.equal(created.body.legalBasis, null);
    assert.equal(created.body.eligibility.alternatives.length, 2);
    assert.equal((await call(centre, 'GET', `${BASE}/centre/${created.body.id}`)).status, 404);
    const list = await call(centre, 'GET', `${BASE}/centre`);
    assert.ok(!list.text.includes('対象外'));
    assert.deepEqual(await auditTenants('home_visit.pass_to_centre', created.body.id), []);
  });

  test('a person living elsewhere fails the residence rule', async () => {
    const check = await call(musashinoWindow, 'POST', `${BASE}/eligibility`, { ...eligible, livesInMunicipality: false });
    assert.deepEqual(check.body.reasons.map((r: { rule: string }) => r.rule), ['residence']);
    assert.equal(check.body.reasons[0].message, '訪問相談の対象は東京都にお住まいの方です。');
  });

  test('field errors come in Japanese', async () => {
    const res = await call(musashinoWindow, 'POST', BASE, { ...eligible, consent: { ...consent(['name', 'contact']), by: 'family', relation: '', on: '2026-07-01' } });
    assert.equal(res.status, 400);
    const fields = Object.fromEntries(res.body.fields.map((f: { field: string; message: string }) => [f.field, f.message]));
    assert.equal(fields['consent.on'], '同意日に未来の日付は入力できません。');
    assert.match(fields['consent.relation'], /続柄/);
    assert.match(fields.personName, /同意の範囲/);
    assert.match(fields.contact, /同意の範囲/);
  });

  test('without a case: the centre sees only what the consent covers, visits, and hands back a consultation the window sees', async () => {
    const created = await call(musashinoWindow, 'POST', BASE, {
      personName: '訪問 太郎', contact: '0422-00-1234', situation: '昼夜逆転で自室から出ない', ...eligible, consent: consent(['age', 'situation']),
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'passed');
    assert.equal(created.body.legalBasis, 'consent');
    const id = created.body.id;
    assert.deepEqual(await auditTenants('home_visit.pass_to_centre', id), [MUSASHINO_ID, municipalityId(TOKYO_CODE)].sort());

    const seen = await call(centre, 'GET', `${BASE}/centre/${id}`);
    assert.equal(seen.status, 200);
    assert.deepEqual(seen.body.person, { age: 24, situation: '昼夜逆転で自室から出ない' }, 'name and contact are absent, not null');
    assert.ok(!seen.text.includes('訪問 太郎') && !seen.text.includes('0422-00-1234'));
    const listed = await call(centre, 'GET', `${BASE}/centre?status=passed`);
    assert.ok(listed.body.items.some((a: { id: string }) => a.id === id));
    assert.ok(!listed.text.includes('訪問 太郎'));

    assert.equal((await call(centre, 'POST', `${BASE}/centre/${id}/visits`, { visitedOn: '2026-06-09', visitors: ['相談員A'], place: '自宅', met: '母', whatHappened: '母と面談' })).status, 400,
      'visits come after the centre accepts');
    assert.equal((await call(centre, 'POST', `${BASE}/centre/${id}/accept`)).body.status, 'accepted');
    const visited = await call(centre, 'POST', `${BASE}/centre/${id}/visits`, { visitedOn: '2026-06-09', visitors: ['相談員A', '相談員B'], place: '自宅', met: '母', whatHappened: '母と面談。本人は自室から返事。' });
    assert.equal(visited.status, 201);
    assert.equal(visited.body.visits.length, 1);
    assert.deepEqual(visited.body.visits[0].visitors, ['相談員A', '相談員B']);

    const targets = await call(centre, 'GET', `${BASE}/centre/${id}/hand-back-targets`);
    assert.ok(targets.body.items.some((o: { id: string }) => o.id === orgId('soreiyu')));
    const back = await call(centre, 'POST', `${BASE}/centre/${id}/hand-back`, { toOrganizationId: orgId('soreiyu'), note: '居場所の利用を本人が希望' });
    assert.equal(back.status, 200);
    assert.equal(back.body.status, 'handed_back');
    assert.equal(back.body.handBack.kind, 'consultation');
    assert.deepEqual(await auditTenants('home_visit.hand_back', id), [MUSASHINO_ID, municipalityId(TOKYO_CODE)].sort());

    const outcome = await call(musashinoWindow, 'GET', `${BASE}/${id}`);
    assert.equal(outcome.body.status, 'handed_back');
    assert.equal(outcome.body.handBack.organization.id, orgId('soreiyu'));
    assert.equal(outcome.body.visitCount, 1);
    const consultation = await call(musashinoHub, 'GET', `/api/consultations/${outcome.body.handBack.consultationId}`);
    assert.equal(consultation.status, 200);
    assert.equal(consultation.body.channel, 'via_organization');
    assert.equal(consultation.body.door.id ?? consultation.body.doorOrganizationId, orgId('soreiyu'));

    assert.equal((await call(hoshinoHub, 'GET', `${BASE}/${id}`)).status, 404, 'another municipality never sees it');
  });

  test('from a case: the window uses only cases it sees, and the hand-back is a referral on the person’s consent', async () => {
    const c = await call(musashinoHub, 'POST', '/api/cases', { person: { name: '事例 次郎', nameKana: 'じれい じろう', phone: '090-0000-5678' } });
    assert.equal(c.status, 201);
    const viaWindow = await call(musashinoWindow, 'POST', BASE, { caseId: c.body.id, ...eligible, consent: consent(['age']) });
    assert.equal(viaWindow.status, 400, 'municipal window staff see no case');
    assert.equal(viaWindow.body.fields[0].field, 'caseId');

    const created = await call(musashinoHub, 'POST', BASE, { caseId: c.body.id, ...eligible, consent: consent(['name', 'age']) });
    assert.equal(created.status, 201);
    assert.equal(created.body.personName, '事例 次郎', 'taken from the case');
    const id = created.body.id;
    const seen = await call(centre, 'GET', `${BASE}/centre/${id}`);
    assert.deepEqual(seen.body.person, { name: '事例 次郎', age: 24 });
    assert.ok(!seen.text.includes('090-0000-5678'));
    assert.equal(seen.body.fromCase, true);
    await call(centre, 'POST', `${BASE}/centre/${id}/accept`);

    const noConsent = await call(centre, 'POST', `${BASE}/centre/${id}/hand-back`, { toOrganizationId: orgId('soreiyu'), note: '居場所へ' });
    assert.equal(noConsent.status, 400);
    assert.equal(noConsent.body.fields[0].field, 'toOrganizationId');
    assert.match(noConsent.body.fields[0].message, /同意/);

    assert.equal((await call(musashinoHub, 'POST', `/api/cases/${c.body.id}/consents`, { givenOn: '2026-06-09', scope: '居場所への紹介', method: 'written', organizationIds: [orgId('soreiyu')] })).status, 201);
    const back = await call(centre, 'POST', `${BASE}/centre/${id}/hand-back`, { toOrganizationId: orgId('soreiyu'), note: '居場所へ' });
    assert.equal(back.status, 200);
    assert.equal(back.body.handBack.kind, 'referral');
    const referral = await call(musashinoHub, 'GET', `/api/referrals/${back.body.handBack.referralId}`);
    assert.equal(referral.status, 200);
    assert.equal(referral.body.legalBasis.basis, 'consent');
    const outcome = await call(musashinoHub, 'GET', `${BASE}/${id}`);
    assert.equal(outcome.body.handBack.referralId, back.body.handBack.referralId);
  });

  test('two hand-backs at once make one referral or consultation: the other is refused with 409 and says why', async () => {
    const accepted = async (body: Record<string, unknown>) => {
      const created = await call(musashinoHub, 'POST', BASE, { ...eligible, ...body });
      assert.equal(created.status, 201, created.text);
      assert.equal((await call(centre, 'POST', `${BASE}/centre/${created.body.id}/accept`)).status, 200);
      return created.body.id as string;
    };
    // without a case: a consultation at the organisation
    const loose = await accepted({ personName: '同時 三郎', consent: consent(['age']) });
    const note = '同時のつなぎ（ケースなし）';
    const both = await Promise.all([1, 2].map(() => call(centre, 'POST', `${BASE}/centre/${loose}/hand-back`, { toOrganizationId: orgId('soreiyu'), note })));
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], JSON.stringify(both.map((r) => r.body)));
    assert.equal(both.find((r) => r.status === 409)!.body.error, 'この方はすでに地域の機関へつなぎ済みです。つなぎは二重には行われていません。');
    const { rows: made } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM consultation WHERE municipality_id = $1 AND summary LIKE $2', [MUSASHINO_ID, `%${note}`]);
    assert.equal(made[0].n, 1);
    // from a case: a referral on the person's consent
    const c = await call(musashinoHub, 'POST', '/api/cases', { person: { name: '同時 四郎', nameKana: 'どうじ しろう' } });
    assert.equal((await call(musashinoHub, 'POST', `/api/cases/${c.body.id}/consents`, { givenOn: '2026-06-09', scope: '居場所への紹介', method: 'written', organizationIds: [orgId('soreiyu')] })).status, 201);
    const fromCase = await accepted({ caseId: c.body.id, consent: consent(['age']) });
    const twice = await Promise.all([1, 2].map(() => call(centre, 'POST', `${BASE}/centre/${fromCase}/hand-back`, { toOrganizationId: orgId('soreiyu'), note: '居場所へ' })));
    assert.deepEqual(twice.map((r) => r.status).sort(), [200, 409]);
    const { rows: referrals } = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM referral WHERE municipality_id = $1 AND case_id = $2', [MUSASHINO_ID, c.body.id]);
    assert.equal(referrals[0].n, 1);
    // and later, one at a time, the same answer
    assert.equal((await call(centre, 'POST', `${BASE}/centre/${fromCase}/hand-back`, { toOrganizationId: orgId('soreiyu'), note: '居場所へ' })).status, 409);
  });

  test('an application recorded without a case is in the person’s disclosure package, found by name and contact; a partial match is withheld until the officer confirms it', async () => {
    const c = await call(musashinoHub, 'POST', '/api/cases', { person: { name: '開示 花子', nameKana: 'かいじ はなこ', phone: '090-2222-3333' } });
    assert.equal(c.status, 201);
    const both = await call(musashinoWindow, 'POST', BASE, { ...eligible, personName: '開示　花子', contact: '09022223333', situation: '窓口で母が相談', consent: consent(['age']) });
    const readingPart = await call(musashinoWindow, 'POST', BASE, { ...eligible, personName: 'ｶｲｼﾞ', contact: '03-0000-0000', consent: consent(['age']) });
    const namesake = await call(musashinoWindow, 'POST', BASE, { ...eligible, personName: '開示花子', contact: '03-9999-0000', situation: '同名の別人かもしれない', consent: consent(['age']) });
    const other = await call(musashinoWindow, 'POST', BASE, { ...eligible, personName: '無関係 次郎', contact: '03-1111-2222', consent: consent(['age']) });
    for (const r of [both, readingPart, namesake, other]) assert.equal(r.status, 201, r.text);
    const officer = (await signInAs(app, (await buildUser(t.db, { org: 'livelihood-welfare-section', role: 'privacy_officer', code: MUSASHINO_CODE, clock })).login)).headers;
    const req = await call(officer, 'POST', '/api/privacy/requests', {
      kind: 'disclosure', personId: c.body.person.id, receivedOn: '2026-06-10', requesterRelation: 'self', identityVerification: '運転免許証', content: '私に関する記録の全部',
    });
    assert.equal(req.status, 201, req.text);
    const stepUp = await app.inject({ method: 'POST', url: '/api/session/step-up', headers: officer, payload: { code: currentCode(TEST_TOTP_SECRET, clock.now()) } });
    assert.equal(stepUp.statusCode, 204, stepUp.body);
    const pkg = await call(officer, 'GET', `/api/privacy/requests/${req.body.id}/disclosure-package`);
    assert.equal(pkg.status, 200, pkg.text);
    const records = pkg.body.contactRecords.filter((r: { kind: string }) => r.kind === 'home_visit_application') as { id: string; caseId: string | null; notes: string | null; redacted: Record<string, string> }[];
    assert.deepEqual(records.map((r) => r.id).sort(), [both.body.id, namesake.body.id].sort(), 'matched by the whole name (any width or spacing) or the contact; not a part of the reading, not another person');
    const full = records.find((r) => r.id === both.body.id)!;
    assert.equal(full.caseId, null);
    assert.match(full.notes!, /窓口で母が相談/);
    const partial = records.find((r) => r.id === namesake.body.id)!;
    assert.equal(partial.notes, null, 'the name alone may be a namesake’s: withheld until confirmed');
    const unit = pkg.body.redactions.find((d: { key: string }) => d.key === `unlinked:home_visit_application:${namesake.body.id}`);
    assert.equal(unit.defaultRedacted, true);
    assert.match(unit.label, /氏名のみ一致/);
    assert.ok(!pkg.text.includes('無関係'));

    // the officer's search names the records linked to no person record: where and when, nothing of the person
    const byName = await call(officer, 'GET', `/api/privacy/persons?q=${encodeURIComponent('開示 花子')}`);
    assert.equal(byName.status, 200, byName.text);
    assert.deepEqual(byName.body.items.map((p: { id: string }) => p.id), [c.body.person.id]);
    assert.deepEqual(byName.body.unlinked.map((u: { id: string; match: string }) => [u.id, u.match]).sort(), [[both.body.id, 'name'], [namesake.body.id, 'name']].sort());
    assert.ok(!byName.text.includes('窓口で母が相談') && !byName.text.includes('09022223333'));
    const byContact = await call(officer, 'GET', '/api/privacy/persons?q=090-2222-3333');
    assert.deepEqual(byContact.body.unlinked.map((u: { id: string; match: string }) => [u.id, u.match]), [[both.body.id, 'contact']]);
  });

  test('both lists come in keyset pages: each application once, latest first (same moment: by id), the status filter on every page', async () => {
    type Item = { id: string; status: string; createdAt?: string; passedAt?: string };
    const walk = async (headers: H, url: string) => {
      const items: Item[] = [];
      let cursor: string | null = null;
      do {
        const page = await call(headers, 'GET', `${url}${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(page.status, 200, page.text);
        assert.ok(page.body.items.length <= 3);
        items.push(...page.body.items);
        cursor = page.body.nextCursor;
      } while (cursor);
      return items;
    };
    const newestFirst = (at: (a: Item) => string) => (a: Item, b: Item) => at(b).localeCompare(at(a)) || b.id.localeCompare(a.id);
    // eight applications, several recorded at the same moment
    for (let i = 0; i < 8; i++) {
      if (i % 3 === 0) clock.advance(60_000);
      const r = await call(i % 2 ? hoshinoHub : musashinoWindow, 'POST', BASE, { ...eligible, personName: `頁 ${i}`, consent: consent(['age']) });
      assert.equal(r.status, 201, r.text);
      if (i % 2 === 1) assert.equal((await call(centre, 'POST', `${BASE}/centre/${r.body.id}/accept`)).status, 200);
    }
    const count = async (sql: string, params: unknown[]) => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM home_visit_application WHERE ${sql}`, params)).rows[0].n;

    const windowList = await walk(musashinoWindow, `${BASE}?limit=3`);
    assert.equal(windowList.length, await count('municipality_id = $1 AND applied_organization_id = $2', [MUSASHINO_ID, orgId('welfare-desk')]), 'the applications of the window’s organisation');
    assert.equal(new Set(windowList.map((a) => a.id)).size, windowList.length);
    assert.deepEqual(windowList, [...windowList].sort(newestFirst((a) => a.createdAt!)));

    const centreList = await walk(centre, `${BASE}/centre?limit=3`);
    assert.equal(centreList.length, await count(`prefecture_id = $1 AND status <> 'not_passed'`, [municipalityId(TOKYO_CODE)]));
    assert.equal(new Set(centreList.map((a) => a.id)).size, centreList.length);
    assert.deepEqual(centreList, [...centreList].sort(newestFirst((a) => a.passedAt!)));
    const accepted = await walk(centre, `${BASE}/centre?status=accepted&limit=3`);
    assert.ok(accepted.length > 3 && accepted.every((a) => a.status === 'accepted'));
    assert.deepEqual(accepted.map((a) => a.id), centreList.filter((a) => a.status === 'accepted').map((a) => a.id));

    for (const url of [BASE, `${BASE}/centre`])
      for (const cursor of ['forged', encodeKeyset(['2026-06-31T00:00:00.000Z', '00000000-0000-4000-8000-000000000000']), encodeKeyset([1, 2])]) {
        const res = await call(url === BASE ? musashinoWindow : centre, 'GET', `${url}?cursor=${cursor}`);
        assert.equal(res.status, 400, res.text);
        assert.deepEqual(res.body.fields.map((f: { field: string }) => f.field), ['cursor']);
      }
  });

  test('only the window and the centre take part', async () => {
    assert.equal((await call(centre, 'POST', BASE, { ...eligible, consent: consent(['age']) })).status, 403);
    assert.equal((await call(musashinoHub, 'GET', `${BASE}/centre`)).status, 403);
  });
});
