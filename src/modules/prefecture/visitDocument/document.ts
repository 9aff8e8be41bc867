/**
 * Building visit records. Pure, with no Node-only imports: the web bundle can import this file.
 */
import { MUNICIPALITY_PLACEHOLDER, VISIT_HEADINGS } from './headings.ts';
import type { VisitDocument } from './types.ts';

/** A record with nothing in it. */
export function emptyVisitDocument(): VisitDocument {
  return { municipalityName: null, date: null, startTime: null, endTime: null, sections: [], purpose: null, otherFields: [], headings: [], centre: null, unplaced: [] };
}

/**
 * A new visit's record: every standard heading in the centre's order, with no points yet
 * (for the staff to fill from the profile and the figures), and the centre's section.
 */
export function newVisitDocument(municipalityName: string, date: string | null = null): VisitDocument {
  const doc = emptyVisitDocument();
  doc.municipalityName = municipalityName;
  doc.date = date;
  for (const h of VISIT_HEADINGS) {
    if (h.key === 'supportNet') doc.centre = { title: h.printTitle, items: [] };
    else doc.headings.push({ key: h.key, title: h.printTitle, points: [] });
  }
  return doc;
}
