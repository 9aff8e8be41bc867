import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestDb } from '../../../test/helpers/db.ts';
import type { Role } from '../auth/roles.ts';
import { MUSASHINO_CODE, MUSASHINO_ID, orgId, prefectureWorld, TOKYO_CODE } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { runRetention } from '../retention/service.ts';
import { screen } from './expertScreen.ts';

const clock = new FakeClock('2026-06-10T01:00:00Z');
let t: TestDb;
let app: App;
type H = Record<string, string>;
let centre: H;
let hub: H;
let lead: H;
let outsider: H;
const experts: { headers: H; userId: string }[] = [];
let otherExpert: H;

const call = async (headers: H, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() };
};

before(async () => {
  const world = await prefectureWorld(clock, { hoshino: false });
  ({ t, app } = world);
  const user = async (org: string, role: Role, code: string) => {
    const u = await world.user(org, role, code);
    return { headers: u.headers, userId: u.id };
  };
  centre = (await user('support-net', 'prefecture_staff', TOKYO_CODE)).headers;
  hub = (await user('welfare-desk', 'hub_coordinator', MUSASHINO_CODE)).headers;
  lead = (await user('soreiyu', 'org_staff', MUSASHINO_CODE)).headers;
  outsider = (await user('health-centre', 'org_staff', MUSASHINO_CODE)).headers;
  for (let i = 0; i < 4; i++) experts.push(await user('support-net', 'expert_member', TOKYO_CODE));
  otherExpert = (await user('support-net', 'expert_member', TOKYO_CODE)).headers;
});
after(async () => {
  await app?.close();
  await t?.close();
});

describe('screening free text against the case’s personal data', () => {
  const values = [
    { kind: 'name' as const, value: '山田 太郎' }, { kind: 'kana' as const, value: 'やまだ たろう' },
    { kind: 'address' as const, value: '東京都武蔵野市中町1-2-3' }, { kind: 'phone' as const, value: '0422-12-3456' },
  ];
  test('finds the name with or without a space, in full-width and half-width, in either kana', () => {
    for (const text of ['山田太郎さん', '山田　太郎さん', 'ﾔﾏﾀﾞ ﾀﾛｳ', 'ヤマダタロウ', 'やまだ　たろう', '０４２２－１２－３４５６', '中町１－２－３'])
      assert.equal(screen(`本人は${text}です`, values).length, 1, text);
    assert.deepEqual(screen('本人（20代）は昼夜逆転', values), []);
  });
  test('names the place as typed, never more of the data', () => {
    const text = '相談者は山田　太郎さんの母';
    const [hit] = screen(text, values);
    assert.equal(text.slice(hit.start, hit.end), '山田　太郎');
    assert.equal(hit.kind, 'name');
  });
});

describe('多職種専門チーム', () => {
  let conferenceId: string;
  let caseId: string;
  let submissionId: string;

  test('the centre schedules a conference with one member in each seat of its profile', async () => {
    const members = await call(centre, 'GET', '/api/prefecture/expert-members');
    assert.equal(members.status, 200);
    assert.equal(members.body.items.length, 5);
    const bad = await call(centre, 'POST', '/api/prefecture/expert-conferences', { heldOn: '2026-07-01', title: '第1回', seats: [{ seat: 'astrology', userId: experts[0].userId }] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.fields[0].field, 'seats[0].seat');
    const res = await call(centre, 'POST', '/api/prefecture/expert-conferences', {
      heldOn: '2026-07-01', title: '令和8年度 第1回 事例検討会',
      seats: ['medicine', 'psychology', 'law', 'welfare'].map((seat, i) => ({ seat, userId: experts[i].userId })),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.heldOnJa, '令和8年7月1日');
    assert.deepEqual(res.body.seats.map((s: { name: string }) => s.name), ['医療', '心理', '法律', '福祉']);
    conferenceId = res.body.id;
    // a municipality sees the conferences ahead; an expert not seated does not see it
    assert.deepEqual((await call(hub, 'GET', '/api/prefecture/expert-conferences')).body.items.map((c: { id: string }) => c.id), [conferenceId]);
    assert.equal((await call(otherExpert, 'GET', `/api/prefecture/expert-conferences/${conferenceId}`)).status, 404);
  });

  test('the lead organisation’s submission is refused while its text holds the person’s name, then sent', async () => {
    const opened = await call(hub, 'POST', '/api/cases', {
      person: { name: '森川 花子', nameKana: 'もりかわ はなこ', birthDate: '2001-04-02', phone: '0422-99-1234', address: '東京都武蔵野市吉祥寺本町9-9-9' },
      leadOrganizationId: orgId('soreiyu'),
      household: { members: [{ person: { name: '森川 一郎', nameKana: 'もりかわ いちろう' }, relation: '父' }] },
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    caseId = opened.body.id;
    const draft = {
      conferenceId, caseId,
      background: '本人（森川　花子）は高校卒業後から自宅に閉じこもっている。父のﾓﾘｶﾜ ｲﾁﾛｳは就労を強く求めている。',
      questions: ['本人への関わり方について助言がほしい。連絡は０４２２９９１２３４。', '父への支援の方向性は？'],
    };
    const refused = await call(lead, 'POST', '/api/prefecture/expert-submissions', draft);
    assert.equal(refused.status, 400);
    const hits = refused.body.fields.map((f: { field: string; message: string }) => [f.field, f.message.match(/holds the (.+?) of/)?.[1]]);
    assert.deepEqual(hits, [['background', 'name'], ['background', 'name in kana'], ['questions[0]', 'phone number']]);
    // the answer says where, not what
    assert.ok(!JSON.stringify(refused.body).includes('森川'));
    assert.ok(!JSON.stringify(refused.body).includes('1234'));
    // no organisation without the case may submit it; an outsider gets 404
    assert.equal((await call(outsider, 'POST', '/api/prefecture/expert-submissions', draft)).status, 404);

    const sent = await call(lead, 'POST', '/api/prefecture/expert-submissions', {
      ...draft,
      background: '本人は高校卒業後から自宅に閉じこもっている。父は就労を強く求めている。',
      questions: ['本人への関わり方について助言がほしい。', '父への支援の方向性は？'],
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.match(sent.body.caseCode, /^E-[0-9A-F]{8}$/);
    assert.equal(sent.body.ageBand, '20代');
    assert.equal(sent.body.case.id, caseId);
    submissionId = sent.body.id;
  });

  test('the members seated see the submission without identity and answer from their seat', async () => {
    const [medicine, , law] = experts;
    const seen = await call(medicine.headers, 'GET', `/api/prefecture/expert-submissions/${submissionId}`);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.case, null);
    for (const word of ['森川', 'モリカワ', 'もりかわ', '2001', '1234', '吉祥寺', caseId]) assert.ok(!JSON.stringify(seen.body).includes(word), word);
    assert.equal((await call(otherExpert, 'GET', `/api/prefecture/expert-submissions/${submissionId}`)).status, 404);
    assert.deepEqual((await call(otherExpert, 'GET', '/api/prefecture/expert-submissions')).body.items, []);
    const centreView = await call(centre, 'GET', `/api/prefecture/expert-submissions?conferenceId=${conferenceId}`);
    assert.equal(centreView.body.items.length, 1);
    assert.equal(centreView.body.items[0].case, null);

    const answered = await call(medicine.headers, 'POST', `/api/prefecture/expert-submissions/${submissionId}/advice`, { answers: [{ questionSeq: 1, text: '睡眠の状況を確かめ、受診を急がない関わりを。' }] });
    assert.equal(answered.status, 200, JSON.stringify(answered.body));
    await call(law.headers, 'POST', `/api/prefecture/expert-submissions/${submissionId}/advice`, { answers: [{ questionSeq: 2, text: '父の求めが強要にならないよう、家族会の利用を。' }] });
    assert.equal((await call(law.headers, 'POST', `/api/prefecture/expert-submissions/${submissionId}/advice`, { answers: [{ questionSeq: 9, text: 'x' }] })).status, 400);
    assert.equal((await call(otherExpert, 'POST', `/api/prefecture/expert-submissions/${submissionId}/advice`, { answers: [{ questionSeq: 1, text: 'x' }] })).status, 404);
  });

  test('the advice returns to the case for its participants; a non-participant gets 404', async () => {
    const timeline = await call(lead, 'GET', `/api/cases/${caseId}/timeline`);
    assert.equal(timeline.status, 200);
    const advice = timeline.body.items.filter((e: { kind: string }) => e.kind === 'expert_advice');
    assert.deepEqual(advice.map((e: { summary: string }) => e.summary).sort(), [
      '多職種専門チームの助言（医療・質問1）: 睡眠の状況を確かめ、受診を急がない関わりを。',
      '多職種専門チームの助言（法律・質問2）: 父の求めが強要にならないよう、家族会の利用を。',
    ]);
    const onCase = await call(hub, 'GET', `/api/prefecture/expert-submissions?caseId=${caseId}`);
    assert.deepEqual(onCase.body.items[0].questions.map((q: { advice: { seatName: string }[] }) => q.advice.map((a) => a.seatName)), [['医療'], ['法律']]);
    assert.equal((await call(outsider, 'GET', `/api/cases/${caseId}/timeline`)).status, 404);
    assert.equal((await call(outsider, 'GET', `/api/prefecture/expert-submissions/${submissionId}`)).status, 404);
    assert.deepEqual((await call(outsider, 'GET', `/api/prefecture/expert-submissions?caseId=${caseId}`)).body.items, []);
  });

  test('the crossing shows in both tenants’ audit', async () => {
    const { rows } = await t.db.query<{ n: number }>(`SELECT count(DISTINCT municipality_id)::int AS n FROM audit_event WHERE action = 'expert_advice.record'`);
    assert.equal(rows[0].n, 2);
  });

  test('a case disposed of at the end of its retention takes its submissions, questions and advice with it', async () => {
    await t.db.query(`UPDATE support_case SET status = 'closed', closed_at = '2000-04-01' WHERE municipality_id = $1 AND id = $2`, [MUSASHINO_ID, caseId]);
    await t.db.query(`INSERT INTO retention_policy (municipality_id, record_class, years, updated_at) VALUES ($1, 'case', 5, now())
                      ON CONFLICT (municipality_id, record_class) DO UPDATE SET years = 5`, [MUSASHINO_ID]);
    await runRetention({ db: t.db, clock }, { dryRun: false, includeAudit: false });
    for (const table of ['expert_submission', 'expert_question', 'expert_advice', 'support_case']) {
      const { rows } = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE municipality_id = $1`, [MUSASHINO_ID]);
      assert.equal(rows[0].n, 0, table);
    }
    assert.equal((await call(centre, 'GET', `/api/prefecture/expert-conferences/${conferenceId}`)).body.submissions, 0);
  });
});
