import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importMusashino, orgId, signInAs } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-10T01:00:00Z');
type H = Record<string, string>;
let desk: H;
let agency: H;
let phc: H;

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  app = await buildTestApp(t.db, { clock });
  const as = async (org: string, role: 'hub_coordinator' | 'org_staff') => (await signInAs(app, (await buildUser(t.db, { org, role, clock })).login)).headers;
  desk = await as('welfare-desk', 'hub_coordinator');
  agency = await as('self-reliance-agency', 'org_staff');
  phc = await as('tama-fuchu-public-health-centre', 'org_staff');
});
after(async () => {
  await app.close();
  await t.close();
});

const post = async (headers: H, url: string, payload: unknown, status = 201) => {
  const res = await app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
  assert.equal(res.statusCode, status, res.body);
  return res.json();
};
const get = (headers: H, url: string) => app.inject({ url, headers });

async function open8050Case(name = '武蔵野 一郎', kana = 'ムサシノ イチロウ') {
  const consultation = await post(desk, '/api/consultations', {
    receivedAt: '2026-06-09T10:00:00+09:00', channel: 'phone', consulterRelation: 'family', consulterDetail: '母', age: 52,
    issueTags: ['hikikomori', '8050'], mainIssue: 'hikikomori', summary: '息子が長年家から出ない。母80歳の年金で暮らしている', urgency: 'normal',
  });
  const c = await post(desk, '/api/cases', {
    person: { name, nameKana: kana, birthDate: '1974-02-11', gender: '男' },
    consultationIds: [consultation.id],
    household: { label: '武蔵野家', members: [{ person: { name: '武蔵野 花子', nameKana: 'ムサシノ ハナコ', birthDate: '1946-05-01', gender: '女' }, relation: '母' }] },
  });
  return { consultation, c };
}

describe('cases', () => {
  test('the desk opens a case for a 52-year-old in an 8050 household from a consultation', async () => {
    const { consultation, c } = await open8050Case();
    assert.match(c.reference, /^C2026-\d{5}$/);
    assert.equal(c.status, 'intake');
    assert.equal(c.lead.name, '福祉総合相談窓口');
    assert.equal(c.access, 'full');
    assert.equal(c.person.name, '武蔵野 一郎');
    assert.deepEqual(c.household.members.map((m: { relation: string; person: { name: string } }) => [m.relation, m.person.name]), [['本人', '武蔵野 一郎'], ['母', '武蔵野 花子']]);
    assert.deepEqual(c.consultations.map((x: { id: string }) => x.id), [consultation.id]);
    const after = (await get(desk, `/api/consultations/${consultation.id}`)).json();
    assert.equal(after.status, 'routed');
    assert.equal(after.caseId, c.id);
    assert.equal(after.steps.at(-1).kind, 'case_opened');
  });

  test('a person already known is found again whatever the width, kana or spacing of the name', async () => {
    const dups = await post(desk, '/api/persons/duplicates', { name: '武蔵野一郎', nameKana: 'ﾑｻｼﾉ ｲﾁﾛｳ', birthDate: '1974-02-11' }, 200);
    assert.equal(dups.items.length, 1);
    assert.deepEqual(dups.items[0].matches.sort(), ['birthDate', 'kana', 'name']);
    const none = await post(desk, '/api/persons/duplicates', { name: '武蔵野一郎', birthDate: '1980-01-01' }, 200);
    assert.equal(none.items.length, 0, 'the same name alone is not enough');
  });

  test('searching persons by kana or kanji finds them', async () => {
    for (const q of ['むさしの', 'ムサシノ', '一郎', '武蔵野 一', 'ｲﾁﾛｳ']) {
      const res = (await get(desk, `/api/persons?q=${encodeURIComponent(q)}`)).json();
      assert.ok(res.items.some((p: { name: string }) => p.name === '武蔵野 一郎'), q);
    }
    const other = (await get(phc, `/api/persons?q=${encodeURIComponent('武蔵野')}`)).json();
    assert.deepEqual(other.items, [], 'an organisation with no part in the case finds no one');
  });

  test('merging a duplicate keeps every record under the person kept', async () => {
    const { c: first } = await open8050Case('重複 太郎', 'ちょうふく たろう');
    const { c: second } = await open8050Case('重複　太郎', 'チョウフク タロウ');
    const merged = await post(desk, `/api/persons/${first.person.id}/merge`, { duplicateId: second.person.id }, 200);
    assert.equal(merged.id, first.person.id);
    const again = (await get(desk, `/api/cases/${second.id}`)).json();
    assert.equal(again.person.id, first.person.id);
    const dup = (await get(desk, `/api/persons/${second.person.id}`)).json();
    assert.equal(dup.mergedIntoId, first.person.id);
  });

  test('contact records, assessment and plans build the timeline, newest first', async () => {
    const { c } = await open8050Case('記録 次郎', 'きろく じろう');
    await post(desk, `/api/cases/${c.id}/contact-records`, { occurredAt: '2026-06-09T14:00:00+09:00', kind: 'home_visit', notes: '自宅訪問。本人とは会えず、母と面談', nextStep: '来週再訪問' });
    await post(desk, `/api/cases/${c.id}/assessments`, { assessedOn: '2026-06-10', areas: { employment: { situation: '就労経験なし', needsSupport: true }, household_budget: { situation: '母の年金のみ', needsSupport: true } } });
    const plan = await post(desk, `/api/cases/${c.id}/plans`, {
      goals: [{ kind: 'long', text: '自分のペースで社会とつながる' }, { kind: 'short', text: '週1回の面談を続ける' }],
      actions: [{ description: '就労準備支援の説明', organizationId: orgId('self-reliance-agency'), dueDate: '2026-07-01' }],
      reviewDate: '2026-09-01', personAgreed: true, agreedOn: '2026-06-10',
    });
    assert.equal(plan.planNo, 1);
    assert.equal((await post(desk, `/api/cases/${c.id}/plans`, { goals: [{ kind: 'short', text: '見直し' }], actions: [], reviewDate: '2026-12-01', personAgreed: false })).planNo, 2);
    const timeline = (await get(desk, `/api/cases/${c.id}/timeline`)).json().items;
    const kinds = timeline.map((e: { kind: string }) => e.kind);
    assert.deepEqual(kinds, ['plan', 'plan', 'assessment', 'case_opened', 'contact', 'consultation']);
    const dates = timeline.map((e: { at: string }) => Date.parse(e.at));
    assert.deepEqual(dates, [...dates].sort((a, b) => b - a));
    const plans = (await get(desk, `/api/cases/${c.id}/plans`)).json().items;
    assert.deepEqual(plans.map((p: { planNo: number }) => p.planNo), [2, 1]);
    assert.equal(plans[1].actions[0].organization.name, '生活困窮者自立相談支援機関');
  });

  test('a case moves through its life; closing needs a reason; a closed case can reopen; stale edits are refused', async () => {
    const { c } = await open8050Case('経過 三郎', 'けいか さぶろう');
    const step = async (version: number, body: Record<string, unknown>, status = 200) => post(desk, `/api/cases/${c.id}/status`, { version, ...body }, status);
    const a = await step(c.version, { status: 'assessment' });
    await step(a.version, { status: 'monitoring' }, 400);
    const s = await step(a.version, { status: 'support' });
    const noReason = await step(s.version, { status: 'closed' }, 400);
    assert.equal(noReason.fields[0].field, 'closureReason');
    const closed = await step(s.version, { status: 'closed', closureReason: '就労により終結' });
    assert.equal(closed.closureReason, '就労により終結');
    await step(s.version, { status: 'support' }, 409);
    const reopened = await step(closed.version, { status: 'support', reason: '離職したため再開' });
    assert.equal(reopened.status, 'support');
    assert.equal(reopened.closedAt, null);
  });

  test('bad input gets field-level 400s', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/cases', headers: desk, payload: { person: { name: 'x', birthDate: '2999-01-01' }, consultationIds: ['nope'] } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['consultationIds[0]']);
    const future = await app.inject({ method: 'POST', url: '/api/cases', headers: desk, payload: { person: { name: 'x', birthDate: '2999-01-01' } } });
    assert.deepEqual(future.json().fields.map((f: { field: string }) => f.field), ['person.birthDate']);
  });

  test('an area the municipality does not have is a field error, for a new person, a household member and a correction (found by the fuzzer: it was a 500)', async () => {
    const nowhere = '00000000-0000-0000-0000-000000000000';
    const res = await app.inject({
      method: 'POST', url: '/api/cases', headers: desk,
      payload: { person: { name: '圏域 なし', areaId: nowhere }, household: { members: [{ relation: '母', person: { name: '圏域 はは', areaId: nowhere } }] } },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['person.areaId', 'household.members[0].person.areaId']);
    const { c } = await open8050Case('圏域 三郎', 'ケンイキ サブロウ');
    const patch = await app.inject({ method: 'PATCH', url: `/api/persons/${c.person.id}`, headers: desk, payload: { version: 1, areaId: nowhere } });
    assert.equal(patch.statusCode, 400, patch.body);
    assert.deepEqual(patch.json().fields.map((f: { field: string }) => f.field), ['areaId']);
  });

  test('a plan action naming a program the network does not have is a field error (found by the fuzzer: it was a 500)', async () => {
    const { c } = await open8050Case('事業 四郎', 'ジギョウ シロウ');
    const res = await app.inject({
      method: 'POST', url: `/api/cases/${c.id}/plans`, headers: desk,
      payload: { goals: [{ kind: 'long', text: '外出する' }], actions: [{ description: '面談', organizationId: orgId('welfare-desk'), programId: '00000000-0000-0000-0000-000000000000' }], reviewDate: '2026-09-01', personAgreed: false },
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.deepEqual(res.json().fields.map((f: { field: string }) => f.field), ['actions[0].programId']);
  });
});
