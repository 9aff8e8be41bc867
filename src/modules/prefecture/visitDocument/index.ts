/**
 * Network-building visit records (ネットワーク構築支援事業, issue #12) as documents:
 * types, the standard headings, reading the centre's plain text, the printed
 * layout and the .docx. No database, no HTTP.
 *
 * The web bundle imports types.ts, headings.ts, itemKinds.ts, document.ts and
 * layout.ts directly (they import nothing Node-only); this index also brings in
 * the docx writer.
 */
export type * from './types.ts';
export { MUNICIPALITY_PLACEHOLDER, VISIT_HEADINGS, headingCore, printedHeadingTitle, visitHeading, visitHeadingKeyOf, type VisitHeadingDefinition } from './headings.ts';
export { VISIT_ITEM_KINDS, VISIT_ITEM_KIND_RULES, classifyVisitItem, type VisitItemKindRule } from './itemKinds.ts';
export { emptyVisitDocument, newVisitDocument } from './document.ts';
export { parseVisitDocument, readVisitDateTime } from './parse.ts';
export { VISIT_MARKERS, renderVisitDocument, visitBlockLines, visitDateTimeText, visitDocumentBlocks, type VisitBlock } from './layout.ts';
export { visitDocumentDocx, visitDocumentDocxFile, visitDocumentFileName } from './docx.ts';
