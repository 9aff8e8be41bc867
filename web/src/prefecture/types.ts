/**
 * The prefecture's API as the web sees it (src/modules/prefecture/routes.ts).
 * The record's own shapes are the server's (src/modules/prefecture/types.ts), imported rather than redeclared.
 */
import type { VisitHeading, VisitItemKind, VisitItemKindSetBy, VisitOtherField } from '../../../src/modules/prefecture/visitDocument/types.ts';

export type { VisitHeading, VisitItemKind, VisitItemKindSetBy, VisitOtherField };

import type * as Server from '../../../src/modules/prefecture/types.ts';
import type { Wire } from '../../../src/lib/wire.ts';

export type ProposalStatus = Server.ProposalStatus;
/** What the municipality's hub may answer. */
export type ProposalAnswer = Exclude<ProposalStatus, 'proposed'>;
export type MunicipalityRef = Server.MunicipalityRef;
export type StatusChange = Wire<Server.StatusChange>;
export type VisitItem = Wire<Server.VisitItem>;
export interface Proposal extends VisitItem { municipality: MunicipalityRef }
export type VisitSummary = Wire<Server.VisitSummary>;
export type Visit = Wire<Server.Visit>;
export type VisitItemInput = Server.VisitItemInput;

export interface VisitFields {
  date: string;
  startTime: string | null;
  endTime: string | null;
  participants: string[];
  purpose: string;
  headings: VisitHeading[];
  items: VisitItemInput[];
  centreTitle: string | null;
  otherFields: VisitOtherField[];
}

export interface VisitDraft extends VisitFields {
  municipality: MunicipalityRef;
  openProposals: VisitItem[];
}

/** A count, or "<3" where small counts are suppressed. */
export type Count = number | string;

export interface NetworkPart {
  role: string;
  organizations: { id: string; name: string }[];
  programs: { id: string; name: string; status: string }[];
  meetings: { id: string; name: string; cadence: Record<string, unknown>; legalBasis: string }[];
  consultations: Count;
  referralsReceived: Count;
}

export interface GapFinding {
  rule: { key: string; check: string; reason: string; reasonEn: string | null };
  subject: string | null;
  subjectEn: string | null;
  proposal: { id: string; status: ProposalStatus } | null;
}

export interface MunicipalityNetwork {
  municipality: MunicipalityRef;
  parts: NetworkPart[];
  findings: GapFinding[];
}

export interface NetworksSideBySide {
  fiscalYear: number;
  label: string;
  labelEn: string;
  suppressBelow: number;
  roles: { code: string; ja: string; en: string }[];
  municipalities: MunicipalityNetwork[];
}

/** 連携団体 as the centre sees them: per municipality served, the fiscal year's referrals (small counts suppressed). */
export interface PartnerGroupCounts {
  fiscalYear: number;
  label: string;
  labelEn: string;
  suppressBelow: number;
  groups: {
    id: string; key: string; name: string; kind: string; agreedOn: string; endedOn: string | null; public: boolean;
    ageMin: number | null; ageMax: number | null; offers: string; serves: string[] | null;
    referrals: { municipality: { id: string; code: string; name: string }; count: Count }[];
  }[];
}
