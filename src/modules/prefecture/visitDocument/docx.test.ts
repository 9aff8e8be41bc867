import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import JSZip from 'jszip';
import { newVisitDocument } from './document.ts';
import { visitDocumentDocxFile, visitDocumentFileName } from './docx.ts';
import { renderVisitDocument } from './layout.ts';
import { parseVisitDocument } from './parse.ts';

const SEED = readFileSync(new URL('../../../../profiles/visits/musashino-2024-12-03.txt', import.meta.url), 'utf8');

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The text of each paragraph of a .docx, in order, as Word would show it. */
async function paragraphsOf(file: Buffer): Promise<{ paragraphs: string[]; documentXml: string; stylesXml: string }> {
  const zip = await JSZip.loadAsync(file);
  const documentXml = await zip.file('word/document.xml')!.async('string');
  const stylesXml = await zip.file('word/styles.xml')!.async('string');
  const paragraphs = [...documentXml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((p) =>
    unescape([...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('')),
  );
  return { paragraphs, documentXml, stylesXml };
}

test('the seed’s .docx holds every line of the printed record, in order', async () => {
  const doc = parseVisitDocument(SEED).document;
  const { paragraphs } = await paragraphsOf(await visitDocumentDocxFile(doc));
  assert.deepEqual(paragraphs, renderVisitDocument(doc).split('\n').filter((l) => l !== ''));
  assert.equal(paragraphs[0], '【武蔵野市】');
  assert.equal(paragraphs.at(-1), '⇒支援者交流会への参加をご案内。');
});

test('the .docx is A4 in a Japanese Mincho, East Asian text marked Japanese', async () => {
  const { documentXml, stylesXml } = await paragraphsOf(await visitDocumentDocxFile(newVisitDocument('武蔵野市', '2024-12-03')));
  assert.match(documentXml, /<w:pgSz w:w="11906" w:h="16838"/);
  assert.match(stylesXml, /<w:rFonts [^>]*w:eastAsia="游明朝"/);
  assert.match(stylesXml, /<w:lang [^>]*w:eastAsia="ja-JP"/);
});

test('words with XML’s special characters come out as written', async () => {
  const doc = newVisitDocument('武蔵野市');
  doc.headings[0]!.points.push({ text: '相談件数 <5件> & "速報"', subPoints: ["'再掲'"] });
  const { paragraphs } = await paragraphsOf(await visitDocumentDocxFile(doc));
  assert.ok(paragraphs.includes('・相談件数 <5件> & "速報"'));
  assert.ok(paragraphs.includes("⇒'再掲'"));
});

test('the file is named after the municipality and the date in 和暦', () => {
  assert.equal(visitDocumentFileName(newVisitDocument('武蔵野市', '2024-12-03')), '訪問記録_武蔵野市_令和6年12月3日.docx');
  assert.equal(visitDocumentFileName(newVisitDocument('武蔵野市')), '訪問記録_武蔵野市.docx');
});
