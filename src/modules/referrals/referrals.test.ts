import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, orgId, programId, signInAs, TEST_SHARE_BASIS } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-10T01:00:00Z');
type H = Record<string, string>;
const users: Record<string, H> = {};

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

/** Signs in afresh (tests move the clock past the idle time-out). */
async function as(org: string, role: 'hub_coordinator' | 'org_staff' = 'org_staff'): Promise<H> {
  users[org] = (await signInAs(app, (await buildUser(t.db, { org, role, clock })).login)).headers;
  return users[org];
}

const call = async (headers: H, method: 'GET' | 'POST', url: string, payload?: unknown, status = method === 'POST' ? 201 : 200) => {
  const res = await app.inject({ method, url, headers, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
  return res.json();
};

async function openCase(desk: H) {
  return call(desk, 'POST', '/api/cases', { person: { name: '紹介 四郎', nameKana: 'しょうかい しろう', birthDate: '1974-04-01' } });
}

const refer = (desk: H, caseId: string, over: Record<string, unknown> = {}) =>
  call(desk, 'POST', `/api/cases/${caseId}/referrals`, {
    toProgramId: programId('work-readiness-support'), reason: '就労に向けた準備を本人が希望', sharedSummary: '52歳男性。就労経験なし。週1回なら外出できる。',
    urgency: 'normal', firstContactDue: '2026-06-20', legalBasis: TEST_SHARE_BASIS, ...over,
  });

describe('closed-loop referrals', () => {
  test('the desk refers to work readiness; the agency accepts, makes first contact and completes; the desk sees the loop close on the timeline', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const agency = await as('self-reliance-agency');
    const c = await openCase(desk);
    const r = await refer(desk, c.id);
    assert.equal(r.status, 'sent');
    assert.equal(r.to.name, '生活困窮者自立相談支援機関');
    assert.equal(r.program.name, '就労準備支援');

    const incoming = await call(agency, 'GET', '/api/referrals?box=incoming&open=true');
    assert.ok(incoming.items.some((x: { id: string }) => x.id === r.id));
    // before any consent the receiver sees the referral, not the person
    const seen = await call(agency, 'GET', `/api/cases/${c.id}`);
    assert.equal(seen.access, 'referral');
    assert.equal(seen.person, null);
    assert.deepEqual(seen.consents, []);
    await call(agency, 'GET', `/api/cases/${c.id}/plans`, undefined, 403);

    let cur = await call(agency, 'POST', `/api/referrals/${r.id}/status`, { version: r.version, status: 'accepted' }, 200);
    assert.ok((await call(desk, 'GET', `/api/cases/${c.id}`)).participants.some((p: { organization: { name: string }; role: string }) => p.organization.name === '生活困窮者自立相談支援機関' && p.role === 'participant'));
    await call(agency, 'POST', `/api/cases/${c.id}/contact-records`, { occurredAt: '2026-06-10T09:30:00+09:00', kind: 'interview', notes: '初回面談。来所できた。' });
    cur = await call(agency, 'POST', `/api/referrals/${r.id}/status`, { version: cur.version, status: 'first_contact', note: '来所面談' }, 200);
    cur = await call(agency, 'POST', `/api/referrals/${r.id}/status`, { version: cur.version, status: 'completed', note: '就労準備支援の利用開始' }, 200);
    assert.deepEqual(cur.history.map((h: { status: string }) => h.status), ['sent', 'accepted', 'first_contact', 'completed']);

    const timeline = (await call(desk, 'GET', `/api/cases/${c.id}/timeline`)).items.map((e: { kind: string }) => e.kind);
    assert.equal(timeline[0], 'referral_completed', 'the loop closing is the newest entry');
    for (const k of ['referral_sent', 'referral_accepted', 'referral_first_contact', 'referral_completed', 'contact']) assert.ok(timeline.includes(k), k);
    // the receiver's own view of the timeline holds only what concerns it
    const theirs = (await call(agency, 'GET', `/api/cases/${c.id}/timeline`)).items.map((e: { kind: string }) => e.kind);
    assert.ok(!theirs.includes('case_opened'));
    assert.ok(theirs.includes('referral_accepted'));
  });

  test('a decline needs its reason and ends the receiver\'s view of the case', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const agency = await as('self-reliance-agency');
    const c = await openCase(desk);
    const r = await refer(desk, c.id);
    const noReason = await call(agency, 'POST', `/api/referrals/${r.id}/status`, { version: r.version, status: 'declined' }, 400);
    assert.equal(noReason.fields[0].field, 'note');
    await call(agency, 'POST', `/api/referrals/${r.id}/status`, { version: r.version, status: 'declined', note: '対象年齢外のため' }, 200);
    await call(agency, 'GET', `/api/cases/${c.id}`, undefined, 404);
    const out = await call(desk, 'GET', `/api/referrals?box=outgoing`);
    assert.equal(out.items.find((x: { id: string }) => x.id === r.id).statusNote, '対象年齢外のため');
  });

  test('only the receiver moves a referral, only along the loop, and not from a stale version', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const agency = await as('self-reliance-agency');
    const c = await openCase(desk);
    const r = await refer(desk, c.id);
    await call(desk, 'POST', `/api/referrals/${r.id}/status`, { version: r.version, status: 'accepted' }, 403);
    await call(agency, 'POST', `/api/referrals/${r.id}/status`, { version: r.version, status: 'completed' }, 400);
    const accepted = await call(agency, 'POST', `/api/referrals/${r.id}/status`, { version: r.version, status: 'accepted' }, 200);
    await call(agency, 'POST', `/api/referrals/${r.id}/status`, { version: r.version, status: 'first_contact' }, 409);
    assert.equal(accepted.version, r.version + 1);
    const bystander = await as('health-section');
    await call(bystander, 'GET', `/api/referrals/${r.id}`, undefined, 404);
  });

  test('a referral with no acceptance by its due date is flagged to sender, receiver and hub', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = await openCase(desk);
    const r = await refer(desk, c.id, { toProgramId: undefined, toOrganizationId: orgId('social-welfare-council'), firstContactDue: '2026-06-12' });
    clock.set('2026-06-13T01:00:00Z');
    const desk2 = await as('welfare-desk', 'hub_coordinator');
    const council = await as('social-welfare-council');
    for (const [who, box] of [[desk2, 'outgoing'], [council, 'incoming'], [desk2, 'overdue']] as const) {
      const items = (await call(who, 'GET', `/api/referrals?box=${box}`)).items;
      assert.equal(items.find((x: { id: string }) => x.id === r.id)?.overdue, true, box);
    }
    clock.set('2026-06-10T01:00:00Z');
  });

  test('bad referrals get field-level 400s', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = await openCase(desk);
    const res = await app.inject({ method: 'POST', url: `/api/cases/${c.id}/referrals`, headers: desk, payload: { toOrganizationId: orgId('welfare-desk'), reason: 'x', sharedSummary: 'x', urgency: 'normal', firstContactDue: '2020-01-01', legalBasis: TEST_SHARE_BASIS } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field).sort(), ['firstContactDue', 'toOrganizationId']);
  });
});

test("the hub lists every referral of a case, whoever sent or received it", async () => {
  const desk = await as('welfare-desk', 'hub_coordinator');
  const soreiyu = await as('soreiyu');
  const c = await call(desk, 'POST', '/api/cases', { person: { name: '一覧 五郎' }, leadOrganizationId: orgId('soreiyu') });
  const fromSoreiyu = await call(soreiyu, 'POST', `/api/cases/${c.id}/referrals`, { toOrganizationId: orgId('health-section'), reason: 'r', sharedSummary: 's', urgency: 'normal', firstContactDue: '2099-01-01', legalBasis: TEST_SHARE_BASIS });
  const all = await call(desk, 'GET', `/api/referrals?caseId=${c.id}`);
  assert.deepEqual(all.items.map((r: { id: string }) => r.id), [fromSoreiyu.id]);
  await call(desk, 'GET', '/api/referrals', undefined, 400);
});

test('referral lists come in keyset pages, so none is silently cut off', async () => {
  const desk = await as('welfare-desk', 'hub_coordinator');
  const c = await openCase(desk);
  for (let i = 0; i < 3; i++) await refer(desk, c.id, { toProgramId: undefined, toOrganizationId: orgId(['soreiyu', 'mirairu', 'crescole'][i]) });
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: { id: string }[]; nextCursor: string | null } = await call(desk, 'GET', `/api/referrals?caseId=${c.id}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...page.items.map((r) => r.id));
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(new Set(seen).size, 3);
});

describe('the legal basis of a share (DOMAIN.md §3)', () => {
  const fieldsOf = (res: { json: () => { fields: { field: string }[] } }) => res.json().fields.map((f) => f.field).sort();
  const post = (h: H, caseId: string, legalBasis: unknown, to = 'soreiyu') =>
    app.inject({ method: 'POST', url: `/api/cases/${caseId}/referrals`, headers: h, payload: {
      toOrganizationId: orgId(to), reason: '若者支援', sharedSummary: '面談の調整', urgency: 'normal', firstContactDue: '2099-01-01', ...(legalBasis ? { legalBasis } : {}),
    } });

  test('a share without a basis, or with a basis that does not hold, is refused field by field', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const c = await openCase(desk);
    const none = await post(desk, c.id, null);
    assert.equal(none.statusCode, 400);
    assert.ok(fieldsOf(none).includes('legalBasis'));
    // consent: there is none yet
    assert.deepEqual(fieldsOf(await post(desk, c.id, { basis: 'consent' })), ['legalBasis.consentId']);
    // …said in Japanese to a Japanese client, beside the field
    assert.deepEqual((await post({ ...desk, 'accept-language': 'ja' }, c.id, { basis: 'consent' })).json().fields, [
      { field: 'legalBasis.consentId', message: '紹介先の機関を含む、有効な本人の同意がありません。先に同意を記録するか、別の根拠を選んでください。' },
    ]);
    // 重層的支援会議 needs consent as well as a meeting of that kind (Musashino has none on that basis)
    assert.deepEqual(fieldsOf(await post(desk, c.id, { basis: 'multilayered_support_meeting' })), ['legalBasis.consentId', 'legalBasis.meetingDate', 'legalBasis.meetingSeriesId']);
    // a 支援会議 basis must name the session whose agenda held the case (meetings.test.ts has the rest)
    assert.deepEqual(fieldsOf(await post(desk, c.id, { basis: 'poverty_act_9' })), ['legalBasis.meetingSessionId']);
    assert.deepEqual(fieldsOf(await post(desk, c.id, { basis: 'appi_69_2', paragraph: 3, reason: '  ' })), ['legalBasis.reason']);
    assert.equal((await call(desk, 'GET', `/api/referrals?caseId=${c.id}`)).items.length, 0);
  });

  test('a share on consent points to it; when the consent is withdrawn the referral ends and the receiver no longer sees the case', async () => {
    const desk = await as('welfare-desk', 'hub_coordinator');
    const soreiyu = await as('soreiyu');
    const c = await openCase(desk);
    const consent = await call(desk, 'POST', `/api/cases/${c.id}/consents`, { givenOn: '2026-05-01', scope: '若者支援のための情報共有', method: 'written', organizationIds: [orgId('soreiyu')] });
    // a consent naming another organisation does not cover this one
    assert.deepEqual(fieldsOf(await post(desk, c.id, { basis: 'consent', consentId: consent.id }, 'mirairu')), ['legalBasis.consentId']);
    const sent = (await post(desk, c.id, { basis: 'consent', consentId: consent.id })).json();
    assert.equal(sent.legalBasis.basis, 'consent');
    assert.equal(sent.legalBasis.consentId, consent.id);
    assert.equal(sent.legalBasis.consentGivenOn, '2026-05-01');
    assert.match(sent.legalBasis.label, /本人同意/);
    await call(soreiyu, 'POST', `/api/referrals/${sent.id}/status`, { version: sent.version, status: 'accepted' }, 200);
    assert.equal((await call(soreiyu, 'GET', `/api/cases/${c.id}`)).access, 'full');
    const boxed = async (h: H, box: string) => (await call(h, 'GET', `/api/referrals?box=${box}`)).items.map((r: { id: string }) => r.id);
    assert.ok((await boxed(soreiyu, 'incoming')).includes(sent.id));

    await call(desk, 'POST', `/api/cases/${c.id}/consents/${consent.id}/withdraw`, { note: '本人の申し出' }, 200);
    const after = await call(desk, 'GET', `/api/referrals/${sent.id}`);
    assert.equal(after.status, 'returned');
    assert.match(after.statusNote, /同意撤回/);
    assert.equal((await app.inject({ method: 'GET', url: `/api/cases/${c.id}`, headers: soreiyu })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: `/api/referrals/${sent.id}`, headers: soreiyu })).statusCode, 404);
    assert.ok(!(await boxed(soreiyu, 'incoming')).includes(sent.id), 'the ended share leaves the receiver\'s box');
    assert.ok((await boxed(desk, 'outgoing')).includes(sent.id), 'the sender keeps it');
    // what soreiyu read before stays in the audit
    const reads = await t.db.query("SELECT 1 FROM audit_event WHERE action = 'case.read' AND entity_id = $1 AND organization_id = $2", [c.id, orgId('soreiyu')]);
    assert.ok(reads.rows.length >= 1);
  });
});
