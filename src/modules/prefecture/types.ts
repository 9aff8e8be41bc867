/**
 * The prefecture's API shapes (routes.ts): visit records, partner group counts
 * and networks side by side, declared once for the server and the web app
 * (web/src/prefecture/types.ts reads them through Wire). Types and plain data
 * only: the web bundle imports this file as it is.
 */
import type { Cadence, Ref } from '../network/types.ts';
import type { Count } from '../stats/types.ts';
import type { VisitHeading, VisitItemKind, VisitItemKindSetBy, VisitOtherField } from './visitDocument/types.ts';

export type { Count };

export const PROPOSAL_STATUSES = ['proposed', 'considering', 'adopted', 'declined'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface MunicipalityRef { id: string; code: string; name: string; nameEn: string | null }

export interface VisitItemInput {
  id?: string;
  heading: string | null;
  kind: VisitItemKind;
  /** 'rule' when the wording rules chose the kind on import; staff corrections are 'staff'. */
  kindSetBy?: VisitItemKindSetBy;
  text: string;
  addressedTo?: string | null;
}

export interface StatusChange { status: ProposalStatus; on: string; note: string | null; recordedAt: Date }

export interface VisitItem {
  id: string;
  visitId: string | null;
  visitDate: string | null;
  position: number;
  heading: string | null;
  kind: VisitItemKind;
  kindSetBy: VisitItemKindSetBy;
  text: string;
  addressedTo: string | null;
  gapRuleKey: string | null;
  status: ProposalStatus | null;
  statusOn: string | null;
  history: StatusChange[];
}

export interface VisitSummary {
  id: string;
  municipality: MunicipalityRef;
  date: string;
  startTime: string | null;
  endTime: string | null;
  purpose: string;
  proposals: { open: number; adopted: number; declined: number };
}

export interface Visit extends VisitSummary {
  prefecture: MunicipalityRef;
  participants: string[];
  headings: VisitHeading[];
  centreTitle: string | null;
  otherFields: VisitOtherField[];
  /** Lines of the imported text that fit nowhere in the layout, kept to be placed by hand. */
  unplaced: string[];
  items: VisitItem[];
  /** Proposals of earlier visits (and from gap findings) still open when this one took place. */
  earlierOpenProposals: VisitItem[];
  imported: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** 連携団体 as the centre sees them (partnerGroups.ts): per municipality served, the fiscal year's referrals (small counts suppressed). */
export interface PartnerGroupCounts {
  fiscalYear: number;
  label: string;
  labelEn: string;
  suppressBelow: number;
  groups: {
    id: string; key: string; name: string; kind: string; agreedOn: string; endedOn: string | null; public: boolean;
    ageMin: number | null; ageMax: number | null; offers: string;
    /** Codes of the municipalities served; null: every municipality of the prefecture. */
    serves: string[] | null;
    referrals: { municipality: { id: string; code: string; name: string }; count: Count }[];
  }[];
}

/** Networks side by side (networks.ts): each covered municipality's network parts, their counts and the gaps found. */
export interface NetworkPart {
  role: string;
  organizations: Ref[];
  programs: (Ref & { status: string })[];
  meetings: (Ref & { cadence: Cadence; legalBasis: string })[];
}

export interface PartFigures extends NetworkPart {
  /** Consultations whose door was one of the part's organisations. */
  consultations: Count;
  /** Referrals the part's organisations received. */
  referralsReceived: Count;
}

export interface GapFinding {
  rule: { key: string; check: string; reason: string; reasonEn: string | null };
  /** What the finding is about, e.g. the quiet door's name or the uncovered ages. */
  subject: string | null;
  subjectEn: string | null;
}

export interface MunicipalityNetwork {
  municipality: MunicipalityRef;
  parts: PartFigures[];
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
