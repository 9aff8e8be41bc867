import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { newVisitDocument } from './document.ts';
import { VISIT_HEADINGS } from './headings.ts';
import { renderVisitDocument, visitBlockLines, visitDateTimeText, visitDocumentBlocks } from './layout.ts';
import { parseVisitDocument } from './parse.ts';

const SEED = readFileSync(new URL('../../../../profiles/visits/musashino-2024-12-03.txt', import.meta.url), 'utf8');

// Issue #12: compared after removing whitespace and the extraction's leading "- " markers.
const compared = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/^\s*- /, ''))
    .join('')
    .replace(/\s/g, '');

test('the seed, read and printed again, gives back every heading, point and sub-point in order with the same words', () => {
  const printed = renderVisitDocument(parseVisitDocument(SEED).document);
  assert.equal(compared(printed), compared(SEED));
});

test('printing and reading again gives the same record', () => {
  const doc = parseVisitDocument(SEED).document;
  const again = parseVisitDocument(renderVisitDocument(doc));
  assert.deepEqual(again.problems, []);
  assert.deepEqual(again.document, doc);
});

test('the printed record follows the seed’s layout line by line', () => {
  const lines = renderVisitDocument(parseVisitDocument(SEED).document).split('\n');
  assert.deepEqual(lines.slice(0, 16), [
    '【武蔵野市】',
    '',
    '■実施日時：令和6年12月3日 14:00～16:00',
    '',
    '■参加部署：生活福祉課生活相談係福祉総合相談窓口',
    '多摩府中保健所',
    '',
    '■実施内容：取組状況の共有・情報交換',
    '',
    '○ひきこもり支援の中心部門',
    '',
    '・生活福祉課生活相談係福祉総合相談窓口が中心となっている。',
    '⇒福祉総合相談窓口は令和 3 年 4 月に開設。現在は 3 名体制。',
    '',
    '○武蔵野市の動き',
    '',
  ]);
  const centre = lines.indexOf('○ひきこもりサポートネットからの情報提供・事例紹介・提案等');
  assert.deepEqual(lines.slice(centre + 2, centre + 7), [
    '・民生委員',
    '⇒福祉保健財団が行っている民生委員向けの研修について説明。',
    '⇒ゆるやかな見守りで民生委員に限らず区民の誰でもが気になった事を行政に相談できる窓口がある自治体の取り組みを紹介。',
    '⇒総合支援調整会議の中に民生委員や当事者を呼び、視点を変えることも提案。',
    '・地域包括支援',
  ]);
});

test('the municipality’s own heading prints with the name in 【】', () => {
  const doc = parseVisitDocument(SEED).document;
  doc.municipalityName = '三鷹市';
  assert.match(renderVisitDocument(doc), /\n○三鷹市の動き\n/);
});

test('the blocks the web prints carry the same lines as the text, and the centre’s items carry their kinds', () => {
  const doc = parseVisitDocument(SEED).document;
  const blocks = visitDocumentBlocks(doc);
  const text = renderVisitDocument(doc).split('\n').filter((l) => l !== '');
  assert.deepEqual(blocks.flatMap(visitBlockLines), text);
  const items = blocks.filter((b) => (b.type === 'subPoint' || b.type === 'point') && b.itemKind !== null);
  assert.deepEqual(items.map((b) => 'itemKind' in b && b.itemKind), [
    'information', 'case_example', 'proposal', 'proposal', 'case_example', 'proposal', 'guidance',
  ]);
  assert.deepEqual(blocks.filter((b) => b.type === 'heading').map((b) => b.type === 'heading' && b.key).at(-1), 'supportNet');
});

test('a new visit prints every standard heading in the centre’s order, ready to fill', () => {
  const lines = renderVisitDocument(newVisitDocument('檜原村', '2025-04-08')).split('\n');
  assert.equal(lines[2], '■実施日時：令和7年4月8日');
  assert.deepEqual(
    lines.filter((l) => l.startsWith('○')),
    VISIT_HEADINGS.map((h) => `○${h.printTitle.replace('{市区町村}', '檜原村')}`),
  );
});

test('the date prints in the era of the day, 元年 for the first year, with whichever times are known', () => {
  assert.equal(visitDateTimeText({ date: '2019-05-07', startTime: '09:30', endTime: '11:00' }), '令和元年5月7日 09:30～11:00');
  assert.equal(visitDateTimeText({ date: '2019-04-26', startTime: '13:00', endTime: null }), '平成31年4月26日 13:00～');
  assert.equal(visitDateTimeText({ date: null, startTime: '13:00', endTime: null }), '');
});

test('an item the centre wrote without a ・ sub-heading prints as a point of its own', () => {
  const doc = newVisitDocument('武蔵野市');
  doc.centre!.items = [
    { heading: 'その他', kind: 'guidance', kindSetBy: 'rule', text: '交流会をご案内。' },
    { heading: null, kind: 'proposal', kindSetBy: 'staff', text: '家族会の立ち上げを提案。' },
    { heading: 'その他', kind: 'information', kindSetBy: 'rule', text: 'リーフレットを配布。' },
  ];
  const text = renderVisitDocument(doc);
  assert.match(text, /・その他\n⇒交流会をご案内。\n・家族会の立ち上げを提案。\n・その他\n⇒リーフレットを配布。\n$/);
});

test('the web bundle can take the layout, the headings and the types: they import nothing Node-only', async () => {
  const { build } = await import('esbuild');
  const dir = new URL('.', import.meta.url).pathname;
  const result = await build({
    entryPoints: ['layout.ts', 'document.ts', 'headings.ts', 'itemKinds.ts', 'types.ts'].map((f) => dir + f),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    outdir: '/nowhere',
    logLevel: 'silent',
  });
  assert.deepEqual(result.errors, []);
  assert.doesNotMatch(result.outputFiles.map((f) => f.text).join('\n'), /\bnode:|require\(/);
});
