/**
 * A network-building visit record (ネットワーク構築支援事業) as the prefecture's
 * hikikomori support centre writes it: the seed's layout made structured.
 * Plain data, no imports: the web bundle can import this file as it is.
 */

/** The standard headings the centre writes for every municipality it visits (VISIT_HEADINGS). */
export type VisitHeadingKey =
  | 'leadSection'
  | 'municipalityMoves'
  | 'peerGroups'
  | 'privateSupportGroups'
  | 'welfareCommissioners'
  | 'schools'
  | 'multilayered'
  | 'selfRelianceSupport'
  | 'healthCentres'
  | 'childrenAndYouth'
  | 'communityCareCentres'
  | 'socialWelfareCouncil'
  | 'supportNet';

/** The kinds of the centre's points to the municipality: 情報提供・事例紹介・提案・案内. */
export type VisitItemKind = 'information' | 'case_example' | 'proposal' | 'guidance';

/** Who set an item's kind: the wording rules on import, or staff correcting it. */
export type VisitItemKindSetBy = 'rule' | 'staff';

/** One ・ point under a ○ heading, with its ⇒ sub-points in order. */
export interface VisitPoint {
  /** The point's words without the ・ marker ('' when the record has ⇒ lines before any ・). */
  text: string;
  subPoints: string[];
}

/** One ○ heading of the notes with its points. */
export interface VisitHeading {
  /** The standard heading it was read as (VISIT_HEADINGS), or null for a heading of the record's own. */
  key: VisitHeadingKey | null;
  /**
   * The heading's words as written, without ○; the municipality's own name in the
   * 「{市区町村}の動き」 heading is stored as the placeholder {市区町村} and put back when printed.
   */
  title: string;
  points: VisitPoint[];
}

/** One of the centre's points to the municipality (the seed's ⇒ lines under ・民生委員, ・地域包括支援, ・その他). */
export interface VisitItem {
  /** The ・ sub-heading it stands under (民生委員, 地域包括支援, その他…); null for a point written without one. */
  heading: string | null;
  kind: VisitItemKind;
  kindSetBy: VisitItemKindSetBy;
  text: string;
}

/** The centre's own section 「ひきこもりサポートネットからの情報提供・事例紹介・提案等」. */
export interface VisitCentreSection {
  /** The section's heading as written, without ○. */
  title: string;
  items: VisitItem[];
}

/** A ■ line the layout has no field for (for example ■記録者：…), kept with its label. */
export interface VisitOtherField {
  label: string;
  lines: string[];
}

export interface VisitDocument {
  /** The name inside 【】, for example 武蔵野市. */
  municipalityName: string | null;
  /** The visit's date, 'YYYY-MM-DD'. */
  date: string | null;
  /** 'HH:MM' */
  startTime: string | null;
  /** 'HH:MM' */
  endTime: string | null;
  /** ■参加部署, one entry per line, in order. */
  sections: string[];
  /** ■実施内容, for example 取組状況の共有・情報交換 (lines joined by '\n'). */
  purpose: string | null;
  otherFields: VisitOtherField[];
  /** The ○ headings of the notes, in order (the centre's section apart, in `centre`). */
  headings: VisitHeading[];
  centre: VisitCentreSection | null;
  /** Lines of the text that fit nowhere in the layout, as written; each has a problem naming its line. */
  unplaced: string[];
}

/** What could not be read from a record's text; parsing never throws. */
export interface VisitDocumentProblem {
  /** The field of VisitDocument it concerns, or 'line' for a line kept aside in `unplaced`. */
  field: string;
  /** 1-based line number in the text, when one line is at fault. */
  line: number | null;
  /** English, with Japanese in src/i18n/messages.ts (the API's rule). */
  message: string;
}

export interface ParsedVisitDocument {
  document: VisitDocument;
  problems: VisitDocumentProblem[];
}
