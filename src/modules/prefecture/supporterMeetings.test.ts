import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { after, before, describe, test } from 'node:test';
import type { TestDb } from '../../../test/helpers/db.ts';
import type { Role } from '../auth/roles.ts';
import { HOSHINO_CODE, MUSASHINO_CODE, orgId, prefectureWorld, TOKYO_CODE } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { municipalityId } from '../../lib/ids.ts';
import { FILES, tablesAboutPersons } from '../privacy/register.ts';

const clock = new FakeClock('2026-06-10T01:00:00Z');
let t: TestDb;
let app: App;
type H = Record<string, string>;
let centre: H;
let musashinoHub: H;
let musashinoWindow: H;
let hoshinoWindow: H;
let musashinoStaff: H;
let expert: H;
// a partner group (連携団体) of the prefecture's profile
const PARTNER = orgId('example-family-group', TOKYO_CODE);
const MUSASHINO = municipalityId(MUSASHINO_CODE);
const HOSHINO = municipalityId(HOSHINO_CODE);

let signInAgain: () => Promise<void>;
let close: () => Promise<void>;

before(async () => {
  const world = await prefectureWorld(clock);
  ({ t, app, signInAgain, close } = world);
  const user = async (org: string, role: Role, code: string) => (await world.user(org, role, code)).headers;
  centre = await user('support-net', 'prefecture_staff', TOKYO_CODE);
  expert = await user('support-net', 'expert_member', TOKYO_CODE);
  musashinoHub = await user('welfare-desk', 'hub_coordinator', MUSASHINO_CODE);
  musashinoWindow = await user('welfare-desk', 'municipal_window', MUSASHINO_CODE);
  musashinoStaff = await user('soreiyu', 'org_staff', MUSASHINO_CODE);
  hoshinoWindow = await user('welfare-section', 'municipal_window', HOSHINO_CODE);
});
after(() => close?.());

const call = async (headers: H, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, headers: { ...headers, 'accept-language': 'ja' }, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.json() };
};
const BASE = '/api/prefecture/supporter-meetings';
const meeting = (over: Record<string, unknown> = {}) => ({
  kind: 'exchange', title: '支援者交流会（多摩地域）', date: '2026-07-15', startTime: '14:00', endTime: '16:30', place: '都庁第一本庁舎 会議室', online: false,
  capacity: 3, registrationDeadline: '2026-07-08', description: '各地域の取組を紹介し合います。', allMunicipalities: false,
  municipalityCodes: [MUSASHINO_CODE, HOSHINO_CODE], partnerIds: [PARTNER], ...over,
});
const person = (name: string, over: Record<string, unknown> = {}) => ({ name, section: '地域支援課', job: '社会福祉士', ...over });

interface Reg { id: string; name: string; invitee: { id: string; code: string | null }; attended: boolean | null }
interface Tally { id: string; kind: string; code: string | null; registered: number; attended: number }

describe('支援者交流会・研修 (supporters’ meetings)', () => {
  let id: string;
  let version: number;
  let musashinoReg: string;

  test('the centre plans an exchange meeting; the invited municipalities’ hub and window staff get an alert', async () => {
    const invitable = await call(centre, 'GET', `${BASE}/invitees`);
    const partners = invitable.body.partners.map((p: { id: string }) => p.id);
    assert.ok(partners.includes(PARTNER), 'the profile’s partner groups');
    assert.ok(!partners.includes(orgId('support-net', TOKYO_CODE)), 'not the centre itself');
    assert.ok(invitable.body.municipalities.some((m: { code: string }) => m.code === MUSASHINO_CODE));
    const res = await call(centre, 'POST', BASE, meeting());
    assert.equal(res.status, 201, JSON.stringify(res.body));
    id = res.body.id;
    version = res.body.version;
    assert.equal(res.body.dateLabel, '令和8年7月15日（水）');
    assert.equal(res.body.deadlineLabel, '令和8年7月8日');
    assert.deepEqual([res.body.free, res.body.open], [3, true]);
    assert.deepEqual(res.body.invitees.map((i: Tally) => [i.kind, i.code ?? i.id]), [['municipality', MUSASHINO_CODE], ['municipality', HOSHINO_CODE], ['partner', PARTNER]]);
    const { rows } = await t.db.query<{ municipality_id: string; to_role: string; subject: string }>(
      "SELECT municipality_id, to_role, subject FROM message_outbox WHERE kind = 'supporter_meeting_invitation' AND entity_id = $1 ORDER BY municipality_id, to_role", [id]);
    assert.deepEqual(rows.filter((r) => r.municipality_id === MUSASHINO).map((r) => r.to_role), ['hub_coordinator', 'municipal_window']);
    assert.equal(rows.length, 4, 'Musashino and Hoshino, two roles each; a partner group registers by phone');
    assert.match(rows[0].subject, /支援者交流会のご案内.*令和8年7月15日/);
    const alerts = await call(musashinoHub, 'GET', '/api/alerts');
    assert.ok(alerts.body.items.some((a: { kind: string; entityId: string }) => a.kind === 'supporter_meeting_invitation' && a.entityId === id), 'in the hub’s お知らせ');
  });

  test('a meeting that is not valid answers 400 with the fields, in Japanese', async () => {
    const res = await call(centre, 'POST', BASE, meeting({ date: '2026-06-01', registrationDeadline: '2026-06-20', place: null, online: false, municipalityCodes: ['999999'], partnerIds: [] }));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body.fields.map((f: { field: string }) => f.field).sort(), ['date', 'municipalityCodes', 'place', 'registrationDeadline']);
    assert.ok(res.body.fields.some((f: { message: string }) => f.message === '会場を入力するか、オンライン開催にしてください。'));
    assert.equal((await call(centre, 'POST', BASE, meeting({ kind: 'party' }))).status, 400);
  });

  test('municipal staff see the meetings their municipality is invited to; others and other roles find nothing', async () => {
    const onlyHoshino = await call(centre, 'POST', BASE, meeting({ kind: 'training', title: '研修（星野町のみ）', municipalityCodes: [HOSHINO_CODE], partnerIds: [] }));
    assert.equal(onlyHoshino.status, 201);
    const mine = await call(musashinoHub, 'GET', BASE);
    assert.deepEqual(mine.body.items.map((m: { id: string }) => m.id), [id]);
    assert.equal(mine.body.items[0].free, 3);
    assert.equal((await call(musashinoHub, 'GET', `${BASE}/${onlyHoshino.body.id}`)).status, 404);
    assert.equal((await call(musashinoHub, 'POST', `${BASE}/${onlyHoshino.body.id}/registrations`, person('武蔵野 一郎'))).status, 404);
    assert.equal((await call(hoshinoWindow, 'GET', BASE)).body.items.length, 2);
    for (const h of [expert, musashinoStaff]) {
      assert.equal((await call(h, 'GET', BASE)).status, 404);
      assert.equal((await call(h, 'GET', `${BASE}/${id}`)).status, 404);
      assert.equal((await call(h, 'POST', `${BASE}/${id}/registrations`, person('X'))).status, 404);
    }
    assert.equal((await call(musashinoHub, 'POST', BASE, meeting())).status, 403);
    assert.equal((await call(expert, 'GET', `${BASE}/figures`)).status, 404);
  });

  test('municipal staff register a colleague of their municipality; they see only their own municipality’s registrations', async () => {
    const res = await call(musashinoHub, 'POST', `${BASE}/${id}/registrations`, person('武蔵野 花子', { email: 'hanako@example.jp' }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    musashinoReg = res.body.registrations[0].id;
    assert.equal((await call(hoshinoWindow, 'POST', `${BASE}/${id}/registrations`, person('星野 次郎'))).status, 201);
    const seen = await call(musashinoWindow, 'GET', `${BASE}/${id}`);
    assert.deepEqual(seen.body.registrations.map((r: Reg) => r.name), ['武蔵野 花子']);
    assert.deepEqual(seen.body.invitees.map((i: Tally) => [i.code, i.registered]), [[MUSASHINO_CODE, 1]]);
    assert.equal(seen.body.free, 1, 'free places count every registration');
    const all = await call(centre, 'GET', `${BASE}/${id}`);
    assert.deepEqual(all.body.registrations.map((r: Reg) => r.name).sort(), ['武蔵野 花子', '星野 次郎'].sort());
    assert.equal((await call(musashinoHub, 'POST', `${BASE}/${id}/registrations`, person('X', { inviteeId: HOSHINO }))).status, 400, 'not for another municipality');
    assert.equal((await call(hoshinoWindow, 'DELETE', `${BASE}/registrations/${musashinoReg}`)).status, 404, 'nor cancel another municipality’s');
    const { rows } = await t.db.query("SELECT 1 FROM audit_event WHERE action = 'supporter_meeting.register' AND entity_id = $1", [musashinoReg]);
    assert.ok(rows.length >= 1, 'audited');
  });

  test('the same person twice is refused with a clear 409', async () => {
    const again = await call(musashinoWindow, 'POST', `${BASE}/${id}/registrations`, person('武蔵野　花子'));
    assert.equal(again.status, 409);
    assert.equal(again.body.error, 'この方はすでにこの会に申し込まれています。');
  });

  test('two registrations for the last place at once: one succeeds, the other is told the meeting is full', async () => {
    const both = await Promise.all([
      call(musashinoHub, 'POST', `${BASE}/${id}/registrations`, person('同時 一')),
      call(hoshinoWindow, 'POST', `${BASE}/${id}/registrations`, person('同時 二')),
    ]);
    assert.deepEqual(both.map((r) => r.status).sort(), [201, 409]);
    const refused = both.find((r) => r.status === 409)!;
    assert.equal(refused.body.error, 'この会は定員に達しました（最後の席は先に申し込まれました）。申込みはできません。');
    const m = (await call(centre, 'GET', `${BASE}/${id}`)).body;
    assert.deepEqual([m.registered, m.free, m.open], [3, 0, false]);
    // a cancellation frees the place
    const winner = m.registrations.find((r: Reg) => r.name.startsWith('同時'));
    const by = winner.invitee.id === MUSASHINO ? musashinoHub : hoshinoWindow;
    assert.equal((await call(by, 'DELETE', `${BASE}/registrations/${winner.id}`)).body.free, 1);
  });

  test('the centre edits until the day: a stale version answers 409; the capacity stays at least the registrations', async () => {
    const stale = await call(centre, 'PATCH', `${BASE}/${id}`, { capacity: 10, version: version + 5 });
    assert.equal(stale.status, 409);
    const small = await call(centre, 'PATCH', `${BASE}/${id}`, { capacity: 1, version });
    assert.equal(small.status, 400);
    assert.equal(small.body.fields[0].field, 'capacity');
    const dropping = await call(centre, 'PATCH', `${BASE}/${id}`, { municipalityCodes: [HOSHINO_CODE], version });
    assert.equal(dropping.status, 400, 'Musashino has a registration');
    const ok = await call(centre, 'PATCH', `${BASE}/${id}`, { capacity: 4, place: '都庁第二本庁舎 会議室', version });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual([ok.body.capacity, ok.body.free, ok.body.place, ok.body.version], [4, 2, '都庁第二本庁舎 会議室', version + 1]);
    version = ok.body.version;
  });

  test('the centre records a partner group’s registration on its behalf', async () => {
    const res = await call(centre, 'POST', `${BASE}/${id}/registrations`, { name: '家族会 三郎', job: '相談員', inviteeId: PARTNER });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.invitees.find((i: Tally) => i.id === PARTNER).registered, 1);
    assert.equal((await call(centre, 'POST', `${BASE}/${id}/registrations`, { name: 'X' })).status, 400, 'the centre names the invitee');
  });

  test('after the deadline municipal staff can no longer register', async () => {
    clock.set(new Date('2026-07-09T01:00:00Z'));
    await signInAgain();
    const late = await call(musashinoHub, 'POST', `${BASE}/${id}/registrations`, person('遅刻 四郎'));
    assert.equal(late.status, 409);
    assert.equal(late.body.error, '申込期限（令和8年7月8日）を過ぎたため、申込みはできません。');
    assert.equal((await call(musashinoHub, 'GET', BASE)).body.items[0].open, false);
  });

  test('attendance is marked on or after the day, walk-ins added; the meeting shows per municipality and partner group', async () => {
    assert.equal((await call(centre, 'PUT', `${BASE}/registrations/${musashinoReg}/attendance`, { attended: true })).status, 400, 'not before the day');
    clock.set(new Date('2026-07-15T08:00:00Z'));
    await signInAgain();
    let m = (await call(centre, 'PUT', `${BASE}/registrations/${musashinoReg}/attendance`, { attended: true })).body;
    const hoshinoReg = m.registrations.find((r: Reg) => r.name === '星野 次郎');
    m = (await call(centre, 'PUT', `${BASE}/registrations/${hoshinoReg.id}/attendance`, { attended: false })).body;
    const walkIn = await call(centre, 'POST', `${BASE}/${id}/registrations`, { name: '当日 五郎', inviteeId: HOSHINO, walkIn: true });
    assert.equal(walkIn.status, 201, JSON.stringify(walkIn.body));
    m = walkIn.body;
    const tally = Object.fromEntries(m.invitees.map((i: Tally) => [i.code ?? i.id, [i.registered, i.attended]]));
    assert.deepEqual(tally, { [MUSASHINO_CODE]: [1, 1], [HOSHINO_CODE]: [1, 1], [PARTNER]: [1, 0] });
    assert.equal((await call(musashinoHub, 'POST', `${BASE}/${id}/registrations`, person('X', { walkIn: true }))).status, 400, 'walk-ins are the centre’s');
    assert.equal((await call(musashinoHub, 'PUT', `${BASE}/registrations/${musashinoReg}/attendance`, { attended: false })).status, 403);
    clock.set(new Date('2026-07-16T01:00:00Z'));
    await signInAgain();
    assert.equal((await call(centre, 'PATCH', `${BASE}/${id}`, { title: '変更', version })).status, 409, 'not once held');
  });

  test('a cancelled meeting tells the invited municipalities why, and the centre whom of the partner groups to call', async () => {
    const m = await call(centre, 'POST', BASE, meeting({ date: '2026-09-01', registrationDeadline: '2026-08-25', title: '中止になる会' }));
    await call(musashinoHub, 'POST', `${BASE}/${m.body.id}/registrations`, person('武蔵野 花子'));
    await call(centre, 'POST', `${BASE}/${m.body.id}/registrations`, { name: '家族会 三郎', inviteeId: PARTNER });
    assert.equal((await call(centre, 'POST', `${BASE}/${m.body.id}/cancel`, { reason: ' ' })).status, 400);
    const res = await call(centre, 'POST', `${BASE}/${m.body.id}/cancel`, { reason: '台風の接近のため' });
    assert.equal(res.status, 200);
    assert.equal(res.body.cancelled.reason, '台風の接近のため');
    const { rows } = await t.db.query<{ municipality_id: string; body: string }>(
      "SELECT municipality_id, body FROM message_outbox WHERE kind IN ('supporter_meeting_cancelled', 'supporter_meeting_partners_to_tell') AND entity_id = $1 ORDER BY municipality_id, to_role", [m.body.id]);
    const musashino = rows.find((r) => r.municipality_id === MUSASHINO)!;
    assert.match(musashino.body, /台風の接近のため/);
    assert.match(musashino.body, /申込み1名/);
    assert.match(rows.find((r) => r.municipality_id === municipalityId(TOKYO_CODE))!.body, /家族会 三郎/);
    assert.equal((await call(musashinoHub, 'POST', `${BASE}/${m.body.id}/registrations`, person('新規 六郎'))).status, 409);
  });

  test('figures per fiscal year and municipality, by kind: 31 March is the old year, 1 April the new', async () => {
    const last = await call(centre, 'POST', BASE, meeting({ kind: 'training', title: '年度末研修', date: '2027-03-31', registrationDeadline: '2027-03-24', municipalityCodes: [MUSASHINO_CODE], partnerIds: [] }));
    const first = await call(centre, 'POST', BASE, meeting({ kind: 'training', title: '年度初め研修', date: '2027-04-01', registrationDeadline: '2027-03-25', municipalityCodes: [MUSASHINO_CODE], partnerIds: [] }));
    await call(musashinoHub, 'POST', `${BASE}/${last.body.id}/registrations`, person('武蔵野 花子'));
    await call(musashinoHub, 'POST', `${BASE}/${first.body.id}/registrations`, person('武蔵野 花子'));
    const fy2026 = (await call(centre, 'GET', `${BASE}/figures?fiscalYear=2026`)).body;
    assert.equal(fy2026.label, '令和8年度');
    const row = (f: { rows: { invitee: { code: string | null; id: string } }[] }, key: string) => f.rows.find((r) => (r.invitee.code ?? r.invitee.id) === key) as unknown as Record<string, unknown>;
    assert.deepEqual(row(fy2026, MUSASHINO_CODE).exchange, { invited: 1, registered: 1, attended: 1 }, 'the cancelled meeting is not counted');
    assert.deepEqual(row(fy2026, MUSASHINO_CODE).training, { invited: 1, registered: 1, attended: 0 });
    assert.deepEqual(row(fy2026, HOSHINO_CODE).training, { invited: 1, registered: 0, attended: 0 }, 'the meeting only Hoshino was invited to');
    assert.deepEqual(row(fy2026, HOSHINO_CODE).exchange, { invited: 1, registered: 1, attended: 1 }, 'the walk-in attended; the absent registrant counts as registered');
    assert.deepEqual(row(fy2026, PARTNER).total, { invited: 1, registered: 1, attended: 0 });
    const fy2027 = (await call(centre, 'GET', `${BASE}/figures?fiscalYear=2027`)).body;
    assert.deepEqual(row(fy2027, MUSASHINO_CODE).training, { invited: 1, registered: 1, attended: 0 });
    assert.deepEqual(row(fy2027, MUSASHINO_CODE).exchange, { invited: 0, registered: 0, attended: 0 });
    // the same figures as files, through the figures module's exporters
    const csv = await app.inject({ url: `${BASE}/figures/export?fiscalYear=2026&format=csv`, headers: centre });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-disposition']), /supporter-meetings-FY2026\.csv/);
    assert.match(csv.body, /令和8年度,2026,2026-04-01,2027-03-31,区市町村・連携団体別,武蔵野市,研修_招待,1/);
    const xlsx = await app.inject({ url: `${BASE}/figures/export?fiscalYear=2026&format=xlsx`, headers: centre });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('区市町村・連携団体別')!;
    const musashino = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(5).value === '武蔵野市')!;
    assert.deepEqual((musashino.values as unknown[]).slice(7, 16), [1, 1, 1, 1, 1, 0, 2, 2, 1]);
    assert.equal((await app.inject({ url: `${BASE}/figures/export?fiscalYear=2026&format=csv`, headers: expert })).statusCode, 404);
    // municipal staff see their own municipality's row only
    const own = (await call(musashinoHub, 'GET', `${BASE}/figures?fiscalYear=2026`)).body;
    assert.deepEqual(own.rows.map((r: { invitee: { code: string } }) => r.invitee.code), [MUSASHINO_CODE]);
    assert.deepEqual(own.rows[0].training, row(fy2026, MUSASHINO_CODE).training);
  });

  test('no resident data: the meetings’ tables refer to no person or case; the registrants’ file is in the 個人情報ファイル簿, every column under an item', async () => {
    const tables = await tablesAboutPersons(t.db);
    assert.deepEqual(tables.filter((x) => x.startsWith('supporter_meeting')), []);
    const file = FILES.find((f) => f.key === 'supporter_meetings')!;
    const { rows } = await t.db.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name LIKE 'supporter\\_meeting%'");
    assert.equal(new Set(rows.map((r) => r.table_name)).size, 3);
    assert.deepEqual(rows.filter((c) => !file.columns[c.table_name]?.[c.column_name]).map((c) => `${c.table_name}.${c.column_name}`), []);
    for (const cols of Object.values(file.columns)) for (const item of Object.values(cols)) assert.ok(file.items.some((i) => i.key === item), item);
  });
});
