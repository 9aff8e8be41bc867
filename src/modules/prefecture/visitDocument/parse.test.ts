import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import fc from 'fast-check';
import { MUNICIPALITY_PLACEHOLDER } from './headings.ts';
import { renderVisitDocument } from './layout.ts';
import { parseVisitDocument, readVisitDateTime } from './parse.ts';

// The seed (issue #12: import ../shared/seed/000_e17e9defb8f9bbb5.txt), as the repository keeps it so tests and the demo do not depend on what lies beside it.
const SEED = readFileSync(new URL('../../../../profiles/visits/musashino-2024-12-03.txt', import.meta.url), 'utf8');
const SHARED_SEED = new URL('../../../../../shared/seed/000_e17e9defb8f9bbb5.txt', import.meta.url);

test('the repository’s copy is the seed as the project received it', { skip: existsSync(SHARED_SEED) ? false : 'no ../shared beside the checkout' }, () => {
  assert.equal(SEED, readFileSync(SHARED_SEED, 'utf8'));
});

test('the seed reads with no problem: the municipality in 【】, the date from 和暦 with spaces, the times, sections and purpose', () => {
  const { document: doc, problems } = parseVisitDocument(SEED);
  assert.deepEqual(problems, []);
  assert.deepEqual(doc.unplaced, []);
  assert.equal(doc.municipalityName, '武蔵野市');
  assert.equal(doc.date, '2024-12-03');
  assert.equal(doc.startTime, '14:00');
  assert.equal(doc.endTime, '16:00');
  assert.deepEqual(doc.sections, ['生活福祉課生活相談係福祉総合相談窓口', '多摩府中保健所']);
  assert.equal(doc.purpose, '取組状況の共有・情報交換');
});

test('the seed’s headings are the standard ones in order, ○武蔵野市の動き read as the generic 「{市区町村}の動き」', () => {
  const { document: doc } = parseVisitDocument(SEED);
  assert.deepEqual(doc.headings.map((h) => h.key), [
    'leadSection', 'municipalityMoves', 'peerGroups', 'privateSupportGroups', 'welfareCommissioners', 'schools', 'multilayered',
    'selfRelianceSupport', 'healthCentres', 'childrenAndYouth', 'communityCareCentres', 'socialWelfareCouncil',
  ]);
  assert.equal(doc.headings[1]!.title, `${MUNICIPALITY_PLACEHOLDER}の動き`);
  assert.equal(doc.headings[2]!.title, '当事者会との連携状況について');
  assert.equal(doc.centre?.title, 'ひきこもりサポートネットからの情報提供・事例紹介・提案等');
});

test('points keep their sub-points, with or without the extraction’s "- ", and a point split across a blank line is one point', () => {
  const { document: doc } = parseVisitDocument(SEED);
  const lead = doc.headings[0]!;
  assert.deepEqual(lead.points, [
    { text: '生活福祉課生活相談係福祉総合相談窓口が中心となっている。', subPoints: ['福祉総合相談窓口は令和 3 年 4 月に開設。現在は 3 名体制。'] },
  ]);
  const commissioners = doc.headings.find((h) => h.key === 'welfareCommissioners')!;
  assert.equal(commissioners.points.length, 2);
  assert.equal(
    commissioners.points[1]!.text,
    '地域支援課が民生委員を束ねているため、相談があった際には一度地域支援課が回収し、その後福祉総合相談窓口に繋ぐ流れが出来ている。',
  );
  // ⇒ lines written without "- " after a blank line still belong to the point before them
  const health = doc.headings.find((h) => h.key === 'healthCentres')!;
  assert.deepEqual(health.points.map((p) => p.subPoints.length), [0, 0, 2]);
  assert.equal(doc.headings.reduce((n, h) => n + h.points.length, 0), 31);
});

test('the centre’s section becomes its seven items, each with its sub-heading and kind', () => {
  const { document: doc } = parseVisitDocument(SEED);
  assert.deepEqual(
    doc.centre!.items.map((i) => [i.heading, i.kind, i.text.slice(0, 12)]),
    [
      ['民生委員', 'information', '福祉保健財団が行っている'], // the training for welfare commissioners: 説明
      ['民生委員', 'case_example', 'ゆるやかな見守りで民生委'], // the window where any resident can report a worry
      ['民生委員', 'proposal', '総合支援調整会議の中に民'], // inviting commissioners and people with lived experience
      ['地域包括支援', 'proposal', '支援調整会議でケースをあ'], // the 支援調整会議 rule (ルール化)
      ['地域包括支援', 'case_example', '係長クラスの方をコアメン'], // section-chief core members
      ['その他', 'proposal', 'サポートネットの多職種専'], // the expert team
      ['その他', 'guidance', '支援者交流会への参加をご'], // the exchange meeting
    ],
  );
  assert.ok(doc.centre!.items.every((i) => i.kindSetBy === 'rule'));
});

test('a heading of the record’s own is kept with its title and no key', () => {
  const { document: doc, problems } = parseVisitDocument('【三鷹市】\n■実施日時：令和7年1月20日 10:00～11:30\n○意見交換の様子\n・和やかな雰囲気だった。\n');
  assert.deepEqual(problems, []);
  assert.deepEqual(doc.headings, [{ key: null, title: '意見交換の様子', points: [{ text: '和やかな雰囲気だった。', subPoints: [] }] }]);
});

test('the heading of the municipality’s moves keeps a different name as written', () => {
  const { document: doc } = parseVisitDocument('【三鷹市】\n■実施日時：令和7年1月20日\n○武蔵野市の動き\n・…\n');
  assert.equal(doc.headings[0]!.key, 'municipalityMoves');
  assert.equal(doc.headings[0]!.title, '武蔵野市の動き');
});

const dates: [string, ReturnType<typeof readVisitDateTime>][] = [
  ['令和 6 年 12 月 3 日 14:00～16:00', { date: '2024-12-03', startTime: '14:00', endTime: '16:00', rest: '' }],
  ['令和６年１２月３日（火）１４：００〜１６：３０', { date: '2024-12-03', startTime: '14:00', endTime: '16:30', rest: '' }],
  ['令和元年5月7日 9時～11時30分', { date: '2019-05-07', startTime: '09:00', endTime: '11:30', rest: '' }],
  ['平成31年4月30日', { date: '2019-04-30', startTime: null, endTime: null, rest: '' }],
  ['R6年12月3日 14:00-16:00', { date: '2024-12-03', startTime: '14:00', endTime: '16:00', rest: '' }],
  ['2024年12月3日 14:00～16:00', { date: '2024-12-03', startTime: '14:00', endTime: '16:00', rest: '' }],
  ['2024/12/3 14:00から16:00まで', { date: '2024-12-03', startTime: '14:00', endTime: '16:00', rest: '' }],
  ['令和6年2月30日 14:00～16:00', { date: null, startTime: null, endTime: null, rest: '令和6年2月30日 14:00~16:00' }],
  ['大正10年1月1日', { date: null, startTime: null, endTime: null, rest: '大正10年1月1日' }],
  ['令和6年12月3日 午後', { date: '2024-12-03', startTime: null, endTime: null, rest: '午後' }],
];
for (const [text, expected] of dates) {
  test(`■実施日時「${text}」reads as ${expected.date ?? 'no date'} ${expected.startTime ?? ''}–${expected.endTime ?? ''}`, () => {
    assert.deepEqual(readVisitDateTime(text), expected);
  });
}

test('a record with no 【】 line and no date gets a problem on each field, and nothing throws', () => {
  const { document: doc, problems } = parseVisitDocument('');
  assert.equal(doc.municipalityName, null);
  assert.deepEqual(problems.map((p) => p.field), ['municipalityName', 'date']);
});

test('an unreadable date and unreadable times are field problems, and the line is kept aside as written', () => {
  const bad = parseVisitDocument('【武蔵野市】\n■実施日時：来週の火曜日\n');
  assert.deepEqual(bad.problems.map((p) => [p.field, p.line]), [['date', 2]]);
  assert.deepEqual(bad.document.unplaced, ['■実施日時：来週の火曜日']);
  const times = parseVisitDocument('【武蔵野市】\n■実施日時：令和6年12月3日 午後\n');
  assert.equal(times.document.date, '2024-12-03');
  assert.deepEqual(times.problems.map((p) => p.field), ['startTime']);
  const backwards = parseVisitDocument('【武蔵野市】\n■実施日時：令和6年12月3日 16:00～14:00\n');
  assert.deepEqual(backwards.problems.map((p) => p.field), ['endTime']);
});

test('lines that fit nowhere are kept aside with their line numbers, and other ■ fields are kept with their label', () => {
  const { document: doc, problems } = parseVisitDocument(
    'ネットワーク構築支援事業 記録\n【武蔵野市】\n■実施日時：令和6年12月3日\n■記録者：山田\n■参加部署：A課\nB課\n・見出しの前の点\n○中心部門\n【参考】\n',
  );
  assert.deepEqual(doc.unplaced, ['ネットワーク構築支援事業 記録', '・見出しの前の点', '【参考】']);
  assert.deepEqual(problems.map((p) => [p.field, p.line]), [['line', 1], ['line', 7], ['line', 9]]);
  assert.deepEqual(doc.otherFields, [{ label: '記録者', lines: ['山田'] }]);
  assert.deepEqual(doc.sections, ['A課', 'B課']);
});

test('in the centre’s section a ・ line with no ⇒ under it is an item itself, and ⇒ lines before any ・ have no sub-heading', () => {
  const { document: doc } = parseVisitDocument(
    '【武蔵野市】\n■実施日時：令和6年12月3日\n○ひきこもりサポートネットからの情報提供・事例紹介・提案等\n⇒リーフレットを配布。\n・家族会の立ち上げを提案。\n・その他\n⇒研修会の日程を\n案内。\n',
  );
  assert.deepEqual(doc.centre!.items, [
    { heading: null, kind: 'information', kindSetBy: 'rule', text: 'リーフレットを配布。' },
    { heading: null, kind: 'proposal', kindSetBy: 'rule', text: '家族会の立ち上げを提案。' },
    { heading: 'その他', kind: 'guidance', kindSetBy: 'rule', text: '研修会の日程を案内。' },
  ]);
});

// Lines as the centre writes them, with and without the extraction's markers and stray spaces.
const lineArb = fc.oneof(
  fc.constantFrom(...SEED.split('\n')),
  fc.tuple(fc.constantFrom('', '- ', '  ', '　'), fc.constantFrom('', '・', '⇒', '○', '■', '■メモ：', '【'), fc.string({ minLength: 0, maxLength: 12 })).map((parts) => parts.join('')),
  fc.string({ maxLength: 20 }),
);
const words = (s: string) => s.normalize('NFKC').replace(/\s/g, '');

test('any text parses without throwing, and the words of every line come back in the printed record or the lines kept aside', () => {
  fc.assert(
    fc.property(fc.array(lineArb, { maxLength: 40 }), (lines) => {
      const { document: doc } = parseVisitDocument(lines.join('\n'));
      const kept = words(renderVisitDocument(doc) + doc.unplaced.join(''));
      for (const line of lines) {
        // what a line says, without the markers the layout prints again
        const said = words(line.replace(/^[\s\u3000]*(?:[-*•]\s+)?/, '')).replace(/^[・･⇒→○〇◯■【]/, '').replace(/^([^：:]*)[：:]/, '').replace(/】$/, '');
        if (/^(令和|平成|昭和|R|H|S|\d{4})/i.test(said) && said.includes('日')) continue; // a date prints in its own form
        assert.ok(kept.includes(said), `lost: ${JSON.stringify(line)}`);
      }
    }),
    { numRuns: 300 },
  );
});
