import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { buildTestApp, buildUser, importHoshino, importMusashino, importTokyoPrefecture, MUSASHINO_CODE, orgId, signInAs, TOKYO_CODE } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { warekiDate } from '../../lib/fiscal.ts';

/**
 * The centre never receives a person's identity (issue #12, Done means).
 * Cases are generated — persons and household members with names, kana,
 * addresses, phones, schools and birth dates — and recorded in a municipality,
 * submitted to the expert team and answered; then every GET route of the app
 * is requested as each prefecture-side user. No generated identity may appear
 * in any answer, in full-width or half-width, with or without spaces.
 */

/**
 * Extension point for features whose records carry identity to the centre
 * with the person's consent (home-visit applications, consultation-day
 * bookings). Each entry names the GET routes that may show identity fields,
 * which fields, and whether the generated person consented to them; the test
 * then allows those fields on those routes for consenting persons only, and
 * asserts they do appear there. `record` creates the feature's record for a
 * generated case (with `consented` deciding what the consent covers).
 */
export interface ConsentedDisclosure {
  feature: string;
  routes: RegExp;
  fields: IdentityKind[];
  record: (ctx: { app: App; hub: H; centre: H; caseId: string; person: GeneratedPerson; consented: boolean }) => Promise<void>;
}
export const CONSENTED_DISCLOSURES: ConsentedDisclosure[] = [];

type H = Record<string, string>;
type IdentityKind = 'name' | 'kana' | 'address' | 'phone' | 'school' | 'birthDate';
interface GeneratedPerson { name: string; nameKana: string; address: string; phone: string; school: string; birthDate: string }

const clock = new FakeClock('2026-06-10T01:00:00Z');
let t: TestDb;
let app: App;
let hub: H;
let centre: H;
let expert: H;
let conferenceId: string;

// names unlike any word the app itself writes, so a hit is a leak and not a coincidence
const FAMILY = [['鬼瓦', 'おにがわら'], ['轟', 'とどろき'], ['百目鬼', 'どうめき'], ['薬袋', 'みない'], ['勘解由小路', 'かでのこうじ'], ['東海林', 'しょうじ'], ['小鳥遊', 'たかなし']] as const;
const GIVEN = [['蓮之介', 'れんのすけ'], ['紬希', 'つむぎ'], ['瑠璃子', 'るりこ'], ['兵衛門', 'ひょうえもん'], ['煌', 'きらめき'], ['雫玖', 'しずく']] as const;
const TOWNS = ['鵺塚町', '狢ヶ丘', '蛍火台', '霞浦通'];
const SCHOOLS = ['鵺塚中学校', '狢ヶ丘高等学校', '蛍火台小学校', '霞浦学園'];

const personArb: fc.Arbitrary<GeneratedPerson> = fc.record({
  family: fc.constantFrom(...FAMILY), given: fc.constantFrom(...GIVEN), town: fc.constantFrom(...TOWNS), school: fc.constantFrom(...SCHOOLS),
  block: fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 39 }), fc.integer({ min: 2, max: 29 })),
  phone: fc.tuple(fc.constantFrom('090', '080', '070'), fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1000, max: 9999 })),
  birth: fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2008-12-31T00:00:00Z'), noInvalidDate: true }),
  spaced: fc.boolean(),
}).map(({ family, given, town, school, block, phone, birth, spaced }) => ({
  name: `${family[0]}${spaced ? '　' : ' '}${given[0]}`,
  nameKana: `${family[1]} ${given[1]}`,
  address: `東京都武蔵野市${town}${block[0]}丁目${block[1]}番${block[2]}号`,
  phone: phone.join('-'),
  school,
  birthDate: birth.toISOString().slice(0, 10),
}));

const toKatakana = (s: string) => s.replace(/[\u3041-\u3096]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x60));
const toFullWidth = (s: string) => s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).replace(/ /g, '\u3000');
const HALF_KANA: Record<string, string> = Object.fromEntries(
  [...'ｦｧｨｩｪｫｬｭｮｯｰｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜﾝ'].map((h) => [h.normalize('NFKC'), h]),
);
/** Katakana in half-width, with voiced marks as separate characters (ガ → ｶﾞ). */
const toHalfKana = (s: string) =>
  [...toKatakana(s).normalize('NFD')].map((c) => (c === '\u3099' ? 'ﾞ' : c === '\u309A' ? 'ﾟ' : HALF_KANA[c] ?? c)).join('');

/** Every form a value might take in an answer: as written, full-width, half-width, kana either way, with and without spaces. */
function forms(kind: IdentityKind, value: string): string[] {
  const base = kind === 'birthDate'
    ? [value, value.replace(/-/g, '/'), value.replace(/-/g, ''), value.replace(/-0?/g, '/'), warekiDate(value), value.replace(/^(\d+)-0?(\d+)-0?(\d+)$/, '$1年$2月$3日')]
    : [value];
  const out = new Set<string>();
  for (const b of base)
    for (const v of [b, b.normalize('NFKC'), toFullWidth(b), toKatakana(b), toHalfKana(b)])
      for (const w of [v, v.replace(/[\s\u3000]+/g, ''), v.replace(/-/g, '')]) if ([...w].length >= 2) out.add(w);
  // a name's parts alone identify as well
  if (kind === 'name' || kind === 'kana')
    for (const part of value.split(/[\s\u3000]+/)) for (const v of [part, toKatakana(part), toHalfKana(part)]) if ([...v].length >= 2) out.add(v);
  return [...out];
}

const call = async (headers: H, method: 'GET' | 'POST', url: string, payload?: unknown) => {
  const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, body: res.body };
};
const ok = async (headers: H, method: 'POST', url: string, payload: unknown) => {
  const res = await call(headers, method, url, payload);
  assert.ok(res.status < 300, `${method} ${url}: ${res.status} ${res.body}`);
  return JSON.parse(res.body);
};

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  await importHoshino(t.db);
  await importTokyoPrefecture(t.db);
  app = await buildTestApp(t.db, { clock });
  const user = async (org: string, role: 'prefecture_staff' | 'hub_coordinator' | 'expert_member', code: string) => {
    const u = await buildUser(t.db, { org, role, code, clock });
    return { headers: (await signInAs(app, u.login, undefined, clock)).headers, id: u.id };
  };
  hub = (await user('welfare-desk', 'hub_coordinator', MUSASHINO_CODE)).headers;
  const c = await user('support-net', 'prefecture_staff', TOKYO_CODE);
  centre = c.headers;
  const e = await user('support-net', 'expert_member', TOKYO_CODE);
  expert = e.headers;
  conferenceId = (await ok(centre, 'POST', '/api/prefecture/expert-conferences', { heldOn: '2026-07-01', title: '事例検討会', seats: [{ seat: 'psychology', userId: e.id }] })).id;
  // a network-building visit of the centre, so its routes answer with a record
  await ok(centre, 'POST', '/api/prefecture/visits/import', {
    text: ['【武蔵野市】', '■実施日時：令和8年6月3日 14:00～16:00', '■参加部署：福祉総合相談窓口', '■実施内容：取組状況の共有・情報交換',
      '○ひきこもりサポートネットからの情報提供・事例紹介・提案等', '・その他', '⇒多職種専門チームの活用を提案。'].join('\n'),
  });
});
after(async () => {
  await app?.close();
  await t?.close();
});

/** A case with the person and household, a consultation and a contact record naming them, submitted to the expert team and answered. */
async function recordCase(person: GeneratedPerson, members: GeneratedPerson[]) {
  const consultation = await ok(hub, 'POST', '/api/consultations', {
    receivedAt: '2026-06-09T01:00:00Z', channel: 'phone', consulterRelation: 'family', issueTags: ['hikikomori'], urgency: 'normal',
    summary: `${person.name}さん（${person.school}）の母から。電話 ${person.phone}`,
  });
  const kase = await ok(hub, 'POST', '/api/cases', {
    person: { name: person.name, nameKana: person.nameKana, birthDate: person.birthDate, address: person.address, phone: person.phone },
    consultationIds: [consultation.id], leadOrganizationId: orgId('welfare-desk'),
    household: { members: members.map((m, i) => ({ person: { name: m.name, nameKana: m.nameKana, birthDate: m.birthDate, address: m.address, phone: m.phone }, relation: i ? '兄弟姉妹' : '母' })) },
  });
  await ok(hub, 'POST', `/api/cases/${kase.id}/contact-records`, {
    occurredAt: '2026-06-09T02:00:00Z', kind: 'phone', notes: `${person.name}（${person.nameKana}）は${person.school}を中退。${members.map((m) => m.name).join('、')}と同居。`,
  });
  const submission = await ok(hub, 'POST', '/api/prefecture/expert-submissions', {
    conferenceId, caseId: kase.id, background: '本人は中学校を中退後、自宅に閉じこもっている。', questions: ['家族への助言は？'],
  });
  await ok(expert, 'POST', `/api/prefecture/expert-submissions/${submission.id}/advice`, { answers: [{ questionSeq: 1, text: '家族の休息を優先する。' }] });
  return { caseId: kase.id as string, personId: kase.person.id as string, consultationId: consultation.id as string, submissionId: submission.id as string };
}

/** Every GET route under /api/ with its path parameters filled from what exists. */
async function getUrls(ids: { caseId: string; personId: string; consultationId: string; submissionId: string }): Promise<string[]> {
  const visits = JSON.parse((await call(centre, 'GET', '/api/prefecture/visits')).body).items as { id: string }[];
  const byPrefix: [string, string][] = [
    ['/api/prefecture/visits/', visits[0].id], ['/api/prefecture/expert-conferences/', conferenceId], ['/api/prefecture/expert-submissions/', ids.submissionId],
    ['/api/persons/', ids.personId], ['/api/consultations/', ids.consultationId],
  ];
  const byName: Record<string, string> = { personId: ids.personId, months: '6', code: MUSASHINO_CODE, token: 'x' };
  const urls = new Set<string>();
  for (const r of app.registeredRoutes) {
    const methods = Array.isArray(r.method) ? r.method : [r.method];
    if (!methods.includes('GET') || !r.url.startsWith('/api/') || r.url.includes('*')) continue;
    const idFor = byPrefix.find(([p]) => r.url.startsWith(p))?.[1] ?? ids.caseId;
    urls.add(r.url.replace(/:(\w+)/g, (_, name: string) => (name === 'id' ? idFor : byName[name] ?? ids.caseId)));
  }
  // routes that answer more with their query filled
  urls.add(`/api/prefecture/visits/draft?municipality=${MUSASHINO_CODE}`);
  urls.add(`/api/prefecture/expert-submissions?conferenceId=${conferenceId}`);
  urls.add(`/api/prefecture/proposals?municipality=${MUSASHINO_CODE}`);
  return [...urls];
}

describe('the centre never receives identity', () => {
  test('no generated name, kana, address, phone, school or birth date reaches a prefecture-side user on any GET route', async () => {
    const viewers: [string, H][] = [['prefecture_staff', centre], ['expert_member', expert]];
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(personArb, fc.array(personArb, { minLength: 1, maxLength: 3 }), fc.boolean(), async (person, members, consented) => {
        const ids = await recordCase(person, members);
        for (const d of CONSENTED_DISCLOSURES) await d.record({ app, hub, centre, caseId: ids.caseId, person, consented });
        const needles = [person, ...members].flatMap((p) =>
          (['name', 'kana', 'address', 'phone', 'school', 'birthDate'] as const).flatMap((kind) =>
            forms(kind, { name: p.name, kana: p.nameKana, address: p.address, phone: p.phone, school: p.school, birthDate: p.birthDate }[kind]).map((form) => ({ kind, form, own: p === person }))));
        for (const url of await getUrls(ids))
          for (const [who, headers] of viewers) {
            const res = await call(headers, 'GET', url);
            assert.ok(res.status < 500, `${url} as ${who}: ${res.status} ${res.body}`);
            if (res.status === 200) reached++;
            const allowed = CONSENTED_DISCLOSURES.filter((d) => consented && d.routes.test(url));
            for (const n of needles) {
              const consentedHere = n.own && allowed.some((d) => d.fields.includes(n.kind));
              if (!consentedHere) assert.ok(!res.body.includes(n.form), `${url} as ${who} showed a ${n.kind} (${n.form})`);
            }
            for (const d of allowed)
              if (res.status === 200)
                for (const kind of d.fields)
                  assert.ok(needles.some((n) => n.own && n.kind === kind && res.body.includes(n.form)), `${url}: the consented ${kind} of ${d.feature} is missing`);
          }
      }),
      { numRuns: 6, seed: 20260610 },
    );
    // the routes were reached for real, not only refused
    assert.ok(reached > 20, `only ${reached} answers were 200`);
  });

  test('the forms checked include the full-width, half-width and unspaced ones', () => {
    const f = forms('kana', 'おにがわら れんのすけ');
    for (const expected of ['おにがわられんのすけ', 'オニガワラ　レンノスケ'.replace('　', ' '), 'ｵﾆｶﾞﾜﾗ ﾚﾝﾉｽｹ', 'ｵﾆｶﾞﾜﾗﾚﾝﾉｽｹ', 'おにがわら']) assert.ok(f.includes(expected), expected);
    assert.ok(forms('phone', '090-1234-5678').includes('０９０－１２３４－５６７８'));
    assert.ok(forms('phone', '090-1234-5678').includes('09012345678'));
    assert.ok(forms('birthDate', '2001-04-02').includes('平成13年4月2日'));
  });
});
