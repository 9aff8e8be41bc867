/**
 * Reads a visit record written as plain text in the centre's layout (issue #12:
 * the centre has years of them) into a VisitDocument. Never throws: what cannot
 * be read comes back as problems, and every line of the text ends up somewhere.
 */
import { westernYearOf } from '../../../lib/fiscal.ts';
import { MUNICIPALITY_PLACEHOLDER, visitHeadingKeyOf } from './headings.ts';
import { classifyVisitItem } from './itemKinds.ts';
import { emptyVisitDocument } from './document.ts';
import type { ParsedVisitDocument, VisitDocumentProblem, VisitHeading, VisitItem } from './types.ts';

type Line =
  | { kind: 'municipality'; name: string; rest: string }
  | { kind: 'field'; label: string; value: string }
  | { kind: 'heading'; title: string }
  | { kind: 'point'; text: string }
  | { kind: 'subPoint'; text: string }
  | { kind: 'plain'; text: string };

// A text extracted from a Word file or a PDF often puts a list marker ("- ", "* ", "• ") before the centre's own marker.
const EXTRACTION_MARKER = /^[\s\u3000]*(?:[-*•]\s+)?/;

function classifyLine(raw: string): Line | null {
  const text = raw.replace(EXTRACTION_MARKER, '').replace(/[\s\u3000]+$/, '');
  if (!text) return null;
  const first = text[0]!.normalize('NFKC');
  const rest = text.slice(1).trim();
  const municipality = /^【(.*?)】(.*)$/.exec(text);
  if (municipality) return { kind: 'municipality', name: municipality[1]!.trim(), rest: municipality[2]!.trim() };
  if (first === '■') {
    const field = /^(.*?)[：:](.*)$/.exec(rest);
    return field ? { kind: 'field', label: field[1]!.trim(), value: field[2]!.trim() } : { kind: 'field', label: rest, value: '' };
  }
  if ('○〇◯'.includes(first)) return { kind: 'heading', title: rest };
  if (first === '・') return { kind: 'point', text: rest };
  if ('⇒→⇨➡'.includes(first)) return { kind: 'subPoint', text: rest };
  return { kind: 'plain', text };
}

/** Joins a line that carries on the one before it: Japanese runs on without a space, Latin words keep one. */
function carryOn(before: string, after: string): string {
  return /[A-Za-z0-9]$/.test(before) && /^[A-Za-z0-9]/.test(after) ? `${before} ${after}` : `${before}${after}`;
}

type FieldKey = 'date' | 'sections' | 'purpose';

function fieldKeyOf(label: string): FieldKey | null {
  const l = label.normalize('NFKC').replace(/\s/g, '');
  if (/日時|実施日|訪問日/.test(l)) return 'date';
  if (/参加|出席/.test(l)) return 'sections';
  if (/内容|目的/.test(l)) return 'purpose';
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function isRealDate(y: number, m: number, d: number): boolean {
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

function readTime(h: string, m: string | undefined): string | null {
  const hours = Number(h);
  const minutes = m === undefined ? 0 : Number(m);
  return hours <= 24 && minutes <= 59 ? `${pad(hours)}:${pad(minutes)}` : null;
}

/**
 * The date and times of a ■実施日時 value: 「令和 6 年 12 月 3 日 14:00～16:00」, 「令和元年５月７日（火）14時～16時30分」,
 * 「2024年12月3日 14:00-16:00」. null parts where the text does not say them; `rest` is what was left unread.
 */
export function readVisitDateTime(value: string): { date: string | null; startTime: string | null; endTime: string | null; rest: string } {
  let text = value.normalize('NFKC').trim();
  let date: string | null = null;
  const wareki = /^(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/i.exec(text);
  const western = /^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})(?:\s*日)?/.exec(text);
  let parts: [number, number, number] | null = null;
  if (wareki) {
    const year = westernYearOf(wareki[1]!, wareki[2] === '元' ? 1 : Number(wareki[2]));
    if (year !== null) parts = [year, Number(wareki[3]), Number(wareki[4])];
  } else if (western) {
    parts = [Number(western[1]), Number(western[2]), Number(western[3])];
  }
  const matched = wareki ?? western;
  if (parts && matched && isRealDate(...parts)) {
    date = `${parts[0]}-${pad(parts[1])}-${pad(parts[2])}`;
    text = text.slice(matched[0].length).replace(/^\s*[(（]\s*[日月火水木金土](曜日?)?\s*[)）]/, '').trim();
  }
  let startTime: string | null = null;
  let endTime: string | null = null;
  const clock = String.raw`(\d{1,2})\s*(?::\s*(\d{2})|時(?:\s*(\d{1,2})\s*分)?)`;
  const times = new RegExp(String.raw`^${clock}\s*(?:[~〜ー\-–—]|から)\s*${clock}\s*(?:まで)?`).exec(text);
  const single = new RegExp(String.raw`^${clock}\s*(?:から|~|〜)?$`).exec(text);
  if (date && times) {
    startTime = readTime(times[1]!, times[2] ?? times[3]);
    endTime = readTime(times[4]!, times[5] ?? times[6]);
    if (startTime && endTime) text = text.slice(times[0].length).trim();
    else startTime = endTime = null;
  } else if (date && single) {
    startTime = readTime(single[1]!, single[2] ?? single[3]);
    if (startTime) text = '';
  }
  return { date, startTime, endTime, rest: text };
}

/**
 * Reads a record's plain text. The seed (shared/seed/000_e17e9defb8f9bbb5.txt) is the
 * reference: "- " extraction markers, a point split across a blank line, 令和 6 年
 * with spaces, full-width digits and 14:00～16:00 are all read.
 */
export function parseVisitDocument(text: string): ParsedVisitDocument {
  const doc = emptyVisitDocument();
  const problems: VisitDocumentProblem[] = [];
  const keepAside = (raw: string, line: number) => {
    doc.unplaced.push(raw.trim());
    problems.push({ field: 'line', line, message: 'This line fits nowhere in the layout of a visit record; it was kept aside for you to place.' });
  };

  // What a line with no marker carries on from.
  let field: { key: FieldKey | 'other'; index: number } | null = null;
  let heading: VisitHeading | null = null;
  // The centre's section, read as groups under its ・ sub-headings before they become items;
  // `centreGroups` is set while the lines belong to that section.
  const centreGroupsRead: { heading: string | null; items: string[] }[] = [];
  let centreGroups: typeof centreGroupsRead | null = null;
  let sawDateLine = false;

  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    const line = classifyLine(raw);
    if (!line) return;
    switch (line.kind) {
      case 'municipality': {
        if (doc.municipalityName !== null || heading || centreGroups || !line.name) return keepAside(raw, lineNo);
        doc.municipalityName = line.name;
        if (line.rest) keepAside(line.rest, lineNo);
        field = null;
        return;
      }
      case 'field': {
        if (heading || centreGroups) return keepAside(raw, lineNo);
        const key = fieldKeyOf(line.label);
        if (key === 'date') {
          if (sawDateLine) return keepAside(raw, lineNo);
          sawDateLine = true;
          const read = readVisitDateTime(line.value);
          Object.assign(doc, { date: read.date, startTime: read.startTime, endTime: read.endTime });
          if (!read.date) {
            problems.push({ field: 'date', line: lineNo, message: 'The date of the visit could not be read. Write it like 令和6年12月3日 14:00～16:00.' });
            doc.unplaced.push(raw.trim());
          } else if (read.rest) {
            problems.push({ field: 'startTime', line: lineNo, message: 'The times of the visit could not be read. Write them like 14:00～16:00.' });
            doc.unplaced.push(raw.trim());
          } else if (read.startTime && read.endTime && read.endTime < read.startTime) {
            problems.push({ field: 'endTime', line: lineNo, message: 'The visit ends before it starts.' });
          }
          field = null;
        } else if (key === 'sections') {
          if (line.value) doc.sections.push(line.value);
          field = { key, index: 0 };
        } else if (key === 'purpose') {
          doc.purpose = doc.purpose === null ? line.value : `${doc.purpose}\n${line.value}`;
          field = { key, index: 0 };
        } else {
          doc.otherFields.push({ label: line.label, lines: [line.value] });
          field = { key: 'other', index: doc.otherFields.length - 1 };
        }
        return;
      }
      case 'heading': {
        field = null;
        const key = visitHeadingKeyOf(line.title);
        if (key === 'supportNet' && !doc.centre) {
          heading = null;
          centreGroups = centreGroupsRead;
          doc.centre = { title: line.title, items: [] };
          return;
        }
        // A heading after the centre's section is kept as a heading of its own; it prints before that section.
        centreGroups = null;
        let title = line.title;
        if (key === 'municipalityMoves' && doc.municipalityName && title.startsWith(doc.municipalityName)) {
          title = MUNICIPALITY_PLACEHOLDER + title.slice(doc.municipalityName.length);
        }
        heading = { key: key === 'supportNet' ? null : key, title, points: [] };
        doc.headings.push(heading);
        return;
      }
      case 'point': {
        if (centreGroups) centreGroups.push({ heading: line.text, items: [] });
        else if (heading) heading.points.push({ text: line.text, subPoints: [] });
        else keepAside(raw, lineNo);
        return;
      }
      case 'subPoint': {
        if (centreGroups) {
          if (centreGroups.length === 0) centreGroups.push({ heading: null, items: [] });
          centreGroups.at(-1)!.items.push(line.text);
        } else if (heading) {
          if (heading.points.length === 0) heading.points.push({ text: '', subPoints: [] });
          heading.points.at(-1)!.subPoints.push(line.text);
        } else keepAside(raw, lineNo);
        return;
      }
      case 'plain': {
        if (centreGroups) {
          const group = centreGroups.at(-1);
          if (!group) centreGroups.push({ heading: null, items: [line.text] });
          else if (group.items.length > 0) group.items[group.items.length - 1] = carryOn(group.items.at(-1)!, line.text);
          else if (group.heading !== null) group.heading = carryOn(group.heading, line.text);
          else group.items.push(line.text);
        } else if (heading) {
          const point = heading.points.at(-1);
          if (!point) heading.points.push({ text: line.text, subPoints: [] });
          else if (point.subPoints.length > 0) point.subPoints[point.subPoints.length - 1] = carryOn(point.subPoints.at(-1)!, line.text);
          else point.text = carryOn(point.text, line.text);
        } else if (field?.key === 'sections') {
          doc.sections.push(line.text);
        } else if (field?.key === 'purpose') {
          doc.purpose = doc.purpose ? `${doc.purpose}\n${line.text}` : line.text;
        } else if (field?.key === 'other') {
          doc.otherFields[field.index]!.lines.push(line.text);
        } else {
          keepAside(raw, lineNo);
        }
        return;
      }
    }
  });

  if (doc.municipalityName === null) {
    problems.push({ field: 'municipalityName', line: null, message: 'The record names no municipality. Write its name in 【】 on a line of its own, like 【武蔵野市】.' });
  }
  if (!sawDateLine) {
    problems.push({ field: 'date', line: null, message: 'The record has no ■実施日時 line. Write the date like ■実施日時：令和6年12月3日 14:00～16:00.' });
  }
  if (doc.centre) doc.centre.items = centreGroupsRead.flatMap(itemsOfGroup);
  return { document: doc, problems };
}

/**
 * A ・ sub-heading's ⇒ lines become items under it; a ・ line with no ⇒ under it is an
 * item itself, with no sub-heading.
 */
function itemsOfGroup(group: { heading: string | null; items: string[] }): VisitItem[] {
  if (group.items.length === 0) {
    return group.heading === null ? [] : [{ heading: null, kind: classifyVisitItem(group.heading), kindSetBy: 'rule', text: group.heading }];
  }
  return group.items.map((text) => ({ heading: group.heading, kind: classifyVisitItem(text), kindSetBy: 'rule', text }));
}
