// Run: npx tsx --test web/src/lib/prefecture.test.ts
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyVisitItem } from '../../../src/modules/prefecture/visitDocument/itemKinds.ts';
import { renderVisitDocument } from '../../../src/modules/prefecture/visitDocument/layout.ts';
import type { Visit, VisitItem } from '../prefecture/types.ts';
import { fiscalYearChoices, proposalSentence, visitDocumentOf, withItemKind } from './prefecture.ts';

const item = (id: string, heading: string | null, kind: VisitItem['kind'], text: string): VisitItem => ({
  id, visitId: 'v', visitDate: '2024-12-03', position: 0, heading, kind, kindSetBy: 'rule', text, addressedTo: null, gapRuleKey: null,
  status: kind === 'proposal' ? 'proposed' : null, statusOn: null, history: [],
});

const visit: Visit = {
  id: 'v', municipality: { id: 'm', code: '132039', name: '武蔵野市', nameEn: 'Musashino' }, prefecture: { id: 'p', code: '130001', name: '東京都', nameEn: null },
  date: '2024-12-03', startTime: '14:00', endTime: '16:00', purpose: '取組状況の共有・情報交換', participants: ['福祉総合相談窓口', '多摩府中保健所'],
  headings: [{ key: 'municipalityMoves', title: '{市区町村}の動き', points: [{ text: '総合支援調整会議を2カ月に1回開催。', subPoints: ['係長級以上が参加する会議。'] }] }],
  centreTitle: 'ひきこもりサポートネットからの情報提供・事例紹介・提案等', otherFields: [], unplaced: [],
  items: [item('a', '民生委員', 'information', '研修について説明。'), item('b', 'その他', 'proposal', '多職種専門チームの活用を提案。')],
  earlierOpenProposals: [], imported: true, version: 3, createdAt: '', updatedAt: '', proposals: { open: 1, adopted: 0, declined: 0 },
};

test('a stored visit prints in the seed’s layout: 【市名】, 和暦 with times, the municipality’s name in its heading, ・sub-headings with ⇒ items', () => {
  const text = renderVisitDocument(visitDocumentOf(visit));
  assert.match(text, /^【武蔵野市】\n\n■実施日時：令和6年12月3日 14:00～16:00\n\n■参加部署：福祉総合相談窓口\n多摩府中保健所\n/);
  assert.match(text, /○武蔵野市の動き\n\n・総合支援調整会議を2カ月に1回開催。\n⇒係長級以上が参加する会議。/);
  assert.match(text, /・民生委員\n⇒研修について説明。\n・その他\n⇒多職種専門チームの活用を提案。/);
});

test('a draft without items has no centre section until one is written', () => {
  const doc = visitDocumentOf({ ...visit, items: [], centreTitle: null, openProposals: [] });
  assert.equal(doc.centre, null);
});

test('correcting one item’s kind sends the whole record with its ids and version, that item marked as set by staff', () => {
  const body = withItemKind(visit, 'a', 'guidance');
  assert.equal(body.version, 3);
  assert.deepEqual(body.items.map((i) => [i.id, i.kind, i.kindSetBy]), [['a', 'guidance', 'staff'], ['b', 'proposal', 'rule']]);
  assert.equal(body.headings, visit.headings);
});

test('every gap check suggests a sentence the wording rules read as a proposal, naming the subject', () => {
  for (const check of ['quiet_door', 'no_neighbour_window', 'uncovered_ages', 'no_sharing_meeting', 'program_not_started', 'something_new']) {
    const s = proposalSentence({ rule: { key: 'k', check, reason: '理由がある。', reasonEn: null }, subject: '民生委員・児童委員' });
    assert.equal(classifyVisitItem(s), 'proposal', s);
  }
  assert.match(proposalSentence({ rule: { key: 'k', check: 'quiet_door', reason: '', reasonEn: null }, subject: '民生委員・児童委員' }), /^民生委員・児童委員について/);
});

test('five fiscal years to choose from, newest first', () => {
  assert.deepEqual(fiscalYearChoices(2026), [2026, 2025, 2024, 2023, 2022]);
});
