import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VISIT_HEADINGS, visitHeadingKeyOf } from './headings.ts';
import { classifyVisitItem } from './itemKinds.ts';

test('every standard heading reads back as itself, by its short title and by its printed title', () => {
  assert.equal(new Set(VISIT_HEADINGS.map((h) => h.key)).size, VISIT_HEADINGS.length);
  for (const h of VISIT_HEADINGS) {
    assert.equal(visitHeadingKeyOf(h.ja), h.key, h.ja);
    assert.equal(visitHeadingKeyOf(h.printTitle), h.key, h.printTitle);
  }
});

const written: [string, string | null][] = [
  ['ひきこもり支援の中心部門', 'leadSection'],
  ['武蔵野市の動き', 'municipalityMoves'],
  ['檜原村の取り組み', 'municipalityMoves'],
  ['当事者会との連携状況について', 'peerGroups'],
  ['当事者会・家族会との連携', 'peerGroups'],
  ['民間支援団体との連携状況について', 'privateSupportGroups'],
  ['民生委員・児童委員との連携状況について', 'welfareCommissioners'],
  ['民生委員との連携', 'welfareCommissioners'],
  ['学校との連携状況について', 'schools'],
  ['重層的支援体制整備事業・地域福祉計画について', 'multilayered'],
  ['生活困窮者自立相談支援機関での対応について', 'selfRelianceSupport'],
  ['保健所・保健センターでの対応について', 'healthCentres'],
  ['保 健 所 ・ 保 健 セ ン タ ー に つ い て', 'healthCentres'],
  ['児童青少年部門・児童福祉部門での対応について', 'childrenAndYouth'],
  ['地域包括支援センターでの対応について', 'communityCareCentres'],
  ['社会福祉協議会での対応について', 'socialWelfareCouncil'],
  ['ひきこもりサポートネットからの情報提供・事例紹介・提案等', 'supportNet'],
  ['サポートネットからの提案等', 'supportNet'],
  ['意見交換の様子', null],
  ['その他', null],
  ['', null],
];
for (const [title, key] of written) {
  test(`○${title} is read as ${key ?? 'a heading of its own'}`, () => assert.equal(visitHeadingKeyOf(title), key));
}

const kinds: [string, string][] = [
  ['福祉保健財団が行っている民生委員向けの研修について説明。', 'information'],
  ['…相談できる窓口がある自治体の取り組みを紹介。', 'case_example'],
  ['…情報交換がしやすいようにしている他自治体の事例をあげる。', 'case_example'],
  ['…視点を変えることも提案。', 'proposal'],
  ['サポートネットの多職種専門チームの活用を提案。', 'proposal'],
  ['支援者交流会への参加をご案内。', 'guidance'],
  ['家族会の立ち上げを提案しました', 'proposal'],
  ['他区の事例を挙げた。', 'case_example'],
  ['リーフレットを配布。', 'information'],
];
for (const [text, kind] of kinds) {
  test(`「${text}」 is read as ${kind}`, () => assert.equal(classifyVisitItem(text), kind));
}
