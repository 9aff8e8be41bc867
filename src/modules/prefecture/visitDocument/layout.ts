/**
 * The printed layout of a visit record, the seed's own (issue #12): 【市名】,
 * ■実施日時 in 和暦 with times, ■参加部署, ■実施内容, then ○ headings with ・ points
 * and ⇒ sub-points, the centre's section last with its ・ sub-headings and ⇒ items.
 * One ordered list of blocks serves the plain text, the .docx and the web's A4 page.
 * Pure, with no Node-only imports: the web bundle can import this file.
 */
import { warekiDate } from '../../../lib/fiscal.ts';
import { printedHeadingTitle } from './headings.ts';
import type { VisitDocument, VisitHeadingKey, VisitItemKind } from './types.ts';

export type VisitBlock =
  /** 【武蔵野市】 */
  | { type: 'municipality'; text: string }
  /** ■実施日時：…; the lines after the first print under it (■参加部署 lists one section a line). */
  | { type: 'field'; label: string; lines: string[] }
  /** ○ heading; key 'supportNet' for the centre's section. */
  | { type: 'heading'; key: VisitHeadingKey | null; text: string }
  /** ・ point; in the centre's section a sub-heading, or an item written without one (then itemKind is set). */
  | { type: 'point'; text: string; itemKind: VisitItemKind | null }
  /** ⇒ sub-point; in the centre's section an item (itemKind set). */
  | { type: 'subPoint'; text: string; itemKind: VisitItemKind | null };

export const VISIT_MARKERS = { field: '■', heading: '○', point: '・', subPoint: '⇒' } as const;

/** ■実施日時's value: 令和6年12月3日 14:00～16:00 ('' when the date is not known). */
export function visitDateTimeText(doc: Pick<VisitDocument, 'date' | 'startTime' | 'endTime'>): string {
  if (!doc.date) return '';
  const times = doc.startTime && doc.endTime ? `${doc.startTime}～${doc.endTime}` : doc.startTime ? `${doc.startTime}～` : '';
  return times ? `${warekiDate(doc.date)} ${times}` : warekiDate(doc.date);
}

/** The record as ordered blocks, as it prints. */
export function visitDocumentBlocks(doc: VisitDocument): VisitBlock[] {
  const blocks: VisitBlock[] = [];
  if (doc.municipalityName !== null) blocks.push({ type: 'municipality', text: doc.municipalityName });
  blocks.push({ type: 'field', label: '実施日時', lines: [visitDateTimeText(doc)] });
  blocks.push({ type: 'field', label: '参加部署', lines: doc.sections.length ? [...doc.sections] : [''] });
  blocks.push({ type: 'field', label: '実施内容', lines: (doc.purpose ?? '').split('\n') });
  for (const f of doc.otherFields) blocks.push({ type: 'field', label: f.label, lines: f.lines.length ? [...f.lines] : [''] });
  for (const h of doc.headings) {
    blocks.push({ type: 'heading', key: h.key, text: printedHeadingTitle(h.title, doc.municipalityName) });
    for (const p of h.points) {
      if (p.text) blocks.push({ type: 'point', text: p.text, itemKind: null });
      for (const s of p.subPoints) blocks.push({ type: 'subPoint', text: s, itemKind: null });
    }
  }
  if (doc.centre) {
    blocks.push({ type: 'heading', key: 'supportNet', text: doc.centre.title });
    let current: string | null = null;
    for (const item of doc.centre.items) {
      if (item.heading === null) {
        current = null;
        blocks.push({ type: 'point', text: item.text, itemKind: item.kind });
        continue;
      }
      if (item.heading !== current) blocks.push({ type: 'point', text: item.heading, itemKind: null });
      current = item.heading;
      blocks.push({ type: 'subPoint', text: item.text, itemKind: item.kind });
    }
  }
  return blocks;
}

/** A block's printed lines, markers included. */
export function visitBlockLines(block: VisitBlock): string[] {
  switch (block.type) {
    case 'municipality':
      return [`【${block.text}】`];
    case 'field': {
      const [first = '', ...rest] = block.lines;
      return [`${VISIT_MARKERS.field}${block.label}：${first}`, ...rest];
    }
    case 'heading':
      return [`${VISIT_MARKERS.heading}${block.text}`];
    case 'point':
      return [`${VISIT_MARKERS.point}${block.text}`];
    case 'subPoint':
      return [`${VISIT_MARKERS.subPoint}${block.text}`];
  }
}

/** The record as plain text in the seed's layout: a blank line before each 【】, ■ and ○ line and after each ○ line. */
export function renderVisitDocument(doc: VisitDocument): string {
  const out: string[] = [];
  for (const block of visitDocumentBlocks(doc)) {
    if (block.type !== 'point' && block.type !== 'subPoint' && out.length > 0 && out.at(-1) !== '') out.push('');
    out.push(...visitBlockLines(block));
    if (block.type === 'heading') out.push('');
  }
  return `${out.join('\n')}\n`;
}
