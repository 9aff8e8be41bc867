import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import { importMusashino, MUSASHINO_ID } from '../../../test/helpers/factories.ts';
import { getNetwork, getOrganization, type NetworkOverview } from './service.ts';

// Every fact the seed (../shared/seed/000_e17e9defb8f9bbb5.txt) states about
// Musashino's network, read back out of the imported database.

let t: TestDb;
let net: NetworkOverview;
before(async () => {
  t = await createTestDb();
  await importMusashino(t.db);
  net = await getNetwork(t.db, MUSASHINO_ID);
});
after(() => t.close());

const org = (name: string) => {
  const o = net.organizations.find((x) => x.name === name);
  assert.ok(o, `organization ${name} exists`);
  return o;
};
const program = (name: string) => {
  const p = net.programs.find((x) => x.name === name);
  assert.ok(p, `program ${name} exists`);
  return p;
};
const series = (name: string) => {
  const s = net.meetingSeries.find((x) => x.name === name);
  assert.ok(s, `meeting series ${name} exists`);
  return s;
};
const names = (refs: { name: string }[]) => refs.map((r) => r.name).sort();

describe("Musashino's network as the seed describes it", () => {
  test('the municipality is Musashino City, code 132039, in Tokyo', () => {
    assert.equal(net.municipality.code, '132039');
    assert.equal(net.municipality.name, '武蔵野市');
    assert.equal(net.municipality.prefecture, '東京都');
  });

  test('the hub is the 福祉総合相談窓口 of 生活福祉課生活相談係, opened 2021-04 with 3 staff, focused on people in their 50s and 60s', () => {
    const desk = org('福祉総合相談窓口');
    assert.equal(desk.hub, true);
    assert.equal(net.organizations.filter((o) => o.hub).length, 1);
    assert.equal(desk.staffCount, 3);
    assert.equal(desk.openedOn, '2021-04');
    assert.match(desk.focus ?? '', /50代・60代/);
    assert.match(desk.description ?? '', /複合的な課題/);
    const unit = net.organizations.find((o) => o.id === desk.parentId);
    assert.equal(unit?.name, '生活相談係');
    assert.equal(net.organizations.find((o) => o.id === unit?.parentId)?.name, '生活福祉課');
  });

  const rows: [string, string, boolean, RegExp?][] = [
    ['地域支援課', 'internal_section', true, /民生委員/],
    ['障害者福祉課', 'internal_section', true],
    ['健康課', 'internal_section', true, /健康なんでも相談/],
    ['保健センター', 'internal_section', true],
    ['児童青少年課', 'internal_section', true, /みらいる/],
    ['子ども家庭支援センター', 'internal_section', true],
    ['スクールソーシャルワーカー（SSW）', 'school_side', true],
    ['住宅対策課', 'internal_section', true],
    ['生活困窮者自立相談支援機関', 'support_agency', true],
    ['基幹型地域包括支援センター', 'community_centre', true, /統括/],
    ['多摩府中保健所', 'public_health_centre', false, /保健師/],
    ['文化学習協同ネットワーク', 'commissioned_npo', false],
    ['それいゆ', 'commissioned_npo', false],
    ['クレスコーレ', 'school_side', false],
    ['みらいる', 'commissioned_npo', false],
    ['社会福祉協議会', 'social_welfare_council', false],
    ['居宅介護支援事業所', 'care_service', false],
    ['医療機関', 'medical', false],
    ['民生委員・児童委員', 'welfare_commissioners', false, /地域支援課/],
    ['東京都ひきこもりサポートネット', 'prefecture', false],
  ];
  for (const [name, kind, internal, describes] of rows) {
    test(`${name} is a ${internal ? '庁内' : '庁外'} ${kind}`, () => {
      const o = org(name);
      assert.equal(o.kind, kind);
      assert.equal(o.internal, internal);
      if (describes) assert.match(o.description ?? '', describes);
    });
  }

  test('the core 地域包括支援センター in city hall oversees six area centres, one per area, whose names the seed does not give', () => {
    const core = org('基幹型地域包括支援センター');
    const areaCentres = net.organizations.filter((o) => o.parentId === core.id);
    assert.equal(areaCentres.length, 6);
    assert.equal(net.areas.length, 6);
    assert.ok(net.areas.every((a) => a.named === false && a.notes.length > 0));
    assert.deepEqual(new Set(areaCentres.flatMap((c) => c.areaIds)), new Set(net.areas.map((a) => a.id)));
  });

  test('the public health centre gives phone, interview and home-visit consultations and mental-health services, not only for hikikomori', () => {
    const phc = org('多摩府中保健所');
    assert.match(phc.focus ?? '', /ひきこもりに限らず/);
    const owned = net.programs.filter((p) => p.owners.some((o) => o.id === phc.id));
    assert.deepEqual(owned.find((p) => p.name.includes('個別相談'))?.channels.sort(), ['home_visit', 'phone', 'visit']);
    assert.ok(owned.some((p) => p.name.includes('精神保健医療相談') && p.name.includes('専門グループ')));
  });

  test('the health section runs the phone line 健康なんでも相談', () => {
    const p = program('健康なんでも相談');
    assert.deepEqual(names(p.owners), ['健康課']);
    assert.deepEqual(p.channels, ['phone']);
  });

  test('ひきこもりサポート事業 is commissioned to 文化学習協同ネットワーク', () => {
    assert.deepEqual(names(program('ひきこもりサポート事業').contractors), ['文化学習協同ネットワーク']);
  });

  test('それいゆ is commissioned for youth support for ages 15 to 49', () => {
    const p = program('若者支援（それいゆ）');
    assert.deepEqual(names(p.contractors), ['それいゆ']);
    assert.equal(p.eligibility.ageMin, 15);
    assert.equal(p.eligibility.ageMax, 49);
  });

  test('クレスコーレ serves junior-high students and みらいる high-school students with consultation and a drop-in place, commissioned by 児童青少年課', () => {
    assert.deepEqual(program('中学生の連携先（クレスコーレ）').eligibility.schoolStages, ['junior_high']);
    for (const name of ['みらいる 相談', 'みらいる 居場所']) {
      const p = program(name);
      assert.deepEqual(p.eligibility.schoolStages, ['high_school']);
      assert.deepEqual(names(p.owners), ['児童青少年課']);
      assert.deepEqual(names(p.contractors), ['みらいる']);
    }
    assert.equal(program('みらいる 居場所').kind, 'drop_in');
  });

  test('the mental-health outreach program, since 2024-04, is owned by three sections together and commissioned to a home-visit nursing station', () => {
    const p = program('精神保健アウトリーチ支援事業');
    assert.deepEqual(names(p.owners), ['健康課', '福祉総合相談窓口', '障害者福祉課'].sort());
    assert.equal(p.contractors.length, 1);
    assert.match(p.contractors[0].name, /訪問看護ステーション/);
    assert.equal(p.startedOn, '2024-04');
    assert.equal(p.kind, 'outreach');
  });

  test('the self-reliance support agency offers work readiness, budget, relocation and food support and connects to public assistance', () => {
    const agency = org('生活困窮者自立相談支援機関');
    const offered = net.programs.filter((p) => p.owners.some((o) => o.id === agency.id)).map((p) => p.name).sort();
    assert.deepEqual(offered, ['家計改善支援', '就労準備支援', '生活保護へのつなぎ', '転宅支援', '食糧支援'].sort());
  });

  test('the integrated work program (就労準備・中間的就労・障害者雇用コーディネート・職場定着支援) is planned, not active', () => {
    const p = net.programs.find((x) => ['就労準備', '中間的就労', '障害者雇用コーディネート', '職場定着支援'].every((w) => x.name.includes(w)));
    assert.equal(p?.status, 'planned');
  });

  test('ひきこもりUX女子会 is a wide-area event with other municipalities since FY2022, and a public lecture is held yearly', () => {
    const ux = program('ひきこもりUX女子会');
    assert.equal(ux.wideArea, true);
    assert.equal(ux.startedOn, '2022');
    assert.deepEqual(program('ひきこもり講演会（市民向け）').cadence, { timesPerYear: 1 });
  });

  test('the prefecture centre offers its expert team and supporters\' exchange meeting', () => {
    const centre = org('東京都ひきこもりサポートネット');
    const owned = net.programs.filter((p) => p.owners.some((o) => o.id === centre.id)).map((p) => p.name).sort();
    assert.deepEqual(owned, ['多職種専門チーム', '支援者交流会'].sort());
  });

  test('支援調整会議 meets monthly under the Act on Self-Reliance Support', () => {
    const s = series('支援調整会議');
    assert.deepEqual(s.cadence, { every: 1, unit: 'month' });
    assert.equal(s.legalBasis, 'poverty_act_support_coordination');
  });

  test('総合支援調整会議 meets every 2 months with section chiefs and above, for case review and information sharing', () => {
    const s = series('総合支援調整会議');
    assert.deepEqual(s.cadence, { every: 2, unit: 'month' });
    assert.match(s.memberLevel ?? '', /係長級以上/);
    assert.match(s.purpose, /事例検証/);
    assert.match(s.purpose, /情報共有/);
  });

  test('重層的支援体制整備調整委員会 meets about once a year', () => {
    assert.deepEqual(series('重層的支援体制整備調整委員会').cadence, { timesPerYear: 1, approximate: true });
  });

  test('若者サポート推進連絡会議 meets twice a year with 児童青少年課 and 子ども家庭支援センター', () => {
    const s = series('若者サポート推進連絡会議');
    assert.deepEqual(s.cadence, { timesPerYear: 2 });
    assert.deepEqual(names(s.members), ['児童青少年課', '子ども家庭支援センター'].sort());
  });

  test("an organisation's page shows who commissions the programs it runs", async () => {
    const detail = await getOrganization(t.db, MUSASHINO_ID, org('みらいる').id);
    assert.deepEqual(detail.programsRun.map((p) => names(p.owners)), [['児童青少年課'], ['児童青少年課']]);
  });
});
