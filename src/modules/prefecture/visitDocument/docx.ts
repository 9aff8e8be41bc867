/**
 * The visit record as a Word document (the centre files and sends its records as
 * .docx): A4, Japanese Mincho, the same blocks in the same order as the printed page.
 */
import { Document, Packer, Paragraph, TextRun, type IParagraphOptions } from 'docx';
import { visitBlockLines, visitDocumentBlocks, type VisitBlock } from './layout.ts';
import type { VisitDocument } from './types.ts';
import { warekiDate } from '../../../lib/fiscal.ts';

// 游明朝 is Word's own Japanese Mincho since Office 2016; it carries Latin letters too, so one font serves both.
const FONT = '游明朝';
const SIZE = 21; // half-points: 10.5pt, the usual size of Japanese official documents
const CHAR = 210; // one full-width character at 10.5pt, in twentieths of a point
// A4 in twentieths of a point (210 × 297 mm) and 25 mm margins.
const A4 = { width: 11906, height: 16838 };
const MARGIN = 1417;

function paragraphsOf(block: VisitBlock): Paragraph[] {
  const [first = '', ...rest] = visitBlockLines(block);
  const para = (text: string, options: Omit<IParagraphOptions, 'children'>, bold = false) =>
    new Paragraph({ ...options, children: [new TextRun({ text, bold })] });
  switch (block.type) {
    case 'municipality':
      return [para(first, { spacing: { after: CHAR } }, true)];
    case 'field':
      // Continuation lines (a second section…) stand under the value, after 「■参加部署：」.
      return [
        para(first, { spacing: { before: CHAR / 2 } }),
        ...rest.map((line) => para(line, { indent: { left: (block.label.length + 2) * CHAR } })),
      ];
    case 'heading':
      return [para(first, { spacing: { before: CHAR * 1.5, after: CHAR / 2 }, keepNext: true }, true)];
    case 'point':
      return [para(first, { indent: { left: CHAR, hanging: CHAR } })];
    case 'subPoint':
      return [para(first, { indent: { left: CHAR * 2, hanging: CHAR } })];
  }
}

/** The record as a docx Document, ready for Packer (toBuffer in Node, toBlob in a browser). */
export function visitDocumentDocx(doc: VisitDocument): Document {
  const title = ['ネットワーク構築支援事業', doc.municipalityName, doc.date ? warekiDate(doc.date) : null].filter(Boolean).join(' ');
  return new Document({
    title,
    creator: 'Tsunagu',
    styles: {
      default: {
        document: {
          run: { font: { ascii: FONT, eastAsia: FONT, hAnsi: FONT, cs: FONT }, size: SIZE, language: { value: 'ja-JP', eastAsia: 'ja-JP' } },
        },
      },
    },
    sections: [
      {
        properties: { page: { size: A4, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } },
        children: visitDocumentBlocks(doc).flatMap(paragraphsOf),
      },
    ],
  });
}

/** The record's .docx file. */
export function visitDocumentDocxFile(doc: VisitDocument): Promise<Buffer> {
  return Packer.toBuffer(visitDocumentDocx(doc));
}

/** A file name for the record's .docx: 「訪問記録_武蔵野市_令和6年12月3日.docx」. */
export function visitDocumentFileName(doc: VisitDocument): string {
  const parts = ['訪問記録', doc.municipalityName, doc.date ? warekiDate(doc.date) : null].filter((p): p is string => Boolean(p));
  return `${parts.join('_').replace(/[\\/:*?"<>|]/g, '_')}.docx`;
}
