import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { TestDb } from '../../../test/helpers/db.ts';
import { MUSASHINO_CODE, orgId, prefectureWorld, TOKYO_CODE } from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { FakeClock } from '../../lib/clock.ts';
import { addDays, warekiDate } from '../../lib/fiscal.ts';

/**
 * The centre never receives a person's identity (issue #12, Done means).
 * Cases are generated — persons and household members with names, kana,
 * addresses, phones, schools and birth dates — and recorded in a municipality,
 * submitted to the expert team and answered; then every GET route of the app
 * is requested as each prefecture-side user. No generated identity may appear
 * in any answer, in full-width or half-width, with or without spaces.
 */

/**
 * Records that carry identity to the centre with the person's consent
 * (home-visit applications, consultation-day bookings). For each generated
 * person the test generates what the consent covers (any subset of the
 * feature's consent fields), records the feature's record through the API,
 * and then allows exactly the consented fields' values — on the feature's
 * routes only — and asserts that they do appear there. Everything else of the
 * person (and everything of the household) stays forbidden everywhere,
 * including the fields the consent leaves out.
 */
export interface ConsentedDisclosure {
  feature: string;
  consentFields: readonly string[];
  /** Takes earlier runs' records out of the centre's view: generated persons of different runs may share a family or given name. */
  reset: (db: TestDb['db']) => Promise<void>;
  record: (ctx: { app: App; hub: H; centre: H; caseId: string; person: GeneratedPerson; consent: string[]; run: number }) => Promise<{
    /** the GET routes that may show the consented fields */
    routes: RegExp;
    /** where the consented fields must appear (as the centre) */
    urls: string[];
    /** path prefixes whose :id is this record (for the sweep over every GET route) */
    ids: [string, string][];
    /** what each consent field would show of the person */
    shows: { field: string; kind: IdentityKind; value: string }[];
  }>;
}

const givenName = (p: GeneratedPerson) => p.name.split(/[\s\u3000]+/)[1];

export const CONSENTED_DISCLOSURES: ConsentedDisclosure[] = [
  {
    feature: 'home-visit application (訪問相談)',
    consentFields: ['name', 'age', 'contact', 'situation'],
    reset: async (db) => {
      await db.query('DELETE FROM home_visit');
      await db.query('DELETE FROM home_visit_application');
    },
    record: async ({ hub, centre, caseId, person, consent }) => {
      // from the case: the window's name and contact come from the person record
      const a = await ok(hub, 'POST', '/api/prefecture/home-visit-applications', {
        caseId, age: 24, situation: '半年以上外出していない。母が相談。', pastCompulsorySchooling: true, livesInMunicipality: true, monthsWithdrawn: 18,
        consent: { by: 'family', relation: '母', on: '2026-06-08', method: 'in_person', fields: consent },
      });
      assert.equal(a.status, 'passed');
      await ok(centre, 'POST', `/api/prefecture/home-visit-applications/centre/${a.id}/accept`, {});
      await ok(centre, 'POST', `/api/prefecture/home-visit-applications/centre/${a.id}/visits`, {
        visitedOn: '2026-06-09', visitors: ['相談員A'], place: '自宅', met: '母', whatHappened: '母と面談した。',
      });
      return {
        routes: /^\/api\/prefecture\/home-visit-applications\/centre(\/|\?|$)/,
        urls: ['/api/prefecture/home-visit-applications/centre', `/api/prefecture/home-visit-applications/centre/${a.id}`],
        ids: [['/api/prefecture/home-visit-applications/', a.id]],
        shows: [{ field: 'name', kind: 'name', value: person.name }, { field: 'contact', kind: 'phone', value: person.phone }],
      };
    },
  },
  {
    feature: 'consultation-day booking (巡回相談)',
    consentFields: ['nickname', 'who', 'contact'],
    reset: async (db) => { await db.query('UPDATE consultation_day_booking SET cancelled_at = updated_at WHERE cancelled_at IS NULL'); },
    record: async ({ hub, centre, person, consent, run }) => {
      const day = await ok(centre, 'POST', '/api/prefecture/consultation-days', { municipalityCode: MUSASHINO_CODE, date: addDays('2026-07-01', run), staff: ['相談員A'], confirmMoreDays: true });
      // a nickname is enough: the window writes the given name, and the phone for the reminder
      await ok(hub, 'POST', '/api/prefecture/consultation-days/bookings', {
        sessionId: day.sessions[0].id, who: 'family', nickname: `${givenName(person)}さん`, phone: person.phone, consentScope: consent,
      });
      return {
        routes: /^\/api\/prefecture\/consultation-days\/[0-9a-f-]{36}$/,
        urls: [`/api/prefecture/consultation-days/${day.id}`],
        ids: [['/api/prefecture/consultation-days/', day.id]],
        shows: [{ field: 'nickname', kind: 'name', value: givenName(person) }, { field: 'contact', kind: 'phone', value: person.phone }],
      };
    },
  },
];

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
  const world = await prefectureWorld(clock, { signInClock: clock });
  ({ t, app } = world);
  const { user } = world;
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
async function getUrls(ids: { caseId: string; personId: string; consultationId: string; submissionId: string }, recorded: [string, string][]): Promise<string[]> {
  const visits = JSON.parse((await call(centre, 'GET', '/api/prefecture/visits')).body).items as { id: string }[];
  const byPrefix: [string, string][] = [
    ['/api/prefecture/visits/', visits[0].id], ['/api/prefecture/expert-conferences/', conferenceId], ['/api/prefecture/expert-submissions/', ids.submissionId],
    ['/api/persons/', ids.personId], ['/api/consultations/', ids.consultationId], ...recorded,
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
    let run = 0;
    const consentArb = fc.tuple(...CONSENTED_DISCLOSURES.map((d) => fc.subarray([...d.consentFields])));
    let consentedSeen = 0;
    let withheldSeen = 0;
    await fc.assert(
      fc.asyncProperty(personArb, fc.array(personArb, { minLength: 1, maxLength: 3 }), consentArb, async (person, members, consents) => {
        run++;
        for (const d of CONSENTED_DISCLOSURES) await d.reset(t.db);
        const ids = await recordCase(person, members);
        const records: (Awaited<ReturnType<ConsentedDisclosure['record']>> & { d: ConsentedDisclosure; consent: string[] })[] = [];
        for (const [i, d] of CONSENTED_DISCLOSURES.entries())
          records.push({ d, consent: consents[i], ...(await d.record({ app, hub, centre, caseId: ids.caseId, person, consent: consents[i], run })) });
        const needles = [person, ...members].flatMap((p) =>
          (['name', 'kana', 'address', 'phone', 'school', 'birthDate'] as const).flatMap((kind) =>
            forms(kind, { name: p.name, kana: p.nameKana, address: p.address, phone: p.phone, school: p.school, birthDate: p.birthDate }[kind]).map((form) => ({ kind, form, own: p === person }))));
        // the forms each route may show: the values of the fields this person's consent covers, on that feature's routes
        const allowedOn = (url: string) => new Set(records.filter((r) => r.routes.test(url)).flatMap((r) =>
          r.shows.filter((s) => r.consent.includes(s.field)).flatMap((s) => forms(s.kind, s.value))));
        for (const url of await getUrls(ids, records.flatMap((r) => r.ids)))
          for (const [who, headers] of viewers) {
            const res = await call(headers, 'GET', url);
            assert.ok(res.status < 500, `${url} as ${who}: ${res.status} ${res.body}`);
            if (res.status === 200) reached++;
            const allowed = allowedOn(url);
            // by form: a household member who shares the person's phone shares the consented string, not more
            for (const n of needles)
              if (!allowed.has(n.form)) assert.ok(!res.body.includes(n.form), `${url} as ${who} showed a ${n.kind} (${n.form})`);
          }
        // and what the consent covers does reach the centre, on each of the feature's pages
        for (const r of records)
          for (const url of r.urls) {
            const res = await call(centre, 'GET', url);
            assert.equal(res.status, 200, `${url}: ${res.body}`);
            for (const s of r.shows) {
              if (r.consent.includes(s.field)) {
                consentedSeen++;
                assert.ok(res.body.includes(s.value), `${url}: the consented ${s.field} of ${r.d.feature} is missing`);
              } else {
                withheldSeen++;
                assert.ok(!res.body.includes(s.value), `${url}: the ${s.field} of ${r.d.feature} appears without consent`);
              }
            }
          }
      }),
      { numRuns: 8, seed: 20260610 },
    );
    assert.ok(consentedSeen > 0 && withheldSeen > 0, `the runs covered consented (${consentedSeen}) and withheld (${withheldSeen}) fields`);
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
